//! Validator attributes: `range(min, max, gt, lt)`, `len(min, max)`, `regex`, `url(schemes)`,
//! `one_of`.

use super::literal;
use crate::ir::{Constraint, Literal, Sp};
use crate::symbol::*;

/// Parses one validator attribute named `key`.
pub(crate) fn parse(
    meta: &syn::meta::ParseNestedMeta<'_>,
    key: &str,
) -> syn::Result<Sp<Constraint>> {
    let span = meta
        .path
        .get_ident()
        .map_or_else(proc_macro2::Span::call_site, |i| i.span());
    let constraint = match key {
        RANGE => range(meta)?,
        LEN => len(meta)?,
        REGEX => {
            let lit: syn::LitStr = meta.value()?.parse()?;
            Constraint::Regex(Sp::new(lit.value(), lit.span()))
        }
        URL => {
            let mut schemes = Vec::new();
            if meta.input.peek(syn::token::Paren) {
                meta.parse_nested_meta(|inner| {
                    if inner.path.is_ident(SCHEMES) {
                        schemes = literal::strings(inner.value()?)?.value;
                        Ok(())
                    } else {
                        Err(inner.error(format!("unknown `url` option: expected `{SCHEMES}`")))
                    }
                })?;
            }
            Constraint::Url { schemes }
        }
        ONE_OF => one_of(meta)?,
        _ => unreachable!("only validator keys reach here"),
    };
    Ok(Sp::new(constraint, span))
}

fn range(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Constraint> {
    if !has_content(meta) {
        return Err(meta.error("expected bounds: `range(min = 1, max = 10)`"));
    }
    let (mut min, mut max, mut gt, mut lt) = (None, None, None, None);
    meta.parse_nested_meta(|inner| {
        let slot = if inner.path.is_ident(MIN) {
            &mut min
        } else if inner.path.is_ident(MAX) {
            &mut max
        } else if inner.path.is_ident(GT) {
            &mut gt
        } else if inner.path.is_ident(LT) {
            &mut lt
        } else {
            return Err(inner.error(format!(
                "unknown `range` bound: expected {}",
                list(&[MIN, MAX, GT, LT])
            )));
        };
        if slot.is_some() {
            return Err(inner.error("this bound is given twice"));
        }
        let lit = literal::parse(inner.value()?)?;
        if let Literal::Array(_) | Literal::Bool(_) = lit.value {
            return Err(syn::Error::new(
                lit.span,
                "a bound is a number, or a string for durations and sizes",
            ));
        }
        *slot = Some(lit);
        Ok(())
    })?;
    if min.is_some() && gt.is_some() {
        return Err(meta.error("`min` and `gt` both bound the low end: give one"));
    }
    if max.is_some() && lt.is_some() {
        return Err(meta.error("`max` and `lt` both bound the high end: give one"));
    }
    if min.is_none() && max.is_none() && gt.is_none() && lt.is_none() {
        return Err(meta.error("`range` needs at least one bound: `min`, `max`, `gt` or `lt`"));
    }
    Ok(Constraint::Range { min, max, gt, lt })
}

fn len(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Constraint> {
    if !has_content(meta) {
        return Err(meta.error("expected bounds: `len(min = 1, max = 10)`"));
    }
    let (mut min, mut max) = (None, None);
    meta.parse_nested_meta(|inner| {
        let slot = if inner.path.is_ident(MIN) {
            &mut min
        } else if inner.path.is_ident(MAX) {
            &mut max
        } else {
            return Err(inner.error(format!(
                "unknown `len` bound: expected {}",
                list(&[MIN, MAX])
            )));
        };
        if slot.is_some() {
            return Err(inner.error("this bound is given twice"));
        }
        *slot = Some(literal::length(inner.value()?)?);
        Ok(())
    })?;
    if min.is_none() && max.is_none() {
        return Err(meta.error("`len` needs at least one bound: `min` or `max`"));
    }
    Ok(Constraint::Len { min, max })
}

fn one_of(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Constraint> {
    let mut values = None;
    let mut ignore_case = false;
    if meta.input.peek(syn::Token![=]) {
        values = Some(literal::parse(meta.value()?)?);
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            if inner.path.is_ident(VALUES) {
                values = Some(literal::parse(inner.value()?)?);
                Ok(())
            } else if inner.path.is_ident(IGNORE_CASE) {
                ignore_case = true;
                Ok(())
            } else {
                Err(inner.error(format!(
                    "unknown `one_of` option: expected {}",
                    list(&[VALUES, IGNORE_CASE])
                )))
            }
        })?;
    }
    let Some(values) = values else {
        return Err(meta.error("expected the allowed values: `one_of = [\"a\", \"b\"]`"));
    };
    let Literal::Array(items) = values.value else {
        return Err(syn::Error::new(
            values.span,
            "expected an array of allowed values: `[\"a\", \"b\"]`",
        ));
    };
    if items.is_empty() {
        return Err(syn::Error::new(
            values.span,
            "`one_of` needs at least one value",
        ));
    }
    if let Some(bad) = items
        .iter()
        .find(|i| matches!(i.value, Literal::Array(_) | Literal::Bool(_)))
    {
        return Err(syn::Error::new(
            bad.span,
            "the allowed values are strings or numbers",
        ));
    }
    Ok(Constraint::OneOf {
        values: items,
        ignore_case,
    })
}

/// Whether the key is followed by a non-empty `( ... )`.
fn has_content(meta: &syn::meta::ParseNestedMeta<'_>) -> bool {
    let fork = meta.input.fork();
    let inside = || -> syn::Result<bool> {
        let content;
        syn::parenthesized!(content in fork);
        Ok(!content.is_empty())
    };
    inside().unwrap_or(false)
}
