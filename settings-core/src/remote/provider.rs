//! One of our sources as a provider: read it (`load`: `.nest`, `.mark_secret` and the last known
//! good copy applied), then hand its entries to a load (`apply`) or to figment (`data`,
//! `metadata`).

use super::cache::{read_cache, write_cache};
use super::entry::Entry;
use super::options::Common;
use crate::layer::{Data, Layer, Problems};
use crate::origin::{Origin, Origins};
use crate::providers::figment::convert;
use crate::tree::{Table, insert_path};
use figment::value::{Dict, Map, Value as FValue};
use figment::{Metadata, Profile};

/// What our remote sources have in common, for the loader (which tells them apart from other
/// providers when they are added: `remote::ours`) and for `figment::Provider::data`.
pub(crate) trait Remote: Send + Sync {
    fn common(&self) -> &Common;
    /// Reads the source now (retries and timeouts included); `Err` is a sentence for an issue.
    fn fetch(&self) -> Result<Vec<Entry>, String>;
    /// Starts watching the source, sending on `reload` at every change, for the stores that
    /// can be watched; dropping the guard stops it.
    #[cfg(feature = "watch")]
    fn watch(&self, reload: std::sync::mpsc::Sender<()>) -> Option<Box<dyn Send>> {
        let _ = reload;
        None
    }
}

/// What a load of a remote source gives.
pub(crate) struct Loaded {
    pub(crate) entries: Vec<Entry>,
    /// Why the source failed, when the entries come from its last known good copy instead:
    /// said as a warning, so that stale values never pass unnoticed.
    pub(crate) stale: Option<String>,
}

