//! Hot reload: `Live<T>` loads once, then reloads on file events (and on a poll interval, and by
//! hand), swapping in a new value only when it loads and validates cleanly.
//!
//! Readers go through `arc-swap`: `get()` takes no lock and touches no shared reference count,
//! so it costs nanoseconds and scales with threads; a reload never blocks it and a reader never
//! sees a half-applied value. One background thread per `Live` waits for events from `notify`
//! (on the directories of every file source, so editors that write by rename and the kubelet's
//! `..data` swap are seen), lets a burst settle, and reloads. It holds only a weak reference:
//! dropping the last handle drops the watcher, which ends the thread.

use crate::error::Error;
use crate::loader::Loader;
use crate::naming::Names;
use crate::report::Report;
use crate::settings::Settings;
use crate::tree::{Table, Value, get_path, replace_path, same};
use arc_swap::{ArcSwap, ArcSwapOption, Guard};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, SystemTime};

/// How long a burst of file events must be quiet before the reload.
const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(25);
/// The poll interval used when file events cannot be watched.
const FALLBACK_POLL: Duration = Duration::from_secs(2);

type ChangeFn<T> = Arc<dyn Fn(&T, &T) + Send + Sync>;
type ChangePathsFn<T> = Arc<dyn Fn(&T, &T, &[String]) + Send + Sync>;
type ErrorFn = Arc<dyn Fn(&Error) + Send + Sync>;

/// Settings that reload while the program runs; made by [`Loader::watch`].
///
/// ```
/// use settings_core::Settings;
///
/// #[derive(Settings, Debug)]
/// struct App {
///     #[settings(default = "info")]
///     log_level: String,
/// }
///
/// let dir = tempfile::tempdir().unwrap();
/// let file = dir.path().join("app.toml");
/// std::fs::write(&file, "log_level = \"info\"\n").unwrap();
///
/// let live = App::loader().env_vars([("X", "")]).file(&file).watch().unwrap();
/// assert_eq!(live.get().log_level, "info");
///
/// std::fs::write(&file, "log_level = \"debug\"\n").unwrap();
/// live.reload().unwrap(); // or wait for the file event
/// assert_eq!(live.get().log_level, "debug");
/// ```
pub struct Live<T: Settings> {
    shared: Arc<Shared<T>>,
}

/// A short-lived read of the current settings: `Deref<Target = T>`. Hold it for the length of a
/// request, not across long waits (it keeps that value alive); use [`Live::snapshot`] to keep
/// one.
///
/// ```
/// # use settings_core::Settings;
/// #[derive(Settings, Debug)]
/// struct App { #[settings(default = 1)] workers: u32 }
/// let live = App::loader().env_vars([("X", "")]).watch().unwrap();
/// let now = live.get();
/// assert_eq!(now.workers, 1);
/// ```
pub struct LiveRef<T>(Guard<Arc<T>>);

/// A per-thread reader of live settings, for hot paths: [`get`](LiveReader::get) costs about a
/// read through a plain reference when nothing changed (it compares one pointer with the one it
/// holds), and returns the new settings on its first call after a reload. Made by
/// [`Live::reader`]. It is `Send` (move it into the thread that reads) but not `Sync`: each
/// thread keeps its own. It sees reloads while a [`Live`] handle keeps the watch going; after
/// that it keeps the last settings.
///
/// ```
/// # use settings_core::Settings;
/// #[derive(Settings, Debug)]
/// struct App { #[settings(default = 8)] workers: u32 }
///
/// let live = App::loader().env_vars([("X", "")]).watch().unwrap();
/// let mut reader = live.reader();
/// std::thread::spawn(move || {
///     for _ in 0..3 {
///         let workers = reader.get().workers; // on every request
///         assert_eq!(workers, 8);
///     }
/// })
/// .join()
/// .unwrap();
/// ```
pub struct LiveReader<T> {
    cache: arc_swap::Cache<Arc<ArcSwap<T>>, Arc<T>>,
    /// Not `Sync`: `get` takes `&mut self`, and one reader belongs to one thread.
    _not_sync: std::marker::PhantomData<std::cell::Cell<()>>,
}

