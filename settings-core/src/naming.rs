//! Environment-style names: prefix, field path, nested delimiter, explicit names, case folding.
//!
//! The names are built once per settings type from the metadata (a nested struct cannot know the
//! outer prefix, so names are composed here), then every environment variable, dotenv line and
//! secrets-directory entry is matched against them: a prefix check and one lookup in a hash
//! index, without an allocation per variable.

use crate::fields::{FieldIndex, Target, TargetId};
use crate::hashindex::{fold_hash, index, probe};
use crate::meta::{FieldMeta, MAX_NESTING, Shape, StructMeta};
use std::sync::{PoisonError, RwLock};

/// How well a name matched: higher wins when several names set one field.
pub(crate) type Rank = u16;

/// The environment names of the fields of one settings type.
#[derive(Debug)]
pub(crate) struct EnvNames {
    prefix: &'static str,
    delimiter: &'static str,
    case_sensitive: bool,
    /// Derived names without the prefix, upper case: `DB__POOL_SIZE`.
    stems: Vec<(String, TargetId)>,
    /// `stems` by [`fold_hash`], open-addressed: a stem's index + 1, or 0 for an empty slot. A
    /// power of two long, at least twice the stems, so a probe always ends at an empty slot.
    slots: Vec<u32>,
    /// Explicit `env = "..."` names with their rank.
    explicit: Vec<(&'static str, TargetId, Rank)>,
    /// Derived names under a nested field's own `env_prefix`, whole (`REPLICA_POOL_SIZE`, upper
    /// case after the prefix): rare, so looked up by a scan, and only when there are any.
    prefixed: Vec<(String, TargetId)>,
    /// Those fields' prefixes, for the quick test of a name and the unknown-variable report.
    sub_prefixes: Vec<&'static str>,
    /// The names an `alias` or a `renamed_from` gives a field, whole; below every current name.
    others: Vec<OtherName>,
    /// The lists and maps of settings structs: their elements' variables are the field's name,
    /// the index or key, then the element's own derived name (`APP_SERVERS__0__HOST`).
    collections: Vec<CollectionName>,
}

/// A list or map of settings structs, for its elements' variables.
#[derive(Debug)]
struct CollectionName {
    /// The field's whole derived name: `APP_SERVERS`.
    name: String,
    target: TargetId,
    /// The element settings struct; `None` for a list or map of values (`APP_HOSTS__0`).
    element: Option<&'static StructMeta>,
    map: bool,
    /// For an old name (`renamed_from`) of the collection, its current name.
    current: Option<String>,
}

/// A variable that sets a field of one element of a list or map of structs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ElementName {
    /// The index or key as the variable gives it (a map's key lower-cased unless names are
    /// case-sensitive).
    pub(crate) key: String,
    /// The field inside the element: its keys from the element's root.
    pub(crate) keys: &'static [&'static str],
    /// Whether the collection is a map.
    pub(crate) map: bool,
}

/// A name an `alias` or a `renamed_from` gives a field.
#[derive(Debug)]
struct OtherName {
    name: String,
    target: TargetId,
    /// For an old name (`renamed_from`), the current name, which the warning says to use.
    current: Option<String>,
}

/// What a name sets: the field, how well the name matched (higher wins when several names set
/// one field in one source), whether its value names a file, and for an old name the current
/// one.
#[derive(Debug)]
pub(crate) struct Found<'n> {
    pub(crate) target: TargetId,
    pub(crate) rank: Rank,
    pub(crate) indirect: bool,
    /// For an old name, the current one (for an element's variable, the whole current name:
    /// `APP_SERVERS__0__HOST` for `APP_UPSTREAMS__0__HOST`).
    pub(crate) current: Option<std::borrow::Cow<'n, str>>,
    /// For an element's variable: which element, and which field in it.
    pub(crate) element: Option<ElementName>,
}

