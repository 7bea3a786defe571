//! The model of one `#[derive(Settings)]` input: data only, spans kept for diagnostics.

use proc_macro2::Span;

/// A value and where the user wrote it.
#[derive(Clone)]
pub(crate) struct Sp<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

impl<T> Sp<T> {
    pub(crate) fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

/// The struct as parsed: what `check` reads.
pub(crate) struct ParsedInput {
    pub(crate) ident: syn::Ident,
    pub(crate) doc: String,
    pub(crate) attrs: Container,
    pub(crate) fields: Vec<ParsedField>,
}

/// Struct attributes.
#[derive(Default)]
pub(crate) struct Container {
    pub(crate) env_prefix: Option<Sp<String>>,
    pub(crate) env_nested_delimiter: Option<Sp<String>>,
    pub(crate) case_sensitive: Option<Span>,
    pub(crate) files: Option<Sp<Vec<String>>>,
    pub(crate) env_file: Option<Sp<String>>,
    pub(crate) secrets_dir: Option<Sp<String>>,
    pub(crate) config_dir: Option<Sp<String>>,
    pub(crate) profile_env: Option<Sp<String>>,
    pub(crate) profiles: Option<Sp<Vec<String>>>,
    pub(crate) deny_unknown: Option<Sp<bool>>,
    pub(crate) deny_unknown_env: Option<Span>,
    pub(crate) deny_plain_secrets: Option<Span>,
    pub(crate) validate: Option<syn::Path>,
}

/// One named field as parsed: its type and every attribute given, each with its span, so that
/// `check` can point at the misused one.
pub(crate) struct ParsedField {
    pub(crate) ident: syn::Ident,
    pub(crate) ty: syn::Type,
    pub(crate) doc: String,
    pub(crate) shape: TypeShape,
    pub(crate) attrs: FieldAttrs,
}

/// Field attributes.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) default: Option<Sp<Default>>,
    pub(crate) env: Vec<Sp<String>>,
    pub(crate) env_only: Option<Span>,
    pub(crate) nested: Option<Span>,
    pub(crate) rename: Option<Sp<String>>,
    /// `env_prefix = "REPLICA_"` on a nested field: its subtree's own environment prefix.
    pub(crate) env_prefix: Option<Sp<String>>,
    /// `alias = "..."`, repeatable: other keys (and env stems) for the field.
    pub(crate) aliases: Vec<Sp<String>>,
    /// `renamed_from = "old.path"`, repeatable: where the setting used to live, from the root.
    pub(crate) renamed_from: Vec<Sp<String>>,
    /// `deprecated = "note"`.
    pub(crate) deprecated: Option<Sp<String>>,
    pub(crate) restart: Option<Span>,
    pub(crate) secret: Option<Span>,
    pub(crate) cli_flag: Option<Span>,
    pub(crate) separator: Option<Sp<String>>,
    pub(crate) extend: Option<Span>,
    pub(crate) validate: Option<syn::Path>,
    pub(crate) constraints: Vec<Sp<Constraint>>,
}

/// Where a field's value comes from when no source sets it, as written.
pub(crate) enum Default {
    /// `default = LITERAL`.
    Literal(Sp<Literal>),
    /// Bare `default`.
    Trait,
    /// `default_with = path`.
    With(syn::Path),
}

/// The struct once `check` passed, each field lowered to the one kind expansion matches.
pub(crate) struct Input {
    pub(crate) ident: syn::Ident,
    pub(crate) doc: String,
    pub(crate) attrs: Container,
    pub(crate) fields: Vec<Field>,
}

/// One field once `check` passed: what every field has, then its kind.
pub(crate) struct Field {
    pub(crate) ident: syn::Ident,
    pub(crate) ty: syn::Type,
    /// `ty` written out: `Option<Vec<String>>`.
    pub(crate) ty_name: String,
    pub(crate) doc: String,
    /// The key in files and the env-name stem: `rename`, or the field's name.
    pub(crate) key: String,
    /// `restart`.
    pub(crate) restart: bool,
    /// `alias`es, `renamed_from` paths and the `deprecated` note.
    pub(crate) aliases: Vec<String>,
    pub(crate) renamed_from: Vec<String>,
    pub(crate) deprecated: Option<String>,
    /// `validate = path`. A leaf calls it once its constraints pass; a nested field only lists it
    /// in the metadata.
    pub(crate) validate: Option<syn::Path>,
    pub(crate) kind: FieldKind,
}

/// What a field is: a settings struct of its own, or a value.
pub(crate) enum FieldKind {
    /// `#[settings(nested)]`: loads through the nested type's own `Settings` impl.
    Nested {
        /// The nested settings struct (inside `Option`, if any).
        ty: syn::Type,
        /// `Option<T>`: a table no source mentions is `None`, whatever the default.
        optional: bool,
        default: NestedDefault,
        /// `env_prefix`: the subtree's derived names are this prefix and the path inside it.
        env_prefix: Option<String>,
        /// One struct, or a list or map of them (`ty` is then the element).
        collection: Collection,
        /// `len` on a list or map of structs: how many elements it may have.
        len: Option<Sp<Constraint>>,
    },
    /// A value read from the sources.
    Leaf(Leaf),
}