impl<T> LiveReader<T> {
    /// The current settings: the ones held, unless a reload swapped in new ones since the last
    /// call.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = "info")] log_level: String }
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let file = dir.path().join("app.toml");
    /// std::fs::write(&file, "log_level = \"info\"\n").unwrap();
    /// let live = App::loader().env_vars([("X", "")]).file(&file).watch().unwrap();
    /// let mut reader = live.reader();
    /// assert_eq!(reader.get().log_level, "info");
    /// std::fs::write(&file, "log_level = \"debug\"\n").unwrap();
    /// live.reload().unwrap();
    /// assert_eq!(reader.get().log_level, "debug");
    /// ```
    #[inline]
    pub fn get(&mut self) -> &T {
        self.cache.load()
    }
}

impl<T: fmt::Debug> fmt::Debug for LiveReader<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveReader").finish_non_exhaustive()
    }
}

struct Shared<T: Settings> {
    loader: Loader<T>,
    /// Shared with the [`LiveReader`]s, which keep it after the last handle is gone.
    value: Arc<ArcSwap<T>>,
    last_error: ArcSwapOption<Error>,
    /// The raw value of every leaf in the last applied load, by target, to see what changed.
    leaves: Mutex<Vec<Option<Value>>>,
    /// The dotted path of every target, in the same order.
    paths: Vec<String>,
    /// Serializes reloads: one runs at a time, others wait and then see its result.
    reloading: Mutex<()>,
    on_change: Mutex<Vec<ChangeFn<T>>>,
    on_change_paths: Mutex<Vec<ChangePathsFn<T>>>,
    on_error: Mutex<Vec<ErrorFn>>,
    /// Kept alive for as long as the settings are; dropping it ends the reload thread.
    watcher: Mutex<Option<notify::RecommendedWatcher>>,
    /// The watches of remote sources (etcd), kept alive like `watcher`; dropping them stops them.
    remote_watches: Mutex<Vec<Box<dyn Send>>>,
    /// How the loads went, for the settings endpoint.
    status: Mutex<Status>,
    /// The report of the value in use (built only where the settings endpoint can show it:
    /// feature `http`; a load with its report costs more than one without).
    report: ArcSwapOption<Report>,
}

/// Whether the loads of a [`Live`] build their [`Report`]: only where the endpoint can ask.
const KEEP_REPORT: bool = cfg!(feature = "http");

/// How the loads of a [`Live`] went: the first load counts as the first successful reload.
#[derive(Debug, Clone)]
pub(crate) struct Status {
    /// Successful loads, the first one included.
    pub(crate) ok: u64,
    /// Failed reloads.
    pub(crate) failed: u64,
    /// When the last successful load ended.
    pub(crate) last_success: SystemTime,
    /// When the last failed reload ended.
    pub(crate) last_failure: Option<SystemTime>,
    /// The settings whose sources changed but that keep their value until a restart.
    pub(crate) restart_pending: Vec<String>,
}

impl<T: Settings + Send + Sync> Loader<T> {
    /// Loads once, then keeps the settings current: see [`Live`]. Fails like
    /// [`load`](Loader::load) when the first load fails.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// struct App { port: u16 }
    /// assert!(App::loader().env_vars([("X", "")]).watch().is_err());
    /// let live = App::loader().env_vars([("PORT", "80")]).watch().unwrap();
    /// assert_eq!(live.get().port, 80);
    /// ```
    pub fn watch(self) -> Result<Live<T>, Error> {
        let mut leaves = Vec::new();
        let mut target_paths = Vec::new();
        let (value, report) =
            crate::pipeline::run_with::<T>(&self.opts, KEEP_REPORT, &mut |tree, names| {
                leaves = leaf_values(tree, names);
                target_paths = names
                    .fields
                    .targets
                    .iter()
                    .map(|t| t.path.clone())
                    .collect();
            })?;
        let poll = self.opts.poll_every;
        let debounce = self.opts.debounce.unwrap_or(DEFAULT_DEBOUNCE);
        let paths = crate::pipeline::watched_paths(T::__meta(), &self.opts);
        let shared = Arc::new(Shared {
            loader: self,
            value: Arc::new(ArcSwap::from_pointee(value)),
            last_error: ArcSwapOption::empty(),
            leaves: Mutex::new(leaves),
            paths: target_paths,
            reloading: Mutex::new(()),
            on_change: Mutex::new(Vec::new()),
            on_change_paths: Mutex::new(Vec::new()),
            on_error: Mutex::new(Vec::new()),
            watcher: Mutex::new(None),
            remote_watches: Mutex::new(Vec::new()),
            status: Mutex::new(Status {
                ok: 1,
                failed: 0,
                last_success: SystemTime::now(),
                last_failure: None,
                restart_pending: Vec::new(),
            }),
            report: ArcSwapOption::new(report.map(Arc::new)),
        });
        start(&shared, &paths, poll, debounce);
        Ok(Live { shared })
    }
}

