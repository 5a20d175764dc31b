//! A private PostgreSQL cluster for laptops and tests, started from the system's binaries
//! when no `DATABASE_URL` is given. Data stays in the data directory across restarts.
//! PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tokio::process::Command;

pub const DEFAULT_PORT: u16 = 55432;
const DATABASE: &str = "tend";

/// Starts the cluster in `data_dir` unless it runs already; returns its database URL.
pub async fn ensure_cluster(data_dir: &Path, port: u16) -> anyhow::Result<String> {
    let bin = binaries()?;
    tokio::fs::create_dir_all(data_dir).await?;
    let data_dir = tokio::fs::canonicalize(data_dir).await?;
    let as_root = is_root().await;
    let data_dir = if as_root { reachable_by_postgres(data_dir).await? } else { data_dir };
    if !data_dir.join("PG_VERSION").exists() {
        tracing::info!(dir = %data_dir.display(), "creating a private PostgreSQL cluster");
        let mut initdb = postgres_command(&bin.join("initdb"), as_root);
        initdb.arg("-D").arg(&data_dir).args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        run(&mut initdb, "initdb").await?;
    }
    let mut status = postgres_command(&bin.join("pg_ctl"), as_root);
    status.arg("-D").arg(&data_dir).arg("status");
    let port = if status.output().await?.status.success() {
        running_port(&data_dir).await?
    } else {
        // Another checkout's cluster may hold the usual port.
        let port = free_port(port);
        tracing::info!(port, "starting the private PostgreSQL cluster");
        let mut start = postgres_command(&bin.join("pg_ctl"), as_root);
        start
            .arg("-D")
            .arg(&data_dir)
            .arg("-l")
            .arg(data_dir.join("server.log"))
            .arg("-w")
            .arg("-o")
            .arg(format!("-p {port} -k /tmp -c listen_addresses=127.0.0.1"))
            .arg("start");
        run(&mut start, "pg_ctl start").await?;
        port
    };
    ensure_database(&bin, port).await?;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/{DATABASE}"))
}

/// Hands the data directory to the `postgres` user. A checkout under a private home (such as
/// `/root`) is out of that user's reach, so the cluster then lives under `/var/tmp`, one
/// folder per checkout.
async fn reachable_by_postgres(data_dir: PathBuf) -> anyhow::Result<PathBuf> {
    give_to_postgres(&data_dir).await?;
    let reachable =
        Command::new("runuser").args(["-u", "postgres", "--", "test", "-w"]).arg(&data_dir).status().await?;
    if reachable.success() {
        return Ok(data_dir);
    }
    let checkout = std::env::current_dir()?.display().to_string();
    let digest = path_tag(&checkout);
    let fallback = PathBuf::from(format!("/var/tmp/tend-{digest}/postgres"));
    tokio::fs::create_dir_all(&fallback).await?;
    give_to_postgres(fallback.parent().unwrap_or(&fallback)).await?;
    give_to_postgres(&fallback).await?;
    tracing::info!(dir = %fallback.display(), "data directory out of reach of the postgres user; using this one");
    Ok(fallback)
}

async fn give_to_postgres(dir: &Path) -> anyhow::Result<()> {
    run(Command::new("chown").arg("postgres:").arg(dir), "chown the data directory").await?;
    run(Command::new("chmod").arg("700").arg(dir), "chmod the data directory").await
}

/// A short stable name for a path (FNV-1a; not for security).
fn path_tag(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3));
    format!("{hash:016x}")[..12].to_owned()
}

async fn ensure_database(bin: &Path, port: u16) -> anyhow::Result<()> {
    let port = port.to_string();
    let exists = Command::new(bin.join("psql"))
        .args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-Atqc"])
        .arg(format!("SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"))
        .arg("postgres")
        .output()
        .await?;
    if !String::from_utf8_lossy(&exists.stdout).contains('1') {
        run(
            Command::new(bin.join("createdb")).args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", DATABASE]),
            "createdb",
        )
        .await?;
    }
    Ok(())
}

/// The port of a running cluster: line 4 of its `postmaster.pid`.
async fn running_port(data_dir: &Path) -> anyhow::Result<u16> {
    let pid_file = tokio::fs::read_to_string(data_dir.join("postmaster.pid")).await?;
    pid_file.lines().nth(3).and_then(|line| line.trim().parse().ok()).context("no port in postmaster.pid")
}

/// The first port from `port` up that nothing on loopback listens on.
fn free_port(mut port: u16) -> u16 {
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() && port < u16::MAX {
        port += 1;
    }
    port
}

/// The newest `/usr/lib/postgresql/<version>/bin`.
fn binaries() -> anyhow::Result<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .context("PostgreSQL is not installed: run scripts/run, or apt-get install postgresql")?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).context("no PostgreSQL server binaries in /usr/lib/postgresql")
}

async fn is_root() -> bool {
    match Command::new("id").arg("-u").output().await {
        Ok(output) => String::from_utf8_lossy(&output.stdout).trim() == "0",
        Err(_) => false,
    }
}

fn postgres_command(program: &Path, as_root: bool) -> Command {
    if as_root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

async fn run(command: &mut Command, what: &str) -> anyhow::Result<()> {
    let output = command.output().await.with_context(|| format!("could not run {what}"))?;
    if !output.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}
