//! Azure Key Vault secrets, on the official Azure SDK for Rust (`azure_security_keyvault_secrets`
//! and `azure_identity`).
//!
//! The SDK is async; `figment::Provider::data` is not. Each read runs on a private tokio
//! current-thread runtime on a short-lived thread of its own (as the AWS sources do), so a load
//! works from a plain `main` and from inside a tokio runtime alike. Requests go through a
//! `reqwest` client of our own (rustls, the system's roots, a bounded connect time, no
//! redirects) unless [`AzureKeyVault::http_client`] gives one, and only to the vault's own host
//! and port (a `nextLink` elsewhere is not followed, so the token goes nowhere else).

use super::entry::Entry;
use super::options::Common;
use super::options::host_port;
use super::provider::common_builders;
use super::runtime::on_private_runtime;
use azure_core::credentials::TokenCredential;
use azure_core::error::ErrorKind;
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::{
    ClientOptions, Context, ExponentialRetryOptions, HttpClient, Request, RetryOptions, StatusCode,
    Transport, Url,
};
use azure_security_keyvault_secrets::{ResourceExt as _, SecretClient, SecretClientOptions};
use futures_util::{StreamExt as _, TryStreamExt as _};
use std::sync::Arc;
use std::time::Duration;

mod credential;

use self::credential::{DefaultChain, RETRIES_SPENT, chain, one_line};

/// How many secrets are read at a time when there are several.
const CONCURRENT_READS: usize = 8;

/// Secrets of an Azure Key Vault as settings: the ones named with
/// [`secret`](AzureKeyVault::secret), or every enabled secret of the vault when none is named
/// (all pages of the listing read; disabled secrets skipped). Read that way, every secret of
/// the vault is a setting: one the struct does not declare is an unknown key, as in a file, so
/// a vault shared with other apps is better read by name.
///
/// A Key Vault secret name holds only letters, digits and `-`, so `--` stands for nesting, as in
/// ASP.NET Core's Key Vault configuration provider: the secret `db--password` sets
/// `db.password`, `app--db--url` sets `app.db.url`. A single `-` stays as it is (ASP.NET keeps
/// it too): the secret `pool-size` sets the key `pool-size`, which a field takes with
/// `#[settings(rename = "pool-size")]` (an unknown `pool-size` gets a "did you mean
/// `pool_size`?" issue). Names are kept in the case they were created in.
///
/// Values are secret (masked in reports and errors), with the origin
/// `azure key vault <vault host>: <secret name>`; they are text, turned into the declared types
/// like environment values.
///
/// Without [`credential`](AzureKeyVault::credential), the token comes from the first of these
/// that the environment offers (looked at when loading, in this order); as with the other Azure
/// SDKs' `DefaultAzureCredential`, one that the environment configures (1, 2, or 3 on App
/// Service) and that fails ends the search, with its error, rather than another identity being
/// used instead:
///
/// 1. a service principal: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET` set;
/// 2. workload identity (AKS and other federated tokens): `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`
///    and `AZURE_FEDERATED_TOKEN_FILE` set;
/// 3. managed identity: on App Service and Functions (`IDENTITY_ENDPOINT` set), or on a VM,
///    VM scale set or Container Instance when the Azure instance metadata service answers at
///    169.254.169.254 within a second (a user-assigned identity when `AZURE_CLIENT_ID` is set);
/// 4. developer tools: the Azure CLI (`az login`), then the Azure Developer CLI (`azd auth
///    login`).
///
/// ```no_run
/// use settings_core::remote::AzureKeyVault;
/// use settings_core::{Secret, Settings};
///
/// #[derive(Settings, Debug)]
/// struct Db {
///     url: String,
///     password: Secret<String>,
/// }
///
/// #[derive(Settings, Debug)]
/// struct App {
///     #[settings(default = 8000)]
///     port: u16,
///     #[settings(nested)]
///     db: Db,
/// }
///
/// // Secrets `db--url` and `db--password` in the vault `myvault`.
/// let app = App::loader()
///     .provider(AzureKeyVault::vault("https://myvault.vault.azure.net")
///         .secrets(["db--url", "db--password"]))
///     .load()?;
/// # Ok::<(), settings_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AzureKeyVault {
    common: Common,
    /// The vault's URL, `https://<name>.vault.azure.net` (as normalised by `vault`).
    url: String,
    names: Vec<String>,
    credential: Option<Arc<dyn TokenCredential>>,
    http_client: Option<Arc<dyn HttpClient>>,
}

