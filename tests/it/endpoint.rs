//! The settings endpoint (`settings_core::http`), served by the example's own axum app
//! (`examples/endpoint.rs`) on 127.0.0.1 and read with real clients: an HTTP client (ureq) for
//! every route, status code and header; Prometheus' own parser (`promtool check metrics`) for the
//! metrics; headless Chromium for the page (its rendered DOM, and a screenshot kept under
//! `target/endpoint/` for a person to look at). The tests that run promtool or Chromium are
//! `#[ignore]`d with the tool they need: `scripts/test-all` installs both and runs them with
//! `--include-ignored`, where a missing tool fails them.
//!
//! Each server reads its settings from a temporary directory (`greeter.toml`, `secrets/`) and
//! its variables from `env_vars`; a test edits the file and reloads through `POST /reload`.

#[path = "../../examples/endpoint.rs"]
mod example;

use example::Greeter;
use proptest::prelude::*;
use settings_core::{Live, Settings};
use std::path::{Path, PathBuf};
use std::process::Command;
use tower_service::Service as _;

const TOKEN: &str = "reload-token-for-tests";
const UPSTREAM: &str = "upstream-secret-Zq81xT";

/// A temporary directory with the greeter's files, and the `Live` settings read from it.
struct Fixture {
    dir: tempfile::TempDir,
    live: Live<Greeter>,
}

fn settings(toml: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("secrets")).unwrap();
    write_secret(dir.path(), UPSTREAM);
    std::fs::write(dir.path().join("greeter.toml"), toml).unwrap();
    // Reloads come from `POST /reload` only: a file event would start one too, and the counts
    // the tests check would depend on its timing; so a burst of events must stay quiet for an
    // hour before the watcher acts.
    let live = example::loader(dir.path())
        .env_vars([("GREETER_LOG_LEVEL", "debug")])
        .debounce(std::time::Duration::from_secs(3600))
        .watch()
        .unwrap();
    Fixture { dir, live }
}

fn write_secret(dir: &Path, value: &str) {
    let file = dir.join("secrets/upstream_token");
    std::fs::write(&file, value).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// The example's app on 127.0.0.1 (a port of its own), on a runtime of its own; stopped on drop.
struct Server {
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(live: &Live<Greeter>, token: Option<&str>) -> Server {
        let app = example::app(live, token.map(str::to_owned));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            // A current-thread runtime: the endpoint must answer there too (a reload runs on a
            // thread of its own).
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            });
        });
        Server {
            base,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One answer: status, headers (lower-case names) and body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .allow_non_standard_methods(true)
        .build()
        .into()
}

