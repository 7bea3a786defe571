//! Validators: every built-in check at, just inside and just outside its bounds; several failures
//! in one load; inside nested structs, `Option`s, `Secret`s and collections.

use settings_core::{ByteSize, Error, IssueKind, Secret, Settings};
use std::collections::HashMap;
use std::time::Duration;

const NO_ENV: [(&str, &str); 0] = [];

fn constraint_paths(err: &Error) -> Vec<&str> {
    let mut paths: Vec<&str> = err
        .issues()
        .iter()
        .inspect(|i| assert_eq!(i.kind, IssueKind::Constraint, "{err}"))
        .map(|i| i.path.as_str())
        .collect();
    paths.sort_unstable();
    paths
}

#[test]
fn integer_range_inclusive_at_inside_and_outside_each_bound() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(range(min = -10, max = 10))]
        n: i32,
    }
    for ok in ["-10", "-9", "0", "9", "10"] {
        assert!(S::loader().env_vars([("APP_N", ok)]).load().is_ok(), "{ok}");
    }
    for bad in ["-11", "11"] {
        let err = S::loader().env_vars([("APP_N", bad)]).load().unwrap_err();
        assert_eq!(constraint_paths(&err), ["n"]);
        let i = &err.issues()[0];
        assert!(
            i.message.contains("at least -10 and at most 10"),
            "{}",
            i.message
        );
        assert!(i.message.contains(bad), "{}", i.message);
        assert_eq!(i.origin.as_deref(), Some("env var APP_N"));
    }
}

#[test]
fn exclusive_bounds_reject_the_bound_itself() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(range(gt = 0.0, lt = 1.0))]
        ratio: f64,
    }
    for ok in ["0.0001", "0.5", "0.9999"] {
        assert!(S::loader().env_vars([("RATIO", ok)]).load().is_ok(), "{ok}");
    }
    for bad in ["0", "1", "-0.5", "1.5"] {
        let err = S::loader().env_vars([("RATIO", bad)]).load().unwrap_err();
        assert_eq!(constraint_paths(&err), ["ratio"], "{bad}");
        assert!(
            err.issues()[0]
                .message
                .contains("greater than 0.0 and less than 1.0")
        );
    }
}

#[test]
fn one_sided_ranges() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(range(min = 1))]
        workers: u8,
        #[settings(range(max = 100))]
        percent: u8,
    }
    let ok = S::loader()
        .env_vars([("WORKERS", "255"), ("PERCENT", "0")])
        .load()
        .unwrap();
    assert_eq!((ok.workers, ok.percent), (255, 0));
    let err = S::loader()
        .env_vars([("WORKERS", "0"), ("PERCENT", "101")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["percent", "workers"]);
}

