//! Field-by-field extraction of the merged tree into the user's struct, driven by the metadata,
//! collecting every issue instead of stopping at the first.
//!
//! Generated code calls one method of [`Extract`] per field; the work is here, shared by every
//! settings type, and generic only over the field's type.

use crate::de::{DeCx, DeError, from_nothing, from_value};
use crate::error::{IssueKind, Issues};
use crate::merge::Merger;
use crate::meta::{DefaultMeta, FieldMeta, Shape, StructMeta};
use crate::naming::Names;
use crate::origin::{Origin, OriginId, Origins};
use crate::report::Entry;
use crate::settings::Settings;
use crate::tree::{Node, Table, Value};
use crate::validate::{Checkable, declared_range};
use serde::de::DeserializeOwned;

/// What the sources of a load gave, besides the tree: read, never changed, by extraction.
pub(crate) struct Loaded<'a> {
    pub(crate) names: &'static Names,
    pub(crate) origins: &'a Origins,
    /// What each source replaced, for the report.
    pub(crate) merger: &'a Merger,
    /// Paths whose value was unusable (already an issue), so not also missing.
    pub(crate) rejected: &'a [String],
    /// The origin of literal defaults.
    pub(crate) default_origin: OriginId,
    /// The secrets directory the load read (or would have): where a missing secret goes.
    pub(crate) secrets_dir: Option<&'a std::path::Path>,
}

/// Where extraction is, and what it has found: the one state it keeps.
struct Cursor {
    issues: Issues,
    /// Report entries, when the load explains itself.
    report: Option<Vec<Entry>>,
    /// The dotted path of the struct being extracted, with a trailing `.`: each nested struct
    /// appends its key and takes it off again, so no struct allocates its own.
    path: String,
    /// The origin of each field's value, for the issues of custom checks: a stack with one run
    /// per struct being extracted.
    field_origins: Vec<Option<OriginId>>,
    /// `deprecated` settings that a source sets.
    warnings: Vec<String>,
}

/// What extraction gives: the settings (unless some field failed), the issues (after those
/// handed in), and the report entries when asked for.
pub(crate) struct Extracted<T> {
    pub(crate) value: Option<T>,
    pub(crate) issues: Issues,
    pub(crate) report: Option<Vec<Entry>>,
    /// Said of the values themselves: a `deprecated` setting that a source sets.
    pub(crate) warnings: Vec<String>,
}

/// Extracts `T` from the merged tree, field by field, collecting every issue after `issues`.
pub(crate) fn extract<T: Settings>(
    loaded: &Loaded<'_>,
    tree: Table,
    issues: Issues,
    explain: bool,
) -> Extracted<T> {
    let meta = T::__meta();
    let mut cursor = Cursor {
        issues,
        report: explain.then(Vec::new),
        // Room for the dotted path of most fields without growing.
        path: String::with_capacity(64),
        field_origins: vec![None; meta.fields.len()],
        warnings: Vec::new(),
    };
    let mut cx = Extract {
        cursor: &mut cursor,
        loaded,
        meta,
        table: tree,
        prefix_len: 0,
        base: 0,
        failed: false,
    };
    let value = T::__extract(&mut cx);
    cx.finish();
    Extracted {
        value,
        issues: cursor.issues,
        report: cursor.report,
        warnings: cursor.warnings,
    }
}

/// The extraction of one settings struct. Reached by generated code only.
#[doc(hidden)]
pub struct Extract<'a> {
    cursor: &'a mut Cursor,
    loaded: &'a Loaded<'a>,
    meta: &'static StructMeta,
    table: Table,
    /// The length of the struct's dotted path (with its trailing `.`, `""` at the top) at the
    /// start of `cursor.path`.
    prefix_len: usize,
    /// Where the struct's run of `cursor.field_origins` starts.
    base: usize,
    /// A field of this struct failed a check, so the struct-level check does not run.
    failed: bool,
}

impl<'a> Extract<'a> {
    /// The struct's dotted path with a trailing `.`, or `""` at the top.
    fn prefix(&self) -> &str {
        &self.cursor.path[..self.prefix_len]
    }

