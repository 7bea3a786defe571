//! Builds only if a user needs nothing but `settings-core`: no serde, no figment in Cargo.toml.
#![forbid(unsafe_code)]
#![deny(warnings)]

use settings_core::{Secret, Settings};
use std::time::Duration;

/// Settings of a service that depends on settings-core alone.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
pub struct Service {
    /// Port to listen on.
    #[settings(default = 8080, range(min = 1, max = 65535))]
    pub port: u16,
    /// How long a request may take.
    #[settings(default = "30s")]
    pub timeout: Duration,
    /// The database.
    #[settings(nested)]
    pub db: Db,
}

/// Database settings.
#[derive(Settings, Debug)]
pub struct Db {
    /// Connection URL.
    #[settings(url(schemes = ["postgres"]))]
    pub url: String,
    /// Password.
    pub password: Secret<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_with_settings_core_alone() {
        let s = Service::loader()
            .env_vars([
                ("APP_DB__URL", "postgres://db/app"),
                ("APP_DB__PASSWORD", "pw"),
            ])
            .load()
            .unwrap();
        assert_eq!(s.port, 8080);
        assert_eq!(s.timeout, Duration::from_secs(30));
        assert_eq!(s.db.password.expose_secret(), "pw");
    }
}
