//! One parse per file: TOML, YAML and JSON text straight into the tree, with no intermediate
//! document. Duplicate keys and nesting deeper than [`MAX_DEPTH`] are errors in every format.

use crate::tree::{KeySet, MAX_DEPTH, Node, OriginId, Table, Value};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A parse failure: a message that never quotes the input, and the line where known.
#[derive(Debug)]
pub(crate) struct ParseError {
    pub(crate) message: String,
    pub(crate) line: Option<usize>,
}

/// The line (from 1) of a byte offset into `text` (bytes: a file that is not UTF-8 is told where).
pub(crate) fn line_at(text: &[u8], offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &text[..offset.min(text.len())]).count() + 1
}

/// Parses JSON text into a table; keys that name a field take its name from `known`.
pub(crate) fn json(text: &str, origin: OriginId, known: &KeySet) -> Result<Table, ParseError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let json_error = |e: serde_json::Error| ParseError {
        line: (e.line() > 0).then_some(e.line()),
        message: strip_position(&e.to_string()),
    };
    let value = Seed {
        origin,
        depth: 0,
        known,
    }
    .deserialize(&mut de)
    .map_err(json_error)?;
    de.end().map_err(json_error)?;
    into_table(value)
}

/// Parses YAML text into a table; an empty document is an empty table.
pub(crate) fn yaml(text: &str, origin: OriginId, known: &KeySet) -> Result<Table, ParseError> {
    if text.trim().is_empty() {
        return Ok(Table::new());
    }
    // The YAML scanner is quadratic in flow nesting (200 KB of `[` takes half a minute), and the
    // depth limit of the deserializer only applies after scanning: refuse deep nesting first.
    if let Some(line) = yaml_flow_too_deep(text) {
        return Err(ParseError {
            message: format!("values are nested deeper than {MAX_DEPTH} levels"),
            line: Some(line),
        });
    }
    let de = serde_yaml_ng::Deserializer::from_str(text);
    let value = Seed {
        origin,
        depth: 0,
        known,
    }
    .deserialize(de)
    .map_err(|e: serde_yaml_ng::Error| ParseError {
        line: e.location().map(|l| l.line()),
        message: strip_position(&e.to_string()),
    })?;
    if value.node == Node::Null {
        return Ok(Table::new());
    }
    into_table(value)
}

/// The line where flow collections (`[`, `{`) of YAML text first nest deeper than [`MAX_DEPTH`],
/// skipping quoted scalars and comments. Brackets inside plain scalars are counted too, which can
/// only make the check stricter for text that would need more than a hundred of them unclosed.
fn yaml_flow_too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line = 1;
    let mut chars = text.chars().peekable();
    let mut prev = '\n';
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '#' if prev.is_whitespace() => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
                prev = '\n';
                continue;
            }
            '\'' | '"' if prev.is_whitespace() || matches!(prev, '[' | '{' | ',' | ':') => {
                let quote = c;
                while let Some(c) = chars.next() {
                    match c {
                        '\n' => line += 1,
                        '\\' if quote == '"' => {
                            chars.next();
                        }
                        '\'' if quote == '\'' && chars.peek() == Some(&'\'') => {
                            chars.next();
                        }
                        c if c == quote => break,
                        _ => {}
                    }
                }
            }
            '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(line);
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    None
}

/// Drops a trailing " at line L column C" (the line is reported separately).
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

fn into_table(value: Value) -> Result<Table, ParseError> {
    match value.node {
        Node::Table(t) => Ok(t),
        _ => Err(ParseError {
            message: format!("the top level must be a table, not {}", value.kind_name()),
            line: None,
        }),
    }
}

/// Builds a tree value from JSON or YAML.
#[derive(Clone, Copy)]
struct Seed<'k> {
    origin: OriginId,
    depth: usize,
    /// The field keys: a key spelled like one borrows its name instead of a copy.
    known: &'k KeySet,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        if self.depth > MAX_DEPTH {
            return Err(de::Error::custom(format_args!(
                "values are nested deeper than {MAX_DEPTH} levels"
            )));
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a configuration value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::new(Node::Bool(v), self.origin))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::new(Node::Int(i128::from(v)), self.origin))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::new(Node::Int(i128::from(v)), self.origin))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::new(Node::Int(v), self.origin))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::new(Node::Float(v), self.origin))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::new(Node::Str(v.to_owned()), self.origin))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::new(Node::Str(v), self.origin))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::new(Node::Null, self.origin))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::new(Node::Null, self.origin))
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = Seed {
            depth: self.depth + 1,
            ..self
        };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::new(Node::Array(items), self.origin))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = Seed {
            depth: self.depth + 1,
            ..self
        };
        let mut table = Table::new();
        while let Some(key) = map.next_key_seed(KeySeed(self.known))? {
            let value = map.next_value_seed(inner)?;
            match table.entry(key) {
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                std::collections::btree_map::Entry::Occupied(slot) => {
                    let key = slot.key();
                    return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
                }
            }
        }
        Ok(Value::new(Node::Table(table), self.origin))
    }
}

