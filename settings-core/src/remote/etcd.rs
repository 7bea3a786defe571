//! etcd v3: every key under a prefix, and a watch that feeds `Live`.
//!
//! Through etcd's JSON gateway (`POST /v3/kv/range`, `POST /v3/watch`, keys and values in
//! base64) on `ureq`, not through gRPC: the `etcd-client` crate needs `protoc` *and* the
//! protobuf well-known types (Debian's `protobuf-compiler` and `libprotobuf-dev`) on every
//! machine that builds it, which would be a burden on every user who turns the feature on; the
//! gateway is part of every etcd 3.4+ server and needs neither, nor an async runtime.

use super::entry::{Entry, split_key};
use super::http::{self, excerpt, is_transient};
use super::options::Common;
use super::provider::common_builders;
use super::runtime::Failure;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::json;

/// Keys read per range request.
const PAGE: u64 = 1000;

/// Every key under a prefix of an etcd v3 cluster as settings, `/` becoming nesting
/// (`/config/app/db/pool_size` under `/config/app/` sets `db.pool_size`). Values are text,
/// turned into the declared types like environment values; they are not secret unless
/// [`mark_secret(true)`](Etcd::mark_secret) says so.
///
/// Under [`Loader::watch`](crate::Loader::watch) (feature `watch`), the prefix is watched: a
/// change reloads the settings within milliseconds, and the watch reconnects (with backoff)
/// after the server restarts or an endpoint fails.
///
/// ```no_run
/// use settings_core::remote::Etcd;
/// use settings_core::Settings;
///
/// #[derive(Settings, Debug)]
/// struct Db {
///     url: String,
///     #[settings(default = 10)]
///     pool_size: u32,
/// }
///
/// #[derive(Settings, Debug)]
/// struct App {
///     #[settings(nested)]
///     db: Db,
/// }
///
/// // etcdctl put /config/app/db/url postgres://db/app
/// // etcdctl put /config/app/db/pool_size 20
/// let app = App::loader()
///     .provider(Etcd::prefix(["http://127.0.0.1:2379"], "/config/app/"))
///     .load()?;
/// assert_eq!(app.db.pool_size, 20);
/// # Ok::<(), settings_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Etcd {
    common: Common,
    endpoints: Vec<String>,
    prefix: String,
}

impl Etcd {
    /// Every key under `prefix` on the cluster at `endpoints` (`"http://127.0.0.1:2379"`;
    /// tried in turn when one fails). Origins read `etcd <key>`.
    ///
    /// ```no_run
    /// use settings_core::remote::Etcd;
    /// let source = Etcd::prefix(["http://etcd-0:2379", "http://etcd-1:2379"], "/config/app/");
    /// ```
    pub fn prefix<I, S>(endpoints: I, prefix: impl Into<String>) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let prefix = prefix.into();
        Etcd {
            common: Common::new("etcd", &prefix),
            endpoints: endpoints
                .into_iter()
                .map(|e| e.into().trim_end_matches('/').to_owned())
                .collect(),
            prefix,
        }
    }

    /// The range request body for the prefix, from `from` (a key) when paging.
    fn range_body(&self, from: Option<&[u8]>, revision: Option<&str>) -> serde_json::Value {
        let start = from.unwrap_or(self.prefix.as_bytes());
        let mut body = json!({
            "key": B64.encode(start),
            "range_end": B64.encode(prefix_end(self.prefix.as_bytes())),
            "limit": PAGE.to_string(),
        });
        if let Some(r) = revision {
            body["revision"] = json!(r);
        }
        body
    }

    fn read(&self) -> Result<Vec<Entry>, String> {
        if self.endpoints.is_empty() {
            return Err("no etcd endpoint given".into());
        }
        let agent = http::agent();
        let mut entries = Vec::new();
        let mut next: Option<Vec<u8>> = None;
        let mut revision: Option<String> = None;
        let mut total: u64 = 0;
        let mut turn = 0usize;
        loop {
            let body = self.range_body(next.as_deref(), revision.as_deref());
            let page = self.common.retry(|left| {
                let ep = &self.endpoints[turn % self.endpoints.len()];
                turn += 1;
                let at = super::options::host_port(ep);
                let a = http::send(
                    &agent,
                    &format!("{ep}/v3/kv/range"),
                    &[],
                    Some(&body),
                    left,
                    self.common.max_size,
                    "etcd",
                )?;
                let text = || excerpt(&a.body);
                match a.status {
                    200 => serde_json::from_slice::<serde_json::Value>(&a.body).map_err(|e| {
                        Failure::Fatal(format!("etcd at {at} sent an answer that is not JSON: {e}"))
                    }),
                    401 | 403 => Err(Failure::Fatal(format!(
                        "etcd at {at} denied access to {} ({})",
                        self.prefix,
                        text()
                    ))),
                    s if is_transient(s) => Err(Failure::Transient(format!(
                        "etcd at {at} answered {s}: {}",
                        text()
                    ))),
                    s => Err(Failure::Fatal(format!(
                        "etcd at {at} answered {s}: {}",
                        text()
                    ))),
                }
            })?;
            if revision.is_none() {
                revision = page
                    .pointer("/header/revision")
                    .and_then(|r| r.as_str())
                    .map(str::to_owned);
            }
            let kvs = page["kvs"].as_array().cloned().unwrap_or_default();
            let mut last = None;
            for kv in &kvs {
                let key = decode(&kv["key"])?;
                let value = decode(&kv["value"])?;
                total += (key.len() + value.len()) as u64;
                if total > self.common.max_size {
                    return Err(format!(
                        "the keys under {} are larger than the limit of {} bytes \
                         (raise it with .max_size(..))",
                        self.prefix, self.common.max_size
                    ));
                }
                let key_text = String::from_utf8_lossy(&key).into_owned();
                let value = String::from_utf8(value).map_err(|_| {
                    format!("the value of the etcd key {key_text} is not UTF-8 text")
                })?;
                let keys = split_key(key_text.get(self.prefix.len()..).unwrap_or_default());
                if !keys.is_empty() {
                    entries.push(Entry {
                        keys,
                        origin: self.common.origin_of_item(key_text),
                        secret: false,
                        value: serde_json::Value::String(value),
                    });
                }
                last = Some(key);
            }
            let more = page["more"].as_bool().unwrap_or(false);
            match last {
                Some(mut key) if more => {
                    key.push(0);
                    next = Some(key);
                }
                _ => break,
            }
        }
        Ok(entries)
    }
}

