//! Errors: every problem of a load at once, each with a path, a kind, an origin and a sentence.

use crate::{NO_ENV, issue, mkdir, names, of_kind, only, origin, write};
use settings_core::{Error, IssueKind, Settings};

#[test]
fn one_load_reports_every_kind_of_issue_at_once() {
    fn at_most_two(n: &u32) -> Result<(), String> {
        if *n <= 2 {
            Ok(())
        } else {
            Err(format!("{n} is more than 2"))
        }
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        name: String,
        port: u16,
        #[settings(validate = at_most_two)]
        workers: u32,
        #[settings(default = 1)]
        retries: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    let typo = write(dir.path(), "typo.toml", "retires = 3\n");
    let err = S::loader()
        .env_vars([("APP_PORT", "eighty"), ("APP_WORKERS", "3")])
        .file(&typo)
        .file(dir.path().join("absent.toml"))
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 5, "{err}");
    assert_eq!(issue(&err, "name").kind, IssueKind::Missing);
    assert_eq!(issue(&err, "port").kind, IssueKind::Invalid);
    let workers = issue(&err, "workers");
    assert_eq!(workers.kind, IssueKind::Constraint);
    assert!(workers.message.contains("3 is more than 2"), "{workers:?}");
    assert_eq!(origin(workers), "env var APP_WORKERS");
    let unknown = issue(&err, "retires");
    assert_eq!(unknown.kind, IssueKind::Unknown);
    assert!(unknown.message.contains("retries"), "{unknown:?}");
    let source = of_kind(&err, IssueKind::Source);
    assert_eq!(source.len(), 1, "{err}");
    assert_eq!(source[0].path, "");
    assert!(names(source[0], "absent.toml"), "{:?}", source[0]);
}

/// A config file that does not parse is the one issue to fix: the values it would have set are
/// not also each reported missing (other sources' bad values still are).
#[test]
fn a_file_that_does_not_parse_is_not_followed_by_every_value_missing() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        host: String,
        port: u16,
        name: String,
        #[settings(default = 1)]
        workers: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "host = \"h\"\nport = = 80\nname = \"n\"\n",
    );
    let err = S::loader()
        .env_vars([("APP_WORKERS", "many")])
        .file(&file)
        .load()
        .unwrap_err();
    let kinds: Vec<IssueKind> = err.issues().iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [IssueKind::Source, IssueKind::Invalid], "{err}");
    assert!(err.issues()[0].message.contains("line 2"), "{err}");

    // Without the broken file, the missing values are said.
    let err = S::loader().env_vars(NO_ENV).load().unwrap_err();
    assert_eq!(of_kind(&err, IssueKind::Missing).len(), 3, "{err}");
}

#[test]
fn every_broken_source_is_reported_not_only_the_first() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 1)]
        n: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", "n = = 1\n");
    let b = write(dir.path(), "b.json", "{\"n\": }");
    let c = write(dir.path(), "c.yaml", "n: [1\n");
    let env_file = write(dir.path(), "d.env", "no equals sign here\n");
    let err = S::loader()
        .env_vars(NO_ENV)
        .file(&a)
        .file(&b)
        .file(&c)
        .env_file(&env_file)
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 4, "{err}");
    for name in ["a.toml", "b.json", "c.yaml", "d.env"] {
        let found = err
            .issues()
            .iter()
            .filter(|i| i.kind == IssueKind::Source && names(i, name))
            .count();
        assert_eq!(found, 1, "{name}:\n{err}");
    }
}

