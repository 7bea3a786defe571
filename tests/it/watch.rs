//! Live settings: reloads on file events, by hand and by polling; never a half-applied or invalid
//! value; restart-only fields kept; callbacks and errors.

use crate::write;
use settings_core::{Live, Settings};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Settings, Debug, Clone, PartialEq)]
struct App {
    #[settings(default = "info")]
    level: String,
    #[settings(default = 0)]
    a: u64,
    #[settings(default = 0)]
    b: u64,
    #[settings(default = 8080, restart)]
    port: u16,
}

/// Waits until `cond` holds, up to 5 s.
fn eventually(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`, as editors and
/// deploy tools do.
fn write_atomically(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn live(file: &Path) -> Live<App> {
    App::loader()
        .env_vars([("X", "")])
        .file(file)
        .watch()
        .unwrap()
}

#[test]
fn a_file_write_is_seen_without_a_call() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "level = \"info\"\n");
    let live = live(&file);
    assert_eq!(live.get().level, "info");
    std::fs::write(&file, "level = \"debug\"\n").unwrap();
    eventually("the write", || live.get().level == "debug");
    write_atomically(&file, "level = \"warn\"\n");
    eventually("the atomic rename", || live.get().level == "warn");
}

#[test]
fn readers_only_ever_see_whole_valid_values_during_hundreds_of_reloads() {
    // Both required: a file caught half-written (even empty) fails to load instead of giving
    // defaults, so the values only ever grow.
    #[derive(Settings, Debug)]
    struct Pair {
        a: u64,
        b: u64,
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "a = 0\nb = 0\n");
    let live = Pair::loader()
        .env_vars([("X", "")])
        .file(&file)
        .watch()
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (live, stop, reads) = (live.clone(), stop.clone(), reads.clone());
            std::thread::spawn(move || {
                let mut last = 0;
                while !stop.load(Ordering::Relaxed) {
                    let now = live.get();
                    assert_eq!(now.a, now.b, "a torn value");
                    assert!(now.a >= last, "went back in time");
                    last = now.a;
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for n in 1..=300u64 {
        // Half the writes land in place (a reload may catch them half-written and fail), half
        // by rename; either way readers must never see a != b.
        if n % 2 == 0 {
            std::fs::write(&file, format!("a = {n}\nb = {n}\n")).unwrap();
        } else {
            write_atomically(&file, &format!("a = {n}\nb = {n}\n"));
        }
        let _ = live.reload();
    }
    std::fs::write(&file, "a = 1000\nb = 1000\n").unwrap();
    live.reload().unwrap();
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    assert_eq!(live.get().a, 1000);
    assert!(reads.load(Ordering::Relaxed) > 300);
}

#[test]
fn an_invalid_write_keeps_the_last_good_value_and_the_next_good_write_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "a = 1\nb = 1\n");
    let live = live(&file);
    let errors = Arc::new(AtomicUsize::new(0));
    let e = errors.clone();
    live.on_error(move |_| {
        e.fetch_add(1, Ordering::SeqCst);
    });

    std::fs::write(&file, "a = \"not a number\"\nb = 2\n").unwrap();
    let err = live.reload().unwrap_err();
    assert_eq!(err.issues()[0].path, "a");
    assert_eq!(
        *live.get(),
        App {
            level: "info".into(),
            a: 1,
            b: 1,
            port: 8080
        }
    );
    assert_eq!(live.last_error().unwrap().issues()[0].path, "a");
    assert!(errors.load(Ordering::SeqCst) >= 1);

    std::fs::write(&file, "a = 3\nb = 3\n").unwrap();
    live.reload().unwrap();
    assert_eq!(live.get().a, 3);
    assert!(live.last_error().is_none());
}

#[test]
fn deleting_and_recreating_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "a = 5\nb = 5\n");
    let live = live(&file);
    std::fs::remove_file(&file).unwrap();
    // A required file that is gone: the reload fails, the value stays.
    eventually("the failed reload", || live.last_error().is_some());
    assert_eq!(live.get().a, 5);
    write(dir.path(), "app.toml", "a = 6\nb = 6\n");
    eventually("the recreated file", || live.get().a == 6);
    assert!(live.last_error().is_none());
}

#[test]
fn a_restart_field_keeps_its_value_while_the_others_change() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "port = 8080\nlevel = \"info\"\n");
    let live = live(&file);
    let changed = Arc::new(Mutex::new(Vec::new()));
    let c = changed.clone();
    live.on_change_paths(move |_, _, paths| c.lock().unwrap().extend_from_slice(paths));

    std::fs::write(&file, "port = 9090\nlevel = \"debug\"\n").unwrap();
    live.reload().unwrap();
    assert_eq!(live.get().port, 8080);
    assert_eq!(live.get().level, "debug");
    assert_eq!(*changed.lock().unwrap(), ["level"]);
    // Going back to the running value is not a change either.
    std::fs::write(&file, "port = 8080\nlevel = \"debug\"\n").unwrap();
    live.reload().unwrap();
    assert_eq!(*changed.lock().unwrap(), ["level"]);
}

#[test]
fn a_restart_field_changed_to_a_value_that_would_not_load_fails_the_reload() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "port = 8080\nlevel = \"info\"\n");
    let live = live(&file);
    let errors = Arc::new(Mutex::new(0));
    let e = errors.clone();
    live.on_error(move |_| *e.lock().unwrap() += 1);
    // Held back for a restart, the new port would still fail that restart: the reload says so
    // now, and nothing else of that configuration is applied.
    std::fs::write(&file, "port = \"eighty\"\nlevel = \"debug\"\n").unwrap();
    let err = live.reload().unwrap_err();
    assert_eq!(err.issues()[0].path, "port", "{err}");
    assert_eq!((live.get().port, live.get().level.as_str()), (8080, "info"));
    assert_eq!(*errors.lock().unwrap(), 1);
    assert!(live.last_error().is_some());
    // A valid new port is held for the restart, and the rest applies.
    std::fs::write(&file, "port = 9090\nlevel = \"debug\"\n").unwrap();
    live.reload().unwrap();
    assert_eq!(
        (live.get().port, live.get().level.as_str()),
        (8080, "debug")
    );
    assert!(live.last_error().is_none());
}

#[test]
fn on_change_sees_old_and_new_only_when_something_changed() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "level = \"info\"\n");
    let live = live(&file);
    let calls = Arc::new(Mutex::new(Vec::new()));
    let c = calls.clone();
    live.on_change(move |old, new| {
        c.lock()
            .unwrap()
            .push((old.level.clone(), new.level.clone()))
    });
    live.reload().unwrap();
    assert!(calls.lock().unwrap().is_empty());
    std::fs::write(&file, "level = \"warn\"\n").unwrap();
    live.reload().unwrap();
    assert_eq!(
        *calls.lock().unwrap(),
        [("info".to_string(), "warn".to_string())]
    );
    let kept = live.snapshot();
    std::fs::write(&file, "level = \"error\"\n").unwrap();
    live.reload().unwrap();
    assert_eq!(kept.level, "warn");
    assert_eq!(live.get().level, "error");
}

#[test]
fn the_kubelet_data_swap_of_a_config_dir_is_seen() {
    #[derive(Settings, Debug)]
    struct K {
        log_level: String,
    }
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("config");
    std::fs::create_dir(&dir).unwrap();
    let swap = |stamp: &str, value: &str| {
        let versioned = dir.join(format!("..{stamp}"));
        std::fs::create_dir(&versioned).unwrap();
        std::fs::write(versioned.join("log_level"), value).unwrap();
        let tmp = dir.join("..data_tmp");
        std::os::unix::fs::symlink(format!("..{stamp}"), &tmp).unwrap();
        std::fs::rename(&tmp, dir.join("..data")).unwrap();
        if std::fs::symlink_metadata(dir.join("log_level")).is_err() {
            std::os::unix::fs::symlink("..data/log_level", dir.join("log_level")).unwrap();
        }
    };
    swap("2026_01_01_00_00_00.1", "info");
    let live = K::loader()
        .env_vars([("X", "")])
        .config_dir(&dir)
        .watch()
        .unwrap();
    assert_eq!(live.get().log_level, "info");
    swap("2026_01_01_00_01_00.2", "debug");
    eventually("the ..data swap", || live.get().log_level == "debug");
}

#[test]
fn polling_reloads_sources_that_send_no_events() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "a = 1\nb = 1\n");
    // The env file is read on every reload too; here polling alone must pick the file up even if
    // no event arrived (events are also on, so this checks the two do not fight).
    let live = App::loader()
        .env_vars([("X", "")])
        .file(&file)
        .poll_every(Duration::from_millis(50))
        .watch()
        .unwrap();
    std::fs::write(&file, "a = 2\nb = 2\n").unwrap();
    eventually("the poll", || live.get().a == 2);
}

/// `LiveReader`: one per thread (`Send`), the held settings until a reload, the new ones on the
/// first call after it, and the last ones once every `Live` handle is gone.
#[test]
fn a_reader_sees_a_reload_on_its_next_call() {
    #[derive(settings_core::Settings, Debug)]
    struct S {
        #[settings(default = 1)]
        workers: u32,
    }
    fn is_send<X: Send>(_: &X) {}
    let dir = tempfile::tempdir().unwrap();
    let file = crate::write(dir.path(), "app.toml", "workers = 2\n");
    let live = S::loader()
        .env_vars([("X", "")])
        .file(&file)
        .watch()
        .unwrap();
    let mut reader = live.reader();
    is_send(&reader);
    assert_eq!(reader.get().workers, 2);
    std::fs::write(&file, "workers = 3\n").unwrap();
    live.reload().unwrap();
    assert_eq!(reader.get().workers, 3);
    let mut other = live.reader();
    let seen = std::thread::spawn(move || other.get().workers)
        .join()
        .unwrap();
    assert_eq!(seen, 3);
    drop(live);
    assert_eq!(reader.get().workers, 3, "the last settings stay");
}
