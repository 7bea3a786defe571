//! Secrets from AWS Secrets Manager and settings from SSM Parameter Store, through the
//! standard AWS chain (`AWS_REGION`, `AWS_ENDPOINT_URL`, credentials from the environment,
//! profile, IRSA on EKS, or the instance role).
//!
//! ```sh
//! scripts/services start && source target/services/env     # moto, an AWS emulator
//! export AWS_ENDPOINT_URL=$SETTINGS_TEST_MOTO AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
//!     AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
//! aws secretsmanager create-secret --name prod/billing --secret-string '{"api_key":"k-123"}'
//! aws ssm put-parameter --name /prod/billing/db/url --value postgres://db/billing --type String
//! aws ssm put-parameter --name /prod/billing/db/password --value s3cret --type SecureString
//! cargo run --example remote_aws
//! ```

use settings_core::remote::{AwsParameterStore, AwsSecretsManager};
use settings_core::{Secret, Settings};

#[derive(Settings, Debug)]
struct Billing {
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
    let loader = Billing::loader()
        .provider(AwsParameterStore::path("/prod/billing/"))
        .provider(AwsSecretsManager::secret("prod/billing"));
    match loader.load() {
        Ok(settings) => {
            println!(
                "serving on port {} with {} (api key of {} characters)",
                settings.port,
                settings.db.url,
                settings.api_key.expose_secret().len()
            );
            let _password = settings.db.password.expose_secret();
            // Origins read "aws parameter store /prod/billing/db/url" and
            // "aws secrets manager prod/billing: api_key"; secrets are masked.
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
