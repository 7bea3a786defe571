//! The contestants of the load benchmark: the same fixture (`fixture/settings.toml` plus the
//! `APP_` variables of `fixture/env.txt`), the same four defaults and the same validations, loaded
//! by hand, by this project, by figment, by config-rs and by confique. Each contestant returns its
//! values as the common [`Plain`] form, whose JSON dump is compared before any timing.

use serde::{Deserialize, Serialize};
use settings_core::Settings as _;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

pub mod lists;
pub mod scale;

/// The fixture's config file.
pub fn fixture_file() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixture/settings.toml"
    ))
}

/// The fixture's environment overrides, `NAME=value` per line.
pub fn fixture_env() -> Vec<(String, String)> {
    let text = include_str!("../fixture/env.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, v) = l.split_once('=').expect("NAME=value");
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

/// Replaces the whole process environment with `vars` plus `extra` unrelated variables. Only
/// for the single-threaded start of the benchmark binary.
pub fn set_process_env(vars: &[(String, String)], extra: usize) {
    for (k, _) in std::env::vars_os() {
        std::env::remove_var(k);
    }
    for (k, v) in vars {
        std::env::set_var(k, v);
    }
    for i in 0..extra {
        std::env::set_var(
            format!("BENCH_UNRELATED_VAR_{i:05}"),
            format!("/usr/local/lib/unrelated/value-{i}"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The plain serde form: the by-hand floor, figment and config-rs deserialize into it; every
// contestant's result is turned into it for the comparison.

/// The fixture's settings as plain serde structs; the four defaults are serde defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plain {
    pub server: Server,
    pub database: Database,
    pub redis: Redis,
    pub auth: Auth,
    pub logging: Logging,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub request_timeout_secs: u64,
    #[serde(default = "default_workers")]
    pub workers: u32,
    pub cors_origins: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Database {
    pub url: String,
    pub pool_size: u32,
    pub password: String,
    pub replicas: Vec<String>,
    #[serde(default = "default_connect_timeout")]
    pub connect_timeout_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redis {
    pub url: String,
    #[serde(default)]
    pub db: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Auth {
    pub jwt_secret: String,
    pub token_ttl_secs: u64,
    pub issuer: String,
    pub allowed_algorithms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logging {
    pub level: String,
    #[serde(default = "default_format")]
    pub format: String,
    pub targets: BTreeMap<String, String>,
}

fn default_workers() -> u32 {
    4
}
fn default_connect_timeout() -> u64 {
    5
}
fn default_format() -> String {
    "json".to_owned()
}

impl Plain {
    /// The canonical dump compared across contestants (secrets in clear: comparison only).
    pub fn canonical_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("serializable")
    }
}

// ---------------------------------------------------------------------------------------------
// The validations of the fixture README, written once for the contestants without validators.

const LEVELS: [&str; 5] = ["trace", "debug", "info", "warn", "error"];
const FORMATS: [&str; 2] = ["json", "text"];

fn issuer_regex() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| regex::Regex::new("^https://").expect("valid"))
}

fn v_port(p: &u16) -> Result<(), &'static str> {
    (*p >= 1)
        .then_some(())
        .ok_or("server.port must be in 1..=65535")
}
fn v_pool(p: &u32) -> Result<(), &'static str> {
    (1..=100)
        .contains(p)
        .then_some(())
        .ok_or("database.pool_size must be in 1..=100")
}
fn v_redis_db(d: &u8) -> Result<(), &'static str> {
    (*d <= 15).then_some(()).ok_or("redis.db must be in 0..=15")
}
#[allow(clippy::ptr_arg)] // confique calls a validator with `&T` of the field type
fn v_postgres_url(s: &String) -> Result<(), &'static str> {
    match url::Url::parse(s) {
        Ok(u) if u.scheme() == "postgres" => Ok(()),
        _ => Err("not a postgres URL"),
    }
}
#[allow(clippy::ptr_arg)] // confique calls a validator with `&T` of the field type
fn v_postgres_urls(v: &Vec<String>) -> Result<(), &'static str> {
    v.iter().try_for_each(v_postgres_url)
}
#[allow(clippy::ptr_arg)] // confique calls a validator with `&T` of the field type
fn v_issuer(s: &String) -> Result<(), &'static str> {
    issuer_regex()
        .is_match(s)
        .then_some(())
        .ok_or("auth.issuer must match ^https://")
}
#[allow(clippy::ptr_arg)] // confique calls a validator with `&T` of the field type
fn v_level(s: &String) -> Result<(), &'static str> {
    LEVELS
        .contains(&s.as_str())
        .then_some(())
        .ok_or("logging.level must be one of trace, debug, info, warn, error")
}
#[allow(clippy::ptr_arg)] // confique calls a validator with `&T` of the field type
fn v_format(s: &String) -> Result<(), &'static str> {
    FORMATS
        .contains(&s.as_str())
        .then_some(())
        .ok_or("logging.format must be one of json, text")
}

