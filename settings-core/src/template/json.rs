//! The JSON template: a document with every key, since JSON has no comments.
//!
//! A leaf holds its default where it has one, `null` for an `Option` without default (which
//! loads as unset), and otherwise the placeholder string of the other formats
//! (`"<required: u16>"`, `"<secret>"`, `"<computed by path::to::fn>"`). Keys keep field order.

use super::{Entry, Example, Kind, Tree, flow, placeholder, quoted};

pub(super) fn render(tree: &Tree) -> String {
    let mut out = String::new();
    write_object(&mut out, &tree.entries, 0);
    out.push('\n');
    out
}

fn write_object(out: &mut String, entries: &[Entry], depth: usize) {
    if entries.is_empty() {
        out.push_str("{}");
        return;
    }
    let indent = "  ".repeat(depth + 1);
    out.push_str("{\n");
    for (i, entry) in entries.iter().enumerate() {
        out.push_str(&indent);
        out.push_str(&quoted(entry.field.key));
        out.push_str(": ");
        match &entry.kind {
            Kind::Leaf(Example::Value(v)) => out.push_str(&value(v)),
            Kind::Leaf(Example::Placeholder(text)) => out.push_str(&quoted(&placeholder(text))),
            Kind::Leaf(Example::Unset(_)) => out.push_str("null"),
            Kind::Table { entries, .. } => write_object(out, entries, depth + 1),
        }
        if i + 1 < entries.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str(&"  ".repeat(depth));
    out.push('}');
}

/// A value in JSON, on one line: `["a", "b"]`, `{ "k": 1 }`.
pub(super) fn value(v: &serde_json::Value) -> String {
    flow(v, &|k| quoted(k), ": ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_json() {
        let v = serde_json::json!({"a": [1, "x\ny"], "b": {}, "c": null, "d": 0.5});
        let text = super::value(&v);
        assert_eq!(
            text,
            r#"{ "a": [1, "x\ny"], "b": {}, "c": null, "d": 0.5 }"#
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
    }
}
