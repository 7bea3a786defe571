//! A ready-made `config` command for applications (cargo feature `cli`): add one subcommand and
//! get `config check`, `config show`, `config template` and `config schema`, with `--set`,
//! `--config` and `--profile` overrides.
//!
//! ```
//! use settings_core::cli::{self, clap};
//! use settings_core::{Secret, Settings};
//! use std::process::ExitCode;
//!
//! /// Settings of the billing service.
//! #[derive(Settings)]
//! #[settings(env_prefix = "APP_")]
//! struct App {
//!     /// Port the HTTP server listens on.
//!     #[settings(default = 8000)]
//!     port: u16,
//!     api_key: Secret<String>,
//! }
//!
//! // The app's own command line, with `config` as one of its subcommands.
//! let app = clap::Command::new("billing")
//!     .subcommand(clap::Command::new("serve").args(cli::override_args()))
//!     .subcommand(cli::command());
//!
//! // Tests give the environment to the loader; `App::loader()` reads the process's.
//! let loader = || App::loader().env_vars([("APP_API_KEY", "k-123")]);
//! let (mut out, mut err) = (Vec::new(), Vec::new());
//!
//! let matches = app.clone().try_get_matches_from(["billing", "config", "check"])?;
//! let code = cli::run_with(loader(), &matches, &mut out, &mut err);
//! assert_eq!(code, ExitCode::SUCCESS);
//! assert_eq!(String::from_utf8(out.clone())?, "ok: 2 settings loaded and valid\n");
//!
//! let matches = app.clone().try_get_matches_from(["billing", "config", "show", "--set", "port=9000"])?;
//! out.clear();
//! cli::run_with(loader(), &matches, &mut out, &mut err);
//! let table = String::from_utf8(out.clone())?;
//! assert!(table.contains("port     9000        override port"));
//! assert!(table.contains("api_key  **********  env var APP_API_KEY"));
//! assert!(!table.contains("k-123"));
//!
//! // The normal start takes the same overrides.
//! let matches = app.try_get_matches_from(["billing", "serve", "--set", "port=9001"])?;
//! if let Some(("serve", serve)) = matches.subcommand() {
//!     let settings = cli::apply(loader(), serve).load()?;
//!     assert_eq!(settings.port, 9001);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Details
//!
//! - `config check` loads and validates the settings exactly as the app's start does. It prints
//!   `ok: N settings loaded and valid` and exits 0, or prints every problem, one per line as
//!   [`Error`](crate::Error)'s `Display` gives them (`path: message (from origin)`), to stderr and
//!   exits 1. The report's warnings (a prefixed variable that sets nothing, a profile no source
//!   mentions) go to stderr as `warning: ...` lines without failing the check.
//! - `config show` prints the [`Report`](crate::Report) table (path, value, origin), or with
//!   `--json` the report serialized as JSON; it exits 1 with the problems when the load fails.
//! - `config template --format toml|yaml|json|env|markdown` (`-f`, default `toml`; `dotenv` and
//!   `md` are aliases) prints [`Settings::template`]; with `--schema URL` (a URL or a path) the
//!   TOML, YAML and JSON templates begin with the directive editors read to find the file's
//!   schema: `#:schema URL` (taplo, Even Better TOML), `# yaml-language-server: $schema=URL`,
//!   a first key `"$schema": "URL"` (which the load ignores). `config schema` prints
//!   [`Settings::json_schema`] (the complete settings) as pretty JSON, `config schema --file`
//!   [`Settings::file_schema`] (one config file as a layer, nothing required: the one to give
//!   editors and validators). Neither subcommand loads anything.
//! - `--set KEY=VALUE` (repeatable) sets a dotted path above every other source, as
//!   [`Loader::set`] does; the origin is `override KEY`. The value is text for a text-like
//!   setting (`String`, `Url`, `PathBuf`, `Duration`, `ByteSize`, ...: `--set version=1.10` stays
//!   `"1.10"`), and otherwise JSON when it parses as JSON, else text: `--set db.pool_size=20`,
//!   `--set debug=true`, `--set 'hosts=["a","b"]'`, `--set hosts=a,b`. An unknown key is an
//!   `Unknown` issue with a did-you-mean, like any other.
//! - `--config FILE` (repeatable) adds a required config file after the declared ones
//!   ([`Loader::file`]); `--profile NAME` selects the profile ([`Loader::profile`]). The three
//!   options are accepted after `config` and after `check` and `show`
//!   (`app config --profile prod check --set port=80`); values given at several levels all apply,
//!   outer ones first.
//! - [`command_for`] (what [`run`] and [`run_args`] use) also takes a flag per setting on
//!   `config`, `check` and `show`, the ones [`Loader::args`] takes ([`settings_args`]):
//!   `app config check --port 80 --db.pool-size=20 --no-debug`, above the environment and below
//!   `--set`, origin `argument --port`; given at several levels, the innermost value wins and
//!   list items add up. An unknown flag or one without its value is a usage error naming the
//!   closest real flag; a setting whose flag would be one of the options above (or `--json`,
//!   `--help`) has none: `--set` reaches it.
//! - Secrets never appear: the report and the errors are masked, templates never show a secret's
//!   default, and a malformed `--set` is rejected without echoing its value. A value given with
//!   `--set` is visible to other users of the machine in the process list, so give secrets
//!   through the environment or the secrets directory instead.
//! - Exit codes: 0 success, 1 invalid settings (or output that cannot be written), 2 a usage
//!   error (unknown subcommand, bad `--format`, malformed `--set`: clap's own message and code;
//!   `--schema` with the env or Markdown template).
//! - clap is built with `default-features = false` and `std`, `help`, `usage`, `error-context`
//!   and `suggestions` (no color, no derive). It is re-exported as [`clap`] so an app without a
//!   clap dependency of its own can still build on [`command`].

