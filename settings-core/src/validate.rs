//! The built-in value checks (`range`, `len`, `regex`, `url`, `one_of`), run on the typed value
//! once it has been converted, producing `Constraint` issues.
//!
//! Generated code hands each checked value over as `&dyn Checkable`, so the checks are compiled
//! once, not once per field type.

use crate::bytesize::{ByteSize, parse_byte_size};
use crate::error::quote;
use crate::meta::{Constraint, Lit};
use crate::secret::Secret;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::time::Duration;

/// A number as a check sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer.
    Int(i128),
    /// A float.
    Float(f64),
    /// A duration.
    Duration(Duration),
    /// A byte size.
    Bytes(u64),
}

/// What the built-in checks can see of a value. Implemented for numbers, durations, byte sizes,
/// strings, paths, URLs, lists, sets and maps, and through `Secret`, `Option`, `Box` and `Arc`.
pub trait Checkable {
    /// The value as a number, for `range`.
    fn number(&self) -> Option<Number> {
        None
    }

    /// The length and what it counts ("character", "item", "entry"), for `len`.
    fn length(&self) -> Option<(usize, &'static str)> {
        None
    }

    /// The value as text, for `regex`, `url` and `one_of`.
    fn text(&self) -> Option<Cow<'_, str>> {
        None
    }

    /// The elements of a list or set, each checked by `regex`, `url` and `one_of`.
    fn elements(&self) -> Option<Vec<&dyn Checkable>> {
        None
    }
}

macro_rules! int_checkable {
    ($($t:ty),*) => {$(
        impl Checkable for $t {
            fn number(&self) -> Option<Number> {
                i128::try_from(*self).ok().map(Number::Int)
            }
            fn text(&self) -> Option<Cow<'_, str>> {
                Some(Cow::Owned(self.to_string()))
            }
        }
    )*};
}
int_checkable!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);

impl Checkable for f32 {
    fn number(&self) -> Option<Number> {
        Some(Number::Float(f64::from(*self)))
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.to_string()))
    }
}

impl Checkable for f64 {
    fn number(&self) -> Option<Number> {
        Some(Number::Float(*self))
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.to_string()))
    }
}

impl Checkable for Duration {
    fn number(&self) -> Option<Number> {
        Some(Number::Duration(*self))
    }
}

impl Checkable for ByteSize {
    fn number(&self) -> Option<Number> {
        Some(Number::Bytes(self.as_u64()))
    }
}

impl Checkable for String {
    fn length(&self) -> Option<(usize, &'static str)> {
        Some((self.chars().count(), "character"))
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl Checkable for Box<str> {
    fn length(&self) -> Option<(usize, &'static str)> {
        Some((self.chars().count(), "character"))
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl Checkable for char {
    fn text(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.to_string()))
    }
}

impl Checkable for std::path::PathBuf {
    fn length(&self) -> Option<(usize, &'static str)> {
        Some((
            self.as_os_str().to_string_lossy().chars().count(),
            "character",
        ))
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        Some(self.to_string_lossy())
    }
}

impl Checkable for url::Url {
    fn length(&self) -> Option<(usize, &'static str)> {
        Some((self.as_str().chars().count(), "character"))
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self.as_str()))
    }
}

macro_rules! text_checkable {
    ($($t:ty),*) => {$(
        impl Checkable for $t {
            fn text(&self) -> Option<Cow<'_, str>> {
                Some(Cow::Owned(self.to_string()))
            }
        }
    )*};
}
text_checkable!(
    std::net::IpAddr,
    std::net::Ipv4Addr,
    std::net::Ipv6Addr,
    std::net::SocketAddr
);

macro_rules! list_checkable {
    ($($t:ident $(: $bound:path)?),*) => {$(
        impl<T: Checkable $(+ $bound)?> Checkable for $t<T> {
            fn length(&self) -> Option<(usize, &'static str)> {
                Some((self.len(), "item"))
            }
            fn elements(&self) -> Option<Vec<&dyn Checkable>> {
                Some(self.iter().map(|e| e as &dyn Checkable).collect())
            }
        }
    )*};
}
list_checkable!(Vec, VecDeque, BTreeSet);