#[test]
fn duration_and_byte_size_ranges_take_strings() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(range(min = "1s", max = "1h"))]
        timeout: Duration,
        #[settings(range(max = "1 MiB"))]
        body_limit: ByteSize,
    }
    let s = S::loader()
        .env_vars([("TIMEOUT", "1s"), ("BODY_LIMIT", "1MiB")])
        .load()
        .unwrap();
    assert_eq!(s.timeout, Duration::from_secs(1));
    assert_eq!(s.body_limit, ByteSize(1 << 20));
    assert!(
        S::loader()
            .env_vars([("TIMEOUT", "1h"), ("BODY_LIMIT", "0")])
            .load()
            .is_ok()
    );
    let err = S::loader()
        .env_vars([("TIMEOUT", "999ms"), ("BODY_LIMIT", "1048577")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["body_limit", "timeout"]);
    let err = S::loader()
        .env_vars([("TIMEOUT", "1h 1s"), ("BODY_LIMIT", "1")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["timeout"]);
}

#[test]
fn len_counts_characters_not_bytes_and_items_of_collections() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(len(min = 2, max = 4))]
        code: String,
        #[settings(len(max = 2))]
        hosts: Vec<String>,
        #[settings(len(min = 1))]
        labels: HashMap<String, String>,
    }
    let s = S::loader()
        .env_vars([
            ("CODE", "ééé"),
            ("HOSTS", "a,b"),
            ("LABELS", r#"{"a":"b"}"#),
        ])
        .load()
        .unwrap();
    assert_eq!(s.code, "ééé");
    let err = S::loader()
        .env_vars([("CODE", "ééééé"), ("HOSTS", "a,b,c"), ("LABELS", "{}")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["code", "hosts", "labels"]);
    let code = err.issues().iter().find(|i| i.path == "code").unwrap();
    assert!(
        code.message
            .contains("from 2 to 4 characters, found 5 characters"),
        "{}",
        code.message
    );
}

#[test]
fn regex_url_and_one_of_apply_to_each_element_of_a_list() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(regex = "^[a-z]+$", len(min = 1))]
        names: Vec<String>,
        #[settings(url(schemes = ["https"]))]
        endpoints: Vec<String>,
        #[settings(one_of = ["read", "write"])]
        scopes: Vec<String>,
    }
    let s = S::loader()
        .env_vars([
            ("NAMES", "alpha,beta"),
            ("ENDPOINTS", "https://a.example,https://b.example"),
            ("SCOPES", "read"),
        ])
        .load()
        .unwrap();
    assert_eq!(s.names, ["alpha", "beta"]);
    let err = S::loader()
        .env_vars([
            ("NAMES", "alpha,Beta9"),
            ("ENDPOINTS", "https://a.example,http://b.example"),
            ("SCOPES", "read,admin"),
        ])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["endpoints", "names", "scopes"]);
    for i in err.issues() {
        assert!(i.message.starts_with("item [1] "), "{}", i.message);
    }
}

#[test]
fn url_checks_strings_and_url_fields() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(url)]
        home: String,
        #[settings(url(schemes = ["postgres", "postgresql"]))]
        db: url::Url,
    }
    assert!(
        S::loader()
            .env_vars([("HOME", "https://example.com"), ("DB", "postgresql://db/x")])
            .load()
            .is_ok()
    );
    let err = S::loader()
        .env_vars([("HOME", "/relative/path"), ("DB", "mysql://db/x")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["db", "home"]);
    // A Url field that does not parse is Invalid: its type already says so.
    let err = S::loader()
        .env_vars([("HOME", "https://example.com"), ("DB", "not a url")])
        .load()
        .unwrap_err();
    assert_eq!(err.issues()[0].kind, IssueKind::Invalid);
}

#[test]
fn one_of_on_numbers_and_ignoring_case() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(one_of = [1, 2, 4, 8])]
        shards: u32,
        #[settings(one_of(values = ["json", "text"], ignore_case))]
        format: String,
        #[settings(one_of = ["json", "text"])]
        strict: String,
    }
    let s = S::loader()
        .env_vars([("SHARDS", "8"), ("FORMAT", "JSON"), ("STRICT", "text")])
        .load()
        .unwrap();
    // The application gets the allowed spelling, whatever case the source wrote.
    assert_eq!((s.shards, s.format.as_str()), (8, "json"));
    let report = S::loader()
        .env_vars([("SHARDS", "8"), ("FORMAT", "Text"), ("STRICT", "text")])
        .explain()
        .unwrap();
    assert_eq!(report.get("format").unwrap().value, "text");

    // Each item of a list, given as JSON or as one text.
    #[derive(Settings, Debug)]
    struct L {
        #[settings(one_of(values = ["json", "text"], ignore_case))]
        formats: Vec<String>,
    }
    for given in ["JSON, Text", r#"["JSON", "Text"]"#] {
        let l = L::loader().env_vars([("FORMATS", given)]).load().unwrap();
        assert_eq!(l.formats, ["json", "text"], "{given}");
    }
    let err = S::loader()
        .env_vars([("SHARDS", "3"), ("FORMAT", "yaml"), ("STRICT", "Text")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["format", "shards", "strict"]);
}

#[test]
fn options_are_checked_only_when_present() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(range(min = 1, max = 10))]
        retries: Option<u32>,
        #[settings(regex = "^v[0-9]+$")]
        version: Option<String>,
    }
    let s = S::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!((s.retries, s.version), (None, None));
    let s = S::loader()
        .env_vars([("RETRIES", ""), ("VERSION", "v2")])
        .load()
        .unwrap();
    assert_eq!(s.version.as_deref(), Some("v2"));
    let err = S::loader()
        .env_vars([("RETRIES", "11"), ("VERSION", "2")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["retries", "version"]);
}

