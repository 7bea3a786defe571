//! The ready-made `config` command (`settings_core::cli`, cargo feature `cli`): each subcommand's
//! output and exit code, the `--set` / `--config` / `--profile` overrides, usage errors, and
//! secrets that never appear. The environment is given to the loader, never mutated.

use settings_core::cli::{self, clap};
use settings_core::{Format, Loader, Secret, Settings};
use std::process::ExitCode;

/// Settings of the test service.
#[derive(Settings, Debug)]
#[allow(dead_code)] // most fields are only looked at through the command's output
#[settings(env_prefix = "APP_")]
struct App {
    /// Port the HTTP server listens on.
    #[settings(default = 8000, range(min = 1, max = 65535))]
    port: u16,
    /// Name of the service.
    name: String,
    /// Main database.
    #[settings(nested)]
    db: Db,
    /// Key of the payment provider.
    api_key: Secret<String>,
    /// Host names the server answers to.
    #[settings(default = ["localhost"], len(min = 1))]
    hosts: Vec<String>,
    /// Release, as text.
    version: Option<String>,
    /// Verbose diagnostics.
    debug: Option<bool>,
}

/// The main database.
#[derive(Settings, Debug)]
#[allow(dead_code)] // looked at through the command's output
struct Db {
    /// Most connections kept open.
    #[settings(default = 10, range(min = 1, max = 100))]
    pool_size: u32,
    /// Database password (a flag all the same: `cli_flag`).
    #[settings(secret, cli_flag, len(min = 8))]
    password: String,
}

const API_KEY: &str = "k-SECRET-api-0451";
const PASSWORD: &str = "p-SECRET-db-0452";

/// A loader whose environment sets every required setting.
fn loader() -> Loader<App> {
    loader_with(&[])
}

/// A loader with the required settings plus these variables (later ones win).
fn loader_with(extra: &[(&str, &str)]) -> Loader<App> {
    let mut vars = vec![
        ("APP_NAME", "billing"),
        ("APP_API_KEY", API_KEY),
        ("APP_DB__PASSWORD", PASSWORD),
    ];
    vars.extend_from_slice(extra);
    App::loader().env_vars(vars)
}

/// Runs `app ARGS...` through `cli::run_args`: exit code, stdout, stderr.
fn run(loader: Loader<App>, args: &[&str]) -> (ExitCode, String, String) {
    let argv = std::iter::once("app").chain(args.iter().copied());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run_args(loader, argv, &mut out, &mut err).expect("a `config` command");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8 output");
    (code, text(out), text(err))
}

/// Asserts that no secret value appears in any of these texts.
fn assert_no_secret(texts: &[&str]) {
    for text in texts {
        for secret in [API_KEY, PASSWORD, "zq9x", "hunter2"] {
            assert!(!text.contains(secret), "{secret} leaked:\n{text}");
        }
    }
}

/// The row of a path in the `show` table, split into its columns.
fn row<'a>(table: &'a str, path: &str) -> Vec<&'a str> {
    let line = table
        .lines()
        .find(|l| l.split("  ").next() == Some(path))
        .unwrap_or_else(|| panic!("no row {path} in\n{table}"));
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn check_ok_counts_the_settings_and_exits_0() {
    let (code, out, err) = run(loader(), &["config", "check"]);
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(out, "ok: 8 settings loaded and valid\n");
    assert_eq!(err, "");
}

