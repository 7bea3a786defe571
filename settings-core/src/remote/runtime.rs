//! How a read runs: bounded in time, retried with a growing pause, and (for the async SDKs) on a
//! private runtime of its own.

use super::options::Common;
use std::time::{Duration, Instant};

impl Common {
    /// The wait before attempt `n + 1` (after `n` failures): 100 ms, 200 ms, 400 ms, … ≤ 2 s.
    pub(crate) fn backoff(n: u32) -> Duration {
        Duration::from_millis(100u64.saturating_mul(1 << n.min(5))).min(Duration::from_secs(2))
    }

    /// Runs `attempt` until it succeeds, fails for good, runs out of attempts or out of time;
    /// each call gets the time left. The error says how many attempts were made in how long.
    #[cfg_attr(not(any(feature = "vault", feature = "etcd")), allow(dead_code))]
    pub(crate) fn retry<T>(
        &self,
        mut attempt: impl FnMut(Duration) -> Result<T, Failure>,
    ) -> Result<T, String> {
        let start = Instant::now();
        let deadline = start + self.timeout;
        let mut tries = 0;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            tries += 1;
            let why = match attempt(left) {
                Ok(value) => return Ok(value),
                Err(Failure::Fatal(why)) => return Err(why),
                Err(Failure::Transient(why)) => why,
            };
            let pause = Self::backoff(tries - 1);
            let left = deadline.saturating_duration_since(Instant::now());
            if tries >= self.attempts.max(1) || left <= pause {
                return Err(format!(
                    "{why} (gave up after {tries} attempt{} in {:.1} s)",
                    if tries == 1 { "" } else { "s" },
                    start.elapsed().as_secs_f64()
                ));
            }
            std::thread::sleep(pause);
        }
    }
}

/// Why an attempt failed: worth another try, or not.
#[cfg_attr(not(any(feature = "vault", feature = "etcd")), allow(dead_code))]
pub(crate) enum Failure {
    /// Unreachable, timed out, a 5xx or 429 answer: another attempt may succeed.
    Transient(String),
    /// Denied, missing, malformed, too large: another attempt would fail the same way.
    Fatal(String),
}

/// Runs a client call to completion on a private current-thread tokio runtime, on a short-lived
/// thread of its own, within `timeout` in all, so that `load()` works from a plain `main` and from
/// inside the caller's runtime alike. `client` names the SDK in messages and in the thread's
/// name; `no_answer` is what to say when the time is up (" within N s" is added).
#[cfg(any(feature = "aws", feature = "gcp", feature = "azure"))]
pub(crate) fn on_private_runtime<T, F, Fut>(
    client: &'static str,
    timeout: Duration,
    no_answer: String,
    make: F,
) -> Result<T, String>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let thread = std::thread::Builder::new()
        .name(format!("settings-{}", client.to_ascii_lowercase()))
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the {client} client's runtime: {e}"))?;
            let result = rt.block_on(async move {
                match tokio::time::timeout(timeout, make()).await {
                    Ok(result) => result,
                    Err(_) => Err(format!("{no_answer} within {:.1} s", timeout.as_secs_f64())),
                }
            });
            // Don't wait for the client's background work (a DNS lookup, a token refresh, an
            // idle connection, a metadata probe).
            rt.shutdown_background();
            result
        })
        .map_err(|e| format!("cannot start the {client} client's thread: {e}"))?;
    thread
        .join()
        .unwrap_or_else(|_| Err(format!("the {client} client panicked")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(Common::backoff(0), Duration::from_millis(100));
        assert_eq!(Common::backoff(1), Duration::from_millis(200));
        assert_eq!(Common::backoff(10), Duration::from_secs(2));
    }

    #[test]
    fn retry_stops_on_a_fatal_failure_and_counts_attempts() {
        let common = Common::new("test", "source");
        let mut calls = 0;
        let err = common
            .retry::<()>(|_| {
                calls += 1;
                Err(Failure::Fatal("denied".into()))
            })
            .unwrap_err();
        assert_eq!((calls, err.as_str()), (1, "denied"));
        let mut calls = 0;
        let err = common
            .retry::<()>(|_| {
                calls += 1;
                Err(Failure::Transient("refused".into()))
            })
            .unwrap_err();
        assert_eq!(calls, 3);
        assert!(
            err.starts_with("refused (gave up after 3 attempts in "),
            "{err}"
        );
    }
}
