//! Hostile and broken input: size and depth limits, alias bombs, bytes that are not text,
//! duplicate keys, paths that are not regular files, symlinks that escape a directory, and
//! bounded messages. Every case fails cleanly, with a `Source` (or `Invalid`) issue, and quickly.

use crate::{all_text, issue, mkdir, names, of_kind, only, origin, write, NO_ENV};
use settings_core::{Error, IssueKind, Settings};
use std::ffi::OsString;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// Runs `f` on another thread and fails the test if it does not finish within `secs`.
fn within<T: Send + 'static>(secs: u64, what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} did not finish in {secs}s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked"),
    }
}

#[derive(Settings, Debug)]
#[settings(deny_unknown = false)]
struct Lenient {
    #[settings(default = 1)]
    n: u32,
}

/// Loads `Lenient` from one required file, expecting exactly one `Source` issue naming it.
fn source_issue_for(path: &Path) -> Error {
    let err = Lenient::loader()
        .env_vars(NO_ENV)
        .file(path)
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Source, "{i:?}");
    let given = path.display().to_string();
    assert!(names(i, &given), "`{given}` not named in {i:?}");
    err
}

#[test]
fn a_file_over_the_size_limit_is_a_source_issue() {
    let dir = tempfile::tempdir().unwrap();
    // 600 bytes: a setting and a long comment.
    let file = write(
        dir.path(),
        "big.toml",
        format!("n = 2\n#{}\n", "-".repeat(592)),
    );
    let err = Lenient::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .max_file_size(599)
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(names(i, "big.toml"), "{i:?}");

    // Exactly at the limit is fine.
    let s = Lenient::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .max_file_size(600)
        .load()
        .unwrap();
    assert_eq!(s.n, 2);

    // The default limit is 64 MiB: a sparse file one byte over is refused without reading it.
    let huge = dir.path().join("huge.json");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(64 * 1024 * 1024 + 1).unwrap();
    drop(f);
    within(20, "loading a 64 MiB file", move || {
        source_issue_for(&huge);
    });
}

#[test]
fn the_size_limit_holds_for_env_files_and_directory_entries() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        token: String,
        #[settings(default = "none")]
        name: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let env_file = write(
        dir.path(),
        "big.env",
        format!("APP_NAME={}\n", "x".repeat(500)),
    );
    let secrets = mkdir(dir.path(), "secrets");
    write(&secrets, "token", "y".repeat(500));
    let err = S::loader()
        .env_vars(NO_ENV)
        .env_file(&env_file)
        .secrets_dir(&secrets)
        .max_file_size(100)
        .load()
        .unwrap_err();
    let source = of_kind(&err, IssueKind::Source);
    assert_eq!(source.len(), 2, "{err}");
    assert!(source.iter().any(|i| names(i, "big.env")), "{err}");
    assert!(source.iter().any(|i| names(i, "token")), "{err}");
}

#[test]
fn values_nested_deeper_than_128_levels_in_a_file_are_a_source_issue() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 200;
    let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let deep_map = format!("{}1{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
    for (name, text) in [
        ("deep.json", format!("{{\"x\": {deep}}}")),
        ("map.json", format!("{{\"x\": {deep_map}}}")),
        ("deep.yaml", format!("x: {deep}\n")),
        ("map.yaml", format!("x: {deep_map}\n")),
        ("deep.toml", format!("x = {deep}\n")),
    ] {
        let file = write(dir.path(), name, text);
        within(20, name, move || {
            source_issue_for(&file);
        });
    }

    // A hundred levels, below the limit, are fine (in a key the struct ignores).
    let ok = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    for (name, text) in [
        ("ok.json", format!("{{\"n\": 3, \"x\": {ok}}}")),
        ("ok.yaml", format!("n: 3\nx: {ok}\n")),
    ] {
        let file = write(dir.path(), name, text);
        let s = Lenient::loader()
            .env_vars(NO_ENV)
            .file(&file)
            .load()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.n, 3);
    }
}

// A 200 KB file of nested brackets: refused quickly, not after scanning it at quadratic cost.
#[test]
fn a_very_deep_file_is_refused_quickly_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    for (name, text) in [
        ("deep.json", format!("{{\"x\": {deep}}}")),
        ("deep.toml", format!("x = {deep}\n")),
        ("deep.yaml", format!("x: {deep}\n")),
    ] {
        let file = write(dir.path(), name, text);
        within(10, name, move || {
            source_issue_for(&file);
        });
    }
}

