//! Any `figment::Provider` (remote stores, custom sources), merged above files and below env.

use crate::early::Early;
use crate::layer::{Layer, Problems};
use crate::origin::{Origin, OriginId, Origins};
use crate::tree::{Node, Table, Value};
use figment::value::{Num, Value as FValue};
use figment::{Profile, Provider};
use std::sync::{Arc, Mutex};

/// A provider as the loader keeps it, told apart once, when it is added.
pub(crate) enum Held {
    /// One of this crate's remote sources: it gives its layer itself (an origin per key,
    /// secrecy as the store says) and can be watched where the store can be.
    #[cfg_attr(
        not(any(
            feature = "aws",
            feature = "vault",
            feature = "etcd",
            feature = "gcp",
            feature = "azure"
        )),
        expect(dead_code, reason = "only the remote sources' features build one")
    )]
    Layered(Box<dyn Layered>),
    /// Any other provider, read through `figment::Provider::data`.
    Other(Box<dyn Provider + Send + Sync>),
    /// `Loader::provider_with`: a provider built at each load from the early settings.
    With(Deferred),
}

/// What builds a provider from the early settings (`Loader::provider_with`).
pub(crate) type Build = dyn Fn(&Early) -> Result<Held, String> + Send + Sync;

/// A provider built at each load from what the other sources say, by the application's
/// function. The one built last is kept: while each next load builds the same source (by name),
/// that one is read again, with what it holds (a lease, a cache) and its watch.
pub(crate) struct Deferred {
    build: Box<Build>,
    last: Mutex<Option<Arc<Held>>>,
}

impl Deferred {
    pub(crate) fn new(build: Box<Build>) -> Self {
        Deferred {
            build,
            last: Mutex::new(None),
        }
    }

