//! The merged tree every source writes into, and the table of origins its values point at.
//!
//! One load builds one tree: sources are applied lowest precedence first, each overwriting what
//! it sets. Every value carries the index of its origin ("env var APP_PORT", "file app.toml"), so
//! an error or a report can say where a value came from without a copy of the text per value.

use crate::naming::{KeySet, NO_KEYS};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Index into [`Origins`].
pub(crate) type OriginId = u32;

/// A key of a table: borrowed when it is the name of a declared field (most keys of a file are),
/// so that the tree of a load copies no field name.
pub(crate) type Key = Cow<'static, str>;

/// A table of the tree: keys in sorted order.
pub(crate) type Table = BTreeMap<Key, Value>;

/// One value of the tree and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Value {
    pub(crate) node: Node,
    pub(crate) origin: OriginId,
}

/// The shapes a value can take.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// Text from a text source (env, dotenv, INI, secret file): an empty text is "unset" for an
    /// `Option`.
    Text(String),
    /// A string from a typed format (TOML, YAML, JSON, overrides).
    Str(String),
    Int(i128),
    Float(f64),
    Bool(bool),
    Null,
    Array(Vec<Value>),
    Table(Table),
}

impl Value {
    pub(crate) fn new(node: Node, origin: OriginId) -> Self {
        Value { node, origin }
    }

    #[cfg(test)]
    pub(crate) fn into_table(self) -> Table {
        match self.node {
            Node::Table(t) => t,
            _ => Table::new(),
        }
    }

    pub(crate) fn table(origin: OriginId) -> Self {
        Value::new(Node::Table(Table::new()), origin)
    }

    /// A short name of the value's kind for messages ("a table", "a string").
    pub(crate) fn kind_name(&self) -> &'static str {
        match self.node {
            Node::Text(_) | Node::Str(_) => "a string",
            Node::Int(_) => "an integer",
            Node::Float(_) => "a float",
            Node::Bool(_) => "a boolean",
            Node::Null => "null",
            Node::Array(_) => "an array",
            Node::Table(_) => "a table",
        }
    }

    /// The value as display text: strings as they are, everything else in a JSON-like form.
    pub(crate) fn display(&self) -> String {
        let mut out = String::new();
        self.write_display(&mut out, true);
        out
    }

    fn write_display(&self, out: &mut String, top: bool) {
        match &self.node {
            Node::Text(s) | Node::Str(s) if top => out.push_str(s),
            Node::Text(s) | Node::Str(s) => {
                let _ = write!(out, "{s:?}");
            }
            Node::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Node::Float(f) => {
                let _ = write!(out, "{f}");
            }
            Node::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            Node::Null => out.push_str("null"),
            Node::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_display(out, false);
                }
                out.push(']');
            }
            Node::Table(t) => {
                out.push('{');
                for (i, (k, v)) in t.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{k:?}: ");
                    v.write_display(out, false);
                }
                out.push('}');
            }
        }
    }

    /// Merges `other` over `self`: tables merge key by key, anything else is replaced.
    pub(crate) fn merge(&mut self, other: Value) {
        match (&mut self.node, other.node) {
            (Node::Table(mine), Node::Table(theirs)) => merge_tables(mine, theirs),
            (_, node) => {
                self.node = node;
                self.origin = other.origin;
            }
        }
    }
}

/// Merges `theirs` into `mine`, `theirs` winning.
pub(crate) fn merge_tables(mine: &mut Table, theirs: Table) {
    for (key, value) in theirs {
        match mine.get_mut(&key) {
            Some(existing) => existing.merge(value),
            None => {
                mine.insert(key, value);
            }
        }
    }
}

/// Sets `value` at `keys` below `table`, creating tables on the way and replacing a non-table
/// in the way.
pub(crate) fn insert_path(table: &mut Table, keys: &[&str], value: Value) {
    insert_path_in(table, keys, value, &NO_KEYS);
}

