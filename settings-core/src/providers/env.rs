//! Environment variables (the process's, or the pairs given to `Loader::env_vars`), matched in
//! one pass against the name table, kept as text.

use crate::error::IssueKind;
use crate::extract::State;
use crate::naming::{NameTable, Rank, TargetId};
use crate::value::{from_json, Node, Table, Value};
use std::borrow::Cow;
use std::ffi::{OsStr, OsString};

/// Where environment variables come from.
#[derive(Debug, Clone, Default)]
pub(crate) enum EnvInput {
    /// The process environment, read once per load.
    #[default]
    Process,
    /// The caller's pairs, instead of the process environment.
    Pairs(Vec<(OsString, OsString)>),
}

impl EnvInput {
    /// Calls `f` with every variable: owned when read from the process (nothing is copied for
    /// a variable that is kept), borrowed from the given pairs.
    fn each(&self, mut f: impl FnMut(Cow<'_, OsStr>, Cow<'_, OsStr>)) {
        match self {
            EnvInput::Process => {
                for (name, value) in std::env::vars_os() {
                    f(Cow::Owned(name), Cow::Owned(value));
                }
            }
            EnvInput::Pairs(pairs) => {
                for (name, value) in pairs {
                    f(Cow::Borrowed(name), Cow::Borrowed(value));
                }
            }
        }
    }

    /// One variable by its exact name (for `${VAR}` in dotenv files).
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        match self {
            EnvInput::Process => std::env::var(name).ok(),
            EnvInput::Pairs(pairs) => pairs
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .and_then(|(_, v)| v.to_str().map(str::to_owned)),
        }
    }
}

/// A variable (or dotenv line) that sets a field.
#[derive(Debug)]
pub(crate) struct Match {
    pub(crate) target: TargetId,
    pub(crate) rank: Rank,
    pub(crate) name: String,
    /// `None` when the value is not UTF-8.
    pub(crate) value: Option<String>,
    /// The dotenv line, for origins.
    pub(crate) line: Option<usize>,
}

/// What one pass over the environment found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub(crate) matches: Vec<Match>,
    /// The value of the profile variable, if set.
    pub(crate) profile: Option<String>,
    /// Variables with the prefix that set nothing.
    pub(crate) unknown: Vec<String>,
}

/// One pass over the environment: every variable is checked against the name table and the
/// profile variable; nothing is copied for a variable that matches neither.
pub(crate) fn scan(
    input: &EnvInput,
    names: &NameTable,
    profile_var: &str,
    case_sensitive: bool,
) -> Scan {
    let mut scan = Scan::default();
    let text = |s: Cow<'_, OsStr>| s.into_owned().into_string().ok();
    input.each(|name, value| {
        let bytes = name.as_encoded_bytes();
        let is_profile = if case_sensitive {
            bytes == profile_var.as_bytes()
        } else {
            bytes.eq_ignore_ascii_case(profile_var.as_bytes())
        };
        if is_profile {
            scan.profile = text(value);
            return;
        }
        // Most of an environment is other programs' variables: dismissed on their first bytes,
        // before their names are checked as UTF-8 (no other name can set anything).
        if !names.may_set(bytes) {
            return;
        }
        let Some(name) = text(name) else { return };
        match names.lookup(&name) {
            Some((target, rank)) => {
                if scan.matches.is_empty() {
                    // One allocation for the usual handful of variables, not four growing ones.
                    scan.matches.reserve(16);
                }
                scan.matches.push(Match {
                    target,
                    rank,
                    name,
                    value: text(value),
                    line: None,
                });
            }
            None if names.has_prefix(&name) => scan.unknown.push(name),
            None => {}
        }
    });
    scan
}

/// Writes matched variables into the tree (a value that cannot be used is an issue, and its path
/// is recorded in `poisoned` so that it is not also reported missing). `origin_of` gives each
/// match's origin as a fixed lead, the rest of its label (it may take the match's name) and whether
/// its values are secret. A JSON object set on a nested struct goes first, so that variables naming
/// its fields win over its keys; where several names set one field, the best-ranked (explicit
/// before derived, exact case before other case) wins.
pub(crate) fn apply(
    tree: &mut Table,
    mut matches: Vec<Match>,
    state: &mut State,
    origin_of: &dyn Fn(&mut Match) -> (&'static str, String, bool),
) {
    let State {
        origins,
        issues,
        names,
        merger,
        poisoned,
        ..
    } = state;
    matches.sort_by_key(|m| (names.targets[m.target].keys.len(), m.rank));
    for mut m in matches {
        let target = &names.targets[m.target];
        let Some(text) = m.value.take() else {
            let message = format!("the value of {} is not valid UTF-8", m.name);
            let (lead, rest, _) = origin_of(&mut m);
            issues.push(
                target.path.clone(),
                IssueKind::Invalid,
                Some([lead, &rest].concat()),
                message,
            );
            poisoned.push(target.path.clone());
            continue;
        };
        let (lead, rest, secret) = origin_of(&mut m);
        let origin = origins.add_parts(lead, rest, secret);
        let value = if target.is_nested() {
            match nested_json(&text) {
                Ok(json) => from_json(json, origin),
                Err(message) => {
                    issues.push(
                        target.path.clone(),
                        IssueKind::Invalid,
                        Some(origins.get(origin).label()),
                        message,
                    );
                    poisoned.push(target.path.clone());
                    continue;
                }
            }
        } else {
            Value::new(Node::Text(text), origin)
        };
        merger.insert(tree, &target.keys, value);
    }
}

/// A nested struct given whole: the text must be a JSON object.
fn nested_json(text: &str) -> Result<serde_json::Value, String> {
    if !text.trim_start().starts_with('{') {
        return Err("expected a JSON object with the nested settings".to_owned());
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(json @ serde_json::Value::Object(_)) => Ok(json),
        Ok(_) => Err("expected a JSON object with the nested settings".to_owned()),
        // serde_json names a line and column, never the text.
        Err(e) => Err(format!("is not a valid JSON object: {e}")),
    }
}
