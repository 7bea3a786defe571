//! Encrypted values (`ENC[age:<base64>]`) and files (`*.age`) made by the real `age` CLI
//! (Debian's `age` package, which `scripts/test-all` installs) and decrypted by the loader.
//!
//! The tests that run the CLI are `#[ignore = "needs the age CLI"]`: `cargo test --test it`
//! lists them as ignored instead of passing without having run, and `scripts/test-all` runs them
//! with `--include-ignored`, where a missing CLI fails them. Every key, value and file is made
//! fresh in a temporary directory; no test touches the process environment.

use crate::{NO_ENV, all_text, only, write};
use settings_core::{Error, IssueKind, Report, Secret, Settings};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

// ---------------------------------------------------------------------------------------------
// The age CLI.

/// Fails the test unless the `age` CLI (`age` and `age-keygen`) is installed.
fn require_age() {
    let works = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(
        works("age") && works("age-keygen"),
        "the age CLI (`age`, `age-keygen`) is not installed: install Debian's `age` package \
         (scripts/test-all does)"
    );
}

/// A key made by `age-keygen -o`, in its own temporary directory.
struct Key {
    dir: tempfile::TempDir,
    /// The key file as `age-keygen` wrote it (comment lines included).
    file: PathBuf,
    /// `age1…`.
    recipient: String,
    /// The `AGE-SECRET-KEY-1…` line.
    secret: String,
}

impl Key {
    fn new() -> Key {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("key.txt");
        let out = Command::new("age-keygen")
            .arg("-o")
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "age-keygen: {out:?}");
        let out = Command::new("age-keygen")
            .arg("-y")
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "age-keygen -y: {out:?}");
        let recipient = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("# created:"), "a key file has comments");
        let secret = text
            .lines()
            .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
            .unwrap()
            .to_owned();
        Key {
            dir,
            file,
            recipient,
            secret,
        }
    }

    /// `printf %s plaintext | age -r <recipient>`: the binary payload.
    fn encrypt(&self, plaintext: &str) -> Vec<u8> {
        age(&["-r", &self.recipient], plaintext)
    }

    /// `ENC[age:<base64 of the payload>]`.
    fn enc(&self, plaintext: &str) -> String {
        format!("ENC[age:{}]", base64(&self.encrypt(plaintext)))
    }

    /// `age -r <recipient> -o <path>` (with `-a`: ASCII armor) over `plaintext`.
    fn encrypt_file(&self, path: &Path, plaintext: &str, armor: bool) {
        let mut args = vec!["-r", &self.recipient, "-o", path.to_str().unwrap()];
        if armor {
            args.insert(0, "-a");
        }
        age(&args, plaintext);
        assert!(path.exists());
    }
}

/// Runs `age` with `args`, `input` on its standard input; its standard output.
fn age(args: &[&str], input: &str) -> Vec<u8> {
    let mut child = Command::new("age")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "age {args:?}: {out:?}");
    out.stdout
}

/// Standard base64 with padding, as `base64 -w0` writes it.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Checks.

/// Every text a report shows.
fn report_text(report: &Report) -> String {
    format!("{report}\n{report:?}")
}

/// None of `secrets` (plaintexts, key text) appears in `text`.
fn assert_hidden(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "{s:?} shows in:\n{text}");
    }
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Settings used by several tests.

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct Db {
    #[settings(default = "db.internal")]
    host: String,
    password: Secret<String>,
}

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct App {
    #[settings(default = 8000)]
    port: u16,
    api_key: String,
    #[settings(nested)]
    db: Db,
}

// ---------------------------------------------------------------------------------------------
// Values, from every source.

