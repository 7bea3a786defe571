//! Typed, documented, validated application settings from defaults, config files, a secrets
//! directory, the environment and runtime overrides, with every problem reported at once.
//!
//! ```
//! use settings_core::{Secret, Settings};
//! use std::time::Duration;
//!
//! /// Settings of the billing service.
//! #[derive(Settings, Debug)]
//! #[settings(env_prefix = "APP_")]
//! struct AppSettings {
//!     /// Port the HTTP server listens on.
//!     #[settings(default = 8000)]
//!     port: u16,
//!     /// Main database.
//!     #[settings(nested)]
//!     db: DatabaseSettings,
//!     api_key: Secret<String>,
//!     #[settings(default = "30s")]
//!     request_timeout: Duration,
//!     debug: Option<bool>,
//! }
//!
//! #[derive(Settings, Debug)]
//! struct DatabaseSettings {
//!     url: String,
//!     #[settings(default = 10)]
//!     pool_size: u32,
//! }
//!
//! let settings = AppSettings::loader()
//!     .env_vars([
//!         ("APP_DB__URL", "postgres://db.internal/billing"),
//!         ("APP_API_KEY", "k-123"),
//!         ("APP_DEBUG", "yes"),
//!     ])
//!     .load()?;
//! assert_eq!(settings.port, 8000);
//! assert_eq!(settings.db.pool_size, 10);
//! assert_eq!(settings.request_timeout, Duration::from_secs(30));
//! assert_eq!(settings.debug, Some(true));
//! assert!(!format!("{settings:?}").contains("k-123"));
//! # Ok::<(), settings_core::Error>(())
//! ```
//!
//! # Details
//!
//! - Sources, lowest precedence first: struct defaults; config files (`files = [...]`, then
//!   [`Loader::file`] and [`Loader::file_optional`], each followed by its `name.<profile>.ext`
//!   sibling); custom providers ([`Loader::provider`]); the config directory; the secrets
//!   directory; the env file; the environment; runtime overrides ([`Loader::set`]). Tables merge
//!   deeply; arrays and scalars are replaced.
//! - Text (environment variables, dotenv lines, INI values, secret files) is turned into the
//!   declared type, never guessed: `APP_ZIP=007` into a `String` stays `"007"`; `yes`/`on`/`1`
//!   are `true` for a `bool`; `30s` is a `Duration`; `a,b,c` or a JSON array is a `Vec`.
//! - [`Error`] lists every problem of a load, each an [`Issue`] with a path, an [`IssueKind`],
//!   the origin of the bad value and a sentence; no issue ever contains a secret's value.
//! - [`Secret`] masks a value in every print and wipes it on drop.
//! - A value `ENC[age:<base64>]` in any source, and a whole `*.age` file, is decrypted at load
//!   with the age identities of `{env_prefix}AGE_KEY`, `{env_prefix}AGE_KEY_FILE`,
//!   [`Loader::age_identity`] or [`Loader::age_identity_file`], and is secret (cargo feature
//!   `age`, opt-in; without it, an encrypted value fails the load with an issue naming it).
//! - [`Loader::explain`] gives a [`Report`] of where every value came from.
#![forbid(unsafe_code)]
// On docs.rs (built with every feature and `--cfg docsrs`), each item shows the features it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod bytesize;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
mod cmdline;
mod de;
mod duration;
mod early;
mod encrypted;
mod error;
mod extract;
mod fields;
pub mod flags;
mod hashindex;
#[cfg(feature = "http")]
pub mod http;
mod interpolate;
mod layer;
mod loader;
mod merge;
mod meta;
#[cfg(feature = "cli")]
mod migrate;
mod naming;
mod origin;
mod pipeline;
mod plain;
mod profile;
mod providers;
mod redact;
#[cfg(any(
    feature = "aws",
    feature = "vault",
    feature = "etcd",
    feature = "gcp",
    feature = "azure"
))]
pub mod remote;
mod rename;
mod report;
mod schema;
mod secret;
mod settings;
mod suggest;
mod swar;
mod template;
#[cfg(test)]
mod testing;
mod tree;
mod validate;
#[cfg(feature = "watch")]
mod watch;