#[test]
fn an_env_value_nested_too_deep_is_invalid_at_the_field_path() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = 1)]
        pool_size: u32,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = [])]
        hosts: Vec<String>,
        #[settings(nested)]
        db: Db,
    }

    for depth in [200, 100_000] {
        let list = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let object = format!("{}1{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
        let err = within(20, "deep env values", move || {
            S::loader()
                .env_vars([("APP_HOSTS", list), ("APP_DB", object)])
                .load()
                .unwrap_err()
        });
        assert_eq!(err.issues().len(), 2, "{err}");
        let hosts = issue(&err, "hosts");
        assert_eq!(hosts.kind, IssueKind::Invalid);
        assert_eq!(origin(hosts), "env var APP_HOSTS");
        let db = issue(&err, "db");
        assert_eq!(db.kind, IssueKind::Invalid);
        assert_eq!(origin(db), "env var APP_DB");
    }
}

#[test]
fn a_yaml_alias_bomb_fails_cleanly_and_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let anchors = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for pair in anchors.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{next}: &{next} [{refs}]\n"));
    }
    let file = write(dir.path(), "laughs.yaml", text);
    within(20, "the billion laughs", move || {
        source_issue_for(&file);
    });

    // A few aliases are ordinary YAML.
    let fine = write(
        dir.path(),
        "aliases.yaml",
        "base: &base {x: 1}\nother: *base\nn: 4\n",
    );
    let s = Lenient::loader()
        .env_vars(NO_ENV)
        .file(&fine)
        .load()
        .unwrap();
    assert_eq!(s.n, 4);
}

#[test]
fn nul_bytes_and_invalid_utf8_are_source_issues_in_every_file_source() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        token: String,
        #[settings(default = "none")]
        name: String,
        #[settings(default = 1)]
        n: u32,
    }

    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("nul.toml", &b"n = 1\nname = \"a\0b\"\n"[..]),
        ("latin1.yaml", &b"name: caf\xe9\n"[..]),
        ("bad.json", &b"{\"name\": \"\xff\"}"[..]),
        ("nul.ini", &b"name = a\0\n"[..]),
    ] {
        let file = write(dir.path(), name, bytes);
        let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
        let i = only(&err);
        assert_eq!(i.kind, IssueKind::Source, "{name}");
        assert!(names(i, &file.display().to_string()), "{name}: {i:?}");
    }

    let env_file = write(dir.path(), "nul.env", b"APP_NAME=a\0b\n");
    let secrets = mkdir(dir.path(), "secrets");
    write(&secrets, "token", b"\xfe\xff");
    let err = S::loader()
        .env_vars(NO_ENV)
        .env_file(&env_file)
        .secrets_dir(&secrets)
        .load()
        .unwrap_err();
    let source = of_kind(&err, IssueKind::Source);
    assert_eq!(source.len(), 2, "{err}");
    assert!(source.iter().any(|i| names(i, "nul.env")), "{err}");
    assert!(source.iter().any(|i| names(i, "token")), "{err}");
}

