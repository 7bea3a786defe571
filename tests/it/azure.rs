//! `AzureKeyVault` against a local server that speaks Key Vault's REST API as documented
//! (api-version 2025-07-01): `GET /secrets/{name}`, `GET /secrets` paged through `nextLink`,
//! the error bodies, and the challenge-based auth: a request without a token gets `401` with
//! `WWW-Authenticate: Bearer authorization=…, resource="https://vault.azure.net"`, and the SDK's
//! retry must carry `Authorization: Bearer <token>`. The SDK sends tokens over TLS only, so the
//! server speaks HTTPS with a self-signed certificate for `myvault.vault.azure.net`, and the
//! source's HTTP client trusts it and resolves that name to the server's loopback port. The
//! token comes from a real `TokenCredential` that hands out a fixed token.
//!
//! No Azure account is used: what these tests prove is that the official SDK, driven by our
//! source, speaks the documented protocol and that we turn its answers into settings and
//! issues; not that Azure answers as documented, nor that the default credential chain works
//! on Azure.

use crate::{assert_hidden, child_result, closed_port, in_child, source_issue};
use azure_core::credentials::{
    AccessToken, Secret as AzSecret, TokenCredential, TokenRequestOptions,
};
use azure_core::time::{Duration as AzDuration, OffsetDateTime};
use settings_core::remote::AzureKeyVault;
use settings_core::{IssueKind, Secret, Settings};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HOST: &str = "myvault.vault.azure.net";
const TOKEN: &str = "fixed-test-token-5d1c";
const CHALLENGE: &str = r#"Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net""#;

// ---------------------------------------------------------------------------------------------
// The credential: a real TokenCredential with a fixed token, recording the scopes asked for.

#[derive(Debug, Default)]
struct FixedToken {
    scopes: Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl TokenCredential for FixedToken {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.scopes
            .lock()
            .unwrap()
            .extend(scopes.iter().map(|s| s.to_string()));
        Ok(AccessToken::new(
            AzSecret::new(TOKEN),
            OffsetDateTime::now_utc() + AzDuration::hours(1),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// The server.

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Path and query.
    target: String,
    authorization: Option<String>,
    body: String,
}

impl Seen {
    fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    fn query(&self, name: &str) -> Option<String> {
        let query = self.target.split_once('?')?.1;
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name || k == name.replace('$', "%24")).then(|| v.to_owned())
        })
    }
}

struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn reply(status: u16, body: serde_json::Value) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

/// Key Vault's error body.
fn error_body(status: u16, code: &str, message: &str) -> Reply {
    reply(
        status,
        serde_json::json!({ "error": { "code": code, "message": message } }),
    )
}

type Handler = dyn Fn(&Seen, &str) -> Reply + Send + Sync;

/// A Key Vault on loopback: HTTPS for `myvault.vault.azure.net` on its own port.
struct KeyVault {
    /// `https://myvault.vault.azure.net:<port>`.
    url: String,
    addr: SocketAddr,
    cert_pem: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    credential: Arc<FixedToken>,
}

