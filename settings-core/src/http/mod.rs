//! The settings endpoint: what a running service is configured with, for operators.
//!
//! [`service`] turns a [`Live`] into a [`tower_service::Service`] that the application's own
//! server mounts (axum's `nest_service`, hyper, tonic); this crate runs no server. Under its
//! mount point it answers:
//!
//! | route | answers |
//! | --- | --- |
//! | `GET /` | a page: every setting with its value (secrets masked), where it came from, what it overrode, its doc comment and constraints; warnings; settings waiting for a restart; how the reloads went; the fingerprint |
//! | `GET /json` | the same as JSON |
//! | `GET /schema` | the JSON Schema ([`Settings::json_schema`]) |
//! | `GET /metrics` | Prometheus text: `settings_reloads_total{result}`, `settings_last_reload_success_timestamp_seconds`, `settings_restart_pending{path}`, `settings_info{fingerprint}` |
//! | `POST /reload` | reloads, with `Authorization: Bearer <token>` ([`Endpoint::reload_token`]): 200 and the new fingerprint, 422 and the issues (the old settings stay), 401 on a wrong token, 404 when no token was set |
//!
//! Other paths answer 404, other methods 405. Every answer has `Cache-Control: no-store` and
//! `X-Content-Type-Options: nosniff`; the page also a `Content-Security-Policy` that allows no
//! script and nothing from elsewhere. No answer holds a secret's value: the page and the JSON
//! are built from the [`Report`], masked, and from the issues of a failed reload,
//! which never quote a secret.
//!
//! The page tells how the service is configured, which is worth hiding from the world even with
//! the secrets masked: mount it on an internal port, or behind the application's own
//! authentication.
//!
//! ```
//! use settings_core::Settings;
//! use tower_service::Service as _;
//!
//! #[derive(Settings)]
//! struct App {
//!     /// Port the service listens on.
//!     #[settings(default = 8000)]
//!     port: u16,
//!     api_key: settings_core::Secret<String>,
//! }
//!
//! let live = App::loader().env_vars([("API_KEY", "hunter2")]).watch().unwrap();
//! let mut endpoint = settings_core::http::service(live).reload_token("s3cret");
//!
//! let get = |endpoint: &mut settings_core::http::Endpoint, path: &str| {
//!     let request = http::Request::get(path).body(String::new()).unwrap();
//!     let response = futures_executor::block_on(endpoint.call(request)).unwrap();
//!     let status = response.status().as_u16();
//!     let body = futures_executor::block_on(http_body_util::BodyExt::collect(response.into_body()));
//!     (status, String::from_utf8(body.unwrap().to_bytes().to_vec()).unwrap())
//! };
//! let (status, page) = get(&mut endpoint, "/");
//! assert_eq!(status, 200);
//! assert!(page.contains("Port the service listens on."));
//! assert!(!page.contains("hunter2"));
//! let (_, metrics) = get(&mut endpoint, "/metrics");
//! assert!(metrics.contains("settings_reloads_total{result=\"ok\"} 1\n"));
//! assert_eq!(get(&mut endpoint, "/nothing-here").0, 404);
//! ```

mod metrics;
mod page;

use crate::error::Error;
use crate::report::Report;
use crate::settings::Settings;
use crate::watch::{Live, Observed, Status};
use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::Full;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{SystemTime, UNIX_EPOCH};

/// The body of every answer: the whole text at once.
pub type Body = Full<Bytes>;

/// The settings endpoint of a [`Live`]: mount it on the application's server. See the
/// [module docs](self) for its routes.
///
/// ```
/// # use settings_core::Settings;
/// #[derive(Settings)]
/// struct App { #[settings(default = 1)] workers: u32 }
///
/// let live = App::loader().env_vars([("X", "")]).watch().unwrap();
/// let endpoint = settings_core::http::service(live.clone());
/// // With axum: `Router::new().nest_service("/config", endpoint)`.
/// # let _ = endpoint;
/// ```
pub fn service<T: Settings + Send + Sync + 'static>(live: Live<T>) -> Endpoint {
    Endpoint {
        live: live.observed(),
        token: None,
    }
}

/// A tower [`Service`](tower_service::Service) answering the settings endpoint's routes; made
/// by [`service`]. Cheap to clone: every clone serves the same settings.
#[derive(Clone)]
pub struct Endpoint {
    live: Arc<dyn Observed>,
    /// The SHA-256 of the reload token: the token itself is not kept.
    token: Option<[u8; 32]>,
}

