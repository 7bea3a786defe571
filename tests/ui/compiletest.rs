//! Attribute misuse is a compile error at the offending token: one UI test per misuse.
//!
//! Compiler messages change between releases, so the `.stderr` files are blessed for the pinned
//! toolchain (see `PINNED`) and the test is skipped elsewhere. Re-bless with
//! `TRYBUILD=overwrite cargo test -p settings-ui` and review every changed message.

/// The rustc the `.stderr` files were blessed with.
const PINNED: &str = "rustc 1.95.0 ";

#[test]
fn ui() {
    let version =
        std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
    if !version.starts_with(PINNED) {
        eprintln!(
            "skipping UI tests: blessed for `{PINNED}`, running `{}`",
            version.trim()
        );
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("cases/*.rs");
}
