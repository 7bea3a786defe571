//! The options every remote source has and their defaults (the builder methods that set them are
//! in `provider.rs`), and how a server's address is named in messages.

use crate::origin::Origin;
use std::path::PathBuf;
use std::time::Duration;

/// The total time a remote source may take, retries included, unless `.timeout(..)` says.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times a request is tried, unless `.attempts(..)` says.
pub(crate) const DEFAULT_ATTEMPTS: u32 = 3;
/// The largest answer read from a remote source, unless `.max_size(..)` says: 4 MiB.
pub(crate) const DEFAULT_MAX_SIZE: u64 = 4 * 1024 * 1024;

/// Every store a remote source reads, as origins name it.
pub(crate) const SYSTEMS: [&str; 6] = [
    "aws secrets manager",
    "aws parameter store",
    "vault",
    "etcd",
    "gcp secret manager",
    "azure key vault",
];

/// The options every remote source has.
#[derive(Debug, Clone)]
pub(crate) struct Common {
    /// How the source names itself: "vault secret/app", "etcd /config/app/"; always its
    /// `system`, a space, and what it reads.
    pub(crate) name: String,
    /// The store: "vault", "etcd", "aws secrets manager".
    pub(crate) system: &'static str,
    pub(crate) timeout: Duration,
    pub(crate) attempts: u32,
    /// Dotted key to nest every value under.
    pub(crate) nest: Option<String>,
    pub(crate) cache_file: Option<PathBuf>,
    /// Overrides the source's own idea of which values are secret.
    pub(crate) secret: Option<bool>,
    pub(crate) max_size: u64,
    /// `.refresh(interval)`: under `Live`, read again at this interval.
    #[cfg_attr(not(feature = "watch"), allow(dead_code))]
    pub(crate) refresh: Option<Duration>,
}

impl Common {
    /// The options of a source reading `item` ("secret/app") from `system` ("vault").
    pub(crate) fn new(system: &'static str, item: &str) -> Self {
        Common {
            name: format!("{system} {item}"),
            system,
            timeout: DEFAULT_TIMEOUT,
            attempts: DEFAULT_ATTEMPTS,
            nest: None,
            cache_file: None,
            secret: None,
            max_size: DEFAULT_MAX_SIZE,
            refresh: None,
        }
    }
}

impl Common {
    /// What the source reads, as its name says: "secret/app", "/config/app/".
    fn item(&self) -> &str {
        self.name
            .strip_prefix(self.system)
            .map_or(&self.name[..], str::trim_start)
    }

    /// The origin of the value at `key` of the JSON object the source reads.
    pub(crate) fn origin_of_key(&self, key: &str) -> Origin {
        Origin::Remote {
            system: self.system,
            item: self.item().to_owned(),
            key: Some(key.to_owned()),
        }
    }

    /// The origin of a value the store keeps as an item of its own (an etcd key, a parameter).
    #[cfg(any(feature = "aws", feature = "etcd", feature = "gcp"))]
    pub(crate) fn origin_of_item(&self, item: String) -> Origin {
        Origin::Remote {
            system: self.system,
            item,
            key: None,
        }
    }
}

/// `host:port` of a URL, for messages (the whole URL when it has no recognisable authority).
pub(crate) fn host_port(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if authority.is_empty() {
        return url.to_owned();
    }
    if authority.contains(':') && !authority.ends_with(']') {
        authority.to_owned()
    } else if url.starts_with("https://") {
        format!("{authority}:443")
    } else {
        format!("{authority}:80")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_of_urls() {
        assert_eq!(host_port("http://127.0.0.1:2379"), "127.0.0.1:2379");
        assert_eq!(host_port("https://vault.example/v1/x"), "vault.example:443");
        assert_eq!(host_port("http://u:p@h:1/x"), "h:1");
        assert_eq!(host_port("http://h"), "h:80");
    }
}
