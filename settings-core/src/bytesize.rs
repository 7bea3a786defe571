//! The [`ByteSize`] setting type and its parser.

use std::fmt;
use std::str::FromStr;

/// A size in bytes, read from human-friendly text such as `"100 MB"`,
/// `"2GiB"`, `"512k"` or a plain number of bytes.
///
/// Units are case-insensitive:
///
/// | unit | meaning |
/// | --- | --- |
/// | `b` | bytes |
/// | `kb` `mb` `gb` `tb` `pb` | powers of 1000 (SI) |
/// | `kib` `mib` `gib` `tib` `pib` | powers of 1024 (IEC) |
/// | `k` `m` `g` `t` `p` | powers of 1024 |
///
/// A decimal number is accepted when it scales to a whole number of bytes
/// (`"1.5k"` is 1536 bytes, `"1.5b"` is an error).
///
/// It displays in the largest unit that divides it exactly (IEC preferred),
/// in a form that parses back to the same value, and serializes as a plain
/// number of bytes. It deserializes from an unsigned integer or a string.
///
/// ```
/// use settings_core::ByteSize;
/// use std::str::FromStr;
///
/// let size = ByteSize::from_str("2 GiB").unwrap();
/// assert_eq!(size.as_u64(), 2 * 1024 * 1024 * 1024);
/// assert_eq!(size.to_string(), "2GiB");
/// assert_eq!("100MB".parse::<ByteSize>().unwrap(), ByteSize(100_000_000));
/// assert_eq!("512k".parse::<ByteSize>().unwrap().to_string(), "512KiB");
/// assert_eq!(ByteSize(1536).to_string(), "1536B");
/// assert!("-1".parse::<ByteSize>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ByteSize(pub u64);

/// What a byte size looks like, used in error and `expecting` messages.
const EXPECTED: &str = "a byte size like \"100 MB\", \"2GiB\", \"512k\" or a number of bytes";

/// The accepted units, appended to parse errors.
const UNITS: &str = "accepted units (case-insensitive): b; kb, mb, gb, tb, pb (powers of 1000); \
kib, mib, gib, tib, pib and k, m, g, t, p (powers of 1024)";

/// IEC unit symbols for powers of 1024, from 1024^1 up.
const IEC_SYMBOLS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
/// SI unit symbols for powers of 1000, from 1000^1 up.
const SI_SYMBOLS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];

impl ByteSize {
    /// The number of bytes.
    pub fn as_u64(self) -> u64 {
        self.0
    }
}

impl From<u64> for ByteSize {
    /// Wraps a number of bytes.
    fn from(bytes: u64) -> Self {
        ByteSize(bytes)
    }
}

impl From<ByteSize> for u64 {
    /// The number of bytes.
    fn from(size: ByteSize) -> Self {
        size.0
    }
}

impl FromStr for ByteSize {
    type Err = String;

    /// Parses `"100 MB"`, `"2GiB"`, `"1.5k"` or `"4096"` (see [`ByteSize`]); errors never
    /// quote the input.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_byte_size(s).map(ByteSize)
    }
}

impl fmt::Display for ByteSize {
    /// Writes the exact size in the largest unit that divides it, e.g.
    /// `2GiB`, `100MB`, `1536B`; padding and alignment flags are honoured.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format_byte_size(self.0))
    }
}

impl fmt::Debug for ByteSize {
    /// Writes `ByteSize(<display form>)`, e.g. `ByteSize(2GiB)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ByteSize({})", format_byte_size(self.0))
    }
}

/// The human form of `bytes`: the largest exactly dividing unit, IEC first.
fn format_byte_size(bytes: u64) -> String {
    if bytes == 0 {
        return "0B".to_string();
    }
    for exp in (1..=5u32).rev() {
        let iec = 1024u64.pow(exp);
        if bytes.is_multiple_of(iec) {
            return format!("{}{}", bytes / iec, IEC_SYMBOLS[exp as usize - 1]);
        }
        let si = 1000u64.pow(exp);
        if bytes.is_multiple_of(si) {
            return format!("{}{}", bytes / si, SI_SYMBOLS[exp as usize - 1]);
        }
    }
    format!("{bytes}B")
}