#[test]
fn a_duplicate_key_is_a_source_issue_in_every_format() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Db {
        #[settings(default = 1)]
        port: u16,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 1)]
        port: u16,
        #[settings(nested)]
        db: Db,
    }

    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("dup.toml", "port = 1\nport = 2\n"),
        ("dup.json", r#"{"port": 1, "port": 2}"#),
        ("nested.json", r#"{"db": {"port": 1, "port": 2}}"#),
        ("dup.yaml", "port: 1\nport: 2\n"),
        ("nested.yaml", "db:\n  port: 1\n  port: 2\n"),
        ("dup.ini", "port = 1\nport = 2\n"),
        ("section.ini", "[db]\nport = 1\n[db]\nport = 2\n"),
    ];
    let mut failures = Vec::new();
    for (name, text) in cases {
        let file = write(dir.path(), name, text);
        match S::loader().env_vars(NO_ENV).file(&file).load() {
            Ok(s) => failures.push(format!("{name}: loaded, port = {}", s.port)),
            Err(err) => {
                let i = only(&err);
                if i.kind != IssueKind::Source || !names(i, name) {
                    failures.push(format!("{name}: {i:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_repeated_name_in_a_dotenv_file_is_a_source_issue() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 1)]
        port: u16,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "dup.env", "APP_PORT=1\nAPP_PORT=2\n");
    let mut failures = Vec::new();
    for (how, loader) in [
        ("as a config file", S::loader().env_vars(NO_ENV).file(&file)),
        (
            "as the env file",
            S::loader().env_vars(NO_ENV).env_file(&file),
        ),
    ] {
        match loader.load() {
            Ok(s) => failures.push(format!("{how}: loaded, port = {}", s.port)),
            Err(err) => {
                let i = only(&err);
                if i.kind != IssueKind::Source || !names(i, "dup.env") {
                    failures.push(format!("{how}: {i:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_directory_given_as_a_file_is_a_source_issue_even_when_optional() {
    let dir = tempfile::tempdir().unwrap();
    let sub = mkdir(dir.path(), "conf.d.toml");
    source_issue_for(&sub);

    let err = Lenient::loader()
        .env_vars(NO_ENV)
        .file_optional(&sub)
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(names(i, "conf.d.toml"), "{i:?}");
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn a_fifo_is_never_opened_so_nothing_blocks() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        token: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.toml");
    mkfifo(&fifo);
    let f = fifo.clone();
    within(10, "a FIFO given as a file", move || {
        source_issue_for(&f);
    });
    let f = fifo.clone();
    let err = within(10, "a FIFO given as an optional file", move || {
        Lenient::loader()
            .env_vars(NO_ENV)
            .file_optional(&f)
            .load()
            .unwrap_err()
    });
    assert_eq!(only(&err).kind, IssueKind::Source);

    let env_fifo = dir.path().join("pipe.env");
    mkfifo(&env_fifo);
    let secrets = mkdir(dir.path(), "secrets");
    mkfifo(&secrets.join("token"));
    let err = within(10, "a FIFO as env file and secret", move || {
        S::loader()
            .env_vars(NO_ENV)
            .env_file(&env_fifo)
            .secrets_dir(&secrets)
            .load()
            .unwrap_err()
    });
    let source = of_kind(&err, IssueKind::Source);
    assert_eq!(source.len(), 2, "{err}");
    assert!(source.iter().any(|i| names(i, "pipe.env")), "{err}");
    assert!(source.iter().any(|i| names(i, "token")), "{err}");
}

#[test]
fn symlinks_are_followed_and_loops_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let real = write(dir.path(), "real.toml", "n = 7\n");
    let link = dir.path().join("link.toml");
    symlink(&real, &link).unwrap();
    let s = Lenient::loader()
        .env_vars(NO_ENV)
        .file(&link)
        .load()
        .unwrap();
    assert_eq!(s.n, 7);

    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    symlink(&b, &a).unwrap();
    symlink(&a, &b).unwrap();
    let f = a.clone();
    within(10, "a symlink loop", move || {
        source_issue_for(&f);
    });
    let err = Lenient::loader()
        .env_vars(NO_ENV)
        .file_optional(&a)
        .load()
        .unwrap_err();
    assert_eq!(only(&err).kind, IssueKind::Source);
}

#[test]
fn a_directory_entry_that_escapes_dangles_or_loops_is_a_source_issue_and_not_read() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        api_key: String,
        #[settings(default = "none")]
        dangling: String,
        #[settings(default = "none")]
        looping: String,
        #[settings(default = "none")]
        region: String,
        #[settings(default = "none")]
        fine: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let outside = mkdir(dir.path(), "outside");
    write(&outside, "target", "outside-target-value\n");
    let secrets = mkdir(dir.path(), "secrets");
    symlink(outside.join("target"), secrets.join("api_key")).unwrap();
    symlink(secrets.join("nothing-here"), secrets.join("dangling")).unwrap();
    symlink(secrets.join("looping"), secrets.join("looping")).unwrap();
    write(&secrets, "fine", "fine-value");
    let config = mkdir(dir.path(), "config");
    symlink("../outside/target", config.join("region")).unwrap();

    let err = within(10, "escaping entries", move || {
        S::loader()
            .env_vars(NO_ENV)
            .secrets_dir(&secrets)
            .config_dir(&config)
            .load()
            .unwrap_err()
    });
    let source = of_kind(&err, IssueKind::Source);
    assert_eq!(err.issues().len(), 4, "{err}");
    assert_eq!(source.len(), 4, "{err}");
    for entry in ["api_key", "dangling", "looping", "region"] {
        assert!(
            source.iter().any(|i| names(i, entry)),
            "{entry} not named:\n{err}"
        );
    }
    let text = all_text(&err);
    assert!(!text.contains("outside-target-value"), "{text}");
}

#[test]
fn a_kubernetes_mounted_secret_works_and_its_dot_dot_entries_are_not_settings() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct Db {
        password: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        api_key: String,
        #[settings(nested)]
        db: Db,
        data: Option<String>,
    }

    let dir = tempfile::tempdir().unwrap();
    let mount = mkdir(dir.path(), "secrets");
    let version = mkdir(&mount, "..2024_01_01_00_00_00.123456");
    write(&version, "api_key", "k8s-key\n");
    write(&version, "db__password", "k8s-pw\n");
    symlink("..2024_01_01_00_00_00.123456", mount.join("..data")).unwrap();
    symlink("..data/api_key", mount.join("api_key")).unwrap();
    symlink("..data/db__password", mount.join("db__password")).unwrap();

    let s = S::loader()
        .env_vars(NO_ENV)
        .secrets_dir(&mount)
        .load()
        .unwrap();
    assert_eq!(s.api_key, "k8s-key");
    assert_eq!(s.db.password, "k8s-pw");
    assert_eq!(s.data, None);

    // The mount point itself may be a symlink (as /run/secrets often is).
    let alias = dir.path().join("secrets-alias");
    symlink(&mount, &alias).unwrap();
    let s = S::loader()
        .env_vars(NO_ENV)
        .secrets_dir(&alias)
        .load()
        .unwrap();
    assert_eq!(s.api_key, "k8s-key");
}

#[test]
fn text_that_starts_like_json_must_be_json() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        hosts: Vec<String>,
        labels: std::collections::HashMap<String, String>,
    }

    let err = S::loader()
        .env_vars([("APP_HOSTS", "[a,b"), ("APP_LABELS", "{team: billing}")])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    assert_eq!(issue(&err, "hosts").kind, IssueKind::Invalid);
    assert_eq!(issue(&err, "labels").kind, IssueKind::Invalid);
}

#[test]
fn a_prefixed_variable_that_is_not_utf8_is_invalid_and_others_are_ignored() {
    use std::os::unix::ffi::OsStringExt;

    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        name: String,
        #[settings(default = "none")]
        other: String,
    }

    let bad = || OsString::from_vec(vec![b'a', 0xff, b'b']);
    let err = S::loader()
        .env_vars([
            (OsString::from("APP_NAME"), bad()),
            (OsString::from("UNRELATED"), bad()),
            (OsString::from_vec(vec![b'X', 0xfe]), bad()),
            (OsString::from("APP_OTHER"), OsString::from("fine")),
        ])
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("name", IssueKind::Invalid));
    assert!(names(i, "APP_NAME"), "{i:?}");

    let s = S::loader()
        .env_vars([
            (OsString::from("APP_NAME"), OsString::from("ok")),
            (OsString::from("UNRELATED"), bad()),
            (OsString::from_vec(vec![0xff, 0xfe]), bad()),
        ])
        .load()
        .unwrap();
    assert_eq!((s.name.as_str(), s.other.as_str()), ("ok", "none"));
}

#[test]
fn a_long_value_is_cut_to_80_characters_in_a_message() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        port: u16,
    }

    let long = "x".repeat(500);
    let err = S::loader()
        .env_vars([("APP_PORT", long.as_str())])
        .load()
        .unwrap_err();
    let m = &only(&err).message;
    assert!(m.contains(&"x".repeat(60)), "the value is not quoted: {m}");
    assert!(!m.contains(&"x".repeat(81)), "the value is not cut: {m}");
    assert!(m.contains('…'), "{m}");
}

#[test]
fn no_message_exceeds_1000_characters() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", deny_unknown_env)]
    struct S {
        #[settings(default = 1)]
        port: u16,
        #[settings(default = [])]
        hosts: Vec<u16>,
    }

    let dir = tempfile::tempdir().unwrap();
    let key = "k".repeat(5000);
    let json = write(dir.path(), "keys.json", format!("{{\"{key}\": 1}}"));
    let env_file = write(dir.path(), "lines.env", format!("{}\n", "z".repeat(5000)));
    let far: std::path::PathBuf = (0..15).map(|i| format!("{i}{}", "d".repeat(200))).collect();
    let missing = dir.path().join(far).join("settings.toml");
    let hosts = vec!["not-a-port-".repeat(50); 100].join(",");
    let err = S::loader()
        .env_vars([
            (format!("APP_{}", "V".repeat(5000)), "1".to_owned()),
            ("APP_PORT".to_owned(), "p".repeat(5000)),
            ("APP_HOSTS".to_owned(), hosts),
        ])
        .file(&json)
        .file(&missing)
        .env_file(&env_file)
        .load()
        .unwrap_err();
    assert!(err.issues().len() >= 6, "{err}");
    for i in err.issues() {
        let n = i.message.chars().count();
        assert!(n <= 1000, "{n} characters: {}…", &i.message[..200]);
    }
}
