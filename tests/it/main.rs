//! Integration tests of the settings framework, written as a user sees it: a struct that derives
//! `Settings`, the sources a test sets up (pairs given to `.env_vars`, files in a temporary
//! directory), and the values, reports and errors that come back. One behaviour per module.
//!
//! No test reads or changes the process environment (every load passes `.env_vars`, except the
//! one that checks `load()` itself reads it) and no test changes the working directory. The few
//! tests of *declared* `files` / `env_file` / `secrets_dir` / `config_dir` read the fixtures under
//! `tests/it/fixtures/` by paths relative to the package root, which is where cargo runs tests.

// Settings structs are declared to be loaded; many of their fields are never read back.
#![allow(dead_code)]

mod args;
mod coerce;
mod composition;
mod dotenv;
mod env;
mod errors;
mod files;
mod hostile;
mod hygiene;
mod kubernetes;
mod loader;
mod precedence;
mod profiles;
mod report;
mod secrets;
mod validate;
mod watch;

use settings_core::{Error, Issue, IssueKind};
use std::path::{Path, PathBuf};

/// No environment variables at all.
pub(crate) const NO_ENV: [(&str, &str); 0] = [];

/// Writes `text` to `dir/name` and returns the path.
pub(crate) fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Makes `dir/name` a directory and returns its path.
pub(crate) fn mkdir(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(&path).unwrap();
    path
}

/// The one issue at `path`, or a panic that shows the whole error.
pub(crate) fn issue<'a>(err: &'a Error, path: &str) -> &'a Issue {
    let mut found = err.issues().iter().filter(|i| i.path == path);
    let first = found
        .next()
        .unwrap_or_else(|| panic!("no issue at `{path}` in:\n{err}"));
    assert!(
        found.next().is_none(),
        "more than one issue at `{path}` in:\n{err}"
    );
    first
}

/// The issues of one kind.
pub(crate) fn of_kind(err: &Error, kind: IssueKind) -> Vec<&Issue> {
    err.issues().iter().filter(|i| i.kind == kind).collect()
}

/// The only issue of the error, which must have exactly one.
pub(crate) fn only(err: &Error) -> &Issue {
    assert_eq!(err.issues().len(), 1, "expected exactly one issue:\n{err}");
    &err.issues()[0]
}

/// The issue's origin, `""` when it has none.
pub(crate) fn origin(issue: &Issue) -> &str {
    issue.origin.as_deref().unwrap_or_default()
}

/// Whether the issue names `what` in its message or its origin.
pub(crate) fn names(issue: &Issue, what: &str) -> bool {
    issue.message.contains(what) || origin(issue).contains(what)
}

/// Every text an error exposes: `Display`, `Debug`, each issue's fields, the `source()` chain.
pub(crate) fn all_text(err: &Error) -> String {
    let mut out = format!("{err}\n{err:?}\n");
    for i in err.issues() {
        out.push_str(&format!(
            "{}\n{:?}\n{}\n{}\n{i:?}\n",
            i.path,
            i.kind,
            origin(i),
            i.message
        ));
    }
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        out.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    out
}
