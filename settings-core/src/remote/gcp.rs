//! Google Cloud Secret Manager, on Google's official client (`google-cloud-secretmanager-v1`,
//! REST + JSON: `GET /v1/projects/{project}/secrets/{secret}/versions/{version}:access`).
//!
//! The client is async; `figment::Provider::data` is not. Each read runs on a private tokio
//! current-thread runtime on a short-lived thread of its own (as the AWS sources do), so a load
//! works from a plain `main` and from inside a tokio runtime alike. Credentials are Application
//! Default Credentials unless a file is given: `GOOGLE_APPLICATION_CREDENTIALS`, then gcloud's
//! `application_default_credentials.json`, then the metadata server (GCE, Cloud Run, workload
//! identity on GKE).

use super::{common_builders, host_port, object_entries, Common, Entry};
use google_cloud_auth::credentials::{
    external_account, impersonated, service_account, user_account, Credentials,
};
use google_cloud_gax::error::Error as GaxError;
use google_cloud_gax::exponential_backoff::ExponentialBackoffBuilder;
use google_cloud_gax::retry_policy::{Aip194Strict, RetryPolicyExt as _};
use google_cloud_secretmanager_v1::client::SecretManagerService;
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

/// A secret of Google Cloud Secret Manager as settings: the keys of a JSON-object payload merge
/// as settings, each secret (masked in reports and errors) with the origin `gcp secret manager
/// projects/<project>/secrets/<name>/versions/latest: <key>`; a plain payload (a password, a
/// token) becomes one named key with [`single_key`](GcpSecretManager::single_key).
///
/// Reads the `latest` version unless [`version`](GcpSecretManager::version) pins one. The
/// payload's CRC32C checksum is verified when the service sends one (it does); a mismatch fails
/// the load. Credentials are Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`,
/// gcloud's ADC file, the metadata server: workload identity on GKE, Cloud Run, GCE) unless
/// [`credentials_file`](GcpSecretManager::credentials_file) names a key file. The caller needs
/// `secretmanager.versions.access` on the secret (the role "Secret Manager Secret Accessor").
///
/// ```no_run
/// use settings_core::remote::GcpSecretManager;
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
/// // The secret "app-db" of project "my-project" holds
/// // {"host": "db.internal", "port": "6432", "password": "…"}.
/// let app = App::loader()
///     .provider(GcpSecretManager::secret("my-project", "app-db").nest("db"))
///     .load()?;
/// assert_eq!(app.db.port, 6432);
/// # Ok::<(), settings_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct GcpSecretManager {
    common: Common,
    project: String,
    secret: String,
    version: String,
    single_key: Option<String>,
    endpoint: Option<String>,
    credentials_file: Option<PathBuf>,
}

impl GcpSecretManager {
    /// The secret `name` of the Google Cloud project `project` (its id, `"my-project"`, or its
    /// number), at its `latest` version.
    ///
    /// ```no_run
    /// use settings_core::remote::GcpSecretManager;
    /// let source = GcpSecretManager::secret("my-project", "app");
    /// ```
    pub fn secret(project: impl Into<String>, name: impl Into<String>) -> Self {
        let project = project.into().trim_matches('/').to_owned();
        let secret = name.into().trim_matches('/').to_owned();
        let version = "latest".to_owned();
        GcpSecretManager {
            common: Common::new(format!(
                "gcp secret manager {}",
                resource(&project, &secret, &version)
            )),
            project,
            secret,
            version,
            single_key: None,
            endpoint: None,
            credentials_file: None,
        }
    }

