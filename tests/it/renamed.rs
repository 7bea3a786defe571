//! Renamed and deprecated settings: `alias`, `renamed_from`, `deprecated` (API.md "Renamed and
//! deprecated settings"): other names keep working at their source's precedence, old ones and
//! deprecated settings are warnings in the report and on every load, never errors.

use crate::{NO_ENV, write};
use settings_core::Settings;
use settings_core::cli::clap;

#[derive(Settings, Debug)]
struct Db {
    /// The database's address.
    #[settings(alias = "address", renamed_from = "db_url")]
    url: String,
    #[settings(default = 5, renamed_from = "pool")]
    pool_size: u32,
}

#[derive(Settings, Debug)]
#[settings(env_prefix = "APP_")]
struct S {
    #[settings(nested)]
    db: Db,
    #[settings(default = 1, alias = "threads")]
    workers: u32,
    #[settings(
        default = "info",
        deprecated = "use `log_filter`, which takes a full filter"
    )]
    log_level: String,
}

#[test]
fn an_alias_is_another_key_and_variable_read_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "app.toml",
        "threads = 4\n[db]\naddress = \"postgres://a\"\n",
    );
    let report = S::loader().env_vars(NO_ENV).file(&file).explain().unwrap();
    assert_eq!(report.get("workers").unwrap().value, "4");
    assert_eq!(report.get("db.url").unwrap().value, "postgres://a");
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
    // From the environment: the alias's variable, beside the field's own.
    let s = S::loader()
        .env_vars([("APP_THREADS", "6"), ("APP_DB__URL", "u")])
        .load()
        .unwrap();
    assert_eq!(s.workers, 6);
    // The current name wins over the alias in one source, and `.set` takes the alias's path.
    let s = S::loader()
        .env_vars([
            ("APP_THREADS", "6"),
            ("APP_WORKERS", "7"),
            ("APP_DB__URL", "u"),
        ])
        .set("threads", 9)
        .load()
        .unwrap();
    assert_eq!(s.workers, 9);
    let s = S::loader()
        .env_vars([
            ("APP_THREADS", "6"),
            ("APP_WORKERS", "7"),
            ("APP_DB__URL", "u"),
        ])
        .load()
        .unwrap();
    assert_eq!(s.workers, 7);
}

#[test]
fn an_old_name_still_works_at_its_sources_precedence_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    // The old root key `db_url` in a file, the old `APP_POOL` in the environment.
    let file = write(dir.path(), "app.toml", "db_url = \"postgres://old\"\n");
    let report = S::loader()
        .env_vars([("APP_POOL", "12")])
        .file(&file)
        .explain()
        .unwrap();
    assert_eq!(report.get("db.url").unwrap().value, "postgres://old");
    assert_eq!(report.get("db.pool_size").unwrap().value, "12");
    assert_eq!(
        report.get("db.pool_size").unwrap().origin,
        "env var APP_POOL"
    );
    let warnings = report.warnings().join("\n");
    assert!(
        warnings.contains(&format!(
            "`db_url` in file {} is the old name of `db.url`: rename it",
            file.display()
        )),
        "{warnings}"
    );
    assert!(
        warnings.contains("APP_POOL is the old name of APP_DB__POOL_SIZE: rename it"),
        "{warnings}"
    );

    // Across sources the usual order decides: the environment's old name beats the file's
    // current one; within one source the current name wins and both are named.
    let file = write(
        dir.path(),
        "both.toml",
        "db_url = \"old\"\n[db]\nurl = \"new\"\npool_size = 3\n",
    );
    let report = S::loader()
        .env_vars([("APP_POOL", "12"), ("APP_DB__POOL_SIZE", "13")])
        .file(&file)
        .explain()
        .unwrap();
    assert_eq!(report.get("db.url").unwrap().value, "new");
    assert_eq!(report.get("db.pool_size").unwrap().value, "13");
    let warnings = report.warnings().join("\n");
    assert!(
        warnings.contains("`db_url` and `db.url` are both set in file"),
        "{warnings}"
    );
    assert!(
        warnings.contains("APP_POOL and APP_DB__POOL_SIZE are both set: APP_DB__POOL_SIZE is used"),
        "{warnings}"
    );
    let s = S::loader()
        .env_vars([("APP_POOL", "12")])
        .file(&file)
        .load()
        .unwrap();
    assert_eq!(
        s.db.pool_size, 12,
        "the environment's old name beats the file"
    );

    // `.set` with an old path.
    let report = S::loader()
        .env_vars([("APP_DB__URL", "u")])
        .set("pool", 30)
        .explain()
        .unwrap();
    assert_eq!(report.get("db.pool_size").unwrap().value, "30");
    assert!(
        report
            .warnings()
            .iter()
            .any(|w| w.contains("`.set(\"pool\")` uses the old name"))
    );
}

