//! Emits `__extract`: one call into the runtime per field, the custom checks spanned at the
//! user's paths, then the struct (and its struct-level check).

use crate::ir::{
    Collection, Field, FieldKind, Input, Kind, Leaf, LeafDefault, LeafKind, Literal, NestedDefault,
};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

/// `fn __extract(...) -> Option<Self>`.
pub(super) fn extract_fn(input: &Input) -> TokenStream {
    let vars: Vec<syn::Ident> = (0..input.fields.len())
        .map(|i| format_ident!("__f{}", i))
        .collect();
    let takes = input
        .fields
        .iter()
        .zip(&vars)
        .enumerate()
        .map(|(i, (f, var))| {
            let call = take(i, f);
            quote!(let #var = #call;)
        });
    let checks = input
        .fields
        .iter()
        .zip(&vars)
        .enumerate()
        .filter_map(|(i, (f, var))| custom_check(i, f, var));
    let names = input.fields.iter().map(|f| &f.ident);
    // One match over all fields at once: a `?` per field would give every early return its own
    // drops of all the other fields, which grows as fields squared and makes big structs slow
    // to compile.
    let bound: Vec<syn::Ident> = (0..input.fields.len())
        .map(|i| format_ident!("__v{}", i))
        .collect();
    let build = quote! {
        match (#(#vars,)*) {
            (#(::core::option::Option::Some(#bound),)*) => Self { #(#names: #bound),* },
            _ => return ::core::option::Option::None,
        }
    };
    let finish = match &input.attrs.validate {
        Some(path) => quote_spanned!(path.span()=> __cx.check_struct(__value, #path)),
        None => quote!(::core::option::Option::Some(__value)),
    };
    quote! {
        fn __extract(
            __cx: &mut ::settings_core::__private::Extract<'_>,
        ) -> ::core::option::Option<Self> {
            #(#takes)*
            #(#checks)*
            let __value = #build;
            #finish
        }
    }
}

/// The runtime call that produces one field's value.
fn take(index: usize, field: &Field) -> TokenStream {
    let ty = &field.ty;
    match &field.kind {
        FieldKind::Nested {
            ty: element,
            collection: collection @ (Collection::List | Collection::Map),
            default,
            ..
        } => {
            let default = match default {
                NestedDefault::None => quote!(::core::option::Option::None),
                NestedDefault::Trait(span) => {
                    let make = quote_spanned!(*span=> <#ty as ::core::default::Default>::default);
                    quote!(::core::option::Option::Some(#make))
                }
                NestedDefault::With(path) => {
                    let path = quote_spanned!(path.span()=> #path);
                    quote!(::core::option::Option::Some(#path))
                }
            };
            if *collection == Collection::List {
                quote!(__cx.nested_list::<#element, #ty>(#index, #default))
            } else {
                quote!(__cx.nested_map::<#element, #ty>(#index, #default))
            }
        }
        FieldKind::Nested {
            ty: inner,
            optional: true,
            default,
            ..
        } => match default {
            // A bare `default` on an `Option` is `None`: what an unset optional struct is anyway.
            NestedDefault::None | NestedDefault::Trait(_) => {
                quote!(__cx.nested_opt::<#inner>(#index))
            }
            NestedDefault::With(path) => {
                let path = quote_spanned!(path.span()=> #path);
                quote!(__cx.nested_opt_or::<#inner>(#index, #path))
            }
        },
        FieldKind::Nested { default, .. } => match default {
            NestedDefault::None => quote!(__cx.nested::<#ty>(#index)),
            NestedDefault::Trait(span) => {
                let default = quote_spanned!(*span=> <#ty as ::core::default::Default>::default);
                quote!(__cx.nested_or::<#ty>(#index, #default))
            }
            NestedDefault::With(path) => {
                let path = quote_spanned!(path.span()=> #path);
                quote!(__cx.nested_or::<#ty>(#index, #path))
            }
        },
        FieldKind::Leaf(leaf) => {
            // A literal default is in the metadata: the runtime applies it as a source.
            let Some(default) = default_fn(index, leaf) else {
                return quote!(__cx.leaf::<#ty>(#index));
            };
            quote! {
                __cx.leaf_or::<#ty>(#index, #default, |__v: &#ty| {
                    #[allow(unused_imports)]
                    use ::settings_core::__private::{ViaDebug as _, ViaNothing as _};
                    (&::settings_core::__private::Describe(__v)).__describe()
                })
            }
        }
    }
}

/// The name of the function that computes leaf `index`'s bare `default` or `default_with`.
pub(super) fn default_fn(index: usize, leaf: &Leaf) -> Option<syn::Ident> {
    let (LeafKind::Optional { default } | LeafKind::Required { default }) = &leaf.kind;
    match default {
        LeafDefault::Trait(_) | LeafDefault::With(_) => Some(format_ident!("__default_{}", index)),
        LeafDefault::None | LeafDefault::Literal(_) => None,
    }
}

/// One function per leaf with a bare `default` or `default_with`, the only place its default
/// is made: the load calls it when no source sets the field, templates and the schema to show
/// it. So a `default_with` of the wrong type is one error, at its path.
pub(super) fn default_fns(input: &Input) -> TokenStream {
    let fns = input.fields.iter().enumerate().filter_map(|(i, field)| {
        let FieldKind::Leaf(leaf) = &field.kind else {
            return None;
        };
        let name = default_fn(i, leaf)?;
        let ty = &field.ty;
        let (LeafKind::Optional { default } | LeafKind::Required { default }) = &leaf.kind;
        let body = match default {
            LeafDefault::Trait(span) => {
                quote_spanned!(*span=> <#ty as ::core::default::Default>::default())
            }
            LeafDefault::With(path) => quote_spanned!(path.span()=> #path()),
            LeafDefault::None | LeafDefault::Literal(_) => return None,
        };
        Some(quote! {
            fn #name() -> #ty {
                #body
            }
        })
    });
    quote!(#(#fns)*)
}

/// The checks of one field: the built-in constraints, then `validate = path` if they pass. Both
/// see the inner value (inside `Option` only when present; through `Secret`). Each call is spanned
/// at its attribute, so a type without the needed support or a wrong signature is reported there.
/// A nested struct runs its own checks first, then its field's `validate = path` sees it whole.
fn custom_check(index: usize, field: &Field, var: &syn::Ident) -> Option<TokenStream> {
    let leaf = match &field.kind {
        FieldKind::Leaf(leaf) => leaf,
        FieldKind::Nested { len: Some(len), .. } => {
            // `len` on a list or map of structs, then its `validate`.
            let custom = field
                .validate
                .as_ref()
                .map(|path| quote_spanned!(path.span()=> __cx.check(#index, __v, #path);));
            let count = quote_spanned!(len.span=> __cx.validate_len(#index, __v.len()));
            return Some(quote! {
                if let ::core::option::Option::Some(__v) = &#var {
                    if #count {
                        #custom
                    }
                }
            });
        }
        FieldKind::Nested { optional, .. } => {
            let path = field.validate.as_ref()?;
            let pattern = if *optional {
                quote!(::core::option::Option::Some(::core::option::Option::Some(
                    __v
                )))
            } else {
                quote!(::core::option::Option::Some(__v))
            };
            return Some(quote_spanned! {path.span()=>
                if let #pattern = &#var {
                    __cx.check(#index, __v, #path);
                }
            });
        }
    };
    let custom = field.validate.as_ref().map(|path| {
        let value = if leaf.secret_type {
            quote!(__v.expose_secret())
        } else {
            quote!(__v)
        };
        quote_spanned!(path.span()=> __cx.check(#index, #value, #path);)
    });
    let builtin = leaf
        .constraints
        .first()
        .map(|c| quote_spanned!(c.span=> __cx.validate(#index, __v)));
    let body = match (builtin, custom) {
        (None, None) => return None,
        (Some(builtin), None) => quote!(#builtin;),
        (None, Some(custom)) => custom,
        (Some(builtin), Some(custom)) => quote!(if #builtin { #custom }),
    };
    let pattern = match leaf.kind {
        LeafKind::Optional { .. } => {
            quote!(::core::option::Option::Some(::core::option::Option::Some(
                __v
            )))
        }
        LeafKind::Required { .. } => quote!(::core::option::Option::Some(__v)),
    };
    Some(quote! {
        if let #pattern = &#var {
            #body
        }
    })
}

/// Compile-time fit checks for numeric default literals: `default = 70000` on a `u16` is
/// reported by rustc at the literal.
pub(super) fn default_checks(input: &Input) -> TokenStream {
    let checks = input.fields.iter().filter_map(|field| {
        let FieldKind::Leaf(leaf) = &field.kind else {
            return None;
        };
        let (LeafKind::Optional {
            default: LeafDefault::Literal(lit),
        }
        | LeafKind::Required {
            default: LeafDefault::Literal(lit),
        }) = &leaf.kind
        else {
            return None;
        };
        if !is_primitive(&leaf.inner) {
            return None;
        }
        let inner = &leaf.inner;
        let value = match (&lit.value, leaf.value) {
            (Literal::Int(i), Kind::Integer) => unsuffixed_int(*i, lit.span),
            (Literal::Float(f), Kind::Float) => {
                let mut l = proc_macro2::Literal::f64_unsuffixed(*f);
                l.set_span(lit.span);
                quote!(#l)
            }
            (Literal::Int(i), Kind::Float) => {
                let mut l = proc_macro2::Literal::f64_unsuffixed(*i as f64);
                l.set_span(lit.span);
                quote!(#l)
            }
            _ => return None,
        };
        Some(quote_spanned!(lit.span=> let _: #inner = #value;))
    });
    quote! {
        const _: () = {
            #(#checks)*
        };
    }
}

fn unsuffixed_int(i: i128, span: Span) -> TokenStream {
    let mut l = proc_macro2::Literal::u128_unsuffixed(i.unsigned_abs());
    l.set_span(span);
    if i < 0 {
        quote_spanned!(span=> -#l)
    } else {
        quote!(#l)
    }
}

/// A primitive number type, written as its bare name.
fn is_primitive(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    p.qself.is_none()
        && p.path.get_ident().is_some_and(|i| {
            [
                "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
                "isize", "f32", "f64",
            ]
            .iter()
            .any(|n| i == n)
        })
}
