//! Remote sources against real servers on 127.0.0.1: etcd, OpenBao (the Vault API) and moto
//! (AWS Secrets Manager and SSM Parameter Store, one instance with signatures checked).
//! `scripts/with-services cargo test --test it remote:: -- --include-ignored` starts them and says
//! where they are in `SETTINGS_TEST_*` variables. A test that needs them is
//! `#[ignore = "needs services"]`: `cargo test` lists it as ignored instead of passing without
//! having run, and under `--include-ignored` (as in `scripts/test-all`) a missing server fails it.
//!
//! Each test uses its own keys (a unique prefix, path or secret name), so they run in parallel;
//! the watch tests take a lock, so that their thread counts are their own.

use crate::{assert_hidden, child_result, closed_port, in_child, silent_server, source_issue};
use settings_core::remote::{AwsParameterStore, AwsSecretsManager, Etcd, Vault};
use settings_core::{IssueKind, Secret, Settings};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Where the servers are, and small clients to seed them.

/// The server's URL from `var`, which `scripts/with-services` sets; a test that needs it is
/// `#[ignore = "needs services"]`, so a missing one fails it.
pub(crate) fn server(var: &str) -> String {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("{var} is not set: run under scripts/with-services"),
    }
}

/// A name no other test (or earlier run against the same servers) uses.
pub(crate) fn unique(stem: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{stem}-{}-{}-{}",
        std::process::id(),
        nanos % 1_000_000_000,
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// One HTTP/1.0 exchange (so the answer is never chunked): status and body.
pub(crate) fn http(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut stream = TcpStream::connect(authority).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.0\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
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

fn etcd_put(etcd: &str, key: &str, value: &str) {
    let body = serde_json::json!({ "key": b64(key.as_bytes()), "value": b64(value.as_bytes()) });
    let (status, text) = http("POST", &format!("{etcd}/v3/kv/put"), &[], &body.to_string());
    assert_eq!(status, 200, "etcd put {key}: {text}");
}

fn vault_put(vault: &str, path: &str, data: serde_json::Value) {
    vault_put_in(vault, None, path, data);
}

fn vault_put_in(vault: &str, namespace: Option<&str>, path: &str, data: serde_json::Value) {
    let mut headers = vec![("X-Vault-Token", "root")];
    if let Some(ns) = namespace {
        headers.push(("X-Vault-Namespace", ns));
    }
    let body = serde_json::json!({ "data": data }).to_string();
    let (status, text) = http(
        "POST",
        &format!("{vault}/v1/secret/data/{path}"),
        &headers,
        &body,
    );
    assert_eq!(status, 200, "vault put {path}: {text}");
}

/// Runs AWS calls through boto3 (moto's own dependency): `ops` is a list of
/// `["sm", name, text]`, `["sm-put", name, text]` or `["ssm", name, value, type]`.
pub(crate) fn moto_seed(moto: &str, ops: serde_json::Value) {
    let script = r#"
import json, sys, boto3
ep, ops = sys.argv[1], json.loads(sys.stdin.read())
kw = dict(endpoint_url=ep, region_name="us-east-1",
          aws_access_key_id="testing", aws_secret_access_key="testing")
sm, ssm = boto3.client("secretsmanager", **kw), boto3.client("ssm", **kw)
for op in ops:
    if op[0] == "sm": sm.create_secret(Name=op[1], SecretString=op[2])
    elif op[0] == "sm-put": sm.put_secret_value(SecretId=op[1], SecretString=op[2])
    elif op[0] == "ssm": ssm.put_parameter(Name=op[1], Value=op[2], Type=op[3], Overwrite=True)
"#;
    let mut child = Command::new("python3")
        .args(["-c", script, moto])
        .stdin(Stdio::piped())
        .spawn()
        .expect("python3 with boto3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ops.to_string().as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "seeding moto failed");
}

/// A Secrets Manager source at `endpoint` (moto), with the region and keys moto accepts given
/// to the source, not to the process environment.
pub(crate) fn aws_secret(name: &str, endpoint: &str) -> AwsSecretsManager {
    AwsSecretsManager::secret(name)
        .region("us-east-1")
        .static_credentials("testing", "testing")
        .endpoint_url(endpoint)
}

/// A Parameter Store source at `endpoint` (moto), likewise.
fn aws_parameters(path: String, endpoint: &str) -> AwsParameterStore {
    AwsParameterStore::path(path)
        .region("us-east-1")
        .static_credentials("testing", "testing")
        .endpoint_url(endpoint)
}

// ---------------------------------------------------------------------------------------------
// The settings the tests load.

#[derive(Settings, Debug)]
struct Db {
    url: String,
    #[settings(default = 10)]
    pool_size: u32,
}

#[derive(Settings, Debug)]
struct App {
    #[settings(default = 8000)]
    port: u16,
    /// Text stays text: "007" is not the number 7.
    #[settings(default = "x")]
    zip: String,
    #[settings(default = [])]
    tags: Vec<String>,
    #[settings(nested)]
    db: Db,
}

#[derive(Settings, Debug)]
struct Creds {
    password: Secret<String>,
    #[settings(default = 5)]
    pool_size: u32,
    #[settings(default = 8000)]
    port: u16,
}

// ---------------------------------------------------------------------------------------------
// etcd

#[test]
#[ignore = "needs services"]
fn etcd_keys_under_a_prefix_nest_by_slash_and_convert_by_declared_type() {
    let etcd = server("SETTINGS_TEST_ETCD");
    let prefix = format!("/{}/", unique("etcd-load"));
    etcd_put(&etcd, &format!("{prefix}port"), "9090");
    etcd_put(&etcd, &format!("{prefix}zip"), "007");
    etcd_put(&etcd, &format!("{prefix}tags"), "a,b");
    etcd_put(&etcd, &format!("{prefix}db/url"), "postgres://db/app");
    etcd_put(&etcd, &format!("{prefix}db/pool_size"), "20");
    etcd_put(&etcd, &format!("{prefix}x"), "outside the struct");
    // A key next to the prefix, not under it.
    etcd_put(
        &etcd,
        &format!("{}-other/port", prefix.trim_end_matches('/')),
        "1",
    );

    let loader = || {
        App::loader()
            .env_vars([("X", "")])
            .provider(Etcd::prefix([etcd.as_str()], prefix.clone()).timeout(Duration::from_secs(5)))
    };
    // `x` is unknown to the struct: a did-you-mean issue, as from a file.
    let err = loader().load().unwrap_err();
    assert!(
        err.issues().iter().all(|i| i.kind == IssueKind::Unknown),
        "{err}"
    );
    http(
        "POST",
        &format!("{etcd}/v3/kv/deleterange"),
        &[],
        &serde_json::json!({ "key": b64(format!("{prefix}x").as_bytes()) }).to_string(),
    );

    let app = loader().load().unwrap();
    assert_eq!(app.port, 9090);
    assert_eq!(app.zip, "007");
    assert_eq!(app.tags, ["a", "b"]);
    assert_eq!(app.db.url, "postgres://db/app");
    assert_eq!(app.db.pool_size, 20);

    let report = loader().explain().unwrap();
    let pool = report.get("db.pool_size").unwrap();
    assert_eq!(pool.origin, format!("etcd {prefix}db/pool_size"));
    assert!(!pool.secret);
    assert_eq!(pool.value, "20");

    // Marked secret: masked in the report.
    let report = App::loader()
        .env_vars([("X", "")])
        .provider(Etcd::prefix([etcd.as_str()], prefix.clone()).mark_secret(true))
        .explain()
        .unwrap();
    let url = report.get("db.url").unwrap();
    assert!(url.secret);
    assert!(
        !report.to_string().contains("postgres://db/app"),
        "{report}"
    );
}

#[test]
#[ignore = "needs services"]
fn etcd_an_empty_prefix_sets_nothing_and_a_second_endpoint_takes_over() {
    let etcd = server("SETTINGS_TEST_ETCD");
    let prefix = format!("/{}/", unique("etcd-empty"));
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(Etcd::prefix([etcd.as_str()], prefix.clone()))
        .load()
        .unwrap_err();
    assert_eq!(err.issues()[0].kind, IssueKind::Missing, "{err}");
    assert_eq!(err.issues()[0].path, "db.url");

    // The first endpoint is down: the second answers.
    etcd_put(&etcd, &format!("{prefix}db/url"), "u");
    let down = format!("http://127.0.0.1:{}", closed_port());
    let app = App::loader()
        .env_vars([("X", "")])
        .provider(Etcd::prefix([down.as_str(), etcd.as_str()], prefix))
        .load()
        .unwrap();
    assert_eq!(app.db.url, "u");
}

#[derive(Settings, Debug)]
struct Many {
    #[settings(default)]
    flags: std::collections::BTreeMap<String, String>,
}

#[test]
#[ignore = "needs services"]
fn etcd_more_keys_than_one_page_are_all_read() {
    let etcd = server("SETTINGS_TEST_ETCD");
    let prefix = format!("/{}/", unique("etcd-pages"));
    // 1,100 keys (a page is 1,000), written 100 to a transaction.
    for batch in 0..11 {
        let puts: Vec<serde_json::Value> = (0..100)
            .map(|i| {
                let key = format!("{prefix}flags/f{:04}", batch * 100 + i);
                serde_json::json!({ "requestPut": { "key": b64(key.as_bytes()), "value": b64(b"on") } })
            })
            .collect();
        let body = serde_json::json!({ "success": puts }).to_string();
        let (status, text) = http("POST", &format!("{etcd}/v3/kv/txn"), &[], &body);
        assert_eq!(status, 200, "{text}");
    }
    let many = Many::loader()
        .env_vars([("X", "")])
        .provider(Etcd::prefix([etcd.as_str()], prefix))
        .load()
        .unwrap();
    assert_eq!(many.flags.len(), 1100);
    assert_eq!(many.flags["f1099"], "on");
}

#[test]
#[ignore = "needs services"]
fn etcd_a_value_over_the_size_limit_is_a_source_issue() {
    let etcd = server("SETTINGS_TEST_ETCD");
    let prefix = format!("/{}/", unique("etcd-huge"));
    etcd_put(&etcd, &format!("{prefix}db/url"), &"x".repeat(64 * 1024));
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(Etcd::prefix([etcd.as_str()], prefix.clone()).max_size(16 * 1024))
        .load()
        .unwrap_err();
    let issue = source_issue(&err);
    assert!(issue.message.contains("limit of 16384 bytes"), "{err}");
    assert!(issue.message.contains("127.0.0.1:"), "{err}");
    assert_eq!(
        issue.origin.as_deref(),
        Some(format!("provider etcd {prefix}").as_str())
    );
}

#[test]
fn etcd_unreachable_fails_fast_with_a_clear_source_issue() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let started = Instant::now();
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(Etcd::prefix([url.as_str()], "/app/"))
        .load()
        .unwrap_err();
    let took = started.elapsed();
    let issue = source_issue(&err);
    eprintln!("etcd unreachable: failed after {took:?}: {}", issue.message);
    assert!(issue.message.contains(&url["http://".len()..]), "{err}");
    assert!(issue.message.contains("3 attempts"), "{err}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn a_server_that_accepts_and_never_answers_fails_within_the_timeout() {
    let silent = silent_server();
    for (name, limit) in [("etcd", 2u64), ("vault", 2)] {
        let started = Instant::now();
        let timeout = Duration::from_secs(limit);
        let loader = App::loader().env_vars([("X", "")]);
        let loader = match name {
            "etcd" => loader.provider(Etcd::prefix([silent.as_str()], "/app/").timeout(timeout)),
            _ => loader.provider(
                Vault::kv2(silent.as_str(), "secret", "app")
                    .token("t")
                    .timeout(timeout),
            ),
        };
        let err = loader.load().unwrap_err();
        let took = started.elapsed();
        let issue = source_issue(&err);
        eprintln!(
            "{name} silent server: failed after {took:?}: {}",
            issue.message
        );
        assert!(issue.message.contains("did not answer within"), "{err}");
        assert!(took >= timeout - Duration::from_millis(100), "{took:?}");
        assert!(took < timeout + Duration::from_secs(1), "{took:?}");
    }
}

/// The watch tests count threads by name; one at a time.
pub(crate) static WATCH: Mutex<()> = Mutex::new(());

fn etcd_watch_threads() -> usize {
    threads_named("settings-etcd-w")
}

/// The threads of this process with this name (as the kernel keeps it: 15 bytes).
pub(crate) fn threads_named(name: &str) -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|comm| comm.trim() == name)
        .count()
}

/// Polls `f` every millisecond until it is true; how long that took, or `None` after `limit`.
pub(crate) fn wait_for(limit: Duration, mut f: impl FnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if f() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    None
}

#[test]
#[ignore = "needs services"]
fn etcd_a_change_reaches_live_within_a_second_and_dropping_live_stops_the_watch() {
    let etcd = server("SETTINGS_TEST_ETCD");
    let _one = WATCH.lock().unwrap_or_else(|e| e.into_inner());
    let prefix = format!("/{}/", unique("etcd-watch"));
    etcd_put(&etcd, &format!("{prefix}db/url"), "u");
    etcd_put(&etcd, &format!("{prefix}db/pool_size"), "1");
    let live = App::loader()
        .env_vars([("X", "")])
        .provider(Etcd::prefix([etcd.as_str()], prefix.clone()))
        .watch()
        .unwrap();
    assert_eq!(live.get().db.pool_size, 1);
    // (A new thread takes its name a moment after it starts.)
    assert!(wait_for(Duration::from_secs(1), || etcd_watch_threads() == 1).is_some());
    let mut worst = Duration::ZERO;
    for n in 2..=6u32 {
        etcd_put(&etcd, &format!("{prefix}db/pool_size"), &n.to_string());
        let took = wait_for(Duration::from_secs(5), || live.get().db.pool_size == n)
            .unwrap_or_else(|| panic!("change {n} not seen within 5 s"));
        worst = worst.max(took);
    }
    eprintln!("etcd change to Live: worst of 5 changes {worst:?}");
    assert!(worst < Duration::from_secs(1), "{worst:?}");
    drop(live);
    let ended = wait_for(Duration::from_secs(2), || etcd_watch_threads() == 0);
    assert!(ended.is_some(), "the etcd watch thread outlived the Live");
    eprintln!(
        "etcd watch thread ended {:?} after the drop",
        ended.unwrap()
    );
}

/// An etcd of this test's own (so it can be stopped and restarted), on free ports.
struct OwnEtcd {
    child: Option<Child>,
    dir: tempfile::TempDir,
    client: u16,
    peer: u16,
}

impl OwnEtcd {
    fn start() -> OwnEtcd {
        let dir = tempfile::tempdir().unwrap();
        let mut etcd = OwnEtcd {
            child: None,
            dir,
            client: closed_port(),
            peer: closed_port(),
        };
        etcd.restart();
        etcd
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.client)
    }

    fn restart(&mut self) {
        let client = self.url();
        let peer = format!("http://127.0.0.1:{}", self.peer);
        let child = Command::new("etcd")
            .args(["--name", "own", "--data-dir"])
            .arg(self.dir.path().join("data"))
            .args([
                "--listen-client-urls",
                &client,
                "--advertise-client-urls",
                &client,
            ])
            .args([
                "--listen-peer-urls",
                &peer,
                "--initial-advertise-peer-urls",
                &peer,
            ])
            .arg(format!("--initial-cluster=own={peer}"))
            .args(["--logger=zap", "--log-level=error"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the etcd binary (scripts/services installs it)");
        self.child = Some(child);
        let ready = wait_for(Duration::from_secs(20), || {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                panic!("etcd exited: {status}");
            }
            TcpStream::connect(("127.0.0.1", self.client)).is_ok()
                && http("GET", &format!("{}/health", self.url()), &[], "").0 == 200
        });
        assert!(ready.is_some(), "own etcd not ready in 20 s");
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OwnEtcd {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs an etcd of its own (the binary `scripts/services` installs) to stop and restart it.
#[test]
#[ignore = "needs services"]
fn etcd_stopped_and_restarted_during_a_watch_the_watch_resumes() {
    let _one = WATCH.lock().unwrap_or_else(|e| e.into_inner());
    let mut etcd = OwnEtcd::start();
    let url = etcd.url();
    etcd_put(&url, "/app/db/url", "u");
    etcd_put(&url, "/app/db/pool_size", "1");
    let live = App::loader()
        .env_vars([("X", "")])
        .provider(Etcd::prefix([url.as_str()], "/app/").timeout(Duration::from_secs(2)))
        .watch()
        .unwrap();
    assert_eq!(live.get().db.pool_size, 1);

    etcd.stop();
    // Stopped before a load: a clear error within the timeout.
    let started = Instant::now();
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(Etcd::prefix([url.as_str()], "/app/").timeout(Duration::from_secs(2)))
        .load()
        .unwrap_err();
    let took = started.elapsed();
    let issue = source_issue(&err);
    eprintln!(
        "etcd stopped: load failed after {took:?}: {}",
        issue.message
    );
    assert!(issue.message.contains(&url["http://".len()..]), "{err}");
    assert!(
        took < Duration::from_secs(2) + Duration::from_millis(500),
        "{took:?}"
    );
    // Live keeps the last good value meanwhile.
    assert!(live.reload().is_err());
    assert_eq!(live.get().db.pool_size, 1);

    etcd.restart();
    let started = Instant::now();
    etcd_put(&url, "/app/db/pool_size", "2");
    let seen = wait_for(Duration::from_secs(10), || live.get().db.pool_size == 2);
    let seen = seen.expect("the watch did not resume after the restart");
    eprintln!(
        "etcd restarted: first change seen by Live {seen:?} after the put ({:?} after restart)",
        started.elapsed()
    );
    etcd_put(&url, "/app/db/pool_size", "3");
    let next = wait_for(Duration::from_secs(1), || live.get().db.pool_size == 3);
    assert!(next.is_some(), "the resumed watch is slow");
    drop(live);
    assert!(wait_for(Duration::from_secs(2), || etcd_watch_threads() == 0).is_some());
}

// ---------------------------------------------------------------------------------------------
// Vault (OpenBao)

#[test]
#[ignore = "needs services"]
fn vault_values_load_secret_by_default_with_per_key_origins() {
    let vault = server("SETTINGS_TEST_VAULT");
    let path = unique("vault-load");
    vault_put(
        &vault,
        &path,
        serde_json::json!({ "password": "vault-s3cret", "pool_size": "20", "port": 8080 }),
    );
    let source = || Vault::kv2(vault.as_str(), "secret", path.as_str()).token("root");
    let creds = Creds::loader()
        .env_vars([("X", "")])
        .provider(source())
        .load()
        .unwrap();
    assert_eq!(creds.password.expose_secret(), "vault-s3cret");
    assert_eq!((creds.pool_size, creds.port), (20, 8080));

    let report = Creds::loader()
        .env_vars([("X", "")])
        .provider(source())
        .explain()
        .unwrap();
    let password = report.get("password").unwrap();
    assert_eq!(password.origin, format!("vault secret/{path}: password"));
    assert!(password.secret);
    // Every value of a secret manager is secret, even a plain u32.
    let pool = report.get("pool_size").unwrap();
    assert!(pool.secret);
    assert_ne!(pool.value, "20");
    let shown = format!("{report}\n{}", serde_json::to_string(&report).unwrap());
    assert!(!shown.contains("vault-s3cret"), "{shown}");

    // An invalid secret value is reported without quoting it.
    vault_put(
        &vault,
        &path,
        serde_json::json!({ "password": "p", "pool_size": "lots-of-secret" }),
    );
    let err = Creds::loader()
        .env_vars([("X", "")])
        .provider(source())
        .load()
        .unwrap_err();
    assert_eq!(err.issues()[0].path, "pool_size", "{err}");
    assert_eq!(
        err.issues()[0].origin.as_deref(),
        Some(format!("vault secret/{path}: pool_size").as_str())
    );
    assert_hidden(&err, "lots-of-secret");
}

#[test]
#[ignore = "needs services"]
fn vault_version_pinning_and_nesting() {
    let vault = server("SETTINGS_TEST_VAULT");
    let path = unique("vault-version");
    vault_put(
        &vault,
        &path,
        serde_json::json!({ "url": "v1", "pool_size": "1" }),
    );
    vault_put(
        &vault,
        &path,
        serde_json::json!({ "url": "v2", "pool_size": "2" }),
    );
    let load = |v: Option<u64>| {
        let mut source = Vault::kv2(vault.as_str(), "secret", path.as_str())
            .token("root")
            .nest("db");
        if let Some(v) = v {
            source = source.version(v);
        }
        App::loader().env_vars([("X", "")]).provider(source).load()
    };
    assert_eq!(load(None).unwrap().db.url, "v2");
    assert_eq!(load(Some(1)).unwrap().db.url, "v1");
    let err = load(Some(9)).unwrap_err();
    assert!(
        source_issue(&err).message.contains("has no version 9"),
        "{err}"
    );
}

#[test]
#[ignore = "needs services"]
fn vault_namespace_header() {
    let vault = server("SETTINGS_TEST_VAULT");
    let ns = unique("ns");
    let root = [("X-Vault-Token", "root")];
    let (status, text) = http(
        "POST",
        &format!("{vault}/v1/sys/namespaces/{ns}"),
        &root,
        "{}",
    );
    assert_eq!(status, 200, "create namespace: {text}");
    let in_ns = [
        ("X-Vault-Token", "root"),
        ("X-Vault-Namespace", ns.as_str()),
    ];
    let mount = serde_json::json!({ "type": "kv", "options": { "version": "2" } }).to_string();
    let (status, text) = http(
        "POST",
        &format!("{vault}/v1/sys/mounts/secret"),
        &in_ns,
        &mount,
    );
    assert_eq!(status, 204, "mount kv in namespace: {text}");
    vault_put_in(
        &vault,
        Some(&ns),
        "app",
        serde_json::json!({ "password": "in-ns" }),
    );
    let load = |namespace: Option<&str>| {
        let mut source = Vault::kv2(vault.as_str(), "secret", "app").token("root");
        if let Some(ns) = namespace {
            source = source.namespace(ns);
        }
        Creds::loader()
            .env_vars([("X", "")])
            .provider(source)
            .load()
    };
    assert_eq!(load(Some(&ns)).unwrap().password.expose_secret(), "in-ns");
    // The root namespace has no secret/app (no other test writes that path).
    let err = load(None).unwrap_err();
    assert!(
        source_issue(&err)
            .message
            .contains("has no secret secret/app"),
        "{err}"
    );
}

#[test]
#[ignore = "needs services"]
fn vault_a_wrong_token_is_denied_and_a_missing_path_is_named() {
    let vault = server("SETTINGS_TEST_VAULT");
    let path = unique("vault-denied");
    vault_put(
        &vault,
        &path,
        serde_json::json!({ "password": "never-shown" }),
    );
    let at = &vault["http://".len()..];
    let started = Instant::now();
    let err = Creds::loader()
        .env_vars([("X", "")])
        .provider(Vault::kv2(vault.as_str(), "secret", path.as_str()).token("wrong-token"))
        .load()
        .unwrap_err();
    let issue = source_issue(&err);
    assert!(issue.message.contains("denied access"), "{err}");
    assert!(issue.message.contains("permission denied"), "{err}");
    assert!(issue.message.contains(at), "{err}");
    assert!(!issue.message.contains("wrong-token"), "{err}");
    assert_hidden(&err, "never-shown");
    // A denial is not retried.
    assert!(started.elapsed() < Duration::from_secs(1));

    let err = Creds::loader()
        .env_vars([("X", "")])
        .provider(Vault::kv2(vault.as_str(), "secret", format!("{path}-missing")).token("root"))
        .load()
        .unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue
            .message
            .contains(&format!("has no secret secret/{path}-missing")),
        "{err}"
    );
    assert!(issue.message.contains(at), "{err}");
    println!("{err}");
}

#[test]
#[ignore = "needs services"]
fn vault_a_value_over_the_size_limit_is_a_source_issue() {
    let vault = server("SETTINGS_TEST_VAULT");
    let path = unique("vault-huge");
    vault_put(
        &vault,
        &path,
        serde_json::json!({ "password": "y".repeat(64 * 1024) }),
    );
    let err = Creds::loader()
        .env_vars([("X", "")])
        .provider(
            Vault::kv2(vault.as_str(), "secret", path.as_str())
                .token("root")
                .max_size(16 * 1024),
        )
        .load()
        .unwrap_err();
    assert!(
        source_issue(&err)
            .message
            .contains("larger than the limit of 16384 bytes"),
        "{err}"
    );
}

#[test]
#[ignore = "needs services"]
fn a_last_known_good_cache_file_serves_during_an_outage() {
    let vault = server("SETTINGS_TEST_VAULT");
    let path = unique("vault-cache");
    vault_put(
        &vault,
        &path,
        serde_json::json!({ "password": "cached-s3cret", "pool_size": "7" }),
    );
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("settings-cache.json");
    let up = Vault::kv2(vault.as_str(), "secret", path.as_str())
        .token("root")
        .cache_file(&cache);
    let creds = Creds::loader()
        .env_vars([("X", "")])
        .provider(up)
        .load()
        .unwrap();
    assert_eq!(creds.pool_size, 7);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the cache holds secrets: owner only");
    }

    // The same secret, its server down: served from the cache, and the report says so.
    let down = format!("http://127.0.0.1:{}", closed_port());
    let source = || {
        Vault::kv2(down.as_str(), "secret", path.as_str())
            .token("root")
            .timeout(Duration::from_secs(1))
    };
    let report = Creds::loader()
        .env_vars([("X", "")])
        .provider(source().cache_file(&cache))
        .explain()
        .unwrap();
    let password = report.get("password").unwrap();
    assert_eq!(
        password.origin,
        format!(
            "vault secret/{path}: password (last known good copy from {})",
            cache.display()
        )
    );
    assert!(password.secret);
    assert!(!report.to_string().contains("cached-s3cret"));
    // Stale values never pass unnoticed: the outage is a warning of every load.
    let stale = format!(
        "the provider vault secret/{path} failed (cannot reach vault at {}",
        &down["http://".len()..]
    );
    assert!(
        report.warnings().iter().any(|w| w.starts_with(&stale)
            && w.ends_with(&format!(
                "its values come from the last known good copy {}",
                cache.display()
            ))),
        "{:?}",
        report.warnings()
    );

    // Without the cache: the outage is a Source issue.
    let err = Creds::loader()
        .env_vars([("X", "")])
        .provider(source())
        .load()
        .unwrap_err();
    assert!(
        source_issue(&err).message.contains("cannot reach vault"),
        "{err}"
    );
    // A cache of another source is not used.
    std::fs::write(
        &cache,
        br#"{"source": "vault secret/other", "entries": []}"#,
    )
    .unwrap();
    let err = Creds::loader()
        .env_vars([("X", "")])
        .provider(source().cache_file(&cache))
        .load()
        .unwrap_err();
    assert!(
        source_issue(&err).message.contains("cannot be used"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// AWS (moto)

#[test]
#[ignore = "needs services"]
fn aws_secrets_manager_json_keys_merge_as_secret_settings() {
    let moto = server("SETTINGS_TEST_MOTO");
    let name = unique("prod/app");
    let secret = serde_json::json!({ "password": "aws-s3cret", "pool_size": "20", "port": 6543 });
    moto_seed(&moto, serde_json::json!([["sm", name, secret.to_string()]]));
    let source = || aws_secret(name.as_str(), moto.as_str());
    let creds = Creds::loader()
        .env_vars([("X", "")])
        .provider(source())
        .load()
        .unwrap();
    assert_eq!(creds.password.expose_secret(), "aws-s3cret");
    assert_eq!((creds.pool_size, creds.port), (20, 6543));
    let report = Creds::loader()
        .env_vars([("X", "")])
        .provider(source())
        .explain()
        .unwrap();
    let password = report.get("password").unwrap();
    assert_eq!(
        password.origin,
        format!("aws secrets manager {name}: password")
    );
    assert!(password.secret);
    assert!(!report.to_string().contains("aws-s3cret"));
}

#[test]
#[ignore = "needs services"]
fn aws_secrets_manager_plain_string_version_stage_and_not_json() {
    let moto = server("SETTINGS_TEST_MOTO");
    let name = unique("prod/token");
    moto_seed(
        &moto,
        serde_json::json!([
            ["sm", name, "first-plain-s3cret"],
            ["sm-put", name, "second-plain-s3cret"]
        ]),
    );
    let source = || aws_secret(name.as_str(), moto.as_str());

    // Not JSON: a Source issue that says what to do, without the value.
    let err = Creds::loader()
        .env_vars([("X", "")])
        .provider(source())
        .load()
        .unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue
            .message
            .contains(&format!("the secret {name} is not JSON")),
        "{err}"
    );
    assert!(issue.message.contains(".single_key("), "{err}");
    assert_hidden(&err, "plain-s3cret");

    let creds = Creds::loader()
        .env_vars([("X", "")])
        .provider(source().single_key("password"))
        .load()
        .unwrap();
    assert_eq!(creds.password.expose_secret(), "second-plain-s3cret");
    let creds = Creds::loader()
        .env_vars([("X", "")])
        .provider(source().single_key("password").version_stage("AWSPREVIOUS"))
        .load()
        .unwrap();
    assert_eq!(creds.password.expose_secret(), "first-plain-s3cret");
}

#[test]
#[ignore = "needs services"]
fn aws_secrets_manager_missing_secret_and_huge_value() {
    let moto = server("SETTINGS_TEST_MOTO");
    let name = unique("missing/app");
    let err = Creds::loader()
        .env_vars([("X", "")])
        .provider(aws_secret(name.as_str(), moto.as_str()))
        .load()
        .unwrap_err();
    let issue = source_issue(&err);
    assert!(
        issue
            .message
            .contains(&format!("there is no secret {name}")),
        "{err}"
    );
    assert!(issue.message.contains("ResourceNotFoundException"), "{err}");
    assert!(issue.message.contains(&moto["http://".len()..]), "{err}");

    let big = unique("big/app");
    let value = serde_json::json!({ "password": "z".repeat(32 * 1024) }).to_string();
    moto_seed(&moto, serde_json::json!([["sm", big, value]]));
    let err = Creds::loader()
        .env_vars([("X", "")])
        .provider(aws_secret(big.as_str(), moto.as_str()).max_size(8 * 1024))
        .load()
        .unwrap_err();
    assert!(
        source_issue(&err)
            .message
            .contains("larger than the limit of 8192 bytes"),
        "{err}"
    );
}

#[derive(Settings, Debug)]
struct Service {
    #[settings(default = 8000)]
    port: u16,
    #[settings(default = [])]
    hosts: Vec<String>,
    #[settings(nested)]
    db: DbCreds,
    #[settings(default)]
    extra: std::collections::BTreeMap<String, String>,
}

#[derive(Settings, Debug)]
struct DbCreds {
    url: String,
    password: Secret<String>,
}

#[test]
#[ignore = "needs services"]
fn aws_parameter_store_reads_every_page_recursively_with_nesting_and_decryption() {
    let moto = server("SETTINGS_TEST_MOTO");
    let base = format!("/{}", unique("params"));
    let mut ops = vec![
        serde_json::json!(["ssm", format!("{base}/port"), "9000", "String"]),
        serde_json::json!(["ssm", format!("{base}/hosts"), "a,b", "StringList"]),
        serde_json::json!(["ssm", format!("{base}/db/url"), "postgres://db", "String"]),
        serde_json::json!([
            "ssm",
            format!("{base}/db/password"),
            "ssm-s3cret",
            "SecureString"
        ]),
    ];
    // 25 more, three levels deep: three pages of 10 at least.
    for i in 0..25 {
        ops.push(serde_json::json!([
            "ssm",
            format!("{base}/extra/k{i:02}"),
            format!("v{i}"),
            "String"
        ]));
    }
    moto_seed(&moto, serde_json::Value::Array(ops));
    let source = || aws_parameters(format!("{base}/"), moto.as_str());
    let service = Service::loader()
        .env_vars([("X", "")])
        .provider(source())
        .load()
        .unwrap();
    assert_eq!(service.port, 9000);
    assert_eq!(service.hosts, ["a", "b"]);
    assert_eq!(service.db.url, "postgres://db");
    assert_eq!(service.db.password.expose_secret(), "ssm-s3cret");
    assert_eq!(service.extra.len(), 25);
    assert_eq!(service.extra["k24"], "v24");

    let report = Service::loader()
        .env_vars([("X", "")])
        .provider(source())
        .explain()
        .unwrap();
    let password = report.get("db.password").unwrap();
    assert_eq!(
        password.origin,
        format!("aws parameter store {base}/db/password")
    );
    assert!(password.secret);
    let url = report.get("db.url").unwrap();
    assert!(!url.secret, "a String parameter is not secret");
    assert_eq!(url.value, "postgres://db");
    assert!(!report.to_string().contains("ssm-s3cret"));

    // Not recursive: only the direct children.
    let err = Service::loader()
        .env_vars([("X", "")])
        .provider(source().recursive(false))
        .load()
        .unwrap_err();
    assert_eq!(err.issues()[0].kind, IssueKind::Missing, "{err}");
}

#[test]
fn aws_unreachable_and_silent_endpoints_fail_within_the_timeout() {
    let down = format!("http://127.0.0.1:{}", closed_port());
    let silent = silent_server();
    for (what, endpoint) in [("unreachable", down), ("silent", silent)] {
        let timeout = Duration::from_secs(2);
        let started = Instant::now();
        let err = Creds::loader()
            .env_vars([("X", "")])
            .provider(aws_secret("prod/app", endpoint.as_str()).timeout(timeout))
            .load()
            .unwrap_err();
        let took = started.elapsed();
        let issue = source_issue(&err);
        eprintln!("aws {what}: failed after {took:?}: {}", issue.message);
        assert!(
            issue.message.contains(&endpoint["http://".len()..]),
            "{err}"
        );
        assert_eq!(
            issue.origin.as_deref(),
            Some("provider aws secrets manager prod/app")
        );
        assert!(took < timeout + Duration::from_millis(500), "{took:?}");
    }
}

#[test]
#[ignore = "needs services"]
fn aws_load_works_inside_a_multi_thread_tokio_runtime() {
    let moto = server("SETTINGS_TEST_MOTO");
    let name = unique("rt/app");
    moto_seed(
        &moto,
        serde_json::json!([["sm", name, r#"{"password": "rt"}"#]]),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let creds = rt.block_on(async {
        Creds::loader()
            .env_vars([("X", "")])
            .provider(aws_secret(name.as_str(), moto.as_str()))
            .load()
            .unwrap()
    });
    assert_eq!(creds.password.expose_secret(), "rt");
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs services"]
async fn aws_load_works_inside_a_current_thread_tokio_runtime() {
    let moto = server("SETTINGS_TEST_MOTO");
    let name = unique("rt1/app");
    moto_seed(
        &moto,
        serde_json::json!([["sm", name, r#"{"password": "rt1"}"#]]),
    );
    // On the runtime's only thread: no nested block_on panic, and the runtime is not needed.
    let creds = Creds::loader()
        .env_vars([("X", "")])
        .provider(aws_secret(name.as_str(), moto.as_str()))
        .load()
        .unwrap();
    assert_eq!(creds.password.expose_secret(), "rt1");
}

/// The child of `aws_signatures_are_checked`, in a process whose environment (the standard
/// chain: `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`) that
/// test sets; prints what the load gave.
fn aws_strict_child() {
    match Creds::loader()
        .env_vars([("X", "")])
        .provider(AwsSecretsManager::secret("strict/app"))
        .load()
    {
        Ok(creds) => println!("CHILD-OK {}", creds.port),
        Err(err) => println!("CHILD-ERR {err}"),
    }
}

#[test]
#[ignore = "needs services"]
fn aws_signatures_are_checked() {
    if in_child() {
        return aws_strict_child();
    }
    let strict = server("SETTINGS_TEST_MOTO_STRICT");
    let key_id = std::env::var("SETTINGS_TEST_MOTO_STRICT_KEY_ID").unwrap();
    let secret_key = std::env::var("SETTINGS_TEST_MOTO_STRICT_SECRET_KEY").unwrap();
    let child = |key_id: &str, secret_key: &str| {
        child_result("remote::aws_signatures_are_checked", |command| {
            command
                .env("AWS_ENDPOINT_URL", &strict)
                .env("AWS_REGION", "us-east-1")
                .env("AWS_ACCESS_KEY_ID", key_id)
                .env("AWS_SECRET_ACCESS_KEY", secret_key)
                .env_remove("AWS_PROFILE")
                .env_remove("AWS_SESSION_TOKEN");
        })
    };
    // The right key, signed by the SDK from the standard chain: accepted.
    assert_eq!(child(&key_id, &secret_key), "CHILD-OK 6543");
    // The right key id with a wrong secret: SignatureDoesNotMatch, as on AWS.
    let wrong = child(&key_id, "not-the-secret-key");
    assert!(
        wrong.contains("SignatureDoesNotMatch") || wrong.contains("signature"),
        "{wrong}"
    );
    assert!(wrong.contains("aws secrets manager strict/app"), "{wrong}");
    assert!(!wrong.contains("strict-s3cret"), "{wrong}");
    // An unknown key.
    let unknown = child("AKIAUNKNOWNKEY000000", "x");
    assert!(
        unknown.contains("InvalidClientTokenId") || unknown.contains("security token"),
        "{unknown}"
    );
    eprintln!("strict moto, wrong secret key: {wrong}\nstrict moto, unknown key: {unknown}");
}
