//! Rules across attributes, checked on the IR: one function per rule, every error recorded.

use crate::ctxt::Ctxt;
use crate::ir::{Constraint, Default, Kind, Literal, ParsedField, ParsedInput, Sp};
use crate::symbol::*;
use proc_macro2::Span;

/// Runs every rule on the input.
pub(crate) fn check(cx: &Ctxt, input: &ParsedInput) {
    other_names_are_free(cx, input);
    for field in &input.fields {
        nested_takes_only_what_fits(cx, field);
        nested_list_is_not_optional(cx, field);
        env_prefix_needs_nested(cx, field);
        env_only_needs_env(cx, field);
        cli_flag_needs_a_secret(cx, field);
        extend_needs_a_list(cx, field);
        constraints_fit_the_type(cx, field);
        bounds_are_ordered(cx, field);
        regex_compiles(cx, field);
        default_fits_the_type(cx, field);
        default_meets_constraints(cx, field);
    }
}

/// An `alias` or a one-key `renamed_from` must not be a name another field of the struct
/// answers to (its key, an alias, the environment name those give), nor the field's own key:
/// which field a value is for could not be told. Keys compare as environment names do, without
/// case.
fn other_names_are_free(cx: &Ctxt, input: &ParsedInput) {
    let key = |f: &ParsedField| {
        f.attrs
            .rename
            .as_ref()
            .map_or_else(|| f.ident.to_string(), |r| r.value.clone())
    };
    let prefix = input
        .attrs
        .env_prefix
        .as_ref()
        .map_or("", |p| p.value.as_str());
    for (i, field) in input.fields.iter().enumerate() {
        let own = key(field);
        let others = || {
            input
                .fields
                .iter()
                .enumerate()
                .filter(move |(j, _)| *j != i)
        };
        let names = field.attrs.aliases.iter().map(|a| (a, ALIAS)).chain(
            field
                .attrs
                .renamed_from
                .iter()
                .filter(|r| !r.value.contains('.'))
                .map(|r| (r, RENAMED_FROM)),
        );
        for (name, attribute) in names {
            let same = |k: &str| k.eq_ignore_ascii_case(&name.value);
            let env_name = format!("{prefix}{}", name.value.to_ascii_uppercase());
            let clash = if same(&own) {
                Some(format!("`{}`'s own key", field.ident))
            } else {
                others().find_map(|(_, other)| {
                    let taken = same(&key(other))
                        || other.attrs.aliases.iter().any(|a| same(&a.value))
                        || other.attrs.env.iter().any(|e| e.value == env_name);
                    taken.then(|| format!("a name of the field `{}`", other.ident))
                })
            };
            if let Some(clash) = clash {
                cx.error_at(
                    name.span,
                    format!(
                        "`{attribute} = {}` is {clash}: a value given under it could not be told \
                         apart",
                        show_str(&name.value)
                    ),
                );
            }
        }
    }
}

/// A list or map of settings structs is never absent: unset, it is empty with a bare `default`
/// (or missing without one), so `Option` around it would say nothing more.
fn nested_list_is_not_optional(cx: &Ctxt, field: &ParsedField) {
    let Some(nested) = field.attrs.nested else {
        return;
    };
    if field.shape.option && matches!(field.shape.kind, Kind::List | Kind::Map) {
        cx.error_at(
            nested,
            format!(
                "`#[settings({NESTED})]` on `{}`: a list or map of settings structs is not \
                 wrapped in `Option`; write the list or map itself, with a bare `{DEFAULT}` for \
                 an empty one when no source sets it",
                field.shape.name
            ),
        );
    }
}

/// A field's `env_prefix` names the variables of a nested struct's fields; a value has one name.
fn env_prefix_needs_nested(cx: &Ctxt, field: &ParsedField) {
    if let (Some(prefix), None) = (&field.attrs.env_prefix, field.attrs.nested) {
        cx.error_at(
            prefix.span,
            format!(
                "`{ENV_PREFIX} = {:?}` on a field sets the variable names of a nested struct: \
                 mark the field `{NESTED}`, or name this value's variable with `{ENV} = \"...\"`",
                prefix.value
            ),
        );
    }
}

