//! Open-addressed hash indexes over small, fixed sets of names, built once per settings type:
//! the field keys of the tree ([`KeySet`](crate::tree::KeySet)) and the environment names of
//! [`EnvNames`](crate::naming::EnvNames). Hashes take a word of eight bytes at a time.

use crate::swar;

/// An open-addressed index of items by their hashes (in order): an item's position + 1 in each
/// slot it owns, 0 in an empty one. A power of two long and at least twice the items, so a probe
/// always ends at an empty slot.
pub(crate) fn index(hashes: impl ExactSizeIterator<Item = usize>) -> Vec<u32> {
    let mut slots = empty_slots(hashes.len());
    for (n, hash) in hashes.enumerate() {
        if let Err(free) = probe(&slots, hash, |_| false) {
            slots[free] = slot(n);
        }
    }
    slots
}

/// The empty slots of an index of `items`.
pub(crate) fn empty_slots(items: usize) -> Vec<u32> {
    vec![0; (items * 2).next_power_of_two()]
}

/// What the slot of item `n` holds.
pub(crate) fn slot(n: usize) -> u32 {
    // A settings type has far fewer than 2^32 fields (the table would not fit in memory).
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// Looks `hash` up in `slots` (not empty): the first item in its probe for which `is` holds, or
/// else the empty slot where the probe ended.
pub(crate) fn probe(
    slots: &[u32],
    hash: usize,
    mut is: impl FnMut(usize) -> bool,
) -> Result<usize, usize> {
    let mask = slots.len() - 1;
    let mut i = hash & mask;
    loop {
        match (slots[i] as usize).checked_sub(1) {
            None => return Err(i),
            Some(n) if is(n) => return Ok(n),
            Some(_) => i = (i + 1) & mask,
        }
    }
}

/// A hash of bytes, a word at a time (FxHash's multiply); `fold` clears bits of every byte first.
fn hash_words(bytes: &[u8], fold: u64) -> usize {
    const MIX: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, word: u64| (h.rotate_left(5) ^ (word & fold)).wrapping_mul(MIX);
    let mut chunks = bytes.chunks_exact(8);
    let mut h = bytes.len() as u64;
    for chunk in &mut chunks {
        h = step(h, swar::word(chunk));
    }
    h = step(h, swar::tail_word(chunks.remainder()));
    // The high bits, where the multiply mixes best, take part in choosing the slot.
    (h >> 32) as usize ^ h as usize
}

pub(crate) fn hash(bytes: &[u8]) -> usize {
    hash_words(bytes, u64::MAX)
}

/// A hash blind to ASCII case, a word at a time: bit 5, the only bit in which a letter's two cases
/// differ, is cleared from every byte. Other bytes lose it too, alike in every spelling of a name.
pub(crate) fn fold_hash(bytes: &[u8]) -> usize {
    hash_words(bytes, 0xDFDF_DFDF_DFDF_DFDF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_hash_ignores_case_only() {
        assert_eq!(fold_hash(b"db__pool_size"), fold_hash(b"DB__POOL_SIZE"));
        assert_eq!(fold_hash(b"Db__Pool_Size"), fold_hash(b"DB__POOL_SIZE"));
        assert_ne!(fold_hash(b"DB__POOL_SIZE"), fold_hash(b"DB__POOL_SIZ"));
        assert_ne!(fold_hash(b"PORT"), fold_hash(b"HOST"));
    }

    #[test]
    fn every_item_is_found_and_a_probe_ends_at_an_empty_slot() {
        let names = ["a", "bb", "ccc", "dddd", "eeeee"];
        let slots = index(names.iter().map(|n| hash(n.as_bytes())));
        assert!(slots.len() >= 2 * names.len() && slots.len().is_power_of_two());
        for (i, n) in names.iter().enumerate() {
            assert_eq!(probe(&slots, hash(n.as_bytes()), |k| names[k] == *n), Ok(i));
        }
        assert!(probe(&slots, hash(b"zz"), |k| names[k] == "zz").is_err());
    }
}
