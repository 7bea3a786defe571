//! `Loader<T>`: the builder. It records the caller's choices; [`crate::pipeline`] acts on them.

use crate::error::Error;
use crate::providers::env::EnvInput;
use crate::providers::figment::Held;
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
    /// `profile_env_file`: a profile and the env file it reads instead of any other.
    pub(crate) profile_env_files: Vec<(String, PathBuf)>,
    /// `profile_secrets_dir`: a profile and the secrets directory it reads instead of any other.
    pub(crate) profile_secrets_dirs: Vec<(String, PathBuf)>,
    /// `.set` overrides: dotted path and the value as JSON (or why it could not be serialized).
    pub(crate) overrides: Vec<(String, Result<serde_json::Value, String>)>,
    pub(crate) providers: Vec<Held>,
    pub(crate) max_file_size: u64,
    /// `age_identity`: key texts (wiped on drop).
    pub(crate) age_keys: Vec<zeroize::Zeroizing<String>>,
    /// `age_identity_file`: key files.
    pub(crate) age_key_files: Vec<PathBuf>,
    /// `args`: command-line arguments, applied above the environment.
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub(crate) args: Option<crate::cmdline::Args>,
    /// `deny_plain_secrets`: a secret in plain text is an issue, not a warning.
    pub(crate) deny_plain_secrets: bool,
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
                profile_env_files: Vec::new(),
                profile_secrets_dirs: Vec::new(),
                overrides: Vec::new(),
                providers: Vec::new(),
                max_file_size: DEFAULT_MAX_FILE_SIZE,
                age_keys: Vec::new(),
                age_key_files: Vec::new(),
                args: None,
                deny_plain_secrets: false,
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

    /// The env file of one profile: when `profile` is the active profile, this file is read
    /// and no other (neither the declared `env_file` nor [`env_file`](Self::env_file)'s);
    /// under any other profile, or none, it is not read. So a developer's `.env` never feeds
    /// production: give it to the `dev` profile only, and declare no `env_file`. May be called
    /// once per profile; `config show --profile prod` (through `cli::run_args` with
    /// this loader) reads what a process started with the profile variable at `prod` reads.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { #[settings(default = "info")] log_level: String }
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join(".env"), "APP_LOG_LEVEL=debug\n").unwrap();
    /// let loader = || App::loader().profile_env_file("dev", dir.path().join(".env"));
    ///
    /// let dev = loader().env_vars([("APP_PROFILE", "dev")]).load().unwrap();
    /// assert_eq!(dev.log_level, "debug");
    /// let prod = loader().env_vars([("APP_PROFILE", "prod")]).load().unwrap();
    /// assert_eq!(prod.log_level, "info");
    /// ```
    pub fn profile_env_file(
        mut self,
        profile: impl Into<String>,
        path: impl AsRef<std::path::Path>,
    ) -> Self {
        let (profile, path) = (profile.into(), path.as_ref().to_owned());
        self.opts.profile_env_files.retain(|(p, _)| *p != profile);
        self.opts.profile_env_files.push((profile, path));
        self
    }

    /// The secrets directory of one profile: when `profile` is the active profile, secrets
    /// are read from this directory and no other (neither the declared `secrets_dir` nor
    /// [`secrets_dir`](Self::secrets_dir)'s). May be called once per profile.
    ///
    /// ```
    /// # use settings_core::{Secret, Settings};
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { api_key: Secret<String> }
    /// let (dev, prod) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    /// std::fs::write(dev.path().join("api_key"), "dev-key\n").unwrap();
    /// std::fs::write(prod.path().join("api_key"), "prod-key\n").unwrap();
    /// let app = App::loader()
    ///     .profile_secrets_dir("dev", dev.path())
    ///     .profile_secrets_dir("prod", prod.path())
    ///     .env_vars([("APP_PROFILE", "prod")])
    ///     .load()
    ///     .unwrap();
    /// assert_eq!(app.api_key.expose_secret(), "prod-key");
    /// ```
    pub fn profile_secrets_dir(
        mut self,
        profile: impl Into<String>,
        path: impl AsRef<std::path::Path>,
    ) -> Self {
        let (profile, path) = (profile.into(), path.as_ref().to_owned());
        self.opts
            .profile_secrets_dirs
            .retain(|(p, _)| *p != profile);
        self.opts.profile_secrets_dirs.push((profile, path));
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
        self.opts.providers.push(held(provider));
        self
    }

    /// Makes a secret whose value comes from a plain-text config file or a command-line
    /// argument an `Invalid` issue instead of a warning, as `#[settings(deny_plain_secrets)]`
    /// on the struct does. Values from the secrets directory, the environment, a secret
    /// manager, a `*.age` file or an `ENC[age:...]` value are not in plain text.
    ///
    /// ```
    /// # use settings_core::{IssueKind, Secret, Settings};
    /// #[derive(Settings, Debug)]
    /// struct App { api_key: Secret<String> }
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let file = dir.path().join("app.toml");
    /// std::fs::write(&file, "api_key = \"k-123\"\n").unwrap();
    /// let report = App::loader().env_vars([("X", "")]).file(&file).explain().unwrap();
    /// assert!(report.warnings()[0].starts_with("api_key is a secret but comes from file"));
    ///
    /// let loader = App::loader().env_vars([("X", "")]).file(&file).deny_plain_secrets();
    /// let err = loader.load().unwrap_err();
    /// let issue = &err.issues()[0];
    /// assert_eq!((issue.path.as_str(), issue.kind), ("api_key", IssueKind::Invalid));
    /// assert!(!issue.message.contains("k-123"));
    /// ```
    pub fn deny_plain_secrets(mut self) -> Self {
        self.opts.deny_plain_secrets = true;
        self
    }

    /// Adds a provider chosen by the settings themselves: `f` gets what every other source
    /// than the providers says ([`Early`](crate::Early): defaults, files, directories, the env
    /// file, the environment, arguments, `.set`) and returns the provider, which then takes
    /// its place among the providers in call order. An `Err` from `f` (or a panic) is a
    /// `Source` issue carrying its message, and the load still reports every other issue.
    /// Under `Loader::watch` (feature `watch`), `f` runs again at each reload; while it returns
    /// the same remote source (by name), the one built first is kept, with its watch and lease.
    ///
    /// ```
    /// # use settings_core::{Early, Settings};
    /// use figment::providers::Serialized;
    ///
    /// #[derive(Settings, Debug)]
    /// struct App {
    ///     #[settings(default = "local")]
    ///     env: String,
    ///     #[settings(default = "localhost")]
    ///     db_host: String,
    /// }
    ///
    /// let hosts = |env: &str| serde_json::json!({ "db_host": format!("db.{env}.internal") });
    /// let app = App::loader()
    ///     .env_vars([("ENV", "staging")])
    ///     .provider_with(move |early: &Early| {
    ///         let env: String = early.get("env")?.unwrap_or_default();
    ///         Ok(Serialized::defaults(hosts(&env)))
    ///     })
    ///     .load()
    ///     .unwrap();
    /// assert_eq!(app.db_host, "db.staging.internal");
    /// ```
    pub fn provider_with<F, P>(mut self, f: F) -> Self
    where
        F: Fn(&crate::Early) -> Result<P, String> + Send + Sync + 'static,
        P: figment::Provider + Send + Sync + 'static,
    {
        let build = move |early: &crate::Early| f(early).map(held);
        let deferred = crate::providers::figment::Deferred::new(Box::new(build));
        self.opts.providers.push(Held::With(deferred));
        self
    }

    /// Adds an age identity that decrypts `ENC[age:…]` values and `*.age` files: the
    /// `AGE-SECRET-KEY-1…` text that `age-keygen` writes (several lines and `#` comments
    /// allowed). May be called more than once; the identities given here, in
    /// `{env_prefix}AGE_KEY` and in the key files are all tried, and read only when an
    /// encrypted value or file is there. A key that is not valid is then a `Source` issue
    /// naming where it was given, never its text.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { db_password: String }
    /// // An example key, never to be used for real secrets (`age-keygen` makes yours).
    /// let key = "AGE-SECRET-KEY-1SNQ3Z2L9S4S8UPHFAYN9L6H3XSGWCRN5P64CVPX8CAQ9HEZWA7CQK30CQE";
    /// // printf %s 'hunter2' | age -r age12htktaxyyfsu34c5zj4pajxh505yckajfxe4l9j4je0w3xya43psau9m2g | base64 -w0
    /// let encrypted = "ENC[age:YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSA0bXdkL2EwZ0o2ellzejU3Rlo2UWs0QWx2MmNhSms0Z1YzYVIvQU52OUVjCldZQ1BTWUVYSE1QM2h1NmhuQmQ3UmRwZmxKalB0Vk91SmJYZXBFdm8zN2MKLS0tIG4vZW5DdVNHaWVibkllUEh6aGVRc29CNUc0TzJ3ZGk3Rm5wN1lVSENVV0EKV45ArFoto28P8INeG99a7Cxmtug/yPp42Q5mQFMxCUbu9iSgw7mQ]";
    /// let loader = App::loader()
    ///     .env_vars([("APP_DB_PASSWORD", encrypted)])
    ///     .age_identity(key);
    /// # #[cfg(feature = "age")] {
    /// let report = loader.explain().unwrap();
    /// let entry = report.get("db_password").unwrap();
    /// assert_eq!(entry.origin, "env var APP_DB_PASSWORD (decrypted)");
    /// assert!(entry.secret);
    /// # }
    /// // Built without the feature `age`, the load fails with an issue naming it.
    /// # #[cfg(not(feature = "age"))]
    /// assert!(loader.explain().unwrap_err().to_string().contains("`age` feature"));
    /// ```
    pub fn age_identity(mut self, key: &str) -> Self {
        self.opts
            .age_keys
            .push(zeroize::Zeroizing::new(key.to_owned()));
        self
    }

    /// Adds the age identities of a key file as `age-keygen -o` writes it (`#` comment lines
    /// allowed). A missing or unreadable file is a `Source` issue at load, but only when an
    /// encrypted value or file needs the keys; a file that group or others can read is a
    /// warning in the report.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App { port: u16 }
    /// let dir = tempfile::tempdir().unwrap();
    /// let key_file = dir.path().join("key.txt");
    /// std::fs::write(
    ///     &key_file,
    ///     "# public key: age12htktaxyyfsu34c5zj4pajxh505yckajfxe4l9j4je0w3xya43psau9m2g\n\
    ///      AGE-SECRET-KEY-1SNQ3Z2L9S4S8UPHFAYN9L6H3XSGWCRN5P64CVPX8CAQ9HEZWA7CQK30CQE\n",
    /// )
    /// .unwrap();
    /// // printf %s 8443 | age -r age12htk… | base64 -w0
    /// let port = "ENC[age:YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSAxQmsxUVM0bDFWUWUxejk3eVNGcmVPNUpnSVZuQ2RUYWtDYVpySEhoWHpZClE1eVRSajVXTW11UUtWenZ2M3FxWDFEc3h4azNOb3lNVjY5K1lFUHg4ejAKLS0tIEJnK2xycGdka0tvWXBRWGtCT3pIcC80VDF2dGxsUGpDa3M5OXdzV0htck0KP+HUDVs0MTqKHTfunuVT7YEXkXPbfXYLmxRKy4E4LgsUwCi9]";
    /// let loader = App::loader()
    ///     .env_vars([("APP_PORT", port)])
    ///     .age_identity_file(&key_file);
    /// # #[cfg(feature = "age")]
    /// assert_eq!(loader.load().unwrap().port, 8443);
    /// # #[cfg(not(feature = "age"))]
    /// # assert!(loader.load().is_err());
    /// ```
    pub fn age_identity_file(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.opts.age_key_files.push(path.as_ref().to_owned());
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

    /// Sets fields from command-line flags derived from the settings: `--port 8080`,
    /// `--db.pool-size=20` (the dotted path, `-` or `_`), `--debug` / `--no-debug` for bools,
    /// repeated flags or commas for lists. They rank above the environment and below
    /// [`set`](Loader::set); the origin is `argument --db.pool-size`. An unknown flag is an
    /// `Unknown` issue with the closest real flag. With `--help` (or `-h`), [`load`](Loader::load)
    /// prints [`args_help`](Loader::args_help) and exits the process with status 0.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// struct Db { #[settings(default = 10)] pool_size: u32 }
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 8000)] port: u16, debug: Option<bool>, #[settings(nested)] db: Db }
    /// let app = App::loader()
    ///     .env_vars([("PORT", "1")])
    ///     .args(["--port", "8080", "--db.pool-size=20", "--debug"])
    ///     .load()
    ///     .unwrap();
    /// assert_eq!((app.port, app.db.pool_size, app.debug), (8080, 20, Some(true)));
    /// ```
    #[cfg(feature = "cli")]
    pub fn args<I>(mut self, args: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<std::ffi::OsString>,
    {
        self.opts.args = Some(crate::cmdline::Args::new(
            args.into_iter().map(Into::into).collect(),
        ));
        self
    }

    /// The help text of the command-line flags [`args`](Loader::args) takes: one per setting,
    /// with its doc comment, environment variables and default.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// struct App {
    ///     /// Port the HTTP server listens on.
    ///     #[settings(default = 8000)]
    ///     port: u16,
    /// }
    /// let help = App::loader().args_help();
    /// assert!(help.contains("--port"));
    /// assert!(help.contains("Port the HTTP server listens on."));
    /// assert!(help.contains("default: 8000"));
    /// ```
    #[cfg(feature = "cli")]
    pub fn args_help(&self) -> String {
        let meta = T::__meta();
        crate::providers::args::help(meta, crate::naming::Names::of(meta))
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
        #[cfg(feature = "cli")]
        if let Some(args) = self.opts.args.as_ref().filter(|a| a.wants_help()) {
            print!("{}", args.help(T::__meta()));
            std::process::exit(0);
        }
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

/// A provider as the loads keep it: this crate's remote sources give their layers themselves.
fn held<P: figment::Provider + Send + Sync + 'static>(provider: P) -> Held {
    #[cfg(any(
        feature = "aws",
        feature = "vault",
        feature = "etcd",
        feature = "gcp",
        feature = "azure"
    ))]
    let provider = match crate::remote::ours(provider) {
        Ok(remote) => return Held::Layered(remote),
        Err(other) => other,
    };
    Held::Other(Box::new(provider))
}
