//! The field conversions of the common field types, compiled once here instead of in every crate
//! that derives `Settings`.
//!
//! Generated code calls [`Extract::leaf::<T>`](crate::__private::Extract::leaf) once per field.
//! In a debug build (`share-generics` is on at opt-level 0 and 1), a downstream crate links to an
//! instance that an upstream crate already compiled instead of compiling its own: the whole
//! conversion behind `leaf::<u16>` (the deserializer, serde's visitor, the issue for a missing or
//! invalid value) is then codegen the user's crate no longer does on each rebuild. Naming the
//! instances here is what makes this crate compile them. Release builds do not share generics
//! and are unaffected.
//!
//! Not API: only the instances matter, nothing calls [`instances`] at run time.

use crate::__private::Extract;
use crate::{ByteSize, Secret};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Duration;

/// The address of `Extract::leaf::<T>` for every `T` listed.
macro_rules! leaves {
    ($($t:ty),* $(,)?) => {
        [$(Extract::<'static>::leaf::<$t> as fn(&mut Extract<'static>, usize) -> Option<$t> as *const ()),*]
    };
}

/// Makes this crate compile `Extract::leaf` for the common field types (see the module docs);
/// returns how many there are.
pub fn instances() -> usize {
    let leaves = leaves![
        String,
        bool,
        char,
        u8,
        u16,
        u32,
        u64,
        u128,
        usize,
        i8,
        i16,
        i32,
        i64,
        i128,
        isize,
        f32,
        f64,
        PathBuf,
        Duration,
        ByteSize,
        url::Url,
        Secret<String>,
        Vec<String>,
        Vec<PathBuf>,
        Vec<u16>,
        Vec<u32>,
        Vec<u64>,
        Option<String>,
        Option<bool>,
        Option<u16>,
        Option<u32>,
        Option<u64>,
        Option<i64>,
        Option<f64>,
        Option<PathBuf>,
        Option<Duration>,
        Option<url::Url>,
        Option<Secret<String>>,
        BTreeMap<String, String>,
        HashMap<String, String>,
    ];
    std::hint::black_box(&leaves).len()
}
