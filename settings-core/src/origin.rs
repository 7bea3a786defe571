//! Where the values of one load came from: an origin per file, variable, entry or provider key,
//! indexed by the [`OriginId`] every tree value carries.

use crate::redact::url_passwords;
pub(crate) use crate::tree::OriginId;
use crate::tree::{Step, Table, locate};
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a value (or a problem) came from.
///
/// Every [`Entry`](crate::Entry) of a report and every [`Issue`](crate::Issue) of an error names
/// one as text (`entry.origin`, `issue.origin`); this is the same thing as a value to match on,
/// from [`Entry::source`](crate::Entry::source) and
/// [`Error::issues_with_origins`](crate::Error::issues_with_origins).
/// Its `Display` is that text: `env var APP_PORT`, `file config/app.toml`, `default`. The
/// password of a URL in it is shown masked, as everywhere.
///
/// ```
/// use settings_core::{Origin, Settings};
///
/// #[derive(Settings)]
/// #[settings(env_prefix = "APP_")]
/// struct App {
///     #[settings(default = 8080)]
///     port: u16,
/// }
///
/// let report = App::loader().env_vars([("APP_PORT", "9000")]).explain().unwrap();
/// let entry = report.get("port").unwrap();
/// match &entry.source {
///     Some(Origin::EnvVar { name }) => assert_eq!(name, "APP_PORT"),
///     other => panic!("not from the environment: {other:?}"),
/// }
/// assert_eq!(entry.origin, "env var APP_PORT");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Origin {
    /// The field's declared default: `default`.
    Default,
    /// A config file: `file config/app.toml`.
    File {
        /// The file as it was given (relative paths stay relative).
        path: PathBuf,
    },
    /// An environment variable: `env var APP_PORT`.
    EnvVar {
        /// The variable's name as set (its case kept).
        name: String,
    },
    /// A dotenv file as a whole (a problem reading it): `env file .env`.
    EnvFile {
        /// The file.
        path: PathBuf,
    },
    /// One line of a dotenv file: `env file .env, APP_PORT on line 3`.
    EnvFileLine {
        /// The file.
        path: PathBuf,
        /// The variable the line sets.
        name: String,
        /// The line, from 1.
        line: usize,
    },
    /// A file of the secrets directory: `secrets dir file db_password`.
    SecretsDir {
        /// The file's name in the directory.
        entry: String,
    },
    /// A file of the config directory: `config dir file log_level`.
    ConfigDir {
        /// The file's name in the directory.
        entry: String,
    },
    /// A command-line argument: `argument --db.pool-size`.
    Argument {
        /// The flag as written on the command line, dashes included.
        flag: String,
    },
    /// A runtime override (`Loader::set`): `override db.pool_size`.
    Override {
        /// The dotted path given to `set`.
        path: String,
    },
    /// A figment provider, or a remote source as a whole: `provider vault secret/app`.
    Provider {
        /// The provider's name (figment's `Metadata` name, or the remote source's).
        name: String,
    },
    /// One value of a remote store: `aws secrets manager prod/app: password`,
    /// `etcd /config/app/port`, `aws parameter store /prod/app/db/url`.
    Remote {
        /// The store: `aws secrets manager`, `aws parameter store`, `vault`, `etcd`,
        /// `gcp secret manager`, `azure key vault`.
        system: &'static str,
        /// What was read from it: a secret's id, a path, a key, a vault's host.
        item: String,
        /// The key inside the item, when the item is a JSON object of settings.
        key: Option<String>,
    },
    /// A value decrypted from `ENC[...]` (or an encrypted file): `env var APP_DB_PASSWORD
    /// (decrypted)`.
    Decrypted {
        /// Where the encrypted text came from.
        from: Box<Origin>,
    },
    /// A remote value read back from the last known good copy, because its source failed:
    /// `etcd /config/app/port (last known good copy from /var/cache/app.json)`.
    LastKnownGood {
        /// Where the value was read from when the copy was written.
        from: Box<Origin>,
        /// The copy.
        cache: PathBuf,
    },
    /// The content of a file that a `NAME_FILE` variable (or env file line) names, as Docker's
    /// official images read `POSTGRES_PASSWORD_FILE`: `file /run/secrets/db (env var
    /// APP_DB__PASSWORD_FILE)`.
    FileNamedBy {
        /// The file, as the variable gives it.
        path: PathBuf,
        /// The variable (or env file line) that names it.
        via: Box<Origin>,
    },
    /// An age key file (`Loader::age_key_file`): `age key file /etc/app/key.txt`.
    AgeKeyFile {
        /// The file.
        path: PathBuf,
    },
    /// An age identity given in code: `Loader::age_identity (call 1)`.
    AgeIdentity {
        /// Which call of `Loader::age_identity`, from 1.
        call: usize,
    },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Free text (names, paths, keys) is masked: a URL's password is never shown.
        let text = |f: &mut fmt::Formatter<'_>, text: &str| f.write_str(&url_passwords(text));
        fn path(p: &Path) -> Cow<'_, str> {
            p.to_string_lossy()
        }
        fn name(n: &str) -> Cow<'_, str> {
            Cow::Borrowed(n)
        }
        // Most origins are a fixed lead and one name or path.
        let (lead, rest) = match self {
            Origin::Default => return f.write_str("default"),
            Origin::File { path: p } => ("file ", path(p)),
            Origin::EnvVar { name: n } => ("env var ", name(n)),
            Origin::EnvFile { path: p } => ("env file ", path(p)),
            Origin::SecretsDir { entry } => ("secrets dir file ", name(entry)),
            Origin::ConfigDir { entry } => ("config dir file ", name(entry)),
            Origin::Argument { flag } => ("argument ", name(flag)),
            Origin::Override { path: p } => ("override ", name(p)),
            Origin::Provider { name: n } => ("provider ", name(n)),
            Origin::AgeKeyFile { path: p } => ("age key file ", path(p)),
            Origin::EnvFileLine {
                path: p,
                name: n,
                line,
            } => {
                f.write_str("env file ")?;
                text(f, &path(p))?;
                f.write_str(", ")?;
                text(f, n)?;
                return write!(f, " on line {line}");
            }
            Origin::Remote { system, item, key } => {
                f.write_str(system)?;
                if !item.is_empty() {
                    f.write_str(" ")?;
                    text(f, item)?;
                }
                if let Some(key) = key {
                    f.write_str(": ")?;
                    text(f, key)?;
                }
                return Ok(());
            }
            Origin::Decrypted { from } => return write!(f, "{from} (decrypted)"),
            Origin::FileNamedBy { path: p, via } => {
                f.write_str("file ")?;
                text(f, &path(p))?;
                return write!(f, " ({via})");
            }
            Origin::LastKnownGood { from, cache } => {
                write!(f, "{from} (last known good copy from ")?;
                text(f, &path(cache))?;
                return f.write_str(")");
            }
            Origin::AgeIdentity { call } => return write!(f, "Loader::age_identity (call {call})"),
        };
        f.write_str(lead)?;
        text(f, &rest)
    }
}