impl Endpoint {
    /// Enables `POST /reload` for requests that carry `Authorization: Bearer <token>`. Without
    /// a token (or with an empty one, which would let anyone in) the route answers 404.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// # #[derive(Settings)]
    /// # struct App { #[settings(default = 1)] workers: u32 }
    /// # let live = App::loader().env_vars([("X", "")]).watch().unwrap();
    /// let endpoint = settings_core::http::service(live).reload_token("from-a-secret-store");
    /// assert!(!format!("{endpoint:?}").contains("from-a-secret-store"));
    /// ```
    pub fn reload_token(mut self, token: impl Into<String>) -> Self {
        let token = zeroize::Zeroizing::new(token.into());
        self.token = if token.is_empty() {
            tracing::warn!(
                target: "settings_core",
                "the settings endpoint's reload token is empty: POST /reload stays disabled"
            );
            None
        } else {
            Some(sha256(token.as_bytes()))
        };
        self
    }

    /// The answer to one request; a reload's is computed on a thread of its own.
    fn answer(&self, method: &Method, path: &str, headers: &HeaderMap) -> Answer {
        let route = match path {
            "" | "/" => Route::Page,
            "/json" => Route::Json,
            "/schema" => Route::Schema,
            "/metrics" => Route::Metrics,
            "/reload" => Route::Reload,
            _ => return Answer::Now(plain(StatusCode::NOT_FOUND, "no such page\n")),
        };
        let read = *method == Method::GET || *method == Method::HEAD;
        match route {
            Route::Reload if *method == Method::POST => self.reload(headers),
            Route::Reload => Answer::Now(not_allowed("POST")),
            _ if !read => Answer::Now(not_allowed("GET, HEAD")),
            Route::Page => Answer::Now(self.page()),
            Route::Json => Answer::Now(json(StatusCode::OK, &self.json())),
            Route::Schema => Answer::Now(schema(&crate::schema::schema(self.live.meta()))),
            Route::Metrics => Answer::Now(self.metrics()),
        }
    }

    fn report(&self) -> Arc<Report> {
        self.live.report().unwrap_or_default()
    }

    fn page(&self) -> Response<Body> {
        let report = self.report();
        let last_error = self.live.last_error();
        let view = page::View {
            meta: self.live.meta(),
            report: &report,
            fingerprint: &report.fingerprint(),
            status: &self.live.status(),
            last_error: last_error.as_deref(),
            reload_enabled: self.token.is_some(),
        };
        let mut response = respond(
            StatusCode::OK,
            "text/html; charset=utf-8",
            page::render(&view),
        );
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        response
    }

    fn json(&self) -> serde_json::Value {
        let report = self.report();
        let status = self.live.status();
        serde_json::json!({
            "settings": self.live.meta().name,
            "fingerprint": report.fingerprint(),
            "report": &*report,
            "restart_pending": &status.restart_pending,
            "reload": reload_json(&status, self.live.last_error().as_deref()),
        })
    }

    fn metrics(&self) -> Response<Body> {
        let text = metrics::render(&self.live.status(), &self.report().fingerprint());
        respond(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            text,
        )
    }

    fn reload(&self, headers: &HeaderMap) -> Answer {
        let Some(expected) = &self.token else {
            return Answer::Now(plain(
                StatusCode::NOT_FOUND,
                "reloading through the endpoint is not enabled (no reload token)\n",
            ));
        };
        if !authorized(headers, expected) {
            let mut response = plain(
                StatusCode::UNAUTHORIZED,
                "a reload needs the header Authorization: Bearer <token>, with the right token\n",
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"settings\""),
            );
            return Answer::Now(response);
        }
        // A reload reads files and remote stores, blocking: never on the server's own threads.
        let (tx, rx) = futures_channel::oneshot::channel();
        let live = self.live.clone();
        let spawned = std::thread::Builder::new()
            .name("settings-reload".into())
            .spawn(move || {
                let _ = tx.send(reload_now(&*live));
            });
        match spawned {
            Ok(_) => Answer::Later(rx),
            Err(_) => Answer::Now(reload_now(&*self.live)),
        }
    }
}

/// The routes under the mount point.
enum Route {
    Page,
    Json,
    Schema,
    Metrics,
    Reload,
}

/// A response ready now, or one a reload thread will send.
enum Answer {
    Now(Response<Body>),
    Later(futures_channel::oneshot::Receiver<Response<Body>>),
}

