//! The tree of settings values: what every source gives and what a load merges, plain data.
//!
//! Every value carries the index of its origin ("env var APP_PORT", "file app.toml", kept in
//! [`Origins`](crate::origin::Origins)), so an error or a report can say where a value came from
//! without a copy of the text per value. Keys that name a field borrow its `'static` name
//! ([`KeySet`]), so a load copies no field name.

use crate::hashindex::{empty_slots, hash, probe, slot};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The deepest nesting of values any source may give (tables and arrays in a file, a JSON
/// value in a variable): deeper is a `Source` issue, never a stack overflow.
pub(crate) const MAX_DEPTH: usize = 128;

/// Index into [`Origins`](crate::origin::Origins).
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
pub(crate) fn table_in(slot: &mut Value, origin: OriginId) -> &mut Table {
    if !matches!(slot.node, Node::Table(_)) {
        *slot = Value::table(origin);
    }
    let Node::Table(table) = &mut slot.node else {
        unreachable!("just made a table")
    };
    table
}

/// The value at `keys` below `table` (a key of a list is an index: `servers.0.host`).
pub(crate) fn get_path<'a>(table: &'a Table, keys: &[&str]) -> Option<&'a Value> {
    let (first, rest) = keys.split_first()?;
    let mut value = table.get(*first)?;
    for key in rest {
        value = match &value.node {
            Node::Table(t) => t.get(*key)?,
            Node::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Puts `value` at `keys` (replacing what is there, not merging), or removes it when `None`.
pub(crate) fn replace_path(table: &mut Table, keys: &[&str], value: Option<Value>) {
    remove_path(table, keys);
    if let Some(value) = value {
        insert_path(table, keys, value);
    }
}

/// Takes the value at `keys` out of the table, if there is one.
pub(crate) fn remove_path(table: &mut Table, keys: &[&str]) -> Option<Value> {
    let (first, rest) = keys.split_first()?;
    if rest.is_empty() {
        return table.remove(*first);
    }
    match table.get_mut(*first) {
        Some(Value {
            node: Node::Table(inner),
            ..
        }) => remove_path(inner, rest),
        _ => None,
    }
}

/// One step from the root of the tree to a value.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// Whether a source's text may hold a `${` reference or an `ENC[` value in some string it gives:
/// a `$`, an `ENC[`, or a `\\` (an escape could write either). A source whose texts hold none
/// spares the load a walk of the tree looking for them.
pub(crate) fn may_hold_markers(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() >= 256 {
        // A file: vector searches.
        return memchr::memchr2(b'$', b'\\', bytes).is_some()
            // An upper-case `C` is rare in config text: each one met is looked at closely.
            || memchr::memchr_iter(b'C', bytes)
                .any(|at| at >= 2 && bytes[at - 2..].starts_with(b"ENC["));
    }
    // A value: eight bytes at a time, and a closer look only where one of them is.
    crate::swar::has_any_of3(bytes, b'$', b'\\', b'[')
        && bytes
            .iter()
            .enumerate()
            .any(|(at, &b)| b == b'$' || b == b'\\' || (b == b'[' && bytes[..at].ends_with(b"ENC")))
}

/// Whether some string of the tree (in tables and lists, at any depth) passes `wanted`.
pub(crate) fn any_string(table: &Table, mut wanted: impl FnMut(&str) -> bool) -> bool {
    // Generic, not `dyn`, and plain loops: the test is inlined into the walk of every load.
    fn walk<F: FnMut(&str) -> bool>(value: &Value, wanted: &mut F) -> bool {
        match &value.node {
            Node::Text(s) | Node::Str(s) => wanted(s),
            Node::Table(t) => {
                for v in t.values() {
                    if walk(v, wanted) {
                        return true;
                    }
                }
                false
            }
            Node::Array(items) => {
                for v in items {
                    if walk(v, wanted) {
                        return true;
                    }
                }
                false
            }
            _ => false,
        }
    }
    for v in table.values() {
        if walk(v, &mut wanted) {
            return true;
        }
    }
    false
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

/// The dotted path of a location, as issues name it (`hosts.2`, `servers.0.host` for an
/// element of a list).
pub(crate) fn dotted(location: &[Step]) -> String {
    let mut out = String::new();
    for step in location {
        if !out.is_empty() {
            out.push('.');
        }
        match step {
            Step::Key(k) => out.push_str(k),
            Step::Index(i) => out.push_str(&i.to_string()),
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

/// The field keys of a settings type and its nested ones, each once.
#[derive(Debug, Default)]
pub(crate) struct KeySet {
    keys: Vec<&'static str>,
    /// `keys` by [`hash`], see [`index`]; empty for the empty set.
    slots: Vec<u32>,
}

/// The empty set: every key is copied.
pub(crate) static NO_KEYS: KeySet = KeySet {
    keys: Vec::new(),
    slots: Vec::new(),
};

impl KeySet {
    pub(crate) fn new(all: impl ExactSizeIterator<Item = &'static str>) -> Self {
        let mut set = KeySet {
            keys: Vec::with_capacity(all.len()),
            slots: empty_slots(all.len()),
        };
        for key in all {
            // A key already there (`id` in two structs) is not added again.
            let known = |n: usize| set.keys[n] == key;
            if let Err(free) = probe(&set.slots, hash(key.as_bytes()), known) {
                set.slots[free] = slot(set.keys.len());
                set.keys.push(key);
            }
        }
        set
    }

    /// A table key for `name`: the field's own `'static` key when one is spelled so, else a copy.
    pub(crate) fn key(&self, name: Cow<'_, str>) -> Key {
        match self.find(&name) {
            Some(key) => Cow::Borrowed(key),
            None => Cow::Owned(name.into_owned()),
        }
    }

    fn find(&self, name: &str) -> Option<&'static str> {
        if self.slots.is_empty() {
            // `NO_KEYS`: a static cannot allocate its one empty slot.
            return None;
        }
        let n = probe(&self.slots, hash(name.as_bytes()), |n| self.keys[n] == name).ok()?;
        Some(self.keys[n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_found_in_short_and_long_texts() {
        let long = |t: &str| format!("{}{t}{}", "a = 1\n".repeat(40), "b = 2\n".repeat(10));
        for text in [
            "${db.host}",
            "x$",
            "a\\u0024{x}",
            "ENC[age:abc]",
            "  ENC[",
            "[ENC[x]",
        ] {
            assert!(may_hold_markers(text), "{text:?}");
            assert!(may_hold_markers(&long(text)), "long {text:?}");
        }
        for text in [
            "", "plain", "[a, b]", "ENC", "EN[C", "ENCODE", "CENC", "[server]",
        ] {
            assert!(!may_hold_markers(text), "{text:?}");
            assert!(!may_hold_markers(&long(text)), "long {text:?}");
        }
    }

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
    fn a_scalar_in_the_way_of_a_path_is_replaced_by_a_table() {
        let mut t = Table::new();
        insert_path(&mut t, &["db"], text("x", 0));
        insert_path(&mut t, &["db", "url"], text("u", 1));
        assert_eq!(t["db"].display(), r#"{"url": "u"}"#);
    }
}