impl AzureKeyVault {
    /// The vault at this URL (`"https://myvault.vault.azure.net"`; a bare host
    /// `"myvault.vault.azure.net"` or a bare vault name `"myvault"` in the public cloud mean
    /// the same). Origins read `azure key vault myvault.vault.azure.net: <secret name>`.
    ///
    /// ```no_run
    /// use settings_core::remote::AzureKeyVault;
    /// let source = AzureKeyVault::vault("https://myvault.vault.azure.net");
    /// ```
    pub fn vault(url: impl Into<String>) -> Self {
        let url = normalise_url(url.into());
        AzureKeyVault {
            common: Common::new("azure key vault", &vault_host(&url)),
            url,
            names: Vec::new(),
            credential: None,
            http_client: None,
        }
    }

    /// Reads this secret (its latest version); repeat it for more. Without any, every enabled
    /// secret of the vault is read (which needs the `list` permission as well as `get`).
    ///
    /// ```no_run
    /// use settings_core::remote::AzureKeyVault;
    /// let source = AzureKeyVault::vault("https://myvault.vault.azure.net")
    ///     .secret("db--password")
    ///     .secret("api-token");
    /// ```
    pub fn secret(mut self, name: impl Into<String>) -> Self {
        self.names.push(name.into());
        self
    }

    /// Reads these secrets, as [`secret`](AzureKeyVault::secret) does one.
    ///
    /// ```no_run
    /// use settings_core::remote::AzureKeyVault;
    /// let source = AzureKeyVault::vault("myvault").secrets(["db--url", "db--password"]);
    /// ```
    pub fn secrets<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.names.extend(names.into_iter().map(Into::into));
        self
    }

    /// The credential that gets the token, instead of the chain described on
    /// [`AzureKeyVault`]: any `azure_identity` 1.x credential (a `ClientSecretCredential`, a
    /// `ManagedIdentityCredential` for a given identity, …) or your own
    /// `azure_core::credentials::TokenCredential`.
    ///
    /// ```no_run
    /// use settings_core::remote::AzureKeyVault;
    /// let credential = azure_identity::ManagedIdentityCredential::new(None)?;
    /// let source = AzureKeyVault::vault("myvault").credential(credential);
    /// # Ok::<(), azure_core::Error>(())
    /// ```
    pub fn credential(mut self, credential: Arc<dyn TokenCredential>) -> Self {
        self.credential = Some(credential);
        self
    }

    /// The HTTP client that requests (to the vault, and for tokens) go through, instead of one
    /// made at each load: a `reqwest` 0.13 client with a proxy, a private certificate
    /// authority, or addresses of its own (`azure_core` implements `HttpClient` for it). The
    /// [`timeout`](AzureKeyVault::timeout) bounds the load whatever the client's own timeouts.
    ///
    /// ```no_run
    /// use settings_core::remote::AzureKeyVault;
    /// use std::sync::Arc;
    /// let client = reqwest::Client::builder()
    ///     .proxy(reqwest::Proxy::https("http://proxy.internal:3128")?)
    ///     .build()?;
    /// let source = AzureKeyVault::vault("myvault").http_client(Arc::new(client));
    /// # Ok::<(), reqwest::Error>(())
    /// ```
    pub fn http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http_client = Some(client);
        self
    }

    fn read(&self) -> Result<Vec<Entry>, String> {
        let at = host_port(&self.url);
        let url = Url::parse(&self.url)
            .map_err(|e| format!("the vault URL {} is not a URL: {e}", self.url))?;
        if url.scheme() != "https" {
            return Err(format!(
                "the vault URL {} is not https:// (Key Vault takes tokens over TLS only)",
                self.url
            ));
        }
        if let Some(bad) = self.names.iter().find(|n| !is_secret_name(n)) {
            return Err(format!(
                "`{bad}` is not a Key Vault secret name (1 to 127 letters, digits and -)"
            ));
        }
        let timeout = self.common.timeout;
        let attempts = self.common.attempts.max(1);
        let names = self.names.clone();
        let vault = self.url.clone();
        let credential = self.credential.clone();
        let http_client = self.http_client.clone();
        let max = self.common.max_size;
        let place = Place {
            at: at.clone(),
            attempts,
        };
        let secrets = on_private_runtime(
            "Azure",
            timeout,
            format!("no answer from azure key vault at {at}"),
            move || async move {
                let at = &place.at;
                let http_client = match http_client {
                    Some(client) => client,
                    None => default_http_client(timeout)?,
                };
                let client_options = ClientOptions {
                    retry: RetryOptions::exponential(ExponentialRetryOptions {
                        initial_delay: azure_core::time::Duration::milliseconds(100),
                        max_retries: attempts - 1,
                        max_total_elapsed: azure_core::time::Duration::try_from(timeout)
                            .unwrap_or(azure_core::time::Duration::MAX),
                        max_delay: azure_core::time::Duration::seconds(2),
                    }),
                    transport: Some(Transport::new(http_client.clone())),
                    per_call_policies: vec![Arc::new(SameVault(url))],
                    ..Default::default()
                };
                let credential = match credential {
                    Some(c) => c,
                    None => Arc::new(DefaultChain::from_env(&http_client, timeout)),
                };
                let options = SecretClientOptions {
                    client_options,
                    ..Default::default()
                };
                let client = SecretClient::new(&vault, credential, Some(options)).map_err(|e| {
                    format!("cannot make a Key Vault client for {vault}: {}", chain(&e))
                })?;
                let names = if names.is_empty() {
                    list_names(&client, &place).await?
                } else {
                    names
                };
                let client = &client;
                let place = &place;
                let secrets: Vec<(String, String)> = futures_util::stream::iter(names)
                    .map(|name| async move {
                        let secret = client
                            .get_secret(&name, None)
                            .await
                            .map_err(|e| sdk_error(&e, place, Step::Get(&name)))?
                            .into_model()
                            .map_err(|e| sdk_error(&e, place, Step::Get(&name)))?;
                        Ok::<_, String>((name, secret.value.unwrap_or_default()))
                    })
                    .buffered(CONCURRENT_READS)
                    .try_collect()
                    .await?;
                let total: u64 = secrets
                    .iter()
                    .map(|(n, v)| (n.len() + v.len()) as u64)
                    .sum();
                if total > max {
                    return Err(format!(
                        "the secrets of azure key vault at {at} are larger than the limit of {max} \
                     bytes (raise it with .max_size(..))"
                    ));
                }
                Ok(secrets)
            },
        )?;
        Ok(secrets
            .into_iter()
            .filter_map(|(name, value)| {
                let keys = secret_keys(&name);
                (!keys.is_empty()).then(|| Entry {
                    keys,
                    origin: self.common.origin_of_key(&name),
                    secret: true,
                    value: serde_json::Value::String(value),
                })
            })
            .collect())
    }
}

