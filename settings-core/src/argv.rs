//! The command-line arguments a loader was given ([`Loader::args`](crate::Loader::args), or the
//! `config` command), with the functions that parse them.
//!
//! The parser (clap, in [`crate::args`]) is reached only through the function pointers stored
//! here, which [`Args::new`] sets and only those two callers make (both generic, so compiled in
//! the caller's crate). A program that never passes arguments then holds no reference to the
//! parser, and its debug build leaves clap's code out (about 2 MB less to link; the link is most
//! of the rebuild of a small binary). Nothing in this module may call into `crate::args`
//! directly: this module's object file is linked into every program, and one direct call would
//! pull the parser back in.

use crate::extract::State;
use crate::meta::StructMeta;
use crate::naming::NameTable;
use crate::value::Table;
use std::ffi::OsString;

/// The arguments, and how to read them.
pub(crate) struct Args {
    pub(crate) list: Vec<OsString>,
    /// [`crate::args::parse`].
    pub(crate) parse: fn(&mut Table, &[OsString], &'static StructMeta, &mut State),
    /// [`crate::args::help`].
    pub(crate) help: fn(&'static StructMeta, &NameTable) -> String,
}

impl Args {
    /// Whether the arguments ask for help.
    pub(crate) fn wants_help(&self) -> bool {
        self.list.iter().any(|a| a == "--help" || a == "-h")
    }

    /// The help text of the flags of `meta`.
    pub(crate) fn help(&self, meta: &'static StructMeta) -> String {
        (self.help)(meta, NameTable::of(meta))
    }
}

/// Parses the arguments and writes what they set into the tree.
pub(crate) fn apply(tree: &mut Table, args: &Args, meta: &'static StructMeta, state: &mut State) {
    (args.parse)(tree, &args.list, meta, state);
}
