//! One load: the sources in documented precedence, merged into one tree, then extracted field by
//! field, collecting every issue.
//!
//! Precedence, lowest first: defaults (applied during extraction, where no source set a value),
//! config files (declared, then the builder's; each followed by its profile sibling), custom
//! providers, the config directory, the secrets directory, the env file, the environment, and
//! runtime overrides.

use crate::error::{Error, IssueKind, Issues};
use crate::extract::{Extract, State};
use crate::loader::Options;
use crate::meta::StructMeta;
use crate::naming::NameTable;
use crate::providers::dir::{self, DirKind};
use crate::providers::env::{self, Match};
use crate::providers::file::{self, Format};
use crate::providers::{dotenv, figment};
use crate::report::Report;
use crate::settings::Settings;
use crate::value::{from_json, Node, Table};
use std::path::Path;
use zeroize::Zeroizing;

/// Runs one load of `T`.
pub(crate) fn run<T: Settings>(
    opts: &Options,
    explain: bool,
) -> Result<(T, Option<Report>), Error> {
    run_with(opts, explain, &mut |_, _| {})
}

/// Runs one load of `T`, letting `inspect` see (and adjust) the merged tree before extraction:
/// hot reload uses it to compare loads and to keep restart-only fields.
pub(crate) fn run_with<T: Settings>(
    opts: &Options,
    explain: bool,
    inspect: &mut dyn FnMut(&mut Table, &NameTable),
) -> Result<(T, Option<Report>), Error> {
    let meta = T::__meta();
    let mut state = State::new(meta, explain);
    let (mut tree, unknown_env) = gather(meta, opts, &mut state);
    inspect(&mut tree, state.names);
    let mut cx = Extract::root(&mut state, meta, tree);
    let value = T::__extract(&mut cx);
    cx.finish();
    if !unknown_env.is_empty() && (meta.deny_unknown_env || explain) {
        unknown_env_problems(&mut state, &unknown_env, meta.deny_unknown_env);
    }
    let report = state.report.take().map(|entries| Report {
        entries,
        unknown_env,
        warnings: std::mem::take(&mut state.warnings)
            .into_iter()
            .map(crate::redact::url_passwords_owned)
            .collect(),
    });
    if let Some(err) = std::mem::take(&mut state.issues).into_error() {
        return Err(err);
    }
    match value {
        Some(value) => Ok((value, report)),
        None => {
            let mut issues = Issues::default();
            issues.push(
                "",
                IssueKind::Invalid,
                None,
                "the settings could not be built",
            );
            Err(issues.into_error().expect("one issue was just pushed"))
        }
    }
}

/// Variables that carry the prefix but set nothing (likely typos): warnings for the report, or
/// `Unknown` issues under `deny_unknown_env`; each with the closest real name.
fn unknown_env_problems(state: &mut State, unknown: &[String], deny: bool) {
    let known: Vec<String> = (0..state.names.targets.len())
        .flat_map(|id| state.names.names_of(id))
        .collect();
    for name in unknown {
        let hint = match crate::suggest::closest(name, known.iter().map(String::as_str)) {
            Some(k) => format!("; did you mean {k}?"),
            None => String::new(),
        };
        let message = format!("{name} carries the prefix but sets no setting{hint}");
        if deny {
            state.issues.push(
                "",
                IssueKind::Unknown,
                Some(format!("env var {name}")),
                message,
            );
        } else {
            state.warnings.push(message);
        }
    }
}

