//! The checked input → the kinds expansion matches. Runs only once `check` passed, so it relies
//! on the rules there (a nested field has no literal default, no env names, no constraints...)
//! and reports nothing.

use crate::ir::{
    Collection, Constraint, Default, Field, FieldKind, Input, Kind, Leaf, LeafDefault, LeafKind,
    NestedDefault, ParsedField, ParsedInput, Sp,
};

/// Lowers every field of a checked input.
pub(crate) fn lower(input: ParsedInput) -> Input {
    Input {
        ident: input.ident,
        doc: input.doc,
        attrs: input.attrs,
        fields: input.fields.into_iter().map(field).collect(),
    }
}

fn field(field: ParsedField) -> Field {
    let ParsedField {
        ident,
        ty,
        doc,
        shape,
        attrs: a,
    } = field;
    let key = a.rename.map_or_else(|| ident.to_string(), |r| r.value);
    let aliases = a.aliases.into_iter().map(|s| s.value).collect();
    let renamed_from = a.renamed_from.into_iter().map(|s| s.value).collect();
    let deprecated = a.deprecated.map(|s| s.value);
    let kind = if a.nested.is_some() {
        let default = match a.default {
            None => NestedDefault::None,
            Some(Sp {
                value: Default::Trait,
                span,
            }) => NestedDefault::Trait(span),
            Some(Sp {
                value: Default::With(path),
                ..
            }) => NestedDefault::With(path),
            Some(Sp {
                value: Default::Literal(_),
                ..
            }) => unreachable!("check rejects a literal default on a nested field"),
        };
        let (collection, ty) = match shape.kind {
            Kind::List | Kind::Map if !shape.option => {
                let collection = if shape.kind == Kind::List {
                    Collection::List
                } else {
                    Collection::Map
                };
                match crate::parse::ty::element(&shape.inner) {
                    Some(element) => (collection, element),
                    None => (Collection::One, shape.inner),
                }
            }
            _ => (Collection::One, shape.inner),
        };
        let len = a
            .constraints
            .into_iter()
            .find(|c| matches!(c.value, Constraint::Len { .. }));
        FieldKind::Nested {
            ty,
            optional: shape.option,
            default,
            env_prefix: a.env_prefix.map(|p| p.value),
            collection,
            len,
        }
    } else {
        let default = match a.default {
            None => LeafDefault::None,
            Some(Sp {
                value: Default::Literal(lit),
                ..
            }) => LeafDefault::Literal(lit),
            Some(Sp {
                value: Default::Trait,
                span,
            }) => LeafDefault::Trait(span),
            Some(Sp {
                value: Default::With(path),
                ..
            }) => LeafDefault::With(path),
        };
        FieldKind::Leaf(Leaf {
            kind: if shape.option {
                LeafKind::Optional { default }
            } else {
                LeafKind::Required { default }
            },
            inner: shape.inner,
            value: shape.kind,
            secret_type: shape.secret,
            secret: a.secret.is_some() || shape.secret,
            cli_flag: a.cli_flag.is_some(),
            env: a.env.into_iter().map(|e| e.value).collect(),
            env_only: a.env_only.is_some(),
            extend: a.extend.is_some(),
            separator: a.separator.map(|s| s.value),
            constraints: a.constraints,
        })
    };
    Field {
        ident,
        ty,
        ty_name: shape.name,
        doc,
        key,
        restart: a.restart.is_some(),
        aliases,
        renamed_from,
        deprecated,
        validate: a.validate,
        kind,
    }
}