impl<T: Settings + Send + Sync> Live<T> {
    /// The current settings, lock-free: call it on every request.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = "info")] log_level: String }
    /// let live = App::loader().env_vars([("X", "")]).watch().unwrap();
    /// assert_eq!(live.get().log_level, "info");
    /// ```
    pub fn get(&self) -> LiveRef<T> {
        LiveRef(self.shared.value.load())
    }

    /// A reader for one thread's hot path: see [`LiveReader`].
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 1)] workers: u32 }
    /// let live = App::loader().env_vars([("X", "")]).watch().unwrap();
    /// let mut reader = live.reader();
    /// assert_eq!(reader.get().workers, 1);
    /// ```
    pub fn reader(&self) -> LiveReader<T> {
        LiveReader {
            cache: arc_swap::Cache::new(self.shared.value.clone()),
            _not_sync: std::marker::PhantomData,
        }
    }

    /// The current settings as an `Arc`, to keep for long.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 3)] retries: u8 }
    /// let live = App::loader().env_vars([("X", "")]).watch().unwrap();
    /// let kept: std::sync::Arc<App> = live.snapshot();
    /// assert_eq!(kept.retries, 3);
    /// ```
    pub fn snapshot(&self) -> Arc<T> {
        self.shared.value.load_full()
    }

    /// Calls `f(old, new)` after each reload that changed something.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// # use std::sync::{Arc, atomic::{AtomicU32, Ordering}};
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 1)] workers: u32 }
    /// let dir = tempfile::tempdir().unwrap();
    /// let file = dir.path().join("app.toml");
    /// std::fs::write(&file, "workers = 1\n").unwrap();
    /// let live = App::loader().env_vars([("X", "")]).file(&file).watch().unwrap();
    /// let seen = Arc::new(AtomicU32::new(0));
    /// let s = seen.clone();
    /// live.on_change(move |old, new| s.store(old.workers * 10 + new.workers, Ordering::SeqCst));
    /// std::fs::write(&file, "workers = 4\n").unwrap();
    /// live.reload().unwrap();
    /// assert_eq!(seen.load(Ordering::SeqCst), 14);
    /// ```
    pub fn on_change(&self, f: impl Fn(&T, &T) + Send + Sync + 'static) {
        lock(&self.shared.on_change).push(Arc::new(f));
    }

    /// Like [`on_change`](Live::on_change), with the dotted paths of the settings that changed
    /// (to apply a new log level, say, only when `log.level` is among them).
    ///
    /// ```
    /// # use settings_core::Settings;
    /// # use std::sync::{Arc, Mutex};
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 1)] a: u32, #[settings(default = 1)] b: u32 }
    /// let dir = tempfile::tempdir().unwrap();
    /// let file = dir.path().join("app.toml");
    /// std::fs::write(&file, "a = 1\n").unwrap();
    /// let live = App::loader().env_vars([("X", "")]).file(&file).watch().unwrap();
    /// let paths = Arc::new(Mutex::new(Vec::new()));
    /// let p = paths.clone();
    /// live.on_change_paths(move |_, _, changed| p.lock().unwrap().extend_from_slice(changed));
    /// std::fs::write(&file, "a = 1\nb = 2\n").unwrap();
    /// live.reload().unwrap();
    /// assert_eq!(*paths.lock().unwrap(), ["b"]);
    /// ```
    pub fn on_change_paths(&self, f: impl Fn(&T, &T, &[String]) + Send + Sync + 'static) {
        lock(&self.shared.on_change_paths).push(Arc::new(f));
    }

    /// Calls `f` with the error of each reload that failed (the settings keep their last good
    /// value).
    ///
    /// ```
    /// # use settings_core::Settings;
    /// # use std::sync::{Arc, atomic::{AtomicBool, Ordering}};
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 1)] workers: u32 }
    /// let dir = tempfile::tempdir().unwrap();
    /// let file = dir.path().join("app.toml");
    /// std::fs::write(&file, "workers = 2\n").unwrap();
    /// let live = App::loader().env_vars([("X", "")]).file(&file).watch().unwrap();
    /// let failed = Arc::new(AtomicBool::new(false));
    /// let f = failed.clone();
    /// live.on_error(move |_| f.store(true, Ordering::SeqCst));
    /// std::fs::write(&file, "workers = \"many\"\n").unwrap();
    /// assert!(live.reload().is_err());
    /// assert!(failed.load(Ordering::SeqCst));
    /// assert_eq!(live.get().workers, 2);
    /// ```
    pub fn on_error(&self, f: impl Fn(&Error) + Send + Sync + 'static) {
        lock(&self.shared.on_error).push(Arc::new(f));
    }

    /// Reloads now (a SIGHUP handler calls this). On failure the settings keep their last good
    /// value, and the error also goes to [`on_error`](Live::on_error) and
    /// [`last_error`](Live::last_error).
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 1)] workers: u32 }
    /// let live = App::loader().env_vars([("WORKERS", "2")]).watch().unwrap();
    /// live.reload().unwrap();
    /// assert_eq!(live.get().workers, 2);
    /// ```
    pub fn reload(&self) -> Result<(), Error> {
        self.shared.reload()
    }

    /// The error of the last failed reload: `None` before any failure and again after the next
    /// successful reload.
    ///
    /// ```
    /// # use settings_core::Settings;
    /// #[derive(Settings, Debug)]
    /// struct App { #[settings(default = 1)] workers: u32 }
    /// let live = App::loader().env_vars([("X", "")]).watch().unwrap();
    /// assert!(live.last_error().is_none());
    /// ```
    pub fn last_error(&self) -> Option<Arc<Error>> {
        self.shared.last_error.load_full()
    }
}

