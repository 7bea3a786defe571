//! The credential chain of an `AzureKeyVault` given no `.credential(..)`: the environment
//! chooses the credentials at load, and the first that gives a token is kept.

use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use azure_core::error::ErrorKind;
use azure_core::http::{ClientOptions, HttpClient, Transport};
use azure_identity::{
    ClientSecretCredential, ClientSecretCredentialOptions, DeveloperToolsCredential,
    ManagedIdentityCredential, ManagedIdentityCredentialOptions, UserAssignedId,
    WorkloadIdentityCredential, WorkloadIdentityCredentialOptions,
};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The credentials tried when none is given, in order, chosen by the environment at load; the
/// first that gives a token is used from then on. As with the other Azure SDKs'
/// `DefaultAzureCredential`, a credential the environment configures (a service principal,
/// workload identity, App Service's managed identity) ends the chain when it fails, so that a
/// misconfigured identity is reported rather than silently replaced by another one; a managed
/// identity that is not there and the developer tools are only tried.
#[derive(Debug)]
pub(super) struct DefaultChain {
    sources: Vec<(&'static str, Source)>,
    chosen: OnceLock<usize>,
}

#[derive(Debug)]
enum Source {
    /// Configured by the environment: its failure ends the chain.
    Configured(Arc<dyn TokenCredential>),
    /// Configured by the environment but not usable (a malformed tenant id): ends the chain.
    Broken(String),
    /// Managed identity on a VM: tried once the instance metadata service has answered.
    Imds {
        options: Box<ManagedIdentityCredentialOptions>,
        probe: Duration,
    },
    /// Tried; its failure passes on to the next.
    Tried(Arc<dyn TokenCredential>),
}

impl DefaultChain {
    pub(super) fn from_env(http_client: &Arc<dyn HttpClient>, timeout: Duration) -> Self {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let client_options = || ClientOptions {
            transport: Some(Transport::new(http_client.clone())),
            ..Default::default()
        };
        fn configured<C: TokenCredential + 'static>(result: azure_core::Result<Arc<C>>) -> Source {
            match result {
                Ok(c) => Source::Configured(c),
                Err(e) => Source::Broken(chain(&e)),
            }
        }
        let (tenant, client_id) = (env("AZURE_TENANT_ID"), env("AZURE_CLIENT_ID"));
        let mut sources = Vec::new();
        if let (Some(tenant), Some(client), Some(secret)) =
            (&tenant, &client_id, env("AZURE_CLIENT_SECRET"))
        {
            let c = ClientSecretCredential::new(
                tenant,
                client.clone(),
                Secret::new(secret),
                Some(ClientSecretCredentialOptions {
                    client_options: client_options(),
                }),
            );
            sources.push(("service principal (AZURE_CLIENT_SECRET)", configured(c)));
        }
        if tenant.is_some() && client_id.is_some() && env("AZURE_FEDERATED_TOKEN_FILE").is_some() {
            let mut options = WorkloadIdentityCredentialOptions::default();
            options.credential_options.client_options = client_options();
            let c = WorkloadIdentityCredential::new(Some(options));
            sources.push((
                "workload identity (AZURE_FEDERATED_TOKEN_FILE)",
                configured(c),
            ));
        }
        let options = ManagedIdentityCredentialOptions {
            user_assigned_id: client_id.clone().map(UserAssignedId::ClientId),
            client_options: client_options(),
        };
        if env("IDENTITY_ENDPOINT").is_some() || env("MSI_ENDPOINT").is_some() {
            let c = ManagedIdentityCredential::new(Some(options));
            sources.push(("managed identity (IDENTITY_ENDPOINT)", configured(c)));
        } else {
            sources.push((
                "managed identity",
                Source::Imds {
                    options: Box::new(options),
                    probe: timeout.min(Duration::from_secs(1)),
                },
            ));
        }
        let tools = match DeveloperToolsCredential::new(None) {
            Ok(c) => Source::Tried(c),
            Err(e) => Source::Broken(chain(&e)),
        };
        sources.push(("developer tools (az, azd)", tools));
        DefaultChain {
            sources,
            chosen: OnceLock::new(),
        }
    }
}

