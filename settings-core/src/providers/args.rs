//! Command-line arguments as a source (`Loader::args`): one flag per setting, derived from the
//! metadata and parsed with clap's builder API.
//!
//! - a setting's flag is its dotted path with `_` written as `-`: `--port 8080`,
//!   `--db.pool-size=20`; the `_` spelling is accepted too (`--db.pool_size`);
//! - a `bool` is a bare `--debug`, turned off with `--no-debug`;
//! - a list takes the flag repeated (`--host a --host b`) or a comma list (`--host a,b`);
//! - an element of a list or map takes its path: `--servers.0.host=a`, `--tenants.acme.url=…`,
//!   `--hosts.1=b` (read by [`read`] before the parser, as these flags cannot be declared ahead);
//! - an `alias` or an old name (`renamed_from`) is a flag too: `--database.url` for `--db.url`;
//!   an old one is a warning, and where the current flag is given as well it wins;
//! - values are text and become the declared types like environment values; a flag given
//!   twice takes the last value (`--debug --no-debug` is off);
//! - precedence: above the environment, below `.set`; origin `argument --db.pool-size`;
//! - an unknown flag is an `Unknown` issue with the closest real flag; a flag without its value
//!   and a flag naming a nested table as a whole are `Invalid` issues;
//! - `--help` prints a help text made from the doc comments, defaults and environment names
//!   (see [`Loader::args_help`](crate::Loader::args_help)).

use crate::cmdline::Args;
use crate::error::IssueKind;
use crate::fields::TargetId;
use crate::layer::{Layer, Problems};
use crate::meta::{DefaultMeta, Shape, StructMeta};
use crate::naming::{ElementName, Names};
use crate::origin::{Origin, Origins};
use crate::tree::{Node, Value};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::ffi::OsString;

/// The flag of a dotted path: `db.pool_size` → `db.pool-size`.
fn flag(path: &str) -> String {
    path.replace('_', "-")
}

/// The clap command for a settings type.
pub(crate) fn command(meta: &'static StructMeta, names: &Names) -> Command {
    let mut cmd = Command::new(meta.name.to_owned())
        .no_binary_name(true)
        .disable_version_flag(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .long("help")
                .short('h')
                .action(ArgAction::Help)
                .help("Print help"),
        );
    if !meta.doc.is_empty() {
        cmd = cmd.about(meta.doc.to_owned());
    }
    cmd.args(field_args(names, "", &[]))
}

