//! How each source's values join the tree of a load: tables merge key by key, lists and scalars
//! are replaced, and the lists of `extend` fields grow. Keeps, when asked, what each source
//! replaced (the report's "over ...").

use crate::tree::{
    KeySet, Node, Table, Value, from_json, get_path, insert_field_path, insert_path_in,
    merge_tables, replace_path,
};
use std::collections::HashMap;

/// Merges each source into the tree: tables key by key, lists and scalars replaced, except the
/// lists of fields declared `extend`, which grow: the higher source's items come after the lower
/// one's. Text lists (`a,b` or a JSON array) are split into items to be joined.
pub(crate) struct Merger {
    /// The path of every `extend` field, with its list separator.
    extend: Vec<(Vec<&'static str>, &'static str)>,
    /// When the load explains itself: the values each source replaced, by dotted path, lowest
    /// source first.
    history: Option<HashMap<String, Vec<Value>>>,
    /// The field keys, so that a key a source creates takes the field's name.
    known: &'static KeySet,
}

impl Merger {
    /// A merger that grows the lists at `extend` (each path with its separator), takes key
    /// names from `known`, and remembers what each source replaced when `keep_history`.
    pub(crate) fn new(
        extend: Vec<(Vec<&'static str>, &'static str)>,
        known: &'static KeySet,
        keep_history: bool,
    ) -> Self {
        Merger {
            extend,
            history: keep_history.then(HashMap::new),
            known,
        }
    }

    /// The values that sources of higher precedence replaced at `path`, lowest first.
    pub(crate) fn replaced(&self, path: &str) -> Vec<Value> {
        self.history
            .as_ref()
            .and_then(|h| h.get(path).cloned())
            .unwrap_or_default()
    }

    /// Records the leaves of `tree` that `incoming` is about to replace.
    fn remember(&mut self, tree: &Table, incoming: &Table, prefix: &mut Vec<String>) {
        let Some(history) = &mut self.history else {
            return;
        };
        remember_in(history, tree, incoming, prefix);
    }

    /// Merges a whole source's table into the tree.
    pub(crate) fn merge(&mut self, tree: &mut Table, mut incoming: Table) {
        if tree.is_empty() {
            // The first source: nothing to remember, join or merge key by key.
            *tree = incoming;
            return;
        }
        self.remember(tree, &incoming, &mut Vec::new());
        for (keys, sep) in &self.extend {
            if let (Some(old), Some(new)) = (get_path(tree, keys), get_path(&incoming, keys)) {
                let joined = join_lists(old, new.clone(), sep);
                replace_path(&mut incoming, keys, Some(joined));
            }
        }
        merge_tables(tree, incoming);
    }

