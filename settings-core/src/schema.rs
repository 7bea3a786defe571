//! `Settings::json_schema()`: a JSON Schema (draft 2020-12) of the settings in file form.
//!
//! The schema describes a complete config file: nested structs are nested objects, keys are file
//! keys (`rename` applied), never env names. Built from the metadata alone:
//!
//! - types from the field's shape: `boolean`, `integer` (with the bounds of the integer type,
//!   `0` to `65535` for a `u16`), `number`, `string` (`format: "uri"` for a `Url`), `array`,
//!   `object`; a `Duration` or a `ByteSize` is a string (`"30s"`, `"512 MiB"`) or a non-negative
//!   integer (seconds, bytes); a type the derive cannot see into has no type constraint. List
//!   items and map values get a type where the written type names a known scalar
//!   (`Vec<String>`, `HashMap<String, u32>`);
//! - `required`: the fields without a default that are not `Option`; a nested struct is
//!   required when something inside it is;
//! - `additionalProperties: false` where `deny_unknown` holds;
//! - `range` gives `minimum`/`maximum` (`exclusiveMinimum`/`exclusiveMaximum` for `gt`/`lt`) on
//!   numbers; bounds of durations and sizes, written as text, have no JSON Schema keyword;
//! - `len` gives `minLength`/`maxLength`, `minItems`/`maxItems` or
//!   `minProperties`/`maxProperties`; `regex` gives `pattern`, `url` gives `format: "uri"`,
//!   `one_of` gives `enum` (with `ignore_case` too: the application then holds the listed
//!   spelling, so the enum is what an editor should offer); on a
//!   list, `regex`, `url` and `one_of` apply to `items`. A keyword that is already taken goes
//!   into `allOf`;
//! - doc comments are `description` (the struct's at the top, `title` its name), secrets
//!   `writeOnly: true`, defaults `default` (never a secret's);
//! - an `Option` field is simply not required (TOML cannot write `null`).
//!
//! `Settings::file_schema()` is the same schema for one config file as a layer, which is what an
//! editor or a validator of a single file needs:
//!
//! - nothing is `required` at any depth: any value may come from another layer (another file,
//!   the environment, the secrets directory);
//! - an `Option` leaf also takes `null`, which JSON and YAML files write for "unset" (the JSON
//!   template does);
//! - a secret keeps its type and constraints (never its default) and also takes an encrypted
//!   `ENC[age:...]` string (only that under `deny_plain_secrets`, where the load refuses plain
//!   text); its description adds where the value belongs: the secrets directory or the
//!   environment (with the names), or this file only encrypted;
//! - the top level also takes the keys the loader itself reads from a file: `$schema` (the
//!   directive a JSON file carries for editors, ignored by the load) and `extends` (unless the
//!   struct has a field of that name);
//! - a file written in profile sections (`[default]`, `[prod]`, `[global]`: none of its top-level
//!   keys is a field and each holds a table) is checked section by section against the same
//!   schema. So the top level says `additionalProperties: false` in an `else` branch of that
//!   condition rather than directly, with the keys it allows listed there again.

use crate::meta::{Constraint, FieldMeta, Lit, Shape, StructMeta};
use crate::naming::Names;
use crate::template::{default_value, is_required, lit_value};
use serde_json::{Map, Value, json};

/// The draft the schema follows.
const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// An `ENC[age:<base64>]` value as the loader reads it (whitespace around and inside the
/// payload allowed, `=` padding optional).
const ENCRYPTED: &str = r"^\s*ENC\[age:[A-Za-z0-9+/=\s]*[A-Za-z0-9+/][A-Za-z0-9+/=\s]*\]\s*$";

/// Which schema is built.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The complete settings (`json_schema`): what is needed with nothing else is `required`.
    Complete,
    /// One config file as a layer (`file_schema`): nothing required, and the file's own keys.
    File,
}

/// What the walk over the metadata carries.
struct Cx {
    form: Form,
    /// The root's names, for the env names and secrets-directory files of secrets.
    names: &'static Names,
    secrets_dir: Option<&'static str>,
    /// `deny_plain_secrets`: a secret in a file must be encrypted.
    deny_plain_secrets: bool,
}

/// The JSON Schema of a settings struct.
pub(crate) fn schema(meta: &'static StructMeta) -> Value {
    build(meta, Form::Complete)
}

