//! HashiCorp Vault (and OpenBao, its API-compatible fork): one KV v2 secret, or leased
//! credentials from a secrets engine (`lease.rs`).
//!
//! Plain HTTP + JSON on `ureq` (KV v2 is one `GET /v1/<mount>/data/<path>`), not a Vault client
//! crate: a fifth of the build time and no async runtime.

mod lease;

use super::entry::{Entry, object_entries};
use super::http::{self, excerpt, is_transient};
use super::options::Common;
use super::provider::common_builders;
use super::runtime::Failure;
use std::sync::Arc;

/// A Vault KV v2 secret as settings: every key of its data is a setting (secret by default).
///
/// The token is the one given with [`token`](Vault::token), else `VAULT_TOKEN`, else the
/// `~/.vault-token` file the CLI's login leaves; an empty address takes `VAULT_ADDR`. Tested
/// against OpenBao (Vault-API compatible).
///
/// ```no_run
/// use settings_core::remote::Vault;
/// use settings_core::{Secret, Settings};
///
/// #[derive(Settings, Debug)]
/// struct App {
///     db_password: Secret<String>,
///     #[settings(default = 5)]
///     pool_size: u32,
/// }
///
/// // `bao kv put secret/app db_password=s3cret pool_size=20`
/// let app = App::loader()
///     .provider(Vault::kv2("http://127.0.0.1:8200", "secret", "app").token("root"))
///     .load()?;
/// assert_eq!(app.pool_size, 20);
/// # Ok::<(), settings_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Vault {
    common: Common,
    addr: String,
    mount: String,
    path: String,
    token: Option<String>,
    namespace: Option<String>,
    version: Option<u64>,
    /// `Vault::dynamic`: the leases of the credentials read, shared by this source's clones
    /// (the one the loads read and the one that renews).
    leases: Option<Arc<lease::Leases>>,
}

impl std::fmt::Debug for Vault {
    /// Without the token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("name", &self.common.name)
            .field("addr", &crate::redact::url_passwords(&self.addr))
            .field("token", &self.token.as_ref().map(|_| "**********"))
            .field("namespace", &self.namespace)
            .field("dynamic", &self.leases.is_some())
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// The KV v2 secret at `path` of the secrets engine mounted at `mount` (`"secret"` in a dev
    /// server), on the server at `addr` (`"https://vault.internal:8200"`; empty: `VAULT_ADDR`).
    /// Origins read `vault <mount>/<path>: <key>`.
    ///
    /// ```no_run
    /// use settings_core::remote::Vault;
    /// let source = Vault::kv2("https://vault.internal:8200", "secret", "prod/billing");
    /// ```
    pub fn kv2(addr: impl Into<String>, mount: impl Into<String>, path: impl Into<String>) -> Self {
        let mount = mount.into().trim_matches('/').to_owned();
        let path = path.into().trim_matches('/').to_owned();
        Vault {
            common: Common::new("vault", &format!("{mount}/{path}")),
            addr: addr.into().trim_end_matches('/').to_owned(),
            mount,
            path,
            token: None,
            namespace: None,
            version: None,
            leases: None,
        }
    }

    /// Leased credentials from a secrets engine: what `GET /v1/<path>` issues
    /// (`"database/creds/app"`: a PostgreSQL role made for this service, AWS keys, ...) on the
    /// server at `addr` (empty: `VAULT_ADDR`). The keys of its `data` merge as settings
    /// (`username`, `password`), all secret; `.nest("db")` puts them under a key. Origins read
    /// `vault <path>: <key>`.
    ///
    /// Under [`Loader::watch`](crate::Loader::watch) the lease is renewed at two thirds of its
    /// duration. When Vault will not renew it further (its maximum TTL reached, a refusal, a
    /// lease revoked behind the program's back), new credentials are read while the old ones
    /// still work, and the settings reload with them: `on_change` sees the new username and
    /// password. A failed renewal or read goes to `on_error`, the last good settings stay, and
    /// it is tried again with a growing pause. When the last `Live` handle drops, the leases
    /// this source holds are revoked (best effort) and its thread ends. A plain `load()` reads
    /// once and leaves the lease to expire.
    ///
    /// With the feature `watch` too:
    ///
    /// ```no_run
    /// # #[cfg(feature = "watch")] {
    /// use settings_core::remote::Vault;
    /// use settings_core::{Secret, Settings};
    ///
    /// #[derive(Settings, Debug)]
    /// struct Db {
    ///     username: Secret<String>,
    ///     password: Secret<String>,
    /// }
    ///
    /// #[derive(Settings, Debug)]
    /// struct App {
    ///     #[settings(nested)]
    ///     db: Db,
    /// }
    ///
    /// let live = App::loader()
    ///     .provider(Vault::dynamic("http://127.0.0.1:8200", "database/creds/app").nest("db"))
    ///     .watch()?;
    /// live.on_change(|_, new| {
    ///     // Reconnect the pool with new.db.username / new.db.password.
    /// });
    /// # }
    /// # Ok::<(), settings_core::Error>(())
    /// ```
    pub fn dynamic(addr: impl Into<String>, path: impl Into<String>) -> Self {
        let path = path.into().trim_matches('/').to_owned();
        Vault {
            common: Common::new("vault", &path),
            addr: addr.into().trim_end_matches('/').to_owned(),
            mount: String::new(),
            path,
            token: None,
            namespace: None,
            version: None,
            leases: Some(Arc::new(lease::Leases::default())),
        }
    }

