//! The sources of a load, one module each. The order they are applied in, lowest precedence
//! first, lives in one place: [`crate::pipeline::run`].
//!
//! Every source writes into the one merged tree of the load and names its origin ("env var
//! APP_PORT", "file config/app.toml"), so errors and reports can say where a value came from.

#[cfg(feature = "cli")]
pub(crate) mod args;
pub(crate) mod dir;
pub(crate) mod dotenv;
pub(crate) mod env;
pub(crate) mod figment;
pub(crate) mod file;
pub(crate) mod files;
pub(crate) mod ini;
pub(crate) mod key_line;
pub(crate) mod parse;
pub(crate) mod toml;
