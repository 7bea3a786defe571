//! Editor support: `file_schema()`, the schema of one config file as a layer, and the directives
//! `config template --schema` writes for editors, checked with the tools editors and CI setups
//! really run: `check-jsonschema` (PyPI) and `taplo` (`taplo-cli`, the engine of the Even Better
//! TOML extension; scripts/test-all installs its author's build from PyPI, `cargo install
//! taplo-cli` works the same).
//!
//! The tests that run a tool are `#[ignore = "needs check-jsonschema and taplo ..."]`:
//! `cargo test --test it` lists them as ignored instead of passing without having run, and
//! `scripts/test-all` (which installs both tools) runs them with `--include-ignored`, where a
//! missing tool fails them. The other tests check the same schema in process, with the
//! `jsonschema` crate, and the command and the loader around it.
//!
//! The example programs' settings structs are compiled in here (`#[path]` modules) so that the
//! example config files are checked against the schema of the very struct that reads them.

use crate::write;
use serde_json::{Value, json};
use settings_core::cli;
use settings_core::{Format, Secret, Settings};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::Duration;
use url::Url;

#[path = "../../examples/quickstart.rs"]
mod quickstart;

#[path = "../../examples/composition.rs"]
mod composition;

#[path = "../../examples/deployment.rs"]
mod deployment;

// tests/it/endpoint.rs compiles this example too, as a private module of its own; a second copy
// here keeps both modules standalone.
#[allow(clippy::duplicate_mod)]
#[path = "../../examples/endpoint.rs"]
mod endpoint;

use composition::App as Composition;
use deployment::Gateway;
use endpoint::Greeter;
use quickstart::AppSettings as Quickstart;

/// A secret's default: it must never appear in a schema or a template.
const SECRET_DEFAULT: &str = "dev-token-5f3a9c";

/// One upstream server.
#[derive(Settings, Debug)]
struct Upstream {
    /// Host name of the server.
    host: String,
    /// Share of the requests sent to it.
    #[settings(default = 1, range(min = 1, max = 100))]
    weight: u32,
}

/// The main database.
#[derive(Settings, Debug)]
struct Db {
    /// Connection URL.
    url: Url,
    /// Most connections kept open.
    #[settings(default = 10, range(min = 1, max = 100))]
    pool_size: u32,
    /// Database password.
    password: Secret<String>,
}

/// A cache in front of the database.
#[derive(Settings, Debug)]
struct Cache {
    /// Where the cache is.
    url: String,
    /// How long an entry lives.
    #[settings(default = "5m")]
    ttl: Duration,
}

/// Settings of the billing service.
#[derive(Settings, Debug)]
#[settings(env_prefix = "SVC_", secrets_dir = "/run/secrets/svc")]
struct Service {
    /// Port the HTTP server listens on.
    #[settings(default = 8000, range(min = 1024))]
    port: u16,
    /// Public name of the service.
    #[settings(regex = "^[a-z][a-z0-9-]*$")]
    name: String,
    /// How much is logged.
    #[settings(default = "info", one_of = ["debug", "info", "warn"])]
    level: String,
    /// Verbose diagnostics.
    debug: Option<bool>,
    /// Most time a request may take.
    #[settings(default = "30s")]
    timeout: Duration,
    /// Labels of the service.
    #[settings(default = ["billing"])]
    tags: Vec<String>,
    /// Token of the admin API.
    #[settings(default = "dev-token-5f3a9c")]
    admin_token: Secret<String>,
    /// Main database.
    #[settings(nested)]
    db: Db,
    /// Cache; off unless configured.
    #[settings(nested)]
    cache: Option<Cache>,
    /// Servers requests are balanced across.
    #[settings(nested)]
    upstreams: Vec<Upstream>,
}

// ---------------------------------------------------------------------------------------------
// Values that fill a template's placeholders, by key (written in JSON, which TOML and YAML read
// the same way), and the structs whose templates are checked.