#[test]
#[ignore = "needs the age CLI"]
fn env_values_decrypt_with_the_key_in_age_key_typed_by_the_field() {
    require_age();
    let key = Key::new();
    let (port, api_key, pw) = (
        key.enc("8443"),
        key.enc("k-live-7f3a"),
        key.enc("s3cr3t-pw"),
    );
    let loader = App::loader().env_vars([
        ("APP_AGE_KEY", key.secret.as_str()),
        ("APP_PORT", port.as_str()),
        ("APP_API_KEY", api_key.as_str()),
        ("APP_DB__PASSWORD", pw.as_str()),
    ]);
    let app = loader.load().unwrap();
    assert_eq!(app.port, 8443);
    assert_eq!(app.api_key, "k-live-7f3a");
    assert_eq!(app.db.password.expose_secret(), "s3cr3t-pw");
    assert_eq!(app.db.host, "db.internal");

    let report = loader.explain().unwrap();
    for (path, var) in [
        ("port", "APP_PORT"),
        ("api_key", "APP_API_KEY"),
        ("db.password", "APP_DB__PASSWORD"),
    ] {
        let entry = report.get(path).unwrap();
        assert!(entry.secret, "{path} is secret");
        assert_eq!(entry.value, "**********");
        assert_eq!(entry.origin, format!("env var {var} (decrypted)"));
    }
    assert!(!report.get("db.host").unwrap().secret);
    // The key variables set no setting, and are no typo: not in the unknown list, no warning.
    assert!(
        report.unknown_env().is_empty(),
        "{:?}",
        report.unknown_env()
    );
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
    assert_hidden(
        &report_text(&report),
        &["8443", "k-live-7f3a", "s3cr3t-pw", &key.secret],
    );
}

#[test]
#[ignore = "needs the age CLI"]
fn values_in_toml_and_yaml_files_decrypt_with_the_key_file_in_age_key_file() {
    require_age();
    let key = Key::new();
    let dir = tempfile::tempdir().unwrap();
    let toml = write(
        dir.path(),
        "base.toml",
        format!(
            "api_key = \"{}\"\n[db]\npassword = \"{}\"\n",
            key.enc("from-toml"),
            key.enc("toml-pw")
        ),
    );
    let yaml = write(
        dir.path(),
        "over.yaml",
        format!("port: \"{}\"\n", key.enc("9001")),
    );
    // The key file as age-keygen wrote it: `# created` and `# public key` comment lines.
    let key_file = key.file.to_str().unwrap();
    let loader = App::loader()
        .env_vars([("APP_AGE_KEY_FILE", key_file)])
        .file(&toml)
        .file(&yaml);
    let app = loader.load().unwrap();
    assert_eq!(app.api_key, "from-toml");
    assert_eq!(app.db.password.expose_secret(), "toml-pw");
    assert_eq!(app.port, 9001);
    let report = loader.explain().unwrap();
    let origin = &report.get("port").unwrap().origin;
    assert_eq!(origin, &format!("file {} (decrypted)", yaml.display()));
    assert_hidden(&report_text(&report), &["from-toml", "toml-pw", "9001"]);
}

#[test]
#[ignore = "needs the age CLI"]
fn values_in_a_dotenv_file_the_secrets_dir_and_overrides_decrypt() {
    require_age();
    let key = Key::new();
    let dir = tempfile::tempdir().unwrap();
    let env_file = write(
        dir.path(),
        ".env",
        format!("APP_API_KEY={}\n", key.enc("dotenv-key")),
    );
    let secrets = dir.path().join("secrets");
    std::fs::create_dir(&secrets).unwrap();
    // As a mounted secret is written: one trailing newline.
    write(&secrets, "db__password", format!("{}\n", key.enc("dir-pw")));
    let loader = App::loader()
        .env_vars([("X", "")])
        .env_file(&env_file)
        .secrets_dir(&secrets)
        .set("port", key.enc("7070"))
        .age_identity(&key.secret);
    let app = loader.load().unwrap();
    assert_eq!(app.api_key, "dotenv-key");
    assert_eq!(app.db.password.expose_secret(), "dir-pw");
    assert_eq!(app.port, 7070);
    let report = loader.explain().unwrap();
    assert!(
        report
            .get("api_key")
            .unwrap()
            .origin
            .ends_with("APP_API_KEY on line 1 (decrypted)")
    );
    assert_eq!(
        report.get("port").unwrap().origin,
        "override port (decrypted)"
    );
    assert!(
        report
            .entries()
            .iter()
            .all(|e| e.path == "db.host" || e.secret)
    );
    assert_hidden(&report_text(&report), &["dotenv-key", "dir-pw", "7070"]);
}