/// The JSON Schema of one config file of a settings struct, as a layer.
pub(crate) fn file_schema(meta: &'static StructMeta) -> Value {
    build(meta, Form::File)
}

fn build(meta: &'static StructMeta, form: Form) -> Value {
    let cx = Cx {
        form,
        names: Names::of(meta),
        secrets_dir: meta.secrets_dir,
        deny_plain_secrets: meta.deny_plain_secrets,
    };
    let mut root = Map::new();
    root.insert("$schema".into(), DRAFT.into());
    root.extend(object(&cx, meta, "", 0));
    if form == Form::File {
        file_keys(meta, &mut root);
    }
    Value::Object(root)
}

/// The keys of a config file that are the loader's, not settings (`$schema`, `extends`), and
/// the profile-sections form of a file.
fn file_keys(meta: &'static StructMeta, root: &mut Map<String, Value>) {
    let mut own = Vec::new();
    if meta.field_index("$schema").is_none() {
        own.push((
            "$schema",
            json!({
                "description": "The JSON Schema of this file, for editors and validators; \
                                the load ignores this key.",
                "type": "string",
            }),
        ));
    }
    if meta.field_index("extends").is_none() {
        own.push((
            "extends",
            json!({
                "description": "Files loaded before this one, which this file is merged over: \
                                a path relative to this file, or a list of them.",
                "anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"type": "string"}},
                ],
            }),
        ));
    }
    let Some(Value::Object(properties)) = root.get_mut("properties") else {
        return;
    };
    for (key, schema) in &own {
        properties.insert((*key).into(), schema.clone());
    }
    if meta.fields.is_empty() {
        return;
    }
    // Every key the top level has (fields, their aliases, the loader's keys), each allowed.
    let keys: Map<String, Value> = properties
        .keys()
        .map(|k| (k.clone(), true.into()))
        .collect();
    let fields: Vec<Value> = meta
        .fields
        .iter()
        .flat_map(|f| std::iter::once(f.key).chain(f.aliases.iter().copied()))
        .map(Value::from)
        .collect();
    let loaders: Map<String, Value> = own
        .iter()
        .map(|(k, _)| ((*k).to_owned(), true.into()))
        .collect();
    // The loader reads profile sections when no top-level key is a field; each section is a
    // layer of its own, checked against this same schema.
    root.insert(
        "if".into(),
        json!({
            "minProperties": 1,
            "propertyNames": {"not": {"enum": fields}},
            "properties": loaders,
            "additionalProperties": {"type": "object"},
        }),
    );
    root.insert(
        "then".into(),
        json!({
            "properties": loaders,
            "additionalProperties": {"$ref": "#"},
        }),
    );
    if root.remove("additionalProperties").is_some() {
        root.insert(
            "else".into(),
            json!({"properties": keys, "additionalProperties": false}),
        );
    }
}

/// The schema of one settings struct as an object; `path` is its dotted path from the root.
fn object(cx: &Cx, meta: &'static StructMeta, path: &str, depth: usize) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("title".into(), meta.name.into());
    if !meta.doc.trim().is_empty() {
        s.insert("description".into(), meta.doc.into());
    }
    s.insert("type".into(), "object".into());
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in meta.fields {
        let path = if path.is_empty() {
            field.key.to_owned()
        } else {
            format!("{path}.{}", field.key)
        };
        let schema = match field.nested_meta() {
            Some(nested) if depth + 1 < crate::meta::MAX_NESTING => {
                let mut inner = object(cx, nested, &path, depth + 1);
                if !field.doc.trim().is_empty() {
                    inner.insert("description".into(), field.doc.into());
                }
                let needs_keys = inner
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| !r.is_empty());
                if needs_keys && is_required(field) {
                    required.push(Value::from(field.key));
                }
                inner
            }
            Some(_) => Map::new(),
            None if depth + 1 < crate::meta::MAX_NESTING && field.element_meta().is_some() => {
                // A list or map of settings structs: each element is the struct's object.
                let element = field
                    .element_meta()
                    .map(|e| object(cx, e, &path, depth + 1));
                let mut s = Map::new();
                if !field.doc.trim().is_empty() {
                    s.insert("description".into(), field.doc.into());
                }
                let element = Value::Object(element.unwrap_or_default());
                if field.shape == Shape::List {
                    s.insert("type".into(), "array".into());
                    s.insert("items".into(), element);
                } else {
                    s.insert("type".into(), "object".into());
                    s.insert("additionalProperties".into(), element);
                }
                for c in field.constraints {
                    constraint(&mut s, field, c);
                }
                if is_required(field) {
                    required.push(Value::from(field.key));
                }
                s
            }
            None => {
                if is_required(field) {
                    required.push(Value::from(field.key));
                }
                let mut s = leaf(field);
                if cx.form == Form::File {
                    if field.optional {
                        nullable(&mut s);
                    }
                    if field.secret {
                        s = secret_in_file(cx, &path, s);
                    }
                }
                s
            }
        };
        let mut schema = schema;
        if field.deprecated.is_some() {
            schema.insert("deprecated".into(), true.into());
        }
        // An alias is another key of the same setting, accepted as it is.
        for alias in field.aliases {
            properties.insert((*alias).into(), Value::Object(schema.clone()));
        }
        properties.insert(field.key.into(), Value::Object(schema));
    }
    s.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() && cx.form == Form::Complete {
        s.insert("required".into(), Value::Array(required));
    }
    if meta.deny_unknown {
        s.insert("additionalProperties".into(), false.into());
    }
    s
}

