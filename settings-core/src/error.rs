//! The error of a load: every problem found, each with a path, a kind, an origin and a sentence.

use crate::origin::Origin;
use std::fmt;

/// Every problem of one load, reported at once.
///
/// `Display` prints one issue per line as `path: message (from origin)`. No part of an `Error`
/// (its `Display`, its `Debug`, any [`Issue`] field) contains the value of a secret.
///
/// ```
/// use settings_core::{IssueKind, Settings};
///
/// #[derive(Settings, Debug)]
/// #[settings(env_prefix = "APP_")]
/// struct App {
///     port: u16,
///     name: String,
/// }
///
/// let err = App::loader()
///     .env_vars([("APP_PORT", "70000")])
///     .load()
///     .unwrap_err();
/// assert_eq!(err.issues().len(), 2);
/// assert_eq!(err.issues()[0].kind, IssueKind::Invalid);
/// assert_eq!(err.issues()[1].kind, IssueKind::Missing);
/// println!("{err}");
/// ```
#[derive(Clone)]
pub struct Error {
    issues: Vec<Issue>,
    /// The origin of each issue as a value, index for index.
    origins: Vec<Option<Origin>>,
}

/// One problem found while loading settings.
///
/// ```
/// use settings_core::{Issue, IssueKind};
///
/// let issue = Issue {
///     path: "db.pool_size".into(),
///     kind: IssueKind::Invalid,
///     origin: Some("env var APP_DB__POOL_SIZE".into()),
///     message: "expected an integer from 0 to 4294967295, found \"lots\"".into(),
/// };
/// assert!(issue.to_string().starts_with("db.pool_size: expected"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The dotted path of the field (`"db.pool_size"`); for `Unknown`, the full dotted path of the
    /// unknown key; `""` for a whole-source problem and for a top-level struct check.
    pub path: String,
    /// What went wrong.
    pub kind: IssueKind,
    /// Where the bad value came from: `"env var APP_DB__POOL_SIZE"`, `"file config/settings.toml"`,
    /// `"default"`, `"secrets dir file api_key"`, ...
    pub origin: Option<String>,
    /// A sentence for a person; never contains a secret's value.
    pub message: String,
}

/// The kind of an [`Issue`].
///
/// ```
/// use settings_core::IssueKind;
/// assert_ne!(IssueKind::Missing, IssueKind::Invalid);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IssueKind {
    /// A required field has no value.
    Missing,
    /// A value cannot become the field's type.
    Invalid,
    /// A value broke a declared constraint.
    Constraint,
    /// A key that no field has.
    Unknown,
    /// A source cannot be read or parsed, or a required file is missing.
    Source,
}

impl Error {
    /// Every issue of the load, in the order found: sources first, then fields in declaration
    /// order.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Each issue with its origin as a value to match on ([`Issue::origin`] is its text).
    ///
    /// ```
    /// use settings_core::{Origin, Settings};
    ///
    /// #[derive(Settings, Debug)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App {
    ///     port: u16,
    /// }
    ///
    /// let err = App::loader().env_vars([("APP_PORT", "high")]).load().unwrap_err();
    /// let (issue, origin) = err.issues_with_origins().next().unwrap();
    /// assert_eq!(issue.origin.as_deref(), Some("env var APP_PORT"));
    /// assert_eq!(
    ///     origin,
    ///     Some(&Origin::EnvVar { name: "APP_PORT".into() })
    /// );
    /// ```
    pub fn issues_with_origins(&self) -> impl Iterator<Item = (&Issue, Option<&Origin>)> {
        self.issues
            .iter()
            .zip(self.origins.iter().map(Option::as_ref))
    }

    fn new(issues: Vec<Issue>, origins: Vec<Option<Origin>>) -> Self {
        debug_assert!(!issues.is_empty());
        debug_assert_eq!(issues.len(), origins.len());
        Error { issues, origins }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            fmt::Display::fmt(issue, f)?;
        }
        Ok(())
    }
}

/// The same lines as `Display`, so that `fn main() -> Result<(), Error>` and `.expect(..)` show
/// one problem per line; `{:#?}` shows the structure.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            f.debug_struct("Error")
                .field("issues", &self.issues)
                .finish()
        } else {
            fmt::Display::fmt(self, f)
        }
    }
}

impl std::error::Error for Error {}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(origin) = &self.origin {
            write!(f, " (from {origin})")?;
        }
        Ok(())
    }
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IssueKind::Missing => "missing",
            IssueKind::Invalid => "invalid",
            IssueKind::Constraint => "constraint",
            IssueKind::Unknown => "unknown",
            IssueKind::Source => "source",
        })
    }
}

