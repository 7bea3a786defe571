//! Feature flags as a user sees them: rollout distribution and stability, the order of the
//! rules, and `Flags` loaded as a settings field from files and environment variables.
//!
//! No test reads or changes the process environment: every load passes `.env_vars`.

use crate::{NO_ENV, only, write};
use settings_core::flags::{Flag, Flags, bucket};
use settings_core::{IssueKind, Settings};

const KEYS: usize = 100_000;

fn one(name: &str, flag: Flag) -> Flags {
    [(name, flag)].into_iter().collect()
}

/// The share of `keys` the flag is on for, in percent.
fn measured(flags: &Flags, name: &str, keys: impl Iterator<Item = String>) -> f64 {
    let (mut on, mut all) = (0usize, 0usize);
    for key in keys {
        all += 1;
        on += usize::from(flags.is_enabled_for(name, &key));
    }
    on as f64 * 100.0 / all as f64
}

/// Makes the i-th key of one shape.
type KeyShape = fn(usize) -> String;

#[test]
fn rollouts_reach_their_percentage_within_two_points() {
    let shapes: [(&str, KeyShape); 3] = [
        ("user-N", |i| format!("user-{i}")),
        ("N", |i| i.to_string()),
        ("tenant-N@example.com", |i| {
            format!("tenant-{i}@example.com")
        }),
    ];
    let mut worst: f64 = 0.0;
    for target in [1.0, 12.5, 25.0, 50.0, 99.0] {
        let flags = one("new_checkout", Flag::new(true).with_rollout(target));
        for (shape, key) in shapes {
            let got = measured(&flags, "new_checkout", (0..KEYS).map(key));
            let error = (got - target).abs();
            println!(
                "rollout {target:>4}%, keys {shape:<22} measured {got:.3}% (off by {error:.3})"
            );
            assert!(
                error < 2.0,
                "rollout {target}% over {KEYS} keys `{shape}` gave {got}%"
            );
            worst = worst.max(error);
        }
    }
    // The bound of the contract is 2 points; a sound hash does far better over 100 000 keys
    // (one standard deviation at 50% is 0.16 points).
    assert!(worst < 0.75, "worst error {worst} points");
}

#[test]
fn different_flags_pick_different_keys() {
    let flags: Flags = [
        ("a", Flag::new(true).with_rollout(50.0)),
        ("b", Flag::new(true).with_rollout(50.0)),
    ]
    .into_iter()
    .collect();
    let both = (0..KEYS)
        .map(|i| format!("user-{i}"))
        .filter(|k| flags.is_enabled_for("a", k) && flags.is_enabled_for("b", k))
        .count();
    // Independent halves overlap on about a quarter of the keys.
    let share = both as f64 * 100.0 / KEYS as f64;
    assert!((share - 25.0).abs() < 2.0, "overlap {share}%");
}

#[test]
fn raising_a_rollout_keeps_every_key_already_in() {
    let at = |p| one("f", Flag::new(true).with_rollout(p));
    let (low, high) = (at(12.5), at(25.0));
    for key in (0..10_000).map(|i| format!("user-{i}")) {
        if low.is_enabled_for("f", &key) {
            assert!(high.is_enabled_for("f", &key), "{key} left the rollout");
        }
    }
}