/// A nested struct loads from the sources itself: a literal default, explicit env names, `secret`
/// or value checks have nothing to apply to. Only `rename`, `validate`, bare `default`,
/// `default_with` and `env_prefix` make sense with `nested`.
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
            format!(
                "`#[settings({NESTED})]` cannot take `{DEFAULT} = {}`: use bare `{DEFAULT}` or `{DEFAULT_WITH}`",
                show(&lit.value)
            ),
        );
    }
    for env in &a.env {
        cx.error_at(
            env.span,
            format!(
                "`#[settings({NESTED})]` cannot take `{ENV} = {}`: {why}",
                show_str(&env.value)
            ),
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
            format!(
                "`#[settings({NESTED})]` cannot take `{SEPARATOR} = {}`: {why}",
                show_str(&sep.value)
            ),
        );
    }
    // `len` counts the elements of a list or map of structs; nothing else applies to one.
    let collection = !field.shape.option && matches!(field.shape.kind, Kind::List | Kind::Map);
    for c in &a.constraints {
        if collection && matches!(c.value, Constraint::Len { .. }) {
            continue;
        }
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
            format!(
                "`#[settings({NESTED})]` cannot be wrapped in `Secret` (`{}`): a nested struct loads its own fields; mark those `{SECRET}` instead",
                field.shape.name
            ),
        );
    }
}

/// `env_only` means "only the explicit names": without any, nothing could set the field.
fn env_only_needs_env(cx: &Ctxt, field: &ParsedField) {
    if let Some(span) = field.attrs.env_only
        && field.attrs.env.is_empty()
    {
        cx.error_at(
            span,
            format!("`{ENV_ONLY}` needs at least one `{ENV} = \"NAME\"`"),
        );
    }
}

