//! The counterpart of `literal_patterns.rs`: a program with a pattern that is not one literal
//! links the regex engine, and the check that `literal_patterns.rs` makes finds it.

use settings_core::Settings;
use settings_no_serde::links_the_regex_engine;

/// Where the service runs.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct Place {
    /// The cloud region.
    #[settings(regex = r"^[a-z]{2}-[a-z]+-\d$")]
    region: String,
}

#[test]
fn a_program_with_a_real_pattern_links_the_regex_engine() {
    let ok = Place::loader()
        .env_vars([("APP_REGION", "eu-west-1")])
        .load()
        .unwrap();
    assert_eq!(ok.region, "eu-west-1");
    let err = Place::loader()
        .env_vars([("APP_REGION", "Europe")])
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("region"), "{err}");

    assert!(links_the_regex_engine());
}
