//! `Vault::dynamic`: credentials that a secrets engine issues with a lease (`database/creds/app`),
//! kept current under `Live`.
//!
//! The loads read the credentials the source holds (reading new ones only when it holds none,
//! or none that still work); one thread per watched source renews the lease at two thirds of its
//! duration and, when Vault will not renew it further, reads new credentials while the old ones
//! still work, then reloads the settings. A failure is kept for the loads to report (`on_error`,
//! the last good settings kept) and retried with a growing pause. When the last `Live` handle
//! drops, the thread revokes every lease it still holds and ends.
//!
//! Requests: `GET /v1/<path>` (new credentials), `POST /v1/sys/leases/renew` and
//! `POST /v1/sys/leases/revoke` (Vault takes `POST` for its `PUT` endpoints).

// Without the feature `watch`, nothing renews: the loads only read.
#![cfg_attr(not(feature = "watch"), allow(dead_code))]

use super::super::entry::{Entry, object_entries};
use super::super::http::{self, excerpt, is_transient};
use super::super::runtime::Failure;
use super::{Connection, Vault};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The shortest and the longest pause before another try after a failure.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LAST_RETRY: Duration = Duration::from_secs(30);

/// The leases of one `Vault::dynamic` source, shared by its clones.
#[derive(Default)]
pub(crate) struct Leases {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The credentials the loads use.
    current: Option<Lease>,
    /// Every lease read and not yet revoked, with when it ends: revoked when the watch stops.
    held: Vec<(String, Instant)>,
    /// Why the last renewal or read failed, until one succeeds: the loads report it.
    failure: Option<String>,
}

/// One lease and the credentials it carries.
struct Lease {
    id: String,
    data: serde_json::Map<String, serde_json::Value>,
    /// The duration asked at each renewal: the one the lease came with.
    ttl: Duration,
    renewable: bool,
    /// When it was read or last renewed, and when it ends.
    since: Instant,
    ends: Instant,
    /// Vault will not renew it further: new credentials are due.
    last: bool,
}

impl Lease {
    /// When to act next: renew at two thirds of the time from the last renewal to the end,
    /// or (for the last stretch of a lease) replace it now.
    fn due(&self) -> Instant {
        if self.last || !self.renewable {
            return Instant::now();
        }
        self.since + (self.ends - self.since) * 2 / 3
    }
}

impl Leases {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The credentials for a load: those held while they work (and nothing failed since), new
    /// ones when none are held or those held have ended.
    pub(crate) fn entries(&self, source: &Vault) -> Result<Vec<Entry>, String> {
        let mut state = self.state();
        if let Some(why) = &state.failure {
            return Err(why.clone());
        }
        if let Some(lease) = state.current.as_ref().filter(|l| Instant::now() < l.ends) {
            return Ok(object_entries(&source.common, lease.data.clone(), true));
        }
        let lease = read(source)?;
        let entries = object_entries(&source.common, lease.data.clone(), true);
        state.held.push((lease.id.clone(), lease.ends));
        state.current = Some(lease);
        Ok(entries)
    }
}

