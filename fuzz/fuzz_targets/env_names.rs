//! Environment-name mapping: any name maps to at most one field, the same one in any ASCII case
//! (unless names are case-sensitive, where only an exact name maps), only through one of that
//! field's names; and a load with the variable set agrees: a field set, an `Unknown` issue for a
//! prefixed name that sets nothing (`deny_unknown_env`; a name that is not UTF-8 too), or
//! nothing at all.
#![no_main]

use libfuzzer_sys::fuzz_target;
use settings_core::__fuzz::EnvNames;
use settings_core::{IssueKind, Settings};
use settings_fuzz::{check_error, ExactNames, Names};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt as _;
use std::sync::OnceLock;

struct Tables {
    names: EnvNames,
    names_all: Vec<(String, Vec<String>)>,
    exact: EnvNames,
    exact_all: Vec<(String, Vec<String>)>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let names = EnvNames::of::<Names>();
        let exact = EnvNames::of::<ExactNames>();
        let t = Tables {
            names_all: names.all(),
            exact_all: exact.all(),
            names,
            exact,
        };
        // Every field's own names map back to it.
        for (table, all) in [(&t.names, &t.names_all), (&t.exact, &t.exact_all)] {
            for (path, names) in all {
                for name in names {
                    assert_eq!(table.lookup(name).as_ref(), Some(path), "{name}");
                }
            }
        }
        t
    })
}

fn names_of<'a>(all: &'a [(String, Vec<String>)], path: &str) -> &'a [String] {
    &all.iter().find(|(p, _)| p == path).expect("a known path").1
}

fn check_name(name: &str) {
    let t = tables();

    // Any case maps to the same field; only through one of the field's names.
    let found = t.names.lookup(name);
    assert_eq!(
        found,
        t.names.lookup(&name.to_ascii_uppercase()),
        "{name:?}"
    );
    assert_eq!(
        found,
        t.names.lookup(&name.to_ascii_lowercase()),
        "{name:?}"
    );
    if let Some(path) = &found {
        assert!(
            names_of(&t.names_all, path)
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name)),
            "{name:?} sets {path} through none of its names"
        );
        assert_eq!(t.names.lookup_entry(name).as_ref(), Some(path));
    }
    // A directory entry may also leave the prefix out.
    if let Some(path) = t.names.lookup_entry(name) {
        if found.is_none() {
            let with_prefix = format!("APP_{name}");
            assert_eq!(t.names.lookup(&with_prefix), Some(path), "{name:?}");
        }
    }

    // Case-sensitive: exact names only.
    if let Some(path) = t.exact.lookup(name) {
        assert!(
            names_of(&t.exact_all, &path).iter().any(|n| n == name),
            "{name:?} sets {path} but is none of its names"
        );
    }

    // A load agrees with the mapping.
    let has_prefix =
        name.len() > 4 && name.is_char_boundary(4) && name[..4].eq_ignore_ascii_case("APP_");
    let special = ["APP_PROFILE", "APP_AGE_KEY", "APP_AGE_KEY_FILE"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name));
    // `NAME_FILE` of a setting's name reads the file its value names: `{}` is none here.
    let via_file = t.names.lookup_file(name);
    if let Some(path) = &via_file {
        assert!(found.is_none(), "{name:?} sets a field and names a file");
        assert_eq!(
            t.names.lookup_file(&name.to_ascii_lowercase()).as_ref(),
            Some(path)
        );
    }
    match Names::loader().env_vars([(name, "{}")]).load() {
        Ok(_) => assert!(
            (found.is_some() || !has_prefix || special) && via_file.is_none(),
            "{name:?} carries the prefix, sets nothing and was not reported"
        ),
        Err(err) if via_file.is_some() => {
            check_error(&err, &[]);
            assert_eq!(err.issues().len(), 1, "{err}");
            assert_eq!(err.issues()[0].kind, IssueKind::Source, "{err}");
            assert_eq!(Some(&err.issues()[0].path), via_file.as_ref(), "{err}");
        }
        Err(err) => {
            check_error(&err, &[]);
            assert!(found.is_none() && has_prefix, "{name:?}: {err}");
            assert_eq!(err.issues().len(), 1, "{err}");
            assert_eq!(err.issues()[0].kind, IssueKind::Unknown, "{err}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    match std::str::from_utf8(data) {
        Ok(text) => {
            for name in text.split('\n') {
                check_name(name);
            }
        }
        // A name that is not UTF-8 sets nothing. Shown with U+FFFD for its bytes, one that
        // carries the prefix is reported like any prefixed name that sets nothing (an
        // `Unknown` issue under `deny_unknown_env`); any other is not.
        Err(_) => {
            let shown = String::from_utf8_lossy(data).into_owned();
            let prefixed = tables().names.has_prefix(&shown);
            let name = OsString::from_vec(data.to_vec());
            match Names::loader().env_vars([(name, "1")]).load() {
                Ok(_) => assert!(!prefixed, "{shown:?} carries the prefix and was not reported"),
                Err(err) => {
                    check_error(&err, &[]);
                    assert!(prefixed, "a name without the prefix failed the load: {err}");
                    assert_eq!(err.issues().len(), 1, "{err}");
                    assert_eq!(err.issues()[0].kind, IssueKind::Unknown, "{err}");
                }
            }
        }
    }
});
