//! Profiles: the profile variable (`{env_prefix}PROFILE` or `profile_env`), `.profile(...)`,
//! `name.<profile>.ext` files beside each base file, and `[default]`/`[<profile>]`/`[global]`
//! sections.

use crate::{NO_ENV, only, write};
use settings_core::{IssueKind, Settings};

#[test]
fn each_profile_file_is_merged_right_after_its_own_base_file() {
    #[derive(Settings, Debug)]
    struct S {
        a: String,
        b: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "first.toml", "a = \"first\"\nb = \"first\"\n");
    write(
        dir.path(),
        "first.prod.toml",
        "a = \"first.prod\"\nb = \"first.prod\"\n",
    );
    let second = write(dir.path(), "second.yaml", "b: second\n");

    // first < first.prod < second: the later base file beats the earlier profile file.
    let s = S::loader()
        .env_vars(NO_ENV)
        .file(&first)
        .file(&second)
        .profile("prod")
        .load()
        .unwrap();
    assert_eq!((s.a.as_str(), s.b.as_str()), ("first.prod", "second"));

    // A profile with no file of its own changes nothing.
    let s = S::loader()
        .env_vars(NO_ENV)
        .file(&first)
        .file(&second)
        .profile("staging")
        .load()
        .unwrap();
    assert_eq!((s.a.as_str(), s.b.as_str()), ("first", "second"));
}

#[test]
fn the_profile_variable_follows_the_prefix_and_the_case_rules() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        host: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "app.yaml", "host: base\n");
    write(dir.path(), "app.prod.yaml", "host: prod\n");
    write(dir.path(), "app.dev.yaml", "host: dev\n");

    let host = |vars: &[(&str, &str)]| {
        S::loader()
            .env_vars(vars.to_vec())
            .file(&base)
            .load()
            .unwrap()
            .host
    };
    assert_eq!(host(&[]), "base");
    assert_eq!(host(&[("APP_PROFILE", "prod")]), "prod");
    assert_eq!(host(&[("app_profile", "dev")]), "dev");
    assert_eq!(host(&[("PROFILE", "prod")]), "base");

    // `.profile(...)` overrides the variable.
    let s = S::loader()
        .env_vars([("APP_PROFILE", "dev")])
        .file(&base)
        .profile("prod")
        .load()
        .unwrap();
    assert_eq!(s.host, "prod");
}

#[test]
fn profile_env_names_another_variable() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", profile_env = "DEPLOY_ENV")]
    struct S {
        host: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "app.toml", "host = \"base\"\n");
    write(dir.path(), "app.prod.toml", "host = \"prod\"\n");

    let s = S::loader()
        .env_vars([("APP_PROFILE", "prod")])
        .file(&base)
        .load()
        .unwrap();
    assert_eq!(s.host, "base");
    let s = S::loader()
        .env_vars([("DEPLOY_ENV", "prod")])
        .file(&base)
        .load()
        .unwrap();
    assert_eq!(s.host, "prod");
}

#[test]
fn without_a_prefix_the_profile_variable_is_profile() {
    #[derive(Settings, Debug)]
    struct S {
        host: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "app.json", r#"{"host": "base"}"#);
    write(dir.path(), "app.prod.json", r#"{"host": "prod"}"#);
    let s = S::loader()
        .env_vars([("PROFILE", "prod")])
        .file(&base)
        .load()
        .unwrap();
    assert_eq!(s.host, "prod");
}

#[test]
fn sections_work_in_yaml_and_json_and_nested_tables_merge_across_sections() {
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
        pool_size: u32,
    }
    #[derive(Settings, Debug)]
    struct S {
        #[settings(nested)]
        db: Db,
        name: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let yaml = write(
        dir.path(),
        "app.yaml",
        "default:\n  name: app\n  db:\n    url: postgres://default\n    pool_size: 1\n\
         prod:\n  db:\n    pool_size: 50\n",
    );
    let json = write(
        dir.path(),
        "app.json",
        r#"{"default": {"name": "app", "db": {"url": "postgres://default", "pool_size": 1}},
            "prod": {"db": {"pool_size": 50}},
            "global": {"db": {"url": "postgres://global"}}}"#,
    );
    let s = S::loader()
        .env_vars(NO_ENV)
        .file(&yaml)
        .profile("prod")
        .load()
        .unwrap();
    assert_eq!(s.db.url, "postgres://default");
    assert_eq!(s.db.pool_size, 50);
    assert_eq!(s.name, "app");

    let s = S::loader()
        .env_vars(NO_ENV)
        .file(&json)
        .profile("prod")
        .load()
        .unwrap();
    assert_eq!(s.db.url, "postgres://global");
    assert_eq!(s.db.pool_size, 50);
}

#[test]
fn a_file_with_a_field_at_the_top_does_not_use_sections() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = "none")]
        host: String,
        #[settings(default = 1)]
        port: u16,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "port = 2\n[default]\nhost = \"x\"\n",
    );
    let err = S::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .profile("prod")
        .load()
        .unwrap_err();
    // `[default]` is an unknown table: reported at `default` or at its leaf `default.host`.
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Unknown, "{err}");
    assert!(i.path == "default" || i.path == "default.host", "{err}");
}

