//! Secrets from Vault (tested against OpenBao, Vault-API compatible): a KV v2 secret's keys
//! are settings, secret by default, with a "last known good" cache for outages.
//!
//! ```sh
//! scripts/services start && source target/services/env     # an OpenBao dev server
//! curl -s -H 'X-Vault-Token: root' -d '{"data":{"password":"s3cret","pool_size":"20"}}' \
//!     $SETTINGS_TEST_VAULT/v1/secret/data/billing/db
//! VAULT_ADDR=$SETTINGS_TEST_VAULT VAULT_TOKEN=root cargo run --example remote_vault
//! ```

use settings_core::remote::Vault;
use settings_core::{Secret, Settings};

#[derive(Settings, Debug)]
struct Billing {
    #[settings(nested)]
    db: Db,
}

#[derive(Settings, Debug)]
struct Db {
    #[settings(default = "postgres://localhost/billing")]
    url: String,
    password: Secret<String>,
    #[settings(default = 10)]
    pool_size: u32,
}

/// Stands in for the application's database pool.
fn connect(url: &str, password: &Secret<String>, pool_size: u32) {
    let hidden = "*".repeat(password.expose_secret().len().min(8));
    println!("connecting to {url} with {pool_size} connections (password {hidden})");
}

fn main() {
    // An empty address means VAULT_ADDR; the token comes from VAULT_TOKEN.
    let cache = std::env::temp_dir().join("billing-settings.cache.json");
    let loader = Billing::loader().provider(
        Vault::kv2("", "secret", "billing/db")
            .nest("db")
            .cache_file(&cache),
    );
    match loader.load() {
        Ok(settings) => {
            let db = &settings.db;
            connect(&db.url, &db.password, db.pool_size);
            // Where each value came from: "vault secret/billing/db: password", masked.
            if let Ok(report) = loader.explain() {
                println!("{report}");
            }
        }
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    }
}
