//! The config-file source: one file given by the struct (`files = [...]`) or the loader
//! (`Loader::file`), with the files it `extends`, each followed by its profile file; a `*.age`
//! file decrypted first; a `.env` file read as an env file. A top-level `$schema` (the key a JSON
//! file names its JSON Schema with, for editors) is not a setting and is dropped, unless the
//! struct has a field of that name.

use super::file::{self, Format};
use crate::encrypted::Keys;
use crate::error::IssueKind;
use crate::layer::{Data, Layer, Problems};
use crate::meta::StructMeta;
use crate::naming::Names;
use crate::origin::{Origin, Origins};
use crate::providers::env::EnvInput;
use crate::tree::{Node, Table};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// What reading config files needs besides the file.
pub(crate) struct FileCx<'a, 'k> {
    pub(crate) meta: &'static StructMeta,
    pub(crate) names: &'static Names,
    /// The active profile.
    pub(crate) profile: Option<&'a str>,
    /// The largest file read.
    pub(crate) max_file_size: u64,
    /// The environment, for the `${VAR}`s of an env file.
    pub(crate) env: &'a EnvInput,
    /// The age identities, for `*.age` files (read only when one is met).
    pub(crate) keys: &'a mut Keys<'k>,
}

/// The deepest chain of `extends` followed.
const MAX_EXTENDS: usize = 32;

/// A config file as a layer: the tables of the files it extends (each followed by its profile
/// file), then its own, in the order they merge. A file that does not exist is skipped unless
/// `required`.
pub(crate) fn read(
    path: &Path,
    required: bool,
    cx: &mut FileCx<'_, '_>,
    origins: &mut Origins,
) -> Layer {
    let format = file::format_of(path);
    if format == Some(Format::Dotenv) {
        return env_file(path, required, cx, origins);
    }
    let mut walk = Walk {
        cx,
        origins,
        problems: Problems::default(),
        tables: Vec::new(),
        chain: Vec::new(),
        mentions_profile: false,
        unparsed: false,
        plain: true,
    };
    walk.file(path, format, required);
    Layer {
        data: Data::Tables(walk.tables),
        problems: walk.problems,
        mentions_profile: walk.mentions_profile,
        unparsed: walk.unparsed,
        plain: walk.plain,
        ..Layer::default()
    }
}

/// An env file (`env_file = ...`, or a `.env` file given as a config file), whatever its name,
/// as a layer. A file that does not exist is skipped unless `required`.
pub(crate) fn env_file(
    path: &Path,
    required: bool,
    cx: &mut FileCx<'_, '_>,
    origins: &mut Origins,
) -> Layer {
    let file = Origin::EnvFile {
        path: path.to_path_buf(),
    };
    let mut problems = Problems::default();
    let Some(text) = read_source(path, required, &file, cx, &mut problems) else {
        return Layer::failed(problems);
    };
    // Every value of a decrypted file is secret.
    let secret = file::is_encrypted(path);
    let lookup = |name: &str| cx.env.get(name);
    let mut layer = super::dotenv::layer(
        &text,
        path,
        secret,
        &lookup,
        cx.names,
        origins,
        cx.max_file_size,
    );
    problems.append(layer.problems);
    layer.problems = problems;
    layer
}

/// One walk through a file and the files it extends.
struct Walk<'w, 'a, 'k> {
    cx: &'w mut FileCx<'a, 'k>,
    origins: &'w mut Origins,
    problems: Problems,
    /// The tables found, in the order they merge.
    tables: Vec<Table>,
    /// The files being read, to find cycles.
    chain: Vec<PathBuf>,
    mentions_profile: bool,
    /// Some file could not be parsed.
    unparsed: bool,
    /// No file's text holds a `$`, an `ENC[` or a backslash.
    plain: bool,
}