/// Reads the source; on success refreshes the cache file, on failure falls back to it.
pub(crate) fn load(remote: &dyn Remote) -> Result<Loaded, String> {
    let common = remote.common();
    let nest: Vec<String> = common
        .nest
        .as_deref()
        .map(|n| {
            n.split('.')
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let fixed = |mut entries: Vec<Entry>| {
        for e in &mut entries {
            if let Some(secret) = common.secret {
                e.secret = secret;
            }
            if !nest.is_empty() {
                let mut keys = nest.clone();
                keys.append(&mut e.keys);
                e.keys = keys;
            }
        }
        entries
    };
    match remote.fetch() {
        Ok(entries) => {
            if let Some(path) = &common.cache_file {
                // A cache that cannot be written costs only the fallback; the load goes on.
                let _ = write_cache(path, &common.name, &entries);
            }
            Ok(Loaded {
                entries: fixed(entries),
                stale: None,
            })
        }
        Err(why) => {
            let Some(path) = &common.cache_file else {
                return Err(why);
            };
            match read_cache(path, &common.name) {
                Ok(mut entries) => {
                    for e in &mut entries {
                        let from = Box::new(std::mem::replace(&mut e.origin, Origin::Default));
                        let cache = path.clone();
                        e.origin = Origin::LastKnownGood { from, cache };
                    }
                    Ok(Loaded {
                        entries: fixed(entries),
                        stale: Some(format!(
                            "the provider {} failed ({why}): its values come from the last known \
                             good copy {}",
                            common.name,
                            path.display()
                        )),
                    })
                }
                Err(cache_why) => Err(format!(
                    "{why}; the last known good copy {} cannot be used: {cache_why}",
                    path.display()
                )),
            }
        }
    }
}

impl<R: Remote + Clone + 'static> crate::providers::figment::Layered for R {
    fn layer(&self, origins: &mut Origins) -> Layer {
        read(self, origins)
    }

    fn name(&self) -> &str {
        &self.common().name
    }

    /// The store's own watch (etcd), and `.refresh(interval)`'s thread.
    #[cfg(feature = "watch")]
    fn watch(&self, reload: std::sync::mpsc::Sender<()>) -> Option<Box<dyn Send>> {
        let refresh = self.common().refresh.and_then(|every| {
            let source = self.clone();
            let fetch = move || source.fetch();
            super::refresh::start(&self.common().name, fetch, every, reload.clone())
        });
        let own = Remote::watch(self, reload);
        match (own, refresh) {
            (None, None) => None,
            (Some(own), None) => Some(own),
            (None, Some(refresh)) => Some(Box::new(refresh)),
            (Some(own), Some(refresh)) => Some(Box::new((own, refresh))),
        }
    }
}

/// A remote source as a layer: one origin per entry, secret as the entry says. A failure is a
/// `Source` problem naming the source.
pub(crate) fn read(remote: &dyn Remote, origins: &mut Origins) -> Layer {
    let name = &remote.common().name;
    match load(remote) {
        Ok(loaded) => {
            let mut table = Table::new();
            for e in loaded.entries {
                let origin = origins.add(e.origin, e.secret);
                let keys: Vec<&str> = e.keys.iter().map(String::as_str).collect();
                insert_path(&mut table, &keys, convert(&to_figment(e.value), origin));
            }
            let mut problems = Problems::default();
            problems.warnings.extend(loaded.stale);
            Layer {
                data: Data::Tables(vec![table]),
                problems,
                ..Layer::default()
            }
        }
        Err(why) => {
            let mut problems = Problems::default();
            let message = format!("the provider {name} failed: {why}");
            let name = name.clone();
            problems.source(Origin::Provider { name }, message);
            Layer::failed(problems)
        }
    }
}

/// `figment::Provider::data` for our sources: the entries as one nested dictionary of the
/// default profile.
#[allow(clippy::result_large_err)] // the shape of figment::Provider::data
pub(crate) fn data(remote: &dyn Remote) -> Result<Map<Profile, Dict>, figment::Error> {
    let loaded = load(remote).map_err(figment::Error::from)?;
    let mut dict = Dict::new();
    for e in loaded.entries {
        insert_dict(&mut dict, &e.keys, to_figment(e.value));
    }
    Ok(Profile::Default.collect(dict))
}

/// `figment::Provider::metadata` for our sources: named after the source.
pub(crate) fn metadata(remote: &dyn Remote) -> Metadata {
    Metadata::named(remote.common().name.clone())
}

fn insert_dict(dict: &mut Dict, keys: &[String], value: FValue) {
    let Some((last, parents)) = keys.split_last() else {
        return;
    };
    let mut current = dict;
    for key in parents {
        let slot = current
            .entry(key.clone())
            .or_insert_with(|| FValue::from(Dict::new()));
        if !matches!(slot, FValue::Dict(..)) {
            *slot = FValue::from(Dict::new());
        }
        let FValue::Dict(_, next) = slot else {
            unreachable!("just made a dict")
        };
        current = next;
    }
    current.insert(last.clone(), value);
}

/// JSON into figment values (strings stay strings: text for the loader).
fn to_figment(json: serde_json::Value) -> FValue {
    match json {
        serde_json::Value::Null => {
            FValue::Empty(figment::value::Tag::Default, figment::value::Empty::None)
        }
        serde_json::Value::Bool(b) => FValue::from(b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                FValue::from(i)
            } else if let Some(u) = n.as_u64() {
                FValue::from(u)
            } else {
                FValue::from(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        serde_json::Value::String(s) => FValue::from(s),
        serde_json::Value::Array(items) => {
            FValue::from(items.into_iter().map(to_figment).collect::<Vec<_>>())
        }
        serde_json::Value::Object(map) => FValue::from(
            map.into_iter()
                .map(|(k, v)| (k, to_figment(v)))
                .collect::<Dict>(),
        ),
    }
}

/// The builder methods every remote source has, with their docs.
macro_rules! common_builders {
    ($ty:ident, $new:expr) => {
        common_builders!($ty, $new, {});
    };
    // A store that can be watched: its `start_watch` serves `Remote::watch`.
    ($ty:ident, $new:expr, watched) => {
        common_builders!($ty, $new, {
            #[cfg(feature = "watch")]
            fn watch(&self, reload: std::sync::mpsc::Sender<()>) -> Option<Box<dyn Send>> {
                let guard = self.start_watch(reload)?;
                Some(Box::new(guard))
            }
        });
    };
    ($ty:ident, $new:expr, { $($more:tt)* }) => {
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

            #[doc = concat!(
                "Under [`Loader::watch`](crate::Loader::watch) (feature `watch`): reads the ",
                "source again at this interval, on a thread of its own, and reloads the settings ",
                "when what it reads changed (a rotated secret, a new version), so that ",
                "`on_change` sees it. A read that fails after good ones reloads too: the reload ",
                "fails, `on_error` gets it and the last good settings stay. Without it only ",
                "stores that can be watched (etcd) follow changes. A plain `load()` reads once.",
                "\n\n```no_run\n",
                "# use settings_core::remote::", stringify!($ty), ";\n",
                "let source = ", $new, ".refresh(std::time::Duration::from_secs(60));\n```"
            )]
            pub fn refresh(mut self, interval: std::time::Duration) -> Self {
                self.common.refresh = Some(interval);
                self
            }
        }

        impl crate::remote::provider::Remote for $ty {
            fn common(&self) -> &crate::remote::options::Common {
                &self.common
            }

            fn fetch(&self) -> Result<Vec<crate::remote::entry::Entry>, String> {
                self.read()
            }

            $($more)*
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