use crate::loader::Loader;
use crate::meta::{Shape, StructMeta};
use crate::naming::Names;
use crate::settings::Settings;
use crate::template::Format;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The clap crate this module builds on (clap 4, builder API), for apps without a clap
/// dependency of their own.
///
/// ```
/// use settings_core::cli::{self, clap};
///
/// let app = clap::Command::new("billing").subcommand(cli::command());
/// let matches = app.try_get_matches_from(["billing", "config", "schema"]).unwrap();
/// assert_eq!(matches.subcommand_name(), Some("config"));
/// ```
pub use clap;

const SET: &str = "settings_core::cli::set";
const CONFIG: &str = "settings_core::cli::config";
const PROFILE: &str = "settings_core::cli::profile";
const JSON: &str = "settings_core::cli::json";
const FORMAT: &str = "settings_core::cli::format";
const WRITE: &str = "settings_core::cli::write";
const FILES: &str = "settings_core::cli::files";
const SCHEMA: &str = "settings_core::cli::schema";
const FILE: &str = "settings_core::cli::file";
/// The ids of [`settings_args`]: this, then the setting's index.
const FIELD: &str = "settings_core::cli::field:";
/// Flags of the `config` command that no setting's flag may take.
const RESERVED: [&str; 5] = ["set", "config", "profile", "json", "help"];

/// The subcommands of [`command`]; a level of matches with one of them is the `config` level.
const SUBCOMMANDS: [&str; 5] = ["check", "show", "template", "schema", "migrate"];

