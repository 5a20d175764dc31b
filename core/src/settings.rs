//! Typed settings from environment variables, safe defaults for a laptop, and the checks
//! that make production refuse unsafe ones.

use std::{fmt, net::SocketAddr, path::PathBuf, time::Duration};

use ipnet::IpNet;
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// A secret whose `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    /// `None` starts a private PostgreSQL cluster under `data_dir`.
    pub database_url: Option<Secret>,
    /// `None` keeps mail in the outbox page instead of sending it.
    pub smtp_url: Option<Secret>,
    pub email_from: String,
    /// Base of links in emails, such as `https://tend.example.com`.
    pub public_url: Url,
    pub data_dir: PathBuf,
    /// Where uploaded files are kept (`TEND_FILES_DIR`; default `files` in the data folder).
    pub files_dir: PathBuf,
    pub session_idle_timeout: Duration,
    pub session_absolute_timeout: Duration,
    /// How long a worker holds a job it claimed; a job whose worker died runs again after it.
    pub job_lease: Duration,
    /// Seed the demo practice on first start.
    pub seed_demo: bool,
    /// Proxies whose `X-Forwarded-For` names the caller (`TRUSTED_PROXIES`); none by default.
    pub trusted_proxies: Vec<IpNet>,
    /// Outside production, listening on an address other than loopback needs
    /// `TEND_LISTEN_PUBLIC=true`: a laptop's demo logins are published in the README.
    pub listen_public: bool,
    /// Mail a visitor may trigger (sign-up, password reset) per client address and hour.
    pub mail_per_address_per_hour: i64,
    /// Mail any action may send to one recipient per hour.
    pub mail_per_recipient_per_hour: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SettingsError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("refusing to start in production: {0}")]
    UnsafeForProduction(&'static str),
}

impl Settings {
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads settings through `lookup` so tests can pass their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let environment = match lookup("TEND_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(SettingsError::Invalid {
                    name: "TEND_ENV",
                    reason: format!("`{other}` is neither development nor production"),
                });
            }
        };
        let site_addr = lookup("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let public_url = lookup("PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}"));
        let public_url = Url::parse(&public_url)
            .map_err(|e| SettingsError::Invalid { name: "PUBLIC_URL", reason: e.to_string() })?;
        let data_dir: PathBuf = lookup("TEND_DATA_DIR").unwrap_or_else(|| ".data".into()).into();
        let settings = Self {
            environment,
            database_url: lookup("DATABASE_URL").map(Secret::new),
            smtp_url: lookup("SMTP_URL").map(Secret::new),
            email_from: lookup("EMAIL_FROM").unwrap_or_else(|| "Tend <no-reply@tend.localhost>".into()),
            public_url,
            data_dir: data_dir.clone(),
            files_dir: lookup("TEND_FILES_DIR").map_or_else(|| data_dir.join("files"), PathBuf::from),
            session_idle_timeout: seconds(&lookup, "SESSION_IDLE_TIMEOUT_SECS", 30 * 60)?,
            session_absolute_timeout: seconds(&lookup, "SESSION_ABSOLUTE_TIMEOUT_SECS", 12 * 3600)?,
            job_lease: seconds(&lookup, "TEND_JOB_LEASE_SECS", 5 * 60)?,
            // Production never gets the demo practice and its published password, whatever is set.
            seed_demo: environment == Environment::Development
                && lookup("TEND_SEED_DEMO").is_none_or(|v| v != "false" && v != "0"),
            trusted_proxies: match lookup("TRUSTED_PROXIES") {
                None => Vec::new(),
                Some(raw) => crate::client_address::parse_networks(&raw)
                    .map_err(|reason| SettingsError::Invalid { name: "TRUSTED_PROXIES", reason })?,
            },
            listen_public: lookup("TEND_LISTEN_PUBLIC").is_some_and(|v| v == "true" || v == "1"),
            mail_per_address_per_hour: count(&lookup, "TEND_MAIL_PER_ADDRESS_PER_HOUR", 20)?,
            mail_per_recipient_per_hour: count(&lookup, "TEND_MAIL_PER_RECIPIENT_PER_HOUR", 5)?,
        };
        settings.check_production()?;
        Ok(settings)
    }

    fn check_production(&self) -> Result<(), SettingsError> {
        if self.environment != Environment::Production {
            return Ok(());
        }
        if self.smtp_url.is_none() {
            return Err(SettingsError::UnsafeForProduction("SMTP_URL must be set"));
        }
        if self.public_url.scheme() != "https" {
            return Err(SettingsError::UnsafeForProduction("PUBLIC_URL must start with https://"));
        }
        if self.database_url.is_none() {
            return Err(SettingsError::UnsafeForProduction("DATABASE_URL must be set"));
        }
        if self.smtp_url.as_ref().is_some_and(|url| plain_smtp_elsewhere(url.expose())) {
            return Err(SettingsError::UnsafeForProduction(
                "SMTP_URL must use smtps:// or smtp://...?tls=required unless the relay is on this machine",
            ));
        }
        Ok(())
    }

    /// Refuses to serve a laptop's demo to the network by accident: outside production, only
    /// loopback unless `TEND_LISTEN_PUBLIC=true`.
    pub fn check_listen_address(&self, addr: SocketAddr) -> Result<(), SettingsError> {
        if self.environment == Environment::Production || self.listen_public || addr.ip().is_loopback() {
            return Ok(());
        }
        Err(SettingsError::Invalid {
            name: "LEPTOS_SITE_ADDR",
            reason: format!(
                "{addr} is reachable from other machines; outside production set TEND_LISTEN_PUBLIC=true to allow it"
            ),
        })
    }

    /// Cookies are marked Secure when the app is reached over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// An absolute link into the app from a path such as `/reset-password?token=...`.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{}", self.public_url.as_str().trim_end_matches('/'), path_and_query)
    }
}

