//! Precedence of sources, lowest first: defaults < config files in order (each followed by its
//! profile file) < config dir < secrets dir < env file < environment < `.set`; tables merge deeply,
//! arrays and scalars are replaced.

use crate::{NO_ENV, mkdir, write};
use settings_core::{ByteSize, Settings};
use std::collections::BTreeMap;
use std::time::Duration;

#[test]
fn the_whole_ladder_each_source_beats_the_one_below() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "default")]
        a: String,
        #[settings(default = "default")]
        b: String,
        #[settings(default = "default")]
        c: String,
        #[settings(default = "default")]
        d: String,
        #[settings(default = "default")]
        e: String,
        #[settings(default = "default")]
        f: String,
        #[settings(default = "default")]
        g: String,
        #[settings(default = "default")]
        h: String,
        #[settings(default = "default")]
        i: String,
    }

    let dir = tempfile::tempdir().unwrap();
    // `k = "v"` is TOML; `k: "v"` is YAML.
    let keys = |from: char, assign: &str, value: &str| -> String {
        ('b'..='i')
            .filter(|k| *k >= from)
            .map(|k| format!("{k}{assign}\"{value}\"\n"))
            .collect()
    };
    let first = write(dir.path(), "first.toml", keys('b', " = ", "first file"));
    let second = write(dir.path(), "second.yaml", keys('c', ": ", "second file"));
    write(
        dir.path(),
        "second.prod.yaml",
        keys('d', ": ", "profile file"),
    );
    let config = mkdir(dir.path(), "configmap");
    let secrets = mkdir(dir.path(), "secrets");
    for k in 'e'..='i' {
        // Both spellings of an entry name: bare key and prefixed upper case.
        let name = if k < 'g' {
            k.to_string()
        } else {
            format!("APP_{}", k.to_ascii_uppercase())
        };
        write(&config, &name, "config dir\n");
        if k >= 'f' {
            write(&secrets, &name, "secrets dir\n");
        }
    }
    let env_file = write(
        dir.path(),
        "test.env",
        "APP_G=env file\nAPP_H=env file\nAPP_I=env file\n",
    );

    let s = S::loader()
        .env_vars([("APP_H", "env"), ("APP_I", "env")])
        .file(&first)
        .file(&second)
        .profile("prod")
        .config_dir(&config)
        .secrets_dir(&secrets)
        .env_file(&env_file)
        .set("i", "set")
        .load()
        .unwrap();
    assert_eq!(
        [&s.a, &s.b, &s.c, &s.d, &s.e, &s.f, &s.g, &s.h, &s.i],
        [
            "default",
            "first file",
            "second file",
            "profile file",
            "config dir",
            "secrets dir",
            "env file",
            "env",
            "set"
        ]
    );
}

#[test]
fn builder_files_merge_in_call_order_whatever_their_format() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 0)]
        a: u32,
        #[settings(default = 0)]
        b: u32,
        #[settings(default = 0)]
        c: u32,
        #[settings(default = 0)]
        d: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    let json = write(dir.path(), "1.json", r#"{"a": 1, "b": 1, "c": 1, "d": 1}"#);
    let yaml = write(dir.path(), "2.yml", "b: 2\nc: 2\nd: 2\n");
    let ini = write(dir.path(), "3.ini", "c = 3\nd = 3\n");
    let toml = write(dir.path(), "4.toml", "d = 4\n");

    let s = S::loader()
        .env_vars(NO_ENV)
        .file(&json)
        .file_optional(&yaml)
        .file_optional(dir.path().join("absent.toml"))
        .file(&ini)
        .file_optional(&toml)
        .load()
        .unwrap();
    assert_eq!((s.a, s.b, s.c, s.d), (1, 2, 3, 4));

    // The same files in the opposite order: the first one now wins everything it sets.
    let s = S::loader()
        .env_vars(NO_ENV)
        .file(&toml)
        .file(&ini)
        .file(&yaml)
        .file(&json)
        .load()
        .unwrap();
    assert_eq!((s.a, s.b, s.c, s.d), (1, 1, 1, 1));
}

