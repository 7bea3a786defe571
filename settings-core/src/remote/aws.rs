//! AWS Secrets Manager and SSM Parameter Store, on the official AWS SDK for Rust.
//!
//! The SDK is async; `figment::Provider::data` is not. Each read runs on a private tokio
//! current-thread runtime on a short-lived thread of its own, so a load works from a plain
//! `main` and from inside a tokio runtime alike (no nested `block_on`, no runtime thread used).
//! Region, endpoint (`AWS_ENDPOINT_URL`) and credentials come from the standard chain
//! (environment, profile files, web identity / IRSA on EKS, ECS, IMDS) unless given
//! (`.region`, `.endpoint_url`, `.static_credentials`). The SDK
//! needs Rust 1.94 or later.

use super::entry::{Entry, json_kind, object_entries, split_key};
use super::options::Common;
use super::options::host_port;
use super::provider::common_builders;
use super::runtime::on_private_runtime;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_secretsmanager::config::http::HttpResponse;
use aws_sdk_secretsmanager::error::{ProvideErrorMetadata, SdkError};
use std::time::Duration;

/// Where to find AWS and how to sign: region, endpoint and keys, when not from the standard
/// chain. (The SDK's `Credentials` redact the secret key in `Debug`.)
#[derive(Debug, Clone, Default)]
struct Aws {
    region: Option<String>,
    endpoint: Option<String>,
    credentials: Option<aws_sdk_secretsmanager::config::Credentials>,
}

/// A secret of AWS Secrets Manager as settings: the keys of a JSON secret merge as settings,
/// each secret (masked in reports and errors) with the origin `aws secrets manager <name>:
/// <key>`; a plain-string secret becomes one named key with
/// [`single_key`](AwsSecretsManager::single_key).
///
/// ```no_run
/// use settings_core::remote::AwsSecretsManager;
/// use settings_core::{Secret, Settings};
///
/// #[derive(Settings, Debug)]
/// struct Db {
///     host: String,
///     #[settings(default = 5432)]
///     port: u16,
///     password: Secret<String>,
/// }
///
/// #[derive(Settings, Debug)]
/// struct App {
///     #[settings(nested)]
///     db: Db,
/// }
///
/// // The secret "prod/app/db" holds {"host": "db.internal", "port": "6432", "password": "…"}.
/// let app = App::loader()
///     .provider(AwsSecretsManager::secret("prod/app/db").nest("db"))
///     .load()?;
/// assert_eq!(app.db.port, 6432);
/// # Ok::<(), settings_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AwsSecretsManager {
    common: Common,
    aws: Aws,
    secret_id: String,
    stage: Option<String>,
    single_key: Option<String>,
}

impl AwsSecretsManager {
    /// The secret with this name or ARN (its `AWSCURRENT` version unless
    /// [`version_stage`](AwsSecretsManager::version_stage) says).
    ///
    /// ```no_run
    /// use settings_core::remote::AwsSecretsManager;
    /// let source = AwsSecretsManager::secret("prod/app");
    /// ```
    pub fn secret(name: impl Into<String>) -> Self {
        let secret_id = name.into();
        AwsSecretsManager {
            common: Common::new("aws secrets manager", &secret_id),
            aws: Aws::default(),
            secret_id,
            stage: None,
            single_key: None,
        }
    }

    /// Reads the version with this staging label (`"AWSPREVIOUS"`, `"AWSPENDING"`, or your own)
    /// instead of `AWSCURRENT`.
    ///
    /// ```no_run
    /// use settings_core::remote::AwsSecretsManager;
    /// let source = AwsSecretsManager::secret("prod/app").version_stage("AWSPREVIOUS");
    /// ```
    pub fn version_stage(mut self, stage: impl Into<String>) -> Self {
        let stage = stage.into();
        self.common.name = format!("aws secrets manager {} ({stage})", self.secret_id);
        self.stage = Some(stage);
        self
    }

