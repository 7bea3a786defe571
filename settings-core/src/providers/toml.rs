//! TOML text straight into the tree. toml_parser (the lexer and parser under the `toml` crate)
//! gives the events; this walk builds the tree from them with TOML's rules for tables, the rules
//! `toml`'s own document builder applies. Going through `toml::de::DeTable` instead built a whole
//! second document (spanned keys and values, each table a map) and then copied it into the tree:
//! that was 45% of a load of a small file.
//!
//! While the walk runs, the `origin` of each table and array holds what kind of table or array it
//! is (the rules depend on it: a table made by a dotted key cannot be reopened by a header, an
//! inline table or a static array cannot be extended); [`settle`] gives them their real origin.

use super::parse::{ParseError, line_at};
use crate::swar;
use crate::tree::KeySet;
use crate::tree::MAX_DEPTH;
use crate::tree::{Node, OriginId, Table, Value};
use std::borrow::Cow;
use toml_parser::decoder::Encoding;
use toml_parser::decoder::ScalarKind;
use toml_parser::parser::{Event, EventKind, EventReceiver};
use toml_parser::{ErrorSink, ParseError as TomlError, Source, Span};

/// How deep arrays, inline tables and dotted keys may go (the limit `toml` applies).
const RECURSION_LIMIT: u32 = 80;

/// A table created on the way to a key or header (`a` in `[a.b]` or `a.b = 1`).
const IMPLICIT: OriginId = 1;
/// A table created or extended by a dotted key: a header cannot reopen it.
const DOTTED: OriginId = 2;
/// An inline table (`{ ... }`), complete as written.
const INLINE: OriginId = 4;
/// An array of tables (`[[a]]`); any other array is complete as written.
const TABLES: OriginId = 8;

/// Parses a TOML document into a table; each value's origin is `origin`.
pub(crate) fn parse(text: &str, origin: OriginId, known: &KeySet) -> Result<Table, ParseError> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut collect = Collect {
        events: Vec::with_capacity(tokens.len()),
        source,
        depth: 0,
    };
    let mut first: Option<TomlError> = None;
    toml_parser::parser::parse_document(&tokens, &mut collect, &mut first);
    if let Some(e) = first {
        return Err(error(text, &e));
    }
    let mut walk = Walk {
        source,
        events: &collect.events,
        pos: 0,
        origin,
        known,
        error: None,
    };
    let mut root = walk.document();
    if let Some(e) = walk.error {
        return Err(error(text, &e));
    }
    if !settle(&mut root, origin, 1) {
        return Err(ParseError {
            message: format!("values are nested deeper than {MAX_DEPTH} levels"),
            line: None,
        });
    }
    Ok(root)
}

/// Collects the parser's events, checking comments and newlines and limiting how deep arrays
/// and inline tables nest on the way: what toml_parser's `ValidateWhitespace` and
/// `RecursionGuard` do, in one receiver instead of three stacked. Whitespace, comments and
/// newlines are checked, not kept: the walk runs only over a document the parser accepted, and
/// needs none of them (they are half the events of a commented file).
struct Collect<'s> {
    events: Vec<Event>,
    source: Source<'s>,
    depth: i64,
}

impl Collect<'_> {
    fn push(&mut self, kind: EventKind, encoding: Option<Encoding>, span: Span) {
        self.events.push(Event::new_unchecked(kind, encoding, span));
    }

    /// Opens an array or inline table: false past the limit (the parser then skips it).
    fn open(&mut self, kind: EventKind, span: Span, error: &mut dyn ErrorSink) -> bool {
        self.push(kind, None, span);
        self.depth += 1;
        if self.depth > i64::from(RECURSION_LIMIT) {
            error.report_error(
                TomlError::new("cannot recurse further; max recursion depth met")
                    .with_unexpected(span),
            );
            return false;
        }
        true
    }

    fn close(&mut self, kind: EventKind, span: Span) {
        self.depth -= 1;
        self.push(kind, None, span);
    }
}

