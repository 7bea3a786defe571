//! `ENC[age:<base64>]` values and `*.age` files: decrypted at load with age X25519 identities,
//! and secret from then on.
//!
//! - **Where the identities come from.** `{env_prefix}AGE_KEY` (one or more `AGE-SECRET-KEY-1…`
//!   lines), `{env_prefix}AGE_KEY_FILE` (a file as `age-keygen` writes it, `#` comments allowed),
//!   `Loader::age_identity` (repeatable) and `Loader::age_identity_file`. The environment is the
//!   one the load uses (the process's, or `Loader::env_vars`). Every identity found is tried, so
//!   values encrypted to different recipients can sit side by side. They are read once per load,
//!   and only when an encrypted value or file is there: a load without one never touches a key.
//!   A key file that group or others can read is a warning in the report.
//! - **Values.** After every source is merged and before `${...}` references are resolved, each
//!   string of the tree that starts with `ENC[age:` (surrounding whitespace aside) is decoded
//!   (the standard base64 alphabet, padding optional, whitespace ignored), decrypted and put back
//!   as text, turned into the field's type like any text (an encrypted `u16` port works), under a
//!   new origin labelled `"<origin> (decrypted)"` that is secret: masked in reports and errors.
//!   A reference to it therefore sees the plaintext and is secret too. The plaintext is literal:
//!   a `${` in it is not a reference.
//! - **Files.** A file named `name.ext.age` is read as bytes, decrypted (binary or ASCII-armored,
//!   `age -a`) and then parsed in the format of `name.ext`; its profile file is
//!   `name.<profile>.ext.age`, and every value in it is secret.
//! - **Failures.** A malformed `ENC[age:…]`, a payload that no identity opens, a corrupted or
//!   truncated payload, or an encrypted value with no identity configured is an `Invalid` issue
//!   at the field (which is then taken out of the tree, so it is not also missing); for a file it
//!   is a `Source` issue naming the file. The literal text is never passed through, and no issue
//!   holds the plaintext or a key: messages are ours, never the age crate's or a parser's echo of
//!   the input. Decrypted buffers and key text we own are wiped on drop ([`Zeroizing`]).
//!
//! # The `age` cargo feature
//!
//! Decryption needs the `age` crate (0.12, X25519 only: no plugins, no SSH keys, no async), about
//! 28 s of a clean build (about 125 crates), so it sits behind the feature `age` of settings-core,
//! opt-in like every feature but the derive (API.md "Crates"). The detection of `ENC[age:`
//! values and `*.age` files stays outside the feature: built without it, a load that meets one
//! fails with an issue naming the feature to enable, rather than using the literal text.
//! Passphrase-encrypted payloads (`age -p`) are refused with a clear issue: a passphrase has no
//! place in the contract's sources, and scrypt at the CLI's work factor costs a second per value.

use crate::error::IssueKind;
use crate::layer::Problems;
use crate::meta::StructMeta;
use crate::origin::{Origin, OriginId, Origins, mark_holders_secret};
use crate::providers::env::EnvInput;
use crate::tree::{Node, Table, Value, dotted, field_keys, find_strings, locate};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// What every encrypted value starts with.
pub(crate) const PREFIX: &str = "ENC[age:";

/// Whether a string is an encrypted value (one that must be decrypted, never used as it is).
pub(crate) fn is_encrypted(text: &str) -> bool {
    text.trim_start().starts_with(PREFIX)
}

/// The names of the two variables that give identities: `{prefix}AGE_KEY`, `{prefix}AGE_KEY_FILE`.
pub(crate) fn key_vars(meta: &StructMeta) -> [String; 2] {
    let prefix = meta.env_prefix.unwrap_or("");
    [format!("{prefix}AGE_KEY"), format!("{prefix}AGE_KEY_FILE")]
}

/// Where the age identities of a load may come from: what the loader was given and the two
/// variables of the environment the load uses. The pipeline gathers them; nothing is read
/// until [`Keys::ring`] is first asked.
pub(crate) struct KeySources<'a> {
    /// `Loader::age_identity` texts, in call order.
    pub(crate) given: &'a [Zeroizing<String>],
    /// `Loader::age_identity_file` paths, in call order.
    pub(crate) files: &'a [PathBuf],
    /// The environment of the load, for `{prefix}AGE_KEY` and `{prefix}AGE_KEY_FILE`.
    pub(crate) env: &'a EnvInput,
    /// The settings type, whose prefix names those two variables (named only when needed: a
    /// load without encrypted values formats nothing).
    pub(crate) meta: &'a StructMeta,
    /// The largest key file read.
    pub(crate) max_file_size: u64,
}

