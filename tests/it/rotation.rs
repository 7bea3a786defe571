//! Secrets that change (API.md "Secrets that change") and sources configured by settings,
//! against the real servers `scripts/with-services` starts (moto for AWS Secrets Manager).
//! Tests that need them are `#[ignore = "needs services"]`, as in `remote.rs`.

use crate::remote::{aws_secret, moto_seed, server, unique, wait_for};
use settings_core::remote::AwsSecretsManager;
use settings_core::{Early, Secret, Settings};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct App {
    #[settings(default = "local")]
    env: String,
    password: Secret<String>,
    #[settings(default = 5)]
    pool_size: u32,
}

/// The seed's example: the secret to read is chosen by a setting (`APP_ENV`).
#[test]
#[ignore = "needs services"]
fn the_secret_read_is_chosen_by_a_setting() {
    let moto = server("SETTINGS_TEST_MOTO");
    let stem = unique("boot");
    for env in ["prod", "staging"] {
        let secret = serde_json::json!({ "password": format!("{env}-pw"), "pool_size": "7" });
        moto_seed(
            &moto,
            serde_json::json!([["sm", format!("{env}/{stem}"), secret.to_string()]]),
        );
    }
    let loader = |env: &str| {
        let (moto, stem) = (moto.clone(), stem.clone());
        App::loader()
            .env_vars([("APP_ENV", env)])
            .provider_with(move |early: &Early| {
                let env: String = early.get("env")?.unwrap_or_default();
                Ok(aws_secret(&format!("{env}/{stem}"), &moto))
            })
    };
    let prod = loader("prod").load().unwrap();
    assert_eq!(prod.password.expose_secret(), "prod-pw");
    assert_eq!(prod.pool_size, 7);
    let report = loader("staging").explain().unwrap();
    assert_eq!(
        report.get("password").unwrap().origin,
        format!("aws secrets manager staging/{stem}: password")
    );
    // An env with no such secret: a Source issue naming it, and the other issues beside it.
    let err = loader("dev").load().unwrap_err();
    assert!(
        err.issues()
            .iter()
            .any(|i| i.message.contains(&format!("dev/{stem}"))),
        "{err}"
    );
}

/// A rotation (a new `AWSCURRENT` version) reaches `on_change` within the refresh interval; a
/// version that is not JSON goes to `on_error` and the last good settings stay; dropping the
/// last handle ends the refresh thread.
#[test]
#[ignore = "needs services"]
fn a_rotation_reaches_on_change_within_the_refresh_interval() {
    let _one = crate::remote::WATCH
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let moto = server("SETTINGS_TEST_MOTO");
    let name = unique("rotating/app");
    let v1 = serde_json::json!({ "password": "first" }).to_string();
    moto_seed(&moto, serde_json::json!([["sm", name, v1]]));
    let source: AwsSecretsManager = aws_secret(&name, &moto).refresh(Duration::from_millis(200));
    let live = App::loader()
        .env_vars([("X", "")])
        .provider(source)
        .watch()
        .unwrap();
    assert_eq!(live.get().password.expose_secret(), "first");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(Mutex::new(Vec::new()));
    {
        let seen = seen.clone();
        live.on_change(move |old, new| {
            seen.lock().unwrap().push((
                old.password.expose_secret().clone(),
                new.password.expose_secret().clone(),
            ));
        });
        let errors = errors.clone();
        live.on_error(move |e| errors.lock().unwrap().push(e.to_string()));
    }
    assert!(
        wait_for(Duration::from_secs(2), || refresh_threads() == 1).is_some(),
        "one refresh thread"
    );
    let v2 = serde_json::json!({ "password": "second" }).to_string();
    moto_seed(&moto, serde_json::json!([["sm-put", name, v2]]));
    let took = wait_for(Duration::from_secs(3), || {
        live.get().password.expose_secret() == "second"
    })
    .expect("the rotation reached the settings within 3 s");
    eprintln!("rotation seen after {took:?} (refresh every 200 ms)");
    assert!(took < Duration::from_millis(1500), "{took:?}");
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [("first".to_owned(), "second".to_owned())]
    );

    // A broken rotation: not JSON. The reload fails, the last good settings stay, and the
    // message does not carry the value.
    moto_seed(
        &moto,
        serde_json::json!([["sm-put", name, "not-json-s3cret"]]),
    );
    assert!(
        wait_for(Duration::from_secs(3), || !errors
            .lock()
            .unwrap()
            .is_empty())
        .is_some(),
        "on_error was not called"
    );
    assert_eq!(live.get().password.expose_secret(), "second");
    let error = errors.lock().unwrap()[0].clone();
    assert!(error.contains("is not JSON"), "{error}");
    assert!(!error.contains("not-json-s3cret"), "{error}");
    assert!(live.last_error().is_some());

    drop(live);
    let ended = wait_for(Duration::from_secs(3), || refresh_threads() == 0);
    assert!(ended.is_some(), "the refresh thread outlived the Live");
}

fn refresh_threads() -> usize {
    crate::remote::threads_named("settings-refres")
}
