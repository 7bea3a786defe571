//! Literal attribute values: strings, numbers (with an optional `-`), bools and arrays of them.
//! Parsed by hand from the token stream, so the macro needs no `full` syn.

use crate::ir::{Literal, Sp};
use crate::symbol::show;
use quote::ToTokens;
use syn::parse::ParseStream;

/// What a literal value is, for errors.
const EXPECTED: &str =
    "expected a literal: a string, a number, `true`, `false` or an array of them";

/// Parses one literal value.
pub(crate) fn parse(input: ParseStream<'_>) -> syn::Result<Sp<Literal>> {
    if input.peek(syn::token::Bracket) {
        let content;
        let bracket = syn::bracketed!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(parse(&content)?);
            if content.is_empty() {
                break;
            }
            content.parse::<syn::Token![,]>()?;
        }
        return Ok(Sp::new(Literal::Array(items), bracket.span.join()));
    }
    let negative = if input.peek(syn::Token![-]) {
        input.parse::<syn::Token![-]>()?;
        true
    } else {
        false
    };
    let lit: syn::Lit = input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), format!("{EXPECTED}{}", super::not_found(input))))?;
    let span = lit.span();
    let value = match &lit {
        syn::Lit::Str(s) if !negative => Literal::Str(s.value()),
        syn::Lit::Int(i) => {
            let n: i128 = i.base10_parse().map_err(|_| {
                syn::Error::new(span, format!("the number `{i}` does not fit in 128 bits"))
            })?;
            Literal::Int(if negative { -n } else { n })
        }
        syn::Lit::Float(f) => {
            let n: f64 = f.base10_parse()?;
            Literal::Float(if negative { -n } else { n })
        }
        syn::Lit::Bool(b) if !negative => Literal::Bool(b.value),
        _ => {
            let sign = if negative { "-" } else { "" };
            let written = lit.to_token_stream();
            return Err(syn::Error::new(
                span,
                format!("{EXPECTED}, not `{sign}{written}`"),
            ));
        }
    };
    Ok(Sp::new(value, span))
}

/// Parses an array of string literals: `["a", "b"]`.
pub(crate) fn strings(input: ParseStream<'_>) -> syn::Result<Sp<Vec<String>>> {
    let lit = parse(input)?;
    let Literal::Array(items) = lit.value else {
        return Err(syn::Error::new(
            lit.span,
            format!(
                "expected an array of strings, like `[\"a\", \"b\"]`, not `{}`",
                show(&lit.value)
            ),
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item.value {
            Literal::Str(s) => out.push(s),
            other => {
                return Err(syn::Error::new(
                    item.span,
                    format!("expected a string, not `{}`", show(&other)),
                ));
            }
        }
    }
    Ok(Sp::new(out, lit.span))
}