#[test]
fn a_missing_value_names_the_env_vars_that_would_set_it() {
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", env_nested_delimiter = "_X_")]
    struct S {
        #[settings(env = "DATABASE_URL", env = "DB_URL")]
        database_url: String,
        #[settings(env = "TOKEN", env_only)]
        token: String,
        #[settings(rename = "listen_port")]
        port: u16,
        #[settings(nested)]
        db: Db,
    }

    let err = S::loader().env_vars(NO_ENV).load().unwrap_err();
    assert_eq!(err.issues().len(), 4, "{err}");
    for i in err.issues() {
        assert_eq!(i.kind, IssueKind::Missing, "{i:?}");
    }
    let m = &issue(&err, "database_url").message;
    for name in ["DATABASE_URL", "DB_URL", "APP_DATABASE_URL"] {
        assert!(m.contains(name), "{name} not in {m}");
    }
    let m = &issue(&err, "token").message;
    assert!(m.contains("TOKEN") && !m.contains("APP_TOKEN"), "{m}");
    let m = &issue(&err, "listen_port").message;
    assert!(m.contains("APP_LISTEN_PORT"), "{m}");
    let m = &issue(&err, "db.url").message;
    assert!(m.contains("APP_DB_X_URL"), "{m}");
}

/// A misspelt variable is the likely reason a value is missing: the `Missing` issue says so,
/// whether or not the report (where such names are warnings) is ever asked for.
#[test]
fn a_missing_value_names_the_near_miss_that_was_set() {
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
        password: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
        #[settings(default = 1)]
        port: u16,
    }

    let err = S::loader()
        .env_vars([
            ("APP_DB_PASSWORD", "x"),
            ("APP_DB__UTL", "postgres://db/app"),
            ("APP_UNRELATED_THING", "x"),
        ])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    let m = &issue(&err, "db.password").message;
    assert!(
        m.ends_with("; APP_DB_PASSWORD is set: did you mean APP_DB__PASSWORD?"),
        "{m}"
    );
    let m = &issue(&err, "db.url").message;
    assert!(
        m.ends_with("; APP_DB__UTL is set: did you mean APP_DB__URL?"),
        "{m}"
    );
    assert!(!err.to_string().contains("APP_UNRELATED_THING"), "{err}");

    // A near miss of a setting that has its value says nothing in the error.
    let err = S::loader()
        .env_vars([
            ("APP_DB__URL", "u"),
            ("APP_DB_PASSWORD", "x"),
            ("APP_PROT", "1"),
        ])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 1, "{err}");
    assert!(!err.to_string().contains("APP_PROT"), "{err}");
}

#[test]
fn origins_name_the_source_of_each_bad_value() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        from_env: u16,
        from_file: u16,
        #[settings(default = "not-an-ip")]
        from_default: std::net::IpAddr,
        from_secret: u16,
        from_config: u16,
        from_env_file: u16,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "from_file = \"x\"\n");
    let secrets = mkdir(dir.path(), "secrets");
    write(&secrets, "from_secret", "x");
    let config = mkdir(dir.path(), "config");
    write(&config, "APP_FROM_CONFIG", "x");
    let env_file = write(dir.path(), "app.env", "\n\nAPP_FROM_ENV_FILE=x\n");

    let err = S::loader()
        .env_vars([("APP_FROM_ENV", "x")])
        .file(&file)
        .secrets_dir(&secrets)
        .config_dir(&config)
        .env_file(&env_file)
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 6, "{err}");
    for i in err.issues() {
        assert_eq!(i.kind, IssueKind::Invalid, "{i:?}");
    }
    assert_eq!(origin(issue(&err, "from_env")), "env var APP_FROM_ENV");
    assert_eq!(
        origin(issue(&err, "from_file")),
        format!("file {}", file.display())
    );
    assert_eq!(origin(issue(&err, "from_default")), "default");
    assert_eq!(
        origin(issue(&err, "from_secret")),
        "secrets dir file from_secret"
    );
    assert_eq!(
        origin(issue(&err, "from_config")),
        "config dir file APP_FROM_CONFIG"
    );
    let env_file_origin = origin(issue(&err, "from_env_file"));
    assert!(
        env_file_origin.starts_with(&format!("env file {}", env_file.display())),
        "{env_file_origin}"
    );
}

