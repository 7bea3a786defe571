//! The flags and the decision: which flag is on, for which key.

use super::bucket::{BUCKETS, bucket};
use std::collections::{BTreeMap, BTreeSet};

/// Named feature flags, deserialized from a table of flag name to [`Flag`].
///
/// ```
/// use settings_core::flags::{Flag, Flags};
///
/// let flags: Flags = [
///     ("dark_mode", Flag::new(true)),
///     ("new_checkout", Flag::new(true).with_rollout(50.0).with_deny(["user-7"])),
/// ]
/// .into_iter()
/// .collect();
/// assert!(flags.is_enabled("dark_mode"));
/// assert!(!flags.is_enabled("new_checkout")); // a partial rollout needs a key
/// assert!(!flags.is_enabled_for("new_checkout", "user-7"));
/// assert_eq!(flags.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flags {
    pub(super) flags: BTreeMap<String, Flag>,
}

/// One feature flag: a switch, a rollout percentage and allow and deny lists.
///
/// `true` in a file is `Flag::new(true)`: enabled for every key. Two flags are equal when they
/// answer the same for every key, so `true` equals `{ enabled = true, rollout = 100 }`.
///
/// ```
/// use settings_core::flags::Flag;
///
/// let flag = Flag::new(true).with_rollout(12.5).with_allow(["qa-1", "qa-2"]);
/// assert!(flag.enabled());
/// assert_eq!(flag.rollout(), 12.5);
/// assert!(flag.allow().contains("qa-1"));
/// assert!(flag.deny().is_empty());
/// assert_eq!(Flag::from(false), Flag::new(false));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub(super) enabled: bool,
    /// A percentage from 0 to 100.
    pub(super) rollout: f64,
    pub(super) allow: BTreeSet<String>,
    pub(super) deny: BTreeSet<String>,
}

/// Why a flag answered as it did for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Why {
    /// No flag of that name.
    Unknown,
    /// `enabled = false`.
    Disabled,
    /// The key is on the deny list.
    Denied,
    /// The key is on the allow list.
    Allowed,
    /// The flag is on for every key outside the lists (rollout 100).
    Everyone,
    /// The flag is off for every key outside the lists (rollout 0).
    Nobody,
    /// The key's bucket decided.
    Rollout,
}

impl Flags {
    /// Whether the flag is on for every key outside its lists: enabled, with a rollout of 100. An
    /// unknown flag is off, and so is a partial rollout (it needs a key: use
    /// [`Flags::is_enabled_for`]). A bool flag answers here as it does for every key.
    ///
    /// ```
    /// use settings_core::flags::{Flag, Flags};
    ///
    /// let flags: Flags = [
    ///     ("on", Flag::new(true)),
    ///     ("off", Flag::new(false)),
    ///     ("half", Flag::new(true).with_rollout(50.0)),
    /// ]
    /// .into_iter()
    /// .collect();
    /// assert!(flags.is_enabled("on"));
    /// assert!(!flags.is_enabled("off"));
    /// assert!(!flags.is_enabled("half"));
    /// assert!(!flags.is_enabled("unknown"));
    /// ```
    pub fn is_enabled(&self, name: &str) -> bool {
        self.flags
            .get(name)
            .is_some_and(|flag| flag.enabled && flag.threshold() == BUCKETS)
    }

    /// Whether the flag is on for this key (a user id, a tenant, a host name). An unknown or
    /// disabled flag is off; else a key on `deny` is off; else a key on `allow` is on; else the
    /// key is on when its [`bucket`] is below the rollout, which every process computes alike.
    ///
    /// ```
    /// use settings_core::flags::{Flag, Flags};
    ///
    /// let flags: Flags = [(
    ///     "new_checkout",
    ///     Flag::new(true)
    ///         .with_rollout(0.0)
    ///         .with_allow(["user-1", "user-2"])
    ///         .with_deny(["user-2"]),
    /// )]
    /// .into_iter()
    /// .collect();
    /// assert!(flags.is_enabled_for("new_checkout", "user-1")); // allowed beats the rollout
    /// assert!(!flags.is_enabled_for("new_checkout", "user-2")); // denied beats allowed
    /// assert!(!flags.is_enabled_for("new_checkout", "user-3")); // rollout 0
    /// assert!(!flags.is_enabled_for("unknown", "user-1"));
    /// ```
    pub fn is_enabled_for(&self, name: &str, key: &str) -> bool {
        self.decide(name, key).0
    }

