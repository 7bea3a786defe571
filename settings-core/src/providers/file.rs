//! Config files: format by extension, read once with the checks hostile input needs, parsed once.

use super::parse::{self, ParseError, line_at};
use crate::tree::KeySet;
use crate::tree::{Node, OriginId, Table, Value, insert_path_in};
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The formats a config file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Toml,
    Yaml,
    Json,
    Ini,
    Dotenv,
}

/// Whether a file is age-encrypted: its name ends in `.age` (`settings.toml.age`).
pub(crate) fn is_encrypted(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("age"))
}

/// The format a file's name says it is in; for an encrypted `name.ext.age`, the format of
/// `name.ext`.
pub(crate) fn format_of(path: &Path) -> Option<Format> {
    // Only the extension need be UTF-8: `caf\xe9.toml` (a Latin-1 name) is a TOML file.
    format_of_name(path.file_name()?.as_encoded_bytes())
}

/// [`format_of`] on a file name's bytes: the name is split once, not once per question.
fn format_of_name(name: &[u8]) -> Option<Format> {
    if name == b".env" {
        return Some(Format::Dotenv);
    }
    // As `Path::extension`: after the last dot, unless that dot starts the name.
    let dot = name.iter().rposition(|&b| b == b'.').filter(|&at| at > 0)?;
    let (stem, ext) = (&name[..dot], &name[dot + 1..]);
    let is = |known: &str| ext.eq_ignore_ascii_case(known.as_bytes());
    Some(if is("age") {
        return format_of_name(stem);
    } else if is("toml") {
        Format::Toml
    } else if is("yaml") || is("yml") {
        Format::Yaml
    } else if is("json") {
        Format::Json
    } else if is("ini") {
        Format::Ini
    } else if is("env") {
        Format::Dotenv
    } else {
        return None;
    })
}

/// `name.<profile>.ext` beside `name.ext` (`name.<profile>.ext.age` beside `name.ext.age`).
pub(crate) fn profile_sibling(path: &Path, profile: &str) -> Option<PathBuf> {
    if is_encrypted(path) {
        let inner = profile_sibling(Path::new(path.file_stem()?), profile)?;
        let mut name = inner.into_os_string();
        name.push(".");
        name.push(path.extension()?);
        return Some(path.with_file_name(name));
    }
    let stem = path.file_stem()?.to_str()?;
    let ext = path.extension()?.to_str()?;
    if stem.is_empty() {
        return None;
    }
    Some(path.with_file_name(format!("{stem}.{profile}.{ext}")))
}

/// Reads a file whole, as text.
///
/// `Ok(None)` when nothing exists at the path. Anything else that is not a readable, regular,
/// UTF-8 file without NUL bytes within `max` bytes is an error sentence naming the cause; a
/// non-regular file (directory, FIFO, socket, device) is never opened, so nothing blocks.
pub(crate) fn read_text(path: &Path, max: u64) -> Result<Option<String>, String> {
    let Some(bytes) = read_bytes(path, max)? else {
        return Ok(None);
    };
    check_nul(&bytes)?;
    // Validated once: the error gives the bytes back for the line number.
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| not_utf8(e.as_bytes(), e.utf8_error()))
}

/// A file that holds one value (a secrets-directory entry, the file a `NAME_FILE` variable
/// names): [`read_text`], with the one trailing newline (`\n` or `\r\n`) that editors and
/// `echo` add taken off.
pub(crate) fn read_value(path: &Path, max: u64) -> Result<Option<String>, String> {
    let mut text = read_text(path, max)?;
    if let Some(text) = &mut text
        && text.ends_with('\n')
    {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

/// Checks that bytes are text: UTF-8 without NUL bytes; else a sentence naming the line.
pub(crate) fn check_text(bytes: &[u8]) -> Result<(), String> {
    check_nul(bytes)?;
    std::str::from_utf8(bytes)
        .map(drop)
        .map_err(|e| not_utf8(bytes, e))
}

fn check_nul(bytes: &[u8]) -> Result<(), String> {
    match memchr::memchr(0, bytes) {
        Some(at) => Err(format!("contains a NUL byte (line {})", line_at(bytes, at))),
        None => Ok(()),
    }
}

fn not_utf8(bytes: &[u8], e: std::str::Utf8Error) -> String {
    format!(
        "is not valid UTF-8 (line {})",
        line_at(bytes, e.valid_up_to())
    )
}

/// Reads a file whole, as bytes, with the checks of [`read_text`] but the text ones.
pub(crate) fn read_bytes(path: &Path, max: u64) -> Result<Option<Vec<u8>>, String> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A dangling symlink is "not found" to metadata(); say what it is. (Something else
            // there now was created since: a race with a writer, read as absent.)
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
                return Err("is a symbolic link whose target does not exist".to_owned());
            }
            return Ok(None);
        }
        Err(e) => return Err(format!("cannot be read: {e}")),
    };
    if !meta.is_file() {
        return Err(format!(
            "is not a regular file (it is {})",
            file_kind(&meta)
        ));
    }
    if meta.len() > max {
        // Refused from its size alone: a huge (or sparse) file is never read.
        return Err(format!(
            "is larger than the limit of {max} bytes ({}): it was not read; raise the limit \
             with `Loader::max_file_size`",
            size_in_words(meta.len())
        ));
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        // Removed since `metadata` (by whoever writes the directory): as if it never was.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot be read: {e}")),
    };
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "is larger than the limit of {max} bytes: raise the limit with `Loader::max_file_size`"
        ));
    }
    Ok(Some(bytes))
}

