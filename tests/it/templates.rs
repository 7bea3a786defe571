//! Templates and the JSON Schema, seen from outside: golden files for every format, round trips
//! (a template loaded as it is, with the required values supplied elsewhere, gives the
//! defaults), secrets kept out, and the schema checked by a real validator against the loader.
//!
//! Golden files live in `tests/golden/`. After a deliberate change to the output, rewrite them
//! with `BLESS=1 cargo test --test it templates::` and review the diff.

use crate::write;
use serde_json::{Value, json};
use settings_core::{ByteSize, Format, IssueKind, Secret, Settings};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::Url;

/// The default of a secret field: it must never appear in a template or the schema.
const SECRET_DEFAULT: &str = "dev-token-5f3a9c";

fn default_tags() -> Vec<String> {
    vec!["billing".to_owned()]
}

fn default_weight() -> u32 {
    3
}

fn not_reserved(name: &String) -> Result<(), String> {
    if name == "admin" {
        return Err("`admin` is reserved".to_owned());
    }
    Ok(())
}

/// Settings of the billing service.
///
/// Loaded from files, the environment and a secrets directory.
#[derive(Settings, Debug)]
#[settings(
    env_prefix = "APP_",
    env_nested_delimiter = "__",
    profile_env = "APP_ENV"
)]
struct App {
    /// Port the HTTP server listens on.
    #[settings(default = 8000, range(min = 1, max = 65535), restart)]
    port: u16,
    /// Public name of the service.
    #[settings(
        rename = "service-name",
        regex = "^[a-z][a-z0-9-]*$",
        len(min = 1, max = 32),
        validate = not_reserved
    )]
    name: String,
    /// Main database.
    #[settings(nested)]
    db: Database,
    /// Cache in front of the database; off unless configured.
    #[settings(nested)]
    cache: Option<Cache>,
    /// Limits of one request.
    #[settings(nested, default)]
    limits: Limits,
    /// Connection string of the ledger database.
    #[settings(
        env = "LEDGER_URL",
        env = "DATABASE_URL",
        url(schemes = ["postgres", "postgresql"])
    )]
    ledger_url: String,
    /// Key of the payment provider's API.
    api_key: Secret<String>,
    /// Token that signs webhooks.
    #[settings(secret, default = "dev-token-5f3a9c")]
    webhook_token: String,
    /// SMTP password, when mail is sent.
    smtp_password: Option<Secret<String>>,
    /// How much is logged.
    #[settings(env = "LOG_LEVEL", env_only, default = "info", one_of = ["debug", "info", "warn"])]
    log_level: String,
    /// Region the service runs in.
    #[settings(default = "eu", one_of(values = ["eu", "us"], ignore_case))]
    region: String,
    /// How long a request may take.
    #[settings(default = "30s", range(min = "1s", max = "1h"))]
    request_timeout: Duration,
    /// Largest accepted request body.
    #[settings(default = "1 MiB", range(max = "16 MiB"))]
    max_body: ByteSize,
    /// Hosts the service answers to.
    #[settings(default = ["localhost", "127.0.0.1"], len(min = 1), regex = r"^[a-z0-9.-]+$")]
    allowed_hosts: Vec<String>,
    /// Directories searched for plugins.
    #[settings(default, separator = ":")]
    plugin_path: Vec<String>,
    /// Tags added to every metric.
    #[settings(default_with = default_tags)]
    tags: Vec<String>,
    /// Weight of each upstream.
    #[settings(default)]
    weights: HashMap<String, u32>,
    /// Verbose diagnostics.
    debug: Option<bool>,
    /// Fraction of requests traced.
    #[settings(default = 0.5, range(gt = 0.0, lt = 1.0))]
    sample_rate: f64,
    /// Offset applied to the clock, in seconds.
    #[settings(default = -5, range(min = -10, max = 10))]
    clock_offset: i32,
    /// Port of the admin interface.
    #[settings(default = "8081")]
    admin_port: u16,
    /// Page shown at `/`.
    homepage: Url,
    /// Where reports are sent.
    #[settings(url(schemes = ["https"]))]
    report_url: Option<Url>,
}

