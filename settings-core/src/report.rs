//! `explain()`: where every value came from, secrets masked.

use crate::origin::Origin;
use serde::ser::{SerializeStruct, Serializer};
use std::fmt;

/// Where every setting's value came from: one [`Entry`] per leaf, in field order, unset
/// `Option`s included, secrets masked. `Display` prints a table; `Serialize` gives the same
/// (masked) data, for a JSON log line.
///
/// ```
/// use settings_core::Settings;
///
/// #[derive(Settings)]
/// #[settings(env_prefix = "APP_")]
/// struct App {
///     #[settings(default = 8000)]
///     port: u16,
///     api_key: settings_core::Secret<String>,
/// }
///
/// let report = App::loader()
///     .env_vars([("APP_API_KEY", "hunter2")])
///     .explain()
///     .unwrap();
/// assert_eq!(report.get("port").unwrap().origin, "default");
/// assert_eq!(report.get("api_key").unwrap().origin, "env var APP_API_KEY");
/// assert!(!report.to_string().contains("hunter2"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub(crate) entries: Vec<Entry>,
    pub(crate) unknown_env: Vec<String>,
    pub(crate) warnings: Vec<String>,
    pub(crate) profile: Option<String>,
    pub(crate) sources: Vec<String>,
}

/// One setting in a [`Report`].
///
/// ```
/// use settings_core::Settings;
///
/// #[derive(Settings)]
/// struct App {
///     #[settings(default = "info")]
///     level: String,
/// }
///
/// let report = App::loader().env_vars([("LEVEL", "debug")]).explain().unwrap();
/// let entry = report.get("level").unwrap();
/// assert_eq!((entry.value.as_str(), entry.origin.as_str()), ("debug", "env var LEVEL"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Entry {
    /// The dotted path: `db.pool_size`.
    pub path: String,
    /// The value as text, `**********` when secret.
    pub value: String,
    /// Where it came from: `env var APP_PORT`, `file config/app.toml`, `default`, `unset`.
    pub origin: String,
    /// The same as a value to match on; `None` for an unset `Option` (`origin` reads `unset`).
    pub source: Option<Origin>,
    /// Whether the value is secret (by type, attribute or source).
    pub secret: bool,
    /// What the value replaced, lowest precedence first, each as `value (origin)`: the default
    /// and the lower sources that also set it (masked like the value).
    pub overrode: Vec<String>,
}

impl Report {
    /// Every leaf, in field order.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// struct App { #[settings(default = 1)] a: u8, b: Option<u8> }
    /// let report = App::loader().env_vars([("A", "2")]).explain().unwrap();
    /// let paths: Vec<_> = report.entries().iter().map(|e| e.path.as_str()).collect();
    /// assert_eq!(paths, ["a", "b"]);
    /// ```
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// A fingerprint of the settings: 64 lower-case hex digits, SHA-256 over the sorted (path,
    /// value) pairs of the non-secret settings and the (path, origin) pairs of the secret ones.
    /// The same settings give the same fingerprint in every process; a secret's value never goes
    /// into it (a changed secret shows only if its origin changes). Log it at startup to tell at a
    /// glance whether two instances run with the same settings.
    ///
    /// ```
    /// # use settings_core::{Secret, Settings};
    /// #[derive(Settings)]
    /// struct App { #[settings(default = 8000)] port: u16, token: Secret<String> }
    ///
    /// let report = |vars: [(&str, &str); 2]| App::loader().env_vars(vars).explain().unwrap();
    /// let a = report([("PORT", "8080"), ("TOKEN", "one")]).fingerprint();
    /// assert_eq!(a.len(), 64);
    /// assert!(a.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    /// assert_eq!(a, report([("PORT", "8080"), ("TOKEN", "two")]).fingerprint());
    /// assert_ne!(a, report([("PORT", "9090"), ("TOKEN", "one")]).fingerprint());
    /// ```
    pub fn fingerprint(&self) -> String {
        use sha2::Digest as _;
        let mut pairs: Vec<(&str, u8, &str)> = self
            .entries
            .iter()
            .map(|e| match e.secret {
                true => (e.path.as_str(), b'o', e.origin.as_str()),
                false => (e.path.as_str(), b'v', e.value.as_str()),
            })
            .collect();
        pairs.sort_unstable();
        let mut hash = sha2::Sha256::new();
        // Each text after its length: no two lists of pairs write the same bytes.
        for (path, kind, text) in pairs {
            hash.update((path.len() as u64).to_le_bytes());
            hash.update(path.as_bytes());
            hash.update([kind]);
            hash.update((text.len() as u64).to_le_bytes());
            hash.update(text.as_bytes());
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The entry of a dotted path.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// struct App { b: Option<u8> }
    /// let report = App::loader().env_vars([("X", "1")]).explain().unwrap();
    /// assert_eq!(report.get("b").unwrap().origin, "unset");
    /// assert!(report.get("c").is_none());
    /// ```
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.path == path)
    }