/// The `config` command: subcommands `check`, `show [--json]`,
/// `template [--format FORMAT] [--schema URL]`, `schema [--file]` and `migrate`, and the
/// [`override_args`]. Add it to the app's own command with
/// `Command::subcommand`, and hand the matches to [`run_with`]. Rename it with
/// `cli::command().name("settings")` if `config` is taken.
///
/// ```
/// use settings_core::cli;
///
/// let mut config = cli::command();
/// let help = config.render_help().to_string();
/// for sub in ["check", "show", "template", "schema"] {
///     assert!(help.contains(sub));
/// }
///
/// let matches = config
///     .try_get_matches_from(["config", "template", "--format", "yaml"])
///     .unwrap();
/// assert_eq!(matches.subcommand_name(), Some("template"));
///
/// let err = cli::command().try_get_matches_from(["config", "templat"]).unwrap_err();
/// assert_eq!(err.exit_code(), 2);
/// assert!(err.to_string().contains("tip: a similar subcommand exists: 'template'"));
/// ```
pub fn command() -> Command {
    let format = [
        PossibleValue::new("toml").help("a commented TOML config file"),
        PossibleValue::new("yaml").help("a commented YAML config file"),
        PossibleValue::new("json").help("a JSON config file with every key"),
        PossibleValue::new("env")
            .alias("dotenv")
            .help("a commented .env.example"),
        PossibleValue::new("markdown")
            .alias("md")
            .help("a reference table for a README"),
    ];
    Command::new("config")
        .about("Check, show and document the settings")
        .arg_required_else_help(true)
        .subcommand_required(true)
        .args(override_args())
        .subcommand(
            Command::new("check")
                .about("Load and validate the settings; on failure list every problem and exit 1")
                .args(override_args()),
        )
        .subcommand(
            Command::new("show")
                .about("Print every setting, its value (secrets masked) and where it came from")
                .args(override_args())
                .arg(
                    Arg::new(JSON)
                        .long("json")
                        .action(ArgAction::SetTrue)
                        .help("Print the report as JSON"),
                ),
        )
        .subcommand(
            Command::new("template")
                .about("Print an example config with every setting, its doc, default and env name")
                .arg(
                    Arg::new(FORMAT)
                        .long("format")
                        .short('f')
                        .value_name("FORMAT")
                        .value_parser(PossibleValuesParser::new(format).map(|s| parse_format(&s)))
                        .default_value("toml")
                        .help("The kind of file to print"),
                )
                .arg(
                    Arg::new(SCHEMA)
                        .long("schema")
                        .value_name("URL")
                        .value_parser(schema_location)
                        .help(
                            "Begin with the directive that points editors at this JSON Schema \
                             (a URL or a path; toml, yaml and json)",
                        ),
                ),
        )
        .subcommand(
            Command::new("migrate")
                .about(
                    "List the edits that move renamed settings to their current names in config \
                     files, env files and the environment; --write applies them to TOML and env files",
                )
                .arg(
                    Arg::new(WRITE)
                        .long("write")
                        .action(ArgAction::SetTrue)
                        .help("Rewrite TOML files (comments and layout kept) and env files"),
                )
                .arg(
                    Arg::new(FILES)
                        .value_name("FILE")
                        .num_args(0..)
                        .value_parser(clap::value_parser!(PathBuf))
                        .help("The files to migrate (default: the config files, their profile files and the env file)"),
                ),
        )
        .subcommand(
            Command::new("schema")
                .about("Print the JSON Schema (draft 2020-12) of the complete settings")
                .arg(
                    Arg::new(FILE)
                        .long("file")
                        .action(ArgAction::SetTrue)
                        .help(
                            "Print the schema of one config file instead: nothing required, \
                             for editors and validators",
                        ),
                ),
        )
}

/// The options `--set KEY=VALUE` (repeatable), `--config FILE` (repeatable) and `--profile NAME`,
/// for the app's own command, so that its normal start takes the same overrides as `config`
/// does; read them with [`apply`]. [`command`] already has them.
///
/// ```
/// use settings_core::cli;
///
/// let serve = clap::Command::new("serve").args(cli::override_args());
/// let help = serve.clone().render_help().to_string();
/// assert!(help.contains("--set <KEY=VALUE>"));
/// assert!(help.contains("--config <FILE>"));
/// assert!(help.contains("--profile <NAME>"));
///
/// let err = serve.try_get_matches_from(["serve", "--set", "hunter2"]).unwrap_err();
/// assert_eq!(err.exit_code(), 2);
/// assert!(!err.to_string().contains("hunter2"));
/// ```
pub fn override_args() -> Vec<Arg> {
    vec![
        Arg::new(SET)
            .long("set")
            .value_name("KEY=VALUE")
            .action(ArgAction::Append)
            .value_parser(SetParser)
            .help("Set a setting above every other source: --set db.pool_size=20 (repeatable)"),
        Arg::new(CONFIG)
            .long("config")
            .value_name("FILE")
            .action(ArgAction::Append)
            .value_parser(clap::value_parser!(PathBuf))
            .help("Read this config file too, after the declared ones; it must exist (repeatable)"),
        Arg::new(PROFILE)
            .long("profile")
            .value_name("NAME")
            .action(ArgAction::Set)
            .help("Select this profile, whatever the profile variable says"),
    ]
}

