//! `config migrate`: the edits that move settings from their old names (`renamed_from`) to the
//! current ones, in config files, env files and the environment; with `--write`, TOML files
//! (comments, order and layout kept, through `toml_edit`) and env files are rewritten. YAML and
//! JSON edits are listed, not written. A file is written whole or not at all.

use crate::naming::Names;
use crate::providers::env::EnvInput;
use crate::providers::file::{self, Format};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One old path and where it lives now.
struct Move {
    old: Vec<String>,
    new: Vec<&'static str>,
}

/// What a migration found: whether edits remain to be made (the exit code is 1 then).
pub(crate) fn run(
    names: &Names,
    files: &[PathBuf],
    env: &EnvInput,
    write: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<bool> {
    let moves: Vec<Move> = names
        .renames
        .iter()
        .filter(|r| r.old)
        .map(|r| Move {
            old: r.from.clone(),
            new: names.fields.targets[r.to].keys.clone(),
        })
        .collect();
    let mut pending = false;
    for path in files {
        let format = if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(".env"))
        {
            Some(Format::Dotenv)
        } else {
            file::format_of(path)
        };
        let result = match format {
            Some(Format::Toml) => toml(path, &moves, write, out),
            Some(Format::Dotenv) => dotenv(path, names, write, out),
            Some(Format::Yaml | Format::Json) => listed(path, &moves, out),
            _ => {
                writeln!(
                    err,
                    "error: {}: not a TOML, YAML, JSON or .env file",
                    path.display()
                )?;
                Ok(true)
            }
        };
        match result {
            Ok(left) => pending |= left,
            Err(why) => {
                writeln!(err, "error: {}: {why}; nothing was changed", path.display())?;
                pending = true;
            }
        }
    }
    // Variables of the environment the process was started with.
    let mut vars = Vec::new();
    env.each_name(|name| {
        if let Some(found) = names.env.lookup_var(name)
            && let Some(current) = found.current
        {
            vars.push(format!("environment: rename {name} to {current}"));
        }
    });
    for line in &vars {
        writeln!(out, "{line}")?;
    }
    pending |= !vars.is_empty();
    if !pending {
        writeln!(out, "nothing to migrate")?;
    }
    Ok(pending)
}

/// A TOML file: each old key that is set moves to its current path (or, when the current path
/// is set too, is removed), keeping everything else as written. `Ok(true)` when edits remain.
fn toml(path: &Path, moves: &[Move], write: bool, out: &mut impl Write) -> Result<bool, String> {
    let Some(text) = read(path)? else {
        return Ok(false);
    };
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        format!("cannot be parsed as TOML ({})", first_line(&e.to_string()))
    })?;
    let mut edits = 0;
    for m in moves {
        let old_keys: Vec<&str> = m.old.iter().map(String::as_str).collect();
        if get(doc.as_table(), &old_keys).is_none() {
            continue;
        }
        let (old, new) = (m.old.join("."), m.new.join("."));
        edits += 1;
        if get(doc.as_table(), &m.new).is_some() {
            writeln!(
                out,
                "{}: `{old}` and `{new}` are both set: remove `{old}`",
                path.display()
            )
            .map_err(|e| e.to_string())?;
            take(doc.as_table_mut(), &old_keys);
            continue;
        }
        writeln!(out, "{}: move `{old}` to `{new}`", path.display()).map_err(|e| e.to_string())?;
        if let Some(item) = take(doc.as_table_mut(), &old_keys) {
            put(doc.as_table_mut(), &m.new, item);
        }
    }
    if edits == 0 {
        return Ok(false);
    }
    if !write {
        return Ok(true);
    }
    replace(path, &doc.to_string())?;
    Ok(false)
}

/// The item at `keys`, if the document sets it.
fn get<'t>(table: &'t toml_edit::Table, keys: &[&str]) -> Option<&'t toml_edit::Item> {
    let (last, parents) = keys.split_last()?;
    let mut current = table;
    for key in parents {
        current = current.get(key)?.as_table()?;
    }
    current.get(last)
}