/// What the settings endpoint reads of a [`Live`], whatever its settings type: one compiled
/// endpoint serves every `Live<T>`.
#[cfg(feature = "http")]
pub(crate) trait Observed: Send + Sync {
    /// The report of the value in use.
    fn report(&self) -> Option<Arc<Report>>;
    /// How the loads went.
    fn status(&self) -> Status;
    /// The error of the last failed reload, until the next success.
    fn last_error(&self) -> Option<Arc<Error>>;
    /// Reloads now.
    fn reload(&self) -> Result<(), Error>;
    /// The settings type's description.
    fn meta(&self) -> &'static crate::meta::StructMeta;
}

#[cfg(feature = "http")]
impl<T: Settings + Send + Sync + 'static> Observed for Shared<T> {
    fn report(&self) -> Option<Arc<Report>> {
        self.report.load_full()
    }
    fn status(&self) -> Status {
        lock(&self.status).clone()
    }
    fn last_error(&self) -> Option<Arc<Error>> {
        self.last_error.load_full()
    }
    fn reload(&self) -> Result<(), Error> {
        Shared::reload(self)
    }
    fn meta(&self) -> &'static crate::meta::StructMeta {
        T::__meta()
    }
}

#[cfg(feature = "http")]
impl<T: Settings + Send + Sync + 'static> Live<T> {
    /// A handle for the settings endpoint: it keeps the settings alive, as a `Live` does.
    pub(crate) fn observed(&self) -> Arc<dyn Observed> {
        self.shared.clone()
    }
}

