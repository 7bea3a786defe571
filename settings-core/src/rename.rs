//! Other key paths of a setting (`alias`, `renamed_from`) in a source's tables and in `.set`
//! paths: the value moves to the setting's current path before the source is merged, so it is
//! read at the precedence of the source that holds it. An old path in use is a warning; a source
//! that sets both the old and the current path keeps the current one and says so.

use crate::fields::FieldIndex;
use crate::naming::Rename;
use crate::origin::Origins;
use crate::tree::{Table, get_path, insert_path, remove_path};

/// Moves every value found at a rename's `from` path of `table` to the field's current path.
pub(crate) fn apply(
    table: &mut Table,
    renames: &[Rename],
    fields: &FieldIndex,
    origins: &Origins,
    warnings: &mut Vec<String>,
) {
    for rename in renames {
        let from: Vec<&str> = rename.from.iter().map(String::as_str).collect();
        let Some(value) = remove_path(table, &from) else {
            continue;
        };
        let target = &fields.targets[rename.to];
        let from = rename.from.join(".");
        let origin = &origins.get(value.origin).origin;
        if get_path(table, &target.keys).is_some() {
            warnings.push(format!(
                "`{from}` and `{}` are both set in {origin}: `{}` is used; remove `{from}`",
                target.path, target.path
            ));
            continue;
        }
        if rename.old {
            warnings.push(format!(
                "`{from}` in {origin} is the old name of `{}`: rename it (it still works for now)",
                target.path
            ));
        }
        insert_path(table, &target.keys, value);
    }
}

/// A `.set` path under its current name: `Some` when it starts with a rename's `from` path (an
/// old path is a warning), the rest of the path kept.
pub(crate) fn current_path(
    path: &str,
    renames: &[Rename],
    fields: &FieldIndex,
    warnings: &mut Vec<String>,
) -> Option<String> {
    let keys: Vec<&str> = path.split('.').collect();
    let rename = renames
        .iter()
        .find(|r| r.from.len() <= keys.len() && r.from.iter().zip(&keys).all(|(a, b)| a == b))?;
    let target = &fields.targets[rename.to];
    let mut current = target.path.clone();
    for rest in &keys[rename.from.len()..] {
        current.push('.');
        current.push_str(rest);
    }
    if rename.old {
        warnings.push(format!(
            "`.set(\"{path}\")` uses the old name of `{}`: use `{current}` (it still works for now)",
            target.path
        ));
    }
    Some(current)
}
