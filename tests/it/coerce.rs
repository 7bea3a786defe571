//! From text to types: values from env, dotenv, INI, secret and config-dir files are text,
//! turned into the declared type, never guessed.

use crate::{NO_ENV, issue, mkdir, only, write};
use settings_core::{ByteSize, IssueKind, Settings};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

#[test]
fn text_stays_text_in_every_text_source() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Texts {
        name: String,
        version: String,
        zip: String,
        flag: String,
        empty: Option<String>,
    }

    fn check(s: &Texts, source: &str) {
        assert_eq!(
            (
                s.name.as_str(),
                s.version.as_str(),
                s.zip.as_str(),
                s.flag.as_str()
            ),
            ("12345", "1.10", "007", "true"),
            "{source}"
        );
        assert_eq!(s.empty, None, "{source}");
    }
    let pairs = [
        ("name", "12345"),
        ("version", "1.10"),
        ("zip", "007"),
        ("flag", "true"),
        ("empty", ""),
    ];
    let dir = tempfile::tempdir().unwrap();

    let env: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (format!("APP_{}", k.to_uppercase()), (*v).to_owned()))
        .collect();
    check(&Texts::loader().env_vars(env).load().unwrap(), "env");

    let dotenv: String = pairs
        .iter()
        .map(|(k, v)| format!("APP_{}={v}\n", k.to_uppercase()))
        .collect();
    let dotenv = write(dir.path(), ".env", dotenv);
    let s = Texts::loader()
        .env_vars(NO_ENV)
        .env_file(&dotenv)
        .load()
        .unwrap();
    check(&s, "env file");

    let ini: String = pairs.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
    let ini = write(dir.path(), "app.ini", ini);
    let s = Texts::loader().env_vars(NO_ENV).file(&ini).load().unwrap();
    check(&s, "ini");

    for kind in ["secrets", "config"] {
        let d = mkdir(dir.path(), kind);
        for (k, v) in pairs {
            write(&d, k, format!("{v}\n"));
        }
        let loader = Texts::loader().env_vars(NO_ENV);
        let loader = if kind == "secrets" {
            loader.secrets_dir(&d)
        } else {
            loader.config_dir(&d)
        };
        check(&loader.load().unwrap(), kind);
    }
}

#[test]
fn option_empty_text_is_none_but_a_typed_empty_string_is_some() {
    #[derive(Settings, Debug)]
    struct S {
        label: Option<String>,
        limit: Option<u32>,
    }

    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("a.toml", "label = \"\"\n"),
        ("a.yaml", "label: ''\n"),
        ("a.json", r#"{"label": ""}"#),
    ] {
        let file = write(dir.path(), name, text);
        let s = S::loader().env_vars(NO_ENV).file(&file).load().unwrap();
        assert_eq!(s.label.as_deref(), Some(""), "{name}");
        assert_eq!(s.limit, None, "{name}");
    }
    let ini = write(dir.path(), "a.ini", "label =\nlimit =\n");
    let s = S::loader().env_vars(NO_ENV).file(&ini).load().unwrap();
    assert_eq!((s.label, s.limit), (None, None));

    // A typed null is no value either.
    let yaml = write(dir.path(), "null.yaml", "label: null\nlimit: ~\n");
    let s = S::loader().env_vars(NO_ENV).file(&yaml).load().unwrap();
    assert_eq!((s.label, s.limit), (None, None));

    let s = S::loader()
        .env_vars([("LABEL", " "), ("LIMIT", "7")])
        .load()
        .unwrap();
    assert_eq!(s.label.as_deref(), Some(" "));
    assert_eq!(s.limit, Some(7));
}

#[test]
fn bool_text_that_is_no_bool_word_is_invalid_and_quoted() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        flag: bool,
    }

    for text in ["maybe", "2", "truthy", "y"] {
        let err = S::loader()
            .env_vars([("APP_FLAG", text)])
            .load()
            .unwrap_err();
        let i = only(&err);
        assert_eq!((i.path.as_str(), i.kind), ("flag", IssueKind::Invalid));
        assert!(i.message.contains(&format!("\"{text}\"")), "{}", i.message);
    }
    let s = S::loader().env_vars([("APP_FLAG", " On ")]).load().unwrap();
    assert!(s.flag);
}