impl EventReceiver for Collect<'_> {
    fn std_table_open(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.push(EventKind::StdTableOpen, None, span);
    }
    fn std_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.push(EventKind::StdTableClose, None, span);
    }
    fn array_table_open(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.push(EventKind::ArrayTableOpen, None, span);
    }
    fn array_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.push(EventKind::ArrayTableClose, None, span);
    }
    fn inline_table_open(&mut self, span: Span, error: &mut dyn ErrorSink) -> bool {
        self.open(EventKind::InlineTableOpen, span, error)
    }
    fn inline_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.close(EventKind::InlineTableClose, span);
    }
    fn array_open(&mut self, span: Span, error: &mut dyn ErrorSink) -> bool {
        self.open(EventKind::ArrayOpen, span, error)
    }
    fn array_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.close(EventKind::ArrayClose, span);
    }
    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, _: &mut dyn ErrorSink) {
        self.push(EventKind::SimpleKey, encoding, span);
    }
    fn key_sep(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.push(EventKind::KeySep, None, span);
    }
    fn key_val_sep(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.push(EventKind::KeyValSep, None, span);
    }
    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, _: &mut dyn ErrorSink) {
        self.push(EventKind::Scalar, encoding, span);
    }
    fn value_sep(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.push(EventKind::ValueSep, None, span);
    }
    fn whitespace(&mut self, _: Span, _: &mut dyn ErrorSink) {}
    fn comment(&mut self, span: Span, error: &mut dyn ErrorSink) {
        if let Some(raw) = self.source.get(span) {
            // toml_parser's check byte by byte only when the word-wise one finds a problem.
            if !(raw.as_bytes().first() == Some(&b'#') && plain_text(raw.as_bytes(), false)) {
                raw.decode_comment(error);
            }
        }
    }
    fn newline(&mut self, span: Span, error: &mut dyn ErrorSink) {
        if let Some(raw) = self.source.get(span) {
            raw.decode_newline(error);
        }
    }
    fn error(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.push(EventKind::Error, None, span);
    }
}

/// `text` as an owned string, in a function of its own: inlined into the large `scalar`, the
/// allocation's general layout checks stayed a call (about 25 instructions a string more).
#[inline(never)]
fn owned(text: &str) -> String {
    text.to_owned()
}

/// The line (from 1) where a TOML text sets the key at `path` (dotted keys and table headers
/// followed, a `[profile]` section or other table above it allowed): for the message of an
/// unknown key, so it is looked for only then. A line-wise scan that skips multi-line strings;
/// `None` when no line sets it plainly.
pub(crate) fn key_line(text: &str, path: &[&str]) -> Option<usize> {
    let mut table: Vec<String> = Vec::new();
    let mut in_multiline = false;
    for (n, line) in text.lines().enumerate() {
        let quotes = line.matches("\"\"\"").count() + line.matches("\'\'\'").count();
        if in_multiline {
            in_multiline = quotes % 2 == 0;
            continue;
        }
        let t = line.trim_start();
        if let Some(header) = t.strip_prefix('[') {
            let header = header.trim_start_matches('[');
            let end = header.find(']')?;
            table = split_keys(&header[..end]);
            continue;
        }
        let Some((keys, _)) = t.split_once('=') else {
            continue;
        };
        if t.starts_with('#') {
            continue;
        }
        in_multiline = quotes % 2 == 1;
        let mut full = table.clone();
        full.extend(split_keys(keys));
        if full.len() >= path.len() && full[full.len() - path.len()..].iter().eq(path.iter()) {
            return Some(n + 1);
        }
    }
    None
}

/// `a."b.c".d` as its keys, unquoted.
fn split_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '.') => keys.push(std::mem::take(&mut current).trim().to_owned()),
            (None, c) => current.push(c),
        }
    }
    keys.push(current.trim().to_owned());
    keys
}

/// The message of toml_parser's error (never the source text) and its line.
fn error(text: &str, e: &TomlError) -> ParseError {
    let mut message = e.description().to_owned();
    if let Some(expected) = e.expected() {
        message.push_str(", expected ");
        if expected.is_empty() {
            message.push_str("nothing");
        }
        for (i, item) in expected.iter().enumerate() {
            if i > 0 {
                message.push_str(", ");
            }
            match item {
                toml_parser::Expected::Literal("\n") => message.push_str("newline"),
                toml_parser::Expected::Literal(s) if s.chars().all(|c| c.is_ascii_control()) => {
                    message.push_str(&format!("`{}`", s.escape_debug()));
                }
                toml_parser::Expected::Literal(s) => message.push_str(&format!("`{s}`")),
                toml_parser::Expected::Description(s) => message.push_str(s),
                _ => message.push_str("etc"),
            }
        }
    }
    ParseError {
        message: message.trim().to_owned(),
        line: e
            .unexpected()
            .map(|span| line_at(text.as_bytes(), span.start())),
    }
}

