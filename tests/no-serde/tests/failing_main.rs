//! A failed start reads well, as a user's own `main` prints it: `fn main() -> Result<(),
//! settings_core::Error>` and `.expect("settings")` both print `Error`'s `Debug`, which is its
//! `Display` (one issue a line, as anyhow and pydantic's ValidationError print them), not the
//! struct dump. This binary has no test harness: run as a test, it starts itself again as the
//! failing program (`--as-main`, `--as-expect`) and pins what that child prints.

use settings_core::Settings;
use std::process::Command;

/// Settings of the billing service.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct App {
    /// Most connections kept open.
    #[settings(default = 10, range(min = 1, max = 100))]
    pool_size: u32,
    /// Where billing records are archived.
    database_url: String,
}

fn load() -> Result<App, settings_core::Error> {
    App::loader()
        .env_vars([("APP_POOL_SIZE", "lots"), ("APP_PORT", "80")])
        .load()
}

fn main() -> Result<(), settings_core::Error> {
    match std::env::args().nth(1).as_deref() {
        Some("--as-main") => {
            let app = load()?;
            println!("pool of {} to {}", app.pool_size, app.database_url);
        }
        Some("--as-expect") => {
            load().expect("settings");
        }
        // Run by `cargo test` (with or without harness flags such as `--include-ignored`).
        _ => check(),
    }
    Ok(())
}

const ISSUES: &str = "\
pool_size: expected an integer, found \"lots\" (from env var APP_POOL_SIZE)
database_url: a value is required but no source sets it; set APP_DATABASE_URL or `database_url` in a config file";

fn check() {
    let main = child("--as-main");
    assert_eq!(main.status.code(), Some(1), "{main:?}");
    let stderr = String::from_utf8(main.stderr).unwrap();
    assert_eq!(
        stderr,
        format!("Error: {ISSUES}\n"),
        "what main printed:\n{stderr}"
    );

    let expect = child("--as-expect");
    assert_eq!(expect.status.code(), Some(101), "{expect:?}");
    let stderr = String::from_utf8(expect.stderr).unwrap();
    assert!(
        stderr.contains(&format!("settings: {ISSUES}\n")),
        "what expect printed:\n{stderr}"
    );
    assert!(!stderr.contains("Issue {"), "{stderr}");
    println!("failing_main: main and expect print one issue a line");
}

/// This binary again, as the failing program.
fn child(mode: &str) -> std::process::Output {
    Command::new(std::env::current_exe().unwrap())
        .arg(mode)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .output()
        .unwrap()
}
