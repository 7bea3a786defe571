//! No secret in any output, whatever the secret and whatever goes wrong (proptest).
//!
//! Each case makes a secret value (printable or not, short or long, with quotes, line breaks,
//! backslashes, `${`, JSON-looking pieces), puts it in one source (an environment variable, a
//! dotenv line, a secrets-directory file or a TOML file; no encryption), makes the load fail one
//! way (a missing sibling, a value the secret's type refuses, a constraint on the secret, an
//! unknown key next to it, a TOML file broken around the secret's line, an invalid dotenv line
//! holding it) or succeed, and checks every text the outcome can show: the error's `Display`
//! and `Debug`, every field of every issue, its `source()` chain, `explain()`'s report
//! (`Display`, `Debug`, JSON), the templates and JSON Schema, and the settings' `Debug`.
//!
//! A secret starts with a marker and carries it again after every piece (`Zq9x0…Zq9x1…`), so a
//! fragment of it that holds a marker gives itself away even when a message escapes or cuts it.
//! Secrets are at least 8 characters long. 256 cases per property (`PROPTEST_CASES` for more): the
//! file runs in a few seconds.

use proptest::prelude::*;
use settings_core::{Error, Format, IssueKind, Report, Secret, Settings};
use std::path::Path;

/// What every secret starts with and carries after each piece; no field, file or message of
/// these tests contains it otherwise.
const MARK: &str = "Zq9x";

/// A nested struct, for a sibling path.
#[derive(Settings, Debug)]
struct Db {
    #[settings(default = "postgres://localhost/app")]
    url: String,
    #[settings(default = 5, range(min = 1, max = 50))]
    pool_size: u32,
}

/// The secret `api_key` among ordinary settings; `name` is required.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct App {
    name: String,
    api_key: Secret<String>,
    #[settings(default = 8000)]
    port: u16,
    #[settings(nested)]
    db: Db,
}

/// A typed secret: no secret of these tests is a number.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct Typed {
    api_key: Secret<u32>,
    #[settings(default = "x")]
    name: String,
}

/// Constraints on secrets: a `Secret<String>` and a plain `String` marked `secret` (the same
/// value in both); no secret of these tests is 4 characters or less, or `a`/`b`.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct Checked {
    #[settings(len(max = 4))]
    api_key: Secret<String>,
    #[settings(secret, one_of = ["a", "b"], env = "APP_API_KEY")]
    password: String,
}

/// Where the secret is given.
#[derive(Debug, Clone, Copy)]
enum Source {
    Env,
    Dotenv,
    SecretsDir,
    TomlFile,
}

fn source() -> impl Strategy<Value = Source> {
    prop_oneof![
        Just(Source::Env),
        Just(Source::Dotenv),
        Just(Source::SecretsDir),
        Just(Source::TomlFile),
    ]
}

/// A secret: the marker, then pieces each followed by the marker again.
fn secret() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\t".to_owned()),
        Just("\\".to_owned()),
        Just("${".to_owned()),
        Just("}".to_owned()),
        Just("$${".to_owned()),
        Just("${db.url}".to_owned()),
        Just("${env:HOME}".to_owned()),
        Just("{\"user\": \"admin\", \"ids\": [1, 2]}".to_owned()),
        Just("[1, ".to_owned()),
        Just(" # ".to_owned()),
        Just(" = ".to_owned()),
        Just("ENC[age:".to_owned()),
        "[ -~]{0,12}",
        "\\PC{0,6}",
        "[a-z]{40,200}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| {
        let mut s = format!("{MARK}0");
        for (i, p) in pieces.iter().enumerate() {
            s.push_str(p);
            s.push_str(&format!("{MARK}{}", i + 1));
        }
        // At least 8 characters.
        if s.chars().count() < 8 {
            s.push_str("-padding");
        }
        s
    })
}

/// A TOML basic string holding `s` (JSON's escapes are TOML's, but for DEL).
fn toml_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap()
        .replace('\u{7f}', "\\u007f")
}

/// A dotenv double-quoted value holding `s`.
fn dotenv_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The files and variables of one case, in a temporary directory.
struct Case {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
    toml: Option<String>,
    dotenv: Option<String>,
    secrets: Vec<(String, String)>,
}

impl Case {
    fn new() -> Self {
        Case {
            dir: tempfile::tempdir().unwrap(),
            env: Vec::new(),
            toml: None,
            dotenv: None,
            secrets: Vec::new(),
        }
    }