    /// Reads this version of the secret (`"5"`, or an alias) instead of `latest`.
    ///
    /// ```no_run
    /// use settings_core::remote::GcpSecretManager;
    /// let source = GcpSecretManager::secret("my-project", "app").version("5");
    /// ```
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into().trim_matches('/').to_owned();
        self.common.name = format!("gcp secret manager {}", self.resource());
        self
    }

    /// Reads the whole payload as the value of this one key, instead of a JSON object whose
    /// keys are settings: for a plain secret (a password, a token).
    ///
    /// ```no_run
    /// use settings_core::remote::GcpSecretManager;
    /// let source = GcpSecretManager::secret("my-project", "api-token").single_key("api_token");
    /// ```
    pub fn single_key(mut self, key: impl Into<String>) -> Self {
        self.single_key = Some(key.into());
        self
    }

    /// The endpoint, instead of `https://secretmanager.googleapis.com` (a regional endpoint
    /// such as `https://secretmanager.europe-west1.rep.googleapis.com`, Private Service
    /// Connect, a test server).
    ///
    /// ```no_run
    /// use settings_core::remote::GcpSecretManager;
    /// let source = GcpSecretManager::secret("my-project", "app")
    ///     .endpoint("https://secretmanager.europe-west1.rep.googleapis.com");
    /// ```
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// Authenticates with this credentials file instead of Application Default Credentials:
    /// any JSON file ADC accepts, by its `type`: a service-account key (`service_account`), a
    /// user's refresh token as `gcloud auth application-default login` writes it
    /// (`authorized_user`), `impersonated_service_account`, or workload identity federation
    /// (`external_account`). The token endpoint is the file's `token_uri` where the type has
    /// one. A file that cannot be read or used is a `Source` issue naming it.
    ///
    /// ```no_run
    /// use settings_core::remote::GcpSecretManager;
    /// let source = GcpSecretManager::secret("my-project", "app")
    ///     .credentials_file("/var/run/secrets/gcp/key.json");
    /// ```
    pub fn credentials_file(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.credentials_file = Some(path.as_ref().to_owned());
        self
    }

    /// `projects/{project}/secrets/{secret}/versions/{version}`.
    fn resource(&self) -> String {
        resource(&self.project, &self.secret, &self.version)
    }

    fn read(&self) -> Result<Vec<Entry>, String> {
        let resource = self.resource();
        let place = self
            .endpoint
            .as_deref()
            .map(|e| format!(" at {}", host_port(e)))
            .unwrap_or_default();
        let common = self.common.clone();
        let endpoint = self.endpoint.clone();
        let file = self.credentials_file.clone();
        let (name, at) = (resource.clone(), place.clone());
        let payload = run(self.common.timeout, &place, move || async move {
            // Built on the runtime: the credentials start their token cache's task at once.
            let credentials = match &file {
                Some(path) => Some(credentials_from_file(path)?),
                None => None,
            };
            let client = client(&common, endpoint, credentials)
                .await
                .map_err(|e| format!("cannot set up the GCP client{at}: {}", root(&e)))?;
            let out = client
                .access_secret_version()
                .set_name(&name)
                .send()
                .await
                .map_err(|e| gax_error(&e, &name, &at, file.is_none()))?;
            out.payload
                .ok_or_else(|| format!("GCP{at} sent no payload for the secret {name}"))
        })?;
        let data = payload.data;
        if data.len() as u64 > self.common.max_size {
            return Err(format!(
                "the secret {resource} is larger than the limit of {} bytes (raise it with \
                 .max_size(..))",
                self.common.max_size
            ));
        }
        if let Some(sent) = payload.data_crc32c {
            let computed = i64::from(crc32c::crc32c(&data));
            if sent != computed {
                // Neither checksum is shown: a CRC of a short secret helps to guess it.
                return Err(format!(
                    "the payload of the secret {resource} does not match the CRC32C checksum \
                     sent with it: it was corrupted on the way"
                ));
            }
        }
        let name = &self.common.name;
        if let Some(key) = &self.single_key {
            let text = String::from_utf8(data.to_vec())
                .map_err(|_| format!("the secret {resource} is not UTF-8 text"))?;
            return Ok(vec![Entry {
                keys: vec![key.clone()],
                label: format!("{name}: {key}"),
                secret: true,
                value: serde_json::Value::String(text),
            }]);
        }
        // serde_json's message gives a position, never the text.
        match serde_json::from_slice::<serde_json::Value>(&data) {
            Ok(serde_json::Value::Object(map)) => Ok(object_entries(name, map, true)),
            Ok(other) => Err(format!(
                "the secret {resource} is JSON but not an object of keys (it is {}); read it as \
                 one value with .single_key(\"name\")",
                json_kind(&other)
            )),
            Err(e) => Err(format!(
                "the secret {resource} is not JSON ({e}); read a plain secret as one value with \
                 .single_key(\"name\")"
            )),
        }
    }
}