/// [`insert_path`], taking the `'static` name from `known` for a key it creates that names a field.
pub(crate) fn insert_path_in(table: &mut Table, keys: &[&str], value: Value, known: &KeySet) {
    let Some((last, parents)) = keys.split_last() else {
        return;
    };
    let mut current = table;
    for key in parents {
        // Looked up first: the key is copied only when the table is new.
        if !current.contains_key(*key) {
            current.insert(known.key(Cow::Borrowed(key)), Value::table(value.origin));
        }
        let Some(slot) = current.get_mut(*key) else {
            unreachable!("just inserted")
        };
        current = table_in(slot, value.origin);
    }
    match current.get_mut(*last) {
        Some(existing) => existing.merge(value),
        None => {
            current.insert(known.key(Cow::Borrowed(last)), value);
        }
    }
}

/// [`insert_path`] for a field's path: its keys are `'static`, so each level is one search
/// (`entry`) and nothing is copied.
pub(crate) fn insert_field_path(table: &mut Table, keys: &[&'static str], value: Value) {
    let Some((last, parents)) = keys.split_last() else {
        return;
    };
    let mut current = table;
    for key in parents {
        let slot = current
            .entry(Cow::Borrowed(*key))
            .or_insert_with(|| Value::table(value.origin));
        current = table_in(slot, value.origin);
    }
    match current.entry(Cow::Borrowed(*last)) {
        std::collections::btree_map::Entry::Occupied(mut slot) => slot.get_mut().merge(value),
        std::collections::btree_map::Entry::Vacant(slot) => {
            slot.insert(value);
        }
    }
}

/// The table `slot` holds on a path being set: a value in the way (not a table) is replaced by
/// an empty table of `origin`.
fn table_in(slot: &mut Value, origin: OriginId) -> &mut Table {
    if !matches!(slot.node, Node::Table(_)) {
        *slot = Value::table(origin);
    }
    let Node::Table(table) = &mut slot.node else {
        unreachable!("just made a table")
    };
    table
}

/// The value at `keys` below `table`.
pub(crate) fn get_path<'a>(table: &'a Table, keys: &[&str]) -> Option<&'a Value> {
    let (first, rest) = keys.split_first()?;
    let value = table.get(*first)?;
    if rest.is_empty() {
        return Some(value);
    }
    match &value.node {
        Node::Table(t) => get_path(t, rest),
        _ => None,
    }
}

/// Puts `value` at `keys` (replacing what is there, not merging), or removes it when `None`.
pub(crate) fn replace_path(table: &mut Table, keys: &[&str], value: Option<Value>) {
    remove_path(table, keys);
    if let Some(value) = value {
        insert_path(table, keys, value);
    }
}

/// Removes the value at `keys`, if there is one.
fn remove_path(table: &mut Table, keys: &[&str]) {
    let Some((first, rest)) = keys.split_first() else {
        return;
    };
    if rest.is_empty() {
        table.remove(*first);
    } else if let Some(Value {
        node: Node::Table(inner),
        ..
    }) = table.get_mut(*first)
    {
        remove_path(inner, rest);
    }
}

/// Merges each source into the tree: tables key by key, lists and scalars replaced, except the
/// lists of fields declared `extend`, which grow: the higher source's items come after the lower
/// one's. Text lists (`a,b` or a JSON array) are split into items to be joined.
pub(crate) struct Merger {
    /// The path of every `extend` field, with its list separator.
    extend: Vec<(Vec<&'static str>, &'static str)>,
    /// When the load explains itself: the values each source replaced, by dotted path, lowest
    /// source first.
    history: Option<std::cell::RefCell<std::collections::HashMap<String, Vec<Value>>>>,
    /// The field keys, so that a key a source creates takes the field's name.
    known: &'static KeySet,
}