impl KeyVault {
    /// Serves `handler` behind the challenge: a request without a token gets 401 and the
    /// challenge; one with another token than ours gets 401; ours reaches the handler, which
    /// also gets the base URL (for ids and next links).
    fn start(handler: impl Fn(&Seen, &str) -> Reply + Send + Sync + 'static) -> KeyVault {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let url = format!("https://{HOST}:{}", addr.port());
        let (config, cert_pem) = tls_config();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let seen = seen.clone();
            let url = url.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    let (config, seen, handler, url) =
                        (config.clone(), seen.clone(), handler.clone(), url.clone());
                    std::thread::spawn(move || serve(stream, config, &seen, &*handler, &url));
                }
            });
        }
        KeyVault {
            url,
            addr,
            cert_pem,
            seen,
            credential: Arc::new(FixedToken::default()),
        }
    }

    /// A vault holding these secrets (name, value, enabled), listed `page` to a page.
    fn holding(secrets: &[(&str, &str, bool)], page: usize) -> KeyVault {
        let secrets: Vec<(String, String, bool)> = secrets
            .iter()
            .map(|(n, v, e)| (n.to_string(), v.to_string(), *e))
            .collect();
        KeyVault::start(move |seen, base| store(&secrets, page, seen, base))
    }

    /// The source, with our credential and an HTTP client that trusts the server and finds it.
    fn source(&self) -> AzureKeyVault {
        AzureKeyVault::vault(self.url.as_str())
            .credential(self.credential.clone())
            .http_client(client_to(&self.cert_pem, self.addr))
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn authorized(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.authorization.is_some())
            .collect()
    }

    /// Every request was a GET with an api-version; those without a token were challenged
    /// (by construction) and there was at least one; every token sent was ours; the credential
    /// was asked for the scope the challenge named.
    fn assert_protocol(&self) {
        let seen = self.seen();
        assert!(!seen.is_empty());
        for s in &seen {
            assert_eq!(s.method, "GET", "{s:?}");
            assert!(s.query("api-version").is_some(), "{s:?}");
        }
        assert!(
            seen.iter().any(|s| s.authorization.is_none()),
            "the first request goes without a token: {seen:?}"
        );
        let bearer = format!("Bearer {TOKEN}");
        assert!(
            seen.iter()
                .filter_map(|s| s.authorization.as_deref())
                .all(|a| a == bearer),
            "{seen:?}"
        );
        assert!(!self.authorized().is_empty());
        let scopes = self.credential.scopes.lock().unwrap();
        assert!(!scopes.is_empty());
        assert!(
            scopes
                .iter()
                .all(|s| s == "https://vault.azure.net/.default"),
            "{scopes:?}"
        );
    }
}

/// A certificate for `myvault.vault.azure.net` and the server's TLS configuration.
fn tls_config() -> (Arc<rustls::ServerConfig>, String) {
    let certified = rcgen::generate_simple_self_signed(vec![HOST.to_owned()]).unwrap();
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![certified.cert.der().clone()], key.into())
    .unwrap();
    (Arc::new(config), certified.cert.pem())
}

/// A reqwest client that trusts only `cert_pem` and finds the vault's host at `addr`.
fn client_to(cert_pem: &str, addr: SocketAddr) -> Arc<reqwest::Client> {
    let cert = reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap();
    Arc::new(
        reqwest::Client::builder()
            .tls_certs_only([cert])
            .resolve(HOST, addr)
            .build()
            .unwrap(),
    )
}

/// One exchange on one connection (`Connection: close`).
fn serve(
    stream: TcpStream,
    config: Arc<rustls::ServerConfig>,
    seen: &Mutex<Vec<Seen>>,
    handler: &Handler,
    base: &str,
) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let Ok(conn) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(conn, stream);
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match tls.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_owned();
    let target = first.next().unwrap_or("").to_owned();
    let mut authorization = None;
    let mut length = 0usize;
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "authorization" => authorization = Some(v.trim().to_owned()),
                "content-length" => length = v.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0u8; length];
    if tls.read_exact(&mut body).is_err() {
        return;
    }
    let request = Seen {
        method,
        target,
        authorization,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    seen.lock().unwrap().push(request.clone());
    let answer = match request.authorization.as_deref() {
        // Entra ID's token endpoint (the authority host points here in the chain test).
        _ if request.method == "POST" && request.path().ends_with("/oauth2/v2.0/token") => {
            token_endpoint(&request)
        }
        None => {
            let mut r = error_body(
                401,
                "Unauthorized",
                "AKV10000: Request is missing a Bearer or PoP token.",
            );
            r.headers.push(("WWW-Authenticate", CHALLENGE.to_owned()));
            r
        }
        Some(a) if a != format!("Bearer {TOKEN}") => {
            error_body(401, "Unauthorized", "AKV10022: Invalid audience.")
        }
        Some(_) => handler(&request, base),
    };
    let reason = match answer.status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Other",
    };
    let mut text = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n",
        answer.status,
        answer.body.len()
    );
    for (k, v) in &answer.headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(&answer.body);
    let _ = tls.write_all(text.as_bytes());
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT_ID: &str = "0b2f7c5e-3d4a-4c1e-9f6a-8e7d6c5b4a39";
const CLIENT_SECRET: &str = "sp-client-s3cret-9f2";