#[test]
fn check_lists_every_issue_and_exits_1() {
    let env = [
        ("APP_PORT", "0"),
        ("APP_DB__POOL_SIZE", "lots"),
        ("APP_DB__PASSWORD", "zq9x"),
    ];
    let loader = App::loader().env_vars(env);
    let (code, out, err) = run(loader, &["config", "check"]);
    assert_eq!(code, ExitCode::from(1));
    assert_eq!(out, "");
    let mut lines = err.lines();
    assert_eq!(lines.next(), Some("error: invalid settings, 5 problems:"));
    let issues: Vec<&str> = lines.collect();
    assert_eq!(issues.len(), 5, "{err}");
    for (path, origin) in [
        ("port", Some("(from env var APP_PORT)")),
        ("db.pool_size", Some("(from env var APP_DB__POOL_SIZE)")),
        ("db.password", Some("(from env var APP_DB__PASSWORD)")),
        ("api_key", None),
        ("name", None),
    ] {
        let line = issues
            .iter()
            .find(|l| l.starts_with(&format!("{path}: ")))
            .unwrap_or_else(|| panic!("no issue for {path} in\n{err}"));
        if let Some(origin) = origin {
            assert!(line.ends_with(origin), "{line}");
        }
    }
    assert!(
        err.contains("APP_API_KEY"),
        "the missing message names the variable:\n{err}"
    );
    assert_no_secret(&[&out, &err]);
}

