//! Secrets from Google Cloud Secret Manager: a JSON secret's keys are settings and a plain
//! secret is one named key, secret by default, through Application Default Credentials
//! (`GOOGLE_APPLICATION_CREDENTIALS`, `gcloud auth application-default login`, or the
//! metadata server: workload identity on GKE, Cloud Run, GCE).
//!
//! ```sh
//! gcloud secrets create billing --data-file=- <<< '{"port": "8080", "db_url": "postgres://db/billing"}'
//! printf %s 's3cret' | gcloud secrets create billing-db-password --data-file=-
//! GCP_PROJECT=my-project cargo run --example remote_gcp
//! ```
//!
//! The caller needs the role "Secret Manager Secret Accessor" on both secrets.

use settings_core::remote::GcpSecretManager;
use settings_core::{Secret, Settings};

#[derive(Settings, Debug)]
struct Billing {
    #[settings(default = 8000)]
    port: u16,
    db_url: String,
    db_password: Secret<String>,
}

fn main() {
    let project = std::env::var("GCP_PROJECT").unwrap_or_else(|_| "my-project".into());
    let loader = Billing::loader()
        .provider(GcpSecretManager::secret(project.as_str(), "billing"))
        .provider(
            GcpSecretManager::secret(project.as_str(), "billing-db-password")
                .single_key("db_password"),
        );
    match loader.load() {
        Ok(settings) => {
            println!(
                "serving on port {} with {} (password of {} characters)",
                settings.port,
                settings.db_url,
                settings.db_password.expose_secret().len()
            );
            // Origins read "gcp secret manager projects/my-project/secrets/billing/versions/
            // latest: port"; the values are masked.
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