impl<'a> KeySources<'a> {
    /// The sources of a settings type's load: `meta` names the variables.
    pub(crate) fn new(
        meta: &'a StructMeta,
        given: &'a [Zeroizing<String>],
        files: &'a [PathBuf],
        env: &'a EnvInput,
        max_file_size: u64,
    ) -> Self {
        KeySources {
            given,
            files,
            env,
            meta,
            max_file_size,
        }
    }
}

/// The identities of one load, read the first time an encrypted value or file needs them: a
/// load without one never touches a key.
pub(crate) struct Keys<'a> {
    sources: KeySources<'a>,
    ring: Option<Keyring>,
    /// What reading the identities found wrong: unreadable key files, lines that are no key.
    pub(crate) problems: Problems,
}

impl<'a> Keys<'a> {
    pub(crate) fn new(sources: KeySources<'a>) -> Self {
        Keys {
            sources,
            ring: None,
            problems: Problems::default(),
        }
    }

    /// The keyring, read on the first call. Without the `age` feature nothing is read: nothing
    /// could be decrypted with it.
    pub(crate) fn ring(&mut self) -> &Keyring {
        let Keys {
            sources,
            ring,
            problems,
        } = self;
        ring.get_or_insert_with(|| {
            if cfg!(feature = "age") {
                Keyring::load(sources, problems)
            } else {
                Keyring::empty(key_vars(sources.meta))
            }
        })
    }
}

/// The age identities of one load.
pub(crate) struct Keyring {
    /// Some source of identities is configured (even one that could not be read).
    configured: bool,
    /// The variables that give identities, for messages.
    vars: [String; 2],
    #[cfg(feature = "age")]
    identities: Vec<age::x25519::Identity>,
}

/// Why a payload could not be opened. Never carries any of the payload, plaintext or key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "age"), allow(dead_code))]
enum Failure {
    /// Not `ENC[age:<base64>]`.
    Malformed(&'static str),
    /// Built without the `age` feature.
    #[cfg_attr(feature = "age", allow(dead_code))]
    Unsupported,
    /// No identity configured (`configured`: some source was given but held no usable identity).
    NoIdentity { configured: bool },
    /// No identity opens it.
    NoMatch { tried: usize },
    /// Encrypted to a passphrase.
    Passphrase,
    /// Not an age payload at all, or its header is cut short.
    NotAge,
    /// The header or the payload does not authenticate.
    Corrupted,
    /// A value's plaintext is not UTF-8.
    NotText,
}

impl Failure {
    /// A sentence about `what` ("the value of `db.password`", "the file a.toml.age").
    fn describe(&self, what: &str, key_vars: &[String; 2]) -> String {
        let [key, key_file] = key_vars;
        match self {
            Failure::Malformed(why) => {
                format!("{what} is not a valid `ENC[age:<base64>]` value: {why}")
            }
            Failure::Unsupported => format!(
                "{what} is encrypted with age, but settings-core was built without the `age` \
                 feature; enable it to decrypt"
            ),
            Failure::NoIdentity { configured: false } => format!(
                "{what} is encrypted with age, but no age identity is configured; set {key} or \
                 {key_file}, or call `Loader::age_identity`"
            ),
            Failure::NoIdentity { configured: true } => format!(
                "{what} is encrypted with age, but no age identity could be read (see the issues \
                 about {key} / {key_file} / the key files)"
            ),
            Failure::NoMatch { tried: 1 } => format!(
                "{what} cannot be decrypted: the configured age identity does not open it (it \
                 was encrypted to another recipient)"
            ),
            Failure::NoMatch { tried } => format!(
                "{what} cannot be decrypted: none of the {tried} configured age identities \
                 opens it (it was encrypted to other recipients)"
            ),
            Failure::Passphrase => format!(
                "{what} is encrypted with a passphrase (`age -p`); only identities are \
                 supported: encrypt it with `age -r <recipient>`"
            ),
            Failure::NotAge => format!("{what} is not an age payload, or it is truncated"),
            Failure::NotText => format!("{what} decrypts to bytes that are not UTF-8 text"),
            Failure::Corrupted => format!(
                "{what} cannot be decrypted: the payload is corrupted or truncated (it does not \
                 authenticate)"
            ),
        }
    }
}

/// The bytes of an `ENC[age:<base64>]` value.
#[cfg(feature = "age")]
fn payload(text: &str) -> Result<Vec<u8>, Failure> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const STANDARD: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let inner = text
        .trim()
        .strip_prefix(PREFIX)
        .ok_or(Failure::Malformed("it does not start with `ENC[age:`"))?
        .strip_suffix(']')
        .ok_or(Failure::Malformed("it does not end with `]`"))?;
    let compact: String = inner.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return Err(Failure::Malformed("the payload is empty"));
    }
    STANDARD.decode(compact).map_err(|_| {
        Failure::Malformed("the payload is not valid base64 (the standard alphabet, `+` and `/`)")
    })
}

