//! Macro hygiene: the derive's output compiles wherever a user may write it — among items that
//! shadow prelude and std names, under strict lints, and without any implicit prelude.

/// A module whose items shadow the prelude, common std and serde names, and the macros a derive
/// might call unqualified. Every use below is fully qualified.
mod shadowed {
    #![allow(non_camel_case_types, unused_macros, clippy::all)]

    pub struct Result;
    pub struct Ok;
    pub struct Err;
    pub struct Option;
    pub struct Some;
    pub struct None;
    pub struct String;
    pub struct Vec;
    pub struct Box;
    pub struct Default;
    pub struct From;
    pub struct Into;
    pub struct Iterator;
    pub struct Fn;
    pub struct Sized;
    pub struct Send;
    pub struct str;
    pub struct bool;
    pub struct u16;
    pub struct usize;
    pub struct Error;
    pub struct Extract;
    pub struct Deserialize;
    pub struct Serialize;
    pub struct Secret;
    pub struct Loader;
    pub mod core {}
    pub mod std {}
    pub mod alloc {}
    pub mod serde {}
    pub mod figment {}
    pub mod __private {}

    macro_rules! format {
        ($($t:tt)*) => {
            compile_error!("the derive used an unqualified `format!`")
        };
    }
    macro_rules! vec {
        ($($t:tt)*) => {
            compile_error!("the derive used an unqualified `vec!`")
        };
    }
    macro_rules! panic {
        ($($t:tt)*) => {
            compile_error!("the derive used an unqualified `panic!`")
        };
    }
    macro_rules! unreachable {
        ($($t:tt)*) => {
            compile_error!("the derive used an unqualified `unreachable!`")
        };
    }
    macro_rules! concat {
        ($($t:tt)*) => {
            compile_error!("the derive used an unqualified `concat!`")
        };
    }

    /// Methods every type has in this module, so that an unqualified method call in generated
    /// code would be ambiguous.
    pub trait Everywhere {
        fn into(self) -> ::core::primitive::u8
        where
            Self: ::core::marker::Sized,
        {
            0
        }
        fn clone(&self) -> ::core::primitive::u8 {
            0
        }
        fn to_string(&self) -> ::core::primitive::u8 {
            0
        }
        fn to_owned(&self) -> ::core::primitive::u8 {
            0
        }
        fn unwrap(self) -> ::core::primitive::u8
        where
            Self: ::core::marker::Sized,
        {
            0
        }
        fn map(self) -> ::core::primitive::u8
        where
            Self: ::core::marker::Sized,
        {
            0
        }
        fn push(&mut self) {}
        fn len(&self) -> ::core::primitive::u8 {
            0
        }
    }
    impl<T: ?::core::marker::Sized> Everywhere for T {}

    fn level() -> ::std::string::String {
        ::std::string::String::from("info")
    }

    fn not_empty(s: &::std::string::String) -> ::core::result::Result<(), ::std::string::String> {
        if s.is_empty() {
            ::core::result::Result::Err(::std::string::String::from("empty"))
        } else {
            ::core::result::Result::Ok(())
        }
    }

    fn whole(_: &App) -> ::core::result::Result<(), ::std::string::String> {
        ::core::result::Result::Ok(())
    }

    /// The database.
    #[derive(::settings_core::Settings, Debug)]
    pub struct Db {
        /// Where it is.
        pub url: ::std::string::String,
        #[settings(default = 10)]
        pub pool_size: ::core::primitive::u32,
    }

    /// The application.
    #[derive(::settings_core::Settings, Debug)]
    #[settings(env_prefix = "APP_", validate = whole)]
    pub struct App {
        /// Port.
        #[settings(default = 8000)]
        pub port: ::core::primitive::u16,
        #[settings(env = "APP_NAME_OVERRIDE", validate = not_empty)]
        pub name: ::std::string::String,
        #[settings(default_with = level)]
        pub level: ::std::string::String,
        #[settings(default)]
        pub tags: ::std::vec::Vec<::std::string::String>,
        pub key: ::settings_core::Secret<::std::string::String>,
        pub debug: ::core::option::Option<::core::primitive::bool>,
        #[settings(nested)]
        pub db: Db,
        #[settings(nested)]
        pub replica: ::core::option::Option<Db>,
    }
}