#[test]
fn sections_of_other_profiles_are_not_unknown_keys() {
    #[derive(Settings, Debug)]
    struct S {
        host: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "[default]\nhost = \"d\"\n[staging]\nhost = \"s\"\n[prod]\nhost = \"p\"\n",
    );
    let s = S::loader().env_vars(NO_ENV).file(&file).load().unwrap();
    assert_eq!(s.host, "d");
    let s = S::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .profile("staging")
        .load()
        .unwrap();
    assert_eq!(s.host, "s");
}

#[test]
fn a_profile_file_is_read_even_when_its_optional_base_file_is_missing() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = "none")]
        host: String,
    }

    let dir = tempfile::tempdir().unwrap();
    // Only the profile file exists: the optional base is skipped, its sibling is still read.
    write(dir.path(), "local.prod.toml", "host = \"prod-local\"\n");
    let s = S::loader()
        .env_vars(NO_ENV)
        .file_optional(dir.path().join("local.toml"))
        .profile("prod")
        .load()
        .unwrap();
    assert_eq!(s.host, "prod-local");
}

#[test]
fn the_builder_profile_wins_over_the_profile_variable() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        host: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "[default]\nhost = \"d\"\n[staging]\nhost = \"s\"\n[prod]\nhost = \"p\"\n",
    );
    let by_var = S::loader()
        .env_vars([("APP_PROFILE", "staging")])
        .file(&file);
    assert_eq!(by_var.load().unwrap().host, "s");
    let by_builder = S::loader()
        .env_vars([("APP_PROFILE", "staging")])
        .file(&file)
        .profile("prod");
    assert_eq!(by_builder.load().unwrap().host, "p");
}

#[test]
fn a_profile_no_source_mentions_is_a_warning_in_the_report() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        host: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "[default]\nhost = \"d\"\n[prod]\nhost = \"p\"\n",
    );
    // A typo: the load still works (on the defaults), and the report says why it looks wrong.
    let report = S::loader()
        .env_vars([("APP_PROFILE", "prdo")])
        .file(&file)
        .explain()
        .unwrap();
    assert_eq!(report.get("host").unwrap().value, "d");
    assert_eq!(report.warnings().len(), 1, "{:?}", report.warnings());
    assert!(report.warnings()[0].contains("`prdo`"));
    assert!(
        report
            .to_string()
            .contains("warning: the active profile `prdo`")
    );

    // Mentioned by a section, or by a profile file: no warning.
    let report = S::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .profile("prod")
        .explain()
        .unwrap();
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
    let base = write(dir.path(), "plain.toml", "host = \"base\"\n");
    write(dir.path(), "plain.qa.toml", "host = \"qa\"\n");
    let report = S::loader()
        .env_vars(NO_ENV)
        .file(&base)
        .profile("qa")
        .explain()
        .unwrap();
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
    assert_eq!(report.get("host").unwrap().value, "qa");
}

#[test]
fn a_profile_section_that_is_not_a_table_is_a_source_issue() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = "h")]
        host: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "prod = 5\n[default]\nhost = \"d\"\n",
    );
    let err = S::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .profile("prod")
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, settings_core::IssueKind::Source);
    assert!(
        i.message.contains("`prod`") && i.message.contains("app.toml"),
        "{}",
        i.message
    );
}

#[test]
fn a_broken_profile_file_names_itself_and_its_line() {
    #[derive(Settings, Debug)]
    struct S {
        host: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "app.yaml", "host: base\n");
    write(dir.path(), "app.prod.yaml", "host: prod\nport: [1, 2\n");
    let err = S::loader()
        .env_vars(NO_ENV)
        .file(&base)
        .profile("prod")
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, settings_core::IssueKind::Source);
    assert!(i.message.contains("app.prod.yaml"), "{}", i.message);
    assert!(i.message.contains("line "), "{}", i.message);
}

/// `profiles = [...]` declares the known profiles: a misspelt active profile (`prdo`) is a
/// `Source` issue naming the list and the likely one, not a start on the base config.
#[test]
fn an_unknown_profile_is_an_error_when_the_profiles_are_declared() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", profiles = ["dev", "prod"])]
    struct S {
        #[settings(default = 1)]
        port: u16,
    }

    let err = S::loader()
        .env_vars([("APP_PROFILE", "prdo")])
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert_eq!(
        i.message,
        "the active profile `prdo` is not one of the known profiles (dev, prod); did you mean `prod`?"
    );
    assert_eq!(i.origin.as_deref(), Some("env var APP_PROFILE"));

    // Chosen in code: no variable to name.
    let err = S::loader()
        .env_vars(crate::NO_ENV)
        .profile("staging")
        .load()
        .unwrap_err();
    assert_eq!(crate::only(&err).origin, None);
    assert!(crate::only(&err).message.contains("(dev, prod)"), "{err}");

    // A known profile, or none, loads (a known one that no source mentions is fine).
    assert_eq!(
        S::loader()
            .env_vars([("APP_PROFILE", "prod")])
            .load()
            .unwrap()
            .port,
        1
    );
    assert!(S::loader().env_vars(crate::NO_ENV).load().is_ok());
    let report = S::loader()
        .env_vars([("APP_PROFILE", "dev")])
        .explain()
        .unwrap();
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
}