/// Reads new credentials: `GET /v1/<path>`.
fn read(source: &Vault) -> Result<Lease, String> {
    let conn = source.connection()?;
    let path = &source.path;
    let url = format!("{}/v1/{path}", conn.addr);
    let at = &conn.at;
    let headers = conn.headers();
    let agent = http::agent();
    let common = &source.common;
    let answer = common.retry(|left| {
        let a = http::send(&agent, &url, &headers, None, left, common.max_size, "vault")?;
        match a.status {
            200 => Ok(a),
            403 => Err(Failure::Fatal(format!(
                "vault at {at} denied access to {path} ({}): check the token and its policy",
                excerpt(&a.body)
            ))),
            404 => Err(Failure::Fatal(format!(
                "vault at {at} has nothing at {path} (is a secrets engine mounted there, and \
                 the role named right?)"
            ))),
            s if is_transient(s) => Err(Failure::Transient(format!(
                "vault at {at} answered {s} for {path}: {}",
                excerpt(&a.body)
            ))),
            s => Err(Failure::Fatal(format!(
                "vault at {at} answered {s} for {path}: {}",
                excerpt(&a.body)
            ))),
        }
    })?;
    let json: serde_json::Value = serde_json::from_slice(&answer.body)
        .map_err(|e| format!("vault at {at} sent an answer for {path} that is not JSON: {e}"))?;
    let Some(serde_json::Value::Object(data)) = json.get("data") else {
        return Err(format!("vault at {at} sent no data for {path}"));
    };
    let id = json
        .get("lease_id")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let seconds = json
        .get("lease_duration")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if id.is_empty() || seconds == 0 {
        return Err(format!(
            "vault at {at} sent {path} without a lease: it is not a path of leased \
             credentials (use Vault::kv2 for a KV secret)"
        ));
    }
    let ttl = Duration::from_secs(seconds);
    let now = Instant::now();
    Ok(Lease {
        id,
        data: data.clone(),
        ttl,
        renewable: json
            .get("renewable")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        since: now,
        ends: now + ttl,
        last: false,
    })
}

/// What a renewal found: the lease's new duration, or why it failed.
fn renew(source: &Vault, id: &str, ttl: Duration) -> Result<Duration, String> {
    let body = serde_json::json!({ "lease_id": id, "increment": ttl.as_secs() });
    let json = lease_call(source, "renew", &body)?;
    let seconds = json
        .get("lease_duration")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    Ok(Duration::from_secs(seconds))
}

/// `POST /v1/sys/leases/<op>` with `body`; the answer's JSON (`null` for an empty answer).
fn lease_call(
    source: &Vault,
    op: &str,
    body: &serde_json::Value,
) -> Result<serde_json::Value, String> {
    let conn: Connection = source.connection()?;
    let url = format!("{}/v1/sys/leases/{op}", conn.addr);
    let (at, path) = (&conn.at, &source.path);
    let headers = conn.headers();
    let agent = http::agent();
    let common = &source.common;
    let answer = common.retry(|left| {
        let a = http::send(
            &agent,
            &url,
            &headers,
            Some(body),
            left,
            common.max_size,
            "vault",
        )?;
        match a.status {
            200 | 204 => Ok(a),
            s if is_transient(s) => Err(Failure::Transient(format!(
                "vault at {at} answered {s} to the {op} of the lease of {path}: {}",
                excerpt(&a.body)
            ))),
            s => Err(Failure::Fatal(format!(
                "vault at {at} refused the {op} of the lease of {path} ({s}: {})",
                excerpt(&a.body)
            ))),
        }
    })?;
    if answer.body.is_empty() {
        return Ok(serde_json::Value::Null);
    }
    serde_json::from_slice(&answer.body).map_err(|e| {
        format!("vault at {at} answered the {op} of the lease of {path} with no JSON: {e}")
    })
}

#[cfg(feature = "watch")]
pub(crate) use watch::start;

#[cfg(feature = "watch")]
mod watch {
    use super::*;
    use std::sync::Arc;
    use std::sync::mpsc::{self, RecvTimeoutError, Sender};

    /// Dropping it ends the thread, which revokes the leases it holds first.
    pub(crate) struct LeaseGuard {
        _stop: Sender<()>,
    }

    /// Starts keeping the leases of `source` current, sending on `reload` when the settings
    /// must be read again (new credentials, a failure, a recovery).
    pub(crate) fn start(
        source: &Vault,
        leases: &Arc<Leases>,
        reload: Sender<()>,
    ) -> Option<LeaseGuard> {
        let name = source.common.name.clone();
        let source = source.clone();
        let leases = leases.clone();
        let (stop, stopped) = mpsc::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("settings-lease".into())
            .spawn(move || run(&source, &leases, &stopped, &reload));
        match spawned {
            Ok(_) => Some(LeaseGuard { _stop: stop }),
            Err(e) => {
                tracing::warn!(target: "settings_core", "cannot start renewing the leases of {name}: {e}");
                None
            }
        }
    }

