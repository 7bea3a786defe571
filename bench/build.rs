//! Generates the scale structs (10, 100 and 1,000 flat fields) and their config files into
//! `OUT_DIR`: for each size, a `#[derive(Settings)]` struct (ours), the same struct as a plain Rust
//! struct with a table of per-field setters (hand), a serde-derived copy for figment (10 and 100
//! fields only: see below), and `scale_N.toml`.
//!
//! Fields cycle through four kinds: `u64`, `String`, `bool`, and a `u32` with a default of 7 and a
//! range 1..=100 that the file leaves out (so a quarter of the fields take their default and are
//! validated).
//!
//! Why hand is table-driven and figment stops at 100 fields: a `#[derive(Deserialize)]` struct
//! deserialized by `toml::from_str` (or figment) compiles in time roughly cubic in its fields at
//! opt-level 3 (on this machine: 100 fields 5 s, 300 fields 52 s, 600 fields 392 s; 1,000 did not
//! finish in 15 minutes). A `match` on 1,000 strings would also be a linear chain of comparisons.
//! So the by-hand loader parses the file into a `toml::Table` and finds each key's setter by
//! binary search in a sorted table: linear to compile and O(log n) per key.

use std::fmt::Write as _;
use std::path::Path;

const SIZES: [usize; 3] = [10, 100, 1000];
/// Sizes that also get a serde-derived struct for figment.
const SERDE_SIZES: [usize; 2] = [10, 100];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let out = std::env::var("OUT_DIR").unwrap();
    let mut rs = String::new();
    for n in SIZES {
        std::fs::write(
            Path::new(&out).join(format!("scale_{n}.toml")),
            toml_text(n),
        )
        .unwrap();
        rs.push_str(&module(n));
    }
    std::fs::write(Path::new(&out).join("scale.rs"), rs).unwrap();
}

fn name(i: usize) -> String {
    format!("f{i:04}")
}

fn toml_text(n: usize) -> String {
    let mut t = String::new();
    for i in 0..n {
        match i % 4 {
            0 => writeln!(t, "{} = {}", name(i), i * 1000 + 1),
            1 => writeln!(t, "{} = \"value of field {i}\"", name(i)),
            2 => writeln!(t, "{} = {}", name(i), i % 3 == 0),
            _ => Ok(()),
        }
        .unwrap();
    }
    t
}

fn module(n: usize) -> String {
    let mut ours = String::new();
    let mut plain = String::new();
    let mut serde = String::new();
    let mut defaults = String::new();
    let mut convert = String::new();
    let mut setters = String::new();
    let mut table = String::new();
    let mut checks = String::new();
    for i in 0..n {
        let f = name(i);
        let (ty, default, from_toml, from_env, dump) = match i % 4 {
            0 => (
                "u64",
                "0",
                "v.as_integer().and_then(|i| u64::try_from(i).ok()).ok_or(\"an integer\")?",
                "v.parse().map_err(|_| \"an integer\")?",
                "p.{f}.into()",
            ),
            1 => (
                "String",
                "String::new()",
                "v.as_str().ok_or(\"a string\")?.to_owned()",
                "v.to_owned()",
                "p.{f}.clone().into()",
            ),
            2 => (
                "bool",
                "false",
                "v.as_bool().ok_or(\"a bool\")?",
                "v.parse().map_err(|_| \"a bool\")?",
                "p.{f}.into()",
            ),
            _ => (
                "u32",
                "7",
                "v.as_integer().and_then(|i| u32::try_from(i).ok()).ok_or(\"an integer\")?",
                "v.parse().map_err(|_| \"an integer\")?",
                "p.{f}.into()",
            ),
        };
        let required = i % 4 != 3;
        if required {
            writeln!(ours, "    pub {f}: {ty},").unwrap();
            writeln!(serde, "    pub {f}: {ty},").unwrap();
        } else {
            writeln!(
                ours,
                "    #[settings(default = 7, range(min = 1, max = 100))]\n    pub {f}: {ty},"
            )
            .unwrap();
            writeln!(
                serde,
                "    #[serde(default = \"super::seven\")]\n    pub {f}: {ty},"
            )
            .unwrap();
            writeln!(
                checks,
                "    if !(1..=100).contains(&p.{f}) {{ return Err(\"{f} must be in 1..=100\".into()); }}"
            )
            .unwrap();
        }
        writeln!(plain, "    pub {f}: {ty},").unwrap();
        writeln!(defaults, "            {f}: {default},").unwrap();
        let clone = if ty == "String" { ".clone()" } else { "" };
        writeln!(convert, "            {f}: o.{f}{clone},").unwrap();
        let dump = dump.replace("{f}", &f);
        writeln!(
            setters,
            "fn toml_{f}(p: &mut Plain, v: &toml::Value) -> Result<(), &'static str> {{ p.{f} = {from_toml}; Ok(()) }}\n\
             fn env_{f}(p: &mut Plain, v: &str) -> Result<(), &'static str> {{ p.{f} = {from_env}; Ok(()) }}\n\
             fn dump_{f}(p: &Plain) -> serde_json::Value {{ {dump} }}"
        )
        .unwrap();
        writeln!(
            table,
            "    Field {{ name: \"{f}\", required: {required}, toml: toml_{f}, env: env_{f}, dump: dump_{f} }},"
        )
        .unwrap();
    }
    let serde_struct = if SERDE_SIZES.contains(&n) {
        format!(
            "/// Loaded by figment.\n#[derive(serde::Deserialize, serde::Serialize, Debug)]\npub struct Serde {{\n{serde}}}\n\n\
             /// The validations, on the figment form.\npub fn validate_serde(p: &Serde) -> Result<(), String> {{\n{checks}    Ok(())\n}}\n"
        )
    } else {
        String::new()
    };
    format!(
        r#"
/// The generated struct of {n} fields.
pub mod fields_{n} {{
use super::Field;
use settings_core::Settings;

/// Its config file.
pub const FILE: &str = concat!(env!("OUT_DIR"), "/scale_{n}.toml");

/// Loaded by this project.
#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
pub struct Ours {{
{ours}}}

{serde_struct}
/// Loaded by hand.
#[derive(Debug)]
pub struct Plain {{
{plain}}}

impl Default for Plain {{
    fn default() -> Self {{
        Plain {{
{defaults}        }}
    }}
}}

impl From<&Ours> for Plain {{
    fn from(o: &Ours) -> Self {{
        Plain {{
{convert}        }}
    }}
}}

{setters}
/// The fields, sorted by name, with their setters.
pub static FIELDS: [Field<Plain>; {n}] = [
{table}];

/// The validations (the defaulted fields' ranges).
pub fn validate(p: &Plain) -> Result<(), String> {{
{checks}    Ok(())
}}
}}
"#
    )
}