#[test]
fn a_derive_among_shadowing_names_loads() {
    use settings_core::Settings;

    let app = shadowed::App::loader()
        .env_vars([
            ("APP_NAME", "svc"),
            ("APP_KEY", "k"),
            ("APP_DB__URL", "postgres://db"),
            ("APP_TAGS", "a,b"),
        ])
        .load()
        .unwrap();
    assert_eq!(app.port, 8000);
    assert_eq!(app.name, "svc");
    assert_eq!(app.level, "info");
    assert_eq!(app.tags, ["a", "b"]);
    assert_eq!(app.key.expose_secret(), "k");
    assert_eq!(app.debug, None);
    assert_eq!(
        (app.db.url.as_str(), app.db.pool_size),
        ("postgres://db", 10)
    );
    assert!(app.replica.is_none());
}

/// Generated code must not trip the lints a careful crate denies.
mod strict {
    #![deny(
        warnings,
        unused_qualifications,
        unused_results,
        unused_import_braces,
        trivial_casts,
        trivial_numeric_casts,
        elided_lifetimes_in_paths,
        single_use_lifetimes,
        unreachable_pub,
        missing_debug_implementations,
        missing_docs,
        keyword_idents,
        let_underscore_drop,
        unsafe_code,
        clippy::all,
        clippy::pedantic
    )]

    use settings_core::{Secret, Settings};
    use std::time::Duration;

    // The signature the derive asks for, `fn(&T)`, even where `T` is `Copy`.
    #[allow(clippy::trivially_copy_pass_by_ref)]
    fn positive(n: &u32) -> Result<(), String> {
        if *n > 0 {
            Ok(())
        } else {
            Err("must be positive".to_owned())
        }
    }

    fn check(app: &App) -> Result<(), String> {
        if app.db.pool_size > 1000 {
            Err("too many".to_owned())
        } else {
            Ok(())
        }
    }

    /// The database.
    #[derive(Settings, Debug)]
    pub(crate) struct Db {
        /// Where it is.
        pub(crate) url: String,
        /// How many connections.
        #[settings(default = 10, validate = positive)]
        pub(crate) pool_size: u32,
    }

    /// The application.
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", validate = check)]
    pub(crate) struct App {
        /// Port.
        #[settings(default = 8000)]
        pub(crate) port: u16,
        /// Timeout.
        #[settings(default = "30s")]
        pub(crate) timeout: Duration,
        /// Key.
        pub(crate) key: Secret<String>,
        /// Maybe.
        pub(crate) debug: Option<bool>,
        /// Hosts.
        #[settings(default = ["localhost"], separator = ";")]
        pub(crate) hosts: Vec<String>,
        /// Database.
        #[settings(nested)]
        pub(crate) db: Db,
    }

    pub(crate) fn load() -> App {
        App::loader()
            .env_vars([("APP_KEY", "k"), ("APP_DB__URL", "postgres://db")])
            .load()
            .unwrap()
    }
}

#[test]
fn a_derive_under_strict_lints_loads() {
    let app = strict::load();
    assert_eq!(app.port, 8000);
    assert_eq!(app.timeout, std::time::Duration::from_secs(30));
    assert_eq!(app.key.expose_secret(), "k");
    assert_eq!(app.debug, None);
    assert_eq!(app.hosts, ["localhost"]);
    assert_eq!(
        (app.db.url.as_str(), app.db.pool_size),
        ("postgres://db", 10)
    );
}

/// No prelude at all: only global paths resolve.
#[no_implicit_prelude]
mod bare {
    #[derive(::settings_core::Settings, ::core::fmt::Debug)]
    pub struct Db {
        #[settings(default = 10)]
        pub pool_size: ::core::primitive::u32,
    }

    #[derive(::settings_core::Settings, ::core::fmt::Debug)]
    #[settings(env_prefix = "APP_")]
    pub struct App {
        #[settings(default = 8000)]
        pub port: ::core::primitive::u16,
        pub name: ::std::string::String,
        pub tags: ::std::vec::Vec<::std::string::String>,
        pub key: ::settings_core::Secret<::std::string::String>,
        pub debug: ::core::option::Option<::core::primitive::bool>,
        #[settings(nested)]
        pub db: Db,
    }

    pub fn load() -> ::core::result::Result<App, ::settings_core::Error> {
        <App as ::settings_core::Settings>::loader()
            .env_vars([
                ("APP_NAME", "svc"),
                ("APP_TAGS", "a,b"),
                ("APP_KEY", "k"),
                ("APP_DB__POOL_SIZE", "5"),
            ])
            .load()
    }
}

#[test]
fn a_derive_without_an_implicit_prelude_loads() {
    let app = bare::load().unwrap();
    assert_eq!(app.port, 8000);
    assert_eq!(app.name, "svc");
    assert_eq!(app.tags, ["a", "b"]);
    assert_eq!(app.key.expose_secret(), "k");
    assert_eq!(app.debug, None);
    assert_eq!(app.db.pool_size, 5);
}