/// A database connection.
#[derive(Settings, Debug)]
struct Database {
    /// Where the database is.
    url: Url,
    /// Connections kept open.
    #[settings(default = 10, range(min = 1, max = 100))]
    pool_size: u32,
    password: Secret<String>,
    /// The read replica.
    #[settings(nested)]
    replica: Replica,
}

/// A read replica.
#[derive(Settings, Debug)]
#[settings(deny_unknown = false)]
struct Replica {
    /// Host name of the replica.
    host: String,
    /// Share of reads sent to it.
    #[settings(default_with = default_weight)]
    weight: u32,
    #[settings(default = true)]
    enabled: bool,
}

/// A cache server.
#[derive(Settings, Debug)]
#[settings(env_prefix = "IGNORED_")]
struct Cache {
    /// Address of the cache server.
    url: String,
    /// How long entries live.
    #[settings(default = "5m")]
    ttl: Duration,
}

/// Request limits.
#[derive(Settings, Debug, Default)]
struct Limits {
    /// Largest number of items in one request.
    #[settings(default = 100)]
    max_items: u32,
}

/// Every required value, as `.set` overrides (`path`, value).
fn required() -> Vec<(&'static str, Value)> {
    vec![
        ("service-name", json!("billing")),
        ("db.url", json!("postgres://db.internal/billing")),
        ("db.password", json!("pw-7d1e")),
        ("db.replica.host", json!("replica.internal")),
        ("ledger_url", json!("postgres://ledger.internal/ledger")),
        ("api_key", json!("key-91c2")),
        ("homepage", json!("https://billing.example.com/")),
    ]
}

fn with_required(mut loader: settings_core::Loader<App>) -> settings_core::Loader<App> {
    for (path, value) in required() {
        loader = loader.set(path, value);
    }
    loader.env_vars([("UNRELATED", "1")])
}

/// The settings loaded with no file at all: the defaults plus the required values.
fn baseline() -> App {
    with_required(App::loader()).load().unwrap()
}

const FORMATS: [(Format, &str); 5] = [
    (Format::Toml, "toml"),
    (Format::Yaml, "yaml"),
    (Format::Json, "json"),
    (Format::Env, "env"),
    (Format::Markdown, "md"),
];

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares `actual` with a golden file byte for byte, or rewrites it under `BLESS=1`.
fn assert_golden(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; run `BLESS=1 cargo test --test it templates::`",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n\
             full output:\n{actual}\nrun `BLESS=1 cargo test --test it templates::` to accept it",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line),
        );
    }
}

#[test]
fn templates_match_the_golden_files() {
    for (format, ext) in FORMATS {
        assert_golden(&format!("app.{ext}"), &App::template(format));
    }
}

#[test]
fn schema_matches_the_golden_file() {
    let text = serde_json::to_string_pretty(&App::json_schema()).unwrap() + "\n";
    assert_golden("app.schema.json", &text);
}

#[test]
fn toml_template_parses_and_loads_to_the_defaults() {
    let text = App::template(Format::Toml);
    let parsed: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    // Only required keys are active: top-level ones and the tables that lead to required keys.
    let mut keys: Vec<&str> = parsed.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["api_key", "db", "homepage", "ledger_url", "service-name"]
    );
    assert_eq!(
        parsed["api_key"].as_str(),
        Some("<required: Secret<String>>")
    );
    assert_round_trip("settings.toml", &text);
}

#[test]
fn yaml_template_parses_and_loads_to_the_defaults() {
    let text = App::template(Format::Yaml);
    let parsed: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(
        parsed["db"]["replica"]["host"].as_str(),
        Some("<required: String>")
    );
    assert!(parsed.get("port").is_none(), "defaults are commented out");
    assert_round_trip("settings.yaml", &text);
}

#[test]
fn json_template_parses() {
    let text = App::template(Format::Json);
    let parsed: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(parsed["port"], 8000);
    assert_eq!(parsed["request_timeout"], "30s");
    assert_eq!(parsed["allowed_hosts"], json!(["localhost", "127.0.0.1"]));
    assert_eq!(parsed["debug"], Value::Null);
    assert_eq!(parsed["db"]["url"], "<required: Url>");
    assert_eq!(parsed["webhook_token"], "<secret>");
    // `default_with` and a bare `default` show the value they compute.
    assert_eq!(parsed["tags"], json!(["billing"]));
    assert_eq!(parsed["limits"]["max_items"], 100);
}

