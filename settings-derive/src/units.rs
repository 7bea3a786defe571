//! Durations and byte sizes written as strings in attributes (`range(min = "1s")`,
//! `default = "512k"`), so that bounds and defaults can be compared at compile time.
//!
//! The grammars are the runtime's: a duration is a plain number of seconds or else what
//! `humantime` reads (`settings-core/src/duration.rs`), a byte size is what
//! `settings-core/src/bytesize.rs` documents. A string this module accepts loads, and one it
//! rejects fails the load; the tests at the bottom hold this module to `humantime` and to the
//! documented byte-size table.

const NANOS_PER_SEC: u64 = 1_000_000_000;

/// Nanoseconds in a duration like `"30s"`, `"1h 30m"`, `"1.5h"`, `"250ms"` or a plain number of
/// seconds (`"45"`, `"1.5"`); `None` where a load would report an invalid duration.
pub(crate) fn duration_nanos(text: &str) -> Option<u128> {
    let t = text.trim();
    match plain_seconds(t) {
        Some(seconds) => seconds,
        None => terms(t),
    }
}

/// `digits` or `digits.digits`, read as seconds to the nanosecond; `None` when `t` has another
/// shape, `Some(None)` when it has this one but no duration fits it.
fn plain_seconds(t: &str) -> Option<Option<u128>> {
    let (whole, fraction) = match t.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    let Ok(seconds) = whole.parse::<u64>() else {
        return Some(None);
    };
    let fraction = fraction.unwrap_or("").trim_end_matches('0');
    if fraction.len() > 9 {
        return Some(None);
    }
    let nanos: u64 = format!("{fraction:0<9}").parse().ok()?;
    Some(Some(
        u128::from(seconds) * u128::from(NANOS_PER_SEC) + u128::from(nanos),
    ))
}

/// How one unit scales a number: to nanoseconds or to whole seconds.
#[derive(Clone, Copy)]
enum Scale {
    Nanos(u64),
    Secs(u64),
}

/// A unit's scale for the whole part of a number, and for its fraction (`None`: no fraction).
/// Fractions of an hour and up must come to whole seconds, as in humantime.
fn unit(name: &str) -> Option<(Scale, Option<Scale>)> {
    use Scale::{Nanos, Secs};
    let scales = match name {
        "nanos" | "nsec" | "ns" => (Nanos(1), None),
        "usec" | "us" | "µs" => (Nanos(1_000), Some(Nanos(1_000))),
        "millis" | "msec" | "ms" => (Nanos(1_000_000), Some(Nanos(1_000_000))),
        "seconds" | "second" | "secs" | "sec" | "s" => (Secs(1), Some(Nanos(NANOS_PER_SEC))),
        "minutes" | "minute" | "mins" | "min" | "m" => (Secs(60), Some(Nanos(60 * NANOS_PER_SEC))),
        "hours" | "hour" | "hrs" | "hr" | "h" => (Secs(3_600), Some(Secs(3_600))),
        "days" | "day" | "d" => (Secs(86_400), Some(Secs(86_400))),
        "weeks" | "week" | "wks" | "wk" | "w" => (Secs(604_800), Some(Secs(604_800))),
        // 30.44 days and 365.25 days.
        "months" | "month" | "M" => (Secs(2_630_016), Some(Secs(2_630_016))),
        "years" | "year" | "yrs" | "yr" | "y" => (Secs(31_557_600), Some(Secs(31_557_600))),
        _ => return None,
    };
    Some(scales)
}

/// Terms like `1h 30m`, `1h30m`, `1.5h` or `2 days`: each a number (whitespace between its
/// digits is ignored), an optional fraction and a unit; whitespace between terms is optional.
/// Every step stays within what a `Duration` holds.
fn terms(t: &str) -> Option<u128> {
    if t.is_empty() {
        return None;
    }
    let mut chars = t.chars().peekable();
    let (mut secs, mut nanos) = (0u64, 0u64);
    let mut add = |scale: Scale, n: u64, per: u64| -> Option<()> {
        match scale {
            Scale::Nanos(k) => nanos = nanos.checked_add(exact(n, k, per)?)?,
            Scale::Secs(k) => secs = secs.checked_add(exact(n, k, per)?)?,
        }
        secs = secs.checked_add(nanos / NANOS_PER_SEC)?;
        nanos %= NANOS_PER_SEC;
        Some(())
    };
    let number_char = |c: &char| c.is_ascii_digit() || c.is_whitespace();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let (mut whole, mut digits) = (0u64, 0);
        while let Some(c) = chars.next_if(number_char) {
            if let Some(d) = c.to_digit(10) {
                whole = whole.checked_mul(10)?.checked_add(d.into())?;
                digits += 1;
            }
        }
        if digits == 0 {
            return None;
        }
        let mut fraction = None;
        if chars.next_if_eq(&'.').is_some() {
            let (mut numerator, mut denominator) = (0u64, 1u64);
            while let Some(c) = chars.next_if(number_char) {
                if let Some(d) = c.to_digit(10) {
                    numerator = numerator.checked_mul(10)?.checked_add(d.into())?;
                    denominator = denominator.checked_mul(10)?;
                }
            }
            if denominator == 1 {
                return None;
            }
            fraction = Some((numerator, denominator));
        }
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| c.is_ascii_alphabetic() || *c == 'µ') {
            name.push(c);
        }
        let (whole_scale, fraction_scale) = unit(&name)?;
        add(whole_scale, whole, 1)?;
        if let Some((numerator, denominator)) = fraction {
            add(fraction_scale?, numerator, denominator)?;
        }
        if chars.peek().is_some_and(|c| !number_char(c)) {
            return None;
        }
    }
    Some(u128::from(secs) * u128::from(NANOS_PER_SEC) + u128::from(nanos))
}