/// Every validation of the fixture README, on the plain form.
pub fn validate(p: &Plain) -> Result<(), String> {
    v_port(&p.server.port)?;
    v_pool(&p.database.pool_size)?;
    v_redis_db(&p.redis.db)?;
    v_postgres_url(&p.database.url)?;
    v_postgres_urls(&p.database.replicas)?;
    v_issuer(&p.auth.issuer)?;
    v_level(&p.logging.level)?;
    v_format(&p.logging.format)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// hand: the least work by hand.

fn parse<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, String> {
    v.parse().map_err(|_| format!("{name}: cannot parse {v:?}"))
}

/// Reads the file, `toml::from_str` into [`Plain`] (serde fills the defaults), overlays the
/// `APP_` variables of the process environment, validates.
pub fn load_hand() -> Result<Plain, String> {
    let text = std::fs::read_to_string(fixture_file()).map_err(|e| e.to_string())?;
    let mut p: Plain = toml::from_str(&text).map_err(|e| e.to_string())?;
    for (k, v) in std::env::vars_os() {
        let (Some(k), Some(v)) = (k.to_str(), v.to_str()) else {
            continue;
        };
        let Some(name) = k.strip_prefix("APP_") else {
            continue;
        };
        match name {
            "SERVER__HOST" => p.server.host = v.to_owned(),
            "SERVER__PORT" => p.server.port = parse(k, v)?,
            "SERVER__REQUEST_TIMEOUT_SECS" => p.server.request_timeout_secs = parse(k, v)?,
            "SERVER__WORKERS" => p.server.workers = parse(k, v)?,
            "DATABASE__URL" => p.database.url = v.to_owned(),
            "DATABASE__POOL_SIZE" => p.database.pool_size = parse(k, v)?,
            "DATABASE__PASSWORD" => p.database.password = v.to_owned(),
            "DATABASE__CONNECT_TIMEOUT_SECS" => p.database.connect_timeout_secs = parse(k, v)?,
            "REDIS__URL" => p.redis.url = v.to_owned(),
            "REDIS__DB" => p.redis.db = parse(k, v)?,
            "AUTH__JWT_SECRET" => p.auth.jwt_secret = v.to_owned(),
            "AUTH__TOKEN_TTL_SECS" => p.auth.token_ttl_secs = parse(k, v)?,
            "AUTH__ISSUER" => p.auth.issuer = v.to_owned(),
            "LOGGING__LEVEL" => p.logging.level = v.to_owned(),
            "LOGGING__FORMAT" => p.logging.format = v.to_owned(),
            _ => {}
        }
    }
    validate(&p)?;
    Ok(p)
}

/// The by-hand floor for loaders that look names up instead of scanning the environment: the
/// file as in [`load_hand`], then `getenv` for each of the 15 names (exact case), as confique
/// does.
pub fn load_hand_getenv() -> Result<Plain, String> {
    let text = std::fs::read_to_string(fixture_file()).map_err(|e| e.to_string())?;
    let mut p: Plain = toml::from_str(&text).map_err(|e| e.to_string())?;
    let var = |name: &str| std::env::var(name).ok();
    let num = |name: &str, v: Option<String>| -> Result<Option<u64>, String> {
        v.map(|v| parse::<u64>(name, &v)).transpose()
    };
    if let Some(v) = var("APP_SERVER__HOST") {
        p.server.host = v;
    }
    if let Some(v) = num("APP_SERVER__PORT", var("APP_SERVER__PORT"))? {
        p.server.port = u16::try_from(v).map_err(|e| e.to_string())?;
    }
    if let Some(v) = num(
        "APP_SERVER__REQUEST_TIMEOUT_SECS",
        var("APP_SERVER__REQUEST_TIMEOUT_SECS"),
    )? {
        p.server.request_timeout_secs = v;
    }
    if let Some(v) = num("APP_SERVER__WORKERS", var("APP_SERVER__WORKERS"))? {
        p.server.workers = u32::try_from(v).map_err(|e| e.to_string())?;
    }
    if let Some(v) = var("APP_DATABASE__URL") {
        p.database.url = v;
    }
    if let Some(v) = num("APP_DATABASE__POOL_SIZE", var("APP_DATABASE__POOL_SIZE"))? {
        p.database.pool_size = u32::try_from(v).map_err(|e| e.to_string())?;
    }
    if let Some(v) = var("APP_DATABASE__PASSWORD") {
        p.database.password = v;
    }
    if let Some(v) = num(
        "APP_DATABASE__CONNECT_TIMEOUT_SECS",
        var("APP_DATABASE__CONNECT_TIMEOUT_SECS"),
    )? {
        p.database.connect_timeout_secs = v;
    }
    if let Some(v) = var("APP_REDIS__URL") {
        p.redis.url = v;
    }
    if let Some(v) = num("APP_REDIS__DB", var("APP_REDIS__DB"))? {
        p.redis.db = u8::try_from(v).map_err(|e| e.to_string())?;
    }
    if let Some(v) = var("APP_AUTH__JWT_SECRET") {
        p.auth.jwt_secret = v;
    }
    if let Some(v) = num("APP_AUTH__TOKEN_TTL_SECS", var("APP_AUTH__TOKEN_TTL_SECS"))? {
        p.auth.token_ttl_secs = v;
    }
    if let Some(v) = var("APP_AUTH__ISSUER") {
        p.auth.issuer = v;
    }
    if let Some(v) = var("APP_LOGGING__LEVEL") {
        p.logging.level = v;
    }
    if let Some(v) = var("APP_LOGGING__FORMAT") {
        p.logging.format = v;
    }
    validate(&p)?;
    Ok(p)
}

// ---------------------------------------------------------------------------------------------
// ours: this project.

mod ours {
    use settings_core::{Secret, Settings};
    use std::collections::BTreeMap;

    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    pub struct OursSettings {
        #[settings(nested)]
        pub server: Server,
        #[settings(nested)]
        pub database: Database,
        #[settings(nested)]
        pub redis: Redis,
        #[settings(nested)]
        pub auth: Auth,
        #[settings(nested)]
        pub logging: Logging,
    }

    #[derive(Settings, Debug)]
    pub struct Server {
        pub host: String,
        #[settings(range(min = 1, max = 65535))]
        pub port: u16,
        pub request_timeout_secs: u64,
        #[settings(default = 4)]
        pub workers: u32,
        pub cors_origins: Vec<String>,
    }

    #[derive(Settings, Debug)]
    pub struct Database {
        #[settings(url(schemes = ["postgres"]))]
        pub url: String,
        #[settings(range(min = 1, max = 100))]
        pub pool_size: u32,
        pub password: Secret<String>,
        #[settings(url(schemes = ["postgres"]))]
        pub replicas: Vec<String>,
        #[settings(default = 5)]
        pub connect_timeout_secs: u64,
    }

    #[derive(Settings, Debug)]
    pub struct Redis {
        pub url: String,
        #[settings(default = 0, range(min = 0, max = 15))]
        pub db: u8,
    }

    #[derive(Settings, Debug)]
    pub struct Auth {
        pub jwt_secret: Secret<String>,
        pub token_ttl_secs: u64,
        #[settings(regex = "^https://")]
        pub issuer: String,
        pub allowed_algorithms: Vec<String>,
    }

    #[derive(Settings, Debug)]
    pub struct Logging {
        #[settings(one_of = ["trace", "debug", "info", "warn", "error"])]
        pub level: String,
        #[settings(default = "json", one_of = ["json", "text"])]
        pub format: String,
        pub targets: BTreeMap<String, String>,
    }
}

pub use ours::OursSettings;

/// The same settings with exact-case names (`case_sensitive`): the contract confique keeps.
#[derive(settings_core::Settings, Debug)]
#[settings(env_prefix = "APP_", case_sensitive)]
pub struct OursExact {
    #[settings(nested)]
    pub server: ours::Server,
    #[settings(nested)]
    pub database: ours::Database,
    #[settings(nested)]
    pub redis: ours::Redis,
    #[settings(nested)]
    pub auth: ours::Auth,
    #[settings(nested)]
    pub logging: ours::Logging,
}

/// [`load_ours_raw`] with exact-case names.
pub fn load_ours_exact() -> Result<OursExact, settings_core::Error> {
    OursExact::loader().file(fixture_file()).load()
}

impl From<&OursExact> for Plain {
    fn from(o: &OursExact) -> Self {
        plain_of(&o.server, &o.database, &o.redis, &o.auth, &o.logging)
    }
}

/// The values of our settings (either struct) as [`Plain`].
fn plain_of(
    s: &ours::Server,
    d: &ours::Database,
    r: &ours::Redis,
    a: &ours::Auth,
    l: &ours::Logging,
) -> Plain {
    Plain {
        server: Server {
            host: s.host.clone(),
            port: s.port,
            request_timeout_secs: s.request_timeout_secs,
            workers: s.workers,
            cors_origins: s.cors_origins.clone(),
        },
        database: Database {
            url: d.url.clone(),
            pool_size: d.pool_size,
            password: d.password.expose_secret().clone(),
            replicas: d.replicas.clone(),
            connect_timeout_secs: d.connect_timeout_secs,
        },
        redis: Redis {
            url: r.url.clone(),
            db: r.db,
        },
        auth: Auth {
            jwt_secret: a.jwt_secret.expose_secret().clone(),
            token_ttl_secs: a.token_ttl_secs,
            issuer: a.issuer.clone(),
            allowed_algorithms: a.allowed_algorithms.clone(),
        },
        logging: Logging {
            level: l.level.clone(),
            format: l.format.clone(),
            targets: l.targets.clone(),
        },
    }
}

/// This project's `load()`: the process environment, the file given to the loader.
pub fn load_ours_raw() -> Result<OursSettings, settings_core::Error> {
    OursSettings::loader().file(fixture_file()).load()
}

impl From<&OursSettings> for Plain {
    fn from(o: &OursSettings) -> Self {
        plain_of(&o.server, &o.database, &o.redis, &o.auth, &o.logging)
    }
}

// ---------------------------------------------------------------------------------------------
// figment, used directly.

/// figment: the Toml provider, then `Env::prefixed("APP_").split("__")`, extract, validate.
pub fn load_figment() -> Result<Plain, String> {
    use figment::providers::{Env, Format, Toml};
    let p: Plain = figment::Figment::new()
        .merge(Toml::file_exact(fixture_file()))
        .merge(Env::prefixed("APP_").split("__"))
        .extract()
        .map_err(|e| e.to_string())?;
    validate(&p)?;
    Ok(p)
}

// ---------------------------------------------------------------------------------------------
// config-rs.

/// config-rs: the file, then `Environment::with_prefix("APP")` with `__` between levels,
/// `try_deserialize`, validate.
pub fn load_config() -> Result<Plain, String> {
    use config::{Config, Environment, File, FileFormat};
    let p: Plain = Config::builder()
        .add_source(File::from(fixture_file()).format(FileFormat::Toml))
        .add_source(
            Environment::with_prefix("APP")
                .prefix_separator("_")
                .separator("__"),
        )
        .build()
        .and_then(Config::try_deserialize)
        .map_err(|e| e.to_string())?;
    validate(&p)?;
    Ok(p)
}

// ---------------------------------------------------------------------------------------------
// confique.

mod cq {
    use super::{
        v_format, v_issuer, v_level, v_pool, v_port, v_postgres_url, v_postgres_urls, v_redis_db,
    };
    use confique::Config;
    use std::collections::BTreeMap;

    #[derive(Config)]
    pub struct CqSettings {
        #[config(nested)]
        pub server: Server,
        #[config(nested)]
        pub database: Database,
        #[config(nested)]
        pub redis: Redis,
        #[config(nested)]
        pub auth: Auth,
        #[config(nested)]
        pub logging: Logging,
    }

    #[derive(Config)]
    pub struct Server {
        #[config(env = "APP_SERVER__HOST")]
        pub host: String,
        #[config(env = "APP_SERVER__PORT", validate = v_port)]
        pub port: u16,
        #[config(env = "APP_SERVER__REQUEST_TIMEOUT_SECS")]
        pub request_timeout_secs: u64,
        #[config(env = "APP_SERVER__WORKERS", default = 4)]
        pub workers: u32,
        pub cors_origins: Vec<String>,
    }

    #[derive(Config)]
    pub struct Database {
        #[config(env = "APP_DATABASE__URL", validate = v_postgres_url)]
        pub url: String,
        #[config(env = "APP_DATABASE__POOL_SIZE", validate = v_pool)]
        pub pool_size: u32,
        #[config(env = "APP_DATABASE__PASSWORD")]
        pub password: String,
        #[config(validate = v_postgres_urls)]
        pub replicas: Vec<String>,
        #[config(env = "APP_DATABASE__CONNECT_TIMEOUT_SECS", default = 5)]
        pub connect_timeout_secs: u64,
    }

    #[derive(Config)]
    pub struct Redis {
        #[config(env = "APP_REDIS__URL")]
        pub url: String,
        #[config(env = "APP_REDIS__DB", default = 0, validate = v_redis_db)]
        pub db: u8,
    }

    #[derive(Config)]
    pub struct Auth {
        #[config(env = "APP_AUTH__JWT_SECRET")]
        pub jwt_secret: String,
        #[config(env = "APP_AUTH__TOKEN_TTL_SECS")]
        pub token_ttl_secs: u64,
        #[config(env = "APP_AUTH__ISSUER", validate = v_issuer)]
        pub issuer: String,
        pub allowed_algorithms: Vec<String>,
    }

    #[derive(Config)]
    pub struct Logging {
        #[config(env = "APP_LOGGING__LEVEL", validate = v_level)]
        pub level: String,
        #[config(env = "APP_LOGGING__FORMAT", default = "json", validate = v_format)]
        pub format: String,
        pub targets: BTreeMap<String, String>,
    }
}

pub use cq::CqSettings;

/// confique: derive `Config`, `env` per field, the file; validators as attributes.
pub fn load_confique_raw() -> Result<CqSettings, String> {
    use confique::Config;
    CqSettings::builder()
        .env()
        .file(fixture_file())
        .load()
        .map_err(|e| e.to_string())
}

impl From<&CqSettings> for Plain {
    fn from(c: &CqSettings) -> Self {
        Plain {
            server: Server {
                host: c.server.host.clone(),
                port: c.server.port,
                request_timeout_secs: c.server.request_timeout_secs,
                workers: c.server.workers,
                cors_origins: c.server.cors_origins.clone(),
            },
            database: Database {
                url: c.database.url.clone(),
                pool_size: c.database.pool_size,
                password: c.database.password.clone(),
                replicas: c.database.replicas.clone(),
                connect_timeout_secs: c.database.connect_timeout_secs,
            },
            redis: Redis {
                url: c.redis.url.clone(),
                db: c.redis.db,
            },
            auth: Auth {
                jwt_secret: c.auth.jwt_secret.clone(),
                token_ttl_secs: c.auth.token_ttl_secs,
                issuer: c.auth.issuer.clone(),
                allowed_algorithms: c.auth.allowed_algorithms.clone(),
            },
            logging: Logging {
                level: c.logging.level.clone(),
                format: c.logging.format.clone(),
                targets: c.logging.targets.clone(),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The table of contestants on the fixture.

/// The contestants on the fixture, in table order.
pub const CONTESTANTS: [&str; 7] = [
    "hand",
    "ours",
    "figment",
    "config",
    "confique",
    "hand-getenv",
    "ours-exact",
];

/// One full load by `name`; the value is dropped inside (as `black_box`ed) so only loading counts.
pub fn load_once(name: &str) -> Result<(), String> {
    match name {
        "hand" => load_hand().map(drop_opaque),
        "ours" => load_ours_raw().map(drop_opaque).map_err(|e| e.to_string()),
        "figment" => load_figment().map(drop_opaque),
        "config" => load_config().map(drop_opaque),
        "confique" => load_confique_raw().map(drop_opaque),
        "hand-getenv" => load_hand_getenv().map(drop_opaque),
        "ours-exact" => load_ours_exact()
            .map(drop_opaque)
            .map_err(|e| e.to_string()),
        other => Err(format!("unknown contestant {other:?}")),
    }
}

/// One load by `name`, as the canonical JSON dump.
pub fn load_canonical(name: &str) -> Result<String, String> {
    let plain = match name {
        "hand" => load_hand()?,
        "ours" => Plain::from(&load_ours_raw().map_err(|e| e.to_string())?),
        "figment" => load_figment()?,
        "config" => load_config()?,
        "confique" => Plain::from(&load_confique_raw()?),
        "hand-getenv" => load_hand_getenv()?,
        "ours-exact" => Plain::from(&load_ours_exact().map_err(|e| e.to_string())?),
        other => return Err(format!("unknown contestant {other:?}")),
    };
    Ok(plain.canonical_json())
}

fn drop_opaque<T>(value: T) {
    drop(std::hint::black_box(value));
}