#[test]
fn env_template_parses_and_loads_to_the_defaults() {
    let text = App::template(Format::Env);
    for line in text.lines() {
        let ok = line.is_empty() || line.starts_with('#') || line.contains('=');
        assert!(ok, "not a dotenv line: {line:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), ".env.example", &text);
    let loaded = with_required(App::loader().env_file(&path)).load();
    assert_same(loaded.unwrap_or_else(|e| panic!("{e}\n{text}")), baseline());
    // Without the required values, the placeholders are what fails, each at its own setting.
    let err = App::loader()
        .env_vars([("UNRELATED", "1")])
        .env_file(&path)
        .load()
        .unwrap_err();
    let invalid: Vec<&str> = err
        .issues()
        .iter()
        .filter(|i| i.kind == IssueKind::Invalid)
        .map(|i| i.path.as_str())
        .collect();
    assert!(invalid.contains(&"db.url"), "{err}");
    assert!(invalid.contains(&"homepage"), "{err}");
}

/// Loads `text` as a file beside the required values and compares with the baseline.
fn assert_round_trip(name: &str, text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), name, text);
    let loaded = with_required(App::loader().file(&path)).load();
    assert_same(loaded.unwrap_or_else(|e| panic!("{e}\n{text}")), baseline());
    // Left as they are, the placeholders fail to load where no valid text is possible.
    let err = App::loader()
        .env_vars([("UNRELATED", "1")])
        .file(&path)
        .load()
        .unwrap_err();
    assert!(
        err.issues()
            .iter()
            .any(|i| i.path == "db.url" && i.kind == IssueKind::Invalid),
        "{err}"
    );
}

fn assert_same(loaded: App, baseline: App) {
    assert_eq!(format!("{loaded:?}"), format!("{baseline:?}"));
    assert_eq!(
        loaded.api_key.expose_secret(),
        baseline.api_key.expose_secret()
    );
    assert_eq!(loaded.webhook_token, SECRET_DEFAULT);
    assert!(loaded.cache.is_none());
    assert_eq!(loaded.tags, default_tags());
    assert_eq!(loaded.db.replica.weight, default_weight());
    assert_eq!(loaded.plugin_path, Vec::<String>::new());
    assert_eq!(loaded.admin_port, 8081);
    assert_eq!(loaded.max_body, ByteSize(1024 * 1024));
}

#[test]
fn secret_defaults_never_appear() {
    for (format, _) in FORMATS {
        let text = App::template(format);
        assert!(!text.contains(SECRET_DEFAULT), "{format:?}:\n{text}");
    }
    let schema = App::json_schema();
    assert!(!schema.to_string().contains(SECRET_DEFAULT));
    let token = &schema["properties"]["webhook_token"];
    assert_eq!(token["writeOnly"], true);
    assert!(token.get("default").is_none());
}

#[test]
fn every_leaf_and_env_name_appears_in_every_commented_format() {
    let leaves = [
        ("port", "APP_PORT"),
        ("service-name", "APP_SERVICE-NAME"),
        ("url", "APP_DB__URL"),
        ("host", "APP_DB__REPLICA__HOST"),
        ("ttl", "APP_CACHE__TTL"),
        ("max_items", "APP_LIMITS__MAX_ITEMS"),
        ("ledger_url", "LEDGER_URL"),
        ("log_level", "LOG_LEVEL"),
        ("report_url", "APP_REPORT_URL"),
    ];
    for format in [Format::Toml, Format::Yaml, Format::Markdown] {
        let text = App::template(format);
        for (key, env) in leaves {
            assert!(text.contains(key), "{format:?} lacks {key}");
            assert!(text.contains(env), "{format:?} lacks {env}");
        }
        assert!(text.contains("DATABASE_URL"), "{format:?}");
        // `env_only`: the derived name does not exist.
        assert!(!text.contains("APP_LOG_LEVEL"), "{format:?}");
    }
    let env = App::template(Format::Env);
    for (_, name) in leaves {
        assert!(env.contains(&format!("{name}=")), "env lacks {name}");
    }
    assert!(env.contains("# also: DATABASE_URL, APP_LEDGER_URL\n"));
}

