//! `Vault::dynamic` (API.md "Secrets that change"): leased PostgreSQL credentials from OpenBao's
//! database secrets engine, against the real servers `scripts/with-services` starts (OpenBao
//! with the engine configured against a real PostgreSQL: role `app` leases for 4 s, at most
//! 12 s; role `long` for 60 s). Each test proves what it claims by logging in to PostgreSQL
//! with `psql` and the credentials the settings hold.
//!
//! The tests share the `app` role's leases and count threads by name: one at a time.

use crate::remote::{http, server, threads_named, wait_for};
use settings_core::remote::Vault;
use settings_core::{Secret, Settings};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

static ONE: Mutex<()> = Mutex::new(());

#[derive(Settings, Debug)]
struct Db {
    username: Secret<String>,
    password: Secret<String>,
}

#[derive(Settings, Debug)]
struct App {
    #[settings(nested)]
    db: Db,
    #[settings(default = 4)]
    pool_size: u32,
}

/// A username and password, as the settings held them at some point.
#[derive(Clone, Debug, PartialEq)]
struct Login(String, String);

impl Login {
    fn of(app: &App) -> Login {
        Login(
            app.db.username.expose_secret().clone(),
            app.db.password.expose_secret().clone(),
        )
    }

    /// Whether PostgreSQL lets these credentials in (`psql -c 'select 1'`).
    fn works(&self) -> bool {
        let host = server("SETTINGS_TEST_PG_HOST");
        let port = server("SETTINGS_TEST_PG_PORT");
        Command::new("psql")
            .args(["-h", &host, "-p", &port, "-U", &self.0, "-d", "app"])
            .args(["-tAc", "select 1"])
            // The child's environment only: the test process's stays as it is.
            .env("PGPASSWORD", &self.1)
            .env("PGCONNECT_TIMEOUT", "5")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("psql (Debian's postgresql package, which scripts/services installs)")
            .success()
    }
}

fn lease_threads() -> usize {
    threads_named("settings-lease")
}