impl Found<'_> {
    /// A name that sets `target` itself, by its value: no file, no old name, no element.
    fn of(target: TargetId, rank: Rank) -> Self {
        Found {
            target,
            rank,
            indirect: false,
            current: None,
            element: None,
        }
    }
}

/// A key path an `alias` or a `renamed_from` gives a field, in files and `.set` paths.
#[derive(Debug)]
pub(crate) struct Rename {
    /// The keys from the root: the alias under the field's parent, or the old path.
    pub(crate) from: Vec<String>,
    pub(crate) to: TargetId,
    /// `renamed_from` (each use is a warning), not `alias`.
    pub(crate) old: bool,
}

/// What one settings type's fields are called: its [`FieldIndex`] and its [`EnvNames`], built
/// together in one walk of the metadata.
#[derive(Debug)]
pub(crate) struct Names {
    pub(crate) fields: FieldIndex,
    pub(crate) env: EnvNames,
    /// The other key paths of fields (`alias`, `renamed_from`); empty for most settings.
    pub(crate) renames: Vec<Rename>,
    /// The secret leaves, and the lists and maps of structs (whose elements may hold secrets):
    /// where the loads look for secrets in plain text. Empty for most settings.
    pub(crate) secret_places: Vec<TargetId>,
    /// The fields whose literal default holds a `${...}` reference. Empty for most settings.
    pub(crate) defaults_with_references: Vec<TargetId>,
    /// The variable that names the active profile (`APP_PROFILE`).
    pub(crate) profile_var: String,
}

