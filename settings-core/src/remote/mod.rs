//! Remote sources: secret managers and distributed stores, each behind its cargo feature.
//!
//! ```no_run
//! use settings_core::remote::{Etcd, Vault};
//! use settings_core::{Secret, Settings};
//!
//! #[derive(Settings, Debug)]
//! struct App {
//!     #[settings(default = 8000)]
//!     port: u16,
//!     db_password: Secret<String>,
//! }
//!
//! let app = App::loader()
//!     .provider(Etcd::prefix(["http://127.0.0.1:2379"], "/config/app/"))
//!     .provider(Vault::kv2("http://127.0.0.1:8200", "secret", "app"))
//!     .load()?;
//! # Ok::<(), settings_core::Error>(())
//! ```
//!
//! # Details
//!
//! | feature | provider | reads |
//! | --- | --- | --- |
//! | `aws` | [`AwsSecretsManager::secret`] | a JSON secret's keys (or a plain string as one named key) |
//! | `aws` | [`AwsParameterStore::path`] | every parameter under a path, `/` as nesting, SecureString decrypted |
//! | `vault` | [`Vault::kv2`] | a KV v2 secret's keys; token from `VAULT_TOKEN` or given |
//! | `etcd` | [`Etcd::prefix`] | every key under a prefix, `/` as nesting; watched under `Live` |
//! | `gcp` | [`GcpSecretManager::secret`] | a secret's latest (or pinned) version: a JSON payload's keys (or a plain one as one named key) |
//! | `gcp` | [`GcpSecretManager::project`] | every secret of a project (by filter and id prefix), one key each, `__` as nesting |
//! | `azure` | [`AzureKeyVault::vault`] | named secrets of a Key Vault, or all; `--` as nesting |
//!
//! - Each is a `figment::Provider`, added with [`Loader::provider`](crate::Loader::provider):
//!   merged above the config files and below the environment. Keys merge at the top level of
//!   the settings unless `.nest("key")` puts them under a key. Values are text (or JSON) and
//!   are turned into the declared types like environment values.
//! - Every value's origin names the source and the key (`aws secrets manager prod/app:
//!   password`, `etcd /config/app/db/url`, `gcp secret manager
//!   projects/my-project/secrets/app/versions/latest: password`, `azure key vault
//!   myvault.vault.azure.net: db--password`), in reports and errors.
//! - Values from secret managers (Secrets Manager, SecureString parameters, Vault, GCP Secret
//!   Manager, Key Vault) are secret: masked in reports and errors. `.mark_secret(true)` marks any
//!   source's values secret, `.mark_secret(false)` unmarks them.
//! - Every request is bounded: 10 s in all by default (`.timeout(..)`), spent on at most
//!   3 attempts (`.attempts(..)`) with a growing pause between them. A server that accepts and
//!   never answers fails the load when the time is up. Every failure (unreachable, access
//!   denied, a missing secret or path, a value over the size limit, a secret that is not JSON)
//!   is a `Source` issue naming the system and its host:port or secret name; none contains a
//!   secret's value.
//! - `.cache_file(path)` keeps a "last known good" copy: written (mode 0600; it holds the
//!   values in clear) after every successful read, and used when the source fails, with
//!   origins marked `(last known good copy from <path>)`.
//! - `load()` works from a plain `main` and from inside a tokio runtime: no source needs the
//!   caller's runtime (the AWS, GCP and Azure clients run on a private one on a short-lived thread of
//!   their own).

use crate::layer::{Layer, Problems};
use crate::origin::{OriginId, Origins};
use crate::tree::{insert_path, Table};
use figment::value::{Dict, Map, Value as FValue};
use figment::{Metadata, Profile};
use std::any::Any;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[cfg(feature = "aws")]
mod aws;
#[cfg(feature = "azure")]
mod azure;
#[cfg(feature = "etcd")]
mod etcd;
#[cfg(feature = "gcp")]
mod gcp;
#[cfg(any(feature = "vault", feature = "etcd"))]
mod http;
#[cfg(feature = "vault")]
mod vault;