#[test]
fn a_deprecated_setting_warns_when_a_source_sets_it_and_templates_say_so() {
    let report = S::loader()
        .env_vars([("APP_DB__URL", "u")])
        .explain()
        .unwrap();
    assert!(
        report.warnings().is_empty(),
        "a default is not a source: {:?}",
        report.warnings()
    );
    let report = S::loader()
        .env_vars([("APP_DB__URL", "u"), ("APP_LOG_LEVEL", "debug")])
        .explain()
        .unwrap();
    assert_eq!(
        report.warnings(),
        [
            "`log_level` is deprecated: use `log_filter`, which takes a full filter (set by env var APP_LOG_LEVEL)"
        ]
    );
    let toml = S::template(settings_core::Format::Toml);
    assert!(toml.contains("# deprecated: use `log_filter`"), "{toml}");
    assert!(toml.contains("# also read as: address"), "{toml}");
    assert!(
        toml.contains("# old name, still read with a warning: db_url"),
        "{toml}"
    );
    let schema = S::json_schema();
    assert_eq!(schema["properties"]["log_level"]["deprecated"], true);
    assert!(
        schema["properties"]["threads"].is_object(),
        "an alias is a key of its own"
    );
}

/// `config migrate`: lists the edits; `--write` applies them to TOML (comments kept) and env
/// files, lists YAML's; a file it cannot parse is left as it was; a second run has nothing left.
#[test]
fn config_migrate_moves_old_names_to_the_current_ones() {
    use settings_core::cli;
    let dir = tempfile::tempdir().unwrap();
    let toml_text =
        "# the service\ndb_url = \"postgres://old\" # kept comment\npool = 3\n\nthreads = 2\n";
    let toml = write(dir.path(), "app.toml", toml_text);
    let env = write(
        dir.path(),
        ".env",
        "# local\nAPP_POOL=4\nexport APP_THREADS=5\n",
    );
    let yaml = write(dir.path(), "app.yaml", "db_url: postgres://yaml\n");
    let broken = write(dir.path(), "broken.toml", "db_url = \"x\"\n[[[\n");
    let run = |args: &[&str], vars: &[(&'static str, &'static str)]| {
        let argv = ["app", "config", "migrate"].iter().chain(args).copied();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let loader = S::loader().env_vars(vars.to_vec());
        let code = cli::run_args(loader, argv, &mut out, &mut err).unwrap();
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (code, text(out), text(err))
    };
    let files: Vec<String> = [&toml, &env, &yaml]
        .iter()
        .map(|p| p.to_str().unwrap().to_owned())
        .collect();
    let files: Vec<&str> = files.iter().map(String::as_str).collect();

    let (code, out, _) = run(&files, &[("APP_POOL", "9")]);
    assert_eq!(code, std::process::ExitCode::from(1), "{out}");
    assert!(out.contains("app.toml: move `db_url` to `db.url`"), "{out}");
    assert!(
        out.contains("app.toml: move `pool` to `db.pool_size`"),
        "{out}"
    );
    assert!(
        out.contains(".env line 2: rename APP_POOL to APP_DB__POOL_SIZE"),
        "{out}"
    );
    assert!(
        out.contains("app.yaml: move `db_url` to `db.url` (edit by hand"),
        "{out}"
    );
    assert!(
        out.contains("environment: rename APP_POOL to APP_DB__POOL_SIZE"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&toml).unwrap(),
        toml_text,
        "listing writes nothing"
    );

    let mut write_args = vec!["--write"];
    write_args.extend(&files[..2]);
    let (code, out, err) = run(&write_args, &[]);
    assert_eq!(code, std::process::ExitCode::SUCCESS, "{out}{err}");
    let migrated = std::fs::read_to_string(&toml).unwrap();
    assert!(
        migrated.contains("# the service") && migrated.contains("# kept comment"),
        "{migrated}"
    );
    assert!(
        !migrated.contains("db_url") && !migrated.contains("\npool ="),
        "{migrated}"
    );
    let env_text = std::fs::read_to_string(&env).unwrap();
    assert_eq!(
        env_text,
        "# local\nAPP_DB__POOL_SIZE=4\nexport APP_THREADS=5\n"
    );
    // The rewritten files load to what the old ones gave, without a warning.
    let report = S::loader()
        .env_vars(NO_ENV)
        .file(&toml)
        .env_file(&env)
        .explain()
        .unwrap();
    assert_eq!(report.get("db.url").unwrap().value, "postgres://old");
    assert_eq!(report.get("db.pool_size").unwrap().value, "4");
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
    let (code, out, _) = run(&files[..2], &[]);
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    assert!(out.contains("nothing to migrate"), "{out}");

    // A file that does not parse is named and left untouched.
    let (code, _, err) = run(&["--write", broken.to_str().unwrap()], &[]);
    assert_eq!(code, std::process::ExitCode::from(1));
    assert!(
        err.contains("broken.toml: cannot be parsed as TOML"),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "db_url = \"x\"\n[[[\n"
    );
}

