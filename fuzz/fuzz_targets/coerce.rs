//! Text to types (de.rs), through the public API: a struct with one field of each kind of type
//! loaded from an arbitrary environment. No panic; every message bounded; the typed secrets
//! (`pin`, `token`) never shown in an error or a report; a number or bool written canonically
//! reads back as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use settings_core::Settings;
use settings_fuzz::{
    check_error, checkable, env_lines, error_texts, first_shown, report_texts, rotate, sections,
    Coerce,
};
use std::ffi::OsString;

fn is_secret(name: &str) -> bool {
    name.eq_ignore_ascii_case("APP_PIN") || name.eq_ignore_ascii_case("APP_TOKEN")
}

/// Loads (or explains) and gives every text the outcome can show, with the settings if loaded.
/// `Secret<T>` keeps its value out of `Debug`; with `debug`, the settings' `Debug` counts too (a
/// plain field that `${...}` copies a secret into shows in the user's own `Debug`, which nothing
/// can mask: `debug` is off then).
fn outcome(
    env: &[(OsString, OsString)],
    explain: bool,
    debug: bool,
) -> (Vec<String>, Option<Coerce>) {
    let loader = Coerce::loader().env_vars(env.to_vec());
    if explain {
        return match loader.explain() {
            Ok(report) => (report_texts(&report), None),
            Err(err) => {
                check_error(&err, &[]);
                (error_texts(&err), None)
            }
        };
    }
    match loader.load() {
        Ok(s) => (
            debug.then(|| format!("{s:?}")).into_iter().collect(),
            Some(s),
        ),
        Err(err) => {
            check_error(&err, &[]);
            (error_texts(&err), None)
        }
    }
}

// The input: `NAME=value` lines (any bytes; the seeds use the names of `Coerce`), and a line
// `%% explain` to explain instead of load.
fuzz_target!(|data: &[u8]| {
    let mut env: Vec<(OsString, OsString)> = Vec::new();
    let mut explain = false;
    for (section, body) in sections(data) {
        match section.as_str() {
            "explain" => explain = true,
            _ => env.extend(env_lines(body)),
        }
    }
    let mut plain: Vec<String> = Vec::new();
    let mut secret: Vec<String> = Vec::new();
    for (name, value) in &env {
        let Some(value) = value.to_str() else {
            continue;
        };
        let is_secret = name.to_str().is_some_and(is_secret);
        if is_secret { &mut secret } else { &mut plain }.push(value.to_owned());
        if let Some(name) = name.to_str() {
            plain.push(name.to_owned());
        }
    }
    let wrote: Vec<&str> = plain.iter().map(String::as_str).collect();
    let candidates: Vec<&str> = secret.iter().map(String::as_str).collect();
    // `${env:APP_PIN}` in a plain field copies the variable's text on purpose: not a leak.
    let copied = wrote.iter().any(|t| t.contains("${env:"));
    let secrets = if copied {
        Vec::new()
    } else {
        checkable(&candidates, &wrote)
    };

    let debug = !wrote.iter().any(|t| t.contains("${"));
    let (texts, settings) = outcome(&env, explain, debug);
    if let Some((shown, text)) = first_shown(&texts, &secrets) {
        // Words of a message, or a leak? The same load with the secrets rotated tells.
        let rotated: Vec<(OsString, OsString)> = env
            .iter()
            .map(|(n, v)| match (n.to_str(), v.to_str()) {
                (Some(name), Some(value)) if is_secret(name) => (n.clone(), rotate(value).into()),
                _ => (n.clone(), v.clone()),
            })
            .collect();
        let (again, _) = outcome(&rotated, explain, debug);
        assert!(
            again.iter().any(|t| t.contains(shown)),
            "the secret {shown:?} is shown: {text}"
        );
    }

    let Some(s) = settings else { return };
    // A canonical number or bool, the only value given for its field, reads back as itself.
    let last = |var: &str| {
        let mut given = env
            .iter()
            .filter(|(n, _)| n.to_str().is_some_and(|n| n.eq_ignore_ascii_case(var)));
        match (given.next(), given.next()) {
            (Some((_, v)), None) => v.to_str().map(str::to_owned),
            _ => None,
        }
    };
    if let (Some(text), Some(port)) = (last("APP_PORT"), s.port) {
        if text.parse::<u16>().is_ok_and(|p| p.to_string() == text) {
            assert_eq!(port.to_string(), text);
        }
    }
    if let (Some(text), Some(big)) = (last("APP_BIG"), s.big) {
        if text.parse::<i64>().is_ok_and(|p| p.to_string() == text) {
            assert_eq!(big.to_string(), text);
        }
    }
    if let (Some(text), Some(flag)) = (last("APP_FLAG"), s.flag) {
        if text == "true" || text == "false" {
            assert_eq!(flag.to_string(), text);
        }
    }
});
