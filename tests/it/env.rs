//! Environment variables: prefix, case, nested delimiter, explicit names, `env_only`, `rename`,
//! nested structs (plain and `Option`), unknown prefixed variables.

use crate::{NO_ENV, issue, only, write};
use settings_core::{IssueKind, Settings};

#[test]
fn custom_nested_delimiter_joins_levels_and_replaces_the_default_one() {
    #[derive(Settings, Debug)]
    struct Replica {
        #[settings(default = 0)]
        port: u16,
    }
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = 10)]
        pool_size: u32,
        #[settings(nested)]
        replica: Replica,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", env_nested_delimiter = "_x_")]
    struct S {
        #[settings(nested)]
        db: Db,
    }

    // The default `__` means nothing under a custom delimiter.
    let s = S::loader()
        .env_vars([("APP_DB__POOL_SIZE", "20"), ("APP_DB__REPLICA__PORT", "1")])
        .load()
        .unwrap();
    assert_eq!(s.db.pool_size, 10);
    assert_eq!(s.db.replica.port, 0);

    // The derived names, exactly: prefix, then the path in upper case joined by the delimiter.
    let s = S::loader()
        .env_vars([
            ("APP_DB_x_POOL_SIZE", "20"),
            ("APP_DB_x_REPLICA_x_PORT", "6432"),
        ])
        .load()
        .unwrap();
    assert_eq!(s.db.pool_size, 20);
    assert_eq!(s.db.replica.port, 6432);

    // Not case-sensitive: any case of the whole name, delimiter included.
    let s = S::loader()
        .env_vars([("app_db_X_pool_size", "21")])
        .load()
        .unwrap();
    assert_eq!(s.db.pool_size, 21);
}

#[test]
fn case_sensitive_applies_to_prefix_nested_path_and_explicit_names() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = 10)]
        pool_size: u32,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", case_sensitive)]
    struct S {
        #[settings(nested)]
        db: Db,
        #[settings(env = "Database_Url", default = "none")]
        database_url: String,
    }

    let s = S::loader()
        .env_vars([
            ("app_DB__POOL_SIZE", "1"),
            ("APP_DB__pool_size", "2"),
            ("APP_db__POOL_SIZE", "3"),
            ("DATABASE_URL", "postgres://upper"),
            ("database_url", "postgres://lower"),
        ])
        .load()
        .unwrap();
    assert_eq!(s.db.pool_size, 10);
    assert_eq!(s.database_url, "none");

    let s = S::loader()
        .env_vars([
            ("APP_DB__POOL_SIZE", "4"),
            ("Database_Url", "postgres://exact"),
        ])
        .load()
        .unwrap();
    assert_eq!(s.db.pool_size, 4);
    assert_eq!(s.database_url, "postgres://exact");
}

#[test]
fn explicit_names_are_case_insensitive_by_default() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(env = "DATABASE_URL")]
        database_url: String,
    }

    let s = S::loader()
        .env_vars([("database_url", "postgres://lower")])
        .load()
        .unwrap();
    assert_eq!(s.database_url, "postgres://lower");
}

#[test]
fn repeated_env_names_first_set_wins_and_explicit_beats_derived() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(env = "PRIMARY_URL", env = "FALLBACK_URL")]
        url: String,
    }

    let load = |vars: &[(&str, &str)]| S::loader().env_vars(vars.to_vec()).load().unwrap().url;
    assert_eq!(load(&[("FALLBACK_URL", "fallback")]), "fallback");
    assert_eq!(load(&[("PRIMARY_URL", "primary")]), "primary");
    // Priority follows the attribute order, not the order of the variables.
    assert_eq!(
        load(&[("FALLBACK_URL", "fallback"), ("PRIMARY_URL", "primary")]),
        "primary"
    );
    assert_eq!(
        load(&[("PRIMARY_URL", "primary"), ("FALLBACK_URL", "fallback")]),
        "primary"
    );
    // The derived prefixed name still works, and loses to any explicit name.
    assert_eq!(load(&[("APP_URL", "derived")]), "derived");
    assert_eq!(
        load(&[("FALLBACK_URL", "fallback"), ("APP_URL", "derived")]),
        "fallback"
    );
    assert_eq!(
        load(&[("APP_URL", "derived"), ("FALLBACK_URL", "fallback")]),
        "fallback"
    );
}

