//! A 30-field settings struct with `#[derive(Settings)]` (compile-time benchmark).

use settings_core::{Secret, Settings};

/// Settings of the service.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_", files = ["settings.toml"])]
pub struct Config {
    /// The host.
    #[settings(default = "0.0.0.0")]
    pub host: String,
    /// The port.
    #[settings(default = 8080, range(min = 1, max = 65535))]
    pub port: u16,
    /// The request timeout secs.
    #[settings(default = 30, range(min = 1, max = 3600))]
    pub request_timeout_secs: u64,
    /// The workers.
    #[settings(default = 4, range(min = 1, max = 256))]
    pub workers: u32,
    /// The cors origins.
    pub cors_origins: Vec<String>,
    /// The database url.
    #[settings(url(schemes = ["postgres"]))]
    pub database_url: String,
    /// The pool size.
    #[settings(default = 10, range(min = 1, max = 100))]
    pub pool_size: u32,
    /// The db password.
    pub db_password: Secret<String>,
    /// The connect timeout secs.
    #[settings(default = 5)]
    pub connect_timeout_secs: u64,
    /// The replicas.
    pub replicas: Vec<String>,
    /// The redis url.
    #[settings(url(schemes = ["redis"]))]
    pub redis_url: String,
    /// The redis db.
    #[settings(default = 0, range(min = 0, max = 15))]
    pub redis_db: u8,
    /// The jwt secret.
    pub jwt_secret: Secret<String>,
    /// The token ttl secs.
    #[settings(default = 3600)]
    pub token_ttl_secs: u64,
    /// The issuer.
    #[settings(regex = "^https://")]
    pub issuer: String,
    /// The allowed algorithms.
    pub allowed_algorithms: Vec<String>,
    /// The log level.
    #[settings(default = "info", one_of = ["trace", "debug", "info", "warn", "error"])]
    pub log_level: String,
    /// The log format.
    #[settings(default = "json", one_of = ["json", "text"])]
    pub log_format: String,
    /// The metrics enabled.
    #[settings(default = true)]
    pub metrics_enabled: bool,
    /// The metrics port.
    #[settings(default = 9100, range(min = 1, max = 65535))]
    pub metrics_port: u16,
    /// The tracing endpoint.
    pub tracing_endpoint: Option<String>,
    /// The sample ratio.
    #[settings(default = 0.1, range(min = 0.0, max = 1.0))]
    pub sample_ratio: f64,
    /// The cache ttl secs.
    #[settings(default = 300)]
    pub cache_ttl_secs: u64,
    /// The max body bytes.
    #[settings(default = 1048576)]
    pub max_body_bytes: u64,
    /// The region.
    #[settings(regex = "^[a-z]{2}-[a-z]+-[0-9]$")]
    pub region: String,
    /// The feature new checkout.
    #[settings(default = false)]
    pub feature_new_checkout: bool,
    /// The admin emails.
    pub admin_emails: Vec<String>,
    /// The smtp host.
    #[settings(default = "localhost")]
    pub smtp_host: String,
    /// The smtp port.
    #[settings(default = 25)]
    pub smtp_port: u16,
    /// The extra flag.
    #[settings(default = false)]
    pub extra_flag: bool,
}

fn main() {
    println!("{:?}", Config::load());
}