#[test]
#[ignore = "needs the age CLI"]
fn identities_from_key_files_and_several_keys_the_right_one_is_found() {
    require_age();
    let (a, b, c) = (Key::new(), Key::new(), Key::new());
    let both = format!("{}\n{}\n", a.secret, b.secret);
    // A to B in one variable (two lines), C in a key file given to the builder.
    let (va, vb, vc) = (a.enc("for-a"), b.enc("for-b"), c.enc("9999"));
    let app = App::loader()
        .env_vars([
            ("APP_AGE_KEY", both.as_str()),
            ("APP_API_KEY", va.as_str()),
            ("APP_DB__PASSWORD", vb.as_str()),
            ("APP_PORT", vc.as_str()),
        ])
        .age_identity_file(&c.file)
        .load()
        .unwrap();
    assert_eq!(app.api_key, "for-a");
    assert_eq!(app.db.password.expose_secret(), "for-b");
    assert_eq!(app.port, 9999);

    // Builder keys, repeated; the one that opens the value is the last.
    let app = App::loader()
        .env_vars([
            ("APP_API_KEY", vc.as_str()),
            ("APP_DB__PASSWORD", vb.as_str()),
        ])
        .age_identity(&a.secret)
        .age_identity(&b.secret)
        .age_identity(&c.secret)
        .load()
        .unwrap();
    assert_eq!(app.api_key, "9999");
    assert_eq!(app.db.password.expose_secret(), "for-b");

    // The builder's key and the environment's together.
    let app = App::loader()
        .env_vars([
            ("APP_AGE_KEY_FILE", a.file.to_str().unwrap()),
            ("APP_API_KEY", va.as_str()),
            ("APP_DB__PASSWORD", vb.as_str()),
        ])
        .age_identity(&b.secret)
        .load()
        .unwrap();
    assert_eq!(app.api_key, "for-a");
}

#[test]
#[ignore = "needs the age CLI"]
fn base64_padding_is_optional_and_lists_decrypt_item_by_item() {
    require_age();
    #[derive(Settings, Debug)]
    struct S {
        token: String,
        hosts: Vec<String>,
    }
    let key = Key::new();
    // Payload lengths vary with the plaintext; find one whose base64 ends in padding.
    let padded = (0..6)
        .map(|n| key.enc(&"x".repeat(n + 1)))
        .find(|e| e.ends_with("=]"))
        .expect("some payload has padding");
    let unpadded = format!("{}]", padded.trim_end_matches(']').trim_end_matches('='));
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "s.toml",
        format!(
            "token = \"{unpadded}\"\nhosts = [\"plain.example\", \"{}\"]\n",
            key.enc("hidden.example")
        ),
    );
    let loader = S::loader()
        .env_vars([("AGE_KEY", key.secret.as_str())])
        .file(&file);
    let s = loader.load().unwrap();
    assert!(s.token.chars().all(|c| c == 'x'), "{}", s.token);
    assert_eq!(s.hosts, ["plain.example", "hidden.example"]);
    let report = loader.explain().unwrap();
    assert!(report.get("hosts").unwrap().secret);
    assert_hidden(&report_text(&report), &["hidden.example"]);
}

#[test]
#[ignore = "needs the age CLI"]
fn a_reference_to_an_encrypted_value_is_secret_and_a_decrypted_dollar_brace_is_literal() {
    require_age();
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        password: String,
        url: String,
        literal: String,
    }
    let key = Key::new();
    let (pw, lit) = (key.enc("pw-42"), key.enc("a${b}c$${d}"));
    let loader = S::loader().env_vars([
        ("APP_AGE_KEY", key.secret.as_str()),
        ("APP_PASSWORD", pw.as_str()),
        ("APP_URL", "postgres://app:${password}@db/app"),
        ("APP_LITERAL", lit.as_str()),
    ]);
    let s = loader.load().unwrap();
    assert_eq!(s.url, "postgres://app:pw-42@db/app");
    assert_eq!(s.literal, "a${b}c$${d}");
    let report = loader.explain().unwrap();
    assert!(report.get("url").unwrap().secret);
    assert_hidden(&report_text(&report), &["pw-42", "a${b}"]);
}