/// Entra ID's client-credentials grant: `POST /{tenant}/oauth2/v2.0/token` with a form body;
/// our token for our service principal, `invalid_client` for a wrong secret.
fn token_endpoint(request: &Seen) -> Reply {
    let form: BTreeMap<&str, &str> = request
        .body
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .collect();
    let right = request.path() == format!("/{TENANT}/oauth2/v2.0/token")
        && form.get("grant_type") == Some(&"client_credentials")
        && form.get("client_id") == Some(&CLIENT_ID)
        && form.get("client_secret") == Some(&CLIENT_SECRET)
        && form.get("scope") == Some(&"https%3A%2F%2Fvault.azure.net%2F.default");
    if right {
        reply(
            200,
            serde_json::json!({
                "token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                "access_token": TOKEN
            }),
        )
    } else {
        reply(
            401,
            serde_json::json!({
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided.",
                "error_codes": [7000215]
            }),
        )
    }
}

/// Key Vault's secrets API over a fixed set of secrets.
fn store(secrets: &[(String, String, bool)], page: usize, seen: &Seen, base: &str) -> Reply {
    let path = seen.path();
    let attributes = |enabled: bool| {
        serde_json::json!({
            "enabled": enabled, "created": 1_700_000_000, "updated": 1_700_000_000,
            "recoveryLevel": "Recoverable+Purgeable", "recoverableDays": 90
        })
    };
    if path == "/secrets" {
        let skip: usize = seen
            .query("$skiptoken")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let items: Vec<serde_json::Value> = secrets
            .iter()
            .skip(skip)
            .take(page)
            .map(|(name, _, enabled)| {
                serde_json::json!({
                    "id": format!("{base}/secrets/{name}"),
                    "attributes": attributes(*enabled),
                    "tags": {}
                })
            })
            .collect();
        let next = (skip + page < secrets.len()).then(|| {
            format!(
                "{base}/secrets?api-version=2025-07-01&$skiptoken={}&maxresults={page}",
                skip + page
            )
        });
        return reply(200, serde_json::json!({ "value": items, "nextLink": next }));
    }
    let Some(rest) = path.strip_prefix("/secrets/") else {
        return error_body(400, "BadParameter", "Unknown path");
    };
    let name = rest.trim_end_matches('/').split('/').next().unwrap_or("");
    match secrets
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
    {
        Some((n, _, false)) => error_body(
            403,
            "Forbidden",
            &format!("Operation get is not allowed on a disabled secret {n}."),
        ),
        Some((n, value, true)) => reply(
            200,
            serde_json::json!({
                "value": value,
                "id": format!("{base}/secrets/{n}/4387e9f3d6e14c459867679a90fd0f79"),
                "attributes": attributes(true),
                "tags": {}
            }),
        ),
        None => error_body(
            404,
            "SecretNotFound",
            &format!(
                "A secret with (name/id) {name} was not found in this key vault. If you \
                 recently deleted this secret you may be able to recover it using the correct \
                 recovery command. For help resolving this issue, please see \
                 https://go.microsoft.com/fwlink/?linkid=2125182"
            ),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The settings the tests load.

#[derive(Settings, Debug)]
struct App {
    #[settings(default = 8000)]
    port: u16,
    #[settings(nested)]
    db: Db,
}

#[derive(Settings, Debug)]
struct Db {
    url: String,
    password: Secret<String>,
    /// A Key Vault name has no `_`: the secret `db--pool-size` is the key `pool-size`.
    #[settings(rename = "pool-size", default = 5)]
    pool_size: u32,
}

fn app_secrets() -> Vec<(&'static str, &'static str, bool)> {
    vec![
        ("port", "9090", true),
        ("db--url", "postgres://db.internal/app", true),
        ("db--password", "kv-s3cret-password", true),
        ("db--pool-size", "20", true),
        ("unrelated", "kv-s3cret-unrelated", true),
    ]
}

const NAMED: [&str; 4] = ["port", "db--url", "db--password", "db--pool-size"];

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn named_secrets_nest_by_double_dash_take_their_types_and_are_masked() {
    let vault = KeyVault::holding(&app_secrets(), 25);
    let app = App::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secrets(NAMED))
        .load()
        .unwrap();
    assert_eq!(app.port, 9090);
    assert_eq!(app.db.url, "postgres://db.internal/app");
    assert_eq!(app.db.password.expose_secret(), "kv-s3cret-password");
    assert_eq!(app.db.pool_size, 20);
    vault.assert_protocol();
    // Only the named secrets were read, each by GET /secrets/{name}.
    let mut read: Vec<String> = vault
        .authorized()
        .iter()
        .map(|s| s.path().trim_end_matches('/').to_owned())
        .collect();
    read.sort();
    read.dedup();
    assert_eq!(
        read,
        [
            "/secrets/db--password",
            "/secrets/db--pool-size",
            "/secrets/db--url",
            "/secrets/port"
        ]
    );

    let report = App::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secrets(NAMED))
        .explain()
        .unwrap();
    let password = report.get("db.password").unwrap();
    assert_eq!(
        password.origin,
        format!("azure key vault {HOST}:{}: db--password", vault.addr.port())
    );
    assert!(password.secret);
    let url = report.get("db.url").unwrap();
    assert!(url.secret, "every Key Vault value is secret");
    let text = report.to_string();
    assert!(!text.contains("kv-s3cret-password"), "{text}");
    assert!(!text.contains("postgres://db.internal/app"), "{text}");
    assert!(!format!("{report:?}").contains("kv-s3cret-password"));

    // Unmarked on request: shown.
    let report = App::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secrets(NAMED).mark_secret(false))
        .explain()
        .unwrap();
    assert_eq!(
        report.get("db.url").unwrap().value,
        "postgres://db.internal/app"
    );
}