    /// The provider for this load: the function's, or the one kept when it is the same source.
    /// The function's `Err` or panic is a `Source` problem.
    fn provider(&self, early: &Early) -> Result<Arc<Held>, Problems> {
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.build)(early)));
        let failed = |message: String| {
            let mut problems = Problems::default();
            let name = "provider_with".to_owned();
            problems.source(Origin::Provider { name }, message);
            problems
        };
        let held = match built {
            Ok(Ok(held)) => held,
            Ok(Err(why)) => {
                return Err(failed(format!("the provider_with function failed: {why}")));
            }
            Err(_) => {
                return Err(failed(
                    "the provider_with function panicked (its message went to the panic hook, \
                     standard error by default); no provider was added"
                        .to_owned(),
                ));
            }
        };
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(kept) = last.as_ref().filter(|kept| same_source(kept, &held)) {
            return Ok(kept.clone());
        }
        let held = Arc::new(held);
        *last = Some(held.clone());
        Ok(held)
    }

    /// The provider the last load built, if any.
    #[cfg(feature = "watch")]
    fn last(&self) -> Option<Arc<Held>> {
        self.last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// Two of this crate's remote sources of one name are the same source.
fn same_source(a: &Held, b: &Held) -> bool {
    match (a, b) {
        (Held::Layered(a), Held::Layered(b)) => a.name() == b.name(),
        _ => false,
    }
}

/// A provider that gives its layer itself rather than figment's data.
pub(crate) trait Layered: Send + Sync {
    fn layer(&self, origins: &mut Origins) -> Layer;

    /// How the source names itself ("vault secret/app").
    fn name(&self) -> &str;

    /// Starts watching the source, sending on `reload` at every change (for the stores that
    /// can be watched); dropping what it returns stops the watch.
    #[cfg(feature = "watch")]
    fn watch(&self, reload: std::sync::mpsc::Sender<()>) -> Option<Box<dyn Send>>;
}

/// Starts the watches of the providers that can watch (etcd); each sends on `reload` at a
/// change. Dropping what it returns stops them.
#[cfg(feature = "watch")]
pub(crate) fn watch_remotes(
    providers: &[Held],
    reload: &std::sync::mpsc::Sender<()>,
) -> Vec<Box<dyn Send>> {
    fn watch(held: &Held, reload: &std::sync::mpsc::Sender<()>) -> Option<Box<dyn Send>> {
        match held {
            Held::Layered(source) => source.watch(reload.clone()),
            Held::Other(_) => None,
            // The provider the first load built.
            Held::With(deferred) => watch(&*deferred.last()?, reload),
        }
    }
    providers.iter().filter_map(|p| watch(p, reload)).collect()
}

/// A provider's data as a layer: its default profile, then the active profile, then its global
/// profile. A failing provider is a `Source` problem naming it.
/// A `provider_with` provider is built from `early`, which the caller gives only when there is
/// one (`None` otherwise: then it is not read).
pub(crate) fn read(
    provider: &Held,
    profile: Option<&str>,
    early: Option<&Early>,
    origins: &mut Origins,
) -> Layer {
    let provider = match provider {
        Held::Layered(source) => return source.layer(origins),
        Held::Other(provider) => provider,
        Held::With(deferred) => {
            let Some(early) = early else {
                return Layer::default();
            };
            return match deferred.provider(early) {
                Ok(held) => read(&held, profile, None, origins),
                Err(problems) => Layer::failed(problems),
            };
        }
    };
    let name = provider.metadata().name.to_string();
    let data = match provider.data() {
        Ok(data) => data,
        Err(e) => {
            let mut problems = Problems::default();
            let message = format!("the provider {name} failed: {}", e.kind);
            problems.source(Origin::Provider { name }, message);
            return Layer::failed(problems);
        }
    };
    let origin = origins.add(Origin::Provider { name }, false);
    let mut order = vec![Profile::Default];
    if let Some(p) = profile {
        order.push(Profile::new(p));
    }
    order.push(Profile::Global);
    let tables = order
        .into_iter()
        .filter_map(|p| data.get(&p))
        .map(|dict| -> Table {
            dict.iter()
                .map(|(k, v)| (k.clone().into(), convert(v, origin)))
                .collect()
        })
        .collect();
    Layer {
        data: crate::layer::Data::Tables(tables),
        mentions_profile: profile.is_some_and(|p| data.contains_key(&Profile::new(p))),
        ..Layer::default()
    }
}

/// figment's values into tree values; strings stay text, as remote values are text.
pub(crate) fn convert(value: &FValue, origin: OriginId) -> Value {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::Data;
    use crate::testing::{at, origins};
    use figment::providers::Serialized;

    #[test]
    fn a_provider_gives_its_default_then_active_then_global_profile() {
        let provider = figment::Figment::new()
            .merge(Serialized::default("port", 1))
            .merge(Serialized::default("db", serde_json::json!({"url": "u"})))
            .merge(Serialized::from(serde_json::json!({"port": 2}), "prod"))
            .merge(Serialized::global("name", "g"));
        let mut origins = origins();
        let layer = read(
            &Held::Other(Box::new(provider.clone())),
            Some("prod"),
            None,
            &mut origins,
        );
        let Data::Tables(tables) = &layer.data else {
            panic!("a provider gives tables")
        };
        assert_eq!(tables.len(), 3);
        assert_eq!(at(&tables[0], "port").as_deref(), Some("1"));
        assert_eq!(at(&tables[0], "db.url").as_deref(), Some("u"));
        assert_eq!(at(&tables[1], "port").as_deref(), Some("2"));
        assert_eq!(at(&tables[2], "name").as_deref(), Some("g"));
        assert!(layer.mentions_profile);
        assert!(
            origins
                .get(tables[0]["port"].origin)
                .origin
                .to_string()
                .starts_with("provider ")
        );

        let other = read(
            &Held::Other(Box::new(provider)),
            Some("dev"),
            None,
            &mut origins,
        );
        assert!(!other.mentions_profile);
    }

    #[test]
    fn a_failing_provider_is_a_source_problem_naming_it() {
        struct Broken;
        impl Provider for Broken {
            fn metadata(&self) -> figment::Metadata {
                figment::Metadata::named("broken store")
            }
            fn data(
                &self,
            ) -> Result<figment::value::Map<Profile, figment::value::Dict>, figment::Error>
            {
                Err(figment::Error::from("unreachable".to_owned()))
            }
        }
        let layer = read(&Held::Other(Box::new(Broken)), None, None, &mut origins());
        let issues = layer.problems.list();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].origin.as_deref(), Some("provider broken store"));
        assert!(
            issues[0].message.contains("failed: unreachable"),
            "{}",
            issues[0].message
        );
    }
}
