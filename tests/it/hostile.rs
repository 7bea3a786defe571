//! Hostile and broken input: size and depth limits, alias bombs, bytes that are not text,
//! duplicate keys, paths that are not regular files, symlinks that escape a directory, and
//! bounded messages. Every case fails cleanly, with a `Source` (or `Invalid`) issue, and quickly.

use crate::{NO_ENV, all_text, issue, mkdir, names, of_kind, only, origin, write};
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
            // The prefix, then a name that is not UTF-8: it can set nothing.
            (OsString::from_vec(b"APP_\xffOTHER".to_vec()), bad()),
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

// ---- The rest of the hostile inputs of issue 10: huge files in every file source, deep JSON in
// text sources, loops and races in the secrets directory, permissions, bytes that are not UTF-8
// in names, keys repeated 100,000 times, and the dotenv inputs the fuzzer found. ----

/// Creates a sparse file of `len` bytes (nothing is written); `None` where the file system
/// refuses the size.
fn sparse(path: &Path, len: u64) -> Option<std::path::PathBuf> {
    let f = std::fs::File::create(path).unwrap();
    f.set_len(len).ok()?;
    Some(path.to_owned())
}

#[test]
fn a_100_mib_file_is_refused_from_its_size_in_every_file_source() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        token: String,
        #[settings(default = "none")]
        region: String,
        #[settings(default = 1)]
        n: u32,
    }

    // 100 MiB, and 1 TiB (sparse: reading it would not end in the time given).
    for len in [100u64 << 20, 1 << 40] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let secrets = mkdir(d, "secrets");
        let config = mkdir(d, "config");
        let (Some(file), Some(env_file), Some(_), Some(_), Some(key)) = (
            sparse(&d.join("big.toml"), len),
            sparse(&d.join("big.env"), len),
            sparse(&secrets.join("token"), len),
            sparse(&config.join("region"), len),
            sparse(&d.join("age-key.txt"), len),
        ) else {
            eprintln!("the file system refuses sparse files of {len} bytes: case skipped");
            continue;
        };
        let err = within(10, "huge files", move || {
            S::loader()
                // An encrypted value, so that the key file is read.
                .env_vars([("APP_N", "ENC[age:YWdl]")])
                .file(&file)
                .env_file(&env_file)
                .secrets_dir(&secrets)
                .config_dir(&config)
                .age_identity_file(&key)
                .load()
                .unwrap_err()
        });
        let source = of_kind(&err, IssueKind::Source);
        assert_eq!(source.len(), 5, "{err}");
        for what in ["big.toml", "big.env", "token", "region", "age-key.txt"] {
            let i = source
                .iter()
                .find(|i| names(i, what))
                .unwrap_or_else(|| panic!("{what} not named:\n{err}"));
            for words in [
                "larger than the limit of 67108864 bytes",
                &format!("{len} bytes"),
                "was not read",
                "Loader::max_file_size",
            ] {
                assert!(i.message.contains(words), "`{words}` not in {i:?}");
            }
        }
        assert!(
            err.to_string().contains("100MiB") || len != 100 << 20,
            "{err}"
        );
    }
}

#[test]
fn json_nested_100_000_deep_is_invalid_in_every_text_source() {
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
        #[settings(default)]
        labels: std::collections::HashMap<String, String>,
        #[settings(nested)]
        db: Db,
    }

    let depth = 100_000;
    let list = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let object = format!("{}1{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
    let dir = tempfile::tempdir().unwrap();
    let env_file = write(
        dir.path(),
        "deep.env",
        format!("APP_HOSTS={list}\nAPP_DB={object}\n"),
    );
    let secrets = mkdir(dir.path(), "secrets");
    write(&secrets, "labels", &object);
    let err = within(20, "deep JSON in text sources", move || {
        S::loader()
            .env_vars(NO_ENV)
            .env_file(&env_file)
            .secrets_dir(&secrets)
            .load()
            .unwrap_err()
    });
    assert_eq!(err.issues().len(), 3, "{err}");
    for (path, from) in [
        ("hosts", "deep.env"),
        ("db", "deep.env"),
        ("labels", "secrets dir file labels"),
    ] {
        let i = issue(&err, path);
        assert_eq!(i.kind, IssueKind::Invalid, "{i:?}");
        assert!(origin(i).contains(from), "{i:?}");
    }
}

