//! One of our sources as a provider: read it (`load`: `.nest`, `.mark_secret` and the last known
//! good copy applied), then hand its entries to a load (`apply`) or to figment (`data`,
//! `metadata`).

use super::cache::{read_cache, write_cache};
use super::entry::Entry;
use super::Remote;
use crate::error::{IssueKind, Issues};
use crate::value::{insert_path, Merger, OriginId, Origins, Table};
use figment::value::{Dict, Map, Value as FValue};
use figment::{Metadata, Profile};

/// What a load of a remote source gives.
pub(crate) struct Loaded {
    pub(crate) entries: Vec<Entry>,
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
            })
        }
        Err(why) => {
            let Some(path) = &common.cache_file else {
                return Err(why);
            };
            match read_cache(path, &common.name) {
                Ok(mut entries) => {
                    for e in &mut entries {
                        e.label =
                            format!("{} (last known good copy from {})", e.label, path.display());
                    }
                    Ok(Loaded {
                        entries: fixed(entries),
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

/// Loads a remote source into the tree of a load: one origin per entry, secret as the entry
/// says. A failure is a `Source` issue naming the source.
pub(crate) fn apply(
    remote: &dyn Remote,
    tree: &mut Table,
    merger: &Merger,
    origins: &mut Origins,
    issues: &mut Issues,
    convert: &dyn Fn(&FValue, OriginId) -> crate::value::Value,
) {
    let name = &remote.common().name;
    match load(remote) {
        Ok(loaded) => {
            let mut table = Table::new();
            for e in loaded.entries {
                let origin = origins.add(e.label, e.secret);
                let keys: Vec<&str> = e.keys.iter().map(String::as_str).collect();
                insert_path(&mut table, &keys, convert(&to_figment(e.value), origin));
            }
            merger.merge(tree, table);
        }
        Err(why) => issues.push(
            "",
            IssueKind::Source,
            Some(format!("provider {name}")),
            format!("the provider {name} failed: {why}"),
        ),
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