/// An origin of one load, and whether every value from it is secret (a secrets directory, a
/// decrypted value).
#[derive(Debug, Clone)]
pub(crate) struct Held {
    pub(crate) origin: Origin,
    pub(crate) secret: bool,
}

/// The origins of one load, indexed by [`OriginId`].
#[derive(Debug, Default)]
pub(crate) struct Origins {
    list: Vec<Held>,
}

impl Origins {
    /// Room for `n` origins: a load has a few files and a few variables, and the list would
    /// otherwise grow by copying three times on the way to ten.
    pub(crate) fn with_capacity(n: usize) -> Self {
        Origins {
            list: Vec::with_capacity(n),
        }
    }

    /// As many origins as fit in 1 KiB: the most a load's first list can hold while staying
    /// in the allocator's per-thread cache (glibc's reaches 1032 bytes; a larger block costs
    /// about 3k instructions a load in the general allocator).
    pub(crate) const FIRST: usize = 1024 / std::mem::size_of::<Held>();

    pub(crate) fn add(&mut self, origin: Origin, secret: bool) -> OriginId {
        self.list.push(Held { origin, secret });
        OriginId::try_from(self.list.len() - 1).unwrap_or(OriginId::MAX)
    }

    pub(crate) fn get(&self, id: OriginId) -> &Held {
        &self.list[id as usize]
    }
}

