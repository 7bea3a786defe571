//! The items generated code may touch, re-exported as `settings_core::__private`.
//!
//! Not part of the public API and outside semver: only `#[derive(Settings)]` uses these.

pub use crate::extract::{Extract, SettingValue};
pub use crate::meta::{Constraint, DefaultMeta, FieldMeta, Lit, Pattern, Shape, StructMeta};
pub use crate::settings::Settings;
pub use crate::validate::{Checkable, Number};

/// Shows a value with its `Debug` when it has one (autoref specialization at the call site).
pub struct Describe<'a, T>(pub &'a T);

/// Picked when the value is `Debug`.
pub trait ViaDebug {
    /// The value's `Debug` text.
    fn __describe(&self) -> Option<String>;
}

impl<T: core::fmt::Debug> ViaDebug for Describe<'_, T> {
    fn __describe(&self) -> Option<String> {
        Some(format!("{:?}", self.0))
    }
}

/// Picked when the value is not `Debug`.
pub trait ViaNothing {
    /// Nothing to show.
    fn __describe(&self) -> Option<String>;
}

impl<T> ViaNothing for &Describe<'_, T> {
    fn __describe(&self) -> Option<String> {
        None
    }
}

/// A default as the value a config file would hold, for templates and the JSON Schema: its
/// `Serialize` form when it has one (autoref specialization at the call site), else nothing.
pub struct Shown<'a, T>(pub &'a T);

/// Picked when the value is `Serialize`.
pub trait ViaSerialize {
    /// The value as JSON.
    fn __value(&self) -> Option<serde_json::Value>;
}

impl<T: serde::Serialize> ViaSerialize for Shown<'_, T> {
    fn __value(&self) -> Option<serde_json::Value> {
        serde_json::to_value(self.0).ok()
    }
}

/// Picked when the value is not `Serialize`.
pub trait ViaNoSerialize {
    /// Nothing to show.
    fn __value(&self) -> Option<serde_json::Value>;
}

impl<T> ViaNoSerialize for &Shown<'_, T> {
    fn __value(&self) -> Option<serde_json::Value> {
        None
    }
}

/// A default's value as [`FieldMeta::default_value`] gives it.
pub use serde_json::Value as JsonValue;

/// Emitted in place of an impl whose derive failed, so that uses of the type do not add a second
/// wave of errors.
pub fn unreachable_fallback() -> ! {
    unreachable!("#[derive(Settings)] failed to compile")
}