    fn path(&self, field: &FieldMeta) -> String {
        [self.prefix(), field.key].concat()
    }

    /// Where the origin of field `index`'s value is kept.
    fn origin_slot(&mut self, index: usize) -> &mut Option<OriginId> {
        &mut self.cursor.field_origins[self.base + index]
    }

    /// The origin of field `index`'s value, once it has one.
    fn field_origin(&self, index: usize) -> Option<OriginId> {
        self.cursor.field_origins[self.base + index]
    }

    /// A field that is not nested and has no function default.
    // Never inlined: one copy per field type, not one per field, keeps big structs cheap to
    // compile (the call is nothing next to the conversion it does).
    #[inline(never)]
    pub fn leaf<T: SettingValue>(&mut self, index: usize) -> Option<T> {
        let field = &self.meta.fields[index];
        match take(&mut self.table, field.key) {
            Some(value) => self.convert(index, value),
            None => match &field.default {
                DefaultMeta::Literal(lit) => {
                    let value = lit.value(self.loaded.default_origin);
                    self.convert(index, value)
                }
                _ => self.absent(field),
            },
        }
    }

    /// A field with a bare `default` or `default_with`: `default` gives the value when no source
    /// sets it; `describe` shows it in reports.
    #[inline(never)]
    pub fn leaf_or<T: SettingValue>(
        &mut self,
        index: usize,
        default: fn() -> T,
        describe: impl FnOnce(&T) -> Option<String>,
    ) -> Option<T> {
        let field = &self.meta.fields[index];
        match take(&mut self.table, field.key) {
            Some(value) => self.convert(index, value),
            None => {
                let value = default();
                *self.origin_slot(index) = Some(self.loaded.default_origin);
                if self.cursor.report.is_some() {
                    let shown = describe(&value).unwrap_or_else(|| format!("({})", field.ty));
                    self.record(field, shown, Some(Origin::Default), false);
                }
                Some(value)
            }
        }
    }

    /// A field no source sets and that has no default: `None` for an `Option`, else missing.
    fn absent<T: DeserializeOwned>(&mut self, field: &FieldMeta) -> Option<T> {
        if let Some(value) = from_nothing::<T>() {
            if self.cursor.report.is_some() {
                self.record(field, "(none)".to_owned(), None, false);
            }
            return Some(value);
        }
        let path = self.path(field);
        let poisoned = self.loaded.rejected.iter().any(|p| {
            path == *p
                || (path.starts_with(p.as_str()) && path.as_bytes().get(p.len()) == Some(&b'.'))
        });
        if poisoned {
            return None;
        }
        let names = self
            .loaded
            .names
            .fields
            .target_of(&path)
            .map(|id| self.loaded.names.names_of(id))
            .unwrap_or_default();
        // A secret goes in the environment or the secrets directory, not in a config file.
        let target = self.loaded.names.fields.target_of(&path);
        let entry = match (field.secret, self.loaded.secrets_dir, target) {
            (true, Some(dir), Some(id)) => self
                .loaded
                .names
                .env
                .entry_name(id)
                .map(|name| dir.join(name).display().to_string()),
            _ => None,
        };
        let how = match (names.is_empty(), entry, field.secret) {
            (_, Some(entry), _) if names.is_empty() => format!("put it in {entry}"),
            (_, Some(entry), _) => format!("set {} or put it in {entry}", names.join(" or ")),
            (false, None, true) => format!("set {}", names.join(" or ")),
            (true, None, _) => format!("set `{path}` in a config file"),
            (false, None, false) => {
                format!("set {} or `{path}` in a config file", names.join(" or "))
            }
        };
        self.cursor.issues.push(
            path,
            IssueKind::Missing,
            None,
            format!("a value is required but no source sets it; {how}"),
        );
        None
    }

