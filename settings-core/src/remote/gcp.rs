//! Google Cloud Secret Manager, on Google's official client (`google-cloud-secretmanager-v1`,
//! REST + JSON: `GET /v1/projects/{project}/secrets/{secret}/versions/{version}:access`, and
//! `GET /v1/projects/{project}/secrets` to list a project's secrets).
//!
//! The client is async; `figment::Provider::data` is not. Each read runs on a private tokio
//! current-thread runtime on a short-lived thread of its own (as the AWS sources do), so a load
//! works from a plain `main` and from inside a tokio runtime alike. Credentials are Application
//! Default Credentials unless a file is given: `GOOGLE_APPLICATION_CREDENTIALS`, then gcloud's
//! `application_default_credentials.json`, then the metadata server (GCE, Cloud Run, workload
//! identity on GKE).

use super::entry::{Entry, json_kind, object_entries};
use super::options::Common;
use super::options::host_port;
use super::provider::common_builders;
use super::runtime::on_private_runtime;
use google_cloud_auth::credentials::{
    Credentials, external_account, impersonated, service_account, user_account,
};
use google_cloud_gax::error::Error as GaxError;
use google_cloud_gax::error::rpc::Code;
use google_cloud_gax::exponential_backoff::ExponentialBackoffBuilder;
use google_cloud_gax::paginator::ItemPaginator as _;
use google_cloud_gax::retry_policy::{Aip194Strict, RetryPolicyExt as _};
use google_cloud_secretmanager_v1::client::SecretManagerService;
use google_cloud_secretmanager_v1::model::SecretPayload;
use std::path::PathBuf;
use std::time::Duration;

/// A secret of Google Cloud Secret Manager as settings: the keys of a JSON-object payload merge
/// as settings, each secret (masked in reports and errors) with the origin `gcp secret manager
/// projects/<project>/secrets/<name>/versions/latest: <key>`; a plain payload (a password, a
/// token) becomes one named key with [`single_key`](GcpSecretManager::single_key).
/// [`project`](GcpSecretManager::project) reads every secret of a project instead, one key
/// each.
///
/// Reads the `latest` version unless [`version`](GcpSecretManager::version) pins one. The
/// payload's CRC32C checksum (`dataCrc32c`) is verified when the answer carries one; a mismatch
/// fails the load. Within [`attempts`](GcpSecretManager::attempts) and
/// [`timeout`](GcpSecretManager::timeout), retries follow Google's AIP-194: a failure to
/// connect or send, `UNAVAILABLE` (503) and `RESOURCE_EXHAUSTED` (429) are retried, other
/// errors (denied, not found, other server errors) are not. Credentials are Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`,
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
    /// Every secret of the project (`GcpSecretManager::project`), not one.
    listing: Option<Listing>,
    /// A builder method that does not apply, for the issue at load.
    misuse: Option<&'static str>,
}