#[test]
#[ignore = "needs the age CLI"]
fn a_key_file_others_can_read_is_a_warning_and_keys_are_read_only_when_needed() {
    require_age();
    let key = Key::new();
    let pw = key.enc("pw");
    chmod(&key.file, 0o644);
    let loader = App::loader()
        .env_vars([("APP_API_KEY", pw.as_str()), ("APP_DB__PASSWORD", "plain")])
        .age_identity_file(&key.file);
    let report = loader.explain().unwrap();
    let warning = report
        .warnings()
        .iter()
        .find(|w| w.contains("age key file"))
        .unwrap_or_else(|| panic!("no warning in {:?}", report.warnings()));
    assert!(warning.contains("group or others"), "{warning}");
    assert!(
        warning.contains(&key.file.display().to_string()),
        "{warning}"
    );
    assert!(warning.contains("chmod 600"), "{warning}");

    chmod(&key.file, 0o600);
    let report = loader.explain().unwrap();
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());

    // No encrypted value: the key sources are never read (a missing key file is no problem).
    let app = App::loader()
        .env_vars([
            ("APP_AGE_KEY_FILE", "/no/such/key.txt"),
            ("APP_API_KEY", "plain"),
            ("APP_DB__PASSWORD", "plain"),
        ])
        .age_identity_file("/no/such/other.txt")
        .load()
        .unwrap();
    assert_eq!(app.api_key, "plain");
}

#[test]
#[ignore = "needs the age CLI"]
fn the_key_variables_are_not_unknown_under_deny_unknown_env() {
    require_age();
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", deny_unknown_env)]
    struct S {
        token: String,
    }
    let key = Key::new();
    let token = key.enc("t");
    let s = S::loader()
        .env_vars([
            ("APP_AGE_KEY", key.secret.as_str()),
            ("APP_AGE_KEY_FILE", key.file.to_str().unwrap()),
            ("APP_TOKEN", token.as_str()),
        ])
        .load()
        .unwrap();
    assert_eq!(s.token, "t");
}

// ---------------------------------------------------------------------------------------------
// Whole encrypted files.

#[test]
#[ignore = "needs the age CLI"]
fn an_encrypted_toml_file_is_decrypted_then_parsed_and_every_value_is_secret() {
    require_age();
    let key = Key::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings.toml.age");
    key.encrypt_file(
        &file,
        "port = 8081\napi_key = \"file-key\"\n[db]\npassword = \"file-pw\"\n",
        false,
    );
    let loader = App::loader()
        .env_vars([("APP_AGE_KEY", key.secret.as_str())])
        .file(&file);
    let app = loader.load().unwrap();
    assert_eq!(app.port, 8081);
    assert_eq!(app.api_key, "file-key");
    assert_eq!(app.db.password.expose_secret(), "file-pw");
    let report = loader.explain().unwrap();
    let entry = report.get("port").unwrap();
    assert_eq!(entry.origin, format!("file {}", file.display()));
    assert!(entry.secret);
    assert_hidden(&report_text(&report), &["8081", "file-key", "file-pw"]);
}

