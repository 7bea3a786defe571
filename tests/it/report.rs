//! `explain()`: every leaf with its value and origin, secrets masked, unset options listed.

use crate::{mkdir, write};
use settings_core::{Secret, Settings};

#[test]
fn every_leaf_in_field_order_with_the_origin_of_its_value() {
    #[derive(Settings, Debug)]
    struct Db {
        url: String,
        #[settings(default = 10)]
        pool_size: u32,
        replica: Option<String>,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 8000)]
        port: u16,
        #[settings(nested)]
        db: Db,
        host: String,
        region: String,
        zone: String,
        name: String,
        debug: Option<bool>,
        #[settings(default = 1)]
        workers: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "host = \"file-host\"\n[db]\nurl = \"postgres://f\"\n",
    );
    let config = mkdir(dir.path(), "config");
    write(&config, "region", "eu-west-1\n");
    let secrets = mkdir(dir.path(), "secrets");
    write(&secrets, "APP_ZONE", "zone-a\n");
    let env_file = write(dir.path(), "app.env", "APP_NAME=svc\n");

    let report = S::loader()
        .env_vars([("APP_DB__POOL_SIZE", "20")])
        .file(&file)
        .config_dir(&config)
        .secrets_dir(&secrets)
        .env_file(&env_file)
        .set("workers", 4)
        .explain()
        .unwrap();
    let paths: Vec<&str> = report.entries().iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "port",
            "db.url",
            "db.pool_size",
            "db.replica",
            "host",
            "region",
            "zone",
            "name",
            "debug",
            "workers"
        ]
    );

    let get = |path: &str| {
        report
            .get(path)
            .unwrap_or_else(|| panic!("no entry {path}"))
    };
    assert_eq!(
        (get("port").value.as_str(), get("port").origin.as_str()),
        ("8000", "default")
    );
    assert_eq!(get("db.pool_size").value, "20");
    assert_eq!(get("db.pool_size").origin, "env var APP_DB__POOL_SIZE");
    let file_origin = format!("file {}", file.display());
    assert_eq!(get("db.url").origin, file_origin);
    assert!(get("host").value.contains("file-host"));
    assert_eq!(get("host").origin, file_origin);
    assert!(get("region").value.contains("eu-west-1"));
    assert_eq!(get("region").origin, "config dir file region");
    assert_eq!(get("zone").origin, "secrets dir file APP_ZONE");
    assert!(get("name").value.contains("svc"));
    assert!(
        get("name")
            .origin
            .starts_with(&format!("env file {}", env_file.display())),
        "{}",
        get("name").origin
    );
    assert!(get("workers").value.contains('4'));
    assert!(!get("workers").origin.is_empty());

    // Unset options are listed, with no value and no source.
    for path in ["db.replica", "debug"] {
        let e = get(path);
        assert!(!e.secret, "{e:?}");
        for source in ["env var", "file", "default", "secrets dir", "config dir"] {
            assert!(!e.origin.contains(source), "{e:?}");
        }
    }
}

#[test]
fn secrets_are_masked_by_type_by_attribute_and_by_source() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        api_key: Secret<String>,
        #[settings(secret)]
        token: String,
        from_dir: String,
        #[settings(default = "visible-default")]
        plain: String,
    }

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "from_dir", "dir-value-4711\n");
    let report = S::loader()
        .env_vars([
            ("APP_API_KEY", "key-value-1234"),
            ("APP_TOKEN", "tok-value-5678"),
        ])
        .secrets_dir(dir.path())
        .explain()
        .unwrap();
    for path in ["api_key", "token", "from_dir"] {
        let e = report.get(path).unwrap();
        assert!(e.secret, "{e:?}");
        assert!(!e.value.contains("value"), "{e:?}");
        assert!(!e.value.is_empty(), "{e:?}");
    }
    assert_eq!(report.get("token").unwrap().origin, "env var APP_TOKEN");
    let plain = report.get("plain").unwrap();
    assert!(!plain.secret);
    assert_eq!(plain.value, "visible-default");

    let shown = format!(
        "{report}\n{report:?}\n{}",
        serde_json::to_string(&report).unwrap()
    );
    for value in ["key-value-1234", "tok-value-5678", "dir-value-4711"] {
        assert!(!shown.contains(value), "{value} in {shown}");
    }
    assert!(shown.contains("visible-default"), "{shown}");
}