#[test]
fn integers_parse_as_the_field_type_and_overflow_quotes_the_value() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 0)]
        small: i8,
        #[settings(default = 0)]
        port: u16,
        #[settings(default = 0)]
        big: u64,
        #[settings(default = 0)]
        signed: i64,
    }

    let s = S::loader()
        .env_vars([
            ("APP_SMALL", "-128"),
            ("APP_PORT", "65535"),
            ("APP_BIG", "18446744073709551615"),
            ("APP_SIGNED", "-9223372036854775808"),
        ])
        .load()
        .unwrap();
    assert_eq!(
        (s.small, s.port, s.big, s.signed),
        (i8::MIN, u16::MAX, u64::MAX, i64::MIN)
    );

    let err = S::loader()
        .env_vars([
            ("APP_SMALL", "-129"),
            ("APP_PORT", "70000"),
            ("APP_BIG", "18446744073709551616"),
            ("APP_SIGNED", "1.5"),
        ])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 4, "{err}");
    for (path, text) in [
        ("small", "-129"),
        ("port", "70000"),
        ("big", "18446744073709551616"),
        ("signed", "1.5"),
    ] {
        let i = issue(&err, path);
        assert_eq!(i.kind, IssueKind::Invalid, "{i:?}");
        assert!(i.message.contains(text), "{i:?}");
    }
    // An unsigned field refuses a negative number, with the value quoted.
    let err = S::loader()
        .env_vars([("APP_PORT", "-1")])
        .load()
        .unwrap_err();
    assert!(only(&err).message.contains("-1"), "{err}");

    // A file's typed integer that does not fit is invalid as well.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.toml", "small = 300\n");
    let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("small", IssueKind::Invalid));
    assert!(i.message.contains("300"), "{}", i.message);
}

#[test]
fn floats_from_text() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        a: f64,
        b: f64,
        c: f32,
        d: f64,
    }

    let s = S::loader()
        .env_vars([
            ("APP_A", "1.5"),
            ("APP_B", "-2e3"),
            ("APP_C", "0.25"),
            ("APP_D", "7"),
        ])
        .load()
        .unwrap();
    assert_eq!((s.a, s.b, s.c, s.d), (1.5, -2000.0, 0.25, 7.0));

    let err = S::loader()
        .env_vars([
            ("APP_A", "1,5"),
            ("APP_B", "1"),
            ("APP_C", "1"),
            ("APP_D", "1"),
        ])
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("a", IssueKind::Invalid));
    assert!(i.message.contains("1,5"), "{}", i.message);
}

#[test]
fn lists_from_comma_text_or_json_and_an_element_error_names_the_element() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        ports: Vec<u16>,
        hosts: Vec<String>,
        #[settings(separator = ":")]
        path: Vec<PathBuf>,
        #[settings(separator = ";")]
        json_anyway: Vec<String>,
    }

    let s = S::loader()
        .env_vars([
            ("APP_PORTS", "80, 443 ,8080"),
            ("APP_HOSTS", r#"["a,b", "c"]"#),
            ("APP_PATH", "/usr/local/bin:/usr/bin:/bin"),
            ("APP_JSON_ANYWAY", r#"["x;y"]"#),
        ])
        .load()
        .unwrap();
    assert_eq!(s.ports, [80, 443, 8080]);
    assert_eq!(s.hosts, ["a,b", "c"]);
    assert_eq!(
        s.path,
        [
            PathBuf::from("/usr/local/bin"),
            PathBuf::from("/usr/bin"),
            PathBuf::from("/bin")
        ]
    );
    assert_eq!(s.json_anyway, ["x;y"]);

    let err = S::loader()
        .env_vars([
            ("APP_PORTS", "80,http,443"),
            ("APP_HOSTS", "a"),
            ("APP_PATH", "/bin"),
            ("APP_JSON_ANYWAY", "a;b"),
        ])
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("ports", IssueKind::Invalid));
    assert!(i.message.contains("http"), "{}", i.message);
    // Which element: the second one.
    assert!(i.message.contains("[1]"), "{}", i.message);
}

