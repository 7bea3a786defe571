//! Parser for `.env` files, compatible with what python-dotenv users expect.
//!
//! Supported syntax:
//!
//! * blank lines and `#` comment lines are skipped;
//! * an optional leading `export ` before the name;
//! * `NAME=value`, with whitespace allowed around the name and around `=`;
//!   names match `[A-Za-z_][A-Za-z0-9_.-]*`;
//! * unquoted values are trimmed; an inline comment starts at whitespace
//!   followed by `#` (so `A=x#y` keeps the `#`, `A=x #y` does not);
//! * single-quoted values are literal (no escapes, no interpolation) and may
//!   span lines;
//! * double-quoted values process the escapes `\n \t \r \" \\ \$ \'` (any
//!   other backslash is kept as is) and may span lines (newlines are kept);
//! * after a closing quote only whitespace and an optional `# comment` may
//!   follow;
//! * `${NAME}` and `${NAME:-fallback}` are expanded in unquoted and
//!   double-quoted values; `$NAME` without braces is left as is.
//!
//! Error messages never contain any part of a value or of a line's content:
//! only line numbers, variable names that were parsed as names on a line with
//! `=`, and a description of the problem.

use super::env::Match;
use crate::layer::{Layer, Problems};
use crate::naming::Names;
use crate::origin::{Origin, Origins};
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// The most bytes `${...}` references may add to the values of one file, all lines together. A
/// value that references itself twice doubles at each line (`A=${A}${A}`): without a bound, a
/// file of a few hundred bytes asks for gigabytes.
const EXPANSION_BUDGET: usize = 16 << 20;

/// The env-file source: the text of the file at `path`, parsed and matched like environment
/// variables (with `lookup` for its `${VAR}`s), as a layer. Every value is secret when
/// `secret` (a decrypted file). A name set twice is a problem, as a duplicate key is in any
/// format.
pub(crate) fn layer(
    text: &str,
    path: &Path,
    secret: bool,
    lookup: &dyn Fn(&str) -> Option<String>,
    names: &Names,
    origins: &mut Origins,
    max: u64,
) -> Layer {
    let file = || Origin::EnvFile {
        path: path.to_path_buf(),
    };
    let mut problems = Problems::default();
    let (entries, errors) = parse(text, lookup);
    for e in errors {
        problems.source(
            file(),
            format!(
                "the env file {} has an invalid line {}: {}",
                path.display(),
                e.line,
                e.message
            ),
        );
    }
    for (name, lines, count) in repeated(&entries) {
        let times = match count {
            2 => "twice".to_owned(),
            n => format!("{n} times"),
        };
        let more = if count > 2 { ", ..." } else { "" };
        problems.source(
            file(),
            format!(
                "the env file {} sets {name} {times} (lines {} and {}{more})",
                path.display(),
                lines.0,
                lines.1
            ),
        );
    }
    let mut unknown = Vec::new();
    let matches = entries
        .into_iter()
        .filter_map(|e| {
            let Some(found) = names.env.lookup_var(&e.name) else {
                if names.env.has_prefix(&e.name) {
                    unknown.push(e.name);
                }
                return None;
            };
            // A single-quoted dotenv value is literal: keep `${` from being read as a reference.
            // (A `NAME_FILE` value is a path, read as it is.)
            let value = if e.literal && !found.indirect {
                e.value.replace("${", "$${")
            } else {
                e.value
            };
            Some(Match {
                target: found.target,
                rank: found.rank,
                current: found.current.map(Box::from),
                element: found.element.map(Box::new),
                name: e.name,
                value: Some(value),
                line: Some(e.line),
                indirect: found.indirect,
            })
        })
        .collect();
    let origin_of = |m: &mut Match| {
        let origin = Origin::EnvFileLine {
            path: path.to_path_buf(),
            name: std::mem::take(&mut m.name),
            line: m.line.unwrap_or(0),
        };
        (origin, secret)
    };
    let mut layer = super::env::layer(matches, &names.fields, origins, &origin_of, problems, max);
    layer.unknown = unknown;
    layer
}

