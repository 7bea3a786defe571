//! The `.env` template: one `NAME=value` line per leaf, with comments; as in TOML, a struct's
//! plain settings come before its nested structs, so that each `# --- path ---` section holds
//! only its own.
//!
//! The key line uses the first env name of the field (an explicit `env` name when there is one,
//! since it has priority); the comment lists the others. Values are config text as the loader reads it: strings bare,
//! lists joined by the field's separator, anything else as JSON; a value that the dotenv syntax
//! would change (spaces at the ends, `#`, quotes, `$`, backslashes, line breaks) is
//! double-quoted with escapes.

use super::{Entry, EnvLine, Example, Kind, Tree};
use super::{comment, comment_block, header, notes, placeholder, table_doc};
use crate::meta::FieldMeta;
use serde_json::Value;

pub(super) fn render(tree: &Tree) -> String {
    let mut out = String::new();
    let legend = format!(
        "Template for `{}`. A line `#NAME=value` shows a default: remove the `#` to change\n\
         it. A value <required: TYPE> stands for a required setting: replace it.",
        tree.name
    );
    header(&mut out, tree, &legend);
    write_entries(&mut out, &tree.entries);
    out
}

fn write_entries(out: &mut String, entries: &[Entry]) {
    for entry in entries {
        if let Kind::Leaf(example) = &entry.kind {
            out.push('\n');
            let show = |v: &Value| quote(&text(v, entry.field));
            comment_block(
                out,
                "",
                entry.field.doc,
                &notes(entry, EnvLine::Others, &show),
            );
            let Some(name) = entry.env.first() else {
                continue;
            };
            if !entry.active {
                out.push('#');
            }
            let value = match example {
                Example::Value(v) => text(v, entry.field),
                Example::Placeholder(t) | Example::Unset(t) => placeholder(t),
            };
            out.push_str(&format!("{name}={}\n", quote(&value)));
        }
    }
    for entry in entries {
        if let Kind::Table { entries, .. } = &entry.kind {
            out.push('\n');
            comment(out, "", &format!("--- {} ---", entry.path));
            let notes = notes(entry, EnvLine::Others, &|v| v.to_string());
            comment_block(out, "", table_doc(entry), &notes);
            write_entries(out, entries);
        }
    }
}

/// A value as config text: what an environment variable would hold.
fn text(value: &Value, field: &FieldMeta) -> String {
    let separator = field.separator.unwrap_or(",");
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if !items.is_empty() => {
            let scalars: Option<Vec<String>> = items
                .iter()
                .map(|v| match v {
                    Value::String(s) if !s.is_empty() && !s.contains(separator) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                })
                .collect();
            match scalars.map(|s| s.join(separator)) {
                Some(joined)
                    if !joined.starts_with(['[', '{']) && joined.trim() == joined.as_str() =>
                {
                    joined
                }
                _ => value.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// The text as a dotenv value: bare when the parser reads it back unchanged, else
/// double-quoted with escapes.
fn quote(text: &str) -> String {
    let bare = !text.is_empty()
        && text.trim() == text
        && !text
            .chars()
            .any(|c| matches!(c, '#' | '"' | '\'' | '$' | '\\') || c.is_control());
    if bare {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::dotenv;

    fn read_back(value: &str) -> String {
        let line = format!("NAME={}", quote(value));
        let (entries, errors) = dotenv::parse(&line, &|_| None);
        assert!(errors.is_empty(), "{line}: {errors:?}");
        entries[0].value.clone()
    }

    #[test]
    fn values_read_back_unchanged() {
        for v in [
            "plain",
            "<required: Vec<String>>",
            "with space",
            " padded ",
            "a #not a comment",
            "x#y",
            "\"quoted\"",
            "it's",
            "${HOME}",
            "back\\slash",
            "two\nlines",
            "",
        ] {
            assert_eq!(read_back(v), v, "{v:?}");
        }
        assert_eq!(quote("30s"), "30s");
        assert_eq!(quote(""), "\"\"");
    }
}
