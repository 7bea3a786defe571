//! The fields of a settings type and of the structs nested in it, flattened into one index: each
//! with its dotted path, its keys from the root and its metadata. Built once per type (see
//! [`Names`](crate::naming::Names)) and read by every source, pass and report.

use crate::meta::{FieldMeta, MAX_NESTING, StructMeta};
use crate::tree::KeySet;

/// Index into [`FieldIndex::targets`].
pub(crate) type TargetId = usize;

/// A field that sources can set.
#[derive(Debug)]
pub(crate) struct Target {
    /// The dotted path: `db.pool_size`.
    pub(crate) path: String,
    /// The file keys from the root: `["db", "pool_size"]`.
    pub(crate) keys: Vec<&'static str>,
    pub(crate) field: &'static FieldMeta,
}

impl Target {
    /// A nested settings struct (set whole by a JSON object).
    pub(crate) fn is_nested(&self) -> bool {
        self.field.is_nested()
    }
}

/// Every field of one settings type, nested structs' fields included, parents before children.
#[derive(Debug, Default)]
pub(crate) struct FieldIndex {
    pub(crate) targets: Vec<Target>,
    /// Every field key, for sources to take the `'static` name instead of a copy.
    pub(crate) keys: KeySet,
}

impl FieldIndex {
    /// Room for the fields of `meta`.
    pub(crate) fn with_capacity(meta: &'static StructMeta) -> Self {
        FieldIndex {
            targets: Vec::with_capacity(count_fields(meta, 0)),
            keys: KeySet::default(),
        }
    }

    /// Adds a field; its id.
    pub(crate) fn push(&mut self, target: Target) -> TargetId {
        self.targets.push(target);
        self.targets.len() - 1
    }

    /// Done adding fields: the key set is built from them.
    pub(crate) fn seal(&mut self) {
        self.keys = KeySet::new(self.targets.iter().map(|t| t.field.key));
    }

    /// The target of a dotted path.
    pub(crate) fn target_of(&self, path: &str) -> Option<TargetId> {
        self.targets.iter().position(|t| t.path == path)
    }

    /// The field at a dotted path.
    pub(crate) fn field_at(&self, path: &str) -> Option<&'static FieldMeta> {
        self.target_of(path).map(|id| self.targets[id].field)
    }

    /// The settings at and below `id` that hold values, not nested structs: the field itself
    /// when it is one, else the fields of the structs nested in it (which follow it in
    /// `targets`, parents before children).
    pub(crate) fn leaves_at(&self, id: TargetId) -> impl Iterator<Item = (TargetId, &Target)> {
        let root = &self.targets[id].keys;
        self.targets
            .iter()
            .enumerate()
            .skip(id)
            .take_while(move |(_, t)| t.keys.starts_with(root))
            .filter(|(_, t)| !t.is_nested())
    }

    /// The path of every `extend` list, with its separator: what the merger needs to know.
    pub(crate) fn extend_lists(&self) -> Vec<(Vec<&'static str>, &'static str)> {
        self.targets
            .iter()
            .filter(|t| t.field.extend)
            .map(|t| (t.keys.clone(), t.field.separator.unwrap_or(",")))
            .collect()
    }
}

/// The fields of `meta` and of the structs nested in it, as deep as the walk goes.
fn count_fields(meta: &'static StructMeta, depth: usize) -> usize {
    if depth >= MAX_NESTING {
        return 0;
    }
    meta.fields
        .iter()
        .map(|f| 1 + f.nested_meta().map_or(0, |n| count_fields(n, depth + 1)))
        .sum()
}
