//! Environment variables (the process's, or the pairs given to `Loader::env_vars`), matched in
//! one pass against the name table, kept as text.

use crate::error::IssueKind;
use crate::fields::{FieldIndex, TargetId};
use crate::layer::{Layer, Problems};
use crate::naming::{ElementName, EnvNames, Rank};
use crate::origin::{Origin, Origins};
use crate::tree::{Node, Value, from_json};
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

    /// Calls `f` with the name of every variable whose name is UTF-8.
    #[cfg(feature = "cli")]
    pub(crate) fn each_name(&self, mut f: impl FnMut(&str)) {
        self.each(|name, _| {
            if let Some(name) = name.to_str() {
                f(name);
            }
        });
    }

    /// One variable by its exact name: `${VAR}` in dotenv files, `${env:VAR}` references, the
    /// variables that name age identities.
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
    /// `NAME_FILE`: the value is the path of a file that holds the value.
    pub(crate) indirect: bool,
    /// An old name (`renamed_from`): the current one, for the warning.
    pub(crate) current: Option<Box<str>>,
    /// A variable of one element of a list or map of structs (`APP_SERVERS__0__HOST`); boxed,
    /// as most matches have none and every match is moved by the sort.
    pub(crate) element: Option<Box<ElementName>>,
}

/// What one pass over the environment found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub(crate) matches: Vec<Match>,
    /// The value of the profile variable, if set.
    pub(crate) profile: Option<String>,
    /// Variables with the prefix that set nothing.
    pub(crate) unknown: Vec<String>,
    /// Variables that name an element of a list or map by a key that is not UTF-8 (shown with
    /// U+FFFD), with the list or map.
    pub(crate) bad_keys: Vec<(TargetId, String)>,
}

/// One pass over the environment: every variable is checked against the name table and the
/// profile variable; nothing is copied for a variable that matches neither.
pub(crate) fn scan(
    input: &EnvInput,
    names: &EnvNames,
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
        let name = match name.into_owned().into_string() {
            Ok(name) => name,
            Err(raw) => return not_utf8(&mut scan, names, &raw),
        };
        match names.lookup_var(&name) {
            Some(found) => {
                if scan.matches.is_empty() {
                    // One allocation for the usual handful of variables, not four growing ones.
                    scan.matches.reserve(16);
                }
                scan.matches.push(Match {
                    target: found.target,
                    rank: found.rank,
                    current: found.current.map(Box::from),
                    element: found.element.map(Box::new),
                    name,
                    value: text(value),
                    line: None,
                    indirect: found.indirect,
                });
            }
            None if names.has_prefix(&name) => scan.unknown.push(name),
            None => {}
        }
    });
    scan
}

/// A variable whose name is not UTF-8 but carries the prefix: one that names an element (a
/// map's key from bytes that are not text) is an issue, any other an unknown variable. Shown
/// with U+FFFD in place of the bytes.
#[cold]
fn not_utf8(scan: &mut Scan, names: &EnvNames, raw: &OsStr) {
    let shown = raw.to_string_lossy().into_owned();
    match names.lookup_var(&shown) {
        Some(found) if found.element.is_some() => scan.bad_keys.push((found.target, shown)),
        _ if names.has_prefix(&shown) => scan.unknown.push(shown),
        _ => {}
    }
}

/// The values of matched variables (or dotenv lines, or directory entries) as a layer, after
/// the `problems` found finding them. A value that cannot be used is an issue, and its path is
/// rejected so that it is not also reported missing. `origin_of` gives each match's origin as a
/// fixed lead, the rest of its label (it may take the match's name) and whether its values are
/// secret. A JSON object set on a nested struct goes first, so that variables naming its fields
/// win over its keys; where several names set one field, the best-ranked (explicit before
/// derived, exact case before other case) goes last, and wins. A `NAME_FILE` match's value is
/// read from the file it names (no larger than `max` bytes), and is secret.
pub(crate) fn layer(
    mut matches: Vec<Match>,
    fields: &FieldIndex,
    origins: &mut Origins,
    origin_of: &dyn Fn(&mut Match) -> (Origin, bool),
    mut problems: Problems,
    max: u64,
) -> Layer {
    if matches
        .iter()
        .any(|m| m.indirect || m.current.is_some() || m.element.is_some())
    {
        prepare_special(&mut matches, fields, origin_of, &mut problems);
    } else {
        matches.sort_by_key(|m| (fields.targets[m.target].keys.len(), m.rank));
    }
    let mut values = Vec::with_capacity(matches.len());
    let mut elements = Vec::new();
    let mut plain = true;
    for mut m in matches {
        let target = &fields.targets[m.target];
        let Some(text) = m.value.take() else {
            let message = format!("the value of {} is not valid UTF-8", m.name);
            let (origin, _) = origin_of(&mut m);
            problems.reject(
                target.path.clone(),
                IssueKind::Invalid,
                Some(origin),
                message,
            );
            continue;
        };
        let variable = m.indirect.then(|| m.name.clone());
        let (mut origin, mut secret) = origin_of(&mut m);
        let mut text = text;
        if let Some(variable) = variable {
            match named_file(&text, &variable, max) {
                Ok(content) => {
                    let path = std::path::PathBuf::from(std::mem::replace(&mut text, content));
                    let via = Box::new(origin);
                    (origin, secret) = (Origin::FileNamedBy { path, via }, true);
                }
                Err(message) => {
                    let path = target.path.clone();
                    problems.reject(path, IssueKind::Source, Some(origin), message);
                    continue;
                }
            }
        }
        plain &= !crate::tree::may_hold_markers(&text);
        let origin = origins.add(origin, secret);
        if let Some(element) = m.element.take() {
            elements.push((m.target, *element, Value::new(Node::Text(text), origin)));
            continue;
        }
        let value = if target.is_nested() {
            match nested_json(&text) {
                Ok(json) => from_json(json, origin),
                Err(message) => {
                    let origin = Some(origins.get(origin).origin.clone());
                    problems.reject(target.path.clone(), IssueKind::Invalid, origin, message);
                    continue;
                }
            }
        } else {
            Value::new(Node::Text(text), origin)
        };
        values.push((m.target, value));
    }
    let mut layer = Layer::fields(values, problems);
    layer.elements = elements;
    layer.plain = plain;
    layer
}

