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
use std::sync::atomic::{compiler_fence, AtomicU32, AtomicU64, Ordering};

/// `CPROF_HOT_ABI`, `CPROF_HOT_FRAME_SIZE` and `CPROF_HOT_NODE_SIZE`.
const ABI: u32 = 1;
const FRAME_SIZE: isize = 256;
const NODE_SIZE: usize = 256;

/// `cprof_hot_thread`.
#[repr(C)]
pub struct HotThread {
    stack: *mut u8,
    nodes: *mut u8,
    node_hash: *const u32,
    depth: AtomicU32,
    cap: u32,
    hash_shift: u32,
    dropped_open: u32,
    busy: *mut i32,
}

/// `cprof_hot_frame`.
#[repr(C)]
struct HotFrame {
    id: AtomicU32,
    node: AtomicU32,
    timed: AtomicU32,
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
    countdown: u32,
    _period: u32,
    pairs: AtomicU64,
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
    t.stack.offset(depth * FRAME_SIZE) as *mut HotFrame
}

#[inline(always)]
unsafe fn node(t: &HotThread, n: u32) -> *mut HotNode {
    t.nodes.add(n as usize * NODE_SIZE) as *mut HotNode
}

/// The runtime's "inside" flag, set around every change to the state, so a
/// signal handler's call in between goes the whole way and is dropped there.
#[inline(always)]
unsafe fn busy(t: &HotThread, v: i32) {
    compiler_fence(Ordering::SeqCst);
    ptr::write_volatile(t.busy, v);
    compiler_fence(Ordering::SeqCst);
}

/// `cprof_hot_enter`: true if done.
#[inline(always)]
unsafe fn try_enter(id: u32) -> bool {
    let t = HOT.with(|h| h.get());
    if t.is_null() || ptr::read_volatile((*t).busy) != 0 {
        return false;
    }
    let t = &*t;
    busy(t, 1);
    let depth = t.depth.load(Ordering::Relaxed);
    let mut done = false;
    if depth < t.cap {
        let f = frame(t, depth as isize);
        let p = frame(t, depth as isize - 1);
        let pn = (*p).node.load(Ordering::Relaxed);
        let n = *t.node_hash.add(node_hash(pn, id, t.hash_shift));
        let nd = node(t, n);
        // node 0, the root, has region 0 and countdown 0: it never matches
        if (*nd).parent == pn && (*nd).region == id && (*nd).countdown > 1 {
            (*nd).countdown -= 1;
            (*f).id.store(id, Ordering::Relaxed);
            (*f).node.store(n, Ordering::Relaxed);
            (*f).timed.store(0, Ordering::Relaxed);
            (*p).kids_untimed += 1;
            t.depth.store(depth + 1, Ordering::Release);
            done = true;
        }
    }
    busy(t, 0);
    done
}

/// `cprof_hot_exit`: true if done.
#[inline(always)]
unsafe fn try_exit(id: u32) -> bool {
    let t = HOT.with(|h| h.get());
    if t.is_null() || ptr::read_volatile((*t).busy) != 0 {
        return false;
    }
    let t = &*t;
    busy(t, 1);
    let depth = t.depth.load(Ordering::Relaxed).wrapping_sub(1); // depth 0 wraps past cap
    let mut done = false;
    if depth < t.cap && t.dropped_open == 0 {
        let f = frame(t, depth as isize);
        if (*f).id.load(Ordering::Relaxed) == id && (*f).timed.load(Ordering::Relaxed) == 0 {
            let nd = node(t, (*f).node.load(Ordering::Relaxed));
            t.depth.store(depth, Ordering::Relaxed);
            let pairs = &(*nd).pairs;
            pairs.store(pairs.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
            done = true;
        }
    }
    busy(t, 0);
    done
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
