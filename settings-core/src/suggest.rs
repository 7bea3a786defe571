//! "did you mean `pool_size`?" for keys and names that are close to a known one.

/// The candidate closest to `word`, if it is close enough to be what was meant.
///
/// A candidate whose length differs from the word's by more than the limit is skipped without
/// computing its distance (the difference is a lower bound of it): an application with many
/// unrelated variables under its prefix pays for the few names of a similar length only.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let len = word.chars().count();
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_close_names_only() {
        let keys = ["pool_size", "url", "password"];
        assert_eq!(closest("pool_sise", keys), Some("pool_size"));
        assert_eq!(closest("pasword", keys), Some("password"));
        assert_eq!(closest("URL", keys), Some("url"));
        assert_eq!(closest("completely_else", keys), None);
        // Too long or too short to be a near miss, whatever the letters.
        assert_eq!(closest("pool_size_and_more", keys), None);
        assert_eq!(closest("ur", ["url_of_the_db"]), None);
        // The first of equally close candidates wins, as before.
        assert_eq!(closest("pool", ["poll", "pools"]), Some("poll"));
    }
}