#[test]
fn the_table_shows_path_value_and_origin_and_serializes_to_json() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 8000)]
        port: u16,
        nickname: Option<String>,
    }

    let report = S::loader()
        .env_vars([("APP_PORT", "9000")])
        .explain()
        .unwrap();
    let table = report.to_string();
    let port_line = table
        .lines()
        .find(|l| l.trim_start().starts_with("port"))
        .unwrap_or_else(|| panic!("no port row in\n{table}"));
    assert!(port_line.contains("9000"), "{port_line}");
    assert!(port_line.contains("env var APP_PORT"), "{port_line}");
    assert!(
        table
            .lines()
            .any(|l| l.trim_start().starts_with("nickname")),
        "{table}"
    );

    let json = serde_json::to_value(&report).unwrap();
    let text = json.to_string();
    assert!(text.contains("\"port\"") && text.contains("9000"), "{text}");
    assert!(text.contains("env var APP_PORT"), "{text}");
}

#[test]
fn each_entry_lists_what_its_value_replaced() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 8000)]
        port: u16,
        #[settings(default = "d")]
        host: String,
        token: Secret<String>,
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "port = 8100\ntoken = \"file-token-value\"\n",
    );
    let report = S::loader()
        .file(&file)
        .env_vars([("APP_PORT", "8200"), ("APP_TOKEN", "env-token-value")])
        .set("port", 8300)
        .explain()
        .unwrap();
    let port = report.get("port").unwrap();
    assert_eq!(port.value, "8300");
    assert_eq!(port.overrode.len(), 3, "{:?}", port.overrode);
    assert_eq!(port.overrode[0], "8000 (default)");
    assert!(
        port.overrode[1].starts_with("8100 (file "),
        "{:?}",
        port.overrode
    );
    assert_eq!(port.overrode[2], "8200 (env var APP_PORT)");
    assert!(report.get("host").unwrap().overrode.is_empty());
    let token = report.get("token").unwrap();
    assert_eq!(token.overrode.len(), 1);
    assert!(token.overrode[0].starts_with("********** (file "));
    let text = report.to_string();
    assert!(text.contains("over 8100 (file "), "{text}");
    assert!(
        !text.contains("file-token-value") && !text.contains("env-token-value"),
        "{text}"
    );
}

/// Every entry and every issue carries its origin as a value too: callers match on where a
/// value came from instead of parsing "env var APP_PORT", and its text is the value's `Display`.
#[test]
fn origins_are_values_to_match_on() {
    use settings_core::Origin;

    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 8000)]
        port: u16,
        host: String,
        region: String,
        zone: String,
        name: String,
        workers: u32,
        level: String,
        debug: Option<bool>,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "host = \"h\"\n");
    let config = mkdir(dir.path(), "config");
    write(&config, "region", "eu-west-1\n");
    let secrets = mkdir(dir.path(), "secrets");
    write(&secrets, "zone", "zone-a\n");
    let env_file = write(dir.path(), "app.env", "# names\nAPP_NAME=svc\n");

    let report = S::loader()
        .env_vars([("APP_LEVEL", "info")])
        .file(&file)
        .config_dir(&config)
        .secrets_dir(&secrets)
        .env_file(&env_file)
        .args(["--workers", "4"])
        .explain()
        .unwrap();
    let source = |path: &str| report.get(path).unwrap().source.clone();
    let expected = [
        ("port", Some(Origin::Default)),
        ("host", Some(Origin::File { path: file.clone() })),
        (
            "region",
            Some(Origin::ConfigDir {
                entry: "region".into(),
            }),
        ),
        (
            "zone",
            Some(Origin::SecretsDir {
                entry: "zone".into(),
            }),
        ),
        (
            "name",
            Some(Origin::EnvFileLine {
                path: env_file.clone(),
                name: "APP_NAME".into(),
                line: 2,
            }),
        ),
        (
            "workers",
            Some(Origin::Argument {
                flag: "--workers".into(),
            }),
        ),
        (
            "level",
            Some(Origin::EnvVar {
                name: "APP_LEVEL".into(),
            }),
        ),
        ("debug", None),
    ];
    for (path, origin) in expected {
        assert_eq!(source(path), origin, "{path}");
        let entry = report.get(path).unwrap();
        let text = origin.map_or_else(|| "unset".to_owned(), |o| o.to_string());
        assert_eq!(entry.origin, text, "{path}");
    }

    // An error's issues, each with the same origin as a value.
    let err = S::loader()
        .env_vars([("APP_PORT", "high"), ("APP_HOST", "h")])
        .set("workers", "many")
        .load()
        .unwrap_err();
    let origins: Vec<(&str, Option<&Origin>)> = err
        .issues_with_origins()
        .map(|(issue, origin)| (issue.path.as_str(), origin))
        .collect();
    assert!(origins.contains(&(
        "port",
        Some(&Origin::EnvVar {
            name: "APP_PORT".into()
        })
    )));
    assert!(origins.contains(&(
        "workers",
        Some(&Origin::Override {
            path: "workers".into()
        })
    )));
    assert!(origins.contains(&("region", None)), "{err}");
    for (issue, origin) in err.issues_with_origins() {
        assert_eq!(issue.origin, origin.map(Origin::to_string), "{issue}");
    }
}

