//! Parser for INI files, close to Python's `configparser` defaults.
//!
//! Supported syntax:
//!
//! * comment lines start with `#` or `;` (after optional whitespace); there
//!   are no inline comments, so `a = x # y` has the value `x # y`;
//! * `[name]` starts a section (name trimmed, kept as given, e.g.
//!   `db.replica`); a `#`/`;` comment may follow the closing `]`;
//! * `key = value` or `key: value`, split at the first `=` or `:`; key and
//!   value are trimmed and keys are lower-cased;
//! * a value wrapped in matching single or double quotes has them removed
//!   (no escapes);
//! * a continuation line (indented deeper than the key line that precedes
//!   it, not blank) appends `\n` plus its trimmed text to the value; a blank
//!   line ends the value, comment lines are skipped without ending it.
//!
//! Error messages never contain any part of a value or of a line's content;
//! they may name keys and sections.

use std::collections::HashMap;
use std::fmt;

/// A section of an INI file with its entries in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// The section name; `None` for keys before any `[section]` header.
    pub name: Option<String>,
    /// 1-based line of the header (of the first key for the unnamed section).
    pub line: usize,
    /// `(key, value, line)` triples: lower-cased key, unquoted value and the
    /// 1-based line of the key.
    pub entries: Vec<(String, String, usize)>,
}

/// The first problem found in an INI file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniError {
    /// 1-based line the problem was found on.
    pub line: usize,
    /// Description of the problem; never contains any part of a value.
    pub message: String,
}

impl fmt::Display for IniError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for IniError {}

/// The key whose value continuation lines extend.
struct OpenValue {
    /// Indentation (in characters) of the key line.
    indent: usize,
    /// Index of the entry in the current section.
    entry: usize,
}

/// Parses INI text into its sections, in file order.
///
/// The unnamed section (keys before any header) is present only when it has
/// keys, and then comes first. Returns the first error found.
pub(crate) fn parse(text: &str) -> Result<Vec<Section>, IniError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: Vec<Section> = Vec::new();
    let mut section_lines: HashMap<String, usize> = HashMap::new();
    // Lines where each key of the current section was defined.
    let mut key_lines: HashMap<String, usize> = HashMap::new();
    let mut open: Option<OpenValue> = None;

    for (index, raw_line) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            open = None;
            continue;
        }
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indent = line.chars().take_while(|c| c.is_whitespace()).count();

        if let Some(value) = &open
            && indent > value.indent
        {
            // `open` is only set once a section holds the entry.
            if let Some(section) = sections.last_mut() {
                let entry = &mut section.entries[value.entry];
                entry.1.push('\n');
                entry.1.push_str(trimmed);
            }
            continue;
        }

        if let Some(after_bracket) = trimmed.strip_prefix('[') {
            let name = parse_header(after_bracket, line_no)?;
            if let Some(first) = section_lines.get(&name) {
                return Err(IniError {
                    line: line_no,
                    message: format!(
                        "duplicate section [{name}] (first defined on line {first}, again on line {line_no})"
                    ),
                });
            }
            section_lines.insert(name.clone(), line_no);
            sections.push(Section {
                name: Some(name),
                line: line_no,
                entries: Vec::new(),
            });
            key_lines.clear();
            open = None;
            continue;
        }

        let Some(sep) = trimmed.find(['=', ':']) else {
            return Err(IniError {
                line: line_no,
                message: "expected 'key = value', 'key: value' or a [section] header".to_string(),
            });
        };
        let key = trimmed[..sep].trim().to_lowercase();
        if key.is_empty() {
            return Err(IniError {
                line: line_no,
                message: "missing key name before '=' or ':'".to_string(),
            });
        }
        let value = trimmed[sep + 1..].trim().to_string();

        if sections.is_empty() {
            sections.push(Section {
                name: None,
                line: line_no,
                entries: Vec::new(),
            });
        }
        let section = sections.last_mut().expect("a section was just ensured");
        if let Some(first) = key_lines.get(&key) {
            let where_ = match &section.name {
                Some(name) => format!("section [{name}]"),
                None => "the top-level section".to_string(),
            };
            return Err(IniError {
                line: line_no,
                message: format!(
                    "duplicate key '{key}' in {where_} (first defined on line {first}, again on line {line_no})"
                ),
            });
        }
        key_lines.insert(key.clone(), line_no);
        section.entries.push((key, value, line_no));
        open = Some(OpenValue {
            indent,
            entry: section.entries.len() - 1,
        });
    }

    for section in &mut sections {
        for entry in &mut section.entries {
            if let Some(inner) = unquote(&entry.1) {
                entry.1 = inner.to_string();
            }
        }
    }
    Ok(sections)
}