/// The names set more than once, in the order of their second assignment: each with the lines
/// of its first two assignments and how often it is set.
fn repeated(entries: &[Entry]) -> Vec<(&str, (usize, usize), usize)> {
    let mut seen: HashMap<&str, (usize, Option<usize>, usize)> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for e in entries {
        let (_, second, count) = seen.entry(&e.name).or_insert((e.line, None, 0));
        *count += 1;
        if *count == 2 {
            *second = Some(e.line);
            order.push(&e.name);
        }
    }
    order
        .into_iter()
        .map(|name| {
            let (first, second, count) = seen[name];
            (name, (first, second.unwrap_or(first)), count)
        })
        .collect()
}

/// One `NAME=value` assignment read from a `.env` file.
///
/// When a name is assigned several times, every assignment is returned in
/// file order; the later one wins for callers that build a map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The variable name (without any `export` prefix).
    pub name: String,
    /// The value after unquoting, escape processing and interpolation.
    pub value: String,
    /// 1-based line on which the entry starts.
    pub line: usize,
    /// The value was single-quoted: literal text, not to be interpolated by anything.
    pub literal: bool,
}

/// A problem found on one line; parsing goes on with the following lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineError {
    /// 1-based line the problem was found on.
    pub line: usize,
    /// Description of the problem; never contains any part of a value.
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Parses the text of a `.env` file into its entries and the errors found.
///
/// `lookup` resolves `${NAME}` for names not defined by earlier lines of the
/// file (it is the process environment or the caller's env pairs). A name
/// defined earlier in the file (the latest such definition, even if empty)
/// takes precedence over `lookup`; if neither knows the name, the
/// `:-fallback` is used, else the empty string.
///
/// Every error is collected and parsing continues with the next line. A
/// repeated name yields one entry per assignment, in file order.
pub(crate) fn parse(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> (Vec<Entry>, Vec<LineError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();

    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut defined: HashMap<String, String> = HashMap::new();
    let budget = Cell::new(EXPANSION_BUDGET);
    let mut i = 0;
    while i < lines.len() {
        let line_no = i + 1;
        let resolver = Resolver {
            defined: &defined,
            lookup,
            budget: &budget,
        };
        match parse_statement(&lines, i, &resolver) {
            Statement::Skip => i += 1,
            Statement::Entry {
                name,
                value,
                literal,
                next,
            } => {
                defined.insert(name.clone(), value.clone());
                entries.push(Entry {
                    name,
                    value,
                    line: line_no,
                    literal,
                });
                i = next;
            }
            Statement::Error { message, next } => {
                errors.push(LineError {
                    line: line_no,
                    message,
                });
                i = next;
            }
        }
    }
    (entries, errors)
}

/// Outcome of parsing the statement that starts on one line.
enum Statement {
    /// A blank or comment line.
    Skip,
    /// An assignment.
    Entry {
        /// The variable name.
        name: String,
        /// The fully processed value.
        value: String,
        /// Single-quoted.
        literal: bool,
        /// Index of the first line after the assignment.
        next: usize,
    },
    /// A malformed statement.
    Error {
        /// Description of the problem, without any content of the line.
        message: String,
        /// Index of the line to resume parsing at.
        next: usize,
    },
}

/// Resolves `${NAME}` references: earlier entries first, then `lookup`.
struct Resolver<'a> {
    /// Latest value of each name assigned on earlier lines.
    defined: &'a HashMap<String, String>,
    /// Fallback source for names the file has not assigned.
    lookup: &'a dyn Fn(&str) -> Option<String>,
    /// What references may still add to the file's values ([`EXPANSION_BUDGET`]).
    budget: &'a Cell<usize>,
}

impl Resolver<'_> {
    /// The value of `name`, if the file or the lookup defines it.
    fn get(&self, name: &str) -> Option<String> {
        match self.defined.get(name) {
            Some(v) => Some(v.clone()),
            None => (self.lookup)(name),
        }
    }
}

/// Whether `s` is a valid variable name: `[A-Za-z_][A-Za-z0-9_.-]*`.
fn is_valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Removes a leading `export` keyword followed by whitespace, if present.
fn strip_export(s: &str) -> &str {
    if let Some(rest) = s.strip_prefix("export")
        && rest.starts_with([' ', '\t'])
    {
        return rest.trim_start();
    }
    s
}

