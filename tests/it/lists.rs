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

/// Indexed variables: `APP_SERVERS__0__HOST` sets that element's field over what lower sources
/// give; the next index appends; a map's key is lower-cased; JSON for the whole list replaces
/// the lower one and indexed variables apply over it.
#[test]
fn indexed_variables_set_elements_over_lower_sources() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "[[servers]]\nhost = \"a\"\nport = 1\n\n[[servers]]\nhost = \"b\"\n",
    );
    let s = S::loader()
        .env_vars([
            ("APP_SERVERS__0__PORT", "8080"),
            ("APP_SERVERS__3__HOST", "d"),
            ("APP_SERVERS__2__HOST", "c"),
            ("APP_TENANTS__ACME__URL", "https://acme"),
            ("app_tenants__acme__beta", "yes"),
        ])
        .file(&file)
        .load()
        .unwrap();
    assert_eq!(
        s.servers,
        [
            server("a", 8080),
            server("b", 80),
            server("c", 80),
            server("d", 80)
        ]
    );
    assert_eq!(s.tenants["acme"].url, "https://acme");
    assert!(s.tenants["acme"].beta);

    // From the environment alone, and over a whole list given as JSON.
    let s = S::loader()
        .env_vars([
            (
                "APP_SERVERS",
                r#"[{"host": "x"}, {"host": "y", "port": 2}]"#,
            ),
            ("APP_SERVERS__1__PORT", "3"),
        ])
        .load()
        .unwrap();
    assert_eq!(s.servers, [server("x", 80), server("y", 3)]);

    let report = S::loader()
        .env_vars([("APP_SERVERS__0__HOST", "only")])
        .explain()
        .unwrap();
    assert_eq!(
        report.get("servers.0.host").unwrap().origin,
        "env var APP_SERVERS__0__HOST"
    );
    assert!(
        report.unknown_env().is_empty(),
        "{:?}",
        report.unknown_env()
    );
}

/// Every bad index is one issue naming the variable, nothing is allocated for a huge index, and
/// nothing panics.
#[test]
fn a_bad_index_is_one_clear_issue() {
    let cases: [(&str, &str); 4] = [
        (
            "APP_SERVERS__5__HOST",
            "index 5 leaves a gap: `servers` has 1 element here, so the next index is 1",
        ),
        ("APP_SERVERS__FIRST__HOST", "`FIRST` is not an index"),
        ("APP_SERVERS__99999999999999999999__HOST", "is not an index"),
        ("APP_SERVERS__99999999999__HOST", "leaves a gap"),
    ];
    for (var, says) in cases {
        let err = S::loader()
            .env_vars([("APP_SERVERS__0__HOST", "a"), (var, "x")])
            .load()
            .unwrap_err();
        let i = crate::only(&err);
        assert_eq!(i.kind, IssueKind::Invalid, "{var}: {err}");
        assert!(i.message.contains(says), "{var}: {}", i.message);
        assert_eq!(i.origin.as_deref(), Some(format!("env var {var}").as_str()));
    }
}

#[test]
fn an_element_that_is_not_a_table_is_named_by_its_index_or_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "servers = [{ host = \"a\" }, \"b\", { host = \"c\" }, 4]\n\n         [tenants]\nacme = 3\nglobex = { url = \"https://globex\" }\n",
    );
    let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
    let found: Vec<(&str, IssueKind, &str)> = err
        .issues()
        .iter()
        .map(|i| (i.path.as_str(), i.kind, i.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "servers.1",
                IssueKind::Invalid,
                "expected a table of settings, found a string"
            ),
            (
                "servers.3",
                IssueKind::Invalid,
                "expected a table of settings, found an integer"
            ),
            (
                "tenants.acme",
                IssueKind::Invalid,
                "expected a table of settings, found an integer"
            ),
        ],
        "{err}"
    );
    let origin = format!("file {}", file.display());
    assert!(
        err.issues()
            .iter()
            .all(|i| i.origin.as_deref() == Some(origin.as_str())),
        "{err}"
    );
}

#[test]
fn a_misspelt_element_variable_is_reported_with_the_name_it_meant() {
    let report = S::loader()
        .env_vars([
            ("APP_SERVERS__0__HOST", "a"),
            ("APP_SERVRES__1__HOST", "b"),
            ("APP_SERVERS__0__PROT", "1"),
        ])
        .explain()
        .unwrap();
    let warnings = report.warnings().join("\n");
    assert!(
        warnings.contains("APP_SERVRES__1__HOST carries the prefix but sets no setting; did you mean APP_SERVERS__1__HOST?"),
        "{warnings}"
    );
    assert!(
        warnings.contains("APP_SERVERS__0__PROT carries the prefix but sets no setting; did you mean APP_SERVERS__0__PORT?"),
        "{warnings}"
    );
}