#[test]
fn markdown_has_one_row_per_leaf() {
    let md = App::template(Format::Markdown);
    let rows = md.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(rows, 29);
    assert!(md.starts_with("# App\n\nSettings of the billing service.\n"));
}

// ---- JSON Schema, checked by a real validator against the loader ----

/// A complete, valid config file.
const GOOD: &str = r#"
port = 8080
service-name = "billing"
ledger_url = "postgres://ledger.internal/ledger"
api_key = "key-91c2"
homepage = "https://billing.example.com/"
request_timeout = "1m"
max_body = 2048
allowed_hosts = ["example.com"]
weights = { a = 1 }
region = "us"
report_url = "https://reports.example.com/in"

[db]
url = "postgres://db.internal/billing"
password = "pw-7d1e"

[db.replica]
host = "replica.internal"
zone = "not a field: replica tables take unknown keys"

[cache]
url = "redis://cache"
"#;

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&App::json_schema())
        .expect("the schema is valid draft 2020-12")
}

fn toml_json(text: &str) -> Value {
    let table: toml::Table = toml::from_str(text).unwrap();
    serde_json::to_value(table).unwrap()
}

/// Loads a config file of the tests' TOML text, with nothing else.
fn load_file(text: &str) -> Result<App, settings_core::Error> {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "settings.toml", text);
    App::loader()
        .env_vars([("UNRELATED", "1")])
        .file(&path)
        .load()
}

#[test]
fn schema_accepts_a_good_config_the_loader_accepts() {
    let doc = toml_json(GOOD);
    let errors: Vec<String> = validator()
        .iter_errors(&doc)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let app = load_file(GOOD).unwrap();
    assert_eq!(app.port, 8080);
    assert_eq!(app.cache.unwrap().ttl, Duration::from_secs(300));
}

#[test]
fn schema_rejects_bad_configs_the_loader_rejects() {
    let cases: [(&str, &str, &str, IssueKind); 9] = [
        (
            "wrong type",
            "port = 8080",
            "port = \"eighty\"",
            IssueKind::Invalid,
        ),
        (
            // Beyond u16 and the declared range: reported as the declared range.
            "out of range",
            "port = 8080",
            "port = 70000",
            IssueKind::Constraint,
        ),
        (
            "below range",
            "port = 8080",
            "port = 0",
            IssueKind::Constraint,
        ),
        (
            "unknown key",
            "port = 8080",
            "port = 8080\nprot = 1",
            IssueKind::Unknown,
        ),
        (
            "unknown nested key",
            "password = \"pw-7d1e\"",
            "password = \"pw-7d1e\"\npool = 3",
            IssueKind::Unknown,
        ),
        (
            "pattern mismatch",
            "service-name = \"billing\"",
            "service-name = \"Billing Service\"",
            IssueKind::Constraint,
        ),
        (
            "missing required",
            "api_key = \"key-91c2\"",
            "",
            IssueKind::Missing,
        ),
        (
            "not one of",
            "region = \"us\"",
            "region = \"mars\"",
            IssueKind::Constraint,
        ),
        (
            "exclusive bound",
            "port = 8080",
            "port = 8080\nsample_rate = 1.0",
            IssueKind::Constraint,
        ),
    ];
    let validator = validator();
    for (what, from, to, kind) in cases {
        assert!(GOOD.contains(from), "{what}");
        let text = GOOD.replacen(from, to, 1);
        let doc = toml_json(&text);
        assert!(
            !validator.is_valid(&doc),
            "{what}: the schema accepts\n{text}"
        );
        let err = load_file(&text).expect_err(what);
        assert!(
            err.issues().iter().any(|i| i.kind == kind),
            "{what}: expected {kind:?} from the loader, got\n{err}"
        );
    }
}

