//! The secret to read is chosen by a setting: `prod/app` or `staging/app` from AWS Secrets
//! Manager according to `APP_ENV`, in one load (`Loader::provider_with`), as the seed's
//! production example does with two loads and glue.
//!
//! ```sh
//! scripts/services start && source target/services/env     # moto, an AWS emulator
//! export AWS_ENDPOINT_URL=$SETTINGS_TEST_MOTO AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
//!     AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
//! aws secretsmanager create-secret --name prod/app --secret-string '{"db_password":"p-1"}'
//! aws secretsmanager create-secret --name staging/app --secret-string '{"db_password":"s-1"}'
//! APP_ENV=staging cargo run --example bootstrap
//! ```

use settings_core::remote::AwsSecretsManager;
use settings_core::{Early, Secret, Settings};

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct AppSettings {
    /// Which deployment this is; it names the secret to read.
    #[settings(default = "local", one_of = ["local", "staging", "prod"])]
    env: String,
    #[settings(default = 8000)]
    port: u16,
    db_password: Secret<String>,
}

fn main() {
    let loader = AppSettings::loader().provider_with(|early: &Early| {
        // What the defaults, files and environment say, before any provider is read.
        let env: String = early.get("env")?.unwrap_or_else(|| "local".into());
        Ok(AwsSecretsManager::secret(format!("{env}/app")))
    });
    match loader.load() {
        Ok(settings) => {
            println!(
                "{} on port {}, with a database password of {} characters",
                settings.env,
                settings.port,
                settings.db_password.expose_secret().len()
            );
            // The origin says which secret was read: "aws secrets manager staging/app:
            // db_password"; the value is masked.
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
