//! The INI reader: any text parses without a panic into well-formed sections (or one problem on
//! a line that exists), and becomes a config-file tree without a panic; sections and keys
//! written from arbitrary names and values read back unchanged.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use settings_core::__fuzz;
use std::collections::HashSet;

fn raw(text: &str) {
    let lines = text.split('\n').count();
    match __fuzz::ini(text) {
        Ok(sections) => {
            let mut names = HashSet::new();
            for (i, (name, line, entries)) in sections.iter().enumerate() {
                assert!(
                    (1..=lines).contains(line),
                    "section on line {line} of {lines}"
                );
                match name {
                    Some(name) => {
                        assert!(!name.is_empty() && name.trim() == name, "name {name:?}");
                        assert!(names.insert(name.clone()), "section [{name}] twice");
                    }
                    None => {
                        assert_eq!(i, 0, "the unnamed section comes first");
                        assert!(!entries.is_empty(), "an empty unnamed section");
                    }
                }
                let mut keys = HashSet::new();
                for (key, _, line) in entries {
                    assert!((1..=lines).contains(line), "key on line {line} of {lines}");
                    assert!(!key.is_empty() && key.trim() == key, "key {key:?}");
                    assert_eq!(*key, key.to_lowercase(), "keys are lower-cased");
                    assert!(keys.insert(key.clone()), "key {key:?} twice in a section");
                }
            }
        }
        Err((line, message)) => {
            assert!(
                (1..=lines).contains(&line),
                "problem on line {line} of {lines}"
            );
            assert!(!message.is_empty());
        }
    }
    // As a config file: sections nest by dots, values stay text; no panic, whatever the shape.
    let _ = __fuzz::config_text("ini", text);
}

/// A section's name and its `(key, value)` pairs.
type Section = (Option<String>, Vec<(String, String)>);

/// A key or section name: ASCII, no separator, bracket or comment character.
fn word(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let len = u.int_in_range(1..=12)?;
    let mut s = String::new();
    for _ in 0..len {
        let c = *u.choose(b"abz07_-.")?;
        s.push(char::from(c));
    }
    Ok(s)
}

/// Sections, keys and one-line values written plainly read back unchanged.
fn round_trip(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let mut text = String::new();
    let mut expected: Vec<Section> = Vec::new();
    let mut seen_sections = HashSet::new();
    for s in 0..u.int_in_range(0..=4)? {
        let name = if s == 0 && u.arbitrary()? {
            None
        } else {
            let name = word(u)?;
            if !seen_sections.insert(name.clone()) {
                continue;
            }
            text.push_str(&format!("[{name}]\n"));
            Some(name)
        };
        let mut entries = Vec::new();
        let mut seen_keys = HashSet::new();
        for _ in 0..u.int_in_range(if name.is_none() { 1 } else { 0 }..=4)? {
            let key = word(u)?;
            let value: String = u.arbitrary()?;
            let value = value.trim();
            if !seen_keys.insert(key.clone())
                || value.contains(['\n', '\r'])
                || value.starts_with(['"', '\''])
            {
                continue;
            }
            let sep = if u.arbitrary()? { " = " } else { ": " };
            text.push_str(&format!("{key}{sep}{value}\n"));
            entries.push((key, value.to_owned()));
        }
        if name.is_none() && entries.is_empty() {
            continue;
        }
        expected.push((name, entries));
    }
    let sections = __fuzz::ini(&text).unwrap_or_else(|e| panic!("{e:?} in\n{text}"));
    let got: Vec<Section> = sections
        .into_iter()
        .map(|(n, _, e)| (n, e.into_iter().map(|(k, v, _)| (k, v)).collect()))
        .collect();
    assert_eq!(got, expected, "in\n{text}");
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        raw(text);
    }
    let _ = round_trip(&mut Unstructured::new(data));
});
