//! One load: the sources in documented precedence, each read into a layer and merged into one
//! tree, then the passes (decryption, references), then extraction field by field, collecting
//! every issue. The only module that knows the order of the sources and the loader's options.
//!
//! Precedence, lowest first: defaults (applied during extraction, where no source set a value),
//! config files (declared, then the builder's; each followed by its profile sibling), custom
//! providers, the config directory, the secrets directory, the env file, the environment,
//! arguments, and runtime overrides.

use crate::early::Early;
use crate::encrypted::{KeySources, Keys};
use crate::error::{Error, IssueKind, Issues};
use crate::extract::{Loaded, extract};
use crate::fields::TargetId;
use crate::interpolate::Scope;
use crate::layer::{Data, Layer, Problems};
use crate::loader::Options;
use crate::merge::Merger;
use crate::meta::StructMeta;
use crate::naming::{ElementName, Names};
use crate::origin::{Origin, OriginId, Origins};
use crate::providers::dir::{self, DirKind};
use crate::providers::env::{self, Match};
use crate::providers::figment::{self, Held};
use crate::providers::files::{self, FileCx};
use crate::report::Report;
use crate::settings::Settings;
use crate::tree::{Node, Table, Value, any_string, from_json, insert_path, table_in};
use std::path::{Path, PathBuf};

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
    inspect: &mut dyn FnMut(&mut Table, &Names),
) -> Result<(T, Option<Report>), Error> {
    let meta = T::__meta();
    let names = Names::of(meta);
    let mut load = Load::new(names, explain);
    let (unknown_env, profile) = gather(meta, opts, &mut load, Providers::Read);
    let plan = Plan {
        meta,
        opts,
        profile: profile.as_deref(),
    };
    let Load {
        origins,
        merger,
        mut tree,
        problems,
        default_origin,
        unparsed,
        misses,
        ..
    } = load;
    let Problems {
        mut issues,
        mut warnings,
        mut rejected,
    } = problems;
    if !names.secret_places.is_empty() {
        let deny = meta.deny_plain_secrets || opts.deny_plain_secrets;
        let found = crate::plain::check(&mut tree, names, &origins, deny);
        issues.append(found.issues);
        warnings.extend(found.warnings);
        rejected.extend(found.rejected);
    }
    inspect(&mut tree, names);
    let loaded = Loaded {
        names,
        origins: &origins,
        merger: &merger,
        rejected: &rejected,
        default_origin,
        secrets_dir: plan.secrets_dir(),
    };
    let extracted = extract::<T>(&loaded, tree, issues, explain);
    let mut issues = extracted.issues;
    warnings.extend(extracted.warnings);
    // A file that does not parse would have set values that now look missing: its parse
    // error is what to fix, and the list of missing values would bury it.
    if unparsed {
        issues.drop_kind(IssueKind::Missing);
    }
    let missing = issues.any(IssueKind::Missing);
    if missing {
        for (id, message) in &misses {
            issues.add_to_missing(&names.fields.targets[*id].path, &format!("; {message}"));
        }
        let not_found = plan.not_found();
        if !not_found.is_empty() {
            issues.add_to_all_missing(&format!("; not found: {}", not_found.join(", ")));
        }
    }
    if !unknown_env.is_empty() {
        unknown_env_problems(
            names,
            &unknown_env,
            meta.deny_unknown_env,
            &mut issues,
            &mut warnings,
        );
    }
    let warnings: Vec<String> = warnings
        .into_iter()
        .map(crate::redact::url_passwords_owned)
        .collect();
    // Said on every load, not only by `explain()`: a service that never asks still logs them.
    for warning in &warnings {
        tracing::warn!(target: "settings_core", "{warning}");
    }
    let report = extracted.report.map(|entries| Report {
        entries,
        unknown_env,
        warnings,
        sources: plan.sources(),
        profile: profile.clone(),
    });
    if let Some(err) = issues.into_error() {
        return Err(err);
    }
    match extracted.value {
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

/// What one load keeps while its sources are read: the tree so far and everything said about it.
struct Load {
    names: &'static Names,
    origins: Origins,
    merger: Merger,
    tree: Table,
    problems: Problems,
    default_origin: OriginId,
    /// Some source has something for the active profile.
    mentions_profile: bool,
    /// Names that carry the prefix but set nothing, from the sources other than the
    /// environment (an env file's lines).
    unknown: Vec<String>,
    /// A config file could not be parsed.
    unparsed: bool,
    /// Near misses of the sources, for the `Missing` issues.
    misses: Vec<(TargetId, String)>,
    /// Every layer so far said its strings hold no `${` and no `ENC[`.
    plain: bool,
}

impl Load {
    fn new(names: &'static Names, explain: bool) -> Self {
        let mut origins = Origins::with_capacity(Origins::FIRST);
        let default_origin = origins.add(Origin::Default, false);
        Load {
            names,
            origins,
            merger: Merger::new(names.fields.extend_lists(), &names.fields.keys, explain),
            tree: Table::new(),
            problems: Problems::default(),
            default_origin,
            mentions_profile: false,
            unknown: Vec::new(),
            unparsed: false,
            misses: Vec::new(),
            plain: true,
        }
    }

    /// Merges a source's layer over the tree, and takes in its problems.
    fn add(&mut self, layer: Layer) {
        self.plain &= layer.holds_no_markers();
        self.problems.append(layer.problems);
        self.mentions_profile |= layer.mentions_profile;
        self.unparsed |= layer.unparsed;
        if !layer.unknown.is_empty() {
            self.unknown.extend(layer.unknown);
        }
        if !layer.misses.is_empty() {
            self.misses.extend(layer.misses);
        }
        match layer.data {
            Data::Tables(tables) => {
                for mut table in tables {
                    if !self.names.renames.is_empty() {
                        crate::rename::apply(
                            &mut table,
                            &self.names.renames,
                            &self.names.fields,
                            &self.origins,
                            &mut self.problems.warnings,
                        );
                    }
                    self.merger.merge(&mut self.tree, table);
                }
            }
            Data::Fields(values) => {
                for (target, value) in values {
                    let keys = &self.names.fields.targets[target].keys;
                    self.merger.insert(&mut self.tree, keys, value);
                }
            }
        }
        for (target, element, value) in layer.elements {
            let field = &self.names.fields.targets[target];
            let origin = value.origin;
            let separator = field.field.separator.unwrap_or(",");
            let at = &field.keys;
            if let Err(message) = set_element(&mut self.tree, at, &element, separator, value) {
                let mut path = format!("{}.{}", field.path, element.key);
                for key in element.keys {
                    path.push('.');
                    path.push_str(key);
                }
                let from = self.origins.get(origin).origin.clone();
                self.problems
                    .issue(path, IssueKind::Invalid, Some(from), message);
            }
        }
    }
}

/// Sets one field of one element of a list or map of structs (`at` is the collection's path):
/// over the element that lower sources gave, or in a new element: the next index after the
/// last appends, a map's new key adds an entry. A list given as JSON text is read as a list
/// first, so that its elements' variables apply over it.
fn set_element(
    tree: &mut Table,
    at: &[&'static str],
    element: &ElementName,
    separator: &str,
    value: Value,
) -> Result<(), String> {
    let origin = value.origin;
    let Some((last, parents)) = at.split_last() else {
        return Ok(());
    };
    let mut table = tree;
    for key in parents {
        let slot = table
            .entry(std::borrow::Cow::Borrowed(*key))
            .or_insert_with(|| Value::table(origin));
        table = table_in(slot, origin);
    }
    let empty = || {
        let node = if element.map {
            Node::Table(Table::new())
        } else {
            Node::Array(Vec::new())
        };
        Value::new(node, origin)
    };
    let slot = table
        .entry(std::borrow::Cow::Borrowed(*last))
        .or_insert_with(empty);
    // The element's address is checked once the collection is in the tree: a variable that
    // was meant for it is an issue of its own, and the collection is not also missing.
    if element.key.is_empty() {
        return Err(format!(
            "the {} is empty: a name like `{last}__KEY__...` gives it between the delimiters",
            if element.map { "key" } else { "index" }
        ));
    }
    // A list's index (a map's key is any text).
    let index = match element.key.parse::<usize>() {
        _ if element.map => 0,
        Ok(index) => index,
        Err(_) => {
            return Err(format!(
                "`{}` is not an index: the elements of `{last}` are numbered from 0",
                element.key
            ));
        }
    };
    let inner: Vec<&str> = element.keys.to_vec();
    if let Node::Text(s) | Node::Str(s) = &slot.node {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(s) {
            *slot = from_json(json, slot.origin);
        } else if inner.is_empty() && !element.map {
            // A list of values given as one text (`a,b`): its items, then the indexed one.
            let items = crate::redact::split_list(s, separator)
                .into_iter()
                .map(|item| Value::new(Node::Text(item.to_owned()), slot.origin))
                .collect();
            slot.node = Node::Array(items);
        }
    }
    match &mut slot.node {
        Node::Array(items) if !element.map => {
            let len = items.len();
            match index.cmp(&len) {
                // An item of a list of values is replaced whole.
                std::cmp::Ordering::Less if inner.is_empty() => items[index] = value,
                std::cmp::Ordering::Less => match &mut items[index].node {
                    Node::Table(t) => insert_path(t, &inner, value),
                    _ => items[index] = element_with(&inner, value),
                },
                std::cmp::Ordering::Equal => items.push(element_with(&inner, value)),
                std::cmp::Ordering::Greater => {
                    return Err(format!(
                        "index {index} leaves a gap: `{last}` has {len} element{} here, so the \
                         next index is {len}",
                        if len == 1 { "" } else { "s" }
                    ));
                }
            }
        }
        Node::Table(entries) if element.map && inner.is_empty() => {
            entries.insert(std::borrow::Cow::Owned(element.key.clone()), value);
        }
        Node::Table(entries) if element.map => {
            let entry = entries
                .entry(std::borrow::Cow::Owned(element.key.clone()))
                .or_insert_with(|| Value::table(origin));
            match &mut entry.node {
                Node::Table(t) => insert_path(t, &inner, value),
                _ => *entry = element_with(&inner, value),
            }
        }
        _ => {
            let (kind, want) = (
                slot.kind_name(),
                crate::extract::collection_form(element.map),
            );
            return Err(format!(
                "`{last}` is {kind} here, not {want}: one of its elements cannot be set"
            ));
        }
    }
    Ok(())
}

/// A new element holding `value` at `keys` (the value itself, for a list of values).
fn element_with(keys: &[&str], value: Value) -> Value {
    if keys.is_empty() {
        return value;
    }
    let mut table = Table::new();
    let origin = value.origin;
    insert_path(&mut table, keys, value);
    Value::new(Node::Table(table), origin)
}

/// Where a load reads from the file system: the struct's attributes, unless the loader says
/// otherwise. One place for the choice, shared by the load and by hot reload's watches.
struct Plan<'a> {
    meta: &'static StructMeta,
    opts: &'a Options,
    /// The active profile, which may have an env file and a secrets directory of its own.
    profile: Option<&'a str>,
}

impl<'a> Plan<'a> {
    /// The config files, declared then added, each with whether it is required.
    fn files(&self) -> impl Iterator<Item = (&'a Path, bool)> {
        let declared = self.meta.files.iter().map(|f| (Path::new(*f), false));
        let added = self.opts.files.iter().map(|(p, req)| (p.as_path(), *req));
        declared.chain(added)
    }

    fn config_dir(&self) -> Option<&'a Path> {
        let declared = self.meta.config_dir.map(Path::new);
        self.opts.config_dir.as_deref().or(declared)
    }

    fn secrets_dir(&self) -> Option<&'a Path> {
        if let Some(dir) = self.of_profile(&self.opts.profile_secrets_dirs) {
            return Some(dir);
        }
        let declared = self.meta.secrets_dir.map(Path::new);
        self.opts.secrets_dir.as_deref().or(declared)
    }

    fn env_file(&self) -> Option<&'a Path> {
        if let Some(file) = self.of_profile(&self.opts.profile_env_files) {
            return Some(file);
        }
        match &self.opts.env_file {
            Some(choice) => choice.as_deref(),
            None => self.meta.env_file.map(Path::new),
        }
    }

    /// The active profile's entry of a `profile_*` list.
    fn of_profile(&self, list: &'a [(String, PathBuf)]) -> Option<&'a Path> {
        let profile = self.profile?;
        list.iter()
            .find(|(p, _)| p == profile)
            .map(|(_, path)| path.as_path())
    }

    /// Every file and directory the load reads, in order, with whether it is there: the config
    /// files (each followed by its file for the active profile, if `siblings`), the config and
    /// secrets directories, the env file.
    fn places(&self, siblings: bool) -> Vec<Place> {
        let mut out = Vec::new();
        let profile = self.profile.filter(|_| siblings);
        for (path, required) in self.files() {
            out.push(Place::file("file", path, required));
            if let Some(sibling) =
                profile.and_then(|p| crate::providers::file::profile_sibling(path, p))
            {
                out.push(Place::file("file", &sibling, false));
            }
        }
        for (dir, what) in [
            (self.config_dir(), "config directory"),
            (self.secrets_dir(), "secrets directory"),
        ] {
            if let Some(dir) = dir {
                out.push(Place {
                    what,
                    path: dir.to_path_buf(),
                    found: dir.is_dir(),
                    required: false,
                });
            }
        }
        if let Some(path) = self.env_file() {
            out.push(Place::file("env file", path, false));
        }
        out
    }

    /// Every place the load reads, absolute, each marked `(not found)` when absent: what
    /// `explain()` lists.
    fn sources(&self) -> Vec<String> {
        let cwd = std::env::current_dir().ok();
        self.places(true)
            .into_iter()
            .map(|p| {
                let path = match &cwd {
                    Some(cwd) if p.path.is_relative() => cwd.join(&p.path),
                    _ => p.path,
                };
                let missing = if p.found { "" } else { " (not found)" };
                format!("{} {}{missing}", p.what, path.display())
            })
            .collect()
    }

    /// What the load looked for and did not find (optional files, directories), said with
    /// where a relative path was looked for: a value is often missing because its file was
    /// looked for in another working directory. Asked only when a value is missing. A required
    /// file that is absent is an issue of its own already; profile files are not listed.
    fn not_found(&self) -> Vec<String> {
        let cwd = std::env::current_dir().ok();
        self.places(false)
            .into_iter()
            .filter(|p| !p.found && !p.required)
            .map(|p| match &cwd {
                Some(cwd) if p.path.is_relative() => {
                    format!("the {} {} (in {})", p.what, p.path.display(), cwd.display())
                }
                _ => format!("the {} {}", p.what, p.path.display()),
            })
            .collect()
    }
}