#[test]
#[ignore = "needs the age CLI"]
fn armored_yaml_dotenv_and_profile_files_are_decrypted_too() {
    require_age();
    let key = Key::new();
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("app.yaml.age");
    key.encrypt_file(&yaml, "port: 8082\napi_key: yaml-key\n", true);
    assert!(
        std::fs::read_to_string(&yaml)
            .unwrap()
            .starts_with("-----BEGIN AGE ENCRYPTED FILE-----")
    );
    // The profile file of `app.yaml.age` is `app.prod.yaml.age`.
    key.encrypt_file(&dir.path().join("app.prod.yaml.age"), "port: 8083\n", false);
    let env = dir.path().join("prod.env.age");
    key.encrypt_file(&env, "APP_DB__PASSWORD=env-file-pw\n", false);
    let loader = App::loader()
        .env_vars([("APP_AGE_KEY", key.secret.as_str())])
        .file(&yaml)
        .file(&env)
        .profile("prod");
    let app = loader.load().unwrap();
    assert_eq!(app.port, 8083);
    assert_eq!(app.api_key, "yaml-key");
    assert_eq!(app.db.password.expose_secret(), "env-file-pw");
    let report = loader.explain().unwrap();
    assert!(report.get("db.password").unwrap().secret);
    assert!(report.get("api_key").unwrap().secret);
    assert_hidden(&report_text(&report), &["yaml-key", "env-file-pw"]);
}

// ---------------------------------------------------------------------------------------------
// Bad input: one clear issue naming the field or file, never the plaintext nor the key.

/// Loads `App` with `api_key` set to `value` and the given extra variables; the error.
fn api_key_error(value: &str, vars: &[(&str, &str)], key: Option<&Key>) -> Error {
    let mut pairs = vec![("APP_API_KEY", value), ("APP_DB__PASSWORD", "plain")];
    pairs.extend_from_slice(vars);
    let mut loader = App::loader().env_vars(pairs);
    if let Some(key) = key {
        loader = loader.age_identity(&key.secret);
    }
    loader.load().unwrap_err()
}

#[test]
#[ignore = "needs the age CLI"]
fn a_value_for_another_key_names_the_field_and_shows_nothing_secret() {
    require_age();
    let (mine, theirs) = (Key::new(), Key::new());
    let value = theirs.enc("not-for-you");
    let err = api_key_error(&value, &[], Some(&mine));
    let issue = only(&err);
    assert_eq!(issue.path, "api_key");
    assert_eq!(issue.kind, IssueKind::Invalid);
    assert_eq!(issue.origin.as_deref(), Some("env var APP_API_KEY"));
    assert!(
        issue
            .message
            .contains("the configured age identity does not open it"),
        "{issue}"
    );
    assert_hidden(
        &all_text(&err),
        &["not-for-you", &mine.secret, &theirs.secret, &value[8..]],
    );
}

#[test]
#[ignore = "needs the age CLI"]
fn an_encrypted_value_with_no_identity_says_how_to_give_one() {
    require_age();
    let key = Key::new();
    let err = api_key_error(&key.enc("no-key-here"), &[], None);
    let issue = only(&err);
    assert_eq!(issue.path, "api_key");
    assert!(
        issue.message.contains("no age identity is configured"),
        "{issue}"
    );
    assert!(issue.message.contains("APP_AGE_KEY"), "{issue}");
    assert_hidden(&all_text(&err), &["no-key-here"]);
}

#[test]
#[ignore = "needs the age CLI"]
fn corrupted_truncated_and_malformed_payloads_name_the_field() {
    require_age();
    let key = Key::new();
    let payload = key.encrypt("the-plaintext");
    let mut corrupted = payload.clone();
    let last = corrupted.len() - 5;
    corrupted[last] ^= 0x01;
    let enc = |bytes: &[u8]| format!("ENC[age:{}]", base64(bytes));
    let cases = [
        (enc(&corrupted), "corrupted or truncated"),
        (enc(&payload[..payload.len() - 8]), "corrupted or truncated"),
        (
            enc(&payload[..40]),
            "not an age payload, or it is truncated",
        ),
        (enc(b"hello, this is not age"), "not an age payload"),
        ("ENC[age:!!not*base64!!]".to_owned(), "not valid base64"),
        (
            format!("ENC[age:{}", base64(&payload)),
            "does not end with `]`",
        ),
        ("ENC[age:]".to_owned(), "the payload is empty"),
    ];
    for (value, expected) in &cases {
        let err = api_key_error(value, &[], Some(&key));
        let issue = only(&err);
        assert_eq!(issue.path, "api_key", "{err}");
        assert_eq!(issue.kind, IssueKind::Invalid);
        assert!(
            issue.message.contains(expected),
            "{expected:?} not in {issue}"
        );
        assert!(issue.message.contains("`api_key`"), "{issue}");
        assert_hidden(&all_text(&err), &["the-plaintext", &key.secret]);
    }
}

