//! Example configuration files generated from the metadata: `Settings::template(Format)`.
//!
//! One walk over the metadata ([`Tree::new`]) decides everything the formats share: which
//! leaves exist and in which order, their env names (from [`Names`], so they are exactly the
//! names a load matches), the example value of each key line, which lines are written active and
//! which commented out, and the comment lines (doc, type, constraints in words, env names,
//! default). Each renderer (`toml.rs`, `yaml.rs`, `json.rs`, `env.rs`, `markdown.rs`) only lays
//! that out in its own syntax.
//!
//! # Decisions
//!
//! - **Commented out or active.** A leaf with a default (literal, bare `default` or
//!   `default_with`) or of `Option` type is written commented out (`#port = 8000`: a `#` with no
//!   space, so it reads apart from the doc comments, `# ...`, and is uncommented by deleting one
//!   character). A required leaf is written active, with a placeholder. Inside a nested field
//!   that is an `Option` or has a default, every leaf is commented out, because setting any key
//!   there would change the loaded value (`Some` instead of `None`, the table instead of its
//!   default); a required leaf there says "required when `cache` is set". A table or mapping
//!   header is active when some leaf below it is.
//! - **Placeholders.** A required leaf's value is the string `"<required: TYPE>"` (`TYPE` as
//!   written in the struct), so the file parses as TOML, YAML or dotenv as it is; loading it
//!   without replacing the placeholder fails with an error at that key (unless a source of
//!   higher precedence, such as the environment or `.set`, supplies the value), which is what
//!   "required" should mean. A commented-out line without a shown value says what stands there
//!   instead: `"<bool>"` for an unset `Option<bool>`, `"<secret>"` for a secret's default,
//!   `"<computed by path::to::fn>"` for `default_with`, `"<Default::default()>"` for a bare
//!   `default` whose value the type does not tell.
//! - **Defaults in the file's syntax.** A string literal stays a string (`"30s"` for a
//!   `Duration`), except on a number or bool field, where it is written as the number or bool
//!   it stands for (`default = "8080"` on a `u16` is `8080`); an integer literal on a float
//!   field is written as a float. A bare `default` on a type whose `Default` is known from its
//!   shape (numbers `0`, `false`, `""`, `[]`, `{}`, `"0s"`) shows that value.
//! - **Secrets.** A secret's default never appears, in any format.
//! - **Comments.** Each leaf gets its doc comment, then `type: ...`, its constraints in words
//!   (`range: 1 to 65535`, `length: at least 1`, `must match ^[a-z]+$`, `absolute URL with
//!   scheme postgres or postgresql`, `one of: debug, info, warn`), its env names, and its
//!   default (`default: 8000`, `required`, `optional: unset by default`, ...), one per line, a
//!   `#` line between the doc and the rest. The Env template names the key line's variable once
//!   and lists the other names as `also: ...`. The struct's doc comment (or its name) opens the
//!   file, followed by a short legend. Values in comments use the file's syntax.
//! - **Order.** Field order, except that TOML and Env write a struct's plain settings before
//!   its nested structs (in TOML a key after a `[table]` header would belong to that table; in
//!   Env each `# --- path ---` section then holds only its own variables).
//! - **JSON.** JSON has no comments, so the JSON template is a document with every key, in
//!   field order: the default where there is one, `null` for an `Option` without default (which
//!   loads as unset), and the placeholder strings above for the rest. Optional and defaulted
//!   nested structs are written out whole (JSON cannot comment them out), so it is a starting
//!   point to edit, not a file that loads to the defaults as it is.
//! - **Markdown.** `# Name`, the struct's doc, then a table with one row per leaf: path, type,
//!   default (JSON syntax; `**required**`, `unset`, `(secret)`, ...), env names, description
//!   (the doc comment, then the constraints, then "only when `cache` is set" for a leaf of an
//!   optional or defaulted nested struct).

mod env;
mod json;
mod markdown;
mod toml;
mod yaml;