impl<T: Checkable, S> Checkable for HashSet<T, S> {
    fn length(&self) -> Option<(usize, &'static str)> {
        Some((self.len(), "item"))
    }
    fn elements(&self) -> Option<Vec<&dyn Checkable>> {
        Some(self.iter().map(|e| e as &dyn Checkable).collect())
    }
}

impl<K, V, S> Checkable for HashMap<K, V, S> {
    fn length(&self) -> Option<(usize, &'static str)> {
        Some((self.len(), "entry"))
    }
}

impl<K, V> Checkable for BTreeMap<K, V> {
    fn length(&self) -> Option<(usize, &'static str)> {
        Some((self.len(), "entry"))
    }
}

macro_rules! delegate_checkable {
    ($($wrapper:ident),*) => {$(
        impl<T: Checkable + ?Sized> Checkable for $wrapper<T> {
            fn number(&self) -> Option<Number> {
                (**self).number()
            }
            fn length(&self) -> Option<(usize, &'static str)> {
                (**self).length()
            }
            fn text(&self) -> Option<Cow<'_, str>> {
                (**self).text()
            }
            fn elements(&self) -> Option<Vec<&dyn Checkable>> {
                (**self).elements()
            }
        }
    )*};
}
use std::rc::Rc;
use std::sync::Arc;
delegate_checkable!(Box, Arc, Rc);

impl<T: Checkable + 'static> Checkable for Secret<T> {
    fn number(&self) -> Option<Number> {
        self.expose_secret().number()
    }
    fn length(&self) -> Option<(usize, &'static str)> {
        self.expose_secret().length()
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        self.expose_secret().text()
    }
    fn elements(&self) -> Option<Vec<&dyn Checkable>> {
        self.expose_secret().elements()
    }
}

impl<T: Checkable> Checkable for Option<T> {
    fn number(&self) -> Option<Number> {
        self.as_ref()?.number()
    }
    fn length(&self) -> Option<(usize, &'static str)> {
        self.as_ref()?.length()
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        self.as_ref()?.text()
    }
    fn elements(&self) -> Option<Vec<&dyn Checkable>> {
        self.as_ref()?.elements()
    }
}

/// Runs every built-in constraint on a value; each failure is a sentence (never quoting the value
/// when `secret`).
pub(crate) fn check(
    value: &dyn Checkable,
    constraints: &[Constraint],
    secret: bool,
) -> Vec<String> {
    let mut failures = Vec::new();
    for c in constraints {
        match c {
            Constraint::Range { min, max, gt, lt } => {
                if let Some(n) = value.number() {
                    range(n, [min, max, gt, lt], secret, &mut failures);
                }
            }
            Constraint::Len { min, max } => {
                if let Some((n, unit)) = value.length() {
                    let n64 = n as u64;
                    if min.is_some_and(|m| n64 < m) || max.is_some_and(|m| n64 > m) {
                        failures.push(format!(
                            "{}, found {}",
                            len_rule(*min, *max, unit),
                            count(n as u64, unit)
                        ));
                    }
                }
            }
            Constraint::Regex(_) | Constraint::Url { .. } | Constraint::OneOf { .. } => {
                match value.elements() {
                    Some(items) => {
                        for (i, item) in items.into_iter().enumerate() {
                            if let Some(why) = text_rule(item, c, secret) {
                                failures.push(format!("item [{i}] {why}"));
                            }
                        }
                    }
                    None => failures.extend(text_rule(value, c, secret)),
                }
            }
            Constraint::Custom(_) => {}
        }
    }
    failures
}

/// A URL written without its scheme (`localhost:5432/svc`, `db.internal/svc`): the URL parser
/// refuses the second and takes `localhost` for the scheme of the first, so say what is wrong
/// and show the form, with the first allowed scheme.
fn missing_scheme(text: &str, schemes: &[&str], secret: bool) -> Option<String> {
    // Nearly every URL has its `://`: that one search is all it costs.
    if text.contains("://") {
        return None;
    }
    let t = text.trim();
    // Only what reads as an address: a host (and port) first, no spaces.
    let authority = t.split('/').next().unwrap_or_default();
    let looks_like_host = !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'_'));
    if !looks_like_host || t.contains(char::is_whitespace) {
        return None;
    }
    // `host:5432...`: what the parser would take for a scheme is a host, followed by a port.
    let host_port = t
        .split_once(':')
        .is_some_and(|(_, rest)| rest.starts_with(|c: char| c.is_ascii_digit()));
    let relative = matches!(
        url::Url::parse(t),
        Err(url::ParseError::RelativeUrlWithoutBase)
    );
    if !host_port && !relative {
        return None;
    }
    let scheme = schemes.first().copied().unwrap_or("https");
    Some(if secret {
        format!("must be a URL with its scheme, like {scheme}://host/path; the value has none")
    } else {
        format!("must be a URL with its scheme, like {scheme}://{t}; {t:?} has none")
    })
}