common_builders!(
    AzureKeyVault,
    "AzureKeyVault::vault(\"https://myvault.vault.azure.net\")"
);

/// The names of every enabled secret of the vault, all pages read.
async fn list_names(client: &SecretClient, place: &Place) -> Result<Vec<String>, String> {
    let mut pager = client
        .list_secret_properties(None)
        .map_err(|e| sdk_error(&e, place, Step::List))?;
    let mut names = Vec::new();
    while let Some(properties) = pager
        .try_next()
        .await
        .map_err(|e| sdk_error(&e, place, Step::List))?
    {
        if properties.attributes.as_ref().and_then(|a| a.enabled) == Some(false) {
            continue;
        }
        let id = properties
            .resource_id()
            .map_err(|e| sdk_error(&e, place, Step::List))?;
        names.push(id.name);
    }
    Ok(names)
}

/// `https://` added to a bare host, `.vault.azure.net` to a bare vault name; no trailing `/`.
fn normalise_url(url: String) -> String {
    let url = url.trim();
    let url = if url.contains("://") {
        url.to_owned()
    } else if url.contains('.') || url.contains(':') {
        format!("https://{url}")
    } else {
        format!("https://{url}.vault.azure.net")
    };
    url.trim_end_matches('/').to_owned()
}

/// The vault's host, and its port when the URL gives one that is not 443: for origins.
fn vault_host(url: &str) -> String {
    match Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => url.to_owned(),
        },
        Err(_) => url.to_owned(),
    }
}

/// Key Vault's rule for secret names: 1 to 127 characters, ASCII letters, digits and `-`.
fn is_secret_name(name: &str) -> bool {
    (1..=127).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The settings keys of a secret name: `--` is nesting, empty parts dropped.
fn secret_keys(name: &str) -> Vec<String> {
    name.split("--")
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Refuses a request to another host or port than the vault's (a `nextLink` that points
/// elsewhere) before the token is put on it.
#[derive(Debug)]
struct SameVault(Url);

#[async_trait::async_trait]
impl Policy for SameVault {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let (vault, to) = (&self.0, request.url());
        if to.host_str() != vault.host_str()
            || to.port_or_known_default() != vault.port_or_known_default()
        {
            return Err(azure_core::Error::with_message(
                ErrorKind::Other,
                format!(
                    "the vault sent a link to another host ({}), not followed",
                    host_port(to.as_str())
                ),
            ));
        }
        next[0].send(ctx, request, &next[1..]).await
    }
}

/// Our HTTP client: rustls with the system's roots, a bounded connect time, no redirects (a
/// token must not follow one to another host).
fn default_http_client(timeout: Duration) -> Result<Arc<dyn HttpClient>, String> {
    let client = reqwest::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(3)))
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("settings-core/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot make the HTTP client for Azure: {}", chain(&e)))?;
    Ok(Arc::new(client))
}

/// What a failed request was doing, for its message.
#[derive(Clone, Copy)]
enum Step<'a> {
    List,
    Get(&'a str),
}

