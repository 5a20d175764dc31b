# Shared set-up for scripts/run and scripts/test: installs what is missing, skips what is there.
# Sourced, not run.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Build output and tools live outside the clone so fresh clones (CI) reuse them. `cargo install`
# builds in CARGO_TARGET_DIR too (and keeps it), so the tools and the release build of Tend
# compile the crates they share once.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tend/target}"
# scripts/wasm-opt/wasm-opt keeps npm's wasm-opt results (see there).
export PATH="$ROOT/scripts/wasm-opt:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
SQLX_CLI_VERSION=0.8.6

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_debian_packages() {
    local missing=()
    command -v chromium >/dev/null || missing+=(chromium chromium-driver)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    command -v node >/dev/null || missing+=(nodejs npm)
    if [ ${#missing[@]} -gt 0 ]; then
        log "Installing Debian packages: ${missing[*]}"
        as_root apt-get update -q
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "${missing[@]}"
    fi
}

ensure_rust_tools() {
    if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
        log "Adding the wasm32 target"
        rustup target add wasm32-unknown-unknown
    fi
    if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
        log "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 13 minutes the first time)"
        cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
    fi
    if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
        log "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
    fi
}

# The tests check the sqlx offline data with sqlx-cli; running Tend does not need it.
ensure_sqlx_cli() {
    if ! cargo sqlx --version 2>/dev/null | grep -q "$SQLX_CLI_VERSION"; then
        log "Installing sqlx-cli $SQLX_CLI_VERSION"
        cargo install sqlx-cli --version "$SQLX_CLI_VERSION" --no-default-features --features postgres,rustls --locked
    fi
}

ensure_npm_packages() {
    local dir=scripts/wasm-opt
    if [ ! -x $dir/node_modules/.bin/wasm-opt ] || [ $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]; then
        log "Installing npm packages (wasm-opt)"
        (cd $dir && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

# Builds the server and both wasm bundles (app/src/bundles.rs) into the site root $1; the rest
# of the arguments go to cargo-leptos (`--release`). `--split` cuts each wasm at the
# `lazy_area!` functions in app/src/lib.rs, so a page downloads only its area's code. The
# portal is built into a site of its own (cargo-leptos empties a site before building into
# it), then its content-hashed files join the app's in $1/pkg.
build_site() {
    local site="$1"
    shift
    LEPTOS_SITE_ROOT="$site" cargo leptos build --split --project tend "$@"
    LEPTOS_SITE_ROOT="$site-portal" cargo leptos build --split --project portal --frontend-only "$@"
    cp "$site-portal/pkg/"* "$site/pkg/"
}

# The release site and server.
build_release() {
    log "Building Tend (release)"
    # wasm-opt results unused for a month (scripts/wasm-opt/wasm-opt) are from old builds.
    find "$HOME/.cache/tend/wasm-opt" -name '*.wasm' -mtime +30 -delete 2>/dev/null || true
    SQLX_OFFLINE=true build_site "$ROOT/target/site" --release
    # A brotli copy of each file at the best quality, for the server to send (server/src/assets.rs).
    # Not for the tests' debug build: its wasm is megabytes, and quality 11 takes a second a megabyte.
    node scripts/precompress.mjs "$ROOT/target/site/pkg"
}

# Lighthouse, for scripts/lighthouse only.
ensure_lighthouse_packages() {
    if [ ! -d end2end/lighthouse/node_modules/lighthouse ] || [ end2end/lighthouse/package-lock.json -nt end2end/lighthouse/node_modules/.package-lock.json ]; then
        log "Installing npm packages for Lighthouse"
        (cd end2end/lighthouse && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

# Playwright, for the browser tests only.
ensure_e2e_packages() {
    if [ ! -d end2end/node_modules/@playwright ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
        log "Installing npm packages for the browser tests"
        (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The first port from $1 up that nothing listens on.
free_port() {
    local port="$1"
    while port_in_use "$port"; do port=$((port + 1)); done
    echo "$port"
}

# Starts (or reuses) a private PostgreSQL cluster in $1 on port $2 and exports DATABASE_URL
# for database $3. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
# Test data is thrown away, so the test cluster skips fsync.
ensure_postgres() {
    local dir="$1" port="$2" database="$3"
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
    local run=()
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
        chown postgres: "$dir"
        chmod 700 "$dir"
        run=(runuser -u postgres --)
        # A checkout under a private home (e.g. /root) is out of the postgres user's reach:
        # keep the cluster in a folder of its own, one per checkout.
        if ! runuser -u postgres -- test -w "$dir"; then
            dir="/var/tmp/tend-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)/$(basename "$dir")"
            mkdir -p "$dir"
            chown postgres: "$dir" "$(dirname "$dir")"
            chmod 700 "$dir"
        fi
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
        log "Creating a private PostgreSQL cluster in $dir"
        "${run[@]}" "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if "${run[@]}" "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        port="$(sed -n 4p "$dir/postmaster.pid")"
    else
        # Another checkout's cluster may hold the usual port.
        port="$(free_port "$port")"
        log "Starting PostgreSQL on 127.0.0.1:$port"
        "${run[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
            -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off" start >/dev/null
    fi
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$database"
    export PG_PORT="$port"
    if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$database'" postgres | grep -q 1; then
        "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
    fi
}
