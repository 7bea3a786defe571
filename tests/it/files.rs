//! Config files: declared and added files, formats by extension, unknown keys at every depth.

use crate::{NO_ENV, issue, names, of_kind, only, write};
use settings_core::{IssueKind, Settings};

#[test]
fn declared_files_that_do_not_exist_are_skipped() {
    #[derive(Settings, Debug)]
    #[settings(files = ["no-such-dir-3f9a/settings.toml", "no-such-dir-3f9a/local.yaml"])]
    struct S {
        #[settings(default = 8000)]
        port: u16,
    }

    let s = S::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!(s.port, 8000);
    let s = S::loader().env_vars([("PORT", "1")]).load().unwrap();
    assert_eq!(s.port, 1);
}

// Declared paths are relative to the working directory; cargo runs tests from the package root.
#[test]
fn declared_files_merge_in_order_and_builder_files_come_after_them() {
    #[derive(Settings, Debug)]
    #[settings(
        env_prefix = "FIX_",
        files = [
            "tests/it/fixtures/base.toml",
            "tests/it/fixtures/absent.toml",
            "tests/it/fixtures/override.yaml"
        ]
    )]
    struct S {
        name: String,
        port: u16,
        level: String,
    }

    let s = S::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!(s.name, "from base.toml");
    assert_eq!(s.port, 2);
    assert_eq!(s.level, "from base.toml");

    let s = S::loader()
        .env_vars([("FIX_PROFILE", "prod")])
        .load()
        .unwrap();
    assert_eq!(s.level, "from override.prod.yaml");

    let dir = tempfile::tempdir().unwrap();
    let extra = write(dir.path(), "extra.json", r#"{"port": 3}"#);
    let s = S::loader().env_vars(NO_ENV).file(&extra).load().unwrap();
    assert_eq!((s.name.as_str(), s.port), ("from base.toml", 3));
}

#[test]
fn the_extension_decides_the_format() {
    #[derive(Settings, Debug)]
    struct Db {
        host: String,
        port: u16,
    }
    #[derive(Settings, Debug)]
    struct S {
        name: String,
        #[settings(nested)]
        db: Db,
    }

    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("a.toml", "name = \"n\"\n[db]\nhost = \"h\"\nport = 1\n"),
        ("a.yaml", "name: n\ndb:\n  host: h\n  port: 1\n"),
        ("a.yml", "name: n\ndb: {host: h, port: 1}\n"),
        ("a.json", r#"{"name": "n", "db": {"host": "h", "port": 1}}"#),
        ("a.ini", "name = n\n[db]\nhost = h\nport = 1\n"),
    ];
    for (name, text) in cases {
        let file = write(dir.path(), name, text);
        let s = S::loader()
            .env_vars(NO_ENV)
            .file(&file)
            .load()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            (s.name.as_str(), s.db.host.as_str(), s.db.port),
            ("n", "h", 1)
        );
    }

    // TOML text in a file named .json is not read as TOML.
    let wrong = write(dir.path(), "wrong.json", "name = \"n\"\n");
    let err = S::loader()
        .env_vars(NO_ENV)
        .file(&wrong)
        .load()
        .unwrap_err();
    let source = of_kind(&err, IssueKind::Source);
    assert_eq!(source.len(), 1, "{err}");
    assert!(names(source[0], "wrong.json"), "{err}");
}

// API.md lists the extensions it knows; a file with another one cannot be read as any of them.
#[test]
fn an_unknown_extension_is_a_source_issue() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 1)]
        n: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "settings.conf", "n = 2\n");
    let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(names(i, "settings.conf"), "{i:?}");
}

#[test]
fn ini_sections_nest_with_dots() {
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
    struct S {
        #[settings(nested)]
        db: Db,
        debug: bool,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.ini",
        "; a comment\ndebug = on\n\n[db]\nurl = postgres://ini/db\n\n[db.replica]\nhost = r1\n",
    );
    let s = S::loader().env_vars(NO_ENV).file(&file).load().unwrap();
    assert!(s.debug);
    assert_eq!(s.db.url, "postgres://ini/db");
    assert_eq!(s.db.replica.host, "r1");
}

#[test]
fn a_dotenv_file_given_as_a_config_file_ranks_with_the_files() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        a: String,
        b: String,
        c: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let as_file = write(
        dir.path(),
        "config.env",
        "APP_A=config.env\nAPP_B=config.env\nAPP_C=config.env\nB=unprefixed\n",
    );
    let later = write(dir.path(), "later.toml", "b = \"later.toml\"\n");
    let env_file = write(dir.path(), ".env", "APP_C=env file\n");
    let s = S::loader()
        .env_vars(NO_ENV)
        .file(&as_file)
        .file(&later)
        .env_file(&env_file)
        .load()
        .unwrap();
    assert_eq!(s.a, "config.env");
    assert_eq!(s.b, "later.toml");
    assert_eq!(s.c, "env file");
}