impl<T: Settings + Send + Sync> Shared<T> {
    fn reload(&self) -> Result<(), Error> {
        let _one_at_a_time = lock(&self.reloading);
        let previous = lock(&self.leaves).clone();
        let mut leaves = Vec::new();
        let mut held = Vec::new();
        let loaded =
            crate::pipeline::run_with::<T>(&self.loader.opts, KEEP_REPORT, &mut |tree, names| {
                held = keep_restart_fields(tree, names, &previous);
                leaves = leaf_values(tree, names);
            });
        let (value, report) = match loaded {
            // A restart-only field keeps its value, but its new one must be valid too: else the
            // next start would fail. Only then is the configuration loaded a second time.
            Ok(loaded) if !held.is_empty() => {
                match crate::pipeline::run::<T>(&self.loader.opts, false) {
                    Ok(_) => loaded,
                    Err(err) => return Err(self.failed(err)),
                }
            }
            Ok(loaded) => loaded,
            Err(err) => return Err(self.failed(err)),
        };
        self.report.store(report.map(Arc::new));
        self.last_error.store(None);
        {
            let mut status = lock(&self.status);
            status.ok += 1;
            status.last_success = SystemTime::now();
            status.restart_pending.clone_from(&held);
        }
        for path in &held {
            tracing::warn!(setting = %path, "changed, but takes effect only after a restart: keeping the current value");
        }
        let changed = changed_paths(&previous, &leaves, &self.paths);
        *lock(&self.leaves) = leaves;
        if changed.is_empty() {
            return Ok(());
        }
        let new = Arc::new(value);
        let old = self.value.swap(new.clone());
        for f in lock(&self.on_change).clone() {
            f(&old, &new);
        }
        for f in lock(&self.on_change_paths).clone() {
            f(&old, &new, &changed);
        }
        Ok(())
    }

    /// A failed reload: kept as the last error, counted, handed to `on_error`; the settings in
    /// use stay.
    fn failed(&self, err: Error) -> Error {
        let err = Arc::new(err);
        self.last_error.store(Some(err.clone()));
        let mut status = lock(&self.status);
        status.failed += 1;
        status.last_failure = Some(SystemTime::now());
        drop(status);
        for f in lock(&self.on_error).clone() {
            f(&err);
        }
        (*err).clone()
    }
}

/// The raw value of every leaf of the tree, by field target (`None` for nested structs and
/// for leaves no source set).
fn leaf_values(tree: &Table, names: &Names) -> Vec<Option<Value>> {
    names
        .fields
        .targets
        .iter()
        .map(|t| {
            if t.is_nested() {
                None
            } else {
                get_path(tree, &t.keys).cloned()
            }
        })
        .collect()
}

/// Puts the previous raw value back for each `restart` field whose value changed, and returns
/// their paths.
fn keep_restart_fields(tree: &mut Table, names: &Names, previous: &[Option<Value>]) -> Vec<String> {
    let mut held = Vec::new();
    for (id, target) in names.fields.targets.iter().enumerate() {
        if !target.field.restart || target.is_nested() {
            continue;
        }
        let old = previous.get(id).cloned().flatten();
        let new = get_path(tree, &target.keys);
        let unchanged = match (&old, new) {
            (Some(a), Some(b)) => same(a, b),
            (None, None) => true,
            _ => false,
        };
        if !unchanged {
            replace_path(tree, &target.keys, old);
            held.push(target.path.clone());
        }
    }
    held
}

/// The paths whose raw value differs between two loads.
fn changed_paths(old: &[Option<Value>], new: &[Option<Value>], paths: &[String]) -> Vec<String> {
    old.iter()
        .zip(new)
        .zip(paths)
        .filter(|((a, b), _)| match (a, b) {
            (Some(a), Some(b)) => !same(a, b),
            (None, None) => false,
            _ => true,
        })
        .map(|(_, path)| path.clone())
        .collect()
}