common_builders!(
    GcpSecretManager,
    "GcpSecretManager::secret(\"my-project\", \"app\")"
);

fn resource(project: &str, secret: &str, version: &str) -> String {
    format!("projects/{project}/secrets/{secret}/versions/{version}")
}

/// The client: our endpoint, credentials, attempts and time limit. Retried: failures to
/// connect or send, timeouts, `UNAVAILABLE` (503) and `RESOURCE_EXHAUSTED` (429), as Google's
/// AIP-194 says; not denials, missing secrets or other errors.
async fn client(
    common: &Common,
    endpoint: Option<String>,
    credentials: Option<Credentials>,
) -> Result<SecretManagerService, google_cloud_gax::client_builder::Error> {
    let backoff = ExponentialBackoffBuilder::new()
        .with_initial_delay(Duration::from_millis(100))
        .with_maximum_delay(Duration::from_secs(2))
        .with_scaling(2.0)
        .clamp();
    let mut builder = SecretManagerService::builder()
        .with_retry_policy(
            Aip194Strict
                .continue_on_too_many_requests()
                .with_attempt_limit(common.attempts.max(1))
                .with_time_limit(common.timeout),
        )
        .with_backoff_policy(backoff);
    if let Some(endpoint) = endpoint {
        builder = builder.with_endpoint(endpoint);
    }
    if let Some(credentials) = credentials {
        builder = builder.with_credentials(credentials);
    }
    builder.build().await
}

/// Credentials from a JSON file, by its `type`, as ADC would read it from
/// `GOOGLE_APPLICATION_CREDENTIALS`.
fn credentials_from_file(path: &std::path::Path) -> Result<Credentials, String> {
    let shown = path.display();
    let text = std::fs::read(path)
        .map_err(|e| format!("cannot read the GCP credentials file {shown}: {e}"))?;
    // Neither the text nor serde_json's message (a position) is shown: the file holds keys.
    let json: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|_| format!("the GCP credentials file {shown} is not JSON"))?;
    let kind = json
        .get("type")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .to_owned();
    let built = match kind.as_str() {
        "service_account" => service_account::Builder::new(json).build(),
        "authorized_user" => user_account::Builder::new(json).build(),
        "impersonated_service_account" => impersonated::Builder::new(json).build(),
        "external_account" => external_account::Builder::new(json).build(),
        "" => {
            return Err(format!(
                "the GCP credentials file {shown} has no `type` (service_account, \
                 authorized_user, impersonated_service_account or external_account)"
            ))
        }
        other => {
            return Err(format!(
                "the GCP credentials file {shown} is of type `{other}`, which is not supported \
                 (service_account, authorized_user, impersonated_service_account or \
                 external_account)"
            ))
        }
    };
    // A parse error may quote a value of the file ("invalid type: string \"…\""): blanked.
    built.map_err(|e| {
        format!(
            "cannot use the GCP credentials file {shown} ({kind}): {}",
            blank_quoted(&e.to_string())
        )
    })
}

/// The text with every `"…"` quotation emptied.
fn blank_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        if c == '"' {
            if inside {
                out.push('…');
            }
            inside = !inside;
            out.push(c);
        } else if !inside {
            out.push(c);
        }
    }
    if inside {
        out.push('…');
    }
    out
}