use crate::bytesize::ByteSize;
use crate::duration::format_duration;
use crate::meta::MAX_NESTING;
use crate::meta::{Constraint, DefaultMeta, FieldMeta, Lit, Shape, StructMeta};
use crate::naming::Names;
use serde_json::Value;
use std::time::Duration;

/// The format of a [`Settings::template`](crate::Settings::template).
///
/// ```
/// use settings_core::{Format, Settings};
///
/// /// Settings of the billing service.
/// #[derive(Settings)]
/// #[settings(env_prefix = "APP_")]
/// struct App {
///     /// Port the HTTP server listens on.
///     #[settings(default = 8000, range(min = 1, max = 65535))]
///     port: u16,
/// }
///
/// let toml = App::template(Format::Toml);
/// assert!(toml.contains("# Port the HTTP server listens on.\n"));
/// assert!(toml.contains("# range: 1 to 65535\n"));
/// assert!(toml.contains("# env: APP_PORT\n"));
/// assert!(toml.contains("#port = 8000\n"));
///
/// let env = App::template(Format::Env);
/// assert!(env.contains("#APP_PORT=8000\n"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// A commented `settings.toml`: nested structs are `[tables]`.
    Toml,
    /// A commented `settings.yaml`: nested structs are indented mappings.
    Yaml,
    /// A `settings.json` document (no comments: defaults, `null` and placeholders).
    Json,
    /// A commented `.env.example`, one `NAME=value` line per setting.
    Env,
    /// A Markdown reference: one table row per setting.
    Markdown,
}

/// Renders the template of a settings struct.
pub(crate) fn render(meta: &'static StructMeta, format: Format) -> String {
    let tree = Tree::new(meta);
    match format {
        Format::Toml => toml::render(&tree),
        Format::Yaml => yaml::render(&tree),
        Format::Json => json::render(&tree),
        Format::Env => env::render(&tree),
        Format::Markdown => markdown::render(&tree),
    }
}

/// A template that begins with the directive its editors read to find the file's JSON Schema
/// (`config template --schema URL`): `#:schema URL` in TOML (taplo, Even Better TOML),
/// `# yaml-language-server: $schema=URL` in YAML (the YAML language server), a first key
/// `"$schema"` in JSON (which the load ignores). `None` for a format without one (Env,
/// Markdown). `schema` is a URL or a path; the caller has checked it holds no line break.
#[cfg(any(feature = "cli", test))]
pub(crate) fn with_schema(format: Format, text: &str, schema: &str) -> Option<String> {
    match format {
        Format::Toml => Some(format!("#:schema {schema}\n{text}")),
        Format::Yaml => Some(format!("# yaml-language-server: $schema={schema}\n{text}")),
        Format::Json => {
            let key = format!("\"$schema\": {}", quoted(schema));
            Some(match text.strip_prefix("{\n") {
                Some(rest) => format!("{{\n  {key},\n{rest}"),
                // `{}`: a struct without fields.
                None => format!("{{\n  {key}\n}}\n"),
            })
        }
        Format::Env | Format::Markdown => None,
    }
}

/// What every format shows of one settings struct.
pub(crate) struct Tree {
    /// The struct's doc comment.
    pub(crate) doc: &'static str,
    /// The struct's name.
    pub(crate) name: &'static str,
    /// The fields, in declaration order.
    pub(crate) entries: Vec<Entry>,
}

/// One field: a leaf or a nested table.
pub(crate) struct Entry {
    pub(crate) field: &'static FieldMeta,
    /// The dotted path: `db.pool_size`.
    pub(crate) path: String,
    /// Every env name that sets it, in priority order.
    pub(crate) env: Vec<String>,
    /// Written uncommented: a required leaf outside optional tables, or a table with such a
    /// leaf below it.
    pub(crate) active: bool,
    /// The path of the closest nested field above that is an `Option` or has a default: the
    /// entry matters only when some key under that field is set.
    pub(crate) within: Option<String>,
    pub(crate) kind: Kind,
}

