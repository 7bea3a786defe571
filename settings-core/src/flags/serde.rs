//! The written forms of flags: `Deserialize` and `Serialize` for [`Flags`] and [`Flag`].
//!
//! Deserialization is written by hand (settings-core does not depend on serde's derive) and asks
//! for `deserialize_any` below the table of flags, so that a flag may be a bool or a table and
//! text from the environment is understood whichever deserializer hands it over.

use super::model::{Flag, Flags, is_percentage};
use crate::de::{BOOL_WORDS, parse_bool};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

const FIELDS: &[&str] = &["enabled", "rollout", "allow", "deny"];

/// A table of flag name to flag, or text holding a JSON object of them.
///
/// ```
/// use settings_core::flags::Flags;
///
/// let flags: Flags = serde_json::from_str(r#"{"a": true, "b": {"rollout": "12.5"}}"#).unwrap();
/// assert_eq!(flags.get("b").unwrap().rollout(), 12.5);
/// ```
impl<'de> Deserialize<'de> for Flags {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FlagsVisitor)
    }
}

struct FlagsVisitor;

impl<'de> Visitor<'de> for FlagsVisitor {
    type Value = Flags;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of flag name to flag")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Flags, A::Error> {
        let mut flags = BTreeMap::new();
        while let Some(name) = map.next_key::<String>()? {
            let flag = map.next_value::<Flag>()?;
            if flags.contains_key(&name) {
                return Err(de::Error::custom(format_args!(
                    "the flag `{name}` is given twice"
                )));
            }
            flags.insert(name, flag);
        }
        Ok(Flags { flags })
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Flags, E> {
        if text.trim().is_empty() {
            return Ok(Flags::default());
        }
        from_json(text, &self)
    }
}

/// A bool (also as text: `yes`, `off`, ...) or a table with `enabled`, `rollout`, `allow` and
/// `deny`, each optional (`enabled` defaults to `true`).
///
/// ```
/// use settings_core::flags::Flag;
///
/// let flag: Flag = serde_json::from_str(r#""on""#).unwrap();
/// assert_eq!(flag, Flag::new(true));
/// let flag: Flag = serde_json::from_str(r#"{"rollout": 25, "deny": ["bot"]}"#).unwrap();
/// assert!(flag.enabled());
/// let err = serde_json::from_str::<Flag>(r#"{"rollout": 150}"#).unwrap_err();
/// assert!(err.to_string().contains("expected a percentage from 0 to 100, found 150"));
/// ```
impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlagVisitor)
    }
}

struct FlagVisitor;

impl<'de> Visitor<'de> for FlagVisitor {
    type Value = Flag;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{BOOL_WORDS} or a table with `enabled`, `rollout`, `allow`, `deny`"
        )
    }

    fn visit_bool<E: de::Error>(self, enabled: bool) -> Result<Flag, E> {
        Ok(Flag::new(enabled))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Flag, E> {
        Switch::from_digit(n, de::Unexpected::Signed(n)).map(|Switch(b)| Flag::new(b))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Flag, E> {
        Switch::from_digit(n, de::Unexpected::Unsigned(n)).map(|Switch(b)| Flag::new(b))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Flag, E> {
        if text.trim_start().starts_with('{') {
            return from_json(text, &self);
        }
        match parse_bool(text) {
            Some(enabled) => Ok(Flag::new(enabled)),
            None => Err(de::Error::invalid_value(de::Unexpected::Str(text), &self)),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Flag, A::Error> {
        let mut enabled = None;
        let mut rollout = None;
        let mut allow = None;
        let mut deny = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "enabled" => once(&mut enabled, "enabled", map.next_value::<Switch>()?.0)?,
                "rollout" => once(&mut rollout, "rollout", map.next_value::<Percent>()?.0)?,
                "allow" => once(&mut allow, "allow", map.next_value::<BTreeSet<String>>()?)?,
                "deny" => once(&mut deny, "deny", map.next_value::<BTreeSet<String>>()?)?,
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            }
        }
        Ok(Flag {
            enabled: enabled.unwrap_or(true),
            rollout: rollout.unwrap_or(100.0),
            allow: allow.unwrap_or_default(),
            deny: deny.unwrap_or_default(),
        })
    }
}

/// Sets a field of a flag table, failing when the table gives it twice.
fn once<T, E: de::Error>(slot: &mut Option<T>, name: &'static str, value: T) -> Result<(), E> {
    if slot.replace(value).is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    Ok(())
}

/// Text holding a JSON object, where a flag or the flags are expected.
fn from_json<'de, T, V, E>(text: &str, visitor: &V) -> Result<T, E>
where
    T: de::DeserializeOwned,
    V: Visitor<'de>,
    E: de::Error,
{
    let trimmed = text.trim();
    if !trimmed.starts_with('{') {
        return Err(de::Error::invalid_value(de::Unexpected::Str(text), visitor));
    }
    // serde_json's messages name a line and column, and quote no more than the bad token.
    serde_json::from_str(trimmed).map_err(|e| de::Error::custom(format_args!("in JSON text: {e}")))
}

/// `enabled`: a bool, or text or 0/1 meaning one.
struct Switch(bool);

impl Switch {
    /// `0` or `1` as a bool; `n` is the number as `shown`.
    fn from_digit<E: de::Error>(
        n: impl TryInto<u8>,
        shown: de::Unexpected<'_>,
    ) -> Result<Switch, E> {
        match n.try_into() {
            Ok(0) => Ok(Switch(false)),
            Ok(1) => Ok(Switch(true)),
            _ => Err(de::Error::invalid_value(shown, &BOOL_WORDS)),
        }
    }
}

impl<'de> Deserialize<'de> for Switch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SwitchVisitor)
    }
}