    /// The thread: waits until the lease is due, renews or replaces it, and on a failure tries
    /// again after a growing pause. Ends (revoking what it holds) when the guard drops.
    fn run(source: &Vault, leases: &Leases, stopped: &mpsc::Receiver<()>, reload: &Sender<()>) {
        let mut retry = FIRST_RETRY;
        loop {
            let (due, failed) = {
                let state = leases.state();
                let due = state.current.as_ref().map_or_else(Instant::now, Lease::due);
                (due, state.failure.is_some())
            };
            // After a failure, the next try waits its pause.
            let wait = match failed {
                true => retry,
                false => due.saturating_duration_since(Instant::now()),
            };
            match stopped.recv_timeout(wait) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(()) | Err(RecvTimeoutError::Disconnected) => {
                    revoke_all(source, leases);
                    return;
                }
            }
            let outcome = step(source, leases);
            let reread = match outcome {
                Step::Renewed => {
                    retry = FIRST_RETRY;
                    // A recovery after a failure: the loads can use the credentials again.
                    leases.state().failure.take().is_some()
                }
                Step::Replaced => {
                    retry = FIRST_RETRY;
                    leases.state().failure = None;
                    true
                }
                Step::Failed(why) => {
                    retry = (retry * 2).min(LAST_RETRY);
                    let mut state = leases.state();
                    // Said once per failure, not at every retry.
                    let first = state.failure.is_none();
                    state.failure = Some(why);
                    first
                }
            };
            if reread && reload.send(()).is_err() {
                revoke_all(source, leases);
                return;
            }
        }
    }

    enum Step {
        Renewed,
        Replaced,
        Failed(String),
    }

    /// Renews the current lease, or replaces it when Vault will not renew it further.
    fn step(source: &Vault, leases: &Leases) -> Step {
        let renewal = {
            let state = leases.state();
            match state.current.as_ref() {
                Some(l) if !l.last && l.renewable && state.failure.is_none() => {
                    Some((l.id.clone(), l.ttl))
                }
                _ => None,
            }
        };
        if let Some((id, ttl)) = renewal {
            match renew(source, &id, ttl) {
                Ok(granted) => {
                    let now = Instant::now();
                    let mut state = leases.state();
                    if let Some(l) = state.current.as_mut().filter(|l| l.id == id) {
                        l.since = now;
                        l.ends = now + granted;
                        // Less than asked: the maximum TTL is near; replace it now, while
                        // the old credentials still work.
                        l.last = granted < ttl;
                    }
                    if let Some(held) = state.held.iter_mut().find(|(h, _)| *h == id) {
                        held.1 = now + granted;
                    }
                    let last = state.current.as_ref().is_some_and(|l| l.last);
                    drop(state);
                    if !last {
                        return Step::Renewed;
                    }
                }
                Err(why) => {
                    // Refused (revoked behind our back, past its maximum) or unreachable:
                    // no more renewals of this lease; new credentials are due.
                    if let Some(l) = leases.state().current.as_mut() {
                        l.last = true;
                    }
                    return Step::Failed(format!("renewing the lease failed: {why}"));
                }
            }
        }
        match read(source) {
            Ok(lease) => {
                let mut state = leases.state();
                let now = Instant::now();
                state.held.retain(|(_, ends)| *ends > now);
                state.held.push((lease.id.clone(), lease.ends));
                state.current = Some(lease);
                Step::Replaced
            }
            Err(why) => Step::Failed(format!("reading new credentials failed: {why}")),
        }
    }

    /// Revokes every lease held that has not ended (best effort: a failure is a warning).
    fn revoke_all(source: &Vault, leases: &Leases) {
        let held = std::mem::take(&mut leases.state().held);
        let now = Instant::now();
        for (id, ends) in held {
            if ends <= now {
                continue;
            }
            let body = serde_json::json!({ "lease_id": id });
            if let Err(why) = lease_call(source, "revoke", &body) {
                tracing::warn!(target: "settings_core", "{why}");
            }
        }
        leases.state().current = None;
    }
}