/// Gives every table and array its real origin; false when values nest deeper than
/// [`MAX_DEPTH`].
fn settle(table: &mut Table, origin: OriginId, depth: usize) -> bool {
    table
        .values_mut()
        .all(|value| settle_value(value, origin, depth))
}

fn settle_value(value: &mut Value, origin: OriginId, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match &mut value.node {
        Node::Table(t) => {
            value.origin = origin;
            settle(t, origin, depth + 1)
        }
        Node::Array(items) => {
            value.origin = origin;
            items
                .iter_mut()
                .all(|item| settle_value(item, origin, depth + 1))
        }
        _ => true,
    }
}

/// How TOML names the type of a value that a dotted key or header tries to extend.
fn type_name(node: &Node) -> &'static str {
    match node {
        Node::Array(_) => "array",
        Node::Table(_) => "table",
        Node::Int(_) => "integer",
        Node::Float(_) => "float",
        Node::Bool(_) => "boolean",
        _ => "string",
    }
}

/// Whether `text` is a bare key (`A-Za-z0-9_-`, not empty).
fn is_bare_key(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| BARE_KEY[usize::from(b)])
}

/// The bytes of a bare key, one load per byte instead of five comparisons.
static BARE_KEY: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    table
};

/// The content of a basic string token (`"..."`) without escapes: only characters a basic
/// string may hold as they are (tab, visible ASCII but `"` and `\`, anything non-ASCII).
fn plain_basic_string(token: &str) -> Option<&str> {
    let inner = token.strip_prefix('"')?.strip_suffix('"')?;
    plain_text(inner.as_bytes(), true).then_some(inner)
}

/// Whether every byte may stand as it is in a comment (tab, `0x20..=0x7E`, any non-ASCII byte:
/// TOML's `non-eol`), and with `string`, also in a basic string (then not `"` nor `\`). Eight
/// bytes at a time: comments and strings are most of a file's bytes.
fn plain_text(bytes: &[u8], string: bool) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let w = swar::word(chunk);
        let mut bad = (swar::below(w, 0x20) & !swar::equal(w, b'\t')) | swar::equal(w, 0x7f);
        if string {
            bad |= swar::equal(w, b'"') | swar::equal(w, b'\\');
        }
        if bad != 0 {
            return false;
        }
    }
    chunks.remainder().iter().all(|&b| {
        (b == b'\t' || (b >= 0x20 && b != 0x7f)) && !(string && (b == b'"' || b == b'\\'))
    })
}

/// A plain decimal integer (`0`, or digits not starting with `0`, no sign or underscore) that
/// fits an `i64` for sure.
fn plain_decimal(token: &str) -> Option<i128> {
    let bytes = token.as_bytes();
    let plain = matches!(bytes.len(), 1..=18)
        && bytes.iter().all(u8::is_ascii_digit)
        && (bytes[0] != b'0' || bytes.len() == 1);
    plain.then(|| token.parse().ok()).flatten()
}

/// A key of a key/value pair or a header, decoded.
struct Key<'i> {
    name: Cow<'i, str>,
    span: Span,
}

/// A `[table]` or `[[array of tables]]` header.
struct Header<'i> {
    path: Vec<Key<'i>>,
    key: Option<Key<'i>>,
    is_array: bool,
}

/// The walk over the parser's events.
struct Walk<'i, 'e> {
    source: Source<'i>,
    events: &'e [Event],
    pos: usize,
    origin: OriginId,
    /// The field keys: a key that names a field is not copied.
    known: &'e KeySet,
    /// The first problem found; the walk goes on (as `toml` does) but its result is dropped.
    error: Option<TomlError>,
}

