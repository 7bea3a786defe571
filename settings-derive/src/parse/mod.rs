//! `syn::DeriveInput` → [`crate::ir::ParsedInput`]. Single-attribute rules (a known key, a well-formed
//! value, no key given twice) are checked here; rules across attributes live in `check.rs`.

mod constraint;
mod container;
mod docs;
mod field;
mod literal;
mod ty;

use crate::ctxt::Ctxt;
use crate::ir::{ParsedField, ParsedInput};
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
fn string_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<crate::ir::Sp<String>> {
    let lit: syn::LitStr = meta.value()?.parse()?;
    Ok(crate::ir::Sp::new(lit.value(), lit.span()))
}
