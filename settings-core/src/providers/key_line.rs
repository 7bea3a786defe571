//! The line of a file that sets a key: asked only for the message of an unknown key, so the file
//! is read again then and never on a good load. The parsers keep no positions (a load does not
//! need them); these scans run on text that has already parsed, and answer `None` when unsure.

use crate::providers::file::{self, Format};
use std::path::Path;

/// The line (from 1) of the file at `path` that sets `keys`, or whose keys end with `keys` (a
/// file written in profile sections nests them under `[prod]`); `None` for a format without a
/// scan, an encrypted file, or a key that is not found.
pub(crate) fn key_line(path: &Path, keys: &[&str]) -> Option<usize> {
    if file::is_encrypted(path) {
        return None;
    }
    let scan = match file::format_of(path)? {
        Format::Toml => crate::providers::toml::key_line,
        Format::Yaml => yaml,
        Format::Json => json,
        Format::Ini | Format::Dotenv => return None,
    };
    let text = std::fs::read_to_string(path).ok()?;
    scan(&text, keys)
}

/// Whether the key path `full` ends with `keys`.
fn ends_with(full: &[String], keys: &[&str]) -> bool {
    full.len() >= keys.len() && full[full.len() - keys.len()..].iter().eq(keys.iter())
}

/// JSON: a walk over the tokens that matter (strings, brackets, colons, commas), keeping the
/// path of keys and list indices down to the current value.
pub(crate) fn json(text: &str, keys: &[&str]) -> Option<usize> {
    /// An open object (with its current key) or list (with its current index).
    enum Open {
        Object(Option<String>),
        List(usize),
    }
    let mut open: Vec<Open> = Vec::new();
    let mut line = 1;
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '\n' => line += 1,
            '{' => open.push(Open::Object(None)),
            '[' => open.push(Open::List(0)),
            '}' | ']' => {
                open.pop();
            }
            ',' => {
                if let Some(Open::List(i)) = open.last_mut() {
                    *i += 1;
                }
            }
            '"' => {
                let at = line;
                let mut s = String::new();
                while let Some((_, c)) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => s.push(unescape(&mut chars)?),
                        '\n' => line += 1,
                        c => s.push(c),
                    }
                }
                // A key is a string right inside an object that has no key pending a value.
                while chars.peek().is_some_and(|(_, c)| c.is_ascii_whitespace()) {
                    if chars.next().is_some_and(|(_, c)| c == '\n') {
                        line += 1;
                    }
                }
                if chars.peek().is_some_and(|(_, c)| *c == ':') {
                    if let Some(Open::Object(key)) = open.last_mut() {
                        *key = Some(s);
                    }
                    let full: Vec<String> = open
                        .iter()
                        .filter_map(|o| match o {
                            Open::Object(Some(k)) => Some(k.clone()),
                            Open::Object(None) => None,
                            Open::List(i) => Some(i.to_string()),
                        })
                        .collect();
                    if ends_with(&full, keys) {
                        return Some(at);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// The character of a JSON escape after its backslash.
fn unescape(chars: &mut impl Iterator<Item = (usize, char)>) -> Option<char> {
    Some(match chars.next()?.1 {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'u' => {
            let hex: String = (0..4)
                .filter_map(|_| chars.next().map(|(_, c)| c))
                .collect();
            // A surrogate pair's halves are not one key's characters; the key is not matched.
            char::from_u32(u32::from_str_radix(&hex, 16).ok()?).unwrap_or('\u{fffd}')
        }
        other => other,
    })
}

/// YAML in block style, as configuration files are written: keys by indentation, `- ` items
/// as list indices, block scalars (`|`, `>`) skipped. Keys inside flow collections
/// (`db: {port: 1}`) are not found.
pub(crate) fn yaml(text: &str, keys: &[&str]) -> Option<usize> {
    /// What is open at an indentation: a key, or a list whose current item is `n`.
    enum Open {
        Key(String),
        Item(usize),
    }
    let mut open: Vec<(usize, Open)> = Vec::new();
    // Inside a block scalar: lines indented deeper than this are its text.
    let mut scalar_at: Option<usize> = None;
    for (n, raw) in text.lines().enumerate() {
        let body = raw.trim_start_matches(' ');
        let mut indent = raw.len() - body.len();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if let Some(at) = scalar_at {
            if indent > at {
                continue;
            }
            scalar_at = None;
        }
        if indent == 0 && (body.starts_with("---") || body.starts_with("...")) {
            open.clear();
            continue;
        }
        let mut rest = body;
        // `- ` items, perhaps several on one line (`- - a`), each an index at its column.
        while let Some(after) =
            rest.strip_prefix("- ")
                .or(if rest == "-" { Some("") } else { None })
        {
            while open.last().is_some_and(|(at, _)| *at > indent) {
                open.pop();
            }
            match open.last_mut() {
                Some((at, Open::Item(i))) if *at == indent => *i += 1,
                _ => {
                    // A list at the same indentation as its key is the key's value.
                    open.push((indent, Open::Item(0)));
                }
            }
            let trimmed = after.trim_start_matches(' ');
            indent += 2 + (after.len() - trimmed.len());
            rest = trimmed;
        }
        let Some((key, value)) = split_key(rest) else {
            continue;
        };
        // A key closes whatever was open at its indentation or deeper.
        while open.last().is_some_and(|(at, _)| *at >= indent) {
            open.pop();
        }
        let mut full: Vec<String> = open
            .iter()
            .map(|(_, o)| match o {
                Open::Key(k) => k.clone(),
                Open::Item(i) => i.to_string(),
            })
            .collect();
        full.push(key.clone());
        if ends_with(&full, keys) {
            return Some(n + 1);
        }
        let value = value.split(" #").next().unwrap_or("").trim();
        if value.starts_with('|') || value.starts_with('>') {
            scalar_at = Some(indent);
        }
        open.push((indent, Open::Key(key)));
    }
    None
}

/// `key: value`, `key:`, `"quoted key": value` as the key (unquoted) and the rest.
fn split_key(line: &str) -> Option<(String, &str)> {
    if let Some(q) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = line[1..].find(q)? + 1;
        let rest = line[end + 1..].trim_start_matches(' ').strip_prefix(':')?;
        return Some((line[1..end].to_owned(), rest));
    }
    if line.starts_with(['[', '{', '&', '*', '!', '|', '>', '%', '@', '`']) {
        return None;
    }
    let colon = line
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| line[i + 1..].is_empty() || line[i + 1..].starts_with([' ', '\t']))?;
    let key = line[..colon].trim_end();
    if key.is_empty() || key.contains(" #") {
        return None;
    }
    Some((key.to_owned(), &line[colon + 1..]))
}

