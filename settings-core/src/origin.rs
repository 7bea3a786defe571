//! Where the values of one load came from: an origin per file, variable, entry or provider key,
//! indexed by the [`OriginId`] every tree value carries.

pub(crate) use crate::tree::OriginId;
use crate::tree::{Step, Table, locate};

/// What an origin is: enough to render its label and to know whether its values are secret.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    /// The fixed start of the label ("env var "), kept apart so that the variable's name is
    /// moved in rather than copied into a new string on every load.
    lead: &'static str,
    /// The rest of the label.
    text: String,
    /// Every value from this origin is secret (secrets directory, decrypted values).
    pub(crate) secret: bool,
}

impl Origin {
    /// The text users see: "env var APP_PORT", "file config/app.toml", "default".
    pub(crate) fn label(&self) -> String {
        [self.lead, &self.text].concat()
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.lead)?;
        f.write_str(&self.text)
    }
}

/// The origins of one load, indexed by [`OriginId`].
#[derive(Debug, Default)]
pub(crate) struct Origins {
    list: Vec<Origin>,
}

impl Origins {
    /// Room for `n` origins: a load has a few files and a few variables, and the list would
    /// otherwise grow by copying three times on the way to ten.
    pub(crate) fn with_capacity(n: usize) -> Self {
        Origins {
            list: Vec::with_capacity(n),
        }
    }

    pub(crate) fn add(&mut self, label: String, secret: bool) -> OriginId {
        self.add_parts("", label, secret)
    }

    /// An origin whose label is `lead` then `text` ("env var " and the variable's name).
    pub(crate) fn add_parts(&mut self, lead: &'static str, text: String, secret: bool) -> OriginId {
        self.list.push(Origin { lead, text, secret });
        OriginId::try_from(self.list.len() - 1).unwrap_or(OriginId::MAX)
    }

    pub(crate) fn get(&self, id: OriginId) -> &Origin {
        &self.list[id as usize]
    }
}

/// Marks every list or table that holds the value at `location` secret: reports show a list
/// whole, so a secret item makes the list secret.
pub(crate) fn mark_holders_secret(tree: &mut Table, location: &[Step], origins: &mut Origins) {
    for depth in 1..location.len() {
        if let Some(holder) = locate(tree, &location[..depth]) {
            let origin = origins.get(holder.origin);
            if !origin.secret {
                let (lead, text) = (origin.lead, origin.text.clone());
                holder.origin = origins.add_parts(lead, text, true);
            }
        }
    }
}