impl Merger {
    pub(crate) fn new(names: &'static crate::naming::NameTable, keep_history: bool) -> Self {
        let extend = names
            .targets
            .iter()
            .filter(|t| t.field.extend)
            .map(|t| (t.keys.clone(), t.field.separator.unwrap_or(",")))
            .collect();
        Merger {
            extend,
            history: keep_history.then(Default::default),
            known: &names.keys,
        }
    }

    /// The values that sources of higher precedence replaced at `path`, lowest first.
    pub(crate) fn replaced(&self, path: &str) -> Vec<Value> {
        self.history
            .as_ref()
            .and_then(|h| h.borrow().get(path).cloned())
            .unwrap_or_default()
    }

    /// Records the leaves of `tree` that `incoming` is about to replace.
    fn remember(&self, tree: &Table, incoming: &Table, prefix: &mut Vec<String>) {
        let Some(history) = &self.history else { return };
        for (key, new) in incoming {
            let Some(old) = tree.get(key) else { continue };
            prefix.push(key.to_string());
            match (&old.node, &new.node) {
                (Node::Table(old_t), Node::Table(new_t)) => self.remember(old_t, new_t, prefix),
                (Node::Table(_), _) => {}
                _ => history
                    .borrow_mut()
                    .entry(prefix.join("."))
                    .or_default()
                    .push(old.clone()),
            }
            prefix.pop();
        }
    }

    /// Merges a whole source's table into the tree.
    pub(crate) fn merge(&self, tree: &mut Table, mut incoming: Table) {
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
    pub(crate) fn insert(&self, tree: &mut Table, keys: &[&'static str], value: Value) {
        let value = self.prepare(tree, keys, value);
        insert_field_path(tree, keys, value);
    }

    /// Sets one value at a path given at run time (an override) in the tree.
    pub(crate) fn insert_at(&self, tree: &mut Table, keys: &[&str], value: Value) {
        let value = self.prepare(tree, keys, value);
        insert_path_in(tree, keys, value, self.known);
    }

    /// Before a value is set at `keys`: what it replaces goes into the history, and an
    /// `extend` list joins the list already there.
    fn prepare(&self, tree: &Table, keys: &[&str], mut value: Value) -> Value {
        // The tree is searched for the old value only when the load keeps a history.
        if let Some((history, old)) = self
            .history
            .as_ref()
            .and_then(|h| Some((h, get_path(tree, keys)?)))
        {
            match (&old.node, &value.node) {
                (Node::Table(old_t), Node::Table(new_t)) => {
                    let mut prefix = keys.iter().map(|k| (*k).to_owned()).collect();
                    self.remember(old_t, new_t, &mut prefix);
                }
                (Node::Table(_), _) => {}
                _ => history
                    .borrow_mut()
                    .entry(keys.join("."))
                    .or_default()
                    .push(old.clone()),
            }
        }
        if let Some((_, sep)) = self.extend.iter().find(|(k, _)| k == keys) {
            if let Some(old) = get_path(tree, keys) {
                value = join_lists(old, value, sep);
            }
        }
        value
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
                    t.split(sep)
                        .map(|i| Value::new(Node::Text(i.trim().to_owned()), origin))
                        .collect(),
                )
            }
        }
        _ => None,
    }
}