/// Where requests go and how often they are tried, for messages.
struct Place {
    /// `host:port` of the vault.
    at: String,
    attempts: u32,
}

/// An SDK error in one line, naming the vault and the secret, never a secret's value: the
/// service's status, code and message; the cause of a transport or credential failure.
fn sdk_error(e: &azure_core::Error, place: &Place, step: Step<'_>) -> String {
    let at = &place.at;
    let what = match step {
        Step::List => "listing the secrets".to_owned(),
        Step::Get(name) => format!("the secret {name}"),
    };
    let text = match e.kind() {
        ErrorKind::HttpResponse {
            status, error_code, ..
        } => {
            let code = error_code.as_deref().unwrap_or("");
            let message = e.to_string();
            let detail = match (code.is_empty(), message.is_empty() || message == code) {
                (true, true) => String::new(),
                (true, false) => format!(": {message}"),
                (false, true) => format!(": {code}"),
                (false, false) => format!(": {code}: {message}"),
            };
            let n = u16::from(*status);
            match (*status, &step) {
                (StatusCode::NotFound, Step::Get(name)) => {
                    format!("azure key vault at {at} has no secret {name} (404{detail})")
                }
                (StatusCode::Unauthorized, _) => format!(
                    "azure key vault at {at} refused the token for {what} (401{detail}): check \
                     the credential's tenant"
                ),
                (StatusCode::Forbidden, _) => format!(
                    "azure key vault at {at} denied {what} (403{detail}): the identity needs the \
                     role Key Vault Secrets User (or an access policy allowing get{})",
                    if matches!(step, Step::List) {
                        " and list"
                    } else {
                        ""
                    }
                ),
                _ => format!("azure key vault at {at} answered {n} for {what}{detail}"),
            }
        }
        ErrorKind::Credential => format!("no Azure credential gave a token: {}", chain(e)),
        ErrorKind::Io | ErrorKind::Connection => {
            let why = chain(e);
            if e.to_string().starts_with(RETRIES_SPENT) {
                // Say how many tries that was rather than the SDK's words for it.
                format!(
                    "cannot reach azure key vault at {at}: {why} (gave up after {} attempt{})",
                    place.attempts,
                    if place.attempts == 1 { "" } else { "s" }
                )
            } else {
                format!("cannot reach azure key vault at {at}: {why}")
            }
        }
        // A secret's answer that cannot be read: the parser's message may quote the body.
        ErrorKind::DataConversion if matches!(step, Step::Get(_)) => format!(
            "azure key vault at {at} sent an answer for {what} that is not a Key Vault secret"
        ),
        _ => format!("azure key vault at {at}, {what}: {}", chain(e)),
    };
    let text = one_line(&text);
    let mut out: String = text.chars().take(800).collect();
    if text.chars().count() > 800 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_dashes_nest_and_single_dashes_stay() {
        assert_eq!(secret_keys("db--password"), ["db", "password"]);
        assert_eq!(secret_keys("app--db--url"), ["app", "db", "url"]);
        assert_eq!(secret_keys("pool-size"), ["pool-size"]);
        assert_eq!(secret_keys("a----b--"), ["a", "b"]);
        assert!(secret_keys("--").is_empty());
    }

    #[test]
    fn vault_urls_are_normalised() {
        assert_eq!(
            normalise_url("myvault".into()),
            "https://myvault.vault.azure.net"
        );
        assert_eq!(
            normalise_url("myvault.vault.azure.cn/".into()),
            "https://myvault.vault.azure.cn"
        );
        assert_eq!(
            normalise_url("https://v.vault.azure.net:8443/".into()),
            "https://v.vault.azure.net:8443"
        );
        assert_eq!(vault_host("https://v.vault.azure.net"), "v.vault.azure.net");
        assert_eq!(
            vault_host("https://v.vault.azure.net:8443"),
            "v.vault.azure.net:8443"
        );
    }

    #[test]
    fn secret_names_follow_key_vault_rules() {
        assert!(is_secret_name("db--password"));
        assert!(is_secret_name("A1-b"));
        assert!(!is_secret_name(""));
        assert!(!is_secret_name("db_password"));
        assert!(!is_secret_name("db/password"));
        assert!(!is_secret_name(&"x".repeat(128)));
    }

    #[test]
    fn a_bad_url_or_name_is_an_error_before_any_request() {
        let err = AzureKeyVault::vault("http://127.0.0.1:1")
            .read()
            .unwrap_err();
        assert!(err.contains("not https://"), "{err}");
        let err = AzureKeyVault::vault("myvault")
            .secret("db_password")
            .read()
            .unwrap_err();
        assert!(
            err.contains("`db_password` is not a Key Vault secret name"),
            "{err}"
        );
    }
}
