//! Rules across attributes, checked on the IR: one function per rule, every error recorded.

use crate::ctxt::Ctxt;
use crate::ir::{Constraint, Default, Kind, Literal, ParsedField, ParsedInput, Sp};
use crate::symbol::*;

/// Runs every rule on the input.
pub(crate) fn check(cx: &Ctxt, input: &ParsedInput) {
    for field in &input.fields {
        nested_takes_only_what_fits(cx, field);
        env_only_needs_env(cx, field);
        extend_needs_a_list(cx, field);
        constraints_fit_the_type(cx, field);
        bounds_are_ordered(cx, field);
        regex_compiles(cx, field);
        default_fits_the_type(cx, field);
        default_meets_constraints(cx, field);
    }
}

/// A nested struct loads from the sources itself: a literal default, explicit env names, `secret`
/// or value checks have nothing to apply to. Only `rename`, `validate`, bare `default` and
/// `default_with` make sense with `nested`.
fn nested_takes_only_what_fits(cx: &Ctxt, field: &ParsedField) {
    let Some(nested) = field.attrs.nested else {
        return;
    };
    let a = &field.attrs;
    let why = "a nested struct loads its own fields; use it on the nested struct's fields instead";
    if let Some(Sp {
        value: Default::Literal(lit),
        ..
    }) = &a.default
    {
        cx.error_at(
            lit.span,
            format!("`#[settings({NESTED})]` cannot take `{DEFAULT} = ...`: use bare `{DEFAULT}` or `{DEFAULT_WITH}`"),
        );
    }
    for env in &a.env {
        cx.error_at(
            env.span,
            format!("`#[settings({NESTED})]` cannot take `{ENV}`: {why}"),
        );
    }
    if let Some(span) = a.env_only {
        cx.error_at(
            span,
            format!("`#[settings({NESTED})]` cannot take `{ENV_ONLY}`: {why}"),
        );
    }
    if let Some(span) = a.secret {
        cx.error_at(
            span,
            format!("`#[settings({NESTED})]` cannot take `{SECRET}`: {why}"),
        );
    }
    if let Some(sep) = &a.separator {
        cx.error_at(
            sep.span,
            format!("`#[settings({NESTED})]` cannot take `{SEPARATOR}`: {why}"),
        );
    }
    for c in &a.constraints {
        cx.error_at(
            c.span,
            format!(
                "`#[settings({NESTED})]` cannot take `{}`: {why}",
                c.value.name()
            ),
        );
    }
    if field.shape.secret {
        cx.error_at(
            nested,
            "a `nested` settings struct cannot be wrapped in `Secret`",
        );
    }
}

/// `env_only` means "only the explicit names": without any, nothing could set the field.
fn env_only_needs_env(cx: &Ctxt, field: &ParsedField) {
    if let Some(span) = field.attrs.env_only {
        if field.attrs.env.is_empty() {
            cx.error_at(
                span,
                format!("`{ENV_ONLY}` needs at least one `{ENV} = \"NAME\"`"),
            );
        }
    }
}

/// `extend` makes a list grow across sources: a value that is not a list cannot.
fn extend_needs_a_list(cx: &Ctxt, field: &ParsedField) {
    let Some(span) = field.attrs.extend else {
        return;
    };
    if field.attrs.nested.is_some() {
        cx.error_at(
            span,
            format!("`#[settings({NESTED})]` cannot take `{EXTEND}`: nested tables always merge key by key"),
        );
    } else if !matches!(field.shape.kind, Kind::List | Kind::Other) {
        let ty = &field.shape.name;
        cx.error_at(span, format!("`{EXTEND}` applies to lists, not to `{ty}`"));
    }
}

/// A range on text or a length on a number is a mistake the type already shows.
fn constraints_fit_the_type(cx: &Ctxt, field: &ParsedField) {
    if field.attrs.nested.is_some() {
        return;
    }
    let kind = field.shape.kind;
    let ty = &field.shape.name;
    for c in &field.attrs.constraints {
        let fits = match &c.value {
            Constraint::Range { .. } => kind.is_numeric() || kind == Kind::Other,
            Constraint::Len { .. } => kind.has_len() || kind == Kind::Other,
            Constraint::Regex(_) | Constraint::Url { .. } => {
                matches!(kind, Kind::Text | Kind::List | Kind::Other)
            }
            Constraint::OneOf { values, .. } => {
                let strings = values.iter().all(|v| matches!(v.value, Literal::Str(_)));
                let numbers = values
                    .iter()
                    .all(|v| matches!(v.value, Literal::Int(_) | Literal::Float(_)));
                match kind {
                    Kind::Integer | Kind::Float => numbers,
                    Kind::Text => strings,
                    Kind::Bool | Kind::Map | Kind::Duration | Kind::ByteSize => false,
                    Kind::List | Kind::Other => strings || numbers,
                }
            }
        };
        if !fits {
            let what = match &c.value {
                Constraint::Range { .. } => "numbers, durations and byte sizes",
                Constraint::Len { .. } => "strings, lists, maps and sets",
                Constraint::Regex(_) | Constraint::Url { .. } => "strings and lists of strings",
                Constraint::OneOf { .. } => {
                    "strings or numbers, with allowed values of the same kind"
                }
            };
            cx.error_at(
                c.span,
                format!("`{}` applies to {what}, not to `{ty}`", c.value.name()),
            );
        }
    }
}

