//! `Secret<T>`: a value that never shows itself.

use std::any::Any;
use std::fmt;
use zeroize::Zeroize;

const MASK: &str = "**********";

/// A value kept out of every print: `Debug` is `Secret("**********")`, `Display` is
/// `**********`, `Serialize` writes the mask. The value is reached only by
/// [`expose_secret`](Secret::expose_secret), and is wiped from memory on drop where the type
/// allows (strings, byte vectors, paths, URLs, numbers, bools, chars).
///
/// `Secret<T>` is the way to keep a value out of your own `#[derive(Debug)]`: the
/// `#[settings(secret)]` attribute masks a plain field in reports and errors, but cannot change
/// what the derived `Debug` of your struct prints.
///
/// ```
/// use settings_core::{Secret, Settings};
///
/// #[derive(Settings, Debug)]
/// #[settings(env_prefix = "APP_")]
/// struct App {
///     api_key: Secret<String>,
/// }
///
/// let app = App::loader().env_vars([("APP_API_KEY", "hunter2")]).load().unwrap();
/// assert_eq!(app.api_key.expose_secret(), "hunter2");
/// assert_eq!(format!("{app:?}"), r#"App { api_key: Secret("**********") }"#);
/// assert_eq!(app.api_key.to_string(), "**********");
/// ```
pub struct Secret<T: 'static>(T);

impl<T: 'static> Secret<T> {
    /// Wraps a value.
    ///
    /// ```
    /// let s = settings_core::Secret::new(42u32);
    /// assert_eq!(*s.expose_secret(), 42);
    /// ```
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value itself: the one way to read it.
    ///
    /// ```
    /// let s = settings_core::Secret::new(String::from("pw"));
    /// assert_eq!(s.expose_secret(), "pw");
    /// ```
    pub fn expose_secret(&self) -> &T {
        &self.0
    }

    /// A view that serializes the value itself instead of the mask, for the rare caller that
    /// must hand the secret on (writing it to a credentials file, say).
    ///
    /// ```
    /// let s = settings_core::Secret::new(String::from("pw"));
    /// assert_eq!(serde_json::to_string(&s).unwrap(), r#""**********""#);
    /// assert_eq!(serde_json::to_string(&s.exposed()).unwrap(), r#""pw""#);
    /// ```
    pub fn exposed(&self) -> Exposed<'_, T> {
        Exposed(&self.0)
    }
}

/// Serializes a secret's value itself; made by [`Secret::exposed`].
///
/// ```
/// let s = settings_core::Secret::new(7u8);
/// assert_eq!(serde_json::to_string(&s.exposed()).unwrap(), "7");
/// ```
pub struct Exposed<'a, T>(&'a T);

impl<T: serde::Serialize> serde::Serialize for Exposed<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<T: 'static> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Secret").field(&MASK).finish()
    }
}

impl<T: 'static> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl<T: Clone + 'static> Clone for Secret<T> {
    fn clone(&self) -> Self {
        Secret(self.0.clone())
    }
}

impl<T: Default + 'static> Default for Secret<T> {
    fn default() -> Self {
        Secret(T::default())
    }
}

impl<T: 'static> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret(value)
    }
}

impl<T: 'static> serde::Serialize for Secret<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(MASK)
    }
}

impl<'de, T: serde::Deserialize<'de> + 'static> serde::Deserialize<'de> for Secret<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret)
    }
}

impl<T: 'static> Drop for Secret<T> {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// Overwrites the memory of the value where its type is one we know how to wipe.
fn wipe(value: &mut dyn Any) {
    macro_rules! zeroize_types {
        ($($t:ty),*) => {$(
            if let Some(v) = value.downcast_mut::<$t>() {
                v.zeroize();
                return;
            }
        )*};
    }
    zeroize_types!(
        String,
        Vec<u8>,
        Box<str>,
        u8,
        u16,
        u32,
        u64,
        u128,
        usize,
        i8,
        i16,
        i32,
        i64,
        i128,
        isize,
        f32,
        f64,
        bool,
        char
    );
    if let Some(v) = value.downcast_mut::<std::path::PathBuf>() {
        let mut bytes = std::mem::take(v).into_os_string().into_encoded_bytes();
        bytes.zeroize();
    } else if let Some(v) = value.downcast_mut::<std::ffi::OsString>() {
        let mut bytes = std::mem::take(v).into_encoded_bytes();
        bytes.zeroize();
    } else if let Some(v) = value.downcast_mut::<url::Url>() {
        if let Ok(blank) = url::Url::parse("data:,") {
            let mut text = String::from(std::mem::replace(v, blank));
            text.zeroize();
        }
    } else if let Some(v) = value.downcast_mut::<Vec<String>>() {
        v.iter_mut().for_each(Zeroize::zeroize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_in_every_print() {
        let s = Secret::new(String::from("top-secret"));
        assert_eq!(format!("{s:?}"), "Secret(\"**********\")");
        assert!(!format!("{s:#?}").contains("top-secret"));
        assert_eq!(s.to_string(), MASK);
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"**********\"");
    }

    #[test]
    fn wipe_clears_known_types() {
        let mut s = String::from("abc");
        wipe(&mut s);
        assert!(s.bytes().all(|b| b == 0) || s.is_empty());
        let mut n = 42u32;
        wipe(&mut n);
        assert_eq!(n, 0);
        let mut u = url::Url::parse("postgres://u:pw@h/db").unwrap();
        wipe(&mut u);
        assert!(!u.as_str().contains("pw"));
    }
}
