//! `GET /metrics`: the reload status in Prometheus' text exposition format (version 0.0.4).
//!
//! Every metric is always there, with its `HELP` and `TYPE` lines: a counter that never moved
//! reads 0, and `settings_restart_pending` has a series only for the fields that wait.

use crate::http::unix_seconds;
use crate::watch::Status;
use std::fmt::Write as _;

/// The exposition text of one scrape.
pub(crate) fn render(status: &Status, fingerprint: &str) -> String {
    let mut out = String::with_capacity(1024);
    family(
        &mut out,
        "settings_reloads_total",
        "counter",
        "Loads of the settings by result; the first load counts as a successful one.",
    );
    let _ = writeln!(out, "settings_reloads_total{{result=\"ok\"}} {}", status.ok);
    let _ = writeln!(
        out,
        "settings_reloads_total{{result=\"error\"}} {}",
        status.failed
    );
    family(
        &mut out,
        "settings_last_reload_success_timestamp_seconds",
        "gauge",
        "When the settings last loaded successfully, in seconds since the Unix epoch.",
    );
    let _ = writeln!(
        out,
        "settings_last_reload_success_timestamp_seconds {}",
        unix_seconds(status.last_success)
    );
    family(
        &mut out,
        "settings_restart_pending",
        "gauge",
        "Settings changed in their sources that take effect only after a restart (1 each).",
    );
    for path in &status.restart_pending {
        let _ = writeln!(
            out,
            "settings_restart_pending{{path=\"{}\"}} 1",
            label(path)
        );
    }
    family(
        &mut out,
        "settings_info",
        "gauge",
        "The fingerprint of the settings in use (SHA-256 of the values, secrets by origin only).",
    );
    let _ = writeln!(
        out,
        "settings_info{{fingerprint=\"{}\"}} 1",
        label(fingerprint)
    );
    out
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value as the format escapes it: backslash, double quote and line feed.
fn label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn every_metric_with_its_labels() {
        let status = Status {
            ok: 3,
            failed: 1,
            last_success: UNIX_EPOCH + Duration::from_millis(1_700_000_000_250),
            last_failure: None,
            restart_pending: vec!["db.pool_size".into(), "odd\"key\\x".into()],
        };
        let text = render(&status, "ab12");
        for line in [
            "settings_reloads_total{result=\"ok\"} 3",
            "settings_reloads_total{result=\"error\"} 1",
            "settings_last_reload_success_timestamp_seconds 1700000000.25",
            "settings_restart_pending{path=\"db.pool_size\"} 1",
            "settings_restart_pending{path=\"odd\\\"key\\\\x\"} 1",
            "settings_info{fingerprint=\"ab12\"} 1",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
        assert_eq!(text.matches("# TYPE ").count(), 4);
    }

    #[test]
    fn no_pending_series_when_nothing_waits() {
        let status = Status {
            ok: 1,
            failed: 0,
            last_success: UNIX_EPOCH,
            last_failure: None,
            restart_pending: Vec::new(),
        };
        let text = render(&status, "x");
        assert!(text.contains("# TYPE settings_restart_pending gauge\n"));
        assert!(!text.contains("settings_restart_pending{"));
        assert!(text.contains("settings_reloads_total{result=\"error\"} 0\n"));
    }
}