    #[inline(never)]
    fn convert<T: DeserializeOwned>(&mut self, index: usize, mut value: Value) -> Option<T> {
        let field = &self.meta.fields[index];
        // Only text can differ from a listed value by case.
        if !field.constraints.is_empty()
            && matches!(field.shape, Shape::Text | Shape::List | Shape::Other)
        {
            canonical_spelling(field, &mut value);
        }
        let origin = value.origin;
        if field.deprecated.is_some() && origin != self.loaded.default_origin {
            self.deprecated(field, origin);
        }
        *self.origin_slot(index) = Some(origin);
        let secret = field.secret || self.loaded.origins.get(origin).secret;
        if self.cursor.report.is_some() {
            let shown = if secret {
                MASK.to_owned()
            } else {
                converted_text(field, &value)
            };
            let from = self.loaded.origins.get(origin).origin.clone();
            self.record(field, shown, Some(from), secret);
        }
        if let Node::Text(s) | Node::Str(s) = &value.node
            && s.starts_with('<')
            && let Some(placeholder) = template_placeholder(s)
        {
            let from = self.loaded.origins.get(origin).origin.clone();
            self.cursor.issues.push(
                self.path(field),
                IssueKind::Invalid,
                Some(from),
                format!(
                    "`{placeholder}` is the template's placeholder, not a value: replace it with \
                     the setting's value (or remove the line to use the default, if it has one)"
                ),
            );
            return None;
        }
        let cx = DeCx {
            separator: field.separator.unwrap_or(","),
        };
        match from_value::<T>(value, &cx) {
            Ok(v) => Some(v),
            Err(e) => {
                // An integer the type cannot hold that breaks the declared range too: the
                // range its author declared says why, not the type's bounds.
                let declared = e
                    .integer
                    .filter(|_| e.location.is_empty())
                    .and_then(|n| declared_range(field.constraints, n, secret));
                match declared {
                    Some(message) => {
                        let from = self.loaded.origins.get(origin).origin.clone();
                        let path = self.path(field);
                        self.cursor
                            .issues
                            .push(path, IssueKind::Constraint, Some(from), message);
                    }
                    None => self.invalid(field, e, secret, origin),
                }
                None
            }
        }
    }

    fn invalid(&mut self, field: &FieldMeta, e: DeError, secret: bool, origin: OriginId) {
        let origin = e.origin.unwrap_or(origin);
        let secret = secret || self.loaded.origins.get(origin).secret;
        let mut message = if secret {
            let what = e
                .safe
                .unwrap_or_else(|| format!("expected a valid {}", field.ty));
            format!("{what} (the value is secret and not shown)")
        } else {
            e.message
        };
        if !e.location.is_empty() {
            message = format!("at {}: {message}", e.location);
        }
        let from = self.loaded.origins.get(origin).origin.clone();
        self.cursor
            .issues
            .push(self.path(field), IssueKind::Invalid, Some(from), message);
    }

    /// A report entry; `origin` is `None` for an unset `Option`.
    fn record(&mut self, field: &FieldMeta, value: String, origin: Option<Origin>, secret: bool) {
        let path = self.path(field);
        let secret = secret || field.secret;
        // What the value replaced: lower sources that also set it, and the default.
        let mut overrode: Vec<String> = Vec::new();
        if origin != Some(Origin::Default)
            && let DefaultMeta::Literal(lit) = &field.default
        {
            let shown = if secret {
                MASK.to_owned()
            } else {
                lit.value(0).display()
            };
            overrode.push(format!("{shown} (default)"));
        }
        for old in self.loaded.merger.replaced(&path) {
            let old_origin = self.loaded.origins.get(old.origin);
            let shown = if secret || old_origin.secret {
                MASK.to_owned()
            } else {
                old.display()
            };
            overrode.push(format!("{shown} ({})", old_origin.origin));
        }
        // A URL's password is shown masked whatever the field (a connection string in a
        // `String`); an origin masks its own (a provider's address).
        let masked = crate::redact::url_passwords_owned;
        if let Some(report) = &mut self.cursor.report {
            report.push(Entry {
                path,
                value: if secret {
                    MASK.to_owned()
                } else {
                    masked(value)
                },
                origin: origin
                    .as_ref()
                    .map_or_else(|| "unset".to_owned(), Origin::to_string),
                source: origin,
                secret,
                overrode: overrode.into_iter().map(masked).collect(),
            });
        }
    }