/// A file or directory a load reads, and whether it was there.
struct Place {
    what: &'static str,
    path: std::path::PathBuf,
    found: bool,
    /// A file whose absence is an issue of its own.
    required: bool,
}

impl Place {
    fn file(what: &'static str, path: &Path, required: bool) -> Self {
        Place {
            what,
            path: path.to_path_buf(),
            found: path.exists(),
            required,
        }
    }
}

/// Reads every source into the tree, lowest precedence first, then runs the passes. The
/// variables that carry the prefix but set nothing.
fn gather(
    meta: &'static StructMeta,
    opts: &Options,
    load: &mut Load,
    providers: Providers,
) -> (Vec<String>, Option<String>) {
    let names = load.names;
    // One pass over the environment, first: it also names the active profile.
    let profile_var = &names.profile_var;
    let mut scan = env::scan(&opts.env, &names.env, profile_var, meta.case_sensitive);
    let key_sources = KeySources::new(
        meta,
        &opts.age_keys,
        &opts.age_key_files,
        &opts.env,
        opts.max_file_size,
    );
    let mut keys = Keys::new(key_sources);
    for (target, name) in std::mem::take(&mut scan.bad_keys) {
        let path = &names.fields.targets[target].path;
        load.problems.issue(
            path.clone(),
            IssueKind::Invalid,
            Some(Origin::EnvVar { name: name.clone() }),
            format!(
                "{name} names an element of `{path}` by a key that is not valid UTF-8 (shown \
                 as �), so it sets nothing: rename the variable"
            ),
        );
    }
    let profile = opts
        .profile
        .clone()
        .or(scan.profile.clone())
        .filter(|p| !p.is_empty());
    let profile = profile.as_deref();
    let plan = Plan {
        meta,
        opts,
        profile,
    };
    if let Some(p) = profile
        && !meta.profiles.is_empty()
        && !meta.profiles.contains(&p)
    {
        // Chosen by the loader (`Loader::profile`) or by the environment.
        let origin = opts.profile.is_none().then(|| Origin::EnvVar {
            name: profile_var.clone(),
        });
        let hint = match crate::suggest::closest(p, meta.profiles.iter().copied()) {
            Some(k) => format!("; did you mean `{k}`?"),
            None => String::new(),
        };
        load.problems.issue(
            "",
            IssueKind::Source,
            origin,
            format!(
                "the active profile `{p}` is not one of the known profiles ({}){hint}",
                meta.profiles.join(", ")
            ),
        );
    }
    let mut cx = FileCx {
        meta,
        names,
        profile,
        max_file_size: opts.max_file_size,
        env: &opts.env,
        keys: &mut keys,
    };

    for (path, required) in plan.files() {
        let layer = files::read(path, required, &mut cx, &mut load.origins);
        load.add(layer);
        if let Some(p) = profile {
            let Some(sibling) = crate::providers::file::profile_sibling(path, p) else {
                continue;
            };
            load.mentions_profile |= sibling.exists();
            let layer = files::read(&sibling, false, &mut cx, &mut load.origins);
            load.add(layer);
        }
        // The keys' problems, if a `*.age` file had them read, in the order they arose.
        load.problems.append(std::mem::take(&mut cx.keys.problems));
    }

    // The early settings, for the providers that settings choose: every other source, read
    // once more without the providers (only for loaders that have such a provider).
    let mut early = None;
    for provider in opts
        .providers
        .iter()
        .filter(|_| providers == Providers::Read)
    {
        if matches!(provider, Held::With(_)) && early.is_none() {
            early = Some(early_settings(meta, opts, names));
        }
        let layer = figment::read(provider, profile, early.as_ref(), &mut load.origins);
        load.add(layer);
    }
    // A profile given an env file or a secrets directory of its own is one the app knows.
    load.mentions_profile |= plan.of_profile(&opts.profile_env_files).is_some()
        || plan.of_profile(&opts.profile_secrets_dirs).is_some();
    // Unknown profiles are an issue when the known ones are declared; else a likely typo.
    if let Some(p) = profile.filter(|_| !load.mentions_profile && meta.profiles.is_empty()) {
        load.problems.warnings.push(format!(
            "the active profile `{p}` is not mentioned by any source (no profile file beside a \
             config file, no [{p}] section); check its spelling"
        ));
    }

    for (dir, kind) in [
        (plan.config_dir(), DirKind::Config),
        (plan.secrets_dir(), DirKind::Secrets),
    ] {
        if let Some(dir) = dir {
            let layer = dir::read(dir, kind, opts.max_file_size, names, &mut load.origins);
            load.add(layer);
        }
    }

    if let Some(path) = plan.env_file() {
        let layer = files::env_file(path, false, &mut cx, &mut load.origins);
        load.add(layer);
        load.problems.append(std::mem::take(&mut cx.keys.problems));
    }

    if !scan.matches.is_empty() {
        // The variable's name is moved into its origin, not copied.
        let env_origin = |m: &mut Match| {
            (
                Origin::EnvVar {
                    name: std::mem::take(&mut m.name),
                },
                false,
            )
        };
        let matches = std::mem::take(&mut scan.matches);
        let layer = env::layer(
            matches,
            &names.fields,
            &mut load.origins,
            &env_origin,
            Problems::default(),
            opts.max_file_size,
        );
        load.add(layer);
    }

    if let Some(args) = &opts.args {
        let layer = crate::cmdline::read(args, meta, names, &mut load.origins);
        load.add(layer);
    }

    for (path, value) in &opts.overrides {
        let over = || Origin::Override { path: path.clone() };
        let origin = load.origins.add(over(), false);
        match value {
            Ok(json) => {
                let renamed = match names.renames.is_empty() {
                    true => None,
                    false => crate::rename::current_path(
                        path,
                        &names.renames,
                        &names.fields,
                        &mut load.problems.warnings,
                    ),
                };
                let path = renamed.as_deref().unwrap_or(path);
                if let Some((id, element)) = names.element_at(path) {
                    // Into one element of a list or map, as an indexed variable would.
                    let value = from_json(json.clone(), origin);
                    let field = &names.fields.targets[id];
                    let separator = field.field.separator.unwrap_or(",");
                    if let Err(message) =
                        set_element(&mut load.tree, &field.keys, &element, separator, value)
                    {
                        let origin = Some(over());
                        load.problems
                            .issue(path, IssueKind::Invalid, origin, message);
                    }
                    continue;
                }
                let keys: Vec<&str> = path.split('.').collect();
                let value = from_json(json.clone(), origin);
                load.merger.insert_at(&mut load.tree, &keys, value);
            }
            Err(why) => load.problems.issue(
                path.clone(),
                IssueKind::Invalid,
                Some(over()),
                format!("the override cannot be serialized: {why}"),
            ),
        }
    }

    // The passes. Decryption comes first: a reference to an encrypted setting sees the
    // plaintext, and is secret. One walk over the strings tells whether either has work,
    // unless every source checked its texts and found neither.
    let mut found = (false, false);
    if !(load.plain && opts.overrides.is_empty()) {
        any_string(&load.tree, |s| {
            found.0 |= crate::encrypted::is_encrypted(s);
            found.1 |= s.as_bytes().contains(&b'$') && s.contains("${");
            found.0 && found.1
        });
    }
    let (encrypted, references) = found;
    if encrypted {
        let problems =
            crate::encrypted::decrypt_tree(&mut load.tree, keys.ring(), &mut load.origins);
        load.problems.append(std::mem::take(&mut keys.problems));
        load.problems.append(problems);
    }
    let scope = Scope {
        names,
        env: &opts.env,
        default_origin: load.default_origin,
    };
    // Decrypted text is literal: its `${` were written `$${`, which the reference pass turns
    // back into `${`, so it runs whenever something was decrypted.
    let problems = crate::interpolate::resolve(
        &mut load.tree,
        &scope,
        &mut load.origins,
        references || encrypted,
    );
    load.problems.append(problems);
    let mut unknown = scan.unknown;
    unknown.append(&mut load.unknown);
    // `{prefix}AGE_KEY` and `{prefix}AGE_KEY_FILE` carry the prefix but give keys, not
    // settings; the profile variable names the profile.
    if !unknown.is_empty() {
        let vars = crate::encrypted::key_vars(meta);
        unknown.retain(|name| !vars.contains(name) && !name.eq_ignore_ascii_case(profile_var));
    }
    (unknown, profile.map(str::to_owned))
}

