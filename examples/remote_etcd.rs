//! Shared settings of a fleet in etcd: every key under `/config/billing/` is a setting, and a
//! change reaches every running instance within milliseconds through `Live`.
//!
//! ```sh
//! scripts/services start && source target/services/env     # or any etcd 3.4+
//! etcdctl --endpoints=$SETTINGS_TEST_ETCD put /config/billing/db/url postgres://db/billing
//! ETCD=$SETTINGS_TEST_ETCD cargo run --example remote_etcd
//! etcdctl --endpoints=$SETTINGS_TEST_ETCD put /config/billing/db/pool_size 30   # while it runs
//! ```

use settings_core::Settings;
use settings_core::remote::Etcd;
use std::time::Duration;

/// Settings of the billing service.
#[derive(Settings, Debug)]
#[settings(env_prefix = "BILLING_")]
struct Billing {
    /// Port the HTTP server listens on.
    #[settings(default = 8000)]
    port: u16,
    #[settings(nested)]
    db: Db,
}

#[derive(Settings, Debug)]
struct Db {
    /// Main database.
    url: String,
    #[settings(default = 10, range(min = 1, max = 100))]
    pool_size: u32,
}

fn main() -> Result<(), settings_core::Error> {
    let endpoint = std::env::var("ETCD").unwrap_or_else(|_| "http://127.0.0.1:2379".into());
    let source =
        || Etcd::prefix([endpoint.as_str()], "/config/billing/").timeout(Duration::from_secs(3));

    println!("{}", Billing::loader().provider(source()).explain()?);

    let live = Billing::loader().provider(source()).watch()?;
    let now = live.get();
    println!(
        "port {}, db {} (pool {})",
        now.port, now.db.url, now.db.pool_size
    );
    drop(now);
    live.on_change(|old, new| {
        println!("db.pool_size: {} -> {}", old.db.pool_size, new.db.pool_size)
    });
    live.on_error(|err| eprintln!("reload failed, keeping the last good settings:\n{err}"));
    let seconds: u64 = std::env::var("WATCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    println!("watching /config/billing/ for {seconds} s (set WATCH_SECONDS)");
    std::thread::sleep(Duration::from_secs(seconds));
    Ok(())
}