/// One step from the root of the tree to a value.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// What the strings of the tree (in tables and lists, at any depth) ask of the load: whether
/// some value is encrypted (`ENC[...]`), and whether some holds a reference (`${`). One walk,
/// with the two cheap tests inline: most loads have neither.
pub(crate) fn string_work(table: &Table) -> (bool, bool) {
    fn walk(value: &Value, found: &mut (bool, bool)) {
        match &value.node {
            Node::Text(s) | Node::Str(s) => {
                found.0 |= crate::encrypted::is_encrypted(s);
                found.1 |= s.as_bytes().contains(&b'$') && s.contains("${");
            }
            Node::Table(t) => t.values().for_each(|v| walk(v, found)),
            Node::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = (false, false);
    table.values().for_each(|v| walk(v, &mut found));
    found
}

/// The location of every string of the tree (in tables and lists, at any depth) for which
/// `wanted` holds.
pub(crate) fn find_strings(table: &Table, wanted: &dyn Fn(&str) -> bool) -> Vec<Vec<Step>> {
    /// A step of the walk, borrowed: a location is copied out only for a string it finds.
    enum At<'t> {
        Key(&'t str),
        Index(usize),
    }
    fn walk<'t>(
        value: &'t Value,
        at: &mut Vec<At<'t>>,
        wanted: &dyn Fn(&str) -> bool,
        out: &mut Vec<Vec<Step>>,
    ) {
        match &value.node {
            Node::Text(s) | Node::Str(s) if wanted(s) => out.push(
                at.iter()
                    .map(|step| match step {
                        At::Key(key) => Step::Key((*key).to_owned()),
                        At::Index(i) => Step::Index(*i),
                    })
                    .collect(),
            ),
            Node::Table(t) => {
                for (key, inner) in t {
                    at.push(At::Key(key));
                    walk(inner, at, wanted, out);
                    at.pop();
                }
            }
            Node::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    at.push(At::Index(i));
                    walk(item, at, wanted, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut at = Vec::new();
    for (key, value) in table {
        at.push(At::Key(key));
        walk(value, &mut at, wanted, &mut out);
        at.pop();
    }
    out
}

/// The value at a location.
pub(crate) fn locate<'a>(table: &'a mut Table, location: &[Step]) -> Option<&'a mut Value> {
    let (Step::Key(first), rest) = location.split_first()? else {
        return None;
    };
    let mut value = table.get_mut(first.as_str())?;
    for step in rest {
        value = match (step, &mut value.node) {
            (Step::Key(k), Node::Table(t)) => t.get_mut(k.as_str())?,
            (Step::Index(i), Node::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// The dotted path of a location, as issues name it (`hosts[2]` for an element).
pub(crate) fn dotted(location: &[Step]) -> String {
    let mut out = String::new();
    for step in location {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The keys of a location up to its first list index: the field that holds it.
pub(crate) fn field_keys(location: &[Step]) -> Vec<&str> {
    location
        .iter()
        .map_while(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        })
        .collect()
}

/// Marks every list or table that holds the value at `location` secret: reports show a list
/// whole, so a secret item makes the list secret.
pub(crate) fn mark_holders_secret(tree: &mut Table, location: &[Step], origins: &mut Origins) {
    for depth in 1..location.len() {
        if let Some(holder) = locate(tree, &location[..depth]) {
            let origin = origins.get(holder.origin);
            if !origin.secret {
                let (lead, text) = (origin.lead, origin.text.clone());
                holder.origin = origins.add_parts(lead, text, true);
            }
        }
    }
}

/// Whether two values are the same, wherever they came from.
#[cfg_attr(not(feature = "watch"), allow(dead_code))]
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    match (&a.node, &b.node) {
        (Node::Array(x), Node::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Node::Table(x), Node::Table(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        (x, y) => x == y,
    }
}

/// What an origin is: enough to render its label and to know whether its values are secret.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    /// The fixed start of the label ("env var "), kept apart so that the variable's name is
    /// moved in rather than copied into a new string on every load.
    lead: &'static str,
    /// The rest of the label.
    text: String,
    /// Every value from this origin is secret (secrets directory, decrypted values).
    pub(crate) secret: bool,
}

impl Origin {
    /// The text users see: "env var APP_PORT", "file config/app.toml", "default".
    pub(crate) fn label(&self) -> String {
        [self.lead, &self.text].concat()
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.lead)?;
        f.write_str(&self.text)
    }
}

/// The origins of one load, indexed by [`OriginId`].
#[derive(Debug, Default)]
pub(crate) struct Origins {
    list: Vec<Origin>,
}

impl Origins {
    /// Room for `n` origins: a load has a few files and a few variables, and the list would
    /// otherwise grow by copying three times on the way to ten.
    pub(crate) fn with_capacity(n: usize) -> Self {
        Origins {
            list: Vec::with_capacity(n),
        }
    }

    pub(crate) fn add(&mut self, label: String, secret: bool) -> OriginId {
        self.add_parts("", label, secret)
    }

    /// An origin whose label is `lead` then `text` ("env var " and the variable's name).
    pub(crate) fn add_parts(&mut self, lead: &'static str, text: String, secret: bool) -> OriginId {
        self.list.push(Origin { lead, text, secret });
        OriginId::try_from(self.list.len() - 1).unwrap_or(OriginId::MAX)
    }

    pub(crate) fn get(&self, id: OriginId) -> &Origin {
        &self.list[id as usize]
    }
}

/// Converts a JSON value (an env value written as JSON, a runtime override) into a tree value.
pub(crate) fn from_json(json: serde_json::Value, origin: OriginId) -> Value {
    let node = match json {
        serde_json::Value::Null => Node::Null,
        serde_json::Value::Bool(b) => Node::Bool(b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Node::Int(i128::from(i))
            } else if let Some(u) = n.as_u64() {
                Node::Int(i128::from(u))
            } else {
                Node::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        serde_json::Value::String(s) => Node::Str(s),
        serde_json::Value::Array(items) => {
            Node::Array(items.into_iter().map(|v| from_json(v, origin)).collect())
        }
        serde_json::Value::Object(map) => Node::Table(
            map.into_iter()
                .map(|(k, v)| (k.into(), from_json(v, origin)))
                .collect(),
        ),
    };
    Value::new(node, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str, origin: OriginId) -> Value {
        Value::new(Node::Text(s.to_owned()), origin)
    }

    #[test]
    fn insert_path_merges_into_existing_tables() {
        let mut t = Table::new();
        insert_path(&mut t, &["db", "url"], text("u", 0));
        insert_path(&mut t, &["db", "pool"], text("5", 1));
        insert_path(&mut t, &["db", "url"], text("v", 2));
        let Node::Table(db) = &t["db"].node else {
            panic!("db is a table")
        };
        assert_eq!(db["url"], text("v", 2));
        assert_eq!(db["pool"], text("5", 1));
    }

    #[test]
    fn merge_replaces_arrays_and_scalars_and_merges_tables() {
        let mut a = from_json(
            serde_json::json!({"a": [1, 2], "t": {"x": 1, "y": 2}, "s": "keep"}),
            0,
        );
        let b = from_json(serde_json::json!({"a": [3], "t": {"y": 3}}), 1);
        a.merge(b);
        assert_eq!(
            a.display(),
            r#"{"a": [3], "s": "keep", "t": {"x": 1, "y": 3}}"#
        );
    }

    #[test]
    fn replace_and_compare_ignore_origins() {
        let mut t = Table::new();
        insert_path(&mut t, &["db", "url"], text("u", 0));
        insert_path(&mut t, &["db", "pool"], text("5", 1));
        let before = get_path(&t, &["db"]).unwrap().clone();
        replace_path(&mut t, &["db", "url"], Some(text("u", 7)));
        assert!(same(&before, get_path(&t, &["db"]).unwrap()));
        replace_path(&mut t, &["db", "url"], None);
        assert!(get_path(&t, &["db", "url"]).is_none());
        assert!(!same(&before, get_path(&t, &["db"]).unwrap()));
        replace_path(&mut t, &["x", "y"], Some(text("z", 0)));
        assert_eq!(get_path(&t, &["x", "y"]).unwrap().display(), "z");
    }

    #[test]
    fn extend_lists_grow_across_sources() {
        let merger = Merger {
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
    fn a_scalar_in_the_way_of_a_path_is_replaced_by_a_table() {
        let mut t = Table::new();
        insert_path(&mut t, &["db"], text("x", 0));
        insert_path(&mut t, &["db", "url"], text("u", 1));
        assert_eq!(t["db"].display(), r#"{"url": "u"}"#);
    }
}