impl Walk<'_, '_, '_> {
    /// The settings of one typed file: the files it `extends` first (each with its own bases and
    /// profile file), then the file itself over them. `format` is what its name says.
    fn file(&mut self, path: &Path, format: Option<Format>, required: bool) {
        let file = Origin::File {
            path: path.to_path_buf(),
        };
        let Some(format) = format.filter(|f| *f != Format::Dotenv) else {
            self.problems.source(
                file,
                format!(
                    "the file {} has no known format; use .toml, .yaml, .yml, .json or .ini \
                     (followed by .age when it is encrypted)",
                    path.display()
                ),
            );
            return;
        };
        let Some(text) = read_source(path, required, &file, self.cx, &mut self.problems) else {
            return;
        };
        self.plain &= !crate::tree::may_hold_markers(&text);
        // Every value of a decrypted file is secret.
        let origin = self.origins.add(file, file::is_encrypted(path));
        let label = || self.origins.get(origin).origin.clone();
        let mut table = match file::parse_table(format, &text, origin, &self.cx.names.fields.keys) {
            Ok(table) => table,
            Err(e) => {
                let at = e.line.map(|l| format!(" at line {l}")).unwrap_or_default();
                let message = format!(
                    "the file {} cannot be parsed{at}: {}",
                    path.display(),
                    e.message
                );
                self.problems.source(label(), message);
                self.unparsed = true;
                return;
            }
        };
        let bases = take_extends(&mut table, self.cx.meta, path, &mut self.problems);
        // The schema a file names for its editors (`"$schema": "..."` in JSON) is not a setting.
        if self.cx.meta.field_index("$schema").is_none() {
            table.remove("$schema");
        }
        let selected = crate::profile::select(table, self.cx.meta, self.cx.profile);
        self.mentions_profile |= selected.mentions_profile;
        for name in selected.not_tables {
            let message = format!(
                "the profile section `{name}` in the file {} is not a table of settings",
                path.display()
            );
            self.problems.source(label(), message);
        }
        if !bases.is_empty() {
            self.bases(path, bases, &label());
        }
        self.tables.push(selected.table);
    }

    /// The files `path` extends, each with its profile file, in order.
    fn bases(&mut self, path: &Path, bases: Vec<String>, label: &Origin) {
        self.chain.push(path.to_owned());
        for base in bases {
            let base = path.parent().unwrap_or(Path::new("")).join(base);
            let shown = |chain: &[PathBuf]| {
                chain
                    .iter()
                    .chain([&base])
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" → ")
            };
            let same = |p: &PathBuf| p == &base || same_file(p, &base);
            let problem = if self.chain.iter().any(same) {
                Some(format!(
                    "the files extend each other in a cycle: {}",
                    shown(&self.chain)
                ))
            } else if self.chain.len() >= MAX_EXTENDS {
                Some(format!(
                    "files extend files more than {MAX_EXTENDS} deep: {}",
                    shown(&self.chain)
                ))
            } else if std::fs::symlink_metadata(&base).is_err() {
                Some(format!(
                    "the extended file {} does not exist: {}",
                    base.display(),
                    shown(&self.chain)
                ))
            } else {
                None
            };
            if let Some(message) = problem {
                self.problems.source(label.clone(), message);
                continue;
            }
            self.file(&base, file::format_of(&base), true);
            if let Some(sibling) = self
                .cx
                .profile
                .and_then(|p| file::profile_sibling(&base, p))
            {
                self.mentions_profile |= sibling.exists();
                self.file(&sibling, file::format_of(&sibling), false);
            }
        }
        self.chain.pop();
    }
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
    problems: &mut Problems,
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
        problems.issue(
            "extends",
            IssueKind::Source,
            Some(Origin::File {
                path: path.to_path_buf(),
            }),
            format!(
                "`extends` in the file {} must be a file name or a list of file names",
                path.display()
            ),
        );
        Vec::new()
    })
}

/// A source file's text: a decrypted one is wiped from memory when dropped; a plain one is what
/// the disk already holds in clear, and is not (the threat model leaves parsers' buffers out).
enum SourceText {
    Plain(String),
    Decrypted(Zeroizing<String>),
}

impl std::ops::Deref for SourceText {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            SourceText::Plain(text) => text,
            SourceText::Decrypted(text) => text,
        }
    }
}