/// `104857600 bytes, 100MiB`: the exact size, and a human one where it differs.
fn size_in_words(bytes: u64) -> String {
    let human = crate::bytesize::ByteSize(bytes).to_string();
    if human == format!("{bytes}B") {
        format!("{bytes} bytes")
    } else {
        format!("{bytes} bytes, {human}")
    }
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// Parses a typed file (TOML, YAML, JSON, INI) into a table.
pub(crate) fn parse_table(
    format: Format,
    text: &str,
    origin: OriginId,
    known: &KeySet,
) -> Result<Table, ParseError> {
    match format {
        Format::Toml => super::toml::parse(text, origin, known),
        Format::Yaml => parse::yaml(text, origin, known),
        Format::Json => parse::json(text, origin, known),
        Format::Ini => ini_table(text, origin, known),
        Format::Dotenv => unreachable!("dotenv files are mapped like environment variables"),
    }
}

/// INI sections become tables (`[db.replica]` nests), values stay text.
fn ini_table(text: &str, origin: OriginId, known: &KeySet) -> Result<Table, ParseError> {
    let sections = super::ini::parse(text).map_err(|e| ParseError {
        message: e.message,
        line: Some(e.line),
    })?;
    let mut table = Table::new();
    for section in sections {
        let mut keys: Vec<&str> = match &section.name {
            Some(name) => name.split('.').map(str::trim).collect(),
            None => Vec::new(),
        };
        if keys.len() > crate::tree::MAX_DEPTH {
            return Err(ParseError {
                message: format!(
                    "sections are nested deeper than {} levels",
                    crate::tree::MAX_DEPTH
                ),
                line: Some(section.line),
            });
        }
        if !keys.is_empty() {
            insert_path_in(&mut table, &keys, Value::table(origin), known);
        }
        for (key, value, _line) in &section.entries {
            keys.push(key);
            insert_path_in(
                &mut table,
                &keys,
                Value::new(Node::Text(value.clone()), origin),
                known,
            );
            keys.pop();
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(format_of(Path::new("a/settings.toml")), Some(Format::Toml));
        assert_eq!(format_of(Path::new("x.YML")), Some(Format::Yaml));
        assert_eq!(format_of(Path::new(".env")), Some(Format::Dotenv));
        assert_eq!(format_of(Path::new("prod.env")), Some(Format::Dotenv));
        assert_eq!(format_of(Path::new("settings.conf")), None);
        assert_eq!(
            format_of(Path::new("a/settings.toml.age")),
            Some(Format::Toml)
        );
        assert_eq!(format_of(Path::new("prod.env.AGE")), Some(Format::Dotenv));
        assert_eq!(format_of(Path::new(".env.age")), Some(Format::Dotenv));
        assert_eq!(format_of(Path::new("settings.age")), None);
        // As Path::extension: a leading dot starts a name, not an extension.
        assert_eq!(format_of(Path::new(".toml")), None);
        assert_eq!(format_of(Path::new(".toml.age")), None);
        assert_eq!(format_of(Path::new("settings.")), None);
        assert_eq!(format_of(Path::new("dir.toml/")), Some(Format::Toml));
        use std::os::unix::ffi::OsStrExt as _;
        let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9.toml");
        assert_eq!(format_of(Path::new(latin1)), Some(Format::Toml));
        assert!(is_encrypted(Path::new("x.yaml.age")));
        assert!(!is_encrypted(Path::new("x.yaml")));
    }

    #[test]
    fn profile_sibling_sits_beside_the_base_file() {
        assert_eq!(
            profile_sibling(Path::new("config/settings.toml"), "prod"),
            Some(PathBuf::from("config/settings.prod.toml"))
        );
        assert_eq!(
            profile_sibling(Path::new("config/settings.toml.age"), "prod"),
            Some(PathBuf::from("config/settings.prod.toml.age"))
        );
    }

    #[test]
    fn read_text_refuses_what_is_not_a_plain_text_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_text(&dir.path().join("none.toml"), 100), Ok(None));
        let e = read_text(dir.path(), 100).unwrap_err();
        assert!(e.contains("directory"), "{e}");
        let big = dir.path().join("big.toml");
        std::fs::write(&big, "a = 1\n".repeat(100)).unwrap();
        assert!(read_text(&big, 10).unwrap_err().contains("limit"));
        let nul = dir.path().join("nul.toml");
        std::fs::write(&nul, b"a = 1\nb\0").unwrap();
        assert_eq!(
            read_text(&nul, 100).unwrap_err(),
            "contains a NUL byte (line 2)"
        );
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, b"a = \"\xff\"").unwrap();
        assert!(read_text(&bad, 100).unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn ini_sections_nest_and_values_stay_text() {
        let t = ini_table(
            "name = x\n[db.replica]\nport = 5\n",
            0,
            &crate::tree::NO_KEYS,
        )
        .unwrap();
        assert_eq!(t["name"].node, Node::Text("x".into()));
        assert_eq!(t["db"].display(), r#"{"replica": {"port": "5"}}"#);
    }
}
