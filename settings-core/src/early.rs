//! What the local sources say before any provider is read, for the providers that a setting
//! configures (`Loader::provider_with`): the secret `prod/app` for `env = "prod"`.

use crate::de::{DeCx, from_value};
use crate::meta::DefaultMeta;
use crate::naming::Names;
use crate::origin::Origins;
use crate::tree::{Table, Value, from_json, get_path};
use serde::de::DeserializeOwned;

/// The settings as every source other than the providers gives them (defaults, files, the
/// config and secrets directories, the env file, the environment, arguments, `.set`), merged in
/// precedence: what a [`Loader::provider_with`](crate::Loader::provider_with) function reads
/// to choose its provider.
///
/// ```
/// use settings_core::{Early, Settings};
/// use figment::providers::Serialized;
///
/// #[derive(Settings, Debug)]
/// struct App {
///     #[settings(default = "local")]
///     env: String,
///     #[settings(default = 1)]
///     workers: u32,
/// }
///
/// let app = App::loader()
///     .env_vars([("ENV", "prod")])
///     .provider_with(|early: &Early| {
///         let env: String = early.get("env")?.unwrap_or_default();
///         let workers = if env == "prod" { 16 } else { 2 };
///         Ok(Serialized::defaults(serde_json::json!({ "workers": workers })))
///     })
///     .load()
///     .unwrap();
/// assert_eq!(app.workers, 16);
/// ```
pub struct Early {
    pub(crate) tree: Table,
    pub(crate) names: &'static Names,
    pub(crate) origins: Origins,
    pub(crate) default_origin: crate::origin::OriginId,
    pub(crate) profile: Option<String>,
}

impl Early {
    /// The setting at a dotted path (`"env"`, `"db.host"`, `"servers.0.host"`) as a `T`, text
    /// turned into `T` as a load turns it; its default when no source sets it; `Ok(None)` when
    /// it has none either. An `Err` names the path: a value that cannot become a `T`, or a path
    /// that is no setting. A secret's value is never quoted.
    ///
    /// ```
    /// use settings_core::{Early, Settings};
    /// use figment::providers::Serialized;
    ///
    /// #[derive(Settings, Debug)]
    /// struct App {
    ///     #[settings(default = 8000)]
    ///     port: u16,
    ///     name: Option<String>,
    /// }
    ///
    /// let app = App::loader()
    ///     .env_vars([("PORT", "9000")])
    ///     .provider_with(|early: &Early| {
    ///         assert_eq!(early.get::<u16>("port")?, Some(9000));
    ///         assert_eq!(early.get::<String>("name")?, None);
    ///         assert!(early.get::<u16>("nope").is_err());
    ///         Ok(Serialized::defaults(serde_json::json!({})))
    ///     })
    ///     .load()
    ///     .unwrap();
    /// assert_eq!(app.port, 9000);
    /// ```
    pub fn get<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>, String> {
        let names = self.names;
        let field = match names.fields.field_at(path) {
            Some(field) => field,
            None => match names.element_at(path) {
                Some((id, element)) => names.element_field(id, &element),
                None => {
                    let hint = crate::suggest::closest(
                        path,
                        names.fields.targets.iter().map(|t| t.path.as_str()),
                    )
                    .map(|p| format!("; did you mean `{p}`?"))
                    .unwrap_or_default();
                    return Err(format!("`{path}` is no setting{hint}"));
                }
            },
        };
        let keys: Vec<&str> = path.split('.').collect();
        let value = match get_path(&self.tree, &keys) {
            Some(value) => value.clone(),
            None => match default_of(field, self.default_origin) {
                Some(value) => value,
                None => return Ok(None),
            },
        };
        let secret = field.secret || self.origins.get(value.origin).secret;
        let cx = DeCx {
            separator: field.separator.unwrap_or(","),
        };
        match from_value::<T>(value, &cx) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                let why = match (secret, e.safe) {
                    (false, _) => e.message,
                    (true, Some(safe)) => safe,
                    (true, None) => "the value cannot be read as the asked type".to_owned(),
                };
                Err(format!("`{path}`: {why}"))
            }
        }
    }

    /// The active profile, if any.
    ///
    /// ```
    /// use settings_core::{Early, Settings};
    /// use figment::providers::Serialized;
    ///
    /// #[derive(Settings, Debug)]
    /// #[settings(profiles = ["dev", "prod"])]
    /// struct App {
    ///     #[settings(default = 1)]
    ///     workers: u32,
    /// }
    ///
    /// let app = App::loader()
    ///     .env_vars([("X", "")])
    ///     .profile("prod")
    ///     .provider_with(|early: &Early| {
    ///         let workers = if early.profile() == Some("prod") { 8 } else { 1 };
    ///         Ok(Serialized::defaults(serde_json::json!({ "workers": workers })))
    ///     })
    ///     .load()
    ///     .unwrap();
    /// assert_eq!(app.workers, 8);
    /// ```
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }
}

impl std::fmt::Debug for Early {
    /// Names the active profile only: the values may be secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Early")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// A field's default as a tree value: its literal, or what a bare `default` or `default_with`
/// computes where that can be shown.
fn default_of(field: &crate::meta::FieldMeta, origin: crate::origin::OriginId) -> Option<Value> {
    if let DefaultMeta::Literal(lit) = &field.default {
        return Some(lit.value(origin));
    }
    let computed = field.default_value.and_then(|compute| compute())?;
    (!computed.is_null()).then(|| from_json(computed, origin))
}
