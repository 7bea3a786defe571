//! Turns tree values into the declared types: text is converted by the type that asks for it,
//! never guessed.
//!
//! [`ValueDe`] is a `serde::Deserializer` over one owned tree value. A `u16` asks for
//! `deserialize_u16`, so the text `"8080"` is parsed as a `u16` here (with a clear error on
//! overflow); a `String` asks for a string, so `"007"` stays `"007"`. The same holds at any depth,
//! for any type that implements `Deserialize`, including `Duration` (recognised by the shape serde
//! gives it) and `Vec`s written as comma lists or JSON.

use crate::error::quote;
use crate::tree::{Node, OriginId, Table, Value, from_json};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use std::fmt;

/// What deserialization of one field needs besides the value.
pub(crate) struct DeCx<'a> {
    /// The separator of lists given as text.
    pub(crate) separator: &'a str,
}

/// A deserialization failure, in two forms: one that may quote the value, and one that never
/// does (used when the value is secret).
#[derive(Debug)]
pub(crate) struct DeError {
    pub(crate) message: String,
    /// The same failure without any part of the value; `None` where only a generic sentence is
    /// safe.
    pub(crate) safe: Option<String>,
    /// The origin of the innermost value that failed.
    pub(crate) origin: Option<OriginId>,
    /// Where inside the field: `[2]`, `.key`.
    pub(crate) location: String,
    /// An integer the type cannot hold: the field's declared range may say more than the type.
    pub(crate) integer: Option<i128>,
}

impl DeError {
    fn new(message: String, safe: String) -> Self {
        DeError {
            message,
            safe: Some(safe),
            origin: None,
            location: String::new(),
            integer: None,
        }
    }

    /// Adds the text to a message that came from the target type's own parser (which may not
    /// quote it); the safe form stays without it.
    fn about(mut self, text: &str) -> Self {
        if self.safe.is_none() && self.location.is_empty() && !self.message.contains(text) {
            self.message = format!("invalid value {}: {}", quote(text), self.message);
        }
        self
    }

    fn with_origin(mut self, origin: OriginId) -> Self {
        self.origin.get_or_insert(origin);
        self
    }

    fn inside(mut self, step: &str) -> Self {
        self.location.insert_str(0, step);
        self
    }

    /// "expected {what}, found "{text}"", or without the text.
    fn expected(what: &str, text: &str) -> Self {
        DeError::new(
            format!("expected {what}, found {}", quote(text)),
            format!("expected {what}"),
        )
    }