/// The specification in `settings_core::flags::bucket`, written out again from its docs.
fn bucket_by_the_spec(flag: &str, key: &str) -> u64 {
    let mut input = Vec::new();
    input.extend_from_slice(flag.as_bytes());
    input.push(0x00);
    input.extend_from_slice(key.as_bytes());
    let mut h: u64 = 0xcbf29ce484222325;
    for byte in input {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x100000001b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    h % 10_000
}

#[test]
fn buckets_are_the_same_in_every_process() {
    // Hard-coded, so that a change of the hash (a new std, a new release) fails here: every
    // process of a fleet must put a key in the same bucket. The values were computed by an
    // independent implementation of the documented specification (in Python).
    let expected = [
        ("new_checkout", "user-42", 6745),
        ("new_checkout", "user-1", 5013),
        ("new_checkout", "", 3093),
        ("dark_mode", "tenant-7", 5050),
        ("search_v2", "ü-ñ", 3198),
        ("", "", 2267),
    ];
    for (flag, key, b) in expected {
        assert_eq!(bucket(flag, key), b, "bucket of ({flag:?}, {key:?})");
        assert_eq!(u64::from(bucket(flag, key)), bucket_by_the_spec(flag, key));
    }
    for key in (0..1_000).map(|i| format!("key-{i}")) {
        assert_eq!(
            u64::from(bucket("new_checkout", &key)),
            bucket_by_the_spec("new_checkout", &key)
        );
    }
}

#[test]
fn a_key_is_in_when_its_bucket_is_below_the_rollout() {
    // ("new_checkout", "user-42") is in bucket 6745: in at 67.46%, out at 67.45%.
    let key = "user-42";
    let at = |p| one("new_checkout", Flag::new(true).with_rollout(p));
    assert!(at(67.46).is_enabled_for("new_checkout", key));
    assert!(!at(67.45).is_enabled_for("new_checkout", key));
    // ("new_checkout", "user-1") is in bucket 5013: in at 50.14%, out at 50%.
    assert!(at(50.14).is_enabled_for("new_checkout", "user-1"));
    assert!(!at(50.0).is_enabled_for("new_checkout", "user-1"));
}

#[test]
fn allow_beats_a_rollout_of_zero() {
    let flags = one("f", Flag::new(true).with_rollout(0.0).with_allow(["qa-1"]));
    assert!(flags.is_enabled_for("f", "qa-1"));
    assert!(!flags.is_enabled_for("f", "qa-2"));
    assert!(!flags.is_enabled("f"));
}

#[test]
fn deny_beats_allow_and_a_full_rollout() {
    let flags = one(
        "f",
        Flag::new(true)
            .with_allow(["bot-1", "qa-1"])
            .with_deny(["bot-1", "bot-2"]),
    );
    assert!(!flags.is_enabled_for("f", "bot-1"));
    assert!(!flags.is_enabled_for("f", "bot-2"));
    assert!(flags.is_enabled_for("f", "qa-1"));
    assert!(flags.is_enabled_for("f", "anyone"));
    // Without a key no list applies: on for everyone outside them.
    assert!(flags.is_enabled("f"));
}

#[test]
fn disabled_beats_allow() {
    let flags = one("f", Flag::new(false).with_allow(["qa-1"]));
    assert!(!flags.is_enabled_for("f", "qa-1"));
    assert!(!flags.is_enabled("f"));
}

#[test]
fn an_unknown_flag_is_off() {
    let flags = one("known", Flag::new(true));
    assert!(!flags.is_enabled("unknown"));
    assert!(!flags.is_enabled_for("unknown", "user-1"));
    assert!(!Flags::default().is_enabled("known"));
    assert_eq!(flags.get("unknown"), None);
}

#[test]
fn a_bool_flag_answers_the_same_for_every_key() {
    let flags: Flags = [("on", Flag::new(true)), ("off", Flag::new(false))]
        .into_iter()
        .collect();
    assert!(flags.is_enabled("on"));
    assert!(!flags.is_enabled("off"));
    for key in (0..10_000)
        .map(|i| format!("user-{i}"))
        .chain([String::new()])
    {
        assert!(flags.is_enabled_for("on", &key));
        assert!(!flags.is_enabled_for("off", &key));
    }
}

#[test]
fn a_partial_rollout_is_off_without_a_key() {
    let flags = one("f", Flag::new(true).with_rollout(99.0));
    assert!(!flags.is_enabled("f"));
    // Rounded to hundredths, 99.999 is a full rollout.
    assert!(one("f", Flag::new(true).with_rollout(99.999)).is_enabled("f"));
}

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct App {
    #[settings(default = 8000)]
    port: u16,
    #[settings(default)]
    flags: Flags,
}

#[test]
fn flags_load_from_a_toml_table_in_both_forms() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "settings.toml",
        r#"
port = 9000

[flags]
dark_mode = true
legacy_export = false
beta = { enabled = false, allow = ["qa-1"] }

[flags.new_checkout]
rollout = 12.5
allow = ["user-1"]
deny = ["bot-1"]
"#,
    );
    let app = App::loader().env_vars(NO_ENV).file(&file).load().unwrap();
    assert_eq!(app.port, 9000);
    let flags = &app.flags;
    assert_eq!(
        flags.names().collect::<Vec<_>>(),
        ["beta", "dark_mode", "legacy_export", "new_checkout"]
    );
    assert!(flags.is_enabled("dark_mode"));
    assert!(!flags.is_enabled("legacy_export"));
    assert!(!flags.is_enabled_for("beta", "qa-1"));
    let checkout = flags.get("new_checkout").unwrap();
    assert!(checkout.enabled(), "`enabled` defaults to true in a table");
    assert_eq!(checkout.rollout(), 12.5);
    assert!(checkout.allow().contains("user-1"));
    assert!(flags.is_enabled_for("new_checkout", "user-1"));
    assert!(!flags.is_enabled_for("new_checkout", "bot-1"));
    let share = measured(flags, "new_checkout", (0..KEYS).map(|i| format!("u{i}")));
    assert!((share - 12.5).abs() < 2.0, "{share}");

    assert_eq!(
        *flags,
        [
            ("dark_mode", Flag::new(true)),
            ("legacy_export", Flag::new(false)),
            ("beta", Flag::new(false).with_allow(["qa-1"])),
            (
                "new_checkout",
                Flag::new(true)
                    .with_rollout(12.5)
                    .with_allow(["user-1"])
                    .with_deny(["bot-1"])
            ),
        ]
        .into_iter()
        .collect::<Flags>()
    );
}