#[test]
fn symlink_loops_in_the_secrets_directory_are_source_issues() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        alpha: String,
        #[settings(default = "none")]
        beta: String,
        #[settings(default = "none")]
        gamma: String,
        #[settings(default = "none")]
        fine: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let secrets = mkdir(dir.path(), "secrets");
    // alpha -> beta -> alpha; gamma -> the directory itself (not a file).
    symlink("beta", secrets.join("alpha")).unwrap();
    symlink("alpha", secrets.join("beta")).unwrap();
    symlink(".", secrets.join("gamma")).unwrap();
    write(&secrets, "fine", "fine-value");
    let s = secrets.clone();
    let err = within(10, "loops in the secrets dir", move || {
        S::loader()
            .env_vars(NO_ENV)
            .secrets_dir(&s)
            .load()
            .unwrap_err()
    });
    assert_eq!(err.issues().len(), 3, "{err}");
    for entry in ["alpha", "beta", "gamma"] {
        let i = issue(&err, entry);
        assert_eq!(i.kind, IssueKind::Source, "{i:?}");
        assert!(names(i, entry), "{i:?}");
    }

    // The secrets directory itself a loop: one issue naming it.
    let looping = dir.path().join("looping-dir");
    symlink(&looping, &looping).unwrap();
    let l = looping.clone();
    let err = within(10, "a looping secrets dir", move || {
        S::loader()
            .env_vars(NO_ENV)
            .secrets_dir(&l)
            .load()
            .unwrap_err()
    });
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(names(i, "looping-dir"), "{i:?}");
}

// The window between listing the directory and reading an entry cannot be timed from outside:
// a writer flips an entry while loads run, and every outcome must be a value, the default, or a
// `Source` issue naming the entry (a dangling link is the same path of the code, tested above).
#[test]
fn a_secret_removed_while_the_directory_is_read_is_never_a_panic() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        token: String,
        #[settings(default = "none")]
        zz_last: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let secrets = mkdir(dir.path(), "secrets");
    // Entries around it, so that listing and reading are apart in time.
    for i in 0..200 {
        write(&secrets, &format!("other_{i:03}"), "x");
    }
    write(&secrets, "zz_last", "last");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, token) = (stop.clone(), secrets.join("token"));
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::fs::write(&token, "token-value").unwrap();
                let _ = std::fs::remove_file(&token);
            }
        })
    };
    let (mut values, mut defaults, mut gone) = (0, 0, 0);
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        match S::loader().env_vars(NO_ENV).secrets_dir(&secrets).load() {
            Ok(s) if s.token == "token-value" => values += 1,
            // "": read between the writer's create and write (a torn write, which is why
            // Kubernetes swaps a whole `..data` directory instead).
            Ok(s) => {
                assert!(s.token == "none" || s.token.is_empty(), "{}", s.token);
                defaults += 1;
            }
            Err(err) => {
                let i = only(&err);
                assert_eq!((i.path.as_str(), i.kind), ("token", IssueKind::Source));
                assert!(names(i, "token"), "{i:?}");
                assert!(i.message.contains("disappeared"), "{i:?}");
                gone += 1;
            }
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    eprintln!("{values} loads with the value, {defaults} without, {gone} caught it going");
    assert!(values + defaults + gone > 0);
}

/// Whether this process may read any file whatever its mode (root, or CAP_DAC_OVERRIDE).
fn bypasses_permissions() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let effective = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .unwrap_or(0);
    // CAP_DAC_OVERRIDE is bit 1, CAP_DAC_READ_SEARCH bit 2.
    effective & 0b110 != 0
}

/// Run under `SETTINGS_TEST_PERMISSIONS=1` without the capabilities that bypass permissions (see
/// the test below); otherwise it does nothing.
#[test]
fn unreadable_files_and_directories_are_source_issues_naming_them() {
    use std::os::unix::fs::PermissionsExt as _;
    if std::env::var_os("SETTINGS_TEST_PERMISSIONS").is_none() || bypasses_permissions() {
        return;
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        token: String,
        #[settings(default = 1)]
        n: u32,
    }
    let mode = |p: &Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    };

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = write(d, "locked.toml", "n = 2\n");
    let optional = write(d, "locked-optional.toml", "n = 3\n");
    let env_file = write(d, "locked.env", "APP_N=4\n");
    let key = write(d, "locked-key.txt", "AGE-SECRET-KEY-1\n");
    let secrets = mkdir(d, "secrets");
    let token = write(&secrets, "token", "s3cret-token-value");
    let closed = mkdir(d, "closed");
    let inside = write(&closed, "inside.toml", "n = 5\n");
    for p in [&file, &optional, &env_file, &key, &token] {
        mode(p, 0o000);
    }
    mode(&closed, 0o000);
    let err = S::loader()
        .env_vars([("APP_N", "ENC[age:YWdl]")])
        .file(&file)
        .file_optional(&optional)
        .file(&inside)
        .env_file(&env_file)
        .secrets_dir(&secrets)
        .age_identity_file(&key)
        .load()
        .unwrap_err();
    for what in [
        "locked.toml",
        "locked-optional.toml",
        "inside.toml",
        "locked.env",
        "locked-key.txt",
        "token",
    ] {
        let i = err
            .issues()
            .iter()
            .find(|i| names(i, what))
            .unwrap_or_else(|| panic!("{what} not named:\n{err}"));
        assert_eq!(i.kind, IssueKind::Source, "{i:?}");
        assert!(i.message.contains("ermission denied"), "{i:?}");
    }
    assert!(!all_text(&err).contains("s3cret-token-value"));

    // A secrets directory that cannot be listed.
    mode(&secrets, 0o000);
    let err = S::loader()
        .env_vars(NO_ENV)
        .secrets_dir(&secrets)
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(
        names(i, "secrets") && i.message.contains("ermission denied"),
        "{i:?}"
    );
    mode(&secrets, 0o700);
    mode(&closed, 0o700);
}