/// Flags: an alias's and an old name's flag set the setting; an old one is a warning, and
/// the current flag wins where both are given.
#[test]
fn other_names_are_flags_too() {
    let report = S::loader()
        .env_vars(NO_ENV)
        .args(["--threads", "4", "--db.address=postgres://a", "--pool=7"])
        .explain()
        .unwrap();
    assert_eq!(report.get("workers").unwrap().value, "4");
    assert_eq!(report.get("workers").unwrap().origin, "argument --threads");
    assert_eq!(report.get("db.url").unwrap().value, "postgres://a");
    assert_eq!(report.get("db.pool_size").unwrap().value, "7");
    let warnings = report.warnings().join("\n");
    assert!(
        warnings.contains("argument --pool is the old name of --db.pool-size"),
        "{warnings}"
    );
    assert!(!warnings.contains("--threads"), "{warnings}");
    let report = S::loader()
        .env_vars(NO_ENV)
        .args(["--db-url=old", "--db.url=new"])
        .explain()
        .unwrap();
    assert_eq!(report.get("db.url").unwrap().value, "new");
    assert!(
        report
            .warnings()
            .iter()
            .any(|w| w.contains("--db-url and --db.url are both given: --db.url is used")),
        "{:?}",
        report.warnings()
    );
}

/// An alias or old name of a nested struct is also its fields' (`APP_DATABASE__URL`), and of
/// a list of structs its elements' (`APP_UPSTREAMS__0__HOST`); a secrets directory entry under
/// an old name works and is said.
#[test]
fn other_names_of_nested_structs_and_lists_reach_their_fields() {
    #[derive(Settings, Debug)]
    struct Server {
        host: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct N {
        #[settings(nested, alias = "database", renamed_from = "store")]
        db: Db,
        #[settings(nested, renamed_from = "upstreams")]
        servers: Vec<Server>,
        #[settings(default = "x", renamed_from = "old_token", secret)]
        token: settings_core::Secret<String>,
    }
    let report = N::loader()
        .env_vars([
            ("APP_DATABASE__URL", "postgres://alias"),
            ("APP_STORE__POOL_SIZE", "9"),
            ("APP_UPSTREAMS__0__HOST", "a"),
        ])
        .explain()
        .unwrap();
    assert_eq!(report.get("db.url").unwrap().value, "postgres://alias");
    assert_eq!(report.get("db.pool_size").unwrap().value, "9");
    assert_eq!(report.get("servers.0.host").unwrap().value, "a");
    let warnings = report.warnings().join("\n");
    assert!(
        warnings.contains("APP_STORE__POOL_SIZE is the old name of APP_DB__POOL_SIZE"),
        "{warnings}"
    );
    assert!(
        warnings.contains("APP_UPSTREAMS__0__HOST is the old name of APP_SERVERS__0__HOST"),
        "{warnings}"
    );
    assert!(!warnings.contains("DATABASE"), "{warnings}");

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old_token", "s3cret\n");
    let report = N::loader()
        .env_vars([("APP_DB__URL", "u"), ("APP_SERVERS", "[]")])
        .secrets_dir(dir.path())
        .explain()
        .unwrap();
    assert_eq!(
        report.get("token").unwrap().origin,
        "secrets dir file old_token"
    );
    let warnings = report.warnings().join("\n");
    assert!(
        warnings.contains("old_token is the old name of TOKEN"),
        "{warnings}"
    );
    assert!(!warnings.contains("s3cret"));
}

/// An application's own command line (`cli::settings_args`) takes the other names' flags too.
#[test]
fn an_applications_command_takes_old_flags_with_the_warning() {
    let cmd = clap::Command::new("serve").args(settings_core::cli::settings_args::<S>());
    let matches = cmd
        .try_get_matches_from(["serve", "--pool", "8", "--threads=3", "--db.url=u"])
        .unwrap();
    let report = settings_core::cli::apply(S::loader().env_vars(NO_ENV), &matches)
        .explain()
        .unwrap();
    assert_eq!(report.get("db.pool_size").unwrap().value, "8");
    assert_eq!(report.get("workers").unwrap().value, "3");
    assert!(
        report
            .warnings()
            .iter()
            .any(|w| w.contains("argument --pool is the old name of --db.pool-size")),
        "{:?}",
        report.warnings()
    );
    // Not in the help: the current flags are.
    let help = clap::Command::new("serve")
        .args(settings_core::cli::settings_args::<S>())
        .render_help()
        .to_string();
    assert!(
        help.contains("--db.pool-size") && !help.contains("--pool "),
        "{help}"
    );
}

/// A list's old name takes element flags too (`--upstreams.0.host`), with the warning.
#[test]
fn element_flags_under_a_lists_old_name() {
    #[derive(Settings, Debug)]
    struct Server {
        host: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct L {
        #[settings(nested, renamed_from = "upstreams")]
        servers: Vec<Server>,
    }
    let report = L::loader()
        .env_vars(NO_ENV)
        .args(["--upstreams.0.host=a", "--servers.1.host", "b"])
        .explain()
        .unwrap();
    assert_eq!(report.get("servers.0.host").unwrap().value, "a");
    assert_eq!(report.get("servers.1.host").unwrap().value, "b");
    assert!(
        report
            .warnings()
            .iter()
            .any(|w| w.contains("argument --upstreams.0.host is the old name of --servers.0.host")),
        "{:?}",
        report.warnings()
    );
}

/// `config migrate` renames an element variable of a renamed list to its whole current name in
/// an env file (not to the list's bare name).
#[test]
fn config_migrate_renames_element_variables_whole() {
    #[derive(Settings, Debug)]
    struct Server {
        host: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct L {
        #[settings(nested, renamed_from = "upstreams")]
        servers: Vec<Server>,
    }
    let dir = tempfile::tempdir().unwrap();
    let env = write(dir.path(), ".env", "APP_UPSTREAMS__0__HOST=a\n");
    let argv = ["app", "config", "migrate", "--write", env.to_str().unwrap()];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let loader = L::loader().env_vars(NO_ENV);
    settings_core::cli::run_args(loader, argv, &mut out, &mut err).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("rename APP_UPSTREAMS__0__HOST to APP_SERVERS__0__HOST"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&env).unwrap(),
        "APP_SERVERS__0__HOST=a\n"
    );
}
