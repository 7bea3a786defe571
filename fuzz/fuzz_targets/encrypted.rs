//! `ENC[age:...]` values and `*.age` files, through the public API: arbitrary payloads (text
//! after the prefix, arbitrary bytes in base64, any text at all, a whole encrypted file), with no
//! identity, the identity given in several ways, or a broken key beside it. No panic; an
//! encrypted value that does not open is an `Invalid` issue at its field, a file a `Source`
//! issue, never the literal text passed through; the key and the plaintexts are never shown.
#![no_main]

use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use settings_core::{IssueKind, Settings};
use settings_fuzz::{check_error, check_report, checkable, Encrypted, AGE_KEY, AGE_PLAINTEXT};
use std::path::PathBuf;
use std::sync::OnceLock;

const FIELDS: &[(&str, &str)] = &[
    ("APP_TOKEN", "token"),
    ("APP_PORT", "port"),
    ("APP_NAME", "name"),
    ("APP_HOSTS", "hosts"),
];

/// An identity that opens none of the payloads of the seed corpus.
const OTHER_KEY: &str =
    "AGE-SECRET-KEY-126JP3TRVQQHXK64JGHYJVX65NH00WX8YVCAKCYNT47TMTVP3NX0QANA8WN";

/// The token inside the encrypted TOML file of the seed corpus.
const FILE_TOKEN: &str = "fz-file-token-Wd7sJk";

/// What the body of the input is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Payload {
    /// `ENC[age:<body>]`.
    Text,
    /// `ENC[age:<base64 of the body>]`, optionally wrapped over lines.
    Bytes { wrap: bool },
    /// The body as the value, encrypted-looking or not.
    Raw,
    /// The body is a whole `settings.toml.age` file.
    File,
}

/// Where the identity comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Identity {
    None,
    Loader,
    EnvKey,
    /// The key variable with a broken line before the good key.
    EnvKeyAfterJunk,
    KeyFile,
    /// An identity that opens nothing of ours.
    Other,
}

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let key = dir.path().join("key.txt");
        std::fs::write(&key, format!("# created by the fuzzer\n{AGE_KEY}\n")).expect("key file");
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        dir
    })
}

// The input: a line `%% <identity> <field> <payload> [wrap] [explain]`, then the body.
// identity: none, loader, env, junk, keyfile, other; field: token, port, name, hosts;
// payload: enc (`ENC[age:<body>]`), b64 (`ENC[age:<base64 of body>]`), raw, file (a `.age` file).
fuzz_target!(|data: &[u8]| {
    let sections = settings_fuzz::sections(data);
    let Some((header, body)) = sections.first() else {
        return;
    };
    let words: Vec<&str> = header.split_whitespace().collect();
    let has = |w: &str| words.contains(&w);
    let identity = [
        ("loader", Identity::Loader),
        ("env", Identity::EnvKey),
        ("junk", Identity::EnvKeyAfterJunk),
        ("keyfile", Identity::KeyFile),
        ("other", Identity::Other),
    ]
    .into_iter()
    .find(|(w, _)| has(w))
    .map_or(Identity::None, |(_, i)| i);
    let payload = if has("b64") {
        Payload::Bytes { wrap: has("wrap") }
    } else if has("raw") {
        Payload::Raw
    } else if has("file") {
        Payload::File
    } else {
        Payload::Text
    };
    let (var, path) = FIELDS
        .iter()
        .copied()
        .find(|(_, f)| has(f))
        .unwrap_or(FIELDS[0]);
    let explain = has("explain");
    let text = String::from_utf8_lossy(body).into_owned();

    let mut loader = Encrypted::loader();
    let mut env: Vec<(String, String)> = Vec::new();
    let mut wrote: Vec<String> = Vec::new();
    let mut file: Option<PathBuf> = None;
    let value = match payload {
        Payload::Text => Some(format!("ENC[age:{text}]")),
        Payload::Bytes { wrap } => {
            let mut encoded = base64::engine::general_purpose::STANDARD.encode(body);
            if wrap {
                encoded = encoded
                    .as_bytes()
                    .chunks(64)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect::<Vec<_>>()
                    .join("\n ");
            }
            Some(format!("ENC[age:{encoded}]"))
        }
        Payload::Raw => Some(text.clone()),
        Payload::File => {
            let p = dir().path().join("settings.toml.age");
            std::fs::write(&p, body).expect("write the file");
            loader = loader.file(&p);
            file = Some(p);
            None
        }
    };
    wrote.push(text);
    if let Some(v) = &value {
        env.push((var.to_owned(), v.clone()));
        wrote.push(v.clone());
    }
    match identity {
        Identity::None => {}
        Identity::Loader => loader = loader.age_identity(AGE_KEY),
        Identity::EnvKey => env.push(("APP_AGE_KEY".to_owned(), AGE_KEY.to_owned())),
        Identity::EnvKeyAfterJunk => env.push((
            "APP_AGE_KEY".to_owned(),
            format!("AGE-SECRET-KEY-1NOTAKEY\n{AGE_KEY}"),
        )),
        Identity::KeyFile => loader = loader.age_identity_file(dir().path().join("key.txt")),
        Identity::Other => loader = loader.age_identity(OTHER_KEY),
    }
    let fuzzed: Vec<&str> = wrote.iter().map(String::as_str).collect();
    let secrets = checkable(&[AGE_KEY, OTHER_KEY, AGE_PLAINTEXT, FILE_TOKEN], &fuzzed);
    let loader = loader.env_vars(env);

    if explain {
        match loader.explain() {
            Ok(report) => check_report(&report, &secrets),
            Err(err) => check_error(&err, &secrets),
        }
        return;
    }
    let encrypted = value
        .as_deref()
        .is_some_and(|v| v.trim_start().starts_with("ENC[age:"));
    match loader.load() {
        Ok(s) => {
            if encrypted {
                // Only a payload that opens loads, and never as its literal text.
                assert!(
                    !matches!(identity, Identity::None | Identity::Other),
                    "an encrypted value loaded without the identity"
                );
                let literal = value.as_deref().unwrap_or_default();
                assert_ne!(
                    s.name.as_deref(),
                    Some(literal),
                    "the literal passed through"
                );
                if let Some(token) = &s.token {
                    assert_ne!(token.expose_secret(), literal, "the literal passed through");
                }
            }
        }
        Err(err) => {
            check_error(&err, &secrets);
            if encrypted {
                assert!(
                    err.issues()
                        .iter()
                        .any(|i| (i.path == path && i.kind == IssueKind::Invalid)
                            || i.kind == IssueKind::Source),
                    "no issue at {path}: {err}"
                );
            }
            if let Some(p) = &file {
                let shown = p.display().to_string();
                for i in err.issues().iter().filter(|i| i.kind == IssueKind::Source) {
                    let text = i.to_string();
                    assert!(
                        ["AGE_KEY", "age key file", "age_identity", shown.as_str()]
                            .iter()
                            .any(|n| text.contains(n)),
                        "a Source issue that names neither the file nor a key: {err}"
                    );
                }
            }
        }
    }
});
