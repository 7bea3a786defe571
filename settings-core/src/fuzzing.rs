//! Entry points for the fuzz targets in `fuzz/` (cargo feature `fuzzing`, off by default).
//!
//! **Not API.** Thin wrappers that let a fuzzer reach the crate's internal parsers without a
//! round trip through the file system. Hidden from the documentation, outside semver, free to
//! change or vanish in any release: nothing but the `fuzz/` workspace should enable the feature.
//! Everything else a fuzz target needs (coercion, `ENC[...]` values, whole loads) goes through
//! the public API.

use crate::naming::Names;
use crate::providers::file::{self, Format};
use crate::providers::{dotenv as dotenv_parser, ini as ini_parser};
use crate::settings::Settings;

/// An assignment of a dotenv file: `(name, value, line)`.
pub type DotenvEntry = (String, String, usize);

/// A problem on one line: `(line, message)`.
pub type LineProblem = (usize, String);

/// An INI section: `(name, line, [(key, value, line)])`.
pub type IniSection = (Option<String>, usize, Vec<(String, String, usize)>);

/// Parses the text of a `.env` file: every assignment and every problem, in file order.
/// `${NAME}` references the file does not define resolve through `lookup`.
pub fn dotenv(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> (Vec<DotenvEntry>, Vec<LineProblem>) {
    let (entries, errors) = dotenv_parser::parse(text, lookup);
    (
        entries
            .into_iter()
            .map(|e| (e.name, e.value, e.line))
            .collect(),
        errors.into_iter().map(|e| (e.line, e.message)).collect(),
    )
}

/// Parses the text of an INI file into its sections, or its first problem.
pub fn ini(text: &str) -> Result<Vec<IniSection>, LineProblem> {
    ini_parser::parse(text)
        .map(|sections| {
            sections
                .into_iter()
                .map(|s| (s.name, s.line, s.entries))
                .collect()
        })
        .map_err(|e| (e.line, e.message))
}

/// Parses config-file text the way a file of that format is parsed (`"toml"`, `"yaml"`, `"json"`
/// or `"ini"`): the number of top-level keys, or the problem with the line where known.
///
/// # Panics
///
/// On any other format name.
pub fn config_text(format: &str, text: &str) -> Result<usize, (Option<usize>, String)> {
    let format = match format {
        "toml" => Format::Toml,
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        "ini" => Format::Ini,
        other => panic!("not a typed config format: {other}"),
    };
    file::parse_table(format, text, 0, &crate::tree::NO_KEYS)
        .map(|table| table.len())
        .map_err(|e| (e.line, e.message))
}

/// The environment-variable names of a settings type, as the loader matches them.
#[derive(Debug)]
pub struct EnvNames {
    table: Names,
}

impl EnvNames {
    /// The names of `T`.
    pub fn of<T: Settings>() -> Self {
        EnvNames {
            table: Names::new(T::__meta()),
        }
    }

    /// The dotted path of the field an environment variable sets, if any.
    pub fn lookup(&self, name: &str) -> Option<String> {
        let (id, _) = self.table.env.lookup(name)?;
        Some(self.table.fields.targets[id].path.clone())
    }

    /// The dotted path of the field a `NAME_FILE` variable sets from the file it names, when
    /// the name is no setting's own.
    pub fn lookup_file(&self, name: &str) -> Option<String> {
        let found = self.table.env.lookup_var(name).filter(|f| f.indirect)?;
        Some(self.table.fields.targets[found.target].path.clone())
    }

    /// The dotted path of the field a secrets- or config-directory entry sets, if any (the
    /// prefix may be left out).
    pub fn lookup_entry(&self, name: &str) -> Option<String> {
        let found = self.table.env.lookup_entry(name)?;
        Some(self.table.fields.targets[found.target].path.clone())
    }

    /// Whether a name carries the prefix (or a field's own prefix): one that sets nothing is
    /// an unknown variable.
    pub fn has_prefix(&self, name: &str) -> bool {
        self.table.env.has_prefix(name)
    }

    /// Every field's dotted path with the names that set it, in priority order.
    pub fn all(&self) -> Vec<(String, Vec<String>)> {
        (0..self.table.fields.targets.len())
            .map(|id| {
                (
                    self.table.fields.targets[id].path.clone(),
                    self.table.names_of(id),
                )
            })
            .collect()
    }
}

/// Parses TOML text the way a config file is parsed, and with `toml`'s own document builder:
/// `Err` with both results when they differ (one refuses what the other takes, or the trees
/// differ).
pub fn toml_agrees(text: &str) -> Result<(), String> {
    crate::providers::toml::agree(text)
}