#[test]
fn separator_applies_to_ini_values_and_sets() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(separator = "|")]
        tags: BTreeSet<String>,
        ids: HashSet<u32>,
    }

    let dir = tempfile::tempdir().unwrap();
    let ini = write(dir.path(), "a.ini", "tags = b|a|b\nids = 3,1,3\n");
    let s = S::loader().env_vars(NO_ENV).file(&ini).load().unwrap();
    assert_eq!(s.tags, BTreeSet::from(["a".to_owned(), "b".to_owned()]));
    assert_eq!(s.ids, HashSet::from([1, 3]));

    let s = S::loader()
        .env_vars([("TAGS", r#"["x|y"]"#), ("IDS", "[7, 7, 8]")])
        .load()
        .unwrap();
    assert_eq!(s.tags, BTreeSet::from(["x|y".to_owned()]));
    assert_eq!(s.ids, HashSet::from([7, 8]));
}

#[test]
fn maps_from_json_objects_with_typed_keys_and_values() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        limits: BTreeMap<String, Vec<u16>>,
        weights: HashMap<u32, f64>,
    }

    let s = S::loader()
        .env_vars([
            ("APP_LIMITS", r#"{"a": [1, 2], "b": []}"#),
            ("APP_WEIGHTS", r#"{"1": 0.5, "2": "1.5"}"#),
        ])
        .load()
        .unwrap();
    assert_eq!(
        s.limits,
        BTreeMap::from([("a".to_owned(), vec![1, 2]), ("b".to_owned(), vec![])])
    );
    assert_eq!(s.weights, HashMap::from([(1, 0.5), (2, 1.5)]));

    let err = S::loader()
        .env_vars([("APP_LIMITS", "a=1,b=2"), ("APP_WEIGHTS", r#"{"x": 1}"#)])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    assert_eq!(issue(&err, "limits").kind, IssueKind::Invalid);
    assert_eq!(issue(&err, "weights").kind, IssueKind::Invalid);
}

#[test]
fn a_nested_struct_from_a_json_object_under_a_custom_delimiter() {
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
        pool_size: u32,
        tags: Vec<String>,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", env_nested_delimiter = "_X_")]
    struct S {
        #[settings(nested)]
        db: Db,
    }

    let s = S::loader()
        .env_vars([
            ("APP_DB_X_POOL_SIZE", "20"),
            (
                "APP_DB",
                r#"{"url": "postgres://json", "pool_size": 5, "tags": ["a", "b"]}"#,
            ),
        ])
        .load()
        .unwrap();
    assert_eq!(s.db.url, "postgres://json");
    assert_eq!(s.db.pool_size, 20);
    assert_eq!(s.db.tags, ["a", "b"]);

    // A JSON object's values are typed: a string where a number is expected is still checked.
    let err = S::loader()
        .env_vars([("APP_DB", r#"{"url": "u", "pool_size": "many", "tags": []}"#)])
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!(
        (i.path.as_str(), i.kind),
        ("db.pool_size", IssueKind::Invalid)
    );
    assert!(
        i.origin.as_deref().unwrap_or_default().contains("APP_DB"),
        "{i:?}"
    );
}

#[test]
fn durations_in_every_written_form() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        a: Duration,
        b: Duration,
        c: Duration,
        d: Duration,
        e: Duration,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.toml", "d = 90\ne = \"2h\"\n");
    let s = S::loader()
        .env_vars([("APP_A", "1h 30m"), ("APP_B", "250ms"), ("APP_C", "45")])
        .file(&file)
        .load()
        .unwrap();
    assert_eq!(s.a, Duration::from_secs(5400));
    assert_eq!(s.b, Duration::from_millis(250));
    assert_eq!(s.c, Duration::from_secs(45));
    assert_eq!(s.d, Duration::from_secs(90));
    assert_eq!(s.e, Duration::from_secs(7200));

    let err = S::loader()
        .env_vars([
            ("APP_A", "soon"),
            ("APP_B", "-5s"),
            ("APP_C", "1"),
            ("APP_D", "1"),
            ("APP_E", "1"),
        ])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    let a = issue(&err, "a");
    assert_eq!(a.kind, IssueKind::Invalid);
    assert!(a.message.contains("soon"), "{}", a.message);
    assert_eq!(issue(&err, "b").kind, IssueKind::Invalid);
}

#[test]
fn byte_sizes_in_si_iec_and_short_units() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        a: ByteSize,
        b: ByteSize,
        c: ByteSize,
        d: ByteSize,
        e: ByteSize,
        f: ByteSize,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.json", r#"{"f": 1048576}"#);
    let s = S::loader()
        .env_vars([
            ("APP_A", "100 MB"),
            ("APP_B", "2GiB"),
            ("APP_C", "512k"),
            ("APP_D", "4096"),
            ("APP_E", "1m"),
        ])
        .file(&file)
        .load()
        .unwrap();
    assert_eq!(s.a.as_u64(), 100_000_000);
    assert_eq!(s.b.as_u64(), 2 * 1024 * 1024 * 1024);
    assert_eq!(s.c.as_u64(), 524_288);
    assert_eq!(s.d.as_u64(), 4096);
    assert_eq!(s.e.as_u64(), 1_048_576);
    assert_eq!(s.f, ByteSize(1_048_576));

    let err = S::loader()
        .env_vars([
            ("APP_A", "lots"),
            ("APP_B", "12 parsecs"),
            ("APP_C", "1"),
            ("APP_D", "1"),
            ("APP_E", "1"),
            ("APP_F", "1"),
        ])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    assert_eq!(issue(&err, "a").kind, IssueKind::Invalid);
    assert_eq!(issue(&err, "b").kind, IssueKind::Invalid);
}

#[test]
fn types_that_deserialize_from_a_string() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        url: url::Url,
        ip4: IpAddr,
        ip6: IpAddr,
        listen: SocketAddr,
        dir: PathBuf,
    }

    let s = S::loader()
        .env_vars([
            (
                "APP_URL",
                "postgres://user@db.internal:5432/app?sslmode=require",
            ),
            ("APP_IP4", "10.0.0.1"),
            ("APP_IP6", "::1"),
            ("APP_LISTEN", "[::]:8443"),
            ("APP_DIR", "/var/lib/app data"),
        ])
        .load()
        .unwrap();
    assert_eq!(s.url.scheme(), "postgres");
    assert_eq!(s.url.host_str(), Some("db.internal"));
    assert_eq!(s.url.port(), Some(5432));
    assert_eq!(s.ip4, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)));
    assert_eq!(s.ip6, IpAddr::V6(Ipv6Addr::LOCALHOST));
    assert_eq!(s.listen, "[::]:8443".parse::<SocketAddr>().unwrap());
    assert_eq!(s.dir, PathBuf::from("/var/lib/app data"));

    let err = S::loader()
        .env_vars([
            ("APP_URL", "not a url"),
            ("APP_IP4", "999.1.1.1"),
            ("APP_IP6", "::1"),
            ("APP_LISTEN", "localhost"),
            ("APP_DIR", "/"),
        ])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 3, "{err}");
    for path in ["url", "ip4", "listen"] {
        assert_eq!(issue(&err, path).kind, IssueKind::Invalid);
    }
}