impl<'i> Walk<'i, '_> {
    fn next(&mut self) -> Option<Event> {
        let event = self.events.get(self.pos).copied();
        self.pos += 1;
        event
    }

    fn peek(&self) -> Option<EventKind> {
        self.events.get(self.pos).map(Event::kind)
    }

    /// Records a problem at `span` (kept only if it is the first).
    fn fail(&mut self, message: impl Into<Cow<'static, str>>, span: Span) {
        self.error
            .report_error(TomlError::new(message).with_unexpected(span));
    }

    /// A key set twice, named (a key is never secret; its value may be, and is not shown).
    fn duplicate(&mut self, span: Span) {
        match self.source.get(span).map(|raw| raw.as_str().trim()) {
            Some(key) if !key.is_empty() => {
                let message = format!("duplicate key `{key}`");
                self.fail(message, span);
            }
            _ => self.fail("duplicate key", span),
        }
    }

    /// toml = expression *( newline expression )
    fn document(&mut self) -> Table {
        let mut root = Table::new();
        let mut current = Table::new();
        let mut header: Option<Header<'i>> = None;
        while let Some(event) = self.next() {
            match event.kind() {
                EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                    self.finish_table(&mut root, &mut current, header.take());
                    let next = self.header(event);
                    self.start_table(&mut root, &mut current, &next);
                    header = Some(next);
                }
                EventKind::SimpleKey => {
                    let (path, Some(key)) = self.key(event) else {
                        break;
                    };
                    if self.next().map(|e| e.kind()) != Some(EventKind::KeyValSep) {
                        break;
                    }
                    let value = self.value();
                    self.key_value(&mut current, path, key, value);
                }
                _ => {}
            }
        }
        self.finish_table(&mut root, &mut current, header.take());
        root
    }

    /// The keys of a header, up to its closing bracket.
    fn header(&mut self, open: Event) -> Header<'i> {
        let mut header = Header {
            path: Vec::new(),
            key: None,
            is_array: open.kind() == EventKind::ArrayTableOpen,
        };
        while let Some(event) = self.next() {
            match event.kind() {
                EventKind::StdTableClose | EventKind::ArrayTableClose => break,
                EventKind::SimpleKey => (header.path, header.key) = self.key(event),
                _ => {}
            }
        }
        header
    }

    /// A simple or dotted key starting at `first`: the keys leading to the last one, and the
    /// last one (none past the recursion limit).
    fn key(&mut self, first: Event) -> (Vec<Key<'i>>, Option<Key<'i>>) {
        let mut path = Vec::new();
        let mut last = None;
        let mut pending = Some(first);
        if self.more_key() {
            while let Some(event) = self.next() {
                match event.kind() {
                    EventKind::SimpleKey => {
                        pending = Some(event);
                        if !self.more_key() {
                            break;
                        }
                    }
                    EventKind::KeySep => self.close_key(&mut pending, &mut path, &mut last),
                    _ => {}
                }
            }
        }
        self.close_key(&mut pending, &mut path, &mut last);
        if path.len() >= RECURSION_LIMIT as usize {
            self.error.report_error(TomlError::new("recursion limit"));
            return (Vec::new(), None);
        }
        (path, last)
    }

    fn more_key(&self) -> bool {
        self.peek() == Some(EventKind::KeySep)
    }

    fn close_key(
        &mut self,
        pending: &mut Option<Event>,
        path: &mut Vec<Key<'i>>,
        last: &mut Option<Key<'i>>,
    ) {
        let Some(event) = pending.take() else { return };
        let Some(raw) = self.source.get(event) else {
            return;
        };
        let name = match event.encoding() {
            // A bare key of the letters every TOML version allows is its own text.
            None if is_bare_key(raw.as_str()) => Cow::Borrowed(raw.as_str()),
            _ => {
                let mut name = Cow::Borrowed("");
                raw.decode_key(&mut name, &mut self.error);
                name
            }
        };
        let key = Key {
            name,
            span: event.span(),
        };
        if let Some(previous) = last.replace(key) {
            path.push(previous);
        }
    }

    /// val = string / boolean / array / inline-table / date-time / float / integer
    fn value(&mut self) -> Value {
        if let Some(event) = self.next() {
            match event.kind() {
                EventKind::InlineTableOpen => return self.inline_table(),
                EventKind::ArrayOpen => return self.array(),
                EventKind::Scalar => return self.scalar(event),
                _ => {}
            }
        }
        Value::new(Node::Int(0), self.origin)
    }

    fn scalar(&mut self, event: Event) -> Value {
        let span = event.span();
        let Some(raw) = self.source.get(event) else {
            return Value::new(Node::Null, self.origin);
        };
        // The common plain forms directly; everything else through toml_parser's decoder.
        let plain = raw.as_str();
        match event.encoding() {
            Some(Encoding::BasicString) => {
                if let Some(inner) = plain_basic_string(plain) {
                    return Value::new(Node::Str(owned(inner)), self.origin);
                }
            }
            None => match plain {
                "true" => return Value::new(Node::Bool(true), self.origin),
                "false" => return Value::new(Node::Bool(false), self.origin),
                _ => {
                    if let Some(n) = plain_decimal(plain) {
                        return Value::new(Node::Int(n), self.origin);
                    }
                }
            },
            _ => {}
        }
        let mut text = Cow::Borrowed("");
        let node = match raw.decode_scalar(&mut text, &mut self.error) {
            ScalarKind::String => Node::Str(text.into_owned()),
            ScalarKind::Boolean(b) => Node::Bool(b),
            ScalarKind::DateTime => match text.parse::<toml_datetime::Datetime>() {
                Ok(dt) => Node::Str(dt.to_string()),
                Err(e) => {
                    self.fail(e.to_string(), span);
                    Node::Null
                }
            },
            ScalarKind::Float => match text.parse::<f64>() {
                // Written `inf` or `nan` is a value; a finite text too big for a float is not.
                Ok(x) if !x.is_infinite() || text.contains("inf") => Node::Float(x),
                _ => {
                    self.fail("floating-point number overflowed", span);
                    Node::Null
                }
            },
            ScalarKind::Integer(radix) => match i128::from_str_radix(&text, radix.value()) {
                Ok(n) => Node::Int(n),
                Err(_) => {
                    self.fail("integer number overflowed", span);
                    Node::Null
                }
            },
        };
        Value::new(node, self.origin)
    }

    /// array = array-open array-values array-close
    fn array(&mut self) -> Value {
        let mut items = Vec::new();
        let mut item = None;
        while let Some(event) = self.next() {
            match event.kind() {
                EventKind::InlineTableOpen => item = Some(self.inline_table()),
                EventKind::ArrayOpen => item = Some(self.array()),
                EventKind::Scalar => item = Some(self.scalar(event)),
                EventKind::ValueSep => items.extend(item.take()),
                EventKind::ArrayClose => {
                    items.extend(item.take());
                    break;
                }
                EventKind::StdTableOpen
                | EventKind::ArrayTableOpen
                | EventKind::InlineTableClose
                | EventKind::SimpleKey
                | EventKind::KeySep
                | EventKind::KeyValSep
                | EventKind::StdTableClose
                | EventKind::ArrayTableClose => break,
                _ => {}
            }
        }
        // A static array: flags 0.
        Value::new(Node::Array(items), 0)
    }

    /// inline-table = inline-table-open [ inline-table-keyvals ] inline-table-close
    fn inline_table(&mut self) -> Value {
        let mut table = Table::new();
        let mut key = None;
        let mut value = None;
        while let Some(event) = self.next() {
            match event.kind() {
                EventKind::SimpleKey => {
                    if let (path, Some(last)) = self.key(event) {
                        key = Some((path, last));
                    }
                }
                EventKind::InlineTableOpen => value = Some(self.inline_table()),
                EventKind::ArrayOpen => value = Some(self.array()),
                EventKind::Scalar => value = Some(self.scalar(event)),
                EventKind::ValueSep => self.inline_entry(&mut table, key.take(), value.take()),
                EventKind::InlineTableClose => {
                    self.inline_entry(&mut table, key.take(), value.take());
                    break;
                }
                EventKind::StdTableOpen
                | EventKind::ArrayTableOpen
                | EventKind::StdTableClose
                | EventKind::ArrayClose
                | EventKind::ArrayTableClose
                | EventKind::KeySep => break,
                _ => {}
            }
        }
        Value::new(Node::Table(table), INLINE)
    }

    fn inline_entry(
        &mut self,
        table: &mut Table,
        key: Option<(Vec<Key<'i>>, Key<'i>)>,
        value: Option<Value>,
    ) {
        let (Some((path, key)), Some(value)) = (key, value) else {
            return;
        };
        let Some((parent, _)) = self.descend(table, &path, true, true) else {
            return;
        };
        self.insert(parent, key, value);
    }

    /// A key/value pair of the document, into the current table.
    fn key_value(&mut self, current: &mut Table, path: Vec<Key<'i>>, key: Key<'i>, value: Value) {
        let dotted = !path.is_empty();
        let Some((parent, flags)) = self.descend(current, &path, dotted, false) else {
            return;
        };
        // Dotted keys cannot add to a table defined by a header.
        if dotted && flags & IMPLICIT == 0 {
            self.duplicate(key.span);
            return;
        }
        self.insert(parent, key, value);
    }

    fn insert(&mut self, table: &mut Table, key: Key<'i>, value: Value) {
        // One search: the key is needed owned for the insert, and a duplicate is an error.
        let span = key.span;
        if let std::collections::btree_map::Entry::Vacant(slot) =
            table.entry(self.known.key(key.name))
        {
            slot.insert(value);
        } else {
            self.duplicate(span);
        }
    }

    /// The table at `path` below `table`, creating implicit tables on the way (`dotted`: by a
    /// dotted key; `inline`: inside an inline table), with the flags of the last one.
    fn descend<'t>(
        &mut self,
        mut table: &'t mut Table,
        path: &[Key<'i>],
        dotted: bool,
        inline: bool,
    ) -> Option<(&'t mut Table, OriginId)> {
        let mut flags = 0;
        for key in path {
            let name: &str = &key.name;
            if !table.contains_key(name) {
                let mut made = IMPLICIT;
                if dotted {
                    made |= DOTTED;
                }
                if inline {
                    made |= INLINE;
                }
                table.insert(
                    self.known.key(Cow::Borrowed(name)),
                    Value::new(Node::Table(Table::new()), made),
                );
            }
            let slot = table.get_mut(name)?;
            if dotted && slot.origin & IMPLICIT != 0 && matches!(slot.node, Node::Table(_)) {
                slot.origin |= DOTTED;
            }
            flags = slot.origin;
            let kind = type_name(&slot.node);
            table = match &mut slot.node {
                Node::Array(items) if !inline && flags & TABLES != 0 => match items.last_mut() {
                    Some(Value {
                        node: Node::Table(last),
                        origin,
                    }) => {
                        flags = *origin;
                        last
                    }
                    _ => {
                        self.cannot_extend(kind, key);
                        return None;
                    }
                },
                Node::Table(_) if !inline && flags & INLINE != 0 => {
                    self.cannot_extend("inline table", key);
                    return None;
                }
                Node::Table(_) if dotted && flags & IMPLICIT == 0 => {
                    self.duplicate(key.span);
                    return None;
                }
                Node::Table(next) => next,
                _ => {
                    self.cannot_extend(kind, key);
                    return None;
                }
            };
        }
        Some((table, flags))
    }

    fn cannot_extend(&mut self, kind: &str, key: &Key<'_>) {
        let message = format!("cannot extend value of type {kind} with a dotted key");
        self.fail(message, key.span);
    }

    /// Puts the table of the header just ended in its place.
    fn finish_table(&mut self, root: &mut Table, current: &mut Table, header: Option<Header<'i>>) {
        let table = std::mem::take(current);
        let Some(header) = header else {
            // The key/value pairs before the first header.
            *root = table;
            return;
        };
        let Some(key) = header.key else { return };
        let Some((parent, _)) = self.descend(root, &header.path, false, false) else {
            return;
        };
        // A table defined by a header: flags 0.
        let value = Value::new(Node::Table(table), 0);
        if !header.is_array {
            parent.insert(self.known.key(key.name), value);
            return;
        }
        if !parent.contains_key(&*key.name) {
            let tables = Value::new(Node::Array(Vec::new()), TABLES);
            parent.insert(self.known.key(key.name.clone()), tables);
        }
        match parent.get_mut(&*key.name) {
            Some(Value {
                node: Node::Array(items),
                origin,
            }) if *origin & TABLES != 0 => items.push(value),
            _ => self.duplicate(key.span),
        }
    }

    /// Opens the table of a header: a table only made on the way to others (`[a]` after
    /// `[a.b]`) is reopened; one defined before is a duplicate.
    fn start_table(&mut self, root: &mut Table, current: &mut Table, header: &Header<'i>) {
        if header.is_array {
            return;
        }
        let Some((parent, _)) = self.descend(root, &header.path, false, false) else {
            return;
        };
        let Some(key) = &header.key else { return };
        let Some(old) = parent.remove(&*key.name) else {
            return;
        };
        let reopens = old.origin & IMPLICIT != 0 && old.origin & DOTTED == 0;
        match old.node {
            Node::Table(t) if reopens => *current = t,
            node => {
                self.duplicate(key.span);
                if let Node::Table(t) = node {
                    *current = t;
                }
            }
        }
    }
}

