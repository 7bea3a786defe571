//! HashiCorp Vault (and OpenBao, its API-compatible fork): one KV v2 secret.
//!
//! Plain HTTP + JSON on `ureq` (KV v2 is one `GET /v1/<mount>/data/<path>`), not a Vault client
//! crate: a fifth of the build time and no async runtime.

use super::entry::{Entry, object_entries};
use super::http::{self, excerpt, is_transient};
use super::options::Common;
use super::provider::common_builders;
use super::runtime::Failure;

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
#[derive(Debug, Clone)]
pub struct Vault {
    common: Common,
    addr: String,
    mount: String,
    path: String,
    token: Option<String>,
    namespace: Option<String>,
    version: Option<u64>,
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

    fn read(&self) -> Result<Vec<Entry>, String> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let addr = if self.addr.is_empty() {
            env("VAULT_ADDR")
                .map(|a| a.trim_end_matches('/').to_owned())
                .ok_or("no Vault address: give one to Vault::kv2 or set VAULT_ADDR")?
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
        let mut url = format!("{addr}/v1/{}/data/{}", self.mount, self.path);
        if let Some(v) = self.version {
            url.push_str(&format!("?version={v}"));
        }
        let at = super::options::host_port(&addr);
        let secret_path = format!("{}/{}", self.mount, self.path);
        let mut headers = vec![("X-Vault-Token", token.as_str())];
        if let Some(ns) = &namespace {
            headers.push(("X-Vault-Namespace", ns.as_str()));
        }
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
    "Vault::kv2(\"http://127.0.0.1:8200\", \"secret\", \"app\")"
);

/// The token `vault login` / `bao login` leaves in `~/.vault-token`, as the CLI reads it.
fn token_helper_file() -> Option<String> {
    let home = std::env::var_os("HOME")?;
    let text = std::fs::read_to_string(std::path::Path::new(&home).join(".vault-token")).ok()?;
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}