#[test]
fn flags_load_from_yaml_and_from_ini_text() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = write(
        dir.path(),
        "settings.yaml",
        "flags:\n  a: on\n  b:\n    rollout: 5\n    allow: [x]\n",
    );
    let app = App::loader().env_vars(NO_ENV).file(&yaml).load().unwrap();
    assert!(app.flags.is_enabled("a"));
    assert_eq!(
        app.flags.get("b"),
        Some(&Flag::new(true).with_rollout(5.0).with_allow(["x"]))
    );

    // INI values are text: bool words are flags.
    let ini = write(
        dir.path(),
        "settings.ini",
        "[flags]\nnew_checkout = Yes\nlegacy = 0\n",
    );
    let app = App::loader().env_vars(NO_ENV).file(&ini).load().unwrap();
    assert!(app.flags.is_enabled("new_checkout"));
    assert_eq!(app.flags.get("legacy"), Some(&Flag::new(false)));
}

#[test]
fn flags_load_from_json_in_an_environment_variable() {
    let app = App::loader()
        .env_vars([(
            "APP_FLAGS",
            r#"{"new_checkout": {"enabled": true, "rollout": 50}}"#,
        )])
        .load()
        .unwrap();
    let checkout = app.flags.get("new_checkout").unwrap();
    assert_eq!(checkout.rollout(), 50.0);
    assert!(!app.flags.is_enabled("new_checkout"));
    let share = measured(&app.flags, "new_checkout", (0..KEYS).map(|i| i.to_string()));
    assert!((share - 50.0).abs() < 2.0, "{share}");
}

#[test]
fn text_values_in_the_environment_are_understood() {
    let app = App::loader()
        .env_vars([(
            "APP_FLAGS",
            r#"{"a": "yes", "b": "OFF", "c": {"enabled": "on", "rollout": "12.5", "deny": "x,y"}}"#,
        )])
        .load()
        .unwrap();
    assert!(app.flags.is_enabled("a"));
    assert!(!app.flags.is_enabled("b"));
    let c = app.flags.get("c").unwrap();
    assert!(c.enabled());
    assert_eq!(c.rollout(), 12.5);
    assert_eq!(c.deny().iter().collect::<Vec<_>>(), ["x", "y"]);
}

#[test]
fn flags_default_to_none_and_an_empty_variable_is_no_flags() {
    let app = App::loader().env_vars(NO_ENV).load().unwrap();
    assert!(app.flags.is_empty());
    let app = App::loader().env_vars([("APP_FLAGS", "")]).load().unwrap();
    assert!(app.flags.is_empty());
}

#[test]
fn a_rollout_above_100_fails_the_load_at_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "settings.toml",
        "[flags.new_checkout]\nrollout = 150\n",
    );
    let err = App::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .load()
        .unwrap_err();
    let issue = only(&err);
    assert_eq!(issue.kind, IssueKind::Invalid);
    assert_eq!(issue.path, "flags");
    assert_eq!(
        issue.message,
        "at .new_checkout.rollout: expected a percentage from 0 to 100, found 150"
    );
    assert!(
        issue
            .origin
            .as_deref()
            .unwrap_or_default()
            .contains("settings.toml"),
        "{issue:?}"
    );

    let err = App::loader()
        .env_vars([("APP_FLAGS", r#"{"f": {"rollout": "-1"}}"#)])
        .load()
        .unwrap_err();
    let issue = only(&err);
    assert_eq!(
        (issue.kind, issue.path.as_str()),
        (IssueKind::Invalid, "flags")
    );
    assert!(
        issue
            .message
            .ends_with("expected a percentage from 0 to 100, found \"-1\""),
        "{}",
        issue.message
    );
    assert_eq!(issue.origin.as_deref(), Some("env var APP_FLAGS"));
}

#[test]
fn other_bad_flags_fail_the_load_with_the_rule_they_break() {
    let load = |json: &str| {
        let err = App::loader()
            .env_vars([("APP_FLAGS", json)])
            .load()
            .unwrap_err();
        let issue = only(&err).clone();
        assert_eq!(
            (issue.kind, issue.path.as_str()),
            (IssueKind::Invalid, "flags")
        );
        issue.message
    };
    assert_eq!(
        load(r#"{"f": {"rolout": 5}}"#),
        "at .f: unknown field \"rolout\", expected one of `enabled`, `rollout`, `allow`, `deny`"
    );
    assert!(load(r#"{"f": {"rollout": "half"}}"#).contains("found \"half\""));
    assert!(load(r#"{"f": "maybe"}"#).contains("expected a boolean"));
    assert!(load(r#"{"f": {"enabled": "sometimes"}}"#).starts_with("at .f.enabled: "));
    assert!(load("not json").contains("a table or a JSON object"));
}
