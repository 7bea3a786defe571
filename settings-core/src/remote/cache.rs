//! The last known good copy (`.cache_file(..)`): a source's entries kept in a file after every
//! successful read, and read back when the source fails.

use super::entry::Entry;
use super::options::SYSTEMS;
use crate::origin::Origin;
use std::path::{Path, PathBuf};

/// Writes the cache atomically (a temporary file renamed over it), readable by the owner only.
pub(super) fn write_cache(path: &Path, source: &str, entries: &[Entry]) -> std::io::Result<()> {
    let entries: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            // The origin as text for a person reading the file, and its parts for the load.
            let mut entry = serde_json::json!({
                "keys": e.keys, "label": e.origin.to_string(), "secret": e.secret, "value": e.value,
            });
            if let Origin::Remote { system, item, key } = &e.origin {
                entry["origin"] = serde_json::json!({ "system": system, "item": item, "key": key });
            }
            entry
        })
        .collect();
    let text = serde_json::to_vec(&serde_json::json!({ "source": source, "entries": entries }))?;
    let mut tmp = path.as_os_str().to_owned();
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tmp.push(format!(".tmp{}-{n}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let result = (|| {
        use std::io::Write as _;
        let mut file = options.open(&tmp)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        file.write_all(&text)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The entries of the cache file, refused when it was written for another source.
pub(super) fn read_cache(path: &Path, source: &str) -> Result<Vec<Entry>, String> {
    let text = std::fs::read(path).map_err(|e| e.to_string())?;
    let not_cache = || "it is not a cache file of ours".to_owned();
    let cache: serde_json::Value = serde_json::from_slice(&text).map_err(|_| not_cache())?;
    let held = cache["source"].as_str().ok_or_else(not_cache)?;
    if held != source {
        return Err(format!("it holds {held}, not {source}"));
    }
    let entries = cache["entries"].as_array().ok_or_else(not_cache)?;
    entries
        .iter()
        .map(|e| {
            Some(Entry {
                keys: e["keys"]
                    .as_array()?
                    .iter()
                    .map(|k| k.as_str().map(str::to_owned))
                    .collect::<Option<_>>()?,
                origin: origin_of(e)?,
                secret: e["secret"].as_bool()?,
                value: e.get("value")?.clone(),
            })
        })
        .collect::<Option<_>>()
        .ok_or_else(not_cache)
}

/// The origin of a cached entry: its parts, or (in a copy written before origins had parts) its
/// text, read as the store it starts with and the rest.
fn origin_of(entry: &serde_json::Value) -> Option<Origin> {
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    let known = |system: &str| SYSTEMS.into_iter().find(|s| *s == system);
    Some(match entry.get("origin") {
        Some(o) => Origin::Remote {
            system: known(o["system"].as_str()?)?,
            item: text(&o["item"])?,
            key: match &o["key"] {
                serde_json::Value::Null => None,
                key => Some(text(key)?),
            },
        },
        None => {
            let label = entry["label"].as_str()?;
            let (system, item) = SYSTEMS.into_iter().find_map(|s| {
                let rest = label.strip_prefix(s)?.strip_prefix(' ')?;
                Some((s, rest.to_owned()))
            })?;
            Origin::Remote {
                system,
                item,
                key: None,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_round_trips_with_owner_only_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        let entries = vec![Entry {
            keys: vec!["a".into()],
            origin: Origin::Remote {
                system: "etcd",
                item: "/app/".into(),
                key: Some("a".into()),
            },
            secret: true,
            value: serde_json::json!("v"),
        }];
        write_cache(&path, "src", &entries).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let back = read_cache(&path, "src").unwrap();
        assert_eq!(back[0].value, serde_json::json!("v"));
        assert_eq!(back[0].origin, entries[0].origin);
        assert!(
            read_cache(&path, "other")
                .unwrap_err()
                .contains("not other")
        );
    }

    #[test]
    fn a_copy_with_origins_as_text_is_read_by_its_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        let old = serde_json::json!({"source": "etcd /app/", "entries": [
            {"keys": ["port"], "label": "etcd /app/port", "secret": false, "value": "1"},
        ]});
        std::fs::write(&path, old.to_string()).unwrap();
        let back = read_cache(&path, "etcd /app/").unwrap();
        let origin = &back[0].origin;
        assert_eq!(origin.to_string(), "etcd /app/port");
        assert!(
            matches!(origin, Origin::Remote { system: "etcd", item, key: None } if item == "/app/port")
        );
    }
}