/// Which secrets of a project are read.
#[derive(Debug, Clone, Default)]
struct Listing {
    /// The API's `filter` expression (`labels.app=billing`).
    filter: Option<String>,
    /// Only secrets whose id starts with this, which is cut off their key.
    prefix: String,
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
            common: Common::new("gcp secret manager", &resource(&project, &secret, &version)),
            project,
            secret,
            version,
            single_key: None,
            endpoint: None,
            credentials_file: None,
            listing: None,
            misuse: None,
        }
    }

    /// Every secret of the project `project` (or those [`filter`](GcpSecretManager::filter)
    /// and [`prefix`](GcpSecretManager::prefix) select), each at its `latest` version, as one
    /// setting: the secret's id is the key, `__` in it nesting (`db__password` sets
    /// `db.password`), the payload its text. Origins read `gcp secret manager
    /// projects/<project>/secrets/<id>/versions/latest`. Secrets without an enabled version are
    /// left out. The caller needs `secretmanager.secrets.list` on the project as well as
    /// `secretmanager.versions.access` on the secrets.
    ///
    /// ```no_run
    /// use settings_core::remote::GcpSecretManager;
    /// use settings_core::{Secret, Settings};
    ///
    /// #[derive(Settings, Debug)]
    /// struct Db {
    ///     password: Secret<String>,
    /// }
    ///
    /// #[derive(Settings, Debug)]
    /// struct App {
    ///     api_key: Secret<String>,
    ///     #[settings(nested)]
    ///     db: Db,
    /// }
    ///
    /// // Secrets "billing-api_key" and "billing-db__password", labelled app=billing.
    /// let app = App::loader()
    ///     .provider(
    ///         GcpSecretManager::project("my-project")
    ///             .filter("labels.app=billing")
    ///             .prefix("billing-"),
    ///     )
    ///     .load()?;
    /// # Ok::<(), settings_core::Error>(())
    /// ```
    pub fn project(project: impl Into<String>) -> Self {
        let mut source = GcpSecretManager::secret(project, "");
        source.listing = Some(Listing::default());
        source.common.name = source.listing_name();
        source
    }

    /// Reads only the secrets of [`project`](GcpSecretManager::project) that this filter of
    /// the Secret Manager API selects (`"labels.app=billing"`, `"labels.env:*"`,
    /// `"name:billing"`); on a single secret, the load fails with an issue saying so.
    ///
    /// ```no_run
    /// use settings_core::remote::GcpSecretManager;
    /// let source = GcpSecretManager::project("my-project").filter("labels.app=billing");
    /// ```
    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        match &mut self.listing {
            Some(listing) => listing.filter = Some(filter.into()),
            None => self.misuse = Some(NOT_ONE),
        }
        if self.listing.is_some() {
            self.common.name = self.listing_name();
        }
        self
    }

    /// Reads only the secrets of [`project`](GcpSecretManager::project) whose id starts with
    /// `prefix`, which is cut off their keys (`"billing-"`: `billing-db__password` sets
    /// `db.password`); on a single secret, the load fails with an issue saying so.
    ///
    /// ```no_run
    /// use settings_core::remote::GcpSecretManager;
    /// let source = GcpSecretManager::project("my-project").prefix("billing-");
    /// ```
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        match &mut self.listing {
            Some(listing) => listing.prefix = prefix.into(),
            None => self.misuse = Some(NOT_ONE),
        }
        if self.listing.is_some() {
            self.common.name = self.listing_name();
        }
        self
    }

    /// Reads this version of the secret (`"5"`, or an alias) instead of `latest`.
    ///
    /// ```no_run
    /// use settings_core::remote::GcpSecretManager;
    /// let source = GcpSecretManager::secret("my-project", "app").version("5");
    /// ```
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into().trim_matches('/').to_owned();
        if self.listing.is_none() {
            self.common.name = format!("gcp secret manager {}", self.resource());
        }
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
    /// (`external_account`). A service-account key signs its own tokens (self-signed JWTs, no
    /// token endpoint); an `authorized_user` file trades its refresh token at its `token_uri`
    /// (Google's unless the file says). A file that cannot be read or used is a `Source` issue
    /// naming it, never showing its contents.
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

    /// "gcp secret manager projects/p/secrets/billing-*" (" where labels.app=billing").
    fn listing_name(&self) -> String {
        let listing = self.listing.clone().unwrap_or_default();
        let mut name = format!(
            "gcp secret manager projects/{}/secrets/{}*",
            self.project, listing.prefix
        );
        if let Some(filter) = &listing.filter {
            name.push_str(&format!(" where {filter}"));
        }
        name
    }

    fn read(&self) -> Result<Vec<Entry>, String> {
        let place = self
            .endpoint
            .as_deref()
            .map(|e| format!(" at {}", host_port(e)))
            .unwrap_or_default();
        if let Some(misuse) = self.misuse {
            return Err(misuse.into());
        }
        match &self.listing {
            Some(listing) => self.read_project(listing, place),
            None => self.read_secret(place),
        }
    }

    fn read_secret(&self, place: String) -> Result<Vec<Entry>, String> {
        if self.secret.is_empty() {
            return Err("no secret name: give one to GcpSecretManager::secret".into());
        }
        let resource = self.resource();
        let common = self.common.clone();
        let endpoint = self.endpoint.clone();
        let file = self.credentials_file.clone();
        let (name, at) = (resource.clone(), place.clone());
        let payload = on_private_runtime(
            "GCP",
            self.common.timeout,
            format!("no answer from GCP{place}"),
            move || async move {
                let client = client(&common, endpoint, file.as_deref(), &at).await?;
                let access = Access::of(&name);
                let call = access.call(&at, file.is_none());
                let out = client
                    .access_secret_version()
                    .set_name(&name)
                    .send()
                    .await
                    .map_err(|e| gax_error(&e, &call))?;
                out.payload
                    .ok_or_else(|| format!("GCP{at} sent no payload for the secret {name}"))
            },
        )?;
        if payload.data.len() as u64 > self.common.max_size {
            return Err(format!(
                "the secret {resource} is larger than the limit of {} bytes (raise it with \
                 .max_size(..))",
                self.common.max_size
            ));
        }
        let data = checked(&resource, payload)?;
        if let Some(key) = &self.single_key {
            let text = String::from_utf8(data)
                .map_err(|_| format!("the secret {resource} is not UTF-8 text"))?;
            return Ok(vec![Entry {
                keys: vec![key.clone()],
                origin: self.common.origin_of_key(key),
                secret: true,
                value: serde_json::Value::String(text),
            }]);
        }
        // serde_json's message gives a position, never the text.
        match serde_json::from_slice::<serde_json::Value>(&data) {
            Ok(serde_json::Value::Object(map)) => Ok(object_entries(&self.common, map, true)),
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

    /// Lists the project's secrets (every page), then reads each one's latest version.
    fn read_project(&self, listing: &Listing, place: String) -> Result<Vec<Entry>, String> {
        if self.single_key.is_some() || self.version != "latest" {
            return Err(
                ".single_key(..) and .version(..) read one secret: they do not apply to \
                 GcpSecretManager::project"
                    .into(),
            );
        }
        let common = self.common.clone();
        let endpoint = self.endpoint.clone();
        let file = self.credentials_file.clone();
        let prefix_len = listing.prefix.len();
        let listing = listing.clone();
        let project = self.project.clone();
        let max = self.common.max_size;
        let at = place.clone();
        let read = on_private_runtime(
            "GCP",
            self.common.timeout,
            format!("no answer from GCP{place}"),
            move || async move {
                let client = client(&common, endpoint, file.as_deref(), &at).await?;
                let parent = format!("projects/{project}");
                let (what, missing) = (
                    format!("the secrets of {parent}"),
                    format!(
                        "there is no project {project} (or Secret Manager is not enabled in it)"
                    ),
                );
                let call = Call {
                    what: &what,
                    missing: &missing,
                    permission: "secretmanager.secrets.list",
                    place: &at,
                    adc: file.is_none(),
                };
                let mut items = client
                    .list_secrets()
                    .set_parent(&parent)
                    .set_filter(listing.filter.clone().unwrap_or_default())
                    .by_item();
                let mut ids = Vec::new();
                while let Some(item) = items.next().await {
                    let secret = item.map_err(|e| gax_error(&e, &call))?;
                    let id = secret.name.rsplit('/').next().unwrap_or("").to_owned();
                    if !id.is_empty() && id.starts_with(&listing.prefix) {
                        ids.push(id);
                    }
                }
                let mut read = Vec::new();
                let mut total = 0u64;
                for id in ids {
                    let name = resource(&project, &id, "latest");
                    let access = Access::of(&name);
                    let call = access.call(&at, file.is_none());
                    match client.access_secret_version().set_name(&name).send().await {
                        Ok(out) => {
                            let payload = out.payload.unwrap_or_default();
                            total += payload.data.len() as u64;
                            if total > max {
                                return Err(format!(
                                    "the secrets of {parent} are larger than the limit of {max} \
                                 bytes (raise it with .max_size(..))"
                                ));
                            }
                            read.push((id, name, payload));
                        }
                        // No version, or the latest disabled or destroyed: nothing to read.
                        Err(e)
                            if e.status().is_some_and(|s| {
                                matches!(s.code, Code::NotFound | Code::FailedPrecondition)
                            }) => {}
                        Err(e) => return Err(gax_error(&e, &call)),
                    }
                }
                Ok(read)
            },
        )?;
        let mut entries = Vec::new();
        for (id, name, payload) in read {
            let data = checked(&name, payload)?;
            let keys: Vec<String> = id[prefix_len..]
                .split("__")
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect();
            if keys.is_empty() {
                continue;
            }
            let text = String::from_utf8(data)
                .map_err(|_| format!("the secret {name} is not UTF-8 text"))?;
            entries.push(Entry {
                keys,
                origin: self.common.origin_of_item(name),
                secret: true,
                value: serde_json::Value::String(text),
            });
        }
        Ok(entries)
    }
}

/// Why `.filter(..)` or `.prefix(..)` on one secret fails the load.
const NOT_ONE: &str = ".filter(..) and .prefix(..) select secrets of GcpSecretManager::project: \
                       they do not apply to one secret";

/// The permission to read a secret's payload.
const ACCESS: &str = "secretmanager.versions.access";

/// The payload's bytes, once its CRC32C checksum (when the service sent one) matches.
fn checked(resource: &str, payload: SecretPayload) -> Result<Vec<u8>, String> {
    if let Some(sent) = payload.data_crc32c
        && sent != i64::from(crc32c::crc32c(&payload.data))
    {
        // Neither checksum is shown: a CRC of a short secret helps to guess it.
        return Err(format!(
            "the payload of the secret {resource} does not match the CRC32C checksum sent \
                 with it: it was corrupted on the way"
        ));
    }
    Ok(payload.data.to_vec())
}

common_builders!(
    GcpSecretManager,
    "GcpSecretManager::secret(\"my-project\", \"app\")"
);

fn resource(project: &str, secret: &str, version: &str) -> String {
    format!("projects/{project}/secrets/{secret}/versions/{version}")
}

/// The client: our endpoint, credentials (from `file`, else Application Default Credentials),
/// attempts and time limit; `at` says where, in its error. Retried: failures to connect or
/// send, timeouts, `UNAVAILABLE` (503) and `RESOURCE_EXHAUSTED` (429), as Google's AIP-194
/// says; not denials, missing secrets or other errors. Called on the private runtime: the
/// credentials start their token cache's task as soon as they are built.
async fn client(
    common: &Common,
    endpoint: Option<String>,
    file: Option<&std::path::Path>,
    at: &str,
) -> Result<SecretManagerService, String> {
    let credentials = file.map(credentials_from_file).transpose()?;
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
    builder
        .build()
        .await
        .map_err(|e| format!("cannot set up the GCP client{at}: {}", root(&e)))
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
            ));
        }
        other => {
            return Err(format!(
                "the GCP credentials file {shown} is of type `{other}`, which is not supported \
                 (service_account, authorized_user, impersonated_service_account or \
                 external_account)"
            ));
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

/// What a request was for, to word its errors.
struct Call<'a> {
    /// "the secret projects/p/secrets/s/versions/latest", "the secrets of projects/p".
    what: &'a str,
    /// The sentence for NOT_FOUND: "there is no secret …".
    missing: &'a str,
    /// The IAM permission the request needs.
    permission: &'a str,
    /// " at host:port" of an endpoint given, or "".
    place: &'a str,
    /// Whether the credentials are Application Default Credentials (not a file given).
    adc: bool,
}

