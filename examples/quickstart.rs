//! The main job: load real settings from `examples/config/` plus the environment, and print where
//! every value came from, secrets masked. The ready-made `config` command (`settings_core::cli`)
//! comes with it.
//!
//! ```sh
//! cargo run --example quickstart
//! APP_PORT=9000 APP_PROFILE=prod cargo run --example quickstart
//! cargo run --example quickstart -- config check
//! cargo run --example quickstart -- config show --set db.pool_size=20 --profile prod
//! cargo run --example quickstart -- config template --format yaml
//! cargo run --example quickstart -- config schema
//! ```

use settings_core::{Secret, Settings, cli};
use std::process::ExitCode;
use std::time::Duration;
use url::Url;

/// Settings of the billing service.
#[derive(Settings, Debug)]
#[settings(
    env_prefix = "APP_",
    files = ["examples/config/settings.toml"],
    env_file = "examples/config/.env",
    secrets_dir = "examples/config/secrets"
)]
// `pub(crate)`: tests/it/editors.rs checks examples/config/ against this struct's file schema.
pub(crate) struct AppSettings {
    /// Port the HTTP server listens on.
    #[settings(default = 8000, range(min = 1, max = 65535))]
    port: u16,
    /// Main database.
    #[settings(nested)]
    db: DatabaseSettings,
    /// Where billing records are archived.
    #[settings(env = "DATABASE_URL", url(schemes = ["postgres", "postgresql"]))]
    database_url: String,
    /// Key of the payment provider's API.
    api_key: Secret<String>,
    /// Cloud region, like `eu-west-1`.
    #[settings(regex = r"^[a-z]{2}-[a-z]+-\d$")]
    region: String,
    /// How long a request may take.
    #[settings(default = "30s")]
    request_timeout: Duration,
    /// Host names the server answers to.
    #[settings(default = ["localhost"], len(min = 1))]
    allowed_hosts: Vec<String>,
    /// Verbose diagnostics.
    debug: Option<bool>,
}

/// The main database.
#[derive(Settings, Debug)]
struct DatabaseSettings {
    /// Connection URL, without the password.
    url: Url,
    /// Most connections kept open.
    #[settings(default = 10, range(min = 1, max = 100))]
    pool_size: u32,
    /// Database password.
    password: Secret<String>,
}

fn main() -> ExitCode {
    // The declared paths are relative to the repository root.
    if let Err(e) = std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")) {
        eprintln!("cannot enter the repository root: {e}");
        return ExitCode::from(2);
    }
    // `quickstart config check|show|template|schema`: the command runs and the program ends.
    if let Some(code) = cli::run::<AppSettings>(std::env::args_os()) {
        return code;
    }
    let loaded = AppSettings::load().and_then(|s| Ok((s, AppSettings::loader().explain()?)));
    let (settings, report) = match loaded {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("invalid settings:\n{err}");
            return ExitCode::FAILURE;
        }
    };
    print!("{report}");
    // Two instances with the same fingerprint run with the same settings.
    println!("\nsettings fingerprint {}", report.fingerprint());
    println!(
        "\nwould serve {} on port {} (timeout {:?}, {} db connections to {}, region {}, archive {}, debug {:?}, api key {}, db password {})",
        settings.allowed_hosts.join(", "),
        settings.port,
        settings.request_timeout,
        settings.db.pool_size,
        settings.db.url.host_str().unwrap_or("?"),
        settings.region,
        settings.database_url,
        settings.debug,
        settings.api_key,
        settings.db.password,
    );
    ExitCode::SUCCESS
}
