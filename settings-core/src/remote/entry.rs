//! What a source reads: one [`Entry`] per value, and the ways a store's answer becomes entries.

use super::options::Common;
use crate::origin::Origin;

/// One value a remote source read, with its place in the settings and its origin.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The keys from the top of the settings (before `.nest`).
    pub(crate) keys: Vec<String>,
    /// Where it was read: "aws secrets manager prod/app: password".
    pub(crate) origin: Origin,
    pub(crate) secret: bool,
    /// Strings are text, turned into the declared type like environment values.
    pub(crate) value: serde_json::Value,
}

/// Splits a store's key below its prefix into settings keys: `/` is nesting, empty parts
/// (doubled or trailing slashes) are dropped.
#[cfg_attr(not(any(feature = "aws", feature = "etcd")), allow(dead_code))]
pub(crate) fn split_key(rest: &str) -> Vec<String> {
    rest.split('/')
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The entries of a JSON object's top-level keys, each with the origin of its key in what
/// `common` reads.
#[cfg_attr(
    not(any(feature = "aws", feature = "vault", feature = "gcp")),
    allow(dead_code)
)]
pub(crate) fn object_entries(
    common: &Common,
    object: serde_json::Map<String, serde_json::Value>,
    secret: bool,
) -> Vec<Entry> {
    object
        .into_iter()
        .map(|(key, value)| Entry {
            origin: common.origin_of_key(&key),
            keys: vec![key],
            secret,
            value,
        })
        .collect()
}

/// What a JSON value is, in words ("an array"), for a message that must not quote a secret's
/// value: where a source expected an object of keys and was given something else.
#[cfg_attr(not(any(feature = "aws", feature = "gcp")), allow(dead_code))]
pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_on_slashes() {
        assert_eq!(split_key("db/url"), ["db", "url"]);
        assert_eq!(split_key("/db//url/"), ["db", "url"]);
    }

    #[test]
    fn json_kinds_name_the_value_without_quoting_it() {
        assert_eq!(json_kind(&serde_json::json!(["s3cret"])), "an array");
        assert_eq!(json_kind(&serde_json::json!("s3cret")), "a string");
        assert_eq!(json_kind(&serde_json::json!(null)), "null");
    }
}
