//! Validator attributes: `range(min, max, gt, lt)`, `len(min, max)`, `regex`, `url(schemes)`,
//! `one_of`.

use super::{key_text, literal};
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
                nested(meta, |inner| {
                    if inner.path.is_ident(SCHEMES) {
                        schemes = literal::strings(inner.value()?)?.value;
                        Ok(())
                    } else {
                        Err(unknown(inner, URL, "option", &[SCHEMES]))
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
    nested(meta, |inner| {
        let slot = if inner.path.is_ident(MIN) {
            &mut min
        } else if inner.path.is_ident(MAX) {
            &mut max
        } else if inner.path.is_ident(GT) {
            &mut gt
        } else if inner.path.is_ident(LT) {
            &mut lt
        } else {
            return Err(unknown(inner, RANGE, "bound", &[MIN, MAX, GT, LT]));
        };
        let name = key_text(&inner.path);
        if slot.is_some() {
            return Err(inner.error(format!("`{RANGE}` bound `{name}` is given twice")));
        }
        let lit = literal::parse(inner.value()?)?;
        if let Literal::Array(_) | Literal::Bool(_) = lit.value {
            return Err(syn::Error::new(
                lit.span,
                format!(
                    "`{RANGE}` bound `{name} = {}` is neither a number nor a string (for durations and sizes)",
                    show(&lit.value)
                ),
            ));
        }
        *slot = Some(lit);
        Ok(())
    })?;
    let both = |a: &str, x: &Option<Sp<Literal>>, b: &str, y: &Option<Sp<Literal>>, end: &str| {
        match (x, y) {
            (Some(x), Some(y)) => Err(meta.error(format!(
                "`{a} = {}` and `{b} = {}` both bound the {end} end: give one",
                show(&x.value),
                show(&y.value)
            ))),
            _ => Ok(()),
        }
    };
    both(MIN, &min, GT, &gt, "low")?;
    both(MAX, &max, LT, &lt, "high")?;
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
    nested(meta, |inner| {
        let slot = if inner.path.is_ident(MIN) {
            &mut min
        } else if inner.path.is_ident(MAX) {
            &mut max
        } else {
            return Err(unknown(inner, LEN, "bound", &[MIN, MAX]));
        };
        let name = key_text(&inner.path);
        if slot.is_some() {
            return Err(inner.error(format!("`{LEN}` bound `{name}` is given twice")));
        }
        let lit = literal::parse(inner.value()?)?;
        let length = match lit.value {
            Literal::Int(n) => u64::try_from(n).ok(),
            _ => None,
        };
        let Some(length) = length else {
            return Err(syn::Error::new(
                lit.span,
                format!(
                    "`{LEN}` bound `{name} = {}` is not a whole number of characters or items",
                    show(&lit.value)
                ),
            ));
        };
        *slot = Some(Sp::new(length, lit.span));
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
        nested(meta, |inner| {
            if inner.path.is_ident(VALUES) {
                values = Some(literal::parse(inner.value()?)?);
                Ok(())
            } else if inner.path.is_ident(IGNORE_CASE) {
                ignore_case = true;
                Ok(())
            } else {
                Err(unknown(inner, ONE_OF, "option", &[VALUES, IGNORE_CASE]))
            }
        })?;
    }
    let Some(values) = values else {
        return Err(meta.error("expected the allowed values: `one_of = [\"a\", \"b\"]`"));
    };
    let Literal::Array(items) = values.value else {
        return Err(syn::Error::new(
            values.span,
            format!(
                "`{ONE_OF}` takes an array of allowed values, like `[\"a\", \"b\"]`, not `{}`",
                show(&values.value)
            ),
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
            format!(
                "the allowed value `{}` is neither a string nor a number",
                show(&bad.value)
            ),
        ));
    }
    Ok(Constraint::OneOf {
        values: items,
        ignore_case,
    })
}

/// `unknown `range` bound `mn`: did you mean `min`? expected ...`.
fn unknown(
    inner: &syn::meta::ParseNestedMeta<'_>,
    attribute: &str,
    what: &str,
    keys: &[&str],
) -> syn::Error {
    let key = key_text(&inner.path);
    // With one valid key, "did you mean" would only repeat it.
    let hint = if keys.len() > 1 {
        did_you_mean(&key, keys)
    } else {
        String::new()
    };
    inner.error(format!(
        "unknown `{attribute}` {what} `{key}`: {hint}expected {}",
        list(keys)
    ))
}

/// `meta.parse_nested_meta`, except that an error drops the rest of the parentheses: left
/// unread, syn would add a second, vaguer error ("expected `)`") after the first.
fn nested(
    meta: &syn::meta::ParseNestedMeta<'_>,
    mut entry: impl FnMut(&syn::meta::ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    meta.parse_nested_meta(|inner| {
        entry(&inner).inspect_err(
            |_| {
                while inner.input.parse::<proc_macro2::TokenTree>().is_ok() {}
            },
        )
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
