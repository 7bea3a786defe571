//! Purely syntactic type shapes: `Option<T>`, `Secret<T>`, and what kind of value is inside.

use crate::ir::{Kind, TypeShape};

/// Reads a field type's shape from its tokens.
pub(crate) fn shape(ty: &syn::Type) -> TypeShape {
    let (option, ty) = match unwrap_generic(ty, "Option") {
        Some(inner) => (true, inner),
        None => (false, ty),
    };
    let (secret, ty) = match unwrap_generic(ty, "Secret") {
        Some(inner) => (true, inner),
        None => (false, ty),
    };
    TypeShape {
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