#[test]
fn check_prints_warnings_without_failing() {
    let (code, out, err) = run(loader_with(&[("APP_PROT", "1")]), &["config", "check"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(out, "ok: 8 settings loaded and valid\n");
    assert!(err.starts_with("warning: APP_PROT"), "{err}");
    assert!(err.contains("did you mean APP_PORT?"), "{err}");
}

#[test]
fn show_prints_the_masked_report_table() {
    let (code, out, err) = run(loader_with(&[("APP_PORT", "9000")]), &["config", "show"]);
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(err, "");
    let mut lines = out.lines();
    assert_eq!(
        lines
            .next()
            .map(|l| l.split_whitespace().collect::<Vec<_>>()),
        Some(vec!["path", "value", "origin"])
    );
    assert_eq!(row(&out, "port"), ["port", "9000", "env var APP_PORT"]);
    assert_eq!(row(&out, "db.pool_size"), ["db.pool_size", "10", "default"]);
    assert_eq!(
        row(&out, "db.password"),
        ["db.password", "**********", "env var APP_DB__PASSWORD"]
    );
    assert_eq!(
        row(&out, "api_key"),
        ["api_key", "**********", "env var APP_API_KEY"]
    );
    assert_eq!(row(&out, "version")[2], "unset");
    assert_no_secret(&[&out]);
    // The table is the report's own Display.
    assert_eq!(
        out,
        loader_with(&[("APP_PORT", "9000")])
            .explain()
            .unwrap()
            .to_string()
    );
}

#[test]
fn show_json_is_the_serialized_report() {
    let (code, out, err) = run(loader(), &["config", "show", "--json"]);
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let expected = serde_json::to_value(loader().explain().unwrap()).unwrap();
    assert_eq!(json, expected);
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 8);
    let api_key = entries.iter().find(|e| e["path"] == "api_key").unwrap();
    assert_eq!(api_key["value"], "**********");
    assert_eq!(api_key["secret"], true);
    assert_no_secret(&[&out]);
}

#[test]
fn show_exits_1_with_the_issues_when_the_load_fails() {
    for args in [&["config", "show"][..], &["config", "show", "--json"]] {
        let loader = App::loader().env_vars([("APP_API_KEY", API_KEY)]);
        let (code, out, err) = run(loader, args);
        assert_eq!(code, ExitCode::from(1));
        assert_eq!(out, "");
        assert!(
            err.starts_with("error: invalid settings, 2 problems:\n"),
            "{err}"
        );
        assert!(err.contains("\nname: "), "{err}");
        assert!(err.contains("\ndb.password: "), "{err}");
        assert_no_secret(&[&err]);
    }
}

#[test]
fn template_prints_each_format() {
    let cases = [
        (&["config", "template"][..], Format::Toml),
        (&["config", "template", "--format", "toml"], Format::Toml),
        (&["config", "template", "--format", "yaml"], Format::Yaml),
        (&["config", "template", "--format=json"], Format::Json),
        (&["config", "template", "-f", "env"], Format::Env),
        (&["config", "template", "-f", "dotenv"], Format::Env),
        (
            &["config", "template", "--format", "markdown"],
            Format::Markdown,
        ),
        (&["config", "template", "--format", "md"], Format::Markdown),
    ];
    for (args, format) in cases {
        // Templates load nothing: an empty environment is fine.
        let (code, out, err) = run(App::loader().env_vars([("X", "")]), args);
        assert_eq!(code, ExitCode::SUCCESS, "{args:?}: {err}");
        assert_eq!(err, "");
        let mut expected = App::template(format);
        if !expected.ends_with('\n') {
            expected.push('\n');
        }
        assert_eq!(out, expected, "{args:?}");
    }
    let (_, toml, _) = run(loader(), &["config", "template"]);
    assert!(toml.contains("# env: APP_DB__POOL_SIZE\n"), "{toml}");
    assert!(toml.contains("name = \"<required: String>\"\n"), "{toml}");
    assert_no_secret(&[&toml]);
}

#[test]
fn schema_prints_pretty_json_schema() {
    let (code, out, err) = run(App::loader().env_vars([("X", "")]), &["config", "schema"]);
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert!(out.starts_with("{\n  \""), "pretty JSON:\n{out}");
    assert!(out.ends_with("}\n"));
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(schema, App::json_schema());
    assert_eq!(schema["properties"]["api_key"]["writeOnly"], true);
    assert_eq!(
        schema["properties"]["db"]["properties"]["pool_size"]["maximum"],
        100
    );
}

#[test]
fn set_overrides_every_source() {
    let env = [("APP_PORT", "9000"), ("APP_DB__POOL_SIZE", "5")];
    let args = [
        "config",
        "show",
        "--set",
        "port=9100",
        "--set",
        "db.pool_size=20",
        "--set",
        "name=x",
        "--set",
        "version=1.10",
        "--set",
        r#"hosts=["a.example","b.example"]"#,
        "--set",
        "debug=true",
    ];
    let (code, out, err) = run(loader_with(&env), &args);
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(row(&out, "port"), ["port", "9100", "override port"]);
    assert_eq!(
        row(&out, "db.pool_size"),
        ["db.pool_size", "20", "override db.pool_size"]
    );
    assert_eq!(row(&out, "name"), ["name", "x", "override name"]);
    // Text for a text setting: not the number 1.1.
    assert_eq!(
        row(&out, "version"),
        ["version", "1.10", "override version"]
    );
    assert_eq!(row(&out, "debug")[1..], ["true", "override debug"]);
    assert_eq!(
        row(&out, "hosts")[1..],
        [r#"["a.example", "b.example"]"#, "override hosts"]
    );

    // The same overrides reach the loaded value.
    let matches = cli::command()
        .try_get_matches_from(["config", "check", "--set", "hosts=a,b", "--set", "name=007"])
        .unwrap();
    let app = cli::apply(loader(), matches.subcommand().unwrap().1)
        .load()
        .unwrap();
    assert_eq!(app.hosts, ["a", "b"]);
    assert_eq!(app.name, "007");
}

#[test]
fn set_at_every_level_applies_outer_first() {
    let args = [
        "config",
        "--set",
        "port=1000",
        "--set",
        "name=outer",
        "check",
        "--set",
        "port=2000",
    ];
    let matches = cli::command().try_get_matches_from(args).unwrap();
    let app = cli::apply(
        cli::apply(loader(), &matches),
        matches.subcommand().unwrap().1,
    )
    .load()
    .unwrap();
    assert_eq!((app.port, app.name.as_str()), (2000, "outer"));

    let mut show = args;
    show[5] = "show";
    let (code, out, _) = run(loader(), &show);
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(row(&out, "port")[1], "2000");
    assert_eq!(row(&out, "name")[1], "outer");
}

#[test]
fn set_errors_are_load_issues() {
    let (code, out, err) = run(
        loader(),
        &[
            "config",
            "check",
            "--set",
            "db.pool_siz=3",
            "--set",
            "port=70000",
        ],
    );
    assert_eq!(code, ExitCode::from(1));
    assert_eq!(out, "");
    assert!(err.contains("did you mean `db.pool_size`?"), "{err}");
    assert!(err.contains("(from override db.pool_siz)"), "{err}");
    assert!(err.contains("\nport: "), "{err}");

    // A bad secret given with --set is not quoted either.
    let (code, _, err) = run(loader(), &["config", "check", "--set", "db.password=zq9x"]);
    assert_eq!(code, ExitCode::from(1));
    assert!(err.contains("db.password: "), "{err}");
    assert_no_secret(&[&err]);
}

#[test]
fn set_secret_stays_masked() {
    let (code, out, err) = run(
        loader(),
        &["config", "show", "--set", "api_key=hunter2", "--json"],
    );
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert!(out.contains("\"origin\": \"override api_key\""), "{out}");
    assert_no_secret(&[&out, &err]);
}

#[test]
fn config_adds_a_required_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("extra.toml");
    std::fs::write(&file, "port = 7000\n[db]\npool_size = 30\n").unwrap();
    let file = file.to_str().unwrap();

    let (code, out, err) = run(loader(), &["config", "show", "--config", file]);
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(row(&out, "port"), ["port", "7000", &format!("file {file}")]);
    assert_eq!(row(&out, "db.pool_size")[1], "30");

    // The environment is above files; --set is above both.
    let (_, out, _) = run(
        loader_with(&[("APP_PORT", "7100")]),
        &[
            "config",
            "show",
            "--config",
            file,
            "--set",
            "db.pool_size=40",
        ],
    );
    assert_eq!(row(&out, "port")[1], "7100");
    assert_eq!(row(&out, "db.pool_size")[1], "40");

    // Required: a missing file is a Source issue naming it.
    let missing = dir.path().join("missing.toml");
    let missing = missing.to_str().unwrap();
    let (code, _, err) = run(loader(), &["config", "check", "--config", missing]);
    assert_eq!(code, ExitCode::from(1));
    assert!(err.contains(missing), "{err}");
}

#[test]
fn config_files_merge_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.yaml");
    std::fs::write(&a, "port = 7001\nname = \"from-a\"\n").unwrap();
    std::fs::write(&b, "port: 7002\n").unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let loader = App::loader().env_vars([("APP_API_KEY", API_KEY), ("APP_DB__PASSWORD", PASSWORD)]);
    let (code, out, err) = run(loader, &["config", "--config", a, "show", "--config", b]);
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(row(&out, "port"), ["port", "7002", &format!("file {b}")]);
    assert_eq!(row(&out, "name"), ["name", "from-a", &format!("file {a}")]);
}