#[test]
fn display_is_one_line_per_issue_path_message_origin() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        port: u16,
        host: String,
        #[settings(default = 1)]
        workers: u32,
    }

    let err = S::loader()
        .env_vars([("APP_PORT", "70000"), ("APP_WORKERS", "many")])
        .load()
        .unwrap_err();
    let text = err.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), err.issues().len(), "{text}");
    assert_eq!(lines.len(), 3, "{text}");
    for (line, i) in lines.iter().zip(err.issues()) {
        let expected = match &i.origin {
            Some(o) => format!("{}: {} (from {o})", i.path, i.message),
            None => format!("{}: {}", i.path, i.message),
        };
        assert_eq!(*line, expected);
    }
    assert!(text.contains("port: "), "{text}");
    assert!(text.contains("(from env var APP_PORT)"), "{text}");
    assert!(text.contains("(from env var APP_WORKERS)"), "{text}");
}

#[test]
fn the_error_works_with_question_mark_into_boxed_errors() {
    #[derive(Settings, Debug)]
    struct S {
        n: u32,
    }

    fn run() -> Result<u32, Box<dyn std::error::Error + Send + Sync + 'static>> {
        Ok(S::loader().env_vars(NO_ENV).load()?.n)
    }
    fn assert_traits<E: std::error::Error + Send + Sync + 'static>(_: &E) {}

    let err = run().unwrap_err();
    let err: &Error = err.downcast_ref().expect("a settings_core::Error");
    assert_traits(err);
    assert_eq!(only(err).kind, IssueKind::Missing);
}

#[test]
fn unknown_keys_get_a_suggestion_only_when_one_is_close() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 10)]
        pool_size: u32,
        #[settings(default = "x")]
        hostname: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.yaml",
        "poolsize: 1\nHostname: y\ncompletely_unrelated_key: 2\n",
    );
    let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
    assert_eq!(err.issues().len(), 3, "{err}");
    for i in err.issues() {
        assert_eq!(i.kind, IssueKind::Unknown, "{i:?}");
        assert_eq!(origin(i), format!("file {}", file.display()));
    }
    let m = &issue(&err, "poolsize").message;
    assert!(m.contains("did you mean") && m.contains("pool_size"), "{m}");
    // File keys are case-sensitive: `Hostname` is not `hostname`, but it is close to it.
    let m = &issue(&err, "Hostname").message;
    assert!(m.contains("hostname"), "{m}");
    let m = &issue(&err, "completely_unrelated_key").message;
    assert!(!m.contains("did you mean"), "{m}");
}

#[test]
fn syntax_errors_name_the_file_and_the_line() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 1)]
        a: u32,
        #[settings(default = 1)]
        b: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("bad.toml", "a = 1\nb = \n"),
        ("bad.json", "{\"a\": 1,\n\"b\": }\n"),
        ("bad.yaml", "a: 1\nb: @oops\n"),
        ("bad.ini", "a = 1\n[unclosed\n"),
    ] {
        let file = write(dir.path(), name, text);
        let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
        let i = only(&err);
        assert_eq!((i.path.as_str(), i.kind), ("", IssueKind::Source), "{name}");
        assert!(names(i, name), "{name}: {i:?}");
        assert!(i.message.contains("line 2"), "{name}: {}", i.message);
    }
}

#[test]
fn custom_field_checks_run_on_every_value_including_defaults() {
    fn not_localhost(host: &String) -> Result<(), String> {
        if host == "localhost" {
            Err("must not be localhost in production".to_owned())
        } else {
            Ok(())
        }
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "localhost", validate = not_localhost)]
        host: String,
    }

    let err = S::loader().env_vars(NO_ENV).load().unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("host", IssueKind::Constraint));
    assert_eq!(i.message, "must not be localhost in production");
    assert_eq!(origin(i), "default");

    let s = S::loader()
        .env_vars([("APP_HOST", "db.internal")])
        .load()
        .unwrap();
    assert_eq!(s.host, "db.internal");
}