/// Parses the statement starting at `lines[i]`.
fn parse_statement(lines: &[&str], i: usize, resolver: &Resolver<'_>) -> Statement {
    let line_no = i + 1;
    let trimmed = lines[i].trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Statement::Skip;
    }
    let rest = strip_export(trimmed);
    let Some(eq) = rest.find('=') else {
        // The text may be a stray secret, so it is never echoed, even when it
        // looks like a name.
        return Statement::Error {
            message:
                "missing '=': expected NAME=value (a bare NAME without a value is not allowed)"
                    .to_string(),
            next: i + 1,
        };
    };
    let name = rest[..eq].trim();
    if !is_valid_name(name) {
        let message = if name.is_empty() {
            "missing variable name before '='".to_string()
        } else {
            "invalid variable name before '=' (names must match [A-Za-z_][A-Za-z0-9_.-]*)"
                .to_string()
        };
        return Statement::Error {
            message,
            next: i + 1,
        };
    }
    let name = name.to_string();
    let after_eq = &rest[eq + 1..];
    let value_start = after_eq.trim_start();

    let quote = match value_start.chars().next() {
        Some(q @ ('\'' | '"')) => q,
        _ => {
            let raw = strip_inline_comment(after_eq).trim();
            let Ok(value) = expand(raw, false, resolver) else {
                return Statement::Error {
                    message: overflow_message(&name),
                    next: i + 1,
                };
            };
            return Statement::Entry {
                name,
                value,
                literal: false,
                next: i + 1,
            };
        }
    };

    let kind = if quote == '"' { "double" } else { "single" };
    let Some(found) = find_closing_quote(lines, i, &value_start[1..], quote) else {
        return Statement::Error {
            message: format!(
                "unterminated {kind}-quoted value for {name} starting on line {line_no}"
            ),
            next: i + 1,
        };
    };
    let tail = found.after.trim_start();
    if !(tail.is_empty() || tail.starts_with('#')) {
        let end_line = found.end_index + 1;
        return Statement::Error {
            message: format!(
                "unexpected characters after the closing quote of the {kind}-quoted value for {name} (line {end_line}); only whitespace and a '#' comment may follow"
            ),
            next: found.end_index + 1,
        };
    }
    let value = if quote == '"' {
        let Ok(value) = expand(&found.raw, true, resolver) else {
            return Statement::Error {
                message: overflow_message(&name),
                next: found.end_index + 1,
            };
        };
        value
    } else {
        found.raw
    };
    Statement::Entry {
        name,
        value,
        literal: quote == '\'',
        next: found.end_index + 1,
    }
}

/// Cuts an unquoted value at the first `#` preceded by whitespace.
fn strip_inline_comment(s: &str) -> &str {
    let mut prev_ws = false;
    for (idx, c) in s.char_indices() {
        if c == '#' && prev_ws {
            return &s[..idx];
        }
        prev_ws = c.is_whitespace();
    }
    s
}

/// A quoted value whose closing quote was found.
struct Quoted<'a> {
    /// Raw text between the quotes (lines joined with `\n`).
    raw: String,
    /// Index of the line holding the closing quote.
    end_index: usize,
    /// The rest of that line after the closing quote.
    after: &'a str,
}

/// Finds the closing `quote`, starting in `first` (the rest of line `start`
/// after the opening quote) and continuing over the following lines.
///
/// In double-quoted values a backslash protects the next character on the
/// same line, so `\"` does not close the value.
fn find_closing_quote<'a>(
    lines: &[&'a str],
    start: usize,
    first: &'a str,
    quote: char,
) -> Option<Quoted<'a>> {
    let mut raw = String::new();
    let mut index = start;
    let mut segment = first;
    loop {
        let mut chars = segment.char_indices();
        while let Some((pos, c)) = chars.next() {
            if c == quote {
                raw.push_str(&segment[..pos]);
                return Some(Quoted {
                    raw,
                    end_index: index,
                    after: &segment[pos + c.len_utf8()..],
                });
            }
            if c == '\\' && quote == '"' {
                chars.next();
            }
        }
        raw.push_str(segment);
        index += 1;
        if index >= lines.len() {
            return None;
        }
        raw.push('\n');
        segment = lines[index];
    }
}

/// The character an escape `\c` stands for in a double-quoted value.
fn escape_char(c: char) -> Option<char> {
    match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        '$' => Some('$'),
        '\'' => Some('\''),
        _ => None,
    }
}

