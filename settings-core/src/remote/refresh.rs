//! `.refresh(interval)`: under `Live`, a source is read again at that interval on a thread of
//! its own, and a change (a rotated secret, a new version, a failure where there was none)
//! reloads the settings. Only a hash of what was read is kept between reads, not the values.

use super::entry::Entry;
use std::hash::{Hash, Hasher};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

/// Dropping it stops the thread (after the read in progress, if any: each read is bounded by
/// the source's timeout).
pub(crate) struct RefreshGuard {
    _stop: Sender<()>,
}

/// Starts reading the source `name` (with `fetch`) every `every`, sending on `reload` when what
/// it reads changes.
pub(crate) fn start(
    name: &str,
    fetch: impl Fn() -> Result<Vec<Entry>, String> + Send + 'static,
    every: Duration,
    reload: Sender<()>,
) -> Option<RefreshGuard> {
    let (stop, stopped) = mpsc::channel::<()>();
    let every = every.max(Duration::from_millis(10));
    let spawned = std::thread::Builder::new()
        .name("settings-refresh".into())
        .spawn(move || {
            // What the load just read is read once more here, as the first mark to compare.
            let mut last = fingerprint(&fetch());
            loop {
                match stopped.recv_timeout(every) {
                    Err(RecvTimeoutError::Timeout) => {}
                    // The guard was dropped (the last `Live` handle with it).
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
                let now = fingerprint(&fetch());
                if now != last {
                    last = now;
                    if reload.send(()).is_err() {
                        return;
                    }
                }
            }
        });
    match spawned {
        Ok(_) => Some(RefreshGuard { _stop: stop }),
        Err(e) => {
            tracing::warn!(target: "settings_core", "cannot start refreshing {name}: {e}");
            None
        }
    }
}

/// A hash of a read: its entries (keys, values, secrecy, origins) or its failure.
fn fingerprint(read: &Result<Vec<Entry>, String>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match read {
        Ok(entries) => {
            0u8.hash(&mut h);
            for e in entries {
                e.keys.hash(&mut h);
                e.secret.hash(&mut h);
                e.origin.hash(&mut h);
                // `serde_json::Value` is not `Hash`; its text is.
                e.value.to_string().hash(&mut h);
            }
        }
        Err(why) => {
            1u8.hash(&mut h);
            why.hash(&mut h);
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::Origin;

    fn entry(value: &str) -> Entry {
        Entry {
            keys: vec!["password".into()],
            origin: Origin::Default,
            secret: true,
            value: serde_json::Value::String(value.into()),
        }
    }

    #[test]
    fn a_changed_value_or_a_failure_changes_the_fingerprint() {
        let a = fingerprint(&Ok(vec![entry("a")]));
        assert_eq!(a, fingerprint(&Ok(vec![entry("a")])));
        assert_ne!(a, fingerprint(&Ok(vec![entry("b")])));
        assert_ne!(a, fingerprint(&Err("down".into())));
        assert_eq!(
            fingerprint(&Err("down".into())),
            fingerprint(&Err("down".into()))
        );
    }
}