/// The schema of a leaf field.
fn leaf(field: &FieldMeta) -> Map<String, Value> {
    let mut s = Map::new();
    if !field.doc.trim().is_empty() {
        s.insert("description".into(), field.doc.into());
    }
    let inner = scalar_type(field.ty);
    match field.shape {
        Shape::Bool
        | Shape::Integer
        | Shape::Float
        | Shape::Text
        | Shape::Duration
        | Shape::ByteSize => s.extend(scalar_schema(field.shape, inner)),
        Shape::List => {
            s.insert("type".into(), "array".into());
            let (item, fixed) = list_item(inner);
            if let Some(item) = item {
                s.insert("items".into(), Value::Object(item));
            }
            if let Some(n) = fixed {
                s.insert("minItems".into(), n.into());
                s.insert("maxItems".into(), n.into());
            }
        }
        Shape::Map => {
            s.insert("type".into(), "object".into());
            if let Some(value) = map_value(inner) {
                s.insert("additionalProperties".into(), Value::Object(value));
            }
        }
        Shape::Struct | Shape::Other => {}
    }
    for c in field.constraints {
        constraint(&mut s, field, c);
    }
    if field.secret {
        s.insert("writeOnly".into(), true.into());
    } else if let Some(default) = default_value(field) {
        s.insert("default".into(), default);
    }
    s
}

/// Lets a leaf's schema take `null` too (an unset `Option` in a JSON or YAML file).
fn nullable(s: &mut Map<String, Value>) {
    if let Some(Value::String(ty)) = s.get_mut("type") {
        let ty = std::mem::take(ty);
        s.insert("type".into(), json!([ty, "null"]));
    } else if let Some(Value::Array(any)) = s.get_mut("anyOf") {
        any.push(json!({"type": "null"}));
    }
    // Without a type constraint `null` is already allowed, unless an `enum` says otherwise.
    let with_null = |e: &mut Value| {
        if let Value::Array(values) = e {
            values.push(Value::Null);
        }
    };
    if let Some(e) = s.get_mut("enum") {
        with_null(e);
    }
    if let Some(Value::Array(all)) = s.get_mut("allOf") {
        for part in all {
            if let Some(e) = part.get_mut("enum") {
                with_null(e);
            }
        }
    }
}

