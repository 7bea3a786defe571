//! Remote sources: secret managers and distributed stores, each behind its cargo feature.
//!
//! With the features `etcd` and `vault`:
//!
//! ```no_run
//! # #[cfg(all(feature = "etcd", feature = "vault"))] {
//! use settings_core::remote::{Etcd, Vault};
//! use settings_core::{Secret, Settings};
//!
//! #[derive(Settings, Debug)]
//! struct App {
//!     #[settings(default = 8000)]
//!     port: u16,
//!     db_password: Secret<String>,
//! }
//!
//! let app = App::loader()
//!     .provider(Etcd::prefix(["http://127.0.0.1:2379"], "/config/app/"))
//!     .provider(Vault::kv2("http://127.0.0.1:8200", "secret", "app"))
//!     .load()?;
//! # }
//! # Ok::<(), settings_core::Error>(())
//! ```
//!
//! # Details
//!
//! | feature | provider | reads |
//! | --- | --- | --- |
//! | `aws` | [`AwsSecretsManager::secret`] | a JSON secret's keys (or a plain string as one named key) |
//! | `aws` | [`AwsParameterStore::path`] | every parameter under a path, `/` as nesting, SecureString decrypted |
//! | `vault` | [`Vault::kv2`] | a KV v2 secret's keys; token from `VAULT_TOKEN` or given |
//! | `etcd` | [`Etcd::prefix`] | every key under a prefix, `/` as nesting; watched under `Live` |
//! | `gcp` | [`GcpSecretManager::secret`] | a secret's latest (or pinned) version: a JSON payload's keys (or a plain one as one named key) |
//! | `gcp` | [`GcpSecretManager::project`] | every secret of a project (by filter and id prefix), one key each, `__` as nesting |
//! | `azure` | [`AzureKeyVault::vault`] | named secrets of a Key Vault, or all; `--` as nesting |
//!
//! - Each is a `figment::Provider`, added with [`Loader::provider`](crate::Loader::provider):
//!   merged above the config files and below the environment. Keys merge at the top level of
//!   the settings unless `.nest("key")` puts them under a key. Values are text (or JSON) and
//!   are turned into the declared types like environment values.
//! - Every value's origin names the source and the key (`aws secrets manager prod/app:
//!   password`, `etcd /config/app/db/url`, `gcp secret manager
//!   projects/my-project/secrets/app/versions/latest: password`, `azure key vault
//!   myvault.vault.azure.net: db--password`), in reports and errors.
//! - Values from secret managers (Secrets Manager, SecureString parameters, Vault, GCP Secret
//!   Manager, Key Vault) are secret: masked in reports and errors. `.mark_secret(true)` marks any
//!   source's values secret, `.mark_secret(false)` unmarks them.
//! - Every request is bounded: 10 s in all by default (`.timeout(..)`), spent on at most
//!   3 attempts (`.attempts(..)`) with a growing pause between them. A server that accepts and
//!   never answers fails the load when the time is up. Every failure (unreachable, access
//!   denied, a missing secret or path, a value over the size limit, a secret that is not JSON)
//!   is a `Source` issue naming the system and its host:port or secret name; none contains a
//!   secret's value.
//! - `.cache_file(path)` keeps a "last known good" copy: written (mode 0600; it holds the
//!   values in clear) after every successful read, and used when the source fails, with
//!   origins marked `(last known good copy from <path>)`.
//! - `load()` works from a plain `main` and from inside a tokio runtime: no source needs the
//!   caller's runtime (the AWS, GCP and Azure clients run on a private one on a short-lived thread of
//!   their own).

use std::any::Any;

#[cfg(feature = "aws")]
mod aws;
#[cfg(feature = "azure")]
mod azure;
mod cache;
mod entry;
#[cfg(feature = "etcd")]
mod etcd;
#[cfg(feature = "gcp")]
mod gcp;
#[cfg(any(feature = "vault", feature = "etcd"))]
mod http;
mod options;
mod provider;
#[cfg(feature = "watch")]
mod refresh;
mod runtime;
#[cfg(feature = "vault")]
mod vault;

#[cfg(feature = "aws")]
pub use aws::{AwsParameterStore, AwsSecretsManager};
#[cfg(feature = "azure")]
pub use azure::AzureKeyVault;
#[cfg(feature = "etcd")]
pub use etcd::Etcd;
#[cfg(feature = "gcp")]
pub use gcp::GcpSecretManager;
#[cfg(feature = "vault")]
pub use vault::Vault;

use self::provider::Remote;
use crate::providers::figment::Layered;

/// `provider` as one of this crate's remote sources, or given back as it is.
pub(crate) fn ours<P: Any + Send + Sync>(provider: P) -> Result<Box<dyn Layered>, P> {
    // The provider sits in an `Option` so that the one of our types it is can be taken out by
    // value; the test of each type is a `TypeId` comparison.
    let mut slot = Some(provider);
    let any: &mut dyn Any = &mut slot;
    let taken: Option<Box<dyn Layered>> = None;
    #[cfg(feature = "aws")]
    let taken = taken
        .or_else(|| take::<AwsSecretsManager>(any))
        .or_else(|| take::<AwsParameterStore>(any));
    #[cfg(feature = "vault")]
    let taken = taken.or_else(|| take::<Vault>(any));
    #[cfg(feature = "etcd")]
    let taken = taken.or_else(|| take::<Etcd>(any));
    #[cfg(feature = "gcp")]
    let taken = taken.or_else(|| take::<GcpSecretManager>(any));
    #[cfg(feature = "azure")]
    let taken = taken.or_else(|| take::<AzureKeyVault>(any));
    match (taken, slot) {
        (Some(remote), _) => Ok(remote),
        (None, Some(provider)) => Err(provider),
        // `take` empties the slot only when it returns the source.
        (None, None) => unreachable!("a remote source was taken and not returned"),
    }
}

/// The source in `slot` if it is an `R`, taken out of it.
fn take<R: Remote + Clone + 'static>(slot: &mut dyn Any) -> Option<Box<dyn Layered>> {
    let remote = slot.downcast_mut::<Option<R>>()?.take()?;
    Some(Box::new(remote))
}
