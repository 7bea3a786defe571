//! `Loader<T>`: the builder. It records the caller's choices; [`crate::pipeline`] acts on them.

use crate::error::Error;
use crate::providers::env::EnvInput;
use crate::providers::figment::BoxedProvider;
use crate::report::Report;
use crate::settings::Settings;
use std::ffi::{OsStr, OsString};
use std::marker::PhantomData;
use std::path::PathBuf;

/// The default largest file read: 64 MiB.
pub(crate) const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Adds or replaces the sources of one load; made by [`Settings::loader`].
///
/// ```
/// use settings_core::Settings;
///
/// #[derive(Settings, Debug)]
/// #[settings(env_prefix = "APP_")]
/// struct App {
///     #[settings(default = 8000)]
///     port: u16,
///     #[settings(default = 10)]
///     pool_size: u32,
/// }
///
/// let dir = tempfile::tempdir().unwrap();
/// let extra = dir.path().join("extra.toml");
/// std::fs::write(&extra, "pool_size = 5\n").unwrap();
///
/// let app = App::loader()
///     .env_vars([("APP_PORT", "9000")])
///     .file(&extra)
///     .file_optional(dir.path().join("local.toml"))
///     .set("pool_size", 20)
///     .load()
///     .unwrap();
/// assert_eq!((app.port, app.pool_size), (9000, 20));
/// ```
pub struct Loader<T> {
    pub(crate) opts: Options,
    marker: PhantomData<fn() -> T>,
}

/// The choices a loader records.
pub(crate) struct Options {
    pub(crate) env: EnvInput,
    /// Builder files: path and whether it must exist.
    pub(crate) files: Vec<(PathBuf, bool)>,
    /// `None`: the declared env file; `Some(None)`: no env file.
    pub(crate) env_file: Option<Option<PathBuf>>,
    pub(crate) secrets_dir: Option<PathBuf>,
    pub(crate) config_dir: Option<PathBuf>,
    pub(crate) profile: Option<String>,
    /// `.set` overrides: dotted path and the value as JSON (or why it could not be serialized).
    pub(crate) overrides: Vec<(String, Result<serde_json::Value, String>)>,
    pub(crate) providers: Vec<BoxedProvider>,
    pub(crate) max_file_size: u64,
    /// `watch`: reload on this interval too.
    #[cfg_attr(not(feature = "watch"), allow(dead_code))]
    pub(crate) poll_every: Option<std::time::Duration>,
    /// `watch`: how long a burst of file events must be quiet before the reload.
    #[cfg_attr(not(feature = "watch"), allow(dead_code))]
    pub(crate) debounce: Option<std::time::Duration>,
}

impl<T: Settings> Default for Loader<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Settings> Loader<T> {
    /// A loader with the sources the attributes declare. Same as [`Settings::loader`].
    ///
    /// ```
    /// # use settings_core::{Loader, Settings};
    /// #[derive(Settings)]
    /// struct App { #[settings(default = 1)] n: u8 }
    /// let app = Loader::<App>::new().env_vars([("N", "2")]).load().unwrap();
    /// assert_eq!(app.n, 2);
    /// ```
    pub fn new() -> Self {
        Loader {
            opts: Options {
                env: EnvInput::Process,
                files: Vec::new(),
                env_file: None,
                secrets_dir: None,
                config_dir: None,
                profile: None,
                overrides: Vec::new(),
                providers: Vec::new(),
                max_file_size: DEFAULT_MAX_FILE_SIZE,
                poll_every: None,
                debounce: None,
            },
            marker: PhantomData,
        }
    }