#[test]
fn struct_checks_run_once_every_field_is_valid() {
    fn ordered(r: &Range) -> Result<(), String> {
        if r.min <= r.max {
            Ok(())
        } else {
            Err(format!("min {} is above max {}", r.min, r.max))
        }
    }
    fn distinct(s: &S) -> Result<(), String> {
        if s.name == s.alias {
            Err("name and alias must differ".to_owned())
        } else {
            Ok(())
        }
    }
    #[derive(Settings, Debug)]
    #[settings(validate = ordered)]
    struct Range {
        min: u32,
        max: u32,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", validate = distinct)]
    struct S {
        name: String,
        alias: String,
        #[settings(nested)]
        range: Range,
    }

    let err = S::loader()
        .env_vars([
            ("APP_NAME", "a"),
            ("APP_ALIAS", "a"),
            ("APP_RANGE__MIN", "5"),
            ("APP_RANGE__MAX", "1"),
        ])
        .load()
        .unwrap_err();
    let nested = issue(&err, "range");
    assert_eq!(nested.kind, IssueKind::Constraint);
    assert_eq!(nested.message, "min 5 is above max 1");
    // The outer check needs a valid `range`, so it has not run.
    assert_eq!(err.issues().len(), 1, "{err}");

    let err = S::loader()
        .env_vars([
            ("APP_NAME", "a"),
            ("APP_ALIAS", "a"),
            ("APP_RANGE__MIN", "1"),
            ("APP_RANGE__MAX", "5"),
        ])
        .load()
        .unwrap_err();
    let top = only(&err);
    assert_eq!((top.path.as_str(), top.kind), ("", IssueKind::Constraint));
    assert_eq!(top.message, "name and alias must differ");

    // An invalid field: no struct check runs on a half-built value.
    let err = S::loader()
        .env_vars([
            ("APP_NAME", "a"),
            ("APP_ALIAS", "a"),
            ("APP_RANGE__MIN", "x"),
            ("APP_RANGE__MAX", "1"),
        ])
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("range.min", IssueKind::Invalid));
}

#[test]
fn a_nested_struct_given_something_else_than_a_table_is_invalid_at_its_path() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = 1)]
        pool_size: u32,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
    }

    let err = S::loader()
        .env_vars([("APP_DB", "postgres://not-an-object")])
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("db", IssueKind::Invalid));
    assert_eq!(origin(i), "env var APP_DB");

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "db = 5\n");
    let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("db", IssueKind::Invalid));
    assert_eq!(origin(i), format!("file {}", file.display()));
}

#[test]
fn a_required_file_of_any_format_that_is_missing_is_a_source_issue_naming_it() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 1)]
        n: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    for name in ["gone.yaml", "gone.env", "gone.ini"] {
        let err = S::loader()
            .env_vars(NO_ENV)
            .file(dir.path().join(name))
            .load()
            .unwrap_err();
        let i = only(&err);
        assert_eq!(i.kind, IssueKind::Source, "{name}");
        assert!(names(i, name), "{i:?}");
    }
}