    fn wrong_kind(what: &str, value: &Value) -> Self {
        let found = value.kind_name();
        let message = format!("expected {what}, found {found}");
        DeError::new(message.clone(), message)
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            safe: None,
            origin: None,
            location: String::new(),
            integer: None,
        }
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::new(
            format!("expected {exp}, found {}", describe(&unexp)),
            format!("expected {exp}, found {}", kind_of(&unexp)),
        )
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::new(
            format!("invalid value {}: expected {exp}", describe(&unexp)),
            format!("invalid value: expected {exp}"),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let list = one_of_list(expected);
        DeError::new(
            format!("unknown variant {}, expected {list}", quote(variant)),
            format!("unknown variant, expected {list}"),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        let list = one_of_list(expected);
        let message = format!("unknown field {}, expected {list}", quote(field));
        DeError::new(message.clone(), message)
    }
}

fn one_of_list(names: &[&str]) -> String {
    match names {
        [] => "nothing".to_owned(),
        [one] => format!("`{one}`"),
        _ => format!(
            "one of {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The unexpected value with its text (for messages that may quote it).
fn describe(unexp: &Unexpected<'_>) -> String {
    match unexp {
        Unexpected::Str(s) => format!("string {}", quote(s)),
        Unexpected::Char(c) => format!("character {}", quote(&c.to_string())),
        Unexpected::Other(s) => (*s).to_owned(),
        other => other.to_string(),
    }
}

/// The kind of the unexpected value, without its text.
fn kind_of(unexp: &Unexpected<'_>) -> &'static str {
    match unexp {
        Unexpected::Bool(_) => "a boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) => "an integer",
        Unexpected::Float(_) => "a float",
        Unexpected::Char(_) => "a character",
        Unexpected::Str(_) => "a string",
        Unexpected::Bytes(_) => "bytes",
        Unexpected::Unit => "null",
        Unexpected::Option => "an optional value",
        Unexpected::NewtypeStruct | Unexpected::NewtypeVariant => "a wrapped value",
        Unexpected::Seq => "a sequence",
        Unexpected::Map => "a map",
        Unexpected::Enum | Unexpected::UnitVariant => "an enum variant",
        Unexpected::TupleVariant | Unexpected::StructVariant => "an enum variant",
        Unexpected::Other(_) => "another kind of value",
    }
}

/// Deserializes `T` from a tree value.
pub(crate) fn from_value<T: de::DeserializeOwned>(
    value: Value,
    cx: &DeCx<'_>,
) -> Result<T, DeError> {
    T::deserialize(ValueDe { value, cx })
}

/// Succeeds only for types that may be absent (`Option`, `()`): the value of a field no source
/// sets.
pub(crate) fn from_nothing<T: de::DeserializeOwned>() -> Option<T> {
    T::deserialize(Nothing).ok()
}

/// A `serde::Deserializer` over one owned tree value.
pub(crate) struct ValueDe<'a> {
    value: Value,
    cx: &'a DeCx<'a>,
}

/// The words a boolean may be written as in config text (any case), `true` then `false` in each
/// pair: the one list the loader, the templates, the flags and the messages use.
pub(crate) const BOOL_PAIRS: [(&str, &str); 4] =
    [("true", "false"), ("1", "0"), ("yes", "no"), ("on", "off")];

/// The value of a boolean word (see [`BOOL_PAIRS`]), surrounding whitespace aside.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    let t = text.trim();
    BOOL_PAIRS.iter().find_map(|(yes, no)| {
        if yes.eq_ignore_ascii_case(t) {
            Some(true)
        } else if no.eq_ignore_ascii_case(t) {
            Some(false)
        } else {
            None
        }
    })
}

/// What a boolean may be, in messages: `a boolean (true/false, 1/0, yes/no, on/off)`.
pub(crate) const BOOL_WORDS: &str = "a boolean (true/false, 1/0, yes/no, on/off)";

impl<'a> ValueDe<'a> {
    fn int(self, min: i128, max: i128) -> Result<i128, DeError> {
        let origin = self.value.origin;
        let range = || format!("an integer from {min} to {max}");
        let n = match &self.value.node {
            Node::Int(i) => *i,
            Node::Text(s) | Node::Str(s) => {
                let t = s.trim();
                let t = t.strip_prefix('+').unwrap_or(t);
                match t.parse::<i128>() {
                    Ok(n) => n,
                    Err(_)
                        if !t.is_empty()
                            && t.bytes()
                                .skip(usize::from(t.starts_with('-')))
                                .all(|b| b.is_ascii_digit()) =>
                    {
                        return Err(DeError::expected(&range(), s).with_origin(origin));
                    }
                    Err(_) => return Err(DeError::expected("an integer", s).with_origin(origin)),
                }
            }
            Node::Float(f) if f.fract() == 0.0 && f.is_finite() && f.abs() < 1e30 => *f as i128,
            _ => return Err(DeError::wrong_kind("an integer", &self.value).with_origin(origin)),
        };
        if n < min || n > max {
            let text = n.to_string();
            let mut e = DeError::expected(&range(), &text).with_origin(origin);
            e.integer = Some(n);
            return Err(e);
        }
        Ok(n)
    }

    fn float(self) -> Result<f64, DeError> {
        let origin = self.value.origin;
        match &self.value.node {
            Node::Float(f) => Ok(*f),
            Node::Int(i) => Ok(*i as f64),
            Node::Text(s) | Node::Str(s) => s
                .trim()
                .parse::<f64>()
                .map_err(|_| DeError::expected("a number", s).with_origin(origin)),
            _ => Err(DeError::wrong_kind("a number", &self.value).with_origin(origin)),
        }
    }

    /// Text or JSON as a list of values.
    fn into_items(self, json_only: bool) -> Result<(Vec<Value>, OriginId), DeError> {
        let origin = self.value.origin;
        match self.value.node {
            Node::Array(items) => Ok((items, origin)),
            Node::Text(s) | Node::Str(s) => {
                let t = s.trim();
                if t.starts_with('[') {
                    match parse_json(t, origin)?.node {
                        Node::Array(items) => Ok((items, origin)),
                        _ => unreachable!("text starting with `[` parsed as JSON is an array"),
                    }
                } else if t.is_empty() {
                    Ok((Vec::new(), origin))
                } else if json_only {
                    Err(DeError::expected("a JSON array", &s).with_origin(origin))
                } else {
                    // A URL's password may hold the separator: it is never cut.
                    let items = crate::redact::split_list(t, self.cx.separator)
                        .into_iter()
                        .map(|item| Value::new(Node::Text(item.trim().to_owned()), origin))
                        .collect();
                    Ok((items, origin))
                }
            }
            _ => Err(DeError::wrong_kind("a list", &self.value).with_origin(origin)),
        }
    }

    /// A table, or text holding a JSON object.
    fn into_table(self) -> Result<(Table, OriginId), DeError> {
        let origin = self.value.origin;
        match self.value.node {
            Node::Table(t) => Ok((t, origin)),
            Node::Text(s) | Node::Str(s) => {
                let t = s.trim();
                if t.is_empty() {
                    return Ok((Table::new(), origin));
                }
                if !t.starts_with('{') {
                    return Err(
                        DeError::expected("a table or a JSON object", &s).with_origin(origin)
                    );
                }
                match parse_json(t, origin)?.node {
                    Node::Table(table) => Ok((table, origin)),
                    _ => unreachable!("text starting with `{{` parsed as JSON is an object"),
                }
            }
            _ => Err(DeError::wrong_kind("a table", &self.value).with_origin(origin)),
        }
    }

    fn duration(self) -> Result<std::time::Duration, DeError> {
        let origin = self.value.origin;
        let what = "a duration like \"30s\", \"1h 30m\", \"250ms\" or a number of seconds";
        match &self.value.node {
            Node::Text(s) | Node::Str(s) => crate::duration::parse_duration(s)
                .map_err(|_| DeError::expected(what, s).with_origin(origin)),
            Node::Int(i) => u64::try_from(*i)
                .map(std::time::Duration::from_secs)
                .map_err(|_| DeError::expected(what, &i.to_string()).with_origin(origin)),
            Node::Float(f) => std::time::Duration::try_from_secs_f64(*f)
                .map_err(|_| DeError::expected(what, &f.to_string()).with_origin(origin)),
            _ => Err(DeError::wrong_kind(what, &self.value).with_origin(origin)),
        }
    }
}

/// Parses text that starts with `[` or `{` as JSON.
fn parse_json(text: &str, origin: OriginId) -> Result<Value, DeError> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(json) => Ok(from_json(json, origin)),
        Err(e) => {
            // serde_json's messages name a line and column, never the input text.
            let message = format!("is not valid JSON: {e}");
            Err(DeError::new(message.clone(), message).with_origin(origin))
        }
    }
}

macro_rules! deserialize_int {
    ($($method:ident $visit:ident $t:ty),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let origin = self.value.origin;
            let n = self.int(i128::from(<$t>::MIN), i128::from(<$t>::MAX))?;
            visitor.$visit::<DeError>(n as $t).map_err(|e| e.with_origin(origin))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for ValueDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        let cx = self.cx;
        match self.value.node {
            Node::Text(s) | Node::Str(s) => {
                visitor.visit_str::<DeError>(&s).map_err(|e| e.about(&s))
            }
            Node::Int(i) => match i64::try_from(i) {
                Ok(i) => visitor.visit_i64(i),
                Err(_) => visitor.visit_i128(i),
            },
            Node::Float(f) => visitor.visit_f64(f),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::Null => visitor.visit_unit(),
            Node::Array(items) => visitor.visit_seq(SeqDe::new(items, cx)),
            Node::Table(t) => visitor.visit_map(MapDe::new(t, origin, cx)),
        }
        .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        let b = match &self.value.node {
            Node::Bool(b) => *b,
            Node::Text(s) | Node::Str(s) => {
                parse_bool(s).ok_or_else(|| DeError::expected(BOOL_WORDS, s).with_origin(origin))?
            }
            Node::Int(0) => false,
            Node::Int(1) => true,
            _ => return Err(DeError::wrong_kind(BOOL_WORDS, &self.value).with_origin(origin)),
        };
        visitor
            .visit_bool::<DeError>(b)
            .map_err(|e| e.with_origin(origin))
    }

    deserialize_int! {
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64,
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        let n = self.int(i128::MIN, i128::MAX)?;
        visitor
            .visit_i128::<DeError>(n)
            .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        let n = self.int(0, i128::MAX)?;
        visitor
            .visit_u128::<DeError>(n as u128)
            .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        let f = self.float()?;
        visitor
            .visit_f32::<DeError>(f as f32)
            .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        let f = self.float()?;
        visitor
            .visit_f64::<DeError>(f)
            .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        match &self.value.node {
            Node::Text(s) | Node::Str(s) => {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => visitor.visit_char(c),
                    _ => Err(DeError::expected("a single character", s)),
                }
            }
            _ => Err(DeError::wrong_kind("a single character", &self.value)),
        }
        .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        match self.value.node {
            // Borrowed, so that a type that parses the text and fails with a message of its
            // own can still be told which text it was.
            Node::Text(s) | Node::Str(s) => {
                visitor.visit_str::<DeError>(&s).map_err(|e| e.about(&s))
            }
            Node::Int(i) => visitor.visit_string(i.to_string()),
            Node::Float(f) => visitor.visit_string(f.to_string()),
            Node::Bool(b) => visitor.visit_string(b.to_string()),
            _ => Err(DeError::wrong_kind("a string", &self.value)),
        }
        .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        match self.value.node {
            // Owned: `String` (the type that asks for a string) takes the text without a copy.
            // Types that parse text (`Url`, `IpAddr`, ...) ask for `str` instead, below, and
            // keep it for their messages.
            Node::Text(s) | Node::Str(s) => visitor.visit_string::<DeError>(s),
            Node::Int(i) => visitor.visit_string(i.to_string()),
            Node::Float(f) => visitor.visit_string(f.to_string()),
            Node::Bool(b) => visitor.visit_string(b.to_string()),
            _ => Err(DeError::wrong_kind("a string", &self.value)),
        }
        .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        match self.value.node {
            Node::Text(s) | Node::Str(s) => visitor.visit_byte_buf(s.into_bytes()),
            _ => self.deserialize_seq(visitor),
        }
        .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        match &self.value.node {
            Node::Null => visitor.visit_none(),
            Node::Text(s) if s.is_empty() => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        match &self.value.node {
            Node::Null => visitor.visit_unit(),
            Node::Text(s) if s.is_empty() => visitor.visit_unit(),
            _ => Err(DeError::wrong_kind("nothing", &self.value)),
        }
        .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let cx = self.cx;
        let (items, origin) = self.into_items(false)?;
        visitor
            .visit_seq(SeqDe::new(items, cx))
            .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let cx = self.cx;
        let (table, origin) = self.into_table()?;
        visitor
            .visit_map(MapDe::new(table, origin, cx))
            .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == "Duration" && fields == ["secs", "nanos"] {
            let origin = self.value.origin;
            let d = self.duration()?;
            let parts = [
                ("secs", d.as_secs()),
                ("nanos", u64::from(d.subsec_nanos())),
            ];
            let map = de::value::MapDeserializer::new(parts.into_iter());
            return visitor
                .visit_map(map)
                .map_err(|e: DeError| e.with_origin(origin));
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let origin = self.value.origin;
        let cx = self.cx;
        match self.value.node {
            Node::Text(s) | Node::Str(s) => {
                let variant: de::value::StringDeserializer<DeError> = s.into_deserializer();
                visitor.visit_enum(variant)
            }
            Node::Table(t) if t.len() == 1 => visitor.visit_enum(
                de::value::MapAccessDeserializer::new(MapDe::new(t, origin, cx)),
            ),
            _ => Err(DeError::wrong_kind("an enum variant name", &self.value)),
        }
        .map_err(|e| e.with_origin(origin))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

/// The elements of an array.
struct SeqDe<'a> {
    items: std::iter::Enumerate<std::vec::IntoIter<Value>>,
    cx: &'a DeCx<'a>,
}

impl<'a> SeqDe<'a> {
    fn new(items: Vec<Value>, cx: &'a DeCx<'a>) -> Self {
        SeqDe {
            items: items.into_iter().enumerate(),
            cx,
        }
    }
}

impl<'de> de::SeqAccess<'de> for SeqDe<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            None => Ok(None),
            Some((i, value)) => seed
                .deserialize(ValueDe { value, cx: self.cx })
                .map(Some)
                .map_err(|e| e.inside(&format!("[{i}]"))),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of a table; keys are text, so a `HashMap<u32, _>` works from any format.
struct MapDe<'a> {
    entries: std::collections::btree_map::IntoIter<crate::tree::Key, Value>,
    pending: Option<(crate::tree::Key, Value)>,
    origin: OriginId,
    cx: &'a DeCx<'a>,
}

impl<'a> MapDe<'a> {
    fn new(table: Table, origin: OriginId, cx: &'a DeCx<'a>) -> Self {
        MapDe {
            entries: table.into_iter(),
            pending: None,
            origin,
            cx,
        }
    }
}

impl<'de> de::MapAccess<'de> for MapDe<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let key_value = Value::new(Node::Text(key.to_string()), value.origin);
        let k = seed
            .deserialize(ValueDe {
                value: key_value,
                cx: self.cx,
            })
            .map_err(|e| e.inside(&format!(".{key}")))?;
        self.pending = Some((key, value));
        Ok(Some(k))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some((key, value)) = self.pending.take() else {
            let message = "a map value was asked for before its key".to_owned();
            return Err(DeError::new(message.clone(), message).with_origin(self.origin));
        };
        seed.deserialize(ValueDe { value, cx: self.cx })
            .map_err(|e| e.inside(&format!(".{key}")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// The value of a field no source sets: only an `Option` (or `()`) accepts it.
struct Nothing;

impl<'de> de::Deserializer<'de> for Nothing {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, DeError> {
        let message = "no value".to_owned();
        Err(DeError::new(message.clone(), message))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_none()
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bool_message_lists_the_bool_words() {
        let listed: Vec<String> = BOOL_PAIRS.iter().map(|(y, n)| format!("{y}/{n}")).collect();
        assert_eq!(BOOL_WORDS, format!("a boolean ({})", listed.join(", ")));
        assert_eq!(parse_bool(" YES "), Some(true));
        assert_eq!(parse_bool("Off"), Some(false));
        assert_eq!(parse_bool("y"), None);
    }
    use std::collections::{BTreeMap, HashMap};
    use std::time::Duration;

    const CX: DeCx<'static> = DeCx { separator: "," };

    fn text(s: &str) -> Value {
        Value::new(Node::Text(s.to_owned()), 0)
    }

    fn de<T: de::DeserializeOwned>(v: Value) -> Result<T, DeError> {
        from_value(v, &CX)
    }

    #[test]
    fn text_stays_text_for_strings() {
        for s in ["12345", "1.10", "007", "true"] {
            assert_eq!(de::<String>(text(s)).unwrap(), s);
        }
    }

    #[test]
    fn integers_parse_with_range_errors() {
        assert_eq!(de::<u16>(text("8080")).unwrap(), 8080);
        assert_eq!(de::<i8>(text("-5")).unwrap(), -5);
        assert_eq!(de::<u16>(text(" +7 ")).unwrap(), 7);
        let e = de::<u16>(text("70000")).unwrap_err();
        assert_eq!(
            e.message,
            "expected an integer from 0 to 65535, found \"70000\""
        );
        assert_eq!(
            e.safe.as_deref(),
            Some("expected an integer from 0 to 65535")
        );
        let e = de::<u32>(text("lots")).unwrap_err();
        assert_eq!(e.message, "expected an integer, found \"lots\"");
        let e = de::<u8>(Value::new(Node::Int(-1), 3)).unwrap_err();
        assert_eq!(e.origin, Some(3));
        assert!(de::<u64>(text("1.5")).is_err());
    }

    #[test]
    fn bool_words() {
        for (t, b) in [("yes", true), ("Off", false), ("1", true), ("FALSE", false)] {
            assert_eq!(de::<bool>(text(t)).unwrap(), b);
        }
        assert!(
            de::<bool>(text("maybe"))
                .unwrap_err()
                .message
                .contains("\"maybe\"")
        );
    }

    #[test]
    fn empty_text_is_none_but_empty_typed_string_is_some() {
        assert_eq!(de::<Option<u32>>(text("")).unwrap(), None);
        assert_eq!(
            de::<Option<String>>(Value::new(Node::Str(String::new()), 0)).unwrap(),
            Some(String::new())
        );
        assert_eq!(de::<Option<u32>>(text("4")).unwrap(), Some(4));
        assert_eq!(from_nothing::<Option<u8>>(), Some(None));
        assert!(from_nothing::<u8>().is_none());
    }

    #[test]
    fn lists_from_commas_or_json() {
        assert_eq!(de::<Vec<String>>(text("a, b,c")).unwrap(), ["a", "b", "c"]);
        assert_eq!(de::<Vec<u16>>(text("[80, 443]")).unwrap(), [80, 443]);
        assert_eq!(de::<Vec<u16>>(text("")).unwrap(), Vec::<u16>::new());
        let e = de::<Vec<u16>>(text("1,x")).unwrap_err();
        assert_eq!(e.location, "[1]");
        let cx = DeCx { separator: ":" };
        assert_eq!(
            from_value::<Vec<String>>(text("/bin:/usr/bin"), &cx).unwrap(),
            ["/bin", "/usr/bin"]
        );
        assert!(
            de::<Vec<u16>>(text("[1,"))
                .unwrap_err()
                .message
                .contains("JSON")
        );
    }

    #[test]
    fn maps_from_json_objects_with_typed_keys() {
        let m: HashMap<String, String> = de(text(r#"{"team": "billing"}"#)).unwrap();
        assert_eq!(m["team"], "billing");
        let m: BTreeMap<u32, bool> = de(text(r#"{"1": "yes"}"#)).unwrap();
        assert!(m[&1]);
    }

    #[test]
    fn durations_from_text_and_numbers() {
        assert_eq!(
            de::<Duration>(text("1h 30m")).unwrap(),
            Duration::from_secs(5400)
        );
        assert_eq!(
            de::<Duration>(text("250ms")).unwrap(),
            Duration::from_millis(250)
        );
        assert_eq!(
            de::<Duration>(Value::new(Node::Int(45), 0)).unwrap(),
            Duration::from_secs(45)
        );
        assert!(de::<Duration>(text("soon")).is_err());
    }

    #[test]
    fn typed_scalars_become_strings() {
        assert_eq!(de::<String>(Value::new(Node::Int(12), 0)).unwrap(), "12");
        assert!(de::<String>(Value::new(Node::Array(vec![]), 0)).is_err());
    }

    #[test]
    fn enums_from_variant_names() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        #[serde(rename_all = "lowercase")]
        enum Level {
            Info,
            Warn,
        }
        assert_eq!(de::<Level>(text("warn")).unwrap(), Level::Warn);
        let e = de::<Level>(text("loud")).unwrap_err();
        assert!(e.message.contains("`info`, `warn`"), "{}", e.message);
        assert!(!e.safe.unwrap().contains("loud"));
    }
}
