//! What the fuzz targets share: the settings types they load, and the checks every outcome of a
//! load must pass whatever the input (bounded messages, no secret in any output).
//!
//! A check that fails panics, and libFuzzer reports the input as a crash.
#![forbid(unsafe_code)]

use settings_core::{ByteSize, Error, Report, Secret, Settings};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// The longest message an issue may have, in characters (API.md, "Hostile and broken input").
pub const MESSAGE_MAX: usize = 1000;

/// A throwaway age identity, made for the fuzzer with `age-keygen` and used nowhere else.
pub const AGE_KEY: &str =
    "AGE-SECRET-KEY-1WNND8X5T3DD5A48QWND9W2WRH09XYF9DZENNC485DHJ9PZNZ2NRQ4KDJ4Q";

/// The plaintext of the payloads in the seed corpus of the `encrypted` target.
pub const AGE_PLAINTEXT: &str = "fz-plaintext-Hq3vNb";

/// Every text an error can show: `Display`, `Debug`, and each field of each issue.
pub fn error_texts(err: &Error) -> Vec<String> {
    let mut texts = vec![err.to_string(), format!("{err:?}")];
    for i in err.issues() {
        texts.push(i.path.clone());
        texts.push(i.message.clone());
        texts.extend(i.origin.clone());
        texts.push(i.to_string());
        texts.push(format!("{i:?}"));
    }
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        texts.push(s.to_string());
        source = s.source();
    }
    texts
}

/// Every text a report can show: `Display`, `Debug`, its JSON, its entries and warnings.
pub fn report_texts(report: &Report) -> Vec<String> {
    let mut texts = vec![
        report.to_string(),
        format!("{report:?}"),
        serde_json::to_string(report).expect("a report serializes"),
    ];
    for e in report.entries() {
        texts.push(e.value.clone());
        texts.extend(e.overrode.iter().cloned());
    }
    texts.extend(report.warnings().iter().cloned());
    texts
}

/// Checks a failed load: at least one issue, every message within [`MESSAGE_MAX`] characters,
/// and none of `secrets` in any text of the error.
pub fn check_error(err: &Error, secrets: &[&str]) {
    assert!(!err.issues().is_empty(), "an error without issues");
    for i in err.issues() {
        let n = i.message.chars().count();
        assert!(n <= MESSAGE_MAX, "a message of {n} characters: {i:?}");
        assert!(!i.message.is_empty(), "an empty message: {i:?}");
    }
    hidden(&error_texts(err), secrets, "the error");
}

/// Checks a report: none of `secrets` in any text of it.
pub fn check_report(report: &Report, secrets: &[&str]) {
    hidden(&report_texts(report), secrets, "the report");
}

/// The first of `secrets` that appears in any of `texts`, with the text.
pub fn first_shown<'a>(texts: &'a [String], secrets: &[&'a str]) -> Option<(&'a str, &'a str)> {
    secrets.iter().find_map(|secret| {
        texts
            .iter()
            .find(|t| t.contains(secret))
            .map(|t| (*secret, t.as_str()))
    })
}

