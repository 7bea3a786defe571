//! Secrets: `Secret<T>`, `#[settings(secret)]`, and the secrets directory, whose every value is
//! secret. No error, report or print shows a secret's value.

use crate::{NO_ENV, all_text, issue, mkdir, only, origin, write};
use settings_core::{IssueKind, Secret, Settings};

#[test]
fn secret_prints_the_mask_whatever_its_type_and_depth() {
    #[derive(Settings, Debug)]
    struct Db {
        password: Secret<String>,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        pin: Secret<u32>,
        tokens: Secret<Vec<String>>,
        #[settings(nested)]
        db: Db,
        maybe: Option<Secret<String>>,
    }

    let s = S::loader()
        .env_vars([
            ("APP_PIN", "918273"),
            ("APP_TOKENS", "tok-alpha,tok-beta"),
            ("APP_DB__PASSWORD", "pw-gamma"),
            ("APP_MAYBE", "maybe-delta"),
        ])
        .load()
        .unwrap();
    assert_eq!(*s.pin.expose_secret(), 918_273);
    assert_eq!(s.tokens.expose_secret(), &["tok-alpha", "tok-beta"]);
    assert_eq!(s.db.password.expose_secret(), "pw-gamma");
    assert_eq!(
        s.maybe.as_ref().map(|m| m.expose_secret().as_str()),
        Some("maybe-delta")
    );

    assert_eq!(format!("{:?}", s.pin), r#"Secret("**********")"#);
    assert_eq!(s.pin.to_string(), "**********");
    assert_eq!(format!("{:?}", s.tokens), r#"Secret("**********")"#);
    let whole = format!("{s:?} {s:#?}");
    for value in ["918273", "tok-alpha", "tok-beta", "pw-gamma", "maybe-delta"] {
        assert!(!whole.contains(value), "{value} in {whole}");
    }
}

#[test]
fn secret_serializes_as_the_mask_unless_exposed() {
    let s = Secret::new(String::from("s3cr3t-value"));
    assert_eq!(serde_json::to_value(&s).unwrap(), "**********");
    assert_eq!(serde_json::to_value(s.exposed()).unwrap(), "s3cr3t-value");

    let n = Secret::new(vec![1u16, 2]);
    assert_eq!(serde_json::to_string(&n).unwrap(), r#""**********""#);
    assert_eq!(serde_json::to_string(&n.exposed()).unwrap(), "[1,2]");

    #[derive(serde::Serialize)]
    struct Outer<'a> {
        key: &'a Secret<String>,
    }
    assert_eq!(
        serde_json::to_string(&Outer { key: &s }).unwrap(),
        r#"{"key":"**********"}"#
    );
}

#[test]
fn an_invalid_secret_is_never_quoted_anywhere_in_the_error() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        pin: Secret<u32>,
        ports: Secret<Vec<u16>>,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "ports = [80, \"hunter2y\"]\n");
    let err = S::loader()
        .env_vars([("APP_PIN", "hunter2x")])
        .file(&file)
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    let pin = issue(&err, "pin");
    assert_eq!(pin.kind, IssueKind::Invalid);
    assert!(origin(pin).contains("APP_PIN"), "{pin:?}");
    assert_eq!(issue(&err, "ports").kind, IssueKind::Invalid);
    let text = all_text(&err);
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn a_secrets_dir_value_is_masked_in_errors_even_for_a_plain_field() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        port: u16,
        hosts: Vec<u16>,
    }

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "port", "not-a-port-secretvalue\n");
    write(dir.path(), "APP_HOSTS", "80,also-secretvalue\n");
    let err = S::loader()
        .env_vars(NO_ENV)
        .secrets_dir(dir.path())
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    let port = issue(&err, "port");
    assert_eq!(port.kind, IssueKind::Invalid);
    assert_eq!(origin(port), "secrets dir file port");
    assert_eq!(issue(&err, "hosts").kind, IssueKind::Invalid);
    let text = all_text(&err);
    assert!(!text.contains("secretvalue"), "{text}");
}