fn len_rule(min: Option<u64>, max: Option<u64>, unit: &str) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("must have exactly {}", count(a, unit)),
        (Some(a), Some(b)) => format!("must have from {a} to {}", count(b, unit)),
        (Some(a), None) => format!("must have at least {}", count(a, unit)),
        (None, Some(b)) => format!("must have at most {}", count(b, unit)),
        (None, None) => String::new(),
    }
}

/// "1 item", "2 items", "3 entries".
fn count(n: u64, unit: &str) -> String {
    match (n, unit.strip_suffix('y')) {
        (1, _) => format!("1 {unit}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {unit}s"),
    }
}

/// The declared `range` an integer breaks, as its message ("must be at least 1 and at most
/// 65535, found 70000"): asked before conversion, so that a value the field's type cannot hold
/// either is reported against the range the author declared, not the type's.
pub(crate) fn declared_range(constraints: &[Constraint], n: i128, secret: bool) -> Option<String> {
    let mut failures = Vec::new();
    for c in constraints {
        // Bounds written as text ("1 MB", "30s") are for sizes and durations, whose plain
        // numbers mean bytes or seconds: those are checked after conversion.
        if let Constraint::Range { min, max, gt, lt } = c
            && [min, max, gt, lt]
                .iter()
                .all(|b| matches!(b, None | Some(Lit::Int(_) | Lit::Float(_))))
        {
            range(Number::Int(n), [min, max, gt, lt], secret, &mut failures);
        }
    }
    (!failures.is_empty()).then(|| failures.join("; "))
}

/// The `range` check: `[min, max, gt, lt]`.
fn range(n: Number, bounds: [&Option<Lit>; 4], secret: bool, failures: &mut Vec<String>) {
    const WORDS: [&str; 4] = ["at least", "at most", "greater than", "less than"];
    let mut broken = false;
    for (i, bound) in bounds.iter().enumerate() {
        let Some(lit) = bound else { continue };
        let Some(ord) = compare(n, lit) else {
            failures.push(format!(
                "the `range` bound {lit} cannot be compared with this value"
            ));
            return;
        };
        broken |= !match i {
            0 => ord.is_ge(),
            1 => ord.is_le(),
            2 => ord.is_gt(),
            _ => ord.is_lt(),
        };
    }
    // The rule is written out only when it is broken: a valid value costs no formatting.
    if broken {
        let rules: Vec<String> = bounds
            .iter()
            .enumerate()
            .filter_map(|(i, bound)| Some(format!("{} {}", WORDS[i], bound.as_ref()?)))
            .collect();
        let rule = format!("must be {}", rules.join(" and "));
        if secret {
            failures.push(rule);
        } else {
            failures.push(format!("{rule}, found {}", number_text(n)));
        }
    }
}

/// How `n` compares with a bound.
fn compare(n: Number, bound: &Lit) -> Option<std::cmp::Ordering> {
    match n {
        Number::Int(v) => match *bound {
            Lit::Int(b) => Some(v.cmp(&b)),
            Lit::Float(b) => (v as f64).partial_cmp(&b),
            Lit::Str(s) => (v as f64).partial_cmp(&s.trim().parse::<f64>().ok()?),
            _ => None,
        },
        Number::Float(v) => v.partial_cmp(&match *bound {
            Lit::Int(b) => b as f64,
            Lit::Float(b) => b,
            Lit::Str(s) => s.trim().parse::<f64>().ok()?,
            _ => return None,
        }),
        Number::Duration(v) => Some(v.cmp(&match *bound {
            Lit::Str(s) => crate::duration::parse_duration(s).ok()?,
            Lit::Int(b) => Duration::from_secs(u64::try_from(b).ok()?),
            Lit::Float(b) => Duration::try_from_secs_f64(b).ok()?,
            _ => return None,
        })),
        Number::Bytes(v) => Some(v.cmp(&match *bound {
            Lit::Str(s) => parse_byte_size(s).ok()?,
            Lit::Int(b) => u64::try_from(b).ok()?,
            _ => return None,
        })),
    }
}

