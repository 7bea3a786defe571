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
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
        const _: () = {
            #checks
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

/// A type as text for messages and templates: `Option<Vec<String>>`.
pub(crate) fn type_name(ty: &syn::Type) -> String {
    let text = quote!(#ty).to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.peek().copied();
            let glue = |ch: Option<char>| {
                matches!(ch, Some('<' | '>' | ':' | '&' | '(' | ')' | '[' | ']'))
            };
            if glue(prev) && prev != Some('>') || glue(next) || matches!(next, Some(',' | ';')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::type_name;

    #[test]
    fn type_names_read_like_code() {
        let ty: syn::Type =
            syn::parse_str("Option < std :: collections :: HashMap < String , u32 > >").unwrap();
        assert_eq!(
            type_name(&ty),
            "Option<std::collections::HashMap<String, u32>>"
        );
        let ty: syn::Type = syn::parse_str("[u8 ; 4]").unwrap();
        assert_eq!(type_name(&ty), "[u8; 4]");
    }
}