/// A client error in one line, naming where the request went and the secret: the service's
/// status and message, or why no answer came.
fn gax_error(e: &GaxError, resource: &str, place: &str, adc: bool) -> String {
    let text = if let Some(status) = e.status() {
        let code = status.code.name();
        let message = status.message.trim();
        let answered = match e.http_status_code() {
            Some(http) => format!("GCP{place} answered {http} {code}"),
            None => format!("GCP{place} answered {code}"),
        };
        match code {
            "NOT_FOUND" => format!("there is no secret {resource} ({answered}: {message})"),
            "PERMISSION_DENIED" | "UNAUTHENTICATED" => format!(
                "access to the secret {resource} was denied ({answered}: {message}); the \
                 credentials need secretmanager.versions.access on it"
            ),
            _ => format!("{answered} for the secret {resource}: {message}"),
        }
    } else if let Some(http) = e.http_status_code() {
        format!(
            "GCP{place} answered {http} for the secret {resource} with a body that is not a \
             Google error"
        )
    } else if e.is_authentication() {
        let hint = if adc {
            " (Application Default Credentials: set GOOGLE_APPLICATION_CREDENTIALS, run `gcloud \
             auth application-default login`, run on Google Cloud, or call .credentials_file(..))"
        } else {
            ""
        };
        format!(
            "cannot get GCP credentials for the secret {resource}: {}{hint}",
            root(e)
        )
    } else if e.is_timeout() {
        format!("no answer from GCP{place} in time for the secret {resource}")
    } else if e.is_connect() || e.is_io() {
        format!(
            "cannot reach GCP{place} for the secret {resource}: {}",
            root(e)
        )
    } else if e.is_deserialization() {
        // The answer may hold the payload: neither it nor serde's message is shown.
        format!("GCP{place} sent an answer for the secret {resource} that the client cannot read")
    } else {
        format!("GCP{place} for the secret {resource}: {}", root(e))
    };
    let mut out: String = text.chars().take(400).collect();
    if text.chars().count() > 400 {
        out.push('…');
    }
    out
}

/// The innermost two causes of an error ("tcp connect error: Connection refused"): the outer
/// ones only wrap them.
fn root(e: &(dyn std::error::Error + 'static)) -> String {
    let mut texts = vec![e.to_string()];
    let mut next = e.source();
    while let Some(err) = next {
        texts.push(err.to_string());
        next = err.source();
    }
    match &texts[texts.len().saturating_sub(2)..] {
        [outer, inner] if outer.contains(inner.as_str()) => outer.clone(),
        [outer, inner] => format!("{outer}: {inner}"),
        [only] => only.clone(),
        _ => String::new(),
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Runs a client call to completion on a private current-thread runtime, on a thread of its
/// own, within `timeout` in all.
fn run<T, F, Fut>(timeout: Duration, place: &str, make: F) -> Result<T, String>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, String>>,
{
    let place = place.to_owned();
    let thread = std::thread::Builder::new()
        .name("settings-gcp".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the GCP client's runtime: {e}"))?;
            let result = rt.block_on(async move {
                match tokio::time::timeout(timeout, make()).await {
                    Ok(result) => result,
                    Err(_) => Err(format!(
                        "no answer from GCP{place} within {:.1} s",
                        timeout.as_secs_f64()
                    )),
                }
            });
            // Don't wait for the client's background work (a token refresh, an idle connection).
            rt.shutdown_background();
            result
        })
        .map_err(|e| format!("cannot start the GCP client's thread: {e}"))?;
    thread
        .join()
        .unwrap_or_else(|_| Err("the GCP client panicked".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions() {
        let s = GcpSecretManager::secret("p", "/app/");
        assert_eq!(
            s.common.name,
            "gcp secret manager projects/p/secrets/app/versions/latest"
        );
        let s = s.version("5");
        assert_eq!(s.resource(), "projects/p/secrets/app/versions/5");
        assert_eq!(
            s.common.name,
            "gcp secret manager projects/p/secrets/app/versions/5"
        );
    }

    #[test]
    fn a_credentials_file_that_cannot_be_used_is_named_without_its_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.json");
        std::fs::write(&path, "not json private-key-text").unwrap();
        let err = credentials_from_file(&path).unwrap_err();
        assert!(
            err.contains("is not JSON") && !err.contains("private-key-text"),
            "{err}"
        );
        std::fs::write(&path, r#"{"type": "magic"}"#).unwrap();
        let err = credentials_from_file(&path).unwrap_err();
        assert!(err.contains("type `magic`"), "{err}");
        std::fs::write(
            &path,
            r#"{"type": "authorized_user", "client_id": "c", "client_secret": "c",
                "refresh_token": {"k": "refresh-text"}}"#,
        )
        .unwrap();
        let err = credentials_from_file(&path).unwrap_err();
        assert!(err.contains("cannot use the GCP credentials file"), "{err}");
        assert!(!err.contains("refresh-text"), "{err}");
        assert_eq!(blank_quoted(r#"a "b" c "d"#), r#"a "…" c "…"#);
        let err = credentials_from_file(&dir.path().join("missing.json")).unwrap_err();
        assert!(
            err.contains("cannot read the GCP credentials file"),
            "{err}"
        );
    }
}