    /// Puts `value` for the field `key` (env var `APP_<KEY>`) in `source`.
    fn give(&mut self, source: Source, key: &str, value: &str) {
        let var = format!("APP_{}", key.to_ascii_uppercase());
        match source {
            Source::Env => self.env.push((var, value.to_owned())),
            Source::Dotenv => {
                let line = format!("{var}={}\n", dotenv_string(value));
                self.dotenv.get_or_insert_with(String::new).push_str(&line);
            }
            Source::SecretsDir => self.secrets.push((key.to_owned(), value.to_owned())),
            Source::TomlFile => {
                let line = format!("{key} = {}\n", toml_string(value));
                self.toml.get_or_insert_with(String::new).push_str(&line);
            }
        }
    }

    /// A loader of `T` over this case's sources.
    fn loader<T: Settings>(&self) -> settings_core::Loader<T> {
        let d = self.dir.path();
        let mut loader = T::loader().env_vars(self.env.clone());
        if let Some(text) = &self.toml {
            let path = d.join("settings.toml");
            std::fs::write(&path, text).unwrap();
            loader = loader.file(path);
        }
        if let Some(text) = &self.dotenv {
            let path = d.join("app.env");
            std::fs::write(&path, text).unwrap();
            loader = loader.env_file(path);
        }
        if !self.secrets.is_empty() {
            let secrets = d.join("secrets");
            std::fs::create_dir_all(&secrets).unwrap();
            for (name, value) in &self.secrets {
                write_private(&secrets.join(name), value);
            }
            loader = loader.secrets_dir(secrets);
        }
        loader
    }
}

fn write_private(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// Every text an error shows.
fn error_texts(err: &Error) -> Vec<String> {
    let mut texts = vec![err.to_string(), format!("{err:?}")];
    for i in err.issues() {
        texts.extend([
            i.path.clone(),
            i.message.clone(),
            i.origin.clone().unwrap_or_default(),
            i.to_string(),
            format!("{i:?}"),
            format!("{:?}", i.kind),
        ]);
    }
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        texts.extend([s.to_string(), format!("{s:?}")]);
        source = s.source();
    }
    texts
}

/// Every text a report shows.
fn report_texts(report: &Report) -> Vec<String> {
    let mut texts = vec![
        report.to_string(),
        format!("{report:?}"),
        serde_json::to_string(report).unwrap(),
        serde_json::to_string_pretty(report).unwrap(),
    ];
    for e in report.entries() {
        texts.extend([e.path.clone(), e.value.clone(), e.origin.clone()]);
        texts.extend(e.overrode.iter().cloned());
    }
    texts.extend(report.warnings().iter().cloned());
    texts.extend(report.unknown_env().iter().cloned());
    texts
}

/// Every template and the JSON Schema of `T`.
fn template_texts<T: Settings>() -> Vec<String> {
    let mut texts: Vec<String> = [
        Format::Toml,
        Format::Yaml,
        Format::Json,
        Format::Env,
        Format::Markdown,
    ]
    .into_iter()
    .map(T::template)
    .collect();
    texts.push(T::json_schema().to_string());
    texts
}

/// Fails the case if the secret, or any marked fragment of it, is in any text.
fn assert_hidden(texts: &[String], secret: &str, what: &str) -> Result<(), TestCaseError> {
    for text in texts {
        prop_assert!(
            !text.contains(secret) && !text.contains(MARK),
            "{} shows the secret {:?}:\n{}",
            what,
            secret,
            text
        );
    }
    Ok(())
}

/// What a case expects of the load.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Failure,
    /// Success, or a failure (a `${...}` piece of the secret may name nothing, a raw secret may
    /// happen to make a broken file valid).
    Anything,
}

/// Loads and explains `T`, and checks that no text of the outcome, the report, the templates or
/// the settings' `Debug` shows the secret. The kinds of the issues, if the load failed.
fn check<T: Settings + std::fmt::Debug>(
    case: &Case,
    secret: &str,
    expect: Expect,
) -> Result<Vec<IssueKind>, TestCaseError> {
    let loader = case.loader::<T>();
    let kinds = match loader.load() {
        Ok(settings) => {
            prop_assert!(
                expect == Expect::Anything,
                "the load succeeded: {:?}",
                settings
            );
            assert_hidden(&[format!("{settings:?}")], secret, "the settings' Debug")?;
            Vec::new()
        }
        Err(err) => {
            assert_hidden(&error_texts(&err), secret, "the error")?;
            err.issues().iter().map(|i| i.kind).collect()
        }
    };
    match loader.explain() {
        Ok(report) => assert_hidden(&report_texts(&report), secret, "the report")?,
        Err(err) => assert_hidden(&error_texts(&err), secret, "explain()'s error")?,
    }
    assert_hidden(&template_texts::<T>(), secret, "a template")?;
    Ok(kinds)
}

