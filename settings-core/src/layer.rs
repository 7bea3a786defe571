//! What a source gives a load (a [`Layer`]) and what a source or a pass finds wrong
//! ([`Problems`]): plain data, so that a source is a function from its input to a layer and knows
//! nothing of precedence, of other sources or of the report. The pipeline merges layers in order.

#[cfg(test)]
use crate::error::Issue;
use crate::error::{IssueKind, Issues};
use crate::fields::TargetId;
use crate::naming::ElementName;
use crate::origin::Origin;
use crate::tree::{Table, Value};

/// The values of one source, with what went wrong reading them.
#[derive(Debug, Default)]
pub(crate) struct Layer {
    pub(crate) data: Data,
    pub(crate) problems: Problems,
    /// The source has something for the active profile (a profile file or section, a profile of
    /// a provider): an active profile that no source mentions is likely misspelt.
    pub(crate) mentions_profile: bool,
    /// Names that carry the environment prefix but set nothing (an env file's lines): likely
    /// typos, said like the environment's.
    pub(crate) unknown: Vec<String>,
    /// Near misses: what the source has that sets nothing but looks meant for a setting, with
    /// the sentence that says so (added to that setting's `Missing` issue, if it is missing).
    pub(crate) misses: Vec<(TargetId, String)>,
    /// A file of this source could not be parsed: the values it would have set are unknown, so
    /// none is reported missing (the parse error says what to fix first).
    pub(crate) unparsed: bool,
    /// Values of single elements of lists and maps of structs (`APP_SERVERS__0__HOST`): the
    /// collection, the element and field, the value; set after `data`, in order.
    pub(crate) elements: Vec<(TargetId, ElementName, Value)>,
    /// The source checked its texts: no string it gives holds a `${` or an `ENC[` (see
    /// [`may_hold_markers`](crate::tree::may_hold_markers)). `false` when it did not check.
    pub(crate) plain: bool,
}

/// The values of a layer.
#[derive(Debug)]
pub(crate) enum Data {
    /// Whole tables (a file, a provider's profiles), merged in order.
    Tables(Vec<Table>),
    /// One value per field (variables, dotenv lines, directory entries, arguments), set in
    /// order: where several set one field, the later wins.
    Fields(Vec<(TargetId, Value)>),
}

impl Default for Data {
    fn default() -> Self {
        Data::Tables(Vec::new())
    }
}

impl Layer {
    /// A layer of field values.
    pub(crate) fn fields(values: Vec<(TargetId, Value)>, problems: Problems) -> Self {
        Layer {
            data: Data::Fields(values),
            problems,
            ..Layer::default()
        }
    }

    /// Whether no string of this layer holds a `${` or an `ENC[`: checked by its source, or
    /// it has no values.
    pub(crate) fn holds_no_markers(&self) -> bool {
        let empty = match &self.data {
            Data::Tables(tables) => tables.is_empty(),
            Data::Fields(values) => values.is_empty(),
        };
        self.plain || (empty && self.elements.is_empty())
    }

    /// A layer with no values, only problems.
    pub(crate) fn failed(problems: Problems) -> Self {
        Layer {
            problems,
            ..Layer::default()
        }
    }
}

/// What a source or a pass found wrong, and what is only worth a look.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub(crate) issues: Issues,
    /// Things worth a look that are not errors (shown by the report).
    pub(crate) warnings: Vec<String>,
    /// Paths whose value was unusable (already an issue), so that they are not also reported
    /// missing.
    pub(crate) rejected: Vec<String>,
}

impl Problems {
    /// An issue.
    pub(crate) fn issue(
        &mut self,
        path: impl Into<String>,
        kind: IssueKind,
        origin: Option<Origin>,
        message: impl Into<String>,
    ) {
        self.issues.push(path, kind, origin, message);
    }

    /// An issue about a whole source (no path): a file that cannot be read or parsed.
    pub(crate) fn source(&mut self, origin: Origin, message: impl Into<String>) {
        self.issues
            .push("", IssueKind::Source, Some(origin), message);
    }

    /// An issue that makes the value at `path` unusable: it is taken out, not also missing.
    pub(crate) fn reject(
        &mut self,
        path: impl Into<String>,
        kind: IssueKind,
        origin: Option<Origin>,
        message: impl Into<String>,
    ) {
        let path = path.into();
        self.rejected.push(path.clone());
        self.issues.push(path, kind, origin, message);
    }

    /// Takes in another's problems, after these.
    #[inline]
    pub(crate) fn append(&mut self, other: Problems) {
        // Most layers have no problem at all: nothing to move, nothing to free.
        if !other.is_empty() {
            self.issues.append(other.issues);
            self.warnings.extend(other.warnings);
            self.rejected.extend(other.rejected);
        }
    }

    /// Nothing was found wrong.
    pub(crate) fn is_empty(&self) -> bool {
        self.issues.is_empty() && self.warnings.is_empty() && self.rejected.is_empty()
    }

    /// The issues so far, for tests.
    #[cfg(test)]
    pub(crate) fn list(&self) -> Vec<&Issue> {
        self.issues.list()
    }
}
