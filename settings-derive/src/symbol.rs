//! Every attribute keyword, in one place, and how messages quote keys and values.

use crate::ir::Literal;

pub(crate) const SETTINGS: &str = "settings";

pub(crate) const ENV_PREFIX: &str = "env_prefix";
pub(crate) const ENV_NESTED_DELIMITER: &str = "env_nested_delimiter";
pub(crate) const CASE_SENSITIVE: &str = "case_sensitive";
pub(crate) const FILES: &str = "files";
pub(crate) const ENV_FILE: &str = "env_file";
pub(crate) const SECRETS_DIR: &str = "secrets_dir";
pub(crate) const CONFIG_DIR: &str = "config_dir";
pub(crate) const PROFILE_ENV: &str = "profile_env";
pub(crate) const PROFILES: &str = "profiles";
pub(crate) const DENY_UNKNOWN: &str = "deny_unknown";
pub(crate) const DENY_UNKNOWN_ENV: &str = "deny_unknown_env";
pub(crate) const DENY_PLAIN_SECRETS: &str = "deny_plain_secrets";
pub(crate) const VALIDATE: &str = "validate";

pub(crate) const DEFAULT: &str = "default";
pub(crate) const DEFAULT_WITH: &str = "default_with";
pub(crate) const ENV: &str = "env";
pub(crate) const ENV_ONLY: &str = "env_only";
pub(crate) const NESTED: &str = "nested";
pub(crate) const RENAME: &str = "rename";
pub(crate) const RESTART: &str = "restart";
pub(crate) const SECRET: &str = "secret";
pub(crate) const CLI_FLAG: &str = "cli_flag";
pub(crate) const SEPARATOR: &str = "separator";
pub(crate) const EXTEND: &str = "extend";
pub(crate) const ALIAS: &str = "alias";
pub(crate) const RENAMED_FROM: &str = "renamed_from";
pub(crate) const DEPRECATED: &str = "deprecated";
pub(crate) const RANGE: &str = "range";
pub(crate) const LEN: &str = "len";
pub(crate) const REGEX: &str = "regex";
pub(crate) const URL: &str = "url";
pub(crate) const ONE_OF: &str = "one_of";

pub(crate) const MIN: &str = "min";
pub(crate) const MAX: &str = "max";
pub(crate) const GT: &str = "gt";
pub(crate) const LT: &str = "lt";
pub(crate) const SCHEMES: &str = "schemes";
pub(crate) const VALUES: &str = "values";
pub(crate) const IGNORE_CASE: &str = "ignore_case";

/// The struct attributes, for "expected one of" messages.
pub(crate) const CONTAINER_KEYS: &[&str] = &[
    ENV_PREFIX,
    ENV_NESTED_DELIMITER,
    CASE_SENSITIVE,
    FILES,
    ENV_FILE,
    SECRETS_DIR,
    CONFIG_DIR,
    PROFILE_ENV,
    PROFILES,
    DENY_UNKNOWN,
    DENY_UNKNOWN_ENV,
    DENY_PLAIN_SECRETS,
    VALIDATE,
];

/// The field attributes, for "expected one of" messages.
pub(crate) const FIELD_KEYS: &[&str] = &[
    DEFAULT,
    DEFAULT_WITH,
    ENV,
    ENV_ONLY,
    NESTED,
    ENV_PREFIX,
    RENAME,
    ALIAS,
    RENAMED_FROM,
    DEPRECATED,
    RESTART,
    SECRET,
    CLI_FLAG,
    SEPARATOR,
    EXTEND,
    RANGE,
    LEN,
    REGEX,
    URL,
    ONE_OF,
    VALIDATE,
];

/// `a`, `b` or `c`, each in backticks.
pub(crate) fn list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// A literal as it would be written in the attribute: `"info"`, `8080`, `0.5`, `true`,
/// `["a", "b"]`. A string's backslashes stay as they are (a regex reads as written), its quotes
/// and control characters are escaped.
pub(crate) fn show(lit: &Literal) -> String {
    match lit {
        Literal::Str(s) => show_str(s),
        Literal::Int(i) => i.to_string(),
        Literal::Float(f) => format!("{f:?}"),
        Literal::Bool(b) => b.to_string(),
        Literal::Array(items) => {
            let items: Vec<String> = items.iter().map(|i| show(&i.value)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// A string literal as [`show`] writes it: `"info"`.
pub(crate) fn show_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `; did you mean `x`?` when a known key is one or two edits away from `word`.
pub(crate) fn did_you_mean(word: &str, keys: &[&str]) -> String {
    let best = keys
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, k)) => format!("did you mean `{k}`? "),
        None => String::new(),
    }
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(
            did_you_mean("defualt", FIELD_KEYS),
            "did you mean `default`? "
        );
        assert_eq!(
            did_you_mean("env_prefx", CONTAINER_KEYS),
            "did you mean `env_prefix`? "
        );
        assert_eq!(did_you_mean("colour", FIELD_KEYS), "");
    }

    #[test]
    fn literals_read_as_written() {
        use crate::ir::Sp;
        let span = proc_macro2::Span::call_site();
        assert_eq!(show(&Literal::Str(r"^\d+$".into())), r#""^\d+$""#);
        assert_eq!(
            show(&Literal::Str("say \"hi\"\n\0".into())),
            r#""say \"hi\"\n\u{0}""#
        );
        assert_eq!(show(&Literal::Int(-5)), "-5");
        assert_eq!(show(&Literal::Float(1.0)), "1.0");
        assert_eq!(show(&Literal::Float(0.25)), "0.25");
        assert_eq!(show(&Literal::Bool(true)), "true");
        let array = Literal::Array(vec![
            Sp::new(Literal::Str("a".into()), span),
            Sp::new(Literal::Int(1), span),
        ]);
        assert_eq!(show(&array), r#"["a", 1]"#);
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(list(&["a"]), "`a`");
        assert_eq!(list(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