/// Lists and maps of values take indexed variables too: `APP_HOSTS__1`, `APP_LABELS__TEAM`.
#[test]
fn indexed_variables_set_items_of_lists_and_maps_of_values() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct V {
        #[settings(default)]
        hosts: Vec<String>,
        #[settings(default)]
        ports: Vec<u16>,
        #[settings(default)]
        labels: HashMap<String, String>,
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "v.toml",
        "hosts = [\"a\", \"b\"]\n[labels]\nteam = \"x\"\n",
    );
    let v = V::loader()
        .env_vars([
            ("APP_HOSTS__1", "B"),
            ("APP_HOSTS__2", "c"),
            ("APP_PORTS", "80,443"),
            ("APP_PORTS__1", "8443"),
            ("APP_LABELS__TEAM", "core"),
            ("APP_LABELS__Tier", "gold"),
        ])
        .file(&file)
        .load()
        .unwrap();
    assert_eq!(v.hosts, ["a", "B", "c"]);
    assert_eq!(v.ports, [80, 8443]);
    assert_eq!(v.labels["team"], "core");
    assert_eq!(
        v.labels["tier"], "gold",
        "a key from a variable's name is lower-cased"
    );
    let err = V::loader()
        .env_vars([("APP_HOSTS__3", "d")])
        .load()
        .unwrap_err();
    assert!(crate::only(&err).message.contains("leaves a gap"), "{err}");
}

mod roundtrip {
    use super::{S, Server};
    use proptest::prelude::*;
    use settings_core::Settings;

    fn servers() -> impl Strategy<Value = Vec<(String, u16)>> {
        prop::collection::vec(("[a-z][a-z0-9.-]{0,12}", 1u16..), 0..6)
    }

    proptest! {
        /// A list written to the environment by index, in any order, reads back as the list;
        /// a map written by key reads back as the map.
        #[test]
        fn a_list_written_by_index_reads_back_equal(
            list in servers(),
            order in any::<prop::sample::Index>(),
            tenants in prop::collection::btree_map("[a-z]{1,8}", "[a-z]{1,8}", 0..5),
        ) {
            let mut vars: Vec<(String, String)> = Vec::new();
            for (i, (host, port)) in list.iter().enumerate() {
                vars.push((format!("APP_SERVERS__{i}__HOST"), host.clone()));
                vars.push((format!("APP_SERVERS__{i}__PORT"), port.to_string()));
            }
            for (key, url) in &tenants {
                vars.push((format!("APP_TENANTS__{}__URL", key.to_uppercase()), url.clone()));
            }
            if !vars.is_empty() {
                let at = order.index(vars.len());
                vars.rotate_left(at);
            }
            if list.is_empty() {
                vars.push(("APP_SERVERS".into(), "[]".into()));
            }
            let s = S::loader().env_vars(vars).load().unwrap();
            let expected: Vec<Server> = list
                .iter()
                .map(|(host, port)| Server { host: host.clone(), port: *port })
                .collect();
            prop_assert_eq!(s.servers, expected);
            let got: Vec<(String, String)> =
                s.tenants.into_iter().map(|(k, t)| (k, t.url)).collect();
            let want: Vec<(String, String)> = tenants.into_iter().collect();
            prop_assert_eq!(got, want);
        }
    }
}

/// `.set` paths name elements by index or key, as indexed variables do.
#[test]
fn set_paths_reach_into_elements() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "[[servers]]\nhost = \"a\"\n");
    let report = S::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .set("servers.0.port", 9000)
        .set("servers.1.host", "b")
        .set("tenants.acme.url", "https://acme")
        .explain()
        .unwrap();
    assert_eq!(report.get("servers.0.host").unwrap().value, "a");
    assert_eq!(report.get("servers.0.port").unwrap().value, "9000");
    assert_eq!(
        report.get("servers.0.port").unwrap().origin,
        "override servers.0.port"
    );
    assert_eq!(report.get("servers.1.host").unwrap().value, "b");
    assert_eq!(
        report.get("tenants.acme.url").unwrap().value,
        "https://acme"
    );
    let err = S::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .set("servers.4.host", "x")
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.path, "servers.4.host");
    assert!(i.message.contains("leaves a gap"), "{}", i.message);
}