#[test]
fn an_invalid_value_is_quoted_whatever_the_type() {
    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "lowercase")]
    enum Mode {
        Fast,
        Safe,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        port: u16,
        flag: bool,
        ratio: f64,
        timeout: std::time::Duration,
        size: settings_core::ByteSize,
        mode: Mode,
        ip: std::net::IpAddr,
        listen: std::net::SocketAddr,
        url: url::Url,
    }

    let bad = [
        ("APP_PORT", "bad-port"),
        ("APP_FLAG", "bad-flag"),
        ("APP_RATIO", "bad-ratio"),
        ("APP_TIMEOUT", "bad-timeout"),
        ("APP_SIZE", "bad-size"),
        ("APP_MODE", "bad-mode"),
        ("APP_IP", "bad-ip"),
        ("APP_LISTEN", "bad-listen"),
        ("APP_URL", "bad-url"),
    ];
    let err = S::loader().env_vars(bad).load().unwrap_err();
    assert_eq!(err.issues().len(), bad.len(), "{err}");
    let unquoted: Vec<String> = err
        .issues()
        .iter()
        .filter(|i| {
            let text = i.path.replace('_', "-");
            !i.message.contains(&format!("bad-{text}"))
        })
        .map(|i| format!("{}: {}", i.path, i.message))
        .collect();
    assert!(
        unquoted.is_empty(),
        "values not quoted:\n{}",
        unquoted.join("\n")
    );
}

#[test]
fn unknown_tables_are_reported_by_leaf_with_a_suggestion_across_nesting() {
    #[derive(Settings, Debug)]
    struct Database {
        url: String,
        #[settings(default = 5)]
        pool_size: u32,
    }
    #[derive(Settings, Debug)]
    struct S {
        #[settings(nested)]
        database: Database,
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "[database]\nurl = \"u\"\n[databse]\nurl = \"x\"\npool_sise = 3\n",
    );
    let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
    let url = issue(&err, "databse.url");
    assert_eq!(url.kind, IssueKind::Unknown);
    assert!(
        url.message.contains("did you mean `database.url`?"),
        "{}",
        url.message
    );
    assert!(origin(url).contains("app.toml"));
    let pool = issue(&err, "databse.pool_sise");
    assert!(
        pool.message.contains("did you mean `database.pool_size`?"),
        "{}",
        pool.message
    );
}

#[test]
fn an_override_of_a_path_no_field_has_is_unknown() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 1)]
        workers: u32,
    }
    let err = S::loader()
        .env_vars(NO_ENV)
        .set("wrokers", 4)
        .load()
        .unwrap_err();
    let i = issue(&err, "wrokers");
    assert_eq!(i.kind, IssueKind::Unknown);
    assert!(
        i.message.contains("did you mean `workers`?"),
        "{}",
        i.message
    );
    assert_eq!(origin(i), "override wrokers");
}

#[test]
fn prefixed_variables_that_set_nothing_are_warnings_or_errors_under_deny_unknown_env() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = "u")]
        url: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Lenient {
        #[settings(nested)]
        database: Db,
    }
    let report = Lenient::loader()
        .env_vars([("APP_DATABSE__URL", "x"), ("OTHER", "y")])
        .explain()
        .unwrap();
    assert_eq!(report.unknown_env(), ["APP_DATABSE__URL"]);
    assert!(
        report.warnings()[0].contains("did you mean APP_DATABASE__URL?"),
        "{:?}",
        report.warnings()
    );

    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", deny_unknown_env)]
    struct Strict {
        #[settings(nested)]
        database: Db,
    }
    let err = Strict::loader()
        .env_vars([("APP_DATABSE__URL", "x")])
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, IssueKind::Unknown);
    assert!(
        i.message.contains("did you mean APP_DATABASE__URL?"),
        "{}",
        i.message
    );
    assert_eq!(origin(i), "env var APP_DATABSE__URL");
}