/// Text of the same shape that shares no letter or digit with `s` at the same place: ASCII
/// letters and digits move one step (`a`→`b`, `z`→`a`, `9`→`0`), except in what gives the text
/// its meaning to the loader (an `ENC[age:` prefix, `${...}` references), kept as they are. A
/// secret fuzzers choose can be ordinary text of a message ("expected "): re-running a load
/// with the secrets rotated tells a leak (the text goes away) from words of the message (the
/// text stays).
pub fn rotate(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let lead = s.len() - s.trim_start().len();
    if s.trim_start().starts_with("ENC[age:") {
        let end = lead + "ENC[age:".len();
        out.push_str(&s[..end]);
        rest = &s[end..];
    }
    while !rest.is_empty() {
        if rest.starts_with("${") {
            let end = rest.find('}').map_or(rest.len(), |i| i + 1);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let c = rest.chars().next().expect("not empty");
        out.push(match c {
            'z' => 'a',
            'Z' => 'A',
            '9' => '0',
            c if c.is_ascii_alphanumeric() => char::from(c as u8 + 1),
            c => c,
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Panics if any of `secrets` appears in any of `texts`.
pub fn hidden(texts: &[String], secrets: &[&str], what: &str) {
    for secret in secrets {
        for text in texts {
            assert!(
                !text.contains(secret),
                "{what} shows the secret {secret:?}: {text}"
            );
        }
    }
}

/// The secrets among `candidates` worth checking: long enough not to be ordinary text, and not
/// also written by the fuzzer somewhere that is not secret, as it is or as a message or a JSON
/// report escapes it (`"\u{c}z-…"` is `"\fz-…"` in JSON).
pub fn checkable<'a>(candidates: &[&'a str], fuzzer_wrote: &[&str]) -> Vec<&'a str> {
    let escaped: Vec<String> = fuzzer_wrote
        .iter()
        .flat_map(|t| {
            [
                (*t).to_owned(),
                t.escape_debug().to_string(),
                t.escape_default().to_string(),
                serde_json::to_string(t).unwrap_or_default(),
            ]
        })
        .collect();
    candidates
        .iter()
        .copied()
        .filter(|s| s.chars().count() >= 8 && !escaped.iter().any(|t| t.contains(s)))
        .collect()
}

/// Splits a fuzz input into sections, each introduced by a line `%% <name>`: the seeds stay
/// readable files and mutations mostly keep their shape. Text before the first header is the
/// section `""`.
pub fn sections(data: &[u8]) -> Vec<(String, &[u8])> {
    let mut out: Vec<(String, &[u8])> = Vec::new();
    let mut name = String::new();
    let mut start = 0;
    let mut line_start = 0;
    loop {
        let line_end = data[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |p| line_start + p);
        if let Some(header) = data[line_start..line_end].strip_prefix(b"%% ") {
            // The body ends at the line break before the header.
            let body_end = line_start.saturating_sub(1).max(start);
            if !(name.is_empty() && body_end == start) {
                out.push((name, &data[start..body_end]));
            }
            name = String::from_utf8_lossy(header).trim().to_owned();
            start = (line_end + 1).min(data.len());
        }
        if line_end >= data.len() {
            break;
        }
        line_start = line_end + 1;
    }
    if !(name.is_empty() && start >= data.len()) {
        out.push((name, &data[start..]));
    }
    out
}

/// `NAME=value` lines as environment pairs (split at the first `=`; a line without one is a
/// name with an empty value), whatever their bytes.
pub fn env_lines(body: &[u8]) -> Vec<(std::ffi::OsString, std::ffi::OsString)> {
    use std::os::unix::ffi::OsStringExt as _;
    body.split(|&b| b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (name, value) = match line.iter().position(|&b| b == b'=') {
                Some(eq) => (&line[..eq], &line[eq + 1..]),
                None => (line, &b""[..]),
            };
            (
                std::ffi::OsString::from_vec(name.to_vec()),
                std::ffi::OsString::from_vec(value.to_vec()),
            )
        })
        .collect()
}

/// A serde enum, as users write one for a level or a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Everything.
    Debug,
    /// The usual.
    Info,
    /// Problems only.
    Warn,
}

/// A nested struct of [`Coerce`].
#[derive(Settings, Debug)]
pub struct CoerceDb {
    /// A URL.
    pub url: Option<String>,
    /// A number with a default.
    #[settings(default = 10)]
    pub pool_size: u32,
    /// A list of numbers.
    pub ports: Option<Vec<u16>>,
}

/// One field of each kind of type text can be turned into (the `coerce` target).
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
pub struct Coerce {
    /// `bool` words.
    pub flag: Option<bool>,
    /// Overflow at 255.
    pub tiny: Option<u8>,
    /// Signed.
    pub small: Option<i16>,
    /// A port.
    pub port: Option<u16>,
    /// Wide.
    pub big: Option<i64>,
    /// Wider.
    pub huge: Option<u128>,
    /// A float.
    pub ratio: Option<f64>,
    /// A float in f32.
    pub scale: Option<f32>,
    /// One character.
    pub letter: Option<char>,
    /// Text as it is.
    pub name: Option<String>,
    /// `30s`, `1h 30m`.
    pub timeout: Option<Duration>,
    /// `100 MB`, `2GiB`.
    pub size: Option<ByteSize>,
    /// An absolute URL.
    pub url: Option<url::Url>,
    /// An IP address.
    pub ip: Option<IpAddr>,
    /// A socket address.
    pub addr: Option<SocketAddr>,
    /// A path.
    pub dir: Option<PathBuf>,
    /// A comma list or a JSON array.
    pub hosts: Option<Vec<String>>,
    /// Numbers in a list.
    pub ports: Option<Vec<u16>>,
    /// A list with another separator.
    #[settings(separator = ":")]
    pub paths: Option<Vec<PathBuf>>,
    /// A map (JSON).
    pub labels: Option<HashMap<String, u32>>,
    /// A map of lists.
    pub limits: Option<BTreeMap<String, Vec<u16>>>,
    /// A set.
    pub tags: Option<BTreeSet<String>>,
    /// An enum.
    pub level: Option<Level>,
    /// Enums in a list.
    pub levels: Option<Vec<Level>>,
    /// A typed secret.
    pub pin: Option<Secret<u32>>,
    /// A text secret.
    pub token: Option<Secret<String>>,
    /// Durations in a list.
    pub backoff: Option<Vec<Duration>>,
    /// With validators.
    #[settings(default = 5, range(min = 1, max = 100))]
    pub workers: u32,
    /// A regex.
    #[settings(regex = "^[a-z][a-z0-9-]*$")]
    pub slug: Option<String>,
    /// One of a list.
    #[settings(one_of = ["a", "b", "c"])]
    pub mode: Option<String>,
    /// Length bounds.
    #[settings(len(min = 1, max = 3))]
    pub short: Option<Vec<String>>,
    /// A nested struct (a JSON object, or `APP_DB__...`).
    #[settings(nested)]
    pub db: CoerceDb,
}