/// The tree `toml`'s own document builder gives (what this module replaced): the oracle of
/// the differential tests and fuzz target.
#[cfg(any(test, feature = "fuzzing"))]
fn reference(text: &str) -> Option<Table> {
    fn table(t: toml::de::DeTable<'_>) -> Option<Table> {
        t.into_iter()
            .map(|(k, v)| Some((k.into_inner().into_owned().into(), value(v.into_inner())?)))
            .collect()
    }
    fn value(v: toml::de::DeValue<'_>) -> Option<Value> {
        use toml::de::DeValue;
        let node = match v {
            DeValue::String(s) => Node::Str(s.into_owned()),
            DeValue::Integer(i) => Node::Int(i128::from_str_radix(i.as_str(), i.radix()).ok()?),
            DeValue::Float(f) => {
                let x = f.as_str().parse::<f64>().ok()?;
                if x.is_infinite() && !f.as_str().contains("inf") {
                    return None;
                }
                Node::Float(x)
            }
            DeValue::Boolean(b) => Node::Bool(b),
            DeValue::Datetime(dt) => Node::Str(dt.to_string()),
            DeValue::Array(items) => Node::Array(
                items
                    .into_iter()
                    .map(|i| value(i.into_inner()))
                    .collect::<Option<_>>()?,
            ),
            DeValue::Table(t) => Node::Table(table(t)?),
        };
        Some(Value::new(node, 0))
    }
    table(toml::de::DeTable::parse(text).ok()?.into_inner())
}