/// Reads every source into one tree, lowest precedence first.
fn gather(meta: &'static StructMeta, opts: &Options, state: &mut State) -> (Table, Vec<String>) {
    let mut tree = Table::new();
    // One pass over the environment, first: it also names the active profile.
    let profile_var = crate::profile::variable(meta);
    let mut scan = env::scan(&opts.env, state.names, &profile_var, meta.case_sensitive);
    // `{prefix}AGE_KEY` and `{prefix}AGE_KEY_FILE` carry the prefix but give keys, not settings.
    if !scan.unknown.is_empty() {
        let key_vars = crate::encrypted::key_vars(meta);
        scan.unknown.retain(|name| !key_vars.contains(name));
    }
    let profile = opts
        .profile
        .clone()
        .or(scan.profile.clone())
        .filter(|p| !p.is_empty());
    let profile = profile.as_deref();

    let declared = meta.files.iter().map(|f| (Path::new(*f), false));
    let added = opts
        .files
        .iter()
        .map(|(p, required)| (p.as_path(), *required));
    for (path, required) in declared.chain(added) {
        read_file(&mut tree, path, required, meta, profile, opts, state);
        if let Some(sibling) = profile.and_then(|p| file::profile_sibling(path, p)) {
            state.profile_mentioned |= sibling.exists();
            read_file(&mut tree, &sibling, false, meta, profile, opts, state);
        }
    }

    for provider in &opts.providers {
        state.profile_mentioned |= figment::apply(
            &**provider,
            profile,
            &mut tree,
            &state.merger,
            &mut state.origins,
            &mut state.issues,
        );
    }
    if let Some(p) = profile.filter(|_| !state.profile_mentioned) {
        state.warnings.push(format!(
            "the active profile `{p}` is not mentioned by any source (no profile file beside a \
             config file, no [{p}] section); check its spelling"
        ));
    }

    let config_dir = opts
        .config_dir
        .as_deref()
        .or(meta.config_dir.map(Path::new));
    let secrets_dir = opts
        .secrets_dir
        .as_deref()
        .or(meta.secrets_dir.map(Path::new));
    for (dir, kind) in [
        (config_dir, DirKind::Config),
        (secrets_dir, DirKind::Secrets),
    ] {
        let Some(dir) = dir else { continue };
        let matches = dir::read(dir, kind, opts.max_file_size, state);
        apply_matches(&mut tree, matches, state, &|m| {
            ("", kind.label(&m.name), kind.secret())
        });
    }

    let env_file = match &opts.env_file {
        Some(choice) => choice.as_deref(),
        None => meta.env_file.map(Path::new),
    };
    if let Some(path) = env_file {
        read_dotenv(&mut tree, path, false, opts, meta, state);
    }

    // The variable's name is moved into its origin, not copied.
    let env_origin = |m: &mut Match| ("env var ", std::mem::take(&mut m.name), false);
    apply_matches(&mut tree, scan.matches, state, &env_origin);

    #[cfg(feature = "cli")]
    if let Some(args) = &opts.args {
        crate::args::apply(&mut tree, args, meta, state);
    }

    for (path, value) in &opts.overrides {
        let origin = state.origins.add(format!("override {path}"), false);
        match value {
            Ok(json) => {
                let keys: Vec<&str> = path.split('.').collect();
                state
                    .merger
                    .insert_at(&mut tree, &keys, from_json(json.clone(), origin));
            }
            Err(why) => state.issues.push(
                path.clone(),
                IssueKind::Invalid,
                Some(format!("override {path}")),
                format!("the override cannot be serialized: {why}"),
            ),
        }
    }
    // Decrypted before references are resolved: a reference to an encrypted setting sees the
    // plaintext, and is secret.
    // One walk over the strings tells whether either step has anything to do.
    let (encrypted, references) = crate::value::string_work(&tree);
    if encrypted {
        crate::encrypted::decrypt_tree(&mut tree, state, opts, meta);
    }
    crate::interpolate::resolve(&mut tree, state, &opts.env, references || encrypted);
    (tree, scan.unknown)
}

/// Applies environment-style matches, each with its own origin.
fn apply_matches(
    tree: &mut Table,
    matches: Vec<Match>,
    state: &mut State,
    origin_of: &dyn Fn(&mut Match) -> (&'static str, String, bool),
) {
    if matches.is_empty() {
        return;
    }
    env::apply(tree, matches, state, origin_of);
}

/// A config file: read, parsed (with the files it extends), profile sections selected, merged.
fn read_file(
    tree: &mut Table,
    path: &Path,
    required: bool,
    meta: &'static StructMeta,
    profile: Option<&str>,
    opts: &Options,
    state: &mut State,
) {
    let format = file::format_of(path);
    if format == Some(Format::Dotenv) {
        read_dotenv(tree, path, required, opts, meta, state);
        return;
    }
    let cx = FileCx {
        meta,
        profile,
        opts,
    };
    let mut chain = Vec::new();
    if let Some(table) = file_table(path, format, required, &cx, state, &mut chain) {
        state.merger.merge(tree, table);
    }
}

/// What reading typed config files needs besides the state of the load.
struct FileCx<'a> {
    meta: &'static StructMeta,
    profile: Option<&'a str>,
    opts: &'a Options,
}

/// The deepest chain of `extends` followed.
const MAX_EXTENDS: usize = 32;

