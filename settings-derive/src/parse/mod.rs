//! `syn::DeriveInput` → [`crate::ir::ParsedInput`]. Single-attribute rules (a known key, a well-formed
//! value, no key given twice) are checked here; rules across attributes live in `check.rs`.

mod constraint;
mod container;
mod docs;
mod field;
mod literal;
pub(crate) mod ty;

use crate::ctxt::Ctxt;
use crate::ir::{ParsedField, ParsedInput, Sp};
use quote::ToTokens;
use syn::parse::ParseStream;

/// Parses the input; `None` when it is not a struct with named fields (already reported).
pub(crate) fn input(cx: &Ctxt, input: &syn::DeriveInput) -> Option<ParsedInput> {
    if let Some(param) = input.generics.params.first() {
        cx.error_spanned_by(
            param,
            "`#[derive(Settings)]` does not support generic parameters",
        );
    }
    let fields = match &input.data {
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(named),
            ..
        }) => &named.named,
        _ => {
            cx.error_spanned_by(
                &input.ident,
                "`#[derive(Settings)]` works only on structs with named fields",
            );
            return None;
        }
    };
    let attrs = container::parse(cx, &input.attrs);
    let fields = fields
        .iter()
        .map(|f| ParsedField {
            ident: f.ident.clone().expect("named field"),
            ty: f.ty.clone(),
            doc: docs::collect(&f.attrs),
            shape: ty::shape(&f.ty),
            attrs: field::parse(cx, &f.attrs),
        })
        .collect();
    Some(ParsedInput {
        ident: input.ident.clone(),
        doc: docs::collect(&input.attrs),
        attrs,
        fields,
    })
}

/// Consumes what is left of one `key ...` entry up to the next top-level `,`, so that parsing
/// goes on after an error.
fn skip_rest(input: ParseStream<'_>) {
    while !input.is_empty() && !input.peek(syn::Token![,]) {
        if input.parse::<proc_macro2::TokenTree>().is_err() {
            break;
        }
    }
}

/// Records "duplicate attribute" when `slot` is already set.
fn once<T>(cx: &Ctxt, slot: &Option<T>, path: &syn::Path, key: &str) -> bool {
    if slot.is_some() {
        cx.error_spanned_by(path, format!("duplicate attribute `{key}`"));
        false
    } else {
        true
    }
}

/// Parses `= "text"`.
/// An `env_prefix = "..."` (on the struct or on a nested field), which must end in `_`.
fn prefix_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Sp<String>> {
    let value = string_value(meta)?;
    // The prefix is followed directly by the field's name: `SVC` would give `SVCPORT`.
    if !value.value.is_empty() && !value.value.ends_with('_') {
        return Err(syn::Error::new(
            value.span,
            format!(
                "`env_prefix = {:?}` does not end in `_`, so its variables would read \
                 `{}PORT`: did you mean `env_prefix = \"{}_\"`?",
                value.value, value.value, value.value
            ),
        ));
    }
    Ok(value)
}

fn string_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Sp<String>> {
    let key = key_text(&meta.path);
    if !meta.input.peek(syn::Token![=]) {
        return Err(meta.error(format!("`{key}` takes a string: write `{key} = \"...\"`")));
    }
    let input = meta.value()?;
    if !input.peek(syn::LitStr) {
        return Err(input.error(format!(
            "`{key}` takes a string, like `{key} = \"...\"`{}",
            not_found(input)
        )));
    }
    let lit: syn::LitStr = input.parse()?;
    Ok(Sp::new(lit.value(), lit.span()))
}

/// Parses `= path::to::function`.
fn path_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<syn::Path> {
    let key = key_text(&meta.path);
    if !meta.input.peek(syn::Token![=]) {
        return Err(meta.error(format!(
            "`{key}` takes a function: write `{key} = path::to::function`"
        )));
    }
    let input = meta.value()?;
    let fork = input.fork();
    match fork.parse::<syn::Path>() {
        Ok(path) if fork.is_empty() || fork.peek(syn::Token![,]) => {
            input.parse::<syn::Path>()?;
            Ok(path)
        }
        _ => Err(input.error(format!(
            "`{key}` takes a path to a function, like `{key} = path::to::function`{}",
            not_found(input)
        ))),
    }
}

/// A flag (`secret`, `case_sensitive`...) stands alone: `secret = true` is an error that shows
/// both forms.
fn no_value(meta: &syn::meta::ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    match rest_text(meta.input) {
        None => Ok(()),
        Some(rest) => {
            let glue = if rest.starts_with('(') { "" } else { " " };
            Err(meta.error(format!(
                "`{key}` takes no value: write `#[settings({key})]`, not `#[settings({key}{glue}{rest})]`"
            )))
        }
    }
}

/// An attribute key as written: `default`, or `a::b` for a path.
fn key_text(path: &syn::Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// `, not `…`` with the tokens that stand where a value was expected, up to the next top-level
/// `,`; empty when there are none.
fn not_found(input: ParseStream<'_>) -> String {
    match rest_text(input) {
        Some(text) => format!(", not `{text}`"),
        None => String::new(),
    }
}

/// The tokens left in one `key ...` entry, up to the next top-level `,`, as text.
fn rest_text(input: ParseStream<'_>) -> Option<String> {
    let fork = input.fork();
    let mut tokens = proc_macro2::TokenStream::new();
    while !fork.is_empty() && !fork.peek(syn::Token![,]) {
        tokens.extend([fork.parse::<proc_macro2::TokenTree>().ok()?]);
    }
    (!tokens.is_empty()).then(|| tokens.to_string())
}