/// The content of the file that `variable` (a `NAME_FILE`) names at `path`, read as a secrets
/// directory file is (`file::read_value`); else the sentence of a `Source` issue.
fn named_file(path: &str, variable: &str, max: u64) -> Result<String, String> {
    if path.is_empty() {
        return Err(format!(
            "{variable} is empty: it must name the file that holds the value"
        ));
    }
    match super::file::read_value(std::path::Path::new(path), max) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(format!(
            "{variable} names the file {path}, which does not exist"
        )),
        Err(why) => Err(format!("the file {path} that {variable} names {why}")),
    }
}

/// The matches of a layer that has `NAME_FILE` variables, old names or elements' variables:
/// the checks and warnings they need, and the order that puts whole values before elements'
/// (a list given as JSON, then its elements' variables over it) and a list's elements by
/// index, so that each next index appends. Most layers have none of these.
#[inline(never)]
fn prepare_special(
    matches: &mut Vec<Match>,
    fields: &FieldIndex,
    origin_of: &dyn Fn(&mut Match) -> (Origin, bool),
    problems: &mut Problems,
) {
    if matches.iter().any(|m| m.indirect) {
        refuse_both_forms(matches, fields, origin_of, problems);
    }
    if matches.iter().any(|m| m.current.is_some()) {
        warn_of_old_names(matches, problems);
    }
    matches.sort_by_cached_key(|m| {
        let index = m.element.as_ref().map(|e| {
            let n = if e.map {
                None
            } else {
                e.key.parse::<u64>().ok()
            };
            (n, e.key.clone())
        });
        (fields.targets[m.target].keys.len(), index, m.rank)
    });
}

/// A warning for each old name (`renamed_from`) in use: it still works, and the current name
/// is said; where the current name is set in the same source too, it wins, and both are named.
fn warn_of_old_names(matches: &[Match], problems: &mut Problems) {
    for old in matches {
        let Some(current) = &old.current else {
            continue;
        };
        let also = matches.iter().find(|m| {
            m.target == old.target
                && m.current.is_none()
                && m.rank > old.rank
                && m.element == old.element
        });
        problems.warnings.push(match also {
            Some(m) => format!(
                "{} and {} are both set: {} is used; {} is the old name, remove it",
                old.name, m.name, m.name, old.name
            ),
            None => format!(
                "{} is the old name of {current}: rename it (it still works for now)",
                old.name
            ),
        });
    }
}