fn number_text(n: Number) -> String {
    match n {
        Number::Int(v) => v.to_string(),
        Number::Float(v) => v.to_string(),
        Number::Duration(v) => format!("{v:?}"),
        Number::Bytes(v) => ByteSize(v).to_string(),
    }
}

/// `regex`, `url` or `one_of` on one value; `None` when it passes.
fn text_rule(value: &dyn Checkable, c: &Constraint, secret: bool) -> Option<String> {
    let found = |text: &str| {
        if secret {
            String::new()
        } else {
            format!(", found {}", quote(text))
        }
    };
    match c {
        Constraint::Regex(pattern) => {
            let text = value.text()?;
            match pattern.is_match(&text) {
                Ok(true) => None,
                Ok(false) => Some(format!(
                    "must match the pattern {}{}",
                    pattern.source(),
                    found(&text)
                )),
                Err(why) => Some(format!(
                    "the pattern {} cannot be used: {why}",
                    pattern.source()
                )),
            }
        }
        Constraint::Url { schemes } => {
            let text = value.text()?;
            if let Some(why) = missing_scheme(&text, schemes, secret) {
                return Some(why);
            }
            match url::Url::parse(&text) {
                Err(e) => Some(format!("must be an absolute URL ({e}){}", found(&text))),
                Ok(u)
                    if !schemes.is_empty()
                        && !schemes.iter().any(|s| s.eq_ignore_ascii_case(u.scheme())) =>
                {
                    let allowed = schemes.join(" or ");
                    if secret {
                        Some(format!("must be a URL with the scheme {allowed}"))
                    } else {
                        Some(format!(
                            "must be a URL with the scheme {allowed}, found the scheme {}",
                            u.scheme()
                        ))
                    }
                }
                Ok(_) => None,
            }
        }
        Constraint::OneOf {
            values,
            ignore_case,
        } => {
            let listed = values.iter().any(|v| match (*v, value.number()) {
                (Lit::Str(s), _) => value.text().is_some_and(|t| {
                    if *ignore_case {
                        t.eq_ignore_ascii_case(s)
                    } else {
                        t == s
                    }
                }),
                (lit @ (Lit::Int(_) | Lit::Float(_)), Some(n)) => {
                    compare(n, &lit).is_some_and(|o| o.is_eq())
                }
                _ => false,
            });
            if listed {
                return None;
            }
            let allowed = values
                .iter()
                .map(|v| match *v {
                    Lit::Str(s) => quote(s),
                    ref other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let shown = value.text().map(|t| found(&t)).unwrap_or_default();
            Some(format!("must be one of {allowed}{shown}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Pattern;

    static RE: Pattern = Pattern::new(r"^[a-z]{2}-[a-z]+-\d$");

    proptest::proptest! {
        /// A pattern the derive keeps as a literal matches exactly where the regex does.
        #[test]
        fn a_literal_pattern_matches_where_its_regex_does(
            lit in "[ab.é]{0,3}",
            text in "[ab.é\n]{0,6}",
            start: bool,
            end: bool,
        ) {
            let source = format!(
                "{}{}{}",
                if start { "^" } else { "" },
                regex::escape(&lit),
                if end { "$" } else { "" }
            );
            let regex = regex::Regex::new(&source).unwrap();
            let pattern = Pattern::literal(source.leak(), lit.leak(), start, end);
            proptest::prop_assert_eq!(pattern.is_match(&text), Ok(regex.is_match(&text)));
        }
    }

    fn range(min: Option<Lit>, max: Option<Lit>) -> Constraint {
        Constraint::Range {
            min,
            max,
            gt: None,
            lt: None,
        }
    }

    #[test]
    fn range_is_inclusive_and_exclusive_bounds_are_not() {
        let c = [range(Some(Lit::Int(10)), Some(Lit::Int(30)))];
        assert!(check(&10u32, &c, false).is_empty());
        assert!(check(&30u32, &c, false).is_empty());
        assert_eq!(
            check(&9u32, &c, false),
            ["must be at least 10 and at most 30, found 9"]
        );
        let gt = [Constraint::Range {
            min: None,
            max: None,
            gt: Some(Lit::Int(0)),
            lt: Some(Lit::Float(1.5)),
        }];
        assert!(check(&1i8, &gt, false).is_empty());
        assert_eq!(
            check(&0i8, &gt, false),
            ["must be greater than 0 and less than 1.5, found 0"]
        );
        assert_eq!(
            check(&0i8, &gt, true),
            ["must be greater than 0 and less than 1.5"]
        );
    }

    #[test]
    fn durations_and_sizes_take_string_bounds() {
        let c = [range(Some(Lit::Str("1s")), Some(Lit::Str("1h")))];
        assert!(check(&Duration::from_secs(30), &c, false).is_empty());
        assert_eq!(
            check(&Duration::from_millis(500), &c, false),
            ["must be at least 1s and at most 1h, found 500ms"]
        );
        let c = [range(None, Some(Lit::Str("1 KiB")))];
        assert!(check(&ByteSize(1024), &c, false).is_empty());
        assert_eq!(check(&ByteSize(1025), &c, false).len(), 1);
    }

    #[test]
    fn len_counts_chars_items_and_entries() {
        let c = [Constraint::Len {
            min: Some(3),
            max: Some(8),
        }];
        assert!(check(&"héllo".to_string(), &c, false).is_empty());
        assert_eq!(
            check(&"bo".to_string(), &c, false),
            ["must have from 3 to 8 characters, found 2 characters"]
        );
        assert_eq!(
            check(
                &Vec::<u8>::new(),
                &[Constraint::Len {
                    min: Some(1),
                    max: None
                }],
                false
            ),
            ["must have at least 1 item, found 0 items"]
        );
        let m: HashMap<String, u8> = HashMap::new();
        assert_eq!(
            check(
                &m,
                &[Constraint::Len {
                    min: Some(1),
                    max: None
                }],
                false
            )
            .len(),
            1
        );
    }

    #[test]
    fn regex_url_and_one_of_apply_to_each_element() {
        let c = [Constraint::Regex(&RE)];
        assert!(check(&"eu-west-1".to_string(), &c, false).is_empty());
        let hosts = vec!["eu-west-1".to_string(), "nope".to_string()];
        assert_eq!(
            check(&hosts, &c, false),
            [format!(
                "item [1] must match the pattern {}, found \"nope\"",
                RE.source()
            )]
        );
        let u = [Constraint::Url {
            schemes: &["postgres"],
        }];
        assert!(check(&"postgres://db/x".to_string(), &u, false).is_empty());
        for no_scheme in ["localhost:5432/svc", "db.internal/svc"] {
            assert_eq!(
                check(&no_scheme.to_string(), &u, false),
                [format!(
                    "must be a URL with its scheme, like postgres://{no_scheme}; \"{no_scheme}\" has none"
                )]
            );
        }
        assert_eq!(
            check(&"localhost:5432/pw".to_string(), &u, true),
            ["must be a URL with its scheme, like postgres://host/path; the value has none"]
        );
        assert_eq!(
            check(&"mysql://db/x".to_string(), &u, false),
            ["must be a URL with the scheme postgres, found the scheme mysql"]
        );
        assert!(
            check(&"not a url".to_string(), &u, false)[0].starts_with("must be an absolute URL")
        );
        let o = [Constraint::OneOf {
            values: &[Lit::Str("debug"), Lit::Str("info")],
            ignore_case: true,
        }];
        assert!(check(&"INFO".to_string(), &o, false).is_empty());
        assert_eq!(
            check(&"loud".to_string(), &o, false),
            ["must be one of \"debug\", \"info\", found \"loud\""]
        );
        let n = [Constraint::OneOf {
            values: &[Lit::Int(1), Lit::Int(2)],
            ignore_case: false,
        }];
        assert!(check(&2u8, &n, false).is_empty());
        assert_eq!(check(&3u8, &n, false).len(), 1);
    }

    #[test]
    fn secrets_are_checked_inside_and_never_quoted() {
        let c = [
            Constraint::Len {
                min: Some(12),
                max: None,
            },
            Constraint::Regex(&RE),
        ];
        let s = Secret::new("hunter2".to_string());
        let failures = check(&s, &c, true);
        assert_eq!(failures.len(), 2);
        assert!(
            failures.iter().all(|f| !f.contains("hunter2")),
            "{failures:?}"
        );
    }
}
