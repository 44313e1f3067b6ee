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
const ABI: u32 = 6;
const NODE_SIZE: usize = 256;
const NO_NODE: u32 = u32::MAX;
/// `CPROF_HOT_KIDS`.
const KIDS: u32 = 16;

/// `cprof_hot_thread`.
#[repr(C)]
pub struct HotThread {
    _stack: *mut u8,
    nodes: AtomicPtr<u8>,
    _node_hash: *const u32,
    _depth: AtomicU32,
    _cap: u32,
    _hash_shift: u32,
    _dropped_open: u32,
    cur: AtomicU32,
    /// Kept by the runtime and the C fast path only: the C exit reads it,
    /// and checks it, so a Rust call that leaves it behind costs a C exit
    /// the whole way at worst (never a wrong count).
    _up: AtomicU32,
    /// Nonzero: every call goes the whole way. Set while the runtime is
    /// busy with this state (a signal handler interrupted it), while the
    /// state is frozen or an enter was dropped, and while cur is not a
    /// node (`NO_NODE`): one test for them all.
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
    kids: [u16; KIDS as usize],
}

/// What an enter did, for its exit: the untimed call's node and the node
/// it found current, or `n` a value cur never holds (the call went the
/// whole way, or is not measured), so the exit's one test of cur tells.
#[derive(Clone, Copy)]
pub struct Entered {
    n: u32,
    pn: u32,
}

/// The state of a thread the runtime has not given one: every call goes
/// the whole way (`slow`), and cur, 0, is no value an exit looks for, so
/// nothing writes it. The fast path need not ask for null.
static NO_STATE: HotThread = HotThread {
    _stack: ptr::null_mut(),
    nodes: AtomicPtr::new(ptr::null_mut()),
    _node_hash: ptr::null(),
    _depth: AtomicU32::new(0),
    _cap: 0,
    _hash_shift: 0,
    _dropped_open: 0,
    cur: AtomicU32::new(0),
    _up: AtomicU32::new(0),
    slow: 1,
};

/// Read by the fast path of every thread, written by none (see NO_STATE).
unsafe impl Sync for HotThread {}

thread_local! {
    /// This thread's state once the runtime has made it; NO_STATE before.
    static HOT: Cell<*const HotThread> = const { Cell::new(&NO_STATE) };
}

#[inline(always)]
unsafe fn node(t: &HotThread, n: u32) -> *const HotNode {
    t.nodes.load(Ordering::Relaxed).add(n as usize * NODE_SIZE) as *const HotNode
}

/// A call that went the whole way: so does its exit. Not a node, nor
/// NO_NODE, nor 0: cur is never this.
const NOT_UNTIMED: Entered = Entered { n: NO_NODE - 1, pn: 0 };
/// A region not measured: its exit does nothing either.
const UNMEASURED: Entered = Entered { n: NO_NODE - 2, pn: 0 };

/// `cprof_hot_enter`: the untimed call's node and the one it found current,
/// or None if the call goes the whole way.
#[inline(always)]
unsafe fn try_enter(id: u32) -> Option<Entered> {
    let t = HOT.with(|h| h.get());
    if (*t).slow != 0 {
        return None;
    }
    let t = &*t;
    let pn = t.cur.load(Ordering::Relaxed); // a node: `slow` is clear
    // One load of the array: a signal handler that grows it in between
    // leaves this the old one, whole and kept (cprof_mem_retire).
    let ns = t.nodes.load(Ordering::Relaxed);
    let at = |n: u32| ns.add(n as usize * NODE_SIZE) as *const HotNode;
    // `cprof_hot_kid`: pn's cache holds only pn's children, so the region
    // tells; node 0, the root, has region 0 and next_timed 0: it never
    // matches. `pairs` is this call's index (cprof_hot_untimed).
    let n = (*at(pn)).kids[(id % KIDS) as usize] as u32;
    let nd = at(n);
    if (*nd).region != id || (*nd).pairs.load(Ordering::Relaxed) >= (*nd).next_timed {
        return None;
    }
    t.cur.store(n, Ordering::Release);
    count(t, ns, &(*nd).pairs, n);
    Some(Entered { n, pn })
}

