//! A directory with one file per setting: Docker and Kubernetes secrets (`secrets_dir`), or a
//! mounted ConfigMap (`config_dir`).
//!
//! Entry names are matched like environment variables, with or without the prefix (`APP_API_KEY`
//! or `api_key`). Entries whose names start with `.` (the kubelet's `..data` and its timestamped
//! folders, editor leftovers) are not settings. An entry may be a symlink (Kubernetes mounts are
//! symlinks into `..data`), but it must resolve inside the directory.

use super::env::Match;
use crate::error::IssueKind;
use crate::fields::TargetId;
use crate::layer::{Layer, Problems};
use crate::naming::Names;
use crate::origin::{Origin, Origins};
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

/// Which kind of directory, for origins and secrecy.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DirKind {
    Secrets,
    Config,
}

impl DirKind {
    /// The origin of an entry of the directory.
    pub(crate) fn origin(self, entry: String) -> Origin {
        match self {
            DirKind::Secrets => Origin::SecretsDir { entry },
            DirKind::Config => Origin::ConfigDir { entry },
        }
    }

    pub(crate) fn secret(self) -> bool {
        matches!(self, DirKind::Secrets)
    }
}

/// The entries of `dir` that name a setting, as a layer (files no larger than `max`). A
/// directory that does not exist is skipped.
pub(crate) fn read(
    dir: &Path,
    kind: DirKind,
    max: u64,
    names: &Names,
    origins: &mut Origins,
) -> Layer {
    let mut problems = Problems::default();
    let mut misses = Vec::new();
    let matches = entries(dir, kind, max, names, &mut problems, &mut misses);
    let origin_of = |m: &mut Match| (kind.origin(std::mem::take(&mut m.name)), kind.secret());
    let mut layer = super::env::layer(matches, &names.fields, origins, &origin_of, problems, max);
    layer.misses = misses;
    layer
}

/// The setting an entry that names none was likely meant for (`db__pasword`), with the sentence
/// that says so: a warning in the report, and the hint of that setting's `Missing` issue.
/// `known` is every setting's entry name ([`entry_names`]).
fn near_miss(
    name: &str,
    kind: DirKind,
    dir: &Path,
    known: &[(String, TargetId)],
) -> Option<(TargetId, String)> {
    let closest = crate::suggest::closest(name, known.iter().map(|(n, _)| n.as_str()))?;
    let (_, id) = known.iter().find(|(n, _)| n == closest)?;
    let what = match kind {
        DirKind::Secrets => "the secrets directory",
        DirKind::Config => "the config directory",
    };
    Some((
        *id,
        format!(
            "{what} {} has {name}, which sets no setting: did you mean {closest}?",
            dir.display()
        ),
    ))
}

/// Every setting's directory entry name, with its target.
fn entry_names(names: &Names) -> Vec<(String, TargetId)> {
    (0..names.fields.targets.len())
        .filter_map(|id| Some((names.env.entry_name(id)?, id)))
        .collect()
}

/// Reads the entries of `dir` that name a setting.
fn entries(
    dir: &Path,
    kind: DirKind,
    max: u64,
    names: &Names,
    problems: &mut Problems,
    misses: &mut Vec<(TargetId, String)>,
) -> Vec<Match> {
    let Problems {
        issues, warnings, ..
    } = problems;
    let mut matches = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return matches,
        Err(e) => {
            issues.push(
                "",
                IssueKind::Source,
                Some(kind.origin(dir.display().to_string())),
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
    let mut known: Option<Vec<(String, TargetId)>> = None;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let file_name = entry.file_name();
        let Some(name) = file_name.to_str() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let Some(found) = names.env.lookup_entry(name) else {
            // The entry names are built once, at the first entry that names nothing.
            let known = known.get_or_insert_with(|| entry_names(names));
            if let Some((id, message)) = near_miss(name, kind, dir, known) {
                warnings.push(message.clone());
                misses.push((id, message));
            }
            continue;
        };
        let path = entry.path();
        let fail = |issues: &mut crate::error::Issues, why: String| {
            issues.push(
                names.fields.targets[found.target].path.clone(),
                IssueKind::Source,
                Some(kind.origin(name.to_owned())),
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
        match super::file::read_value(&path, max) {
            Ok(Some(text)) => {
                matches.push(Match {
                    target: found.target,
                    rank: found.rank,
                    name: name.to_owned(),
                    value: Some(text),
                    line: None,
                    indirect: false,
                    current: found.current.map(Box::from),
                    element: found.element.map(Box::new),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::Data;
    use crate::testing::{names, origins};

    fn write(dir: &Path, name: &str, text: &str, mode: u32) {
        std::fs::write(dir.join(name), text).unwrap();
        std::fs::set_permissions(dir.join(name), std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn entries_set_fields_with_or_without_the_prefix_and_secrets_are_secret() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "api_key", "k-123\n", 0o600);
        write(dir.path(), "APP_DB__POOL_SIZE", "5", 0o644);
        write(dir.path(), "..data", "not a setting", 0o600);
        write(dir.path(), "unrelated", "x", 0o600);
        let mut origins = origins();
        let layer = read(dir.path(), DirKind::Secrets, 1024, names(), &mut origins);
        let Data::Fields(values) = &layer.data else {
            panic!("a directory sets fields")
        };
        let got: Vec<(String, String, String, bool)> = values
            .iter()
            .map(|(id, v)| {
                let o = origins.get(v.origin);
                let path = names().fields.targets[*id].path.clone();
                (path, v.display(), o.origin.to_string(), o.secret)
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "api_key".into(),
                    "k-123".into(),
                    "secrets dir file api_key".into(),
                    true
                ),
                (
                    "db.pool_size".into(),
                    "5".into(),
                    "secrets dir file APP_DB__POOL_SIZE".into(),
                    true
                ),
            ]
        );
        // A secret others can read is said, once.
        assert_eq!(
            layer.problems.warnings.len(),
            1,
            "{:?}",
            layer.problems.warnings
        );
        assert!(layer.problems.warnings[0].contains("APP_DB__POOL_SIZE"));
    }

    #[test]
    fn an_entry_outside_the_directory_is_not_read_and_a_missing_directory_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "key", "stolen", 0o600);
        std::os::unix::fs::symlink(outside.path().join("key"), dir.path().join("api_key")).unwrap();
        let mut origins = origins();
        let layer = read(dir.path(), DirKind::Config, 1024, names(), &mut origins);
        let issues = layer.problems.list();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].path, "api_key");
        assert!(issues[0].message.contains("resolves outside the directory"));
        assert!(matches!(&layer.data, Data::Fields(v) if v.is_empty()));

        let gone = read(
            &dir.path().join("nope"),
            DirKind::Secrets,
            1024,
            names(),
            &mut origins,
        );
        assert!(gone.problems.list().is_empty());
    }
}