/// Processes the double-quote escapes of `s` (no interpolation).
fn decode_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(e) = chars.peek().copied().and_then(escape_char)
        {
            out.push(e);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// The references of a file would add more than [`EXPANSION_BUDGET`] bytes to its values.
struct Overflow;

fn overflow_message(name: &str) -> String {
    format!(
        "the value of {name} grows past {} MiB through ${{...}} references (a limit for the \
         whole file: a value that references itself repeatedly doubles at each line)",
        EXPANSION_BUDGET >> 20
    )
}

/// Expands `${NAME}` / `${NAME:-fallback}` in `s`, and, when `escapes` is
/// set (double-quoted values), processes backslash escapes in the same pass
/// so that `\$` yields a literal `$` that is not expanded.
///
/// A `${...}` that is unterminated or whose name is invalid is kept as is. Linear in `s`: a
/// reference is recognised by its name first, and once no `}` follows, later `${` are not looked
/// at again. What references add is taken from the file's budget; past it, [`Overflow`].
fn expand(s: &str, escapes: bool, resolver: &Resolver<'_>) -> Result<String, Overflow> {
    let mut out = String::with_capacity(s.len());
    let mut idx = 0;
    let mut closable = true;
    while idx < s.len() {
        let rest = &s[idx..];
        let c = rest.chars().next().unwrap_or_default();
        if escapes
            && c == '\\'
            && let Some(e) = rest[1..].chars().next().and_then(escape_char)
        {
            out.push(e);
            idx += 1 + first_char_len(&rest[1..]);
            continue;
        }
        if closable
            && rest.starts_with("${")
            && let Some((name, fallback, len)) = reference(rest, &mut closable)
        {
            let value = match resolver.get(name) {
                Some(v) => {
                    let left = resolver.budget.get();
                    if v.len() > left {
                        return Err(Overflow);
                    }
                    resolver.budget.set(left - v.len());
                    v
                }
                None => match fallback {
                    Some(f) if escapes => decode_escapes(f),
                    Some(f) => f.to_string(),
                    None => String::new(),
                },
            };
            out.push_str(&value);
            idx += len;
            continue;
        }
        out.push(c);
        idx += c.len_utf8();
    }
    Ok(out)
}

/// The reference `${NAME}` or `${NAME:-fallback}` at the start of `rest` (which starts with
/// `${`): its name, its fallback and its length in bytes. Clears `closable` when it finds that no
/// `}` follows at all.
fn reference<'a>(rest: &'a str, closable: &mut bool) -> Option<(&'a str, Option<&'a str>, usize)> {
    let body = &rest[2..];
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .unwrap_or(body.len());
    let (name, after) = body.split_at(name_len);
    if after.is_empty() {
        *closable = false;
        return None;
    }
    if !is_valid_name(name) {
        return None;
    }
    if after.starts_with('}') {
        return Some((name, None, 2 + name_len + 1));
    }
    let tail = after.strip_prefix(":-")?;
    match tail.find('}') {
        Some(close) => Some((name, Some(&tail[..close]), 2 + name_len + 2 + close + 1)),
        None => {
            *closable = false;
            None
        }
    }
}