/// A bound must be readable as the field's kind (a duration like `"1s"` for a `Duration`), and
/// `min` above `max` accepts nothing.
fn bounds_are_ordered(cx: &Ctxt, field: &ParsedField) {
    let kind = field.shape.kind;
    for c in &field.attrs.constraints {
        match &c.value {
            Constraint::Range { min, max, gt, lt } => {
                for bound in [min, max, gt, lt].into_iter().flatten() {
                    if magnitude(kind, &bound.value).is_none() {
                        let what = match kind {
                            Kind::Duration => "a duration like \"30s\" or a number of seconds",
                            Kind::ByteSize => "a size like \"100 MB\" or a number of bytes",
                            _ => "a number",
                        };
                        cx.error_at(bound.span, format!("this bound is not {what}"));
                    }
                }
                let low = min.as_ref().or(gt.as_ref());
                let high = max.as_ref().or(lt.as_ref());
                if let (Some(low), Some(high)) = (low, high) {
                    if let (Some(a), Some(b)) =
                        (magnitude(kind, &low.value), magnitude(kind, &high.value))
                    {
                        let empty = if min.is_some() && max.is_some() {
                            a > b
                        } else {
                            a >= b
                        };
                        if empty {
                            cx.error_at(
                                low.span,
                                "the lower bound is above the upper bound: no value can pass",
                            );
                        }
                    }
                }
            }
            Constraint::Len {
                min: Some(min),
                max: Some(max),
            } if min.value > max.value => {
                cx.error_at(
                    min.span,
                    format!("`{MIN}` ({}) is above `{MAX}` ({})", min.value, max.value),
                );
            }
            _ => {}
        }
    }
}

fn number(lit: &Literal) -> Option<f64> {
    match lit {
        Literal::Int(i) => Some(*i as f64),
        Literal::Float(f) => Some(*f),
        _ => None,
    }
}

/// A literal as a comparable quantity of the field's kind: nanoseconds for a `Duration`, bytes
/// for a `ByteSize`, the number itself otherwise.
fn magnitude(kind: Kind, lit: &Literal) -> Option<f64> {
    match (kind, lit) {
        (Kind::Duration, Literal::Str(s)) => crate::units::duration_nanos(s).map(|n| n as f64),
        (Kind::Duration, _) => number(lit).filter(|n| *n >= 0.0).map(|n| n * 1e9),
        (Kind::ByteSize, Literal::Str(s)) => crate::units::byte_size(s).map(|n| n as f64),
        (Kind::ByteSize, Literal::Int(i)) if *i >= 0 => Some(*i as f64),
        (Kind::Integer | Kind::Float, Literal::Str(s)) => s.trim().parse().ok(),
        (Kind::ByteSize, _) => None,
        _ => number(lit),
    }
}

/// An invalid pattern is found here, not at the first load.
fn regex_compiles(cx: &Ctxt, field: &ParsedField) {
    for c in &field.attrs.constraints {
        if let Constraint::Regex(pattern) = &c.value {
            if let Err(e) = regex_syntax::Parser::new().parse(&pattern.value) {
                let detail = match &e {
                    regex_syntax::Error::Parse(p) => p.kind().to_string(),
                    regex_syntax::Error::Translate(t) => t.kind().to_string(),
                    other => other.to_string(),
                };
                cx.error_at(pattern.span, format!("invalid regex: {detail}"));
            }
        }
    }
}

