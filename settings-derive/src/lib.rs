//! The `#[derive(Settings)]` macro of `settings-core`. Use it through `settings_core::Settings`;
//! its attributes are documented there.
//!
//! The macro has three rooms: `parse` turns the syn input into the IR (`ir.rs`), `check` applies
//! the rules across attributes, and `expand` turns the IR into a static metadata table plus one
//! runtime call per field. Between the last two, `lower` resolves each checked field's attributes
//! into the one kind (nested, optional or required leaf) that expansion matches. Every attribute
//! error of a struct is reported in one compile.
#![forbid(unsafe_code)]

mod check;
mod ctxt;
mod expand;
mod fallback;
mod ir;
mod lower;
mod parse;
mod regex_match;
mod symbol;
mod units;

use proc_macro::TokenStream;

/// Derives `settings_core::Settings`. See the documentation of `settings_core::Settings`.
#[proc_macro_derive(Settings, attributes(settings))]
pub fn derive_settings(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive(&input).into()
}

fn derive(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
    let cx = ctxt::Ctxt::new();
    let parsed = parse::input(&cx, input);
    if let Some(parsed) = &parsed {
        check::check(&cx, parsed);
    }
    match (cx.check(), parsed) {
        (Ok(()), Some(parsed)) => expand::expand(&lower::lower(parsed)),
        (Err(err), _) => {
            let mut out = err.to_compile_error();
            out.extend(fallback::fallback(input));
            out
        }
        (Ok(()), None) => unreachable!("a failed parse records an error"),
    }
}