    /// Uses these name/value pairs instead of the process environment (for tests, and for
    /// programs that keep their environment elsewhere). Values need not be UTF-8.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { port: u16 }
    /// let app = App::loader().env_vars([("APP_PORT", "9000")]).load().unwrap();
    /// assert_eq!(app.port, 9000);
    /// ```
    pub fn env_vars<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        let pairs = vars
            .into_iter()
            .map(|(k, v)| (OsString::from(k.as_ref()), OsString::from(v.as_ref())))
            .collect();
        self.opts.env = EnvInput::Pairs(pairs);
        self
    }

    /// One more config file, after the declared ones; a missing file is an error.
    ///
    /// ```
    /// # use settings_core::{IssueKind, Settings};
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 1)] n: u8 }
    /// let err = App::loader().env_vars([("N", "2")]).file("no/such.toml").load().unwrap_err();
    /// assert_eq!(err.issues()[0].kind, IssueKind::Source);
    /// ```
    pub fn file(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.opts.files.push((path.as_ref().to_owned(), true));
        self
    }

    /// One more config file, skipped when it does not exist.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// struct App { #[settings(default = 1)] n: u8 }
    /// let app = App::loader().env_vars([("N", "2")]).file_optional("no/such.toml").load().unwrap();
    /// assert_eq!(app.n, 2);
    /// ```
    pub fn file_optional(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.opts.files.push((path.as_ref().to_owned(), false));
        self
    }

    /// Reads this dotenv file instead of the declared `env_file` (skipped if it does not exist).
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { name: String }
    /// let dir = tempfile::tempdir().unwrap();
    /// let env = dir.path().join(".env.test");
    /// std::fs::write(&env, "APP_NAME='from file'\n").unwrap();
    /// let app = App::loader().env_vars([("X", "")]).env_file(&env).load().unwrap();
    /// assert_eq!(app.name, "from file");
    /// ```
    pub fn env_file(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.opts.env_file = Some(Some(path.as_ref().to_owned()));
        self
    }

    /// Reads no dotenv file, whatever the struct declares.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(env_file = ".env")]
    /// struct App { #[settings(default = 1)] n: u8 }
    /// let app = App::loader().no_env_file().env_vars([("N", "3")]).load().unwrap();
    /// assert_eq!(app.n, 3);
    /// ```
    pub fn no_env_file(mut self) -> Self {
        self.opts.env_file = Some(None);
        self
    }

    /// Reads secrets from this directory instead of the declared `secrets_dir`.
    ///
    /// ```
    /// # use settings_core::{Secret, Settings};
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { api_key: Secret<String> }
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("api_key"), "k-123\n").unwrap();
    /// let app = App::loader().env_vars([("X", "")]).secrets_dir(dir.path()).load().unwrap();
    /// assert_eq!(app.api_key.expose_secret(), "k-123");
    /// ```
    pub fn secrets_dir(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.opts.secrets_dir = Some(path.as_ref().to_owned());
        self
    }

    /// Reads one file per setting from this directory (a mounted ConfigMap) instead of the
    /// declared `config_dir`.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// struct App { log_level: String }
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("log_level"), "debug\n").unwrap();
    /// let report = App::loader().env_vars([("X", "")]).config_dir(dir.path()).explain().unwrap();
    /// assert_eq!(report.get("log_level").unwrap().origin, "config dir file log_level");
    /// ```
    pub fn config_dir(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.opts.config_dir = Some(path.as_ref().to_owned());
        self
    }

    /// Selects this profile, whatever the profile variable says.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// struct App { host: String }
    /// let dir = tempfile::tempdir().unwrap();
    /// let file = dir.path().join("app.toml");
    /// std::fs::write(&file, "[default]\nhost = \"localhost\"\n[prod]\nhost = \"prod.example\"\n").unwrap();
    /// let app = App::loader().env_vars([("X", "")]).file(&file).profile("prod").load().unwrap();
    /// assert_eq!(app.host, "prod.example");
    /// ```
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.opts.profile = Some(name.into());
        self
    }

    /// Sets a value at a dotted path above every other source.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// struct Db { #[settings(default = 10)] pool_size: u32 }
    /// #[derive(Settings)]
    /// struct App { #[settings(nested)] db: Db }
    /// let app = App::loader().env_vars([("DB__POOL_SIZE", "5")]).set("db.pool_size", 20).load().unwrap();
    /// assert_eq!(app.db.pool_size, 20);
    /// ```
    pub fn set(mut self, path: impl Into<String>, value: impl serde::Serialize) -> Self {
        let value = serde_json::to_value(value).map_err(|e| e.to_string());
        self.opts.overrides.push((path.into(), value));
        self
    }

    /// Adds any `figment::Provider`, merged above the files and below the environment.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// use figment::providers::Serialized;
    ///
    /// #[derive(Settings)]
    /// struct App { #[settings(default = 1)] workers: u32 }
    /// let app = App::loader()
    ///     .env_vars([("X", "")])
    ///     .provider(Serialized::defaults(serde_json::json!({ "workers": 6 })))
    ///     .load()
    ///     .unwrap();
    /// assert_eq!(app.workers, 6);
    /// ```
    pub fn provider(mut self, provider: impl figment::Provider + Send + Sync + 'static) -> Self {
        self.opts.providers.push(Box::new(provider));
        self
    }

    /// The largest file read, in bytes (64 MiB unless set); a larger file is a `Source` issue.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 1)] n: u8 }
    /// let dir = tempfile::tempdir().unwrap();
    /// let file = dir.path().join("big.toml");
    /// std::fs::write(&file, "n = 2\n".repeat(100)).unwrap();
    /// let err = App::loader().env_vars([("X", "")]).file(&file).max_file_size(64).load().unwrap_err();
    /// assert!(err.to_string().contains("limit"));
    /// ```
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.opts.max_file_size = bytes;
        self
    }

    /// Under [`watch`](Loader::watch), also reloads on this interval (for file systems without
    /// change events, or sources that cannot be watched); unchanged loads change nothing.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// # use std::time::Duration;
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 1)] n: u8 }
    /// let live = App::loader().env_vars([("X", "")]).poll_every(Duration::from_secs(5)).watch().unwrap();
    /// assert_eq!(live.get().n, 1);
    /// ```
    #[cfg(feature = "watch")]
    pub fn poll_every(mut self, interval: std::time::Duration) -> Self {
        self.opts.poll_every = Some(interval);
        self
    }

    /// Under [`watch`](Loader::watch), how long a burst of file events must be quiet before the
    /// reload (25 ms unless set).
    ///
    /// ```
    /// # use settings_core::Settings;
    /// # use std::time::Duration;
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 1)] n: u8 }
    /// let live = App::loader().env_vars([("X", "")]).debounce(Duration::from_millis(100)).watch().unwrap();
    /// assert_eq!(live.get().n, 1);
    /// ```
    #[cfg(feature = "watch")]
    pub fn debounce(mut self, quiet: std::time::Duration) -> Self {
        self.opts.debounce = Some(quiet);
        self
    }

    /// Loads the settings, reporting every problem at once.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { port: u16, host: String }
    /// let err = App::loader().env_vars([("APP_PORT", "x")]).load().unwrap_err();
    /// assert_eq!(err.issues().len(), 2);
    /// ```
    pub fn load(&self) -> Result<T, Error> {
        crate::pipeline::run::<T>(&self.opts, false).map(|(value, _)| value)
    }

    /// Loads the settings and tells where each value came from, secrets masked.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { #[settings(default = 8000)] port: u16 }
    /// let report = App::loader().env_vars([("APP_PORT", "9000")]).explain().unwrap();
    /// assert_eq!(report.get("port").unwrap().origin, "env var APP_PORT");
    /// ```
    pub fn explain(&self) -> Result<Report, Error> {
        crate::pipeline::run::<T>(&self.opts, true).map(|(_, report)| report.unwrap_or_default())
    }
}
