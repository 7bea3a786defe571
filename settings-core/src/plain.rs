//! Secrets in plain text: a secret setting whose value comes from a plain-text config file (not
//! a `*.age` file, not an `ENC[...]` value) or from a command-line argument is a warning, or under
//! `deny_plain_secrets` an `Invalid` issue that takes the value out.

use crate::error::IssueKind;
use crate::fields::Target;
use crate::layer::Problems;
use crate::meta::StructMeta;
use crate::naming::Names;
use crate::origin::{Origin, Origins};
use crate::tree::{Node, Table, Value, get_path, remove_path};

/// Checks every secret leaf of the tree, elements of lists and maps of structs included.
pub(crate) fn check(tree: &mut Table, names: &Names, origins: &Origins, deny: bool) -> Problems {
    let mut found = Vec::new();
    find(tree, names, "", origins, &mut found);
    let mut problems = Problems::default();
    for (path, origin) in found {
        let message = format!(
            "{path} is a secret but comes from {origin} in plain text: keep it in the secrets \
             directory or the environment, or encrypt it with age (ENC[age:...] or a .age file)"
        );
        if deny {
            let keys: Vec<&str> = path.split('.').collect();
            remove_path(tree, &keys);
            problems.reject(path, IssueKind::Invalid, Some(origin), message);
        } else {
            problems.warnings.push(message);
        }
    }
    problems
}

/// The secret leaves of `fields` in `table` whose value is in plain text, with their paths
/// (under `at`) and origins.
fn find(
    table: &Table,
    names: &Names,
    at: &str,
    origins: &Origins,
    found: &mut Vec<(String, Origin)>,
) {
    for &id in &names.secret_places {
        let target = &names.fields.targets[id];
        if target.field.secret && !target.is_nested() {
            if let Some(value) = get_path(table, &target.keys)
                && let Some(origin) = plain(value, origins)
            {
                found.push((path(at, target), origin));
            }
        } else if let Some(element) = target.field.element_meta() {
            elements(table, target, element, at, origins, found);
        }
    }
}

/// The same in each element of a list or map of structs.
fn elements(
    table: &Table,
    target: &Target,
    element: &'static StructMeta,
    at: &str,
    origins: &Origins,
    found: &mut Vec<(String, Origin)>,
) {
    let Some(value) = get_path(table, &target.keys) else {
        return;
    };
    let inner = Names::of(element);
    if inner.secret_places.is_empty() {
        // No element can hold a secret: nothing to look at, no path to build.
        return;
    }
    let mut each = |key: &str, item: &Value| {
        if let Node::Table(t) = &item.node {
            let at = format!("{}.{key}", path(at, target));
            find(t, inner, &at, origins, found);
        }
    };
    match &value.node {
        Node::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                each(&i.to_string(), item);
            }
        }
        Node::Table(entries) => {
            for (key, item) in entries {
                each(key, item);
            }
        }
        _ => {}
    }
}

fn path(at: &str, target: &Target) -> String {
    if at.is_empty() {
        target.path.clone()
    } else {
        format!("{at}.{}", target.path)
    }
}

/// The origin of a value given in plain text: a config file that is not encrypted, or an
/// argument (a list's items are looked at too).
fn plain(value: &Value, origins: &Origins) -> Option<Origin> {
    if let Node::Array(items) = &value.node
        && let Some(origin) = items.iter().find_map(|item| plain(item, origins))
    {
        return Some(origin);
    }
    let origin = &origins.get(value.origin).origin;
    match origin {
        Origin::File { path } if !crate::providers::file::is_encrypted(path) => {
            Some(origin.clone())
        }
        Origin::Argument { .. } => Some(origin.clone()),
        _ => None,
    }
}