/// The multiplier for a unit (already lower-cased), if it is known.
fn unit_multiplier(unit: &str) -> Option<u64> {
    let m = match unit {
        "" | "b" => 1,
        "kb" => 1000,
        "mb" => 1000u64.pow(2),
        "gb" => 1000u64.pow(3),
        "tb" => 1000u64.pow(4),
        "pb" => 1000u64.pow(5),
        "k" | "kib" => 1024,
        "m" | "mib" => 1024u64.pow(2),
        "g" | "gib" => 1024u64.pow(3),
        "t" | "tib" => 1024u64.pow(4),
        "p" | "pib" => 1024u64.pow(5),
        _ => return None,
    };
    Some(m)
}

/// Longest fraction (after dropping trailing zeros) accepted; keeps the
/// exact arithmetic within `u128`.
const MAX_FRACTION_DIGITS: usize = 20;

/// Parses a byte size such as `"100 MB"`, `"2GiB"`, `"1.5k"` or `"4096"`.
///
/// Surrounding whitespace is ignored and whitespace may separate the number
/// from the unit. Errors never contain the input.
pub(crate) fn parse_byte_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(format!("empty byte size: expected {EXPECTED}"));
    }
    if s.starts_with('-') {
        return Err(format!(
            "a byte size cannot be negative: expected {EXPECTED}"
        ));
    }
    let number_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(number_end);
    let unit = unit.trim_start().to_ascii_lowercase();

    let (int_part, frac_part) = match number.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (number, None),
    };
    let well_formed = !int_part.is_empty()
        && frac_part.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return Err(format!("invalid byte size: expected {EXPECTED}"));
    }
    let Some(multiplier) = unit_multiplier(&unit) else {
        return Err(format!("unknown byte size unit; {UNITS}"));
    };

    let too_large = || "byte size is too large (the maximum is 16EiB - 1 byte)".to_string();
    let mut int_value: u64 = 0;
    for b in int_part.bytes() {
        int_value = int_value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or_else(too_large)?;
    }
    let mut total = int_value.checked_mul(multiplier).ok_or_else(too_large)?;

    let frac = frac_part.unwrap_or("").trim_end_matches('0');
    if !frac.is_empty() {
        let not_whole = || {
            "a byte size must be a whole number of bytes (too many decimal places for its unit)"
                .to_string()
        };
        if frac.len() > MAX_FRACTION_DIGITS {
            return Err(not_whole());
        }
        let numerator: u128 = frac.parse().map_err(|_| not_whole())?;
        let denominator = 10u128.pow(frac.len() as u32);
        let scaled = numerator * u128::from(multiplier);
        if !scaled.is_multiple_of(denominator) {
            return Err(not_whole());
        }
        let extra = u64::try_from(scaled / denominator).map_err(|_| too_large())?;
        total = total.checked_add(extra).ok_or_else(too_large)?;
    }
    Ok(total)
}

impl serde::Serialize for ByteSize {
    /// Serializes as a plain number of bytes.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for ByteSize {
    /// Deserializes from an unsigned integer (bytes) or a string such as
    /// `"2GiB"`; error messages never contain the input value.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ByteSizeVisitor)
    }
}

/// Serde visitor accepting a number of bytes or a byte-size string.
struct ByteSizeVisitor;

