//! Matches a default literal against its `regex` at compile time, by walking the pattern's
//! syntax tree (from `regex-syntax`, which the macro already uses to check the syntax). Each node
//! maps a set of start positions to the set of positions where it can end, as an NFA simulation
//! does, so the work is polynomial in the length of the default, never exponential.

use regex_syntax::hir::{Class, Hir, HirKind, Look};
use std::collections::BTreeSet;

/// `Some(true)` when `text` matches `pattern` somewhere (as `Regex::is_match` does), `Some(false)`
/// when it does not, `None` when the pattern cannot be parsed.
pub(crate) fn is_match(pattern: &str, text: &str) -> Option<bool> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let text: Vec<char> = text.chars().collect();
    let starts: BTreeSet<usize> = (0..=text.len()).collect();
    Some(!ends(&hir, &text, &starts).is_empty())
}

/// A pattern that is one literal text, perhaps anchored at the start (`^`, `\A`) and/or the end
/// (`$`, `\z`) of the text, with no flag that changes how it matches: `^https://` is
/// `("https://", true, false)`. The runtime then tests it with `starts_with`, `ends_with`,
/// `==` or `contains`, which is what the regex engine would answer, without building one.
pub(crate) fn literal_form(pattern: &str) -> Option<(String, bool, bool)> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let parts: &[Hir] = match hir.kind() {
        HirKind::Concat(parts) => parts,
        HirKind::Literal(_) => std::slice::from_ref(&hir),
        _ => return None,
    };
    let (start, parts) = match parts.split_first() {
        Some((first, rest)) if matches!(first.kind(), HirKind::Look(Look::Start)) => (true, rest),
        _ => (false, parts),
    };
    let (end, parts) = match parts.split_last() {
        Some((last, rest)) if matches!(last.kind(), HirKind::Look(Look::End)) => (true, rest),
        _ => (false, parts),
    };
    let [literal] = parts else { return None };
    let HirKind::Literal(lit) = literal.kind() else {
        return None;
    };
    let text = std::str::from_utf8(&lit.0).ok()?;
    Some((text.to_owned(), start, end))
}

type Positions = BTreeSet<usize>;

/// Every position where `hir` can end when it starts at one of `starts`.
fn ends(hir: &Hir, text: &[char], starts: &Positions) -> Positions {
    match hir.kind() {
        HirKind::Empty => starts.clone(),
        HirKind::Literal(lit) => {
            let Ok(lit) = std::str::from_utf8(&lit.0) else {
                return Positions::new();
            };
            let lit: Vec<char> = lit.chars().collect();
            starts
                .iter()
                .filter(|&&p| text.get(p..p + lit.len()) == Some(&lit[..]))
                .map(|p| p + lit.len())
                .collect()
        }
        HirKind::Class(class) => starts
            .iter()
            .filter(|&&p| text.get(p).is_some_and(|&c| in_class(class, c)))
            .map(|p| p + 1)
            .collect(),
        HirKind::Look(look) => starts
            .iter()
            .copied()
            .filter(|&p| looks(*look, text, p))
            .collect(),
        HirKind::Capture(cap) => ends(&cap.sub, text, starts),
        HirKind::Concat(items) => items
            .iter()
            .fold(starts.clone(), |at, item| ends(item, text, &at)),
        HirKind::Alternation(alts) => alts
            .iter()
            .flat_map(|alt| ends(alt, text, starts))
            .collect(),
        HirKind::Repetition(rep) => {
            let mut reached = if rep.min == 0 {
                starts.clone()
            } else {
                Positions::new()
            };
            let mut frontier = starts.clone();
            let mut seen_after_min = Positions::new();
            let mut count = 0u32;
            while !frontier.is_empty() && rep.max.is_none_or(|m| count < m) {
                frontier = ends(&rep.sub, text, &frontier);
                count += 1;
                if count >= rep.min {
                    // Past the minimum, a position seen before cannot lead anywhere new.
                    frontier.retain(|p| seen_after_min.insert(*p));
                    reached.extend(frontier.iter().copied());
                }
                if count > rep.min && frontier.is_empty() {
                    break;
                }
            }
            reached
        }
    }
}

fn in_class(class: &Class, c: char) -> bool {
    match class {
        Class::Unicode(u) => u.ranges().iter().any(|r| r.start() <= c && c <= r.end()),
        Class::Bytes(b) => u8::try_from(u32::from(c))
            .is_ok_and(|v| b.ranges().iter().any(|r| r.start() <= v && v <= r.end())),
    }
}

fn looks(look: Look, text: &[char], pos: usize) -> bool {
    let before = pos.checked_sub(1).and_then(|i| text.get(i)).copied();
    let after = text.get(pos).copied();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    match look {
        Look::Start => pos == 0,
        Look::End => pos == text.len(),
        Look::StartLF | Look::StartCRLF => pos == 0 || before == Some('\n'),
        Look::EndLF | Look::EndCRLF => pos == text.len() || matches!(after, Some('\n' | '\r')),
        Look::WordAscii | Look::WordUnicode => word(before) != word(after),
        Look::WordAsciiNegate | Look::WordUnicodeNegate => word(before) == word(after),
        Look::WordStartAscii | Look::WordStartUnicode => !word(before) && word(after),
        Look::WordEndAscii | Look::WordEndUnicode => word(before) && !word(after),
        Look::WordStartHalfAscii | Look::WordStartHalfUnicode => !word(before),
        Look::WordEndHalfAscii | Look::WordEndHalfUnicode => !word(after),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_match, literal_form};

    #[test]
    fn a_pattern_of_one_literal_is_found_with_its_anchors() {
        let lit = |t: &str, s, e| Some((t.to_owned(), s, e));
        assert_eq!(literal_form("^https://"), lit("https://", true, false));
        assert_eq!(literal_form(r"\.internal$"), lit(".internal", false, true));
        assert_eq!(literal_form(r"\Aprod\z"), lit("prod", true, true));
        assert_eq!(literal_form("needle"), lit("needle", false, false));
        assert_eq!(literal_form("é-ü"), lit("é-ü", false, false));
        // Anything else is the regex engine's: classes, case folding, multi-line anchors,
        // alternation, repetition, an empty literal.
        for pattern in [
            "(?i)^https://",
            "(?m)^prod$",
            "^https?://",
            "^a|b",
            "^[a-z]+$",
            "^$",
            "",
            "^a+",
            r"\bword",
            "(",
        ] {
            assert_eq!(literal_form(pattern), None, "{pattern}");
        }
    }

    #[test]
    fn agrees_with_the_regex_crate_on_typical_patterns() {
        let cases = [
            (r"^[a-z]{2}-[a-z]+-\d$", "eu-west-1", true),
            (r"^[a-z]{2}-[a-z]+-\d$", "eu-west-12", false),
            (r"^[a-z]{2}-[a-z]+-\d$", "EU-west-1", false),
            (r"^https://", "https://auth.example.com", true),
            (r"^https://", "http://auth.example.com", false),
            (r"(?i)^info|debug$", "INFO", true),
            (r"\bwarn\b", "a warn b", true),
            (r"\bwarn\b", "awarnb", false),
            (r"^(a|ab)(c|bcd)(d*)$", "abcd", true),
            (r"^(a*)*$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", false),
            (r"^x{2,3}$", "xxxx", false),
            (r"^x{2,3}$", "xxx", true),
            (r"^\d+(\.\d+)?$", "1.10", true),
            (r"é+", "café", true),
            (r"", "", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                is_match(pattern, text),
                Some(expected),
                "{pattern} on {text}"
            );
        }
    }
}
