//! `GET /`: the settings as an operator reads them, on one HTML page.
//!
//! Plain HTML and one inline style sheet: no script, no image, nothing fetched (the endpoint's
//! `Content-Security-Policy` forbids all of it). Every text that comes from the settings, their
//! sources or their errors goes through [`escape`].

use crate::error::Error;
use crate::http::rfc3339;
use crate::meta::{FieldMeta, StructMeta};
use crate::naming::Names;
use crate::origin::Origin;
use crate::report::{Entry, Report};
use crate::watch::Status;
use std::fmt::Write as _;

/// What one page shows.
pub(crate) struct View<'a> {
    pub(crate) meta: &'static StructMeta,
    pub(crate) report: &'a Report,
    pub(crate) fingerprint: &'a str,
    pub(crate) status: &'a Status,
    pub(crate) last_error: Option<&'a Error>,
    pub(crate) reload_enabled: bool,
}

const STYLE: &str = "\
:root{--ink:#1d2433;--muted:#5b6478;--line:#d9dee8;--bg:#f6f7fb;--card:#fff;--bad:#b3261e;--warn:#8a5a00}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:1.45rem;margin:.2rem 0}
h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
p,ul{margin:.35rem 0}
code,.value{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em;overflow-wrap:anywhere}
.doc{color:var(--muted)}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.8rem 0}
.facts dt{color:var(--muted)}
.facts dd{margin:0;overflow-wrap:anywhere}
.box{background:var(--card);border:1px solid var(--line);border-left:5px solid #2e7d32;border-radius:6px;padding:.6rem .9rem;margin:.6rem 0}
.box.bad{border-left-color:var(--bad)}
.box.warn{border-left-color:var(--warn)}
.box h2{margin:.1rem 0 .4rem}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line)}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid var(--line)}
th{background:#eef1f7;font-weight:600;position:sticky;top:0}
td.path code{font-weight:600}
td.value .value{font-weight:600}
.chip{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.85em;white-space:nowrap;border:1px solid transparent}
.o-default{background:#eceff4;color:#4c566a}
.o-file{background:#e3f0ff;color:#0b4a8b}
.o-env{background:#e6f6ea;color:#1e6b34}
.o-secret{background:#f3e8ff;color:#5b2a86}
.o-arg{background:#fff0d9;color:#7a4b00}
.o-remote{background:#e0f4f4;color:#0e5c5c}
.o-unset{background:transparent;color:var(--muted);border-color:var(--line)}
.secret{font-size:.8em;color:#5b2a86;margin-left:.3rem}
.restart{display:block;font-size:.8em;color:var(--warn)}
.over{list-style:none;padding:0;margin:0;color:var(--muted)}
.over li{margin:.1rem 0}
.over s{text-decoration-color:var(--muted)}
.rules{padding-left:1.1rem;color:var(--muted);font-size:.92em}
.legend .chip{margin-right:.3rem}
@media (max-width:720px){
 table,thead,tbody,tr,td{display:block}
 thead{display:none}
 tr{border-bottom:2px solid var(--line);padding:.3rem 0}
 td{border:0;padding:.2rem .6rem}
 td[data-label]::before{content:attr(data-label);display:block;font-size:.8em;color:var(--muted)}
}
";

/// The whole page.
pub(crate) fn render(view: &View<'_>) -> String {
    let report = view.report;
    let mut out = String::with_capacity(4096 + report.entries().len() * 600);
    let title = format!("{} settings", view.meta.name);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    if !view.meta.doc.is_empty() {
        let _ = writeln!(out, "<p class=\"doc\">{}</p>", lines(view.meta.doc));
    }
    facts(&mut out, view);
    reloads(&mut out, view);
    pending(&mut out, &view.status.restart_pending);
    warnings(&mut out, report);
    table(&mut out, view.meta, report, &view.status.restart_pending);
    out.push_str(
        "<p class=\"doc\">The same as JSON: <code>json</code>; the JSON Schema: <code>schema</code>; \
         Prometheus metrics: <code>metrics</code> (each under this page's path).</p>\n",
    );
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn facts(out: &mut String, view: &View<'_>) {
    let report = view.report;
    out.push_str("<dl class=\"facts\">\n");
    let _ = writeln!(
        out,
        "<dt>Fingerprint</dt><dd><code id=\"fingerprint\">{}</code></dd>",
        escape(view.fingerprint)
    );
    if let Some(profile) = report.profile() {
        let _ = writeln!(
            out,
            "<dt>Profile</dt><dd><code>{}</code></dd>",
            escape(profile)
        );
    }
    if !report.sources().is_empty() {
        out.push_str("<dt>Sources</dt><dd>");
        for (i, source) in report.sources().iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}", escape(source));
        }
        out.push_str("</dd>\n");
    }
    out.push_str("</dl>\n");
}

fn reloads(out: &mut String, view: &View<'_>) {
    let status = view.status;
    let class = if view.last_error.is_some() {
        "box bad"
    } else {
        "box"
    };
    let _ = writeln!(
        out,
        "<section class=\"{class}\" id=\"reloads\">\n<h2>Reloads</h2>\n\
         <p>{} successful (the first load included), {} failed. Last success: {} UTC.{}</p>",
        status.ok,
        status.failed,
        escape(&rfc3339(status.last_success)),
        if view.reload_enabled {
            " Reloading through <code>POST reload</code> is enabled."
        } else {
            ""
        }
    );
    if let Some(err) = view.last_error {
        let when = status
            .last_failure
            .map(|t| format!(" at {} UTC", rfc3339(t)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<p><strong>The last reload failed{}; the settings below are still in use.</strong></p>\n<ul>",
            escape(&when)
        );
        for issue in err.issues() {
            let _ = write!(
                out,
                "<li><code>{}</code> ({}): {}",
                escape(&issue.path),
                issue.kind,
                escape(&issue.message)
            );
            if let Some(origin) = &issue.origin {
                let _ = write!(out, " <span class=\"doc\">from {}</span>", escape(origin));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn pending(out: &mut String, paths: &[String]) {
    if paths.is_empty() {
        return;
    }
    out.push_str(
        "<section class=\"box warn\" id=\"restart\">\n<h2>Waiting for a restart</h2>\n\
         <p>Changed in their sources; the values below stay in use until the service restarts.</p>\n<ul>\n",
    );
    for path in paths {
        let _ = writeln!(out, "<li><code>{}</code></li>", escape(path));
    }
    out.push_str("</ul>\n</section>\n");
}

fn warnings(out: &mut String, report: &Report) {
    let unknown = report.unknown_env();
    if report.warnings().is_empty() && unknown.is_empty() {
        return;
    }
    out.push_str("<section class=\"box warn\" id=\"warnings\">\n<h2>Warnings</h2>\n<ul>\n");
    for warning in report.warnings() {
        let _ = writeln!(out, "<li>{}</li>", escape(warning));
    }
    for name in unknown {
        let _ = writeln!(
            out,
            "<li>unknown environment variable <code>{}</code></li>",
            escape(name)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

fn table(out: &mut String, meta: &'static StructMeta, report: &Report, pending: &[String]) {
    out.push_str(
        "<h2>Settings</h2>\n<p class=\"legend doc\">Where values come from, lowest precedence first: \
         <span class=\"chip o-default\">default</span><span class=\"chip o-file\">file</span>\
         <span class=\"chip o-env\">environment</span><span class=\"chip o-secret\">secrets</span>\
         <span class=\"chip o-arg\">argument or override</span><span class=\"chip o-remote\">remote store</span>\
         The value in use is in bold; the ones it replaced are struck through below its source.</p>\n\
         <table>\n<thead><tr><th>Setting</th><th>Value</th><th>From</th><th>About</th></tr></thead>\n<tbody>\n",
    );
    let names = Names::of(meta);
    for entry in report.entries() {
        let waits = pending.contains(&entry.path);
        row(out, names.field_of(&entry.path), entry, waits);
    }
    out.push_str("</tbody>\n</table>\n");
}

fn row(out: &mut String, field: Option<&'static FieldMeta>, entry: &Entry, waits: bool) {
    let _ = write!(
        out,
        "<tr><td class=\"path\" data-label=\"Setting\"><code>{}</code></td>\
         <td class=\"value\" data-label=\"Value\"><span class=\"value\">{}</span>{}{}</td>\
         <td data-label=\"From\"><span class=\"chip {}\">{}</span>",
        escape(&entry.path),
        escape(&entry.value),
        if entry.secret {
            "<span class=\"secret\">secret</span>"
        } else {
            ""
        },
        if waits {
            "<span class=\"restart\">changed: takes effect after a restart</span>"
        } else {
            ""
        },
        origin_class(entry),
        escape(&entry.origin),
    );
    if !entry.overrode.is_empty() {
        out.push_str("<ul class=\"over\">");
        // Highest first, under the source that replaced them.
        for old in entry.overrode.iter().rev() {
            let _ = write!(out, "<li>over <s>{}</s></li>", escape(old));
        }
        out.push_str("</ul>");
    }
    out.push_str("</td><td data-label=\"About\">");
    if let Some(field) = field {
        if !field.doc.is_empty() {
            let _ = write!(out, "{}", lines(field.doc));
        }
        let rules = crate::template::rules(field);
        if !rules.is_empty() {
            out.push_str("<ul class=\"rules\">");
            for rule in rules {
                let _ = write!(out, "<li>{}</li>", escape(&rule));
            }
            out.push_str("</ul>");
        }
    }
    out.push_str("</td></tr>\n");
}

/// The chip colour of an entry's source.
fn origin_class(entry: &Entry) -> &'static str {
    fn class(origin: &Origin) -> &'static str {
        match origin {
            Origin::Default => "o-default",
            Origin::File { .. } | Origin::FileNamedBy { .. } | Origin::ConfigDir { .. } => "o-file",
            Origin::EnvVar { .. } | Origin::EnvFile { .. } | Origin::EnvFileLine { .. } => "o-env",
            Origin::SecretsDir { .. } => "o-secret",
            Origin::Argument { .. } | Origin::Override { .. } => "o-arg",
            Origin::Decrypted { from } => class(from),
            _ => "o-remote",
        }
    }
    entry.source.as_ref().map_or("o-unset", class)
}

/// A doc comment as HTML: escaped; its lines joined as Markdown joins them (a blank line ends
/// a paragraph).
fn lines(doc: &str) -> String {
    doc.split("\n\n")
        .map(|paragraph| escape(&paragraph.split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect::<Vec<_>>()
        .join("<br><br>")
}

/// Text as HTML text or attribute value: `&`, `<`, `>`, `"` and `'` escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }
}