#[test]
fn the_secret_attribute_masks_a_plain_field_in_errors_and_reports() {
    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "lowercase")]
    enum Tier {
        Gold,
        Silver,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(secret)]
        token: String,
        #[settings(secret)]
        pin: u32,
        #[settings(secret)]
        tier: Tier,
    }

    let err = S::loader()
        .env_vars([
            ("APP_TOKEN", "tok-hunter2"),
            ("APP_PIN", "hunter2x"),
            ("APP_TIER", "hunter2z"),
        ])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    assert_eq!(issue(&err, "pin").kind, IssueKind::Invalid);
    assert_eq!(issue(&err, "tier").kind, IssueKind::Invalid);
    let text = all_text(&err);
    assert!(!text.contains("hunter2"), "{text}");

    let report = S::loader()
        .env_vars([
            ("APP_TOKEN", "tok-hunter2"),
            ("APP_PIN", "4321"),
            ("APP_TIER", "gold"),
        ])
        .explain()
        .unwrap();
    for path in ["token", "pin", "tier"] {
        let e = report.get(path).unwrap();
        assert!(e.secret, "{e:?}");
        assert!(
            !e.value.contains("hunter2") && !e.value.contains("4321"),
            "{e:?}"
        );
    }
    let shown = format!(
        "{report}\n{report:?}\n{}",
        serde_json::to_string(&report).unwrap()
    );
    for value in ["tok-hunter2", "4321", "gold"] {
        assert!(!shown.contains(value), "{value} in {shown}");
    }
}

#[test]
fn entry_names_with_or_without_prefix_nested_and_one_trailing_newline_stripped() {
    #[derive(Settings, Debug)]
    struct Db {
        password: Secret<String>,
        user: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        api_key: Secret<String>,
        cert: String,
        #[settings(nested)]
        db: Db,
        nickname: Option<String>,
        #[settings(default = "none")]
        unrelated_default: String,
    }

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "APP_API_KEY", "key\n");
    write(dir.path(), "cert", "line one\nline two\n\n");
    write(dir.path(), "db__password", "pw\r\n");
    write(dir.path(), "APP_DB__USER", "admin");
    write(dir.path(), "nickname", "");
    // Not a setting: ignored, whatever it holds.
    write(dir.path(), "README", "this is not a setting\n");
    let s = S::loader()
        .env_vars(NO_ENV)
        .secrets_dir(dir.path())
        .load()
        .unwrap();
    assert_eq!(s.api_key.expose_secret(), "key");
    assert_eq!(s.cert, "line one\nline two\n");
    assert_eq!(s.db.password.expose_secret(), "pw");
    assert_eq!(s.db.user, "admin");
    // Secret files are text: empty text is `None`.
    assert_eq!(s.nickname, None);
    assert_eq!(s.unrelated_default, "none");
}

#[test]
fn entry_names_follow_the_case_rules_of_env() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", case_sensitive)]
    struct Exact {
        #[settings(default = "none")]
        api_key: String,
        #[settings(default = "none")]
        region: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Any {
        #[settings(default = "none")]
        api_key: String,
        #[settings(default = "none")]
        region: String,
    }

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app_api_key", "lower-prefixed");
    write(dir.path(), "Region", "mixed");
    let exact = Exact::loader()
        .env_vars(NO_ENV)
        .secrets_dir(dir.path())
        .load()
        .unwrap();
    assert_eq!(
        (exact.api_key.as_str(), exact.region.as_str()),
        ("none", "none")
    );
    let any = Any::loader()
        .env_vars(NO_ENV)
        .secrets_dir(dir.path())
        .load()
        .unwrap();
    assert_eq!(
        (any.api_key.as_str(), any.region.as_str()),
        ("lower-prefixed", "mixed")
    );

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "APP_API_KEY", "exact");
    write(dir.path(), "REGION", "exact-unprefixed");
    let exact = Exact::loader()
        .env_vars(NO_ENV)
        .secrets_dir(dir.path())
        .load()
        .unwrap();
    assert_eq!(
        (exact.api_key.as_str(), exact.region.as_str()),
        ("exact", "exact-unprefixed")
    );
}

#[test]
fn a_declared_secrets_dir_that_does_not_exist_is_skipped_and_one_that_exists_is_read() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", secrets_dir = "no-such-dir-3f9a/secrets")]
    struct Missing {
        #[settings(default = "none")]
        token: String,
    }
    // Relative to the package root, where cargo runs tests.
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "FIX_", secrets_dir = "tests/it/fixtures/secrets")]
    struct Declared {
        #[settings(default = "none")]
        token: Secret<String>,
    }

    let s = Missing::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!(s.token, "none");

    let s = Declared::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!(s.token.expose_secret(), "from secrets/FIX_TOKEN");
    // `.secrets_dir(...)` replaces the declared directory.
    let empty = tempfile::tempdir().unwrap();
    let s = Declared::loader()
        .env_vars(NO_ENV)
        .secrets_dir(empty.path())
        .load()
        .unwrap();
    assert_eq!(s.token.expose_secret(), "none");
}