/// One flag per setting of `T`, as [`Loader::args`] takes them (`--port 8080`,
/// `--db.pool-size=20`, `--debug`/`--no-debug`, `--host a --host b`), with help from the doc
/// comments, for the app's own commands; [`apply`] reads them (above the environment, below
/// `--set`, origin `argument --port`). [`command_for`] has them on `config`, `check` and `show`.
/// A setting whose flag would be `--set`, `--config`, `--profile`, `--json` or `--help` has none
/// here: `--set` reaches it. An app that adds them next to options of its own must not reuse a
/// setting's flag name for one (clap refuses two arguments with one name when it builds the
/// command).
///
/// ```
/// use settings_core::{cli, Settings};
///
/// #[derive(Settings)]
/// struct Db {
///     /// Connections kept open.
///     #[settings(default = 10)]
///     pool_size: u32,
/// }
///
/// #[derive(Settings)]
/// struct App {
///     #[settings(default = false)]
///     debug: bool,
///     #[settings(nested)]
///     db: Db,
/// }
///
/// let serve = clap::Command::new("serve").args(cli::settings_args::<App>());
/// let help = serve.clone().render_help().to_string();
/// assert!(help.contains("--db.pool-size <VALUE>  Connections kept open."));
///
/// let matches = serve.try_get_matches_from(["serve", "--debug", "--db.pool-size", "20"]).unwrap();
/// let app = cli::apply(App::loader().env_vars([("X", "")]), &matches).load().unwrap();
/// assert!(app.debug);
/// assert_eq!(app.db.pool_size, 20);
/// ```
pub fn settings_args<T: Settings>() -> Vec<Arg> {
    crate::providers::args::field_args(Names::of(T::__meta()), FIELD, &RESERVED)
}

/// [`command`] with [`settings_args`] for `T` on `config`, `check` and `show`:
/// `app config check --port 80` checks the settings the app would start with given that flag.
/// [`run`] and [`run_args`] use it.
///
/// ```
/// use settings_core::{cli, Settings};
/// use std::process::ExitCode;
///
/// #[derive(Settings)]
/// struct App {
///     #[settings(range(min = 1024))]
///     port: u16,
/// }
///
/// let config = cli::command_for::<App>();
/// let matches = config.try_get_matches_from(["config", "check", "--port", "80"]).unwrap();
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let code = cli::run_with(App::loader().env_vars([("X", "")]), &matches, &mut out, &mut err);
/// assert_eq!(code, ExitCode::from(1));
/// assert!(String::from_utf8(err).unwrap().contains("(from argument --port)"));
/// ```
pub fn command_for<T: Settings>() -> Command {
    let args = settings_args::<T>();
    command()
        .args(args.clone())
        .mut_subcommand("check", |check| check.args(args.clone()))
        .mut_subcommand("show", |show| show.args(args))
}

