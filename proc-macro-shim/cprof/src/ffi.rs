//! The C API of libcprof (include/cprof.h), linked by build.rs.

use crate::counter::CounterSite;
use crate::site::Site;
use std::ffi::{c_char, c_int};

extern "C" {
    pub fn cprof_enter_full(site: *mut Site);
    pub fn cprof_exit_full(site: *mut Site);
    pub fn cprof_hot_self(abi: u32) -> *const crate::hot::HotThread;
    pub fn cprof_hot_count_fixup(t: *const crate::hot::HotThread, nodes_seen: *mut u8, n: u32);
    pub fn cprof_exit_pending(site: *mut Site);
    pub fn cprof_dump() -> c_int;
    pub fn cprof_dump_path() -> *const c_char;
    pub fn cprof_enabled() -> c_int;
    pub fn cprof_count(site: *mut CounterSite, n: i64);
    pub fn cprof_alloc_note(bytes: usize);
    pub fn cprof_free_note(bytes: usize);
    pub fn cprof_realloc_note(old_bytes: usize, new_bytes: usize);
    pub fn cprof_runtime_begin();
    pub fn cprof_runtime_end();
}