    /// The answer for one key and the rule that gave it.
    pub(super) fn decide(&self, name: &str, key: &str) -> (bool, Why) {
        let Some(flag) = self.flags.get(name) else {
            return (false, Why::Unknown);
        };
        if !flag.enabled {
            return (false, Why::Disabled);
        }
        if flag.deny.contains(key) {
            return (false, Why::Denied);
        }
        if flag.allow.contains(key) {
            return (true, Why::Allowed);
        }
        match flag.threshold() {
            BUCKETS => (true, Why::Everyone),
            0 => (false, Why::Nobody),
            threshold => (bucket(name, key) < threshold, Why::Rollout),
        }
    }

    /// The flag of this name, if there is one.
    ///
    /// ```
    /// use settings_core::flags::{Flag, Flags};
    ///
    /// let flags: Flags = [("beta", Flag::new(true).with_rollout(5.0))].into_iter().collect();
    /// assert_eq!(flags.get("beta").map(|f| f.rollout()), Some(5.0));
    /// assert_eq!(flags.get("gamma"), None);
    /// ```
    pub fn get(&self, name: &str) -> Option<&Flag> {
        self.flags.get(name)
    }

    /// The names of the flags, in sorted order.
    ///
    /// ```
    /// use settings_core::flags::{Flag, Flags};
    ///
    /// let flags: Flags = [("b", Flag::new(true)), ("a", Flag::new(false))].into_iter().collect();
    /// assert_eq!(flags.names().collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.flags.keys().map(String::as_str)
    }

    /// The number of flags.
    ///
    /// ```
    /// use settings_core::flags::Flags;
    ///
    /// assert_eq!(Flags::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.flags.len()
    }

    /// Whether there are no flags at all.
    ///
    /// ```
    /// use settings_core::flags::Flags;
    ///
    /// assert!(Flags::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }
}

/// Collects named flags; a later flag of the same name replaces an earlier one.
///
/// ```
/// use settings_core::flags::{Flag, Flags};
///
/// let flags: Flags = [("a", Flag::new(false)), ("a", Flag::new(true))].into_iter().collect();
/// assert!(flags.is_enabled("a"));
/// ```
impl<S: Into<String>> FromIterator<(S, Flag)> for Flags {
    fn from_iter<I: IntoIterator<Item = (S, Flag)>>(iter: I) -> Self {
        Flags {
            flags: iter
                .into_iter()
                .map(|(name, flag)| (name.into(), flag))
                .collect(),
        }
    }
}

impl Flag {
    /// A flag that is on (`true`) or off (`false`) for every key: rollout 100, empty lists.
    ///
    /// ```
    /// use settings_core::flags::Flag;
    ///
    /// assert!(Flag::new(true).enabled());
    /// assert_eq!(Flag::new(true).rollout(), 100.0);
    /// ```
    pub fn new(enabled: bool) -> Self {
        Flag {
            enabled,
            rollout: 100.0,
            allow: BTreeSet::new(),
            deny: BTreeSet::new(),
        }
    }

    /// The same flag with this rollout percentage.
    ///
    /// # Panics
    ///
    /// If `percent` is not from 0 to 100 (a `NaN` included). A rollout read from a source is
    /// checked by the load instead, which reports it as an issue.
    ///
    /// ```
    /// use settings_core::flags::Flag;
    ///
    /// assert_eq!(Flag::new(true).with_rollout(12.5).rollout(), 12.5);
    /// ```
    pub fn with_rollout(mut self, percent: f64) -> Self {
        assert!(
            is_percentage(percent),
            "a rollout is a percentage from 0 to 100, not {percent}"
        );
        self.rollout = percent;
        self
    }