#[test]
fn several_env_attributes_combine_like_a_repeated_key() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(env = "FIRST")]
        #[settings(env = "SECOND")]
        value: String,
    }

    let s = S::loader()
        .env_vars([("SECOND", "2"), ("FIRST", "1")])
        .load()
        .unwrap();
    assert_eq!(s.value, "1");
    let s = S::loader().env_vars([("SECOND", "2")]).load().unwrap();
    assert_eq!(s.value, "2");
}

#[test]
fn env_only_ignores_the_derived_name() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(env = "API_TOKEN", env_only)]
        token: String,
    }

    let err = S::loader()
        .env_vars([("APP_TOKEN", "derived")])
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("token", IssueKind::Missing));
    // The derived name is not offered as a way to set it; that it is set is said, as a near miss.
    let (how, near_miss) = i.message.split_once("; APP_TOKEN is set").unwrap();
    assert!(
        how.contains("API_TOKEN") && !how.contains("APP_TOKEN"),
        "{how}"
    );
    assert_eq!(near_miss, ": did you mean API_TOKEN?");

    let s = S::loader()
        .env_vars([("APP_TOKEN", "derived"), ("API_TOKEN", "explicit")])
        .load()
        .unwrap();
    assert_eq!(s.token, "explicit");
}

#[test]
fn a_nested_struct_explicit_name_is_used_as_given_wherever_it_is_nested() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(env = "DATABASE_URL")]
        url: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "BILLING_")]
    struct Billing {
        #[settings(nested)]
        db: Db,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "SHOP_")]
    struct Shop {
        #[settings(nested)]
        main: Db,
    }

    let vars = [("DATABASE_URL", "postgres://shared/db")];
    assert_eq!(
        Billing::loader().env_vars(vars).load().unwrap().db.url,
        "postgres://shared/db"
    );
    assert_eq!(
        Shop::loader().env_vars(vars).load().unwrap().main.url,
        "postgres://shared/db"
    );
    // The outer prefix and the field path still give the derived name.
    let s = Shop::loader()
        .env_vars([("SHOP_MAIN__URL", "postgres://derived/db")])
        .load()
        .unwrap();
    assert_eq!(s.main.url, "postgres://derived/db");
}

#[test]
fn a_nested_struct_own_prefix_is_ignored() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "DB_")]
    struct Db {
        url: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
    }

    let err = S::loader()
        .env_vars([("DB_URL", "postgres://own-prefix")])
        .load()
        .unwrap_err();
    assert_eq!(issue(&err, "db.url").kind, IssueKind::Missing);

    let s = S::loader()
        .env_vars([("APP_DB__URL", "postgres://outer")])
        .load()
        .unwrap();
    assert_eq!(s.db.url, "postgres://outer");

    // Loaded on its own, the struct uses its prefix.
    let db = Db::loader()
        .env_vars([("DB_URL", "postgres://own-prefix")])
        .load()
        .unwrap();
    assert_eq!(db.url, "postgres://own-prefix");
}

#[test]
fn rename_sets_the_file_key_and_env_stem_of_leaves_and_nested_fields() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(rename = "address")]
        url: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested, rename = "database")]
        db: Db,
        #[settings(rename = "listen_port", default = 8000)]
        port: u16,
    }

    let s = S::loader()
        .env_vars([("APP_DATABASE__ADDRESS", "postgres://env")])
        .load()
        .unwrap();
    assert_eq!(s.db.url, "postgres://env");

    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.toml",
        "listen_port = 9000\n[database]\naddress = \"postgres://file\"\n",
    );
    let s = S::loader().env_vars(NO_ENV).file(&good).load().unwrap();
    assert_eq!((s.port, s.db.url.as_str()), (9000, "postgres://file"));

    // The Rust names are not keys.
    let bad = write(
        dir.path(),
        "bad.toml",
        "port = 9000\n[database]\naddress = \"postgres://file\"\nurl = \"x\"\n",
    );
    let err = S::loader().env_vars(NO_ENV).file(&bad).load().unwrap_err();
    assert_eq!(issue(&err, "port").kind, IssueKind::Unknown);
    assert_eq!(issue(&err, "database.url").kind, IssueKind::Unknown);
}