/// Starts watching `paths` (files: their directory; directories: themselves) and the reload
/// thread. Without file events, or where a path cannot be watched, the thread polls.
fn start<T: Settings + Send + Sync>(
    shared: &Arc<Shared<T>>,
    paths: &[(PathBuf, bool)],
    poll: Option<Duration>,
    debounce: Duration,
) {
    let (tx, rx) = mpsc::channel::<()>();
    *lock(&shared.remote_watches) =
        crate::providers::figment::watch_remotes(&shared.loader.opts.providers, &tx);
    let interesting = Interesting::new(paths);
    let handler = move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
            && event.paths.iter().any(|p| interesting.matches(p))
        {
            let _ = tx.send(());
        }
    };
    let mut poll = poll;
    match notify::recommended_watcher(handler) {
        Ok(mut watcher) => {
            use notify::Watcher as _;
            for dir in Interesting::dirs(paths) {
                if watcher
                    .watch(&dir, notify::RecursiveMode::NonRecursive)
                    .is_err()
                {
                    poll.get_or_insert(FALLBACK_POLL);
                }
            }
            *lock(&shared.watcher) = Some(watcher);
        }
        Err(_) => {
            poll.get_or_insert(FALLBACK_POLL);
        }
    }
    let weak: Weak<Shared<T>> = Arc::downgrade(shared);
    let spawned = std::thread::Builder::new()
        .name("settings-watch".into())
        .spawn(move || run(&weak, &rx, poll, debounce));
    if spawned.is_err() {
        tracing::warn!("cannot start the settings watch thread; reload() still works");
    }
}

/// The reload thread: waits for an event (or the poll interval), lets a burst settle, reloads.
/// Ends when every sender is gone (the settings were dropped).
fn run<T: Settings + Send + Sync>(
    weak: &Weak<Shared<T>>,
    rx: &mpsc::Receiver<()>,
    poll: Option<Duration>,
    debounce: Duration,
) {
    // Without a watcher and without polling, nothing will ever send.
    let poll = poll.unwrap_or(Duration::from_secs(u64::MAX / 4));
    loop {
        match rx.recv_timeout(poll) {
            Ok(()) => loop {
                match rx.recv_timeout(debounce) {
                    Ok(()) => continue,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            },
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let Some(shared) = weak.upgrade() else { return };
        // The error is kept in last_error and handed to on_error.
        let _ = shared.reload();
    }
}

/// Which file-system events concern the settings.
struct Interesting {
    /// Files by directory and name; a file's profile siblings share its stem.
    files: Vec<(PathBuf, String)>,
    dirs: Vec<PathBuf>,
}

impl Interesting {
    fn new(paths: &[(PathBuf, bool)]) -> Self {
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for (path, is_dir) in paths {
            let path = absolute(path);
            if *is_dir {
                dirs.push(path);
            } else if let (Some(parent), Some(stem)) = (path.parent(), path.file_stem()) {
                files.push((parent.to_owned(), stem.to_string_lossy().into_owned()));
            }
        }
        Interesting { files, dirs }
    }

    /// The directories to watch.
    fn dirs(paths: &[(PathBuf, bool)]) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = paths
            .iter()
            .filter_map(|(p, is_dir)| {
                let p = absolute(p);
                if *is_dir {
                    Some(p)
                } else {
                    p.parent().map(Path::to_owned)
                }
            })
            .filter(|d| d.is_dir())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn matches(&self, path: &Path) -> bool {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return false;
        };
        let name = name.to_string_lossy();
        if self.dirs.iter().any(|d| d == parent) {
            return true;
        }
        // `..data` is how mounted ConfigMaps and Secrets swap every file at once.
        self.files.iter().any(|(dir, stem)| {
            dir == parent && (name.starts_with(stem.as_str()) || name.starts_with("..data"))
        })
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

fn lock<V>(m: &Mutex<V>) -> std::sync::MutexGuard<'_, V> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl<T: Settings> Clone for Live<T> {
    fn clone(&self) -> Self {
        Live {
            shared: self.shared.clone(),
        }
    }
}

impl<T> std::ops::Deref for LiveRef<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for LiveRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: Settings + fmt::Debug> fmt::Debug for Live<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Live")
            .field("value", &**self.shared.value.load())
            .field("last_error", &self.shared.last_error.load_full())
            .finish()
    }
}