#[test]
fn profile_selects_the_section() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.toml");
    std::fs::write(&file, "[default]\nport = 8100\n[prod]\nport = 8200\n").unwrap();
    let file = file.to_str().unwrap();

    let (_, out, _) = run(loader(), &["config", "show", "--config", file]);
    assert_eq!(row(&out, "port")[1], "8100");
    let (code, out, err) = run(
        loader_with(&[("APP_PROFILE", "dev")]),
        &["config", "show", "--config", file, "--profile", "prod"],
    );
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(row(&out, "port")[1], "8200");

    // A profile no source mentions is a warning, not a failure.
    let (code, _, err) = run(loader(), &["config", "check", "--profile", "prdo"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(err.contains("warning: ") && err.contains("prdo"), "{err}");
}

#[test]
fn help_lists_the_subcommands_and_options() {
    let (code, out, err) = run(loader(), &["config", "--help"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(err, "");
    assert!(
        out.contains("Usage: app config [OPTIONS] <COMMAND>"),
        "{out}"
    );
    for word in [
        "check",
        "show",
        "template",
        "schema",
        "--set <KEY=VALUE>",
        "--config <FILE>",
        "--profile <NAME>",
    ] {
        assert!(out.contains(word), "{word} missing from\n{out}");
    }

    let (code, out, _) = run(loader(), &["config", "template", "--help"]);
    assert_eq!(code, ExitCode::SUCCESS);
    for format in ["toml", "yaml", "json", "env", "markdown"] {
        assert!(out.contains(format), "{format} missing from\n{out}");
    }

    // `config` alone shows the help, as a usage error.
    let (code, out, err) = run(loader(), &["config"]);
    assert_eq!(code, ExitCode::from(2));
    assert_eq!(out, "");
    assert!(err.contains("Commands:"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let cases: [(&[&str], &str); 5] = [
        (&["config", "lint"], "unrecognized subcommand 'lint'"),
        (&["config", "chek"], "'check'"),
        (
            &["config", "template", "--format", "xml"],
            "invalid value 'xml' for '--format <FORMAT>'",
        ),
        (
            &["config", "show", "--verbose"],
            "unexpected argument '--verbose'",
        ),
        (
            &["config", "check", "--set", "hunter2"],
            "'--set <KEY=VALUE>'",
        ),
    ];
    for (args, message) in cases {
        let (code, out, err) = run(loader(), args);
        assert_eq!(code, ExitCode::from(2), "{args:?}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert_no_secret(&[&err]);
    }
    // The same errors, straight from clap, for apps that parse themselves.
    let err = cli::command()
        .try_get_matches_from(["config", "template", "--format", "xml"])
        .unwrap_err();
    assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
    assert_eq!(err.exit_code(), 2);
    let err = cli::command()
        .try_get_matches_from(["config", "lint"])
        .unwrap_err();
    assert_eq!(err.kind(), clap::error::ErrorKind::InvalidSubcommand);
}

#[test]
fn run_args_ignores_other_commands() {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    for args in [
        &["app"][..],
        &["app", "serve"],
        &["app", "--config", "x.toml"],
        &[],
    ] {
        assert_eq!(
            cli::run_args(loader(), args, &mut out, &mut err),
            None,
            "{args:?}"
        );
    }
    assert!(out.is_empty() && err.is_empty());
}

#[test]
fn an_app_adds_config_to_its_own_command() {
    let app = clap::Command::new("billing")
        .args(cli::override_args())
        .subcommand(clap::Command::new("serve"))
        .subcommand(cli::command());

    // Options before `config` belong to the app's command and apply too.
    let matches = app
        .clone()
        .try_get_matches_from(["billing", "--set", "port=1234", "config", "show"])
        .unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run_with(loader(), &matches, &mut out, &mut err);
    assert_eq!(code, ExitCode::SUCCESS);
    let out = String::from_utf8(out).unwrap();
    assert_eq!(row(&out, "port"), ["port", "1234", "override port"]);

    // The normal start takes the same options.
    let matches = app
        .clone()
        .try_get_matches_from(["billing", "--set", "port=4321", "serve"])
        .unwrap();
    assert_eq!(matches.subcommand_name(), Some("serve"));
    let settings = cli::apply(loader(), &matches).load().unwrap();
    assert_eq!(settings.port, 4321);

    // Matches that hold no `config` subcommand are a caller's mistake: exit 2, said on stderr.
    let mut err = Vec::new();
    let code = cli::run_with(loader(), &matches, Vec::new(), &mut err);
    assert_eq!(code, ExitCode::from(2));
    assert!(
        String::from_utf8(err)
            .unwrap()
            .contains("no `config` subcommand")
    );

    // The command can be renamed.
    let app = clap::Command::new("billing").subcommand(cli::command().name("settings"));
    let matches = app
        .try_get_matches_from(["billing", "settings", "check"])
        .unwrap();
    let mut out = Vec::new();
    let code = cli::run_with(loader(), &matches, &mut out, Vec::new());
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(out, b"ok: 8 settings loaded and valid\n");
}

// Per-setting flags (`cli::settings_args`, `cli::command_for`): the flags `Loader::args` takes,
// on the `config` command too.

#[test]
fn config_takes_a_flag_per_setting_with_its_origin() {
    let (code, out, err) = run(
        loader_with(&[("APP_PORT", "7000")]),
        &[
            "config",
            "show",
            "--port",
            "9000",
            "--db.pool-size=20",
            "--debug",
            "--hosts",
            "a.example",
            "--hosts",
            "b.example",
        ],
    );
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(row(&out, "port"), ["port", "9000", "argument --port"]);
    assert_eq!(
        row(&out, "db.pool_size"),
        ["db.pool_size", "20", "argument --db.pool-size"]
    );
    assert_eq!(row(&out, "debug"), ["debug", "true", "argument --debug"]);
    assert_eq!(
        row(&out, "hosts"),
        ["hosts", r#"["a.example", "b.example"]"#, "argument --hosts"]
    );

    // `--no-debug`, and the `_` spelling of a nested flag.
    let (code, out, err) = run(
        loader_with(&[("APP_DEBUG", "true")]),
        &["config", "show", "--no-debug", "--db.pool_size", "30"],
    );
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(
        row(&out, "debug"),
        ["debug", "false", "argument --no-debug"]
    );
    assert_eq!(row(&out, "db.pool_size")[1], "30");
}

#[test]
fn setting_flags_sit_between_the_environment_and_set() {
    let (code, out, err) = run(
        loader_with(&[("APP_PORT", "7000")]),
        &["config", "show", "--port", "9000", "--set", "port=9100"],
    );
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(row(&out, "port"), ["port", "9100", "override port"]);

    // Flags at several levels: outer ones first, so the innermost value of a setting wins and
    // list items add up.
    let (code, out, err) = run(
        loader(),
        &[
            "config", "--port", "9001", "--hosts", "a", "show", "--port", "9002", "--hosts", "b",
        ],
    );
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(row(&out, "port")[1], "9002");
    assert_eq!(row(&out, "hosts")[1], r#"["a", "b"]"#);
}

#[test]
fn check_reports_an_invalid_flag_value_naming_the_flag() {
    let (code, out, err) = run(
        loader(),
        &["config", "check", "--port", "0", "--db.password", "short"],
    );
    assert_eq!(code, ExitCode::from(1));
    assert_eq!(out, "");
    assert!(
        err.contains("port: ") && err.contains("(from argument --port)"),
        "{err}"
    );
    // The secret's flag value is named by its flag, never quoted.
    assert!(err.contains("(from argument --db.password)"), "{err}");
    assert!(!err.contains("short"), "{err}");

    // A flag naming a nested table as a whole.
    let (code, _, err) = run(loader(), &["config", "check", "--db", "x"]);
    assert_eq!(code, ExitCode::from(1));
    assert!(
        err.contains("--db names a group of settings, not one value"),
        "{err}"
    );
    assert!(err.contains("--db.pool-size"), "{err}");
}

/// A secret takes no flag (arguments are visible to every user of the machine) unless marked
/// `cli_flag`; `--set` still reaches it. Either way its value is never shown.
#[test]
fn a_secret_takes_a_flag_only_when_marked_and_is_masked() {
    let (code, out, err) = run(
        loader(),
        &["config", "show", "--api-key", "zq9x-from-a-flag"],
    );
    assert_eq!(code, ExitCode::from(2), "{out}");
    assert!(err.contains("unexpected argument '--api-key'"), "{err}");
    assert_no_secret(&[&out, &err]);
    let help = cli_help();
    assert!(
        help.contains("--port") && !help.contains("--api-key"),
        "{help}"
    );

    let (code, out, err) = run(
        loader(),
        &["config", "show", "--set", "api_key=zq9x-from-set"],
    );
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(
        row(&out, "api_key"),
        ["api_key", "**********", "override api_key"]
    );
    assert_no_secret(&[&out, &err]);

    let (code, out, err) = run(
        loader(),
        &["config", "show", "--db.password", "zq9x-from-a-flag"],
    );
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert_eq!(
        row(&out, "db.password"),
        ["db.password", "**********", "argument --db.password"]
    );
    assert_no_secret(&[&out, &err]);
}

/// The help of `app config show`.
fn cli_help() -> String {
    let (_, out, _) = run(loader(), &["config", "show", "--help"]);
    out
}

#[test]
fn an_unknown_or_valueless_setting_flag_is_a_usage_error() {
    let (code, out, err) = run(loader(), &["config", "check", "--prot", "80"]);
    assert_eq!(code, ExitCode::from(2));
    assert_eq!(out, "");
    assert!(err.contains("unexpected argument '--prot'"), "{err}");
    assert!(err.contains("'--port'"), "{err}");

    let (code, _, err) = run(loader(), &["config", "check", "--port"]);
    assert_eq!(code, ExitCode::from(2));
    assert!(err.contains("'--port <VALUE>'"), "{err}");

    // Template and schema load nothing: they take no setting flags.
    let (code, _, err) = run(loader(), &["config", "template", "--port", "1"]);
    assert_eq!(code, ExitCode::from(2));
    assert!(err.contains("unexpected argument '--port'"), "{err}");
}

#[test]
fn help_of_check_lists_the_setting_flags_with_their_docs() {
    let (code, out, _) = run(loader(), &["config", "check", "--help"]);
    assert_eq!(code, ExitCode::SUCCESS);
    for line in [
        "--port <VALUE>",
        "Port the HTTP server listens on.",
        "--db.pool-size <VALUE>",
        "Most connections kept open.",
        "--debug",
        "--no-debug",
        "--set <KEY=VALUE>",
    ] {
        assert!(out.contains(line), "{line} missing from\n{out}");
    }
    // The hidden flag of a nested table is not shown.
    assert!(!out.contains("--db <"), "{out}");
}

/// A setting whose flag would be one of the command's own options.
#[derive(Settings, Debug)]
#[allow(dead_code)]
#[settings(env_prefix = "SVC_")]
struct Clashing {
    /// Named like `--profile`.
    #[settings(default = "standard")]
    profile: String,
    #[settings(default = false)]
    json: bool,
    #[settings(default = 1)]
    workers: u32,
}

#[test]
fn settings_named_like_the_commands_options_are_reached_through_set() {
    let loader = || Clashing::loader().env_vars([("X", "")]);
    let mut out = Vec::new();
    let code = cli::run_args(
        loader(),
        [
            "svc",
            "config",
            "show",
            "--json",
            "--workers",
            "4",
            "--set",
            "json=true",
            "--set",
            "profile=gold",
        ],
        &mut out,
        Vec::new(),
    );
    assert_eq!(code, Some(ExitCode::SUCCESS));
    let report: serde_json::Value = serde_json::from_slice(&out).expect("--json is the report's");
    let text = report.to_string();
    assert!(text.contains("\"argument --workers\""), "{text}");
    assert!(text.contains("\"override profile\""), "{text}");
    assert!(text.contains("\"override json\""), "{text}");
}

#[test]
fn an_apps_own_command_takes_the_setting_flags() {
    let app = clap::Command::new("billing")
        .subcommand(
            clap::Command::new("serve")
                .args(cli::override_args())
                .args(cli::settings_args::<App>()),
        )
        .subcommand(cli::command_for::<App>());
    let matches = app
        .clone()
        .try_get_matches_from(["billing", "serve", "--port", "4321", "--no-debug"])
        .unwrap();
    let Some(("serve", serve)) = matches.subcommand() else {
        panic!("serve")
    };
    let settings = cli::apply(loader(), serve).load().unwrap();
    assert_eq!(settings.port, 4321);
    assert_eq!(settings.debug, Some(false));

    // The same flags on `config`, through the app's matches.
    let matches = app
        .try_get_matches_from(["billing", "config", "check", "--port", "0"])
        .unwrap();
    let mut err = Vec::new();
    let code = cli::run_with(loader(), &matches, Vec::new(), &mut err);
    assert_eq!(code, ExitCode::from(1));
    assert!(String::from_utf8(err).unwrap().contains("argument --port"));
}
