//! The `Loader` builder: every method, and what it replaces.
//!
//! `.provider(...)` is not tested here: it takes a `figment::Provider`, and `figment` is neither a
//! dependency of this package nor re-exported by `settings_core`, so no test can name a provider.

use crate::{NO_ENV, issue, mkdir, names, only, origin, write};
use settings_core::{IssueKind, Loader, Settings};
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;

#[test]
fn load_reads_the_process_environment_and_env_vars_replaces_it() {
    // Reads the process environment (never changes it): `PATH` is set wherever cargo runs.
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "SETTINGS_IT_7Q_")]
    struct S {
        #[settings(env = "PATH", env_only)]
        path: Option<String>,
    }

    let from_process = S::load().unwrap();
    assert_eq!(from_process.path, std::env::var("PATH").ok());
    assert!(from_process.path.is_some());

    let s = S::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!(s.path, None);
    let s = S::loader()
        .env_vars([("PATH", "/only/this")])
        .load()
        .unwrap();
    assert_eq!(s.path.as_deref(), Some("/only/this"));
}

#[test]
fn env_vars_takes_any_collection_of_name_value_pairs() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        port: u16,
    }

    let loader: Loader<S> = S::loader();
    assert_eq!(loader.env_vars([("APP_PORT", "1")]).load().unwrap().port, 1);
    let owned = vec![("APP_PORT".to_owned(), "2".to_owned())];
    assert_eq!(S::loader().env_vars(owned).load().unwrap().port, 2);
    let map = HashMap::from([("APP_PORT", "3")]);
    assert_eq!(S::loader().env_vars(map).load().unwrap().port, 3);
    let map = BTreeMap::from([(OsString::from("APP_PORT"), OsString::from("4"))]);
    assert_eq!(S::loader().env_vars(&map).load().unwrap().port, 4);
    let snapshot: Vec<(OsString, OsString)> =
        vec![(OsString::from("APP_PORT"), OsString::from("5"))];
    assert_eq!(
        S::loader()
            .env_vars(snapshot.iter().map(|(k, v)| (k, v)))
            .load()
            .unwrap()
            .port,
        5
    );
}

#[test]
fn file_is_required_file_optional_is_not_and_both_keep_call_order() {
    #[derive(Settings, Debug)]
    struct S {
        a: String,
        b: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let one = write(dir.path(), "one.toml", "a = \"one\"\nb = \"one\"\n");
    let two = write(dir.path(), "two.toml", "b = \"two\"\n");
    let s = S::loader()
        .env_vars(NO_ENV)
        .file_optional(&one)
        .file(&two)
        .file_optional(dir.path().join("none.toml"))
        .load()
        .unwrap();
    assert_eq!((s.a.as_str(), s.b.as_str()), ("one", "two"));
    let s = S::loader()
        .env_vars(NO_ENV)
        .file(&two)
        .file_optional(&one)
        .load()
        .unwrap();
    assert_eq!(s.b, "one");

    let err = S::loader()
        .env_vars(NO_ENV)
        .file(&one)
        .file(dir.path().join("none.toml"))
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(names(i, "none.toml"), "{i:?}");
}

// Declared paths are relative to the working directory; cargo runs tests from the package root.
#[test]
fn the_declared_env_file_is_replaced_by_env_file_and_dropped_by_no_env_file() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "FIX_", env_file = "tests/it/fixtures/app.env")]
    struct S {
        #[settings(default = "default")]
        name: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let other = write(dir.path(), "other.env", "FIX_NAME=from other.env\n");
    let name = |l: Loader<S>| l.env_vars(NO_ENV).load().unwrap().name;
    assert_eq!(name(S::loader()), "from app.env");
    assert_eq!(name(S::loader().env_file(&other)), "from other.env");
    assert_eq!(name(S::loader().no_env_file()), "default");
    // API.md is silent on calling both; like any builder, the last call wins.
    assert_eq!(
        name(S::loader().no_env_file().env_file(&other)),
        "from other.env"
    );
    assert_eq!(name(S::loader().env_file(&other).no_env_file()), "default");
    // A given env file that does not exist is skipped, and the declared one is not read instead.
    assert_eq!(
        name(S::loader().env_file(dir.path().join("absent.env"))),
        "default"
    );
}

#[test]
fn the_declared_dirs_are_replaced_by_secrets_dir_and_config_dir() {
    #[derive(Settings, Debug)]
    #[settings(
        env_prefix = "FIX_",
        secrets_dir = "tests/it/fixtures/secrets",
        config_dir = "tests/it/fixtures/configmap"
    )]
    struct S {
        #[settings(default = "default")]
        token: String,
        #[settings(default = "default")]
        region: String,
    }

    #[derive(Settings, Debug)]
    #[settings(
        env_prefix = "FIX_",
        secrets_dir = "no-such-dir-3f9a/secrets",
        config_dir = "no-such-dir-3f9a/configmap"
    )]
    struct Missing {
        #[settings(default = "default")]
        region: String,
    }

    let m = Missing::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!(m.region, "default");

    let s = S::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!(s.token, "from secrets/FIX_TOKEN");
    assert_eq!(s.region, "from configmap/region");

    let dir = tempfile::tempdir().unwrap();
    let secrets = mkdir(dir.path(), "secrets");
    write(&secrets, "token", "replaced secret");
    let config = mkdir(dir.path(), "config");
    let s = S::loader()
        .env_vars(NO_ENV)
        .secrets_dir(&secrets)
        .config_dir(&config)
        .load()
        .unwrap();
    assert_eq!(s.token, "replaced secret");
    assert_eq!(s.region, "default");

    let s = S::loader()
        .env_vars(NO_ENV)
        .secrets_dir(dir.path().join("absent"))
        .config_dir(dir.path().join("absent"))
        .load()
        .unwrap();
    assert_eq!(
        (s.token.as_str(), s.region.as_str()),
        ("default", "default")
    );
}