/// A map key as text, whatever scalar the format gives (YAML allows `1: x`): a field's own
/// `'static` name when the text spells one, else a copy.
struct KeySeed<'k>(&'k KeySet);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = crate::tree::Key;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = crate::tree::Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.key(std::borrow::Cow::Borrowed(v)))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(self.0.key(std::borrow::Cow::Owned(v)))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_keys_that_name_a_field_are_not_copied() {
        let known = KeySet::new(["port", "db"].into_iter());
        let borrowed = |t: &Table, k: &str| {
            let (key, _) = t.get_key_value(k).unwrap();
            matches!(key, std::borrow::Cow::Borrowed(_))
        };
        let t = yaml("port: 1\nother: 2\ndb: {port: 3}\n", 0, &known).unwrap();
        assert!(borrowed(&t, "port") && borrowed(&t, "db") && !borrowed(&t, "other"));
        let Node::Table(db) = &t["db"].node else {
            panic!("db is a table")
        };
        assert!(borrowed(db, "port"));
        let t = json(r#"{"port": 1, "other": 2}"#, 0, &known).unwrap();
        assert!(borrowed(&t, "port") && !borrowed(&t, "other"));
        let e = json(r#"{"port": 1, "port": 2}"#, 0, &known).unwrap_err();
        assert!(e.message.contains("duplicate key `port`"), "{}", e.message);
    }

    #[test]
    fn toml_into_tree() {
        let t = super::super::toml::parse(
            "a = 1\nb = \"x\"\n[db]\nurl = \"u\"\nwhen = 1979-05-27T07:32:00Z\n",
            0,
            &crate::tree::NO_KEYS,
        )
        .unwrap();
        assert_eq!(t["a"].node, Node::Int(1));
        assert_eq!(t["b"].node, Node::Str("x".into()));
        assert_eq!(
            t["db"].display(),
            r#"{"url": "u", "when": "1979-05-27T07:32:00Z"}"#
        );
    }

    #[test]
    fn toml_errors_name_the_line_and_never_the_text() {
        let e =
            super::super::toml::parse("a = 1\npassword = \"hunter2\n", 0, &crate::tree::NO_KEYS)
                .unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(!e.message.contains("hunter2"), "{}", e.message);
        let e = super::super::toml::parse("a = 1\na = 2\n", 0, &crate::tree::NO_KEYS).unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
    }

    #[test]
    fn json_duplicates_and_depth() {
        let e = json(r#"{"a": 1, "a": 2}"#, 0, &crate::tree::NO_KEYS).unwrap_err();
        assert!(e.message.contains("duplicate key `a`"), "{}", e.message);
        let deep = format!("{{\"a\": {}1{}}}", "[".repeat(200), "]".repeat(200));
        assert!(json(&deep, 0, &crate::tree::NO_KEYS).is_err());
        assert!(
            json("[1]", 0, &crate::tree::NO_KEYS)
                .unwrap_err()
                .message
                .contains("top level")
        );
    }

    #[test]
    fn deep_yaml_is_refused_before_scanning() {
        let deep = format!("x: {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let e = yaml(&deep, 0, &crate::tree::NO_KEYS).unwrap_err();
        assert!(e.message.contains("deeper than 128"), "{}", e.message);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let quoted = format!(
            "x: '{}'\ny: \"{}\"\n# {}\n",
            "[".repeat(500),
            "{".repeat(500),
            "[".repeat(500)
        );
        assert_eq!(yaml(&quoted, 0, &crate::tree::NO_KEYS).unwrap().len(), 2);
    }

    #[test]
    fn yaml_into_tree() {
        let t = yaml(
            "name: billing\nport: 8080\nhosts:\n  - a\n  - b\n",
            0,
            &crate::tree::NO_KEYS,
        )
        .unwrap();
        assert_eq!(t["port"].node, Node::Int(8080));
        assert_eq!(t["hosts"].display(), r#"["a", "b"]"#);
        assert!(yaml("", 0, &crate::tree::NO_KEYS).unwrap().is_empty());
        let e = yaml("a: 1\na: 2\n", 0, &crate::tree::NO_KEYS).unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
    }
}