    /// Environment variables that carry the prefix but set no field (likely typos).
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { #[settings(default = 1)] port: u16 }
    /// let report = App::loader().env_vars([("APP_PROT", "1")]).explain().unwrap();
    /// assert_eq!(report.unknown_env(), ["APP_PROT"]);
    /// ```
    pub fn unknown_env(&self) -> &[String] {
        &self.unknown_env
    }

    /// Things worth a look that are not errors: prefixed variables that set nothing (with the
    /// closest real name), an active profile that no source mentions.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { #[settings(default = 1)] port: u16 }
    /// let report = App::loader().env_vars([("APP_PROT", "1")]).profile("prdo").explain().unwrap();
    /// let warnings = report.warnings();
    /// assert!(warnings.iter().any(|w| w.contains("did you mean APP_PORT?")));
    /// assert!(warnings.iter().any(|w| w.contains("profile `prdo` is not mentioned")));
    /// ```
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The active profile, if any.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { #[settings(default = 1)] port: u16 }
    /// let report = App::loader().env_vars([("APP_PROFILE", "prod")]).explain().unwrap();
    /// assert_eq!(report.profile(), Some("prod"));
    /// ```
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// Every file and directory the load looked for, in the order it reads them, with absolute
    /// paths, each ending `(not found)` when it was not there: `file
    /// /srv/app/config/settings.toml`, `file /srv/app/config/settings.prod.toml (not found)`,
    /// `secrets directory /run/secrets (not found)`.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(files = ["absent.toml"])]
    /// struct App { #[settings(default = 1)] port: u16 }
    /// let report = App::loader().env_vars([("X", "")]).explain().unwrap();
    /// let cwd = std::env::current_dir().unwrap();
    /// let expected = format!("file {} (not found)", cwd.join("absent.toml").display());
    /// assert_eq!(report.sources(), [expected]);
    /// ```
    pub fn sources(&self) -> &[String] {
        &self.sources
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = |get: fn(&Entry) -> &str, title: &str| {
            self.entries
                .iter()
                .map(|e| get(e).chars().count())
                .chain([title.len()])
                .max()
                .unwrap_or(0)
        };
        let (wp, wv) = (
            width(|e| &e.path, "path"),
            width(|e| one_line(&e.value), "value"),
        );
        writeln!(f, "{:wp$}  {:wv$}  origin", "path", "value")?;
        writeln!(f, "{:-<wp$}  {:-<wv$}  {:-<6}", "", "", "")?;
        for e in &self.entries {
            writeln!(
                f,
                "{:wp$}  {:wv$}  {}",
                e.path,
                one_line(&e.value),
                e.origin
            )?;
            for old in &e.overrode {
                writeln!(f, "{:wp$}    over {}", "", one_line(old))?;
            }
        }
        if let Some(profile) = &self.profile {
            writeln!(f, "profile: {profile}")?;
        }
        for source in &self.sources {
            writeln!(f, "source: {source}")?;
        }
        for warning in &self.warnings {
            writeln!(f, "warning: {warning}")?;
        }
        Ok(())
    }
}

/// The first line of a value, for the table.
fn one_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

impl serde::Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Report", 5)?;
        s.serialize_field("entries", &self.entries)?;
        s.serialize_field("unknown_env", &self.unknown_env)?;
        s.serialize_field("profile", &self.profile)?;
        s.serialize_field("sources", &self.sources)?;
        s.serialize_field("warnings", &self.warnings)?;
        s.end()
    }
}

impl serde::Serialize for Entry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Entry", 5)?;
        s.serialize_field("path", &self.path)?;
        s.serialize_field("value", &self.value)?;
        s.serialize_field("origin", &self.origin)?;
        s.serialize_field("secret", &self.secret)?;
        s.serialize_field("overrode", &self.overrode)?;
        s.end()
    }
}
