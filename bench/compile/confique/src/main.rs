//! The same 30-field struct with confique's `#[derive(Config)]`.

// The derive's validator closures take `&String`.
#![allow(clippy::ptr_arg)]

use confique::Config as _;

/// Settings of the service.
#[derive(confique::Config, Debug)]
pub struct Config {
    /// The host.
    #[config(env = "APP_HOST", default = "0.0.0.0")]
    pub host: String,
    /// The port.
    #[config(env = "APP_PORT", default = 8080, validate(*port >= 1, "invalid port"))]
    pub port: u16,
    /// The request timeout secs.
    #[config(env = "APP_REQUEST_TIMEOUT_SECS", default = 30, validate((1..=3600).contains(request_timeout_secs), "invalid request_timeout_secs"))]
    pub request_timeout_secs: u64,
    /// The workers.
    #[config(env = "APP_WORKERS", default = 4, validate((1..=256).contains(workers), "invalid workers"))]
    pub workers: u32,
    /// The cors origins.
    #[config(env = "APP_CORS_ORIGINS")]
    pub cors_origins: Vec<String>,
    /// The database url.
    #[config(env = "APP_DATABASE_URL", validate(database_url.starts_with("postgres://"), "invalid database_url"))]
    pub database_url: String,
    /// The pool size.
    #[config(env = "APP_POOL_SIZE", default = 10, validate((1..=100).contains(pool_size), "invalid pool_size"))]
    pub pool_size: u32,
    /// The db password.
    #[config(env = "APP_DB_PASSWORD")]
    pub db_password: String,
    /// The connect timeout secs.
    #[config(env = "APP_CONNECT_TIMEOUT_SECS", default = 5)]
    pub connect_timeout_secs: u64,
    /// The replicas.
    #[config(env = "APP_REPLICAS")]
    pub replicas: Vec<String>,
    /// The redis url.
    #[config(env = "APP_REDIS_URL", validate(redis_url.starts_with("redis://"), "invalid redis_url"))]
    pub redis_url: String,
    /// The redis db.
    #[config(env = "APP_REDIS_DB", default = 0, validate(*redis_db <= 15, "invalid redis_db"))]
    pub redis_db: u8,
    /// The jwt secret.
    #[config(env = "APP_JWT_SECRET")]
    pub jwt_secret: String,
    /// The token ttl secs.
    #[config(env = "APP_TOKEN_TTL_SECS", default = 3600)]
    pub token_ttl_secs: u64,
    /// The issuer.
    #[config(env = "APP_ISSUER", validate(issuer.starts_with("https://"), "invalid issuer"))]
    pub issuer: String,
    /// The allowed algorithms.
    #[config(env = "APP_ALLOWED_ALGORITHMS")]
    pub allowed_algorithms: Vec<String>,
    /// The log level.
    #[config(env = "APP_LOG_LEVEL", default = "info", validate(["trace", "debug", "info", "warn", "error"].contains(&log_level.as_str()), "invalid log_level"))]
    pub log_level: String,
    /// The log format.
    #[config(env = "APP_LOG_FORMAT", default = "json", validate(["json", "text"].contains(&log_format.as_str()), "invalid log_format"))]
    pub log_format: String,
    /// The metrics enabled.
    #[config(env = "APP_METRICS_ENABLED", default = true)]
    pub metrics_enabled: bool,
    /// The metrics port.
    #[config(env = "APP_METRICS_PORT", default = 9100, validate(*metrics_port >= 1, "invalid metrics_port"))]
    pub metrics_port: u16,
    /// The tracing endpoint.
    #[config(env = "APP_TRACING_ENDPOINT")]
    pub tracing_endpoint: Option<String>,
    /// The sample ratio.
    #[config(env = "APP_SAMPLE_RATIO", default = 0.1, validate((0.0..=1.0).contains(sample_ratio), "invalid sample_ratio"))]
    pub sample_ratio: f64,
    /// The cache ttl secs.
    #[config(env = "APP_CACHE_TTL_SECS", default = 300)]
    pub cache_ttl_secs: u64,
    /// The max body bytes.
    #[config(env = "APP_MAX_BODY_BYTES", default = 1048576)]
    pub max_body_bytes: u64,
    /// The region.
    #[config(env = "APP_REGION", validate(region.split('-').count() == 3, "invalid region"))]
    pub region: String,
    /// The feature new checkout.
    #[config(env = "APP_FEATURE_NEW_CHECKOUT", default = false)]
    pub feature_new_checkout: bool,
    /// The admin emails.
    #[config(env = "APP_ADMIN_EMAILS")]
    pub admin_emails: Vec<String>,
    /// The smtp host.
    #[config(env = "APP_SMTP_HOST", default = "localhost")]
    pub smtp_host: String,
    /// The smtp port.
    #[config(env = "APP_SMTP_PORT", default = 25)]
    pub smtp_port: u16,
    /// The extra flag.
    #[config(env = "APP_EXTRA_FLAG", default = false)]
    pub extra_flag: bool,
}

fn main() {
    println!(
        "{:?}",
        Config::builder()
            .env()
            .file("settings.toml")
            .load()
            .map_err(|e| e.to_string())
    );
}