/// Reads a source file's text (a `*.age` file decrypted); `None` (with a problem where it is
/// one) when there is none.
fn read_source(
    path: &Path,
    required: bool,
    label: &Origin,
    cx: &mut FileCx<'_, '_>,
    problems: &mut Problems,
) -> Option<SourceText> {
    let label = || label.clone();
    let read = if file::is_encrypted(path) {
        match file::read_bytes(path, cx.max_file_size) {
            Ok(Some(bytes)) => {
                let opened = crate::encrypted::open_file(path, &bytes, cx.keys.ring());
                return match opened {
                    Ok(text) => Some(SourceText::Decrypted(text)),
                    Err(message) => {
                        problems.source(label(), message);
                        None
                    }
                };
            }
            nothing_or_error => nothing_or_error.map(|_| None),
        }
    } else {
        file::read_text(path, cx.max_file_size).map(|text| text.map(SourceText::Plain))
    };
    match read {
        Ok(Some(text)) => Some(text),
        Ok(None) => {
            if required {
                let message = format!("the required file {} does not exist", path.display());
                problems.source(label(), message);
            }
            None
        }
        Err(why) => {
            problems.source(label(), format!("the file {} {why}", path.display()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encrypted::KeySources;
    use crate::testing::{APP, at, names, origins};

    /// Reads `path` with profile `profile` and no keys.
    fn read_with(path: &Path, required: bool, profile: Option<&str>) -> (Layer, Origins) {
        let env = EnvInput::Pairs(Vec::new());
        let mut keys = Keys::new(KeySources::new(&APP, &[], &[], &env, 1 << 20));
        let mut cx = FileCx {
            meta: &APP,
            names: names(),
            profile,
            max_file_size: 1 << 20,
            env: &env,
            keys: &mut keys,
        };
        let mut origins = origins();
        let layer = read(path, required, &mut cx, &mut origins);
        (layer, origins)
    }

    fn tables(layer: &Layer) -> &[Table] {
        match &layer.data {
            Data::Tables(t) => t,
            Data::Fields(_) => panic!("a config file gives tables"),
        }
    }

    #[test]
    fn a_file_gives_its_bases_then_itself_in_merge_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("base.toml"), "port = 1\n[db]\nurl = \"base\"\n").unwrap();
        std::fs::write(d.join("base.prod.toml"), "port = 2\n").unwrap();
        std::fs::write(
            d.join("app.toml"),
            "extends = \"base.toml\"\n[db]\npool_size = 3\n",
        )
        .unwrap();
        let (layer, origins) = read_with(&d.join("app.toml"), true, Some("prod"));
        let t = tables(&layer);
        assert_eq!(t.len(), 3);
        assert_eq!(at(&t[0], "port").as_deref(), Some("1"));
        assert_eq!(at(&t[1], "port").as_deref(), Some("2"));
        assert_eq!(at(&t[2], "db.pool_size").as_deref(), Some("3"));
        assert!(!t[2].contains_key("extends"));
        assert!(layer.mentions_profile);
        assert!(layer.problems.list().is_empty());
        let origin = t[2]["db"].origin;
        assert!(origins.get(origin).origin.to_string().ends_with("app.toml"));
    }

    #[test]
    fn missing_broken_and_cyclic_files_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (skipped, _) = read_with(&d.join("none.toml"), false, None);
        assert!(skipped.problems.list().is_empty() && tables(&skipped).is_empty());
        let (missing, _) = read_with(&d.join("none.toml"), true, None);
        assert!(missing.problems.list()[0].message.contains("required file"));

        std::fs::write(d.join("bad.toml"), "port = = 1\n").unwrap();
        let (bad, _) = read_with(&d.join("bad.toml"), true, None);
        assert!(
            bad.problems.list()[0]
                .message
                .contains("cannot be parsed at line 1")
        );

        std::fs::write(d.join("a.toml"), "extends = \"b.toml\"\n").unwrap();
        std::fs::write(d.join("b.toml"), "extends = \"a.toml\"\n").unwrap();
        let (cycle, _) = read_with(&d.join("a.toml"), true, None);
        assert!(cycle.problems.list()[0].message.contains("in a cycle"));
    }

    #[test]
    fn an_env_file_is_read_whatever_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.txt");
        std::fs::write(&path, "APP_PORT=1\n").unwrap();
        let env = EnvInput::Pairs(Vec::new());
        let mut keys = Keys::new(KeySources::new(&APP, &[], &[], &env, 1 << 20));
        let mut cx = FileCx {
            meta: &APP,
            names: names(),
            profile: None,
            max_file_size: 1 << 20,
            env: &env,
            keys: &mut keys,
        };
        let layer = env_file(&path, true, &mut cx, &mut origins());
        assert!(matches!(&layer.data, Data::Fields(v) if v.len() == 1));
    }
}
