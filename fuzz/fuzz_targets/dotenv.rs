//! The dotenv parser: any text parses without a panic into entries and line problems in file
//! order; and a file written from arbitrary values (quoted and escaped as a user would) reads
//! back the same values.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use settings_core::__fuzz;

/// Names the round trip writes, and which one of them the environment knows.
const NAMES: &[&str] = &["A", "DB_URL", "export", "a.b-c", "_X9", "HOME"];

fn lookup(name: &str) -> Option<String> {
    (name == "HOME").then(|| "/home/fuzz".to_owned())
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Any text: no panic; statements in order, on lines that exist, one per line at most.
fn raw(text: &str) {
    let (entries, errors) = __fuzz::dotenv(text, &lookup);
    let lines = text.split('\n').count();
    let mut starts: Vec<usize> = entries.iter().map(|e| e.2).collect();
    for (name, _, line) in &entries {
        assert!(is_name(name), "entry with an invalid name {name:?}");
        assert!(
            (1..=lines).contains(line),
            "entry on line {line} of {lines}"
        );
    }
    for (line, message) in &errors {
        assert!(
            (1..=lines).contains(line),
            "problem on line {line} of {lines}"
        );
        assert!(!message.is_empty());
        starts.push(*line);
    }
    let n = starts.len();
    starts.sort_unstable();
    starts.dedup();
    assert_eq!(starts.len(), n, "two statements start on one line");
    assert!(n <= lines);
}

/// How the round trip writes one value.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Quoting {
    /// `NAME=value`: for values without quotes, `#`, `$`, `\` or line breaks, trimmed.
    Bare,
    /// `NAME='value'`: literal, for values without `'`.
    Single,
    /// `NAME="value"` with `\\`, `\"`, `\$`, `\n`, `\r` escaped: any value.
    Double,
}

fn double_quoted(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Values written by the rules the module documents read back unchanged.
fn round_trip(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let pairs: Vec<(u8, String, Quoting, bool)> = u.arbitrary()?;
    let mut text = String::new();
    let mut expected = Vec::new();
    for (n, value, quoting, export) in pairs {
        let name = NAMES[usize::from(n) % NAMES.len()];
        let written = match quoting {
            Quoting::Bare => {
                let v = value.trim();
                if v.contains(['\'', '"', '#', '$', '\\', '\n', '\r']) {
                    continue;
                }
                (v.to_owned(), v.to_owned())
            }
            Quoting::Single if !value.contains('\'') && !value.contains('\r') => {
                (format!("'{value}'"), value)
            }
            Quoting::Single => continue,
            Quoting::Double => (double_quoted(&value), value),
        };
        if export {
            text.push_str("export ");
        }
        text.push_str(&format!("{name}={}\n", written.0));
        expected.push((name.to_owned(), written.1));
    }
    let (entries, errors) = __fuzz::dotenv(&text, &lookup);
    assert!(errors.is_empty(), "problems {errors:?} in\n{text}");
    let got: Vec<(String, String)> = entries.into_iter().map(|(n, v, _)| (n, v)).collect();
    assert_eq!(got, expected, "in\n{text}");
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        raw(text);
    }
    let _ = round_trip(&mut Unstructured::new(data));
});