/// Parses the rest of a header line after `[`, returning the section name.
fn parse_header(after_bracket: &str, line_no: usize) -> Result<String, IniError> {
    let Some(close) = after_bracket.find(']') else {
        return Err(IniError {
            line: line_no,
            message: "section header is missing its closing ']'".to_string(),
        });
    };
    let tail = after_bracket[close + 1..].trim_start();
    if !(tail.is_empty() || tail.starts_with('#') || tail.starts_with(';')) {
        return Err(IniError {
            line: line_no,
            message: "unexpected characters after the section header's closing ']'".to_string(),
        });
    }
    let name = after_bracket[..close].trim();
    if name.is_empty() {
        return Err(IniError {
            line: line_no,
            message: "empty section name".to_string(),
        });
    }
    Ok(name.to_string())
}

/// The text inside matching surrounding single or double quotes, if any.
fn unquote(value: &str) -> Option<&str> {
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            return Some(&value[1..value.len() - 1]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(section: &Section) -> Vec<(&str, &str, usize)> {
        section
            .entries
            .iter()
            .map(|(k, v, l)| (k.as_str(), v.as_str(), *l))
            .collect()
    }

    fn err(text: &str) -> IniError {
        parse(text).expect_err("expected an error")
    }

    #[test]
    fn empty_input() {
        assert!(parse("").unwrap().is_empty());
        assert!(parse("\n\n# only comments\n; here\n").unwrap().is_empty());
    }

    #[test]
    fn basic_sections_and_keys() {
        let text = "[server]\nhost = example.org\nport: 8080\n\n[db]\nurl=postgres://x\n";
        let sections = parse(text).unwrap();
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].name.as_deref(), Some("server"));
        assert_eq!(sections[0].line, 1);
        assert_eq!(
            entries(&sections[0]),
            vec![("host", "example.org", 2), ("port", "8080", 3)]
        );
        assert_eq!(sections[1].name.as_deref(), Some("db"));
        assert_eq!(sections[1].line, 5);
        assert_eq!(entries(&sections[1]), vec![("url", "postgres://x", 6)]);
    }

    #[test]
    fn keys_before_any_section() {
        let sections = parse("\n# c\na = 1\nb = 2\n[s]\nc = 3\n").unwrap();
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].name, None);
        assert_eq!(sections[0].line, 3);
        assert_eq!(entries(&sections[0]), vec![("a", "1", 3), ("b", "2", 4)]);
        assert_eq!(sections[1].name.as_deref(), Some("s"));
    }

    #[test]
    fn empty_section_is_kept() {
        let sections = parse("[empty]\n[next]\nk=v\n").unwrap();
        assert_eq!(sections.len(), 2);
        assert!(sections[0].entries.is_empty());
    }

    #[test]
    fn comments() {
        let text = "# top\n; semi\n[s]\n  # indented\n\t; tab\nk = v\n";
        let sections = parse(text).unwrap();
        assert_eq!(entries(&sections[0]), vec![("k", "v", 6)]);
    }

    #[test]
    fn no_inline_comments() {
        let sections = parse("[s]\nk = v # not a comment\n").unwrap();
        assert_eq!(sections[0].entries[0].1, "v # not a comment");
    }

    #[test]
    fn section_names_trimmed_and_dotted() {
        let sections = parse("[  db.replica  ]\nk=v\n[ My Section ] # note\n").unwrap();
        assert_eq!(sections[0].name.as_deref(), Some("db.replica"));
        assert_eq!(sections[1].name.as_deref(), Some("My Section"));
    }

    #[test]
    fn section_names_keep_case() {
        let sections = parse("[DB]\n[db]\n").unwrap();
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].name.as_deref(), Some("DB"));
    }

    #[test]
    fn keys_are_lower_cased() {
        let sections = parse("[s]\nMyKey = Value\n").unwrap();
        assert_eq!(entries(&sections[0]), vec![("mykey", "Value", 2)]);
    }

    #[test]
    fn first_separator_wins() {
        let sections = parse("[s]\nurl = http://h:80/x=1\ntime: 12:30\nk=a:b\n").unwrap();
        assert_eq!(
            entries(&sections[0]),
            vec![
                ("url", "http://h:80/x=1", 2),
                ("time", "12:30", 3),
                ("k", "a:b", 4)
            ]
        );
    }

    #[test]
    fn whitespace_trimmed() {
        let sections = parse("[s]\n  key   =   spaced value  \t\n").unwrap();
        assert_eq!(entries(&sections[0]), vec![("key", "spaced value", 2)]);
    }

    #[test]
    fn key_with_inner_space() {
        let sections = parse("[s]\nmy key = 1\n").unwrap();
        assert_eq!(sections[0].entries[0].0, "my key");
    }

    #[test]
    fn empty_values() {
        let sections = parse("[s]\na =\nb:\nc = \"\"\nd = ''\n").unwrap();
        let values: Vec<&str> = sections[0].entries.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(values, vec!["", "", "", ""]);
    }

    #[test]
    fn quotes_removed() {
        let text = "[s]\na = \"hello world\"\nb = 'single'\nc = \"mixed'\nd = \"\ne = \"in\"side\nf = \"x\\ny\"\n";
        let sections = parse(text).unwrap();
        let values: Vec<&str> = sections[0].entries.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(
            values,
            vec![
                "hello world",
                "single",
                "\"mixed'",
                "\"",
                "\"in\"side",
                "x\\ny"
            ]
        );
    }

    #[test]
    fn continuation_lines() {
        let text = "[s]\nhosts = a\n  b\n\tc\nnext = 1\n";
        let sections = parse(text).unwrap();
        assert_eq!(
            entries(&sections[0]),
            vec![("hosts", "a\nb\nc", 2), ("next", "1", 5)]
        );
    }

    #[test]
    fn continuation_of_empty_value() {
        let sections = parse("[s]\nlist =\n  one\n  two\n").unwrap();
        assert_eq!(sections[0].entries[0].1, "\none\ntwo");
    }

    #[test]
    fn continuation_skips_comments_and_stops_at_blank() {
        let text = "[s]\nk = a\n# note\n  b\n\n  other = 2\n";
        let sections = parse(text).unwrap();
        assert_eq!(
            entries(&sections[0]),
            vec![("k", "a\nb", 2), ("other", "2", 6)]
        );
    }

    #[test]
    fn quoted_multi_line_value() {
        let sections = parse("[s]\nk = \"first\n  second\"\n").unwrap();
        assert_eq!(sections[0].entries[0].1, "first\nsecond");
    }

    #[test]
    fn indented_keys_are_not_continuations() {
        let text = "[s]\n  a = 1\n  b = 2\n    more\n  c = 3\n";
        let sections = parse(text).unwrap();
        assert_eq!(
            entries(&sections[0]),
            vec![("a", "1", 2), ("b", "2\nmore", 3), ("c", "3", 5)]
        );
    }

    #[test]
    fn indented_line_after_header_is_a_key() {
        let sections = parse("[s]\n    k = v\n").unwrap();
        assert_eq!(entries(&sections[0]), vec![("k", "v", 2)]);
        let e = err("[s]\n    no separator\n");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn indented_header_after_key_is_continuation() {
        let sections = parse("[s]\nk = v\n  [t]\n").unwrap();
        assert_eq!(sections.len(), 1);
        assert_eq!(sections[0].entries[0].1, "v\n[t]");
    }

    #[test]
    fn crlf_line_endings() {
        let sections = parse("[s]\r\na = 1\r\nb = x\r\n  y\r\n").unwrap();
        assert_eq!(entries(&sections[0]), vec![("a", "1", 2), ("b", "x\ny", 3)]);
    }

    #[test]
    fn byte_order_mark_is_ignored() {
        let sections = parse("\u{feff}[s]\nk=v\n").unwrap();
        assert_eq!(sections[0].name.as_deref(), Some("s"));
    }

    #[test]
    fn key_without_separator_is_error() {
        let e = err("[s]\na = 1\njust-a-key\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("key = value"));
        assert!(!e.message.contains("just-a-key"));
    }

    #[test]
    fn missing_key_name_is_error() {
        let e = err("[s]\n = value\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("missing key name"));
        assert!(!e.message.contains("value\""));
    }

    #[test]
    fn duplicate_key_is_error() {
        let e = err("[db]\nport = 1\nhost = h\nPORT = 2\n");
        assert_eq!(e.line, 4);
        assert_eq!(
            e.message,
            "duplicate key 'port' in section [db] (first defined on line 2, again on line 4)"
        );
    }

    #[test]
    fn duplicate_top_level_key_is_error() {
        let e = err("a = 1\na = 2\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("top-level"));
        assert!(e.message.contains("line 1"));
    }

    #[test]
    fn same_key_in_different_sections_is_fine() {
        let sections = parse("a = 0\n[x]\na = 1\n[y]\na = 2\n").unwrap();
        assert_eq!(sections.len(), 3);
        assert_eq!(sections[2].entries[0].1, "2");
    }

    #[test]
    fn duplicate_section_is_error() {
        let e = err("[a]\nk=1\n[b]\n[ a ]\n");
        assert_eq!(e.line, 4);
        assert_eq!(
            e.message,
            "duplicate section [a] (first defined on line 1, again on line 4)"
        );
    }

    #[test]
    fn empty_section_name_is_error() {
        let e = err("[ ]\n");
        assert_eq!(e.line, 1);
        assert_eq!(e.message, "empty section name");
        assert_eq!(err("[]\n").message, "empty section name");
    }

    #[test]
    fn unclosed_header_is_error() {
        let e = err("k=v\n[oops\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("closing ']'"));
    }

    #[test]
    fn garbage_after_header_is_error() {
        let e = err("[s] trailing\n");
        assert_eq!(e.line, 1);
        assert!(!e.message.contains("trailing"));
    }

    #[test]
    fn first_error_is_returned() {
        let e = err("[s]\nbad1\nbad2\n");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn errors_never_contain_values() {
        let secret = "hunter2SECRET";
        for text in [
            format!("{secret}\n"),
            format!("[s]\nk = {secret}\nk = {secret}\n"),
            format!("[s] {secret}\n"),
            format!("[{secret}\n"),
            format!("= {secret}\n"),
        ] {
            let e = err(&text);
            assert!(!e.message.contains(secret), "leaks: {}", e.message);
            assert!(!e.to_string().contains(secret));
        }
    }

    #[test]
    fn error_display() {
        let e = err("[s]\n[s]\n");
        assert!(e.to_string().starts_with("line 2: duplicate section [s]"));
    }

    #[test]
    fn unquote_helper() {
        assert_eq!(unquote("\"a\""), Some("a"));
        assert_eq!(unquote("'a'"), Some("a"));
        assert_eq!(unquote("\"\""), Some(""));
        assert_eq!(unquote("\""), None);
        assert_eq!(unquote("'a\""), None);
        assert_eq!(unquote("a"), None);
        assert_eq!(unquote(""), None);
    }
}