/// A secret leaf in a file: its value as the type says, or encrypted (`ENC[age:...]`; only
/// that under `deny_plain_secrets`), and a description that says where the value belongs. The
/// schema has no default (`leaf` left it out) and stays `writeOnly`.
fn secret_in_file(cx: &Cx, path: &str, mut s: Map<String, Value>) -> Map<String, Value> {
    let doc = match s.remove("description") {
        Some(Value::String(doc)) => format!("{doc}\n\n"),
        _ => String::new(),
    };
    s.remove("writeOnly");
    let env = cx
        .names
        .fields
        .target_of(path)
        .map(|id| cx.names.names_of(id))
        .unwrap_or_default();
    let mut places = Vec::new();
    if let (Some(dir), Some(name)) = (cx.secrets_dir, env.first()) {
        places.push(format!(
            "in the secrets directory `{dir}` (a file named `{name}`)"
        ));
    } else if let Some(dir) = cx.secrets_dir {
        places.push(format!("in the secrets directory `{dir}`"));
    }
    if !env.is_empty() {
        let names: Vec<String> = env.iter().map(|n| format!("`{n}`")).collect();
        places.push(format!("in the environment ({})", names.join(" or ")));
    }
    places.push("in this file only encrypted, as `ENC[age:...]`".to_owned());
    let last = places.pop().unwrap_or_default();
    let places = if places.is_empty() {
        last
    } else {
        format!("{}, or {last}", places.join(", "))
    };
    let mut out = Map::new();
    out.insert(
        "description".into(),
        format!("{doc}A secret: keep its value out of config files. Set it {places}.").into(),
    );
    out.insert("writeOnly".into(), true.into());
    let encrypted = json!({"type": "string", "pattern": ENCRYPTED});
    if cx.deny_plain_secrets {
        // The load refuses the value in plain text.
        if let Value::Object(encrypted) = encrypted {
            out.extend(encrypted);
        }
    } else {
        out.insert("anyOf".into(), json!([s, encrypted]));
    }
    out
}

/// The schema of a scalar of this shape; `ty` is the type as written without `Option` and
/// `Secret`, for the bounds of integer types and `Url`.
fn scalar_schema(shape: Shape, ty: &str) -> Map<String, Value> {
    let mut s = Map::new();
    match shape {
        Shape::Bool => {
            s.insert("type".into(), "boolean".into());
        }
        Shape::Integer => {
            s.insert("type".into(), "integer".into());
            if let Some((min, max)) = int_bounds(last_segment(ty)) {
                s.insert("minimum".into(), min);
                s.insert("maximum".into(), max);
            }
        }
        Shape::Float => {
            s.insert("type".into(), "number".into());
        }
        Shape::Text => {
            s.insert("type".into(), "string".into());
            if last_segment(ty) == "Url" {
                s.insert("format".into(), "uri".into());
            }
        }
        Shape::Duration | Shape::ByteSize => {
            s.insert(
                "anyOf".into(),
                json!([{"type": "string"}, {"type": "integer", "minimum": 0}]),
            );
        }
        _ => {}
    }
    s
}

/// The shape of a type named by its last path segment, as the derive reads it.
fn shape_of(ty: &str) -> Shape {
    match last_segment(ty) {
        "bool" => Shape::Bool,
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "NonZeroU8" | "NonZeroU16" | "NonZeroU32" | "NonZeroU64" | "NonZeroUsize" => {
            Shape::Integer
        }
        "f32" | "f64" => Shape::Float,
        "String" | "PathBuf" | "Url" | "IpAddr" | "Ipv4Addr" | "Ipv6Addr" | "SocketAddr"
        | "OsString" => Shape::Text,
        "Duration" => Shape::Duration,
        "ByteSize" => Shape::ByteSize,
        _ => Shape::Other,
    }
}

/// The item schema of a list type and, for an array `[T; N]`, its length.
fn list_item(ty: &str) -> (Option<Map<String, Value>>, Option<u64>) {
    if let Some(inner) = ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        if let Some((item, n)) = inner.rsplit_once(';') {
            return (item_schema(item.trim()), n.trim().parse().ok());
        }
        return (item_schema(inner.trim()), None);
    }
    (
        generic_args(ty)
            .and_then(|a| a.first().copied())
            .and_then(item_schema),
        None,
    )
}

/// The value schema of a map type (`HashMap<K, V>`).
fn map_value(ty: &str) -> Option<Map<String, Value>> {
    generic_args(ty)
        .filter(|a| a.len() == 2)
        .and_then(|a| item_schema(a[1]))
}

fn item_schema(ty: &str) -> Option<Map<String, Value>> {
    let s = scalar_schema(shape_of(ty), ty);
    (!s.is_empty()).then_some(s)
}

/// The generic arguments of `Name<A, B>`, split at top-level commas.
fn generic_args(ty: &str) -> Option<Vec<&str>> {
    let open = ty.find('<')?;
    let inner = ty[open + 1..].strip_suffix('>')?;
    let mut args = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                args.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    args.push(inner[start..].trim());
    Some(args)
}

