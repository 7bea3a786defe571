//! Feature flags read from any source: on/off switches, percentage rollouts that every process
//! of a fleet agrees on, and allow and deny lists.
//!
//! ```
//! use settings_core::flags::Flags;
//! use settings_core::Settings;
//!
//! #[derive(Settings, Debug)]
//! #[settings(env_prefix = "APP_")]
//! struct App {
//!     #[settings(default)]
//!     flags: Flags,
//! }
//!
//! let app = App::loader()
//!     .env_vars([(
//!         "APP_FLAGS",
//!         r#"{"dark_mode": true, "new_checkout": {"rollout": 25, "allow": ["user-1"]}}"#,
//!     )])
//!     .load()?;
//! assert!(app.flags.is_enabled("dark_mode"));
//! assert!(app.flags.is_enabled_for("new_checkout", "user-1"));
//! assert!(!app.flags.is_enabled("no_such_flag"));
//! # Ok::<(), settings_core::Error>(())
//! ```
//!
//! # Details
//!
//! - In a file, a flag is a bool (`dark_mode = true`) or a table
//!   `{ enabled = true, rollout = 25.0, allow = ["user-1"], deny = [] }`. Every key of the table
//!   is optional: `enabled` defaults to `true` (writing the table is how a flag is configured),
//!   `rollout` to 100, `allow` and `deny` to empty. Any other key is an error.
//! - Values given as text (environment variables, dotenv and INI files) are understood:
//!   `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0` in any case for a bool, `"12.5"` for a
//!   rollout, `a,b` or a JSON array for a list, and a JSON object for a table or for all flags.
//! - `rollout` is a percentage from 0 to 100, with a resolution of 0.01; anything else, or a
//!   value that is not a number, fails the load with an `Invalid` issue at the field.
//! - [`Flags::is_enabled_for`] decides in this order: an unknown or disabled flag is off; a key
//!   on `deny` is off; a key on `allow` is on; otherwise the key is on when its [`bucket`] falls
//!   below the rollout.
//! - [`Flags::is_enabled`] has no key, so it answers for a flag that is on for every key outside
//!   the lists: enabled, with a rollout of 100 (after rounding to hundredths). A partial
//!   rollout is off here, so that code without a key never enters an experiment by accident.
//! - The [`bucket`] of a key is a documented hash, the same in every process, release and
//!   platform (see its docs for the specification), so a fleet agrees on who is in a rollout.
//! - With the cargo feature `openfeature`, `FlagsProvider` serves the flags to the
//!   [OpenFeature](https://openfeature.dev) Rust SDK (crate `open-feature`).

use std::collections::{BTreeMap, BTreeSet};

mod bucket;
mod serde;

pub use self::bucket::bucket;
use self::bucket::BUCKETS;
#[cfg(feature = "openfeature")]
pub use self::openfeature::FlagsProvider;

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
    flags: BTreeMap<String, Flag>,
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
    enabled: bool,
    /// A percentage from 0 to 100.
    rollout: f64,
    allow: BTreeSet<String>,
    deny: BTreeSet<String>,
}