#[async_trait::async_trait]
impl TokenCredential for DefaultChain {
    async fn get_token(
        &self,
        scopes: &[&str],
        options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        // Later tokens from the one that gave the first (a VM's managed identity is probed
        // and made again: the SDK client keeps its token, so that is once per load).
        if let Some(&i) = self.chosen.get()
            && let (_, Source::Configured(c) | Source::Tried(c)) = &self.sources[i]
        {
            return c.get_token(scopes, options).await;
        }
        let fail = |why: String| Err(azure_core::Error::with_message(ErrorKind::Credential, why));
        let mut tried = Vec::new();
        for (i, (name, source)) in self.sources.iter().enumerate() {
            let result = match source {
                Source::Configured(c) => match c.get_token(scopes, options.clone()).await {
                    Err(e) => return fail(format!("{name}: {}", one_line(&chain(&e)))),
                    ok => ok,
                },
                Source::Broken(e) => return fail(format!("{name}: {}", one_line(e))),
                Source::Tried(c) => c.get_token(scopes, options.clone()).await,
                Source::Imds { options: o, probe } => {
                    if !imds_answers(*probe).await {
                        tried.push(format!(
                            "{name}: not on App Service (IDENTITY_ENDPOINT unset) and no Azure \
                             instance metadata service at 169.254.169.254"
                        ));
                        continue;
                    }
                    match ManagedIdentityCredential::new(Some((**o).clone())) {
                        Ok(c) => c.get_token(scopes, options.clone()).await,
                        Err(e) => Err(e),
                    }
                }
            };
            match result {
                Ok(token) => {
                    let _ = self.chosen.set(i);
                    return Ok(token);
                }
                Err(e) => tried.push(format!("{name}: {}", one_line(&chain(&e)))),
            }
        }
        fail(format!(
            "tried {} (give one with .credential(..))",
            tried.join("; ")
        ))
    }
}

/// Whether the Azure instance metadata service is there: it answers a token request without
/// the `Metadata: true` header with 400 (other clouds' metadata services answer otherwise).
async fn imds_answers(within: Duration) -> bool {
    let probe = move || -> std::io::Result<bool> {
        use std::io::{Read as _, Write as _};
        let addr = std::net::SocketAddr::from(([169, 254, 169, 254], 80));
        let mut stream = std::net::TcpStream::connect_timeout(&addr, within)?;
        stream.set_read_timeout(Some(within))?;
        stream.set_write_timeout(Some(within))?;
        stream.write_all(
            b"GET /metadata/identity/oauth2/token?api-version=2018-02-01 HTTP/1.1\r\n\
              Host: 169.254.169.254\r\nConnection: close\r\n\r\n",
        )?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head)?;
        Ok(head.starts_with(b"HTTP/1.") && &head[8..12] == b" 400")
    };
    matches!(tokio::task::spawn_blocking(probe).await, Ok(Ok(true)))
}

/// The SDK's multi-line messages on one line, without its "To troubleshoot, visit …" links.
pub(super) fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("To troubleshoot"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The context the SDK's retry policy puts on the last error when its tries are spent.
pub(super) const RETRIES_SPENT: &str =
    "retry policy expired and the request will no longer be retried";
/// The context it puts on an error it does not retry.
const NOT_RETRIED: &str = "non-transport error occurred which will not be retried";

/// An error and its sources, each shown once, without the SDK's retry-policy remarks.
pub(super) fn chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        let text = err.to_string();
        let remark = text == RETRIES_SPENT || text == NOT_RETRIED;
        if !remark && !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = err.source();
    }
    parts.join(": ")
}