const FILLS: &[(&str, &str)] = &[
    // quickstart
    (
        "database_url",
        r#""postgres://billing@archive.internal/archive""#,
    ),
    ("api_key", r#""k-123""#),
    ("region", r#""eu-west-1""#),
    ("url", r#""postgres://db.internal/billing""#),
    ("password", r#""pw""#),
    ("admin_token", r#""t""#),
    // composition
    ("host", r#""db.internal""#),
    ("name", r#""billing""#),
    ("greeting", r#""hello""#),
    // endpoint
    ("upstream_token", r#""t""#),
];

/// A template's text, every placeholder (`"<required: u16>"`, `"<secret>"`) on a line that is
/// not a comment replaced by the value `FILLS` gives its key.
fn filled(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('#') {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("\"<") {
            let end = rest[at..]
                .find(">\"")
                .map(|e| at + e + 2)
                .unwrap_or_else(|| panic!("unclosed placeholder in {line:?}"));
            let key = key_before(&rest[..at])
                .unwrap_or_else(|| panic!("no key before the placeholder in {line:?}"));
            let value = FILLS
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| *v)
                .unwrap_or_else(|| panic!("no value to fill `{key}` with, in {line:?}"));
            out.push_str(&rest[..at]);
            out.push_str(value);
            rest = &rest[end..];
        }
        out.push_str(rest);
    }
    out
}

/// The key of `key = `, `key: ` or `"key": ` at the end of `before`.
fn key_before(before: &str) -> Option<&str> {
    let before = before.trim_end();
    let before = before
        .strip_suffix('=')
        .or_else(|| before.strip_suffix(':'))?
        .trim_end();
    let before = before.strip_suffix('"').unwrap_or(before);
    let start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| i + 1);
    Some(&before[start..]).filter(|k| !k.is_empty())
}

/// `(name, file schema, template of a format)` of every struct whose templates are checked.
type TemplateOf = fn(Format) -> String;

fn structs() -> Vec<(&'static str, Value, TemplateOf)> {
    vec![
        (
            "quickstart",
            Quickstart::file_schema(),
            Quickstart::template,
        ),
        (
            "composition",
            Composition::file_schema(),
            Composition::template,
        ),
        ("deployment", Gateway::file_schema(), Gateway::template),
        ("endpoint", Greeter::file_schema(), Greeter::template),
        ("service", Service::file_schema(), Service::template),
    ]
}

/// The file name of a template of `format`.
fn file_name(stem: &str, format: Format) -> String {
    match format {
        Format::Yaml => format!("{stem}.yaml"),
        Format::Json => format!("{stem}.json"),
        _ => format!("{stem}.toml"),
    }
}

const FORMATS: [Format; 3] = [Format::Toml, Format::Yaml, Format::Json];

/// The example config files and the struct each belongs to. `examples/kubernetes/` holds
/// Kubernetes manifests (whose ConfigMap is a config *directory*, one file per setting), not
/// config files.
fn example_configs() -> Vec<(&'static str, Value)> {
    vec![
        ("examples/config/settings.toml", Quickstart::file_schema()),
        (
            "examples/config/settings.prod.toml",
            Quickstart::file_schema(),
        ),
        ("examples/composition/app.toml", Composition::file_schema()),
        ("examples/composition/base.toml", Composition::file_schema()),
        ("examples/deployment/gateway.toml", Gateway::file_schema()),
        ("examples/endpoint/greeter.toml", Greeter::file_schema()),
    ]
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every TOML, YAML and JSON file under `examples/`, outside `examples/kubernetes/`, relative to
/// the package root.
fn config_files_under_examples() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| ["toml", "yaml", "yml", "json"].iter().any(|x| e == *x))
            {
                out.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&root().join("examples"), &mut found);
    let mut found: Vec<String> = found
        .iter()
        .map(|p| {
            p.strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| !p.starts_with("examples/kubernetes/"))
        .collect();
    found.sort();
    found
}

// ---------------------------------------------------------------------------------------------
// The schema itself, in process.

/// Every `required` keyword of a schema, by where it is.
fn required_anywhere(schema: &Value, at: &str, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "required" {
                    out.push(at.to_owned());
                }
                required_anywhere(v, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                required_anywhere(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema is valid draft 2020-12")
}

/// The messages of the errors the `jsonschema` crate finds in `doc`.
fn errors(schema: &Value, doc: &Value) -> Vec<String> {
    validator(schema)
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn toml_value(text: &str) -> Value {
    serde_json::to_value(text.parse::<toml::Table>().unwrap()).unwrap()
}

#[test]
fn both_schemas_are_valid_draft_2020_12() {
    for (name, file, _) in structs() {
        assert_eq!(
            file["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        jsonschema::meta::validate(&file)
            .unwrap_or_else(|e| panic!("{name}: file_schema is not valid draft 2020-12: {e}"));
    }
    for complete in [
        Quickstart::json_schema(),
        Composition::json_schema(),
        Gateway::json_schema(),
        Service::json_schema(),
    ] {
        jsonschema::meta::validate(&complete).unwrap();
    }
}

#[test]
fn nothing_is_required_in_one_file_while_the_complete_settings_require_it() {
    let complete = Service::json_schema();
    assert_eq!(complete["required"], json!(["name", "db", "upstreams"]));
    assert_eq!(
        complete["properties"]["db"]["required"],
        json!(["url", "password"])
    );
    for (name, file, _) in structs() {
        let mut found = Vec::new();
        required_anywhere(&file, "", &mut found);
        assert!(found.is_empty(), "{name}: `required` at {found:?}");
    }
    // The quickstart's own file, which the issue found rejected: its secrets come from the
    // secrets directory.
    let text = std::fs::read_to_string(root().join("examples/config/settings.toml")).unwrap();
    let doc = toml_value(&text);
    assert!(!errors(&Quickstart::json_schema(), &doc).is_empty());
    assert_eq!(
        errors(&Quickstart::file_schema(), &doc),
        Vec::<String>::new()
    );
}

#[test]
fn the_file_schema_keeps_types_constraints_docs_defaults_and_unknown_key_errors() {
    let file = Service::file_schema();
    let complete = Service::json_schema();
    assert_eq!(file["title"], "Service");
    assert_eq!(file["description"], "Settings of the billing service.");
    let props = &file["properties"];
    // Plain leaves are exactly as in the complete schema.
    for key in ["port", "name", "level", "timeout", "tags"] {
        assert_eq!(props[key], complete["properties"][key], "{key}");
    }
    assert_eq!(
        props["port"],
        json!({
            "description": "Port the HTTP server listens on.",
            "type": "integer",
            "minimum": 1024,
            "maximum": 65535,
            "default": 8000,
        })
    );
    assert_eq!(props["level"]["enum"], json!(["debug", "info", "warn"]));
    assert_eq!(props["name"]["pattern"], "^[a-z][a-z0-9-]*$");
    assert_eq!(props["db"]["properties"]["pool_size"]["maximum"], 100);
    assert_eq!(props["db"]["additionalProperties"], false);
    assert_eq!(props["upstreams"]["items"]["additionalProperties"], false);
    assert_eq!(props["cache"]["properties"]["ttl"]["default"], "5m");
    // An unset `Option` is `null` in JSON and YAML.
    assert_eq!(props["debug"]["type"], json!(["boolean", "null"]));
    // Unknown keys: outside profile sections, the top level allows exactly its keys.
    assert_eq!(complete["additionalProperties"], false);
    assert_eq!(file["else"]["additionalProperties"], false);
    let allowed: Vec<&String> = file["else"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let mut keys: Vec<&String> = props.as_object().unwrap().keys().collect();
    keys.sort();
    let mut allowed = allowed;
    allowed.sort();
    assert_eq!(allowed, keys);
    for key in ["$schema", "extends"] {
        assert!(keys.iter().any(|k| *k == key), "{key} in {keys:?}");
    }

    let schema = file.clone();
    let ok = |doc: Value| assert_eq!(errors(&schema, &doc), Vec::<String>::new(), "{doc}");
    let bad = |doc: Value, at: &str| {
        let found = errors(&schema, &doc);
        assert!(
            found.iter().any(|e| e.contains(at)),
            "{doc}: no error naming {at} in {found:?}"
        );
    };
    ok(json!({}));
    ok(json!({"port": 8080, "db": {"pool_size": 5}}));
    ok(json!({"$schema": "./service.schema.json", "debug": null, "cache": {"url": "redis://c"}}));
    ok(json!({"extends": ["base.toml", "more.yaml"], "upstreams": [{"host": "a"}]}));
    bad(json!({"prot": 8080}), "prot");
    bad(json!({"db": {"pool_sise": 5}}), "pool_sise");
    bad(json!({"port": "eighty"}), "/port");
    bad(json!({"port": 80}), "/port");
    bad(json!({"db": {"pool_size": 1000}}), "/db/pool_size");
    bad(json!({"level": "loud"}), "/level");
    bad(json!({"upstreams": [{"weight": 0}]}), "/upstreams/0/weight");
    bad(json!({"extends": 3}), "/extends");
}

#[test]
fn secrets_stay_in_the_file_schema_with_where_they_belong_and_never_their_default() {
    let file = Service::file_schema();
    let text = serde_json::to_string(&file).unwrap();
    assert!(!text.contains(SECRET_DEFAULT), "{text}");
    assert!(
        !serde_json::to_string(&Service::json_schema())
            .unwrap()
            .contains(SECRET_DEFAULT)
    );

    let token = &file["properties"]["admin_token"];
    assert_eq!(token["writeOnly"], true);
    assert_eq!(token.get("default"), None);
    assert_eq!(
        token["description"],
        "Token of the admin API.\n\nA secret: keep its value out of config files. Set it in the \
         secrets directory `/run/secrets/svc` (a file named `SVC_ADMIN_TOKEN`), in the \
         environment (`SVC_ADMIN_TOKEN`), or in this file only encrypted, as `ENC[age:...]`."
    );
    let password = &file["properties"]["db"]["properties"]["password"];
    assert!(
        password["description"]
            .as_str()
            .unwrap()
            .contains("a file named `SVC_DB__PASSWORD`"),
        "{password}"
    );
    // The quickstart's secrets directory is where its secrets are.
    let api_key = &Quickstart::file_schema()["properties"]["api_key"];
    assert!(
        api_key["description"]
            .as_str()
            .unwrap()
            .contains("the secrets directory `examples/config/secrets`"),
        "{api_key}"
    );

    let ok = |doc: Value| assert_eq!(errors(&file, &doc), Vec::<String>::new(), "{doc}");
    ok(json!({"admin_token": "ENC[age:YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOQ==]"}));
    ok(json!({"db": {"password": "in plain text: the load warns"}}));
    assert!(!errors(&file, &json!({"admin_token": 5})).is_empty());

    // Where the load refuses a secret in plain text, so does the schema.
    #[derive(Settings)]
    #[settings(deny_plain_secrets)]
    struct Strict {
        token: Secret<String>,
    }
    let strict = Strict::file_schema();
    let encrypted = json!({"token": "ENC[age:YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOQ==]"});
    assert_eq!(errors(&strict, &encrypted), Vec::<String>::new());
    let found = errors(&strict, &json!({"token": "plain"}));
    assert!(found.iter().any(|e| e.starts_with("/token")), "{found:?}");
}

#[test]
fn a_file_in_profile_sections_is_checked_section_by_section() {
    let schema = Quickstart::file_schema();
    let doc = toml_value(
        "[default]\nport = 8080\n[default.db]\npool_size = 5\n\n[prod]\nport = 80\n\n[global]\nregion = \"eu-west-1\"\n",
    );
    assert_eq!(errors(&schema, &doc), Vec::<String>::new());
    let doc = toml_value("[default]\nport = 8080\n[prod]\nprot = 80\n");
    let found = errors(&schema, &doc);
    assert!(found.iter().any(|e| e.contains("prot")), "{found:?}");
    let doc = toml_value("[prod.db]\npool_size = 1000\n");
    let found = errors(&schema, &doc);
    assert!(
        found.iter().any(|e| e.contains("/prod/db/pool_size")),
        "{found:?}"
    );
    // And the loader reads that file as the schema says.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "settings.toml",
        "[default]\nport = 8080\n[prod]\nport = 9090\n",
    );
    let s = Service::loader()
        .env_vars(service_env())
        .profile("prod")
        .file(&path)
        .load()
        .unwrap();
    assert_eq!(s.port, 9090);
}

/// What the `Service` needs besides a file.
fn service_env() -> [(&'static str, &'static str); 5] {
    [
        ("SVC_NAME", "billing"),
        ("SVC_DB__URL", "postgres://db.internal/billing"),
        ("SVC_DB__PASSWORD", "pw"),
        ("SVC_UPSTREAMS__0__HOST", "api-1"),
        ("SVC_ADMIN_TOKEN", "t"),
    ]
}

#[test]
fn every_example_config_is_checked_and_valid_against_its_struct() {
    let known: Vec<&str> = example_configs().iter().map(|(p, _)| *p).collect();
    for found in config_files_under_examples() {
        assert!(
            known.contains(&found.as_str()),
            "{found} is not in example_configs(): add the example's struct to editors.rs \
             (`#[path = \"../../examples/NAME.rs\"] mod NAME;`, the struct `pub(crate)`) and the \
             file to example_configs() with that struct's file schema, so that editors check it"
        );
    }
    for (path, schema) in example_configs() {
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        assert_eq!(
            errors(&schema, &toml_value(&text)),
            Vec::<String>::new(),
            "{path}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The command and the loader.

fn run(args: &[&str]) -> (ExitCode, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut argv = vec!["svc", "config"];
    argv.extend_from_slice(args);
    let loader = Service::loader().env_vars(service_env());
    let code = cli::run_args(loader, argv, &mut out, &mut err).expect("a `config` command");
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn config_schema_file_prints_the_file_schema() {
    let (code, out, _) = run(&["schema", "--file"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        Service::file_schema()
    );
    let (code, out, _) = run(&["schema"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        Service::json_schema()
    );
    assert_ne!(Service::json_schema(), Service::file_schema());
}

#[test]
fn config_template_schema_begins_with_each_editors_directive() {
    let url = "https://example.com/schemas/service.json";
    let cases = [
        ("toml", Format::Toml, format!("#:schema {url}\n")),
        (
            "yaml",
            Format::Yaml,
            format!("# yaml-language-server: $schema={url}\n"),
        ),
    ];
    for (name, format, directive) in cases {
        let (code, out, err) = run(&["template", "--format", name, "--schema", url]);
        assert_eq!(code, ExitCode::SUCCESS, "{err}");
        let rest = out
            .strip_prefix(&directive)
            .unwrap_or_else(|| panic!("{out}"));
        assert_eq!(rest, Service::template(format));
    }
    let (code, out, _) = run(&[
        "template",
        "-f",
        "json",
        "--schema",
        "./service.schema.json",
    ]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(
        out.starts_with("{\n  \"$schema\": \"./service.schema.json\",\n  \"port\""),
        "{out}"
    );
    let mut doc: Value = serde_json::from_str(&out).unwrap();
    doc.as_object_mut().unwrap().remove("$schema");
    assert_eq!(
        doc,
        serde_json::from_str::<Value>(&Service::template(Format::Json)).unwrap()
    );

    // Env files and Markdown have no directive; a line break would end the directive's line.
    for format in ["env", "markdown"] {
        let (code, out, err) = run(&["template", "-f", format, "--schema", url]);
        assert_eq!(code, ExitCode::from(2));
        assert_eq!(out, "");
        assert!(
            err.contains("--schema applies to the toml, yaml and json templates"),
            "{err}"
        );
    }
    for location in ["", "a.json\nport = 1"] {
        let (code, out, err) = run(&["template", "--schema", location]);
        assert_eq!(code, ExitCode::from(2), "{location:?}");
        assert_eq!(out, "");
        assert!(err.contains("--schema"), "{err}");
    }
}

#[test]
fn a_json_file_that_names_its_schema_loads_and_the_key_is_no_setting() {
    let (_, out, _) = run(&[
        "template",
        "-f",
        "json",
        "--schema",
        "./service.schema.json",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "service.json", filled(&out));
    let s = Service::loader()
        .env_vars(service_env())
        .file(&path)
        .load()
        .unwrap();
    assert_eq!(s.port, 8000);
    assert_eq!(s.debug, None);
    assert_eq!(s.cache.unwrap().url, "postgres://db.internal/billing");
    let report = Service::loader()
        .env_vars(service_env())
        .file(&path)
        .explain()
        .unwrap();
    assert!(report.get("$schema").is_none());
    let warnings = report.warnings().join("\n");
    assert!(!warnings.contains("$schema"), "{warnings}");
    // Without the loader's knowing the key, it is an unknown one.
    let typo = write(dir.path(), "typo.json", "{\"$schemas\": \"x.json\"}");
    let err = Service::loader()
        .env_vars(service_env())
        .file(&typo)
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("$schemas"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// The real tools.

/// The command of a tool, which must be installed: a test that needs it fails (never skips)
/// without it.
fn tool(name: &str) -> Command {
    let works = Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        works,
        "`{name}` is not installed: `pip install check-jsonschema taplo` or \
         `cargo install --locked taplo-cli` (scripts/test-all does)"
    );
    Command::new(name)
}

/// A tool's exit status and everything it printed.
fn outcome(mut command: Command) -> (bool, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    (status.success(), text)
}

/// `check-jsonschema --schemafile schema files...`.
fn check_jsonschema(schema: &Path, files: &[PathBuf]) -> (bool, String) {
    let mut command = tool("check-jsonschema");
    command.arg("--schemafile").arg(schema).args(files);
    outcome(command)
}

/// `taplo check file` in `dir`, with no taplo config around to change what it does.
fn taplo(dir: &Path, file: &Path) -> (bool, String) {
    let mut command = tool("taplo");
    command
        .current_dir(dir)
        .args(["check", "--no-auto-config", "--colors", "never"])
        .arg(file);
    outcome(command)
}

fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    write(dir, name, serde_json::to_string_pretty(value).unwrap())
}

#[test]
#[ignore = "needs check-jsonschema and taplo (scripts/test-all installs them)"]
fn check_jsonschema_finds_both_schemas_valid_draft_2020_12() {
    let dir = tempfile::tempdir().unwrap();
    let mut schemas = Vec::new();
    for (name, file, _) in structs() {
        schemas.push(write_json(dir.path(), &format!("{name}.file.json"), &file));
    }
    schemas.push(write_json(dir.path(), "q.json", &Quickstart::json_schema()));
    schemas.push(write_json(dir.path(), "s.json", &Service::json_schema()));
    let mut command = tool("check-jsonschema");
    command.arg("--check-metaschema").args(&schemas);
    let (ok, text) = outcome(command);
    assert!(ok, "{text}");
    // And it does tell a broken one.
    let broken = write_json(
        dir.path(),
        "broken.json",
        &json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {"port": {"type": "integer", "minimum": "one"}},
        }),
    );
    let mut command = tool("check-jsonschema");
    command.arg("--check-metaschema").arg(&broken);
    let (ok, text) = outcome(command);
    assert!(!ok, "{text}");
}

#[test]
#[ignore = "needs check-jsonschema and taplo (scripts/test-all installs them)"]
fn check_jsonschema_accepts_every_example_config() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (path, schema)) in example_configs().into_iter().enumerate() {
        let schema = write_json(dir.path(), &format!("schema-{i}.json"), &schema);
        let (ok, text) = check_jsonschema(&schema, &[root().join(path)]);
        assert!(ok, "{path}:\n{text}");
    }
    // The complete schema rejects the quickstart's file, as the issue found: its secrets are
    // in the secrets directory.
    let complete = write_json(dir.path(), "complete.json", &Quickstart::json_schema());
    let (ok, text) = check_jsonschema(&complete, &[root().join("examples/config/settings.toml")]);
    assert!(
        !ok && text.contains("'api_key' is a required property"),
        "{text}"
    );
}

#[test]
#[ignore = "needs check-jsonschema and taplo (scripts/test-all installs them)"]
fn check_jsonschema_accepts_every_template_with_its_placeholders_filled() {
    let dir = tempfile::tempdir().unwrap();
    for (name, schema, template) in structs() {
        let schema_path = write_json(dir.path(), &format!("{name}.schema.json"), &schema);
        let mut files = Vec::new();
        for format in FORMATS {
            let text = filled(&template(format));
            let left = text
                .lines()
                .any(|l| !l.trim_start().starts_with('#') && l.contains("\"<"));
            assert!(!left, "{name}: a placeholder is left in\n{text}");
            files.push(write(dir.path(), &file_name(name, format), text));
        }
        let (ok, text) = check_jsonschema(&schema_path, &files);
        assert!(ok, "{name}:\n{text}");
    }
    // With the directives of `config template --schema` too.
    let schema = write_json(dir.path(), "service.schema.json", &Service::file_schema());
    let mut files = Vec::new();
    for format in ["toml", "yaml", "json"] {
        let (code, out, err) = run(&[
            "template",
            "-f",
            format,
            "--schema",
            "./service.schema.json",
        ]);
        assert_eq!(code, ExitCode::SUCCESS, "{err}");
        files.push(write(
            dir.path(),
            &format!("directive.{format}"),
            filled(&out),
        ));
    }
    let (ok, text) = check_jsonschema(&schema, &files);
    assert!(ok, "{text}");
}

/// Bad files, each with what check-jsonschema and taplo must name: a typo'd key, a wrong type,
/// an out-of-range number, at the top and nested, and an unknown profile section's key.
const BAD: &[(&str, &str, &str)] = &[
    ("typo", "prot = 8080\n", "prot"),
    ("nested-typo", "[db]\npool_sise = 5\n", "pool_sise"),
    ("wrong-type", "port = \"eighty\"\n", "port"),
    (
        "nested-wrong-type",
        "[db]\npool_size = \"many\"\n",
        "pool_size",
    ),
    ("out-of-range", "port = 70000\n", "port"),
    (
        "nested-out-of-range",
        "[db]\npool_size = 1000\n",
        "pool_size",
    ),
    ("too-short", "allowed_hosts = []\n", "allowed_hosts"),
    ("pattern", "region = \"Europe\"\n", "region"),
    (
        "section-typo",
        "[default]\nport = 80\n[prod]\nprot = 80\n",
        "prot",
    ),
];

#[test]
#[ignore = "needs check-jsonschema and taplo (scripts/test-all installs them)"]
fn check_jsonschema_rejects_typos_wrong_types_and_out_of_range_values_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let schema = write_json(dir.path(), "schema.json", &Quickstart::file_schema());
    // One run over every file (the tool starts in about a second): it reports each problem as
    // `FILE::$.path: message`, and nothing about a good file among them.
    let mut files = vec![write(
        dir.path(),
        "good.toml",
        "port = 8080\n[db]\npool_size = 5\n",
    )];
    for (name, text, _) in BAD {
        files.push(write(dir.path(), &format!("{name}.toml"), text));
    }
    let (ok, out) = check_jsonschema(&schema, &files);
    assert!(!ok, "{out}");
    assert!(!out.contains("good.toml"), "{out}");
    for (name, _, key) in BAD {
        let about = format!("{name}.toml::");
        let named = out.lines().any(|l| l.contains(&about) && l.contains(key));
        assert!(named, "{name}: `{key}` not named in\n{out}");
    }
}

#[test]
#[ignore = "needs check-jsonschema and taplo (scripts/test-all installs them)"]
fn taplo_checks_a_toml_file_against_the_schema_its_directive_names() {
    let dir = tempfile::tempdir().unwrap();
    let schema = write_json(
        dir.path(),
        "settings.schema.json",
        &Quickstart::file_schema(),
    );
    // The forms of the directive: a path relative to the file, an absolute path, a file URL.
    let sub = crate::mkdir(dir.path(), "conf");
    let directives = [
        (
            "relative",
            sub.clone(),
            "../settings.schema.json".to_owned(),
        ),
        ("absolute", sub.clone(), schema.display().to_string()),
        (
            "url",
            sub.clone(),
            Url::from_file_path(&schema).unwrap().to_string(),
        ),
    ];
    let example = std::fs::read_to_string(root().join("examples/config/settings.toml")).unwrap();
    for (form, at, directive) in &directives {
        let good = write(
            at,
            &format!("{form}.toml"),
            format!("#:schema {directive}\n{example}"),
        );
        let (ok, out) = taplo(dir.path(), &good);
        assert!(ok, "{form}: the quickstart's file rejected\n{out}");
        for (name, text, key) in BAD {
            let text = format!("#:schema {directive}\n{text}");
            let file = write(at, &format!("{form}-{name}.toml"), &text);
            let (ok, out) = taplo(dir.path(), &file);
            assert!(!ok, "{form} {name}: accepted\n{out}");
            // taplo points at the line and column of the problem (`┌─ FILE:LINE:COL`).
            let line = 1 + text.lines().position(|l| l.contains(key)).unwrap();
            let at_key = format!("{form}-{name}.toml:{line}:");
            assert!(
                out.contains(&at_key),
                "{form} {name}: nothing at `{key}` in\n{out}"
            );
        }
    }
    // A `.taplo.toml` rule instead of a directive, as the README's recipe writes it.
    let project = crate::mkdir(dir.path(), "project");
    crate::mkdir(&project, "config");
    std::fs::copy(&schema, project.join("settings.schema.json")).unwrap();
    write(
        &project,
        ".taplo.toml",
        "[[rule]]\ninclude = [\"config/**/*.toml\"]\nschema = { path = \"./settings.schema.json\" }\n",
    );
    let good = write(&project.join("config"), "settings.toml", &example);
    let bad = write(&project.join("config"), "typo.toml", "prot = 8080\n");
    let mut command = tool("taplo");
    command
        .current_dir(&project)
        .args(["check", "--colors", "never"])
        .arg(&good);
    let (ok, out) = outcome(command);
    assert!(ok, "{out}");
    let mut command = tool("taplo");
    command
        .current_dir(&project)
        .args(["check", "--colors", "never"])
        .arg(&bad);
    let (ok, out) = outcome(command);
    assert!(!ok && out.contains("'prot' was unexpected"), "{out}");
    // Without a directive, taplo checks the syntax only: the directive is what did it.
    let plain = write(dir.path(), "plain.toml", "prot = 8080\n");
    let (ok, out) = taplo(dir.path(), &plain);
    assert!(ok, "{out}");
}

#[test]
#[ignore = "needs check-jsonschema and taplo (scripts/test-all installs them)"]
fn taplo_accepts_every_toml_template_and_example_config_with_the_directive() {
    let dir = tempfile::tempdir().unwrap();
    for (name, schema, _) in structs() {
        write_json(dir.path(), &format!("{name}.schema.json"), &schema);
    }
    // Templates as `config template --schema` writes them.
    let (code, out, _) = run(&["template", "--schema", "./service.schema.json"]);
    assert_eq!(code, ExitCode::SUCCESS);
    let file = write(dir.path(), "service.toml", filled(&out));
    let (ok, text) = taplo(dir.path(), &file);
    assert!(ok, "{text}");
    for (name, _, template) in structs() {
        let text = format!(
            "#:schema ./{name}.schema.json\n{}",
            filled(&template(Format::Toml))
        );
        let file = write(dir.path(), &format!("{name}.toml"), text);
        let (ok, out) = taplo(dir.path(), &file);
        assert!(ok, "{name}:\n{out}");
    }
    let schemas = [
        ("quickstart", "examples/config/"),
        ("composition", "examples/composition/"),
        ("deployment", "examples/deployment/"),
        ("endpoint", "examples/endpoint/"),
    ];
    for (path, _) in example_configs() {
        let (name, _) = schemas.iter().find(|(_, d)| path.starts_with(d)).unwrap();
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let file = write(
            dir.path(),
            &path.replace('/', "-"),
            format!("#:schema ./{name}.schema.json\n{text}"),
        );
        let (ok, out) = taplo(dir.path(), &file);
        assert!(ok, "{path}:\n{out}");
    }
}