/// Applies the `--config`, `--profile` and `--set` options found in these matches (made by a
/// command with [`override_args`], or by [`command`] and its subcommands) to a loader. Matches
/// of a command without those options leave the loader as it is.
///
/// ```
/// use settings_core::{cli, Settings};
///
/// #[derive(Settings)]
/// struct Db {
///     #[settings(default = 10)]
///     pool_size: u32,
/// }
///
/// #[derive(Settings)]
/// struct App {
///     name: String,
///     #[settings(nested)]
///     db: Db,
/// }
///
/// let cmd = clap::Command::new("app").args(cli::override_args());
/// let matches = cmd
///     .try_get_matches_from(["app", "--set", "db.pool_size=20", "--set", "name=1.10"])
///     .unwrap();
/// let app = cli::apply(App::loader().env_vars([("X", "")]), &matches).load().unwrap();
/// assert_eq!(app.db.pool_size, 20);
/// assert_eq!(app.name, "1.10");
/// ```
pub fn apply<T: Settings>(mut loader: Loader<T>, matches: &ArgMatches) -> Loader<T> {
    if let Ok(Some(files)) = matches.try_get_many::<PathBuf>(CONFIG) {
        for file in files {
            loader = loader.file(file);
        }
    }
    if let Ok(Some(profile)) = matches.try_get_one::<String>(PROFILE) {
        loader = loader.profile(profile.clone());
    }
    if let Ok(Some(sets)) = matches.try_get_many::<SetArg>(SET) {
        for set in sets {
            let value = override_value(T::__meta(), &set.path, &set.text);
            loader = loader.set(set.path.clone(), value);
        }
    }
    let names = Names::of(T::__meta());
    let found = crate::providers::args::found_args(names, FIELD, matches);
    if !found.is_empty() {
        loader
            .opts
            .args
            .get_or_insert_with(|| crate::cmdline::Args::new(Vec::new()))
            .list
            .extend(found);
    }
    loader
}

/// Runs the `config` subcommand in these matches against `loader` (plus the overrides on the
/// command line), writing the result to `out` and problems to `err`; returns the exit code: 0
/// success, 1 invalid settings, 2 matches that hold no `config` subcommand.
///
/// `matches` may be the app's own (whose subcommand is `config`, at any depth) or those of
/// [`command`] itself. Pass `T::loader()` in an app, a loader with
/// [`env_vars`](Loader::env_vars) in tests.
///
/// ```
/// use settings_core::{cli, Settings};
/// use std::process::ExitCode;
///
/// #[derive(Settings)]
/// #[settings(env_prefix = "APP_")]
/// struct App {
///     #[settings(range(min = 1))]
///     port: u16,
///     host: String,
/// }
///
/// let matches = cli::command().try_get_matches_from(["config", "check"]).unwrap();
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let loader = App::loader().env_vars([("APP_PORT", "0")]);
/// let code = cli::run_with(loader, &matches, &mut out, &mut err);
/// assert_eq!(code, ExitCode::from(1));
/// let err = String::from_utf8(err).unwrap();
/// assert!(err.contains("\nport: "));
/// assert!(err.contains("\nhost: "));
/// ```
pub fn run_with<T: Settings>(
    loader: Loader<T>,
    matches: &ArgMatches,
    mut out: impl Write,
    mut err: impl Write,
) -> ExitCode {
    // Walk down to the level whose subcommand is one of ours, taking the overrides on the way.
    let mut loader = loader;
    let mut level = matches;
    let (name, leaf) = loop {
        loader = apply(loader, level);
        match level.subcommand() {
            Some((name, leaf)) if SUBCOMMANDS.contains(&name) => break (name, leaf),
            Some((_, below)) => level = below,
            None => {
                let _ = writeln!(err, "error: these arguments hold no `config` subcommand");
                return ExitCode::from(2);
            }
        }
    };
    let loader = apply(loader, leaf);
    let result = match name {
        "check" => check(&loader, &mut out, &mut err),
        "migrate" => {
            let given: Vec<PathBuf> = leaf
                .get_many::<PathBuf>(FILES)
                .map(|files| files.cloned().collect())
                .unwrap_or_default();
            let files = if given.is_empty() {
                migration_files(&loader)
            } else {
                given
            };
            let names = crate::naming::Names::of(T::__meta());
            let write = leaf.get_flag(WRITE);
            crate::migrate::run(names, &files, &loader.opts.env, write, &mut out, &mut err)
                .map(|pending| !pending)
        }
        "show" => show(&loader, leaf.get_flag(JSON), &mut out, &mut err),
        "template" => {
            let format = leaf.get_one::<Format>(FORMAT).copied();
            let format = format.unwrap_or(Format::Toml);
            let text = T::template(format);
            let text = match leaf.get_one::<String>(SCHEMA) {
                None => Some(text),
                Some(schema) => crate::template::with_schema(format, &text, schema),
            };
            let Some(text) = text else {
                let _ = writeln!(
                    err,
                    "error: --schema applies to the toml, yaml and json templates; \
                     env files and Markdown have no schema directive"
                );
                return ExitCode::from(2);
            };
            write_text(&mut out, &text).map(|()| true)
        }
        _ => {
            let schema = if leaf.get_flag(FILE) {
                T::file_schema()
            } else {
                T::json_schema()
            };
            let schema = serde_json::to_string_pretty(&schema)
                .expect("a serde_json::Value always serializes");
            write_text(&mut out, &schema).map(|()| true)
        }
    };
    let result = result.and_then(|ok| {
        out.flush()?;
        err.flush()?;
        Ok(ok)
    });
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        // `config template | head`: the reader has gone, there is no one to tell.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(1),
        Err(e) => {
            let _ = writeln!(err, "error: cannot write the output: {e}");
            ExitCode::from(1)
        }
    }
}