#[cfg(feature = "aws")]
pub use aws::{AwsParameterStore, AwsSecretsManager};
#[cfg(feature = "azure")]
pub use azure::AzureKeyVault;
#[cfg(feature = "etcd")]
pub use etcd::Etcd;
#[cfg(feature = "gcp")]
pub use gcp::GcpSecretManager;
#[cfg(feature = "vault")]
pub use vault::Vault;

/// The total time a remote source may take, retries included, unless `.timeout(..)` says.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times a request is tried, unless `.attempts(..)` says.
pub(crate) const DEFAULT_ATTEMPTS: u32 = 3;
/// The largest answer read from a remote source, unless `.max_size(..)` says: 4 MiB.
pub(crate) const DEFAULT_MAX_SIZE: u64 = 4 * 1024 * 1024;

/// The options every remote source has.
#[derive(Debug, Clone)]
pub(crate) struct Common {
    /// How the source names itself: "vault secret/app", "etcd /config/app/".
    pub(crate) name: String,
    pub(crate) timeout: Duration,
    pub(crate) attempts: u32,
    /// Dotted key to nest every value under.
    pub(crate) nest: Option<String>,
    pub(crate) cache_file: Option<PathBuf>,
    /// Overrides the source's own idea of which values are secret.
    pub(crate) secret: Option<bool>,
    pub(crate) max_size: u64,
}

impl Common {
    pub(crate) fn new(name: String) -> Self {
        Common {
            name,
            timeout: DEFAULT_TIMEOUT,
            attempts: DEFAULT_ATTEMPTS,
            nest: None,
            cache_file: None,
            secret: None,
            max_size: DEFAULT_MAX_SIZE,
        }
    }

    /// The wait before attempt `n + 1` (after `n` failures): 100 ms, 200 ms, 400 ms, … ≤ 2 s.
    pub(crate) fn backoff(n: u32) -> Duration {
        Duration::from_millis(100u64.saturating_mul(1 << n.min(5))).min(Duration::from_secs(2))
    }

    /// Runs `attempt` until it succeeds, fails for good, runs out of attempts or out of time;
    /// each call gets the time left. The error says how many attempts were made in how long.
    #[cfg_attr(not(any(feature = "vault", feature = "etcd")), allow(dead_code))]
    pub(crate) fn retry<T>(
        &self,
        mut attempt: impl FnMut(Duration) -> Result<T, Failure>,
    ) -> Result<T, String> {
        let start = Instant::now();
        let deadline = start + self.timeout;
        let mut tries = 0;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            tries += 1;
            let why = match attempt(left) {
                Ok(value) => return Ok(value),
                Err(Failure::Fatal(why)) => return Err(why),
                Err(Failure::Transient(why)) => why,
            };
            let pause = Self::backoff(tries - 1);
            let left = deadline.saturating_duration_since(Instant::now());
            if tries >= self.attempts.max(1) || left <= pause {
                return Err(format!(
                    "{why} (gave up after {tries} attempt{} in {:.1} s)",
                    if tries == 1 { "" } else { "s" },
                    start.elapsed().as_secs_f64()
                ));
            }
            std::thread::sleep(pause);
        }
    }
}

/// Why an attempt failed: worth another try, or not.
#[cfg_attr(not(any(feature = "vault", feature = "etcd")), allow(dead_code))]
pub(crate) enum Failure {
    /// Unreachable, timed out, a 5xx or 429 answer: another attempt may succeed.
    Transient(String),
    /// Denied, missing, malformed, too large: another attempt would fail the same way.
    Fatal(String),
}

/// One value a remote source read, with its place in the settings and its origin.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The keys from the top of the settings (before `.nest`).
    pub(crate) keys: Vec<String>,
    /// The origin text: "aws secrets manager prod/app: password".
    pub(crate) label: String,
    pub(crate) secret: bool,
    /// Strings are text, turned into the declared type like environment values.
    pub(crate) value: serde_json::Value,
}

