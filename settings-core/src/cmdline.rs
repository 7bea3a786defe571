//! The command-line arguments a loader was given ([`Loader::args`](crate::Loader::args), or the
//! `config` command), with the functions that parse them.
//!
//! The parser (clap, in [`crate::providers::args`]) is reached only through the function pointers stored
//! here, which [`Args::new`] sets and only those two callers make (both generic, so compiled in
//! the caller's crate). A program that never passes arguments then holds no reference to the
//! parser, and its debug build leaves clap's code out (about 2 MB less to link; the link is most
//! of the rebuild of a small binary). Nothing in this module may call into the argument source
//! directly (`crate::providers::args`): this module's object file is linked into every program, and one direct call would
//! pull the parser back in.

use crate::layer::Layer;
use crate::meta::StructMeta;
use crate::naming::Names;
use crate::origin::Origins;
use std::ffi::OsString;

/// The arguments, and how to read them.
pub(crate) struct Args {
    pub(crate) list: Vec<OsString>,
    /// [`crate::providers::args::read`].
    pub(crate) read: fn(&[OsString], &'static StructMeta, &Names, &mut Origins) -> Layer,
    /// [`crate::providers::args::help`].
    pub(crate) help: fn(&'static StructMeta, &Names) -> String,
}

impl Args {
    /// Whether the arguments ask for help.
    pub(crate) fn wants_help(&self) -> bool {
        self.list.iter().any(|a| a == "--help" || a == "-h")
    }

    /// The help text of the flags of `meta`.
    pub(crate) fn help(&self, meta: &'static StructMeta) -> String {
        (self.help)(meta, Names::of(meta))
    }
}

/// The layer the arguments give.
pub(crate) fn read(
    args: &Args,
    meta: &'static StructMeta,
    names: &Names,
    origins: &mut Origins,
) -> Layer {
    (args.read)(&args.list, meta, names, origins)
}