/// For an app without a command line of its own: when `args` (program name first, as
/// `std::env::args_os()` gives them) are `PROGRAM config ...`, runs that command against
/// `T::loader()` on stdout and stderr and returns its exit code; otherwise returns `None`, and
/// the app goes on to its normal start.
///
/// ```no_run
/// use settings_core::{cli, Settings};
/// use std::process::ExitCode;
///
/// #[derive(Settings)]
/// #[settings(env_prefix = "APP_")]
/// struct App {
///     #[settings(default = 8000)]
///     port: u16,
/// }
///
/// fn main() -> ExitCode {
///     if let Some(code) = cli::run::<App>(std::env::args_os()) {
///         return code; // `app config check`, `app config show`, ...
///     }
///     let settings = App::load().expect("valid settings");
///     println!("serving on port {}", settings.port);
///     ExitCode::SUCCESS
/// }
/// ```
pub fn run<T: Settings>(args: impl IntoIterator<Item = impl Into<OsString>>) -> Option<ExitCode> {
    run_args(T::loader(), args, io::stdout().lock(), io::stderr().lock())
}

/// [`run`] with the base loader and the output given: `None` unless `args` (program name first)
/// are `PROGRAM config ...`; then the exit code, with clap's usage errors (code 2) and `--help`
/// (code 0) written like the command's output, to `err` and `out`.
///
/// ```
/// use settings_core::{cli, Settings};
/// use std::process::ExitCode;
///
/// #[derive(Settings)]
/// struct App {
///     #[settings(default = 8000)]
///     port: u16,
/// }
///
/// let loader = || App::loader().env_vars([("X", "")]);
/// let (mut out, mut err) = (Vec::new(), Vec::new());
///
/// assert_eq!(cli::run_args(loader(), ["app", "serve"], &mut out, &mut err), None);
///
/// let code = cli::run_args(loader(), ["app", "config", "template", "-f", "env"], &mut out, &mut err);
/// assert_eq!(code, Some(ExitCode::SUCCESS));
/// assert!(String::from_utf8(out).unwrap().contains("#PORT=8000\n"));
///
/// let code = cli::run_args(loader(), ["app", "config", "lint"], Vec::new(), &mut err);
/// assert_eq!(code, Some(ExitCode::from(2)));
/// assert!(String::from_utf8(err).unwrap().contains("unrecognized subcommand 'lint'"));
/// ```
pub fn run_args<T: Settings>(
    loader: Loader<T>,
    args: impl IntoIterator<Item = impl Into<OsString>>,
    mut out: impl Write,
    mut err: impl Write,
) -> Option<ExitCode> {
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let config = command_for::<T>();
    if args.get(1).map(OsString::as_os_str) != Some(OsStr::new(config.get_name())) {
        return None;
    }
    let program = args
        .first()
        .map(PathBuf::from)
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".to_owned());
    let app = Command::new("app")
        .bin_name(program)
        .subcommand_required(true)
        .disable_help_subcommand(true)
        .subcommand(config);
    match app.try_get_matches_from(args) {
        Ok(matches) => Some(run_with(loader, &matches, out, err)),
        Err(e) => {
            let text = e.render().to_string();
            let written = if e.use_stderr() {
                write!(err, "{text}").and_then(|()| err.flush())
            } else {
                write!(out, "{text}").and_then(|()| out.flush())
            };
            let code = u8::try_from(e.exit_code()).unwrap_or(2);
            Some(match written {
                Ok(()) => ExitCode::from(code),
                Err(_) if code == 0 => ExitCode::from(1),
                Err(_) => ExitCode::from(code),
            })
        }
    }
}