/// A leaf with its example, or a nested struct with its fields.
pub(crate) enum Kind {
    Leaf(Example),
    Table {
        meta: &'static StructMeta,
        entries: Vec<Entry>,
    },
}

/// What a leaf's key line shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Example {
    /// The default value.
    Value(Value),
    /// A text standing for a value (without the angle brackets): `required: u16`, `secret`.
    Placeholder(String),
    /// An `Option` without default: nothing is set. The text names the type (`bool`).
    Unset(String),
}

impl Tree {
    pub(crate) fn new(meta: &'static StructMeta) -> Self {
        let names = Names::of(meta);
        Tree {
            doc: meta.doc,
            name: meta.name,
            entries: entries(meta, names, "", None, 0),
        }
    }
}

/// The entries of one struct; `within` as in [`Entry::within`].
fn entries(
    meta: &'static StructMeta,
    names: &Names,
    prefix: &str,
    within: Option<&str>,
    depth: usize,
) -> Vec<Entry> {
    let mut out = Vec::new();
    for field in meta.fields {
        let path = if prefix.is_empty() {
            field.key.to_owned()
        } else {
            format!("{prefix}.{}", field.key)
        };
        let env = names
            .fields
            .target_of(&path)
            .map(|id| names.names_of(id))
            .unwrap_or_default();
        let entry = match field.nested_meta() {
            Some(nested) => {
                if depth + 1 >= MAX_NESTING {
                    continue;
                }
                let conditional = field.optional || !matches!(field.default, DefaultMeta::None);
                let inner = within.or(conditional.then_some(path.as_str()));
                let entries = entries(nested, names, &path, inner, depth + 1);
                Entry {
                    field,
                    env,
                    active: entries.iter().any(|e| e.active),
                    within: within.map(str::to_owned),
                    path,
                    kind: Kind::Table {
                        meta: nested,
                        entries,
                    },
                }
            }
            None => Entry {
                field,
                path,
                env,
                active: within.is_none() && is_required(field),
                within: within.map(str::to_owned),
                kind: Kind::Leaf(example(field)),
            },
        };
        out.push(entry);
    }
    out
}

/// No default and not an `Option`.
pub(crate) fn is_required(field: &FieldMeta) -> bool {
    matches!(field.default, DefaultMeta::None) && !field.optional
}

fn example(field: &FieldMeta) -> Example {
    let ty = field.ty;
    match &field.default {
        DefaultMeta::None if field.optional => Example::Unset(strip_option(ty).to_owned()),
        // A required list or map of settings structs: one element to fill in, in the form the
        // file takes (its defaults, and placeholders for what it requires).
        DefaultMeta::None if field.element_meta().is_some() => {
            Example::Value(example_collection(field).unwrap_or_default())
        }
        DefaultMeta::None => Example::Placeholder(format!("required: {ty}")),
        _ if field.secret => Example::Placeholder("secret".to_owned()),
        DefaultMeta::Trait if field.optional => Example::Unset(strip_option(ty).to_owned()),
        _ => match default_value(field) {
            Some(Value::Null) => Example::Unset(strip_option(ty).to_owned()),
            Some(v) => Example::Value(v),
            None => match field.default {
                DefaultMeta::With(path) => Example::Placeholder(format!("computed by {path}")),
                _ => Example::Placeholder("Default::default()".to_owned()),
            },
        },
    }
}

/// A list or map of settings structs with one element as a template shows it (a map's key is
/// `<key>`); `None` for any other field.
fn example_collection(field: &FieldMeta) -> Option<Value> {
    let element = Value::Object(example_element(field.element_meta()?, 0));
    Some(if field.shape == Shape::Map {
        Value::Object([("<key>".to_owned(), element)].into_iter().collect())
    } else {
        Value::Array(vec![element])
    })
}

