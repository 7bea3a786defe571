//! Secrets from Azure Key Vault, through the credential chain of `AzureKeyVault` (a service
//! principal or workload identity from `AZURE_*` variables, managed identity, then `az login`).
//! `--` in a secret name is nesting: `db--password` sets `db.password`.
//!
//! ```sh
//! az login
//! az keyvault secret set --vault-name myvault --name api-key --value k-123
//! az keyvault secret set --vault-name myvault --name db--url --value postgres://db/billing
//! az keyvault secret set --vault-name myvault --name db--password --value s3cret
//! AZURE_KEYVAULT_URL=https://myvault.vault.azure.net cargo run --example remote_azure
//! ```
//!
//! Without a vault at hand, `cargo test --test azure` runs the same source against a local
//! server that speaks Key Vault's REST API.

use settings_core::remote::AzureKeyVault;
use settings_core::{Secret, Settings};

#[derive(Settings, Debug)]
struct Billing {
    #[settings(rename = "api-key")]
    api_key: Secret<String>,
    #[settings(default = 8000)]
    port: u16,
    #[settings(nested)]
    db: Db,
}

#[derive(Settings, Debug)]
struct Db {
    url: String,
    password: Secret<String>,
}

fn main() {
    let vault = std::env::var("AZURE_KEYVAULT_URL")
        .unwrap_or_else(|_| "https://myvault.vault.azure.net".to_owned());
    let loader = Billing::loader().provider(AzureKeyVault::vault(vault).secrets([
        "api-key",
        "db--url",
        "db--password",
    ]));
    match loader.load() {
        Ok(settings) => {
            println!(
                "serving on port {} with {} (api key of {} characters)",
                settings.port,
                settings.db.url,
                settings.api_key.expose_secret().len()
            );
            let _password = settings.db.password.expose_secret();
            // Origins read "azure key vault myvault.vault.azure.net: db--password"; every
            // value from Key Vault is masked.
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
