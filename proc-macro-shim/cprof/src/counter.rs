//! User counters: the site record of `cprof::count!`, the same layout as
//! `cprof_counter_site` in include/cprof.h, kept in a `static` per call site.

use crate::ffi;
use std::ffi::c_char;
use std::mem::{offset_of, size_of};
use std::sync::atomic::AtomicU32;

/// `struct cprof_counter_site { const char *name; uint32_t id; }`
#[repr(C)]
pub struct CounterSite {
    name: *const c_char,
    /// Written by the runtime on first use.
    id: AtomicU32,
}

// The pointer is to 'static NUL-terminated text; `id` is the runtime's.
unsafe impl Sync for CounterSite {}

const _: () = {
    assert!(offset_of!(CounterSite, name) == 0);
    assert!(offset_of!(CounterSite, id) == size_of::<*const c_char>());
};

impl CounterSite {
    /// `name` ends in `"\0"` (built with `concat!`); checked at compile time.
    pub const fn new(name: &'static str) -> CounterSite {
        assert!(crate::site::nul_terminated(name), "cprof: a counter name must be non-empty and contain no NUL byte");
        CounterSite { name: name.as_ptr() as *const c_char, id: AtomicU32::new(0) }
    }
}

/// Adds `n` to `user::NAME` of the innermost region open on this thread.
#[inline(always)]
pub fn count(site: &'static CounterSite, n: i64) {
    unsafe { ffi::cprof_count(site as *const CounterSite as *mut CounterSite, n) }
}
