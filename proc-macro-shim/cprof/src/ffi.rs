//! The C API of libcprof (include/cprof.h), linked by build.rs.

use crate::site::Site;
use std::ffi::{c_char, c_int};

extern "C" {
    pub fn cprof_enter(site: *mut Site);
    pub fn cprof_exit(site: *mut Site);
    pub fn cprof_exit_pending(site: *mut Site);
    pub fn cprof_dump() -> c_int;
    pub fn cprof_dump_path() -> *const c_char;
    pub fn cprof_enabled() -> c_int;
}