#[test]
#[ignore = "needs the age CLI"]
fn a_bad_or_missing_key_is_a_source_issue_that_never_shows_the_key() {
    require_age();
    let key = Key::new();
    let value = key.enc("v");
    // A key with one character changed: not valid Bech32.
    let mut broken = key.secret.clone();
    let at = broken.len() - 3;
    let swapped = if &broken[at..=at] == "Q" { "P" } else { "Q" };
    broken.replace_range(at..=at, swapped);
    let text = format!("# my keys\n\n{broken}\n");
    let err = api_key_error(&value, &[("APP_AGE_KEY", text.as_str())], None);
    let source = err
        .issues()
        .iter()
        .find(|i| i.kind == IssueKind::Source)
        .unwrap_or_else(|| panic!("no Source issue in {err}"));
    assert_eq!(source.origin.as_deref(), Some("env var APP_AGE_KEY"));
    assert!(source.message.contains("line 3"), "{source}");
    assert!(
        source.message.contains("is not an age identity"),
        "{source}"
    );
    // The field says why it is not decrypted.
    let field = err.issues().iter().find(|i| i.path == "api_key").unwrap();
    assert!(
        field.message.contains("no age identity could be read"),
        "{field}"
    );
    assert_hidden(&all_text(&err), &[&broken, &key.secret, &broken[16..40]]);

    let err = api_key_error(&value, &[("APP_AGE_KEY_FILE", "/no/such/key.txt")], None);
    let source = err
        .issues()
        .iter()
        .find(|i| i.kind == IssueKind::Source)
        .unwrap();
    assert!(
        source.message.contains("/no/such/key.txt does not exist"),
        "{source}"
    );
    assert_eq!(source.origin.as_deref(), Some("env var APP_AGE_KEY_FILE"));

    // A key text with no key in it.
    let err = api_key_error(&value, &[("APP_AGE_KEY", "# only a comment\n")], None);
    let source = err
        .issues()
        .iter()
        .find(|i| i.kind == IssueKind::Source)
        .unwrap();
    assert!(source.message.contains("holds no age identity"), "{source}");
}

#[test]
#[ignore = "needs the age CLI"]
fn an_encrypted_file_that_is_not_toml_inside_names_the_file_and_line() {
    require_age();
    let key = Key::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings.toml.age");
    key.encrypt_file(&file, "api_key = \"ok\"\nport = = 1 hidden-text\n", false);
    let err = App::loader()
        .env_vars([("APP_AGE_KEY", key.secret.as_str())])
        .file(&file)
        .load()
        .unwrap_err();
    let source = err
        .issues()
        .iter()
        .find(|i| i.kind == IssueKind::Source)
        .unwrap_or_else(|| panic!("no Source issue in {err}"));
    assert_eq!(
        source.origin.as_deref(),
        Some(&*format!("file {}", file.display()))
    );
    assert!(source.message.contains("settings.toml.age"), "{source}");
    assert!(source.message.contains("at line 2"), "{source}");
    assert_hidden(&all_text(&err), &["hidden-text", &key.secret]);
}