/// An env file's misspelt line is said like a misspelt variable: a warning in the report, an
/// `Unknown` issue under `deny_unknown_env`, and the near miss of a `Missing` setting.
#[test]
fn a_misspelt_env_file_line_is_not_silently_ignored() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        password: String,
        #[settings(default = 1)]
        port: u16,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", deny_unknown_env)]
    struct Strict {
        #[settings(default = 1)]
        port: u16,
    }

    let dir = tempfile::tempdir().unwrap();
    let env_file = write(dir.path(), ".env", "APP_PASWORD=x\nAPP_PROFILE=dev\n");
    let err = S::loader()
        .env_vars(NO_ENV)
        .env_file(&env_file)
        .load()
        .unwrap_err();
    let m = &only(&err).message;
    assert!(
        m.ends_with("; APP_PASWORD is set: did you mean APP_PASSWORD?"),
        "{m}"
    );

    let report = S::loader()
        .env_vars([("APP_PASSWORD", "p")])
        .env_file(&env_file)
        .explain()
        .unwrap();
    assert_eq!(report.unknown_env(), ["APP_PASWORD"]);
    let warned = report.warnings().join("\n");
    assert!(warned.contains("did you mean APP_PASSWORD?"), "{warned}");

    let env_file = write(dir.path(), "strict.env", "APP_PORTT=2\n");
    let err = Strict::loader()
        .env_vars(NO_ENV)
        .env_file(&env_file)
        .load()
        .unwrap_err();
    assert_eq!(only(&err).kind, IssueKind::Unknown, "{err}");
}

/// A missing value says what was looked for and not found (a relative path with the directory
/// it was looked for in), and a missing secret points at the environment and the secrets
/// directory, not at a config file.
#[test]
fn a_missing_value_says_what_was_looked_for() {
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
        password: settings_core::Secret<String>,
    }
    #[derive(Settings, Debug)]
    #[settings(
        env_prefix = "APP_",
        files = ["absent-config-dir/settings.toml"],
        secrets_dir = "/absent/run/secrets"
    )]
    struct S {
        #[settings(nested)]
        db: Db,
    }

    let err = S::loader().env_vars(NO_ENV).load().unwrap_err();
    let cwd = std::env::current_dir().unwrap();
    let not_found = format!(
        "; not found: the file absent-config-dir/settings.toml (in {}), the secrets directory \
         /absent/run/secrets",
        cwd.display()
    );
    let m = &issue(&err, "db.password").message;
    assert_eq!(
        m,
        &format!(
            "a value is required but no source sets it; set APP_DB__PASSWORD or put it in \
             /absent/run/secrets/db__password{not_found}"
        )
    );
    let m = &issue(&err, "db.url").message;
    assert!(m.contains("or `db.url` in a config file"), "{m}");
    assert!(m.ends_with(&not_found), "{m}");

    // Found sources are not listed; a secret without a secrets directory names the variable.
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Plain {
        token: settings_core::Secret<String>,
    }
    let err = Plain::loader().env_vars(NO_ENV).load().unwrap_err();
    assert_eq!(
        only(&err).message,
        "a value is required but no source sets it; set APP_TOKEN"
    );
}

/// An unknown key in a TOML, YAML or JSON file names its line, as an `.env` line does.
#[test]
fn an_unknown_key_in_a_config_file_names_its_line() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = 5)]
        pool_size: u32,
    }
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 1)]
        port: u16,
        #[settings(nested)]
        db: Db,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "port = 2\n# the database\n[db]\npool_size = 3\npool_sise = 4\n",
    );
    let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Unknown);
    assert_eq!(
        i.message,
        "unknown key `db.pool_sise` at line 5: no setting has this name; did you mean `db.pool_size`?"
    );

    let yaml = "port: 2\n# the database\ndb:\n  note: |\n    pool_sise: in a block scalar\n  pool_size: 3\n  pool_sise: 4\n";
    let json =
        "{\n  \"port\": 2,\n  \"db\": {\n    \"pool_size\": 3,\n    \"pool_sise\": 4\n  }\n}\n";
    for (name, text, line) in [("app.yaml", yaml, 7), ("app.json", json, 5)] {
        let file = write(dir.path(), name, text);
        let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
        let messages: Vec<&str> = err.issues().iter().map(|i| i.message.as_str()).collect();
        let expected = format!(
            "unknown key `db.pool_sise` at line {line}: no setting has this name; did you mean \
             `db.pool_size`?"
        );
        assert!(
            messages.contains(&expected.as_str()),
            "{name}: {messages:?}"
        );
    }
}