/// The variable names of [`Coerce`], for the fuzzer to pick from.
pub const COERCE_VARS: &[&str] = &[
    "APP_FLAG",
    "APP_TINY",
    "APP_SMALL",
    "APP_PORT",
    "APP_BIG",
    "APP_HUGE",
    "APP_RATIO",
    "APP_SCALE",
    "APP_LETTER",
    "APP_NAME",
    "APP_TIMEOUT",
    "APP_SIZE",
    "APP_URL",
    "APP_IP",
    "APP_ADDR",
    "APP_DIR",
    "APP_HOSTS",
    "APP_PORTS",
    "APP_PATHS",
    "APP_LABELS",
    "APP_LIMITS",
    "APP_TAGS",
    "APP_LEVEL",
    "APP_LEVELS",
    "APP_PIN",
    "APP_TOKEN",
    "APP_BACKOFF",
    "APP_WORKERS",
    "APP_SLUG",
    "APP_MODE",
    "APP_SHORT",
    "APP_DB",
    "APP_DB__URL",
    "APP_DB__POOL_SIZE",
    "APP_DB__PORTS",
];

/// The nested struct of [`Names`].
#[derive(Settings, Debug)]
pub struct NamesDb {
    /// Derived name `APP_DB__POOL_SIZE`.
    pub pool_size: Option<String>,
    /// Explicit names first.
    #[settings(env = "DATABASE_URL", env = "DB_URL")]
    pub url: Option<String>,
    /// Only its explicit name.
    #[settings(env = "DB_REPLICA", env_only)]
    pub replica: Option<String>,
    /// Renamed.
    #[settings(rename = "user-name")]
    pub user: Option<String>,
}

/// Environment-name mapping: a prefix, a nested struct, explicit and renamed names, any case.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_", deny_unknown_env)]
pub struct Names {
    /// `APP_PORT`.
    pub port: Option<String>,
    /// `APP_LOG_LEVEL`: an underscore inside a name, next to the `__` delimiter.
    pub log_level: Option<String>,
    /// `APP_LOG`: a prefix of another name.
    pub log: Option<String>,
    /// Explicit name without the prefix.
    #[settings(env = "API_KEY")]
    pub api_key: Option<String>,
    /// `APP_DB`, `APP_DB__POOL_SIZE`, ...
    #[settings(nested)]
    pub db: NamesDb,
}

/// Case-sensitive names with another delimiter.
#[derive(Settings, Debug)]
#[settings(env_prefix = "Svc_", env_nested_delimiter = "_X_", case_sensitive)]
pub struct ExactNames {
    /// `Svc_PORT`.
    pub port: Option<String>,
    /// `Svc_DB_X_POOL_SIZE`, ...
    #[settings(nested)]
    pub db: NamesDb,
}

/// Fields an `ENC[age:...]` value may sit in (the `encrypted` target).
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
pub struct Encrypted {
    /// A text secret.
    pub token: Option<Secret<String>>,
    /// A number.
    pub port: Option<u16>,
    /// Plain text.
    pub name: Option<String>,
    /// A list.
    pub hosts: Option<Vec<String>>,
}

/// The nested struct of [`App`].
#[derive(Settings, Debug)]
pub struct AppDb {
    /// An URL with a default.
    #[settings(default = "postgres://localhost/app", url)]
    pub url: String,
    /// A bounded number.
    #[settings(default = 10, range(min = 1, max = 1000))]
    pub pool_size: u32,
    /// A plain secret (masked in errors and reports, not in `Debug`).
    #[settings(secret)]
    pub password: Option<String>,
    /// Replica hosts.
    #[settings(default = [])]
    pub replicas: Vec<String>,
}

/// The settings of the whole-load target: files, env file, secrets dir, environment.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
pub struct App {
    /// A port.
    #[settings(default = 8000, range(min = 1))]
    pub port: u16,
    /// A bounded name.
    #[settings(default = "svc", len(min = 1, max = 64))]
    pub name: String,
    /// A typed secret.
    pub api_key: Option<Secret<String>>,
    /// A typed secret number.
    pub pin: Option<Secret<u32>>,
    /// A nested struct.
    #[settings(nested)]
    pub db: AppDb,
    /// A list.
    #[settings(default = [])]
    pub hosts: Vec<String>,
    /// A duration.
    #[settings(default = "30s")]
    pub timeout: Duration,
    /// A size.
    #[settings(default = "1MiB")]
    pub limit: ByteSize,
    /// A map.
    pub labels: Option<BTreeMap<String, String>>,
    /// A boolean.
    pub debug: Option<bool>,
    /// An enum.
    pub level: Option<Level>,
    /// A list that grows across sources.
    #[settings(extend, default = [])]
    pub plugins: Vec<String>,
}

/// The secrets-dir files of the whole-load target, each holding a marker value.
pub const APP_SECRETS: &[(&str, &str)] = &[
    ("api_key", "fz-secret-api-key-Zq8pXw"),
    ("db__password", "fz-secret-db-pw-Lr4mKc"),
    ("pin", "fz-secret-pin-not-a-number-Tb2y"),
];
