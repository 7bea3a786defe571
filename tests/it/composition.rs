//! Composition: files that extend files, and `${...}` references between values.

use crate::{NO_ENV, issue, origin, write};
use settings_core::{IssueKind, Secret, Settings};

#[derive(Settings, Debug)]
struct Db {
    host: String,
    #[settings(default = 5432)]
    port: u16,
    #[settings(default = 10)]
    pool_size: u32,
}

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct App {
    name: String,
    #[settings(nested)]
    db: Db,
    #[settings(default = [])]
    hosts: Vec<String>,
}

#[test]
fn a_file_extends_its_bases_which_load_first_to_any_depth() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "common.toml",
        "name = \"common\"\nhosts = [\"c\"]\n[db]\nhost = \"common-db\"\npool_size = 1\n",
    );
    std::fs::create_dir(dir.path().join("envs")).unwrap();
    write(
        dir.path(),
        "envs/prod.yaml",
        "extends: ../common.toml\ndb:\n  host: prod-db\n",
    );
    let app = write(
        dir.path(),
        "app.toml",
        "extends = \"envs/prod.yaml\"\nname = \"app\"\n",
    );
    let loader = App::loader().env_vars(NO_ENV).file(&app);
    let s = loader.load().unwrap();
    assert_eq!(s.name, "app");
    assert_eq!(s.db.host, "prod-db");
    assert_eq!(s.db.pool_size, 1);
    assert_eq!(s.hosts, ["c"]);
    // The report names the file each value really came from.
    let report = loader.explain().unwrap();
    assert!(
        report
            .get("db.pool_size")
            .unwrap()
            .origin
            .ends_with("common.toml")
    );
    assert!(report.get("db.host").unwrap().origin.ends_with("prod.yaml"));
    assert!(report.get("name").unwrap().origin.ends_with("app.toml"));
}

#[test]
fn several_bases_merge_in_order_and_their_profile_files_apply() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.toml", "name = \"a\"\n[db]\nhost = \"a\"\n");
    write(dir.path(), "b.toml", "name = \"b\"\n");
    write(dir.path(), "a.prod.toml", "[db]\nhost = \"a-prod\"\n");
    let app = write(
        dir.path(),
        "app.toml",
        "extends = [\"a.toml\", \"b.toml\"]\n",
    );
    let s = App::loader().env_vars(NO_ENV).file(&app).load().unwrap();
    assert_eq!((s.name.as_str(), s.db.host.as_str()), ("b", "a"));
    let s = App::loader()
        .env_vars(NO_ENV)
        .file(&app)
        .profile("prod")
        .load()
        .unwrap();
    assert_eq!(s.db.host, "a-prod");
}

#[test]
fn an_extends_cycle_and_a_missing_base_are_source_issues_naming_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.toml",
        "extends = \"b.toml\"\nname = \"a\"\n[db]\nhost = \"h\"\n",
    );
    write(dir.path(), "b.toml", "extends = \"a.toml\"\n");
    let a = dir.path().join("a.toml");
    let err = App::loader().env_vars(NO_ENV).file(&a).load().unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(
        i.message.contains("cycle") && i.message.contains("a.toml → "),
        "{}",
        i.message
    );
    assert!(i.message.contains("b.toml"), "{}", i.message);

    let c = write(
        dir.path(),
        "c.toml",
        "extends = \"nowhere.toml\"\nname = \"c\"\n[db]\nhost = \"h\"\n",
    );
    let err = App::loader().env_vars(NO_ENV).file(&c).load().unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(
        i.message.contains("nowhere.toml") && i.message.contains("c.toml"),
        "{}",
        i.message
    );
}

#[test]
fn a_struct_with_a_field_named_extends_keeps_it() {
    #[derive(Settings, Debug)]
    struct S {
        extends: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "s.toml", "extends = \"not-a-file\"\n");
    let s = S::loader().env_vars(NO_ENV).file(&f).load().unwrap();
    assert_eq!(s.extends, "not-a-file");
}

