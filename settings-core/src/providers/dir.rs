//! A directory with one file per setting: Docker and Kubernetes secrets (`secrets_dir`), or a
//! mounted ConfigMap (`config_dir`).
//!
//! Entry names are matched like environment variables, with or without the prefix (`APP_API_KEY`
//! or `api_key`). Entries whose names start with `.` (the kubelet's `..data` and its timestamped
//! folders, editor leftovers) are not settings. An entry may be a symlink (Kubernetes mounts are
//! symlinks into `..data`), but it must resolve inside the directory.

use super::env::Match;
use crate::error::{IssueKind, Issues};
use crate::extract::State;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

/// Which kind of directory, for origins and secrecy.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DirKind {
    Secrets,
    Config,
}

impl DirKind {
    pub(crate) fn label(self, entry: &str) -> String {
        match self {
            DirKind::Secrets => format!("secrets dir file {entry}"),
            DirKind::Config => format!("config dir file {entry}"),
        }
    }

    pub(crate) fn secret(self) -> bool {
        matches!(self, DirKind::Secrets)
    }
}

/// Reads the entries of `dir` that name a setting. A directory that does not exist is skipped.
pub(crate) fn read(dir: &Path, kind: DirKind, max: u64, state: &mut State) -> Vec<Match> {
    let State {
        names,
        issues,
        warnings,
        ..
    } = state;
    let names = &*names;
    let mut matches = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return matches,
        Err(e) => {
            issues.push(
                "",
                IssueKind::Source,
                Some(kind.label(&dir.display().to_string())),
                format!("the directory {} cannot be read: {e}", dir.display()),
            );
            return matches;
        }
    };
    let root = match dir.canonicalize() {
        Ok(root) => root,
        Err(e) => {
            issues.push(
                "",
                IssueKind::Source,
                None,
                format!("the directory {} cannot be resolved: {e}", dir.display()),
            );
            return matches;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let file_name = entry.file_name();
        let Some(name) = file_name.to_str() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let Some((target, rank)) = names.lookup_entry(name) else {
            continue;
        };
        let path = entry.path();
        let fail = |issues: &mut Issues, why: String| {
            issues.push(
                names.targets[target].path.clone(),
                IssueKind::Source,
                Some(kind.label(name)),
                format!("the entry {name} {why}"),
            );
        };
        match path.canonicalize() {
            Ok(real) if !real.starts_with(&root) => {
                fail(
                    issues,
                    "resolves outside the directory and was not read".to_owned(),
                );
                continue;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // Listed a moment ago: either a dangling link, or removed since (a race with
                // whoever writes the directory).
                let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink());
                let why = if link {
                    "is a symbolic link whose target does not exist"
                } else {
                    "disappeared while the directory was being read"
                };
                fail(issues, why.to_owned());
                continue;
            }
            Err(e) => {
                fail(issues, format!("cannot be resolved: {e}"));
                continue;
            }
        }
        if kind.secret() {
            warn_if_readable_by_others(&path, name, warnings);
        }
        match super::file::read_text(&path, max) {
            Ok(Some(mut text)) => {
                if text.ends_with('\n') {
                    text.pop();
                    if text.ends_with('\r') {
                        text.pop();
                    }
                }
                matches.push(Match {
                    target,
                    rank,
                    name: name.to_owned(),
                    value: Some(text),
                    line: None,
                });
            }
            Ok(None) => fail(
                issues,
                "disappeared while the directory was being read".to_owned(),
            ),
            Err(why) => fail(issues, why),
        }
    }
    matches
}

/// A secret that any user of the machine can read is worth a warning in the report (the secret
/// itself is still used: refusing it would take a service down over a mode bit).
fn warn_if_readable_by_others(path: &Path, name: &str, warnings: &mut Vec<String>) {
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode();
        if mode & 0o044 != 0 {
            warnings.push(format!(
                "the secrets file {name} can be read by {} (mode {:o}); `chmod 600` it",
                if mode & 0o004 != 0 {
                    "every user"
                } else {
                    "its group"
                },
                mode & 0o777
            ));
        }
    }
}
