//! Live settings: the log level and feature flags change without a restart, through
//! `tracing-subscriber`'s reload layer; a `restart` field is reported and kept.
//!
//! ```sh
//! cargo run --example live
//! ```
//! The example writes a settings file into a temporary directory, starts the watch, edits the
//! file a few times as an operator would, and shows what the running program sees.

use settings_core::Settings;
use settings_core::flags::Flags;
use std::time::{Duration, Instant};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::prelude::*;
use tracing_subscriber::reload;

/// Settings that may change at runtime.
#[derive(Settings, Debug)]
#[settings(env_prefix = "LIVE_")]
struct App {
    /// How much is logged.
    #[settings(default = "info", one_of = ["trace", "debug", "info", "warn", "error"])]
    log_level: String,
    /// The port cannot change without a restart.
    #[settings(default = 8080, restart)]
    port: u16,
    /// Feature flags.
    #[settings(default)]
    flags: Flags,
}

fn level(name: &str) -> LevelFilter {
    name.parse().unwrap_or(LevelFilter::INFO)
}

/// Waits (briefly) until the watcher has applied a change.
fn settle(live: &settings_core::Live<App>, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while !done(&live.get()) && start.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("live.toml");
    let write = |text: &str| std::fs::write(&file, text).expect("the settings file is written");
    write("log_level = \"info\"\nport = 8080\n[flags]\nnew_checkout = false\n");

    let live = App::loader().file(&file).watch().unwrap_or_else(|err| {
        eprintln!("invalid settings:\n{err}");
        std::process::exit(1);
    });

    // The log filter is a reload layer: on_change swaps its level when `log_level` changes.
    let (filter, handle) = reload::Layer::new(level(&live.get().log_level));
    tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_target(false)
                .without_time(),
        )
        .init();
    live.on_change_paths(move |_, new, changed| {
        if changed.iter().any(|p| p == "log_level") {
            let _ = handle.modify(|f| *f = level(&new.log_level));
        }
        tracing::info!(?changed, "settings reloaded");
    });
    live.on_error(|err| tracing::error!("reload refused, keeping the last good settings:\n{err}"));

    tracing::debug!("not shown: the level is info");
    let checkout = |live: &settings_core::Live<App>| {
        live.get().flags.is_enabled_for("new_checkout", "user-42")
    };
    tracing::info!(new_checkout = checkout(&live), "before");

    write(
        "log_level = \"debug\"\nport = 8080\n[flags]\nnew_checkout = { enabled = true, rollout = 100.0 }\n",
    );
    settle(&live, |s| s.log_level == "debug");
    tracing::debug!("shown now: the level is debug");
    tracing::info!(
        new_checkout = checkout(&live),
        "after the flag was turned on"
    );

    // A typo is refused: the program keeps running on the last good settings.
    write("log_level = \"verbose\"\nport = 8080\n");
    settle(&live, |_| live.last_error().is_some());
    tracing::info!(level = %live.get().log_level, "still running with");

    // The port needs a restart: the change is reported and not applied.
    write("log_level = \"info\"\nport = 9090\n");
    settle(&live, |s| s.log_level == "info");
    tracing::info!(port = live.get().port, "port kept until the next restart");
}