/// Why a flag answered as it did for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
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
    fn decide(&self, name: &str, key: &str) -> (bool, Why) {
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
    fn threshold(&self) -> u16 {
        // `rollout` is from 0 to 100, so this is from 0 to 10 000.
        (self.rollout * 100.0).round() as u16
    }

    /// A flag that a bool says all about.
    fn is_plain(&self) -> bool {
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

fn is_percentage(value: f64) -> bool {
    (0.0..=100.0).contains(&value)
}

#[cfg(feature = "openfeature")]
mod openfeature {
    //! The OpenFeature provider: boolean flags through the `open-feature` crate's client.

    use super::{Flags, Why};
    use open_feature::provider::{FeatureProvider, ProviderMetadata, ResolutionDetails};
    use open_feature::{
        async_trait, EvaluationContext, EvaluationError, EvaluationErrorCode, EvaluationReason,
        EvaluationResult, StructValue,
    };
    use std::borrow::Borrow;
    use std::fmt;

    /// Hands the current flags to a visitor: the borrow may not outlive the call (a guard).
    type ReadFlags = dyn Fn(&mut dyn FnMut(&Flags)) + Send + Sync;

    /// Serves [`Flags`] to the [OpenFeature](https://openfeature.dev) Rust SDK (cargo feature
    /// `openfeature`).
    ///
    /// Flags resolve as booleans only. With a targeting key in the evaluation context, a flag
    /// answers as [`Flags::is_enabled_for`] with that key; without one, as
    /// [`Flags::is_enabled`], except that a partial rollout fails with
    /// `TARGETING_KEY_MISSING` rather than answering for a key it was not given. An unknown
    /// flag fails with `FLAG_NOT_FOUND`, and resolving a flag as an integer, a float, a string
    /// or a structure fails with `TYPE_MISMATCH`: the client then returns an error, and the
    /// caller's default applies (`unwrap_or(false)`).
    ///
    /// The reason of a resolution is `DISABLED` for a disabled flag, `TARGETING_MATCH` for a
    /// key on the allow or deny list, `SPLIT` when the key's bucket decided and `STATIC`
    /// otherwise; the variant is `"on"` or `"off"`.
    ///
    /// ```
    /// use open_feature::{EvaluationContext, OpenFeature};
    /// use settings_core::flags::{Flag, Flags, FlagsProvider};
    ///
    /// # async fn run() {
    /// let flags: Flags = [(
    ///     "new_checkout",
    ///     Flag::new(true).with_rollout(25.0).with_allow(["user-42"]),
    /// )]
    /// .into_iter()
    /// .collect();
    /// let mut api = OpenFeature::singleton_mut().await;
    /// api.set_provider(FlagsProvider::new(flags)).await;
    /// let client = api.create_client();
    /// let user = EvaluationContext::default().with_targeting_key("user-42");
    /// let on = client.get_bool_value("new_checkout", Some(&user), None).await;
    /// assert!(on.unwrap_or(false));
    /// // An unknown flag fails with FLAG_NOT_FOUND, so the caller's default applies.
    /// let unknown = client.get_bool_value("no_such_flag", Some(&user), None).await;
    /// assert!(!unknown.unwrap_or(false));
    /// # }
    /// # // Nothing here waits: one poll with a no-op waker runs it, without an async runtime.
    /// # use std::future::Future;
    /// # let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// # assert!(std::pin::pin!(run()).poll(&mut cx).is_ready());
    /// ```
    pub struct FlagsProvider {
        read: Box<ReadFlags>,
        metadata: ProviderMetadata,
    }

    impl FlagsProvider {
        /// A provider of these flags, fixed for its lifetime.
        ///
        /// ```
        /// use open_feature::provider::FeatureProvider;
        /// use settings_core::flags::{Flags, FlagsProvider};
        ///
        /// let provider = FlagsProvider::new(Flags::default());
        /// assert_eq!(provider.metadata().name, "settings-core flags");
        /// ```
        pub fn new(flags: Flags) -> Self {
            FlagsProvider::from_fn(move || flags.clone())
        }

        /// A provider that reads the flags from `current` at every evaluation, so that flags
        /// that change at runtime (a `Live` value, an `ArcSwap`) are served as they are now.
        /// `current` returns the flags or anything that borrows as them (`Arc<Flags>`, a
        /// guard).
        ///
        /// ```
        /// use settings_core::flags::{Flag, Flags, FlagsProvider};
        /// use std::sync::{Arc, RwLock};
        ///
        /// let shared = Arc::new(RwLock::new(Arc::new(Flags::default())));
        /// let reader = Arc::clone(&shared);
        /// let provider = FlagsProvider::from_fn(move || Arc::clone(&reader.read().unwrap()));
        /// // Later, a reload swaps in new flags; the provider serves them from then on.
        /// *shared.write().unwrap() = Arc::new([("beta", Flag::new(true))].into_iter().collect());
        /// # let _ = provider;
        /// ```
        pub fn from_fn<F, R>(current: F) -> Self
        where
            F: Fn() -> R + Send + Sync + 'static,
            R: Borrow<Flags>,
        {
            FlagsProvider {
                read: Box::new(move |visit: &mut dyn FnMut(&Flags)| visit(current().borrow())),
                metadata: ProviderMetadata::new("settings-core flags"),
            }
        }

        /// Runs `f` on the current flags.
        fn with_flags<T>(&self, f: impl FnOnce(&Flags) -> T) -> T {
            let mut f = Some(f);
            let mut out = None;
            (self.read)(&mut |flags: &Flags| {
                if let Some(f) = f.take() {
                    out = Some(f(flags));
                }
            });
            out.expect("`FlagsProvider::from_fn` reads the flags once per evaluation")
        }

        fn resolve_bool(
            &self,
            name: &str,
            context: &EvaluationContext,
        ) -> EvaluationResult<ResolutionDetails<bool>> {
            self.with_flags(|flags| {
                let Some(flag) = flags.get(name) else {
                    return Err(not_found(name));
                };
                let (value, why) = match context.targeting_key.as_deref() {
                    Some(key) => flags.decide(name, key),
                    None if !flag.enabled => (false, Why::Disabled),
                    None => match flag.threshold() {
                        super::BUCKETS => (true, Why::Everyone),
                        0 => (false, Why::Nobody),
                        _ => {
                            return Err(EvaluationError::builder()
                                .code(EvaluationErrorCode::TargetingKeyMissing)
                                .message(format!(
                                    "the flag `{name}` is rolled out to {}% of keys; \
                                     its evaluation context needs a targeting key",
                                    flag.rollout()
                                ))
                                .build())
                        }
                    },
                };
                let reason = match why {
                    Why::Disabled => EvaluationReason::Disabled,
                    Why::Denied | Why::Allowed => EvaluationReason::TargetingMatch,
                    Why::Rollout => EvaluationReason::Split,
                    Why::Everyone | Why::Nobody | Why::Unknown => EvaluationReason::Static,
                };
                Ok(ResolutionDetails::builder()
                    .value(value)
                    .variant(if value { "on" } else { "off" })
                    .reason(reason)
                    .build())
            })
        }

        /// The error for a resolution of a type other than bool.
        fn not_bool<T>(&self, name: &str, ty: &str) -> EvaluationResult<T> {
            if self.with_flags(|flags| flags.get(name).is_none()) {
                return Err(not_found(name));
            }
            Err(EvaluationError::builder()
                .code(EvaluationErrorCode::TypeMismatch)
                .message(format!(
                    "the flag `{name}` is a boolean flag and cannot be resolved as {ty}"
                ))
                .build())
        }
    }

    fn not_found(name: &str) -> EvaluationError {
        EvaluationError::builder()
            .code(EvaluationErrorCode::FlagNotFound)
            .message(format!("no flag `{name}`"))
            .build()
    }

    impl fmt::Debug for FlagsProvider {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.with_flags(|flags| {
                f.debug_struct("FlagsProvider")
                    .field("flags", flags)
                    .finish_non_exhaustive()
            })
        }
    }

    #[async_trait]
    impl FeatureProvider for FlagsProvider {
        fn metadata(&self) -> &ProviderMetadata {
            &self.metadata
        }

        async fn resolve_bool_value(
            &self,
            flag_key: &str,
            evaluation_context: &EvaluationContext,
        ) -> EvaluationResult<ResolutionDetails<bool>> {
            self.resolve_bool(flag_key, evaluation_context)
        }

        async fn resolve_int_value(
            &self,
            flag_key: &str,
            _evaluation_context: &EvaluationContext,
        ) -> EvaluationResult<ResolutionDetails<i64>> {
            self.not_bool(flag_key, "an integer")
        }

        async fn resolve_float_value(
            &self,
            flag_key: &str,
            _evaluation_context: &EvaluationContext,
        ) -> EvaluationResult<ResolutionDetails<f64>> {
            self.not_bool(flag_key, "a float")
        }

        async fn resolve_string_value(
            &self,
            flag_key: &str,
            _evaluation_context: &EvaluationContext,
        ) -> EvaluationResult<ResolutionDetails<String>> {
            self.not_bool(flag_key, "a string")
        }

        async fn resolve_struct_value(
            &self,
            flag_key: &str,
            _evaluation_context: &EvaluationContext,
        ) -> EvaluationResult<ResolutionDetails<StructValue>> {
            self.not_bool(flag_key, "a structure")
        }
    }
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

    #[cfg(feature = "openfeature")]
    mod openfeature {
        use super::super::{Flag, Flags, FlagsProvider};
        use open_feature::provider::FeatureProvider;
        use open_feature::{EvaluationContext, EvaluationErrorCode, EvaluationReason, OpenFeature};
        use std::future::Future;
        use std::pin::pin;
        use std::sync::{Arc, RwLock};
        use std::task::{Context, Poll, Waker};

        /// Runs a future that never waits on anything to completion (no runtime needed).
        fn block_on<F: Future>(future: F) -> F::Output {
            let mut future = pin!(future);
            let mut cx = Context::from_waker(Waker::noop());
            for _ in 0..1000 {
                if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                    return out;
                }
            }
            panic!("the future kept waiting")
        }

        fn flags() -> Flags {
            [
                ("on", Flag::new(true)),
                ("off", Flag::new(false).with_allow(["vip"])),
                (
                    "half",
                    Flag::new(true)
                        .with_rollout(50.0)
                        .with_allow(["vip"])
                        .with_deny(["bot"]),
                ),
            ]
            .into_iter()
            .collect()
        }

        fn key(k: &str) -> EvaluationContext {
            EvaluationContext::default().with_targeting_key(k)
        }

        #[test]
        fn booleans_resolve_with_reasons() {
            let p = FlagsProvider::new(flags());
            let resolve = |name, cx: &EvaluationContext| {
                block_on(p.resolve_bool_value(name, cx))
                    .map(|d| (d.value, d.reason.unwrap(), d.variant.unwrap()))
            };
            let none = EvaluationContext::default();
            let on = (true, EvaluationReason::Static, "on".to_owned());
            assert_eq!(resolve("on", &none).unwrap(), on);
            assert_eq!(resolve("on", &key("u")).unwrap(), on);
            let disabled = (false, EvaluationReason::Disabled, "off".to_owned());
            assert_eq!(resolve("off", &key("vip")).unwrap(), disabled);
            assert_eq!(resolve("off", &none).unwrap(), disabled);
            let matched = |v| (v, EvaluationReason::TargetingMatch);
            let strip = |r: (bool, EvaluationReason, String)| (r.0, r.1);
            assert_eq!(strip(resolve("half", &key("vip")).unwrap()), matched(true));
            assert_eq!(strip(resolve("half", &key("bot")).unwrap()), matched(false));
            let flags = flags();
            for k in ["user-1", "user-2", "user-3", "user-4"] {
                let (value, reason, _) = resolve("half", &key(k)).unwrap();
                assert_eq!(value, flags.is_enabled_for("half", k));
                assert_eq!(reason, EvaluationReason::Split);
            }
            let code = |r: Result<_, open_feature::EvaluationError>| r.unwrap_err().code;
            assert_eq!(
                code(resolve("half", &none)),
                EvaluationErrorCode::TargetingKeyMissing
            );
            assert_eq!(
                code(resolve("nope", &key("u"))),
                EvaluationErrorCode::FlagNotFound
            );
        }

        #[test]
        fn other_types_are_a_type_mismatch() {
            let p = FlagsProvider::new(flags());
            let cx = EvaluationContext::default();
            let err = block_on(p.resolve_int_value("on", &cx)).unwrap_err();
            assert_eq!(err.code, EvaluationErrorCode::TypeMismatch);
            assert_eq!(
                err.message.as_deref(),
                Some("the flag `on` is a boolean flag and cannot be resolved as an integer")
            );
            let err = block_on(p.resolve_float_value("on", &cx)).unwrap_err();
            assert_eq!(err.code, EvaluationErrorCode::TypeMismatch);
            let err = block_on(p.resolve_string_value("on", &cx)).unwrap_err();
            assert_eq!(err.code, EvaluationErrorCode::TypeMismatch);
            let err = block_on(p.resolve_struct_value("on", &cx)).unwrap_err();
            assert_eq!(err.code, EvaluationErrorCode::TypeMismatch);
            let err = block_on(p.resolve_string_value("nope", &cx)).unwrap_err();
            assert_eq!(err.code, EvaluationErrorCode::FlagNotFound);
        }

        #[test]
        fn the_sdk_client_falls_back_to_the_callers_default() {
            block_on(async {
                let mut api = OpenFeature::default();
                api.set_provider(FlagsProvider::new(flags())).await;
                let client = api.create_client();
                let vip = key("vip");
                assert!(client
                    .get_bool_value("half", Some(&vip), None)
                    .await
                    .unwrap());
                assert!(client.get_bool_value("on", None, None).await.unwrap());
                let unknown = client.get_bool_value("nope", Some(&vip), None).await;
                assert!(!unknown.unwrap_or(false));
                let details = client.get_bool_details("half", Some(&vip), None).await;
                assert_eq!(
                    details.unwrap().reason,
                    Some(EvaluationReason::TargetingMatch)
                );
                assert_eq!(api.provider_metadata().await.name, "settings-core flags");
            });
        }

        #[test]
        fn a_provider_from_a_function_serves_the_current_flags() {
            let shared = Arc::new(RwLock::new(Arc::new(Flags::default())));
            let reader = Arc::clone(&shared);
            let p = FlagsProvider::from_fn(move || Arc::clone(&reader.read().unwrap()));
            let cx = EvaluationContext::default();
            assert!(block_on(p.resolve_bool_value("on", &cx)).is_err());
            *shared.write().unwrap() = Arc::new(flags());
            assert!(block_on(p.resolve_bool_value("on", &cx)).unwrap().value);
            assert!(format!("{p:?}").starts_with("FlagsProvider { flags: Flags"));
        }
    }
}