/// The names built so far, one per settings type (by the address of its metadata), kept for
/// the life of the process: a type's names never change, and a service loads one or two types,
/// often many times (reloads, tests). Building them costs as much as the rest of a small
/// load; finding them here, a read lock and a short scan.
static TABLES: RwLock<Vec<(usize, &'static Names)>> = RwLock::new(Vec::new());

impl Names {
    /// The names of a settings type, built on its first use and shared after that.
    pub(crate) fn of(meta: &'static StructMeta) -> &'static Names {
        let key = std::ptr::from_ref(meta) as usize;
        let find = |tables: &[(usize, &'static Names)]| {
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
        let table: &'static Names = Box::leak(Box::new(Names::new(meta)));
        tables.push((key, table));
        table
    }

    pub(crate) fn new(meta: &'static StructMeta) -> Self {
        let mut fields = FieldIndex::with_capacity(meta);
        let mut env = EnvNames {
            prefix: meta.env_prefix.unwrap_or(""),
            delimiter: meta.env_nested_delimiter,
            case_sensitive: meta.case_sensitive,
            stems: Vec::with_capacity(fields.targets.capacity()),
            slots: Vec::new(),
            explicit: Vec::new(),
            prefixed: Vec::new(),
            sub_prefixes: Vec::new(),
            others: Vec::new(),
            collections: Vec::new(),
        };
        let mut keys = Vec::new();
        env.walk(&mut fields, meta, &mut keys, "", "", None);
        env.slots = index(env.stems.iter().map(|(stem, _)| fold_hash(stem.as_bytes())));
        fields.seal();
        let renames = env.other_names(&fields);
        let ids = |keep: &dyn Fn(&Target) -> bool| -> Vec<TargetId> {
            let targets = fields.targets.iter().enumerate();
            targets.filter(|(_, t)| keep(t)).map(|(id, _)| id).collect()
        };
        let secret_places =
            ids(&|t| (t.field.secret && !t.is_nested()) || t.field.element_meta().is_some());
        let defaults_with_references = ids(
            &|t| matches!(&t.field.default, crate::meta::DefaultMeta::Literal(lit) if lit.has_reference()),
        );
        Names {
            fields,
            env,
            renames,
            secret_places,
            defaults_with_references,
            profile_var: crate::profile::variable(meta),
        }
    }

    /// A dotted path into an element of a list or map (`servers.0.host`, `labels.team`): the
    /// collection and the element's field, as an indexed variable gives them.
    pub(crate) fn element_at(&self, path: &str) -> Option<(TargetId, ElementName)> {
        self.fields
            .targets
            .iter()
            .enumerate()
            .find_map(|(id, target)| {
                let field = target.field;
                let map = field.shape == Shape::Map;
                if !matches!(field.shape, Shape::List | Shape::Map) || field.nested_meta().is_some()
                {
                    return None;
                }
                let rest = path.strip_prefix(target.path.as_str())?.strip_prefix('.')?;
                let (key, inner) = rest.split_once('.').unwrap_or((rest, ""));
                let keys: &'static [&'static str] = match field.element_meta() {
                    None if inner.is_empty() => &[],
                    None => return None,
                    Some(element) => {
                        let names = Names::of(element);
                        let id = names.fields.target_of(inner)?;
                        names.fields.targets[id].keys.as_slice()
                    }
                };
                let key = key.to_owned();
                Some((id, ElementName { key, keys, map }))
            })
    }

    /// The field at a dotted path, or in an element of a list or map (`servers.0.host`,
    /// `tenants.acme.url`): what interpolation and the settings endpoint look up.
    pub(crate) fn field_of(&self, path: &str) -> Option<&'static FieldMeta> {
        if let Some(field) = self.fields.field_at(path) {
            return Some(field);
        }
        let (id, element) = self.element_at(path)?;
        Some(self.element_field(id, &element))
    }

    /// The field of an element that `element` names in the list or map `id` (for a list or
    /// map of values, the collection's own field).
    pub(crate) fn element_field(&self, id: TargetId, element: &ElementName) -> &'static FieldMeta {
        let field = self.fields.targets[id].field;
        match field.element_meta() {
            None => field,
            Some(meta) => Names::of(meta)
                .fields
                .targets
                .iter()
                .find(|t| t.keys == element.keys)
                .map_or(field, |t| t.field),
        }
    }

    /// Every name that sets the field `id`, in priority order: explicit names, then the derived one.
    pub(crate) fn names_of(&self, id: TargetId) -> Vec<String> {
        self.env.names_of(id, &self.fields.targets[id])
    }
}

impl EnvNames {
    /// Adds the fields of `meta` (and of the structs nested in it) to `fields` and their names
    /// here: `keys`, `path` and `stem` are those of the struct itself (empty at the root; the
    /// stem is empty too at a field with its own `env_prefix`, which `sub` then holds).
    fn walk(
        &mut self,
        fields: &mut FieldIndex,
        meta: &'static StructMeta,
        keys: &mut Vec<&'static str>,
        path: &str,
        stem: &str,
        sub: Option<&'static str>,
    ) {
        if keys.len() >= MAX_NESTING {
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
            }
            if !stem.is_empty() {
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
            let id = fields.push(Target {
                keys: keys.clone(),
                path: field_path,
                field,
            });
            let n = field.env.len();
            for (i, name) in field.env.iter().enumerate() {
                self.explicit.push((name, id, ((n - i) as Rank) * 2 + 2));
            }
            if let Some(nested) = field.nested_meta() {
                // The walk below needs `fields` whole: the path is read back from its target.
                let field_path = std::mem::take(&mut fields.targets[id].path);
                match field.env_prefix {
                    Some(prefix) => {
                        if !self.sub_prefixes.contains(&prefix) {
                            self.sub_prefixes.push(prefix);
                        }
                        self.walk(fields, nested, keys, &field_path, "", Some(prefix));
                    }
                    None => self.walk(fields, nested, keys, &field_path, &field_stem, sub),
                }
                fields.targets[id].path = field_path;
            }
            let values = field.nested.is_none() && matches!(field.shape, Shape::List | Shape::Map);
            if (values || field.element_meta().is_some()) && !field.env_only {
                let element = field.element_meta();
                let name = match sub {
                    None => format!("{}{field_stem}", self.prefix),
                    Some(prefix) => format!("{prefix}{field_stem}"),
                };
                self.collections.push(CollectionName {
                    name,
                    target: id,
                    element,
                    map: field.shape == Shape::Map,
                    current: None,
                });
            }
            if !field.env_only {
                match sub {
                    None => self.stems.push((field_stem, id)),
                    Some(prefix) => self.prefixed.push((format!("{prefix}{field_stem}"), id)),
                }
            }
            keys.pop();
        }
    }

    /// The field an environment variable name sets, and how well it matched.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn lookup(&self, name: &str) -> Option<(TargetId, Rank)> {
        self.current(name)
            .or_else(|| self.find_other(name).map(|f| (f.target, f.rank)))
    }

    /// [`lookup`](Self::lookup) with what it found about the name.
    fn find(&self, name: &str) -> Option<Found<'_>> {
        match self.current(name) {
            Some((target, rank)) => Some(Found::of(target, rank)),
            None => self.find_other(name),
        }
    }

    /// The field a current name sets: an explicit name, or a derived one (ranked 2 or 3, above
    /// an alias's or an old name). Every variable is asked this; it stays small.
    fn current(&self, name: &str) -> Option<(TargetId, Rank)> {
        let explicit = self.explicit.iter().find(|(n, ..)| self.same(n, name));
        if let Some((n, id, rank)) = explicit {
            return Some((*id, rank + Rank::from(*n == name)));
        }
        let rest = self.strip_prefix(name)?;
        self.find_stem(rest).map(|id| {
            (
                id,
                2 + Rank::from(!crate::swar::has_lowercase(name.as_bytes())),
            )
        })
    }

    /// The names outside the hashed stems: under a field's own prefix, an alias's or an old
    /// name, an element's of a list or map of structs. Most settings have none.
    #[inline(never)]
    fn find_other(&self, name: &str) -> Option<Found<'_>> {
        if self.prefixed.is_empty() && self.others.is_empty() && self.collections.is_empty() {
            return None;
        }
        let exact_case = Rank::from(!crate::swar::has_lowercase(name.as_bytes()));
        let found = Found::of;
        if let Some((_, id)) = self.prefixed.iter().find(|(n, _)| self.same(n, name)) {
            return Some(found(*id, 2 + exact_case));
        }
        if let Some(other) = self.others.iter().find(|o| self.same(&o.name, name)) {
            return Some(Found {
                current: other.current.as_deref().map(std::borrow::Cow::Borrowed),
                ..found(other.target, exact_case)
            });
        }
        let (target, element, current) = self.element_of(name)?;
        Some(Found {
            element: Some(element),
            current: current.map(std::borrow::Cow::Owned),
            ..found(target, 2 + exact_case)
        })
    }

    /// For a variable that sets nothing but looks meant for an element of a list or map of
    /// structs (`APP_SERVRES__0__HOST`, `APP_SERVERS__0__HOTS`): the name it likely meant.
    pub(crate) fn suggest_element(&self, name: &str) -> Option<String> {
        let d = self.delimiter;
        self.collections.iter().find_map(|c| {
            // Split where the index or key begins: the head names the collection.
            let (_, rest) = name
                .match_indices(d)
                .map(|(at, _)| (&name[..at], &name[at + d.len()..]))
                .find(|(head, _)| crate::suggest::closest(head, [c.name.as_str()]).is_some())?;
            let (key, inner) = rest.split_once(d)?;
            let names = Names::of(c.element?);
            let stems = names.env.stems.iter().map(|(s, _)| s.as_str());
            let inner = match names.env.find_stem(inner) {
                Some(_) => inner.to_ascii_uppercase(),
                None => crate::suggest::closest(&inner.to_ascii_uppercase(), stems)?.to_owned(),
            };
            Some(format!("{}{d}{key}{d}{inner}", c.name))
        })
    }

    /// `APP_SERVERS__0__HOST`: the list or map whose element it sets, and the element's field.
    /// For an old name of the collection, the variable's current name too.
    fn element_of(&self, name: &str) -> Option<(TargetId, ElementName, Option<String>)> {
        self.collections.iter().find_map(|c| {
            let rest = self.after(&c.name, name)?.strip_prefix(self.delimiter)?;
            let (key, keys): (&str, &'static [&'static str]) = match c.element {
                // A list or map of values: the index or key ends the name.
                None if !rest.contains(self.delimiter) => (rest, &[]),
                None => return None,
                Some(element) => {
                    let (key, inner) = rest.split_once(self.delimiter)?;
                    // The element type's names are built once and kept for the process.
                    let names = Names::of(element);
                    let id = names.env.find_stem(inner)?;
                    (key, names.fields.targets[id].keys.as_slice())
                }
            };
            let key = if c.map && !self.case_sensitive {
                key.to_lowercase()
            } else {
                key.to_owned()
            };
            Some((
                c.target,
                ElementName {
                    key,
                    keys,
                    map: c.map,
                },
                c.current
                    .as_deref()
                    .map(|current| format!("{current}{}", &name[c.name.len()..])),
            ))
        })
    }

    /// The names `alias` and `renamed_from` give the fields, for the environment (an alias's
    /// stem beside the field's, an old path's from the root under the prefix), and the key
    /// paths they give in files. A nested struct's other name is also its fields' (unless it
    /// has its own `env_prefix`), and a list or map's is also its elements' variables'.
    fn other_names(&mut self, fields: &FieldIndex) -> Vec<Rename> {
        let mut renames = Vec::new();
        for (id, target) in fields.targets.iter().enumerate() {
            let field = target.field;
            if field.aliases.is_empty() && field.renamed_from.is_empty() {
                continue;
            }
            let parent = &target.keys[..target.keys.len() - 1];
            let upper = |keys: &[&str]| {
                keys.iter()
                    .map(|k| k.to_ascii_uppercase())
                    .collect::<Vec<_>>()
                    .join(self.delimiter)
            };
            let current = self.names_of(id, target).pop();
            for alias in field.aliases {
                let mut from: Vec<String> = parent.iter().map(|k| (*k).to_owned()).collect();
                from.push((*alias).to_owned());
                // Beside the field's own derived name: same prefix and parent stem.
                let own = upper(&[target.keys[target.keys.len() - 1]]);
                let name = current
                    .as_deref()
                    .filter(|_| !field.env_only)
                    .and_then(|name| name.strip_suffix(own.as_str()))
                    .map(|base| format!("{base}{}", alias.to_ascii_uppercase()));
                if let Some(name) = name {
                    self.add_other_name(fields, id, current.as_deref(), name, false);
                }
                renames.push(Rename {
                    from,
                    to: id,
                    old: false,
                });
            }
            for old in field.renamed_from {
                let from: Vec<String> = old.split('.').map(str::to_owned).collect();
                let keys: Vec<&str> = from.iter().map(String::as_str).collect();
                let name = format!("{}{}", self.prefix, upper(&keys));
                self.add_other_name(fields, id, current.as_deref(), name, true);
                renames.push(Rename {
                    from,
                    to: id,
                    old: true,
                });
            }
        }
        renames
    }

    /// `name`, another name of the field `id` whose own derived name is `current`: for the
    /// field, for the fields of a nested struct below it, for the elements of a list or map.
    /// An old name's use is said with the current name.
    fn add_other_name(
        &mut self,
        fields: &FieldIndex,
        id: TargetId,
        current: Option<&str>,
        name: String,
        old: bool,
    ) {
        let target = &fields.targets[id];
        let field = target.field;
        let said = |current: Option<&str>| current.filter(|_| old).map(str::to_owned);
        if field.is_nested() && field.env_prefix.is_none() {
            // `APP_DATABASE__URL` for `APP_DB__URL`: the other name, then the rest of each
            // field's derived name.
            for (leaf, t) in fields.leaves_at(id) {
                if t.field.env_only {
                    continue;
                }
                let Some(own) = self.names_of(leaf, t).pop() else {
                    continue;
                };
                let Some(rest) = current.and_then(|c| own.strip_prefix(c)) else {
                    continue;
                };
                let leaf_name = format!("{name}{rest}");
                self.others.push(OtherName {
                    name: leaf_name,
                    target: leaf,
                    current: said(Some(&own)),
                });
            }
        }
        if let Some(at) = self.collections.iter().position(|c| c.target == id) {
            let c = &self.collections[at];
            self.collections.push(CollectionName {
                name: name.clone(),
                target: id,
                element: c.element,
                map: c.map,
                current: said(Some(&c.name)),
            });
        }
        self.others.push(OtherName {
            name,
            target: id,
            current: said(current),
        });
    }

    /// The field a variable (or env file line) sets, how well it matched, and whether its
    /// value is the name of a file that holds the value: `APP_DB__PASSWORD_FILE` sets
    /// `db.password` from the file it names, unless `APP_DB__PASSWORD_FILE` is a setting's
    /// own name.
    pub(crate) fn lookup_var(&self, name: &str) -> Option<Found<'_>> {
        if let Some(found) = self.find(name) {
            return Some(found);
        }
        let stem = self.file_stem(name)?;
        let found = self.find(stem)?;
        Some(Found {
            indirect: true,
            ..found
        })
    }

    /// `NAME` of `NAME_FILE` (the suffix in any case unless names are case-sensitive).
    pub(crate) fn file_stem<'n>(&self, name: &'n str) -> Option<&'n str> {
        let at = name.len().checked_sub(FILE_SUFFIX.len())?;
        let suffix = name.get(at..)?;
        let same = if self.case_sensitive {
            suffix == FILE_SUFFIX
        } else {
            suffix.eq_ignore_ascii_case(FILE_SUFFIX)
        };
        same.then(|| &name[..at])
    }

    /// Like [`lookup`](Self::lookup), but the name may also leave out the prefix (secrets and
    /// config directory entries: `APP_API_KEY` or `api_key`).
    /// An entry without the prefix is read as if it had it: an element's (`servers__0__host`)
    /// and an old name's too, with the old name said without the prefix.
    pub(crate) fn lookup_entry(&self, name: &str) -> Option<Found<'_>> {
        if let Some(found) = self.find(name) {
            return Some(found);
        }
        if let Some(id) = self.find_stem(name) {
            return Some(Found::of(id, 0));
        }
        self.entry_other(name)
    }

    /// An entry without the prefix that names an element or an old name (rare: kept out of
    /// line).
    #[inline(never)]
    fn entry_other(&self, name: &str) -> Option<Found<'_>> {
        if self.prefix.is_empty() {
            return None;
        }
        let found = self.find_other(&format!("{}{name}", self.prefix))?;
        Some(Found {
            rank: 0,
            current: found.current.map(|c| {
                let shown = self.after(self.prefix, &c).unwrap_or(&c).to_owned();
                std::borrow::Cow::Owned(shown)
            }),
            ..found
        })
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
        self.after(self.prefix, name)
    }

    /// The rest of `name` after `prefix` (compared as names are), when something follows it.
    #[inline]
    fn after<'n>(&self, prefix: &str, name: &'n str) -> Option<&'n str> {
        let p = prefix.len();
        if name.len() <= p || !name.is_char_boundary(p) || !self.same(prefix, &name[..p]) {
            return None;
        }
        Some(&name[p..])
    }

    /// [`after`](Self::after) on a name's bytes, not yet known to be UTF-8.
    #[inline]
    fn starts_with_bytes(&self, prefix: &str, name: &[u8]) -> bool {
        let p = prefix.len();
        name.len() > p && self.same_bytes(prefix.as_bytes(), &name[..p])
    }

    /// One hash of the name, then a comparison with the stem (or two) in its slot.
    fn find_stem(&self, rest: &str) -> Option<TargetId> {
        let is = |n: usize| self.same(&self.stems[n].0, rest);
        let n = probe(&self.slots, fold_hash(rest.as_bytes()), is).ok()?;
        Some(self.stems[n].1)
    }

    /// Whether a variable of this name (its bytes, not yet known to be UTF-8) may set a field:
    /// false for a name without the prefix when every name needs it.
    #[inline]
    pub(crate) fn may_set(&self, name: &[u8]) -> bool {
        let p = self.prefix.len();
        if p == 0 || !self.explicit.is_empty() {
            return true;
        }
        if self.starts_with_bytes(self.prefix, name) {
            return true;
        }
        !self.sub_prefixes.is_empty() && self.has_sub_prefix(name)
    }

    /// Whether the name starts with the prefix a nested field gives its subtree.
    #[inline(never)]
    fn has_sub_prefix(&self, name: &[u8]) -> bool {
        self.sub_prefixes
            .iter()
            .any(|prefix| self.starts_with_bytes(prefix, name))
    }

    /// Whether the name carries this table's prefix (the prefix is not empty), or the prefix
    /// of a nested field's own names.
    pub(crate) fn has_prefix(&self, name: &str) -> bool {
        (!self.prefix.is_empty() && self.strip_prefix(name).is_some())
            || self
                .sub_prefixes
                .iter()
                .any(|p| self.after(p, name).is_some())
    }

    /// The name of the secrets (or config) directory entry that sets `id`: its derived name
    /// without the prefix, in lower case unless names are case-sensitive (`db__password`), or
    /// its first explicit name for a field set only by those.
    pub(crate) fn entry_name(&self, id: TargetId) -> Option<String> {
        let derived = self
            .stems
            .iter()
            .chain(&self.prefixed)
            .find(|(_, t)| *t == id);
        match derived {
            Some((stem, _)) if self.case_sensitive => Some(stem.clone()),
            Some((stem, _)) => Some(stem.to_ascii_lowercase()),
            None => self
                .explicit
                .iter()
                .find(|(_, t, _)| *t == id)
                .map(|(n, _, _)| (*n).to_owned()),
        }
    }

    /// Every name that sets the target, in priority order: explicit names, then the derived one.
    pub(crate) fn names_of(&self, id: TargetId, target: &Target) -> Vec<String> {
        let mut names: Vec<String> = target.field.env.iter().map(|n| (*n).to_owned()).collect();
        if let Some((name, _)) = self.prefixed.iter().find(|(_, t)| *t == id) {
            names.push(name.clone());
        } else if !target.field.env_only {
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
}

/// What a variable's name ends with when its value names the file that holds the value.
pub(crate) const FILE_SUFFIX: &str = "_FILE";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{FieldMeta, Shape};
    use crate::testing;
    use crate::tree::KeySet;
    use std::borrow::Cow;

    /// A text field with explicit names and perhaps a nested struct.
    const fn field(
        name: &'static str,
        env: &'static [&'static str],
        nested: Option<fn() -> &'static StructMeta>,
    ) -> FieldMeta {
        let shape = if nested.is_some() {
            Shape::Struct
        } else {
            Shape::Text
        };
        FieldMeta {
            env,
            nested,
            ..testing::field(name, shape)
        }
    }

    /// A struct of `fields`, its names matched with or without case.
    const fn strukt(
        prefix: Option<&'static str>,
        case_sensitive: bool,
        fields: &'static [FieldMeta],
    ) -> StructMeta {
        StructMeta {
            case_sensitive,
            ..testing::strukt(prefix, fields)
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

    fn path(t: &Names, name: &str) -> Option<String> {
        t.env
            .lookup(name)
            .map(|(id, _)| t.fields.targets[id].path.clone())
    }

    #[test]
    fn a_name_with_the_file_suffix_sets_its_stems_field_from_a_file() {
        let t = Names::new(&APP);
        let port = t.env.lookup("APP_PORT").map(|(id, _)| id);
        let var = |name: &str| t.env.lookup_var(name).map(|f| (f.target, f.indirect));
        assert_eq!(var("APP_PORT"), port.map(|id| (id, false)));
        assert_eq!(var("APP_PORT_FILE"), port.map(|id| (id, true)));
        assert_eq!(var("app_port_file").map(|(_, f)| f), Some(true));
        assert_eq!(var("DATABASE_URL_FILE").map(|(_, f)| f), Some(true));
        assert_eq!(var("APP_PORT_FILES"), None);
        assert_eq!(var("_FILE"), None);
        let exact = Names::new(&EXACT);
        assert!(exact.env.lookup_var("APP_PORT_file").is_none());
        assert_eq!(exact.env.file_stem("APP_PORT_FILE"), Some("APP_PORT"));
    }

    #[test]
    fn only_names_with_the_prefix_may_set_a_field() {
        static LOOSE: StructMeta = strukt(Some("APP_"), false, &[field("port", &[], None)]);
        let t = Names::new(&LOOSE);
        assert!(t.env.may_set(b"APP_PORT"));
        assert!(t.env.may_set(b"app_port"));
        assert!(t.env.may_set(b"APP_\xff"));
        assert!(!t.env.may_set(b"APP_"));
        assert!(!t.env.may_set(b"PATH"));
        assert!(!t.env.may_set(b"AP"));
        let exact = Names::new(&EXACT);
        assert!(exact.env.may_set(b"APP_PORT"));
        assert!(!exact.env.may_set(b"app_port"));
        // An explicit name needs no prefix (`DATABASE_URL`): every name is looked up.
        assert!(Names::new(&APP).env.may_set(b"DATABASE_URL"));
    }

    #[test]
    fn derived_names_match_in_any_case() {
        let t = Names::new(&APP);
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
        let t = Names::new(&APP);
        assert_eq!(path(&t, "DATABASE_URL").as_deref(), Some("db.url"));
        let (_, explicit) = t.env.lookup("DATABASE_URL").unwrap();
        let (_, derived) = t.env.lookup("APP_DB__URL").unwrap();
        assert!(explicit > derived);
        assert_eq!(
            t.names_of(t.fields.target_of("db.url").unwrap()),
            ["DATABASE_URL", "APP_DB__URL"]
        );
    }

    #[test]
    fn case_sensitive_needs_the_exact_name() {
        let t = Names::new(&EXACT);
        assert_eq!(path(&t, "APP_PORT").as_deref(), Some("port"));
        assert_eq!(path(&t, "app_port"), None);
        assert_eq!(path(&t, "APP_port"), None);
    }

    #[test]
    fn entries_may_leave_out_the_prefix() {
        let t = Names::new(&APP);
        let p = |n| {
            t.env
                .lookup_entry(n)
                .map(|f| t.fields.targets[f.target].path.clone())
        };
        assert_eq!(p("db__pool_size").as_deref(), Some("db.pool_size"));
        assert_eq!(p("APP_PORT").as_deref(), Some("port"));
        assert_eq!(p("port").as_deref(), Some("port"));
    }

    #[test]
    fn every_stem_is_found_among_many() {
        let t = Names::new(&APP);
        for (stem, id) in &t.env.stems {
            assert_eq!(t.env.find_stem(stem), Some(*id), "{stem}");
            assert_eq!(
                t.env.find_stem(&stem.to_ascii_lowercase()),
                Some(*id),
                "{stem}"
            );
        }
        assert_eq!(t.env.find_stem("NOT_A_FIELD"), None);
        assert_eq!(t.env.find_stem(""), None);
    }

    #[test]
    fn field_keys_are_borrowed_and_others_copied() {
        let t = Names::new(&APP);
        for target in &t.fields.targets {
            let key = t.fields.keys.key(Cow::Owned(target.field.key.to_owned()));
            assert!(matches!(key, Cow::Borrowed(k) if k == target.field.key));
        }
        assert!(
            matches!(t.fields.keys.key(Cow::Borrowed("POOL_SIZE")), Cow::Owned(k) if k == "POOL_SIZE")
        );
        assert!(matches!(
            KeySet::default().key(Cow::Borrowed("port")),
            Cow::Owned(_)
        ));
    }
}