/// Every setting but a secret has a command-line flag: `cli_flag` is for a secret that should
/// have one all the same (arguments are visible to every user of the machine).
fn cli_flag_needs_a_secret(cx: &Ctxt, field: &ParsedField) {
    if let Some(span) = field.attrs.cli_flag
        && !is_secret(field)
    {
        cx.error_at(
            span,
            format!(
                "`{CLI_FLAG}` gives a secret field a command-line flag, and `{}` is not secret: \
                 it has its flag already",
                field.ident
            ),
        );
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

/// A range on text or a length on a number is a mistake the type already shows, and so are
/// allowed values of another kind than the field's.
fn constraints_fit_the_type(cx: &Ctxt, field: &ParsedField) {
    if field.attrs.nested.is_some() {
        return;
    }
    let kind = field.shape.kind;
    let ty = &field.shape.name;
    for c in &field.attrs.constraints {
        let what = match &c.value {
            Constraint::Range { .. } if !(kind.is_numeric() || kind == Kind::Other) => {
                "numbers, durations and byte sizes"
            }
            Constraint::Len { .. } if !(kind.has_len() || kind == Kind::Other) => {
                "strings, lists, maps and sets"
            }
            Constraint::Regex(_) | Constraint::Url { .. }
                if !matches!(kind, Kind::Text | Kind::List | Kind::Other) =>
            {
                "strings and lists of strings"
            }
            Constraint::OneOf { values, .. } => {
                one_of_fits(cx, c.span, values, kind, ty);
                continue;
            }
            _ => continue,
        };
        cx.error_at(
            c.span,
            format!("`{}` applies to {what}, not to `{ty}`", c.value.name()),
        );
    }
}

/// `one_of` lists strings for a text field, numbers for a number, either (but one kind) for a
/// list or a type the derive cannot see into.
fn one_of_fits(cx: &Ctxt, span: Span, values: &[Sp<Literal>], kind: Kind, ty: &str) {
    let strings = values.iter().all(|v| matches!(v.value, Literal::Str(_)));
    let numbers = values
        .iter()
        .all(|v| matches!(v.value, Literal::Int(_) | Literal::Float(_)));
    let listed = || show(&Literal::Array(values.to_vec()));
    let message = match kind {
        Kind::Integer | Kind::Float if !numbers => {
            format!(
                "`{ONE_OF} = {}` cannot apply to `{ty}`: list numbers",
                listed()
            )
        }
        Kind::Text if !strings => {
            format!(
                "`{ONE_OF} = {}` cannot apply to `{ty}`: list strings",
                listed()
            )
        }
        Kind::Bool | Kind::Map | Kind::Duration | Kind::ByteSize => {
            format!("`{ONE_OF}` applies to strings, numbers and lists of them, not to `{ty}`")
        }
        Kind::List | Kind::Other if !(strings || numbers) => {
            format!(
                "`{ONE_OF} = {}` mixes strings and numbers: list values of one kind",
                listed()
            )
        }
        _ => return,
    };
    cx.error_at(span, message);
}

/// A bound must be readable as the field's kind (a duration like `"1s"` for a `Duration`), and
/// `min` above `max` accepts nothing.
fn bounds_are_ordered(cx: &Ctxt, field: &ParsedField) {
    let kind = field.shape.kind;
    for c in &field.attrs.constraints {
        match &c.value {
            Constraint::Range { min, max, gt, lt } => {
                let bounds = [(MIN, min), (MAX, max), (GT, gt), (LT, lt)];
                for (name, bound) in bounds {
                    let Some(bound) = bound else { continue };
                    if magnitude(kind, &bound.value).is_none() {
                        let what = match kind {
                            Kind::Duration => "a duration like `\"30s\"` or a number of seconds",
                            Kind::ByteSize => "a size like `\"100 MB\"` or a number of bytes",
                            _ => "a number",
                        };
                        cx.error_at(
                            bound.span,
                            format!(
                                "`{RANGE}` bound `{name} = {}` is not {what}",
                                show(&bound.value)
                            ),
                        );
                    }
                }
                // The parser lets through one low bound (`min` or `gt`) and one high.
                let low = min
                    .as_ref()
                    .map(|b| (MIN, b))
                    .or(gt.as_ref().map(|b| (GT, b)));
                let high = max
                    .as_ref()
                    .map(|b| (MAX, b))
                    .or(lt.as_ref().map(|b| (LT, b)));
                if let (Some((low_name, low)), Some((high_name, high))) = (low, high)
                    && let (Some(a), Some(b)) =
                        (magnitude(kind, &low.value), magnitude(kind, &high.value))
                {
                    let inclusive = min.is_some() && max.is_some();
                    let (empty, relation) = if inclusive {
                        (a > b, "is above")
                    } else {
                        (a >= b, "is not below")
                    };
                    if empty {
                        cx.error_at(
                                low.span,
                                format!(
                                    "`{RANGE}` bound `{low_name} = {}` {relation} `{high_name} = {}`: no value can pass",
                                    show(&low.value),
                                    show(&high.value)
                                ),
                            );
                    }
                }
            }
            Constraint::Len {
                min: Some(min),
                max: Some(max),
            } if min.value > max.value => {
                cx.error_at(
                    min.span,
                    format!(
                        "`{LEN}` bound `{MIN} = {}` is above `{MAX} = {}`: no value can pass",
                        min.value, max.value
                    ),
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
        if let Constraint::Regex(pattern) = &c.value
            && let Err(e) = regex_syntax::Parser::new().parse(&pattern.value)
        {
            cx.error_at(pattern.span, regex_error(&pattern.value, &e));
        }
    }
}

/// `invalid regex `^[a-z$` at offset 1 (`[`): unclosed character class`: the pattern, where it
/// breaks (in characters from its start) and why.
fn regex_error(pattern: &str, e: &regex_syntax::Error) -> String {
    let (why, span) = match e {
        regex_syntax::Error::Parse(p) => (p.kind().to_string(), Some(*p.span())),
        regex_syntax::Error::Translate(t) => (t.kind().to_string(), Some(*t.span())),
        other => (other.to_string(), None),
    };
    let place = span.map_or_else(String::new, |span| {
        let start = span.start.offset;
        let Some(rest) = pattern.get(start..).filter(|rest| !rest.is_empty()) else {
            return " at its end".to_owned();
        };
        let piece = pattern
            .get(start..span.end.offset)
            .filter(|piece| !piece.is_empty())
            .unwrap_or_else(|| rest.chars().next().map_or(rest, |c| &rest[..c.len_utf8()]));
        let at = pattern[..start].chars().count();
        format!(" at offset {at} (`{piece}`)")
    });
    format!("invalid regex `{pattern}`{place}: {why}")
}

/// `the default `"x"``, or no value for a secret field: its default is a secret too.
fn the_default(field: &ParsedField, lit: &Literal) -> String {
    the_value(field, lit, false)
}

/// The default, or one item of an array default, quoted as [`the_default`] does.
fn the_value(field: &ParsedField, lit: &Literal, item: bool) -> String {
    match (is_secret(field), item) {
        (true, false) => "the secret's default".to_owned(),
        (true, true) => "an item of the secret's default".to_owned(),
        (false, false) => format!("the default `{}`", show(lit)),
        (false, true) => format!("the default's item `{}`", show(lit)),
    }
}

fn is_secret(field: &ParsedField) -> bool {
    field.attrs.secret.is_some() || field.shape.secret
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
        cx.error_at(
            lit.span,
            format!("{} cannot become a `{ty}`", the_default(field, &lit.value)),
        );
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
                let bounds = [
                    (MIN, min, "is below"),
                    (GT, gt, "is not above"),
                    (MAX, max, "is above"),
                    (LT, lt, "is not below"),
                ];
                let broken = bounds.into_iter().find_map(|(name, bound, relation)| {
                    let bound = bound.as_ref()?;
                    let b = magnitude(kind, &bound.value)?;
                    let fails = match name {
                        MIN => v < b,
                        GT => v <= b,
                        MAX => v > b,
                        _ => v >= b,
                    };
                    fails.then(|| {
                        format!(
                            "{relation} the field's `{RANGE}` bound `{name} = {}`",
                            show(&bound.value)
                        )
                    })
                });
                if let Some(broken) = broken {
                    cx.error_at(
                        lit.span,
                        format!("{} {broken}", the_default(field, &lit.value)),
                    );
                }
            }
            Constraint::Len { min, max } => {
                let (n, unit) = match &lit.value {
                    Literal::Str(s) if field.shape.kind == Kind::Text => {
                        (s.chars().count() as u64, "character")
                    }
                    Literal::Array(items) => (items.len() as u64, "item"),
                    _ => continue,
                };
                let broken = match (min, max) {
                    (Some(min), _) if n < min.value => Some(("fewer", MIN, min.value)),
                    (_, Some(max)) if n > max.value => Some(("more", MAX, max.value)),
                    _ => None,
                };
                if let Some((relation, name, bound)) = broken {
                    let rule = format!("the field's `{LEN}` bound `{name} = {bound}` allows");
                    let message = if is_secret(field) {
                        format!("the secret's default has {relation} {unit}s than {rule}")
                    } else {
                        let plural = if n == 1 { "" } else { "s" };
                        format!(
                            "{} has {n} {unit}{plural}, {relation} than {rule}",
                            the_default(field, &lit.value)
                        )
                    };
                    cx.error_at(lit.span, message);
                }
            }
            Constraint::Regex(pattern) => {
                let (items, array) = items_of(lit);
                for item in items {
                    if let Literal::Str(text) = &item.value
                        && crate::regex_match::is_match(&pattern.value, text) == Some(false)
                    {
                        cx.error_at(
                            item.span,
                            format!(
                                "{} does not match the field's regex `{}`",
                                the_value(field, &item.value, array),
                                pattern.value
                            ),
                        );
                    }
                }
            }
            Constraint::OneOf {
                values,
                ignore_case,
            } => {
                let rule = || {
                    let values = show(&Literal::Array(values.clone()));
                    if *ignore_case {
                        format!("`{ONE_OF}({VALUES} = {values}, {IGNORE_CASE})`")
                    } else {
                        format!("`{ONE_OF} = {values}`")
                    }
                };
                let (items, array) = items_of(lit);
                for item in items {
                    if !values
                        .iter()
                        .any(|v| same(&v.value, &item.value, *ignore_case))
                    {
                        cx.error_at(
                            item.span,
                            format!(
                                "{} is not one of the field's {}",
                                the_value(field, &item.value, array),
                                rule()
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// The items of an array default, each checked on its own, or the default itself; and whether
/// it was an array.
fn items_of(lit: &Sp<Literal>) -> (&[Sp<Literal>], bool) {
    match &lit.value {
        Literal::Array(items) => (items, true),
        _ => (std::slice::from_ref(lit), false),
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

#[cfg(test)]
mod tests {
    use super::regex_error;

    fn error(pattern: &str) -> String {
        let e = regex_syntax::Parser::new().parse(pattern).unwrap_err();
        regex_error(pattern, &e)
    }

    #[test]
    fn regex_errors_quote_the_pattern_and_the_place() {
        assert_eq!(
            error("^[a-z+$"),
            "invalid regex `^[a-z+$` at offset 1 (`[`): unclosed character class"
        );
        // Offsets count characters, not bytes.
        assert_eq!(
            error("é("),
            "invalid regex `é(` at offset 1 (`(`): unclosed group"
        );
        assert_eq!(
            error("(?i"),
            "invalid regex `(?i` at its end: expected flag but got end of regex"
        );
        assert!(
            error(r"\p{Klingon}")
                .starts_with(r"invalid regex `\p{Klingon}` at offset 0 (`\p{Klingon}`): ")
        );
    }
}
