//! Lists and maps of settings structs (API.md "Lists and maps of settings structs"): each
//! element loads like a nested struct, from files and from indexed environment variables.

use crate::{NO_ENV, write};
use settings_core::{IssueKind, Settings};
use std::collections::{BTreeMap, HashMap};

#[derive(Settings, Debug, PartialEq)]
struct Server {
    host: String,
    #[settings(default = 80, range(min = 1))]
    port: u16,
}

#[derive(Settings, Debug, PartialEq)]
struct Tenant {
    url: String,
    #[settings(default = false)]
    beta: bool,
}

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct S {
    #[settings(nested)]
    servers: Vec<Server>,
    #[settings(nested, default)]
    tenants: BTreeMap<String, Tenant>,
    #[settings(nested, default)]
    spares: HashMap<String, Server>,
}

fn server(host: &str, port: u16) -> Server {
    Server {
        host: host.into(),
        port,
    }
}

#[test]
fn elements_load_from_a_file_with_their_own_defaults_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "[[servers]]\nhost = \"a\"\n\n[[servers]]\nhost = \"b\"\nport = 8080\n\n\
         [tenants.acme]\nurl = \"https://acme\"\n\n[tenants.globex]\nurl = \"https://globex\"\nbeta = true\n",
    );
    let s = S::loader().env_vars(NO_ENV).file(&file).load().unwrap();
    assert_eq!(s.servers, [server("a", 80), server("b", 8080)]);
    assert_eq!(s.tenants.len(), 2);
    assert!(s.tenants["globex"].beta && !s.tenants["acme"].beta);
    assert!(s.spares.is_empty(), "a bare default is empty");

    let report = S::loader().env_vars(NO_ENV).file(&file).explain().unwrap();
    assert_eq!(report.get("servers.1.port").unwrap().value, "8080");
    assert_eq!(report.get("servers.0.port").unwrap().origin, "default");
    assert_eq!(
        report.get("tenants.acme.url").unwrap().value,
        "https://acme"
    );

    // Every problem names its element: a missing field, a broken check, an unknown key.
    let file = write(
        dir.path(),
        "bad.toml",
        "[[servers]]\nport = 0\n\n[[servers]]\nhost = \"b\"\nprot = 1\n",
    );
    let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
    let found: Vec<(&str, IssueKind)> = err
        .issues()
        .iter()
        .map(|i| (i.path.as_str(), i.kind))
        .collect();
    assert!(
        found.contains(&("servers.0.host", IssueKind::Missing)),
        "{err}"
    );
    assert!(
        found.contains(&("servers.0.port", IssueKind::Constraint)),
        "{err}"
    );
    assert!(
        found.contains(&("servers.1.prot", IssueKind::Unknown)),
        "{err}"
    );
    // A list no source sets, without a default, is missing.
    let err = S::loader().env_vars(NO_ENV).load().unwrap_err();
    assert_eq!(crate::only(&err).path, "servers");
    assert_eq!(crate::only(&err).kind, IssueKind::Missing);
}

#[test]
fn the_schema_describes_each_element_with_the_structs_schema() {
    let schema = S::json_schema();
    let servers = &schema["properties"]["servers"];
    assert_eq!(servers["type"], "array");
    assert_eq!(servers["items"]["properties"]["port"]["default"], 80);
    assert_eq!(servers["items"]["required"], serde_json::json!(["host"]));
    let tenants = &schema["properties"]["tenants"];
    assert_eq!(tenants["type"], "object");
    assert_eq!(
        tenants["additionalProperties"]["properties"]["url"]["type"],
        "string"
    );
    assert_eq!(schema["required"], serde_json::json!(["servers"]));
}