/// The settings of one typed file: the files it `extends` first (each with its own bases and
/// profile file), then the file itself over them. `format` is what its name says (the caller
/// has asked already); `chain` holds the files being read, to find cycles.
fn file_table(
    path: &Path,
    format: Option<Format>,
    required: bool,
    cx: &FileCx<'_>,
    state: &mut State,
    chain: &mut Vec<std::path::PathBuf>,
) -> Option<Table> {
    // As `format!("file {}", path.display())`, without the formatting machinery.
    let label = ["file ", &path.to_string_lossy()].concat();
    let Some(format) = format.filter(|f| *f != Format::Dotenv) else {
        state.issues.push(
            "",
            IssueKind::Source,
            Some(label),
            format!(
                "the file {} has no known format; use .toml, .yaml, .yml, .json or .ini \
                 (followed by .age when it is encrypted)",
                path.display()
            ),
        );
        return None;
    };
    let text = read_source(path, required, &label, cx.opts, cx.meta, state)?;
    // Every value of a decrypted file is secret.
    let origin = state.origins.add(label, file::is_encrypted(path));
    let mut table = match file::parse_table(format, &text, origin, &state.names.keys) {
        Ok(table) => table,
        Err(e) => {
            let at = e.line.map(|l| format!(" at line {l}")).unwrap_or_default();
            state.issues.push(
                "",
                IssueKind::Source,
                Some(state.origins.get(origin).label()),
                format!(
                    "the file {} cannot be parsed{at}: {}",
                    path.display(),
                    e.message
                ),
            );
            return None;
        }
    };
    let bases = take_extends(&mut table, cx.meta, path, state);
    let selected = crate::profile::select(table, cx.meta, cx.profile);
    state.profile_mentioned |= selected.mentions_profile;
    for name in selected.not_tables {
        state.issues.push(
            "",
            IssueKind::Source,
            Some(state.origins.get(origin).label()),
            format!(
                "the profile section `{name}` in the file {} is not a table of settings",
                path.display()
            ),
        );
    }
    if bases.is_empty() {
        return Some(selected.table);
    }
    chain.push(path.to_owned());
    let label = state.origins.get(origin).label();
    let mut merged = Table::new();
    for base in bases {
        let base = path.parent().unwrap_or(Path::new("")).join(base);
        let shown = || {
            chain
                .iter()
                .chain([&base])
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" → ")
        };
        let same = |p: &std::path::PathBuf| p == &base || same_file(p, &base);
        if chain.iter().any(same) {
            let message = format!("the files extend each other in a cycle: {}", shown());
            state
                .issues
                .push("", IssueKind::Source, Some(label.clone()), message);
            continue;
        }
        if chain.len() >= MAX_EXTENDS {
            let message = format!(
                "files extend files more than {MAX_EXTENDS} deep: {}",
                shown()
            );
            state
                .issues
                .push("", IssueKind::Source, Some(label.clone()), message);
            continue;
        }
        if std::fs::symlink_metadata(&base).is_err() {
            let message = format!(
                "the extended file {} does not exist: {}",
                base.display(),
                shown()
            );
            state
                .issues
                .push("", IssueKind::Source, Some(label.clone()), message);
            continue;
        }
        if let Some(t) = file_table(&base, file::format_of(&base), true, cx, state, chain) {
            state.merger.merge(&mut merged, t);
        }
        if let Some(sibling) = cx.profile.and_then(|p| file::profile_sibling(&base, p)) {
            state.profile_mentioned |= sibling.exists();
            if let Some(t) =
                file_table(&sibling, file::format_of(&sibling), false, cx, state, chain)
            {
                state.merger.merge(&mut merged, t);
            }
        }
    }
    chain.pop();
    state.merger.merge(&mut merged, selected.table);
    Some(merged)
}