#[test]
fn a_missing_secret_names_its_env_var() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        api_key: Secret<String>,
    }

    let dir = tempfile::tempdir().unwrap();
    let secrets = mkdir(dir.path(), "secrets");
    let err = S::loader()
        .env_vars(NO_ENV)
        .secrets_dir(&secrets)
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("api_key", IssueKind::Missing));
    assert!(i.message.contains("APP_API_KEY"), "{}", i.message);
}

#[test]
fn a_secrets_file_others_can_read_is_a_warning_in_the_report() {
    use std::os::unix::fs::PermissionsExt;
    #[derive(Settings, Debug)]
    struct S {
        token: Secret<String>,
        key: Secret<String>,
    }
    let dir = tempfile::tempdir().unwrap();
    let token = write(dir.path(), "token", "t");
    let key = write(dir.path(), "key", "k");
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let report = S::loader()
        .env_vars(NO_ENV)
        .secrets_dir(dir.path())
        .explain()
        .unwrap();
    assert_eq!(report.warnings().len(), 1, "{:?}", report.warnings());
    assert!(report.warnings()[0].contains("key") && report.warnings()[0].contains("644"));
    assert!(!report.warnings()[0].contains("token"));
}

/// A misspelt secrets-directory entry is said, not skipped in silence: a report warning, and
/// the hint of the setting it was meant for when that one is missing.
#[test]
fn a_misspelt_entry_is_a_near_miss() {
    #[derive(Settings, Debug)]
    struct Db {
        password: Secret<String>,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
        #[settings(default = 1)]
        port: u16,
    }

    let dir = tempfile::tempdir().unwrap();
    let secrets = crate::mkdir(dir.path(), "secrets");
    crate::write(&secrets, "db__pasword", "zq9x-pw\n");
    crate::write(&secrets, "unrelated_thing", "x\n");
    let err = S::loader()
        .env_vars(crate::NO_ENV)
        .secrets_dir(&secrets)
        .load()
        .unwrap_err();
    let m = &crate::only(&err).message;
    let said = format!(
        "the secrets directory {} has db__pasword, which sets no setting: did you mean \
         db__password?",
        secrets.display()
    );
    assert!(m.ends_with(&said), "{m}");
    assert!(!crate::all_text(&err).contains("zq9x"), "{err}");

    let report = S::loader()
        .env_vars([("APP_DB__PASSWORD", "p")])
        .secrets_dir(&secrets)
        .explain()
        .unwrap();
    assert_eq!(report.warnings(), [said]);
}

/// Docker's `_FILE` convention: `APP_DB__PASSWORD_FILE=/run/secrets/db` sets `db.password` from
/// that file, in the environment and in the env file, for derived and explicit names; the value
/// is secret, its origin names the file and the variable.
#[test]
fn a_file_variable_sets_a_setting_from_the_file_it_names() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(env = "DATABASE_URL")]
        url: String,
        password: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
        #[settings(default = 1)]
        workers: u32,
        /// Its own name ends in `_FILE`: `APP_LOG_FILE` is the setting, not an indirection.
        #[settings(default = "app.log")]
        log_file: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let password = write(dir.path(), "db-password", "hunter2-zq9x\n");
    let url = write(dir.path(), "db-url", "postgres://db.internal/app\r\n");
    let workers = write(dir.path(), "workers", "8");
    let env_file = write(
        dir.path(),
        ".env",
        format!("APP_WORKERS_FILE={}\n", workers.display()),
    );
    let p = |path: &std::path::Path| path.to_str().unwrap().to_owned();
    let vars = [
        ("APP_DB__PASSWORD_FILE".to_owned(), p(&password)),
        ("DATABASE_URL_FILE".to_owned(), p(&url)),
        ("APP_LOG_FILE".to_owned(), "/var/log/app.log".to_owned()),
    ];
    let loader = || S::loader().env_vars(vars.clone()).env_file(&env_file);
    let s = loader().load().unwrap();
    assert_eq!(s.db.password, "hunter2-zq9x");
    assert_eq!(s.db.url, "postgres://db.internal/app");
    assert_eq!(s.workers, 8);
    assert_eq!(s.log_file, "/var/log/app.log");

    let report = loader().explain().unwrap();
    let entry = report.get("db.password").unwrap();
    assert_eq!(
        entry.origin,
        format!(
            "file {} (env var APP_DB__PASSWORD_FILE)",
            password.display()
        )
    );
    assert!(entry.secret, "a value read through _FILE is secret");
    assert_eq!(
        report.get("workers").unwrap().origin,
        format!(
            "file {} (env file {}, APP_WORKERS_FILE on line 1)",
            workers.display(),
            env_file.display()
        )
    );
    let text = format!("{report}\n{report:?}");
    assert!(!text.contains("hunter2-zq9x"), "{text}");
    // A variable that sets something is not listed as unknown; a misspelt one is, with its
    // `_FILE` suggestion.
    assert!(
        report.unknown_env().is_empty(),
        "{:?}",
        report.unknown_env()
    );
    let report = S::loader()
        .env_vars([("APP_DB__PASWORD_FILE", p(&password).as_str())])
        .explain();
    let err = report.unwrap_err();
    let m = &crate::issue(&err, "db.password").message;
    assert!(
        m.contains("APP_DB__PASWORD_FILE is set: did you mean APP_DB__PASSWORD_FILE?"),
        "{m}"
    );
}