    /// Reads the whole secret as the value of this one key, instead of a JSON object whose keys
    /// are settings: for a plain-string secret (a password, a token).
    ///
    /// ```no_run
    /// use settings_core::remote::AwsSecretsManager;
    /// let source = AwsSecretsManager::secret("prod/app/api-token").single_key("api_token");
    /// ```
    pub fn single_key(mut self, key: impl Into<String>) -> Self {
        self.single_key = Some(key.into());
        self
    }

    fn read(&self) -> Result<Vec<Entry>, String> {
        let common = self.common.clone();
        let aws = self.aws.clone();
        let secret_id = self.secret_id.clone();
        let stage = self.stage.clone();
        let where_ = place(&aws);
        let raw = on_private_runtime(
            "AWS",
            self.common.timeout,
            format!("no answer from AWS{where_}"),
            move || async move {
                let sdk = sdk_config(&common, &aws).await?;
                let client = aws_sdk_secretsmanager::Client::new(&sdk);
                let out = client
                    .get_secret_value()
                    .secret_id(&secret_id)
                    .set_version_stage(stage)
                    .send()
                    .await
                    .map_err(|e| match e.code() {
                        Some("ResourceNotFoundException") => format!(
                            "there is no secret {secret_id} ({})",
                            sdk_error(&e, &place(&aws))
                        ),
                        _ => sdk_error(&e, &place(&aws)),
                    })?;
                if let Some(s) = out.secret_string() {
                    Ok(s.as_bytes().to_vec())
                } else if let Some(b) = out.secret_binary() {
                    Ok(b.as_ref().to_vec())
                } else {
                    Err(format!("the secret {secret_id} has no value"))
                }
            },
        )?;
        if raw.len() as u64 > self.common.max_size {
            return Err(format!(
                "the secret {} is larger than the limit of {} bytes (raise it with .max_size(..))",
                self.secret_id, self.common.max_size
            ));
        }
        if let Some(key) = &self.single_key {
            let text = String::from_utf8(raw)
                .map_err(|_| format!("the secret {} is not UTF-8 text", self.secret_id))?;
            return Ok(vec![Entry {
                keys: vec![key.clone()],
                origin: self.common.origin_of_key(key),
                secret: true,
                value: serde_json::Value::String(text),
            }]);
        }
        // serde_json's message gives a position, never the text.
        match serde_json::from_slice::<serde_json::Value>(&raw) {
            Ok(serde_json::Value::Object(map)) => Ok(object_entries(&self.common, map, true)),
            Ok(other) => Err(format!(
                "the secret {} is JSON but not an object of keys (it is {}); read it as one \
                 value with .single_key(\"name\")",
                self.secret_id,
                json_kind(&other)
            )),
            Err(e) => Err(format!(
                "the secret {} is not JSON ({e}); read a plain-string secret as one value with \
                 .single_key(\"name\")",
                self.secret_id
            )),
        }
    }
}

/// The builder methods both AWS sources share: region, endpoint and keys over the standard
/// chain, with `$new` (the source's constructor) in their examples.
macro_rules! aws_builders {
    ($ty:ident, $new:expr) => {
        impl $ty {
            #[doc = concat!(
                "The AWS region, instead of the one the environment gives (`AWS_REGION`, the ",
                "profile).\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".region(\"eu-west-1\");\n```"
            )]
            pub fn region(mut self, region: impl Into<String>) -> Self {
                self.aws.region = Some(region.into());
                self
            }

            #[doc = concat!(
                "The endpoint, instead of AWS's own or `AWS_ENDPOINT_URL` (a VPC endpoint, ",
                "LocalStack, moto).\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".endpoint_url(\"http://127.0.0.1:5000\");\n```"
            )]
            pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
                self.aws.endpoint = Some(url.into());
                self
            }

            #[doc = concat!(
                "Signs with this access key instead of the standard credential chain ",
                "(environment, profile files, IRSA, ECS, instance roles): for an emulator in ",
                "tests, or keys a program gets elsewhere. The secret key shows in no `Debug`, ",
                "error or report.\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, "\n    .endpoint_url(\"http://127.0.0.1:5000\")\n",
                "    .region(\"us-east-1\")\n    .static_credentials(\"testing\", \"testing\");\n```"
            )]
            pub fn static_credentials(
                mut self,
                access_key_id: impl Into<String>,
                secret_access_key: impl Into<String>,
            ) -> Self {
                self.aws.credentials = Some(aws_sdk_secretsmanager::config::Credentials::new(
                    access_key_id,
                    secret_access_key,
                    None,
                    None,
                    "settings_core static credentials",
                ));
                self
            }
        }
    };
}

