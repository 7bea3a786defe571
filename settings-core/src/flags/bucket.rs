//! The rollout bucket of a key: a hash specified byte for byte, so that every process of a fleet,
//! in any language, puts a key in the same bucket.

/// The number of rollout buckets: one per hundredth of a percent.
pub(super) const BUCKETS: u16 = 10_000;

/// The rollout bucket of a key for a flag: a number from 0 to 9 999, the same in every process.
///
/// A key is in a flag's rollout when its bucket is below the rollout percentage times 100,
/// rounded to the nearest integer (so `rollout = 12.5` takes buckets 0 to 1 249). The bucket is
/// specified so that any process, in any language, computes the same one:
///
/// 1. The input is the UTF-8 bytes of the flag name, one `0x00` byte, then the UTF-8 bytes of
///    the key: `name ‖ 0x00 ‖ key`. The flag name is part of it so that the keys in the first
///    10% of one flag are not also those of every other flag.
/// 2. `h` is the 64-bit FNV-1a hash of the input: start from the offset basis
///    `0xcbf29ce484222325`; for each byte, `h = (h XOR byte) × 0x100000001b3 mod 2⁶⁴`.
/// 3. `h` goes through MurmurHash3's 64-bit finalizer (`fmix64`), all arithmetic mod 2⁶⁴:
///    `h ^= h >> 33; h ×= 0xff51afd7ed558ccd; h ^= h >> 33; h ×= 0xc4ceb9fe1a85ec53;
///    h ^= h >> 33`. FNV-1a alone mixes its last bytes into few of its high bits, and keys such as
///    `user-1`, `user-2` differ only there.
/// 4. The bucket is `h mod 10000`.
///
/// ```
/// use settings_core::flags::bucket;
///
/// // A value to check another implementation against.
/// assert_eq!(bucket("new_checkout", "user-42"), 6745);
/// ```
pub fn bucket(flag: &str, key: &str) -> u16 {
    let h = [flag.as_bytes(), &[0], key.as_bytes()]
        .into_iter()
        .fold(FNV_OFFSET_BASIS, fnv1a);
    (fmix64(h) % u64::from(BUCKETS)) as u16
}

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Continues a 64-bit FNV-1a hash over more bytes.
fn fnv1a(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// MurmurHash3's 64-bit finalizer: every input bit affects every output bit.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV reference test suite (http://www.isthe.com/chongo/src/fnv/test_fnv.c).
        assert_eq!(fnv1a(FNV_OFFSET_BASIS, b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a(FNV_OFFSET_BASIS, b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a(FNV_OFFSET_BASIS, b"foobar"), 0x85944171f73967e8);
        // Hashing in pieces is hashing the concatenation.
        assert_eq!(
            fnv1a(fnv1a(FNV_OFFSET_BASIS, b"foo"), b"bar"),
            fnv1a(FNV_OFFSET_BASIS, b"foobar")
        );
    }

    #[test]
    fn fmix64_matches_murmur3() {
        assert_eq!(fmix64(0), 0);
        // Computed with an independent Python implementation of fmix64.
        assert_eq!(fmix64(1), 0xb456bcfc34c2cb2c);
    }

    #[test]
    fn the_bucket_hashes_name_nul_key() {
        let mut input = b"new_checkout".to_vec();
        input.push(0);
        input.extend_from_slice(b"user-42");
        let h = fmix64(fnv1a(FNV_OFFSET_BASIS, &input));
        assert_eq!(u64::from(bucket("new_checkout", "user-42")), h % 10_000);
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(bucket("ab", "c"), bucket("a", "bc"));
    }
}