/// Cases per property: 256, or `PROPTEST_CASES` for a longer run by hand.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A load that succeeds: the secret is in no report and not in `Debug`.
    #[test]
    fn a_successful_load_shows_the_secret_nowhere(secret in secret(), source in source()) {
        let mut case = Case::new();
        case.give(source, "api_key", &secret);
        case.give(Source::Env, "name", "billing");
        let kinds = check::<App>(&case, &secret, Expect::Anything)?;
        // Only a `${...}` piece that names nothing fails it.
        prop_assert!(kinds.is_empty() || secret.contains("${"), "{:?}", kinds);
    }

    /// A sibling is missing (`name`): the secret is in no text of the error.
    #[test]
    fn a_missing_sibling_shows_the_secret_nowhere(secret in secret(), source in source()) {
        let mut case = Case::new();
        case.give(source, "api_key", &secret);
        let kinds = check::<App>(&case, &secret, Expect::Failure)?;
        prop_assert!(kinds.contains(&IssueKind::Missing));
    }

    /// The secret's type refuses it (`Secret<u32>`): an `Invalid` issue without the value.
    #[test]
    fn an_invalid_secret_is_not_quoted(secret in secret(), source in source()) {
        let mut case = Case::new();
        case.give(source, "api_key", &secret);
        let kinds = check::<Typed>(&case, &secret, Expect::Failure)?;
        prop_assert!(kinds.contains(&IssueKind::Invalid));
    }

    /// A constraint on the secret fails (`len`, `one_of`): the message does not quote it.
    #[test]
    fn a_constraint_failure_on_a_secret_does_not_quote_it(secret in secret(), source in source()) {
        let mut case = Case::new();
        case.give(source, "api_key", &secret);
        let kinds = check::<Checked>(&case, &secret, Expect::Failure)?;
        prop_assert!(!kinds.is_empty());
    }

    /// An unknown key next to the secret, holding the secret too (a misspelt copy: nothing
    /// says it is secret, but an `Unknown` issue never quotes a value). Its `${` are written
    /// `$${`: a reference in a value nothing marks secret may be named in a message.
    #[test]
    fn an_unknown_key_next_to_a_secret_shows_neither(secret in secret(), source in source()) {
        let mut case = Case::new();
        case.give(source, "api_key", &secret);
        case.give(Source::Env, "name", "billing");
        case.give(Source::TomlFile, "api_kye", &secret.replace("${", "$${"));
        let kinds = check::<App>(&case, &secret, Expect::Failure)?;
        // Unless a `${...}` piece names nothing, which takes the key out before it is unknown.
        prop_assert!(kinds.contains(&IssueKind::Unknown) || secret.contains("${"), "{:?}", kinds);
    }

    /// A TOML file broken on, before or after the secret's line, or with the secret unquoted.
    #[test]
    fn a_toml_parse_error_around_the_secret_does_not_echo_it(
        secret in secret(),
        how in 0..6usize,
    ) {
        let quoted = toml_string(&secret);
        let text = match how {
            0 => format!("name = \"x\"\napi_key = \"{secret}\n"),
            1 => format!("name = \"x\"\napi_key = {quoted}\nport = = 1\n"),
            2 => format!("name = [\napi_key = {quoted}\n"),
            3 => format!("api_key = {secret}\n"),
            4 => format!("api_key = '''{secret}\n"),
            _ => format!("[db\napi_key = {quoted}\n"),
        };
        let mut case = Case::new();
        case.toml = Some(text);
        check::<App>(&case, &secret, Expect::Anything)?;
    }

    /// A dotenv line holding the secret is invalid: the problem is named, the line is not.
    #[test]
    fn an_invalid_dotenv_line_holding_the_secret_does_not_echo_it(
        secret in secret(),
        how in 0..5usize,
    ) {
        let one_line = secret.replace(['\n', '\r'], " ");
        let text = match how {
            0 => format!("APP_NAME=x\nAPP_API_KEY=\"{}\n", one_line.replace('"', "'")),
            1 => format!("APP_NAME=x\n{}\n", one_line.replace('=', ":")),
            2 => format!("APP_NAME=x\nAPP_API_KEY={} trailing\n", dotenv_string(&secret)),
            3 => format!("APP_NAME=x\nAPP API KEY={one_line}\n"),
            _ => format!("APP_NAME=x\nAPP_API_KEY='{}'x\n", one_line.replace('\'', "\"")),
        };
        let mut case = Case::new();
        case.dotenv = Some(text);
        let kinds = check::<App>(&case, &secret, Expect::Failure)?;
        prop_assert!(kinds.contains(&IssueKind::Source));
    }
}