/// An SMTP URL that would send mail (and its password) unencrypted to another machine.
/// lettre's `smtp://` upgrades with STARTTLS only when asked to (`?tls=required`).
fn plain_smtp_elsewhere(raw: &str) -> bool {
    let Ok(url) = Url::parse(raw) else { return false };
    let loopback = match url.host() {
        // `smtp` is not a scheme the url crate knows, so an IPv4 address arrives as a "domain".
        Some(url::Host::Domain(host)) => {
            host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let required_tls = url.query_pairs().any(|(k, v)| k == "tls" && v == "required");
    url.scheme() == "smtp" && !required_tls && !loopback
}

/// A positive whole number, or `default` when unset.
fn count(lookup: &impl Fn(&str) -> Option<String>, name: &'static str, default: i64) -> Result<i64, SettingsError> {
    match lookup(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or(SettingsError::Invalid { name, reason: "expected a positive whole number".into() }),
    }
}

fn seconds(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u64,
) -> Result<Duration, SettingsError> {
    match lookup(name) {
        None => Ok(Duration::from_secs(default)),
        Some(raw) => raw
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|secs| *secs > 0)
            .map(Duration::from_secs)
            .ok_or(SettingsError::Invalid { name, reason: "expected a positive number of seconds".into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn defaults_suit_a_laptop() {
        let settings = Settings::from_lookup(env(&[])).unwrap();
        assert_eq!(settings.environment, Environment::Development);
        assert!(settings.database_url.is_none());
        assert_eq!(settings.public_url.as_str(), "http://127.0.0.1:3000/");
        assert_eq!(settings.session_idle_timeout, Duration::from_secs(1800));
        assert_eq!(settings.session_absolute_timeout, Duration::from_secs(43200));
        assert!(!settings.secure_cookies());
    }

    #[test]
    fn production_without_smtp_is_refused() {
        let error = Settings::from_lookup(env(&[
            ("TEND_ENV", "production"),
            ("PUBLIC_URL", "https://tend.example.com"),
            ("DATABASE_URL", "postgres://db/tend"),
        ]))
        .unwrap_err();
        assert_eq!(error, SettingsError::UnsafeForProduction("SMTP_URL must be set"));
    }

    #[test]
    fn production_over_plain_http_is_refused() {
        let error = Settings::from_lookup(env(&[
            ("TEND_ENV", "production"),
            ("SMTP_URL", "smtps://mail:465"),
            ("PUBLIC_URL", "http://tend.example.com"),
            ("DATABASE_URL", "postgres://db/tend"),
        ]))
        .unwrap_err();
        assert!(matches!(error, SettingsError::UnsafeForProduction(_)));
    }

    #[test]
    fn safe_production_settings_are_accepted() {
        let settings = Settings::from_lookup(env(&[
            ("TEND_ENV", "production"),
            ("SMTP_URL", "smtps://mail:465"),
            ("PUBLIC_URL", "https://tend.example.com"),
            ("DATABASE_URL", "postgres://db/tend"),
        ]))
        .unwrap();
        assert!(settings.secure_cookies());
        assert_eq!(settings.link("/login"), "https://tend.example.com/login");
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let settings = Settings::from_lookup(env(&[("SMTP_URL", "smtp://user:hunter2@mail:25")])).unwrap();
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn production_never_seeds_the_demo_practice() {
        let settings = Settings::from_lookup(env(&[
            ("TEND_ENV", "production"),
            ("TEND_SEED_DEMO", "true"),
            ("SMTP_URL", "smtps://mail:465"),
            ("PUBLIC_URL", "https://tend.example.com"),
            ("DATABASE_URL", "postgres://db/tend"),
        ]))
        .unwrap();
        assert!(!settings.seed_demo);
        assert!(Settings::from_lookup(env(&[])).unwrap().seed_demo, "a laptop gets the demo");
    }

    fn production(smtp_url: &str) -> Result<Settings, SettingsError> {
        Settings::from_lookup(env(&[
            ("TEND_ENV", "production"),
            ("SMTP_URL", smtp_url),
            ("PUBLIC_URL", "https://tend.example.com"),
            ("DATABASE_URL", "postgres://db/tend"),
        ]))
    }

    #[test]
    fn production_refuses_plain_smtp_to_another_machine() {
        assert!(matches!(production("smtp://mail.example.com:25"), Err(SettingsError::UnsafeForProduction(_))));
        assert!(production("smtp://mail.example.com:587?tls=required").is_ok());
        assert!(production("smtp://127.0.0.1:25").is_ok(), "a relay on this machine");
        assert!(production("smtp://localhost:25").is_ok());
    }

    #[test]
    fn outside_production_only_loopback_is_served_unless_allowed() {
        let laptop = Settings::from_lookup(env(&[])).unwrap();
        assert!(laptop.check_listen_address("127.0.0.1:3000".parse().unwrap()).is_ok());
        assert!(laptop.check_listen_address("[::1]:3000".parse().unwrap()).is_ok());
        let error = laptop.check_listen_address("0.0.0.0:3000".parse().unwrap()).unwrap_err();
        assert!(error.to_string().contains("TEND_LISTEN_PUBLIC"));
        let allowed = Settings::from_lookup(env(&[("TEND_LISTEN_PUBLIC", "true")])).unwrap();
        assert!(allowed.check_listen_address("0.0.0.0:3000".parse().unwrap()).is_ok());
        let server = production("smtps://mail:465").unwrap();
        assert!(server.check_listen_address("0.0.0.0:3000".parse().unwrap()).is_ok());
    }

    #[test]
    fn trusted_proxies_are_parsed_and_checked() {
        let settings = Settings::from_lookup(env(&[("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.2")])).unwrap();
        assert_eq!(settings.trusted_proxies.len(), 2);
        assert!(Settings::from_lookup(env(&[])).unwrap().trusted_proxies.is_empty());
        let error = Settings::from_lookup(env(&[("TRUSTED_PROXIES", "my-proxy")])).unwrap_err();
        assert!(matches!(error, SettingsError::Invalid { name: "TRUSTED_PROXIES", .. }));
    }

    #[test]
    fn zero_timeout_is_refused() {
        let error = Settings::from_lookup(env(&[("SESSION_IDLE_TIMEOUT_SECS", "0")])).unwrap_err();
        assert_eq!(
            error,
            SettingsError::Invalid {
                name: "SESSION_IDLE_TIMEOUT_SECS",
                reason: "expected a positive number of seconds".into()
            }
        );
    }
}