aws_builders!(AwsSecretsManager, "AwsSecretsManager::secret(\"prod/app\")");
common_builders!(AwsSecretsManager, "AwsSecretsManager::secret(\"prod/app\")");

/// Every parameter under a path of AWS SSM Parameter Store as settings, `/` becoming nesting
/// (`/prod/app/db/url` under `/prod/app/` sets `db.url`): recursive, all pages read,
/// SecureString parameters decrypted and secret (masked in reports and errors); origins read
/// `aws parameter store <name>`.
///
/// ```no_run
/// use settings_core::remote::AwsParameterStore;
/// use settings_core::Settings;
///
/// #[derive(Settings, Debug)]
/// struct Db {
///     url: String,
///     password: settings_core::Secret<String>,
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
/// // /prod/app/port (String), /prod/app/db/url (String), /prod/app/db/password (SecureString)
/// let app = App::loader()
///     .provider(AwsParameterStore::path("/prod/app/"))
///     .load()?;
/// # Ok::<(), settings_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AwsParameterStore {
    common: Common,
    aws: Aws,
    path: String,
    recursive: bool,
}

impl AwsParameterStore {
    /// Every parameter under this path (`"/prod/app/"`), at any depth.
    ///
    /// ```no_run
    /// use settings_core::remote::AwsParameterStore;
    /// let source = AwsParameterStore::path("/prod/app/");
    /// ```
    pub fn path(path: impl Into<String>) -> Self {
        let path = path.into();
        AwsParameterStore {
            common: Common::new("aws parameter store", &path),
            aws: Aws::default(),
            path,
            recursive: true,
        }
    }

    /// Reads only the parameters directly under the path (`false`), not those deeper.
    ///
    /// ```no_run
    /// use settings_core::remote::AwsParameterStore;
    /// let source = AwsParameterStore::path("/prod/app/").recursive(false);
    /// ```
    pub fn recursive(mut self, recursive: bool) -> Self {
        self.recursive = recursive;
        self
    }

    fn read(&self) -> Result<Vec<Entry>, String> {
        let common = self.common.clone();
        let aws = self.aws.clone();
        let trimmed = self.path.trim_end_matches('/');
        let query = if trimmed.is_empty() { "/" } else { trimmed }.to_owned();
        let recursive = self.recursive;
        let max = self.common.max_size;
        let where_ = place(&aws);
        let params = on_private_runtime(
            "AWS",
            self.common.timeout,
            format!("no answer from AWS{where_}"),
            move || async move {
                let sdk = sdk_config(&common, &aws).await?;
                let client = aws_sdk_ssm::Client::new(&sdk);
                let mut pages = client
                    .get_parameters_by_path()
                    .path(&query)
                    .recursive(recursive)
                    .with_decryption(true)
                    .into_paginator()
                    .send();
                let mut params = Vec::new();
                let mut total = 0u64;
                while let Some(page) = pages.next().await {
                    let page = page.map_err(|e| sdk_error(&e, &place(&aws)))?;
                    for p in page.parameters() {
                        let (Some(name), Some(value)) = (p.name(), p.value()) else {
                            continue;
                        };
                        total += (name.len() + value.len()) as u64;
                        if total > max {
                            return Err(format!(
                                "the parameters under {query} are larger than the limit of {max} \
                             bytes (raise it with .max_size(..))"
                            ));
                        }
                        let secure =
                            p.r#type() == Some(&aws_sdk_ssm::types::ParameterType::SecureString);
                        params.push((name.to_owned(), value.to_owned(), secure));
                    }
                }
                Ok(params)
            },
        )?;
        let base = if trimmed.is_empty() { "" } else { trimmed };
        Ok(params
            .into_iter()
            .filter_map(|(name, value, secure)| {
                let keys = split_key(name.strip_prefix(base)?);
                (!keys.is_empty()).then(|| Entry {
                    keys,
                    origin: self.common.origin_of_item(name),
                    secret: secure,
                    value: serde_json::Value::String(value),
                })
            })
            .collect())
    }
}

