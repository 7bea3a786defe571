//! Parsing and formatting of durations such as `"30s"`, `"1h 30m"` or `"1.5"`.

use std::time::Duration;

/// What a duration looks like, appended to every parse error.
const EXPECTED: &str =
    "expected a duration like \"30s\", \"1h 30m\", \"250ms\" or a number of seconds";

/// Parses a duration.
///
/// Accepts a plain non-negative integer or decimal number of seconds
/// (`"45"`, `"1.5"`), or humantime syntax (`"30s"`, `"1h 30m"`, `"1h30m"`,
/// `"250ms"`, `"2days"`; units are case-sensitive, `M` is months and `m`
/// minutes). Surrounding whitespace is ignored. Precision finer than one
/// nanosecond is an error. Errors never contain the input.
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(format!("empty duration: {EXPECTED}"));
    }
    if s.starts_with('-') {
        return Err(format!("a duration cannot be negative: {EXPECTED}"));
    }
    if let Some(result) = parse_seconds(s) {
        return result;
    }
    humantime::parse_duration(s).map_err(|e| {
        // humantime's own messages may quote the input: never pass them on.
        let problem = match e {
            humantime::DurationError::Empty => "empty duration",
            humantime::DurationError::NumberOverflow => {
                "duration is too large or more precise than one nanosecond"
            }
            humantime::DurationError::UnknownUnit { unit, .. } if unit.is_empty() => {
                "missing time unit after a number"
            }
            humantime::DurationError::UnknownUnit { .. } => {
                "unknown time unit (supported: ns, us, ms, s, m, h, d, w, M for months, y)"
            }
            _ => "invalid duration",
        };
        format!("{problem}: {EXPECTED}")
    })
}

/// Parses `s` as a plain number of seconds (`digits[.digits]`).
///
/// Returns `None` when `s` is not of that shape, so that humantime syntax is
/// tried instead.
fn parse_seconds(s: &str) -> Option<Result<Duration, String>> {
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int_part.is_empty()
        || !all_digits(int_part)
        || !all_digits(frac_part)
        || (s.contains('.') && frac_part.is_empty())
    {
        return None;
    }
    let Ok(secs) = int_part.parse::<u64>() else {
        return Some(Err(format!("duration is too large: {EXPECTED}")));
    };
    let frac = frac_part.trim_end_matches('0');
    if frac.len() > 9 {
        return Some(Err(format!(
            "duration is more precise than one nanosecond: {EXPECTED}"
        )));
    }
    let mut nanos: u32 = 0;
    for (i, b) in frac.bytes().enumerate() {
        nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
    }
    Some(Ok(Duration::new(secs, nanos)))
}

/// Formats a duration in a human form that [`parse_duration`] reads back to
/// the same value, e.g. `1h 30m`, `1s 500ms`, or `0s` for zero.
pub(crate) fn format_duration(d: Duration) -> String {
    humantime::format_duration(d).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Duration {
        parse_duration(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn err(s: &str) -> String {
        parse_duration(s).expect_err(s)
    }

    #[test]
    fn plain_integer_seconds() {
        assert_eq!(ok("45"), Duration::from_secs(45));
        assert_eq!(ok("0"), Duration::ZERO);
        assert_eq!(ok("  7 "), Duration::from_secs(7));
        assert_eq!(ok("007"), Duration::from_secs(7));
        assert_eq!(ok("18446744073709551615"), Duration::from_secs(u64::MAX));
    }

    #[test]
    fn plain_decimal_seconds() {
        assert_eq!(ok("1.5"), Duration::from_millis(1500));
        assert_eq!(ok("0.25"), Duration::from_millis(250));
        assert_eq!(ok("0.000000001"), Duration::from_nanos(1));
        assert_eq!(ok("2.123456789"), Duration::new(2, 123_456_789));
        assert_eq!(ok("3.0"), Duration::from_secs(3));
        assert_eq!(ok("1.5000000000000"), Duration::from_millis(1500));
    }

    #[test]
    fn humantime_syntax() {
        assert_eq!(ok("30s"), Duration::from_secs(30));
        assert_eq!(ok("1h 30m"), Duration::from_secs(5400));
        assert_eq!(ok("1h30m"), Duration::from_secs(5400));
        assert_eq!(ok("250ms"), Duration::from_millis(250));
        assert_eq!(ok("2days"), Duration::from_secs(2 * 86400));
        assert_eq!(ok("1.5s"), Duration::from_millis(1500));
        assert_eq!(ok(" 10min "), Duration::from_secs(600));
        assert_eq!(ok("1w"), Duration::from_secs(7 * 86400));
        assert_eq!(ok("5us"), Duration::from_micros(5));
        assert_eq!(ok("3ns"), Duration::from_nanos(3));
        assert_eq!(ok("0s"), Duration::ZERO);
    }

    #[test]
    fn empty_is_error() {
        assert!(err("").starts_with("empty duration"));
        assert!(err(" \t ").starts_with("empty duration"));
    }

    #[test]
    fn negative_is_error() {
        assert!(err("-5").contains("negative"));
        assert!(err("-1.5").contains("negative"));
        assert!(err("-1h").contains("negative"));
    }

    #[test]
    fn unknown_unit_is_error() {
        let e = err("5 parsecs");
        assert!(e.starts_with("unknown time unit"), "{e}");
        assert!(e.contains("supported"));
        assert!(err("30S").starts_with("unknown time unit"));
    }

    #[test]
    fn missing_unit_is_error() {
        assert!(err("1h 30").starts_with("missing time unit"));
    }

    #[test]
    fn malformed_is_error() {
        for s in [
            "abc", "1.", ".5", "1..5", "1.2.3", "+5", "h", "1h-2m", "5 s s",
        ] {
            let e = err(s);
            assert!(e.contains(EXPECTED), "{s}: {e}");
        }
    }

    #[test]
    fn too_large_or_too_precise() {
        assert!(err("18446744073709551616").contains("too large"));
        assert!(err("99999999999999999999999h").contains("too large"));
        assert!(err("0.0000000001").contains("more precise"));
        assert!(err("1.5ns").contains("more precise"));
    }

    #[test]
    fn errors_never_echo_input() {
        for s in [
            "secretword",
            "5 secretunit",
            "12xyz34",
            "-424242",
            "1h secret",
            "\"quoted\"",
            "0.0000000001234",
        ] {
            let e = err(s);
            for fragment in ["secret", "xyz", "424242", "quoted", "1234"] {
                assert!(!e.contains(fragment), "{s}: {e}");
            }
        }
    }

    #[test]
    fn format_examples() {
        assert_eq!(format_duration(Duration::ZERO), "0s");
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h 30m");
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1s 500ms");
        assert_eq!(format_duration(Duration::from_secs(2 * 86400)), "2days");
    }

    #[test]
    fn format_round_trips() {
        let samples = [
            Duration::ZERO,
            Duration::from_nanos(1),
            Duration::from_nanos(1_001),
            Duration::from_micros(999_999),
            Duration::from_millis(1500),
            Duration::from_secs(59),
            Duration::from_secs(3661),
            Duration::from_secs(86_400 * 400),
            Duration::new(31_557_600 * 3 + 2_630_016 + 5, 123_456_789),
            Duration::new(123_456_789_012, 999_999_999),
            Duration::from_secs(u64::MAX),
            Duration::MAX,
        ];
        for d in samples {
            let text = format_duration(d);
            assert_eq!(parse_duration(&text), Ok(d), "{text}");
        }
    }
}
