//! The inline fast path of an enter and an exit, as include/cprof_hot.h does
//! it for C: a throttled call that is not timed (counted, no clock read) and
//! a region not measured (nothing) are done here, in the caller's code, and
//! everything else calls the runtime. Rust cannot inline the runtime's C,
//! and the call alone cost more than the rest of such a pair.
//!
//! It reads the runtime's per-thread state through the layout cprof_hot.h
//! gives (its own words on each field are there). The runtime hands each
//! thread its state only if the layout it was built with is `ABI`
//! (`cprof_hot_self`); a thread that has none yet, or a runtime of another
//! layout, takes the whole way every time.

use crate::ffi;
use crate::site::Site;
use std::cell::Cell;
use std::ptr;
use std::sync::atomic::{compiler_fence, AtomicPtr, AtomicU32, AtomicU64, Ordering};

/// `CPROF_HOT_ABI`, `CPROF_HOT_FRAME_SIZE` and `CPROF_HOT_NODE_SIZE`.
const ABI: u32 = 2;
const FRAME_SIZE: isize = 256;
const NODE_SIZE: usize = 256;

/// `cprof_hot_thread`.
#[repr(C)]
pub struct HotThread {
    stack: AtomicPtr<u8>,
    nodes: AtomicPtr<u8>,
    node_hash: *const u32,
    depth: AtomicU32,
    cap: u32,
    hash_shift: u32,
    dropped_open: u32,
    busy: *mut i32,
}

/// `cprof_hot_frame`: `key` is its id and timed fields (id | timed << 32).
#[repr(C)]
struct HotFrame {
    key: AtomicU64,
    node: AtomicU32,
    _pad: u32,
    _t0: u64,
    _kids_timed: u64,
    kids_untimed: u64,
}

/// `cprof_hot_node`.
#[repr(C)]
struct HotNode {
    parent: u32,
    region: u32,
    _period: u32,
    _pad: u32,
    pairs: AtomicU64,
    next_timed: u64,
}

thread_local! {
    /// This thread's state once the runtime has made it; null before.
    static HOT: Cell<*const HotThread> = const { Cell::new(ptr::null()) };
}

/// `cprof_node_hash`: the home slot of (parent, region).
#[inline(always)]
fn node_hash(parent: u32, region: u32, shift: u32) -> usize {
    ((((parent as u64) << 32) | region as u64).wrapping_mul(0x9E3779B97F4A7C15) >> shift) as usize
}

#[inline(always)]
unsafe fn frame(t: &HotThread, depth: isize) -> *mut HotFrame {
    t.stack.load(Ordering::Relaxed).offset(depth * FRAME_SIZE) as *mut HotFrame
}

#[inline(always)]
unsafe fn node(t: &HotThread, n: u32) -> *mut HotNode {
    t.nodes.load(Ordering::Relaxed).add(n as usize * NODE_SIZE) as *mut HotNode
}

/// The runtime's "inside" flag: set, a signal handler interrupted the
/// runtime, and the call goes the whole way (and is dropped there).
#[inline(always)]
unsafe fn inside(t: *const HotThread) -> bool {
    ptr::read_volatile((*t).busy) != 0
}

/// `cprof_hot_push_untimed`: no busy flag; the order and the check after
/// make a signal handler's calls in between safe (cprof_hot.h says how).
#[inline(always)]
unsafe fn push_untimed(t: &HotThread, depth: u32, id: u32, n: u32) {
    let s = t.stack.load(Ordering::Relaxed);
    let f = s.offset(depth as isize * FRAME_SIZE) as *mut HotFrame;
    (*f).key.store(id as u64, Ordering::Relaxed);
    (*f).node.store(n, Ordering::Relaxed);
    t.depth.store(depth + 1, Ordering::Release);
    (*(s.offset((depth as isize - 1) * FRAME_SIZE) as *mut HotFrame)).kids_untimed += 1;
    compiler_fence(Ordering::SeqCst);
    if t.stack.load(Ordering::Relaxed) != s
        || (*f).key.load(Ordering::Relaxed) != id as u64
        || (*f).node.load(Ordering::Relaxed) != n
    {
        ffi::cprof_hot_push_fixup(t, s, depth, id, n);
    }
}

/// `cprof_hot_enter`: true if done.
#[inline(always)]
unsafe fn try_enter(id: u32) -> bool {
    let t = HOT.with(|h| h.get());
    if t.is_null() || inside(t) {
        return false;
    }
    let t = &*t;
    let depth = t.depth.load(Ordering::Relaxed);
    if depth >= t.cap {
        return false;
    }
    let p = frame(t, depth as isize - 1);
    let pn = (*p).node.load(Ordering::Relaxed);
    let n = *t.node_hash.add(node_hash(pn, id, t.hash_shift));
    let nd = node(t, n);
    // node 0, the root, has region 0 and next_timed 0: it never matches.
    // `pairs` is this call's index (cprof_hot_untimed).
    if (*nd).parent != pn || (*nd).region != id || (*nd).pairs.load(Ordering::Relaxed) >= (*nd).next_timed {
        return false;
    }
    push_untimed(t, depth, id, n);
    true
}

/// `cprof_hot_exit`: true if done. Counted before the depth store, so a
/// handler's calls in between are the frame's children, not its node.
#[inline(always)]
unsafe fn try_exit(id: u32) -> bool {
    let t = HOT.with(|h| h.get());
    if t.is_null() || inside(t) {
        return false;
    }
    let t = &*t;
    let depth = t.depth.load(Ordering::Relaxed).wrapping_sub(1); // depth 0 wraps past cap
    if depth >= t.cap || t.dropped_open != 0 {
        return false;
    }
    let f = frame(t, depth as isize);
    if (*f).key.load(Ordering::Relaxed) != id as u64 {
        return false; // another region's frame, or a timed one
    }
    let ns = t.nodes.load(Ordering::Relaxed);
    let n = (*f).node.load(Ordering::Relaxed);
    let pairs = &(*(ns.add(n as usize * NODE_SIZE) as *const HotNode)).pairs;
    pairs.store(pairs.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
    compiler_fence(Ordering::SeqCst);
    if t.nodes.load(Ordering::Relaxed) != ns {
        ffi::cprof_hot_pop_fixup(t, ns, n);
    }
    t.depth.store(depth, Ordering::Relaxed);
    true
}

/// Enters `site`'s region. A site not resolved yet (id 0) goes the whole
/// way; a region not measured (the high bit) costs a load and a branch.
#[inline(always)]
pub fn enter(site: &'static Site) {
    let id = site.id();
    if (id as i32) > 0 {
        if unsafe { try_enter(id) } {
            return;
        }
    } else if id != 0 {
        return;
    }
    enter_full(site);
}

#[inline(always)]
pub fn exit(site: &'static Site) {
    let id = site.id();
    if (id as i32) > 0 {
        if unsafe { try_exit(id) } {
            return;
        }
    } else if id != 0 {
        return;
    }
    unsafe { ffi::cprof_exit_full(site.raw()) };
}

#[cold]
#[inline(never)]
fn enter_full(site: &'static Site) {
    unsafe { ffi::cprof_enter_full(site.raw()) };
    HOT.with(|h| {
        if h.get().is_null() {
            h.set(unsafe { ffi::cprof_hot_self(ABI) });
        }
    });
}
