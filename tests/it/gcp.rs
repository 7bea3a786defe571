//! Google Cloud Secret Manager against a server of this test on 127.0.0.1 that speaks the
//! documented REST API: `GET /v1/projects/{p}/secrets/{s}/versions/{v}:access` answered with
//! `{"name", "payload": {"data": <base64>, "dataCrc32c": <decimal string>}}` or a Google error
//! body (`{"error": {"code", "message", "status"}}`), and an OAuth token endpoint that the
//! `authorized_user` credentials file of each test points at (its `token_uri`). The server
//! checks the method, the path, the JSON refresh request and the `authorization: Bearer` header.
//!
//! No real Google Cloud account is used: these tests prove what our provider does with the
//! official client's requests and the documented answers, not that Google's service answers
//! exactly so.

use crate::{assert_hidden, closed_port, silent_server, source_issue};
use settings_core::remote::GcpSecretManager;
use settings_core::{Error, Secret, Settings};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// The fake Secret Manager and its token endpoint.

/// The access token the token endpoint hands out and the API expects.
const TOKEN: &str = "ya29.test-access-token";
const PROJECT: &str = "test-project";

/// One request the server saw.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: String,
    authorization: Option<String>,
    body: String,
}

/// The scripted answers of the API, by route: the path of an `:access` call (`"*"`: any), or
/// `"<path>#<pageToken>"` of a list call. A route's last answer repeats.
type Routes = std::collections::HashMap<String, VecDeque<(u16, String)>>;

/// A server on 127.0.0.1: `POST /token` (the OAuth refresh) and the API calls, answered from
/// its routes.
struct Fake {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    _dir: tempfile::TempDir,
    credentials: PathBuf,
}

impl Fake {
    /// A server whose every `:access` call gets the next answer of `script`.
    fn start(script: Vec<(u16, String)>) -> Fake {
        Fake::routes([("*".to_owned(), script)])
    }

    fn routes(routes: impl IntoIterator<Item = (String, Vec<(u16, String)>)>) -> Fake {
        let script: Routes = routes
            .into_iter()
            .map(|(k, v)| (k, VecDeque::from(v)))
            .collect();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script));
        let (seen2, script2) = (seen.clone(), script.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (seen, script) = (seen2.clone(), script2.clone());
                std::thread::spawn(move || serve(stream, &seen, &script));
            }
        });
        let dir = tempfile::tempdir().unwrap();
        let credentials = dir.path().join("adc.json");
        std::fs::write(
            &credentials,
            serde_json::json!({
                "type": "authorized_user",
                "client_id": "test-client.apps.googleusercontent.com",
                "client_secret": "test-client-secret",
                "refresh_token": "test-refresh-token",
                "token_uri": format!("{url}/token"),
            })
            .to_string(),
        )
        .unwrap();
        Fake {
            url,
            seen,
            _dir: dir,
            credentials,
        }
    }

    /// The source for `secret`, pointed at this server with this server's credentials.
    fn source(&self, secret: &str) -> GcpSecretManager {
        GcpSecretManager::secret(PROJECT, secret)
            .endpoint(self.url.as_str())
            .credentials_file(&self.credentials)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The API calls (not the token requests) the server saw.
    fn calls(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.path.starts_with("/v1/"))
            .collect()
    }

    fn host_port(&self) -> &str {
        &self.url["http://".len()..]
    }
}

fn serve(stream: TcpStream, seen: &Mutex<Vec<Seen>>, routes: &Mutex<Routes>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("");
    // The client asks for JSON with `?$alt=json;enum-encoding=int` (percent-encoded).
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (path, query) = (path.to_owned(), query.to_owned());
    let mut length = 0;
    let mut authorization = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((&header, ""));
        let value = value.trim().to_owned();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "authorization" => authorization = Some(value),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let body = String::from_utf8_lossy(&body).into_owned();
    seen.lock().unwrap().push(Seen {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        authorization: authorization.clone(),
        body: body.clone(),
    });
    let (status, answer) = if path == "/token" {
        // The refresh-token grant, as JSON (what the client sends).
        let request: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        if method == "POST"
            && request["grant_type"] == "refresh_token"
            && request["refresh_token"] == "test-refresh-token"
        {
            let token = serde_json::json!({
                "access_token": TOKEN, "expires_in": 3599, "token_type": "Bearer",
            });
            (200, token.to_string())
        } else {
            (400, r#"{"error": "invalid_grant"}"#.to_owned())
        }
    } else if authorization.as_deref() != Some(&format!("Bearer {TOKEN}")) {
        (
            401,
            google_error(401, "UNAUTHENTICATED", "missing or wrong bearer token"),
        )
    } else {
        let route = if method == "GET" && path.ends_with(":access") {
            Some(path.clone())
        } else if method == "GET" && path.ends_with("/secrets") {
            let token = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("pageToken="))
                .unwrap_or("");
            Some(format!("{path}#{token}"))
        } else {
            None
        };
        let mut routes = routes.lock().unwrap();
        let script = route.and_then(|route| {
            if routes.contains_key(&route) {
                routes.get_mut(&route)
            } else if route.ends_with(":access") {
                routes.get_mut("*")
            } else {
                None
            }
        });
        match script {
            Some(script) if script.len() > 1 => script.pop_front().unwrap(),
            Some(script) if !script.is_empty() => script[0].clone(),
            _ => {
                eprintln!("unexpected request: {method} {path}?{query}");
                (404, google_error(404, "NOT_FOUND", "no such method"))
            }
        }
    };
    let reason = match status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Other",
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json; charset=UTF-8\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    );
}