pub use crate::bytesize::ByteSize;
pub use crate::early::Early;
pub use crate::error::{Error, Issue, IssueKind};
pub use crate::loader::Loader;
pub use crate::origin::Origin;
pub use crate::report::{Entry, Report};
pub use crate::secret::{Exposed, Secret};
pub use crate::settings::Settings;
pub use crate::template::Format;
#[cfg(feature = "watch")]
pub use crate::watch::{Live, LiveReader, LiveRef};

/// Derives [`Settings`](trait@Settings) for a struct with named fields.
///
/// ```
/// use settings_core::Settings;
///
/// #[derive(Settings, Debug)]
/// #[settings(env_prefix = "APP_", files = ["settings.toml"])]
/// struct App {
///     /// Port the HTTP server listens on.
///     #[settings(default = 8000, range(min = 1, max = 65535))]
///     port: u16,
///     #[settings(env = "DATABASE_URL", url(schemes = ["postgres"]))]
///     database_url: String,
/// }
///
/// let app = App::loader()
///     .env_vars([("DATABASE_URL", "postgres://db/app")])
///     .load()
///     .unwrap();
/// assert_eq!(app.port, 8000);
/// ```
///
/// # Struct attributes `#[settings(...)]`
///
/// | attribute | meaning | default |
/// | --- | --- | --- |
/// | `env_prefix = "APP_"` | prefix of every derived environment variable name; it must end in `_` | none |
/// | `env_nested_delimiter = "__"` | joins the levels of a nested field: `APP_DB__POOL_SIZE` | `"__"` |
/// | `case_sensitive` | environment variable names must match exactly | off |
/// | `files = ["a.toml", "b.yaml"]` | config files merged in order; a missing one is skipped | none |
/// | `env_file = ".env"` | a dotenv file read like environment variables | none |
/// | `secrets_dir = "/run/secrets"` | one file per setting, every value secret | none |
/// | `config_dir = "/etc/app"` | one file per setting (a mounted ConfigMap) | none |
/// | `profile_env = "APP_PROFILE"` | the variable that selects the profile | `{env_prefix}PROFILE` |
/// | `profiles = ["dev", "prod"]` | the known profiles: another active profile is a `Source` issue | any profile (an unknown one is a report warning) |
/// | `deny_unknown = false` | ignore unknown keys in files | `true` |
/// | `deny_unknown_env` | prefixed variables that set nothing are errors | off |
/// | `deny_plain_secrets` | a secret from a plain-text config file or an argument is an `Invalid` issue, not a warning | off |
/// | `validate = path::to::fn` | `fn(&Self) -> Result<(), String>` once every field is valid | none |
///
/// # Field attributes `#[settings(...)]`
///
/// | attribute | meaning |
/// | --- | --- |
/// | `default = LITERAL` | a string, number, bool or array, turned into the type as config text is |
/// | `default` | `Default::default()` |
/// | `default_with = path` | calls `fn() -> T` |
/// | `env = "NAME"` | an explicit variable name (no prefix); repeatable, the first set wins |
/// | `env_only` | only the explicit names set the field |
/// | `nested` | the type derives `Settings` too and loads under this field's path |
/// | `rename = "key"` | the key in files and the env-name stem |
/// | `restart` | under `Live`, a change needs a restart |
/// | `secret` | masked in reports and errors (use `Secret<T>` to mask `Debug` too) |
/// | `cli_flag` | a secret field that takes a command-line flag all the same (secrets get none) |
/// | `range(min, max, gt, lt)` | bounds for numbers and durations |
/// | `len(min, max)` | length bounds for strings, lists, maps and sets |
/// | `regex = "..."` | the string must match |
/// | `url`, `url(schemes = [...])` | an absolute URL, optionally of these schemes |
/// | `one_of = [...]`, `one_of(values = [...], ignore_case)` | one of these values |
/// | `separator = ":"` | the separator of a list given as text |
/// | `extend` | a list that grows across sources (lower sources' items first) instead of being replaced |
/// | `validate = path` | `fn(&T) -> Result<(), String>` |
#[cfg(feature = "derive")]
pub use settings_derive::Settings;

#[doc(hidden)]
#[path = "prebuilt.rs"]
pub mod __prebuilt;
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

// Not API: entry points for the fuzz targets in `fuzz/` (cargo feature `fuzzing`).
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
#[path = "fuzzing.rs"]
pub mod __fuzz;
