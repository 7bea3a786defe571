//! The password of a URL is never shown: `postgres://svc:hunter2@db/svc` reads
//! `postgres://svc:*****@db/svc` in every message, report, template and page, whatever field the
//! URL was given to (connection strings carry passwords in plain `String` fields everywhere).
//!
//! Found in free text, not only in whole values: a URL inside a parser's message, a list of URLs,
//! a JSON object holding one. `url::Url` cannot be used for this: it parses one whole URL, and the
//! values that most need masking are the ones it rejects (`invalid port number`).

use std::borrow::Cow;

/// What a URL's password is shown as.
pub(crate) const PASSWORD_MASK: &str = "*****";

/// `text` with the password of every URL in it (`scheme://user:password@host`) replaced by
/// [`PASSWORD_MASK`]; borrowed, without a copy, when there is none (nearly always).
pub(crate) fn url_passwords(text: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    // Where the text not yet copied to `out` starts.
    let mut copied = 0;
    for (start, end) in password_spans(text) {
        let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
        buf.push_str(&text[copied..start]);
        buf.push_str(PASSWORD_MASK);
        copied = end;
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
    }
}

/// `text` cut at every `separator` that is not inside a URL's password: a list of URLs given as
/// text (`APP_HOSTS=postgres://a:p,w@h1,postgres://b:q@h2`) keeps each password whole, so no
/// item (nor the message about a bad one) holds a piece of one that the masking cannot see.
pub(crate) fn split_list<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    if separator.is_empty() {
        return vec![text];
    }
    let mut items = Vec::new();
    let mut start = 0;
    let mut spans = password_spans(text).peekable();
    let mut from = 0;
    while let Some(at) = text[from..].find(separator) {
        let cut = from + at;
        from = cut + separator.len();
        while spans.next_if(|&(_, end)| end <= cut).is_some() {}
        if spans.peek().is_some_and(|&(start, _)| start <= cut) {
            continue;
        }
        items.push(&text[start..cut]);
        start = from;
    }
    items.push(&text[start..]);
    items
}

/// The byte range of every URL password in `text`, in order.
fn password_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = memchr::memmem::find(&bytes[from..], b"://") {
            let sep = from + at;
            from = sep + 3;
            if !has_scheme(&bytes[..sep]) {
                continue;
            }
            if let Some((start, end)) = password_span(bytes, from) {
                from = end;
                return Some((start, end));
            }
        }
        None
    })
}

/// [`url_passwords`] into an owned string, copying only when something is masked.
pub(crate) fn url_passwords_owned(text: String) -> String {
    match url_passwords(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(masked) => masked,
    }
}

/// Whether `before` ends with a URL scheme: a letter, then letters, digits, `+`, `-` or `.`.
fn has_scheme(before: &[u8]) -> bool {
    let len = before
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        .count();
    len > 0 && before[before.len() - len].is_ascii_alphabetic()
}

/// The byte range of the password in the authority that starts at `from` (just after `://`):
/// the authority runs to the first `/`, `?`, `#`, whitespace, quote or backslash (the last two
/// end a URL quoted in a message); its user information is everything before its last `@`, and
/// the password what follows the first `:` in that. `None` without a password.
fn password_span(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let end = bytes[from..]
        .iter()
        .position(|b| {
            matches!(b, b'/' | b'?' | b'#' | b'"' | b'\\' | b'<' | b'>') || b.is_ascii_whitespace()
        })
        .map_or(bytes.len(), |n| from + n);
    let at = from + memchr::memrchr(b'@', &bytes[from..end])?;
    let colon = from + memchr::memchr(b':', &bytes[from..at])?;
    (colon + 1 < at).then_some((colon + 1, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> String {
        url_passwords(text).into_owned()
    }

    #[test]
    fn the_password_of_a_url_is_masked() {
        assert_eq!(
            masked("postgres://svc:hunter2@db.internal:99999/svc"),
            "postgres://svc:*****@db.internal:99999/svc"
        );
        assert_eq!(masked("redis://:pw@cache"), "redis://:*****@cache");
        assert_eq!(
            masked("invalid port number: \"amqp://u:p@h:0x/v\" found"),
            "invalid port number: \"amqp://u:*****@h:0x/v\" found"
        );
    }

    #[test]
    fn every_url_of_a_text_is_masked() {
        assert_eq!(
            masked(r#"["postgres://a:b@h1/x", "postgres://c:d@h2"]"#),
            r#"["postgres://a:*****@h1/x", "postgres://c:*****@h2"]"#
        );
        assert_eq!(
            masked("mysql://a:one@h,mysql://b:two@k"),
            "mysql://a:*****@h,mysql://b:*****@k"
        );
    }

    #[test]
    fn an_at_sign_in_the_password_is_masked_with_it() {
        assert_eq!(masked("mysql://u:p@ss@host/db"), "mysql://u:*****@host/db");
    }

    #[test]
    fn text_without_a_password_is_not_copied() {
        for text in [
            "",
            "plain text",
            "https://example.com/a:b@c",
            "https://user@example.com",
            "http://host:8080/path",
            "://u:p@h",
            "1http://u:p@h",
            "no scheme: u:p@h",
            "http://u:@h",
        ] {
            assert!(
                matches!(url_passwords(text), Cow::Borrowed(_)),
                "{text} was changed"
            );
        }
    }

    #[test]
    fn non_ascii_text_around_a_url_is_kept() {
        assert_eq!(
            masked("é postgres://ü:pässwörd@hôst ü"),
            "é postgres://ü:*****@hôst ü"
        );
    }

    #[test]
    fn a_list_is_not_cut_inside_a_password() {
        let split = |text| split_list(text, ",");
        assert_eq!(
            split("postgres://svc:a,b@h1/x,mysql://u:c,,d@h2"),
            ["postgres://svc:a,b@h1/x", "mysql://u:c,,d@h2"]
        );
        assert_eq!(split("a,b,,c"), ["a", "b", "", "c"]);
        assert_eq!(split("https://a.com,b:c@d"), ["https://a.com", "b:c@d"]);
        assert_eq!(split(""), [""]);
        assert_eq!(split_list("x::y:z", "::"), ["x", "y:z"]);
        assert_eq!(
            split_list("redis://u:p:q@h:r", ":"),
            ["redis", "//u", "p:q@h", "r"]
        );
    }
}
