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
//!
//! The guard keeps what the enter saw (`Entered`), so the exit of an
//! untimed call puts the thread's `cur` back without reading it first: a
//! pair then costs about what bench/hot_chain.c's "cur+guard" costs.

use crate::ffi;
use crate::site::Site;
use std::cell::Cell;
use std::ptr;
use std::sync::atomic::{compiler_fence, AtomicPtr, AtomicU32, AtomicU64, Ordering};

/// `CPROF_HOT_ABI`, `CPROF_HOT_NODE_SIZE` and `CPROF_HOT_NO_NODE`.
const ABI: u32 = 3;
const NODE_SIZE: usize = 256;
const NO_NODE: u32 = u32::MAX;

/// `cprof_hot_thread`.
#[repr(C)]
pub struct HotThread {
    _stack: *mut u8,
    nodes: AtomicPtr<u8>,
    node_hash: *const u32,
    _depth: AtomicU32,
    _cap: u32,
    hash_shift: u32,
    _dropped_open: u32,
    busy: *mut i32,
    cur: AtomicU32,
    up: AtomicU32,
    slow: u32,
}

/// `cprof_hot_node`.
#[repr(C)]
struct HotNode {
    parent: u32,
    region: u32,
    _period: u32,
    open: u32,
    pairs: AtomicU64,
    next_timed: u64,
}

/// What an enter did, for its exit: the untimed call's node and the node
/// it found current (`n` 0: it went another way).
#[derive(Clone, Copy)]
pub struct Entered {
    n: u32,
    pn: u32,
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
unsafe fn node(t: &HotThread, n: u32) -> *const HotNode {
    t.nodes.load(Ordering::Relaxed).add(n as usize * NODE_SIZE) as *const HotNode
}

/// The runtime's "inside" flag: set, a signal handler interrupted the
/// runtime, and the call goes the whole way (and is dropped there).
#[inline(always)]
unsafe fn inside(t: *const HotThread) -> bool {
    ptr::read_volatile((*t).busy) != 0
}

const NOT_UNTIMED: Entered = Entered { n: 0, pn: 0 };
/// A region not measured: its exit does nothing either.
const UNMEASURED: Entered = Entered { n: NO_NODE, pn: 0 };

/// `cprof_hot_enter`: the untimed call's node and the one it found current.
#[inline(always)]
unsafe fn try_enter(id: u32) -> Entered {
    let t = HOT.with(|h| h.get());
    if t.is_null() || inside(t) || (*t).slow != 0 {
        return NOT_UNTIMED;
    }
    let t = &*t;
    let pn = t.cur.load(Ordering::Relaxed);
    let n = *t.node_hash.add(node_hash(pn, id, t.hash_shift));
    let nd = node(t, n);
    // node 0, the root, has region 0 and next_timed 0: it never matches.
    // `pairs` is this call's index (cprof_hot_untimed).
    if (*nd).parent != pn || (*nd).region != id || (*nd).pairs.load(Ordering::Relaxed) >= (*nd).next_timed {
        return NOT_UNTIMED;
    }
    t.cur.store(n, Ordering::Release);
    t.up.store(pn, Ordering::Relaxed);
    Entered { n, pn }
}

/// `cprof_hot_pop`: counted, then cur back to pn (the order and the check
/// make a signal handler's calls in between safe: cprof_hot.h says how).
#[inline(always)]
unsafe fn pop(t: &HotThread, n: u32, pn: u32) {
    let ns = t.nodes.load(Ordering::Relaxed);
    let pairs = &(*(ns.add(n as usize * NODE_SIZE) as *const HotNode)).pairs;
    pairs.store(pairs.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
    compiler_fence(Ordering::SeqCst);
    if t.nodes.load(Ordering::Relaxed) != ns {
        ffi::cprof_hot_pop_fixup(t, ns, n);
    }
    t.cur.store(pn, Ordering::Relaxed);
    t.up.store((*node(t, pn)).parent, Ordering::Relaxed); // the root's is 0
}

/// `cprof_hot_exit`, reading cur: true if done.
#[inline(always)]
unsafe fn try_exit(id: u32) -> bool {
    let t = HOT.with(|h| h.get());
    if t.is_null() || inside(t) || (*t).slow != 0 {
        return false;
    }
    let t = &*t;
    let n = t.cur.load(Ordering::Relaxed);
    if n == NO_NODE {
        return false;
    }
    let nd = node(t, n);
    let pn = t.up.load(Ordering::Relaxed);
    if (*nd).region != id || (*nd).open != 0 || (*nd).parent != pn {
        return false; // another region's call (the root's is 0), a timed one, or up not its parent
    }
    pop(t, n, pn);
    true
}

/// The exit of an untimed call whose enter is `e`: the node and parent are
/// the enter's, so cur is restored without being read first. True if done.
#[inline(always)]
unsafe fn try_exit_entered(e: Entered) -> bool {
    let t = HOT.with(|h| h.get());
    if e.n == 0 || t.is_null() || inside(t) || (*t).slow != 0 {
        return false;
    }
    let t = &*t;
    if t.cur.load(Ordering::Relaxed) != e.n {
        return false; // not the innermost call: the whole way repairs it
    }
    pop(t, e.n, e.pn);
    true
}

/// Enters `site`'s region. A site not resolved yet (id 0) goes the whole
/// way; a region not measured (the high bit) costs a load and a branch.
#[inline(always)]
pub fn enter(site: &'static Site) -> Entered {
    let id = site.id();
    if (id as i32) > 0 {
        let e = unsafe { try_enter(id) };
        if e.n != 0 {
            return e;
        }
    } else if id != 0 {
        return UNMEASURED;
    }
    enter_full(site);
    NOT_UNTIMED
}

/// Exits `site`'s region, reading the innermost call from cur.
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

/// Exits `site`'s region entered as `e`. Small, so that the guard's drop
/// is inlined: everything but an untimed call's exit is out of line.
#[inline(always)]
pub fn exit_entered(site: &'static Site, e: Entered) {
    if e.n == UNMEASURED.n || unsafe { try_exit_entered(e) } {
        return;
    }
    exit_slow(site);
}

#[cold]
#[inline(never)]
fn exit_slow(site: &'static Site) {
    exit(site);
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