/// Google's error body (google.rpc.Status as JSON).
fn google_error(code: u16, status: &str, message: &str) -> String {
    serde_json::json!({ "error": { "code": code, "message": message, "status": status } })
        .to_string()
}

/// The answer of `:access` for `secret` (version 1), with the right checksum or `crc`.
fn access_answer(secret: &str, data: &[u8], crc: Option<u32>) -> (u16, String) {
    let crc = crc.unwrap_or_else(|| crc32c(data));
    let name = format!("projects/123456/secrets/{secret}/versions/1");
    let body = serde_json::json!({
        "name": name,
        "payload": { "data": b64(data), "dataCrc32c": crc.to_string() },
    });
    (200, body.to_string())
}

fn b64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// CRC32C (Castagnoli), bit by bit: independent of the crate the provider uses.
fn crc32c(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

// ---------------------------------------------------------------------------------------------
// The settings the tests load.

#[derive(Settings, Debug)]
struct Creds {
    password: Secret<String>,
    #[settings(default = 5)]
    pool_size: u32,
    #[settings(default = 8000)]
    port: u16,
}

#[derive(Settings, Debug)]
struct Db {
    host: String,
    password: Secret<String>,
}

#[derive(Settings, Debug)]
struct App {
    #[settings(default = 8000)]
    port: u16,
    #[settings(nested)]
    db: Db,
}

fn load(source: GcpSecretManager) -> Result<Creds, Error> {
    Creds::loader()
        .env_vars([("X", "")])
        .provider(source)
        .load()
}

const NAME: &str = "gcp secret manager projects/test-project/secrets";

// ---------------------------------------------------------------------------------------------
// Reading.

#[test]
fn json_payload_keys_merge_typed_and_secret_with_per_key_origins() {
    let payload = br#"{"password": "gcp-s3cret", "pool_size": "20", "port": 6543}"#;
    let fake = Fake::start(vec![access_answer("app", payload, None)]);
    let creds = load(fake.source("app")).unwrap();
    assert_eq!(creds.password.expose_secret(), "gcp-s3cret");
    assert_eq!((creds.pool_size, creds.port), (20, 6543));

    let report = Creds::loader()
        .env_vars([("X", "")])
        .provider(fake.source("app"))
        .explain()
        .unwrap();
    let password = report.get("password").unwrap();
    assert_eq!(
        password.origin,
        format!("{NAME}/app/versions/latest: password")
    );
    assert!(password.secret);
    assert!(report.get("pool_size").unwrap().secret);
    assert!(!report.to_string().contains("gcp-s3cret"), "{report}");
    assert!(!format!("{report:?}").contains("gcp-s3cret"));

    // What the client sent: a refresh-token grant to the file's token_uri, then the access
    // call with the token it got.
    let seen = fake.seen();
    let token = seen
        .iter()
        .find(|s| s.path == "/token")
        .expect("a token request");
    assert_eq!(token.method, "POST");
    assert!(token.body.contains("\"refresh_token\""), "{token:?}");
    let calls = fake.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    for call in &calls {
        assert_eq!(call.method, "GET");
        assert_eq!(
            call.path,
            "/v1/projects/test-project/secrets/app/versions/latest:access"
        );
        assert_eq!(
            call.authorization.as_deref(),
            Some("Bearer ya29.test-access-token")
        );
        assert!(call.query.starts_with("%24alt=json"), "{call:?}");
    }
}

#[test]
fn keys_nest_under_a_key() {
    let payload = br#"{"host": "db.internal", "password": "nested-s3cret"}"#;
    let fake = Fake::start(vec![access_answer("db", payload, None)]);
    let app = App::loader()
        .env_vars([("X", "")])
        .provider(fake.source("db").nest("db"))
        .load()
        .unwrap();
    assert_eq!(app.db.host, "db.internal");
    assert_eq!(app.db.password.expose_secret(), "nested-s3cret");
    assert_eq!(app.port, 8000);
}

#[test]
fn a_plain_payload_is_one_named_key_and_a_pinned_version_is_asked_for() {
    let fake = Fake::start(vec![access_answer("token", b"plain-s3cret\n", None)]);
    let source = fake.source("token").version("5").single_key("password");
    let report = Creds::loader()
        .env_vars([("X", "")])
        .provider(source)
        .explain()
        .unwrap();
    assert_eq!(
        report.get("password").unwrap().origin,
        format!("{NAME}/token/versions/5: password")
    );
    let creds = load(fake.source("token").version("5").single_key("password")).unwrap();
    // The payload is the value as stored, newline included.
    assert_eq!(creds.password.expose_secret(), "plain-s3cret\n");
    for call in fake.calls() {
        assert_eq!(
            call.path,
            "/v1/projects/test-project/secrets/token/versions/5:access"
        );
    }

    // Without single_key, a plain payload is a Source issue saying what to do, without it.
    let err = load(fake.source("token").version("5")).unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue
            .message
            .contains("the secret projects/test-project/secrets/token/versions/5 is not JSON"),
        "{err}"
    );
    assert!(issue.message.contains(".single_key("), "{err}");
    assert_eq!(
        issue.origin.as_deref(),
        Some("provider gcp secret manager projects/test-project/secrets/token/versions/5")
    );
    assert_hidden(&err, "plain-s3cret");

    // JSON that is not an object: the same, naming what it is.
    let fake = Fake::start(vec![access_answer("list", br#"["list-s3cret"]"#, None)]);
    let err = load(fake.source("list")).unwrap_err();
    assert!(
        source_issue(&err).message.contains("it is an array"),
        "{err}"
    );
    assert_hidden(&err, "list-s3cret");
}

// ---------------------------------------------------------------------------------------------
// Failures.

#[test]
fn a_missing_secret_is_a_source_issue_naming_it_and_is_not_retried() {
    let fake = Fake::start(vec![(
        404,
        google_error(
            404,
            "NOT_FOUND",
            "Secret [projects/123456/secrets/missing] not found or has no versions.",
        ),
    )]);
    let err = load(fake.source("missing")).unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue
            .message
            .contains("there is no secret projects/test-project/secrets/missing/versions/latest"),
        "{err}"
    );
    assert!(issue.message.contains("NOT_FOUND"), "{err}");
    assert!(issue.message.contains(fake.host_port()), "{err}");
    assert_eq!(fake.calls().len(), 1, "{:?}", fake.calls());
}

#[test]
fn a_denied_secret_is_a_source_issue_and_is_not_retried() {
    let fake = Fake::start(vec![(
        403,
        google_error(
            403,
            "PERMISSION_DENIED",
            "Permission 'secretmanager.versions.access' denied for resource \
             'projects/test-project/secrets/app/versions/latest' (or it may not exist).",
        ),
    )]);
    let err = load(fake.source("app")).unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue.message.contains(
            "access to the secret projects/test-project/secrets/app/versions/latest was denied"
        ),
        "{err}"
    );
    assert!(issue.message.contains("PERMISSION_DENIED"), "{err}");
    assert_eq!(fake.calls().len(), 1);
}

#[test]
fn too_many_requests_is_retried_then_succeeds() {
    let fake = Fake::start(vec![
        (
            429,
            google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric"),
        ),
        access_answer("app", br#"{"password": "after-429"}"#, None),
    ]);
    let creds = load(fake.source("app")).unwrap();
    assert_eq!(creds.password.expose_secret(), "after-429");
    assert_eq!(fake.calls().len(), 2);

    // With one attempt, the 429 is the answer.
    let fake = Fake::start(vec![(
        429,
        google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric"),
    )]);
    let err = load(fake.source("app").attempts(1)).unwrap_err();
    assert!(
        source_issue(&err).message.contains("RESOURCE_EXHAUSTED"),
        "{err}"
    );
    assert_eq!(fake.calls().len(), 1);
}

#[test]
fn a_checksum_mismatch_is_a_source_issue_without_the_value() {
    let payload = br#"{"password": "crc-s3cret"}"#;
    let fake = Fake::start(vec![access_answer(
        "app",
        payload,
        Some(crc32c(payload) ^ 1),
    )]);
    let err = load(fake.source("app")).unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue.message.contains("does not match the CRC32C checksum"),
        "{err}"
    );
    assert!(
        issue.message.contains("projects/test-project/secrets/app"),
        "{err}"
    );
    assert_hidden(&err, "crc-s3cret");
    assert_hidden(&err, &crc32c(payload).to_string());
    // The helper's CRC32C is the standard one (RFC 3720's check value).
    assert_eq!(crc32c(b"123456789"), 0xE306_9283);
}

#[test]
fn a_payload_over_the_size_limit_is_a_source_issue() {
    let payload = serde_json::json!({ "password": "z".repeat(32 * 1024) }).to_string();
    let fake = Fake::start(vec![access_answer("big", payload.as_bytes(), None)]);
    let err = load(fake.source("big").max_size(8 * 1024)).unwrap_err();
    assert!(
        source_issue(&err)
            .message
            .contains("larger than the limit of 8192 bytes"),
        "{err}"
    );
    assert_hidden(&err, "zzzz");
}

#[test]
fn unusable_credentials_are_source_issues() {
    let fake = Fake::start(vec![access_answer("app", br#"{"password": "x"}"#, None)]);
    // A refresh token the token endpoint refuses: nothing reaches the API.
    let bad = fake._dir.path().join("bad.json");
    std::fs::write(
        &bad,
        serde_json::json!({
            "type": "authorized_user", "client_id": "c", "client_secret": "cred-s3cret",
            "refresh_token": "revoked-token", "token_uri": format!("{}/token", fake.url),
        })
        .to_string(),
    )
    .unwrap();
    let err = load(fake.source("app").credentials_file(&bad)).unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue.message.contains("cannot get GCP credentials"),
        "{err}"
    );
    assert_hidden(&err, "cred-s3cret");
    assert_hidden(&err, "revoked-token");
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());

    // A file that is not there, and one that is not JSON: named, its text not shown.
    let missing = fake._dir.path().join("missing.json");
    let err = load(fake.source("app").credentials_file(&missing)).unwrap_err();
    assert!(
        source_issue(&err)
            .message
            .contains("cannot read the GCP credentials file"),
        "{err}"
    );
    std::fs::write(&bad, "-----BEGIN PRIVATE KEY----- key-s3cret").unwrap();
    let err = load(fake.source("app").credentials_file(&bad)).unwrap_err();
    assert!(source_issue(&err).message.contains("is not JSON"), "{err}");
    assert_hidden(&err, "key-s3cret");
}

#[test]
fn unreachable_and_silent_endpoints_fail_within_the_timeout() {
    // The token endpoint answers; the API is down, or accepts and never answers.
    let fake = Fake::start(vec![access_answer("app", br#"{"password": "x"}"#, None)]);
    let down = format!("http://127.0.0.1:{}", closed_port());
    let silent = silent_server();
    for (what, endpoint) in [("unreachable", down), ("silent", silent)] {
        let timeout = Duration::from_secs(2);
        let started = Instant::now();
        let err = load(
            fake.source("app")
                .endpoint(endpoint.as_str())
                .timeout(timeout),
        )
        .unwrap_err();
        let took = started.elapsed();
        let issue = source_issue(&err);
        eprintln!("gcp {what}: failed after {took:?}: {}", issue.message);
        assert!(
            issue.message.contains(&endpoint["http://".len()..]),
            "{err}"
        );
        assert_eq!(
            issue.origin.as_deref(),
            Some("provider gcp secret manager projects/test-project/secrets/app/versions/latest")
        );
        assert!(took < timeout + Duration::from_secs(1), "{what}: {took:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Every secret of a project.

/// One page of `GET /v1/projects/{p}/secrets`.
fn list_page(ids: &[&str], next: &str) -> (u16, String) {
    let secrets: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| {
            serde_json::json!({
                "name": format!("projects/123456/secrets/{id}"),
                "replication": { "automatic": {} },
                "createTime": "2026-01-01T00:00:00Z",
                "labels": { "app": "billing" },
            })
        })
        .collect();
    let mut page = serde_json::json!({ "secrets": secrets, "totalSize": 5 });
    if !next.is_empty() {
        page["nextPageToken"] = next.into();
    }
    (200, page.to_string())
}

#[derive(Settings, Debug)]
struct Billing {
    api_key: Secret<String>,
    #[settings(nested)]
    db: BillingDb,
}

#[derive(Settings, Debug)]
struct BillingDb {
    password: Secret<String>,
    #[settings(default = 5)]
    pool_size: u32,
}

#[test]
fn a_project_lists_every_page_then_reads_each_latest_version() {
    let list = "/v1/projects/test-project/secrets";
    let access =
        |id: &str| format!("/v1/projects/test-project/secrets/{id}/versions/latest:access");
    let fake = Fake::routes([
        (
            format!("{list}#"),
            vec![list_page(&["billing-api_key", "other-thing"], "page-2")],
        ),
        (
            format!("{list}#page-2"),
            vec![list_page(
                &[
                    "billing-db__password",
                    "billing-db__pool_size",
                    "billing-empty",
                ],
                "",
            )],
        ),
        (
            access("billing-api_key"),
            vec![access_answer("billing-api_key", b"key-s3cret", None)],
        ),
        (
            access("billing-db__password"),
            vec![access_answer("billing-db__password", b"db-s3cret", None)],
        ),
        (
            access("billing-db__pool_size"),
            vec![access_answer("billing-db__pool_size", b"20", None)],
        ),
        (
            access("billing-empty"),
            vec![(
                404,
                google_error(404, "NOT_FOUND", "Secret [billing-empty] has no versions."),
            )],
        ),
    ]);
    let source = || {
        GcpSecretManager::project(PROJECT)
            .filter("labels.app=billing")
            .prefix("billing-")
            .endpoint(fake.url.as_str())
            .credentials_file(&fake.credentials)
    };
    let billing = Billing::loader()
        .env_vars([("X", "")])
        .provider(source())
        .load()
        .unwrap();
    assert_eq!(billing.api_key.expose_secret(), "key-s3cret");
    assert_eq!(billing.db.password.expose_secret(), "db-s3cret");
    assert_eq!(billing.db.pool_size, 20);

    let report = Billing::loader()
        .env_vars([("X", "")])
        .provider(source())
        .explain()
        .unwrap();
    let password = report.get("db.password").unwrap();
    assert_eq!(
        password.origin,
        format!("{NAME}/billing-db__password/versions/latest")
    );
    assert!(password.secret);
    assert!(!report.to_string().contains("s3cret"), "{report}");

    // Both pages listed with the filter; only the prefixed secrets read; the one without a
    // version left out.
    let calls = fake.calls();
    let lists: Vec<&Seen> = calls.iter().filter(|c| c.path == list).collect();
    assert_eq!(lists.len(), 4, "{lists:?}");
    for l in &lists {
        assert!(l.query.contains("filter=labels.app%3Dbilling"), "{l:?}");
    }
    assert!(lists.iter().any(|l| l.query.contains("pageToken=page-2")));
    assert!(
        !calls.iter().any(|c| c.path.contains("other-thing")),
        "{calls:?}"
    );
    assert!(calls.iter().any(|c| c.path == access("billing-empty")));
}

#[test]
fn a_project_listing_denied_or_misused_is_a_source_issue() {
    let fake = Fake::routes([(
        "/v1/projects/test-project/secrets#".to_owned(),
        vec![(
            403,
            google_error(
                403,
                "PERMISSION_DENIED",
                "Permission 'secretmanager.secrets.list' denied for resource 'projects/test-project'",
            ),
        )],
    )]);
    let source = || {
        GcpSecretManager::project(PROJECT)
            .endpoint(fake.url.as_str())
            .credentials_file(&fake.credentials)
    };
    let err = Billing::loader()
        .env_vars([("X", "")])
        .provider(source())
        .load()
        .unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue
            .message
            .contains("access to the secrets of projects/test-project was denied"),
        "{err}"
    );
    assert!(
        issue.message.contains("secretmanager.secrets.list"),
        "{err}"
    );
    assert_eq!(
        issue.origin.as_deref(),
        Some("provider gcp secret manager projects/test-project/secrets/*")
    );

    let err = Billing::loader()
        .env_vars([("X", "")])
        .provider(source().single_key("x"))
        .load()
        .unwrap_err();
    assert!(
        source_issue(&err)
            .message
            .contains("do not apply to GcpSecretManager::project"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Inside a runtime.

#[tokio::test(flavor = "multi_thread")]
async fn load_works_inside_a_multi_thread_tokio_runtime() {
    let fake = Fake::start(vec![access_answer("rt", br#"{"password": "rt"}"#, None)]);
    let creds = load(fake.source("rt")).unwrap();
    assert_eq!(creds.password.expose_secret(), "rt");
}

#[tokio::test(flavor = "current_thread")]
async fn load_works_inside_a_current_thread_tokio_runtime() {
    let fake = Fake::start(vec![access_answer("rt1", br#"{"password": "rt1"}"#, None)]);
    // On the runtime's only thread: no nested block_on panic, and the runtime is not needed.
    let creds = load(fake.source("rt1")).unwrap();
    assert_eq!(creds.password.expose_secret(), "rt1");
}