/// `Loader::profile_env_file` and `Loader::profile_secrets_dir`: a profile's own env file and
/// secrets directory replace the others while it is active, and are never read otherwise, so a
/// developer's `.env` and secrets never feed production.
#[test]
fn a_profiles_env_file_and_secrets_dir_are_read_under_that_profile_only() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "info")]
        log_level: String,
        #[settings(default = "none")]
        api_key: settings_core::Secret<String>,
    }

    let dir = tempfile::tempdir().unwrap();
    let dev_env = write(dir.path(), ".env", "APP_LOG_LEVEL=debug\n");
    let prod_env = write(dir.path(), ".env.prod", "APP_LOG_LEVEL=warn\n");
    let base_env = write(dir.path(), ".env.base", "APP_LOG_LEVEL=trace\n");
    let dev_secrets = crate::mkdir(dir.path(), "dev-secrets");
    write(&dev_secrets, "api_key", "dev-key\n");
    let prod_secrets = crate::mkdir(dir.path(), "prod-secrets");
    write(&prod_secrets, "api_key", "prod-key\n");

    let loader = |profile: &'static str| {
        S::loader()
            .env_file(&base_env)
            .profile_env_file("dev", &dev_env)
            .profile_env_file("prod", &prod_env)
            .profile_secrets_dir("dev", &dev_secrets)
            .env_vars([("APP_PROFILE", profile)])
    };
    let seen = |s: S| (s.log_level, s.api_key.expose_secret().clone());

    let dev = loader("dev").load().unwrap();
    assert_eq!(seen(dev), ("debug".into(), "dev-key".into()));
    // prod: its own env file; no secrets directory of its own, and dev's is not read.
    let prod = loader("prod").load().unwrap();
    assert_eq!(seen(prod), ("warn".into(), "none".into()));
    // No profile (or one without a file of its own): the loader's env file, as before.
    let none = loader("").load().unwrap();
    assert_eq!(seen(none), ("trace".into(), "none".into()));

    // The report names the file the profile read, and a profile given a place of its own is
    // one the app knows: no "not mentioned by any source" warning.
    let report = loader("prod").explain().unwrap();
    let sources = report.sources().join("\n");
    assert!(sources.contains(".env.prod"), "{sources}");
    assert!(
        !sources.contains(".env.base") && !sources.contains("dev-secrets"),
        "{sources}"
    );
    assert!(
        report
            .warnings()
            .iter()
            .all(|w| !w.contains("not mentioned")),
        "{:?}",
        report.warnings()
    );
    assert_eq!(
        report.get("log_level").unwrap().origin,
        format!("env file {}, APP_LOG_LEVEL on line 1", prod_env.display())
    );
}

/// `config show --profile prod` reads exactly what a process started with the profile variable
/// at `prod` reads: the same values, origins and sources.
#[test]
fn config_show_with_a_profile_agrees_with_a_process_under_that_profile() {
    use settings_core::cli;

    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "info")]
        log_level: String,
        #[settings(default = 8000)]
        port: u16,
    }

    let dir = tempfile::tempdir().unwrap();
    let dev_env = write(dir.path(), ".env", "APP_LOG_LEVEL=debug\nAPP_PORT=3000\n");
    let prod_env = write(dir.path(), ".env.prod", "APP_LOG_LEVEL=warn\n");
    let loader = |vars: &[(&'static str, &'static str)]| {
        S::loader()
            .profile_env_file("dev", &dev_env)
            .profile_env_file("prod", &prod_env)
            .env_vars(vars.to_vec())
    };
    let show = |vars, args: &[&str]| {
        let argv = ["app", "config"].iter().chain(args).copied();
        let mut out = Vec::new();
        let code = cli::run_args(loader(vars), argv, &mut out, std::io::sink());
        assert_eq!(code, Some(std::process::ExitCode::SUCCESS));
        String::from_utf8(out).unwrap()
    };

    let by_flag = show(
        &[("APP_PROFILE", "dev")],
        &["--profile", "prod", "show", "--json"],
    );
    let by_variable = show(&[("APP_PROFILE", "prod")], &["show", "--json"]);
    let json = |text: &str| -> serde_json::Value { serde_json::from_str(text).unwrap() };
    let (flag, variable) = (json(&by_flag), json(&by_variable));
    assert!(
        flag["entries"].as_array().is_some_and(|e| e.len() == 2),
        "{by_flag}"
    );
    assert_eq!(
        flag["entries"], variable["entries"],
        "{by_flag}\n{by_variable}"
    );
    assert!(
        flag["sources"].as_array().is_some_and(|s| !s.is_empty()),
        "{by_flag}"
    );
    assert_eq!(flag["sources"], variable["sources"]);
    assert_eq!(flag["profile"], "prod");
    assert!(
        by_flag.contains("warn") && !by_flag.contains("debug"),
        "{by_flag}"
    );
    assert!(by_flag.contains(".env.prod"), "{by_flag}");
}