/// One flag per setting (and `--no-FLAG` for a bool), with ids `{ids}{target}`,
/// `{ids}no:{target}` and `{ids}group:{target}` (a nested table, hidden: only there to be
/// refused with a clear issue). A setting whose flag is in `reserved` gets none, nor does a
/// secret unless marked `cli_flag`: arguments are visible to every user of the machine.
pub(crate) fn field_args(names: &Names, ids: &str, reserved: &[&str]) -> Vec<Arg> {
    let mut args = Vec::new();
    for (id, target) in names.fields.targets.iter().enumerate() {
        let field = target.field;
        if field.secret && !field.cli_flag {
            continue;
        }
        let long = flag(&target.path);
        let taken = |name: &str| reserved.contains(&name);
        if taken(&long) || taken(&target.path) || taken(&format!("no-{long}")) {
            continue;
        }
        if field.is_nested() {
            args.push(
                Arg::new(format!("{ids}group:{id}"))
                    .long(long)
                    .hide(true)
                    .action(ArgAction::Append)
                    .num_args(0..=1),
            );
            continue;
        }
        let mut arg = Arg::new(format!("{ids}{id}"))
            .long(long.clone())
            .help(help_line(field.doc));
        if long != target.path {
            arg = arg.alias(target.path.clone());
        }
        let mut details = Vec::new();
        if !field.doc.is_empty() {
            details.push(field.doc.to_owned());
        }
        let env = names.names_of(id);
        if !env.is_empty() {
            details.push(format!("env: {}", env.join(", ")));
        }
        if let DefaultMeta::Literal(lit) = &field.default
            && !field.secret
        {
            details.push(format!("default: {lit}"));
        }
        arg = arg.long_help(details.join("\n"));
        if field.is_bool() {
            // The last of `--debug`, `--no-debug`, `--debug` wins, as for any other flag.
            let (yes, no) = (format!("{ids}{id}"), format!("{ids}no:{id}"));
            arg = arg
                .action(ArgAction::SetTrue)
                .overrides_with_all([yes.clone(), no.clone()]);
            args.push(
                Arg::new(no.clone())
                    .long(format!("no-{long}"))
                    .action(ArgAction::SetTrue)
                    .help(format!("Turn off --{long}"))
                    .overrides_with_all([yes, no]),
            );
        } else if field.shape == Shape::List {
            arg = arg.action(ArgAction::Append).value_name("VALUE");
        } else {
            // Given twice, the last one wins (arguments appended to a container's own).
            arg = arg
                .action(ArgAction::Set)
                .value_name("VALUE")
                .overrides_with(format!("{ids}{id}"));
        }
        args.push(arg);
    }
    for (k, (leaf, from, _)) in renamed_flags(names).into_iter().enumerate() {
        let field = names.fields.targets[leaf].field;
        if (field.secret && !field.cli_flag) || taken_by(reserved, &from) {
            continue;
        }
        let arg = Arg::new(format!("{ids}rename:{k}"))
            .long(from.clone())
            .hide(true);
        if field.is_bool() {
            let (yes, no) = (format!("{ids}rename:{k}"), format!("{ids}renameno:{k}"));
            args.push(
                arg.action(ArgAction::SetTrue)
                    .overrides_with_all([yes.clone(), no.clone()]),
            );
            args.push(
                Arg::new(no.clone())
                    .long(format!("no-{from}"))
                    .hide(true)
                    .action(ArgAction::SetTrue)
                    .overrides_with_all([yes, no]),
            );
        } else if field.shape == Shape::List {
            args.push(arg.action(ArgAction::Append));
        } else {
            args.push(
                arg.action(ArgAction::Set)
                    .overrides_with(format!("{ids}rename:{k}")),
            );
        }
    }
    args
}

fn taken_by(reserved: &[&str], long: &str) -> bool {
    reserved.contains(&long) || reserved.contains(&format!("no-{long}").as_str())
}

/// The flags that `alias` and `renamed_from` give settings: for each, the setting and the flag
/// (`--database.url` for `db.url` when `db` has `alias = "database"`), in a fixed order that
/// [`field_args`], [`found_args`] and [`read`] share.
fn renamed_flags(names: &Names) -> Vec<(TargetId, String, bool)> {
    let mut flags = Vec::new();
    for rename in &names.renames {
        let depth = names.fields.targets[rename.to].keys.len();
        for (leaf, t) in names.fields.leaves_at(rename.to) {
            let mut path = rename.from.join(".");
            for key in &t.keys[depth..] {
                path.push('.');
                path.push_str(key);
            }
            flags.push((leaf, flag(&path), rename.old));
        }
    }
    flags
}