/// A default literal must be something config text could turn into the field's type.
fn default_fits_the_type(cx: &Ctxt, field: &ParsedField) {
    let Some(Sp {
        value: Default::Literal(lit),
        ..
    }) = &field.attrs.default
    else {
        return;
    };
    if field.attrs.nested.is_some() {
        return;
    }
    let ty = &field.shape.name;
    let ok = match (field.shape.kind, &lit.value) {
        (_, Literal::Array(_)) => matches!(field.shape.kind, Kind::List | Kind::Other),
        (Kind::Bool, Literal::Bool(_)) => true,
        (Kind::Bool, Literal::Str(s)) => ["true", "false", "1", "0", "yes", "no", "on", "off"]
            .contains(&s.to_ascii_lowercase().trim()),
        (Kind::Bool, _) => false,
        (Kind::Integer, Literal::Int(_)) => true,
        (Kind::Integer, Literal::Str(s)) => {
            s.trim().trim_start_matches('+').parse::<i128>().is_ok()
        }
        (Kind::Integer, _) => false,
        (Kind::Float, Literal::Int(_) | Literal::Float(_)) => true,
        (Kind::Float, Literal::Str(s)) => s.trim().parse::<f64>().is_ok(),
        (Kind::Float, _) => false,
        (Kind::Duration, Literal::Str(s)) => crate::units::duration_nanos(s).is_some(),
        (Kind::ByteSize, Literal::Str(s)) => crate::units::byte_size(s).is_some(),
        (Kind::Duration | Kind::ByteSize, Literal::Int(i)) => *i >= 0,
        (Kind::Duration, Literal::Float(_)) => true,
        (Kind::Duration | Kind::ByteSize, _) => false,
        (Kind::Map, Literal::Str(s)) => s.trim_start().starts_with('{'),
        (Kind::Map, _) => false,
        _ => true,
    };
    if !ok {
        cx.error_at(lit.span, format!("this default cannot become a `{ty}`"));
    }
}

/// A default that breaks the field's own constraints would fail every load that relies on it.
fn default_meets_constraints(cx: &Ctxt, field: &ParsedField) {
    let Some(Sp {
        value: Default::Literal(lit),
        ..
    }) = &field.attrs.default
    else {
        return;
    };
    for c in &field.attrs.constraints {
        match &c.value {
            Constraint::Range { min, max, gt, lt } => {
                let kind = field.shape.kind;
                let Some(v) = magnitude(kind, &lit.value) else {
                    continue;
                };
                let below = |b: &Option<Sp<Literal>>, strict: bool| {
                    b.as_ref()
                        .and_then(|b| magnitude(kind, &b.value))
                        .is_some_and(|b| if strict { v <= b } else { v < b })
                };
                let above = |b: &Option<Sp<Literal>>, strict: bool| {
                    b.as_ref()
                        .and_then(|b| magnitude(kind, &b.value))
                        .is_some_and(|b| if strict { v >= b } else { v > b })
                };
                if below(min, false) || below(gt, true) || above(max, false) || above(lt, true) {
                    cx.error_at(lit.span, "the default is outside the field's `range`");
                }
            }
            Constraint::Len { min, max } => {
                let n = match &lit.value {
                    Literal::Str(s) if field.shape.kind == Kind::Text => s.chars().count() as u64,
                    Literal::Array(items) => items.len() as u64,
                    _ => continue,
                };
                if min.as_ref().is_some_and(|m| n < m.value)
                    || max.as_ref().is_some_and(|m| n > m.value)
                {
                    cx.error_at(
                        lit.span,
                        "the default's length is outside the field's `len`",
                    );
                }
            }
            Constraint::Regex(pattern) => {
                let texts: Vec<&Sp<Literal>> = match &lit.value {
                    Literal::Array(items) => items.iter().collect(),
                    _ => vec![lit],
                };
                for item in texts {
                    if let Literal::Str(text) = &item.value {
                        if crate::regex_match::is_match(&pattern.value, text) == Some(false) {
                            cx.error_at(
                                item.span,
                                "the default does not match the field's `regex`",
                            );
                        }
                    }
                }
            }
            Constraint::OneOf {
                values,
                ignore_case,
            } => {
                let listed = |x: &Literal| values.iter().any(|v| same(&v.value, x, *ignore_case));
                let ok = match &lit.value {
                    Literal::Array(items) => items.iter().all(|i| listed(&i.value)),
                    other => listed(other),
                };
                if !ok {
                    cx.error_at(
                        lit.span,
                        "the default is not one of the values `one_of` allows",
                    );
                }
            }
            _ => {}
        }
    }
}

fn same(a: &Literal, b: &Literal, ignore_case: bool) -> bool {
    match (a, b) {
        (Literal::Str(x), Literal::Str(y)) => {
            if ignore_case {
                x.eq_ignore_ascii_case(y)
            } else {
                x == y
            }
        }
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}
