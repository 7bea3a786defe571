//! Helpers the remote-source test binaries share (`tests/remote.rs`, `tests/gcp.rs`,
//! `tests/azure.rs`), included by each with `#[path = "support/remote.rs"] mod support;`.

// Each binary uses its own subset.
#![allow(dead_code)]

use settings_core::{Error, Issue, IssueKind};
use std::net::TcpListener;

/// A port with nothing listening on it (bound, then closed).
pub fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server that accepts every connection and never answers; it lives as long as the process.
pub fn silent_server() -> String {
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
pub fn source_issue(err: &Error) -> &Issue {
    eprintln!("{err}");
    let sources: Vec<&Issue> = err
        .issues()
        .iter()
        .filter(|i| i.kind == IssueKind::Source)
        .collect();
    assert_eq!(sources.len(), 1, "one Source issue expected in:\n{err}");
    sources[0]
}

/// Asserts that no part of the error shows `secret`.
pub fn assert_hidden(err: &Error, secret: &str) {
    assert!(!err.to_string().contains(secret), "{err}");
    assert!(!format!("{err:?}").contains(secret), "{err:?}");
}