/// `NAME` and `NAME_FILE` both set for one field in one source: which one is meant cannot be
/// told, so neither is used and the field is rejected with an `Invalid` issue naming both.
fn refuse_both_forms(
    matches: &mut Vec<Match>,
    fields: &FieldIndex,
    origin_of: &dyn Fn(&mut Match) -> (Origin, bool),
    problems: &mut Problems,
) {
    let pairs: Vec<(usize, usize)> = matches
        .iter()
        .enumerate()
        .filter(|(_, m)| m.indirect)
        .filter_map(|(i, file)| {
            let stem = &file.name[..file
                .name
                .len()
                .saturating_sub(crate::naming::FILE_SUFFIX.len())];
            let plain = matches.iter().position(|m| {
                !m.indirect && m.target == file.target && m.name.eq_ignore_ascii_case(stem)
            })?;
            Some((plain, i))
        })
        .collect();
    if pairs.is_empty() {
        return;
    }
    let mut drop = vec![false; matches.len()];
    for (plain, file) in pairs {
        let message = format!(
            "{} and {} are both set: set only one (the value, or the file that holds it)",
            matches[plain].name, matches[file].name
        );
        let (origin, _) = origin_of(&mut matches[file]);
        let path = fields.targets[matches[file].target].path.clone();
        problems.reject(path, IssueKind::Invalid, Some(origin), message);
        drop[plain] = true;
        drop[file] = true;
    }
    let mut keep = drop.iter().map(|d| !d);
    matches.retain(|_| keep.next().unwrap_or(true));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{names, origins};

    fn pairs(list: &[(&str, &str)]) -> EnvInput {
        EnvInput::Pairs(list.iter().map(|(n, v)| (n.into(), v.into())).collect())
    }

    /// Scans `vars` and turns the matches into a layer, with env-var origins.
    fn read(vars: &[(&str, &str)]) -> (Layer, Scan, Origins) {
        let names = names();
        let mut scan = scan(&pairs(vars), &names.env, "APP_PROFILE", false);
        let mut origins = origins();
        let env_origin = |m: &mut Match| {
            (
                Origin::EnvVar {
                    name: std::mem::take(&mut m.name),
                },
                false,
            )
        };
        let matches = std::mem::take(&mut scan.matches);
        let layer = layer(
            matches,
            &names.fields,
            &mut origins,
            &env_origin,
            Problems::default(),
            1 << 20,
        );
        (layer, scan, origins)
    }

    fn values(layer: &Layer, origins: &Origins) -> Vec<(String, String, String)> {
        let crate::layer::Data::Fields(values) = &layer.data else {
            panic!("an env layer sets fields")
        };
        values
            .iter()
            .map(|(id, v)| {
                let path = names().fields.targets[*id].path.clone();
                (path, v.display(), origins.get(v.origin).origin.to_string())
            })
            .collect()
    }

    #[test]
    fn variables_become_text_values_of_their_fields_with_their_names_as_origins() {
        let (layer, scan, origins) = read(&[
            ("APP_PORT", "9000"),
            ("app_db__pool_size", "007"),
            ("PATH", "/bin"),
            ("APP_PROFILE", "prod"),
            ("APP_PORTT", "1"),
        ]);
        assert_eq!(
            values(&layer, &origins),
            [
                ("port".into(), "9000".into(), "env var APP_PORT".into()),
                (
                    "db.pool_size".into(),
                    "007".into(),
                    "env var app_db__pool_size".into()
                ),
            ]
        );
        assert_eq!(scan.profile.as_deref(), Some("prod"));
        assert_eq!(scan.unknown, ["APP_PORTT"]);
        assert!(layer.problems.list().is_empty());
    }

    #[test]
    fn a_json_object_sets_a_nested_struct_before_its_fields_and_the_explicit_name_wins() {
        let (layer, _, origins) = read(&[
            ("APP_DB__URL", "derived"),
            ("APP_DB", r#"{"url": "from-json", "pool_size": 3}"#),
            ("DATABASE_URL", "explicit"),
        ]);
        let got = values(&layer, &origins);
        let paths: Vec<&str> = got.iter().map(|(p, ..)| p.as_str()).collect();
        // The object first, then the derived name, then the explicit one: the last wins.
        assert_eq!(paths, ["db", "db.url", "db.url"]);
        assert_eq!(got[2].1, "explicit");
    }

    #[test]
    fn unusable_values_are_rejected_with_an_issue_naming_the_variable() {
        let names = names();
        let mut origins = origins();
        let matches = vec![
            Match {
                target: names.fields.target_of("port").unwrap(),
                rank: 0,
                name: "APP_PORT".into(),
                value: None,
                line: None,
                indirect: false,
                current: None,
                element: None,
            },
            Match {
                target: names.fields.target_of("db").unwrap(),
                rank: 0,
                name: "APP_DB".into(),
                value: Some("[1, 2]".into()),
                line: None,
                indirect: false,
                current: None,
                element: None,
            },
        ];
        let env_origin = |m: &mut Match| {
            (
                Origin::EnvVar {
                    name: m.name.clone(),
                },
                false,
            )
        };
        let layer = layer(
            matches,
            &names.fields,
            &mut origins,
            &env_origin,
            Problems::default(),
            1 << 20,
        );
        let issues = layer.problems.list();
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0].path, "port");
        assert!(issues[0].message.contains("APP_PORT is not valid UTF-8"));
        assert_eq!(issues[1].origin.as_deref(), Some("env var APP_DB"));
        assert!(issues[1].message.contains("JSON object"));
        assert_eq!(layer.problems.rejected, ["port", "db"]);
        assert!(values(&layer, &origins).is_empty());
    }
}