#[test]
fn tables_merge_deeply_at_every_level_across_all_kinds_of_source() {
    #[derive(Settings, Debug)]
    struct Replica {
        host: String,
        port: u16,
        #[settings(default = false)]
        read_only: bool,
    }
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
        pool_size: u32,
        #[settings(nested)]
        replica: Replica,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        name: String,
        #[settings(nested)]
        db: Db,
    }

    let dir = tempfile::tempdir().unwrap();
    let toml = write(
        dir.path(),
        "base.toml",
        "name = \"billing\"\n[db]\nurl = \"postgres://base/db\"\npool_size = 1\n\
         [db.replica]\nhost = \"replica.base\"\nport = 5432\n",
    );
    let json = write(
        dir.path(),
        "over.json",
        r#"{"db": {"replica": {"port": 6432}}}"#,
    );
    let env_file = write(dir.path(), ".env", "APP_DB__POOL_SIZE=3\n");

    let s = S::loader()
        .env_vars([("APP_DB__REPLICA__HOST", "replica.env")])
        .file(&toml)
        .file(&json)
        .env_file(&env_file)
        .set("db.replica.read_only", true)
        .load()
        .unwrap();
    assert_eq!(s.name, "billing");
    assert_eq!(s.db.url, "postgres://base/db");
    assert_eq!(s.db.pool_size, 3);
    assert_eq!(s.db.replica.host, "replica.env");
    assert_eq!(s.db.replica.port, 6432);
    assert!(s.db.replica.read_only);
}

#[test]
fn arrays_are_replaced_and_map_tables_merge() {
    #[derive(Settings, Debug)]
    struct Db {
        replicas: Vec<String>,
    }
    #[derive(Settings, Debug)]
    struct S {
        hosts: Vec<String>,
        labels: BTreeMap<String, String>,
        #[settings(nested)]
        db: Db,
    }

    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.toml",
        "hosts = [\"a\", \"b\"]\n[labels]\nteam = \"billing\"\ntier = \"1\"\n\
         [db]\nreplicas = [\"r1\", \"r2\"]\n",
    );
    let b = write(
        dir.path(),
        "b.yaml",
        "hosts: [c]\nlabels:\n  tier: \"2\"\ndb:\n  replicas: []\n",
    );
    let s = S::loader()
        .env_vars(NO_ENV)
        .file(&a)
        .file(&b)
        .load()
        .unwrap();
    assert_eq!(s.hosts, ["c"]);
    assert_eq!(
        s.labels,
        BTreeMap::from([
            ("team".to_owned(), "billing".to_owned()),
            ("tier".to_owned(), "2".to_owned()),
        ])
    );
    assert!(s.db.replicas.is_empty(), "{:?}", s.db.replicas);
}

#[test]
fn set_is_on_top_and_merges_like_any_other_source() {
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
        #[settings(default = 10)]
        pool_size: u32,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
        hosts: Vec<String>,
        timeout: Duration,
        #[settings(default = 1)]
        workers: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "hosts = [\"file\"]\n[db]\nurl = \"postgres://file/db\"\npool_size = 1\n",
    );
    let s = S::loader()
        .env_vars([
            ("APP_DB__POOL_SIZE", "5"),
            ("APP_HOSTS", "env-a,env-b"),
            ("APP_TIMEOUT", "1s"),
            ("APP_WORKERS", "2"),
        ])
        .file(&file)
        .set("db.pool_size", 20)
        .set("hosts", vec!["set-a", "set-b", "set-c"])
        .set("timeout", "5m")
        .set("workers", 3)
        .set("workers", 4)
        .load()
        .unwrap();
    assert_eq!(s.db.url, "postgres://file/db");
    assert_eq!(s.db.pool_size, 20);
    assert_eq!(s.hosts, ["set-a", "set-b", "set-c"]);
    assert_eq!(s.timeout, Duration::from_secs(300));
    // API.md is silent on two `.set`s of one path; like any later source, the later call wins.
    assert_eq!(s.workers, 4);

    // A whole table given to `.set` merges into the file's table instead of replacing it.
    let s = S::loader()
        .env_vars([("APP_TIMEOUT", "1s")])
        .file(&file)
        .set("db", serde_json::json!({ "pool_size": 9 }))
        .load()
        .unwrap();
    assert_eq!(s.db.url, "postgres://file/db");
    assert_eq!(s.db.pool_size, 9);
}

#[test]
fn a_json_object_from_the_env_file_merges_with_delimited_env_vars() {
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
        pool_size: u32,
        name: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "[db]\nname = \"from-file\"\n");
    let env_file = write(
        dir.path(),
        ".env",
        "APP_DB='{\"url\": \"postgres://envfile/db\", \"pool_size\": 1}'\n",
    );
    let s = S::loader()
        .env_vars([("APP_DB__POOL_SIZE", "2")])
        .file(&file)
        .env_file(&env_file)
        .load()
        .unwrap();
    assert_eq!(s.db.url, "postgres://envfile/db");
    assert_eq!(s.db.pool_size, 2);
    assert_eq!(s.db.name, "from-file");
}

