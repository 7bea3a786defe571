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

mod age;
mod args;
mod azure;
mod bootstrap;
mod cli;
mod coerce;
mod composition;
mod dotenv;
mod editors;
mod endpoint;
mod env;
mod errors;
mod files;
mod flags;
mod gcp;
mod hostile;
mod hygiene;
mod kubernetes;
mod leases;
mod lists;
mod loader;
mod precedence;
mod profiles;
mod properties;
mod remote;
mod renamed;
mod report;
mod rotation;
mod secrets;
mod templates;
mod validate;
mod watch;

use settings_core::{Error, Issue, IssueKind};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Every text an error exposes: `Display`, `Debug`, each issue (`Display`, its fields, `Debug`),
/// the `source()` chain.
pub(crate) fn all_text(err: &Error) -> String {
    let mut out = format!("{err}\n{err:?}\n");
    for i in err.issues() {
        out.push_str(&format!(
            "{i}\n{}\n{:?}\n{}\n{}\n{i:?}\n",
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

// ---------------------------------------------------------------------------------------------
// Remote sources (`remote`, `gcp`, `azure`): ports and servers that fail.

/// A port with nothing listening on it (bound, then closed).
pub(crate) fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server that accepts every connection and never answers; it lives as long as the process.
pub(crate) fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    url
}

/// The one `Source` issue of a load that failed (the whole error is printed first, for the
/// test's output when an assertion on it fails).
pub(crate) fn source_issue(err: &Error) -> &Issue {
    eprintln!("{err}");
    let sources: Vec<&Issue> = err
        .issues()
        .iter()
        .filter(|i| i.kind == IssueKind::Source)
        .collect();
    assert_eq!(sources.len(), 1, "one Source issue expected in:\n{err}");
    sources[0]
}

/// Asserts that neither the error's `Display` nor its `Debug` shows `secret`.
pub(crate) fn assert_hidden(err: &Error, secret: &str) {
    assert!(!err.to_string().contains(secret), "{err}");
    assert!(!format!("{err:?}").contains(secret), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// A test that needs an environment of its own (the credential chains of the cloud SDKs read the
// process environment, which no test changes) runs itself again as a child process with that
// environment: `if in_child() { ...; return; }` first, then `child_result(...)` in the parent.

/// Set in the child's environment by `child_result`.
const CHILD: &str = "SETTINGS_TEST_CHILD";

/// Whether this process is a child that `child_result` started.
pub(crate) fn in_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

/// Runs the one test `test` (its full name, `module::name`) of this binary in a child process
/// whose command `setup` completes (its environment), and returns the first `CHILD-...` line
/// the child printed, from `CHILD-` on.
pub(crate) fn child_result(test: &str, setup: impl FnOnce(&mut Command)) -> String {
    // The child must take its own branch; a parent's branch in a child would start another.
    assert!(
        !in_child(),
        "{test} runs as a child but did not take the child's branch"
    );
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--include-ignored",
            "--exact",
            test,
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, test);
    setup(&mut command);
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    stdout
        .lines()
        .find_map(|l| l.find("CHILD-").map(|at| l[at..].to_owned()))
        .unwrap_or_else(|| panic!("no result from the child running {test}:\n{stdout}"))
}
