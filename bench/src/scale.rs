//! Generated structs of 10, 100 and 1,000 flat fields (see `build.rs`), loaded by this project, by
//! hand and by figment (10 and 100 fields), to show how a load grows with fields and with
//! unrelated variables.

#![allow(missing_docs)]

use figment::providers::{Env, Format, Toml};
use serde_json::{Map, Value};
use settings_core::Settings as _;

include!(concat!(env!("OUT_DIR"), "/scale.rs"));

/// One field of a by-hand struct: its key, whether it must be set, and its setters.
pub struct Field<P: 'static> {
    pub name: &'static str,
    pub required: bool,
    pub toml: fn(&mut P, &toml::Value) -> Result<(), &'static str>,
    pub env: fn(&mut P, &str) -> Result<(), &'static str>,
    pub dump: fn(&P) -> Value,
}

fn seven() -> u32 {
    7
}

/// The `APP_` variables of the scale scenarios (the rest of the environment is unrelated).
pub fn env() -> Vec<(String, String)> {
    vec![
        ("APP_F0000".into(), "42".into()),
        ("APP_F0001".into(), "from the environment".into()),
    ]
}

/// By hand: the file into a `toml::Table`, each key's setter found by binary search, the `APP_`
/// variables likewise, the required fields checked, the defaulted fields validated.
fn load_hand<P: Default>(
    file: &str,
    fields: &'static [Field<P>],
    validate: fn(&P) -> Result<(), String>,
) -> Result<P, String> {
    let find = |k: &str| fields.binary_search_by(|f| f.name.cmp(k)).ok();
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    let mut p = P::default();
    let mut seen = vec![false; fields.len()];
    for (k, v) in &table {
        let i = find(k).ok_or_else(|| format!("unknown key {k}"))?;
        (fields[i].toml)(&mut p, v).map_err(|e| format!("{k}: expected {e}"))?;
        seen[i] = true;
    }
    for (k, v) in std::env::vars_os() {
        let (Some(k), Some(v)) = (k.to_str(), v.to_str()) else {
            continue;
        };
        let Some(name) = k.strip_prefix("APP_") else {
            continue;
        };
        if let Some(i) = find(&name.to_ascii_lowercase()) {
            (fields[i].env)(&mut p, v).map_err(|e| format!("{k}: expected {e}"))?;
            seen[i] = true;
        }
    }
    if let Some(f) = fields.iter().zip(&seen).find(|(f, s)| f.required && !**s) {
        return Err(format!("{} is required", f.0.name));
    }
    validate(&p)?;
    Ok(p)
}

fn dump<P>(p: &P, fields: &[Field<P>]) -> String {
    let map: Map<String, Value> = fields
        .iter()
        .map(|f| (f.name.to_owned(), (f.dump)(p)))
        .collect();
    serde_json::to_string_pretty(&map).unwrap()
}

fn load_figment<S: serde::de::DeserializeOwned + serde::Serialize>(
    file: &str,
) -> Result<S, String> {
    figment::Figment::new()
        .merge(Toml::file_exact(file))
        .merge(Env::prefixed("APP_"))
        .extract()
        .map_err(|e| e.to_string())
}

/// The field counts of the scale scenarios.
pub const SIZES: [usize; 3] = [10, 100, 1000];

/// Who loads each size: figment only up to 100 fields (see `build.rs`).
pub fn contestants(n: usize) -> &'static [&'static str] {
    if n <= 100 {
        &["ours", "hand", "figment"]
    } else {
        &["ours", "hand"]
    }
}

macro_rules! ours_or_hand {
    ($m:ident, $who:expr, $dump:expr) => {{
        use $m::{Ours, Plain};
        let plain: Plain = match $who {
            "ours" => {
                let o = Ours::loader()
                    .file($m::FILE)
                    .load()
                    .map_err(|e| e.to_string())?;
                if !$dump {
                    drop(std::hint::black_box(o));
                    return Ok(None);
                }
                Plain::from(&o)
            }
            "hand" => load_hand($m::FILE, &$m::FIELDS, $m::validate)?,
            other => return Err(format!("no scale contestant {other:?}")),
        };
        Ok($dump.then(|| dump(&plain, &$m::FIELDS)))
    }};
}

macro_rules! with_figment {
    ($m:ident, $who:expr, $dump:expr) => {{
        if $who == "figment" {
            let s: $m::Serde = load_figment($m::FILE)?;
            $m::validate_serde(&s)?;
            if !$dump {
                drop(std::hint::black_box(s));
                return Ok(None);
            }
            let value = serde_json::to_value(&s).unwrap();
            return Ok(Some(serde_json::to_string_pretty(&value).unwrap()));
        }
        ours_or_hand!($m, $who, $dump)
    }};
}

/// One load of the `n`-field struct by `who`, as canonical JSON when `dump`, else dropped.
pub fn load(who: &str, n: usize, dump: bool) -> Result<Option<String>, String> {
    match n {
        10 => with_figment!(fields_10, who, dump),
        100 => with_figment!(fields_100, who, dump),
        1000 => ours_or_hand!(fields_1000, who, dump),
        other => Err(format!("no scale struct of {other} fields")),
    }
}