// Tests run as root here, and root reads any file whatever its mode: the test above then runs
// again in a child process without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (`setpriv`, from
// util-linux), where modes apply to root too. Where that cannot be done, it says so and passes.
#[test]
fn permission_denied_is_tested_without_the_capabilities_that_bypass_it() {
    if std::env::var_os("SETTINGS_TEST_PERMISSIONS").is_some() {
        return;
    }
    if !bypasses_permissions() {
        // Not root: the modes apply here already.
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "hostile::unreadable_files_and_directories_are_source_issues_naming_them",
            ])
            .env("SETTINGS_TEST_PERMISSIONS", "1")
            .status()
            .unwrap();
        assert!(status.success());
        return;
    }
    let drop = "-dac_override,-dac_read_search";
    let output = std::process::Command::new("setpriv")
        .args([
            &format!("--inh-caps={drop}"),
            &format!("--bounding-set={drop}"),
        ])
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "hostile::unreadable_files_and_directories_are_source_issues_naming_them",
            "--nocapture",
        ])
        .env("SETTINGS_TEST_PERMISSIONS", "1")
        .output();
    match output {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("1 passed"), "{text}");
        }
        Ok(out) if String::from_utf8_lossy(&out.stderr).contains("setpriv:") => eprintln!(
            "permission denied is untested: running as root and setpriv cannot drop \
             capabilities here: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Ok(out) => panic!(
            "without the capabilities: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => eprintln!("permission denied is untested: running as root, no setpriv: {e}"),
    }
}

#[test]
fn names_that_are_not_utf8_are_ignored_or_read_and_values_that_are_not_are_source_issues() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt as _;

    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        token: String,
        #[settings(default = "none")]
        region: String,
        #[settings(default = 1)]
        n: u32,
    }

    // Entries whose names are not UTF-8 name no setting: ignored, like `README` would be. A
    // directory or a file whose own path is not UTF-8 is read like any other.
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join(OsStr::from_bytes(b"caf\xe9"));
    std::fs::create_dir(&odd).unwrap();
    let secrets = mkdir(&odd, "secrets");
    write(&secrets, "token", "the-token");
    std::fs::write(secrets.join(OsStr::from_bytes(b"\xff\xfe")), "x").unwrap();
    std::fs::write(secrets.join(OsStr::from_bytes(b"token\xff")), "y").unwrap();
    let file = odd.join(OsStr::from_bytes(b"r\xe9gion.toml"));
    std::fs::write(&file, "region = \"eu\"\n").unwrap();
    let s = S::loader()
        .env_vars(NO_ENV)
        .secrets_dir(&secrets)
        .file(&file)
        .load()
        .unwrap();
    assert_eq!((s.token.as_str(), s.region.as_str()), ("the-token", "eu"));

    // Values that are not UTF-8, in the file sources not covered above.
    let config = mkdir(dir.path(), "config");
    write(&config, "region", b"\xc0\xaf");
    let key = write(dir.path(), "key.txt", b"AGE-SECRET-KEY-1\xff\n");
    let mut sources = Vec::new();
    for (name, bytes) in [
        ("latin1.toml", &b"region = \"caf\xe9\"\n"[..]),
        ("latin1.ini", &b"region = caf\xe9\n"[..]),
        ("latin1.env", &b"APP_REGION=caf\xe9\n"[..]),
    ] {
        sources.push(write(dir.path(), name, bytes));
    }
    let env_file = write(dir.path(), "app.env", b"APP_TOKEN=\"a\nb\xffc\"\n");
    let mut loader = S::loader()
        .env_vars([("APP_N", "ENC[age:YWdl]")])
        .config_dir(&config)
        .env_file(&env_file)
        .age_identity_file(&key);
    for f in &sources {
        loader = loader.file(f);
    }
    let err = loader.load().unwrap_err();
    let source = of_kind(&err, IssueKind::Source);
    for what in [
        "latin1.toml",
        "latin1.ini",
        "latin1.env",
        "app.env",
        "config dir file region",
        "key.txt",
    ] {
        let i = source
            .iter()
            .find(|i| names(i, what))
            .unwrap_or_else(|| panic!("{what} not named:\n{err}"));
        assert!(i.message.contains("UTF-8"), "{i:?}");
    }
    // The line is named where a file has lines.
    let i = source.iter().find(|i| names(i, "app.env")).unwrap();
    assert!(i.message.contains("line 2"), "{i:?}");
}

