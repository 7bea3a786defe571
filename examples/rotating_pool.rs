//! A service holding a PostgreSQL pool whose credentials rotate under it: Vault (here OpenBao)
//! issues a PostgreSQL role with a lease (`Vault::dynamic`), `Live` renews the lease and, when
//! Vault will not renew it further, reads new credentials while the old ones still work; the
//! pool reconnects with them in `on_change`. When the program ends, the leases are revoked.
//!
//! Revoking a lease drops its PostgreSQL role, but OpenBao's default revocation statements leave
//! sessions already open with it running; to cut them too, add `pg_terminate_backend` for the
//! role to the role's revocation statements.
//!
//! ```sh
//! scripts/services start && source target/services/env  # OpenBao + PostgreSQL, role `app`:
//!                                                        # leases of 4 s, at most 12 s
//! VAULT_ADDR=$SETTINGS_TEST_VAULT VAULT_TOKEN=root APP_DB__PORT=$SETTINGS_TEST_PG_PORT \
//!     cargo run --example rotating_pool
//! ```

use postgres::{Client, NoTls};
use settings_core::remote::Vault;
use settings_core::{Secret, Settings};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Settings, Debug)]
struct Db {
    #[settings(default = "127.0.0.1")]
    host: String,
    #[settings(default = 5432)]
    port: u16,
    #[settings(default = "app")]
    name: String,
    /// Issued by Vault with the password; both change at each rotation.
    username: Secret<String>,
    password: Secret<String>,
    #[settings(default = 2, range(min = 1, max = 64))]
    pool_size: u32,
}

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct AppSettings {
    #[settings(nested)]
    db: Db,
    /// How long the demonstration runs.
    #[settings(default = "30s")]
    run_for: Duration,
}

/// The pool: a few open connections, replaced whole when the credentials change.
type Pool = Arc<Mutex<Vec<Client>>>;

fn connect(db: &Db) -> Result<Vec<Client>, postgres::Error> {
    (0..db.pool_size)
        .map(|_| {
            postgres::Config::new()
                .host(&db.host)
                .port(db.port)
                .dbname(&db.name)
                .user(db.username.expose_secret())
                .password(db.password.expose_secret())
                .connect_timeout(Duration::from_secs(5))
                .connect(NoTls)
        })
        .collect()
}

fn main() {
    let loader =
        AppSettings::loader().provider(Vault::dynamic("", "database/creds/app").nest("db"));
    let live = match loader.watch() {
        Ok(live) => live,
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    };
    let pool: Pool = match connect(&live.get().db) {
        Ok(clients) => Arc::new(Mutex::new(clients)),
        Err(e) => {
            eprintln!("cannot connect to PostgreSQL: {e}");
            std::process::exit(1);
        }
    };
    let reconnect = pool.clone();
    live.on_change(move |_, new| match connect(&new.db) {
        // The old connections close as they are dropped; their role stays valid until its
        // lease ends, so work in flight on them finishes.
        Ok(clients) => {
            *reconnect.lock().unwrap() = clients;
            println!("new credentials: the pool reconnected");
        }
        Err(e) => eprintln!("new credentials do not connect yet, keeping the pool: {e}"),
    });
    live.on_error(|err| eprintln!("keeping the current credentials: {err}"));

    let started = Instant::now();
    while started.elapsed() < live.get().run_for {
        let mut clients = pool.lock().unwrap();
        if let Some(client) = clients.first_mut() {
            match client.query_one("select current_user", &[]) {
                Ok(row) => {
                    let user: String = row.get(0);
                    println!(
                        "{:>5.1} s: connected as {user}",
                        started.elapsed().as_secs_f64()
                    );
                }
                Err(e) => println!("query failed: {e}"),
            }
        }
        drop(clients);
        std::thread::sleep(Duration::from_secs(1));
    }
    // Dropping the last handle revokes the leases: the role is gone from PostgreSQL.
    drop(live);
}
