//! The `Settings` trait that `#[derive(Settings)]` implements.

use crate::error::Error;
use crate::extract::Extract;
use crate::loader::Loader;
use crate::meta::StructMeta;
use crate::template::Format;

/// A settings struct: typed, documented values loaded from defaults, files, a secrets directory,
/// the environment and overrides. Implemented by `#[derive(Settings)]`; see the derive's
/// documentation for the attributes.
///
/// ```
/// use settings_core::Settings;
///
/// #[derive(Settings, Debug)]
/// #[settings(env_prefix = "APP_")]
/// struct App {
///     #[settings(default = 8000)]
///     port: u16,
/// }
///
/// let app = App::loader().env_vars([("APP_PORT", "9000")]).load().unwrap();
/// assert_eq!(app.port, 9000);
/// ```
pub trait Settings: Sized + 'static {
    /// Loads the settings from the sources the attributes declare and the process environment.
    ///
    /// ```no_run
    /// use settings_core::Settings;
    ///
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_", files = ["config/settings.toml"])]
    /// struct App {
    ///     port: u16,
    /// }
    ///
    /// let app = App::load().expect("valid settings");
    /// ```
    fn load() -> Result<Self, Error> {
        Self::loader().load()
    }

    /// A [`Loader`] to add or replace sources before loading.
    ///
    /// ```
    /// use settings_core::Settings;
    ///
    /// #[derive(Settings)]
    /// struct App {
    ///     #[settings(default = 1)]
    ///     workers: u32,
    /// }
    ///
    /// let app = App::loader().env_vars([("WORKERS", "4")]).set("workers", 8).load().unwrap();
    /// assert_eq!(app.workers, 8);
    /// ```
    fn loader() -> Loader<Self> {
        Loader::new()
    }

    /// An example config file, `.env` file or Markdown reference: every setting with its doc
    /// comment, constraints, env names and default (a secret's default never appears). Settings
    /// with a default, and `Option`s, are commented out; required ones hold a
    /// `"<required: TYPE>"` placeholder. The TOML, YAML and env templates parse as they are.
    ///
    /// ```
    /// use settings_core::{Format, Settings};
    ///
    /// /// Settings of the billing service.
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_")]
    /// struct App {
    ///     /// Port the HTTP server listens on.
    ///     #[settings(default = 8000, range(min = 1, max = 65535))]
    ///     port: u16,
    ///     #[settings(env = "DATABASE_URL")]
    ///     database_url: String,
    /// }
    ///
    /// let toml = App::template(Format::Toml);
    /// assert!(toml.starts_with("# Settings of the billing service.\n"));
    /// assert!(toml.contains("# range: 1 to 65535\n# env: APP_PORT\n# default: 8000\n#port = 8000\n"));
    /// assert!(toml.contains("# required\ndatabase_url = \"<required: String>\"\n"));
    ///
    /// let env = App::template(Format::Env);
    /// assert!(env.contains("#APP_PORT=8000\n"));
    /// assert!(env.contains("DATABASE_URL=<required: String>\n"));
    /// ```
    fn template(format: Format) -> String {
        crate::template::render(Self::__meta(), format)
    }

    /// The JSON Schema (draft 2020-12) of the settings in file form: nested objects, file keys,
    /// types, `required`, constraints as keywords, doc comments as `description`, defaults
    /// (never a secret's), secrets `writeOnly`.
    ///
    /// ```
    /// use settings_core::Settings;
    ///
    /// /// Settings of the billing service.
    /// #[derive(Settings)]
    /// struct App {
    ///     /// Port the HTTP server listens on.
    ///     #[settings(default = 8000, range(min = 1))]
    ///     port: u16,
    ///     name: String,
    /// }
    ///
    /// let schema = App::json_schema();
    /// assert_eq!(schema["title"], "App");
    /// assert_eq!(schema["description"], "Settings of the billing service.");
    /// assert_eq!(schema["required"], serde_json::json!(["name"]));
    /// assert_eq!(schema["additionalProperties"], false);
    /// assert_eq!(
    ///     schema["properties"]["port"],
    ///     serde_json::json!({
    ///         "description": "Port the HTTP server listens on.",
    ///         "type": "integer",
    ///         "minimum": 1,
    ///         "maximum": 65535,
    ///         "default": 8000,
    ///     })
    /// );
    /// ```
    fn json_schema() -> serde_json::Value {
        crate::schema::schema(Self::__meta())
    }

    /// The JSON Schema (draft 2020-12) of one config file as a layer, for editors and
    /// validators of a single file: as [`json_schema`](Settings::json_schema) (properties,
    /// types, constraints, docs, defaults, `additionalProperties: false`), but with nothing
    /// `required` at any depth, since any value may come from another source.
    ///
    /// A file may also hold the keys the loader reads itself (`$schema`, `extends`), `null` for
    /// an `Option`, and profile sections (`[default]`, `[prod]`, ...). A secret keeps its type
    /// and also takes an encrypted `ENC[age:...]` value (only that under `deny_plain_secrets`);
    /// its description says where the value belongs (the secrets directory, the environment),
    /// and its default never appears.
    ///
    /// ```
    /// use settings_core::{Secret, Settings};
    ///
    /// /// Settings of the billing service.
    /// #[derive(Settings)]
    /// #[settings(env_prefix = "APP_", secrets_dir = "/run/secrets")]
    /// struct App {
    ///     /// Port the HTTP server listens on.
    ///     #[settings(default = 8000, range(min = 1))]
    ///     port: u16,
    ///     name: String,
    ///     /// Key of the payment provider's API.
    ///     api_key: Secret<String>,
    /// }
    ///
    /// let schema = App::file_schema();
    /// // A file that sets only the port is a good layer: the rest comes from elsewhere.
    /// assert_eq!(schema.get("required"), None);
    /// assert_eq!(App::json_schema()["required"], serde_json::json!(["name", "api_key"]));
    /// assert_eq!(schema["properties"]["port"]["default"], 8000);
    /// assert_eq!(schema["properties"]["port"]["minimum"], 1);
    /// // Unknown keys are still errors (outside profile sections).
    /// assert_eq!(schema["else"]["additionalProperties"], false);
    ///
    /// let api_key = &schema["properties"]["api_key"];
    /// assert_eq!(api_key["writeOnly"], true);
    /// assert!(api_key["description"].as_str().unwrap().contains(
    ///     "Set it in the secrets directory `/run/secrets` (a file named `APP_API_KEY`), \
    ///      in the environment (`APP_API_KEY`), or in this file only encrypted"
    /// ));
    /// ```
    fn file_schema() -> serde_json::Value {
        crate::schema::file_schema(Self::__meta())
    }

    /// The static description the derive emits.
    #[doc(hidden)]
    fn __meta() -> &'static StructMeta;

    /// Builds the value from a merged table, collecting issues; generated by the derive.
    #[doc(hidden)]
    fn __extract(cx: &mut Extract<'_>) -> Option<Self>;
}