#[test]
fn a_nul_byte_in_a_dotenv_config_file_names_the_file_and_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.env", b"N=1\nB=\"x\ny\0z\"\n");
    let err = source_issue_for(&file);
    assert!(only(&err).message.contains("NUL byte (line 3)"), "{err}");
}

#[test]
fn a_key_repeated_100_000_times_is_one_source_issue_in_every_format() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = 1)]
        port: u16,
    }

    let n = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let json_body = vec!["\"port\": 1"; n].join(", ");
    let cases = [
        ("many.toml", "port = 1\n".repeat(n)),
        ("many.yaml", "port: 1\n".repeat(n)),
        ("many.json", format!("{{{json_body}}}")),
        ("many.ini", "port = 1\n".repeat(n)),
        ("many.env", "APP_PORT=1\n".repeat(n)),
    ];
    for (name, text) in cases {
        let file = write(dir.path(), name, text);
        let err = within(10, name, move || {
            S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err()
        });
        let i = only(&err);
        assert_eq!(i.kind, IssueKind::Source, "{name}: {i:?}");
        assert!(names(i, name), "{name}: {i:?}");
    }

    // As the env file: one issue that says how often.
    let file = write(dir.path(), "app.env", "APP_PORT=1\n".repeat(n));
    let err = within(10, "the env file", move || {
        S::loader()
            .env_vars(NO_ENV)
            .env_file(&file)
            .load()
            .unwrap_err()
    });
    let i = only(&err);
    assert!(
        i.message
            .contains("sets APP_PORT 100000 times (lines 1 and 2, ...)"),
        "{i:?}"
    );

    // The same variable given 100,000 times through `env_vars`: no error, one value.
    let pairs: Vec<(String, String)> = (0..n)
        .map(|i| ("APP_PORT".into(), format!("{}", i % 60_000 + 1)))
        .collect();
    let s = within(10, "repeated variables", move || {
        S::loader().env_vars(pairs).load()
    });
    assert!(s.is_ok(), "{:?}", s.err());
}

// Found by the fuzzer (fuzz/, target `dotenv`): `A=${A}${A}` doubles the value at each line, so a
// few hundred bytes of env file asked for gigabytes and the process died of memory.
#[test]
fn a_dotenv_value_that_doubles_at_each_line_is_a_source_issue_not_an_abort() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        name: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "APP_NAME=lol\n{}",
        "APP_NAME=${APP_NAME}${APP_NAME}${APP_NAME}${APP_NAME}${APP_NAME}\n".repeat(40)
    );
    let file = write(dir.path(), "laughs.env", text);
    let err = within(20, "a dotenv billion laughs", move || {
        S::loader()
            .env_vars(NO_ENV)
            .env_file(&file)
            .load()
            .unwrap_err()
    });
    let source = of_kind(&err, IssueKind::Source);
    assert!(!source.is_empty(), "{err}");
    assert!(
        source
            .iter()
            .any(|i| names(i, "laughs.env") && i.message.contains("grows past 16 MiB")),
        "{err}"
    );
}

// Each `${` used to search the rest of the line for a `}`: a 4 MB line took hours.
#[test]
fn a_dotenv_line_of_unclosed_references_is_read_in_linear_time() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "none")]
        name: String,
    }

    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        (
            "open.env",
            format!("APP_NAME={}}}\n", "${".repeat(2_000_000)),
        ),
        (
            "fallbacks.env",
            format!("APP_NAME={}\n", "${A:-".repeat(700_000)),
        ),
        (
            "invalid.env",
            format!("APP_NAME=\"{}}}\"\n", "${1:-".repeat(700_000)),
        ),
    ] {
        let file = write(dir.path(), name, text);
        // The text stays as it is (an invalid `${...}` is kept), and then is not a valid
        // reference for interpolation either: an `Invalid` issue, as quickly.
        let result = within(20, name, move || {
            S::loader()
                .env_vars(NO_ENV)
                .env_file(&file)
                .load()
                .map(|s| s.name.len())
        });
        if let Err(err) = result {
            let i = only(&err);
            assert_eq!(
                (i.path.as_str(), i.kind),
                ("name", IssueKind::Invalid),
                "{name}"
            );
            assert!(i.message.chars().count() <= 1000);
        }
    }
}