/// The leases OpenBao holds under `database/creds/<role>/`.
fn leases_of(vault: &str, role: &str) -> Vec<String> {
    let (status, body) = http(
        "GET",
        &format!("{vault}/v1/sys/leases/lookup/database/creds/{role}/?list=true"),
        &[("X-Vault-Token", "root")],
        "",
    );
    if status == 404 {
        return Vec::new();
    }
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    json.pointer("/data/keys")
        .and_then(|k| k.as_array())
        .map(|keys| {
            keys.iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn revoke_prefix(vault: &str, role: &str) {
    let (status, body) = http(
        "POST",
        &format!("{vault}/v1/sys/leases/revoke-prefix/database/creds/{role}"),
        &[("X-Vault-Token", "root")],
        "",
    );
    assert!(status == 204 || status == 200, "{status} {body}");
}

/// `Live` settings on the `app` role, after revoking every lease of that role left by others.
fn fresh_live(vault: &str) -> settings_core::Live<App> {
    revoke_prefix(vault, "app");
    App::loader()
        .env_vars([("X", "")])
        .provider(source(vault, "app"))
        .watch()
        .unwrap()
}

fn source(vault: &str, role: &str) -> Vault {
    Vault::dynamic(vault, format!("database/creds/{role}"))
        .token("root")
        .nest("db")
}

/// Records what `on_change` and `on_error` see.
#[derive(Clone, Default)]
struct Seen {
    changes: Arc<Mutex<Vec<Login>>>,
    errors: Arc<Mutex<Vec<String>>>,
}

impl Seen {
    fn attach(live: &settings_core::Live<App>) -> Seen {
        let seen = Seen::default();
        let changes = seen.changes.clone();
        live.on_change(move |_, new| changes.lock().unwrap().push(Login::of(new)));
        let errors = seen.errors.clone();
        live.on_error(move |e| errors.lock().unwrap().push(e.to_string()));
        seen
    }
}

/// The whole life of a lease: the credentials work, are renewed past their first 4 s, are
/// replaced before the 12 s maximum ends (`on_change` sees working new ones), and when the last
/// handle drops the thread ends and the leases are revoked: PostgreSQL refuses them.
#[test]
#[ignore = "needs services"]
fn leased_credentials_are_renewed_replaced_and_revoked() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let vault = server("SETTINGS_TEST_VAULT");
    let started = Instant::now();
    let live = fresh_live(&vault);
    let first = Login::of(&live.get());
    assert!(first.works(), "the first credentials log in");
    let report = App::loader()
        .env_vars([("X", "")])
        .provider(source(&vault, "app"))
        .explain()
        .unwrap();
    assert_eq!(
        report.get("db.password").unwrap().origin,
        "vault database/creds/app: password"
    );
    assert!(!report.to_string().contains(&first.1));
    let seen = Seen::attach(&live);
    assert!(wait_for(Duration::from_secs(2), || lease_threads() == 1).is_some());

    // Renewed: past the first lease's 4 s, the same credentials still log in.
    std::thread::sleep(Duration::from_secs(6).saturating_sub(started.elapsed()));
    assert!(
        seen.changes.lock().unwrap().is_empty(),
        "no new credentials yet"
    );
    assert!(first.works(), "renewed past the first 4 s");

    // Replaced before the maximum of 12 s ends.
    let replaced = wait_for(Duration::from_secs(12), || {
        !seen.changes.lock().unwrap().is_empty()
    });
    assert!(replaced.is_some(), "no new credentials within 18 s");
    eprintln!("replaced after {:?}", started.elapsed());
    let second = seen.changes.lock().unwrap()[0].clone();
    assert_ne!(second.0, first.0);
    assert_eq!(Login::of(&live.get()), second);
    assert!(second.works(), "the new credentials log in");
    assert!(seen.errors.lock().unwrap().is_empty(), "{:?}", seen.errors);

    // Dropped: the thread ends and revokes; PostgreSQL refuses both logins.
    drop(live);
    let ended = wait_for(Duration::from_secs(5), || lease_threads() == 0);
    assert!(ended.is_some(), "the lease thread outlived the Live");
    assert!(!second.works(), "the revoked credentials still log in");
    assert!(!first.works());
    // Only the explain() load's lease (a plain load: left to expire) may remain.
    assert!(
        leases_of(&vault, "app").len() <= 1,
        "{:?}",
        leases_of(&vault, "app")
    );
}

/// A lease revoked behind the program's back: the renewal fails (`on_error`, the last good
/// settings kept), and new credentials follow (`on_change`), which log in.
#[test]
#[ignore = "needs services"]
fn a_lease_revoked_behind_the_programs_back_is_replaced() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let vault = server("SETTINGS_TEST_VAULT");
    let live = fresh_live(&vault);
    let first = Login::of(&live.get());
    let seen = Seen::attach(&live);
    revoke_prefix(&vault, "app");
    assert!(!first.works(), "revoked");
    let recovered = wait_for(Duration::from_secs(8), || {
        !seen.changes.lock().unwrap().is_empty()
    });
    assert!(
        recovered.is_some(),
        "no new credentials after the revocation"
    );
    let errors = seen.errors.lock().unwrap().clone();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("renewing the lease failed")),
        "{errors:?}"
    );
    for e in &errors {
        assert!(!e.contains(&first.1), "{e}");
    }
    let second = Login::of(&live.get());
    assert_ne!(second, first);
    assert!(second.works());
    drop(live);
    assert!(wait_for(Duration::from_secs(5), || lease_threads() == 0).is_some());
    assert!(!second.works());
}

/// PostgreSQL restarted while credentials are leased: the settings end up holding credentials
/// that log in, without a restart of the program.
#[test]
#[ignore = "needs services"]
fn postgresql_restarted_under_a_lease() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let vault = server("SETTINGS_TEST_VAULT");
    let live = fresh_live(&vault);
    let _seen = Seen::attach(&live);
    let status = Command::new("scripts/services")
        .arg("pg-restart")
        .status()
        .unwrap();
    assert!(status.success(), "scripts/services pg-restart");
    // Through at least one renewal or replacement after the restart.
    std::thread::sleep(Duration::from_secs(5));
    let works = wait_for(Duration::from_secs(15), || Login::of(&live.get()).works());
    assert!(works.is_some(), "no working credentials after the restart");
    drop(live);
    assert!(wait_for(Duration::from_secs(5), || lease_threads() == 0).is_some());
}

/// A path that issues no lease, a denied token and an unreachable Vault are `Source` issues
/// naming the path, without a secret; a plain `load()` reads once and starts no thread.
#[test]
#[ignore = "needs services"]
fn bad_paths_tokens_and_servers_are_source_issues() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let vault = server("SETTINGS_TEST_VAULT");
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(
            Vault::dynamic(&vault, "database/creds/nope")
                .token("root")
                .nest("db"),
        )
        .load()
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("database/creds/nope"), "{text}");
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(source(&vault, "long").token("wrong-token"))
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("denied"), "{err}");
    assert!(!err.to_string().contains("wrong-token"), "{err}");
    let closed = format!("http://127.0.0.1:{}", crate::closed_port());
    let err = App::loader()
        .env_vars([("X", "")])
        .provider(
            Vault::dynamic(&closed, "database/creds/long")
                .token("root")
                .nest("db")
                .timeout(Duration::from_secs(2)),
        )
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("cannot reach vault at"), "{err}");
    let app = App::loader()
        .env_vars([("X", "")])
        .provider(source(&vault, "long"))
        .load()
        .unwrap();
    assert!(Login::of(&app).works());
    assert_eq!(lease_threads(), 0);
    // The token never shows in a `Debug` print of the source.
    let debug = format!("{:?}", source(&vault, "long").token("t0ken-value"));
    assert!(!debug.contains("t0ken-value"), "{debug}");
}

