//! Composition: a file that extends another, `${...}` references between values, and
//! command-line flags for every setting.
//!
//! ```sh
//! cargo run --example composition
//! cargo run --example composition -- --db.host=replica.internal --verbose
//! cargo run --example composition -- --help
//! ```

use settings_core::Settings;

/// Where the billing database lives.
#[derive(Settings, Debug)]
struct Db {
    /// Host name of the database server.
    host: String,
    /// Port of the database server.
    #[settings(default = 5432)]
    port: u16,
    /// Database name.
    name: String,
    /// User to connect as.
    user: Option<String>,
}

/// A service that composes its settings.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_", files = ["examples/composition/app.toml"])]
// `pub(crate)`: tests/it/editors.rs checks examples/composition/ against this struct's file schema.
pub(crate) struct App {
    #[settings(nested)]
    db: Db,
    /// Built from the db settings by reference.
    database_url: String,
    /// Built from the environment.
    greeting: String,
    /// Print more.
    #[settings(default = false)]
    verbose: bool,
}

fn main() {
    if let Err(e) = std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")) {
        eprintln!("cannot enter the repository root: {e}");
        std::process::exit(2);
    }
    let loader = App::loader().args(std::env::args_os().skip(1));
    match loader.load().and_then(|app| Ok((app, loader.explain()?))) {
        Ok((app, report)) => {
            print!("{report}");
            println!(
                "\nconnecting to {} (host {}, port {}, database {}, user {}; verbose: {})",
                app.database_url,
                app.db.host,
                app.db.port,
                app.db.name,
                app.db.user.as_deref().unwrap_or("default"),
                app.verbose
            );
            println!("{}", app.greeting);
        }
        Err(err) => {
            eprintln!("invalid settings:\n{err}");
            std::process::exit(1);
        }
    }
}