/// One element of a list or map of settings structs as a template shows it: each field's
/// default, a placeholder for a required one (`<required: String>`), nested structs inside.
fn example_element(meta: &'static StructMeta, depth: usize) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    for field in meta.fields {
        let value = match field.nested_meta() {
            Some(nested) if depth + 1 < MAX_NESTING => {
                Value::Object(example_element(nested, depth + 1))
            }
            Some(_) => continue,
            None => match example(field) {
                Example::Value(v) => v,
                Example::Placeholder(text) => Value::from(format!("<{text}>")),
                Example::Unset(_) => continue,
            },
        };
        out.insert(field.key.to_owned(), value);
    }
    out
}

/// `T` of `Option<T>`, as written.
fn strip_option(ty: &str) -> &str {
    ty.strip_prefix("Option<")
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(ty)
}

/// The default as a value of the field's file form: the literal, or the value that a bare
/// `default` or `default_with` computes (its `Serialize` form, a duration as text), else for a
/// bare `default` the value the shape tells. `None` for no default or an unknown one. Callers
/// decide whether a secret's default may be shown (it may not).
pub(crate) fn default_value(field: &FieldMeta) -> Option<Value> {
    if let DefaultMeta::Literal(lit) = &field.default {
        return Some(lit_value(lit, field.shape));
    }
    if let Some(value) = field.default_value.and_then(|compute| compute()) {
        return Some(file_form(value, field.shape));
    }
    match &field.default {
        DefaultMeta::Trait if !field.optional => trait_default(field),
        _ => None,
    }
}

/// A `Serialize` form as a config file writes it: serde writes a `Duration` as
/// `{"secs": .., "nanos": ..}`, a file as `"1m 30s"`.
fn file_form(value: Value, shape: Shape) -> Value {
    let duration = |v: &Value| {
        let secs = v.get("secs")?.as_u64()?;
        let nanos = u32::try_from(v.get("nanos")?.as_u64()?).ok()?;
        Some(Value::from(format_duration(Duration::new(secs, nanos))))
    };
    match shape {
        Shape::Duration => duration(&value).unwrap_or(value),
        _ => value,
    }
}

/// `Default::default()` of the shapes whose default is known: every type of these shapes that
/// implements `Default` has this one (`Url`, `IpAddr` and the `NonZero` integers have none, so
/// a bare `default` on them does not compile).
fn trait_default(field: &FieldMeta) -> Option<Value> {
    Some(match field.shape {
        Shape::Bool => Value::Bool(false),
        Shape::Integer => Value::from(0),
        Shape::Float => Value::from(0.0),
        Shape::Text => Value::from(""),
        Shape::Duration => Value::from("0s"),
        Shape::ByteSize => Value::from(0),
        // `[T; N]` defaults to N default items, not to an empty list.
        Shape::List if !field.ty.starts_with('[') => Value::Array(Vec::new()),
        Shape::Map => Value::Object(serde_json::Map::new()),
        _ => return None,
    })
}

/// A literal as the value a config file would hold for a field of this shape.
pub(crate) fn lit_value(lit: &Lit, shape: Shape) -> Value {
    match *lit {
        Lit::Str(s) => match shape {
            Shape::Integer => s
                .trim()
                .parse::<i128>()
                .ok()
                .and_then(int_value)
                .unwrap_or_else(|| Value::from(s)),
            Shape::Float => s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(float_value)
                .unwrap_or_else(|| Value::from(s)),
            Shape::Bool => crate::de::parse_bool(s).map_or_else(|| Value::from(s), Value::Bool),
            // A default connection string shows no password (templates, the schema).
            _ => Value::from(crate::redact::url_passwords(s).into_owned()),
        },
        Lit::Int(i) if shape == Shape::Float => {
            float_value(i as f64).unwrap_or_else(|| Value::from(i.to_string()))
        }
        Lit::Int(i) => int_value(i).unwrap_or_else(|| Value::from(i.to_string())),
        Lit::Float(f) => float_value(f).unwrap_or_else(|| Value::from(f.to_string())),
        Lit::Bool(b) => Value::Bool(b),
        Lit::Array(items) => {
            Value::Array(items.iter().map(|i| lit_value(i, Shape::Other)).collect())
        }
    }
}