#[test]
fn config_dir_values_are_not_secret() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        workers: u32,
        log_level: String,
    }

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "workers", "lots-of-workers\n");
    write(dir.path(), "APP_LOG_LEVEL", "debug\n");
    let err = S::loader()
        .env_vars(NO_ENV)
        .config_dir(dir.path())
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("workers", IssueKind::Invalid));
    assert_eq!(origin(i), "config dir file workers");
    assert!(i.message.contains("lots-of-workers"), "{}", i.message);

    write(dir.path(), "workers", "4\n");
    let report = S::loader()
        .env_vars(NO_ENV)
        .config_dir(dir.path())
        .explain()
        .unwrap();
    let e = report.get("log_level").unwrap();
    assert_eq!((e.value.as_str(), e.secret), ("debug", false));
    assert_eq!(e.origin, "config dir file APP_LOG_LEVEL");
}

#[test]
fn set_takes_any_serializable_value_at_any_depth() {
    #[derive(serde::Serialize)]
    struct Replica {
        host: &'static str,
        port: u16,
    }
    #[derive(Settings, Debug)]
    struct ReplicaSettings {
        host: String,
        port: u16,
    }
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(nested)]
        replica: ReplicaSettings,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
        label: Option<String>,
        ratio: f64,
        ports: Vec<u16>,
        flags: BTreeMap<String, bool>,
    }

    let s = S::loader()
        .env_vars([("APP_LABEL", "from env")])
        .set(
            "db.replica",
            Replica {
                host: "r1",
                port: 6432,
            },
        )
        .set("label", None::<String>)
        .set("ratio", 0.5)
        .set("ports", [80u16, 443])
        .set("flags", BTreeMap::from([("beta", true)]))
        .load()
        .unwrap();
    assert_eq!(
        (s.db.replica.host.as_str(), s.db.replica.port),
        ("r1", 6432)
    );
    // An explicit null is "no value": the `Option` is `None` whatever the environment says.
    assert_eq!(s.label, None);
    assert_eq!(s.ratio, 0.5);
    assert_eq!(s.ports, [80, 443]);
    assert_eq!(s.flags, BTreeMap::from([("beta".to_owned(), true)]));
}

#[test]
fn set_with_a_value_of_the_wrong_type_is_invalid_at_its_path() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = 1)]
        pool_size: u32,
    }
    #[derive(Settings, Debug)]
    struct S {
        #[settings(nested)]
        db: Db,
    }

    let err = S::loader()
        .env_vars(NO_ENV)
        .set("db.pool_size", "many")
        .load()
        .unwrap_err();
    let i = issue(&err, "db.pool_size");
    assert_eq!(i.kind, IssueKind::Invalid);
    assert!(i.message.contains("many"), "{}", i.message);
    assert!(i.origin.is_some(), "{i:?}");
}

// API.md is silent on `.set` of a path that no field has. Like pydantic (which refuses unknown
// init arguments unless extra is allowed), a typo is reported rather than silently ignored.
#[test]
fn set_on_a_path_no_field_has_is_an_unknown_issue() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = 1)]
        pool_size: u32,
    }
    #[derive(Settings, Debug)]
    struct S {
        #[settings(nested)]
        db: Db,
    }

    let err = S::loader()
        .env_vars(NO_ENV)
        .set("db.pool_sise", 5)
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!(
        (i.path.as_str(), i.kind),
        ("db.pool_sise", IssueKind::Unknown)
    );
    assert!(i.message.contains("pool_size"), "{}", i.message);
}

#[test]
fn explain_fails_with_the_same_issues_as_load() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        port: u16,
        host: String,
    }

    let loader = || S::loader().env_vars([("APP_PORT", "x")]);
    let from_load = loader().load().unwrap_err();
    let from_explain = loader().explain().unwrap_err();
    assert_eq!(from_load.issues().len(), 2);
    assert_eq!(from_load.to_string(), from_explain.to_string());
}

/// A custom `figment::Provider` (a remote store, a database table...) merged above the files
/// and below the environment, with its own origin, its strings turned into the declared types.
#[test]
fn a_custom_provider_sits_between_files_and_environment() {
    use figment::value::{Dict, Map};
    use figment::{Metadata, Profile, Provider};

    struct Remote;
    impl Provider for Remote {
        fn metadata(&self) -> Metadata {
            Metadata::named("remote store")
        }
        fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
            let mut dict = Dict::new();
            dict.insert("port".into(), "7000".into());
            dict.insert("host".into(), "remote-host".into());
            dict.insert("workers".into(), 8.into());
            Ok(Profile::Default.collect(dict))
        }
    }

    struct Broken;
    impl Provider for Broken {
        fn metadata(&self) -> Metadata {
            Metadata::named("broken store")
        }
        fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
            Err(figment::Error::from("connection refused".to_string()))
        }
    }

    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        port: u16,
        host: String,
        workers: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = crate::write(
        dir.path(),
        "app.toml",
        "port = 1\nhost = \"file-host\"\nworkers = 1\n",
    );
    let loader = S::loader()
        .env_vars([("APP_HOST", "env-host")])
        .file(&file)
        .provider(Remote);
    let s = loader.load().unwrap();
    assert_eq!((s.port, s.host.as_str(), s.workers), (7000, "env-host", 8));
    let report = loader.explain().unwrap();
    assert_eq!(report.get("port").unwrap().origin, "provider remote store");
    assert_eq!(report.get("host").unwrap().origin, "env var APP_HOST");

    let err = S::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .provider(Broken)
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(crate::names(i, "broken store"), "{i:?}");
}