/// The key just past every key that starts with `prefix` (etcd's `range_end` for a prefix).
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    // An empty prefix (or all 0xff): every key.
    vec![0]
}

fn decode(field: &serde_json::Value) -> Result<Vec<u8>, String> {
    match field.as_str() {
        None => Ok(Vec::new()),
        Some(text) => B64
            .decode(text)
            .map_err(|e| format!("etcd sent a key or value that is not base64: {e}")),
    }
}

common_builders!(
    Etcd,
    "Etcd::prefix([\"http://127.0.0.1:2379\"], \"/config/app/\")",
    watched
);

#[cfg(feature = "watch")]
mod watch {
    //! The watch: one thread per watched `Etcd`, holding a long-lived streaming
    //! `POST /v3/watch` on the prefix and sending on the reload channel at every change.

    use super::{B64, Etcd, prefix_end};
    use base64::Engine as _;
    use serde_json::json;
    use std::sync::mpsc::Sender;
    use std::sync::{Arc, Condvar, Mutex};
    use std::time::{Duration, Instant};

    /// A stream is renewed this often (resuming after the last revision seen, so nothing is
    /// missed): it bounds how long a silently dead connection goes unnoticed.
    const RENEW: Duration = Duration::from_secs(60);
    /// The longest pause between reconnection attempts.
    const MAX_BACKOFF: Duration = Duration::from_secs(1);

    /// Dropping it stops the watch: it wakes the thread from a pause and shuts its HTTP agent
    /// down, which ends a blocked read at once.
    pub(crate) struct WatchGuard {
        stop: Arc<Stop>,
        agent: ureq::Agent,
    }

    #[derive(Default)]
    struct Stop {
        stopped: Mutex<bool>,
        wake: Condvar,
    }

    impl Stop {
        fn is_set(&self) -> bool {
            *self.stopped.lock().unwrap_or_else(|e| e.into_inner())
        }

        /// Sleeps up to `pause`; true when stopped meanwhile.
        fn wait(&self, pause: Duration) -> bool {
            let guard = self.stopped.lock().unwrap_or_else(|e| e.into_inner());
            let (guard, _) = self
                .wake
                .wait_timeout_while(guard, pause, |stopped| !*stopped)
                .unwrap_or_else(|e| e.into_inner());
            *guard
        }
    }

    impl Drop for WatchGuard {
        fn drop(&mut self) {
            *self.stop.stopped.lock().unwrap_or_else(|e| e.into_inner()) = true;
            self.stop.wake.notify_all();
            self.agent.clone().shutdown();
        }
    }

    impl Etcd {
        /// Starts watching the prefix; every change sends on `reload`.
        pub(crate) fn start_watch(&self, reload: Sender<()>) -> Option<WatchGuard> {
            if self.endpoints.is_empty() {
                return None;
            }
            let agent = super::http::agent();
            let stop = Arc::new(Stop::default());
            let guard = WatchGuard {
                stop: stop.clone(),
                agent: agent.clone(),
            };
            let etcd = self.clone();
            std::thread::Builder::new()
                .name("settings-etcd-watch".into())
                .spawn(move || run(&etcd, &agent, &stop, &reload))
                .ok()?;
            Some(guard)
        }
    }

