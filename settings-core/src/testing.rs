//! Metadata for unit tests, written out as the derive would emit it, so that a source or a pass
//! can be tested from a string (or a temp dir) and a field index, without a loader.
//!
//! `APP` is `#[settings(env_prefix = "APP_")] struct App { port: u16 (default 8000), api_key:
//! Secret<String>, hosts: Vec<String> (extend), greeting: String (default "hi ${name}"), name:
//! Option<String>, db: Db (nested) }` with `Db { url: String (env "DATABASE_URL"), pool_size:
//! u32 }`.

use crate::meta::{DefaultMeta, FieldMeta, Lit, Shape, StructMeta};
use crate::naming::Names;
use crate::origin::{OriginId, Origins};
use crate::tree::{Node, Table, Value};

/// A plain text field named `key`.
pub(crate) const fn field(key: &'static str, shape: Shape) -> FieldMeta {
    FieldMeta {
        name: key,
        key,
        doc: "",
        ty: "String",
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

/// A struct of `fields` with the given prefix.
pub(crate) const fn strukt(
    prefix: Option<&'static str>,
    fields: &'static [FieldMeta],
) -> StructMeta {
    StructMeta {
        name: "S",
        doc: "",
        env_prefix: prefix,
        env_nested_delimiter: "__",
        case_sensitive: false,
        files: &[],
        env_file: None,
        secrets_dir: None,
        config_dir: None,
        profile_env: None,
        profiles: &[],
        deny_unknown: true,
        deny_unknown_env: false,
        deny_plain_secrets: false,
        fields,
    }
}

static DB: StructMeta = strukt(
    None,
    &[
        FieldMeta {
            env: &["DATABASE_URL"],
            ..field("url", Shape::Text)
        },
        FieldMeta {
            ty: "u32",
            ..field("pool_size", Shape::Integer)
        },
    ],
);

fn db() -> &'static StructMeta {
    &DB
}

/// The settings of the unit tests (see the module's docs).
pub(crate) static APP: StructMeta = strukt(
    Some("APP_"),
    &[
        FieldMeta {
            ty: "u16",
            default: DefaultMeta::Literal(Lit::Int(8000)),
            ..field("port", Shape::Integer)
        },
        FieldMeta {
            ty: "Secret<String>",
            secret: true,
            ..field("api_key", Shape::Text)
        },
        FieldMeta {
            ty: "Vec<String>",
            extend: true,
            ..field("hosts", Shape::List)
        },
        FieldMeta {
            default: DefaultMeta::Literal(Lit::Str("hi ${name}")),
            ..field("greeting", Shape::Text)
        },
        FieldMeta {
            ty: "Option<String>",
            optional: true,
            ..field("name", Shape::Text)
        },
        FieldMeta {
            ty: "Db",
            nested: Some(db),
            ..field("db", Shape::Struct)
        },
    ],
);

/// The names of [`APP`].
pub(crate) fn names() -> &'static Names {
    Names::of(&APP)
}

/// Origins with the `default` origin first, as a load starts them.
pub(crate) fn origins() -> Origins {
    let mut origins = Origins::with_capacity(4);
    origins.add(crate::origin::Origin::Default, false);
    origins
}

/// A tree from JSON, every value of origin `origin`.
pub(crate) fn tree(json: serde_json::Value, origin: OriginId) -> Table {
    match crate::tree::from_json(json, origin).node {
        Node::Table(t) => t,
        _ => Table::new(),
    }
}

/// The value at a dotted path, as display text.
pub(crate) fn at(table: &Table, path: &str) -> Option<String> {
    let keys: Vec<&str> = path.split('.').collect();
    crate::tree::get_path(table, &keys).map(Value::display)
}