    /// Sets one field's value (an environment variable, an argument) in the tree.
    pub(crate) fn insert(&mut self, tree: &mut Table, keys: &[&'static str], value: Value) {
        let value = self.prepare(tree, keys, value);
        insert_field_path(tree, keys, value);
    }

    /// Sets one value at a path given at run time (an override) in the tree.
    pub(crate) fn insert_at(&mut self, tree: &mut Table, keys: &[&str], value: Value) {
        let value = self.prepare(tree, keys, value);
        insert_path_in(tree, keys, value, self.known);
    }

    /// Before a value is set at `keys`: what it replaces goes into the history, and an
    /// `extend` list joins the list already there.
    fn prepare(&mut self, tree: &Table, keys: &[&str], mut value: Value) -> Value {
        // The tree is searched for the old value only when the load keeps a history.
        if let Some((history, old)) = self
            .history
            .as_mut()
            .and_then(|h| Some((h, get_path(tree, keys)?)))
        {
            match (&old.node, &value.node) {
                (Node::Table(old_t), Node::Table(new_t)) => {
                    let mut prefix = keys.iter().map(|k| (*k).to_owned()).collect();
                    remember_in(history, old_t, new_t, &mut prefix);
                }
                (Node::Table(_), _) => {}
                _ => history.entry(keys.join(".")).or_default().push(old.clone()),
            }
        }
        if let Some((_, sep)) = self.extend.iter().find(|(k, _)| k == keys)
            && let Some(old) = get_path(tree, keys)
        {
            value = join_lists(old, value, sep);
        }
        value
    }
}

/// Records in `history` the leaves of `tree` that `incoming` is about to replace.
fn remember_in(
    history: &mut HashMap<String, Vec<Value>>,
    tree: &Table,
    incoming: &Table,
    prefix: &mut Vec<String>,
) {
    for (key, new) in incoming {
        let Some(old) = tree.get(key) else { continue };
        prefix.push(key.to_string());
        match (&old.node, &new.node) {
            (Node::Table(old_t), Node::Table(new_t)) => remember_in(history, old_t, new_t, prefix),
            (Node::Table(_), _) => {}
            _ => history
                .entry(prefix.join("."))
                .or_default()
                .push(old.clone()),
        }
        prefix.pop();
    }
}

/// `old`'s items then `new`'s, as one array with `new`'s origin; `new` unchanged where either
/// side is not a list (the conversion then reports what is wrong with it).
fn join_lists(old: &Value, new: Value, sep: &str) -> Value {
    let origin = new.origin;
    match (list_items(old.clone(), sep), list_items(new.clone(), sep)) {
        (Some(mut items), Some(more)) => {
            items.extend(more);
            Value::new(Node::Array(items), origin)
        }
        _ => new,
    }
}

fn list_items(value: Value, sep: &str) -> Option<Vec<Value>> {
    let origin = value.origin;
    match value.node {
        Node::Array(items) => Some(items),
        Node::Text(s) | Node::Str(s) => {
            let t = s.trim();
            if t.is_empty() {
                Some(Vec::new())
            } else if t.starts_with('[') {
                match serde_json::from_str::<serde_json::Value>(t).ok()? {
                    serde_json::Value::Array(items) => {
                        Some(items.into_iter().map(|j| from_json(j, origin)).collect())
                    }
                    _ => None,
                }
            } else {
                Some(
                    crate::redact::split_list(t, sep)
                        .into_iter()
                        .map(|i| Value::new(Node::Text(i.trim().to_owned()), origin))
                        .collect(),
                )
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::NO_KEYS;

    fn text(s: &str, origin: crate::tree::OriginId) -> Value {
        Value::new(Node::Text(s.to_owned()), origin)
    }

    #[test]
    fn extend_lists_grow_across_sources() {
        let mut merger = Merger {
            extend: vec![(vec!["hosts"], ",")],
            history: None,
            known: &NO_KEYS,
        };
        let mut tree = Table::new();
        merger.merge(
            &mut tree,
            from_json(serde_json::json!({"hosts": ["a"], "other": [1]}), 0).into_table(),
        );
        merger.merge(
            &mut tree,
            from_json(serde_json::json!({"hosts": ["b"], "other": [2]}), 1).into_table(),
        );
        merger.insert(&mut tree, &["hosts"], text("c, d", 2));
        merger.insert(&mut tree, &["hosts"], text(r#"["e"]"#, 3));
        let t = Value::new(Node::Table(tree), 0);
        assert_eq!(
            t.display(),
            r#"{"hosts": ["a", "b", "c", "d", "e"], "other": [2]}"#
        );
    }

    #[test]
    fn history_keeps_what_each_source_replaced() {
        let mut merger = Merger::new(Vec::new(), &NO_KEYS, true);
        let mut tree = Table::new();
        let layer = |json, origin| from_json(json, origin).into_table();
        merger.merge(
            &mut tree,
            layer(serde_json::json!({"db": {"url": "a", "pool": 1}}), 0),
        );
        merger.merge(&mut tree, layer(serde_json::json!({"db": {"url": "b"}}), 1));
        merger.insert(&mut tree, &["db", "url"], text("c", 2));
        let replaced: Vec<_> = merger
            .replaced("db.url")
            .iter()
            .map(|v| (v.display(), v.origin))
            .collect();
        assert_eq!(replaced, [("a".to_owned(), 0), ("b".to_owned(), 1)]);
        assert!(merger.replaced("db.pool").is_empty());
        // Without a history nothing is kept.
        let mut plain = Merger::new(Vec::new(), &NO_KEYS, false);
        let mut tree = Table::new();
        plain.merge(&mut tree, layer(serde_json::json!({"a": 1}), 0));
        plain.merge(&mut tree, layer(serde_json::json!({"a": 2}), 1));
        assert!(plain.replaced("a").is_empty());
    }
}