/// Decrypts an age payload (binary or armored) with the first identity that opens it.
#[cfg(feature = "age")]
fn decrypt(payload: &[u8], keyring: &Keyring) -> Result<Zeroizing<Vec<u8>>, Failure> {
    use std::io::Read as _;
    if keyring.identities.is_empty() {
        return Err(Failure::NoIdentity {
            configured: keyring.configured,
        });
    }
    let reader = age::armor::ArmoredReader::new(payload);
    let decryptor = age::Decryptor::new_buffered(reader).map_err(|_| Failure::NotAge)?;
    if decryptor.is_scrypt() {
        return Err(Failure::Passphrase);
    }
    let identities = keyring.identities.iter().map(|i| i as &dyn age::Identity);
    let mut stream = decryptor.decrypt(identities).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => Failure::NoMatch {
            tried: keyring.identities.len(),
        },
        age::DecryptError::UnknownFormat | age::DecryptError::InvalidHeader => Failure::NotAge,
        _ => Failure::Corrupted,
    })?;
    // The plaintext is shorter than the payload: no reallocation leaves a copy behind.
    let mut plain = Zeroizing::new(Vec::with_capacity(payload.len()));
    stream
        .read_to_end(&mut plain)
        .map_err(|_| Failure::Corrupted)?;
    Ok(plain)
}

#[cfg(not(feature = "age"))]
fn decrypt_value(_: &str, _: &Keyring) -> Result<Zeroizing<String>, Failure> {
    Err(Failure::Unsupported)
}

/// The plaintext of an `ENC[age:…]` value, as text.
#[cfg(feature = "age")]
fn decrypt_value(text: &str, keyring: &Keyring) -> Result<Zeroizing<String>, Failure> {
    let payload = payload(text)?;
    let plain = decrypt(&payload, keyring)?;
    match std::str::from_utf8(&plain) {
        Ok(s) => Ok(Zeroizing::new(s.to_owned())),
        Err(_) => Err(Failure::NotText),
    }
}

/// Key text from one source: where it came from (the issue's origin) and what to call it.
struct KeyText {
    origin: Origin,
    what: String,
    text: Zeroizing<String>,
}

impl Keyring {
    /// A keyring with no identity.
    pub(crate) fn empty(vars: [String; 2]) -> Self {
        Keyring {
            configured: false,
            vars,
            #[cfg(feature = "age")]
            identities: Vec::new(),
        }
    }

    /// Reads every identity of `sources`; what cannot be read is a problem, never a panic.
    pub(crate) fn load(sources: &KeySources<'_>, problems: &mut Problems) -> Self {
        let mut ring = Keyring::empty(key_vars(sources.meta));
        let [key_var, file_var] = ring.vars.clone();
        let mut texts: Vec<KeyText> = Vec::new();
        for (n, key) in sources.given.iter().enumerate() {
            texts.push(KeyText {
                origin: Origin::AgeIdentity { call: n + 1 },
                what: format!("key given to `Loader::age_identity` (call {})", n + 1),
                text: key.clone(),
            });
        }
        // An empty variable is unset (as `KEY=` in a compose file means).
        let var = |name: &str| sources.env.get(name).filter(|v| !v.trim().is_empty());
        if let Some(key) = var(&key_var) {
            texts.push(KeyText {
                origin: Origin::EnvVar {
                    name: key_var.clone(),
                },
                what: format!("env var {key_var}"),
                text: Zeroizing::new(key),
            });
        }
        let mut files: Vec<(PathBuf, Origin)> = sources
            .files
            .iter()
            .map(|p| (p.clone(), Origin::AgeKeyFile { path: p.clone() }))
            .collect();
        if let Some(path) = var(&file_var) {
            let origin = Origin::EnvVar {
                name: file_var.clone(),
            };
            files.push((path.into(), origin));
        }
        ring.configured = !texts.is_empty() || !files.is_empty();
        for (path, origin) in files {
            let what = format!("age key file {}", path.display());
            match crate::providers::file::read_text(&path, sources.max_file_size) {
                Ok(Some(text)) => {
                    warn_if_readable(&path, &mut problems.warnings);
                    let text = Zeroizing::new(text);
                    texts.push(KeyText { origin, what, text });
                }
                Ok(None) => problems.source(origin, format!("the {what} does not exist")),
                Err(why) => problems.source(origin, format!("the {what} {why}")),
            }
        }
        for key in &texts {
            ring.parse_keys(key, problems);
        }
        ring
    }

