//! Region profiling for Rust programs, the Rust side of cargo-profiler.
//!
//! ```
//! use cprof::profile;
//!
//! #[profile]
//! fn parse(input: &str) -> Result<u32, std::num::ParseIntError> {
//!     let n = input.trim().parse()?; // the region is exited on `?` too
//!     Ok(n)
//! }
//!
//! struct Lexer;
//!
//! #[profile] // every function of the block: `my_crate::Lexer::new`, `my_crate::Lexer::next_token`
//! impl Lexer {
//!     fn new() -> Self { Lexer }
//!     fn next_token(&mut self) -> Option<char> { None }
//! }
//!
//! #[profile(name = "checksum")]
//! fn sum(v: &[u8]) -> u32 {
//!     cprof::scope!("checksum/loop"); // a region for the rest of this block
//!     v.iter().map(|&b| b as u32).sum()
//! }
//!
//! let total = cprof::region!("main/work", { parse("7").unwrap() + sum(b"ab") });
//! assert_eq!(total, 7 + 97 + 98);
//! let _ = Lexer::new().next_token();
//! cprof::dump().unwrap(); // optional: a dump is also written at exit
//! ```
//!
//! `cargo profiler regions` builds with `--features cprof/enable`. Without
//! that feature every macro here expands to the code as written: no call, no
//! static, no symbol and no link to libcprof end up in the program.
//!
//! Allocations per region: make [`Alloc`] the global allocator (around
//! `System` or any other) and ask for the built-in counters,
//! `cargo profiler regions --events cprof::allocs,cprof::alloc_bytes`
//! (also `cprof::frees`, `cprof::freed_bytes`, `cprof::reallocs`; mixable
//! with PAPI events). The program's own counts: [`count!`] (`user::NAME`
//! columns, shown without being asked for). Both are exact, inclusive and
//! exclusive, per thread; recursion counts once.
//!
//! ```
//! #[global_allocator]
//! static ALLOC: cprof::Alloc<std::alloc::System> = cprof::Alloc::new(std::alloc::System);
//!
//! #[cprof::profile]
//! fn tokens(line: &str) -> Vec<&str> {
//!     cprof::count!("bytes", line.len());
//!     line.split(' ').collect()
//! }
//! # fn main() { assert_eq!(tokens("a b").len(), 2); }
//! ```
//!
//! Region names are full paths: `my_crate::module::function` for a function;
//! `my_crate::module::Type::method` for a method or associated function
//! (annotated alone or in an annotated impl block, the type's path wherever
//! the impl is written, without generic arguments), `my_crate::module::Trait::method`
//! for a trait's default method; a Self type that is no path of the crate
//! (`&[u8]`, `(i32, u8)`, `Vec<u8>`) is written after the impl's module, short,
//! in angle brackets: `my_crate::module::<&[u8]>::method`.
//! `#[profile(name = "...")]` gives the name exactly. Names are found once,
//! on a site's first entry, from `std::any::type_name` of a fn nested in
//! the function.
//!
//! A generic function is one region for all its instantiations. An
//! `async fn` is measured per poll of its future: each poll enters and exits
//! the region on the polling thread, and the call is counted once, when the
//! future completes (a future dropped unfinished adds its polls' time but no
//! call). A plain `fn` returning `impl Future` measures making the future,
//! not running it. Inside an annotated impl block, `#[profile(name = ...)]`
//! on a function renames it; `#[profile]` must be spelled `profile`,
//! `cprof::profile` or `::cprof::profile` there to be recognised.
//!
//! `#[profile]` refuses what it cannot measure, at compile time:
//!
//! ```compile_fail
//! #[cprof::profile]
//! const fn square(x: u32) -> u32 { x * x }
//! ```
//!
//! ```compile_fail
//! #[cprof::profile]
//! struct Point { x: i32 }
//! ```
//!
//! ```compile_fail
//! #[cprof::profile]
//! static TABLE: [u8; 2] = [1, 2];
//! ```
//!
//! ```compile_fail
//! #[cprof::profile]
//! mod inner {}
//! ```
//!
//! ```compile_fail
//! #[cprof::profile(label = "x")]
//! fn unknown_argument() {}
//! ```
//!
//! ```compile_fail
//! #[cprof::profile(name = 42)]
//! fn name_not_a_string() {}
//! ```
//!
//! ```compile_fail
//! #[cprof::profile(name = "nul\0inside")] // names go to C as NUL-terminated text
//! fn f() {}
//! # fn main() { f() }
//! ```
//!
//! ```compile_fail
//! struct S;
//! #[cprof::profile(name = "one name for all")]
//! impl S { fn a(&self) {} }
//! ```

#[doc(inline)]
pub use cprof_macros::profile;

mod alloc;
pub use alloc::Alloc;

#[cfg(any(feature = "enable", test))]
mod name;