fn int_value(i: i128) -> Option<Value> {
    if let Ok(i) = i64::try_from(i) {
        Some(Value::from(i))
    } else {
        u64::try_from(i).ok().map(Value::from)
    }
}

fn float_value(f: f64) -> Option<Value> {
    serde_json::Number::from_f64(f).map(Value::Number)
}

/// How a renderer shows the env names in a leaf's comment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnvLine {
    /// `env: APP_PORT, PORT`.
    All,
    /// The first name is the key line's: `also: PORT` when there are more.
    Others,
}

/// The comment lines of an entry after its doc comment: type, constraints, env names and
/// default, each one line. `show` writes a default in the file's syntax.
pub(crate) fn notes(
    entry: &Entry,
    env_line: EnvLine,
    show: &dyn Fn(&Value) -> String,
) -> Vec<String> {
    let field = entry.field;
    let mut lines = Vec::new();
    if let Kind::Table { .. } = entry.kind {
        match &field.default {
            DefaultMeta::None if field.optional => {
                lines.push("optional: unset unless a key below is set".to_owned());
            }
            DefaultMeta::Trait => {
                lines.push("default: Default::default(), unless a key below is set".to_owned());
            }
            DefaultMeta::With(path) => {
                lines.push(format!(
                    "default: computed by {path}, unless a key below is set"
                ));
            }
            _ => {}
        }
        lines.extend(other_names(field));
        lines.extend(rules(field));
        return lines;
    }
    let mut ty = format!("type: {}", field.ty);
    if field.secret && !field.ty.contains("Secret<") {
        ty.push_str(", secret");
    }
    lines.push(ty);
    lines.extend(other_names(field));
    lines.extend(rules(field));
    let mut env = match env_line {
        EnvLine::All => format!("env: {}", entry.env.join(", ")),
        EnvLine::Others if entry.env.len() > 1 => format!("also: {}", entry.env[1..].join(", ")),
        EnvLine::Others => String::new(),
    };
    if let (Some(sep), Shape::List) = (field.separator, field.shape) {
        if env.is_empty() {
            env = format!("a list separated by {}", quoted(sep));
        } else {
            env.push_str(&format!(" (a list separated by {})", quoted(sep)));
        }
    }
    if !env.is_empty() {
        lines.push(env);
    }
    lines.push(default_note(entry, show));
    // A list or map of structs with a default: what one element looks like.
    if !matches!(field.default, DefaultMeta::None)
        && let Some(example) = example_collection(field)
    {
        lines.push(format!("with one element: {}", show(&example)));
    }
    lines
}

/// `default: 8000`, `required`, ...
fn default_note(entry: &Entry, show: &dyn Fn(&Value) -> String) -> String {
    let field = entry.field;
    match (&entry.kind, &field.default) {
        (Kind::Leaf(Example::Value(v)), DefaultMeta::Literal(_)) => format!("default: {}", show(v)),
        (_, DefaultMeta::None) if field.optional => "optional: unset by default".to_owned(),
        (_, DefaultMeta::None) => match &entry.within {
            Some(table) => format!("required when `{table}` is set"),
            None => "required".to_owned(),
        },
        (_, _) if field.secret => "default: not shown (secret)".to_owned(),
        (_, DefaultMeta::Trait) if field.optional => "default: unset".to_owned(),
        (Kind::Leaf(Example::Value(v)), DefaultMeta::With(path)) => {
            format!("default: {} (computed by {path})", show(v))
        }
        (_, DefaultMeta::With(path)) => format!("default: computed by {path}"),
        (Kind::Leaf(Example::Value(v)), _) => {
            format!("default: {} (Default::default())", show(v))
        }
        (_, _) => "default: Default::default()".to_owned(),
    }
}

/// A string in double quotes with every escape TOML, YAML and JSON share: `\"`, `\\`, `\n`,
/// `\t`, `\r` and `\uXXXX` for other control and line-separator characters.
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c == '\u{feff}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A value in flow syntax, shared by TOML (`sep = " = "`) and YAML (`sep = ": "`): strings
/// double-quoted, arrays `[a, b]`, tables `{ k = v }` / `{k: v}`.
pub(crate) fn flow(value: &Value, key: &dyn Fn(&str) -> String, sep: &str) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quoted(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| flow(v, key, sep)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}{sep}{}", key(k), flow(v, key, sep)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
    }
}

