//! The static description of a settings struct that `#[derive(Settings)]` emits.
//!
//! This is the contract between the two crates: the derive describes, the runtime decides. Every
//! item here is reached by generated code through `::settings_core::__private` and is outside the
//! semver promise of the crate.

use crate::tree::{Node, OriginId, Value};

/// The deepest nesting of settings structs any walk of the metadata follows: a guard against a
/// struct that nests itself (through `Option` or `Box`), shared by every walk (names, templates,
/// the schema) so they agree on where the settings end.
pub(crate) const MAX_NESTING: usize = 32;

/// One settings struct: its container attributes and its fields, in declaration order.
#[derive(Debug)]
pub struct StructMeta {
    /// The Rust name of the struct.
    pub name: &'static str,
    /// The struct's doc comment, lines joined with `\n`.
    pub doc: &'static str,
    /// `env_prefix = "..."`.
    pub env_prefix: Option<&'static str>,
    /// `env_nested_delimiter = "..."`, `"__"` when not given.
    pub env_nested_delimiter: &'static str,
    /// `case_sensitive`.
    pub case_sensitive: bool,
    /// `files = [...]`, in declaration order.
    pub files: &'static [&'static str],
    /// `env_file = "..."`.
    pub env_file: Option<&'static str>,
    /// `secrets_dir = "..."`.
    pub secrets_dir: Option<&'static str>,
    /// `config_dir = "..."`.
    pub config_dir: Option<&'static str>,
    /// `profile_env = "..."`.
    pub profile_env: Option<&'static str>,
    /// `profiles = [...]`: the known profiles (empty: any).
    pub profiles: &'static [&'static str],
    /// `deny_unknown` (true unless `deny_unknown = false`).
    pub deny_unknown: bool,
    /// `deny_unknown_env`.
    pub deny_unknown_env: bool,
    /// `deny_plain_secrets`: a secret from a plain-text config file or an argument is an issue.
    pub deny_plain_secrets: bool,
    /// The fields, in declaration order.
    pub fields: &'static [FieldMeta],
}

/// One field of a settings struct.
#[derive(Debug)]
pub struct FieldMeta {
    /// The Rust field name.
    pub name: &'static str,
    /// The key in files and the env-name stem: `rename` or the field name.
    pub key: &'static str,
    /// The field's doc comment, lines joined with `\n`.
    pub doc: &'static str,
    /// The field's type as written, for messages and templates.
    pub ty: &'static str,
    /// What the type looks like, as far as the derive can tell from its tokens.
    pub shape: Shape,
    /// Whether the type is `Option<...>`.
    pub optional: bool,
    /// Explicit `env = "..."` names, in order of priority.
    pub env: &'static [&'static str],
    /// `env_only`: only the explicit names set this field.
    pub env_only: bool,
    /// Where the value comes from when no source sets it.
    pub default: DefaultMeta,
    /// For a bare `default` or `default_with` on a value that is not secret: computes the
    /// default as JSON (its `Serialize` form; `None` when the type has none), for templates and
    /// the JSON Schema. Never called by a load.
    pub default_value: Option<fn() -> Option<serde_json::Value>>,
    /// `Secret<T>` or `#[settings(secret)]`.
    pub secret: bool,
    /// `cli_flag`: a secret that takes a command-line flag all the same.
    pub cli_flag: bool,
    /// `restart`: a change needs a restart under `Live`.
    pub restart: bool,
    /// `separator = "..."` for lists given as text (`,` when `None`).
    pub separator: Option<&'static str>,
    /// `extend`: a list that grows across sources instead of being replaced.
    pub extend: bool,
    /// The value checks declared on the field.
    pub constraints: &'static [Constraint],
    /// `Some(meta)` for a `nested` field: the nested struct's own description.
    pub nested: Option<fn() -> &'static StructMeta>,
    /// `env_prefix` on a `nested` field: the derived environment names of its subtree are this
    /// prefix and the path inside it (`REPLICA_URL`), not the outer prefix and the field's path.
    pub env_prefix: Option<&'static str>,
    /// `alias = "..."`: other keys of the field in its table, and other environment stems.
    pub aliases: &'static [&'static str],
    /// `renamed_from = "old.path"`: dotted paths from the root where the setting used to live.
    pub renamed_from: &'static [&'static str],
    /// `deprecated = "note"`: setting the field from any source is a warning with the note.
    pub deprecated: Option<&'static str>,
}