struct SwitchVisitor;

impl<'de> Visitor<'de> for SwitchVisitor {
    type Value = Switch;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(BOOL_WORDS)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Switch, E> {
        Ok(Switch(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Switch, E> {
        Switch::from_digit(n, de::Unexpected::Signed(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Switch, E> {
        Switch::from_digit(n, de::Unexpected::Unsigned(n))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Switch, E> {
        parse_bool(text)
            .map(Switch)
            .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Str(text), &self))
    }
}

/// `rollout`: a number, or text holding one, from 0 to 100.
struct Percent(f64);

const PERCENT: &str = "a percentage from 0 to 100";

impl Percent {
    fn new<E: de::Error>(value: f64, shown: &dyn fmt::Display) -> Result<Percent, E> {
        if is_percentage(value) {
            Ok(Percent(value))
        } else {
            Err(de::Error::custom(format_args!(
                "expected {PERCENT}, found {shown}"
            )))
        }
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PercentVisitor)
    }
}

struct PercentVisitor;

impl<'de> Visitor<'de> for PercentVisitor {
    type Value = Percent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(PERCENT)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Percent, E> {
        Percent::new(n as f64, &n)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Percent, E> {
        Percent::new(n as f64, &n)
    }

    fn visit_i128<E: de::Error>(self, n: i128) -> Result<Percent, E> {
        Percent::new(n as f64, &n)
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Percent, E> {
        Percent::new(f, &f)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Percent, E> {
        let shown = crate::error::quote(text);
        match text.trim().parse::<f64>() {
            Ok(f) => Percent::new(f, &shown),
            Err(_) => Err(de::Error::custom(format_args!(
                "expected {PERCENT}, found {shown}"
            ))),
        }
    }
}

/// A table of flag name to flag, each flag in its shortest form (see [`Flag`]'s `Serialize`).
///
/// ```
/// use settings_core::flags::{Flag, Flags};
///
/// let flags: Flags = [("a", Flag::new(true))].into_iter().collect();
/// assert_eq!(serde_json::to_string(&flags).unwrap(), r#"{"a":true}"#);
/// ```
impl Serialize for Flags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.flags.len()))?;
        for (name, flag) in &self.flags {
            map.serialize_entry(name, flag)?;
        }
        map.end()
    }
}

/// A bool when the flag has a rollout of 100 and empty lists; else a table with `enabled`, and
/// `rollout`, `allow` and `deny` where they differ from their defaults. Deserializing the output
/// gives an equal flag.
///
/// ```
/// use settings_core::flags::Flag;
///
/// let flag = Flag::new(true).with_rollout(25.0);
/// let json = serde_json::to_string(&flag).unwrap();
/// assert_eq!(json, r#"{"enabled":true,"rollout":25.0}"#);
/// assert_eq!(serde_json::from_str::<Flag>(&json).unwrap(), flag);
/// ```
impl Serialize for Flag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_plain() {
            return serializer.serialize_bool(self.enabled);
        }
        let has_rollout = self.rollout != 100.0;
        let fields = 1
            + usize::from(has_rollout)
            + usize::from(!self.allow.is_empty())
            + usize::from(!self.deny.is_empty());
        let mut table = serializer.serialize_struct("Flag", fields)?;
        table.serialize_field("enabled", &self.enabled)?;
        if has_rollout {
            table.serialize_field("rollout", &self.rollout)?;
        } else {
            table.skip_field("rollout")?;
        }
        for (name, keys) in [("allow", &self.allow), ("deny", &self.deny)] {
            if keys.is_empty() {
                table.skip_field(name)?;
            } else {
                table.serialize_field(name, keys)?;
            }
        }
        table.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_are_understood() {
        let flags: Flags = serde_json::from_str(
            r#"{
                "a": "Yes", "b": "OFF", "c": 1, "d": "{\"rollout\": 5}",
                "e": {"enabled": "no", "rollout": " 12.5 ", "allow": ["x"]}
            }"#,
        )
        .unwrap();
        assert_eq!(flags.get("a"), Some(&Flag::new(true)));
        assert_eq!(flags.get("b"), Some(&Flag::new(false)));
        assert_eq!(flags.get("c"), Some(&Flag::new(true)));
        assert_eq!(flags.get("d"), Some(&Flag::new(true).with_rollout(5.0)));
        let e = flags.get("e").unwrap();
        assert!(!e.enabled());
        assert_eq!(e.rollout(), 12.5);
        // Deserializers that hand text to a map (figment's, for one) may give all flags as JSON.
        let text = |t| Flags::deserialize(de::value::StrDeserializer::<de::value::Error>::new(t));
        assert!(text(r#"{"a": true}"#).unwrap().is_enabled("a"));
        assert!(text("  ").unwrap().is_empty());
        assert!(
            text("a=1").unwrap_err().to_string().starts_with(
                "invalid value: string \"a=1\", expected a table of flag name to flag"
            )
        );
    }

    #[test]
    fn bad_values_have_clear_messages() {
        let err = |json: &str| serde_json::from_str::<Flags>(json).unwrap_err().to_string();
        assert!(
            err(r#"{"a": {"rollout": 150}}"#)
                .starts_with("expected a percentage from 0 to 100, found 150")
        );
        assert!(
            err(r#"{"a": {"rollout": -0.5}}"#)
                .starts_with("expected a percentage from 0 to 100, found -0.5")
        );
        assert!(
            err(r#"{"a": {"rollout": "lots"}}"#)
                .starts_with("expected a percentage from 0 to 100, found \"lots\"")
        );
        assert!(
            err(r#"{"a": {"rollout": true}}"#)
                .starts_with("invalid type: boolean `true`, expected a percentage from 0 to 100")
        );
        assert!(err(r#"{"a": {"rolout": 5}}"#).starts_with(
            "unknown field `rolout`, expected one of `enabled`, `rollout`, `allow`, `deny`"
        ));
        assert!(err(r#"{"a": "maybe"}"#).starts_with(
            "invalid value: string \"maybe\", expected a boolean (true/false, 1/0, yes/no, \
             on/off) or a table"
        ));
        assert!(err(r#"{"a": {"enabled": 2}}"#).starts_with("invalid value: integer `2`"));
        assert!(err(r#"{"a": -1}"#).starts_with("invalid value: integer `-1`"));
        assert!(
            err(r#"{"a": {"enabled": true, "enabled": false}}"#)
                .starts_with("duplicate field `enabled`")
        );
        assert!(err(r#"{"a": true, "a": false}"#).starts_with("the flag `a` is given twice"));
        assert!(err(r#"{"a": "{\"rollout\": }"}"#).starts_with("in JSON text: expected value"));
        assert!(err(r#"[true]"#).starts_with("invalid type: sequence, expected a table of flag"));
    }

    #[test]
    fn serialization_round_trips() {
        let flags: Flags = [
            ("plain", Flag::new(false)),
            (
                "full",
                Flag::new(false)
                    .with_rollout(12.5)
                    .with_allow(["b", "a"])
                    .with_deny(["c"]),
            ),
            ("listed", Flag::new(true).with_deny(["c"])),
        ]
        .into_iter()
        .collect();
        let json = serde_json::to_string(&flags).unwrap();
        assert_eq!(
            json,
            r#"{"full":{"enabled":false,"rollout":12.5,"allow":["a","b"],"deny":["c"]},"listed":{"enabled":true,"deny":["c"]},"plain":false}"#
        );
        assert_eq!(serde_json::from_str::<Flags>(&json).unwrap(), flags);
        let toml = r#"
            plain = false
            full = { enabled = false, rollout = 12.5, allow = ["a", "b"], deny = ["c"] }
            [listed]
            deny = ["c"]
        "#;
        assert_eq!(toml::from_str::<Flags>(toml).unwrap(), flags);
    }
}