#[cfg(test)]
mod tests {
    use super::{json, yaml};

    proptest::proptest! {
        /// The scans run on any text without panicking (they are only asked after a parse,
        /// but nothing may panic on a file's content).
        #[test]
        fn any_text_is_scanned_without_a_panic(
            text in "[ a:\"'\\\\u{}\\[\\],#|>\n-é0-9]{0,80}",
            key in "[a:é0-9 ]{0,3}",
        ) {
            let _ = yaml(&text, &[key.as_str()]);
            let _ = json(&text, &[key.as_str(), "0"]);
        }
    }

    #[test]
    fn yaml_keys_are_found_by_indentation() {
        let text = "\
# settings
http:
  port: 8080   # the port
  tls:
    cert: /x
db:
  url: postgres://x
  note: |
    pool_sise: not a key
    at all
  pool_sise: 5
servers:
  - host: a
    port: 1
  -   host: b
      prot: 2
\"quoted key\": 1
";
        assert_eq!(yaml(text, &["http", "port"]), Some(3));
        assert_eq!(yaml(text, &["http", "tls", "cert"]), Some(5));
        assert_eq!(yaml(text, &["db", "pool_sise"]), Some(11));
        assert_eq!(yaml(text, &["servers", "1", "prot"]), Some(16));
        assert_eq!(yaml(text, &["servers", "0", "port"]), Some(14));
        assert_eq!(yaml(text, &["quoted key"]), Some(17));
        assert_eq!(yaml(text, &["db", "port"]), None);
        // A file in profile sections: the key's path ends with the one asked for.
        assert_eq!(
            yaml("prod:\n  db:\n    pool_sise: 3\n", &["db", "pool_sise"]),
            Some(3)
        );
        // A list at its key's own indentation.
        assert_eq!(
            yaml("hosts:\n- a: 1\n- b: 2\n", &["hosts", "1", "b"]),
            Some(3)
        );
    }

    #[test]
    fn json_keys_are_found_with_their_objects_and_lists() {
        let text = "{\n  \"http\": {\"port\": 8080,\n    \"prot\": 1},\n  \"list\": [1, {\"a\": \"x:y\"}],\n  \"esc\\\"aped\": {\"k\": \"}\"},\n  \"last\": 2\n}\n";
        assert_eq!(json(text, &["http", "port"]), Some(2));
        assert_eq!(json(text, &["http", "prot"]), Some(3));
        assert_eq!(json(text, &["list", "1", "a"]), Some(4));
        assert_eq!(json(text, &["esc\"aped", "k"]), Some(5));
        assert_eq!(json(text, &["last"]), Some(6));
        assert_eq!(json(text, &["http", "tls"]), None);
    }
}
