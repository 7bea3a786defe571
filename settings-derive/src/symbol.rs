//! Every attribute keyword, in one place.

pub(crate) const SETTINGS: &str = "settings";

pub(crate) const ENV_PREFIX: &str = "env_prefix";
pub(crate) const ENV_NESTED_DELIMITER: &str = "env_nested_delimiter";
pub(crate) const CASE_SENSITIVE: &str = "case_sensitive";
pub(crate) const FILES: &str = "files";
pub(crate) const ENV_FILE: &str = "env_file";
pub(crate) const SECRETS_DIR: &str = "secrets_dir";
pub(crate) const CONFIG_DIR: &str = "config_dir";
pub(crate) const PROFILE_ENV: &str = "profile_env";
pub(crate) const DENY_UNKNOWN: &str = "deny_unknown";
pub(crate) const DENY_UNKNOWN_ENV: &str = "deny_unknown_env";
pub(crate) const VALIDATE: &str = "validate";

pub(crate) const DEFAULT: &str = "default";
pub(crate) const DEFAULT_WITH: &str = "default_with";
pub(crate) const ENV: &str = "env";
pub(crate) const ENV_ONLY: &str = "env_only";
pub(crate) const NESTED: &str = "nested";
pub(crate) const RENAME: &str = "rename";
pub(crate) const RESTART: &str = "restart";
pub(crate) const SECRET: &str = "secret";
pub(crate) const SEPARATOR: &str = "separator";
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
    DENY_UNKNOWN,
    DENY_UNKNOWN_ENV,
    VALIDATE,
];

/// The field attributes, for "expected one of" messages.
pub(crate) const FIELD_KEYS: &[&str] = &[
    DEFAULT,
    DEFAULT_WITH,
    ENV,
    ENV_ONLY,
    NESTED,
    RENAME,
    RESTART,
    SECRET,
    SEPARATOR,
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
