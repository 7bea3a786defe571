//! The env file: dotenv lines read as if they were environment variables.

use crate::{NO_ENV, names, only, origin, write};
use settings_core::{IssueKind, Settings};

#[test]
fn a_missing_env_file_is_skipped_whether_declared_or_given() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", env_file = "no-such-dir-3f9a/.env")]
    struct S {
        #[settings(default = "default")]
        name: String,
    }

    let s = S::loader().env_vars(NO_ENV).load().unwrap();
    assert_eq!(s.name, "default");

    let dir = tempfile::tempdir().unwrap();
    let s = S::loader()
        .env_vars([("APP_NAME", "env")])
        .env_file(dir.path().join("absent.env"))
        .load()
        .unwrap();
    assert_eq!(s.name, "env");
}

#[test]
fn lines_follow_the_prefix_case_and_delimiter_rules_of_the_struct() {
    #[derive(Settings, Debug)]
    struct Db {
        #[settings(default = 1)]
        pool_size: u32,
        #[settings(default = "none")]
        url: String,
    }
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", env_nested_delimiter = "__")]
    struct S {
        #[settings(default = 0)]
        port: u16,
        #[settings(nested)]
        db: Db,
        #[settings(env = "DATABASE_URL", default = "none")]
        database_url: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let env_file = write(
        dir.path(),
        ".env",
        "app_port=8080\nAPP_DB__POOL_SIZE=5\nDB__URL=unprefixed-is-ignored\n\
         DATABASE_URL=postgres://explicit\nUNRELATED=x\n",
    );
    let s = S::loader()
        .env_vars(NO_ENV)
        .env_file(&env_file)
        .load()
        .unwrap();
    assert_eq!(s.port, 8080);
    assert_eq!(s.db.pool_size, 5);
    assert_eq!(s.db.url, "none");
    assert_eq!(s.database_url, "postgres://explicit");
}

#[test]
fn case_sensitive_holds_for_env_file_lines() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_", case_sensitive)]
    struct S {
        #[settings(default = "default")]
        name: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let lower = write(dir.path(), "lower.env", "app_name=lower\n");
    let s = S::loader()
        .env_vars(NO_ENV)
        .env_file(&lower)
        .load()
        .unwrap();
    assert_eq!(s.name, "default");
    let exact = write(dir.path(), "exact.env", "APP_NAME=exact\n");
    let s = S::loader()
        .env_vars(NO_ENV)
        .env_file(&exact)
        .load()
        .unwrap();
    assert_eq!(s.name, "exact");
}

#[test]
fn interpolation_reads_earlier_lines_and_the_given_environment_only() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        port: u16,
        url: String,
        fallback: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let env_file = write(
        dir.path(),
        ".env",
        "APP_PORT=8080\nAPP_URL=\"http://${DB_HOST}:${APP_PORT}/\"\n\
         APP_FALLBACK=${SURELY_NOT_SET_9c1d:-fallback}\n",
    );
    let s = S::loader()
        .env_vars([("DB_HOST", "db.internal")])
        .env_file(&env_file)
        .load()
        .unwrap();
    assert_eq!(s.url, "http://db.internal:8080/");
    assert_eq!(s.fallback, "fallback");

    // `HOME` is set in the process environment, but `.env_vars` replaced it.
    let env_file = write(
        dir.path(),
        "home.env",
        "APP_PORT=1\nAPP_URL=\"[${HOME}]\"\nAPP_FALLBACK=x\n",
    );
    let s = S::loader()
        .env_vars(NO_ENV)
        .env_file(&env_file)
        .load()
        .unwrap();
    assert_eq!(s.url, "[]");
}

#[test]
fn quoting_comments_escapes_and_line_endings() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        single: String,
        double: String,
        comment: String,
        hash_in_quotes: String,
        crlf: String,
        spaced: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let env_file = write(
        dir.path(),
        ".env",
        // Written as python-dotenv reads it (what pydantic-settings users expect): single
        // quotes are literal, double quotes take escapes, ` #` starts a comment outside quotes.
        "\u{feff}APP_SINGLE='${APP_CRLF} \\n'\r\n\
         APP_DOUBLE=\"tab\\there\\nnext\"\r\n\
         APP_COMMENT=value # a comment\r\n\
         APP_HASH_IN_QUOTES=\"a # b\"\r\n\
         APP_CRLF=plain\r\n\
         APP_SPACED =  padded  \r\n",
    );
    let s = S::loader()
        .env_vars(NO_ENV)
        .env_file(&env_file)
        .load()
        .unwrap();
    assert_eq!(s.single, "${APP_CRLF} \\n");
    assert_eq!(s.double, "tab\there\nnext");
    assert_eq!(s.comment, "value");
    assert_eq!(s.hash_in_quotes, "a # b");
    assert_eq!(s.crlf, "plain");
    assert_eq!(s.spaced, "padded");
}

#[test]
fn an_invalid_line_is_a_source_issue_naming_the_file_and_line() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        #[settings(default = "default")]
        name: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let env_file = write(
        dir.path(),
        "broken.env",
        "APP_NAME=ok\n# fine\nthis line has no equals sign\n",
    );
    let err = S::loader()
        .env_vars(NO_ENV)
        .env_file(&env_file)
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(names(i, "broken.env"), "{i:?}");
    assert!(i.message.contains("line 3"), "{}", i.message);

    let unterminated = write(dir.path(), "open.env", "APP_NAME=\"never closed\n");
    let err = S::loader()
        .env_vars(NO_ENV)
        .env_file(&unterminated)
        .load()
        .unwrap_err();
    let i = only(&err);
    assert_eq!(i.kind, IssueKind::Source);
    assert!(origin(i).contains("open.env"), "{i:?}");
}

#[test]
fn the_environment_beats_the_env_file_line_by_line() {
    #[derive(Settings, Debug)]
    #[settings(env_prefix = "APP_")]
    struct S {
        a: String,
        b: String,
    }

    let dir = tempfile::tempdir().unwrap();
    let env_file = write(dir.path(), ".env", "APP_A=file\nAPP_B=file\n");
    let s = S::loader()
        .env_vars([("app_b", "env")])
        .env_file(&env_file)
        .load()
        .unwrap();
    assert_eq!((s.a.as_str(), s.b.as_str()), ("file", "env"));
}