#[test]
fn empty_files_of_every_format_set_nothing() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 1)]
        n: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("e.toml", ""),
        ("e.yaml", ""),
        ("c.yaml", "# only a comment\n"),
        ("e.json", "{}"),
        ("e.ini", ""),
        ("e.env", ""),
    ] {
        let file = write(dir.path(), name, text);
        let s = S::loader()
            .env_vars(NO_ENV)
            .file(&file)
            .load()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.n, 1, "{name}");
    }
}

#[test]
fn a_file_whose_top_level_is_not_a_table_is_a_source_issue() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 1)]
        n: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("list.json", "[1, 2]"), ("scalar.yaml", "just text\n")] {
        let file = write(dir.path(), name, text);
        let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
        let i = only(&err);
        assert_eq!(i.kind, IssueKind::Source, "{name}");
        assert!(names(i, name), "{i:?}");
    }
}

#[test]
fn unknown_keys_are_denied_at_every_depth_in_every_format() {
    #[derive(Settings, Debug)]
    struct Replica {
        #[settings(default = "r")]
        host: String,
    }
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = 1)]
        pool_size: u32,
        #[settings(nested)]
        replica: Replica,
    }
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = 1)]
        port: u16,
        #[settings(nested)]
        db: Db,
    }

    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "u.toml",
            "prot = 1\n[db]\npool_sise = 2\n[db.replica]\nhots = \"x\"\n",
        ),
        (
            "u.yaml",
            "prot: 1\ndb:\n  pool_sise: 2\n  replica:\n    hots: x\n",
        ),
        (
            "u.json",
            r#"{"prot": 1, "db": {"pool_sise": 2, "replica": {"hots": "x"}}}"#,
        ),
        (
            "u.ini",
            "prot = 1\n[db]\npool_sise = 2\n[db.replica]\nhots = x\n",
        ),
    ];
    for (name, text) in cases {
        let file = write(dir.path(), name, text);
        let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
        assert_eq!(err.issues().len(), 3, "{name}:\n{err}");
        for (path, suggestion) in [
            ("prot", "port"),
            ("db.pool_sise", "pool_size"),
            ("db.replica.hots", "host"),
        ] {
            let i = issue(&err, path);
            assert_eq!(i.kind, IssueKind::Unknown, "{name}: {i:?}");
            assert!(i.message.contains("did you mean"), "{name}: {i:?}");
            assert!(i.message.contains(suggestion), "{name}: {i:?}");
            assert!(
                i.origin.as_deref().unwrap_or_default().contains(name),
                "{name}: {i:?}"
            );
        }
    }
}

#[test]
fn a_nested_struct_with_deny_unknown_false_takes_unknown_keys_in_its_own_table_only() {
    #[derive(Settings, Debug)]
    #[settings(deny_unknown = false)]
    struct Plugins {
        #[settings(default = false)]
        enabled: bool,
    }
    #[derive(Settings, Debug)]
    struct S {
        #[settings(nested)]
        plugins: Plugins,
        #[settings(default = 1)]
        port: u16,
    }

    let dir = tempfile::tempdir().unwrap();
    let ok = write(
        dir.path(),
        "ok.toml",
        "[plugins]\nenabled = true\nsomething = 1\n[plugins.extra]\nx = 2\n",
    );
    let s = S::loader().env_vars(NO_ENV).file(&ok).load().unwrap();
    assert!(s.plugins.enabled);

    let bad = write(
        dir.path(),
        "bad.toml",
        "porrt = 2\n[plugins]\nsomething = 1\n",
    );
    let err = S::loader().env_vars(NO_ENV).file(&bad).load().unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("porrt", IssueKind::Unknown));
}

// API.md is silent on typed file values of another kind than the field; like pydantic's lax
// mode, a TOML/YAML/JSON string holding a number fills a number field.
#[test]
fn typed_file_values_fill_their_fields() {
    #[derive(Settings, Debug)]
    struct S {
        port: u16,
        ratio: f64,
        debug: bool,
        name: String,
        from_text: u16,
        hosts: Vec<String>,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "typed.yaml",
        "port: 8080\nratio: 0.5\ndebug: true\nname: '007'\nfrom_text: \"9090\"\nhosts: [a, b]\n",
    );
    let s = S::loader().env_vars(NO_ENV).file(&file).load().unwrap();
    assert_eq!((s.port, s.ratio, s.debug), (8080, 0.5, true));
    assert_eq!(s.name, "007");
    assert_eq!(s.from_text, 9090);
    assert_eq!(s.hosts, ["a", "b"]);
}

/// A reference or an encrypted value written with escapes (`\u0024{...}`) is still found: a
/// file with a backslash is always looked through.
#[test]
fn a_reference_written_with_an_escape_is_resolved() {
    #[derive(settings_core::Settings, Debug)]
    struct S {
        #[settings(default = "h")]
        host: String,
        url: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let file = crate::write(
        dir.path(),
        "app.toml",
        "url = \"http://\\u0024{host}:80\"\n",
    );
    let s = S::loader()
        .env_vars([("X", "")])
        .file(&file)
        .load()
        .unwrap();
    assert_eq!(s.url, "http://h:80");
}