    /// Takes the table of a nested field out of this struct's table.
    fn take_table(&mut self, index: usize) -> Result<Option<Table>, ()> {
        let field = &self.meta.fields[index];
        match take(&mut self.table, field.key) {
            None => Ok(None),
            Some(Value {
                node: Node::Table(t),
                origin,
            }) => {
                if field.deprecated.is_some() {
                    self.deprecated(field, origin);
                }
                Ok(Some(t))
            }
            Some(other) => {
                let from = self.loaded.origins.get(other.origin).origin.clone();
                self.cursor.issues.push(
                    self.path(field),
                    IssueKind::Invalid,
                    Some(from),
                    format!("expected a table of settings, found {}", other.kind_name()),
                );
                Err(())
            }
        }
    }

    /// A `deprecated` setting set by a source: a warning with its note and where it was set.
    #[cold]
    fn deprecated(&mut self, field: &FieldMeta, origin: OriginId) {
        let note = field.deprecated.unwrap_or_default();
        let from = &self.loaded.origins.get(origin).origin;
        let path = self.path(field);
        self.cursor
            .warnings
            .push(format!("`{path}` is deprecated: {note} (set by {from})"));
    }

    fn child<T: Settings>(&mut self, index: usize, table: Table) -> Option<T> {
        self.child_at(index, None, table)
    }

    /// [`child`](Self::child) for an element of a list or map of structs: its path has the
    /// element's index or key after the field's (`servers.0.`).
    fn child_at<T: Settings>(
        &mut self,
        index: usize,
        element: Option<&Element>,
        table: Table,
    ) -> Option<T> {
        let field = &self.meta.fields[index];
        let meta = T::__meta();
        let path = &mut self.cursor.path;
        path.truncate(self.prefix_len);
        path.push_str(field.key);
        path.push('.');
        if let Some(element) = element {
            element.push_to(path);
            path.push('.');
        }
        let prefix_len = path.len();
        let base = self.cursor.field_origins.len();
        self.cursor
            .field_origins
            .resize(base + meta.fields.len(), None);
        let mut child = Extract {
            cursor: &mut *self.cursor,
            loaded: self.loaded,
            meta,
            table,
            prefix_len,
            base,
            failed: false,
        };
        let value = T::__extract(&mut child);
        let failed = child.failed;
        child.finish();
        self.cursor.path.truncate(self.prefix_len);
        self.cursor.field_origins.truncate(base);
        // A struct with a failed check is no value: the checks above it (a `validate` on this
        // field, the enclosing struct's) never see it.
        self.failed |= failed;
        value.filter(|_| !failed)
    }

    /// A `nested` list of settings structs (`Vec<S>`): each element loads like a nested struct,
    /// at `field.N`. `default` fills a list no source sets (else it is missing).
    #[inline(never)]
    pub fn nested_list<S: Settings, C: FromIterator<S>>(
        &mut self,
        index: usize,
        default: Option<fn() -> C>,
    ) -> Option<C> {
        self.elements_of(index, false, default, |_, s| s)
    }

    /// A `nested` map of settings structs (`BTreeMap<String, S>`, `HashMap<String, S>`): each
    /// entry loads like a nested struct, at `field.KEY`.
    #[inline(never)]
    pub fn nested_map<S: Settings, C: FromIterator<(String, S)>>(
        &mut self,
        index: usize,
        default: Option<fn() -> C>,
    ) -> Option<C> {
        self.elements_of(index, true, default, |key, s| (key.into_key(), s))
    }

    /// The elements of a list (`map` false) or map of structs, each extracted and made an item
    /// of `C` by `item`; `None` when any failed.
    fn elements_of<S: Settings, I, C: FromIterator<I>>(
        &mut self,
        index: usize,
        map: bool,
        default: Option<fn() -> C>,
        item: impl Fn(Element, S) -> I,
    ) -> Option<C> {
        let field = &self.meta.fields[index];
        let Some(elements) = self.element_tables(index, map)? else {
            let Some(default) = default else {
                let path = self.path(field);
                let what = collection_form(map);
                self.cursor.issues.push(
                    path.clone(),
                    IssueKind::Missing,
                    None,
                    format!(
                        "a value is required but no source sets it; set `{path}` in a config \
                         file ({what})"
                    ),
                );
                return None;
            };
            *self.origin_slot(index) = Some(self.loaded.default_origin);
            return Some(default());
        };
        let mut items = Vec::with_capacity(elements.len());
        let mut failed = false;
        for (key, table) in elements {
            match self.child_at::<S>(index, Some(&key), table) {
                Some(s) => items.push(item(key, s)),
                None => failed = true,
            }
        }
        (!failed).then(|| items.into_iter().collect())
    }

