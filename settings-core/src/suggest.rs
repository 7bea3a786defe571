//! "did you mean `pool_size`?" for keys and names that are close to a known one.

/// The candidate closest to `word`, if it is close enough to be what was meant.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word.to_ascii_lowercase(), &c.to_ascii_lowercase()),
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
    }
}