/// An OpenBao dev server of this test's own (so it can be stopped), with the database engine
/// configured against the shared PostgreSQL like `scripts/services` does.
struct OwnBao {
    child: Option<std::process::Child>,
    port: u16,
}

impl OwnBao {
    fn start(port: u16) -> OwnBao {
        let child = Command::new("target/svc-venv/bin/bao")
            .args([
                "server",
                "-dev",
                "-dev-root-token-id=root",
                "-dev-no-store-token",
            ])
            .arg(format!("-dev-listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("OpenBao (scripts/services installs it into target/svc-venv)");
        let bao = OwnBao {
            child: Some(child),
            port,
        };
        let url = bao.url();
        let up = wait_for(Duration::from_secs(20), || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
                && http("GET", &format!("{url}/v1/sys/health"), &[], "").0 == 200
        });
        assert!(up.is_some(), "own OpenBao not ready in 20 s");
        let admin = server("SETTINGS_TEST_PG");
        let pg = admin.rsplit('@').next().unwrap();
        let (user, password) = admin
            .strip_prefix("postgresql://")
            .and_then(|r| r.split('@').next())
            .and_then(|u| u.split_once(':'))
            .unwrap();
        bao.api(
            "sys/mounts/database",
            serde_json::json!({ "type": "database" }),
        );
        bao.api(
            "database/config/app",
            serde_json::json!({
                "plugin_name": "postgresql-database-plugin",
                "connection_url": format!("postgresql://{{{{username}}}}:{{{{password}}}}@{pg}?sslmode=disable"),
                "username": user, "password": password, "allowed_roles": "*",
            }),
        );
        bao.api(
            "database/roles/app",
            serde_json::json!({
                "db_name": "app", "default_ttl": "3s", "max_ttl": "60s",
                "creation_statements": [
                    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';",
                    "GRANT CONNECT ON DATABASE app TO \"{{name}}\";"
                ],
            }),
        );
        bao
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn api(&self, path: &str, body: serde_json::Value) {
        let (status, text) = http(
            "POST",
            &format!("{}/v1/{path}", self.url()),
            &[("X-Vault-Token", "root")],
            &body.to_string(),
        );
        assert!(status == 200 || status == 204, "{path}: {status} {text}");
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OwnBao {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Vault stopped under a lease: the renewal fails (`on_error` names the server, no secret),
/// the last good settings stay, nothing hangs; when Vault is back, new credentials follow and
/// log in; dropping the handle ends the thread even though the old leases cannot be revoked.
#[test]
#[ignore = "needs services"]
fn vault_stopped_under_a_lease_then_back() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let port = crate::closed_port();
    let mut bao = OwnBao::start(port);
    let live = App::loader()
        .env_vars([("X", "")])
        .provider(
            Vault::dynamic(bao.url(), "database/creds/app")
                .token("root")
                .nest("db")
                .timeout(Duration::from_secs(2)),
        )
        .watch()
        .unwrap();
    let first = Login::of(&live.get());
    assert!(first.works());
    let seen = Seen::attach(&live);
    bao.stop();
    let failed = wait_for(Duration::from_secs(8), || {
        !seen.errors.lock().unwrap().is_empty()
    });
    assert!(failed.is_some(), "no on_error after Vault stopped");
    let error = seen.errors.lock().unwrap()[0].clone();
    assert!(
        error.contains(&format!("vault at 127.0.0.1:{port}")),
        "{error}"
    );
    assert!(!error.contains(&first.1), "{error}");
    assert_eq!(Login::of(&live.get()), first, "the last good settings stay");
    assert!(live.last_error().is_some());

    let _bao = OwnBao::start(port);
    let back = wait_for(Duration::from_secs(20), || {
        !seen.changes.lock().unwrap().is_empty()
    });
    assert!(back.is_some(), "no new credentials after Vault came back");
    let second = Login::of(&live.get());
    assert_ne!(second, first);
    assert!(second.works());
    drop(live);
    assert!(
        wait_for(Duration::from_secs(8), || lease_threads() == 0).is_some(),
        "the lease thread outlived the Live"
    );
    assert!(!second.works(), "revoked at the drop");
}
