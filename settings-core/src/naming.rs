//! Environment-style names: prefix, field path, nested delimiter, explicit names, case folding.
//!
//! The table is built once per settings type from the metadata (a nested struct cannot know the outer
//! prefix, so names are composed here), then every environment variable, dotenv line and
//! secrets-directory entry is matched against it: a prefix check and one lookup in a hash
//! index, without an allocation per variable.

use crate::meta::{FieldMeta, StructMeta};
use crate::value::Key;
use crate::words;
use std::borrow::Cow;
use std::sync::{PoisonError, RwLock};

/// Index into [`NameTable::targets`].
pub(crate) type TargetId = usize;

/// A field that environment-style names can set.
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
        self.field.nested.is_some()
    }
}

/// How well a name matched: higher wins when several names set one field.
pub(crate) type Rank = u16;

/// Every environment-style name of one settings type.
#[derive(Debug)]
pub(crate) struct NameTable {
    prefix: &'static str,
    delimiter: &'static str,
    case_sensitive: bool,
    /// Derived names without the prefix, upper case: `DB__POOL_SIZE`.
    stems: Vec<(String, TargetId)>,
    /// `stems` by [`fold_hash`], open-addressed: a stem's index + 1, or 0 for an empty slot. A
    /// power of two long, at least twice the stems, so a probe always ends at an empty slot.
    slots: Vec<u32>,
    /// Every field key, for sources to take the `'static` name instead of a copy.
    pub(crate) keys: KeySet,
    /// Explicit `env = "..."` names with their rank.
    explicit: Vec<(&'static str, TargetId, Rank)>,
    pub(crate) targets: Vec<Target>,
}

/// Deepest nesting of settings structs followed (a guard against a struct that nests itself).
const MAX_DEPTH: usize = 32;

/// The tables built so far, one per settings type (by the address of its metadata), kept for
/// the life of the process: a type's names never change, and a service loads one or two types,
/// often many times (reloads, tests). Building a table costs as much as the rest of a small
/// load; finding it here, a read lock and a short scan.
static TABLES: RwLock<Vec<(usize, &'static NameTable)>> = RwLock::new(Vec::new());

impl NameTable {
    /// The table of a settings type, built on its first use and shared after that.
    pub(crate) fn of(meta: &'static StructMeta) -> &'static NameTable {
        let key = std::ptr::from_ref(meta) as usize;
        let find = |tables: &[(usize, &'static NameTable)]| {
            tables.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
        };
        // A panic elsewhere while the lock was held leaves the list whole: ignore the poison.
        if let Some(table) = find(&TABLES.read().unwrap_or_else(PoisonError::into_inner)) {
            return table;
        }
        let mut tables = TABLES.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(table) = find(&tables) {
            return table;
        }
        let table: &'static NameTable = Box::leak(Box::new(NameTable::new(meta)));
        tables.push((key, table));
        table
    }

    pub(crate) fn new(meta: &'static StructMeta) -> Self {
        let mut table = NameTable {
            prefix: meta.env_prefix.unwrap_or(""),
            delimiter: meta.env_nested_delimiter,
            case_sensitive: meta.case_sensitive,
            stems: Vec::new(),
            slots: Vec::new(),
            keys: KeySet::default(),
            explicit: Vec::new(),
            targets: Vec::new(),
        };
        let fields = count_fields(meta, 0);
        table.targets.reserve_exact(fields);
        table.stems.reserve_exact(fields);
        let mut keys = Vec::new();
        table.walk(meta, &mut keys, "", "");
        table.slots = index(
            table
                .stems
                .iter()
                .map(|(stem, _)| fold_hash(stem.as_bytes())),
        );
        table.keys = KeySet::new(table.targets.iter().map(|t| t.field.key));
        table
    }

    /// Adds the fields of `meta` (and of the structs nested in it): `keys`, `path` and `stem`
    /// are those of the struct itself (empty at the root).
    fn walk(
        &mut self,
        meta: &'static StructMeta,
        keys: &mut Vec<&'static str>,
        path: &str,
        stem: &str,
    ) {
        if keys.len() >= MAX_DEPTH {
            return;
        }
        for field in meta.fields {
            keys.push(field.key);
            let mut field_path = String::with_capacity(path.len() + 1 + field.key.len());
            field_path.push_str(path);
            let mut field_stem = String::with_capacity(stem.len() + 2 + field.key.len());
            field_stem.push_str(stem);
            if !path.is_empty() {
                field_path.push('.');
                field_stem.push_str(self.delimiter);
            }
            let key_at = field_stem.len();
            field_path.push_str(field.key);
            field_stem.push_str(field.key);
            // Stems are compared in upper case; the delimiter is stored the way names are
            // compared (as written when names are case-sensitive).
            let from = if self.case_sensitive {
                key_at
            } else {
                stem.len()
            };
            field_stem[from..].make_ascii_uppercase();
            let id = self.targets.len();
            self.targets.push(Target {
                keys: keys.clone(),
                path: field_path,
                field,
            });
            let n = field.env.len();
            for (i, name) in field.env.iter().enumerate() {
                self.explicit.push((name, id, ((n - i) as Rank) * 2));
            }
            if let Some(nested) = field.nested_meta() {
                // The walk below needs `self` whole: the path is read back from its target.
                let field_path = std::mem::take(&mut self.targets[id].path);
                self.walk(nested, keys, &field_path, &field_stem);
                self.targets[id].path = field_path;
            }
            if !field.env_only {
                self.stems.push((field_stem, id));
            }
            keys.pop();
        }
    }

    /// The field an environment variable name sets, and how well it matched.
    pub(crate) fn lookup(&self, name: &str) -> Option<(TargetId, Rank)> {
        let explicit = self.explicit.iter().find(|(n, ..)| self.same(n, name));
        if let Some((n, id, rank)) = explicit {
            return Some((*id, rank + Rank::from(*n == name)));
        }
        let rest = self.strip_prefix(name)?;
        self.find_stem(rest).map(|id| {
            (
                id,
                Rank::from(!crate::words::has_lowercase(name.as_bytes())),
            )
        })
    }

    /// Like [`lookup`](Self::lookup), but the name may also leave out the prefix (secrets and
    /// config directory entries: `APP_API_KEY` or `api_key`).
    pub(crate) fn lookup_entry(&self, name: &str) -> Option<(TargetId, Rank)> {
        self.lookup(name)
            .or_else(|| self.find_stem(name).map(|id| (id, 0)))
    }

    fn same(&self, expected: &str, name: &str) -> bool {
        self.same_bytes(expected.as_bytes(), name.as_bytes())
    }

    #[inline]
    fn same_bytes(&self, expected: &[u8], name: &[u8]) -> bool {
        if self.case_sensitive {
            expected == name
        } else {
            expected.eq_ignore_ascii_case(name)
        }
    }

    fn strip_prefix<'n>(&self, name: &'n str) -> Option<&'n str> {
        let p = self.prefix.len();
        if name.len() <= p || !name.is_char_boundary(p) || !self.same(self.prefix, &name[..p]) {
            return None;
        }
        Some(&name[p..])
    }

    /// One hash of the name, then a comparison with the stem (or two) in its slot.
    fn find_stem(&self, rest: &str) -> Option<TargetId> {
        let is = |n: usize| self.same(&self.stems[n].0, rest);
        let n = probe(&self.slots, fold_hash(rest.as_bytes()), is).ok()?;
        Some(self.stems[n].1)
    }

    /// Whether a variable of this name (its bytes, not yet known to be UTF-8) may set a field:
    /// false for a name without the prefix when every name needs it.
    pub(crate) fn may_set(&self, name: &[u8]) -> bool {
        let p = self.prefix.len();
        if p == 0 || !self.explicit.is_empty() {
            return true;
        }
        name.len() > p && self.same_bytes(self.prefix.as_bytes(), &name[..p])
    }

    /// Whether the name carries this table's prefix (the prefix is not empty).
    pub(crate) fn has_prefix(&self, name: &str) -> bool {
        !self.prefix.is_empty() && self.strip_prefix(name).is_some()
    }

    /// Every name that sets the target, in priority order: explicit names, then the derived one.
    pub(crate) fn names_of(&self, id: TargetId) -> Vec<String> {
        let target = &self.targets[id];
        let mut names: Vec<String> = target.field.env.iter().map(|n| (*n).to_owned()).collect();
        if !target.field.env_only {
            let stem = target
                .keys
                .iter()
                .map(|k| k.to_ascii_uppercase())
                .collect::<Vec<_>>()
                .join(self.delimiter);
            names.push(format!("{}{stem}", self.prefix));
        }
        names
    }

    /// The target of a dotted path.
    pub(crate) fn target_of(&self, path: &str) -> Option<TargetId> {
        self.targets.iter().position(|t| t.path == path)
    }
}

/// The fields of `meta` and of the structs nested in it, as deep as the walk goes.
fn count_fields(meta: &'static StructMeta, depth: usize) -> usize {
    if depth >= MAX_DEPTH {
        return 0;
    }
    meta.fields
        .iter()
        .map(|f| 1 + f.nested_meta().map_or(0, |n| count_fields(n, depth + 1)))
        .sum()
}

/// An open-addressed index of items by their hashes (in order): an item's position + 1 in each
/// slot it owns, 0 in an empty one. A power of two long and at least twice the items, so a probe
/// always ends at an empty slot.
fn index(hashes: impl ExactSizeIterator<Item = usize>) -> Vec<u32> {
    let mut slots = empty_slots(hashes.len());
    for (n, hash) in hashes.enumerate() {
        if let Err(free) = probe(&slots, hash, |_| false) {
            slots[free] = slot(n);
        }
    }
    slots
}

/// The empty slots of an index of `items`.
fn empty_slots(items: usize) -> Vec<u32> {
    vec![0; (items * 2).next_power_of_two()]
}

/// What the slot of item `n` holds.
fn slot(n: usize) -> u32 {
    // A settings type has far fewer than 2^32 fields (the table would not fit in memory).
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// Looks `hash` up in `slots` (not empty): the first item in its probe for which `is` holds, or
/// else the empty slot where the probe ended.
fn probe(slots: &[u32], hash: usize, mut is: impl FnMut(usize) -> bool) -> Result<usize, usize> {
    let mask = slots.len() - 1;
    let mut i = hash & mask;
    loop {
        match (slots[i] as usize).checked_sub(1) {
            None => return Err(i),
            Some(n) if is(n) => return Ok(n),
            Some(_) => i = (i + 1) & mask,
        }
    }
}

/// The field keys of a settings type and its nested ones, each once.
#[derive(Debug, Default)]
pub(crate) struct KeySet {
    keys: Vec<&'static str>,
    /// `keys` by [`hash`], see [`index`]; empty for the empty set.
    slots: Vec<u32>,
}

/// The empty set: every key is copied.
pub(crate) static NO_KEYS: KeySet = KeySet {
    keys: Vec::new(),
    slots: Vec::new(),
};

impl KeySet {
    pub(crate) fn new(all: impl ExactSizeIterator<Item = &'static str>) -> Self {
        let mut set = KeySet {
            keys: Vec::with_capacity(all.len()),
            slots: empty_slots(all.len()),
        };
        for key in all {
            // A key already there (`id` in two structs) is not added again.
            let known = |n: usize| set.keys[n] == key;
            if let Err(free) = probe(&set.slots, hash(key.as_bytes()), known) {
                set.slots[free] = slot(set.keys.len());
                set.keys.push(key);
            }
        }
        set
    }

    /// A table key for `name`: the field's own `'static` key when one is spelled so, else a copy.
    pub(crate) fn key(&self, name: Cow<'_, str>) -> Key {
        match self.find(&name) {
            Some(key) => Cow::Borrowed(key),
            None => Cow::Owned(name.into_owned()),
        }
    }

    fn find(&self, name: &str) -> Option<&'static str> {
        if self.slots.is_empty() {
            // `NO_KEYS`: a static cannot allocate its one empty slot.
            return None;
        }
        let n = probe(&self.slots, hash(name.as_bytes()), |n| self.keys[n] == name).ok()?;
        Some(self.keys[n])
    }
}

/// A hash of bytes, a word at a time (FxHash's multiply); `fold` clears bits of every byte first.
fn hash_words(bytes: &[u8], fold: u64) -> usize {
    const MIX: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, word: u64| (h.rotate_left(5) ^ (word & fold)).wrapping_mul(MIX);
    let mut chunks = bytes.chunks_exact(8);
    let mut h = bytes.len() as u64;
    for chunk in &mut chunks {
        h = step(h, words::word(chunk));
    }
    h = step(h, words::tail_word(chunks.remainder()));
    // The high bits, where the multiply mixes best, take part in choosing the slot.
    (h >> 32) as usize ^ h as usize
}

fn hash(bytes: &[u8]) -> usize {
    hash_words(bytes, u64::MAX)
}

/// A hash blind to ASCII case, a word at a time: bit 5, the only bit in which a letter's two cases
/// differ, is cleared from every byte. Other bytes lose it too, alike in every spelling of a name.
fn fold_hash(bytes: &[u8]) -> usize {
    hash_words(bytes, 0xDFDF_DFDF_DFDF_DFDF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{DefaultMeta, Shape};

    const fn field(
        name: &'static str,
        env: &'static [&'static str],
        nested: Option<fn() -> &'static StructMeta>,
    ) -> FieldMeta {
        FieldMeta {
            name,
            key: name,
            doc: "",
            ty: "String",
            shape: Shape::Text,
            optional: false,
            env,
            env_only: false,
            default: DefaultMeta::None,
            secret: false,
            restart: false,
            separator: None,
            extend: false,
            constraints: &[],
            nested,
        }
    }

    const fn strukt(
        prefix: Option<&'static str>,
        case_sensitive: bool,
        fields: &'static [FieldMeta],
    ) -> StructMeta {
        StructMeta {
            name: "S",
            doc: "",
            env_prefix: prefix,
            env_nested_delimiter: "__",
            case_sensitive,
            files: &[],
            env_file: None,
            secrets_dir: None,
            config_dir: None,
            profile_env: None,
            deny_unknown: true,
            deny_unknown_env: false,
            fields,
        }
    }

    static DB: StructMeta = strukt(
        None,
        false,
        &[
            field("pool_size", &[], None),
            field("url", &["DATABASE_URL"], None),
        ],
    );
    fn db() -> &'static StructMeta {
        &DB
    }
    static APP: StructMeta = strukt(
        Some("APP_"),
        false,
        &[field("port", &[], None), field("db", &[], Some(db))],
    );
    static EXACT: StructMeta = strukt(Some("APP_"), true, &[field("port", &[], None)]);

    fn path(t: &NameTable, name: &str) -> Option<String> {
        t.lookup(name).map(|(id, _)| t.targets[id].path.clone())
    }

    #[test]
    fn only_names_with_the_prefix_may_set_a_field() {
        static LOOSE: StructMeta = strukt(Some("APP_"), false, &[field("port", &[], None)]);
        let t = NameTable::new(&LOOSE);
        assert!(t.may_set(b"APP_PORT"));
        assert!(t.may_set(b"app_port"));
        assert!(t.may_set(b"APP_\xff"));
        assert!(!t.may_set(b"APP_"));
        assert!(!t.may_set(b"PATH"));
        assert!(!t.may_set(b"AP"));
        let exact = NameTable::new(&EXACT);
        assert!(exact.may_set(b"APP_PORT"));
        assert!(!exact.may_set(b"app_port"));
        // An explicit name needs no prefix (`DATABASE_URL`): every name is looked up.
        assert!(NameTable::new(&APP).may_set(b"DATABASE_URL"));
    }

    #[test]
    fn derived_names_match_in_any_case() {
        let t = NameTable::new(&APP);
        assert_eq!(path(&t, "APP_PORT").as_deref(), Some("port"));
        assert_eq!(path(&t, "app_port").as_deref(), Some("port"));
        assert_eq!(
            path(&t, "App_Db__Pool_Size").as_deref(),
            Some("db.pool_size")
        );
        assert_eq!(path(&t, "APP_DB").as_deref(), Some("db"));
        assert_eq!(path(&t, "APP_DB__").as_deref(), None);
        assert_eq!(path(&t, "PORT").as_deref(), None);
        assert_eq!(path(&t, "APP_").as_deref(), None);
    }

    #[test]
    fn explicit_names_are_used_without_prefix_and_outrank_derived() {
        let t = NameTable::new(&APP);
        assert_eq!(path(&t, "DATABASE_URL").as_deref(), Some("db.url"));
        let (_, explicit) = t.lookup("DATABASE_URL").unwrap();
        let (_, derived) = t.lookup("APP_DB__URL").unwrap();
        assert!(explicit > derived);
        assert_eq!(
            t.names_of(t.target_of("db.url").unwrap()),
            ["DATABASE_URL", "APP_DB__URL"]
        );
    }

    #[test]
    fn case_sensitive_needs_the_exact_name() {
        let t = NameTable::new(&EXACT);
        assert_eq!(path(&t, "APP_PORT").as_deref(), Some("port"));
        assert_eq!(path(&t, "app_port"), None);
        assert_eq!(path(&t, "APP_port"), None);
    }

    #[test]
    fn entries_may_leave_out_the_prefix() {
        let t = NameTable::new(&APP);
        let p = |n| t.lookup_entry(n).map(|(id, _)| t.targets[id].path.clone());
        assert_eq!(p("db__pool_size").as_deref(), Some("db.pool_size"));
        assert_eq!(p("APP_PORT").as_deref(), Some("port"));
        assert_eq!(p("port").as_deref(), Some("port"));
    }

    #[test]
    fn fold_hash_ignores_case_only() {
        assert_eq!(fold_hash(b"db__pool_size"), fold_hash(b"DB__POOL_SIZE"));
        assert_eq!(fold_hash(b"Db__Pool_Size"), fold_hash(b"DB__POOL_SIZE"));
        assert_ne!(fold_hash(b"DB__POOL_SIZE"), fold_hash(b"DB__POOL_SIZ"));
        assert_ne!(fold_hash(b"PORT"), fold_hash(b"HOST"));
    }

    #[test]
    fn every_stem_is_found_among_many() {
        let t = NameTable::new(&APP);
        for (stem, id) in &t.stems {
            assert_eq!(t.find_stem(stem), Some(*id), "{stem}");
            assert_eq!(t.find_stem(&stem.to_ascii_lowercase()), Some(*id), "{stem}");
        }
        assert_eq!(t.find_stem("NOT_A_FIELD"), None);
        assert_eq!(t.find_stem(""), None);
    }

    #[test]
    fn field_keys_are_borrowed_and_others_copied() {
        let t = NameTable::new(&APP);
        for target in &t.targets {
            let key = t.keys.key(Cow::Owned(target.field.key.to_owned()));
            assert!(matches!(key, Cow::Borrowed(k) if k == target.field.key));
        }
        assert!(
            matches!(t.keys.key(Cow::Borrowed("POOL_SIZE")), Cow::Owned(k) if k == "POOL_SIZE")
        );
        assert!(matches!(
            KeySet::default().key(Cow::Borrowed("port")),
            Cow::Owned(_)
        ));
    }
}
