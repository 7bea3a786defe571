//! The Markdown reference: the struct's name and doc, then one table row per leaf with its
//! path, type, default, env names and description (doc comment, then constraints).
//!
//! Defaults are shown in JSON syntax. Cells escape `|` (as GitHub tables need, code spans
//! included) and join lines with `<br>`.

use super::{Entry, Example, Kind, Tree, default_value, json, quoted, rules, title_lines};
use crate::meta::{DefaultMeta, Shape};

pub(super) fn render(tree: &Tree) -> String {
    let mut out = format!("# {}\n\n", tree.name);
    if !tree.doc.trim().is_empty() {
        out.push_str(&title_lines(tree).join("\n"));
        out.push_str("\n\n");
    }
    out.push_str("| Path | Type | Default | Env | Description |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    write_rows(&mut out, &tree.entries);
    out
}

fn write_rows(out: &mut String, entries: &[Entry]) {
    for entry in entries {
        let field = entry.field;
        match &entry.kind {
            Kind::Table { entries, .. } => write_rows(out, entries),
            Kind::Leaf(example) => {
                let env: Vec<String> = entry.env.iter().map(|n| code(n)).collect();
                let mut description = paragraphs(field.doc);
                description.extend(rules(field));
                if field.secret && !field.ty.contains("Secret<") {
                    description.push("secret".to_owned());
                }
                if let (Some(sep), Shape::List) = (field.separator, field.shape) {
                    description.push(format!("in env: a list separated by {}", quoted(sep)));
                }
                if let Some(table) = &entry.within {
                    description.push(format!("only when {} is set", code(table)));
                }
                let cells = [
                    code(&entry.path),
                    code(field.ty),
                    default_cell(entry, example),
                    env.join(", "),
                    description.join("<br>"),
                ];
                let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
        }
    }
}

fn default_cell(entry: &Entry, example: &Example) -> String {
    let field = entry.field;
    match (&field.default, example) {
        (DefaultMeta::None, _) if !field.optional => "**required**".to_owned(),
        (DefaultMeta::None, _) => "unset".to_owned(),
        _ if field.secret => "(secret)".to_owned(),
        (DefaultMeta::With(path), Example::Value(v)) => {
            format!("{} (computed by {})", code(&json::value(v)), code(path))
        }
        (DefaultMeta::With(path), _) => format!("computed by {}", code(path)),
        (DefaultMeta::Literal(_), _) => default_value(field)
            .map(|v| code(&json::value(&v)))
            .unwrap_or_default(),
        (DefaultMeta::Trait, Example::Value(v)) => {
            format!("{} ({})", code(&json::value(v)), code("Default::default()"))
        }
        (DefaultMeta::Trait, Example::Unset(_)) => "unset".to_owned(),
        (DefaultMeta::Trait, _) => code("Default::default()"),
    }
}

/// A doc comment as table text: the lines of a paragraph joined by spaces, paragraphs as
/// separate items.
fn paragraphs(doc: &str) -> Vec<String> {
    doc.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// A code span that holds any text: the fence is longer than any run of backticks inside.
fn code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A table cell: `|` escaped, line breaks as `<br>`.
fn escape(cell: &str) -> String {
    cell.replace('|', "\\|").replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code("u16"), "`u16`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }

    #[test]
    fn cells_escape_pipes_and_breaks() {
        assert_eq!(escape("^(a|b)$"), "^(a\\|b)$");
        assert_eq!(escape("l1\nl2"), "l1<br>l2");
    }

    #[test]
    fn docs_become_paragraphs() {
        assert_eq!(paragraphs("One\ntwo.\n\nThree."), ["One two.", "Three."]);
        assert!(paragraphs("").is_empty());
    }
}