    /// The tables of a list or map of structs: `Some(None)` when no source sets it, `None`
    /// (with the issue said) when what is there is not one.
    fn element_tables(&mut self, index: usize, map: bool) -> Option<Option<Vec<(Element, Table)>>> {
        let field = &self.meta.fields[index];
        let Some(mut value) = take(&mut self.table, field.key) else {
            return Some(None);
        };
        *self.origin_slot(index) = Some(value.origin);
        // Text is JSON for the whole list or map (`APP_SERVERS='[{"host": "a"}]'`).
        if let Node::Text(s) | Node::Str(s) = &value.node {
            match serde_json::from_str::<serde_json::Value>(s) {
                Ok(json) => value = crate::tree::from_json(json, value.origin),
                Err(e) => {
                    let message = format!("is not valid JSON: {e}");
                    self.not_elements(field, None, value.origin, message);
                    return None;
                }
            }
        }
        let origin = value.origin;
        let kind = value.kind_name();
        let count = match &value.node {
            Node::Array(items) => items.len(),
            Node::Table(t) => t.len(),
            _ => 0,
        };
        let mut tables = Vec::with_capacity(count);
        let mut bad = false;
        // Each element straight into `tables`: a list's indexes are not made text here (a list
        // of 1,000 structs would make 1,000 strings a load only to write them into paths).
        let mut add = |this: &mut Self, element: Element, v: Value| match v.node {
            Node::Table(t) => tables.push((element, t)),
            _ => {
                let message = format!("expected a table of settings, found {}", v.kind_name());
                this.not_elements(field, Some(&element.text()), v.origin, message);
                bad = true;
            }
        };
        match value.node {
            Node::Array(items) if !map => {
                for (i, v) in items.into_iter().enumerate() {
                    add(self, Element::Index(i), v);
                }
            }
            Node::Table(t) if map => {
                for (k, v) in t {
                    add(self, Element::Key(k.into_owned()), v);
                }
            }
            _ => {
                let message = format!("expected {}, found {kind}", collection_form(map));
                self.not_elements(field, None, origin, message);
                return None;
            }
        }
        if bad { None } else { Some(Some(tables)) }
    }

    /// An `Invalid` issue at the field (or one of its elements), from `origin`.
    fn not_elements(
        &mut self,
        field: &FieldMeta,
        element: Option<&str>,
        origin: OriginId,
        message: String,
    ) {
        let mut path = self.path(field);
        if let Some(element) = element {
            path.push('.');
            path.push_str(element);
        }
        let from = self.loaded.origins.get(origin).origin.clone();
        self.failed = true;
        self.cursor
            .issues
            .push(path, IssueKind::Invalid, Some(from), message);
    }

    /// A `nested` field: the nested struct loads from this field's table.
    #[inline(never)]
    pub fn nested<T: Settings>(&mut self, index: usize) -> Option<T> {
        let table = self.take_table(index).ok()?;
        self.child(index, table.unwrap_or_default())
    }

    /// A `nested` field of type `Option<T>`: `None` when no source sets any key under it.
    #[inline(never)]
    pub fn nested_opt<T: Settings>(&mut self, index: usize) -> Option<Option<T>> {
        self.optional_struct(index, None)
    }

    /// A `nested` field with a bare `default` or `default_with`, used when no source sets any
    /// key under it.
    #[inline(never)]
    pub fn nested_or<T: Settings>(&mut self, index: usize, default: fn() -> T) -> Option<T> {
        match self.take_table(index).ok()? {
            None => {
                if self.cursor.report.is_some() {
                    let field = &self.meta.fields[index];
                    let shown = format!("({} default)", field.ty);
                    self.record(field, shown, Some(Origin::Default), false);
                }
                Some(default())
            }
            Some(table) => self.child(index, table),
        }
    }