/// The type inside `Option<...>` and `Secret<...>`.
fn scalar_type(ty: &str) -> &str {
    let mut ty = ty.trim();
    for wrapper in ["Option", "Secret"] {
        if last_segment(ty) == wrapper
            && let Some([inner]) = generic_args(ty).as_deref()
        {
            ty = inner;
        }
    }
    ty
}

/// `Url` of `url::Url`, `HashMap` of `std::collections::HashMap<K, V>`.
fn last_segment(ty: &str) -> &str {
    let head = ty.split('<').next().unwrap_or(ty).trim();
    head.rsplit("::").next().unwrap_or(head)
}

/// The range of the fixed-size integer types.
fn int_bounds(name: &str) -> Option<(Value, Value)> {
    Some(match name {
        "u8" => (0.into(), u8::MAX.into()),
        "u16" => (0.into(), u16::MAX.into()),
        "u32" => (0.into(), u32::MAX.into()),
        "u64" => (0.into(), u64::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        "NonZeroU8" => (1.into(), u8::MAX.into()),
        "NonZeroU16" => (1.into(), u16::MAX.into()),
        "NonZeroU32" => (1.into(), u32::MAX.into()),
        "NonZeroU64" => (1.into(), u64::MAX.into()),
        _ => return None,
    })
}

/// Adds a keyword; when it is already there with another value, the new one goes into `allOf`
/// so both hold.
fn add(s: &mut Map<String, Value>, key: &str, value: Value) {
    match s.get(key) {
        None => {
            s.insert(key.into(), value);
        }
        Some(old) if *old == value => {}
        Some(_) => {
            let all = s.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(all) = all {
                all.push(json!({ key: value }));
            }
        }
    }
}

/// The keywords of one constraint.
fn constraint(s: &mut Map<String, Value>, field: &FieldMeta, c: &Constraint) {
    let numeric = matches!(field.shape, Shape::Integer | Shape::Float);
    let list = field.shape == Shape::List;
    match c {
        Constraint::Range { min, max, gt, lt } if numeric => {
            if let Some(min) = min.as_ref().and_then(number) {
                tighten(s, "minimum", min, true);
            }
            if let Some(max) = max.as_ref().and_then(number) {
                tighten(s, "maximum", max, false);
            }
            if let Some(gt) = gt.as_ref().and_then(number) {
                add(s, "exclusiveMinimum", gt);
            }
            if let Some(lt) = lt.as_ref().and_then(number) {
                add(s, "exclusiveMaximum", lt);
            }
        }
        Constraint::Len { min, max } => {
            let (lo, hi) = match field.shape {
                Shape::Text => ("minLength", "maxLength"),
                Shape::List => ("minItems", "maxItems"),
                Shape::Map => ("minProperties", "maxProperties"),
                _ => return,
            };
            if let Some(min) = min {
                tighten(s, lo, Value::from(*min), true);
            }
            if let Some(max) = max {
                tighten(s, hi, Value::from(*max), false);
            }
        }
        Constraint::Regex(pattern) => {
            on_value(s, list, |s| add(s, "pattern", pattern.source().into()));
        }
        Constraint::Url { .. } => on_value(s, list, |s| add(s, "format", "uri".into())),
        // With `ignore_case` too: the application holds the listed spelling, so that is the
        // enum an editor offers.
        Constraint::OneOf { values, .. }
            if !matches!(field.shape, Shape::Duration | Shape::ByteSize) =>
        {
            let item_shape = if list {
                shape_of(list_item_type(field.ty))
            } else {
                field.shape
            };
            let values: Vec<Value> = values.iter().map(|v| lit_value(v, item_shape)).collect();
            on_value(s, list, |s| add(s, "enum", Value::Array(values)));
        }
        _ => {}
    }
}

/// The written item type of a list type, for literal conversion.
fn list_item_type(ty: &str) -> &str {
    let ty = scalar_type(ty);
    generic_args(ty)
        .and_then(|a| a.first().copied())
        .unwrap_or(ty)
}

/// Applies keywords to the value itself, or to `items` for a list.
fn on_value(s: &mut Map<String, Value>, list: bool, apply: impl FnOnce(&mut Map<String, Value>)) {
    if !list {
        apply(s);
        return;
    }
    let items = s
        .entry("items")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(items) = items {
        apply(items);
    }
}

/// Sets a bound, keeping the one already there when it is tighter (a `u8`'s `maximum` 255
/// against `range(max = 1000)`).
fn tighten(s: &mut Map<String, Value>, key: &str, bound: Value, lower: bool) {
    let tighter = match (s.get(key).and_then(Value::as_f64), bound.as_f64()) {
        (Some(old), Some(new)) => (lower && new > old) || (!lower && new < old),
        _ => true,
    };
    if tighter {
        s.insert(key.into(), bound);
    }
}

/// A numeric bound as a JSON number.
fn number(lit: &Lit) -> Option<Value> {
    let shape = match lit {
        Lit::Int(_) => Shape::Integer,
        _ => Shape::Float,
    };
    Some(lit_value(lit, shape)).filter(Value::is_number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_types_are_unwrapped() {
        assert_eq!(scalar_type("Option<Secret<u32>>"), "u32");
        assert_eq!(scalar_type("Secret<String>"), "String");
        assert_eq!(scalar_type("Option<Vec<u8>>"), "Vec<u8>");
        assert_eq!(scalar_type("u16"), "u16");
        assert_eq!(last_segment("url::Url"), "Url");
        assert_eq!(
            last_segment("std::collections::HashMap<String, u32>"),
            "HashMap"
        );
    }

    #[test]
    fn list_and_map_items() {
        let (item, fixed) = list_item("Vec<String>");
        assert_eq!(Value::Object(item.unwrap()), json!({"type": "string"}));
        assert_eq!(fixed, None);
        let (item, fixed) = list_item("[u8; 4]");
        assert_eq!(
            Value::Object(item.unwrap()),
            json!({"type": "integer", "minimum": 0, "maximum": 255})
        );
        assert_eq!(fixed, Some(4));
        assert_eq!(list_item("Vec<MyThing>").0, None);
        let value = map_value("HashMap<String, Vec<u8>>");
        assert_eq!(value, None);
        let value = map_value("BTreeMap<String, std::time::Duration>").unwrap();
        assert!(value.contains_key("anyOf"));
    }

    #[test]
    fn taken_keywords_go_into_all_of() {
        let mut s = Map::new();
        add(&mut s, "pattern", "a".into());
        add(&mut s, "pattern", "b".into());
        add(&mut s, "pattern", "a".into());
        assert_eq!(
            Value::Object(s),
            json!({"pattern": "a", "allOf": [{"pattern": "b"}]})
        );
    }

    #[test]
    fn nullable_adds_null_wherever_a_value_is_restricted() {
        let mut s = scalar_schema(Shape::Integer, "u8");
        nullable(&mut s);
        assert_eq!(s["type"], json!(["integer", "null"]));
        let mut s = scalar_schema(Shape::Duration, "Duration");
        nullable(&mut s);
        assert_eq!(s["anyOf"][2], json!({"type": "null"}));
        let mut s = Map::new();
        add(&mut s, "enum", json!(["a"]));
        add(&mut s, "enum", json!(["b"]));
        nullable(&mut s);
        assert_eq!(
            Value::Object(s),
            json!({"enum": ["a", null], "allOf": [{"enum": ["b", null]}]})
        );
    }

    #[test]
    fn the_encrypted_pattern_is_the_loaders_form() {
        let re = regex::Regex::new(ENCRYPTED).unwrap();
        for ok in ["ENC[age:YWJj]", "ENC[age:YWI=]", " ENC[age:YW\nJj]\n"] {
            assert!(re.is_match(ok), "{ok:?}");
        }
        for bad in [
            "ENC[age:]",
            "ENC[age: ]",
            "ENC[sops:YWJj]",
            "ENC[age:YWJj",
            "x ENC[age:YWJj]",
        ] {
            assert!(!re.is_match(bad), "{bad:?}");
        }
    }

    #[test]
    fn bounds_keep_the_tighter_one() {
        let mut s = scalar_schema(Shape::Integer, "u8");
        tighten(&mut s, "minimum", 1.into(), true);
        tighten(&mut s, "maximum", 1000.into(), false);
        assert_eq!(
            Value::Object(s),
            json!({"type": "integer", "minimum": 1, "maximum": 255})
        );
    }
}