/// The placeholder of an example, as a string value: `"<required: u16>"`.
pub(crate) fn placeholder(text: &str) -> String {
    format!("<{text}>")
}

/// The opening comment of a commented format: the struct's doc (or name), then the legend.
pub(crate) fn header(out: &mut String, tree: &Tree, legend: &str) {
    comment(out, "", &title_lines(tree).join("\n"));
    out.push_str("#\n");
    comment(out, "", legend);
}

/// The struct's doc comment, or its name when it has none.
pub(crate) fn title_lines(tree: &Tree) -> Vec<&str> {
    if tree.doc.trim().is_empty() {
        vec![tree.name]
    } else {
        tree.doc.lines().collect()
    }
}

/// The doc comment of a table: the field's, or the nested struct's when the field has none.
pub(crate) fn table_doc(entry: &Entry) -> &'static str {
    match entry.kind {
        Kind::Table { meta, .. } if entry.field.doc.trim().is_empty() => meta.doc,
        _ => entry.field.doc,
    }
}

/// Writes `text` as comment lines with `indent` before the `#`; empty lines become `#`.
pub(crate) fn comment(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        out.push_str(indent);
        if line.trim().is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

/// Writes an entry's doc comment and notes as comment lines, with a `#` line between them.
pub(crate) fn comment_block(out: &mut String, indent: &str, doc: &str, notes: &[String]) {
    if !doc.trim().is_empty() {
        comment(out, indent, doc);
        if !notes.is_empty() {
            out.push_str(indent);
            out.push_str("#\n");
        }
    }
    for note in notes {
        comment(out, indent, note);
    }
}

/// The constraints of a field in words, one per entry.
/// `deprecated: note`, and the other keys a setting is read under (`alias`, `renamed_from`).
fn other_names(field: &FieldMeta) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(note) = field.deprecated {
        lines.push(format!("deprecated: {note}"));
    }
    if !field.aliases.is_empty() {
        lines.push(format!("also read as: {}", field.aliases.join(", ")));
    }
    if !field.renamed_from.is_empty() {
        lines.push(format!(
            "old name, still read with a warning: {}",
            field.renamed_from.join(", ")
        ));
    }
    lines
}

pub(crate) fn rules(field: &FieldMeta) -> Vec<String> {
    let each = if field.shape == Shape::List {
        "each item: "
    } else {
        ""
    };
    field
        .constraints
        .iter()
        .map(|c| match c {
            Constraint::Range { min, max, gt, lt } => {
                let bound = |b: &Option<Lit>| b.map(|b| bound_words(&b, field.shape));
                format!(
                    "range: {}",
                    range_words(bound(min), bound(max), bound(gt), bound(lt))
                )
            }
            Constraint::Len { min, max } => format!("length: {}", len_words(*min, *max)),
            Constraint::Regex(pattern) => format!("{each}must match {}", pattern.source()),
            Constraint::Url { schemes: [] } => format!("{each}absolute URL"),
            Constraint::Url { schemes } => {
                format!("{each}absolute URL with scheme {}", schemes.join(" or "))
            }
            Constraint::OneOf {
                values,
                ignore_case,
            } => {
                let values: Vec<String> = values.iter().map(Lit::to_string).collect();
                let case = if *ignore_case { " (ignoring case)" } else { "" };
                format!("{each}one of: {}{case}", values.join(", "))
            }
            Constraint::Custom(path) => format!("checked by {path}"),
        })
        .collect()
}