fn send(method: &str, url: &str, bearer: Option<&str>) -> Reply {
    let mut request = http::Request::builder().method(method).uri(url);
    if let Some(token) = bearer {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = request.body(()).unwrap();
    let mut response = agent().run(request).unwrap();
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = if method == "HEAD" {
        String::new()
    } else {
        response.body_mut().read_to_string().unwrap()
    };
    Reply {
        status,
        headers,
        body,
    }
}

fn get(server: &Server, path: &str) -> Reply {
    send("GET", &server.url(path), None)
}

const GREETER: &str = "greeting = \"Howdy\"\nmax_connections = 64\n";

#[test]
fn every_route_answers_with_its_type_and_headers() {
    let s = settings(GREETER);
    let server = Server::start(&s.live, Some(TOKEN));

    assert_eq!(get(&server, "/hello").body, "Howdy, world!\n");

    let page = get(&server, "/config/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        page.header("content-security-policy"),
        Some("default-src 'none'; style-src 'unsafe-inline'")
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(page.body.contains("<code>greeting</code>"), "{}", page.body);
    assert!(page.body.contains("The word of welcome."));
    assert!(page.body.contains("Howdy"));
    // The mount point without its slash is the page too.
    assert_eq!(get(&server, "/config").status, 200);

    let json = get(&server, "/config/json");
    assert_eq!(json.status, 200);
    assert_eq!(json.header("content-type"), Some("application/json"));
    let json = json.json();
    assert_eq!(json["settings"], "Greeter");
    let report = s.live.snapshot();
    assert_eq!(report.greeting, "Howdy");
    let entries = json["report"]["entries"].as_array().unwrap();
    let entry = |path: &str| entries.iter().find(|e| e["path"] == path).unwrap().clone();
    assert_eq!(entry("greeting")["value"], "Howdy");
    assert!(
        entry("greeting")["origin"]
            .as_str()
            .unwrap()
            .starts_with("file ")
    );
    assert_eq!(entry("greeting")["overrode"][0], "Hello (default)");
    assert_eq!(entry("log_level")["origin"], "env var GREETER_LOG_LEVEL");
    assert_eq!(entry("upstream_token")["value"], "**********");
    assert_eq!(json["reload"]["ok"], 1);
    assert_eq!(json["reload"]["failed"], 0);
    assert_eq!(json["reload"]["last_error"], serde_json::Value::Null);
    assert_eq!(json["fingerprint"].as_str().unwrap().len(), 64);

    let schema = get(&server, "/config/schema");
    assert_eq!(schema.status, 200);
    assert_eq!(
        schema.header("content-type"),
        Some("application/schema+json")
    );
    assert_eq!(schema.json(), Greeter::json_schema());

    let metrics = get(&server, "/config/metrics");
    assert_eq!(metrics.status, 200);
    assert_eq!(
        metrics.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    assert_eq!(
        sample(&metrics.body, "settings_reloads_total{result=\"ok\"}"),
        1.0
    );
    assert_eq!(
        sample(
            &metrics.body,
            &format!(
                "settings_info{{fingerprint=\"{}\"}}",
                json["fingerprint"].as_str().unwrap()
            )
        ),
        1.0
    );

    for path in [
        "/config/",
        "/config/json",
        "/config/schema",
        "/config/metrics",
    ] {
        let reply = get(&server, path);
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        let head = send("HEAD", &server.url(path), None);
        assert_eq!(head.status, 200, "HEAD {path}");
        assert_eq!(head.header("content-type"), reply.header("content-type"));
        let post = send("POST", &server.url(path), Some(TOKEN));
        assert_eq!(post.status, 405, "POST {path}");
        assert_eq!(post.header("allow"), Some("GET, HEAD"));
        assert_eq!(post.header("cache-control"), Some("no-store"));
    }
    let nothing = get(&server, "/config/nothing");
    assert_eq!(nothing.status, 404);
    assert_eq!(nothing.header("cache-control"), Some("no-store"));
    assert_eq!(get(&server, "/config/json/").status, 404);
    let wrong = send("GET", &server.url("/config/reload"), None);
    assert_eq!((wrong.status, wrong.header("allow")), (405, Some("POST")));
    assert_eq!(
        send("DELETE", &server.url("/config/reload"), Some(TOKEN)).status,
        405
    );
}

/// The value of the sample `series` (name and labels as written) in an exposition text.
fn sample(text: &str, series: &str) -> f64 {
    let line = text
        .lines()
        .find(|l| {
            l.strip_prefix(series)
                .is_some_and(|rest| rest.starts_with(' '))
        })
        .unwrap_or_else(|| panic!("no sample {series} in\n{text}"));
    line[series.len()..].trim().parse().unwrap()
}

#[test]
fn reload_needs_the_token_and_keeps_the_old_settings_when_the_new_are_invalid() {
    let s = settings(GREETER);
    let closed = Server::start(&s.live, None);
    let reply = send("POST", &closed.url("/config/reload"), Some(TOKEN));
    assert_eq!(reply.status, 404);
    drop(closed);
    let empty = settings_core::http::service(s.live.clone()).reload_token("");
    assert!(format!("{empty:?}").contains("reload: false"));

    let server = Server::start(&s.live, Some(TOKEN));
    let url = server.url("/config/reload");
    let none = send("POST", &url, None);
    assert_eq!(none.status, 401);
    assert_eq!(
        none.header("www-authenticate"),
        Some("Bearer realm=\"settings\"")
    );
    assert_eq!(
        send("POST", &url, Some("reload-token-for-test")).status,
        401
    );
    assert_eq!(send("POST", &url, Some(&format!("{TOKEN}x"))).status, 401);
    assert!(!send("POST", &url, Some("nope")).body.contains(TOKEN));

    // The right token: the new settings are in use, and the answer gives their fingerprint.
    std::fs::write(s.dir.path().join("greeter.toml"), "greeting = \"Ahoy\"\n").unwrap();
    let ok = send("POST", &url, Some(TOKEN));
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.header("content-type"), Some("application/json"));
    assert_eq!(get(&server, "/hello").body, "Ahoy, world!\n");
    let fingerprint = ok.json()["fingerprint"].as_str().unwrap().to_owned();
    assert_eq!(
        get(&server, "/config/json").json()["fingerprint"],
        fingerprint.as_str()
    );
    let expected = example::loader(s.dir.path())
        .env_vars([("GREETER_LOG_LEVEL", "debug")])
        .explain()
        .unwrap()
        .fingerprint();
    assert_eq!(fingerprint, expected);

    // Invalid new settings: 422 with the issues; the old ones are still served.
    std::fs::write(
        s.dir.path().join("greeter.toml"),
        "greeting = \"\"\nlisten = \"127.0.0.1:8080\"\n",
    )
    .unwrap();
    let bad = send("POST", &url, Some(TOKEN));
    assert_eq!(bad.status, 422, "{}", bad.body);
    let issues = bad.json()["issues"].as_array().unwrap().clone();
    let paths: Vec<&str> = issues.iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["greeting"]);
    assert!(
        issues[0]["message"]
            .as_str()
            .unwrap()
            .contains("from 1 to 40 characters"),
        "{issues:?}"
    );
    assert_eq!(get(&server, "/hello").body, "Ahoy, world!\n");
    let status = get(&server, "/config/json").json()["reload"].clone();
    assert_eq!(
        (status["ok"].as_u64(), status["failed"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(status["last_error"][0]["path"], "greeting");
    let page = get(&server, "/config/").body;
    assert!(page.contains("The last reload failed"), "{page}");
    assert!(page.contains("Ahoy"));

    // Fixed again: the error is gone from the page.
    std::fs::write(s.dir.path().join("greeter.toml"), "greeting = \"Hej\"\n").unwrap();
    assert_eq!(send("POST", &url, Some(TOKEN)).status, 200);
    assert!(
        !get(&server, "/config/")
            .body
            .contains("The last reload failed")
    );
    assert_eq!(get(&server, "/config/json").json()["reload"]["ok"], 3);
}

#[test]
#[ignore = "needs promtool (Debian's prometheus package; scripts/test-all installs it)"]
fn metrics_parse_with_promtool_and_follow_the_reloads() {
    let s = settings(GREETER);
    let server = Server::start(&s.live, Some(TOKEN));
    let url = server.url("/config/reload");
    let first = get(&server, "/config/metrics").body;
    promtool(&first);
    assert_eq!(sample(&first, "settings_reloads_total{result=\"ok\"}"), 1.0);
    assert_eq!(
        sample(&first, "settings_reloads_total{result=\"error\"}"),
        0.0
    );
    assert!(!first.contains("settings_restart_pending{"), "{first}");
    let started = sample(&first, "settings_last_reload_success_timestamp_seconds");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - started).abs() < 120.0, "{started} vs {now}");

    // A restart-only field changes, and a failed reload is counted.
    std::fs::write(
        s.dir.path().join("greeter.toml"),
        "greeting = \"Howdy\"\nmax_connections = 128\n",
    )
    .unwrap();
    assert_eq!(send("POST", &url, Some(TOKEN)).status, 200);
    std::fs::write(s.dir.path().join("greeter.toml"), "greeting = \"\"\n").unwrap();
    assert_eq!(send("POST", &url, Some(TOKEN)).status, 422);
    let after = get(&server, "/config/metrics").body;
    promtool(&after);
    assert_eq!(sample(&after, "settings_reloads_total{result=\"ok\"}"), 2.0);
    assert_eq!(
        sample(&after, "settings_reloads_total{result=\"error\"}"),
        1.0
    );
    assert_eq!(
        sample(&after, "settings_restart_pending{path=\"max_connections\"}"),
        1.0
    );
    assert!(sample(&after, "settings_last_reload_success_timestamp_seconds") >= started);
    assert_eq!(s.live.get().max_connections, 64);
    let page = get(&server, "/config/").body;
    assert!(page.contains("Waiting for a restart"), "{page}");
}

/// `promtool check metrics` on an exposition text: it must accept it, lint included.
fn promtool(text: &str) {
    use std::io::Write as _;
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool (Debian's prometheus package) is needed");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(),
        "promtool: {out:?}\n{text}"
    );
}

#[test]
#[ignore = "needs chromium (Debian's; scripts/test-all installs it)"]
fn the_page_in_a_real_browser_shows_values_origins_and_markup_as_text() {
    let s = settings(
        "greeting = \"<script>alert(1)</script>\"\n\
         max_connections = 64\n",
    );
    let server = Server::start(&s.live, Some(TOKEN));
    // A restart-only change, so the page shows its section too.
    std::fs::write(
        s.dir.path().join("greeter.toml"),
        "greeting = \"<script>alert(1)</script>\"\nmax_connections = 256\n",
    )
    .unwrap();
    assert_eq!(
        send("POST", &server.url("/config/reload"), Some(TOKEN)).status,
        200
    );
    let url = server.url("/config/");

    let dom = chromium(&["--dump-dom", &url]);
    // What the browser built: the value as text, no script element anywhere.
    assert!(!dom.contains("<script"), "{dom}");
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{dom}"
    );
    let text = visible_text(&dom);
    for seen in [
        "Greeter settings",
        "Settings of the greeter service.",
        "greeting",
        "The word of welcome.",
        "length: 1 to 40",
        "log_level",
        "debug",
        "env var GREETER_LOG_LEVEL",
        "over info (default)",
        "upstream_token",
        "**********",
        "Waiting for a restart",
        "max_connections",
        "changed: takes effect after a restart",
        "2 successful (the first load included), 0 failed.",
    ] {
        assert!(text.contains(seen), "{seen:?} not on the page:\n{text}");
    }
    assert!(!dom.contains(UPSTREAM));

    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/endpoint");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, size) in [("page.png", "1280,1100"), ("phone.png", "390,1600")] {
        let file = shots.join(name);
        let _ = std::fs::remove_file(&file);
        chromium(&[
            &format!("--screenshot={}", file.display()),
            &format!("--window-size={size}"),
            &url,
        ]);
        let png = std::fs::read(&file).unwrap();
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
            "{name}"
        );
    }
}

