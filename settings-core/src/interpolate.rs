//! `${path}` and `${env:NAME}` in text values: resolved once, after every source is merged and
//! before conversion, so a reference sees the final merged value of what it names.
//!
//! - `${db.host}`: another setting's merged value (or its literal default), as text;
//! - `${env:NAME}`: a variable of the environment the load uses (the process's or `env_vars`);
//! - `${db.host:-localhost}`, `${env:NAME:-x}`: a fallback when the target is unset;
//! - `$${`: a literal `${`.
//!
//! A value built from a secret (a referenced secret field, or a secret source) is secret. An
//! unknown reference, a cycle or a `${` never closed is an `Invalid` issue at the referencing
//! path that names the reference.

use crate::error::IssueKind;
use crate::layer::Problems;
use crate::meta::DefaultMeta;
use crate::naming::Names;
use crate::origin::{OriginId, Origins, mark_holders_secret};
use crate::providers::env::EnvInput;
use crate::tree::{Node, Step, Table, Value, dotted, field_keys, find_strings, get_path, locate};
use std::collections::HashMap;

/// A resolved text and whether anything secret went into it.
#[derive(Debug, Clone)]
struct Resolved {
    text: String,
    secret: bool,
}

/// What the references of a load may name besides the tree: the fields (for their secrecy and
/// literal defaults; an element's, `servers.0.host`, too) and the environment.
pub(crate) struct Scope<'a> {
    pub(crate) names: &'a Names,
    pub(crate) env: &'a EnvInput,
    /// The origin of literal defaults.
    pub(crate) default_origin: OriginId,
}

impl Scope<'_> {
    /// An item of a list of values given as one text (`APP_HOSTS=a,b` for `${hosts.1}`), which
    /// becomes a list only when converted.
    fn text_list_item(&self, tree: &Table, path: &str) -> Option<Value> {
        let (id, element) = self.names.element_at(path)?;
        let target = &self.names.fields.targets[id];
        if element.map || !element.keys.is_empty() {
            return None;
        }
        let list = get_path(tree, &target.keys)?;
        let (Node::Text(text) | Node::Str(text)) = &list.node else {
            return None;
        };
        let separator = target.field.separator.unwrap_or(",");
        let index = element.key.parse::<usize>().ok()?;
        let item = *crate::redact::split_list(text, separator).get(index)?;
        Some(Value::new(Node::Text(item.to_owned()), list.origin))
    }

    /// Whether the element that a path names a field of is in the tree (every path that is
    /// not inside an element's field is taken to exist).
    fn element_exists(&self, tree: &Table, path: &str) -> bool {
        let Some((_, element)) = self.names.element_at(path) else {
            return true;
        };
        let keys: Vec<&str> = path.split('.').collect();
        let element_keys = &keys[..keys.len() - element.keys.len()];
        get_path(tree, element_keys).is_some()
    }
}

/// The reference pass: every `${...}` in the tree resolved in place. `maybe` is false when a
/// walk of the tree found no `${` in any string: then only defaults can bring references. A
/// reference that cannot be resolved is an issue at its field, which is taken out of the tree
/// (rejected: not also missing).
pub(crate) fn resolve(
    tree: &mut Table,
    scope: &Scope<'_>,
    origins: &mut Origins,
    maybe: bool,
) -> Problems {
    let mut problems = Problems::default();
    if !place_defaults_with_references(tree, scope) && !maybe {
        return problems;
    }
    let found: Vec<(Vec<Step>, String, OriginId)> = find_strings(tree, &|s| s.contains("${"))
        .into_iter()
        .filter_map(|location| {
            let value = locate(tree, &location)?;
            let (Node::Text(text) | Node::Str(text)) = &value.node else {
                return None;
            };
            Some((location, text.clone(), value.origin))
        })
        .collect();
    if found.is_empty() {
        return problems;
    }
    let mut resolver = Resolver {
        tree,
        scope,
        origins: &*origins,
        memo: HashMap::new(),
        visiting: Vec::new(),
    };
    let mut changes = Vec::new();
    let mut failures = Vec::new();
    for (location, text, origin) in found {
        let path = dotted(&location);
        match resolver.expand(&text, origin, &path) {
            Ok(r) => changes.push((location, r, origin)),
            Err(message) => {
                // The references are part of a secret value: none is named.
                let keys = field_keys(&location).join(".");
                let field_secret = scope
                    .names
                    .field_of(&path)
                    .or_else(|| scope.names.field_of(&keys))
                    .is_some_and(|f| f.secret);
                let message = if field_secret || resolver.origins.get(origin).secret {
                    secret_problem(&path)
                } else {
                    message
                };
                failures.push((location, path, origin, message));
            }
        }
    }
    for (location, path, origin, message) in failures {
        let origin = origins.get(origin).origin.clone();
        problems
            .issues
            .push(path, IssueKind::Invalid, Some(origin), message);
        // The text with its reference must not be used as it is: the whole field is taken out
        // of the tree and marked, so it is neither converted nor reported missing.
        let keys = field_keys(&location);
        crate::tree::replace_path(tree, &keys, None);
        problems.rejected.push(keys.join("."));
    }
    for (location, resolved, origin) in changes {
        let origin = if resolved.secret && !origins.get(origin).secret {
            let from = origins.get(origin).origin.clone();
            origins.add(from, true)
        } else {
            origin
        };
        if let Some(value) = locate(tree, &location) {
            value.node = match value.node {
                Node::Text(_) => Node::Text(resolved.text),
                _ => Node::Str(resolved.text),
            };
            value.origin = origin;
        }
        if resolved.secret {
            mark_holders_secret(tree, &location, origins);
        }
    }
    problems
}

