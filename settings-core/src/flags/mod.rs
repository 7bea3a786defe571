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

mod bucket;
mod model;
#[cfg(feature = "openfeature")]
mod openfeature;
mod serde;

pub use self::bucket::bucket;
pub use self::model::{Flag, Flags};
#[cfg(feature = "openfeature")]
pub use self::openfeature::FlagsProvider;
