//! The OpenFeature provider: boolean flags through the `open-feature` crate's client.

use super::bucket::BUCKETS;
use super::model::{Flags, Why};
use open_feature::provider::{FeatureProvider, ProviderMetadata, ResolutionDetails};
use open_feature::{
    EvaluationContext, EvaluationError, EvaluationErrorCode, EvaluationReason, EvaluationResult,
    StructValue, async_trait,
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
                    BUCKETS => (true, Why::Everyone),
                    0 => (false, Why::Nobody),
                    _ => {
                        return Err(EvaluationError::builder()
                            .code(EvaluationErrorCode::TargetingKeyMissing)
                            .message(format!(
                                "the flag `{name}` is rolled out to {}% of keys; \
                                 its evaluation context needs a targeting key",
                                flag.rollout()
                            ))
                            .build());
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

#[cfg(test)]
mod tests {
    use crate::flags::{Flag, Flags, FlagsProvider};
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
            assert!(
                client
                    .get_bool_value("half", Some(&vip), None)
                    .await
                    .unwrap()
            );
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