    /// Adds the identities in a key text (`AGE-SECRET-KEY-1…` lines; blank and `#` lines
    /// skipped); a line that is not one is an issue naming its number, never its text.
    fn parse_keys(&mut self, key: &KeyText, problems: &mut Problems) {
        let KeyText { origin, what, text } = key;
        let (mut found, mut bad) = (0, 0);
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let problem = if line.starts_with("AGE-PLUGIN-") {
                Some("is an age plugin identity, which is not supported".to_owned())
            } else {
                match self.add_identity(line) {
                    Ok(()) => {
                        found += 1;
                        None
                    }
                    Err(why) => Some(format!(
                        "is not an age identity (`AGE-SECRET-KEY-1…`): {why}"
                    )),
                }
            };
            if let Some(problem) = problem {
                bad += 1;
                problems.source(
                    origin.clone(),
                    format!("line {} of the {what} {problem}", n + 1),
                );
            }
        }
        if found == 0 && bad == 0 {
            problems.source(origin.clone(), format!("the {what} holds no age identity"));
        }
    }

    #[cfg(feature = "age")]
    fn add_identity(&mut self, line: &str) -> Result<(), &'static str> {
        let identity = line.parse::<age::x25519::Identity>()?;
        self.identities.push(identity);
        Ok(())
    }

    /// Without the `age` feature no key is read (nothing can be decrypted); this keeps the form
    /// check.
    #[cfg(not(feature = "age"))]
    fn add_identity(&mut self, line: &str) -> Result<(), &'static str> {
        if line.starts_with("AGE-SECRET-KEY-1") {
            Ok(())
        } else {
            Err("it does not start with `AGE-SECRET-KEY-1`")
        }
    }
}

/// A warning when group or others may read a key file.
fn warn_if_readable(path: &Path, warnings: &mut Vec<String>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                warnings.push(format!(
                    "the age key file {} can be read by group or others (mode {mode:o}); \
                     restrict it with `chmod 600 {}`",
                    path.display(),
                    path.display()
                ));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (path, warnings);
}

/// The decryption pass: every `ENC[age:…]` string of the tree decrypted in place, with the
/// identities of `ring`. A value that cannot be decrypted is an issue at its field, which is
/// taken out of the tree (rejected: not also missing).
pub(crate) fn decrypt_tree(tree: &mut Table, ring: &Keyring, origins: &mut Origins) -> Problems {
    let mut problems = Problems::default();
    for location in find_strings(tree, &is_encrypted) {
        // A failure earlier in the same field took the field out: nothing left to do here.
        let Some(value) = locate(tree, &location) else {
            continue;
        };
        let path = dotted(&location);
        let (Node::Text(text) | Node::Str(text)) = &value.node else {
            continue;
        };
        match decrypt_value(text, ring) {
            Ok(plain) => {
                let from = Box::new(origins.get(value.origin).origin.clone());
                let origin: OriginId = origins.add(Origin::Decrypted { from }, true);
                // Literal text: a `${` in a secret is not a reference (`$${` reads as `${`).
                *value = Value::new(Node::Text(plain.replace("${", "$${")), origin);
                mark_holders_secret(tree, &location, origins);
            }
            Err(failure) => {
                let origin = origins.get(value.origin).origin.clone();
                let message = failure.describe(&format!("the value of `{path}`"), &ring.vars);
                problems
                    .issues
                    .push(path, IssueKind::Invalid, Some(origin), message);
                // The field is taken out of the tree and marked, so it is neither converted
                // nor reported missing.
                let keys = field_keys(&location);
                crate::tree::replace_path(tree, &keys, None);
                problems.rejected.push(keys.join("."));
            }
        }
    }
    problems
}

