//! A program whose `regex = "..."` patterns are all literals (`^https://`) links no regex
//! engine: the derive tests such a pattern with `starts_with` and friends, and the regex code is
//! reached only through the function `Pattern::new` stores for the other patterns. The regex
//! crates are about two fifths of a small program's release binary (3.7 MB against 2.2 MB for
//! bench/compile's 30-field struct). `regex_patterns.rs` is the counterpart: the same check
//! on a program with a real pattern, which must find the engine, so this one can fail.

use settings_core::Settings;
use settings_no_serde::links_the_regex_engine;

/// Where tokens come from.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct Auth {
    /// The token issuer.
    #[settings(regex = "^https://")]
    issuer: String,
}

#[test]
fn a_program_whose_patterns_are_literals_links_no_regex_engine() {
    let ok = Auth::loader()
        .env_vars([("APP_ISSUER", "https://auth.example.com")])
        .load()
        .unwrap();
    assert_eq!(ok.issuer, "https://auth.example.com");
    let err = Auth::loader()
        .env_vars([("APP_ISSUER", "http://auth.example.com")])
        .load()
        .unwrap_err();
    assert!(
        err.to_string().contains("must match the pattern ^https://"),
        "{err}"
    );

    assert!(!links_the_regex_engine());
}