#[test]
fn references_see_the_final_merged_value_of_other_settings_and_the_environment() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
        url: String,
        #[settings(default = "${db.host}:${db.port}")]
        addr: String,
        greeting: String,
        literal: String,
        #[settings(default = [])]
        mirrors: Vec<String>,
    }
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "s.toml",
        "url = \"postgres://${db.host}:${db.port}/app\"\n\
         greeting = \"hello ${env:USER_NAME:-stranger}, home ${env:HOME_DIR}\"\n\
         literal = \"costs $${price} or $5\"\n\
         mirrors = [\"https://${db.host}/a\", \"plain\"]\n\
         [db]\nhost = \"file-host\"\n",
    );
    let s = S::loader()
        .env_vars([("APP_DB__HOST", "env-host"), ("HOME_DIR", "/home/x")])
        .file(&f)
        .load()
        .unwrap();
    // The environment overrides db.host, and every reference sees that final value.
    assert_eq!(s.url, "postgres://env-host:5432/app");
    assert_eq!(s.addr, "env-host:5432");
    assert_eq!(s.greeting, "hello stranger, home /home/x");
    assert_eq!(s.literal, "costs ${price} or $5");
    assert_eq!(s.mirrors, ["https://env-host/a", "plain"]);
}

#[test]
fn a_value_built_from_a_secret_is_secret() {
    #[derive(Settings, Debug)]
    struct S {
        password: Secret<String>,
        dsn: String,
        #[settings(default = "user")]
        user: String,
    }
    let report = S::loader()
        .env_vars([
            ("PASSWORD", "pw-hunter2"),
            ("DSN", "postgres://${user}:${password}@db/app"),
        ])
        .explain()
        .unwrap();
    let dsn = report.get("dsn").unwrap();
    assert!(dsn.secret);
    assert!(!report.to_string().contains("pw-hunter2"));
    let s = S::loader()
        .env_vars([
            ("PASSWORD", "pw-hunter2"),
            ("DSN", "postgres://${user}:${password}@db/app"),
        ])
        .load()
        .unwrap();
    assert_eq!(s.dsn, "postgres://user:pw-hunter2@db/app");
}

#[test]
fn bad_references_are_invalid_issues_naming_both_paths() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = "x")]
        a: String,
        #[settings(default = "x")]
        b: String,
        #[settings(default = "x")]
        c: String,
        #[settings(default = "x")]
        d: String,
        #[settings(default = "x")]
        e: String,
    }
    let err = S::loader()
        .env_vars([
            ("A", "${nope}"),
            ("B", "${c}"),
            ("C", "${b}"),
            ("D", "open ${a"),
            ("E", "${env:NOT_SET_ANYWHERE}"),
        ])
        .load()
        .unwrap_err();
    let a = issue(&err, "a");
    assert_eq!(a.kind, IssueKind::Invalid);
    assert!(
        a.message.contains("nope") && a.message.contains("`a`"),
        "{}",
        a.message
    );
    assert_eq!(origin(a), "env var A");
    let b = issue(&err, "b");
    assert!(b.message.contains("cycle"), "{}", b.message);
    let d = issue(&err, "d");
    assert!(d.message.contains("never closed"), "{}", d.message);
    let e = issue(&err, "e");
    assert!(e.message.contains("NOT_SET_ANYWHERE"), "{}", e.message);
    // No second issue (missing, invalid) for the same fields.
    assert_eq!(err.issues().len(), 5, "{err}");
}

#[test]
fn templates_show_references_as_written() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = "${db_host}:5432")]
        addr: String,
        #[settings(default = "localhost")]
        db_host: String,
    }
    let t = S::template(settings_core::Format::Toml);
    assert!(t.contains("${db_host}:5432"), "{t}");
    assert_eq!(
        S::loader().env_vars(NO_ENV).load().unwrap().addr,
        "localhost:5432"
    );
}

#[test]
fn a_list_holding_a_value_built_from_a_secret_is_masked_whole() {
    #[derive(Settings, Debug)]
    struct S {
        pw: Secret<String>,
        hosts: Vec<String>,
    }
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "s.toml", "hosts = [\"a\", \"x-${pw}\"]\n");
    let report = S::loader()
        .env_vars([("PW", "topsecret-value")])
        .file(&f)
        .explain()
        .unwrap();
    assert!(report.get("hosts").unwrap().secret);
    let text = format!("{report}\n{}", serde_json::to_string(&report).unwrap());
    assert!(!text.contains("topsecret-value"), "{text}");
}