/// `cprof_hot_count`: the untimed call counted once cur is its node, in
/// the array the enter loaded (the order and the check make a signal
/// handler's calls in between safe: cprof_hot.h says how), so its exit
/// only puts cur back.
#[inline(always)]
unsafe fn count(t: &HotThread, ns: *mut u8, pairs: &AtomicU64, n: u32) {
    pairs.store(pairs.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
    compiler_fence(Ordering::SeqCst);
    if t.nodes.load(Ordering::Relaxed) != ns {
        ffi::cprof_hot_count_fixup(t, ns, n);
    }
}

/// `cprof_hot_exit`, reading cur: true if done.
#[inline(always)]
unsafe fn try_exit(id: u32) -> bool {
    let t = HOT.with(|h| h.get());
    if (*t).slow != 0 {
        return false;
    }
    let t = &*t;
    let n = t.cur.load(Ordering::Relaxed); // a node: `slow` is clear
    let nd = node(t, n);
    if (*nd).region != id || (*nd).open != 0 {
        return false; // another region's call (the root's is 0), or a timed one
    }
    t.cur.store((*nd).parent, Ordering::Relaxed);
    true
}

/// Enters `site`'s region. A site not resolved yet (id 0) goes the whole
/// way (`whole_way`); a region not measured (the high bit) costs a load and
/// a branch.
#[inline(always)]
fn enter_or(site: &'static Site, whole_way: impl FnOnce()) -> Entered {
    let id = site.id();
    if (id as i32) > 0 {
        if let Some(e) = unsafe { try_enter(id) } {
            return e;
        }
    } else if id != 0 {
        return UNMEASURED;
    }
    whole_way();
    NOT_UNTIMED
}

#[inline(always)]
pub fn enter(site: &'static Site) -> Entered {
    enter_or(site, || enter_full(site))
}

/// `enter` for a site named on its first entry (`Site::ensure_named`):
/// the name is made on the way to the runtime, which reads it only there,
/// so an untimed call does not test it.
#[inline(always)]
pub fn enter_lazy<F>(site: &'static Site, nested_fn: F, module: &'static str) -> Entered {
    enter_or(site, || enter_full_named(site, nested_fn, module))
}

#[cold]
#[inline(never)]
fn enter_full_named<F>(site: &'static Site, nested_fn: F, module: &'static str) {
    site.ensure_named(nested_fn, module);
    enter_full(site);
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
/// is inlined: everything but an untimed call's exit is out of line. The
/// untimed call's node and parent are the enter's, so cur is put back
/// without being read first, and one test tells it: cur is its node.
///
/// It does not ask `slow`: an untimed enter found it clear, and the
/// guard's exit runs where its enter ran. A signal handler's calls come
/// and go within it, the runtime's own work calls no user code while busy
/// (that code's enter would find the flag), and a thread's state is frozen
/// (cap 0) only once its code has returned. An inner call left open leaves
/// cur elsewhere, and the whole way repairs it (this call was counted at
/// its enter).
#[inline(always)]
pub fn exit_entered(site: &'static Site, e: Entered) {
    // SAFETY: HOT is NO_STATE or this thread's state, which the runtime
    // keeps for the thread's life.
    let t = unsafe { &*HOT.with(|h| h.get()) };
    if t.cur.load(Ordering::Relaxed) == e.n {
        t.cur.store(e.pn, Ordering::Relaxed);
        return;
    }
    if e.n != UNMEASURED.n {
        exit_slow(site);
    }
}

/// A call that went the whole way (timed, most of the time: its frame is
/// the runtime's), or one that is not the innermost: the runtime's exit,
/// with no second try at the fast path (with every call timed, that try
/// cost a Rust pair about 2 ns more than a C one: CPROF_THROTTLE=off read
/// +134% on bench/tiny).
#[cold]
#[inline(never)]
fn exit_slow(site: &'static Site) {
    unsafe { ffi::cprof_exit_full(site.raw()) };
}

#[cold]
#[inline(never)]
fn enter_full(site: &'static Site) {
    unsafe { ffi::cprof_enter_full(site.raw()) };
    HOT.with(|h| {
        if ptr::eq(h.get(), &NO_STATE) {
            let t = unsafe { ffi::cprof_hot_self(ABI) };
            if !t.is_null() {
                h.set(t);
            }
        }
    });
}