/// The plaintext of a whole `*.age` file, checked to be text; `Err` with the sentence of a
/// `Source` issue naming the file when it cannot be had.
pub(crate) fn open_file(
    path: &Path,
    bytes: &[u8],
    ring: &Keyring,
) -> Result<Zeroizing<String>, String> {
    let shown = path.display();
    let plain = open_bytes(bytes, ring)
        .map_err(|failure| failure.describe(&format!("the file {shown}"), &ring.vars))?;
    if let Err(why) = crate::providers::file::check_text(&plain) {
        return Err(format!("the file {shown} decrypts to something that {why}"));
    }
    Ok(Zeroizing::new(String::from_utf8_lossy(&plain).into_owned()))
}

#[cfg(feature = "age")]
fn open_bytes(bytes: &[u8], ring: &Keyring) -> Result<Zeroizing<Vec<u8>>, Failure> {
    decrypt(bytes, ring)
}

#[cfg(not(feature = "age"))]
fn open_bytes(_: &[u8], _: &Keyring) -> Result<Zeroizing<Vec<u8>>, Failure> {
    Err(Failure::Unsupported)
}

#[cfg(all(test, feature = "age"))]
mod tests {
    use super::*;

    fn keyring(identities: Vec<age::x25519::Identity>) -> Keyring {
        Keyring {
            configured: true,
            vars: ["APP_AGE_KEY".to_owned(), "APP_AGE_KEY_FILE".to_owned()],
            identities,
        }
    }

    fn b64(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn a_value_round_trips_with_or_without_padding_and_whitespace() {
        let id = age::x25519::Identity::generate();
        let payload = age::encrypt(&id.to_public(), b"hunter2").unwrap();
        let ring = keyring(vec![id]);
        let encoded = b64(&payload);
        let unpadded = encoded.trim_end_matches('=');
        let wrapped: String = encoded
            .as_bytes()
            .chunks(60)
            .map(|c| format!("{}\n  ", std::str::from_utf8(c).unwrap()))
            .collect();
        for text in [
            format!("ENC[age:{encoded}]"),
            format!("ENC[age:{unpadded}]"),
            format!("  ENC[age:{wrapped}]\n"),
        ] {
            assert_eq!(decrypt_value(&text, &ring).unwrap().as_str(), "hunter2");
        }
    }

    #[test]
    fn malformed_values_say_what_is_wrong() {
        let ring = keyring(vec![age::x25519::Identity::generate()]);
        let cases = [
            ("ENC[age:abc", "it does not end with `]`"),
            ("ENC[age:  ]", "the payload is empty"),
            ("ENC[age:a-b_c]", "the payload is not valid base64"),
        ];
        for (text, why) in cases {
            match decrypt_value(text, &ring) {
                Err(Failure::Malformed(m)) => assert!(m.starts_with(why), "{m}"),
                other => panic!("{text}: {:?}", other.map(|_| ())),
            }
        }
        assert_eq!(
            decrypt_value(&format!("ENC[age:{}]", b64(b"not age")), &ring).map(|_| ()),
            Err(Failure::NotAge)
        );
    }

    #[test]
    fn the_identity_that_opens_it_is_found_among_several() {
        let (a, b) = (
            age::x25519::Identity::generate(),
            age::x25519::Identity::generate(),
        );
        let payload = age::encrypt(&b.to_public(), b"for b").unwrap();
        let text = format!("ENC[age:{}]", b64(&payload));
        let only_a = keyring(vec![a.clone()]);
        assert_eq!(
            decrypt_value(&text, &only_a).map(|_| ()),
            Err(Failure::NoMatch { tried: 1 })
        );
        let both = keyring(vec![a, b]);
        assert_eq!(decrypt_value(&text, &both).unwrap().as_str(), "for b");
        let none = Keyring::empty(Default::default());
        assert_eq!(
            decrypt_value(&text, &none).map(|_| ()),
            Err(Failure::NoIdentity { configured: false })
        );
    }

    #[test]
    fn armored_payloads_open_and_non_text_plaintext_is_refused() {
        let id = age::x25519::Identity::generate();
        let armored = age::encrypt_and_armor(&id.to_public(), b"a = 1\n").unwrap();
        let ring = keyring(vec![id.clone()]);
        assert_eq!(&decrypt(armored.as_bytes(), &ring).unwrap()[..], b"a = 1\n");
        let binary = age::encrypt(&id.to_public(), &[0xff, 0xfe]).unwrap();
        let text = format!("ENC[age:{}]", b64(&binary));
        assert_eq!(
            decrypt_value(&text, &ring).map(|_| ()),
            Err(Failure::NotText)
        );
    }

    #[test]
    fn passphrase_payloads_are_refused_before_any_work() {
        let mut recipient =
            age::scrypt::Recipient::new(age::secrecy::SecretString::from("pw".to_owned()));
        recipient.set_work_factor(2);
        let payload = age::encrypt(&recipient, b"x").unwrap();
        let ring = keyring(vec![age::x25519::Identity::generate()]);
        assert_eq!(
            decrypt(&payload, &ring).map(|_| ()),
            Err(Failure::Passphrase)
        );
    }

    #[test]
    fn messages_name_the_thing_and_the_variables() {
        let vars = ["APP_AGE_KEY".to_owned(), "APP_AGE_KEY_FILE".to_owned()];
        let m = Failure::NoIdentity { configured: false }.describe("the value of `x`", &vars);
        assert!(
            m.starts_with("the value of `x` is encrypted with age"),
            "{m}"
        );
        assert!(m.contains("APP_AGE_KEY or APP_AGE_KEY_FILE"), "{m}");
        let m = Failure::NoMatch { tried: 3 }.describe("the file a.toml.age", &vars);
        assert!(m.contains("none of the 3 configured age identities"), "{m}");
        let m = Failure::Unsupported.describe("the value of `x`", &vars);
        assert!(m.contains("built without the `age` feature"), "{m}");
    }
}

#[cfg(all(test, not(feature = "age")))]
mod tests_without_age {
    use super::*;