    /// The same flag with these keys added to its allow list.
    ///
    /// ```
    /// use settings_core::flags::Flag;
    ///
    /// let flag = Flag::new(true).with_allow(["a"]).with_allow(["b"]);
    /// assert_eq!(flag.allow().len(), 2);
    /// ```
    pub fn with_allow<I, S>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allow.extend(keys.into_iter().map(Into::into));
        self
    }

    /// The same flag with these keys added to its deny list.
    ///
    /// ```
    /// use settings_core::flags::Flag;
    ///
    /// assert!(Flag::new(true).with_deny(["bot-1"]).deny().contains("bot-1"));
    /// ```
    pub fn with_deny<I, S>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.deny.extend(keys.into_iter().map(Into::into));
        self
    }

    /// Whether the flag is switched on at all; a disabled flag is off for every key, even those
    /// on its allow list.
    ///
    /// ```
    /// use settings_core::flags::Flag;
    ///
    /// assert!(!Flag::new(false).enabled());
    /// ```
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The percentage of keys (outside the lists) that the flag is on for, from 0 to 100.
    ///
    /// ```
    /// use settings_core::flags::Flag;
    ///
    /// assert_eq!(Flag::new(true).with_rollout(0.5).rollout(), 0.5);
    /// ```
    pub fn rollout(&self) -> f64 {
        self.rollout
    }

    /// The keys the flag is on for, whatever the rollout (unless also denied).
    ///
    /// ```
    /// use settings_core::flags::Flag;
    ///
    /// assert!(Flag::new(true).allow().is_empty());
    /// ```
    pub fn allow(&self) -> &BTreeSet<String> {
        &self.allow
    }

    /// The keys the flag is off for, whatever the rollout and the allow list.
    ///
    /// ```
    /// use settings_core::flags::Flag;
    ///
    /// assert!(Flag::new(true).deny().is_empty());
    /// ```
    pub fn deny(&self) -> &BTreeSet<String> {
        &self.deny
    }

    /// The rollout in buckets: a key is in when its bucket is below this.
    pub(super) fn threshold(&self) -> u16 {
        // `rollout` is from 0 to 100, so this is from 0 to 10 000.
        (self.rollout * 100.0).round() as u16
    }

    /// A flag that a bool says all about.
    pub(super) fn is_plain(&self) -> bool {
        self.rollout == 100.0 && self.allow.is_empty() && self.deny.is_empty()
    }
}

/// `true` and `false` as flags that are on or off for every key.
///
/// ```
/// use settings_core::flags::Flag;
///
/// assert!(Flag::from(true).enabled());
/// ```
impl From<bool> for Flag {
    fn from(enabled: bool) -> Self {
        Flag::new(enabled)
    }
}

pub(super) fn is_percentage(value: f64) -> bool {
    (0.0..=100.0).contains(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_round_to_hundredths() {
        let t = |p| Flag::new(true).with_rollout(p).threshold();
        assert_eq!(t(0.0), 0);
        assert_eq!(t(0.07), 7);
        assert_eq!(t(12.5), 1250);
        assert_eq!(t(99.999), 10_000);
        assert_eq!(t(100.0), 10_000);
    }

    #[test]
    #[should_panic(expected = "a rollout is a percentage from 0 to 100")]
    fn a_rollout_out_of_range_panics_in_code() {
        let _ = Flag::new(true).with_rollout(100.5);
    }

    #[test]
    fn decisions_name_their_rule() {
        let flags: Flags = [
            ("off", Flag::new(false).with_allow(["k"])),
            (
                "half",
                Flag::new(true)
                    .with_rollout(50.0)
                    .with_allow(["a"])
                    .with_deny(["d"]),
            ),
            ("none", Flag::new(true).with_rollout(0.0)),
            ("all", Flag::new(true)),
        ]
        .into_iter()
        .collect();
        assert_eq!(flags.decide("nope", "k"), (false, Why::Unknown));
        assert_eq!(flags.decide("off", "k"), (false, Why::Disabled));
        assert_eq!(flags.decide("half", "d"), (false, Why::Denied));
        assert_eq!(flags.decide("half", "a"), (true, Why::Allowed));
        assert_eq!(flags.decide("none", "k"), (false, Why::Nobody));
        assert_eq!(flags.decide("all", "k"), (true, Why::Everyone));
        let (_, why) = flags.decide("half", "k");
        assert_eq!(why, Why::Rollout);
    }
}