#[test]
fn defaults_of_every_form_are_turned_into_the_field_type() {
    fn default_hosts() -> Vec<String> {
        vec!["from-fn".to_owned()]
    }

    #[derive(Settings, Debug, Default, PartialEq)]
    struct Limits {
        #[settings(default = 7)]
        burst: u32,
        #[settings(default)]
        strict: bool,
    }

    fn fallback_limits() -> Limits {
        Limits {
            burst: 99,
            strict: true,
        }
    }

    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = "8080")]
        port_from_text: u16,
        #[settings(default = -5)]
        offset: i32,
        #[settings(default = 0.25)]
        ratio: f64,
        #[settings(default = true)]
        enabled: bool,
        #[settings(default = "on")]
        enabled_from_text: bool,
        #[settings(default = "1h 30m")]
        timeout: Duration,
        #[settings(default = "2GiB")]
        cache: ByteSize,
        #[settings(default = [80, 443])]
        ports: Vec<u16>,
        #[settings(default = "a,b")]
        tags: Vec<String>,
        #[settings(default = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        #[settings(default)]
        names: Vec<String>,
        #[settings(default)]
        label: String,
        #[settings(default_with = default_hosts)]
        hosts: Vec<String>,
        #[settings(nested, default)]
        limits: Limits,
        #[settings(nested, default_with = fallback_limits)]
        other_limits: Limits,
        #[settings(nested, default_with = some_limits)]
        maybe_limits: Option<Limits>,
        #[settings(nested, default)]
        no_limits: Option<Limits>,
    }

    fn some_limits() -> Option<Limits> {
        Some(fallback_limits())
    }

    let s = S::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!(s.port_from_text, 8080);
    assert_eq!(s.offset, -5);
    assert_eq!(s.ratio, 0.25);
    assert!(s.enabled);
    assert!(s.enabled_from_text);
    assert_eq!(s.timeout, Duration::from_secs(5400));
    assert_eq!(s.cache, ByteSize(2 * 1024 * 1024 * 1024));
    assert_eq!(s.ports, [80, 443]);
    // A string default is config text: a comma list for a `Vec` of scalars.
    assert_eq!(s.tags, ["a", "b"]);
    assert_eq!(s.listen, "127.0.0.1:8080".parse().unwrap());
    assert!(s.names.is_empty());
    assert_eq!(s.label, "");
    assert_eq!(s.hosts, ["from-fn"]);
    assert_eq!(
        s.limits,
        Limits {
            burst: 0,
            strict: false
        }
    );
    assert_eq!(s.other_limits, fallback_limits());
    // On an `Option` of a struct, `default_with` gives the value when nothing is set under it,
    // and a bare `default` is `None`.
    assert_eq!(s.maybe_limits, Some(fallback_limits()));
    assert_eq!(s.no_limits, None);

    // Once any key under a nested field with a default is set, it loads whole from the sources,
    // with its own field defaults.
    let s = S::loader()
        .env_vars([
            ("LIMITS__STRICT", "yes"),
            ("OTHER_LIMITS__BURST", "3"),
            ("MAYBE_LIMITS__BURST", "4"),
            ("NO_LIMITS__STRICT", "1"),
        ])
        .load()
        .unwrap();
    assert_eq!(
        s.limits,
        Limits {
            burst: 7,
            strict: true
        }
    );
    assert_eq!(
        s.other_limits,
        Limits {
            burst: 3,
            strict: false
        }
    );
    let burst = |l: &Option<Limits>| l.as_ref().map(|l| (l.burst, l.strict));
    assert_eq!(burst(&s.maybe_limits), Some((4, false)));
    assert_eq!(burst(&s.no_limits), Some((7, true)));
}

/// `#[settings(extend)]`: the one way to make a list grow across sources, as dynaconf's
/// `dynaconf_merge` does; every other list is replaced by the source above it.
#[test]
fn extend_lists_grow_from_the_lowest_source_to_the_highest() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(extend, default = ["default"])]
        plugins: Vec<String>,
        #[settings(extend, separator = ":")]
        paths: Vec<String>,
        hosts: Vec<String>,
    }
    let dir = tempfile::tempdir().unwrap();
    let base = crate::write(
        dir.path(),
        "base.toml",
        "plugins = [\"auth\"]\npaths = [\"/usr/lib\"]\nhosts = [\"a\"]\n",
    );
    let local = crate::write(dir.path(), "local.yaml", "plugins: [metrics]\nhosts: [b]\n");
    let s = S::loader()
        .file(&base)
        .file(&local)
        .env_vars([
            ("APP_PLUGINS", "tracing,audit"),
            ("APP_PATHS", "/opt/a:/opt/b"),
        ])
        .set("plugins", ["debug"])
        .load()
        .unwrap();
    assert_eq!(s.plugins, ["auth", "metrics", "tracing", "audit", "debug"]);
    assert_eq!(s.paths, ["/usr/lib", "/opt/a", "/opt/b"]);
    assert_eq!(s.hosts, ["b"]);
    // With no source, the default list; a default is not extended, it is the fallback.
    let s = S::loader()
        .env_vars([("APP_HOSTS", "x"), ("APP_PATHS", "/p")])
        .load()
        .unwrap();
    assert_eq!(s.plugins, ["default"]);
}
