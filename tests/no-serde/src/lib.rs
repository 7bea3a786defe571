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

/// Whether the running program's own binary holds a message of regex-syntax's parser, which is
/// there exactly when the regex engine is linked (type names, as debug info holds them, do not
/// bring it). The message is put together at run time, so that no binary holds it as a constant
/// of its own. Used by `tests/literal_patterns.rs` and `tests/regex_patterns.rs`.
pub fn links_the_regex_engine() -> bool {
    let mark = ["unclosed", "character class"].join(" ");
    let exe = std::env::current_exe().expect("the program's own path");
    let bytes = std::fs::read(&exe).expect("the program's own binary");
    bytes.windows(mark.len()).any(|w| w == mark.as_bytes())
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