/// Reloads and says how it went: the new fingerprint, or the issues (the old settings stay).
fn reload_now(live: &dyn Observed) -> Response<Body> {
    match live.reload() {
        Ok(()) => {
            let fingerprint = live.report().unwrap_or_default().fingerprint();
            json(
                StatusCode::OK,
                &serde_json::json!({ "reloaded": true, "fingerprint": fingerprint }),
            )
        }
        Err(err) => json(
            StatusCode::UNPROCESSABLE_ENTITY,
            &serde_json::json!({
                "reloaded": false,
                "message": "the new settings are invalid; the previous ones are still in use",
                "issues": issues_json(&err),
            }),
        ),
    }
}

/// Whether the request carries `Authorization: Bearer <token>` with the right token; the
/// digests are compared in constant time.
fn authorized(headers: &HeaderMap, expected: &[u8; 32]) -> bool {
    use subtle::ConstantTimeEq as _;
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return false;
    };
    let value = value.as_bytes();
    let Some(scheme) = value.get(..7) else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case(b"bearer ") {
        return false;
    }
    let given = sha256(value[7..].trim_ascii());
    bool::from(given.ct_eq(expected))
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}

fn reload_json(status: &Status, last_error: Option<&Error>) -> serde_json::Value {
    serde_json::json!({
        "ok": status.ok,
        "failed": status.failed,
        "last_success": rfc3339(status.last_success),
        "last_success_unix": unix_seconds(status.last_success),
        "last_failure": status.last_failure.map(rfc3339),
        "last_error": last_error.map(issues_json),
    })
}

fn issues_json(err: &Error) -> serde_json::Value {
    err.issues()
        .iter()
        .map(|issue| {
            serde_json::json!({
                "path": issue.path,
                "kind": issue.kind.to_string(),
                "origin": issue.origin,
                "message": issue.message,
            })
        })
        .collect()
}

/// `2026-12-02T13:10:00Z`.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// Seconds since the Unix epoch, with milliseconds.
pub(crate) fn unix_seconds(time: SystemTime) -> f64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as f64 / 1000.0)
        .unwrap_or(0.0)
}

fn respond(status: StatusCode, content_type: &'static str, body: String) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    respond(status, "text/plain; charset=utf-8", text.to_owned())
}

fn not_allowed(allow: &'static str) -> Response<Body> {
    let mut response = plain(
        StatusCode::METHOD_NOT_ALLOWED,
        "this page does not answer that method\n",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    respond(status, "application/json", pretty(value))
}

fn schema(value: &serde_json::Value) -> Response<Body> {
    respond(StatusCode::OK, "application/schema+json", pretty(value))
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

impl<B> tower_service::Service<Request<B>> for Endpoint
where
    B: http_body::Body + Send + 'static,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> ResponseFuture {
        let head = *request.method() == Method::HEAD;
        let answer = self.answer(request.method(), request.uri().path(), request.headers());
        // The request's body is not read: no route takes one.
        drop(request);
        ResponseFuture {
            answer: match answer {
                Answer::Now(response) => Pending::Ready(Some(response)),
                Answer::Later(rx) => Pending::Reload(rx),
            },
            head,
        }
    }
}

/// The future of an [`Endpoint`]'s answer: ready at once, except for a reload, which waits for
/// the thread that runs it.
pub struct ResponseFuture {
    answer: Pending,
    /// A `HEAD` request: the answer's headers without its body.
    head: bool,
}

enum Pending {
    Ready(Option<Response<Body>>),
    Reload(futures_channel::oneshot::Receiver<Response<Body>>),
}

impl Future for ResponseFuture {
    type Output = Result<Response<Body>, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let response = match &mut self.answer {
            Pending::Ready(response) => response.take().unwrap_or_else(gone),
            Pending::Reload(rx) => match Pin::new(rx).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(response)) => response,
                // The reload thread ended without answering (a panic in a source).
                Poll::Ready(Err(_)) => plain(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the reload ended without a result; the previous settings are still in use\n",
                ),
            },
        };
        Poll::Ready(Ok(if self.head {
            response.map(|_| Full::new(Bytes::new()))
        } else {
            response
        }))
    }
}

/// A future polled again after it answered: a caller's bug, told as an error page.
fn gone() -> Response<Body> {
    plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        "this answer was already given\n",
    )
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("settings", &self.live.meta().name)
            .field("reload", &self.token.is_some())
            .finish()
    }
}

impl fmt::Debug for ResponseFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.answer {
            Pending::Ready(_) => "ready",
            Pending::Reload(_) => "reloading",
        };
        f.debug_struct("ResponseFuture")
            .field("state", &state)
            .finish()
    }
}