/// How the derive sees a field's type (purely syntactic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `bool`.
    Bool,
    /// A signed or unsigned integer type.
    Integer,
    /// `f32` or `f64`.
    Float,
    /// `String`, `PathBuf`, `Url`, `IpAddr`, ... anything written as text.
    Text,
    /// `std::time::Duration`.
    Duration,
    /// `settings_core::ByteSize`.
    ByteSize,
    /// `Vec<T>`, sets, arrays.
    List,
    /// `HashMap`, `BTreeMap`.
    Map,
    /// A nested settings struct.
    Struct,
    /// Anything else.
    Other,
}

/// The default of a field.
#[derive(Debug)]
pub enum DefaultMeta {
    /// Required unless the type is an `Option`.
    None,
    /// `default = LITERAL`: turned into the type as a config value would be.
    Literal(Lit),
    /// Bare `default`: `Default::default()`.
    Trait,
    /// `default_with = path`: the path as written.
    With(&'static str),
}

/// A literal written in an attribute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lit {
    /// A string literal.
    Str(&'static str),
    /// An integer literal, sign included.
    Int(i128),
    /// A float literal.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// An array of literals.
    Array(&'static [Lit]),
}

impl std::fmt::Display for Lit {
    /// The literal as it reads in a sentence, a help text or a template: strings without quotes,
    /// floats with their point (`1.0`), lists in brackets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Lit::Str(s) => f.write_str(s),
            Lit::Int(i) => write!(f, "{i}"),
            Lit::Float(x) => write!(f, "{x:?}"),
            Lit::Bool(b) => write!(f, "{b}"),
            Lit::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl Lit {
    /// Whether the literal holds a `${...}` reference (in a list: in some item).
    pub(crate) fn has_reference(&self) -> bool {
        match self {
            Lit::Str(s) => s.contains("${"),
            Lit::Array(items) => items.iter().any(Lit::has_reference),
            _ => false,
        }
    }

    /// The literal as a tree value of `origin`: strings are text, turned into the field's type
    /// as config text is.
    pub(crate) fn value(&self, origin: OriginId) -> Value {
        let node = match *self {
            Lit::Str(s) => Node::Text(s.to_owned()),
            Lit::Int(i) => Node::Int(i),
            Lit::Float(f) => Node::Float(f),
            Lit::Bool(b) => Node::Bool(b),
            Lit::Array(items) => Node::Array(items.iter().map(|l| l.value(origin)).collect()),
        };
        Value::new(node, origin)
    }

    /// The literal as the text of one value (what a `${...}` reference to it reads); `None`
    /// for a list.
    pub(crate) fn scalar_text(&self) -> Option<String> {
        match self {
            Lit::Array(_) => None,
            other => Some(other.to_string()),
        }
    }
}

/// A declared value check.
#[derive(Debug)]
pub enum Constraint {
    /// `range(min, max, gt, lt)`.
    Range {
        /// Inclusive lower bound.
        min: Option<Lit>,
        /// Inclusive upper bound.
        max: Option<Lit>,
        /// Exclusive lower bound.
        gt: Option<Lit>,
        /// Exclusive upper bound.
        lt: Option<Lit>,
    },
    /// `len(min, max)`.
    Len {
        /// Least length.
        min: Option<u64>,
        /// Greatest length.
        max: Option<u64>,
    },
    /// `regex = "..."`, compiled once per process.
    Regex(&'static Pattern),
    /// `url` or `url(schemes = [...])`.
    Url {
        /// Allowed schemes; empty means any.
        schemes: &'static [&'static str],
    },
    /// `one_of = [...]` or `one_of(values = [...], ignore_case)`.
    OneOf {
        /// The allowed values.
        values: &'static [Lit],
        /// Compare strings ignoring ASCII case.
        ignore_case: bool,
    },
    /// `validate = path`: the path as written.
    Custom(&'static str),
}

impl StructMeta {
    /// The index of the field with this file key.
    pub(crate) fn field_index(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }
}

impl FieldMeta {
    /// The nested struct's description, for a `nested` field.
    pub(crate) fn nested_meta(&self) -> Option<&'static StructMeta> {
        self.nested
            .filter(|_| self.shape == Shape::Struct)
            .map(|f| f())
    }

    /// For a list or map of settings structs (`Vec<S>`, `BTreeMap<String, S>`): `S`'s
    /// metadata. Such a field is a value to every walk of the fields (its paths have indices
    /// or keys no walk knows in advance); its elements load like nested structs.
    pub(crate) fn element_meta(&self) -> Option<&'static StructMeta> {
        self.nested
            .filter(|_| matches!(self.shape, Shape::List | Shape::Map))
            .map(|f| f())
    }

    /// A single nested struct (not a list or map of them).
    pub(crate) fn is_nested(&self) -> bool {
        self.nested.is_some() && self.shape == Shape::Struct
    }

    /// Whether the field holds a bool (`bool` or `Option<bool>`): a bare flag on the command
    /// line, `true`/`false` in the report.
    pub(crate) fn is_bool(&self) -> bool {
        self.shape == Shape::Bool || self.ty.replace(' ', "") == "Option<bool>"
    }
}

/// A `regex = "..."` pattern, compiled on first use and kept for the life of the process; a
/// pattern that is one literal (`^https://`) is tested without a regex.
///
/// The regex engine is reached only through the function [`Pattern::new`] stores: a program
/// whose patterns are all literals (or that has none) references no regex code, so the linker
/// leaves the regex crates out of its binary (1.5 MB of the 3.7 MB release binary of
/// bench/compile's 30-field app).
pub struct Pattern {
    source: &'static str,
    matcher: Matcher,
    compiled: std::sync::OnceLock<Result<regex::Regex, String>>,
}

/// How a pattern is tested.
#[derive(Clone, Copy)]
enum Matcher {
    /// One literal text: no regex.
    Literal(Literal),
    /// By the regex engine.
    Regex(Engine),
}

/// Whether a text matches a pattern with the regex crate (compiling it on first use), or why
/// the pattern cannot be used.
type Engine = for<'p> fn(&'p Pattern, &str) -> Result<bool, &'p str>;

/// A pattern that is one literal text, anchored or not.
#[derive(Debug, Clone, Copy)]
struct Literal {
    text: &'static str,
    /// `^` or `\A`: only at the start of the value.
    start: bool,
    /// `$` or `\z`: only at the end of the value.
    end: bool,
}

impl Pattern {
    /// A pattern not yet compiled.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            matcher: Matcher::Regex(regex_match),
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// A pattern that the derive found to be the literal `text`, anchored at the start and/or
    /// the end of the value as `start` and `end` say (`^https://` is `"https://"`, `true`,
    /// `false`); it matches exactly where the regex `source` would.
    pub const fn literal(source: &'static str, text: &'static str, start: bool, end: bool) -> Self {
        Pattern {
            source,
            matcher: Matcher::Literal(Literal { text, start, end }),
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// Whether `text` matches the pattern somewhere (`Regex::is_match`), or why the pattern
    /// cannot be used.
    pub(crate) fn is_match(&self, text: &str) -> Result<bool, &str> {
        match self.matcher {
            Matcher::Literal(Literal {
                text: lit,
                start,
                end,
            }) => Ok(match (start, end) {
                (true, true) => text == lit,
                (true, false) => text.starts_with(lit),
                (false, true) => text.ends_with(lit),
                (false, false) => text.contains(lit),
            }),
            Matcher::Regex(engine) => engine(self, text),
        }
    }

    /// The pattern as written.
    pub fn source(&self) -> &'static str {
        self.source
    }
}

/// The [`Engine`] of every pattern that is not a literal: the regex, compiled once (the derive
/// checks the syntax, so an error here is only a size limit or a difference between the two
/// parsers).
fn regex_match<'p>(pattern: &'p Pattern, text: &str) -> Result<bool, &'p str> {
    pattern
        .compiled
        .get_or_init(|| regex::Regex::new(pattern.source).map_err(|e| e.to_string()))
        .as_ref()
        .map(|re| re.is_match(text))
        .map_err(String::as_str)
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}