#[test]
fn a_value_of_the_wrong_type_is_an_issue_that_does_not_show_it() {
    let vault = KeyVault::holding(
        &[
            ("port", "p0rt-kv-s3cret", true),
            ("db--url", "u", true),
            ("db--password", "p", true),
        ],
        25,
    );
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secrets(["port", "db--url", "db--password"]))
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 1, "{err}");
    assert_eq!(err.issues()[0].path, "port", "{err}");
    assert_hidden(&err, "p0rt-kv-s3cret");
}

#[derive(Settings, Debug)]
struct Everything {
    #[settings(default = 8000)]
    port: u16,
    #[settings(default)]
    flags: BTreeMap<String, String>,
}

#[tokio::test(flavor = "multi_thread")]
async fn every_enabled_secret_is_read_across_pages_of_next_links() {
    let mut secrets = vec![("port", "7070", true), ("retired", "old-value", false)];
    for name in ["flags--a", "flags--b", "flags--c", "flags--d", "flags--e"] {
        secrets.push((name, "on", true));
    }
    let vault = KeyVault::holding(&secrets, 2);
    // Inside a multi-thread runtime: load() does not need it and does not block it.
    let all = Everything::loader()
        .env_vars([("X", "")])
        .provider(vault.source())
        .load()
        .unwrap();
    assert_eq!(all.port, 7070);
    assert_eq!(all.flags.len(), 5, "{:?}", all.flags);
    assert_eq!(all.flags["e"], "on");
    vault.assert_protocol();
    // 7 secrets, 2 to a page: 4 pages, the later ones through nextLink's $skiptoken.
    let lists: Vec<Seen> = vault
        .authorized()
        .into_iter()
        .filter(|s| s.path() == "/secrets")
        .collect();
    assert_eq!(lists.len(), 4, "{lists:?}");
    let tokens: Vec<Option<String>> = lists.iter().map(|s| s.query("$skiptoken")).collect();
    assert_eq!(
        tokens,
        [None, Some("2".into()), Some("4".into()), Some("6".into())]
    );
    // The disabled secret was listed but not read (and set nothing: no unknown key).
    assert!(
        !vault.seen().iter().any(|s| s.path().contains("retired")),
        "{:?}",
        vault.seen()
    );

    // Nested under a key.
    #[derive(Settings, Debug)]
    struct Outer {
        #[settings(nested)]
        app: Everything,
    }
    let outer = Outer::loader()
        .env_vars([("X", "")])
        .provider(vault.source().nest("app"))
        .load()
        .unwrap();
    assert_eq!(outer.app.port, 7070);
}