/// Marks every list or table that holds the value at `location` secret: reports show a list
/// whole, so a secret item makes the list secret.
pub(crate) fn mark_holders_secret(tree: &mut Table, location: &[Step], origins: &mut Origins) {
    for depth in 1..location.len() {
        if let Some(holder) = locate(tree, &location[..depth]) {
            let held = origins.get(holder.origin);
            if !held.secret {
                holder.origin = origins.add(held.origin.clone(), true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_origin_reads_as_the_text_users_know() {
        let remote = |item: &str, key: Option<&str>| Origin::Remote {
            system: "aws secrets manager",
            item: item.into(),
            key: key.map(str::to_owned),
        };
        let cases = [
            (Origin::Default, "default"),
            (
                Origin::File {
                    path: "config/app.toml".into(),
                },
                "file config/app.toml",
            ),
            (
                Origin::EnvVar {
                    name: "APP_PORT".into(),
                },
                "env var APP_PORT",
            ),
            (
                Origin::EnvFile {
                    path: ".env".into(),
                },
                "env file .env",
            ),
            (
                Origin::EnvFileLine {
                    path: ".env".into(),
                    name: "APP_PORT".into(),
                    line: 3,
                },
                "env file .env, APP_PORT on line 3",
            ),
            (
                Origin::SecretsDir {
                    entry: "api_key".into(),
                },
                "secrets dir file api_key",
            ),
            (
                Origin::ConfigDir {
                    entry: "log_level".into(),
                },
                "config dir file log_level",
            ),
            (
                Origin::Argument {
                    flag: "--db.pool-size".into(),
                },
                "argument --db.pool-size",
            ),
            (
                Origin::Override {
                    path: "db.url".into(),
                },
                "override db.url",
            ),
            (
                Origin::Provider {
                    name: "vault secret/app".into(),
                },
                "provider vault secret/app",
            ),
            (
                remote("prod/app", Some("password")),
                "aws secrets manager prod/app: password",
            ),
            (
                Origin::Remote {
                    system: "etcd",
                    item: "/app/port".into(),
                    key: None,
                },
                "etcd /app/port",
            ),
            (
                Origin::Decrypted {
                    from: Box::new(Origin::EnvVar {
                        name: "APP_KEY".into(),
                    }),
                },
                "env var APP_KEY (decrypted)",
            ),
            (
                Origin::LastKnownGood {
                    from: Box::new(remote("prod/app", Some("port"))),
                    cache: "/var/cache/app.json".into(),
                },
                "aws secrets manager prod/app: port (last known good copy from /var/cache/app.json)",
            ),
            (
                Origin::AgeKeyFile {
                    path: "/etc/key.txt".into(),
                },
                "age key file /etc/key.txt",
            ),
            (
                Origin::AgeIdentity { call: 2 },
                "Loader::age_identity (call 2)",
            ),
            (
                Origin::FileNamedBy {
                    path: "/run/secrets/db".into(),
                    via: Box::new(Origin::EnvVar {
                        name: "APP_DB__PASSWORD_FILE".into(),
                    }),
                },
                "file /run/secrets/db (env var APP_DB__PASSWORD_FILE)",
            ),
        ];
        for (origin, text) in cases {
            assert_eq!(origin.to_string(), text, "{origin:?}");
        }
    }

    #[test]
    fn a_url_password_in_an_origin_is_masked() {
        let origin = Origin::Provider {
            name: "consul https://ops:hunter2@consul:8501".into(),
        };
        assert_eq!(
            origin.to_string(),
            "provider consul https://ops:*****@consul:8501"
        );
    }

    #[test]
    fn a_holder_of_a_secret_gets_a_secret_copy_of_its_origin() {
        let mut origins = Origins::default();
        let file = origins.add(
            Origin::File {
                path: "a.toml".into(),
            },
            false,
        );
        let key = Origin::EnvVar {
            name: "APP_KEY".into(),
        };
        let secret = origins.add(key, true);
        let mut tree = Table::new();
        crate::tree::insert_path(
            &mut tree,
            &["hosts"],
            crate::tree::Value::new(
                crate::tree::Node::Array(vec![crate::tree::Value::new(
                    crate::tree::Node::Text("x".into()),
                    secret,
                )]),
                file,
            ),
        );
        let location = [Step::Key("hosts".into()), Step::Index(0)];
        mark_holders_secret(&mut tree, &location, &mut origins);
        let holder = locate(&mut tree, &location[..1]).unwrap().origin;
        assert_ne!(holder, file);
        assert!(origins.get(holder).secret);
        assert_eq!(origins.get(holder).origin, origins.get(file).origin);
    }
}
