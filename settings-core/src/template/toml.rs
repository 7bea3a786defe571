//! The TOML template: comments, `#key = default` lines, `[table]` headers for nested structs.
//!
//! A table's plain keys come before its sub-tables (a key written after a `[table]` header
//! would belong to that table); otherwise the order is the fields'.

use super::{Entry, EnvLine, Example, Kind, Tree};
use super::{comment_block, flow, header, notes, placeholder, quoted, table_doc};
use serde_json::Value;

pub(super) fn render(tree: &Tree) -> String {
    let mut out = String::new();
    let legend = format!(
        "Template for `{}`. A line `#key = value` shows a default: remove the `#` to change\n\
         it. A value \"<required: TYPE>\" stands for a required setting: replace it.",
        tree.name
    );
    header(&mut out, tree, &legend);
    write_table(&mut out, &tree.entries);
    out
}

fn write_table(out: &mut String, entries: &[Entry]) {
    for entry in entries {
        if let Kind::Leaf(example) = &entry.kind {
            out.push('\n');
            comment_block(
                out,
                "",
                entry.field.doc,
                &notes(entry, EnvLine::All, &value),
            );
            if !entry.active {
                out.push('#');
            }
            out.push_str(&key(entry.field.key));
            out.push_str(" = ");
            out.push_str(&example_text(example));
            out.push('\n');
        }
    }
    for entry in entries {
        if let Kind::Table { entries: inner, .. } = &entry.kind {
            out.push('\n');
            comment_block(
                out,
                "",
                table_doc(entry),
                &notes(entry, EnvLine::All, &value),
            );
            if !entry.active {
                out.push('#');
            }
            let header: Vec<String> = entry.path.split('.').map(key).collect();
            out.push_str(&format!("[{}]\n", header.join(".")));
            write_table(out, inner);
        }
    }
}

/// A value in TOML syntax.
fn value(v: &Value) -> String {
    flow(v, &key, " = ")
}

fn example_text(example: &Example) -> String {
    match example {
        Example::Value(v) => value(v),
        Example::Placeholder(text) | Example::Unset(text) => quoted(&placeholder(text)),
    }
}

/// A key, bare when TOML allows it.
fn key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare { k.to_owned() } else { quoted(k) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_quoted_only_when_needed() {
        assert_eq!(key("pool_size"), "pool_size");
        assert_eq!(key("pool-size"), "pool-size");
        assert_eq!(key("a.b"), "\"a.b\"");
        assert_eq!(key(""), "\"\"");
    }

    #[test]
    fn values_are_toml() {
        let v = serde_json::json!({"a": [1, "x"], "b": {}});
        let text = format!("k = {}", value(&v));
        let back: ::toml::Value = ::toml::from_str(&text).unwrap();
        assert_eq!(back["k"]["a"][1].as_str(), Some("x"));
    }
}