#[tokio::test(flavor = "current_thread")]
async fn load_works_on_the_only_thread_of_a_current_thread_runtime() {
    let vault = KeyVault::holding(&app_secrets(), 25);
    let app = App::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secrets(NAMED))
        .load()
        .unwrap();
    assert_eq!(app.db.pool_size, 20);
}

#[test]
fn a_missing_secret_is_a_source_issue_naming_it() {
    let vault = KeyVault::holding(&app_secrets(), 25);
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secrets(["db--password", "db--nope"]))
        .load()
        .unwrap_err();
    let issue = source_issue(&err);
    let at = format!("{HOST}:{}", vault.addr.port());
    assert!(
        issue
            .message
            .contains(&format!("azure key vault at {at} has no secret db--nope")),
        "{err}"
    );
    assert!(issue.message.contains("SecretNotFound"), "{err}");
    assert_eq!(
        issue.origin.as_deref(),
        Some(format!("provider azure key vault {at}").as_str())
    );
    assert_hidden(&err, "kv-s3cret-password");
    // Not retried: one GET of it with the token.
    let tries = vault
        .authorized()
        .iter()
        .filter(|s| s.path().contains("db--nope"))
        .count();
    assert_eq!(tries, 1);
    eprintln!("missing secret: {err}");
}

#[test]
fn access_denied_is_a_source_issue_and_is_not_retried() {
    let vault = KeyVault::start(|seen, _| {
        if seen.path() == "/secrets" {
            error_body(
                403,
                "Forbidden",
                "Caller is not authorized to perform action on resource. Action: \
                 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'",
            )
        } else {
            reply(
                200,
                serde_json::json!({ "value": "kv-s3cret-never-listed" }),
            )
        }
    });
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(vault.source())
        .load()
        .unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue
            .message
            .contains("denied listing the secrets (403: Forbidden: Caller is not authorized"),
        "{err}"
    );
    assert!(issue.message.contains("Key Vault Secrets User"), "{err}");
    assert_eq!(vault.authorized().len(), 1, "{:?}", vault.seen());
    eprintln!("denied: {err}");

    // A disabled secret, named: Key Vault's 403.
    let vault = KeyVault::holding(&[("db--password", "kv-s3cret-disabled", false)], 25);
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secret("db--password"))
        .load()
        .unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue
            .message
            .contains("denied the secret db--password (403"),
        "{err}"
    );
    assert_hidden(&err, "kv-s3cret-disabled");
}