/// `n * k / per` when it is whole and every step fits a `u64`.
fn exact(n: u64, k: u64, per: u64) -> Option<u64> {
    let scaled = n.checked_mul(k)?;
    scaled.is_multiple_of(per).then(|| scaled / per)
}

/// Bytes in a size like `"100 MB"`, `"2GiB"`, `"1.5k"` or a plain number of bytes; `None` where
/// a load would report an invalid size (an unknown unit, a part of a byte, more than `u64`).
pub(crate) fn byte_size(text: &str) -> Option<u128> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim_start());
    let scale: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        "pb" => 1_000_000_000_000_000,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "t" | "tib" => 1 << 40,
        "p" | "pib" => 1 << 50,
        _ => return None,
    };
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (number, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    let mut bytes = u128::from(whole.parse::<u64>().ok()?) * u128::from(scale);
    let fraction = fraction.unwrap_or("").trim_end_matches('0');
    if !fraction.is_empty() {
        // More digits than this cannot scale to whole bytes with the largest unit.
        if fraction.len() > 20 {
            return None;
        }
        let numerator: u128 = fraction.parse().ok()?;
        let scaled = numerator * u128::from(scale);
        let denominator = 10u128.pow(fraction.len() as u32);
        if !scaled.is_multiple_of(denominator) {
            return None;
        }
        bytes += scaled / denominator;
    }
    (bytes <= u128::from(u64::MAX)).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `digits` or `digits.digits`: what the runtime reads as a plain number of seconds before
    /// it tries humantime (`settings-core/src/duration.rs`, `parse_seconds`).
    fn plain(text: &str) -> bool {
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let t = text.trim();
        t.split_once('.').map_or(digits(t), |(whole, fraction)| {
            digits(whole) && digits(fraction)
        })
    }

    /// What a load makes of a duration that is not a plain number: humantime's reading of the
    /// trimmed text.
    fn humantime_nanos(text: &str) -> Option<u128> {
        assert!(!plain(text), "{text:?} is a plain number of seconds");
        humantime::parse_duration(text.trim())
            .ok()
            .map(|d| d.as_nanos())
    }

    #[test]
    fn durations_agree_with_humantime() {
        let inputs = [
            "30s",
            "1h 30m",
            "1h30m",
            "1h  30m  15s",
            "250ms",
            "2days",
            "2 days",
            "1 h",
            "1.5h",
            "0.5m",
            "0.1h",
            "0.001h",
            "1.25s",
            "1.000000001s",
            "1.0000000001s",
            "1.5ns",
            "1.0ns",
            "1.s",
            ".5s",
            "1..5s",
            "1.5.5s",
            "1 0s",
            "10 s 5 ms",
            "5nanos",
            "5nsec",
            "5usec",
            "5us",
            "5µs",
            "5μs",
            "5millis",
            "5msec",
            "5seconds",
            "5second",
            "5secs",
            "5sec",
            "5minutes",
            "5minute",
            "5mins",
            "5min",
            "5m",
            "5hours",
            "5hour",
            "5hrs",
            "5hr",
            "5days",
            "5day",
            "5d",
            "5weeks",
            "5week",
            "5wks",
            "5wk",
            "5w",
            "5months",
            "5month",
            "5M",
            "5years",
            "5year",
            "5yrs",
            "5yr",
            "5y",
            "5H",
            "5S",
            "5Ms",
            "1 fortnight",
            "5 parsecs",
            "soon",
            "",
            "   ",
            "s",
            "-5s",
            "+5s",
            "5s-",
            "5s,1m",
            "5_000s",
            "1e3s",
            " 7m ",
            "1m 1",
            "1m s",
            "18446744073709551615s",
            "18446744073709551616s",
            "18446744073709551615s 1s",
            "584942417355y",
            "584942417356y",
            "18446744073709551615ms",
            "18446744073709551615ns",
            "999999999ns 1ns",
            "0.9999999999s",
        ];
        for input in inputs {
            assert_eq!(duration_nanos(input), humantime_nanos(input), "{input:?}");
        }
    }

    /// Every short string over the characters durations are made of: no drift hides in a
    /// corner the table above does not name.
    #[test]
    fn short_durations_agree_with_humantime() {
        let alphabet = ['0', '1', '5', '.', ' ', 's', 'm', 'h', 'n', 'M', 'x', '-'];
        let mut input = String::new();
        let mut checked = 0;
        for len in 1..=4u32 {
            for mut code in 0..alphabet.len().pow(len) {
                input.clear();
                for _ in 0..len {
                    input.push(alphabet[code % alphabet.len()]);
                    code /= alphabet.len();
                }
                if plain(&input) {
                    continue;
                }
                let expected = humantime_nanos(&input);
                assert_eq!(duration_nanos(&input), expected, "{input:?}");
                checked += usize::from(expected.is_some());
            }
        }
        assert!(checked > 100, "only {checked} inputs parse");
    }

    #[test]
    fn plain_seconds_read_like_the_runtime() {
        assert_eq!(duration_nanos("45"), Some(45_000_000_000));
        assert_eq!(duration_nanos(" 007 "), Some(7_000_000_000));
        assert_eq!(duration_nanos("1.5"), Some(1_500_000_000));
        assert_eq!(duration_nanos("0.000000001"), Some(1));
        assert_eq!(duration_nanos("1.5000000000000"), Some(1_500_000_000));
        assert_eq!(duration_nanos("0.0000000001"), None);
        assert_eq!(
            duration_nanos("18446744073709551615"),
            Some(u128::from(u64::MAX) * 1_000_000_000)
        );
        assert_eq!(duration_nanos("18446744073709551616"), None);
        // Not the plain shape: humantime reads these, and wants a unit.
        assert_eq!(duration_nanos("5."), None);
        assert_eq!(duration_nanos(".5"), None);
        assert_eq!(duration_nanos("+5"), None);
        assert_eq!(duration_nanos("1e3"), None);
        assert_eq!(duration_nanos("-5"), None);
    }

    /// `settings-core/src/bytesize.rs`: the units (case-insensitive), powers of 1000 for `kb`...
    /// and of 1024 for `kib` and `k`..., a decimal only when it comes to whole bytes, at most
    /// `u64::MAX`.
    #[test]
    fn byte_sizes_read_like_the_runtime() {
        let table: &[(&str, Option<u128>)] = &[
            ("42", Some(42)),
            (" 42 ", Some(42)),
            ("007", Some(7)),
            ("0", Some(0)),
            ("1b", Some(1)),
            ("1 B", Some(1)),
            ("100 MB", Some(100_000_000)),
            ("100mb", Some(100_000_000)),
            ("1kb", Some(1_000)),
            ("1gb", Some(1_000_000_000)),
            ("1tb", Some(1_000_000_000_000)),
            ("1pb", Some(1_000_000_000_000_000)),
            ("2GiB", Some(2 << 30)),
            ("1kib", Some(1 << 10)),
            ("1mib", Some(1 << 20)),
            ("1tib", Some(1 << 40)),
            ("1pib", Some(1 << 50)),
            ("512k", Some(512 << 10)),
            ("512K", Some(512 << 10)),
            ("1m", Some(1 << 20)),
            ("1g", Some(1 << 30)),
            ("1t", Some(1 << 40)),
            ("1p", Some(1 << 50)),
            ("1.5k", Some(1536)),
            ("1.5 KB", Some(1500)),
            ("0.5kib", Some(512)),
            ("1.0b", Some(1)),
            ("2.50k", Some(2560)),
            ("1.5b", None),
            ("0.5", None),
            ("0.001k", None),
            ("1.", None),
            (".5k", None),
            ("1.2.3", None),
            ("1..5k", None),
            ("-1", None),
            ("+1", None),
            ("", None),
            ("lots", None),
            ("kb", None),
            ("5 x", None),
            ("5kbb", None),
            ("5 k b", None),
            ("1e3", None),
            ("18446744073709551615", Some(u128::from(u64::MAX))),
            ("18446744073709551616", None),
            ("16777216 TiB", None),
            ("16383.999999999999999999 pib", None),
            ("0.000000000000000000001p", None),
        ];
        for (input, bytes) in table {
            assert_eq!(byte_size(input), *bytes, "{input:?}");
        }
    }
}
