//! Plain HTTP + JSON for the sources that speak it (Vault, etcd's JSON gateway), on `ureq`:
//! blocking, no async runtime, rustls for `https://`.

use super::options::host_port;
use super::runtime::Failure;
use std::time::Duration;

/// An agent that hands every status back (we word the errors) and follows no redirects (a
/// token must not leak to another host).
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("settings-core/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// A response's status and body, the body read up to `max` bytes.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// Sends one request (a POST of `body` as JSON when given, else a GET) within `left`, reading at most `max` bytes
/// of the answer. Network trouble and timeouts are transient; an oversized answer is not.
pub(crate) fn send(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&serde_json::Value>,
    left: Duration,
    max: u64,
    what: &str,
) -> Result<Answer, Failure> {
    let at = host_port(url);
    if left.is_zero() {
        return Err(Failure::Transient(format!(
            "no time left to ask {what} at {at}"
        )));
    }
    let response = match body {
        Some(json) => {
            let mut req = agent.post(url).config().timeout_global(Some(left)).build();
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            req.content_type("application/json")
                .send(json.to_string().as_bytes())
        }
        None => {
            let mut req = agent.get(url).config().timeout_global(Some(left)).build();
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            req.call()
        }
    };
    let mut response = response.map_err(|e| failure(e, what, &at, left))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(max)
        .read_to_vec()
        .map_err(|e| failure(e, what, &at, left))?;
    Ok(Answer { status, body })
}

/// Words a transport error.
pub(crate) fn failure(e: ureq::Error, what: &str, at: &str, left: Duration) -> Failure {
    match e {
        ureq::Error::Timeout(_) => Failure::Transient(format!(
            "{what} at {at} did not answer within {:.1} s",
            left.as_secs_f64()
        )),
        ureq::Error::BodyExceedsLimit(max) => Failure::Fatal(format!(
            "the answer of {what} at {at} is larger than the limit of {max} bytes \
             (raise it with .max_size(..))"
        )),
        ureq::Error::HostNotFound => Failure::Transient(format!(
            "cannot find the host of {what} at {at} (DNS lookup failed)"
        )),
        ureq::Error::Io(io) => Failure::Transient(format!("cannot reach {what} at {at}: {io}")),
        ureq::Error::ConnectionFailed => {
            Failure::Transient(format!("cannot connect to {what} at {at}"))
        }
        ureq::Error::BadUri(u) => Failure::Fatal(format!("bad URL for {what}: {u}")),
        other => Failure::Transient(format!("{what} at {at}: {other}")),
    }
}

/// A status that is worth another try: 408, 429, 5xx.
pub(crate) fn is_transient(status: u16) -> bool {
    status == 408 || status == 429 || status >= 500
}

/// The first line of an error body, short, for messages (servers' errors carry no secret
/// values, but the body is cut all the same).
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let line = text.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(200).collect();
    if line.chars().count() > 200 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_statuses() {
        assert!(is_transient(503) && is_transient(429) && !is_transient(403));
    }
}
