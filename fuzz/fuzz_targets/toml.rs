//! The TOML walk against `toml`'s own document builder: for any text, both accept it with the
//! same tree or both refuse it; a refusal names a line of the text and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use settings_core::__fuzz;

fuzz_target!(|text: &str| {
    if let Err(difference) = __fuzz::toml_agrees(text) {
        panic!("{difference}");
    }
    if let Err((line, message)) = __fuzz::config_text("toml", text) {
        assert!(!message.is_empty());
        if let Some(line) = line {
            let lines = text.split('\n').count();
            assert!((1..=lines).contains(&line), "line {line} of {lines}");
        }
    }
});