/// Warnings are tracing events (target `settings_core`) on every load, not only in `explain()`:
/// a service that never asks for the report still logs a misspelt variable.
#[test]
fn every_load_emits_its_warnings_as_tracing_events() {
    use std::sync::{Arc, Mutex};

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Lines {
        type Writer = Lines;
        fn make_writer(&'a self) -> Lines {
            self.clone()
        }
    }

    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 1)]
        port: u16,
    }

    let lines = Lines::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(lines.clone())
        .with_ansi(false)
        .finish();
    let s = tracing::subscriber::with_default(subscriber, || {
        S::loader()
            .env_vars([("APP_PROT", "80"), ("APP_PORT", "2")])
            .load()
            .unwrap()
    });
    assert_eq!(s.port, 2);
    let text = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("WARN settings_core:"), "{text}");
    assert!(
        text.contains("APP_PROT carries the prefix but sets no setting; did you mean APP_PORT?"),
        "{text}"
    );
}

/// The report says which profile is active and every file and directory the load looked for,
/// absolute, marked when absent: `config show` answers "what did this process read?".
#[test]
fn the_report_lists_the_profile_and_every_source_looked_for() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 1)]
        port: u16,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "port = 2\n");
    let prod = write(dir.path(), "app.prod.toml", "port = 3\n");
    let absent = dir.path().join("extra.toml");
    let secrets = dir.path().join("secrets");
    let report = S::loader()
        .env_vars([("APP_PROFILE", "prod")])
        .file(&file)
        .file_optional(&absent)
        .secrets_dir(&secrets)
        .explain()
        .unwrap();
    assert_eq!(report.profile(), Some("prod"));
    let expected = [
        format!("file {}", file.display()),
        format!("file {}", prod.display()),
        format!("file {} (not found)", absent.display()),
        format!(
            "file {} (not found)",
            dir.path().join("extra.prod.toml").display()
        ),
        format!("secrets directory {} (not found)", secrets.display()),
    ];
    assert_eq!(report.sources(), expected);
    let table = report.to_string();
    assert!(table.contains("\nprofile: prod\n"), "{table}");
    assert!(
        table.contains(&format!("\nsource: file {}\n", prod.display())),
        "{table}"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["profile"], "prod");
    assert_eq!(json["sources"][2], expected[2]);
}

/// The report shows what a value became, not how it was typed: `yes` for a bool is `true`, `007`
/// for a number is `7`; text stays as written.
#[test]
fn the_report_shows_converted_values() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        debug: Option<bool>,
        verbose: bool,
        port: u16,
        zip: String,
    }
    let report = S::loader()
        .env_vars([
            ("APP_DEBUG", "yes"),
            ("APP_VERBOSE", "OFF"),
            ("APP_PORT", " 007"),
            ("APP_ZIP", "007"),
        ])
        .explain()
        .unwrap();
    let value = |path: &str| report.get(path).unwrap().value.clone();
    assert_eq!(
        [
            value("debug"),
            value("verbose"),
            value("port"),
            value("zip")
        ],
        ["true", "false", "7", "007"]
    );
}

/// `Report::fingerprint`: SHA-256 over the sorted (path, value) pairs of the non-secret settings
/// and (path, origin) of the secret ones, each text after its length (u64, little-endian), as
/// `sha256sum` computes it over the same bytes; a secret's value never goes into it.
#[test]
fn the_fingerprint_is_sha256_of_the_sorted_pairs() {
    #[derive(settings_core::Settings, Debug)]
    struct S {
        #[settings(default = 8000)]
        port: u16,
        name: String,
        token: settings_core::Secret<String>,
    }
    let report = S::loader()
        .env_vars([("NAME", "billing"), ("TOKEN", "hunter2")])
        .explain()
        .unwrap();
    let mut bytes = Vec::new();
    for (path, kind, text) in [
        ("name", b'v', "billing"),
        ("port", b'v', "8000"),
        ("token", b'o', "env var TOKEN"),
    ] {
        bytes.extend((path.len() as u64).to_le_bytes());
        bytes.extend(path.as_bytes());
        bytes.push(kind);
        bytes.extend((text.len() as u64).to_le_bytes());
        bytes.extend(text.as_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    let file = crate::write(dir.path(), "pairs", &bytes);
    let out = std::process::Command::new("sha256sum")
        .arg(&file)
        .output()
        .expect("sha256sum (coreutils)");
    let expected = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        report.fingerprint(),
        expected.split_whitespace().next().unwrap()
    );
}
