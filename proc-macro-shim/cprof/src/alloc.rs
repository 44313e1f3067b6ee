//! `cprof::Alloc<A>`: a global allocator wrapper that counts allocations per
//! region (`cprof::allocs`, `cprof::alloc_bytes`, `cprof::frees`,
//! `cprof::freed_bytes`, `cprof::reallocs`). With the `enable` feature each
//! call is the inner allocator's plus one call that bumps per-thread counts
//! in libcprof (no lock, no system call, nothing allocated); without it
//! every method is the inner allocator's, inlined: no symbol, no static, the
//! same code as `#[global_allocator]` of the inner allocator itself.

use std::alloc::{GlobalAlloc, Layout};

/// Wraps the allocator `A`:
///
/// ```
/// #[global_allocator]
/// static ALLOC: cprof::Alloc<std::alloc::System> = cprof::Alloc::new(std::alloc::System);
/// # fn main() { let v: Vec<u8> = Vec::with_capacity(10); assert_eq!(v.capacity(), 10); }
/// ```
///
/// Another allocator is wrapped the same way (`cprof::Alloc<mimalloc::MiMalloc>`).
/// Counted: every successful allocation (its size as asked for: `Layout::size`),
/// every deallocation (its layout's size), and a reallocation as one
/// allocation of the new size plus one free of the old block (and one
/// `cprof::reallocs`). Counts land in the region open on the allocating
/// thread; allocations outside every region are in the thread's totals only.
#[derive(Debug, Default, Clone, Copy)]
pub struct Alloc<A> {
    inner: A,
}

impl<A> Alloc<A> {
    /// A `const fn`, for a `static`.
    #[inline(always)]
    pub const fn new(inner: A) -> Self {
        Alloc { inner }
    }

    /// The wrapped allocator.
    #[inline(always)]
    pub const fn inner(&self) -> &A {
        &self.inner
    }
}

#[cfg(not(feature = "enable"))]
unsafe impl<A: GlobalAlloc> GlobalAlloc for Alloc<A> {
    #[inline(always)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { self.inner.alloc(layout) }
    }

    #[inline(always)]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { self.inner.alloc_zeroed(layout) }
    }

    #[inline(always)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { self.inner.dealloc(ptr, layout) }
    }

    #[inline(always)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe { self.inner.realloc(ptr, layout, new_size) }
    }
}

#[cfg(feature = "enable")]
unsafe impl<A: GlobalAlloc> GlobalAlloc for Alloc<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { self.inner.alloc(layout) };
        if !p.is_null() {
            unsafe { crate::ffi::cprof_alloc_note(layout.size()) };
        }
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { self.inner.alloc_zeroed(layout) };
        if !p.is_null() {
            unsafe { crate::ffi::cprof_alloc_note(layout.size()) };
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe {
            crate::ffi::cprof_free_note(layout.size());
            self.inner.dealloc(ptr, layout)
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            unsafe { crate::ffi::cprof_realloc_note(layout.size(), new_size) };
        }
        p
    }
}
