//! Any `figment::Provider` (remote stores, custom sources), merged above files and below env.

use crate::error::{IssueKind, Issues};
use crate::value::{Merger, Node, OriginId, Origins, Table, Value};
use figment::value::{Num, Value as FValue};
use figment::{Profile, Provider};

/// A provider as the loader keeps it.
pub(crate) type BoxedProvider = Box<dyn AnyProvider>;

/// A provider that can also be seen as `Any`, so that our own remote sources are recognised
/// (for secret values, per-key origins and watching) while any other provider works as is.
pub(crate) trait AnyProvider: Provider + std::any::Any + Send + Sync {}

impl<P: Provider + std::any::Any + Send + Sync> AnyProvider for P {}

/// Starts the watches of the providers that can watch (etcd); each sends on `reload` at a
/// change. Dropping what it returns stops them.
#[cfg(feature = "watch")]
pub(crate) fn watch_remotes(
    providers: &[BoxedProvider],
    reload: &std::sync::mpsc::Sender<()>,
) -> Vec<Box<dyn Send>> {
    #[cfg(feature = "etcd")]
    return providers
        .iter()
        .filter_map(|p| (&**p as &dyn std::any::Any).downcast_ref::<crate::remote::Etcd>())
        .filter_map(|etcd| etcd.watch(reload.clone()))
        .map(|guard| Box::new(guard) as Box<dyn Send>)
        .collect();
    #[cfg(not(feature = "etcd"))]
    {
        let _ = (providers, reload);
        Vec::new()
    }
}

/// Merges the provider's data into the tree: its default profile, then the active profile, then
/// its global profile. A failing provider is a `Source` issue naming it. Returns whether the
/// provider has data for the active profile.
pub(crate) fn apply(
    provider: &dyn AnyProvider,
    profile: Option<&str>,
    tree: &mut Table,
    merger: &Merger,
    origins: &mut Origins,
    issues: &mut Issues,
) -> bool {
    // Our remote sources: an origin per key, secret where the source says so.
    #[cfg(any(
        feature = "aws",
        feature = "vault",
        feature = "etcd",
        feature = "gcp",
        feature = "azure"
    ))]
    if let Some(remote) = crate::remote::as_remote(provider) {
        crate::remote::apply(remote, tree, merger, origins, issues, &convert);
        return false;
    }
    let name = provider.metadata().name.to_string();
    let label = format!("provider {name}");
    let data = match provider.data() {
        Ok(data) => data,
        Err(e) => {
            issues.push(
                "",
                IssueKind::Source,
                Some(label),
                format!("the provider {name} failed: {}", e.kind),
            );
            return false;
        }
    };
    let origin = origins.add(label, false);
    let mentioned = profile.is_some_and(|p| data.contains_key(&Profile::new(p)));
    let mut order = vec![Profile::Default];
    if let Some(p) = profile {
        order.push(Profile::new(p));
    }
    order.push(Profile::Global);
    for p in order {
        if let Some(dict) = data.get(&p) {
            let table = dict
                .iter()
                .map(|(k, v)| (k.clone().into(), convert(v, origin)))
                .collect();
            merger.merge(tree, table);
        }
    }
    mentioned
}

/// figment's values into tree values; strings stay text, as remote values are text.
fn convert(value: &FValue, origin: OriginId) -> Value {
    let node = match value {
        FValue::String(_, s) => Node::Text(s.clone()),
        FValue::Char(_, c) => Node::Text(c.to_string()),
        FValue::Bool(_, b) => Node::Bool(*b),
        FValue::Num(_, n) => num(*n),
        FValue::Empty(..) => Node::Null,
        FValue::Dict(_, d) => Node::Table(
            d.iter()
                .map(|(k, v)| (k.clone().into(), convert(v, origin)))
                .collect(),
        ),
        FValue::Array(_, items) => Node::Array(items.iter().map(|v| convert(v, origin)).collect()),
    };
    Value::new(node, origin)
}

fn num(n: Num) -> Node {
    match n {
        Num::U8(v) => Node::Int(v.into()),
        Num::U16(v) => Node::Int(v.into()),
        Num::U32(v) => Node::Int(v.into()),
        Num::U64(v) => Node::Int(v.into()),
        Num::U128(v) => i128::try_from(v).map_or(Node::Float(v as f64), Node::Int),
        Num::USize(v) => Node::Int(v as i128),
        Num::I8(v) => Node::Int(v.into()),
        Num::I16(v) => Node::Int(v.into()),
        Num::I32(v) => Node::Int(v.into()),
        Num::I64(v) => Node::Int(v.into()),
        Num::I128(v) => Node::Int(v),
        Num::ISize(v) => Node::Int(v as i128),
        Num::F32(v) => Node::Float(v.into()),
        Num::F64(v) => Node::Float(v),
    }
}
