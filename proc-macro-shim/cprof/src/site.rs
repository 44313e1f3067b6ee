//! The site record handed to libcprof: the same layout as `cprof_site` in
//! include/cprof.h, kept in a `static` per annotated function or block.

use std::ffi::{c_char, c_int, CString};
use std::mem::{offset_of, size_of};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

/// `struct cprof_site { const char *name; const char *file; int line; uint32_t id; }`
#[repr(C)]
pub struct Site {
    /// NUL-terminated; null only until a lazily named site is first entered.
    name: AtomicPtr<c_char>,
    file: *const c_char,
    line: c_int,
    /// Written by the runtime on first entry (hence interior mutability).
    id: AtomicU32,
}

// The pointers are to 'static NUL-terminated text; `id` is the runtime's.
unsafe impl Sync for Site {}

const _: () = {
    let p = size_of::<*const c_char>();
    assert!(offset_of!(Site, name) == 0);
    assert!(offset_of!(Site, file) == p);
    assert!(offset_of!(Site, line) == 2 * p);
    assert!(offset_of!(Site, id) == 2 * p + 4);
};

/// True when `s` is one or more non-NUL bytes followed by a single NUL.
pub(crate) const fn nul_terminated(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 2 || b[b.len() - 1] != 0 {
        return false;
    }
    let mut i = 0;
    while i < b.len() - 1 {
        if b[i] == 0 {
            return false;
        }
        i += 1;
    }
    true
}

impl Site {
    /// `name` and `file` end in `"\0"` (built with `concat!`); checked at
    /// compile time, since sites are statics.
    pub const fn new(name: &'static str, file: &'static str, line: u32) -> Site {
        assert!(nul_terminated(name), "cprof: a region name must be non-empty and contain no NUL byte");
        Site::with_name(name.as_ptr() as *mut c_char, file, line)
    }

    /// A site named on first entry, by `ensure_named`.
    pub const fn lazy(file: &'static str, line: u32) -> Site {
        Site::with_name(null_mut(), file, line)
    }

    const fn with_name(name: *mut c_char, file: &'static str, line: u32) -> Site {
        assert!(nul_terminated(file), "cprof: a site's file must be NUL-terminated");
        Site {
            name: AtomicPtr::new(name),
            file: file.as_ptr() as *const c_char,
            line: line as c_int,
            id: AtomicU32::new(0),
        }
    }

    /// Names a lazy site from `F`, a fn item nested in the annotated
    /// function, whose `type_name` is that function's path
    /// (`krate::m::Type<_>::method::__cprof_f`, `krate::m::f::__cprof_f`,
    /// `<krate::m::Type as krate::Tr>::method::...`), and `module`, the
    /// function's `module_path!()`. Once per site; afterwards one load.
    #[inline(always)]
    pub fn ensure_named<F>(&self, _nested_fn: F, module: &'static str) {
        if self.name.load(Ordering::Acquire).is_null() {
            self.set_name(std::any::type_name::<F>(), module);
        }
    }

    #[cold]
    #[inline(never)]
    fn set_name(&self, nested_fn_path: &str, module: &str) {
        // The runtime's work, in Rust: its allocations are not the region's
        // around it (cprof::allocs stays exact on a site's first entry).
        unsafe { crate::ffi::cprof_runtime_begin() };
        let name = crate::name::full_name(nested_fn_path, module);
        let raw = CString::new(name).unwrap_or_else(|_| c"?".into()).into_raw();
        if self.name.compare_exchange(null_mut(), raw, Ordering::AcqRel, Ordering::Acquire).is_err() {
            // Another thread named it first; ours was never shared.
            drop(unsafe { CString::from_raw(raw) });
        }
        unsafe { crate::ffi::cprof_runtime_end() };
    }

    /// The runtime's id for it: 0 until its first entry (see cprof_hot.h).
    #[inline(always)]
    pub(crate) fn id(&self) -> u32 {
        self.id.load(Ordering::Acquire)
    }

    pub(crate) fn raw(&'static self) -> *mut Site {
        self as *const Site as *mut Site
    }

    /// The region name (for tests and diagnostics).
    pub fn name(&self) -> Option<&str> {
        let p = self.name.load(Ordering::Acquire);
        if p.is_null() {
            return None;
        }
        unsafe { std::ffi::CStr::from_ptr(p) }.to_str().ok()
    }
}
