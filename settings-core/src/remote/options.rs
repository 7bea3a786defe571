//! The options every remote source has, their defaults, and the builder methods that set them.

use std::path::PathBuf;
use std::time::Duration;

/// The total time a remote source may take, retries included, unless `.timeout(..)` says.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times a request is tried, unless `.attempts(..)` says.
pub(crate) const DEFAULT_ATTEMPTS: u32 = 3;
/// The largest answer read from a remote source, unless `.max_size(..)` says: 4 MiB.
pub(crate) const DEFAULT_MAX_SIZE: u64 = 4 * 1024 * 1024;

/// The options every remote source has.
#[derive(Debug, Clone)]
pub(crate) struct Common {
    /// How the source names itself: "vault secret/app", "etcd /config/app/".
    pub(crate) name: String,
    pub(crate) timeout: Duration,
    pub(crate) attempts: u32,
    /// Dotted key to nest every value under.
    pub(crate) nest: Option<String>,
    pub(crate) cache_file: Option<PathBuf>,
    /// Overrides the source's own idea of which values are secret.
    pub(crate) secret: Option<bool>,
    pub(crate) max_size: u64,
}

impl Common {
    pub(crate) fn new(name: String) -> Self {
        Common {
            name,
            timeout: DEFAULT_TIMEOUT,
            attempts: DEFAULT_ATTEMPTS,
            nest: None,
            cache_file: None,
            secret: None,
            max_size: DEFAULT_MAX_SIZE,
        }
    }
}

/// The builder methods every remote source has, with their docs.
macro_rules! common_builders {
    ($ty:ident, $new:expr) => {
        impl $ty {
            #[doc = concat!(
                "The total time the source may take, retries included (10 s unless set); past it ",
                "the load fails with a `Source` issue, even when the server accepted the ",
                "connection and never answered.\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".timeout(std::time::Duration::from_secs(3));\n```"
            )]
            pub fn timeout(mut self, total: std::time::Duration) -> Self {
                self.common.timeout = total;
                self
            }

            #[doc = concat!(
                "How many times a request is tried when the server is unreachable, times out or ",
                "answers with a server error (3 unless set; at least 1), with a pause of 100 ms, ",
                "then 200 ms, 400 ms, … between tries, all within the [`timeout`](Self::timeout). ",
                "A denial or a missing secret is not retried.\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".attempts(5);\n```"
            )]
            pub fn attempts(mut self, attempts: u32) -> Self {
                self.common.attempts = attempts.max(1);
                self
            }

            #[doc = concat!(
                "Puts every value under this dotted key instead of at the top of the settings ",
                "(`.nest(\"db\")`: a key `password` sets `db.password`).\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".nest(\"db\");\n```"
            )]
            pub fn nest(mut self, key: impl Into<String>) -> Self {
                self.common.nest = Some(key.into());
                self
            }

            #[doc = concat!(
                "Keeps a \"last known good\" copy in this file: written after every successful ",
                "read (mode 0600: it holds the values in clear, secrets included), and read ",
                "instead when the source fails, so that a restart during an outage starts from ",
                "it. Values read from it carry the origin `<origin> (last known good copy from ",
                "<path>)`. Without a usable copy the failure is a `Source` issue as usual.",
                "\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".cache_file(\"/var/cache/app/settings.json\");\n```"
            )]
            pub fn cache_file(mut self, path: impl AsRef<std::path::Path>) -> Self {
                self.common.cache_file = Some(path.as_ref().to_owned());
                self
            }

            #[doc = concat!(
                "Marks every value of this source secret (masked in reports and errors), or ",
                "none with `false`, whatever the source's own default.\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".mark_secret(true);\n```"
            )]
            pub fn mark_secret(mut self, secret: bool) -> Self {
                self.common.secret = Some(secret);
                self
            }

            #[doc = concat!(
                "The largest answer read from the server, in bytes (4 MiB unless set); a larger ",
                "one is a `Source` issue.\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".max_size(64 * 1024);\n```"
            )]
            pub fn max_size(mut self, bytes: u64) -> Self {
                self.common.max_size = bytes;
                self
            }
        }

        impl crate::remote::Remote for $ty {
            fn common(&self) -> &crate::remote::options::Common {
                &self.common
            }

            fn fetch(&self) -> Result<Vec<crate::remote::entry::Entry>, String> {
                self.read()
            }
        }

        impl figment::Provider for $ty {
            fn metadata(&self) -> figment::Metadata {
                crate::remote::provider::metadata(self)
            }

            fn data(
                &self,
            ) -> Result<figment::value::Map<figment::Profile, figment::value::Dict>, figment::Error>
            {
                crate::remote::provider::data(self)
            }
        }
    };
}
pub(crate) use common_builders;