/// Every way a `_FILE` variable can fail is one issue naming the variable (and the file), the
/// field is not also reported missing, nothing is read that should not be, and no value leaks.
#[test]
fn a_file_variable_that_cannot_be_used_is_one_clear_issue() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        token: Secret<String>,
    }

    let dir = tempfile::tempdir().unwrap();
    let token = write(dir.path(), "token", "tok-5f1e-secret\n");
    let big = write(dir.path(), "big", vec![b'x'; 2048]);
    let folder = mkdir(dir.path(), "folder");
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let missing = dir.path().join("absent");
    let p = |path: &std::path::Path| path.to_str().unwrap().to_owned();

    let load = |vars: Vec<(&str, String)>| {
        S::loader()
            .env_vars(vars)
            .max_file_size(1024)
            .load()
            .unwrap_err()
    };

    // Both the variable and its `_FILE` form: which is meant cannot be told.
    let err = load(vec![
        ("APP_TOKEN", "tok-direct-value".into()),
        ("APP_TOKEN_FILE", p(&token)),
    ]);
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Invalid);
    assert_eq!(i.path, "token");
    assert!(
        i.message
            .contains("APP_TOKEN and APP_TOKEN_FILE are both set"),
        "{}",
        i.message
    );
    crate::assert_hidden(&err, "tok-direct-value");
    crate::assert_hidden(&err, "tok-5f1e-secret");

    let mut cases = vec![
        (p(&missing), "which does not exist".to_owned()),
        (
            p(&folder),
            "is not a regular file (it is a directory)".to_owned(),
        ),
        (p(&big), "is larger than the limit of 1024 bytes".to_owned()),
        (String::new(), "APP_TOKEN_FILE is empty".to_owned()),
    ];
    if made.is_ok_and(|s| s.success()) {
        cases.push((p(&fifo), "is not a regular file".to_owned()));
    }
    for (path, says) in cases {
        let err = load(vec![("APP_TOKEN_FILE", path.clone())]);
        let i = only(&err);
        assert_eq!(i.kind, IssueKind::Source, "{path}: {err}");
        assert_eq!(i.path, "token");
        assert!(i.message.contains(&says), "{path}: {}", i.message);
        assert!(i.message.contains("APP_TOKEN_FILE"), "{}", i.message);
        assert!(i.message.contains(&path), "{}", i.message);
        assert_eq!(origin(i), "env var APP_TOKEN_FILE");
    }
}

/// A secret given as a command-line argument (allowed by `cli_flag`) is in plain text: every
/// user of the machine can read it. A warning, or under `deny_plain_secrets` an issue.
#[test]
fn a_secret_from_an_argument_is_flagged() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(secret, cli_flag)]
        api_key: String,
    }
    let report = S::loader()
        .env_vars([("X", "")])
        .args(["--api-key", "k-123"])
        .explain()
        .unwrap();
    assert_eq!(
        report.warnings(),
        [
            "api_key is a secret but comes from argument --api-key in plain text: keep it in the \
          secrets directory or the environment, or encrypt it with age (ENC[age:...] or a .age \
          file)"
        ]
    );
    #[derive(Settings, Debug)]
    #[settings(deny_plain_secrets)]
    struct Strict {
        #[settings(secret, cli_flag)]
        api_key: String,
    }
    let err = Strict::loader()
        .env_vars([("X", "")])
        .args(["--api-key", "k-123"])
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, settings_core::IssueKind::Invalid);
    assert_eq!(i.origin.as_deref(), Some("argument --api-key"));
    assert!(!err.to_string().contains("k-123"));
    let ok = Strict::loader().env_vars([("API_KEY", "k")]).load();
    assert!(ok.is_ok());
}