/// Literal defaults are applied where no source set a value, after this step; a default that
/// holds a reference is put in the tree first, so that it is resolved like any value. (Not
/// inside an optional nested struct that no source set: that must stay `None`.)
fn place_defaults_with_references(tree: &mut Table, scope: &Scope<'_>) -> bool {
    let mut placed = false;
    for &id in &scope.names.defaults_with_references {
        let target = &scope.names.fields.targets[id];
        let DefaultMeta::Literal(lit) = &target.field.default else {
            continue;
        };
        if get_path(tree, &target.keys).is_some() {
            continue;
        }
        let inside_unset_option = (1..target.keys.len()).any(|n| {
            let parent = &target.keys[..n];
            let optional = scope
                .names
                .fields
                .field_at(&parent.join("."))
                .is_some_and(|f| f.optional);
            optional && get_path(tree, parent).is_none()
        });
        if !inside_unset_option {
            crate::tree::insert_field_path(tree, &target.keys, lit.value(scope.default_origin));
            placed = true;
        }
    }
    placed
}

struct Resolver<'a> {
    tree: &'a Table,
    scope: &'a Scope<'a>,
    origins: &'a Origins,
    /// Settings already resolved, by dotted path.
    memo: HashMap<String, Resolved>,
    /// Settings being resolved, to find cycles.
    visiting: Vec<String>,
}

impl Resolver<'_> {
    /// Expands every reference in `text`, found at `path`.
    fn expand(&mut self, text: &str, origin: OriginId, path: &str) -> Result<Resolved, String> {
        let mut out = String::with_capacity(text.len());
        let mut secret = self.origins.get(origin).secret;
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let after = &rest[at..];
            if let Some(tail) = after.strip_prefix("$${") {
                out.push_str("${");
                rest = tail;
            } else if let Some(tail) = after.strip_prefix("${") {
                let Some(end) = tail.find('}') else {
                    return Err(format!("`${{` is never closed in the value of `{path}`"));
                };
                let (reference, fallback) = match tail[..end].split_once(":-") {
                    Some((r, f)) => (r.trim(), Some(f)),
                    None => (tail[..end].trim(), None),
                };
                let found = self.reference(reference, path)?;
                match (found, fallback) {
                    (Some(r), _) => {
                        secret |= r.secret;
                        out.push_str(&r.text);
                    }
                    (None, Some(f)) => out.push_str(f),
                    (None, None) => return Err(unset(reference, path)),
                }
                rest = &tail[end + 1..];
            } else {
                out.push('$');
                rest = &after[1..];
            }
        }
        out.push_str(rest);
        Ok(Resolved { text: out, secret })
    }

    /// The value a reference names; `None` when it names something unset.
    fn reference(&mut self, reference: &str, from: &str) -> Result<Option<Resolved>, String> {
        if let Some(name) = reference.strip_prefix("env:") {
            return Ok(self.scope.env.get(name.trim()).map(|text| Resolved {
                text,
                secret: false,
            }));
        }
        if reference.is_empty() {
            return Err(format!(
                "an empty reference `${{}}` in the value of `{from}`"
            ));
        }
        if let Some(done) = self.memo.get(reference) {
            return Ok(Some(done.clone()));
        }
        if self.visiting.iter().any(|v| v == reference) {
            let mut cycle = self.visiting.clone();
            cycle.push(reference.to_owned());
            return Err(format!(
                "the references form a cycle: {}",
                cycle.join(" → ")
            ));
        }
        let field = self.scope.names.field_of(reference);
        let field_secret = field.is_some_and(|f| f.secret);
        let keys: Vec<&str> = reference.split('.').collect();
        // An item of a list still held as one text is looked for only when the path is not
        // in the tree as it is.
        let item;
        let found = match get_path(self.tree, &keys) {
            Some(value) => Some(value),
            None => {
                item = self.scope.text_list_item(self.tree, reference);
                item.as_ref()
            }
        };
        let resolved = match found {
            Some(value) => {
                let text = match &value.node {
                    Node::Text(s) | Node::Str(s) => s.clone(),
                    Node::Int(_) | Node::Float(_) | Node::Bool(_) => value.display(),
                    Node::Null => return Ok(None),
                    Node::Array(_) | Node::Table(_) => {
                        return Err(format!(
                            "`${{{reference}}}` in the value of `{from}` names {}, not a single value",
                            value.kind_name()
                        ));
                    }
                };
                self.visiting.push(reference.to_owned());
                let inner = if text.contains("${") {
                    let secret = field_secret || self.origins.get(value.origin).secret;
                    self.expand(&text, value.origin, reference)
                        .map_err(|message| {
                            if secret {
                                secret_problem(reference)
                            } else {
                                message
                            }
                        })
                } else {
                    Ok(Resolved {
                        secret: self.origins.get(value.origin).secret,
                        text,
                    })
                };
                self.visiting.pop();
                let mut inner = inner?;
                inner.secret |= field_secret;
                inner
            }
            // An element's field is a setting only in an element that exists.
            None if field.is_some() && !self.scope.element_exists(self.tree, reference) => {
                return Ok(None);
            }
            None => match field.map(|f| &f.default) {
                Some(DefaultMeta::Literal(lit)) => match lit.scalar_text() {
                    Some(text) => Resolved {
                        text,
                        secret: field_secret,
                    },
                    None => return Ok(None),
                },
                Some(_) => return Ok(None),
                None => {
                    return Err(format!(
                        "`${{{reference}}}` in the value of `{from}` names no setting"
                    ));
                }
            },
        };
        self.memo.insert(reference.to_owned(), resolved.clone());
        Ok(Some(resolved))
    }
}