/// Byte length of the first character of `s` (0 if empty).
fn first_char_len(s: &str) -> usize {
    s.chars().next().map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn parse_ok(text: &str) -> Vec<(String, String)> {
        let (entries, errors) = parse(text, &no_env);
        assert!(errors.is_empty(), "unexpected errors: {errors:?}");
        entries.into_iter().map(|e| (e.name, e.value)).collect()
    }

    fn single(text: &str) -> String {
        let entries = parse_ok(text);
        assert_eq!(entries.len(), 1, "expected one entry: {entries:?}");
        entries.into_iter().next().unwrap().1
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn empty_input() {
        let (entries, errors) = parse("", &no_env);
        assert!(entries.is_empty());
        assert!(errors.is_empty());
    }

    #[test]
    fn comments_blank_lines_and_quotes() {
        let text = "# a comment\n\n   \nA=1\n  # indented comment\nB='two'\nC=\"three\"\n\n";
        assert_eq!(
            parse_ok(text),
            pairs(&[("A", "1"), ("B", "two"), ("C", "three")])
        );
    }

    #[test]
    fn line_numbers_are_recorded() {
        let (entries, _) = parse("\n# c\nA=1\n\nB=\"x\ny\"\nC=3\n", &no_env);
        let lines: Vec<usize> = entries.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 5, 7]);
    }

    #[test]
    fn whitespace_around_name_and_equals() {
        assert_eq!(
            parse_ok("  A = 1  \nB\t=\tx y \n"),
            pairs(&[("A", "1"), ("B", "x y")])
        );
    }

    #[test]
    fn export_prefix() {
        assert_eq!(
            parse_ok("export A=1\nexport\tB = 2\n  export   C='3'\n"),
            pairs(&[("A", "1"), ("B", "2"), ("C", "3")])
        );
    }

    #[test]
    fn export_as_a_name() {
        assert_eq!(parse_ok("export=1\n"), pairs(&[("export", "1")]));
        assert_eq!(parse_ok("exported=1\n"), pairs(&[("exported", "1")]));
    }

    #[test]
    fn name_characters() {
        assert_eq!(
            parse_ok("a.b-c_D9=1\n_x=2\n"),
            pairs(&[("a.b-c_D9", "1"), ("_x", "2")])
        );
    }

    #[test]
    fn value_may_contain_equals() {
        assert_eq!(
            single("URL=postgres://u:p@h/db?x=1"),
            "postgres://u:p@h/db?x=1"
        );
    }

    #[test]
    fn empty_values() {
        assert_eq!(
            parse_ok("A=\nB=\"\"\nC=''\nD=   \nE= # comment\n"),
            pairs(&[("A", ""), ("B", ""), ("C", ""), ("D", ""), ("E", "")])
        );
    }

    #[test]
    fn inline_comments() {
        assert_eq!(single("A=value # comment"), "value");
        assert_eq!(single("A=value\t# comment"), "value");
        assert_eq!(single("A=value#not-a-comment"), "value#not-a-comment");
        assert_eq!(single("A=#value"), "#value");
        assert_eq!(single("A=\"quoted # kept\" # comment"), "quoted # kept");
        assert_eq!(single("A='x' #c"), "x");
        assert_eq!(single("A='x'#c"), "x");
    }

    #[test]
    fn unquoted_values_keep_inner_quotes_and_backslashes() {
        assert_eq!(single("A=it's"), "it's");
        assert_eq!(single(r"A=a\nb"), r"a\nb");
        assert_eq!(single("A=x \"y\""), "x \"y\"");
    }

    #[test]
    fn multi_line_double_quoted() {
        let text = "KEY=\"-----BEGIN-----\nabc\n-----END-----\"\nNEXT=1\n";
        let (entries, errors) = parse(text, &no_env);
        assert!(errors.is_empty());
        assert_eq!(entries[0].value, "-----BEGIN-----\nabc\n-----END-----");
        assert_eq!(entries[0].line, 1);
        assert_eq!(entries[1].name, "NEXT");
        assert_eq!(entries[1].line, 4);
    }

    #[test]
    fn multi_line_single_quoted() {
        assert_eq!(single("A='line1\n  line2\n'"), "line1\n  line2\n");
    }

    #[test]
    fn crlf_line_endings() {
        let text = "A=1\r\nB=\"x\r\ny\"\r\nC='p\r\nq'\r\n# c\r\nD=2 # c\r\n";
        assert_eq!(
            parse_ok(text),
            pairs(&[("A", "1"), ("B", "x\ny"), ("C", "p\nq"), ("D", "2")])
        );
    }

    #[test]
    fn byte_order_mark_is_ignored() {
        assert_eq!(parse_ok("\u{feff}A=1\n"), pairs(&[("A", "1")]));
    }

    #[test]
    fn escapes_in_double_quotes() {
        assert_eq!(
            single(r#"A="a\nb\tc\rd\"e\\f\$g\'h""#),
            "a\nb\tc\rd\"e\\f$g'h"
        );
    }

    #[test]
    fn unknown_escape_is_kept() {
        assert_eq!(single(r#"A="a\qb\x""#), r"a\qb\x");
    }

    #[test]
    fn escaped_backslash_before_closing_quote() {
        assert_eq!(single(r#"A="end\\""#), "end\\");
    }

    #[test]
    fn single_quoted_is_literal() {
        assert_eq!(single(r"A='a\nb ${HOME} \$x'"), r"a\nb ${HOME} \$x");
    }

    #[test]
    fn single_quote_inside_double_and_vice_versa() {
        assert_eq!(single("A=\"it's\""), "it's");
        assert_eq!(single("A='say \"hi\"'"), "say \"hi\"");
    }

    #[test]
    fn interpolation_from_earlier_lines() {
        let text = "HOST=db\nPORT=5432\nURL=postgres://${HOST}:${PORT}/x\nQ=\"${HOST}\"\n";
        let entries = parse_ok(text);
        assert_eq!(entries[2].1, "postgres://db:5432/x");
        assert_eq!(entries[3].1, "db");
    }

    #[test]
    fn interpolation_uses_latest_earlier_definition() {
        let text = "A=1\nB=${A}\nA=2\nC=${A}\n";
        assert_eq!(
            parse_ok(text),
            pairs(&[("A", "1"), ("B", "1"), ("A", "2"), ("C", "2")])
        );
    }

    #[test]
    fn interpolation_ignores_later_lines() {
        let lookup = |n: &str| (n == "A").then(|| "from-env".to_string());
        let (entries, _) = parse("B=${A}\nA=file\n", &lookup);
        assert_eq!(entries[0].value, "from-env");
    }

    #[test]
    fn interpolation_from_lookup() {
        let lookup = |n: &str| match n {
            "USER" => Some("alice".to_string()),
            "A" => Some("env-a".to_string()),
            _ => None,
        };
        let (entries, errors) = parse("X=hi ${USER}\nA=file\nY=${A}\n", &lookup);
        assert!(errors.is_empty());
        assert_eq!(entries[0].value, "hi alice");
        // The file's earlier definition wins over the lookup.
        assert_eq!(entries[2].value, "file");
    }

    #[test]
    fn self_reference_uses_lookup() {
        let lookup = |n: &str| (n == "PATH").then(|| "/bin".to_string());
        let (entries, _) = parse("PATH=${PATH}:/opt\n", &lookup);
        assert_eq!(entries[0].value, "/bin:/opt");
    }

    #[test]
    fn fallback_values() {
        let text = "A=${MISSING:-default}\nB=\"${MISSING:-with space}\"\nC=${MISSING:-}\nD=x\nE=${D:-unused}\n";
        assert_eq!(
            parse_ok(text),
            pairs(&[
                ("A", "default"),
                ("B", "with space"),
                ("C", ""),
                ("D", "x"),
                ("E", "x"),
            ])
        );
    }

    #[test]
    fn fallback_not_used_for_defined_empty() {
        assert_eq!(parse_ok("A=\nB=${A:-fb}\n"), pairs(&[("A", ""), ("B", "")]));
    }

    #[test]
    fn fallback_escapes_in_double_quotes() {
        assert_eq!(single(r#"A="${M:-a\tb}""#), "a\tb");
        assert_eq!(single(r"A=${M:-a\tb}"), r"a\tb");
    }

    #[test]
    fn missing_variable_is_empty() {
        assert_eq!(single("A=x${NOPE}y"), "xy");
    }

    #[test]
    fn dollar_without_braces_is_literal() {
        assert_eq!(single("A=$HOME/x"), "$HOME/x");
        assert_eq!(single("A=\"cost $5\""), "cost $5");
        assert_eq!(single("A=$"), "$");
    }

    #[test]
    fn escaped_dollar_is_not_interpolated() {
        let lookup = |_: &str| Some("bad".to_string());
        let (entries, _) = parse(r#"A="\${X}""#, &lookup);
        assert_eq!(entries[0].value, "${X}");
    }

    #[test]
    fn malformed_references_are_kept() {
        assert_eq!(single("A=${UNCLOSED"), "${UNCLOSED");
        assert_eq!(single("A=${}"), "${}");
        assert_eq!(single("A=${1BAD}"), "${1BAD}");
        assert_eq!(single("A=${X:=y}"), "${X:=y}");
    }

    #[test]
    fn interpolation_with_unicode_around() {
        let lookup = |_: &str| Some("é".to_string());
        let (entries, _) = parse("A=ü${X}ß\nB=\"ü\\n${X}\"\n", &lookup);
        assert_eq!(entries[0].value, "üéß");
        assert_eq!(entries[1].value, "ü\né");
    }

    #[test]
    fn repeated_names_are_all_kept_in_order() {
        let (entries, _) = parse("A=1\nA=2\n", &no_env);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].value, "1");
        assert_eq!(entries[1].value, "2");
        assert_eq!(entries[1].line, 2);
    }

    #[test]
    fn bare_name_is_an_error() {
        let (entries, errors) = parse("JUSTANAME\nA=1\n", &no_env);
        assert_eq!(entries.len(), 1);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("missing '='"));
        assert!(!errors[0].message.contains("JUSTANAME"));
    }

    #[test]
    fn export_bare_name_is_an_error() {
        let (entries, errors) = parse("export A\n", &no_env);
        assert!(entries.is_empty());
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn invalid_names() {
        for text in ["1A=x", "A B=x", "A$=x", "-A=x", "=x", "'A'=x"] {
            let (entries, errors) = parse(text, &no_env);
            assert!(entries.is_empty(), "{text}");
            assert_eq!(errors.len(), 1, "{text}");
            assert_eq!(errors[0].line, 1);
        }
        let (_, errors) = parse("=x", &no_env);
        assert!(errors[0].message.contains("missing variable name"));
        let (_, errors) = parse("A B=x", &no_env);
        assert!(errors[0].message.contains("invalid variable name"));
    }

    #[test]
    fn unterminated_double_quote() {
        let (entries, errors) = parse("A=1\n\n\nB=\"never closed\nC=2\n", &no_env);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
        assert_eq!(
            errors[0].message,
            "unterminated double-quoted value for B starting on line 4"
        );
        // Parsing resumes on the line after the opening quote.
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].name, "C");
        assert_eq!(entries[1].value, "2");
    }

    #[test]
    fn unterminated_single_quote() {
        let (entries, errors) = parse("A='oops\nB=1", &no_env);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("single-quoted"));
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].name, "B");
    }

    #[test]
    fn escaped_quote_does_not_close() {
        let (entries, errors) = parse(r#"A="abc\""#, &no_env);
        assert!(entries.is_empty());
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn garbage_after_closing_quote() {
        let (entries, errors) = parse("A=\"x\" y\nB='z'w\nC=\"m\nn\" junk\nD=1\n", &no_env);
        assert_eq!(errors.len(), 3);
        assert_eq!(errors[0].line, 1);
        assert_eq!(errors[1].line, 2);
        assert_eq!(errors[2].line, 3);
        assert!(errors[2].message.contains("line 4"));
        assert!(errors[0].message.contains("closing quote"));
        // The multi-line value is consumed; parsing resumes after it.
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].name, "D");
        assert_eq!(entries[0].line, 5);
    }

    #[test]
    fn errors_keep_going() {
        let text = "A=1\nBAD\n2X=3\nD=\"x\"junk\nC='ok'\nB=\"unterminated\nE=5\n";
        let (entries, errors) = parse(text, &no_env);
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["A", "C", "E"]);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 6]);
    }

    #[test]
    fn later_quote_closes_an_open_value() {
        // A missing closing quote is only detected when no later line has
        // one; otherwise the value spans up to it.
        let (entries, errors) = parse("A=\"open\nB=\"x\"\nC=1\n", &no_env);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("closing quote"));
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].name, "C");
    }

    #[test]
    fn errors_never_contain_values() {
        let secret = "s3cr3tTOKEN";
        let text = format!(
            "{secret}\n{secret} x=1\nB='{secret}'{secret}\nC=\"{secret}\" {secret}\n=\"{secret}\"\nexport {secret}\n-{secret}=1\nA=\"{secret}\n\n{secret}\n"
        );
        let (entries, errors) = parse(&text, &no_env);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5, 6, 7, 8, 10], "{errors:?}");
        assert!(entries.is_empty());
        for e in &errors {
            assert!(!e.message.contains(secret), "leaks: {}", e.message);
            assert!(!e.message.contains("s3cr3t"), "leaks: {}", e.message);
            assert!(!e.to_string().contains(secret));
        }
    }

    #[test]
    fn line_error_display() {
        let e = LineError {
            line: 7,
            message: "boom".to_string(),
        };
        assert_eq!(e.to_string(), "line 7: boom");
    }

    #[test]
    fn valid_names() {
        assert!(is_valid_name("A"));
        assert!(is_valid_name("_"));
        assert!(is_valid_name("a.b-c"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name("9a"));
        assert!(!is_valid_name(".a"));
        assert!(!is_valid_name("a b"));
        assert!(!is_valid_name("é"));
    }

    #[test]
    fn references_are_recognised_as_before() {
        let lookup = |n: &str| (n == "A" || n == "A-B").then(|| format!("<{n}>"));
        for (text, expected) in [
            ("X=${A}${A-B}${A.C:-f}", "<A><A-B>f"),
            ("X=${A:-a}b}", "<A>b}"),
            ("X=${Q:-a}b}", "ab}"),
            ("X=${1:-x}${A:x}${ A}${A", "${1:-x}${A:x}${ A}${A"),
            ("X=${Q:-${A}}", "${A}"),
            ("X=${${A}}", "${<A>}"),
            ("X=${A:-", "${A:-"),
            ("X=\"${Q:-\\$}\\${A}\"", "$${A}"),
        ] {
            let (entries, errors) = parse(text, &lookup);
            assert!(errors.is_empty(), "{text}: {errors:?}");
            assert_eq!(entries[0].value, expected, "{text}");
        }
    }

    // `A=${A}${A}` on every line doubles the value: 2^30 bytes from 300 bytes of text.
    #[test]
    fn a_value_that_doubles_at_each_line_stops_at_the_budget() {
        let text = format!("A=x\n{}", "A=${A}${A}\n".repeat(30));
        let started = std::time::Instant::now();
        let (entries, errors) = parse(&text, &no_env);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // Lines 2..=24 add 2 + 4 + ... + 2^23 bytes: less than 2^24; line 25 would pass it.
        assert_eq!(entries.len(), 24);
        assert_eq!(errors.len(), 7, "{errors:?}");
        assert!(
            errors[0].message.contains("grows past 16 MiB"),
            "{errors:?}"
        );
        assert_eq!(errors[0].line, 25);
        let total: usize = entries.iter().map(|e| e.value.len()).sum();
        assert!(total <= 2 * EXPANSION_BUDGET);
    }

    // Each `${` used to search the rest of the line for `}`: quadratic in the line's length.
    #[test]
    fn a_line_of_unclosed_references_is_read_in_linear_time() {
        for tail in ["", "}", ":-}"] {
            for unit in ["${", "${A:-", "${1:-", "${A"] {
                let text = format!("A={}{tail}\n", unit.repeat(200_000));
                let started = std::time::Instant::now();
                let (entries, errors) = parse(&text, &no_env);
                assert!(
                    started.elapsed() < std::time::Duration::from_secs(2),
                    "{unit:?} {tail:?}: {:?}",
                    started.elapsed()
                );
                assert_eq!(entries.len() + errors.len(), 1);
            }
        }
    }
}

