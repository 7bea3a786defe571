//! A whole load from an arbitrary environment and arbitrary TOML, YAML, JSON, INI and dotenv
//! files (with a profile file, `extends`, `${...}` references, profile sections), over a secrets
//! directory whose files hold marker values. No panic; every message bounded; no marker in any
//! text of the error or of the report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use settings_core::Settings;
use settings_fuzz::{check_error, check_report, checkable, App, APP_SECRETS};
use std::path::Path;
use std::sync::OnceLock;

struct Dirs {
    files: tempfile::TempDir,
    secrets: tempfile::TempDir,
}

fn dirs() -> &'static Dirs {
    static DIRS: OnceLock<Dirs> = OnceLock::new();
    DIRS.get_or_init(|| {
        let secrets = tempfile::tempdir().expect("a temporary directory");
        for (name, value) in APP_SECRETS {
            std::fs::write(secrets.path().join(name), value).expect("a secret file");
        }
        Dirs {
            files: tempfile::tempdir().expect("a temporary directory"),
            secrets,
        }
    })
}

/// Writes `text` to `name` (or removes the file), and says whether it is there.
fn put(dir: &Path, name: &str, text: &Option<String>) -> Option<std::path::PathBuf> {
    let path = dir.join(name);
    match text {
        Some(text) => {
            std::fs::write(&path, text).expect("write a file");
            Some(path)
        }
        None => {
            let _ = std::fs::remove_file(&path);
            None
        }
    }
}

/// The files of one input, by section name.
#[derive(Default)]
struct Input {
    env: Vec<(std::ffi::OsString, std::ffi::OsString)>,
    toml: Option<String>,
    toml_prod: Option<String>,
    yaml: Option<String>,
    json: Option<String>,
    ini: Option<String>,
    dotenv: Option<String>,
    secrets: bool,
    explain: bool,
}

// The input: sections `%% env` (`NAME=value` lines), `%% toml`, `%% toml.prod` (read beside
// settings.toml under the profile `prod`), `%% yaml`, `%% json`, `%% ini`, `%% dotenv`, and
// the flags `%% secrets` (use the secrets directory) and `%% explain`.
fuzz_target!(|data: &[u8]| {
    let mut input = Input::default();
    for (name, body) in settings_fuzz::sections(data) {
        let text = || Some(String::from_utf8_lossy(body).into_owned());
        match name.as_str() {
            "env" | "" => input.env.extend(settings_fuzz::env_lines(body)),
            "toml" => input.toml = text(),
            "toml.prod" => input.toml_prod = text(),
            "yaml" => input.yaml = text(),
            "json" => input.json = text(),
            "ini" => input.ini = text(),
            "dotenv" => input.dotenv = text(),
            "secrets" => input.secrets = true,
            "explain" => input.explain = true,
            _ => {}
        }
    }
    let d = dirs();
    let dir = d.files.path();
    let env_text: Vec<String> = input
        .env
        .iter()
        .flat_map(|(n, v)| {
            [
                n.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            ]
        })
        .collect();
    let mut wrote: Vec<&str> = env_text.iter().map(String::as_str).collect();
    let env = input.env.clone();
    let mut loader = App::loader().env_vars(env);
    // settings.prod.toml is read beside settings.toml when the profile is `prod`.
    put(dir, "settings.prod.toml", &input.toml_prod);
    if input.toml_prod.is_some() {
        loader = loader.profile("prod");
    }
    for (name, text) in [
        ("settings.toml", &input.toml),
        ("settings.yaml", &input.yaml),
        ("settings.json", &input.json),
        ("settings.ini", &input.ini),
    ] {
        if let Some(path) = put(dir, name, text) {
            loader = loader.file(path);
        }
    }
    if let Some(path) = put(dir, "app.env", &input.dotenv) {
        loader = loader.env_file(path);
    }
    for text in [
        &input.toml,
        &input.toml_prod,
        &input.yaml,
        &input.json,
        &input.ini,
        &input.dotenv,
    ]
    .into_iter()
    .flatten()
    {
        wrote.push(text);
    }
    if input.secrets {
        loader = loader.secrets_dir(d.secrets.path());
    }
    let markers: Vec<&str> = APP_SECRETS.iter().map(|(_, v)| *v).collect();
    let secrets = checkable(&markers, &wrote);

    if input.explain {
        match loader.explain() {
            Ok(report) => check_report(&report, &secrets),
            Err(err) => check_error(&err, &secrets),
        }
    } else if let Err(err) = loader.load() {
        check_error(&err, &secrets);
    }
});