/// Found by the properties above: a `${...}` inside a secret value was named in the message
/// ("`${pa55}` in the value of `api_key` names no setting"), showing a piece of the secret.
#[test]
fn a_reference_inside_a_secret_is_not_named_in_the_message() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Refs {
        api_key: Secret<String>,
        #[settings(default = "x")]
        token: String,
        #[settings(default = "x")]
        greeting: String,
        #[settings(default = "x")]
        plain: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("secrets");
    std::fs::create_dir(&secrets).unwrap();
    // Secret by type, secret by source, and a plain value that references a secret.
    write_private(&secrets.join("token"), "pw${piece-two}x");
    let err = Refs::loader()
        .env_vars([
            ("APP_API_KEY", "pa${piece-one}ss"),
            ("APP_GREETING", "hello ${token}"),
            ("APP_PLAIN", "${not-a-secret}"),
        ])
        .secrets_dir(&secrets)
        .load()
        .unwrap_err();
    let text = error_texts(&err).join("\n");
    for piece in ["piece-one", "piece-two"] {
        assert!(!text.contains(piece), "{piece} shown:\n{text}");
    }
    assert_eq!(err.issues().len(), 4, "{err}");
    let at = |path: &str| err.issues().iter().find(|i| i.path == path).unwrap();
    for path in ["api_key", "token", "greeting"] {
        assert_eq!(at(path).kind, IssueKind::Invalid);
        assert!(at(path).message.contains("the value is secret"), "{err}");
    }
    // A reference in a value that is not secret is still named.
    assert!(at("plain").message.contains("${not-a-secret}"), "{err}");
}

/// A URL's password: the marker around characters a URL's user information may hold as they are
/// (unreserved and sub-delimiters) and percent escapes.
fn url_password() -> impl Strategy<Value = String> {
    let piece = prop_oneof!["[A-Za-z0-9._~!$&'()*+,;=-]{1,10}", "%[0-9A-F]{2}",];
    prop::collection::vec(piece, 0..4).prop_map(|pieces| format!("{MARK}{}{MARK}", pieces.concat()))
}

/// A URL with `password`, of a scheme, user, port (valid or not) and path chosen by `shape`.
fn url_with(password: &str, shape: usize) -> String {
    let scheme = ["postgres", "mysql", "redis", "https"][shape % 4];
    let user = ["svc", "", "app-user"][shape % 3];
    let port = ["", ":5432", ":99999", ":port"][(shape / 3) % 4];
    let path = ["/svc", "", "/db?sslmode=require"][(shape / 4) % 3];
    format!("{scheme}://{user}:{password}@db.internal{port}{path}")
}

/// Echoes the value in its message, as custom checks often do.
fn echo(value: &String) -> Result<(), String> {
    Err(format!("`{value}` is not allowed here"))
}