impl serde::de::Visitor<'_> for ByteSizeVisitor {
    type Value = ByteSize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ByteSize, E> {
        Ok(ByteSize(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ByteSize, E> {
        u64::try_from(v).map(ByteSize).map_err(|_| {
            E::custom(format!(
                "a byte size cannot be negative: expected {EXPECTED}"
            ))
        })
    }

    /// Accepts a float only when it is a whole, non-negative number of bytes
    /// (some formats read `1e9` as a float).
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ByteSize, E> {
        // 2^64 is exactly representable; every smaller whole f64 fits u64.
        const LIMIT: f64 = 18_446_744_073_709_551_616.0;
        if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < LIMIT {
            Ok(ByteSize(v as u64))
        } else {
            Err(E::custom(format!(
                "a byte size must be a whole, non-negative number of bytes: expected {EXPECTED}"
            )))
        }
    }

    /// Rejects booleans without echoing the value.
    fn visit_bool<E: serde::de::Error>(self, _v: bool) -> Result<ByteSize, E> {
        Err(E::custom(format!(
            "invalid type: boolean, expected {EXPECTED}"
        )))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ByteSize, E> {
        parse_byte_size(v).map(ByteSize).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    const GIB: u64 = 1024 * 1024 * 1024;
    const TIB: u64 = GIB * 1024;
    const PIB: u64 = TIB * 1024;

    fn ok(s: &str) -> u64 {
        parse_byte_size(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn err(s: &str) -> String {
        parse_byte_size(s).expect_err(s)
    }

    #[test]
    fn plain_numbers_are_bytes() {
        assert_eq!(ok("0"), 0);
        assert_eq!(ok("42"), 42);
        assert_eq!(ok("  4096\t"), 4096);
        assert_eq!(ok("007"), 7);
        assert_eq!(ok("18446744073709551615"), u64::MAX);
    }

    #[test]
    fn byte_unit() {
        assert_eq!(ok("10b"), 10);
        assert_eq!(ok("10 B"), 10);
        assert_eq!(ok("1.0b"), 1);
    }

    #[test]
    fn si_units() {
        assert_eq!(ok("1kb"), 1000);
        assert_eq!(ok("100 MB"), 100_000_000);
        assert_eq!(ok("2GB"), 2_000_000_000);
        assert_eq!(ok("3tb"), 3_000_000_000_000);
        assert_eq!(ok("1Pb"), 1_000_000_000_000_000);
    }

    #[test]
    fn iec_units() {
        assert_eq!(ok("1KiB"), KIB);
        assert_eq!(ok("2 MiB"), 2 * MIB);
        assert_eq!(ok("2GiB"), 2 * GIB);
        assert_eq!(ok("1tib"), TIB);
        assert_eq!(ok("1PIB"), PIB);
    }

    #[test]
    fn single_letter_units_are_binary() {
        assert_eq!(ok("512k"), 512 * KIB);
        assert_eq!(ok("512K"), 512 * KIB);
        assert_eq!(ok("10m"), 10 * MIB);
        assert_eq!(ok("1 g"), GIB);
        assert_eq!(ok("1t"), TIB);
        assert_eq!(ok("1p"), PIB);
    }

    #[test]
    fn decimals() {
        assert_eq!(ok("1.5k"), 1536);
        assert_eq!(ok("1.5 KB"), 1500);
        assert_eq!(ok("0.5GiB"), GIB / 2);
        assert_eq!(ok("2.25MiB"), 2 * MIB + MIB / 4);
        assert_eq!(ok("1.000"), 1);
        assert_eq!(ok("0.001kb"), 1);
        assert_eq!(ok("1.50000000000000000000000000000k"), 1536);
    }

    #[test]
    fn fraction_of_a_byte_is_error() {
        for s in ["1.5b", "1.5", "0.1k", "0.0001kb", "1.1KiB"] {
            let e = err(s);
            assert!(e.contains("whole number of bytes"), "{s}: {e}");
        }
        assert!(err("0.000000000000000000001p").contains("whole number"));
    }

    #[test]
    fn overflow_is_error() {
        for s in [
            "18446744073709551616",
            "99999999999999999999999",
            "16384p",
            "20000pb",
            "18446744073709551615.5k",
        ] {
            assert!(err(s).contains("too large"), "{s}");
        }
        assert_eq!(ok("16383.9990234375p"), u64::MAX - (1 << 40) + 1);
        assert_eq!(ok("16383.5p"), 16383 * PIB + PIB / 2);
        assert!(err("16383.9999999999999999p").contains("whole number"));
    }

    #[test]
    fn largest_values() {
        assert_eq!(ok("16383p"), 16383 * PIB);
        assert_eq!(ok("18446744073709551615b"), u64::MAX);
    }

    #[test]
    fn negative_is_error() {
        assert!(err("-1").contains("negative"));
        assert!(err(" -5 MB").contains("negative"));
    }

    #[test]
    fn empty_is_error() {
        assert!(err("").contains("empty"));
        assert!(err("   ").contains("empty"));
    }

    #[test]
    fn malformed_numbers() {
        for s in ["MB", "k", ".5k", "1.k", "1..2", "1.2.3", "+5", "x"] {
            let e = err(s);
            assert!(e.contains("expected a byte size"), "{s}: {e}");
        }
    }

    #[test]
    fn unknown_unit_lists_accepted_units() {
        for s in [
            "5 bytes",
            "5xb",
            "5 kbit",
            "5e3",
            "5 EiB",
            "5 k b",
            "5mb extra",
            "1,5k",
        ] {
            let e = err(s);
            assert!(e.starts_with("unknown byte size unit"), "{s}: {e}");
            assert!(e.contains("kib"), "{e}");
            assert!(e.contains("powers of 1000"), "{e}");
        }
    }

    #[test]
    fn errors_never_echo_input() {
        for s in [
            "secretvalue",
            "12secretunit",
            "-987654",
            "1.5b",
            "1.2.3",
            "99999999999999999999999",
            "0.123456789012345678901234k",
        ] {
            let e = err(s);
            assert!(!e.contains(s), "{s}: {e}");
            assert!(!e.contains("secret"), "{s}: {e}");
            assert!(!e.contains("987654"), "{s}: {e}");
            assert!(!e.contains("123456789"), "{s}: {e}");
        }
    }

    #[test]
    fn display_picks_largest_exact_unit() {
        assert_eq!(ByteSize(0).to_string(), "0B");
        assert_eq!(ByteSize(1).to_string(), "1B");
        assert_eq!(ByteSize(1536).to_string(), "1536B");
        assert_eq!(ByteSize(1000).to_string(), "1kB");
        assert_eq!(ByteSize(1024).to_string(), "1KiB");
        assert_eq!(ByteSize(2 * GIB).to_string(), "2GiB");
        assert_eq!(ByteSize(100_000_000).to_string(), "100MB");
        assert_eq!(ByteSize(1536 * KIB).to_string(), "1536KiB");
        assert_eq!(ByteSize(3 * PIB).to_string(), "3PiB");
        assert_eq!(ByteSize(2048 * PIB).to_string(), "2048PiB");
        // 1_024_000 = 1000 KiB = 1.024 MB: the larger unit that divides is KiB
        // (exponent 1); MB does not divide it.
        assert_eq!(ByteSize(1_024_000).to_string(), "1000KiB");
        // 10^9 * 1024 is divisible by GB (10^9) but only by 1024^1.
        assert_eq!(ByteSize(1_024_000_000_000).to_string(), "1024GB");
        assert_eq!(ByteSize(u64::MAX).to_string(), "18446744073709551615B");
    }

    #[test]
    fn display_prefers_iec_when_both_divide() {
        // 1000^3 * 1024^3 is divisible by both GiB and GB.
        let v = 1_000_000_000u64 * GIB;
        assert_eq!(ByteSize(v).to_string(), "1000000000GiB");
        assert_eq!(ByteSize(8_000 * KIB).to_string(), "8000KiB");
    }

    #[test]
    fn display_round_trips() {
        let samples = [
            0,
            1,
            999,
            1000,
            1023,
            1024,
            1536,
            4096,
            1_000_000,
            1_048_576,
            5 * GIB,
            7_000_000_000_000,
            123_456_789,
            u64::MAX,
            u64::MAX - 1,
            16383 * PIB,
        ];
        for v in samples {
            let text = ByteSize(v).to_string();
            assert_eq!(text.parse::<ByteSize>(), Ok(ByteSize(v)), "{text}");
        }
    }

    #[test]
    fn display_honours_padding() {
        assert_eq!(format!("{:>6}", ByteSize(1024)), "  1KiB");
        assert_eq!(format!("{:<5}|", ByteSize(1)), "1B   |");
    }

    #[test]
    fn debug_format() {
        assert_eq!(format!("{:?}", ByteSize(2 * GIB)), "ByteSize(2GiB)");
        assert_eq!(format!("{:?}", ByteSize(1536)), "ByteSize(1536B)");
    }

    #[test]
    fn from_str_and_conversions() {
        let b: ByteSize = "1 MiB".parse().unwrap();
        assert_eq!(b, ByteSize(MIB));
        assert_eq!(b.as_u64(), MIB);
        assert_eq!(u64::from(b), MIB);
        assert_eq!(ByteSize::from(7u64), ByteSize(7));
        let n: u64 = ByteSize(9).into();
        assert_eq!(n, 9);
        assert!("nope".parse::<ByteSize>().is_err());
    }

    #[test]
    fn ordering_and_default() {
        assert_eq!(ByteSize::default(), ByteSize(0));
        assert!(ByteSize(1) < ByteSize(2));
        let mut v = vec![ByteSize(3), ByteSize(1), ByteSize(2)];
        v.sort();
        assert_eq!(v, vec![ByteSize(1), ByteSize(2), ByteSize(3)]);
    }

    #[test]
    fn serialize_as_number() {
        assert_eq!(
            serde_json::to_string(&ByteSize(2 * GIB)).unwrap(),
            "2147483648"
        );
        assert_eq!(serde_json::to_string(&ByteSize(0)).unwrap(), "0");
    }

    #[test]
    fn deserialize_number_and_string() {
        let from_num: ByteSize = serde_json::from_str("4096").unwrap();
        assert_eq!(from_num, ByteSize(4096));
        let from_str: ByteSize = serde_json::from_str("\"2GiB\"").unwrap();
        assert_eq!(from_str, ByteSize(2 * GIB));
        let from_str: ByteSize = serde_json::from_str("\" 100 MB \"").unwrap();
        assert_eq!(from_str, ByteSize(100_000_000));
        let max: ByteSize = serde_json::from_str("18446744073709551615").unwrap();
        assert_eq!(max, ByteSize(u64::MAX));
        let float: ByteSize = serde_json::from_str("1e9").unwrap();
        assert_eq!(float, ByteSize(1_000_000_000));
    }

    #[test]
    fn deserialize_round_trip() {
        let v = ByteSize(1536 * MIB);
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(serde_json::from_str::<ByteSize>(&json).unwrap(), v);
        let json = serde_json::to_string(&v.to_string()).unwrap();
        assert_eq!(serde_json::from_str::<ByteSize>(&json).unwrap(), v);
    }

    #[test]
    fn deserialize_visit_i64() {
        use serde::Deserialize;
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, I64Deserializer};
        let d: I64Deserializer<Error> = 5i64.into_deserializer();
        assert_eq!(ByteSize::deserialize(d).unwrap(), ByteSize(5));
        let d: I64Deserializer<Error> = (-5i64).into_deserializer();
        let e = ByteSize::deserialize(d).unwrap_err().to_string();
        assert!(e.contains("negative"), "{e}");
        assert!(!e.contains("-5"), "{e}");
    }

    #[test]
    fn deserialize_errors_never_echo_input() {
        for json in [
            "-12345",
            "\"topsecret\"",
            "\"-777\"",
            "\"1.5b\"",
            "12.75",
            "-3.5",
            "true",
        ] {
            let e = serde_json::from_str::<ByteSize>(json)
                .expect_err(json)
                .to_string();
            assert!(!e.contains("12345"), "{json}: {e}");
            assert!(!e.contains("topsecret"), "{json}: {e}");
            assert!(!e.contains("777"), "{json}: {e}");
            assert!(!e.contains("1.5"), "{json}: {e}");
            assert!(!e.contains("12.75"), "{json}: {e}");
            assert!(!e.contains("3.5"), "{json}: {e}");
            assert!(!e.contains("true"), "{json}: {e}");
        }
    }

    #[test]
    fn deserialize_wrong_type_mentions_expectation() {
        let e = serde_json::from_str::<ByteSize>("[1]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("a byte size like"), "{e}");
        let e = serde_json::from_str::<ByteSize>("null")
            .unwrap_err()
            .to_string();
        assert!(e.contains("a byte size like"), "{e}");
    }
}