#[test]
fn schema_describes_the_file_form() {
    let s = App::json_schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["title"], "App");
    assert!(
        s["description"]
            .as_str()
            .unwrap()
            .starts_with("Settings of the billing service.")
    );
    assert_eq!(
        s["required"],
        json!(["service-name", "db", "ledger_url", "api_key", "homepage"])
    );
    let p = &s["properties"];
    assert_eq!(
        p["request_timeout"]["anyOf"],
        json!([{"type": "string"}, {"type": "integer", "minimum": 0}])
    );
    assert_eq!(p["ledger_url"]["format"], "uri");
    assert_eq!(p["allowed_hosts"]["minItems"], 1);
    assert_eq!(p["allowed_hosts"]["items"]["pattern"], r"^[a-z0-9.-]+$");
    assert_eq!(p["log_level"]["enum"], json!(["debug", "info", "warn"]));
    assert_eq!(p["sample_rate"]["exclusiveMaximum"], 1.0);
    assert_eq!(p["api_key"]["writeOnly"], true);
    assert_eq!(p["db"]["additionalProperties"], false);
    assert!(
        p["db"]["properties"]["replica"]
            .get("additionalProperties")
            .is_none()
    );
    assert_eq!(p["db"]["required"], json!(["url", "password", "replica"]));
    assert!(p["cache"]["required"] == json!(["url"]));
    assert_eq!(p["admin_port"]["default"], 8081);
}

// ---- Defaults written in each syntax read back as the same values ----

/// Defaults that are awkward to write: quotes, `#`, `$`, backslashes, padding, line breaks,
/// separators inside list items, text standing for numbers, keys YAML would misread.
#[derive(Settings, Debug)]
#[settings(env_prefix = "T_")]
struct Tricky {
    #[settings(default = "say \"hi\" # not a comment, cost: $5, back\\slash\ttab")]
    motto: String,
    #[settings(default = " padded ")]
    padded: String,
    #[settings(default = "")]
    empty: String,
    #[settings(default = ["a,b", "c"])]
    items: Vec<String>,
    #[settings(default = ["x", "y"], separator = ";")]
    path: Vec<String>,
    #[settings(default = "8080")]
    port: u16,
    #[settings(default = "yes")]
    flag: bool,
    #[settings(default = 2)]
    ratio: f64,
    #[settings(default = "1h 30m")]
    wait: Duration,
    #[settings(default = 45)]
    grace: Duration,
    #[settings(default = "2 GiB")]
    size: ByteSize,
    #[settings(default)]
    map: HashMap<String, u32>,
    #[settings(default)]
    count: u64,
    #[settings(default)]
    name: String,
    #[settings(rename = "on", default)]
    enabled: bool,
    #[settings(default = 3)]
    limit: Option<u32>,
    #[settings(nested)]
    inner: Inner,
}

#[derive(Settings, Debug)]
struct Inner {
    #[settings(default = "x\ny")]
    multi: String,
    #[settings(default = -1)]
    n: i64,
}

