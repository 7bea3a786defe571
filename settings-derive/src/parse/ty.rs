//! Purely syntactic type shapes: `Option<T>`, `Secret<T>`, what kind of value is inside, and
//! the type written out as text.

use crate::ir::{Kind, TypeShape};
use quote::ToTokens;

/// Reads a field type's shape from its tokens.
pub(crate) fn shape(ty: &syn::Type) -> TypeShape {
    let name = name(ty);
    let (option, ty) = match unwrap_generic(ty, "Option") {
        Some(inner) => (true, inner),
        None => (false, ty),
    };
    let (secret, ty) = match unwrap_generic(ty, "Secret") {
        Some(inner) => (true, inner),
        None => (false, ty),
    };
    TypeShape {
        name,
        option,
        secret,
        kind: kind(ty),
        inner: ty.clone(),
    }
}

/// The last path segment of a type, if it is a path.
fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        syn::Type::Group(g) => last_segment(&g.elem),
        syn::Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

/// `T` of `Name<T>`.
fn unwrap_generic<'a>(ty: &'a syn::Type, name: &str) -> Option<&'a syn::Type> {
    let seg = last_segment(ty)?;
    if seg.ident != name {
        return None;
    }
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => {
            match args.args.first()? {
                syn::GenericArgument::Type(inner) => Some(inner),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The element type of a list or map: the last type argument (`S` of `Vec<S>` and of
/// `BTreeMap<String, S>`).
pub(crate) fn element(ty: &syn::Type) -> Option<syn::Type> {
    let seg = last_segment(ty)?;
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    args.args.iter().rev().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

fn kind(ty: &syn::Type) -> Kind {
    if let syn::Type::Array(_) | syn::Type::Slice(_) = ty {
        return Kind::List;
    }
    let Some(seg) = last_segment(ty) else {
        return Kind::Other;
    };
    match seg.ident.to_string().as_str() {
        "bool" => Kind::Bool,
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "NonZeroU8" | "NonZeroU16" | "NonZeroU32" | "NonZeroU64" | "NonZeroUsize" => {
            Kind::Integer
        }
        "f32" | "f64" => Kind::Float,
        "String" | "PathBuf" | "Url" | "IpAddr" | "Ipv4Addr" | "Ipv6Addr" | "SocketAddr"
        | "OsString" => Kind::Text,
        "Duration" => Kind::Duration,
        "ByteSize" => Kind::ByteSize,
        "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "IndexSet" => Kind::List,
        "HashMap" | "BTreeMap" | "IndexMap" => Kind::Map,
        _ => Kind::Other,
    }
}

/// A type as text for messages and templates: `Option<Vec<String>>`.
fn name(ty: &syn::Type) -> String {
    let text = ty.to_token_stream().to_string();
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
    use super::name;

    #[test]
    fn type_names_read_like_code() {
        let ty: syn::Type =
            syn::parse_str("Option < std :: collections :: HashMap < String , u32 > >").unwrap();
        assert_eq!(name(&ty), "Option<std::collections::HashMap<String, u32>>");
        let ty: syn::Type = syn::parse_str("[u8 ; 4]").unwrap();
        assert_eq!(name(&ty), "[u8; 4]");
    }
}