/// Runs headless Chromium with `args`; its standard output.
fn chromium(args: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .expect("chromium (Debian's package) is needed");
    assert!(out.status.success(), "chromium {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of an HTML document as a reader sees it: tags dropped, entities decoded, spaces
/// collapsed.
fn visible_text(html: &str) -> String {
    let body = html.split("</style>").nth(1).unwrap_or(html);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Settings with a secret of every kind the page, the JSON and the issues could leak: a
/// `Secret<String>`, a `secret` number that fails to parse, a secret with a constraint, and a
/// URL with a password in it.
#[derive(Settings, Debug)]
#[settings(env_prefix = "LEAK_")]
struct Leaky {
    token: settings_core::Secret<String>,
    #[settings(secret, default = 1)]
    pin: u32,
    #[settings(secret, default = "abc", len(max = 8))]
    short: String,
    #[settings(default = "postgres://app@db/app")]
    database_url: url::Url,
    #[settings(default = "x")]
    note: String,
}

/// Every answer of every route, called as a server would call the service.
fn every_answer(endpoint: &mut settings_core::http::Endpoint, bearer: &str) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut out = Vec::new();
    for (method, path, auth) in [
        ("GET", "/", None),
        ("GET", "/json", None),
        ("GET", "/schema", None),
        ("GET", "/metrics", None),
        ("POST", "/reload", Some(bearer)),
        ("POST", "/reload", Some(TOKEN)),
        ("GET", "/", None),
        ("GET", "/json", None),
        ("GET", "/metrics", None),
        ("PUT", "/json", Some(bearer)),
        ("GET", "/x", None),
    ] {
        let mut request = http::Request::builder().method(method).uri(path);
        if let Some(token) = auth {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = runtime
            .block_on(endpoint.call(request.body(String::new()).unwrap()))
            .unwrap();
        let (parts, body) = response.into_parts();
        let body = runtime
            .block_on(http_body_util::BodyExt::collect(body))
            .unwrap()
            .to_bytes();
        out.push(format!("{parts:?}\n{}", String::from_utf8_lossy(&body)));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// No answer of any route, whatever the secret's text and however the load fails, holds it.
    #[test]
    fn no_answer_holds_a_secret(
        secret in "[A-Za-z0-9_~.+=-]{10,40}",
        mode in 0..5u8,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("leak.toml");
        let url = format!("postgres://app:{secret}@db/app");
        std::fs::write(&file, format!("database_url = \"{url}\"\n")).unwrap();
        let live = Leaky::loader()
            .env_vars([("LEAK_TOKEN", secret.as_str())])
            .file(&file)
            .watch()
            .unwrap();
        // The next reload fails (or not) in a way that touches the secret.
        let next = match mode {
            0 => format!("database_url = \"{url}\"\npin = \"{secret}\"\n"),
            1 => format!("short = \"{secret}\"\n"),
            2 => format!("database_url = \"{url}\"\nnote = 5\n[token]\nvalue = \"{secret}\"\n"),
            3 => format!("database_url = \"postgres://app:{secret}@db/app\nbroken"),
            _ => format!("token = \"{secret}\"\nnote = \"fine\"\n"),
        };
        std::fs::write(&file, next).unwrap();
        let mut endpoint = settings_core::http::service(live).reload_token(TOKEN);
        for answer in every_answer(&mut endpoint, &secret) {
            prop_assert!(!answer.contains(&secret), "{answer}");
        }
    }
}

/// What API.md promises of the service's type: a value any tower server can hold and clone
/// across threads, with a `Send` future and a body hyper can send.
#[test]
fn the_service_is_what_servers_need() {
    fn service<S>(_: &S)
    where
        S: tower_service::Service<
                http::Request<String>,
                Response = http::Response<settings_core::http::Body>,
                Error = std::convert::Infallible,
            > + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
    {
    }
    fn body<B>()
    where
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
    }
    let s = settings(GREETER);
    service(&settings_core::http::service(s.live.clone()));
    body::<settings_core::http::Body>();
}