#[cfg(feature = "enable")]
mod counter;
#[cfg(feature = "enable")]
mod ffi;
#[cfg(feature = "enable")]
mod future;
#[cfg(feature = "enable")]
mod guard;
#[cfg(feature = "enable")]
mod hot;
#[cfg(feature = "enable")]
mod site;

/// What the expansions of `#[profile]`, `scope!` and `region!` use; not an API.
#[cfg(feature = "enable")]
#[doc(hidden)]
pub mod __private {
    pub use crate::counter::{count, CounterSite};
    pub use crate::future::{ret_hint, Instrumented};
    pub use crate::guard::Guard;
    pub use crate::site::Site;
}

/// A region for the rest of the enclosing block: `cprof::scope!("name");`.
/// The name must be a string literal. For synchronous code: its guard is not
/// `Send` and must not be held across an `.await` (use `#[profile]` on an
/// `async fn` instead).
#[cfg(feature = "enable")]
#[macro_export]
macro_rules! scope {
    ($name:literal) => {
        let __cprof_scope = {
            static __CPROF_SITE: $crate::__private::Site = $crate::__private::Site::new(
                ::core::concat!($name, "\0"),
                ::core::concat!(::core::file!(), "\0"),
                ::core::line!(),
            );
            $crate::__private::Guard::enter(&__CPROF_SITE)
        };
    };
}

/// A region for the rest of the enclosing block: `cprof::scope!("name");`.
/// The name must be a string literal.
#[cfg(not(feature = "enable"))]
#[macro_export]
macro_rules! scope {
    ($name:literal) => {};
}

/// A region around one block, whose value it returns:
/// `let v = cprof::region!("name", { work() });`.
#[cfg(feature = "enable")]
#[macro_export]
macro_rules! region {
    ($name:literal, $body:block) => {{
        $crate::scope!($name);
        $body
    }};
}

/// A region around one block, whose value it returns:
/// `let v = cprof::region!("name", { work() });`.
#[cfg(not(feature = "enable"))]
#[macro_export]
macro_rules! region {
    ($name:literal, $body:block) => {
        $body
    };
}

/// Adds `n` to the user counter `user::NAME` of the innermost region open
/// on this thread: `cprof::count!("bytes", buf.len());`. The name must be a
/// string literal; `n` is any integer (`as i64`; negative counts go down).
/// Counts outside every region are in the thread's totals only. The counter
/// is shown like an event (`user::bytes`, inclusive and exclusive, in every
/// view, for `--sort`), without being named in `--events`.
///
/// ```
/// fn parse(input: &[u8]) -> usize {
///     cprof::count!("bytes", input.len());
///     input.len()
/// }
/// # assert_eq!(parse(b"abc"), 3);
/// ```
#[cfg(feature = "enable")]
#[macro_export]
macro_rules! count {
    ($name:literal, $n:expr) => {{
        static __CPROF_COUNTER: $crate::__private::CounterSite =
            $crate::__private::CounterSite::new(::core::concat!($name, "\0"));
        $crate::__private::count(&__CPROF_COUNTER, ($n) as i64);
    }};
}

/// Adds `n` to the user counter `user::NAME`: `cprof::count!("bytes", n);`.
/// Without the `enable` feature only `n` is evaluated, as written.
#[cfg(not(feature = "enable"))]
#[macro_export]
macro_rules! count {
    ($name:literal, $n:expr) => {{
        let _ = ($n) as i64;
    }};
}

/// `cprof::dump()` failed; libcprof said why on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DumpError;

impl std::fmt::Display for DumpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cprof: writing the profile dump failed (see stderr)")
    }
}

impl std::error::Error for DumpError {}

/// Writes the dump now (`$CPROF_OUTPUT/cprof-<host>-<pid>.json`, replacing this
/// process's earlier one); the exit-time dump happens anyway. Does nothing
/// when profiling is off.
#[inline]
pub fn dump() -> Result<(), DumpError> {
    #[cfg(feature = "enable")]
    if unsafe { ffi::cprof_dump() } != 0 {
        return Err(DumpError);
    }
    Ok(())
}

/// The file the last dump went to, if one was written.
#[inline]
pub fn dump_path() -> Option<std::path::PathBuf> {
    #[cfg(feature = "enable")]
    {
        let p = unsafe { ffi::cprof_dump_path() };
        if !p.is_null() {
            let c = unsafe { std::ffi::CStr::from_ptr(p) };
            use std::os::unix::ffi::OsStrExt;
            return Some(std::path::PathBuf::from(std::ffi::OsStr::from_bytes(c.to_bytes())));
        }
    }
    None
}

/// Whether regions are measured: built with `enable` and not switched off
/// by `CPROF_DISABLE=1`.
#[inline]
pub fn enabled() -> bool {
    #[cfg(feature = "enable")]
    {
        unsafe { ffi::cprof_enabled() != 0 }
    }
    #[cfg(not(feature = "enable"))]
    {
        false
    }
}