#[test]
fn optional_nested_struct_is_none_until_any_key_under_it_is_set() {
    #[derive(Settings, Debug)]
    struct Tls {
        cert: String,
        key: String,
        #[settings(default = true)]
        verify: bool,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        tls: Option<Tls>,
    }

    let s = S::loader().env_vars(NO_ENV).load().unwrap();
    assert!(s.tls.is_none());

    // One key set: the struct loads whole, so its other required fields are missing.
    let err = S::loader()
        .env_vars([("APP_TLS__CERT", "/c.pem")])
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("tls.key", IssueKind::Missing));
    assert!(i.message.contains("APP_TLS__KEY"), "{}", i.message);

    // Only a defaulted key set: still Some, with the required fields reported.
    let err = S::loader()
        .env_vars([("APP_TLS__VERIFY", "no")])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    assert_eq!(issue(&err, "tls.cert").kind, IssueKind::Missing);
    assert_eq!(issue(&err, "tls.key").kind, IssueKind::Missing);

    let s = S::loader()
        .env_vars([("APP_TLS__CERT", "/c.pem"), ("APP_TLS__KEY", "/k.pem")])
        .load()
        .unwrap();
    let tls = s.tls.expect("tls is set");
    assert_eq!((tls.cert.as_str(), tls.key.as_str()), ("/c.pem", "/k.pem"));
    assert!(tls.verify);
}

#[test]
fn missing_fields_deep_in_nested_structs_are_reported_with_full_paths() {
    #[derive(Settings, Debug)]
    struct Replica {
        host: String,
    }
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
        #[settings(nested)]
        replica: Replica,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
    }

    let err = S::loader().env_vars(NO_ENV).load().unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    let url = issue(&err, "db.url");
    assert_eq!(url.kind, IssueKind::Missing);
    assert!(url.message.contains("APP_DB__URL"), "{}", url.message);
    let host = issue(&err, "db.replica.host");
    assert_eq!(host.kind, IssueKind::Missing);
    assert!(
        host.message.contains("APP_DB__REPLICA__HOST"),
        "{}",
        host.message
    );
}

#[test]
fn deny_unknown_env_reports_prefixed_variables_that_set_nothing() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", deny_unknown_env)]
    struct S {
        #[settings(default = 8000)]
        port: u16,
    }

    let err = S::loader()
        .env_vars([("APP_PROT", "9000"), ("OTHER_THING", "1"), ("PATH", "/bin")])
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Unknown);
    assert!(crate::names(i, "APP_PROT"), "{i:?}");
    assert!(i.message.contains("did you mean"), "{}", i.message);
    assert!(i.message.contains("APP_PORT"), "{}", i.message);

    // The profile variable is a known name, not a typo.
    let s = S::loader()
        .env_vars([("APP_PORT", "1"), ("APP_PROFILE", "prod")])
        .load()
        .unwrap();
    assert_eq!(s.port, 1);
}

#[test]
fn without_deny_unknown_env_typos_are_ignored_but_listed_by_explain() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 8000)]
        port: u16,
    }

    let s = S::loader().env_vars([("APP_PROT", "9000")]).load().unwrap();
    assert_eq!(s.port, 8000);
    let report = S::loader()
        .env_vars([("APP_PROT", "9000"), ("UNRELATED", "1")])
        .explain()
        .unwrap();
    assert_eq!(report.unknown_env(), ["APP_PROT"]);
}

#[test]
fn no_prefix_means_bare_field_names() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = 1)]
        pool_size: u32,
    }
    #[derive(Settings, Debug)]
    struct S {
        port: u16,
        #[settings(nested)]
        db: Db,
    }

    let s = S::loader()
        .env_vars([("PORT", "80"), ("db__pool_size", "4")])
        .load()
        .unwrap();
    assert_eq!((s.port, s.db.pool_size), (80, 4));
}