aws_builders!(AwsParameterStore, "AwsParameterStore::path(\"/prod/app/\")");
common_builders!(AwsParameterStore, "AwsParameterStore::path(\"/prod/app/\")");

/// Where requests go, for messages: " at 127.0.0.1:5000" or "" (AWS's own endpoint; the
/// region is in the SDK's message when it matters).
fn place(aws: &Aws) -> String {
    aws.endpoint
        .clone()
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
        .filter(|e| !e.is_empty())
        .map(|e| format!(" at {}", host_port(&e)))
        .unwrap_or_default()
}

/// The SDK's configuration: the standard chain, then our timeouts, retries and overrides.
async fn sdk_config(common: &Common, aws: &Aws) -> Result<SdkConfig, String> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(common.attempts.max(1))
                .with_initial_backoff(Duration::from_millis(100))
                .with_max_backoff(Duration::from_secs(2)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(common.timeout.min(Duration::from_secs(3)))
                .operation_timeout(common.timeout)
                .build(),
        );
    if let Some(region) = &aws.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(endpoint) = &aws.endpoint {
        loader = loader.endpoint_url(endpoint);
    }
    if let Some(credentials) = &aws.credentials {
        loader = loader.credentials_provider(credentials.clone());
    }
    let sdk = loader.load().await;
    if sdk.region().is_none() {
        return Err("no AWS region: set AWS_REGION or call .region(..)".into());
    }
    Ok(sdk)
}

/// An SDK error in one line: the service's code and message (also from the XML body AWS sends
/// for signature and credential errors, which the JSON protocols' parser does not read), or
/// the cause of a transport failure, naming where the request went.
fn sdk_error<E>(e: &SdkError<E, HttpResponse>, place: &str) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let text = match e {
        SdkError::ServiceError(_) | SdkError::ResponseError(_) => match (e.code(), e.message()) {
            (Some(code), Some(message)) => format!("AWS{place} answered {code}: {message}"),
            (Some(code), None) => format!("AWS{place} answered {code}"),
            _ => match e.raw_response() {
                Some(raw) => {
                    let body = raw.body().bytes().unwrap_or_default();
                    let body = String::from_utf8_lossy(body);
                    let code = xml_field(&body, "Code");
                    let message = xml_field(&body, "Message");
                    match (code, message) {
                        (Some(code), Some(message)) => {
                            format!("AWS{place} answered {code}: {message}")
                        }
                        (Some(code), None) => format!("AWS{place} answered {code}"),
                        _ => format!(
                            "AWS{place} answered {} with a body the SDK cannot read",
                            raw.status().as_u16()
                        ),
                    }
                }
                None => format!("{}{place}", chain(e)),
            },
        },
        SdkError::TimeoutError(_) => format!("no answer from AWS{place} in time"),
        SdkError::DispatchFailure(_) => format!("cannot reach AWS{place}: {}", chain(e)),
        _ => format!("{}{place}", chain(e)),
    };
    let mut out: String = text.chars().take(400).collect();
    if text.chars().count() > 400 {
        out.push('…');
    }
    out
}

/// An error and its sources, each shown once: "dispatch failure: io error: … refused".
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = err.source();
    }
    parts.join(": ")
}

/// The text of `<name>…</name>` in an XML error body.
fn xml_field(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{name}>"))? + start;
    Some(body[start..end].trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_credentials_never_show_the_secret_key() {
        let sm =
            AwsSecretsManager::secret("prod/app").static_credentials("AKIDEXAMPLE", "wJal-s3cret");
        let ssm =
            AwsParameterStore::path("/prod/").static_credentials("AKIDEXAMPLE", "wJal-s3cret");
        for shown in [format!("{sm:?}"), format!("{ssm:?}")] {
            assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
            assert!(!shown.contains("wJal-s3cret"), "{shown}");
        }
    }
}
