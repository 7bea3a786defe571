//! Dropping the last `Live` handle stops its watcher: no thread outlives it. (A binary of its
//! own, so that no other test's threads are counted.)

use settings_core::Settings;
use std::time::{Duration, Instant};

#[derive(Settings, Debug)]
struct App {
    #[settings(default = 1)]
    n: u32,
}

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

#[test]
fn dropping_the_last_handle_ends_the_watch_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.toml");
    std::fs::write(&file, "n = 1\n").unwrap();
    let before = threads();
    for _ in 0..5 {
        let live = App::loader()
            .env_vars([("X", "")])
            .file(&file)
            .watch()
            .unwrap();
        let clone = live.clone();
        assert!(threads() > before);
        drop(live);
        assert_eq!(clone.get().n, 1);
        drop(clone);
    }
    let start = Instant::now();
    while threads() > before {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{} threads left over",
            threads() - before
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}