/// Same tree as toml's, or both refuse (NaN compared by its text); the difference otherwise.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn agree(text: &str) -> Result<(), String> {
    // Some of the keys the generated documents use are "fields", so both kinds of key are tried.
    let known = KeySet::new(["a", "b", "c", "x", "key"].into_iter());
    let ours = parse(text, 0, &known).ok();
    let theirs = reference(text);
    let shown = |t: &Option<Table>| format!("{t:?}");
    if shown(&ours) == shown(&theirs) {
        Ok(())
    } else {
        Err(format!(
            "{text:?}\nours:   {}\ntoml's: {}",
            shown(&ours),
            shown(&theirs)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::NO_KEYS;
    use proptest::prelude::*;

    #[test]
    fn word_checks_agree_with_the_byte_rules() {
        let comment_byte = |b: u8| b == b'\t' || (0x20..=0x7e).contains(&b) || b >= 0x80;
        let string_byte = |b: u8| comment_byte(b) && b != b'"' && b != b'\\';
        for b in 0..=255u8 {
            for at in 0..8 {
                // The byte among plain letters, at every place of a word, and in the tail.
                let mut bytes = *b"abcdefghijk";
                bytes[at] = b;
                assert_eq!(plain_text(&bytes, false), comment_byte(b), "{b:#x} at {at}");
                assert_eq!(plain_text(&bytes, true), string_byte(b), "{b:#x} at {at}");
            }
            let tail = [b'x', b'y', b];
            assert_eq!(
                plain_text(&tail, true),
                string_byte(b),
                "{b:#x} in the tail"
            );
        }
    }

    #[test]
    fn tables_follow_tomls_rules() {
        let cases = [
            "a = 1\n[b]\nc = 2\n",
            "[a.b]\nx = 1\n[a]\ny = 2\n",
            "[a]\ny = 2\n[a.b]\nx = 1\n",
            "[a]\n[a]\n",
            "a.b = 1\n[a]\n",
            "a.b = 1\na.c = 2\n",
            "[a]\nb.c = 1\n[a.b]\n",
            "[[f]]\nn = 1\n[[f]]\nn = 2\n[f.p]\nc = 3\n",
            "[[f]]\n[f]\n",
            "f = [1]\n[[f]]\n",
            "a = {b = 1}\na.c = 2\n",
            "a = {b = 1}\n[a.c]\n",
            "a = {b.c = 1, b.d = 2}\n",
            "a = {b = {c = 1}, b.d = 2}\n",
            "a = 1\na.b = 2\n",
            "a = [1]\na.b = 2\n",
            "[[a.b]]\n[a]\nb.c = 1\n",
            "a = 1\na = 2\n",
            "\"q.k\" = 1\n'l' = 2\n",
            "d = 1979-05-27T07:32:00Z\nt = 07:32:00\n",
            "x = 1e400\n",
            "x = inf\ny = -inf\n",
            "n = 0x7f\nm = 0o17\nb = 0b101\nu = 1_000\n",
            "n = 999999999999999999999999999999999999999999\n",
            "s = \"\\u00e9\\t\"\nm = '''\nraw\n'''\n",
            "s = \"\\q\"\n",
            "a.b.c.d = [{x = 1}, {y = [2, 3]}]\n",
            "# comment\n\n[x] # c\ny = 1 # c\n",
        ];
        for text in cases {
            agree(text).unwrap();
        }
    }

    #[test]
    fn errors_name_the_line_and_never_the_text() {
        let e = parse("a = 1\n\n[b]\nsecret = \"hunter2\nc = 1\n", 0, &NO_KEYS).unwrap_err();
        assert_eq!(e.line, Some(4), "{e:?}");
        assert!(!e.message.contains("hunter2"), "{e:?}");
        let e = parse("a = 1\nb = 2\na = 3\n", 0, &NO_KEYS).unwrap_err();
        assert_eq!((e.message.as_str(), e.line), ("duplicate key `a`", Some(3)));
        let e = parse("[db]\nurl = \"u\"\n\n[db]\nport = 1\n", 0, &NO_KEYS).unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.line),
            ("duplicate key `db`", Some(4))
        );
        let e = parse("x = 1\ny = 1e400\n", 0, &NO_KEYS).unwrap_err();
        assert_eq!(e.message, "floating-point number overflowed");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn every_value_has_the_files_origin() {
        let t = parse("a = [{b = 1}]\n[c.d]\ne = 2\n[[f]]\n", 7, &NO_KEYS).unwrap();
        fn all(t: &Table, seen: &mut Vec<OriginId>) {
            for v in t.values() {
                walk(v, seen);
            }
        }
        fn walk(v: &Value, seen: &mut Vec<OriginId>) {
            seen.push(v.origin);
            match &v.node {
                Node::Table(t) => all(t, seen),
                Node::Array(items) => items.iter().for_each(|i| walk(i, seen)),
                _ => {}
            }
        }
        let mut seen = Vec::new();
        all(&t, &mut seen);
        assert_eq!(seen.len(), 8, "{t:?}");
        assert!(seen.iter().all(|o| *o == 7), "{seen:?}");
    }

    /// Lines that exercise the rules between headers, dotted keys, inline tables and arrays.
    fn line() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "[a]",
            "[a.b]",
            "[a.b.c]",
            "[b]",
            "[[a]]",
            "[[a.b]]",
            "[[c]]",
            "[c.d]",
            "a = 1",
            "b = 2",
            "a.b = 3",
            "b.c = 4",
            "a.b.c = 5",
            "c = {d = 1}",
            "c = {d.e = 1, f = [1, {g = 2}]}",
            "d = [1, 2]",
            "d = []",
            "e = 1979-05-27",
            "f = 0x10",
            "g = \"s\"",
            "h = 'x'",
            "\"a\" = true",
            "x = 1e999",
            "s = \"a\\tb\"",
            "s = \"tab\there é\"",
            "s = \"del\u{7f}\"",
            "s = \"nul\u{1}\"",
            "k-1_x = 1",
            "01 = 1",
            "n = 012",
            "n = +1",
            "n = 1_0",
            "n = 0",
            "n = 9223372036854775808",
            "t = tru",
            "x = ",
            "[a",
            "# note",
            "",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        #[test]
        fn documents_parse_as_toml_parses_them(lines in prop::collection::vec(line(), 1..10)) {
            let text = lines.join("\n") + "\n";
            prop_assert!(agree(&text).is_ok(), "{}", agree(&text).unwrap_err());
        }
    }

    #[test]
    fn the_line_of_a_key_follows_tables_and_dotted_keys() {
        let text = "port = 1\n\n[db]\nurl = \"u\"\nnote = \"\"\"\nprot = 9\n\"\"\"\nprot = 2\n\n[prod]\ndb.\"pool size\" = 3\n";
        assert_eq!(key_line(text, &["port"]), Some(1));
        assert_eq!(key_line(text, &["db", "prot"]), Some(8));
        assert_eq!(key_line(text, &["db", "pool size"]), Some(11));
        assert_eq!(key_line(text, &["db", "absent"]), None);
    }
}