    /// How a stream ended.
    enum End {
        /// The renewal time was up (or etcd ended the watch cleanly): reconnect now.
        Renew,
        /// Compaction or a restarted store: watch from now (and reload).
        Resync,
        /// The server went away or refused: reconnect after a pause.
        Failed,
        /// The settings were dropped.
        Stopped,
    }

    fn run(etcd: &Etcd, agent: &ureq::Agent, stop: &Stop, reload: &Sender<()>) {
        // The last revision whose changes were seen.
        let mut revision: Option<i64> = None;
        let mut failures: u32 = 0;
        let mut turn = 0usize;
        loop {
            if stop.is_set() {
                return;
            }
            let ep = &etcd.endpoints[turn % etcd.endpoints.len()];
            let end = stream(etcd, ep, agent, stop, reload, &mut revision, failures > 0);
            match end {
                End::Stopped => return,
                End::Renew => failures = 0,
                // The next stream watches from now, and reloads once it is created.
                End::Resync => revision = None,
                End::Failed => {
                    failures += 1;
                    turn += 1;
                    let pause = super::Common::backoff(failures - 1).min(MAX_BACKOFF);
                    if stop.wait(pause) {
                        return;
                    }
                }
            }
        }
    }

    /// One watch stream: created, then read event by event until it ends.
    fn stream(
        etcd: &Etcd,
        ep: &str,
        agent: &ureq::Agent,
        stop: &Stop,
        reload: &Sender<()>,
        revision: &mut Option<i64>,
        after_failure: bool,
    ) -> End {
        let mut create = json!({
            "key": B64.encode(etcd.prefix.as_bytes()),
            "range_end": B64.encode(prefix_end(etcd.prefix.as_bytes())),
        });
        if let Some(r) = *revision {
            create["start_revision"] = json!((r + 1).to_string());
        }
        let body = json!({ "create_request": create }).to_string();
        let response = agent
            .post(format!("{ep}/v3/watch"))
            .config()
            .timeout_connect(Some(Duration::from_secs(5)))
            .timeout_recv_response(Some(Duration::from_secs(10)))
            .timeout_recv_body(Some(RENEW))
            .build()
            .content_type("application/json")
            .send(body.as_bytes());
        let response = match response {
            Ok(r) if r.status().as_u16() == 200 => r,
            _ => {
                return if stop.is_set() {
                    End::Stopped
                } else {
                    End::Failed
                };
            }
        };
        let opened = Instant::now();
        let reader = response.into_body().into_reader();
        let messages =
            serde_json::Deserializer::from_reader(reader).into_iter::<serde_json::Value>();
        let send = |reload: &Sender<()>| reload.send(()).is_ok();
        for message in messages {
            if stop.is_set() {
                return End::Stopped;
            }
            let Ok(message) = message else { break };
            let Some(result) = message.get("result") else {
                // {"error": …}: the gateway lost its stream to the server.
                return End::Failed;
            };
            let header_rev = int(result.pointer("/header/revision"));
            if result["created"].as_bool() == Some(true) {
                // Watching from "now" (the first time, or after a resync): what changed between
                // the last load and this moment is not in the stream, so reload once.
                let from_now = revision.is_none();
                match (*revision, header_rev) {
                    // A store that went back in time (restored, or a new cluster): what we
                    // saw no longer counts.
                    (Some(seen), Some(now)) if now < seen => return End::Resync,
                    (None, Some(now)) => *revision = Some(now),
                    _ => {}
                }
                // Changes made while we were away are in the stream from start_revision on;
                // a reload anyway covers a switch to another member.
                if (from_now || after_failure) && !send(reload) {
                    return End::Stopped;
                }
                continue;
            }
            if int(result.get("compact_revision")).is_some_and(|c| c > 0) {
                return End::Resync;
            }
            if result["canceled"].as_bool() == Some(true) {
                return End::Failed;
            }
            let events = result["events"].as_array().map_or(&[][..], Vec::as_slice);
            if !events.is_empty() {
                let newest = events
                    .iter()
                    .filter_map(|e| int(e.pointer("/kv/mod_revision")))
                    .chain(header_rev)
                    .max();
                if let Some(newest) = newest {
                    *revision = Some(newest.max(revision.unwrap_or(0)));
                }
                if !send(reload) {
                    return End::Stopped;
                }
            }
        }
        if stop.is_set() {
            End::Stopped
        } else if opened.elapsed() + Duration::from_secs(1) >= RENEW {
            End::Renew
        } else {
            End::Failed
        }
    }

    /// etcd's JSON writes 64-bit integers as strings.
    fn int(v: Option<&serde_json::Value>) -> Option<i64> {
        match v? {
            serde_json::Value::String(s) => s.parse().ok(),
            serde_json::Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_end_increments_the_last_byte() {
        assert_eq!(prefix_end(b"/app/"), b"/app0");
        assert_eq!(prefix_end(b"a\xff"), b"b");
        assert_eq!(prefix_end(b""), b"\0");
    }
}