fn range_words(
    min: Option<String>,
    max: Option<String>,
    gt: Option<String>,
    lt: Option<String>,
) -> String {
    if let (Some(min), Some(max), None, None) = (&min, &max, &gt, &lt) {
        return format!("{min} to {max}");
    }
    let mut parts = Vec::new();
    if let Some(b) = min {
        parts.push(format!("at least {b}"));
    }
    if let Some(b) = gt {
        parts.push(format!("greater than {b}"));
    }
    if let Some(b) = max {
        parts.push(format!("at most {b}"));
    }
    if let Some(b) = lt {
        parts.push(format!("less than {b}"));
    }
    parts.join(" and ")
}

/// A range bound in words: a number of seconds or bytes given to a duration or a size reads
/// as one (`90` on a `Duration` is `1m 30s`).
fn bound_words(lit: &Lit, shape: Shape) -> String {
    match (shape, *lit) {
        (Shape::Duration, Lit::Int(i)) => match u64::try_from(i) {
            Ok(secs) => format_duration(Duration::from_secs(secs)),
            Err(_) => lit.to_string(),
        },
        (Shape::Duration, Lit::Float(f)) => match Duration::try_from_secs_f64(f) {
            Ok(d) => format_duration(d),
            Err(_) => lit.to_string(),
        },
        (Shape::ByteSize, Lit::Int(i)) => match u64::try_from(i) {
            Ok(bytes) => ByteSize(bytes).to_string(),
            Err(_) => lit.to_string(),
        },
        _ => lit.to_string(),
    }
}