/// The arguments that the [`field_args`] with ids `ids` found in `matches`, written back as
/// `--flag=value`, `--flag` and `--no-flag` for [`apply`] to read: in the order of the settings,
/// not of the command line (each flag sets its own setting, so the order does not matter).
pub(crate) fn found_args(names: &Names, ids: &str, matches: &ArgMatches) -> Vec<OsString> {
    let given = |id: &str| {
        matches
            .try_get_raw(id)
            .ok()
            .flatten()
            .filter(|_| matches.value_source(id) == Some(ValueSource::CommandLine))
    };
    let mut found = Vec::new();
    for (id, target) in names.fields.targets.iter().enumerate() {
        let long = flag(&target.path);
        let key = if target.field.is_nested() {
            format!("{ids}group:{id}")
        } else {
            format!("{ids}{id}")
        };
        let with_value = |value: &std::ffi::OsStr| {
            let mut arg = OsString::from(format!("--{long}="));
            arg.push(value);
            arg
        };
        if target.field.is_nested() {
            if let Some(values) = given(&key) {
                let values: Vec<_> = values.collect();
                if values.is_empty() {
                    found.push(OsString::from(format!("--{long}")));
                }
                found.extend(values.into_iter().map(with_value));
            }
        } else if target.field.is_bool() {
            if given(&key).is_some() {
                found.push(OsString::from(format!("--{long}")));
            } else if given(&format!("{ids}no:{id}")).is_some() {
                found.push(OsString::from(format!("--no-{long}")));
            }
        } else if let Some(values) = given(&key) {
            found.extend(values.map(with_value));
        }
    }
    for (k, (leaf, from, _)) in renamed_flags(names).into_iter().enumerate() {
        let key = format!("{ids}rename:{k}");
        if names.fields.targets[leaf].field.is_bool() {
            if given(&key).is_some() {
                found.push(OsString::from(format!("--{from}")));
            } else if given(&format!("{ids}renameno:{k}")).is_some() {
                found.push(OsString::from(format!("--no-{from}")));
            }
        } else if let Some(values) = given(&key) {
            for value in values {
                let mut arg = OsString::from(format!("--{from}="));
                arg.push(value);
                found.push(arg);
            }
        }
    }
    found
}

fn help_line(doc: &str) -> String {
    doc.lines().next().unwrap_or("").to_owned()
}

/// The help text.
pub(crate) fn help(meta: &'static StructMeta, names: &Names) -> String {
    command(meta, names).render_long_help().to_string()
}

impl Args {
    /// Arguments read by [`read`], with the help of [`help`]. Called only where arguments are
    /// given: this is what links the parser (clap) into a program. The pipeline reaches `read`
    /// only through `Args` (see [`crate::cmdline`]).
    pub(crate) fn new(list: Vec<OsString>) -> Args {
        Args { list, read, help }
    }
}

/// The argument source: the settings the arguments set, as a layer.
pub(crate) fn read(
    args: &[OsString],
    meta: &'static StructMeta,
    names: &Names,
    origins: &mut Origins,
) -> Layer {
    let mut problems = Problems::default();
    let (args, elements) = take_element_args(args, names, &mut problems);
    let matches = match command(meta, names).try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            parse_error(&e, names, &mut problems);
            return Layer::failed(problems);
        }
    };
    let mut values = Vec::new();
    for (id, target) in names.fields.targets.iter().enumerate() {
        if target.field.secret && !target.field.cli_flag {
            continue;
        }
        let long = flag(&target.path);
        if target.field.is_nested() {
            if matches.contains_id(&format!("group:{id}")) {
                let fields: Vec<String> = names
                    .fields
                    .leaves_at(id)
                    .map(|(_, t)| format!("--{}", flag(&t.path)))
                    .collect();
                problems.issue(
                    target.path.clone(),
                    IssueKind::Invalid,
                    Some(Origin::Argument {
                        flag: format!("--{long}"),
                    }),
                    format!(
                        "--{long} names a group of settings, not one value; set its fields: {}",
                        fields.join(", ")
                    ),
                );
            }
            continue;
        }
        let given = Given {
            matches: &matches,
            key: format!("{id}"),
            no: format!("no:{id}"),
            long: &long,
        };
        if let Some(value) = given.value(target, &mut problems, origins) {
            values.push((id, value));
        }
    }
    for (k, (leaf, from, old)) in renamed_flags(names).into_iter().enumerate() {
        let target = &names.fields.targets[leaf];
        let given = Given {
            matches: &matches,
            key: format!("rename:{k}"),
            no: format!("renameno:{k}"),
            long: &from,
        };
        let Some(value) = given.value(target, &mut problems, origins) else {
            continue;
        };
        let used = &origins.get(value.origin).origin;
        let current = format!("--{}", flag(&target.path));
        if values.iter().any(|(id, _)| *id == leaf) {
            problems.warnings.push(format!(
                "{used} and {current} are both given: {current} is used; remove {used}"
            ));
            continue;
        }
        if old {
            problems.warnings.push(format!(
                "{used} is the old name of {current}: use {current} (it still works for now)"
            ));
        }
        values.push((leaf, value));
    }
    let mut layer = Layer::fields(values, problems);
    for arg in elements {
        let origin = origins.add(Origin::Argument { flag: arg.flag }, false);
        let value = Value::new(Node::Text(arg.value), origin);
        layer.elements.push((arg.target, arg.element, value));
    }
    layer
}