    /// A `nested` field of type `Option<T>` with `default_with`, used when no source sets any
    /// key under it.
    #[inline(never)]
    pub fn nested_opt_or<T: Settings>(
        &mut self,
        index: usize,
        default: fn() -> Option<T>,
    ) -> Option<Option<T>> {
        self.optional_struct(index, Some(default))
    }

    /// An `Option` of a nested struct: `None` (or the `default_with` value) when no source
    /// sets any key under it.
    fn optional_struct<T: Settings>(
        &mut self,
        index: usize,
        default: Option<fn() -> Option<T>>,
    ) -> Option<Option<T>> {
        let Some(table) = self.take_table(index).ok()? else {
            let value = default.and_then(|f| f());
            if self.cursor.report.is_some() {
                let field = &self.meta.fields[index];
                let (shown, from) = match (&value, default) {
                    (Some(_), _) => (format!("({} default)", field.ty), Some(Origin::Default)),
                    (None, Some(_)) => ("(none)".to_owned(), Some(Origin::Default)),
                    (None, None) => ("(none)".to_owned(), None),
                };
                self.record(field, shown, from, false);
            }
            return Some(value);
        };
        self.child(index, table).map(Some)
    }

    /// Runs a field's built-in constraints; `true` when they all pass.
    pub fn validate(&mut self, index: usize, value: &dyn Checkable) -> bool {
        let field = &self.meta.fields[index];
        let origin = self.field_origin(index);
        let secret = field.secret || origin.is_some_and(|o| self.loaded.origins.get(o).secret);
        let failures = crate::validate::check(value, field.constraints, secret);
        for message in &failures {
            self.constraint_issue(index, message.clone());
        }
        failures.is_empty()
    }