#[test]
fn throttling_with_retry_after_is_waited_out() {
    let calls = Arc::new(Mutex::new(0u32));
    let vault = {
        let calls = calls.clone();
        KeyVault::start(move |_, base| {
            let mut n = calls.lock().unwrap();
            *n += 1;
            if *n == 1 {
                let mut r = error_body(
                    429,
                    "Throttled",
                    "Request was not processed because too many requests were received.",
                );
                r.headers.push(("Retry-After", "1".to_owned()));
                r
            } else {
                reply(
                    200,
                    serde_json::json!({
                        "value": "kv-s3cret-after-429",
                        "id": format!("{base}/secrets/db--password/1"),
                        "attributes": { "enabled": true }
                    }),
                )
            }
        })
    };
    #[derive(Settings, Debug)]
    struct Creds {
        #[settings(nested)]
        db: Pass,
    }
    #[derive(Settings, Debug)]
    struct Pass {
        password: Secret<String>,
    }
    let started = Instant::now();
    let creds = Creds::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secret("db--password"))
        .load()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(creds.db.password.expose_secret(), "kv-s3cret-after-429");
    assert_eq!(vault.authorized().len(), 2);
    assert!(
        took >= Duration::from_secs(1),
        "Retry-After: 1 not honoured: {took:?}"
    );

    // With one attempt only, the 429 is the answer.
    *calls.lock().unwrap() = 0;
    let err = Creds::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secret("db--password").attempts(1))
        .load()
        .unwrap_err();
    assert!(
        source_issue(&err)
            .message
            .contains("answered 429 for the secret db--password"),
        "{err}"
    );
}

#[test]
fn an_unreadable_answer_is_a_source_issue_that_does_not_quote_it() {
    let vault = KeyVault::start(|_, _| {
        reply(
            200,
            serde_json::json!({ "value": "v", "attributes": { "enabled": "kv-s3cret-in-body" } }),
        )
    });
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secret("db--password"))
        .load()
        .unwrap_err();
    assert!(
        source_issue(&err)
            .message
            .contains("not a Key Vault secret"),
        "{err}"
    );
    assert_hidden(&err, "kv-s3cret-in-body");
}

