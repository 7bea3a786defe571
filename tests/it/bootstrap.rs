//! Sources configured by settings (API.md "Sources configured by settings (bootstrap)"):
//! `Loader::provider_with` builds a provider from what every other source says.

use crate::write;
use figment::providers::Serialized;
use settings_core::{Early, IssueKind, Settings};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct S {
    #[settings(default = "local")]
    env: String,
    #[settings(default = 8000)]
    port: u16,
    #[settings(default = "none")]
    secret_name: String,
    #[settings(secret)]
    token: Option<settings_core::Secret<String>>,
}

/// The provider reads merged values from every local source, its default included, and takes
/// its place among the providers: above files, below the environment.
#[test]
fn the_function_sees_every_local_source_and_its_provider_takes_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "env = \"staging\"\nport = 1\n");
    let report = S::loader()
        .file(&file)
        .env_vars([("APP_PORT", "9000")])
        .provider_with(|early: &Early| {
            let env: String = early.get("env")?.unwrap_or_default();
            let port: u16 = early.get("port")?.unwrap_or_default();
            Ok(Serialized::defaults(serde_json::json!({
                "secret_name": format!("{env}/app@{port}"),
                "port": 7000,
            })))
        })
        .explain()
        .unwrap();
    assert_eq!(report.get("secret_name").unwrap().value, "staging/app@9000");
    // The provider is below the environment, above the file.
    assert_eq!(report.get("port").unwrap().value, "9000");
    // Defaults are seen too.
    let s = S::loader()
        .env_vars([("X", "")])
        .provider_with(|early: &Early| {
            let env: String = early.get("env")?.unwrap_or_default();
            Ok(Serialized::defaults(
                serde_json::json!({ "secret_name": env }),
            ))
        })
        .load()
        .unwrap();
    assert_eq!(s.secret_name, "local");
}

/// `get` errors name the path: no such setting, a value that is not the asked type; an `Err`
/// from the function is a `Source` issue, and the other issues are still reported.
#[test]
fn errors_and_panics_are_source_issues_beside_the_others() {
    let err = S::loader()
        .env_vars([("APP_PORT", "x")])
        .provider_with(|early: &Early| {
            let port: u16 = early.get("port")?.unwrap_or_default();
            Ok(Serialized::defaults(serde_json::json!({ "port": port })))
        })
        .load()
        .unwrap_err();
    let source = err
        .issues()
        .iter()
        .find(|i| i.kind == IssueKind::Source)
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        source
            .message
            .contains("the provider_with function failed: `port`"),
        "{}",
        source.message
    );
    assert!(
        err.issues()
            .iter()
            .any(|i| i.path == "port" && i.kind == IssueKind::Invalid),
        "the bad value is still reported: {err}"
    );
    let err = S::loader()
        .env_vars([("X", "")])
        .provider_with(|early: &Early| {
            early.get::<String>("envv")?;
            Ok(Serialized::defaults(serde_json::json!({})))
        })
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert!(
        i.message
            .contains("`envv` is no setting; did you mean `env`?"),
        "{}",
        i.message
    );
    assert_eq!(i.origin.as_deref(), Some("provider provider_with"));

    let err = S::loader()
        .env_vars([("X", "")])
        .provider_with(
            |_: &Early| -> Result<Serialized<serde_json::Value>, String> { panic!("boom") },
        )
        .load()
        .unwrap_err();
    assert!(crate::only(&err).message.contains("panicked"), "{err}");
}

/// A secret's value is never quoted by `get`'s error.
#[test]
fn a_secret_is_not_quoted() {
    let err = S::loader()
        .env_vars([("APP_TOKEN", "hunter2")])
        .provider_with(|early: &Early| {
            early.get::<u32>("token")?;
            Ok(Serialized::defaults(serde_json::json!({})))
        })
        .load()
        .unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(err.to_string().contains("`token`"), "{err}");
    let s = S::loader()
        .env_vars([("APP_TOKEN", "hunter2")])
        .provider_with(|early: &Early| {
            let token: settings_core::Secret<String> = early.get("token")?.unwrap();
            assert_eq!(token.expose_secret(), "hunter2");
            Ok(Serialized::defaults(serde_json::json!({})))
        })
        .load()
        .unwrap();
    assert!(s.token.is_some());
}

/// Under `Live` the function runs again at each reload, with the new early values.
#[test]
fn under_live_the_function_runs_at_each_reload() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "env = \"a\"\n");
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let live = S::loader()
        .file(&file)
        .env_vars([("X", "")])
        .provider_with(move |early: &Early| {
            counted.fetch_add(1, Ordering::SeqCst);
            let env: String = early.get("env")?.unwrap_or_default();
            Ok(Serialized::defaults(
                serde_json::json!({ "secret_name": format!("{env}/app") }),
            ))
        })
        .watch()
        .unwrap();
    assert_eq!(live.get().secret_name, "a/app");
    std::fs::write(&file, "env = \"b\"\n").unwrap();
    live.reload().unwrap();
    assert_eq!(live.get().secret_name, "b/app");
    assert!(calls.load(Ordering::SeqCst) >= 2);
}