    /// The token to send (`X-Vault-Token`), instead of `VAULT_TOKEN` or `~/.vault-token`.
    ///
    /// ```no_run
    /// use settings_core::remote::Vault;
    /// let source = Vault::kv2("http://127.0.0.1:8200", "secret", "app").token("s.abc123");
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The Vault Enterprise / HCP namespace (`X-Vault-Namespace`), instead of
    /// `VAULT_NAMESPACE`.
    ///
    /// ```no_run
    /// use settings_core::remote::Vault;
    /// let source = Vault::kv2("https://vault.example:8200", "secret", "app").namespace("admin/team");
    /// ```
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Reads this version of the secret instead of the latest.
    ///
    /// ```no_run
    /// use settings_core::remote::Vault;
    /// let source = Vault::kv2("http://127.0.0.1:8200", "secret", "app").version(3);
    /// ```
    pub fn version(mut self, version: u64) -> Self {
        self.version = Some(version);
        self.common.name = format!("vault {}/{} version {version}", self.mount, self.path);
        self
    }

    /// The address, token and namespace to use: given, or from the environment as the CLI
    /// takes them.
    fn connection(&self) -> Result<Connection, String> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let addr = if self.addr.is_empty() {
            env("VAULT_ADDR")
                .map(|a| a.trim_end_matches('/').to_owned())
                .ok_or("no Vault address: give one to the source or set VAULT_ADDR")?
        } else {
            self.addr.clone()
        };
        let token = self
            .token
            .clone()
            .or_else(|| env("VAULT_TOKEN"))
            .or_else(token_helper_file)
            .ok_or("no Vault token: set VAULT_TOKEN or call .token(..)")?;
        let namespace = self.namespace.clone().or_else(|| env("VAULT_NAMESPACE"));
        Ok(Connection {
            at: super::options::host_port(&addr),
            addr,
            token,
            namespace,
        })
    }

    fn read(&self) -> Result<Vec<Entry>, String> {
        if let Some(leases) = &self.leases {
            return leases.entries(self);
        }
        let conn = self.connection()?;
        let mut url = format!("{}/v1/{}/data/{}", conn.addr, self.mount, self.path);
        if let Some(v) = self.version {
            url.push_str(&format!("?version={v}"));
        }
        let at = &conn.at;
        let secret_path = format!("{}/{}", self.mount, self.path);
        let headers = conn.headers();
        let agent = http::agent();
        let answer = self.common.retry(|left| {
            let a = http::send(
                &agent,
                &url,
                &headers,
                None,
                left,
                self.common.max_size,
                "vault",
            )?;
            match a.status {
                200 => Ok(a),
                403 => Err(Failure::Fatal(format!(
                    "vault at {at} denied access to {secret_path} ({}): check the token and \
                     its policy",
                    excerpt(&a.body)
                ))),
                404 => Err(Failure::Fatal(match self.version {
                    Some(v) => format!("vault at {at} has no version {v} of {secret_path}"),
                    None => format!(
                        "vault at {at} has no secret {secret_path} (is `{}` a KV v2 mount?)",
                        self.mount
                    ),
                })),
                s if is_transient(s) => Err(Failure::Transient(format!(
                    "vault at {at} answered {s} for {secret_path}: {}",
                    excerpt(&a.body)
                ))),
                s => Err(Failure::Fatal(format!(
                    "vault at {at} answered {s} for {secret_path}: {}",
                    excerpt(&a.body)
                ))),
            }
        })?;
        let json: serde_json::Value = serde_json::from_slice(&answer.body).map_err(|e| {
            format!("vault at {at} sent an answer for {secret_path} that is not JSON: {e}")
        })?;
        match json.pointer("/data/data") {
            Some(serde_json::Value::Object(data)) => {
                Ok(object_entries(&self.common, data.clone(), true))
            }
            Some(serde_json::Value::Null) => Err(format!(
                "the secret {secret_path} on vault at {at} is deleted or destroyed in this version"
            )),
            _ => Err(format!(
                "vault at {at} sent no KV v2 data for {secret_path} (is `{}` a KV v2 mount?)",
                self.mount
            )),
        }
    }
}

common_builders!(
    Vault,
    "Vault::kv2(\"http://127.0.0.1:8200\", \"secret\", \"app\")",
    {
        #[cfg(feature = "watch")]
        fn watch(&self, reload: std::sync::mpsc::Sender<()>) -> Option<Box<dyn Send>> {
            let guard = lease::start(self, self.leases.as_ref()?, reload)?;
            Some(Box::new(guard))
        }
    }
);

/// Where and how to reach Vault.
struct Connection {
    addr: String,
    /// `host:port`, for messages.
    at: String,
    token: String,
    namespace: Option<String>,
}

impl Connection {
    fn headers(&self) -> Vec<(&str, &str)> {
        let mut headers = vec![("X-Vault-Token", self.token.as_str())];
        if let Some(ns) = &self.namespace {
            headers.push(("X-Vault-Namespace", ns.as_str()));
        }
        headers
    }
}

/// The token `vault login` / `bao login` leaves in `~/.vault-token`, as the CLI reads it.
fn token_helper_file() -> Option<String> {
    let home = std::env::var_os("HOME")?;
    let text = std::fs::read_to_string(std::path::Path::new(&home).join(".vault-token")).ok()?;
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}
