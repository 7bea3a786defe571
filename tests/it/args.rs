//! Command-line arguments as a source: `Loader::args`.

use crate::{NO_ENV, issue, origin};
use settings_core::{IssueKind, Secret, Settings};

#[derive(Settings, Debug)]
struct Db {
    /// Most connections kept open.
    #[settings(default = 10)]
    pool_size: u32,
    #[settings(default = "localhost")]
    host: String,
}

/// The service.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct App {
    /// Port the HTTP server listens on.
    #[settings(default = 8000)]
    port: u16,
    #[settings(default = false)]
    debug: bool,
    verbose: Option<bool>,
    #[settings(default = [])]
    hosts: Vec<String>,
    #[settings(nested)]
    db: Db,
    #[settings(default = "x")]
    token: Secret<String>,
}

#[test]
fn flags_set_fields_above_the_environment_and_below_overrides() {
    let loader = App::loader()
        .env_vars([
            ("APP_PORT", "1"),
            ("APP_DB__POOL_SIZE", "2"),
            ("APP_DB__HOST", "env-host"),
        ])
        .args([
            "--port",
            "8080",
            "--db.pool-size=20",
            "--debug",
            "--no-verbose",
            "--hosts",
            "a",
            "--hosts",
            "b",
        ])
        .set("db.pool_size", 30);
    let s = loader.load().unwrap();
    assert_eq!(s.port, 8080);
    assert_eq!(s.db.pool_size, 30);
    assert_eq!(s.db.host, "env-host");
    assert!(s.debug);
    assert_eq!(s.verbose, Some(false));
    assert_eq!(s.hosts, ["a", "b"]);
    let report = loader.explain().unwrap();
    assert_eq!(report.get("port").unwrap().origin, "argument --port");
    assert_eq!(report.get("hosts").unwrap().origin, "argument --hosts");
}

#[test]
fn underscores_commas_and_the_last_bool_flag_win() {
    let s = App::loader()
        .env_vars(NO_ENV)
        .args([
            "--db.pool_size",
            "7",
            "--hosts=x,y",
            "--debug",
            "--no-debug",
        ])
        .load()
        .unwrap();
    assert_eq!(s.db.pool_size, 7);
    assert_eq!(s.hosts, ["x", "y"]);
    assert!(!s.debug);
}

#[test]
fn a_flag_given_twice_takes_the_last_value_and_names_the_flag_used() {
    // Arguments appended to a container's own (`args: [...]` in a pod spec) override them.
    let loader = App::loader().env_vars(NO_ENV).args([
        "--port",
        "1",
        "--debug",
        "--port",
        "2",
        "--no-debug",
        "--debug",
        "--no-debug",
    ]);
    let report = loader.explain().unwrap();
    assert_eq!(report.get("port").unwrap().value, "2");
    assert_eq!(report.get("debug").unwrap().value, "false");
    assert_eq!(report.get("debug").unwrap().origin, "argument --no-debug");
}

#[test]
fn bad_arguments_are_issues_with_suggestions_and_no_secret() {
    let err = App::loader()
        .env_vars(NO_ENV)
        .args(["--prot", "9000"])
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, IssueKind::Unknown);
    assert!(
        i.message.contains("--prot") && i.message.contains("--port"),
        "{}",
        i.message
    );

    let err = App::loader()
        .env_vars(NO_ENV)
        .args(["--port"])
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, IssueKind::Invalid);
    assert!(
        i.message.contains("--port") && i.message.contains("value"),
        "{}",
        i.message
    );

    let err = App::loader()
        .env_vars(NO_ENV)
        .args(["--db", "x"])
        .load()
        .unwrap_err();
    let i = issue(&err, "db");
    assert!(i.message.contains("--db.pool-size"), "{}", i.message);

    let err = App::loader()
        .env_vars(NO_ENV)
        .args(["--tokn=hunter2-secret"])
        .load()
        .unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(!format!("{err:?}").contains("hunter2"));

    let err = App::loader()
        .env_vars(NO_ENV)
        .args(["--port", "lots"])
        .load()
        .unwrap_err();
    let i = issue(&err, "port");
    assert_eq!(i.kind, IssueKind::Invalid);
    assert_eq!(origin(i), "argument --port");
}

#[test]
fn help_comes_from_doc_comments_defaults_and_env_names() {
    let help = App::loader().args_help();
    assert!(help.contains("The service."), "{help}");
    assert!(help.contains("--port"), "{help}");
    assert!(help.contains("Port the HTTP server listens on."), "{help}");
    assert!(help.contains("env: APP_PORT"), "{help}");
    assert!(help.contains("--db.pool-size"), "{help}");
    assert!(help.contains("--no-debug"), "{help}");
    // A secret's default is not shown.
    assert!(!help.contains("default: x"), "{help}");
}

/// `Loader::args` gives a secret no flag unless it is marked `cli_flag`: `--token=...` is an
/// `Invalid` issue at the field saying why and what to use, and never shows the value.
#[test]
fn a_secret_takes_no_flag_unless_marked() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        token: settings_core::Secret<String>,
        #[settings(secret, cli_flag)]
        password: Option<String>,
        #[settings(default = 1)]
        port: u16,
    }

    let err = S::loader()
        .env_vars([("APP_TOKEN", "t")])
        .args(["--token=zq9x-secret", "--port", "2"])
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("token", IssueKind::Invalid));
    assert_eq!(i.origin.as_deref(), Some("argument --token"));
    assert!(
        i.message.contains("secrets take no command-line flag")
            && i.message.contains("set APP_TOKEN")
            && i.message.contains("#[settings(cli_flag)]"),
        "{}",
        i.message
    );
    assert!(!crate::all_text(&err).contains("zq9x"), "{err}");

    let s = S::loader()
        .env_vars([("APP_TOKEN", "t")])
        .args(["--password", "pw", "--port", "2"])
        .load()
        .unwrap();
    assert_eq!((s.password.as_deref(), s.port), (Some("pw"), 2));
}