/// What a load of a remote source gives.
pub(crate) struct Loaded {
    pub(crate) entries: Vec<Entry>,
}

/// What our remote sources have in common, for the loader (which sees them as `Provider`s and
/// finds them by downcasting) and for `figment::Provider::data`.
pub(crate) trait Remote {
    fn common(&self) -> &Common;
    /// Reads the source now (retries and timeouts included); `Err` is a sentence for an issue.
    fn fetch(&self) -> Result<Vec<Entry>, String>;
}

/// One of our remote sources, if `provider` is one.
pub(crate) fn as_remote(provider: &dyn Any) -> Option<&dyn Remote> {
    #[cfg(feature = "aws")]
    if let Some(p) = provider.downcast_ref::<AwsSecretsManager>() {
        return Some(p);
    }
    #[cfg(feature = "aws")]
    if let Some(p) = provider.downcast_ref::<AwsParameterStore>() {
        return Some(p);
    }
    #[cfg(feature = "vault")]
    if let Some(p) = provider.downcast_ref::<Vault>() {
        return Some(p);
    }
    #[cfg(feature = "etcd")]
    if let Some(p) = provider.downcast_ref::<Etcd>() {
        return Some(p);
    }
    #[cfg(feature = "gcp")]
    if let Some(p) = provider.downcast_ref::<GcpSecretManager>() {
        return Some(p);
    }
    #[cfg(feature = "azure")]
    if let Some(p) = provider.downcast_ref::<AzureKeyVault>() {
        return Some(p);
    }
    None
}

/// Runs a client call to completion on a private current-thread tokio runtime, on a short-lived
/// thread of its own, within `timeout` in all, so that `load()` works from a plain `main` and from
/// inside the caller's runtime alike. `client` names the SDK in messages and in the thread's
/// name; `no_answer` is what to say when the time is up (" within N s" is added).
#[cfg(any(feature = "aws", feature = "gcp", feature = "azure"))]
pub(crate) fn on_private_runtime<T, F, Fut>(
    client: &'static str,
    timeout: Duration,
    no_answer: String,
    make: F,
) -> Result<T, String>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let thread = std::thread::Builder::new()
        .name(format!("settings-{}", client.to_ascii_lowercase()))
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the {client} client's runtime: {e}"))?;
            let result = rt.block_on(async move {
                match tokio::time::timeout(timeout, make()).await {
                    Ok(result) => result,
                    Err(_) => Err(format!("{no_answer} within {:.1} s", timeout.as_secs_f64())),
                }
            });
            // Don't wait for the client's background work (a DNS lookup, a token refresh, an
            // idle connection, a metadata probe).
            rt.shutdown_background();
            result
        })
        .map_err(|e| format!("cannot start the {client} client's thread: {e}"))?;
    thread
        .join()
        .unwrap_or_else(|_| Err(format!("the {client} client panicked")))
}