/// A required list or map of structs shows one element to fill in, in every format; the JSON
/// Schema accepts the element's shape.
#[test]
fn templates_show_one_example_element() {
    let toml = S::template(settings_core::Format::Toml);
    assert!(
        toml.contains("servers = [{ host = \"<required: String>\", port = 80 }]"),
        "{toml}"
    );
    let env = S::template(settings_core::Format::Env);
    assert!(
        env.contains(r#"APP_SERVERS="[{\"host\":\"<required: String>\",\"port\":80}]""#),
        "{env}"
    );
    // A placeholder left in is refused, naming the element's field.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "t.toml", toml);
    let err = S::loader().env_vars(NO_ENV).file(&file).load().unwrap_err();
    assert!(
        err.issues().iter().any(|i| i.path == "servers.0.host"),
        "{err}"
    );
}

/// An empty key or index, and an element's `_FILE` variable.
#[test]
fn empty_keys_are_refused_and_element_variables_take_file_forms() {
    let err = S::loader()
        .env_vars([("APP_SERVERS__0__HOST", "a"), ("APP_TENANTS____URL", "x")])
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!(i.kind, IssueKind::Invalid);
    assert!(i.message.contains("the key is empty"), "{}", i.message);
    assert_eq!(i.origin.as_deref(), Some("env var APP_TENANTS____URL"));

    let dir = tempfile::tempdir().unwrap();
    let host = write(dir.path(), "host", "from-file\n");
    let s = S::loader()
        .env_vars([("APP_SERVERS__0__HOST_FILE", host.to_str().unwrap())])
        .load()
        .unwrap();
    assert_eq!(s.servers, [server("from-file", 80)]);
}

/// `len` on a list or map of structs counts its elements.
#[test]
fn len_counts_the_elements() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct L {
        #[settings(nested, len(min = 1, max = 2))]
        servers: Vec<Server>,
        #[settings(nested, default, len(max = 1))]
        tenants: BTreeMap<String, Tenant>,
    }
    let ok = L::loader()
        .env_vars([("APP_SERVERS__0__HOST", "a")])
        .load()
        .unwrap();
    assert_eq!(ok.servers.len(), 1);
    let err = L::loader()
        .env_vars([
            ("APP_SERVERS", "[]"),
            ("APP_TENANTS__A__URL", "x"),
            ("APP_TENANTS__B__URL", "y"),
        ])
        .load()
        .unwrap_err();
    let found: Vec<(&str, IssueKind)> = err
        .issues()
        .iter()
        .map(|i| (i.path.as_str(), i.kind))
        .collect();
    assert_eq!(
        found,
        [
            ("servers", IssueKind::Constraint),
            ("tenants", IssueKind::Constraint)
        ],
        "{err}"
    );
    assert!(
        err.issues()[0]
            .message
            .contains("from 1 to 2 items, found 0"),
        "{err}"
    );
    assert!(err.issues()[1].message.contains("at most 1 entry"), "{err}");
    let schema = L::json_schema();
    assert_eq!(schema["properties"]["servers"]["minItems"], 1);
    assert_eq!(schema["properties"]["servers"]["maxItems"], 2);
    assert_eq!(schema["properties"]["tenants"]["maxProperties"], 1);
}

/// Arguments name elements by path: `--servers.0.host`, `--tenants.acme.url`, over a file's
/// elements, and a bad one is one clear issue naming the flag.
#[test]
fn arguments_set_elements_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "app.toml", "[[servers]]\nhost = \"a\"\n");
    let report = S::loader()
        .env_vars(NO_ENV)
        .file(&file)
        .args([
            "--servers.0.port=9000",
            "--servers.1.host",
            "b",
            "--tenants.acme.url",
            "https://acme",
            "--tenants.acme.beta",
        ])
        .explain()
        .unwrap();
    assert_eq!(report.get("servers.0.host").unwrap().value, "a");
    assert_eq!(report.get("servers.0.port").unwrap().value, "9000");
    assert_eq!(
        report.get("servers.0.port").unwrap().origin,
        "argument --servers.0.port"
    );
    assert_eq!(report.get("servers.1.host").unwrap().value, "b");
    assert_eq!(report.get("tenants.acme.beta").unwrap().value, "true");
    let s = S::loader()
        .env_vars([("APP_SERVERS__0__HOST", "env")])
        .args([
            "--servers.0.host=arg",
            "--no-tenants.x.beta",
            "--tenants.x.url=u",
        ])
        .load()
        .unwrap();
    assert_eq!(
        s.servers,
        [server("arg", 80)],
        "arguments beat the environment"
    );
    assert!(!s.tenants["x"].beta);

    // A gap, a flag without its value, a misspelt element field.
    let err = S::loader()
        .env_vars(NO_ENV)
        .args(["--servers.3.host=x", "--servers.0.port"])
        .load()
        .unwrap_err();
    let gap = err
        .issues()
        .iter()
        .find(|i| i.path == "servers.3.host")
        .unwrap_or_else(|| panic!("{err}"));
    assert!(gap.message.contains("leaves a gap"), "{}", gap.message);
    assert_eq!(gap.origin.as_deref(), Some("argument --servers.3.host"));
    assert!(
        err.issues().iter().any(|i| i
            .message
            .contains("the argument --servers.0.port needs a value")),
        "{err}"
    );
    let err = S::loader()
        .env_vars(NO_ENV)
        .args(["--servers.0.hots=x"])
        .load()
        .unwrap_err();
    assert!(
        err.issues()
            .iter()
            .any(|i| i.kind == IssueKind::Unknown && i.message.contains("--servers.0.hots")),
        "{err}"
    );
}

