//! The shapes real deployments write: a list of upstream servers from a file and from indexed
//! environment variables, and one database struct used twice under its own variable names.
//!
//! ```sh
//! cargo run --example deployment
//! APP_UPSTREAMS__1__WEIGHT=5 APP_UPSTREAMS__2__HOST=api-3.internal REPLICA_POOL_SIZE=8 \
//!     cargo run --example deployment
//! ```

use settings_core::{Secret, Settings};

/// One upstream server.
#[derive(Settings, Debug)]
struct Upstream {
    /// Host name (or address) of the server.
    host: String,
    /// Port it listens on.
    #[settings(default = 8080, range(min = 1))]
    port: u16,
    /// Share of the requests sent to it.
    #[settings(default = 1, range(min = 1, max = 100))]
    weight: u32,
}

/// A database connection.
#[derive(Settings, Debug)]
struct Database {
    /// Where the database is.
    #[settings(url(schemes = ["postgres"]))]
    url: String,
    /// Connections kept open.
    #[settings(default = 10, range(min = 1, max = 100))]
    pool_size: u32,
    /// Password; set it with APP_PRIMARY__PASSWORD, REPLICA_PASSWORD, or their `_FILE` forms.
    #[settings(default = "")]
    password: Secret<String>,
}

/// A gateway in front of several upstreams, with a primary and a replica database.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_", files = ["examples/deployment/gateway.toml"])]
// `pub(crate)`: tests/it/editors.rs checks examples/deployment/ against this struct's file schema.
pub(crate) struct Gateway {
    /// The servers requests are balanced across.
    #[settings(nested)]
    upstreams: Vec<Upstream>,
    /// The database writes go to: APP_PRIMARY__URL, APP_PRIMARY__POOL_SIZE, ...
    #[settings(nested)]
    primary: Database,
    /// The database reads go to: REPLICA_URL, REPLICA_POOL_SIZE, ...
    #[settings(nested, env_prefix = "REPLICA_")]
    replica: Database,
}

fn main() {
    let gateway = match Gateway::load() {
        Ok(gateway) => gateway,
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    };
    for (i, upstream) in gateway.upstreams.iter().enumerate() {
        println!(
            "upstream {i}: {}:{} (weight {})",
            upstream.host, upstream.port, upstream.weight
        );
    }
    for (name, db) in [("primary", &gateway.primary), ("replica", &gateway.replica)] {
        let password = if db.password.expose_secret().is_empty() {
            "no"
        } else {
            "a"
        };
        println!(
            "{name}: {} with {} connections, {password} password",
            db.url, db.pool_size
        );
    }
}
