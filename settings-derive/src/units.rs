//! Durations and byte sizes written as strings in attributes (`range(min = "1s")`,
//! `default = "512k"`), read the way the runtime reads them, so that bounds and defaults can be
//! compared at compile time.

/// Nanoseconds in a duration like `"30s"`, `"1h 30m"`, `"250ms"` or a plain number of seconds.
pub(crate) fn duration_nanos(text: &str) -> Option<u128> {
    let t = text.trim();
    if let Ok(secs) = t.parse::<u64>() {
        return Some(u128::from(secs) * 1_000_000_000);
    }
    if let Ok(secs) = t.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then_some((secs * 1e9) as u128);
    }
    let mut total: u128 = 0;
    let mut rest = t;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: u128 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c.is_whitespace())
            .unwrap_or(rest.len());
        let scale: u128 = match &rest[..unit_len] {
            "nsec" | "ns" => 1,
            "usec" | "us" | "µs" => 1_000,
            "msec" | "ms" => 1_000_000,
            "seconds" | "second" | "secs" | "sec" | "s" => 1_000_000_000,
            "minutes" | "minute" | "mins" | "min" | "m" => 60_000_000_000,
            "hours" | "hour" | "hrs" | "hr" | "h" => 3_600_000_000_000,
            "days" | "day" | "d" => 86_400_000_000_000,
            "weeks" | "week" | "w" => 604_800_000_000_000,
            "months" | "month" | "M" => 2_630_016_000_000_000,
            "years" | "year" | "y" => 31_557_600_000_000_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(scale)?)?;
        rest = rest[unit_len..].trim_start();
    }
    (!t.is_empty()).then_some(total)
}

/// Bytes in a size like `"100 MB"`, `"2GiB"`, `"512k"` or a plain number of bytes.
pub(crate) fn byte_size(text: &str) -> Option<u128> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let scale: u128 = match unit.to_ascii_lowercase().as_str() {
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
    match number.split_once('.') {
        None => number.parse::<u128>().ok()?.checked_mul(scale),
        Some((whole, frac)) => {
            let value: f64 = format!("{whole}.{frac}").parse().ok()?;
            Some((value * scale as f64) as u128)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_the_runtime() {
        assert_eq!(duration_nanos("30s"), Some(30_000_000_000));
        assert_eq!(duration_nanos("1h 30m"), Some(5_400_000_000_000));
        assert_eq!(duration_nanos("250ms"), Some(250_000_000));
        assert_eq!(duration_nanos("45"), Some(45_000_000_000));
        assert_eq!(duration_nanos("1.5"), Some(1_500_000_000));
        assert_eq!(duration_nanos("soon"), None);
        assert_eq!(duration_nanos("5 parsecs"), None);
    }

    #[test]
    fn sizes_read_like_the_runtime() {
        assert_eq!(byte_size("100 MB"), Some(100_000_000));
        assert_eq!(byte_size("2GiB"), Some(2 << 30));
        assert_eq!(byte_size("512k"), Some(512 << 10));
        assert_eq!(byte_size("42"), Some(42));
        assert_eq!(byte_size("1.5k"), Some(1536));
        assert_eq!(byte_size("lots"), None);
    }
}