fn len_words(min: Option<u64>, max: Option<u64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("exactly {a}"),
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Pattern;

    const fn field(key: &'static str, ty: &'static str, shape: Shape) -> FieldMeta {
        FieldMeta {
            name: key,
            key,
            doc: "",
            ty,
            shape,
            optional: false,
            env: &[],
            env_only: false,
            default: DefaultMeta::None,
            default_value: None,
            secret: false,
            cli_flag: false,
            restart: false,
            separator: None,
            extend: false,
            constraints: &[],
            nested: None,
            env_prefix: None,
            aliases: &[],
            renamed_from: &[],
            deprecated: None,
        }
    }

    #[test]
    fn string_defaults_take_the_field_type() {
        assert_eq!(
            lit_value(&Lit::Str("8080"), Shape::Integer),
            Value::from(8080)
        );
        assert_eq!(lit_value(&Lit::Str("1.5"), Shape::Float), Value::from(1.5));
        assert_eq!(lit_value(&Lit::Str("yes"), Shape::Bool), Value::Bool(true));
        assert_eq!(
            lit_value(&Lit::Str("30s"), Shape::Duration),
            Value::from("30s")
        );
        assert_eq!(lit_value(&Lit::Int(3), Shape::Float), Value::from(3.0));
        assert_eq!(lit_value(&Lit::Int(-5), Shape::Integer), Value::from(-5));
        assert_eq!(
            lit_value(&Lit::Int(i128::MAX), Shape::Integer),
            Value::from(i128::MAX.to_string())
        );
        assert_eq!(
            lit_value(&Lit::Array(&[Lit::Str("a"), Lit::Int(1)]), Shape::List),
            serde_json::json!(["a", 1])
        );
    }

    #[test]
    fn examples_follow_the_default() {
        let mut f = field("port", "u16", Shape::Integer);
        assert_eq!(example(&f), Example::Placeholder("required: u16".into()));
        f.default = DefaultMeta::Literal(Lit::Int(8000));
        assert_eq!(example(&f), Example::Value(Value::from(8000)));
        f.secret = true;
        assert_eq!(example(&f), Example::Placeholder("secret".into()));
        f.secret = false;
        f.default = DefaultMeta::Trait;
        assert_eq!(example(&f), Example::Value(Value::from(0)));
        f.default = DefaultMeta::With("defaults::port");
        assert_eq!(
            example(&f),
            Example::Placeholder("computed by defaults::port".into())
        );
        let mut o = field("debug", "Option<bool>", Shape::Bool);
        o.optional = true;
        assert_eq!(example(&o), Example::Unset("bool".into()));
        let arr = field("ip", "[u8; 4]", Shape::List);
        assert_eq!(trait_default(&arr), None);
    }

    #[test]
    fn constraints_in_words() {
        static RE: Pattern = Pattern::new("^[a-z]+$");
        static RULES: [Constraint; 5] = [
            Constraint::Len {
                min: Some(1),
                max: None,
            },
            Constraint::Regex(&RE),
            Constraint::Url {
                schemes: &["postgres", "postgresql"],
            },
            Constraint::OneOf {
                values: &[Lit::Str("a"), Lit::Str("b")],
                ignore_case: true,
            },
            Constraint::Custom("checks::hosts"),
        ];
        let mut f = field("hosts", "Vec<String>", Shape::List);
        f.constraints = &RULES;
        assert_eq!(
            rules(&f),
            [
                "length: at least 1",
                "each item: must match ^[a-z]+$",
                "each item: absolute URL with scheme postgres or postgresql",
                "each item: one of: a, b (ignoring case)",
                "checked by checks::hosts",
            ]
        );
        let w = |lit: Lit| Some(bound_words(&lit, Shape::Integer));
        assert_eq!(
            range_words(w(Lit::Int(1)), w(Lit::Int(65535)), None, None),
            "1 to 65535"
        );
        assert_eq!(
            range_words(None, None, w(Lit::Float(0.5)), w(Lit::Str("1h"))),
            "greater than 0.5 and less than 1h"
        );
        assert_eq!(
            range_words(w(Lit::Float(0.0)), w(Lit::Float(1.0)), None, None),
            "0.0 to 1.0"
        );
        assert_eq!(range_words(w(Lit::Int(1)), None, None, None), "at least 1");
        assert_eq!(bound_words(&Lit::Int(90), Shape::Duration), "1m 30s");
        assert_eq!(bound_words(&Lit::Float(0.25), Shape::Duration), "250ms");
        assert_eq!(bound_words(&Lit::Str("1s"), Shape::Duration), "1s");
        assert_eq!(bound_words(&Lit::Int(1024), Shape::ByteSize), "1KiB");
        assert_eq!(len_words(Some(2), Some(2)), "exactly 2");
        assert_eq!(len_words(None, Some(64)), "at most 64");
    }

    #[test]
    fn schema_directives_come_first() {
        let url = "./s.json";
        assert_eq!(
            with_schema(Format::Toml, "# doc\nport = 1\n", url).unwrap(),
            "#:schema ./s.json\n# doc\nport = 1\n"
        );
        assert_eq!(
            with_schema(Format::Yaml, "port: 1\n", url).unwrap(),
            "# yaml-language-server: $schema=./s.json\nport: 1\n"
        );
        assert_eq!(
            with_schema(Format::Json, "{\n  \"port\": 1\n}\n", "a\"b").unwrap(),
            "{\n  \"$schema\": \"a\\\"b\",\n  \"port\": 1\n}\n"
        );
        assert_eq!(
            with_schema(Format::Json, "{}\n", url).unwrap(),
            "{\n  \"$schema\": \"./s.json\"\n}\n"
        );
        assert_eq!(with_schema(Format::Env, "PORT=1\n", url), None);
        assert_eq!(with_schema(Format::Markdown, "# App\n", url), None);
    }

    #[test]
    fn quoted_escapes_what_every_format_needs() {
        assert_eq!(quoted("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quoted("l1\nl2\t"), r#""l1\nl2\t""#);
        assert_eq!(quoted("\u{7f}\u{0}\u{2028}"), r#""\u007F\u0000\u2028""#);
        for s in [
            "plain",
            "quote \" and \\",
            "tab\tnew\nline",
            "del\u{7f}",
            "é ü",
        ] {
            let q = quoted(s);
            let json: String = serde_json::from_str(&q).unwrap();
            assert_eq!(json, s);
            let toml: std::collections::BTreeMap<String, String> =
                ::toml::from_str(&format!("k = {q}")).unwrap();
            assert_eq!(toml["k"], s);
            let yaml: String = serde_yaml_ng::from_str(&q).unwrap();
            assert_eq!(yaml, s);
        }
    }
}
