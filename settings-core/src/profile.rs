//! Profiles: `[default]`, `[<profile>]` and `[global]` sections inside a file.

use crate::meta::StructMeta;
use crate::tree::{Node, Table, merge_tables};

/// The name of the profile variable: `profile_env`, else `{env_prefix}PROFILE`.
pub(crate) fn variable(meta: &StructMeta) -> String {
    match meta.profile_env {
        Some(name) => name.to_owned(),
        None => format!("{}PROFILE", meta.env_prefix.unwrap_or("")),
    }
}

/// Whether a file is written in profile sections: none of its top-level keys is a field, and at
/// least one is `default`, `global` or the active profile.
fn uses_sections(table: &Table, meta: &StructMeta, profile: Option<&str>) -> bool {
    !table.is_empty()
        && table.keys().all(|k| meta.field_index(k).is_none())
        && table
            .keys()
            .any(|k| k == "default" || k == "global" || Some(&**k) == profile)
}

/// A file's settings once its profile sections are read.
pub(crate) struct Selected {
    pub(crate) table: Table,
    /// The file has a section for the active profile.
    pub(crate) mentions_profile: bool,
    /// Sections that are not tables, by name.
    pub(crate) not_tables: Vec<String>,
}

/// Reads a file's profile sections figment-style (`default` < the active profile < `global`);
/// a file without sections is returned as it is.
pub(crate) fn select(mut table: Table, meta: &StructMeta, profile: Option<&str>) -> Selected {
    if !uses_sections(&table, meta, profile) {
        return Selected {
            table,
            mentions_profile: false,
            not_tables: Vec::new(),
        };
    }
    let mut selected = Selected {
        table: Table::new(),
        mentions_profile: profile.is_some_and(|p| table.contains_key(p)),
        not_tables: Vec::new(),
    };
    let names = ["default"].into_iter().chain(profile).chain(["global"]);
    for name in names {
        if let Some(section) = table.remove(name) {
            match section.node {
                Node::Table(section) => merge_tables(&mut selected.table, section),
                _ => selected.not_tables.push(name.to_owned()),
            }
        }
    }
    selected
}

#[cfg(test)]
mod tests {
    use super::*;

    static META: StructMeta = crate::testing::strukt(Some("APP_"), &[]);

    #[test]
    fn sections_merge_default_then_profile_then_global() {
        let t = crate::providers::toml::parse(
            "[default]\na = 1\nb = 1\nc = 1\n[prod]\nb = 2\nc = 2\n[global]\nc = 3\n[dev]\na = 9\n",
            0,
            &crate::tree::NO_KEYS,
        )
        .unwrap();
        let out = select(t.clone(), &META, Some("prod"));
        assert!(out.mentions_profile);
        assert_eq!(
            crate::tree::Value::new(Node::Table(out.table), 0).display(),
            r#"{"a": 1, "b": 2, "c": 3}"#
        );
        let out = select(t.clone(), &META, None);
        assert_eq!(
            crate::tree::Value::new(Node::Table(out.table), 0).display(),
            r#"{"a": 1, "b": 1, "c": 3}"#
        );
        assert!(!select(t, &META, Some("prdo")).mentions_profile);
    }

    #[test]
    fn a_section_that_is_not_a_table_is_named() {
        let t =
            crate::providers::toml::parse("default = 1\n[prod]\na = 2\n", 0, &crate::tree::NO_KEYS)
                .unwrap();
        let out = select(t, &META, Some("prod"));
        assert_eq!(out.not_tables, ["default"]);
    }

    #[test]
    fn variable_defaults_to_the_prefix() {
        assert_eq!(variable(&META), "APP_PROFILE");
    }
}