#[cfg(test)]
mod layer_tests {
    use super::*;
    use crate::layer::Data;
    use crate::testing::{names, origins};

    #[test]
    fn lines_set_fields_with_their_line_in_the_origin_and_repeats_are_problems() {
        let text = "# comment\nAPP_PORT=9000\nAPP_NAME='lit ${x}'\nAPP_PORT=9001\nOTHER=1\n";
        let mut origins = origins();
        let lookup = |_: &str| None;
        let layer = layer(
            text,
            Path::new(".env"),
            false,
            &lookup,
            names(),
            &mut origins,
            1 << 20,
        );
        let Data::Fields(values) = &layer.data else {
            panic!("an env file sets fields")
        };
        let got: Vec<(String, String)> = values
            .iter()
            .map(|(_, v)| (v.display(), origins.get(v.origin).origin.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("9000".into(), "env file .env, APP_PORT on line 2".into()),
                // Single quotes are literal: the `${` is kept from the reference pass.
                (
                    "lit $${x}".into(),
                    "env file .env, APP_NAME on line 3".into()
                ),
                ("9001".into(), "env file .env, APP_PORT on line 4".into()),
            ]
        );
        let issues = layer.problems.list();
        assert_eq!(issues.len(), 1);
        assert_eq!(
            issues[0].message,
            "the env file .env sets APP_PORT twice (lines 2 and 4)"
        );
    }

    #[test]
    fn an_invalid_line_is_named_by_its_number_and_a_decrypted_file_is_secret() {
        let mut origins = origins();
        let lookup = |name: &str| (name == "HOME").then(|| "/root".to_owned());
        let text = "APP_DB__URL=${HOME}/db\nnot a line\n";
        let layer = layer(
            text,
            Path::new("a.env.age"),
            true,
            &lookup,
            names(),
            &mut origins,
            1 << 20,
        );
        let issues = layer.problems.list();
        assert_eq!(issues.len(), 1);
        assert!(
            issues[0]
                .message
                .starts_with("the env file a.env.age has an invalid line 2")
        );
        let Data::Fields(values) = &layer.data else {
            panic!("an env file sets fields")
        };
        assert_eq!(values[0].1.display(), "/root/db");
        assert!(origins.get(values[0].1.origin).secret);
    }
}