/// Reads the source; on success refreshes the cache file, on failure falls back to it.
pub(crate) fn load(remote: &dyn Remote) -> Result<Loaded, String> {
    let common = remote.common();
    let nest: Vec<String> = common
        .nest
        .as_deref()
        .map(|n| {
            n.split('.')
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let fixed = |mut entries: Vec<Entry>| {
        for e in &mut entries {
            if let Some(secret) = common.secret {
                e.secret = secret;
            }
            if !nest.is_empty() {
                let mut keys = nest.clone();
                keys.append(&mut e.keys);
                e.keys = keys;
            }
        }
        entries
    };
    match remote.fetch() {
        Ok(entries) => {
            if let Some(path) = &common.cache_file {
                // A cache that cannot be written costs only the fallback; the load goes on.
                let _ = write_cache(path, &common.name, &entries);
            }
            Ok(Loaded {
                entries: fixed(entries),
            })
        }
        Err(why) => {
            let Some(path) = &common.cache_file else {
                return Err(why);
            };
            match read_cache(path, &common.name) {
                Ok(mut entries) => {
                    for e in &mut entries {
                        e.label =
                            format!("{} (last known good copy from {})", e.label, path.display());
                    }
                    Ok(Loaded {
                        entries: fixed(entries),
                    })
                }
                Err(cache_why) => Err(format!(
                    "{why}; the last known good copy {} cannot be used: {cache_why}",
                    path.display()
                )),
            }
        }
    }
}

/// Writes the cache atomically (a temporary file renamed over it), readable by the owner only.
fn write_cache(path: &Path, source: &str, entries: &[Entry]) -> std::io::Result<()> {
    let entries: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "keys": e.keys, "label": e.label, "secret": e.secret, "value": e.value,
            })
        })
        .collect();
    let text = serde_json::to_vec(&serde_json::json!({ "source": source, "entries": entries }))?;
    let mut tmp = path.as_os_str().to_owned();
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tmp.push(format!(".tmp{}-{n}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let result = (|| {
        use std::io::Write as _;
        let mut file = options.open(&tmp)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        file.write_all(&text)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn read_cache(path: &Path, source: &str) -> Result<Vec<Entry>, String> {
    let text = std::fs::read(path).map_err(|e| e.to_string())?;
    let not_cache = || "it is not a cache file of ours".to_owned();
    let cache: serde_json::Value = serde_json::from_slice(&text).map_err(|_| not_cache())?;
    let held = cache["source"].as_str().ok_or_else(not_cache)?;
    if held != source {
        return Err(format!("it holds {held}, not {source}"));
    }
    let entries = cache["entries"].as_array().ok_or_else(not_cache)?;
    entries
        .iter()
        .map(|e| {
            Some(Entry {
                keys: e["keys"]
                    .as_array()?
                    .iter()
                    .map(|k| k.as_str().map(str::to_owned))
                    .collect::<Option<_>>()?,
                label: e["label"].as_str()?.to_owned(),
                secret: e["secret"].as_bool()?,
                value: e.get("value")?.clone(),
            })
        })
        .collect::<Option<_>>()
        .ok_or_else(not_cache)
}

/// A remote source as a layer: one origin per entry, secret as the entry says. A failure is a
/// `Source` problem naming the source.
pub(crate) fn read(
    remote: &dyn Remote,
    origins: &mut Origins,
    convert: &dyn Fn(&FValue, OriginId) -> crate::tree::Value,
) -> Layer {
    let name = &remote.common().name;
    match load(remote) {
        Ok(loaded) => {
            let mut table = Table::new();
            for e in loaded.entries {
                let origin = origins.add(e.label, e.secret);
                let keys: Vec<&str> = e.keys.iter().map(String::as_str).collect();
                insert_path(&mut table, &keys, convert(&to_figment(e.value), origin));
            }
            Layer {
                data: crate::layer::Data::Tables(vec![table]),
                ..Layer::default()
            }
        }
        Err(why) => {
            let mut problems = Problems::default();
            let message = format!("the provider {name} failed: {why}");
            problems.source(format!("provider {name}"), message);
            Layer::failed(problems)
        }
    }
}

/// `figment::Provider::data` for our sources: the entries as one nested dictionary of the
/// default profile.
#[allow(clippy::result_large_err)] // the shape of figment::Provider::data
pub(crate) fn data(remote: &dyn Remote) -> Result<Map<Profile, Dict>, figment::Error> {
    let loaded = load(remote).map_err(figment::Error::from)?;
    let mut dict = Dict::new();
    for e in loaded.entries {
        insert_dict(&mut dict, &e.keys, to_figment(e.value));
    }
    Ok(Profile::Default.collect(dict))
}

/// `figment::Provider::metadata` for our sources: named after the source.
pub(crate) fn metadata(remote: &dyn Remote) -> Metadata {
    Metadata::named(remote.common().name.clone())
}

fn insert_dict(dict: &mut Dict, keys: &[String], value: FValue) {
    let Some((last, parents)) = keys.split_last() else {
        return;
    };
    let mut current = dict;
    for key in parents {
        let slot = current
            .entry(key.clone())
            .or_insert_with(|| FValue::from(Dict::new()));
        if !matches!(slot, FValue::Dict(..)) {
            *slot = FValue::from(Dict::new());
        }
        let FValue::Dict(_, next) = slot else {
            unreachable!("just made a dict")
        };
        current = next;
    }
    current.insert(last.clone(), value);
}

/// JSON into figment values (strings stay strings: text for the loader).
fn to_figment(json: serde_json::Value) -> FValue {
    match json {
        serde_json::Value::Null => {
            FValue::Empty(figment::value::Tag::Default, figment::value::Empty::None)
        }
        serde_json::Value::Bool(b) => FValue::from(b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                FValue::from(i)
            } else if let Some(u) = n.as_u64() {
                FValue::from(u)
            } else {
                FValue::from(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        serde_json::Value::String(s) => FValue::from(s),
        serde_json::Value::Array(items) => {
            FValue::from(items.into_iter().map(to_figment).collect::<Vec<_>>())
        }
        serde_json::Value::Object(map) => FValue::from(
            map.into_iter()
                .map(|(k, v)| (k, to_figment(v)))
                .collect::<Dict>(),
        ),
    }
}

/// `host:port` of a URL, for messages (the whole URL when it has no recognisable authority).
pub(crate) fn host_port(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if authority.is_empty() {
        return url.to_owned();
    }
    if authority.contains(':') && !authority.ends_with(']') {
        authority.to_owned()
    } else if url.starts_with("https://") {
        format!("{authority}:443")
    } else {
        format!("{authority}:80")
    }
}

/// Splits a store's key below its prefix into settings keys: `/` is nesting, empty parts
/// (doubled or trailing slashes) are dropped.
#[cfg_attr(not(any(feature = "aws", feature = "etcd")), allow(dead_code))]
pub(crate) fn split_key(rest: &str) -> Vec<String> {
    rest.split('/')
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The entries of a JSON object's top-level keys, each labelled `"{name}: {key}"`.
#[cfg_attr(
    not(any(feature = "aws", feature = "vault", feature = "gcp")),
    allow(dead_code)
)]
pub(crate) fn object_entries(
    name: &str,
    object: serde_json::Map<String, serde_json::Value>,
    secret: bool,
) -> Vec<Entry> {
    object
        .into_iter()
        .map(|(key, value)| Entry {
            label: format!("{name}: {key}"),
            keys: vec![key],
            secret,
            value,
        })
        .collect()
}

/// The builder methods every remote source has, with their docs.
macro_rules! common_builders {
    ($ty:ident, $new:expr) => {
        impl $ty {
            #[doc = concat!(
                "The total time the source may take, retries included (10 s unless set); past it ",
                "the load fails with a `Source` issue, even when the server accepted the ",
                "connection and never answered.\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".timeout(std::time::Duration::from_secs(3));\n```"
            )]
            pub fn timeout(mut self, total: std::time::Duration) -> Self {
                self.common.timeout = total;
                self
            }

            #[doc = concat!(
                "How many times a request is tried when the server is unreachable, times out or ",
                "answers with a server error (3 unless set; at least 1), with a pause of 100 ms, ",
                "then 200 ms, 400 ms, … between tries, all within the [`timeout`](Self::timeout). ",
                "A denial or a missing secret is not retried.\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".attempts(5);\n```"
            )]
            pub fn attempts(mut self, attempts: u32) -> Self {
                self.common.attempts = attempts.max(1);
                self
            }

            #[doc = concat!(
                "Puts every value under this dotted key instead of at the top of the settings ",
                "(`.nest(\"db\")`: a key `password` sets `db.password`).\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".nest(\"db\");\n```"
            )]
            pub fn nest(mut self, key: impl Into<String>) -> Self {
                self.common.nest = Some(key.into());
                self
            }

            #[doc = concat!(
                "Keeps a \"last known good\" copy in this file: written after every successful ",
                "read (mode 0600: it holds the values in clear, secrets included), and read ",
                "instead when the source fails, so that a restart during an outage starts from ",
                "it. Values read from it carry the origin `<origin> (last known good copy from ",
                "<path>)`. Without a usable copy the failure is a `Source` issue as usual.",
                "\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".cache_file(\"/var/cache/app/settings.json\");\n```"
            )]
            pub fn cache_file(mut self, path: impl AsRef<std::path::Path>) -> Self {
                self.common.cache_file = Some(path.as_ref().to_owned());
                self
            }

            #[doc = concat!(
                "Marks every value of this source secret (masked in reports and errors), or ",
                "none with `false`, whatever the source's own default.\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".mark_secret(true);\n```"
            )]
            pub fn mark_secret(mut self, secret: bool) -> Self {
                self.common.secret = Some(secret);
                self
            }

            #[doc = concat!(
                "The largest answer read from the server, in bytes (4 MiB unless set); a larger ",
                "one is a `Source` issue.\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".max_size(64 * 1024);\n```"
            )]
            pub fn max_size(mut self, bytes: u64) -> Self {
                self.common.max_size = bytes;
                self
            }
        }

        impl crate::remote::Remote for $ty {
            fn common(&self) -> &crate::remote::Common {
                &self.common
            }

            fn fetch(&self) -> Result<Vec<crate::remote::Entry>, String> {
                self.read()
            }
        }

        impl figment::Provider for $ty {
            fn metadata(&self) -> figment::Metadata {
                crate::remote::metadata(self)
            }

            fn data(
                &self,
            ) -> Result<figment::value::Map<figment::Profile, figment::value::Dict>, figment::Error>
            {
                crate::remote::data(self)
            }
        }
    };
}
pub(crate) use common_builders;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(Common::backoff(0), Duration::from_millis(100));
        assert_eq!(Common::backoff(1), Duration::from_millis(200));
        assert_eq!(Common::backoff(10), Duration::from_secs(2));
    }

    #[test]
    fn retry_stops_on_a_fatal_failure_and_counts_attempts() {
        let common = Common::new("test".into());
        let mut calls = 0;
        let err = common
            .retry::<()>(|_| {
                calls += 1;
                Err(Failure::Fatal("denied".into()))
            })
            .unwrap_err();
        assert_eq!((calls, err.as_str()), (1, "denied"));
        let mut calls = 0;
        let err = common
            .retry::<()>(|_| {
                calls += 1;
                Err(Failure::Transient("refused".into()))
            })
            .unwrap_err();
        assert_eq!(calls, 3);
        assert!(
            err.starts_with("refused (gave up after 3 attempts in "),
            "{err}"
        );
    }

    #[test]
    fn host_port_of_urls() {
        assert_eq!(host_port("http://127.0.0.1:2379"), "127.0.0.1:2379");
        assert_eq!(host_port("https://vault.example/v1/x"), "vault.example:443");
        assert_eq!(host_port("http://u:p@h:1/x"), "h:1");
        assert_eq!(host_port("http://h"), "h:80");
    }

    #[test]
    fn keys_split_on_slashes() {
        assert_eq!(split_key("db/url"), ["db", "url"]);
        assert_eq!(split_key("/db//url/"), ["db", "url"]);
    }

    #[test]
    fn the_cache_round_trips_with_owner_only_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        let entries = vec![Entry {
            keys: vec!["a".into()],
            label: "x: a".into(),
            secret: true,
            value: serde_json::json!("v"),
        }];
        write_cache(&path, "src", &entries).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let back = read_cache(&path, "src").unwrap();
        assert_eq!(back[0].value, serde_json::json!("v"));
        assert!(read_cache(&path, "other")
            .unwrap_err()
            .contains("not other"));
    }
}