/// Whether a gathering reads the providers: not for the early settings they are built from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Providers {
    Read,
    Skip,
}

/// What every source but the providers says, merged and resolved, for `provider_with`.
#[cold]
fn early_settings(meta: &'static StructMeta, opts: &Options, names: &'static Names) -> Early {
    let mut load = Load::new(names, false);
    let (_, profile) = gather(meta, opts, &mut load, Providers::Skip);
    Early {
        tree: load.tree,
        names,
        origins: load.origins,
        default_origin: load.default_origin,
        profile,
    }
}

/// Variables that carry the prefix but set nothing (likely typos): warnings for the report, or
/// `Unknown` issues under `deny_unknown_env`; each with the closest real name. When that name's
/// setting is missing, its `Missing` issue says so too: the near miss is the likely cause, and
/// it must not vanish with the warnings of a load that fails.
fn unknown_env_problems(
    names: &Names,
    unknown: &[String],
    deny: bool,
    issues: &mut Issues,
    warnings: &mut Vec<String>,
) {
    let known: Vec<(String, TargetId)> = (0..names.fields.targets.len())
        .flat_map(|id| names.names_of(id).into_iter().map(move |n| (n, id)))
        .collect();
    for name in unknown {
        // A misspelt `NAME_FILE` is compared by its `NAME`, and the suggestion keeps the suffix.
        let (stem, suffix) = match names.env.file_stem(name) {
            Some(stem) => (stem, &name[stem.len()..]),
            None => (name.as_str(), ""),
        };
        if let Some(meant) = names.env.suggest_element(stem) {
            let message = format!(
                "{name} carries the prefix but sets no setting; did you mean {meant}{suffix}?"
            );
            if deny {
                let origin = Some(Origin::EnvVar { name: name.clone() });
                issues.push("", IssueKind::Unknown, origin, message);
            } else {
                warnings.push(message);
            }
            continue;
        }
        let closest = crate::suggest::closest(stem, known.iter().map(|(n, _)| n.as_str()));
        let hint = match closest.and_then(|k| known.iter().find(|(n, _)| n == k)) {
            Some((k, id)) => {
                let path = &names.fields.targets[*id].path;
                issues.add_to_missing(path, &format!("; {name} is set: did you mean {k}{suffix}?"));
                format!("; did you mean {k}{suffix}?")
            }
            None => String::new(),
        };
        let message = format!("{name} carries the prefix but sets no setting{hint}");
        if deny {
            issues.push(
                "",
                IssueKind::Unknown,
                Some(Origin::EnvVar { name: name.clone() }),
                message,
            );
        } else {
            warnings.push(message);
        }
    }
}

/// Every path a load reads from the file system: config files (and the directories their
/// profile files would be in), the env file, the config and secrets directories; each with
/// whether it is a directory. The env files and secrets directories of every profile are
/// watched too: the active profile can change from one reload to the next.
#[cfg(feature = "watch")]
pub(crate) fn watched_paths(
    meta: &'static StructMeta,
    opts: &Options,
) -> Vec<(std::path::PathBuf, bool)> {
    let plan = Plan {
        meta,
        opts,
        profile: None,
    };
    let mut out: Vec<(std::path::PathBuf, bool)> =
        plan.files().map(|(f, _)| (f.to_owned(), false)).collect();
    out.extend(plan.env_file().map(|f| (f.to_owned(), false)));
    out.extend(
        opts.profile_env_files
            .iter()
            .map(|(_, f)| (f.clone(), false)),
    );
    out.extend(plan.config_dir().map(|d| (d.to_owned(), true)));
    out.extend(plan.secrets_dir().map(|d| (d.to_owned(), true)));
    out.extend(
        opts.profile_secrets_dirs
            .iter()
            .map(|(_, d)| (d.clone(), true)),
    );
    out
}