/// Where the parser keeps one flag's value: the ids of the flag and of its `--no-` form.
struct Given<'a> {
    matches: &'a ArgMatches,
    key: String,
    no: String,
    long: &'a str,
}

impl Given<'_> {
    /// The value the flag gives `target`, with the flag as its origin.
    fn value(
        &self,
        target: &crate::fields::Target,
        problems: &mut Problems,
        origins: &mut Origins,
    ) -> Option<Value> {
        let long = self.long;
        let given = |id: &str| self.matches.value_source(id) == Some(ValueSource::CommandLine);
        // `--no-{long}` for a bool set to false.
        let mut negated = false;
        let node = if target.field.is_bool() {
            if given(&self.key) {
                Node::Bool(true)
            } else if given(&self.no) {
                negated = true;
                Node::Bool(false)
            } else {
                return None;
            }
        } else {
            let raw = self.matches.get_raw(&self.key)?;
            let mut texts = Vec::new();
            for v in raw {
                let Some(t) = v.to_str() else {
                    problems.reject(
                        target.path.clone(),
                        IssueKind::Invalid,
                        Some(Origin::Argument {
                            flag: format!("--{long}"),
                        }),
                        format!("the value of --{long} is not valid UTF-8"),
                    );
                    return None;
                };
                texts.push(t.to_owned());
            }
            match texts.len() {
                0 => return None,
                1 => Node::Text(texts.remove(0)),
                _ => texts_to_array(&texts),
            }
        };
        let flag = if negated {
            format!("--no-{long}")
        } else {
            format!("--{long}")
        };
        let origin = origins.add(Origin::Argument { flag }, false);
        Some(match node {
            Node::Array(items) => Value::new(
                Node::Array(
                    items
                        .into_iter()
                        .map(|i| Value::new(i.node, origin))
                        .collect(),
                ),
                origin,
            ),
            node => Value::new(node, origin),
        })
    }
}

/// A flag that names an element of a list or map, with its value.
struct ElementArg {
    target: TargetId,
    element: ElementName,
    flag: String,
    value: String,
}

