//! Byte tests eight bytes at a time, for the few loops that look at every byte of a load: a
//! file's comments and strings, and environment variable names.
//!
//! Each mask has the high bit of a byte set exactly when that byte passes the test: the sums
//! are done on seven-bit values, so no carry crosses from one byte into the next.

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of a chunk (of `chunks_exact(8)`) as one little-endian word.
pub(crate) fn word(chunk: &[u8]) -> u64 {
    u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]))
}

/// Up to seven bytes (a remainder) as a word, zero above them: a loop, not a `memcpy` call.
pub(crate) fn tail_word(tail: &[u8]) -> u64 {
    tail.iter()
        .enumerate()
        .fold(0, |w, (i, &b)| w | u64::from(b) << (8 * i))
}

/// The bytes of `w` equal to `b`.
pub(crate) fn equal(w: u64, b: u8) -> u64 {
    let y = w ^ (LOW_BITS * u64::from(b));
    !(((y & !HIGH_BITS) + !HIGH_BITS) | y) & HIGH_BITS
}

/// The ASCII bytes of `w` below `n` (`n <= 0x80`): `x + (0x80 - n)` reaches the high bit exactly
/// when `x >= n`.
pub(crate) fn below(w: u64, n: u8) -> u64 {
    let raised = (w & !HIGH_BITS) + LOW_BITS * u64::from(0x80 - n);
    !raised & !w & HIGH_BITS
}

/// The bytes of `w` that are ASCII lower-case letters.
pub(crate) fn lowercase(w: u64) -> u64 {
    below(w, b'z' + 1) & !below(w, b'a')
}

/// Whether some byte is `a`, `b` or `c`.
pub(crate) fn has_any_of3(bytes: &[u8], a: u8, b: u8, c: u8) -> bool {
    let hit = |w: u64| equal(w, a) | equal(w, b) | equal(w, c) != 0;
    let mut words = bytes.chunks_exact(8);
    let found = words.any(|chunk| hit(word(chunk)));
    // The tail's zero bytes above its end are none of the three (they are never 0).
    found || (!words.remainder().is_empty() && hit(tail_word(words.remainder())))
}

/// Whether some byte is an ASCII lower-case letter.
pub(crate) fn has_lowercase(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    let found = words.any(|chunk| lowercase(word(chunk)) != 0);
    found || words.remainder().iter().any(u8::is_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every place of a word, among bytes that pass no test.
    fn each_placement(check: impl Fn(u8, u64, usize)) {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = [0xffu8; 8];
                bytes[at] = b;
                check(b, word(&bytes), at);
            }
        }
    }

    #[test]
    fn masks_mark_exactly_the_bytes_that_pass() {
        each_placement(|b, w, at| {
            let bit = 0x80u64 << (8 * at);
            assert!(equal(w, b) & bit != 0, "{b:#x} at {at}");
            assert_eq!(equal(w, b'$') & bit != 0, b == b'$', "{b:#x} at {at}");
            assert_eq!(below(w, 0x20) & bit != 0, b < 0x20, "{b:#x} at {at}");
            assert_eq!(
                lowercase(w) & bit != 0,
                b.is_ascii_lowercase(),
                "{b:#x} at {at}"
            );
        });
    }

    #[test]
    fn any_of_three_bytes_at_any_place_and_length() {
        for len in 0..20 {
            assert!(!has_any_of3(&vec![b'x'; len], b'$', b'\\', b'['));
            for at in 0..len {
                for b in [b'$', b'\\', b'['] {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = b;
                    assert!(has_any_of3(&bytes, b'$', b'\\', b'['), "{len} {at} {b}");
                }
            }
        }
    }

    #[test]
    fn tail_word_is_the_bytes_of_a_short_chunk() {
        assert_eq!(tail_word(b""), 0);
        assert_eq!(tail_word(b"abc"), word(b"abc\0\0\0\0\0"));
        assert_eq!(tail_word(b"abcdefg"), word(b"abcdefg\0"));
    }

    #[test]
    fn has_lowercase_looks_at_words_and_the_tail() {
        assert!(!has_lowercase(b"APP_DATABASE__POOL_SIZE"));
        assert!(has_lowercase(b"APP_DATABASE__POOL_SIZe"));
        assert!(has_lowercase(b"aPP_DATABASE"));
        assert!(!has_lowercase("APP_CAFÉ".as_bytes()));
        assert!(!has_lowercase(b""));
    }
}