#[test]
fn secrets_are_checked_inside_and_never_quoted() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(len(min = 12), regex = "[0-9]")]
        password: Secret<String>,
        #[settings(secret, one_of = ["a-token", "b-token"])]
        token: String,
    }
    let err = S::loader()
        .env_vars([("PASSWORD", "hunter"), ("TOKEN", "leaked-token-value")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["password", "password", "token"]);
    let all = format!("{err}\n{err:?}");
    assert!(!all.contains("hunter"), "{all}");
    assert!(!all.contains("leaked-token-value"), "{all}");
}

#[test]
fn nested_validators_report_full_paths() {
    #[derive(Settings, Debug)]
    struct Pool {
        #[settings(range(min = 1, max = 100))]
        size: u32,
    }
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(url(schemes = ["postgres"]))]
        url: String,
        #[settings(nested)]
        pool: Pool,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(nested)]
        db: Db,
    }
    let err = S::loader()
        .env_vars([("APP_DB__URL", "redis://x"), ("APP_DB__POOL__SIZE", "0")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["db.pool.size", "db.url"]);
    let size = err
        .issues()
        .iter()
        .find(|i| i.path == "db.pool.size")
        .unwrap();
    assert_eq!(size.origin.as_deref(), Some("env var APP_DB__POOL__SIZE"));
}

#[test]
fn every_problem_of_a_load_is_reported_together() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(range(min = 1, max = 65535))]
        port: u32,
        #[settings(len(min = 3))]
        name: String,
        #[settings(one_of = ["debug", "info"])]
        level: String,
        missing: String,
        count: u8,
    }
    let err = S::loader()
        .env_vars([
            ("APP_PORT", "0"),
            ("APP_NAME", "x"),
            ("APP_LEVEL", "loud"),
            ("APP_COUNT", "999"),
        ])
        .load()
        .unwrap_err();
    let mut kinds: Vec<(String, IssueKind)> = err
        .issues()
        .iter()
        .map(|i| (i.path.clone(), i.kind))
        .collect();
    kinds.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        kinds,
        [
            ("count".to_string(), IssueKind::Invalid),
            ("level".to_string(), IssueKind::Constraint),
            ("missing".to_string(), IssueKind::Missing),
            ("name".to_string(), IssueKind::Constraint),
            ("port".to_string(), IssueKind::Constraint),
        ]
    );
}

#[test]
fn custom_checks_run_after_builtins_and_struct_checks_after_fields() {
    fn even(n: &u32) -> Result<(), String> {
        if n.is_multiple_of(2) {
            Ok(())
        } else {
            Err(format!("must be even, found {n}"))
        }
    }
    fn ordered(s: &S) -> Result<(), String> {
        if s.low <= s.high {
            Ok(())
        } else {
            Err("low must not exceed high".into())
        }
    }
    #[derive(Settings, Debug)]
    #[settings(validate = ordered)]
    struct S {
        #[settings(range(max = 10), validate = even)]
        low: u32,
        high: u32,
    }
    assert!(
        S::loader()
            .env_vars([("LOW", "4"), ("HIGH", "6")])
            .load()
            .is_ok()
    );
    // The built-in check fails first: the custom one does not run, nor does the struct check.
    let err = S::loader()
        .env_vars([("LOW", "11"), ("HIGH", "1")])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 1, "{err}");
    assert!(err.issues()[0].message.contains("at most 10"));
    let err = S::loader()
        .env_vars([("LOW", "3"), ("HIGH", "6")])
        .load()
        .unwrap_err();
    assert_eq!(err.issues()[0].message, "must be even, found 3");
    let err = S::loader()
        .env_vars([("LOW", "8"), ("HIGH", "6")])
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 1);
    assert_eq!(err.issues()[0].path, "");
    assert_eq!(err.issues()[0].kind, IssueKind::Constraint);
}