/// Takes the flags that name an element of a list or map (`--servers.0.host=a`,
/// `--servers.0.host a`, `--servers.0.tls`, `--no-servers.0.tls`) out of the arguments: the
/// rest, for the parser, and those elements' values with their flags. Nothing after `--` is
/// taken.
fn take_element_args(
    args: &[OsString],
    names: &Names,
    problems: &mut Problems,
) -> (Vec<OsString>, Vec<ElementArg>) {
    let mut rest = Vec::with_capacity(args.len());
    let mut elements = Vec::new();
    if !names.fields.targets.iter().any(element_field) {
        rest.extend_from_slice(args);
        return (rest, elements);
    }
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            rest.extend_from_slice(&args[i - 1..]);
            break;
        }
        let Some(text) = arg.to_str().and_then(|a| a.strip_prefix("--")) else {
            rest.push(arg.clone());
            continue;
        };
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (text, None),
        };
        let (found, negated) = match element_flag_or_renamed(names, name, problems) {
            Some(found) => (Some(found), false),
            None => (
                name.strip_prefix("no-")
                    .and_then(|n| element_flag_or_renamed(names, n, problems)),
                true,
            ),
        };
        let Some((id, element)) = found else {
            rest.push(arg.clone());
            continue;
        };
        // The flag as given, `no-` included.
        let shown = name;
        let origin = || {
            Some(Origin::Argument {
                flag: format!("--{shown}"),
            })
        };
        let leaf = names.element_field(id, &element);
        let path = names.fields.targets[id].path.clone();
        if leaf.secret && !leaf.cli_flag {
            problems.issue(
                path,
                IssueKind::Invalid,
                origin(),
                format!(
                    "--{shown} would set a secret, and secrets take no command-line flag \
                     (arguments are visible to every user of the machine): use the environment \
                     or the secrets directory, or mark the field `#[settings(cli_flag)]`"
                ),
            );
            continue;
        }
        let value = match (inline, leaf.is_bool()) {
            (Some(_), _) if negated => None,
            (Some(value), _) => Some(value.to_owned()),
            (None, true) => Some((!negated).to_string()),
            (None, false) if negated => None,
            (None, false) => match args.get(i).and_then(|a| a.to_str()) {
                Some(next) if !next.starts_with("--") => {
                    i += 1;
                    Some(next.to_owned())
                }
                _ => None,
            },
        };
        let Some(value) = value else {
            problems.issue(
                path,
                IssueKind::Invalid,
                origin(),
                format!("the argument --{shown} needs a value"),
            );
            continue;
        };
        elements.push(ElementArg {
            target: id,
            element,
            flag: format!("--{shown}"),
            value,
        });
    }
    (rest, elements)
}

/// A list or map whose elements have paths of their own.
fn element_field(target: &crate::fields::Target) -> bool {
    matches!(target.field.shape, Shape::List | Shape::Map) && target.field.nested_meta().is_none()
}

/// The element of a list or map a flag names: `servers.0.host`, `servers.0.pool-size`,
/// `tenants.acme.url` (a map's key is taken as written).
/// [`element_flag`], or the same under another name of the list or map (`alias`,
/// `renamed_from`: `--upstreams.0.host` for `--servers.0.host`); an old name is a warning.
fn element_flag_or_renamed(
    names: &Names,
    name: &str,
    problems: &mut Problems,
) -> Option<(TargetId, ElementName)> {
    if let Some(found) = element_flag(names, name) {
        return Some(found);
    }
    names.renames.iter().find_map(|rename| {
        let target = &names.fields.targets[rename.to];
        if !element_field(target) {
            return None;
        }
        let rest = name
            .strip_prefix(flag(&rename.from.join(".")).as_str())?
            .strip_prefix('.')?;
        let current = format!("{}.{rest}", flag(&target.path));
        let found = element_flag(names, &current)?;
        if rename.old {
            problems.warnings.push(format!(
                "argument --{name} is the old name of --{current}: use --{current} (it still \
                 works for now)"
            ));
        }
        Some(found)
    })
}

fn element_flag(names: &Names, name: &str) -> Option<(TargetId, ElementName)> {
    names.fields.targets.iter().find_map(|t| {
        if !element_field(t) {
            return None;
        }
        let rest = name
            .strip_prefix(flag(&t.path).as_str())
            .or_else(|| name.strip_prefix(t.path.as_str()))?
            .strip_prefix('.')?;
        let path = match rest.split_once('.') {
            Some((key, inner)) => format!("{}.{key}.{}", t.path, inner.replace('-', "_")),
            None => format!("{}.{rest}", t.path),
        };
        names.element_at(&path)
    })
}

fn texts_to_array(texts: &[String]) -> Node {
    Node::Array(
        texts
            .iter()
            .map(|t| Value::new(Node::Text(t.clone()), 0))
            .collect(),
    )
}