/// Whether two paths name one file (both exist and resolve to the same place).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Takes the top-level `extends` (a file name or a list of them) out of a file's table, unless
/// the struct has a field of that name.
fn take_extends(
    table: &mut Table,
    meta: &StructMeta,
    path: &Path,
    state: &mut State,
) -> Vec<String> {
    if meta.field_index("extends").is_some() {
        return Vec::new();
    }
    let Some(value) = table.remove("extends") else {
        return Vec::new();
    };
    let names = match value.node {
        Node::Str(s) | Node::Text(s) => Some(vec![s]),
        Node::Array(items) => items
            .into_iter()
            .map(|i| match i.node {
                Node::Str(s) | Node::Text(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => None,
    };
    names.unwrap_or_else(|| {
        state.issues.push(
            "extends",
            IssueKind::Source,
            Some(format!("file {}", path.display())),
            format!(
                "`extends` in the file {} must be a file name or a list of file names",
                path.display()
            ),
        );
        Vec::new()
    })
}

/// Reads a source file's text (a `*.age` file decrypted); `None` (with an issue where it is a
/// problem) when there is none.
fn read_source(
    path: &Path,
    required: bool,
    label: &str,
    opts: &Options,
    meta: &'static StructMeta,
    state: &mut State,
) -> Option<Zeroizing<String>> {
    let read = if file::is_encrypted(path) {
        match file::read_bytes(path, opts.max_file_size) {
            Ok(Some(bytes)) => {
                return crate::encrypted::open_file(path, &bytes, label, state, opts, meta);
            }
            nothing_or_error => nothing_or_error.map(|_| None),
        }
    } else {
        file::read_text(path, opts.max_file_size).map(|text| text.map(Zeroizing::new))
    };
    let issues = &mut state.issues;
    match read {
        Ok(Some(text)) => Some(text),
        Ok(None) => {
            if required {
                issues.push(
                    "",
                    IssueKind::Source,
                    Some(label.to_owned()),
                    format!("the required file {} does not exist", path.display()),
                );
            }
            None
        }
        Err(why) => {
            issues.push(
                "",
                IssueKind::Source,
                Some(label.to_owned()),
                format!("the file {} {why}", path.display()),
            );
            None
        }
    }
}

/// A dotenv file: its lines are mapped like environment variables.
fn read_dotenv(
    tree: &mut Table,
    path: &Path,
    required: bool,
    opts: &Options,
    meta: &'static StructMeta,
    state: &mut State,
) {
    let label = format!("env file {}", path.display());
    let Some(text) = read_source(path, required, &label, opts, meta, state) else {
        return;
    };
    // Every value of a decrypted file is secret.
    let secret = file::is_encrypted(path);
    let lookup = |name: &str| opts.env.get(name);
    let (entries, errors) = dotenv::parse(&text, &lookup);
    for e in errors {
        state.issues.push(
            "",
            IssueKind::Source,
            Some(label.clone()),
            format!(
                "the env file {} has an invalid line {}: {}",
                path.display(),
                e.line,
                e.message
            ),
        );
    }
    // A name given twice is a mistake (which one was meant?), as a duplicate key is in any format.
    // One issue per name, however often it repeats: the lines of its first two assignments.
    let mut seen: std::collections::HashMap<&str, (usize, Option<usize>, usize)> =
        std::collections::HashMap::new();
    let mut repeated: Vec<&str> = Vec::new();
    for e in &entries {
        let (_, second, count) = seen.entry(&e.name).or_insert((e.line, None, 0));
        *count += 1;
        if *count == 2 {
            *second = Some(e.line);
            repeated.push(&e.name);
        }
    }
    for name in repeated {
        let (first, second, count) = seen[name];
        let second = second.unwrap_or(first);
        let times = match count {
            2 => "twice".to_owned(),
            n => format!("{n} times"),
        };
        state.issues.push(
            "",
            IssueKind::Source,
            Some(label.clone()),
            format!(
                "the env file {} sets {name} {times} (lines {first} and {second}{})",
                path.display(),
                if count > 2 { ", ..." } else { "" }
            ),
        );
    }
    let matches = entries
        .into_iter()
        .filter_map(|e| {
            let (target, rank) = state.names.lookup(&e.name)?;
            // A single-quoted dotenv value is literal: keep `${` from being read as a reference.
            let value = if e.literal {
                e.value.replace("${", "$${")
            } else {
                e.value
            };
            Some(Match {
                target,
                rank,
                name: e.name,
                value: Some(value),
                line: Some(e.line),
            })
        })
        .collect();
    apply_matches(tree, matches, state, &|m| {
        let line = m.line.unwrap_or(0);
        ("", format!("{label}, {} on line {line}", m.name), secret)
    });
}

/// Every path a load reads from the file system: config files (and the directories their
/// profile files would be in), the env file, the config and secrets directories.
#[cfg_attr(not(feature = "watch"), allow(dead_code))]
pub(crate) fn watched_paths(
    meta: &'static StructMeta,
    opts: &Options,
) -> Vec<(std::path::PathBuf, bool)> {
    let mut out = Vec::new();
    for f in meta.files {
        out.push((Path::new(f).to_owned(), false));
    }
    for (f, _) in &opts.files {
        out.push((f.clone(), false));
    }
    let env_file = match &opts.env_file {
        Some(choice) => choice.clone(),
        None => meta.env_file.map(Into::into),
    };
    out.extend(env_file.map(|f| (f, false)));
    let config_dir = opts.config_dir.clone().or(meta.config_dir.map(Into::into));
    let secrets_dir = opts
        .secrets_dir
        .clone()
        .or(meta.secrets_dir.map(Into::into));
    out.extend(config_dir.map(|d| (d, true)));
    out.extend(secrets_dir.map(|d| (d, true)));
    out
}