/// The longest quoted value in a message, in characters.
const QUOTE_MAX: usize = 80;
/// The longest message, in characters.
const MESSAGE_MAX: usize = 1000;

/// `s` in double quotes, cut to 80 characters with `…`, the password of any URL in it masked
/// (before the cut, which could otherwise leave a password without the `@` that marks it).
pub(crate) fn quote(s: &str) -> String {
    let s = crate::redact::url_passwords(s);
    let mut out = String::with_capacity(s.len().min(QUOTE_MAX * 4) + 2);
    out.push('"');
    let mut chars = s.chars();
    for c in chars.by_ref().take(QUOTE_MAX) {
        out.extend(c.escape_debug());
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out.push('"');
    out
}

/// Cuts a message to the longest allowed.
pub(crate) fn bound_message(mut message: String) -> String {
    if let Some((at, _)) = message.char_indices().nth(MESSAGE_MAX - 1) {
        message.truncate(at);
        message.push('…');
    }
    message
}

/// Issues being collected during one load, each with its origin as a value.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    list: Vec<(Issue, Option<Origin>)>,
}

impl Issues {
    pub(crate) fn push(
        &mut self,
        path: impl Into<String>,
        kind: IssueKind,
        origin: Option<Origin>,
        message: impl Into<String>,
    ) {
        // Masked here, where every issue passes: a URL's password may sit in a parser's
        // message or a custom check's, not only in a quoted value (an origin masks its own).
        let masked = crate::redact::url_passwords_owned;
        let issue = Issue {
            path: path.into(),
            kind,
            origin: origin.as_ref().map(Origin::to_string),
            message: bound_message(masked(message.into())),
        };
        self.list.push((issue, origin));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Whether some issue is of `kind`.
    pub(crate) fn any(&self, kind: IssueKind) -> bool {
        self.list.iter().any(|(i, _)| i.kind == kind)
    }

    /// Adds `more` to the message of every `Missing` issue at `path`.
    pub(crate) fn add_to_missing(&mut self, path: &str, more: &str) {
        for (issue, _) in &mut self.list {
            if issue.kind == IssueKind::Missing && issue.path == path {
                issue.message.push_str(more);
            }
        }
    }

    /// Drops every issue of `kind`.
    pub(crate) fn drop_kind(&mut self, kind: IssueKind) {
        self.list.retain(|(i, _)| i.kind != kind);
    }

    /// Adds `more` to the message of every `Missing` issue.
    pub(crate) fn add_to_all_missing(&mut self, more: &str) {
        for (issue, _) in &mut self.list {
            if issue.kind == IssueKind::Missing {
                issue.message.push_str(more);
            }
        }
    }

    /// Takes in another's issues, after these.
    pub(crate) fn append(&mut self, mut other: Issues) {
        self.list.append(&mut other.list);
    }

    /// The issues so far.
    #[cfg(test)]
    pub(crate) fn list(&self) -> Vec<&Issue> {
        self.list.iter().map(|(i, _)| i).collect()
    }

    pub(crate) fn into_error(self) -> Option<Error> {
        if self.list.is_empty() {
            return None;
        }
        let (issues, origins) = self.list.into_iter().unzip();
        Some(Error::new(issues, origins))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_cuts_long_values() {
        let long = "x".repeat(200);
        let q = quote(&long);
        assert_eq!(q.chars().count(), 83);
        assert!(q.ends_with("…\""));
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
    }

    #[test]
    fn messages_are_bounded() {
        let m = bound_message("y".repeat(5000));
        assert_eq!(m.chars().count(), 1000);
    }

    #[test]
    fn debug_is_the_display_lines_and_alternate_debug_the_structure() {
        let mut issues = Issues::default();
        issues.push("port", IssueKind::Invalid, None, "bad");
        issues.push("name", IssueKind::Missing, None, "missing");
        let err = issues.into_error().unwrap();
        assert_eq!(format!("{err:?}"), "port: bad\nname: missing");
        assert_eq!(format!("{err:?}"), err.to_string());
        let structure = format!("{err:#?}");
        assert!(
            structure.starts_with("Error {\n    issues: ["),
            "{structure}"
        );
        assert!(structure.contains("kind: Missing"), "{structure}");
    }

    #[test]
    fn display_is_one_line_per_issue() {
        let mut issues = Issues::default();
        issues.push(
            "port",
            IssueKind::Invalid,
            Some(Origin::EnvVar {
                name: "APP_PORT".into(),
            }),
            "bad",
        );
        issues.push("", IssueKind::Source, None, "file gone");
        let err = issues.into_error().unwrap();
        assert_eq!(
            err.to_string(),
            "port: bad (from env var APP_PORT)\nfile gone"
        );
    }
}
