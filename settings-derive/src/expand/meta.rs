//! Emits the `&'static` metadata of a settings struct: names, docs, env names, defaults, secret
//! flags and constraints, nested structs linked to their own metadata.

use crate::ir::{
    Collection, Constraint, Field, FieldKind, Input, Leaf, LeafDefault, LeafKind, Literal,
    NestedDefault, Sp,
};
use proc_macro2::{Literal as Lit, TokenStream};
use quote::{ToTokens, quote};

/// `static __META: StructMeta = ...;`
pub(super) fn struct_meta(input: &Input) -> TokenStream {
    let a = &input.attrs;
    let name = input.ident.to_string();
    let doc = &input.doc;
    let opt = |s: &Option<Sp<String>>| match s {
        Some(s) => {
            let v = &s.value;
            quote!(::core::option::Option::Some(#v))
        }
        None => quote!(::core::option::Option::None),
    };
    let env_prefix = opt(&a.env_prefix);
    let delimiter = a
        .env_nested_delimiter
        .as_ref()
        .map_or("__", |d| d.value.as_str());
    let case_sensitive = a.case_sensitive.is_some();
    let files = a
        .files
        .as_ref()
        .map(|f| f.value.clone())
        .unwrap_or_default();
    let env_file = opt(&a.env_file);
    let secrets_dir = opt(&a.secrets_dir);
    let config_dir = opt(&a.config_dir);
    let profile_env = opt(&a.profile_env);
    let profiles = a
        .profiles
        .as_ref()
        .map(|p| p.value.clone())
        .unwrap_or_default();
    let deny_unknown = a.deny_unknown.as_ref().is_none_or(|d| d.value);
    let deny_unknown_env = a.deny_unknown_env.is_some();
    let deny_plain_secrets = a.deny_plain_secrets.is_some();
    let fields = input
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| field_meta(i, f));
    let patterns = input.fields.iter().enumerate().flat_map(|(i, f)| {
        let constraints = match &f.kind {
            FieldKind::Leaf(leaf) => &leaf.constraints[..],
            FieldKind::Nested { .. } => &[],
        };
        constraints
            .iter()
            .enumerate()
            .filter_map(move |(j, c)| match &c.value {
                Constraint::Regex(p) => {
                    let name = pattern_ident(i, j);
                    let source = &p.value;
                    let new = match crate::regex_match::literal_form(source) {
                        Some((text, start, end)) => quote! {
                            ::settings_core::__private::Pattern::literal(#source, #text, #start, #end)
                        },
                        None => quote!(::settings_core::__private::Pattern::new(#source)),
                    };
                    Some(quote! {
                        static #name: ::settings_core::__private::Pattern = #new;
                    })
                }
                _ => None,
            })
    });
    quote! {
        #(#patterns)*
        static __META: ::settings_core::__private::StructMeta = ::settings_core::__private::StructMeta {
            name: #name,
            doc: #doc,
            env_prefix: #env_prefix,
            env_nested_delimiter: #delimiter,
            case_sensitive: #case_sensitive,
            files: &[#(#files),*],
            env_file: #env_file,
            secrets_dir: #secrets_dir,
            config_dir: #config_dir,
            profile_env: #profile_env,
            profiles: &[#(#profiles),*],
            deny_unknown: #deny_unknown,
            deny_unknown_env: #deny_unknown_env,
            deny_plain_secrets: #deny_plain_secrets,
            fields: &[#(#fields),*],
        };
    }
}

/// The static that holds the compiled pattern of constraint `j` of field `i`.
fn pattern_ident(i: usize, j: usize) -> syn::Ident {
    quote::format_ident!("__PATTERN_{}_{}", i, j)
}

fn field_meta(index: usize, field: &Field) -> TokenStream {
    let name = field.ident.to_string();
    let key = &field.key;
    let doc = &field.doc;
    let ty = &field.ty_name;
    let restart = field.restart;
    let custom = field.validate.as_ref().map(|path| {
        let text = path.to_token_stream().to_string().replace(' ', "");
        quote!(::settings_core::__private::Constraint::Custom(#text))
    });
    let default_value = default_value_fn(index, field);
    let KindMeta {
        shape,
        optional,
        env,
        env_only,
        default,
        secret,
        cli_flag,
        separator,
        extend,
        constraints,
        nested,
    } = match &field.kind {
        FieldKind::Nested {
            ty,
            optional,
            default,
            collection,
            len,
            ..
        } => {
            let len = len
                .as_ref()
                .map(|c| constraint(&c.value, &pattern_ident(index, 0)));
            nested_meta(
                ty,
                *optional,
                default,
                *collection,
                len.into_iter().chain(custom),
            )
        }
        FieldKind::Leaf(leaf) => leaf_meta(index, leaf, custom),
    };
    let shape = syn::Ident::new(shape, proc_macro2::Span::call_site());
    let aliases = &field.aliases;
    let renamed_from = &field.renamed_from;
    let deprecated = match &field.deprecated {
        Some(note) => quote!(::core::option::Option::Some(#note)),
        None => quote!(::core::option::Option::None),
    };
    let env_prefix = match &field.kind {
        FieldKind::Nested {
            env_prefix: Some(prefix),
            ..
        } => quote!(::core::option::Option::Some(#prefix)),
        _ => quote!(::core::option::Option::None),
    };
    quote! {
        ::settings_core::__private::FieldMeta {
            name: #name,
            key: #key,
            doc: #doc,
            ty: #ty,
            shape: ::settings_core::__private::Shape::#shape,
            optional: #optional,
            env: &[#(#env),*],
            env_only: #env_only,
            default: #default,
            default_value: #default_value,
            secret: #secret,
            cli_flag: #cli_flag,
            restart: #restart,
            separator: #separator,
            extend: #extend,
            constraints: &[#(#constraints),*],
            nested: #nested,
            env_prefix: #env_prefix,
            aliases: &[#(#aliases),*],
            renamed_from: &[#(#renamed_from),*],
            deprecated: #deprecated,
        }
    }
}

/// The parts of a `FieldMeta` that depend on the field's kind.
struct KindMeta<'a> {
    shape: &'static str,
    optional: bool,
    env: &'a [String],
    env_only: bool,
    default: TokenStream,
    secret: bool,
    cli_flag: bool,
    separator: TokenStream,
    extend: bool,
    constraints: Vec<TokenStream>,
    nested: TokenStream,
}

/// A nested struct: linked to its own metadata, which holds everything else.
fn nested_meta(
    ty: &syn::Type,
    optional: bool,
    default: &NestedDefault,
    collection: Collection,
    checks: impl Iterator<Item = TokenStream>,
) -> KindMeta<'static> {
    let default = match default {
        NestedDefault::None => quote!(::settings_core::__private::DefaultMeta::None),
        NestedDefault::Trait(_) => quote!(::settings_core::__private::DefaultMeta::Trait),
        NestedDefault::With(path) => default_with(path),
    };
    KindMeta {
        // A list or map of structs has its container's shape and the element's metadata.
        shape: match collection {
            Collection::One => "Struct",
            Collection::List => "List",
            Collection::Map => "Map",
        },
        optional,
        env: &[],
        env_only: false,
        default,
        secret: false,
        cli_flag: false,
        separator: quote!(::core::option::Option::None),
        extend: false,
        constraints: checks.collect(),
        nested: quote!(::core::option::Option::Some(<#ty as ::settings_core::__private::Settings>::__meta)),
    }
}

/// A value: its shape, env names, default, masking and checks.
fn leaf_meta(index: usize, leaf: &Leaf, custom: Option<TokenStream>) -> KindMeta<'_> {
    let (optional, default) = match &leaf.kind {
        LeafKind::Optional { default } => (true, default),
        LeafKind::Required { default } => (false, default),
    };
    let default = match default {
        LeafDefault::None => quote!(::settings_core::__private::DefaultMeta::None),
        LeafDefault::Trait(_) => quote!(::settings_core::__private::DefaultMeta::Trait),
        LeafDefault::With(path) => default_with(path),
        LeafDefault::Literal(lit) => {
            let lit = literal(&lit.value);
            quote!(::settings_core::__private::DefaultMeta::Literal(#lit))
        }
    };
    let separator = match &leaf.separator {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let constraints = leaf
        .constraints
        .iter()
        .enumerate()
        .map(|(j, c)| constraint(&c.value, &pattern_ident(index, j)))
        .chain(custom)
        .collect();
    KindMeta {
        shape: leaf.value.shape_name(),
        optional,
        env: &leaf.env,
        env_only: leaf.env_only,
        default,
        secret: leaf.secret,
        cli_flag: leaf.cli_flag,
        separator,
        extend: leaf.extend,
        constraints,
        nested: quote!(::core::option::Option::None),
    }
}

/// `Some(fn)` giving a leaf's bare `default` or `default_with` as JSON, for templates and the
/// schema; `None` for anything else and for secrets (whose defaults are never shown).
fn default_value_fn(index: usize, field: &Field) -> TokenStream {
    let none = quote!(::core::option::Option::None);
    let FieldKind::Leaf(leaf) = &field.kind else {
        return none;
    };
    let Some(default) = super::construct::default_fn(index, leaf).filter(|_| !leaf.secret) else {
        return none;
    };
    quote! {
        ::core::option::Option::Some({
            fn __value() -> ::core::option::Option<::settings_core::__private::JsonValue> {
                #[allow(unused_imports)]
                use ::settings_core::__private::{ViaNoSerialize as _, ViaSerialize as _};
                (&::settings_core::__private::Shown(&#default())).__value()
            }
            __value
        })
    }
}

/// `DefaultMeta::With("path::to::fn")`.
fn default_with(path: &syn::Path) -> TokenStream {
    let text = path.to_token_stream().to_string().replace(' ', "");
    quote!(::settings_core::__private::DefaultMeta::With(#text))
}

/// A literal as a `Lit` expression.
fn literal(lit: &Literal) -> TokenStream {
    match lit {
        Literal::Str(s) => quote!(::settings_core::__private::Lit::Str(#s)),
        Literal::Int(i) => {
            let i = Lit::i128_suffixed(*i);
            quote!(::settings_core::__private::Lit::Int(#i))
        }
        Literal::Float(f) => {
            let f = Lit::f64_suffixed(*f);
            quote!(::settings_core::__private::Lit::Float(#f))
        }
        Literal::Bool(b) => quote!(::settings_core::__private::Lit::Bool(#b)),
        Literal::Array(items) => {
            let items = items.iter().map(|i| literal(&i.value));
            quote!(::settings_core::__private::Lit::Array(&[#(#items),*]))
        }
    }
}

fn opt_literal(lit: &Option<Sp<Literal>>) -> TokenStream {
    match lit {
        Some(l) => {
            let l = literal(&l.value);
            quote!(::core::option::Option::Some(#l))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn constraint(c: &Constraint, pattern: &syn::Ident) -> TokenStream {
    match c {
        Constraint::Range { min, max, gt, lt } => {
            let (min, max, gt, lt) = (
                opt_literal(min),
                opt_literal(max),
                opt_literal(gt),
                opt_literal(lt),
            );
            quote!(::settings_core::__private::Constraint::Range { min: #min, max: #max, gt: #gt, lt: #lt })
        }
        Constraint::Len { min, max } => {
            let bound = |b: &Option<Sp<u64>>| match b {
                Some(b) => {
                    let v = b.value;
                    quote!(::core::option::Option::Some(#v))
                }
                None => quote!(::core::option::Option::None),
            };
            let (min, max) = (bound(min), bound(max));
            quote!(::settings_core::__private::Constraint::Len { min: #min, max: #max })
        }
        Constraint::Regex(_) => quote!(::settings_core::__private::Constraint::Regex(&#pattern)),
        Constraint::Url { schemes } => {
            quote!(::settings_core::__private::Constraint::Url { schemes: &[#(#schemes),*] })
        }
        Constraint::OneOf {
            values,
            ignore_case,
        } => {
            let values = values.iter().map(|v| literal(&v.value));
            quote!(::settings_core::__private::Constraint::OneOf { values: &[#(#values),*], ignore_case: #ignore_case })
        }
    }
}