/// A clap error as an issue, without repeating any value (it may be a secret).
fn parse_error(e: &clap::Error, names: &Names, problems: &mut Problems) {
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    // Only the flag itself, never what follows `=`.
    let arg =
        context(ContextKind::InvalidArg).map(|a| a.split('=').next().unwrap_or("").to_owned());
    let shown = arg.clone().unwrap_or_else(|| "an argument".to_owned());
    match e.kind() {
        ErrorKind::UnknownArgument => {
            let name = shown.trim_start_matches('-').to_owned();
            // A secret's flag is refused, not unknown: say why and what to use instead.
            let secret = names
                .fields
                .targets
                .iter()
                .enumerate()
                .find(|(_, t)| t.field.secret && (flag(&t.path) == name || t.path == name));
            if let Some((id, target)) = secret {
                let env = names.names_of(id);
                let env = if env.is_empty() {
                    String::new()
                } else {
                    format!("set {}, ", env.join(" or "))
                };
                problems.issue(
                    target.path.clone(),
                    IssueKind::Invalid,
                    Some(Origin::Argument {
                        flag: shown.clone(),
                    }),
                    format!(
                        "{shown} would set a secret, and secrets take no command-line flag \
                         (arguments are visible to every user of the machine): {env}use the \
                         secrets directory, or mark the field `#[settings(cli_flag)]`"
                    ),
                );
                return;
            }
            let hint = match context(ContextKind::SuggestedArg) {
                Some(s) => format!("; did you mean {s}?"),
                None => {
                    let known: Vec<String> =
                        names.fields.targets.iter().map(|t| flag(&t.path)).collect();
                    match crate::suggest::closest(&name, known.iter().map(String::as_str)) {
                        Some(k) => format!("; did you mean --{k}?"),
                        None => String::new(),
                    }
                }
            };
            problems.issue(
                "",
                IssueKind::Unknown,
                Some(Origin::Argument {
                    flag: shown.clone(),
                }),
                format!("unknown argument {shown}: no setting has this flag{hint}"),
            );
        }
        ErrorKind::InvalidValue | ErrorKind::NoEquals | ErrorKind::TooFewValues => problems.issue(
            "",
            IssueKind::Invalid,
            Some(Origin::Argument {
                flag: shown.clone(),
            }),
            format!("the argument {shown} needs a value"),
        ),
        _ => problems.issue(
            "",
            IssueKind::Invalid,
            arg.map(|flag| Origin::Argument { flag }),
            format!("the command-line arguments cannot be read: {}", e.kind()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::Data;
    use crate::testing::{APP, names, origins};

    fn parse(list: &[&str]) -> (Layer, Origins) {
        let args: Vec<OsString> = list.iter().map(OsString::from).collect();
        let mut origins = origins();
        let layer = read(&args, &APP, names(), &mut origins);
        (layer, origins)
    }

    #[test]
    fn flags_set_their_fields_as_text_with_the_flag_as_origin() {
        let (layer, origins) = parse(&[
            "--port",
            "9000",
            "--db.pool-size=4",
            "--hosts",
            "a",
            "--hosts",
            "b",
        ]);
        let Data::Fields(values) = &layer.data else {
            panic!("arguments set fields")
        };
        let got: Vec<(String, String, String)> = values
            .iter()
            .map(|(id, v)| {
                let path = names().fields.targets[*id].path.clone();
                (path, v.display(), origins.get(v.origin).origin.to_string())
            })
            .collect();
        assert_eq!(
            got,
            [
                ("port".into(), "9000".into(), "argument --port".into()),
                (
                    "hosts".into(),
                    r#"["a", "b"]"#.into(),
                    "argument --hosts".into()
                ),
                (
                    "db.pool_size".into(),
                    "4".into(),
                    "argument --db.pool-size".into()
                ),
            ]
        );
    }

    #[test]
    fn an_unknown_flag_and_a_group_flag_are_problems() {
        let (layer, _) = parse(&["--prot", "1"]);
        let issues = layer.problems.list();
        assert_eq!(issues[0].kind, IssueKind::Unknown);
        assert!(
            issues[0].message.contains("did you mean --port?"),
            "{}",
            issues[0].message
        );
        let (layer, _) = parse(&["--db", "x"]);
        let issues = layer.problems.list();
        assert_eq!(issues[0].path, "db");
        assert!(
            issues[0].message.contains("--db.pool-size"),
            "{}",
            issues[0].message
        );
    }
}