/// `config check`: `Ok(true)` when the settings load.
fn check<T: Settings>(
    loader: &Loader<T>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<bool> {
    match loader.explain() {
        Ok(report) => {
            for warning in report.warnings() {
                writeln!(err, "warning: {warning}")?;
            }
            let n = report.entries().len();
            let noun = if n == 1 { "setting" } else { "settings" };
            writeln!(out, "ok: {n} {noun} loaded and valid")?;
            Ok(true)
        }
        Err(e) => failure(&e, err),
    }
}

/// `config show [--json]`: `Ok(true)` when the settings load.
fn show<T: Settings>(
    loader: &Loader<T>,
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<bool> {
    match loader.explain() {
        Ok(report) if json => {
            let text = serde_json::to_string_pretty(&report).map_err(io::Error::other)?;
            write_text(out, &text)?;
            Ok(true)
        }
        Ok(report) => {
            write!(out, "{report}")?;
            Ok(true)
        }
        Err(e) => failure(&e, err),
    }
}

/// The files `config migrate` reads by default: the config files (declared and added), each
/// with the profile files beside it (`name.<profile>.ext`), and the env file.
fn migration_files<T: Settings>(loader: &Loader<T>) -> Vec<PathBuf> {
    let meta = T::__meta();
    let mut files: Vec<PathBuf> = meta.files.iter().map(PathBuf::from).collect();
    files.extend(loader.opts.files.iter().map(|(p, _)| p.clone()));
    let mut out = Vec::new();
    for file in files {
        let (Some(stem), Some(ext)) = (file.file_stem(), file.extension()) else {
            out.push(file);
            continue;
        };
        let (stem, ext) = (stem.to_string_lossy(), ext.to_string_lossy());
        let dir = file
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut siblings: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.starts_with(&format!("{stem}."))
                        && n.ends_with(&format!(".{ext}"))
                        && n.len() > stem.len() + ext.len() + 2
                })
            })
            .collect();
        siblings.sort();
        out.push(file);
        out.extend(siblings);
    }
    let env_file = match &loader.opts.env_file {
        Some(choice) => choice.clone(),
        None => meta.env_file.map(PathBuf::from),
    };
    out.extend(env_file);
    out
}

/// Every issue of a failed load, one per line, under a header that counts them.
fn failure(e: &crate::Error, err: &mut impl Write) -> io::Result<bool> {
    let n = e.issues().len();
    let noun = if n == 1 { "problem" } else { "problems" };
    writeln!(err, "error: invalid settings, {n} {noun}:\n{e}")?;
    Ok(false)
}

/// Writes text, ending it with a newline if it has none.
fn write_text(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A `--schema` value: a URL or a path, written on the first line of the template, so neither
/// empty nor holding a line break or another control character.
fn schema_location(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("the schema's URL or path is empty".to_owned());
    }
    if text.chars().any(char::is_control) {
        return Err(
            "the schema's URL or path holds a line break or a control character".to_owned(),
        );
    }
    Ok(text.to_owned())
}