/// The template with every commented-out default line made active (placeholders stay
/// commented): what a user gets by uncommenting lines without editing them.
fn uncomment(text: &str, format: Format) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let commented_key = body.starts_with('#')
            && body[1..].starts_with(|c: char| c.is_ascii_alphanumeric() || "_\"[".contains(c));
        let value_line = commented_key
            && match format {
                Format::Env => body.contains('=') && !body.contains("=<"),
                _ => !body.contains("\"<"),
            };
        if value_line {
            out.push_str(indent);
            out.push_str(&body[1..]);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[test]
fn uncommented_defaults_load_to_the_defaults() {
    let defaults = Tricky::loader()
        .env_vars([("UNRELATED", "1")])
        .load()
        .unwrap();
    assert_eq!(
        defaults.motto,
        "say \"hi\" # not a comment, cost: $5, back\\slash\ttab"
    );
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [
        (Format::Toml, "all.toml"),
        (Format::Yaml, "all.yaml"),
        (Format::Env, "all.env"),
    ] {
        let text = uncomment(&Tricky::template(format), format);
        assert!(!text.contains("\n#port"), "{text}");
        let path = write(dir.path(), name, &text);
        let loader = Tricky::loader().env_vars([("UNRELATED", "1")]);
        let loader = match format {
            Format::Env => loader.env_file(&path),
            _ => loader.file(&path),
        };
        let report = loader
            .explain()
            .unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"));
        let from_file = report
            .entries()
            .iter()
            .filter(|e| e.origin != "default")
            .count();
        assert_eq!(
            from_file, 18,
            "{format:?}: every leaf is set by the file\n{report}"
        );
        let loaded = loader.load().unwrap();
        assert_eq!(
            format!("{loaded:?}"),
            format!("{defaults:?}"),
            "{format:?}:\n{text}"
        );
    }
    // JSON has no comments: with no required, unset or computed settings it loads as it is.
    let path = write(dir.path(), "all.json", Tricky::template(Format::Json));
    let loaded = Tricky::loader()
        .env_vars([("UNRELATED", "1")])
        .file(&path)
        .load()
        .unwrap();
    assert_eq!(format!("{loaded:?}"), format!("{defaults:?}"));
}

#[test]
fn a_struct_without_required_settings_has_no_active_line() {
    for format in [Format::Toml, Format::Yaml, Format::Env] {
        let text = Tricky::template(format);
        let active: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .collect();
        assert!(active.is_empty(), "{format:?}: {active:?}");
    }
    let toml: toml::Table = toml::from_str(&Tricky::template(Format::Toml)).unwrap();
    assert!(toml.is_empty());
}

/// A template written out as the config file and not filled in does not load its placeholders
/// as values: each is an `Invalid` issue that says to replace it, from a TOML file or an env file.
#[test]
fn a_placeholder_left_in_a_file_is_not_a_value() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Svc {
        /// The database.
        database_url: String,
        api_key: settings_core::Secret<String>,
        #[settings(default = 8080)]
        port: u16,
    }

    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("app.toml");
    std::fs::write(&toml, Svc::template(Format::Toml)).unwrap();
    let err = Svc::loader()
        .env_vars([("APP_API_KEY", "k")])
        .file(&toml)
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 1, "{err}");
    let issue = &err.issues()[0];
    assert_eq!(
        (issue.path.as_str(), issue.kind),
        ("database_url", IssueKind::Invalid)
    );
    assert!(
        issue
            .message
            .starts_with("`<required: String>` is the template's placeholder, not a value"),
        "{err}"
    );

    let env = dir.path().join(".env");
    std::fs::write(&env, Svc::template(Format::Env)).unwrap();
    let err = Svc::loader()
        .env_vars([("APP_DATABASE_URL", "postgres://db/app")])
        .env_file(&env)
        .load()
        .unwrap_err();
    let paths: Vec<&str> = err.issues().iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["api_key"], "{err}");
    assert!(err.to_string().contains("replace it"), "{err}");
}

/// Templates and the schema show the value a bare `default` or `default_with` computes, through
/// the type's `Serialize` (a duration as text), not `Default::default()`; a type without
/// `Serialize` keeps the words, and a secret's default is never shown.
#[test]
fn computed_defaults_show_their_values() {
    #[derive(serde::Deserialize, serde::Serialize, Debug, Default, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Level {
        Debug,
        #[default]
        Info,
    }
    #[derive(serde::Deserialize, Debug, Default)]
    struct Opaque(String);
    fn grace() -> Duration {
        Duration::from_secs(90)
    }
    fn backup() -> Option<String> {
        Some("backup.example".into())
    }
    fn token() -> Secret<String> {
        Secret::new("tok-default-0af3".to_owned())
    }
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default)]
        level: Level,
        #[settings(default_with = grace)]
        grace: Duration,
        #[settings(default_with = backup)]
        backup_host: Option<String>,
        #[settings(default)]
        opaque: Opaque,
        #[settings(default_with = token)]
        token: Secret<String>,
    }

    let toml = S::template(Format::Toml);
    assert!(toml.contains("#level = \"info\"\n"), "{toml}");
    assert!(
        toml.contains("# default: \"info\" (Default::default())\n"),
        "{toml}"
    );
    assert!(toml.contains("#grace = \"1m 30s\"\n"), "{toml}");
    assert!(
        toml.contains("#backup_host = \"backup.example\"\n"),
        "{toml}"
    );
    assert!(
        toml.contains("#opaque = \"<Default::default()>\"\n"),
        "{toml}"
    );
    assert!(!toml.contains("tok-default-0af3"), "{toml}");
    let schema = S::json_schema();
    assert_eq!(schema["properties"]["level"]["default"], "info");
    assert_eq!(schema["properties"]["grace"]["default"], "1m 30s");
    assert!(!schema.to_string().contains("tok-default-0af3"));
    // What the template shows is what a load gives.
    let loaded = S::loader().env_vars(crate::NO_ENV).load().unwrap();
    assert_eq!(loaded.level, Level::Info);
    assert_eq!(loaded.grace, grace());
}
