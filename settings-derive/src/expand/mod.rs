//! `ir::Input` → `impl ::settings_core::Settings` inside `const _: () = { ... };`. Every path
//! goes through `::settings_core::__private`.

mod construct;
mod meta;

use crate::ir::Input;
use proc_macro2::TokenStream;
use quote::quote;

/// The whole expansion.
pub(crate) fn expand(input: &Input) -> TokenStream {
    let ident = &input.ident;
    let meta = meta::struct_meta(input);
    let extract = construct::extract_fn(input);
    let checks = construct::default_checks(input);
    let defaults = construct::default_fns(input);
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
        const _: () = {
            #checks
            #defaults
            #[automatically_derived]
            impl ::settings_core::__private::Settings for #ident {
                fn __meta() -> &'static ::settings_core::__private::StructMeta {
                    #meta
                    &__META
                }
                #extract
            }
        };
    }
}
