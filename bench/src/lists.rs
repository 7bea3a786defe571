//! A list of N settings structs (`[[servers]]` tables, N = 10, 100, 1,000), loaded by this
//! project and by hand, to show how a load grows with the elements of a list: each element has
//! its own defaults and range checks, and one indexed variable sets a field of element 0.

#![allow(missing_docs)]

use serde::{Deserialize, Serialize};
use settings_core::Settings;
use std::path::PathBuf;

/// The sizes of the list scenarios.
pub const SIZES: [usize; 3] = [10, 100, 1000];

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
pub struct Fleet {
    #[settings(nested)]
    pub servers: Vec<Server>,
}

#[derive(Settings, Debug)]
pub struct Server {
    pub host: String,
    #[settings(default = 80, range(min = 1, max = 65535))]
    pub port: u16,
    #[settings(default = 1, range(min = 1, max = 100))]
    pub weight: u32,
}

/// The by-hand form: serde defaults, checked after.
#[derive(Debug, Deserialize, Serialize, PartialEq)]
pub struct HandFleet {
    pub servers: Vec<HandServer>,
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
pub struct HandServer {
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    #[serde(default = "default_weight")]
    pub weight: u32,
}

fn default_port() -> u16 {
    80
}
fn default_weight() -> u32 {
    1
}

/// The `APP_` variables of the list scenarios: element 0's host.
pub fn env() -> Vec<(String, String)> {
    vec![("APP_SERVERS__0__HOST".into(), "from-the-environment".into())]
}

/// The file of `n` servers (every other one sets its port), written once per process.
pub fn file(n: usize) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "settings-bench-list-{}-{n}.toml",
        std::process::id()
    ));
    if !path.exists() {
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!("[[servers]]\nhost = \"server-{i}.internal\"\n"));
            if i % 2 == 1 {
                text.push_str(&format!("port = {}\n", 8000 + i % 1000));
            }
        }
        std::fs::write(&path, text).expect("the list file");
    }
    path
}

/// By hand: `toml::from_str`, the indexed variables of the environment overlaid, every element
/// checked.
fn load_hand(n: usize) -> Result<HandFleet, String> {
    let text = std::fs::read_to_string(file(n)).map_err(|e| e.to_string())?;
    let mut fleet: HandFleet = toml::from_str(&text).map_err(|e| e.to_string())?;
    for (k, v) in std::env::vars_os() {
        let (Some(k), Some(v)) = (k.to_str(), v.to_str()) else {
            continue;
        };
        let Some(rest) = k.strip_prefix("APP_SERVERS__") else {
            continue;
        };
        let Some((index, field)) = rest.split_once("__") else {
            continue;
        };
        let index: usize = index.parse().map_err(|_| format!("{k}: not an index"))?;
        let server = fleet
            .servers
            .get_mut(index)
            .ok_or_else(|| format!("{k}: no such element"))?;
        match field {
            "HOST" => server.host = v.to_owned(),
            "PORT" => server.port = v.parse().map_err(|_| format!("{k}: not a port"))?,
            "WEIGHT" => server.weight = v.parse().map_err(|_| format!("{k}: not a weight"))?,
            _ => {}
        }
    }
    for (i, s) in fleet.servers.iter().enumerate() {
        if s.port == 0 {
            return Err(format!("servers.{i}.port must be at least 1"));
        }
        if !(1..=100).contains(&s.weight) {
            return Err(format!("servers.{i}.weight must be 1 to 100"));
        }
    }
    Ok(fleet)
}

fn load_ours(n: usize) -> Result<Fleet, String> {
    Fleet::loader()
        .file(file(n))
        .load()
        .map_err(|e| e.to_string())
}

/// One load of the list of `n` by `who` (`ours`, `hand`), as JSON when `dump`, else dropped.
pub fn load(who: &str, n: usize, dump: bool) -> Result<Option<String>, String> {
    let fleet = match who {
        "ours" => {
            let o = load_ours(n)?;
            if !dump {
                drop(std::hint::black_box(o));
                return Ok(None);
            }
            HandFleet {
                servers: o
                    .servers
                    .iter()
                    .map(|s| HandServer {
                        host: s.host.clone(),
                        port: s.port,
                        weight: s.weight,
                    })
                    .collect(),
            }
        }
        "hand" => {
            let h = load_hand(n)?;
            if !dump {
                drop(std::hint::black_box(h));
                return Ok(None);
            }
            h
        }
        other => return Err(format!("no list contestant {other:?}")),
    };
    Ok(Some(serde_json::to_string(&fleet).unwrap()))
}