/// `#[settings(nested, env_prefix = "REPLICA_")]`: one settings struct used twice, each copy
/// with its own variable names (`REPLICA_URL`), while file keys keep the path (`replica.url`).
#[test]
fn a_nested_fields_own_prefix_names_its_subtree() {
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
        #[settings(default = 5)]
        pool_size: u32,
        password: settings_core::Secret<String>,
        #[settings(nested)]
        tls: Tls,
    }
    #[derive(Settings, Debug)]
    struct Tls {
        #[settings(default = false)]
        verify: bool,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        primary: Db,
        #[settings(nested, env_prefix = "REPLICA_")]
        replica: Db,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = crate::write(dir.path(), "app.toml", "[replica]\npool_size = 2\n");
    let password = crate::write(dir.path(), "replica-password", "rp-secret\n");
    let secrets = crate::mkdir(dir.path(), "secrets");
    crate::write(&secrets, "replica_tls__verify", "true\n");
    let loader = |extra: &[(&'static str, String)]| {
        let mut vars = vec![
            ("APP_PRIMARY__URL", "postgres://primary/app".to_owned()),
            ("APP_PRIMARY__PASSWORD", "pp".to_owned()),
            ("replica_url", "postgres://replica/app".to_owned()),
            (
                "REPLICA_PASSWORD_FILE",
                password.to_str().unwrap().to_owned(),
            ),
        ];
        vars.extend_from_slice(extra);
        S::loader().env_vars(vars).file(&file).secrets_dir(&secrets)
    };
    let s = loader(&[]).load().unwrap();
    assert_eq!(s.primary.url, "postgres://primary/app");
    assert_eq!(s.primary.pool_size, 5);
    assert_eq!(s.replica.url, "postgres://replica/app");
    assert_eq!(s.replica.pool_size, 2, "the file key keeps its path");
    assert_eq!(s.replica.password.expose_secret(), "rp-secret");
    assert!(
        s.replica.tls.verify,
        "a secrets entry is the prefixed name: replica_tls__verify"
    );
    assert!(!s.primary.tls.verify);

    let report = loader(&[("REPLICA_POOL_SIZE", "9".into())])
        .explain()
        .unwrap();
    assert_eq!(
        report.get("replica.pool_size").unwrap().origin,
        "env var REPLICA_POOL_SIZE"
    );
    assert_eq!(
        report.get("replica.url").unwrap().origin,
        "env var replica_url"
    );

    // The outer prefix's name for the subtree sets nothing now; a misspelt prefixed name is
    // listed with the right suggestion.
    let report = loader(&[
        ("APP_REPLICA__URL", "postgres://elsewhere/app".into()),
        ("REPLICA_POOL_SIZ", "3".into()),
    ])
    .explain()
    .unwrap();
    assert_eq!(
        report.get("replica.url").unwrap().origin,
        "env var replica_url"
    );
    let warnings = report.warnings().join("\n");
    assert!(
        warnings.contains("APP_REPLICA__URL carries the prefix but sets no setting"),
        "{warnings}"
    );
    assert!(warnings.contains("REPLICA_POOL_SIZ carries the prefix but sets no setting; did you mean REPLICA_POOL_SIZE?"), "{warnings}");

    // A missing value names the variable that would set it.
    let err = S::loader()
        .env_vars([("APP_PRIMARY__URL", "u"), ("APP_PRIMARY__PASSWORD", "p")])
        .load()
        .unwrap_err();
    let m = &crate::issue(&err, "replica.url").message;
    assert!(m.contains("set REPLICA_URL"), "{m}");
    // Templates and the schema's documentation give the names that work.
    let template = S::template(settings_core::Format::Env);
    assert!(
        template.contains("REPLICA_URL=") && template.contains("REPLICA_TLS__VERIFY"),
        "{template}"
    );
    assert!(!template.contains("APP_REPLICA__"), "{template}");
}