#[test]
#[ignore = "needs the age CLI"]
fn an_encrypted_file_for_another_key_or_with_no_key_names_the_file() {
    require_age();
    let (mine, theirs) = (Key::new(), Key::new());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings.toml.age");
    theirs.encrypt_file(&file, "api_key = \"file-secret\"\n", false);
    let corrupt = dir.path().join("corrupt.json.age");
    let mut bytes = theirs.encrypt("{\"api_key\": \"file-secret\"}");
    let n = bytes.len();
    bytes.truncate(n - 4);
    std::fs::write(&corrupt, bytes).unwrap();
    let load = |key: Option<&Key>, file: &Path| {
        let mut loader = App::loader()
            .env_vars([("APP_DB__PASSWORD", "x"), ("APP_API_KEY", "x")])
            .file(file);
        if let Some(key) = key {
            loader = loader.age_identity(&key.secret);
        }
        loader.load().unwrap_err()
    };
    for (key, path, expected) in [
        (
            Some(&mine),
            &file,
            "the configured age identity does not open it",
        ),
        (None, &file, "no age identity is configured"),
        (Some(&theirs), &corrupt, "corrupted or truncated"),
    ] {
        let err = load(key, path);
        let issue = only(&err);
        assert_eq!(issue.kind, IssueKind::Source, "{err}");
        assert_eq!(issue.path, "");
        assert!(
            issue
                .message
                .contains(&format!("the file {}", path.display())),
            "{issue}"
        );
        assert!(
            issue.message.contains(expected),
            "{expected:?} not in {issue}"
        );
        assert_hidden(
            &all_text(&err),
            &["file-secret", &mine.secret, &theirs.secret],
        );
    }
}

/// A secret from a plain-text config file is a warning naming the setting and the file; from a
/// `*.age` file or an `ENC[age:...]` value it is not; `deny_plain_secrets` makes it an issue.
#[test]
#[ignore = "needs the age CLI"]
fn a_secret_in_plain_text_is_flagged_and_an_encrypted_one_is_not() {
    require_age();
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Db {
        #[settings(secret)]
        password: String,
        #[settings(default = "db")]
        host: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
        api_key: Option<settings_core::Secret<String>>,
        #[settings(nested, default)]
        replicas: Vec<Db>,
    }
    let key = Key::new();
    let dir = tempfile::tempdir().unwrap();
    let plain = write(
        dir.path(),
        "app.toml",
        "[db]\npassword = \"hunter2\"\n[[replicas]]\npassword = \"r-pw\"\n",
    );
    let report = S::loader().env_vars(NO_ENV).file(&plain).explain().unwrap();
    let warnings = report.warnings().join("\n");
    assert!(
        warnings.contains(&format!(
            "db.password is a secret but comes from file {} in plain text",
            plain.display()
        )),
        "{warnings}"
    );
    assert!(
        warnings.contains("replicas.0.password is a secret but comes from file"),
        "{warnings}"
    );
    assert!(!warnings.contains("hunter2") && !warnings.contains("r-pw"));
    // An argument that sets a secret (with `cli_flag`) is plain text too.
    let err = S::loader()
        .env_vars([("APP_DB__PASSWORD", "from-env")])
        .file(&plain)
        .set("replicas", serde_json::json!([]))
        .deny_plain_secrets()
        .load();
    assert!(err.is_ok(), "env and .set are not plain files: {err:?}");
    let err = S::loader()
        .env_vars(NO_ENV)
        .file(&plain)
        .deny_plain_secrets()
        .load()
        .unwrap_err();
    let paths: Vec<(&str, IssueKind)> = err
        .issues()
        .iter()
        .map(|i| (i.path.as_str(), i.kind))
        .collect();
    assert_eq!(
        paths,
        [
            ("db.password", IssueKind::Invalid),
            ("replicas.0.password", IssueKind::Invalid)
        ],
        "{err}"
    );
    assert!(!err.to_string().contains("hunter2"));

    // Encrypted: a `*.age` file and an `ENC[...]` value are not flagged.
    let sealed = dir.path().join("secrets.toml.age");
    key.encrypt_file(&sealed, "[db]\npassword = \"sealed\"\n", false);
    let enc = write(
        dir.path(),
        "enc.toml",
        format!("api_key = \"{}\"\n", key.enc("k-123")),
    );
    let report = S::loader()
        .env_vars(NO_ENV)
        .file(&sealed)
        .file(&enc)
        .age_identity_file(&key.file)
        .deny_plain_secrets()
        .explain()
        .unwrap();
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
    assert_eq!(report.get("db.password").unwrap().value, "**********");
}