/// How many settings structs a `nested` field holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Collection {
    One,
    /// `Vec<S>`: elements by index.
    List,
    /// `BTreeMap<String, S>`, `HashMap<String, S>`: elements by key.
    Map,
}

/// What fills a nested struct that no source mentions.
pub(crate) enum NestedDefault {
    /// Nothing: its own fields load (and report what is missing) one by one.
    None,
    /// Bare `default`, spanned at the attribute.
    Trait(Span),
    /// `default_with = path`.
    With(syn::Path),
}

/// A value read from the sources.
pub(crate) struct Leaf {
    pub(crate) kind: LeafKind,
    /// The value type inside `Option` and `Secret`.
    pub(crate) inner: syn::Type,
    /// What kind of value `inner` is.
    pub(crate) value: Kind,
    /// `Secret<T>`: checks see the exposed value.
    pub(crate) secret_type: bool,
    /// Masked in reports and errors: `secret`, or a `Secret<T>` type.
    pub(crate) secret: bool,
    /// `cli_flag`: a secret that still takes a command-line flag.
    pub(crate) cli_flag: bool,
    pub(crate) env: Vec<String>,
    pub(crate) env_only: bool,
    pub(crate) extend: bool,
    pub(crate) separator: Option<String>,
    pub(crate) constraints: Vec<Sp<Constraint>>,
}

/// Whether a leaf may be absent, and what fills it when no source sets it.
pub(crate) enum LeafKind {
    /// `Option<T>`: checks run only on a present value. A default still fills it.
    Optional { default: LeafDefault },
    /// Any other type: without a default, a value no source sets is missing.
    Required { default: LeafDefault },
}

/// What fills a leaf that no source sets.
pub(crate) enum LeafDefault {
    None,
    /// `default = LITERAL`: listed in the metadata, turned into the type as config text is.
    Literal(Sp<Literal>),
    /// Bare `default`: `Default::default()`, spanned at the attribute.
    Trait(Span),
    /// `default_with = path`.
    With(syn::Path),
}

/// A literal in an attribute.
#[derive(Clone)]
pub(crate) enum Literal {
    Str(String),
    Int(i128),
    Float(f64),
    Bool(bool),
    Array(Vec<Sp<Literal>>),
}

/// A built-in value check.
pub(crate) enum Constraint {
    Range {
        min: Option<Sp<Literal>>,
        max: Option<Sp<Literal>>,
        gt: Option<Sp<Literal>>,
        lt: Option<Sp<Literal>>,
    },
    Len {
        min: Option<Sp<u64>>,
        max: Option<Sp<u64>>,
    },
    Regex(Sp<String>),
    Url {
        schemes: Vec<String>,
    },
    OneOf {
        values: Vec<Sp<Literal>>,
        ignore_case: bool,
    },
}

impl Constraint {
    /// The attribute name, for messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Constraint::Range { .. } => crate::symbol::RANGE,
            Constraint::Len { .. } => crate::symbol::LEN,
            Constraint::Regex(_) => crate::symbol::REGEX,
            Constraint::Url { .. } => crate::symbol::URL,
            Constraint::OneOf { .. } => crate::symbol::ONE_OF,
        }
    }
}

/// What a field's type looks like, read from its tokens.
pub(crate) struct TypeShape {
    /// The whole type written out, for messages and the metadata: `Option<Vec<String>>`.
    pub(crate) name: String,
    /// `Option<T>` at the outside.
    pub(crate) option: bool,
    /// `Secret<T>` (inside the option, if any).
    pub(crate) secret: bool,
    /// The kind of the innermost value type.
    pub(crate) kind: Kind,
    /// The type without `Option` and `Secret`.
    pub(crate) inner: syn::Type,
}

/// The kind of a value type, as far as its name tells.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    Integer,
    Float,
    Text,
    Duration,
    ByteSize,
    List,
    Map,
    Other,
}

impl Kind {
    /// Whether `range` applies.
    pub(crate) fn is_numeric(self) -> bool {
        matches!(
            self,
            Kind::Integer | Kind::Float | Kind::Duration | Kind::ByteSize
        )
    }

    /// Whether `len` applies.
    pub(crate) fn has_len(self) -> bool {
        matches!(self, Kind::Text | Kind::List | Kind::Map)
    }

    /// The name of the `meta::Shape` variant.
    pub(crate) fn shape_name(self) -> &'static str {
        match self {
            Kind::Bool => "Bool",
            Kind::Integer => "Integer",
            Kind::Float => "Float",
            Kind::Text => "Text",
            Kind::Duration => "Duration",
            Kind::ByteSize => "ByteSize",
            Kind::List => "List",
            Kind::Map => "Map",
            Kind::Other => "Other",
        }
    }
}
