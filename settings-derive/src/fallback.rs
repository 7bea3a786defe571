//! The stub impl emitted next to compile errors, so uses of the type elsewhere do not add a
//! second wave of errors.

use proc_macro2::TokenStream;
use quote::quote;

/// `impl Settings` whose bodies are unreachable.
pub(crate) fn fallback(input: &syn::DeriveInput) -> TokenStream {
    if !input.generics.params.is_empty() {
        return TokenStream::new();
    }
    let ident = &input.ident;
    quote! {
        #[allow(unused_qualifications)]
        const _: () = {
            #[automatically_derived]
            impl ::settings_core::__private::Settings for #ident {
                fn __meta() -> &'static ::settings_core::__private::StructMeta {
                    ::settings_core::__private::unreachable_fallback()
                }
                fn __extract(
                    _: &mut ::settings_core::__private::Extract<'_>,
                ) -> ::core::option::Option<Self> {
                    ::settings_core::__private::unreachable_fallback()
                }
            }
        };
    }
}
