//! Kubernetes: the manifest in `examples/kubernetes/billing.yaml`, laid out exactly as the kubelet
//! lays out mounted ConfigMaps and Secrets (a timestamped directory, a `..data` symlink to it, one
//! symlink per key into `..data`), plus the container's environment, loaded for real.

use settings_core::{Secret, Settings};
use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

#[derive(Settings, Debug)]
struct Db {
    url: url::Url,
    #[settings(default = 10)]
    pool_size: u32,
    password: Secret<String>,
}

#[derive(Settings, Debug)]
#[settings(
    env_prefix = "APP_",
    config_dir = "/etc/billing",
    secrets_dir = "/run/secrets/billing"
)]
struct Billing {
    port: u16,
    log_level: String,
    allowed_hosts: Vec<String>,
    #[settings(nested)]
    db: Db,
    api_key: Secret<String>,
    webhook_token: Secret<String>,
}

/// The documents of the example manifest, as JSON values.
fn manifest() -> Vec<serde_json::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/kubernetes/billing.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml_ng::Deserializer::from_str(&text)
        .map(|doc| serde::Deserialize::deserialize(doc).unwrap())
        .collect()
}

fn kind<'a>(docs: &'a [serde_json::Value], kind: &str) -> &'a serde_json::Value {
    docs.iter().find(|d| d["kind"] == kind).unwrap()
}

fn strings(v: &serde_json::Value) -> BTreeMap<String, String> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

/// Writes `data` the way the kubelet's atomic writer does, into `dir`, and returns `dir`.
fn kubelet_volume(dir: &Path, stamp: &str, data: &BTreeMap<String, String>) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let versioned = dir.join(format!("..{stamp}"));
    std::fs::create_dir(&versioned).unwrap();
    for (key, value) in data {
        std::fs::write(versioned.join(key), value).unwrap();
    }
    // Swap ..data atomically: a new link beside it, renamed over it.
    let tmp = dir.join("..data_tmp");
    symlink(format!("..{stamp}"), &tmp).unwrap();
    std::fs::rename(&tmp, dir.join("..data")).unwrap();
    for key in data.keys() {
        let link = dir.join(key);
        if std::fs::symlink_metadata(&link).is_err() {
            symlink(format!("..data/{key}"), &link).unwrap();
        }
    }
    dir.to_owned()
}

/// The container's environment, with `secretKeyRef`s resolved from the Secret.
fn container_env(docs: &[serde_json::Value]) -> Vec<(String, String)> {
    let secret = strings(&kind(docs, "Secret")["stringData"]);
    let container = &kind(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0];
    container["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let name = e["name"].as_str().unwrap().to_owned();
            let value = match e["value"].as_str() {
                Some(v) => v.to_owned(),
                None => secret[e["valueFrom"]["secretKeyRef"]["key"].as_str().unwrap()].clone(),
            };
            (name, value)
        })
        .collect()
}

#[test]
fn the_example_manifest_loads_through_a_kubelet_layout() {
    let docs = manifest();
    let root = tempfile::tempdir().unwrap();
    let config = kubelet_volume(
        &root.path().join("etc/billing"),
        "2026_11_25_21_00_00.000000001",
        &strings(&kind(&docs, "ConfigMap")["data"]),
    );
    let secrets = kubelet_volume(
        &root.path().join("run/secrets/billing"),
        "2026_11_25_21_00_00.000000002",
        &strings(&kind(&docs, "Secret")["stringData"]),
    );
    let env = container_env(&docs);

    let loader = Billing::loader()
        .env_vars(env)
        .config_dir(&config)
        .secrets_dir(&secrets);
    let b = loader.load().unwrap();
    assert_eq!(b.port, 8080);
    assert_eq!(b.log_level, "info");
    assert_eq!(b.allowed_hosts, ["billing.example.com", "billing.internal"]);
    assert_eq!(b.db.url.host_str(), Some("db.prod.internal"));
    assert_eq!(b.db.pool_size, 40);
    assert_eq!(b.db.password.expose_secret(), "example-db-password");
    assert_eq!(b.api_key.expose_secret(), "example-api-key");
    assert_eq!(b.webhook_token.expose_secret(), "example-api-key");

    let report = loader.explain().unwrap();
    let origin = |path: &str| report.get(path).unwrap().origin.clone();
    assert_eq!(origin("log_level"), "config dir file log_level");
    assert_eq!(origin("db.pool_size"), "config dir file db__pool_size");
    assert_eq!(origin("db.password"), "secrets dir file db__password");
    assert_eq!(origin("api_key"), "secrets dir file APP_API_KEY");
    assert_eq!(origin("webhook_token"), "env var APP_WEBHOOK_TOKEN");
    assert!(!report.get("log_level").unwrap().secret);
    assert!(report.get("db.password").unwrap().secret);
    let table = report.to_string();
    assert!(
        !table.contains("example-db-password") && !table.contains("example-api-key"),
        "{table}"
    );
    // The kubelet's own entries are not settings: no unknown-key noise about them.
    assert!(report.entries().iter().all(|e| !e.path.contains("..")));
}

#[test]
fn a_configmap_update_swaps_data_and_the_next_load_sees_it() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("etc/app");
    let mut data = BTreeMap::from([("log_level".to_string(), "info".to_string())]);
    kubelet_volume(&dir, "2026_01_01_00_00_00.1", &data);

    #[derive(Settings, Debug)]
    struct App {
        log_level: String,
    }
    let loader = App::loader().env_vars([("X", "")]).config_dir(&dir);
    assert_eq!(loader.load().unwrap().log_level, "info");

    data.insert("log_level".into(), "debug".into());
    kubelet_volume(&dir, "2026_01_01_00_05_00.2", &data);
    assert_eq!(loader.load().unwrap().log_level, "debug");
}

#[test]
fn a_symlink_out_of_the_mounted_directory_is_refused_and_not_read() {
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("host-secret");
    std::fs::write(&outside, "host-only-value").unwrap();
    let dir = kubelet_volume(
        &root.path().join("secrets"),
        "2026_01_01_00_00_00.1",
        &BTreeMap::from([("token".to_string(), "ok".to_string())]),
    );
    symlink(&outside, dir.join("api_key")).unwrap();

    #[derive(Settings, Debug)]
    struct App {
        token: Secret<String>,
        api_key: Option<Secret<String>>,
    }
    let err = App::loader()
        .env_vars([("X", "")])
        .secrets_dir(&dir)
        .load()
        .unwrap_err();
    assert_eq!(err.issues().len(), 1, "{err}");
    let issue = &err.issues()[0];
    assert_eq!(issue.kind, settings_core::IssueKind::Source);
    assert!(
        issue.message.contains("api_key") && issue.message.contains("outside"),
        "{}",
        issue.message
    );
    assert!(!err.to_string().contains("host-only-value"));
}

#[test]
fn an_unreadable_config_dir_is_a_source_issue() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();

    #[derive(Settings, Debug)]
    struct App {
        #[settings(default = "info")]
        log_level: String,
    }
    let err = App::loader()
        .env_vars([("X", "")])
        .config_dir(&file)
        .load()
        .unwrap_err();
    assert_eq!(err.issues()[0].kind, settings_core::IssueKind::Source);
    assert!(err.issues()[0].message.contains("not-a-dir"), "{err}");
}