/// A reference problem in a secret value: the references are part of the value, so the message
/// names none of them.
fn secret_problem(path: &str) -> String {
    format!(
        "a `${{...}}` reference in the value of `{path}` cannot be resolved (the value is \
         secret, so the reference is not shown; `$${{` writes a literal `${{`)"
    )
}

fn unset(reference: &str, from: &str) -> String {
    match reference.strip_prefix("env:") {
        Some(name) => format!(
            "the environment variable {} used in the value of `{from}` is not set (give a fallback with `${{env:{}:-...}}`)",
            name.trim(),
            name.trim()
        ),
        None => format!(
            "`${{{reference}}}` in the value of `{from}` names a setting that has no value (give a fallback with `${{{reference}:-...}}`)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::Origin;
    use crate::testing::{at, names, origins, tree};

    fn resolve_in(table: &mut Table, env: &[(&str, &str)], origins: &mut Origins) -> Problems {
        let env = EnvInput::Pairs(env.iter().map(|(n, v)| (n.into(), v.into())).collect());
        let scope = Scope {
            names: names(),
            env: &env,
            default_origin: 0,
        };
        resolve(table, &scope, origins, true)
    }

    #[test]
    fn references_see_merged_values_defaults_and_the_environment() {
        let mut origins = origins();
        let file = origins.add(
            Origin::File {
                path: "a.toml".into(),
            },
            false,
        );
        let mut t = tree(
            serde_json::json!({
                "name": "world",
                "db": {"url": "postgres://${env:HOST:-localhost}:${port}/x"},
                "hosts": ["${name}", "$${literal}"]
            }),
            file,
        );
        let problems = resolve_in(&mut t, &[("HOST", "db.internal")], &mut origins);
        assert!(problems.list().is_empty(), "{:?}", problems.list());
        // `port` is unset: its literal default is read. `greeting`'s default holds a reference
        // and is placed in the tree to be resolved like any value.
        assert_eq!(
            at(&t, "db.url").as_deref(),
            Some("postgres://db.internal:8000/x")
        );
        assert_eq!(
            at(&t, "hosts").as_deref(),
            Some(r#"["world", "${literal}"]"#)
        );
        assert_eq!(at(&t, "greeting").as_deref(), Some("hi world"));
    }

    #[test]
    fn a_secret_reference_makes_the_value_secret_and_failures_are_rejected() {
        let mut origins = origins();
        let file = origins.add(
            Origin::File {
                path: "a.toml".into(),
            },
            false,
        );
        let mut t = tree(
            serde_json::json!({"api_key": "k", "name": "key ${api_key}", "db": {"url": "${nope}"}}),
            file,
        );
        let problems = resolve_in(&mut t, &[], &mut origins);
        let name = crate::tree::get_path(&t, &["name"]).unwrap();
        assert!(origins.get(name.origin).secret);
        let issues = problems.list();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].path, "db.url");
        assert!(
            issues[0].message.contains("`${nope}`"),
            "{}",
            issues[0].message
        );
        assert_eq!(problems.rejected, ["db.url"]);
        assert!(at(&t, "db.url").is_none());
    }
}