#[test]
fn nested_struct_level_check_reports_the_nested_path() {
    fn consistent(p: &Pool) -> Result<(), String> {
        if p.min <= p.max {
            Ok(())
        } else {
            Err("min must not exceed max".into())
        }
    }
    #[derive(Settings, Debug)]
    #[settings(validate = consistent)]
    struct Pool {
        min: u32,
        max: u32,
    }
    #[derive(Settings, Debug)]
    struct S {
        #[settings(nested)]
        pool: Pool,
    }
    let err = S::loader()
        .env_vars([("POOL__MIN", "9"), ("POOL__MAX", "1")])
        .load()
        .unwrap_err();
    assert_eq!(err.issues()[0].path, "pool");
    assert_eq!(err.issues()[0].message, "min must not exceed max");
}

/// `validate = fn` on a `nested` field sees the loaded struct (an `Option`'s only when present),
/// after the struct's own checks, and reports at the field's path.
#[test]
fn a_nested_fields_check_sees_the_whole_struct_at_its_path() {
    fn small(p: &Pool) -> Result<(), String> {
        if p.size <= 10 {
            Ok(())
        } else {
            Err(format!("a pool of {} is too big for this service", p.size))
        }
    }
    #[derive(Settings, Debug)]
    struct Pool {
        #[settings(range(max = 100))]
        size: u32,
    }
    #[derive(Settings, Debug)]
    struct S {
        #[settings(nested, validate = small)]
        pool: Pool,
        #[settings(nested, validate = small)]
        spare: Option<Pool>,
    }
    let s = S::loader().env_vars([("POOL__SIZE", "4")]).load().unwrap();
    assert_eq!(s.pool.size, 4);
    assert!(s.spare.is_none());
    let err = S::loader()
        .env_vars([("POOL__SIZE", "50"), ("SPARE__SIZE", "11")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["pool", "spare"], "{err}");
    assert_eq!(
        err.issues()[0].message,
        "a pool of 50 is too big for this service"
    );
    // The struct's own check fails first; the field's check does not run on a bad struct.
    let err = S::loader()
        .env_vars([("POOL__SIZE", "500")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["pool.size"], "{err}");
}

#[test]
fn defaults_are_validated_like_any_value() {
    #[derive(Settings, Debug)]
    struct S {
        #[settings(default = "30s", range(min = "1s", max = "1m"))]
        timeout: Duration,
        #[settings(default = ["localhost"], len(min = 1), regex = "^[a-z.]+$")]
        hosts: Vec<String>,
    }
    let s = S::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!(s.timeout, Duration::from_secs(30));
    let err = S::loader()
        .env_vars([("TIMEOUT", "2m")])
        .load()
        .unwrap_err();
    assert_eq!(constraint_paths(&err), ["timeout"]);
}

/// A value the type cannot hold and that breaks the declared range reads as the range its author
/// declared, not as the type's: `must be at least 1 and at most 65535, found 70000`.
#[test]
fn a_declared_range_is_reported_over_the_types() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(range(min = 1, max = 65535))]
        port: u16,
        #[settings(range(max = 10), default = 1)]
        retries: u8,
        #[settings(default = 1)]
        plain: u8,
    }

    let dir = tempfile::tempdir().unwrap();
    let file = crate::write(dir.path(), "app.toml", "retries = 300\n");
    let err = S::loader()
        .env_vars([("APP_PORT", "70000"), ("APP_PLAIN", "300")])
        .file(&file)
        .load()
        .unwrap_err();
    let port = crate::issue(&err, "port");
    assert_eq!(port.kind, IssueKind::Constraint);
    assert_eq!(
        port.message,
        "must be at least 1 and at most 65535, found 70000"
    );
    let retries = crate::issue(&err, "retries");
    assert_eq!(retries.message, "must be at most 10, found 300");
    // Without a declared range, the type's.
    let plain = crate::issue(&err, "plain");
    assert_eq!(plain.kind, IssueKind::Invalid);
    assert!(plain.message.contains("from 0 to 255"), "{err}");

    // In range: loads as before.
    let s = S::loader().env_vars([("APP_PORT", "8080")]).load().unwrap();
    assert_eq!(s.port, 8080);
}