#[test]
fn a_serde_enum_takes_its_variant_names() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Level {
        Debug,
        Info,
        Warn,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        level: Level,
        #[settings(default = "info")]
        default_level: Level,
        levels: Vec<Level>,
    }

    let s = S::loader()
        .env_vars([("APP_LEVEL", "warn"), ("APP_LEVELS", "debug,info")])
        .load()
        .unwrap();
    assert_eq!(s.level, Level::Warn);
    assert_eq!(s.default_level, Level::Info);
    assert_eq!(s.levels, [Level::Debug, Level::Info]);

    let err = S::loader()
        .env_vars([("APP_LEVEL", "loud"), ("APP_LEVELS", "info")])
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("level", IssueKind::Invalid));
    assert!(i.message.contains("loud"), "{}", i.message);
    for variant in ["debug", "info", "warn"] {
        assert!(i.message.contains(variant), "{}", i.message);
    }
}

/// The README's "Using it in your crate" example: an enum, a map and the feature flags as values,
/// from the environment and a file, with their defaults.
#[test]
fn the_readme_crate_example_loads() {
    use serde::Deserialize;
    use settings_core::{Secret, flags::Flags};
    use std::collections::HashMap;

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum LogLevel {
        Debug,
        Info,
        Warn,
        Error,
    }

    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct AppSettings {
        #[settings(default = "info")]
        log_level: LogLevel,
        #[settings(default)]
        upstreams: HashMap<String, String>,
        #[settings(default)]
        features: Flags,
        api_key: Secret<String>,
    }

    let s = AppSettings::loader()
        .env_vars([("APP_API_KEY", "k")])
        .load()
        .unwrap();
    assert_eq!(s.log_level, LogLevel::Info);
    assert!(s.upstreams.is_empty());
    assert!(!s.features.is_enabled("new_checkout"));

    let dir = tempfile::tempdir().unwrap();
    let file = crate::write(
        dir.path(),
        "settings.toml",
        "[features]\nnew_checkout = { enabled = true, rollout = 100.0 }\n",
    );
    let s = AppSettings::loader()
        .env_vars([
            ("APP_API_KEY", "k"),
            ("APP_LOG_LEVEL", "warn"),
            ("APP_UPSTREAMS", r#"{"billing": "http://billing:8080"}"#),
        ])
        .file(&file)
        .load()
        .unwrap();
    assert_eq!(s.log_level, LogLevel::Warn);
    assert_eq!(s.upstreams["billing"], "http://billing:8080");
    assert!(s.features.is_enabled("new_checkout"));
    assert_eq!(s.api_key.expose_secret(), "k");
}