/// The sentences of a read of one secret version, which its [`Call`] borrows.
struct Access {
    what: String,
    missing: String,
}

impl Access {
    fn of(name: &str) -> Self {
        Access {
            what: format!("the secret {name}"),
            missing: format!("there is no secret {name}"),
        }
    }

    fn call<'a>(&'a self, place: &'a str, adc: bool) -> Call<'a> {
        Call {
            what: &self.what,
            missing: &self.missing,
            permission: ACCESS,
            place,
            adc,
        }
    }
}

/// A client error in one line, naming where the request went and what for: the service's
/// status and message, or why no answer came.
fn gax_error(e: &GaxError, call: &Call<'_>) -> String {
    let Call {
        what,
        missing,
        permission,
        place,
        adc,
    } = call;
    let text = if let Some(status) = e.status() {
        let code = status.code.name();
        let message = status.message.trim();
        let answered = match e.http_status_code() {
            Some(http) => format!("GCP{place} answered {http} {code}"),
            None => format!("GCP{place} answered {code}"),
        };
        match status.code {
            Code::NotFound => format!("{missing} ({answered}: {message})"),
            Code::PermissionDenied | Code::Unauthenticated => format!(
                "access to {what} was denied ({answered}: {message}); the credentials need \
                 {permission}"
            ),
            _ => format!("{answered} for {what}: {message}"),
        }
    } else if let Some(http) = e.http_status_code() {
        format!("GCP{place} answered {http} for {what} with a body that is not a Google error")
    } else if e.is_authentication() {
        let hint = if *adc {
            " (Application Default Credentials: set GOOGLE_APPLICATION_CREDENTIALS, run `gcloud \
             auth application-default login`, run on Google Cloud, or call .credentials_file(..))"
        } else {
            ""
        };
        format!("cannot get GCP credentials for {what}: {}{hint}", root(e))
    } else if e.is_timeout() {
        format!("no answer from GCP{place} in time for {what}")
    } else if e.is_connect() || e.is_io() {
        format!("cannot reach GCP{place} for {what}: {}", root(e))
    } else if e.is_deserialization() {
        // The answer may hold the payload: neither it nor serde's message is shown.
        format!("GCP{place} sent an answer for {what} that the client cannot read")
    } else {
        format!("GCP{place} for {what}: {}", root(e))
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
    fn project_names_say_which_secrets() {
        let s = GcpSecretManager::project("p");
        assert_eq!(s.common.name, "gcp secret manager projects/p/secrets/*");
        let s = s.prefix("billing-").filter("labels.app=billing");
        assert_eq!(
            s.common.name,
            "gcp secret manager projects/p/secrets/billing-* where labels.app=billing"
        );
        let err = GcpSecretManager::secret("p", "app")
            .prefix("x")
            .read()
            .unwrap_err();
        assert!(err.contains("do not apply"), "{err}");
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