/// The template format of a `--format` value (clap has checked it is one of ours or an alias).
fn parse_format(name: &str) -> Format {
    match name {
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        "env" | "dotenv" => Format::Env,
        "markdown" | "md" => Format::Markdown,
        _ => Format::Toml,
    }
}

/// The value of a `--set`: text for a text-like setting, else JSON when it parses, else text.
fn override_value(meta: &StructMeta, path: &str, text: &str) -> serde_json::Value {
    let as_text = match leaf_shape(meta, path) {
        Some(Shape::Text | Shape::Duration | Shape::ByteSize) => true,
        Some(_) | None => false,
    };
    if as_text {
        return serde_json::Value::String(text.to_owned());
    }
    serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_owned()))
}

/// The shape of the setting at a dotted file path, if there is one.
fn leaf_shape(meta: &StructMeta, path: &str) -> Option<Shape> {
    let (head, rest) = match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    };
    let field = &meta.fields[meta.field_index(head)?];
    match (rest, field.nested_meta()) {
        (None, _) => Some(field.shape),
        (Some(rest), Some(nested)) => leaf_shape(nested, rest),
        (Some(_), None) => None,
    }
}

/// One `--set`: the dotted path and the text after the first `=`.
#[derive(Debug, Clone)]
struct SetArg {
    path: String,
    text: String,
}

/// Parses `KEY=VALUE`; a malformed one is a usage error that does not repeat the value (it may
/// be a secret).
#[derive(Debug, Clone, Copy)]
struct SetParser;

impl TypedValueParser for SetParser {
    type Value = SetArg;

    fn parse_ref(
        &self,
        cmd: &Command,
        _arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<SetArg, clap::Error> {
        let usage = |why: &str| {
            clap::Error::raw(
                ErrorKind::ValueValidation,
                format!(
                    "invalid value for '--set <KEY=VALUE>': {why}; \
                     write a dotted path, '=', then the value: --set db.pool_size=20\n"
                ),
            )
            .format(&mut cmd.clone())
        };
        let text = value
            .to_str()
            .ok_or_else(|| usage("the text is not UTF-8"))?;
        let (path, text) = text.split_once('=').ok_or_else(|| usage("no '=' in it"))?;
        if path.split('.').any(|key| key.trim().is_empty()) || path.trim() != path {
            return Err(usage("the key is empty or has an empty or padded part"));
        }
        Ok(SetArg {
            path: path.to_owned(),
            text: text.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_is_well_formed() {
        command().debug_assert();
        Command::new("app").args(override_args()).debug_assert();
    }

    #[test]
    fn set_splits_at_the_first_equals_sign() {
        let m = Command::new("app")
            .args(override_args())
            .try_get_matches_from(["app", "--set", "a.b=x=y", "--set", "c="])
            .unwrap();
        let sets: Vec<_> = m
            .get_many::<SetArg>(SET)
            .unwrap()
            .map(|s| (s.path.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(sets, [("a.b", "x=y"), ("c", "")]);
    }

    #[test]
    fn malformed_set_is_a_usage_error_without_the_value() {
        for bad in [
            "secret-value",
            "=secret-value",
            "a..b=secret-value",
            " a=secret-value",
        ] {
            let e = Command::new("app")
                .args(override_args())
                .try_get_matches_from(["app", "--set", bad])
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::ValueValidation, "{bad}");
            assert_eq!(e.exit_code(), 2);
            assert!(!e.to_string().contains("secret-value"), "{e}");
        }
    }

    #[test]
    fn format_names_cover_every_possible_value() {
        let cases = [
            ("toml", Format::Toml),
            ("yaml", Format::Yaml),
            ("json", Format::Json),
            ("env", Format::Env),
            ("markdown", Format::Markdown),
            ("dotenv", Format::Env),
            ("md", Format::Markdown),
        ];
        for (name, format) in cases {
            assert_eq!(parse_format(name), format);
        }
    }
}