    /// Runs `len` on a list or map of settings structs of `count` elements; `true` when it
    /// passes.
    pub fn validate_len(&mut self, index: usize, count: usize) -> bool {
        /// A number of elements and what it counts, as `len` sees a list or a map.
        struct Count(usize, &'static str);
        impl Checkable for Count {
            fn length(&self) -> Option<(usize, &'static str)> {
                Some((self.0, self.1))
            }
        }
        let unit = if self.meta.fields[index].shape == Shape::Map {
            "entry"
        } else {
            "item"
        };
        self.validate(index, &Count(count, unit))
    }

    /// Runs a field's `validate = fn`.
    pub fn check<T: ?Sized>(
        &mut self,
        index: usize,
        value: &T,
        check: fn(&T) -> Result<(), String>,
    ) {
        if let Err(message) = check(value) {
            self.constraint_issue(index, message);
        }
    }

    fn constraint_issue(&mut self, index: usize, message: String) {
        let field = &self.meta.fields[index];
        let origin = self
            .field_origin(index)
            .map(|o| self.loaded.origins.get(o).origin.clone());
        self.failed = true;
        self.cursor
            .issues
            .push(self.path(field), IssueKind::Constraint, origin, message);
    }

    /// Runs the struct's `validate = fn` once every field is valid.
    pub fn check_struct<T>(&mut self, value: T, check: fn(&T) -> Result<(), String>) -> Option<T> {
        if self.failed {
            return None;
        }
        match check(&value) {
            Ok(()) => Some(value),
            Err(message) => {
                let path = self.prefix().trim_end_matches('.').to_owned();
                self.cursor
                    .issues
                    .push(path, IssueKind::Constraint, None, message);
                None
            }
        }
    }

    /// Reports the keys left in the table, which no field took, when unknown keys are denied.
    pub(crate) fn finish(self) {
        if !self.meta.deny_unknown {
            return;
        }
        let mut leaves = Vec::new();
        for (key, value) in self.table {
            if value.origin == TAKEN {
                continue;
            }
            unknown_leaves(vec![key.into_owned()], value, &mut leaves);
        }
        if leaves.is_empty() {
            return;
        }
        // Not `self.prefix()`: the table has been moved out of `self`.
        let prefix = self.cursor.path[..self.prefix_len].to_owned();
        for (keys, origin) in leaves {
            let dotted = keys.join(".");
            let hint = match suggest_path(self.meta, &keys) {
                Some(known) => format!("; did you mean `{prefix}{known}`?"),
                None => String::new(),
            };
            let from = self.loaded.origins.get(origin).origin.clone();
            let full: Vec<&str> = prefix
                .split('.')
                .filter(|k| !k.is_empty())
                .chain(keys.iter().map(String::as_str))
                .collect();
            let at = match &from {
                Origin::File { path } => crate::providers::key_line::key_line(path, &full)
                    .map(|n| format!(" at line {n}"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            self.cursor.issues.push(
                format!("{prefix}{dotted}"),
                IssueKind::Unknown,
                Some(from),
                format!("unknown key `{prefix}{dotted}`{at}: no setting has this name{hint}"),
            );
        }
    }
}

/// What a list (`map` false) or map of settings structs is in a file, for messages.
pub(crate) fn collection_form(map: bool) -> &'static str {
    if map {
        "a table of tables"
    } else {
        "an array of tables"
    }
}

/// A value as the report shows it: text given for a bool or an integer as what it becomes
/// (`yes` is `true`, ` 007` is `7`), anything else as written.
fn converted_text(field: &FieldMeta, value: &Value) -> String {
    if let Node::Text(s) | Node::Str(s) = &value.node {
        if field.is_bool()
            && let Some(b) = crate::de::parse_bool(s)
        {
            return b.to_string();
        }
        if field.shape == Shape::Integer
            && let Ok(n) = s.trim().trim_start_matches('+').parse::<i128>()
        {
            return n.to_string();
        }
    }
    value.display()
}

/// `one_of(..., ignore_case)`: a value that matches an allowed one but for case becomes that
/// one (`DEBUG` is `debug` to the application), items of a list too.
fn canonical_spelling(field: &FieldMeta, value: &mut Value) {
    for c in field.constraints {
        let crate::meta::Constraint::OneOf {
            values,
            ignore_case: true,
        } = c
        else {
            continue;
        };
        let listed = |text: &str| {
            values.iter().find_map(|l| match l {
                crate::meta::Lit::Str(c) if c.eq_ignore_ascii_case(text.trim()) => Some(*c),
                _ => None,
            })
        };
        let fix = |v: &mut Value| {
            if let Node::Text(s) | Node::Str(s) = &mut v.node
                && let Some(canonical) = listed(s)
            {
                *s = canonical.to_owned();
            }
        };
        match &mut value.node {
            Node::Array(items) => items.iter_mut().for_each(fix),
            // A list given as one JSON text: each string item.
            Node::Text(s) | Node::Str(s)
                if field.shape == Shape::List && s.trim_start().starts_with('[') =>
            {
                if let Ok(mut items) = serde_json::from_str::<Vec<serde_json::Value>>(s) {
                    for item in &mut items {
                        if let serde_json::Value::String(t) = item
                            && let Some(canonical) = listed(t)
                        {
                            *t = canonical.to_owned();
                        }
                    }
                    if let Ok(text) = serde_json::to_string(&items) {
                        *s = text;
                    }
                }
            }
            // A list given as one text (`DEBUG,info`): each item, the separators kept.
            Node::Text(s) | Node::Str(s) if field.shape == Shape::List => {
                let sep = field.separator.unwrap_or(",");
                let items: Vec<String> = crate::redact::split_list(s, sep)
                    .into_iter()
                    .map(|item| listed(item).map_or_else(|| item.to_owned(), str::to_owned))
                    .collect();
                *s = items.join(sep);
            }
            _ => fix(value),
        }
    }
}

/// The placeholder a template writes for a value to fill in (`<required: u16>`, `<secret>`), if
/// `text` is one, trimmed.
fn template_placeholder(text: &str) -> Option<&str> {
    let t = text.trim();
    (t == "<secret>" || (t.starts_with("<required: ") && t.ends_with('>'))).then_some(t)
}

/// What a field that is not `nested` holds: a value read from the sources, through serde. Its
/// own trait so that a forgotten `#[settings(nested)]` reads as that, not as a serde bound deep
/// in generated code.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read as one setting value",
    label = "not a value read through serde",
    note = "if `{Self}` derives `Settings`, mark the field `#[settings(nested)]`",
    note = "if it is a value (an enum, a newtype), derive or implement `serde::Deserialize` for it"
)]
pub trait SettingValue: DeserializeOwned {}

impl<T: DeserializeOwned> SettingValue for T {}

/// The origin of a value a field has taken out of its table (what stays behind is `Null`).
const TAKEN: OriginId = OriginId::MAX;

/// Takes a field's value out of its struct's table, leaving a `TAKEN` mark: cheaper than
/// removing the entry (no rebalancing), and the leftovers are the unknown keys.
fn take(table: &mut Table, key: &str) -> Option<Value> {
    let slot = table.get_mut(key)?;
    if slot.origin == TAKEN {
        return None;
    }
    Some(std::mem::replace(slot, Value::new(Node::Null, TAKEN)))
}

/// The leaves under an unknown key, each with its path from this struct (an unknown table is
/// reported leaf by leaf, so `databse.url` can be told it means `database.url`).
fn unknown_leaves(keys: Vec<String>, value: Value, out: &mut Vec<(Vec<String>, OriginId)>) {
    match value.node {
        Node::Table(table) if !table.is_empty() && keys.len() < crate::tree::MAX_DEPTH => {
            for (key, inner) in table {
                let mut path = keys.clone();
                path.push(key.into_owned());
                unknown_leaves(path, inner, out);
            }
        }
        _ => out.push((keys, value.origin)),
    }
}

/// The known path closest to `keys`, segment by segment through nested structs.
fn suggest_path(meta: &'static StructMeta, keys: &[String]) -> Option<String> {
    let (first, rest) = keys.split_first()?;
    let field = match meta.fields.iter().find(|f| f.key == first) {
        Some(field) => field,
        None => {
            let known = crate::suggest::closest(first, meta.fields.iter().map(|f| f.key))?;
            meta.fields.iter().find(|f| f.key == known)?
        }
    };
    if rest.is_empty() {
        return Some(field.key.to_owned());
    }
    let tail = match field.nested_meta() {
        Some(nested) => suggest_path(nested, rest)?,
        None => rest.join("."),
    };
    Some(format!("{}.{tail}", field.key))
}

const MASK: &str = "**********";
/// An element of a list or map of structs, which its paths name: `servers.0.host`,
/// `tenants.acme.url`.
enum Element {
    Index(usize),
    Key(String),
}

impl Element {
    /// Appends the index or key to a path; an index without the formatting machinery or a
    /// string of its own (a list of 1,000 structs writes 1,000 of them a load).
    fn push_to(&self, path: &mut String) {
        match self {
            Element::Index(i) => {
                let mut digits = [0u8; 20];
                let mut at = digits.len();
                let mut i = *i;
                loop {
                    at -= 1;
                    digits[at] = b'0' + (i % 10) as u8;
                    i /= 10;
                    if i == 0 {
                        break;
                    }
                }
                path.extend(digits[at..].iter().map(|&d| char::from(d)));
            }
            Element::Key(key) => path.push_str(key),
        }
    }

    /// The index or key as text, for a message.
    fn text(&self) -> String {
        let mut text = String::new();
        self.push_to(&mut text);
        text
    }

    /// A map entry's key (a list's index as text, which no map is given).
    fn into_key(self) -> String {
        match self {
            Element::Key(key) => key,
            index => index.text(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Element;

    #[test]
    fn an_index_is_written_in_its_decimal_form() {
        for i in [0, 7, 9, 10, 99, 100, 1000, 123_456, usize::MAX] {
            let mut path = "servers.".to_owned();
            Element::Index(i).push_to(&mut path);
            assert_eq!(path, format!("servers.{i}"));
            assert_eq!(Element::Index(i).into_key(), i.to_string());
        }
        assert_eq!(Element::Key("acme".to_owned()).text(), "acme");
    }
}