    #[test]
    fn without_the_feature_every_encrypted_value_is_refused() {
        assert!(is_encrypted(" ENC[age:abc]"));
        assert!(!is_encrypted("ENC[sops:abc]"));
        assert_eq!(
            decrypt_value("ENC[age:abc]", &Keyring::empty(Default::default())).map(|_| ()),
            Err(Failure::Unsupported)
        );
    }
}

#[cfg(all(test, feature = "age"))]
mod pass_tests {
    use super::*;
    use crate::testing::{APP, at, origins, tree};

    #[test]
    fn the_pass_decrypts_in_place_as_secret_and_rejects_what_it_cannot_open() {
        use age::secrecy::ExposeSecret as _;
        use base64::Engine as _;
        let id = age::x25519::Identity::generate();
        let key = Zeroizing::new(id.to_string().expose_secret().to_owned());
        let payload = age::encrypt(&id.to_public(), b"pw-${x}").unwrap();
        let enc = format!(
            "ENC[age:{}]",
            base64::engine::general_purpose::STANDARD.encode(payload)
        );
        let mut origins = origins();
        let file = origins.add(
            Origin::File {
                path: "a.toml".into(),
            },
            false,
        );
        let mut t = tree(
            serde_json::json!({"api_key": enc, "hosts": ["a", "ENC[age:!!]"], "name": "plain"}),
            file,
        );
        let env = EnvInput::Pairs(Vec::new());
        let given = [key];
        let mut keys = Keys::new(KeySources::new(&APP, &given, &[], &env, 1024));
        let problems = decrypt_tree(&mut t, keys.ring(), &mut origins);
        assert!(keys.problems.list().is_empty());
        // Literal: the `${` is escaped for the reference pass.
        assert_eq!(at(&t, "api_key").as_deref(), Some("pw-$${x}"));
        let api_key = crate::tree::get_path(&t, &["api_key"]).unwrap();
        assert_eq!(
            origins.get(api_key.origin).origin.to_string(),
            "file a.toml (decrypted)"
        );
        assert!(origins.get(api_key.origin).secret);
        let issues = problems.list();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].path, "hosts.1");
        assert_eq!(problems.rejected, ["hosts"]);
        assert!(at(&t, "hosts").is_none());
        assert_eq!(at(&t, "name").as_deref(), Some("plain"));
    }

    #[test]
    fn keys_are_read_once_and_their_problems_kept() {
        let env = EnvInput::Pairs(vec![("APP_AGE_KEY".into(), "not a key".into())]);
        let mut keys = Keys::new(KeySources::new(&APP, &[], &[], &env, 1024));
        assert!(keys.ring().configured);
        let _ = keys.ring();
        let issues = keys.problems.list();
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].origin.as_deref(), Some("env var APP_AGE_KEY"));
        assert!(!issues[0].message.contains("not a key"));
    }
}