/// Settings that take URLs in every way a field can go wrong with one, each with a default (so
/// the case decides what fails); the default of `fallback` carries a password of its own.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct Urls {
    #[settings(default = "postgres://localhost/app")]
    url: url::Url,
    #[settings(default = "postgres://localhost/app", url(schemes = ["postgres"]))]
    checked: String,
    #[settings(default = "ok", regex = "^ok$")]
    pattern: String,
    #[settings(default = "ok", validate = echo)]
    custom: String,
    #[settings(default = 1)]
    port: u16,
    #[settings(default = ["https://localhost"])]
    hosts: Vec<url::Url>,
    #[settings(default = "postgres://app:Zq9xdefaultZq9x@localhost/app")]
    fallback: String,
    #[settings(nested)]
    db: Db,
    #[settings(default = "ok")]
    greeting: String,
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A URL with a password given to any field from any source, in every failure mode (a port
    /// the URL parser refuses, a scheme, a regex or a custom check that fails, a number field, a
    /// list, an unknown key, a reference that copies it into another value) or in none: no
    /// message, report or template shows the password.
    #[test]
    fn no_output_shows_the_password_of_a_url(
        password in url_password(),
        shape in 0..48usize,
        source in prop_oneof![Just(Source::Env), Just(Source::Dotenv), Just(Source::TomlFile)],
        mode in 0..10usize,
    ) {
        let url = url_with(&password, shape);
        // A nested field's key: a dotted key in TOML, the nested delimiter in a variable name.
        let db = |key: &str| match source {
            Source::TomlFile => format!("db.{key}"),
            _ => format!("db__{key}"),
        };
        let mut case = Case::new();
        match mode {
            0 => case.give(source, "url", &url),
            1 => case.give(source, "checked", &url),
            2 => case.give(source, "pattern", &url),
            3 => case.give(source, "custom", &url),
            4 => case.give(source, "port", &url),
            5 => case.give(source, "hosts", &format!("{url},{}", url_with(&password, shape + 1))),
            6 => case.give(source, &db("url"), &url),
            7 => case.give(Source::TomlFile, "urll", &url),
            8 => {
                case.give(Source::TomlFile, "fallback", &url);
                case.give(Source::Env, "pattern", "${fallback}");
            }
            _ => {
                // A sibling that fails (a pool size that is no number): the URL is loaded and
                // reported by a load that fails.
                case.give(source, "greeting", &url);
                case.give(source, &db("pool_size"), "lots");
            }
        }
        let loader = case.loader::<Urls>();
        // The settings' own `Debug` is the application's (a `Url` prints its password there).
        if let Err(err) = loader.load() {
            assert_hidden(&error_texts(&err), &password, "the error")?;
        }
        match loader.explain() {
            Ok(report) => assert_hidden(&report_texts(&report), &password, "the report")?,
            Err(err) => assert_hidden(&error_texts(&err), &password, "explain()'s error")?,
        }
        assert_hidden(&template_texts::<Urls>(), &password, "a template")?;
    }
}

/// The case of the first-hour report: a connection string with a port out of range names the
/// URL with its password masked, in the issue and in the report of a load that succeeds.
#[test]
fn a_bad_url_is_quoted_with_its_password_masked() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Svc {
        #[settings(nested)]
        db: Conn,
    }
    #[derive(Settings, Debug)]
    struct Conn {
        url: url::Url,
    }
    let bad = "postgres://svc:hunter2@db.internal:99999/svc";
    let err = Svc::loader()
        .env_vars([("APP_DB__URL", bad)])
        .load()
        .unwrap_err();
    let issue = &err.issues()[0];
    assert_eq!(issue.path, "db.url");
    assert!(
        issue
            .message
            .contains("\"postgres://svc:*****@db.internal:99999/svc\""),
        "{err}"
    );
    assert!(!err.to_string().contains("hunter2"), "{err}");

    let good = "postgres://svc:hunter2@db.internal:5432/svc";
    let report = Svc::loader()
        .env_vars([("APP_DB__URL", good)])
        .explain()
        .unwrap();
    let entry = report.get("db.url").unwrap();
    assert_eq!(entry.value, "postgres://svc:*****@db.internal:5432/svc");
    assert!(!entry.secret);
    assert!(!report.to_string().contains("hunter2"));
}

/// The case the property test found: a password holding a comma, in a list given as text. The
/// list is not cut inside the password, so each URL loads whole, and a bad one is quoted masked.
#[test]
fn a_password_holding_the_list_separator_stays_whole() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Pool {
        hosts: Vec<url::Url>,
        #[settings(extend)]
        more: Vec<String>,
    }
    let hosts = "postgres://svc:pa,ss@db1/svc,postgres://svc:w,rd@db2/svc";
    let pool = Pool::loader()
        .env_vars([("APP_HOSTS", hosts), ("APP_MORE", "redis://:a,b@cache,x")])
        .load()
        .unwrap();
    let passwords: Vec<_> = pool.hosts.iter().map(|u| u.password().unwrap()).collect();
    assert_eq!(passwords, ["pa,ss", "w,rd"]);
    assert_eq!(pool.more, ["redis://:a,b@cache", "x"]);

    let err = Pool::loader()
        .env_vars([("APP_HOSTS", "postgres://svc:Zq9x,Zq9x@db:99999,https://ok")])
        .load()
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("postgres://svc:*****@db:99999"), "{text}");
    assert!(!text.contains("Zq9x"), "{text}");
}