/// `${servers.0.host}` reads an element's field, its default included; an element that does
/// not exist is unset (the fallback applies).
#[test]
fn references_reach_into_elements() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct R {
        #[settings(nested)]
        servers: Vec<Server>,
        primary: String,
        #[settings(default = "${servers.5.host:-none}")]
        sixth: String,
        #[settings(default = "${hosts.1}")]
        second_host: String,
        #[settings(default)]
        hosts: Vec<String>,
    }
    let s = R::loader()
        .env_vars([
            ("APP_SERVERS__0__HOST", "a"),
            ("APP_PRIMARY", "${servers.0.host}:${servers.0.port}"),
            ("APP_HOSTS", "x,y"),
        ])
        .load()
        .unwrap();
    assert_eq!(s.primary, "a:80");
    assert_eq!(s.sixth, "none");
    assert_eq!(s.second_host, "y");
    let err = R::loader()
        .env_vars([
            ("APP_SERVERS__0__HOST", "a"),
            ("APP_PRIMARY", "${servers.1.host}"),
        ])
        .load()
        .unwrap_err();
    let i = err.issues().iter().find(|i| i.path == "primary").unwrap();
    assert!(i.message.contains("${servers.1.host}"), "{}", i.message);
}

/// A secrets directory's entries set elements too, with or without the prefix.
#[test]
fn secrets_directory_entries_set_elements() {
    #[derive(Settings, Debug)]
    struct Upstream {
        host: String,
        #[settings(secret)]
        token: settings_core::Secret<String>,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct U {
        #[settings(nested)]
        upstreams: Vec<Upstream>,
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "upstreams__0__token", "t0\n");
    write(dir.path(), "APP_UPSTREAMS__1__TOKEN", "t1\n");
    let report = U::loader()
        .env_vars([
            ("APP_UPSTREAMS__0__HOST", "a"),
            ("APP_UPSTREAMS__1__HOST", "b"),
        ])
        .secrets_dir(dir.path())
        .explain()
        .unwrap();
    assert_eq!(
        report.get("upstreams.0.token").unwrap().origin,
        "secrets dir file upstreams__0__token"
    );
    assert_eq!(report.get("upstreams.1.token").unwrap().value, "**********");
    let u = U::loader()
        .env_vars([
            ("APP_UPSTREAMS__0__HOST", "a"),
            ("APP_UPSTREAMS__1__HOST", "b"),
        ])
        .secrets_dir(dir.path())
        .load()
        .unwrap();
    assert_eq!(u.upstreams[1].token.expose_secret(), "t1");
    assert!(!format!("{report}").contains("t0"));
}

/// A list or map of structs with a default shows what one element looks like, in a comment.
#[test]
fn templates_show_an_element_of_a_defaulted_collection_in_a_comment() {
    let toml = S::template(settings_core::Format::Toml);
    assert!(
        toml.contains(
            "# with one element: { \"<key>\" = { beta = false, url = \"<required: String>\" } }\n#tenants = {}"
        ),
        "{toml}"
    );
    let yaml = S::template(settings_core::Format::Yaml);
    assert!(yaml.contains("# with one element:"), "{yaml}");
}

/// A map key from a variable name that is not UTF-8 is one issue naming the variable.
#[test]
fn a_map_key_that_is_not_utf8_is_an_issue() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    let err = S::loader()
        .env_vars([
            (OsString::from("APP_SERVERS__0__HOST"), OsString::from("a")),
            (
                OsString::from_vec(b"APP_TENANTS__\xff__URL".to_vec()),
                OsString::from("u"),
            ),
        ])
        .load()
        .unwrap_err();
    let i = crate::only(&err);
    assert_eq!((i.path.as_str(), i.kind), ("tenants", IssueKind::Invalid));
    assert_eq!(
        i.origin.as_deref(),
        Some("env var APP_TENANTS__\u{fffd}__URL")
    );
    assert!(i.message.contains("not valid UTF-8"), "{}", i.message);
}