/// Takes the item at `keys` out of the document, with its key (whose decor holds the comments
/// written above it).
fn take(table: &mut toml_edit::Table, keys: &[&str]) -> Option<(toml_edit::Key, toml_edit::Item)> {
    let (last, parents) = keys.split_last()?;
    let mut current = table;
    for key in parents {
        current = current.get_mut(key)?.as_table_mut()?;
    }
    current.remove_entry(last)
}

/// Puts `item` at `keys`, making the tables on the way (implicit, so no empty headers appear);
/// the comments above the old key go with it.
fn put(
    table: &mut toml_edit::Table,
    keys: &[&str],
    (old, item): (toml_edit::Key, toml_edit::Item),
) {
    let Some((last, parents)) = keys.split_last() else {
        return;
    };
    let mut current = table;
    for key in parents {
        let slot = current.entry(key).or_insert_with(|| {
            let mut t = toml_edit::Table::new();
            t.set_implicit(true);
            toml_edit::Item::Table(t)
        });
        let Some(next) = slot.as_table_mut() else {
            return;
        };
        current = next;
    }
    let key = toml_edit::Key::new(*last).with_leaf_decor(old.leaf_decor().clone());
    current.insert_formatted(&key, item);
}

/// An env file: each line that sets an old variable name gets the current one.
fn dotenv(path: &Path, names: &Names, write: bool, out: &mut impl Write) -> Result<bool, String> {
    let Some(text) = read(path)? else {
        return Ok(false);
    };
    let mut lines: Vec<String> = Vec::new();
    let mut edits = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_start();
        let lead = &line[..line.len() - body.len()];
        let (export, rest) = match body.strip_prefix("export ") {
            Some(rest) => ("export ", rest.trim_start()),
            None => ("", body),
        };
        let name_end = rest.find(['=', ' ', '\t']).unwrap_or(rest.len());
        let name = &rest[..name_end];
        let current = (!name.is_empty() && !name.starts_with('#'))
            .then(|| names.env.lookup_var(name))
            .flatten()
            .and_then(|f| f.current.map(std::borrow::Cow::into_owned));
        match current {
            Some(current) if rest[name_end..].trim_start().starts_with('=') => {
                edits += 1;
                writeln!(
                    out,
                    "{} line {}: rename {name} to {current}",
                    path.display(),
                    n + 1
                )
                .map_err(|e| e.to_string())?;
                lines.push(format!("{lead}{export}{current}{}", &rest[name_end..]));
            }
            _ => lines.push(line.to_owned()),
        }
    }
    if edits == 0 {
        return Ok(false);
    }
    if !write {
        return Ok(true);
    }
    replace(path, &lines.concat())?;
    Ok(false)
}

/// A YAML or JSON file: the old keys it sets, listed for a hand edit (its layout cannot be
/// kept by a rewrite). Always `Ok(true)` when there is one.
fn listed(path: &Path, moves: &[Move], out: &mut impl Write) -> Result<bool, String> {
    let Some(text) = read(path)? else {
        return Ok(false);
    };
    let value: serde_json::Value =
        match file::format_of(path) {
            Some(Format::Json) => serde_json::from_str(&text)
                .map_err(|e| format!("cannot be parsed as JSON ({e})"))?,
            _ => serde_yaml_ng::from_str(&text)
                .map_err(|e| format!("cannot be parsed as YAML ({e})"))?,
        };
    let mut edits = 0;
    for m in moves {
        let found = m.old.iter().try_fold(&value, |v, k| v.get(k));
        if found.is_some() {
            edits += 1;
            writeln!(
                out,
                "{}: move `{}` to `{}` (edit by hand: YAML and JSON files are not rewritten)",
                path.display(),
                m.old.join("."),
                m.new.join(".")
            )
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(edits > 0)
}

/// A file's text; `None` when it does not exist.
fn read(path: &Path) -> Result<Option<String>, String> {
    file::read_text(path, 16 * 1024 * 1024)
}

/// Writes `text` over `path` whole: into a new file beside it, then renamed over it, so a
/// failure leaves the old file as it was. The file's permissions are kept.
fn replace(path: &Path, text: &str) -> Result<(), String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.migrate"));
    let write = || -> io::Result<()> {
        std::fs::write(&temp, text)?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("cannot be written: {e}")
    })
}

/// The first line of a parser's message.
fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or(text)
}
