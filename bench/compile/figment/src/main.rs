//! The same 30-field struct with `#[derive(serde::Deserialize)]`, loaded by figment (a TOML
//! file and `APP_` variables), for the clean-build comparison.

/// Settings of the service.
#[derive(serde::Deserialize, Debug)]
pub struct Config {
    /// The host.
    #[serde(default = "default_host")]
    pub host: String,
    /// The port.
    #[serde(default = "default_port")]
    pub port: u16,
    /// The request timeout secs.
    #[serde(default = "default_request_timeout_secs")]
    pub request_timeout_secs: u64,
    /// The workers.
    #[serde(default = "default_workers")]
    pub workers: u32,
    /// The cors origins.
    pub cors_origins: Vec<String>,
    /// The database url.
    pub database_url: String,
    /// The pool size.
    #[serde(default = "default_pool_size")]
    pub pool_size: u32,
    /// The db password.
    pub db_password: String,
    /// The connect timeout secs.
    #[serde(default = "default_connect_timeout_secs")]
    pub connect_timeout_secs: u64,
    /// The replicas.
    pub replicas: Vec<String>,
    /// The redis url.
    pub redis_url: String,
    /// The redis db.
    #[serde(default = "default_redis_db")]
    pub redis_db: u8,
    /// The jwt secret.
    pub jwt_secret: String,
    /// The token ttl secs.
    #[serde(default = "default_token_ttl_secs")]
    pub token_ttl_secs: u64,
    /// The issuer.
    pub issuer: String,
    /// The allowed algorithms.
    pub allowed_algorithms: Vec<String>,
    /// The log level.
    #[serde(default = "default_log_level")]
    pub log_level: String,
    /// The log format.
    #[serde(default = "default_log_format")]
    pub log_format: String,
    /// The metrics enabled.
    #[serde(default = "default_metrics_enabled")]
    pub metrics_enabled: bool,
    /// The metrics port.
    #[serde(default = "default_metrics_port")]
    pub metrics_port: u16,
    /// The tracing endpoint.
    pub tracing_endpoint: Option<String>,
    /// The sample ratio.
    #[serde(default = "default_sample_ratio")]
    pub sample_ratio: f64,
    /// The cache ttl secs.
    #[serde(default = "default_cache_ttl_secs")]
    pub cache_ttl_secs: u64,
    /// The max body bytes.
    #[serde(default = "default_max_body_bytes")]
    pub max_body_bytes: u64,
    /// The region.
    pub region: String,
    /// The feature new checkout.
    #[serde(default = "default_feature_new_checkout")]
    pub feature_new_checkout: bool,
    /// The admin emails.
    pub admin_emails: Vec<String>,
    /// The smtp host.
    #[serde(default = "default_smtp_host")]
    pub smtp_host: String,
    /// The smtp port.
    #[serde(default = "default_smtp_port")]
    pub smtp_port: u16,
    /// The extra flag.
    #[serde(default = "default_extra_flag")]
    pub extra_flag: bool,
}

fn default_host() -> String {
    "0.0.0.0".to_owned()
}
fn default_port() -> u16 {
    8080
}
fn default_request_timeout_secs() -> u64 {
    30
}
fn default_workers() -> u32 {
    4
}
fn default_pool_size() -> u32 {
    10
}
fn default_connect_timeout_secs() -> u64 {
    5
}
fn default_redis_db() -> u8 {
    0
}
fn default_token_ttl_secs() -> u64 {
    3600
}
fn default_log_level() -> String {
    "info".to_owned()
}
fn default_log_format() -> String {
    "json".to_owned()
}
fn default_metrics_enabled() -> bool {
    true
}
fn default_metrics_port() -> u16 {
    9100
}
fn default_sample_ratio() -> f64 {
    0.1
}
fn default_cache_ttl_secs() -> u64 {
    300
}
fn default_max_body_bytes() -> u64 {
    1048576
}
fn default_feature_new_checkout() -> bool {
    false
}
fn default_smtp_host() -> String {
    "localhost".to_owned()
}
fn default_smtp_port() -> u16 {
    25
}
fn default_extra_flag() -> bool {
    false
}

fn main() {
    use figment::providers::{Env, Format, Toml};
    let figment = figment::Figment::new()
        .merge(Toml::file("settings.toml"))
        .merge(Env::prefixed("APP_").split("__"));
    println!("{:?}", figment.extract::<Config>().map_err(|e| e.to_string()));
}
