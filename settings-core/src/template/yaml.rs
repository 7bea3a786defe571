//! The YAML template: comments, `#key: default` lines, nested structs as indented mappings.
//!
//! Values are written in flow style (`"30s"`, `["localhost"]`, `{}`), strings always
//! double-quoted, so that no string is read as a bool or a number.

use super::{Entry, EnvLine, Example, Kind, Tree};
use super::{comment_block, flow, header, notes, placeholder, quoted, table_doc};
use serde_json::Value;

pub(super) fn render(tree: &Tree) -> String {
    let mut out = String::new();
    let legend = format!(
        "Template for `{}`. A line `#key: value` shows a default: remove the `#` to change\n\
         it. A value \"<required: TYPE>\" stands for a required setting: replace it.",
        tree.name
    );
    header(&mut out, tree, &legend);
    write_mapping(&mut out, &tree.entries, 0);
    out
}

fn write_mapping(out: &mut String, entries: &[Entry], depth: usize) {
    let indent = "  ".repeat(depth);
    for (i, entry) in entries.iter().enumerate() {
        // A blank line between entries, none right below a mapping's key.
        if depth == 0 || i > 0 {
            out.push('\n');
        }
        let doc = match entry.kind {
            Kind::Leaf(_) => entry.field.doc,
            Kind::Table { .. } => table_doc(entry),
        };
        comment_block(out, &indent, doc, &notes(entry, EnvLine::All, &value));
        out.push_str(&indent);
        if !entry.active {
            out.push('#');
        }
        out.push_str(&key(entry.field.key));
        out.push(':');
        match &entry.kind {
            Kind::Leaf(example) => {
                out.push(' ');
                out.push_str(&example_text(example));
                out.push('\n');
            }
            Kind::Table { entries, .. } => {
                out.push('\n');
                write_mapping(out, entries, depth + 1);
            }
        }
    }
}

/// A value in YAML flow syntax.
fn value(v: &Value) -> String {
    flow(v, &|k| quoted(k), ": ")
}

fn example_text(example: &Example) -> String {
    match example {
        Example::Value(v) => value(v),
        Example::Placeholder(text) | Example::Unset(text) => quoted(&placeholder(text)),
    }
}

/// A key, plain when YAML reads it back as the same string.
fn key(k: &str) -> String {
    let plain = k
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !matches!(
            k.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
        );
    if plain { k.to_owned() } else { quoted(k) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_quoted_when_yaml_would_read_them_otherwise() {
        assert_eq!(key("pool_size"), "pool_size");
        assert_eq!(key("on"), "\"on\"");
        assert_eq!(key("1st"), "\"1st\"");
        assert_eq!(key("a: b"), "\"a: b\"");
    }

    #[test]
    fn values_are_yaml() {
        let v = serde_json::json!({"a": [1, "no"], "b": {}});
        let text = format!("k: {}", value(&v));
        let back: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
        assert_eq!(back["k"]["a"][1].as_str(), Some("no"));
    }
}