#[test]
fn a_server_that_accepts_and_never_answers_fails_within_the_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let (_, cert_pem) = tls_config();
    let started = Instant::now();
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(
            AzureKeyVault::vault(format!("https://{HOST}:{}", addr.port()))
                .secret("db--password")
                .credential(Arc::new(FixedToken::default()))
                .http_client(client_to(&cert_pem, addr))
                .timeout(Duration::from_secs(2)),
        )
        .load()
        .unwrap_err();
    let took = started.elapsed();
    let issue = source_issue(&err);
    eprintln!("silent vault: failed after {took:?}: {}", issue.message);
    assert!(
        issue.message.contains(&format!(
            "no answer from azure key vault at {HOST}:{} within 2.0 s",
            addr.port()
        )),
        "{err}"
    );
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[test]
fn an_unreachable_vault_is_a_source_issue_naming_it() {
    let port = closed_port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let (_, cert_pem) = tls_config();
    let started = Instant::now();
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(
            AzureKeyVault::vault(format!("https://{HOST}:{port}"))
                .secret("db--password")
                .credential(Arc::new(FixedToken::default()))
                .http_client(client_to(&cert_pem, addr)),
        )
        .load()
        .unwrap_err();
    let took = started.elapsed();
    let issue = source_issue(&err);
    eprintln!(
        "unreachable vault: failed after {took:?}: {}",
        issue.message
    );
    assert!(
        issue
            .message
            .contains(&format!("cannot reach azure key vault at {HOST}:{port}")),
        "{err}"
    );
    assert!(
        issue.message.contains("(gave up after 3 attempts)"),
        "{err}"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn a_plain_http_vault_url_is_refused_before_any_request() {
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(
            AzureKeyVault::vault("http://127.0.0.1:1").credential(Arc::new(FixedToken::default())),
        )
        .load()
        .unwrap_err();
    assert!(
        source_issue(&err).message.contains("is not https://"),
        "{err}"
    );
}

#[test]
fn a_last_known_good_copy_serves_when_the_vault_is_down() {
    let down = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let vault = {
        let down = down.clone();
        let secrets: Vec<(String, String, bool)> = app_secrets()
            .iter()
            .map(|(n, v, e)| (n.to_string(), v.to_string(), *e))
            .collect();
        KeyVault::start(move |seen, base| {
            if down.load(std::sync::atomic::Ordering::SeqCst) {
                error_body(503, "ServiceUnavailable", "The service is unavailable.")
            } else {
                store(&secrets, 25, seen, base)
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("kv-cache.json");
    let source = || vault.source().secrets(NAMED).cache_file(&cache);
    App::loader()
        .env_vars([("X", "")])
        .provider(source())
        .load()
        .unwrap();
    down.store(true, std::sync::atomic::Ordering::SeqCst);
    let report = App::loader()
        .env_vars([("X", "")])
        .provider(source())
        .explain()
        .unwrap();
    let password = report.get("db.password").unwrap();
    assert!(password.secret);
    assert_eq!(
        password.origin,
        format!(
            "azure key vault {HOST}:{}: db--password (last known good copy from {})",
            vault.addr.port(),
            cache.display()
        )
    );
    assert!(!report.to_string().contains("kv-s3cret-password"));
    // Without the copy, the outage is a Source issue after the retries.
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secrets(NAMED))
        .load()
        .unwrap_err();
    assert!(source_issue(&err).message.contains("answered 503"), "{err}");
}

/// The test whose child `default_chain_child` is.
const CHAIN_TEST: &str = "azure::the_default_chain_takes_a_service_principal_from_the_environment";

/// The child of `the_default_chain_takes_a_service_principal_from_the_environment`, in a
/// process whose environment names the service principal, the authority host (our server)
/// and where the vault is; prints what the load gave.
fn default_chain_child() {
    let url = std::env::var("SETTINGS_TEST_AZURE_VAULT").unwrap();
    let addr: SocketAddr = std::env::var("SETTINGS_TEST_AZURE_ADDR")
        .unwrap()
        .parse()
        .unwrap();
    let pem = std::fs::read_to_string(std::env::var("SETTINGS_TEST_AZURE_CERT").unwrap()).unwrap();
    let source = AzureKeyVault::vault(url)
        .secrets(NAMED)
        .http_client(client_to(&pem, addr))
        .timeout(Duration::from_secs(8));
    match App::loader().env_vars([("X", "")]).provider(source).load() {
        Ok(app) => println!("CHILD-OK {}", app.db.pool_size),
        // On one line, for the parent to find.
        Err(err) => println!(
            "CHILD-ERR {} || {err:?}",
            err.to_string().replace('\n', " | ")
        ),
    }
}

#[test]
fn the_default_chain_takes_a_service_principal_from_the_environment() {
    if in_child() {
        return default_chain_child();
    }
    let vault = KeyVault::holding(&app_secrets(), 25);
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("vault.pem");
    std::fs::write(&cert, &vault.cert_pem).unwrap();
    let child = |secret: Option<&str>| {
        child_result(CHAIN_TEST, |command| {
            command
                .env("SETTINGS_TEST_AZURE_VAULT", &vault.url)
                .env("SETTINGS_TEST_AZURE_ADDR", vault.addr.to_string())
                .env("SETTINGS_TEST_AZURE_CERT", &cert)
                .env("AZURE_AUTHORITY_HOST", &vault.url);
            match secret {
                Some(secret) => {
                    command
                        .env("AZURE_TENANT_ID", TENANT)
                        .env("AZURE_CLIENT_ID", CLIENT_ID)
                        .env("AZURE_CLIENT_SECRET", secret);
                }
                None => {
                    for var in ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"] {
                        command.env_remove(var);
                    }
                }
            }
            for var in [
                "AZURE_FEDERATED_TOKEN_FILE",
                "IDENTITY_ENDPOINT",
                "IDENTITY_HEADER",
                "MSI_ENDPOINT",
            ] {
                command.env_remove(var);
            }
        })
    };
    // The right secret: the chain's first step gets our token from the authority host, and
    // the vault accepts it.
    assert_eq!(child(Some(CLIENT_SECRET)), "CHILD-OK 20");
    let grants: Vec<Seen> = vault
        .seen()
        .into_iter()
        .filter(|s| s.method == "POST")
        .collect();
    assert_eq!(grants.len(), 1, "{grants:?}");
    assert!(
        vault
            .authorized()
            .iter()
            .all(|s| s.authorization.as_deref() == Some(&*format!("Bearer {TOKEN}")))
    );

    // A wrong secret: Entra ID's invalid_client. The environment chose the service
    // principal, so the chain ends there with its error (no other identity is tried), which
    // shows neither the client secret nor a vault's secret.
    let wrong = child(Some("wrong-client-s3cret"));
    eprintln!("default chain, wrong client secret: {wrong}");
    assert!(
        wrong.contains(
            "no Azure credential gave a token: service principal (AZURE_CLIENT_SECRET): \
             ClientSecretCredential authentication failed. AADSTS7000215"
        ),
        "{wrong}"
    );
    assert!(!wrong.contains("developer tools"), "{wrong}");
    assert!(!wrong.contains("wrong-client-s3cret"), "{wrong}");
    // It was asked (once per secret read at the same time: each met the challenge).
    assert!(vault.seen().iter().filter(|s| s.method == "POST").count() > 1);

    // Nothing configured: managed identity (no App Service, no instance metadata service here)
    // and the developer tools are tried, and the issue says what each found.
    let none = child(None);
    eprintln!("default chain, nothing configured: {none}");
    if none.contains("refused the token") {
        // This machine has `az login` or a managed identity: a real token, not ours.
        eprintln!("a developer tool or managed identity gave a token on this machine");
    } else {
        assert!(
            none.contains("no Azure credential gave a token: tried managed identity: "),
            "{none}"
        );
        assert!(none.contains("; developer tools (az, azd): "), "{none}");
        assert!(none.contains("(give one with .credential(..))"), "{none}");
    }
    assert!(!wrong.contains("kv-s3cret-password"), "{wrong}");
}

#[test]
fn a_next_link_to_another_host_is_not_followed() {
    let vault = KeyVault::start(|seen, base| {
        let other = base.replace("myvault.", "elsewhere.");
        if seen.path() == "/secrets" {
            reply(
                200,
                serde_json::json!({
                    "value": [{ "id": format!("{base}/secrets/port"), "attributes": { "enabled": true } }],
                    "nextLink": format!("{other}/secrets?api-version=2025-07-01&$skiptoken=1")
                }),
            )
        } else {
            reply(200, serde_json::json!({ "value": "1" }))
        }
    });
    let err = Everything::loader()
        .env_vars([("X", "")])
        .provider(vault.source())
        .load()
        .unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue.message.contains(&format!(
            "the vault sent a link to another host (elsewhere.vault.azure.net:{}), not followed",
            vault.addr.port()
        )),
        "{err}"
    );
}

#[test]
fn a_single_dash_stays_so_an_undeclared_name_gets_a_suggestion() {
    #[derive(Settings, Debug)]
    #[allow(dead_code)] // never loaded: the load fails
    struct Pool {
        #[settings(default = 5)]
        pool_size: u32,
    }
    let vault = KeyVault::holding(&[("pool-size", "kv-s3cret-pool", true)], 25);
    let err = Pool::loader()
        .env_vars([("X", "")])
        .provider(vault.source().secret("pool-size"))
        .load()
        .unwrap_err();
    let issue = &err.issues()[0];
    assert_eq!(issue.kind, IssueKind::Unknown, "{err}");
    assert!(issue.message.contains("pool_size"), "{err}");
    assert_hidden(&err, "kv-s3cret-pool");
}
