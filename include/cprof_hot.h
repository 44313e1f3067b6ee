/*
 * cprof_hot.h: the inline fast path of cprof_enter and cprof_exit, and the
 * part of libcprof's per-thread state it reads. Included by cprof.h; not an
 * API of its own.
 *
 * Why inline: a throttled call that is not timed is only counted (throttle.c),
 * a few loads and stores, and an out-of-line call doubled what it cost the
 * code around it (the call, the caller's saved registers). So C and C++ code
 * does the untimed pair, and a region CPROF_REGIONS leaves out, at the call
 * site, and calls into the runtime for everything else (a site's first
 * entry, a timed call, a new call path, a full stack, a signal handler's
 * call). The Rust crate does the same from the same layout
 * (proc-macro-shim/cprof/src/hot.rs), which it checks at run time against
 * CPROF_HOT_ABI (cprof_hot_self).
 *
 * The layout is private to the runtime and its bindings: it changes with
 * CPROF_HOT_ABI, and runtime/internal.h asserts it field by field.
 * Define CPROF_NO_INLINE before including cprof.h for plain calls.
 */
#ifndef CPROF_HOT_H
#define CPROF_HOT_H

#include <signal.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CPROF_HOT_ABI 1u
/* Strides of the runtime's frames and call-tree nodes. */
#define CPROF_HOT_FRAME_SIZE 256u
#define CPROF_HOT_NODE_SIZE 256u

/* may_alias: the runtime writes the same memory through its own types. */
typedef struct __attribute__((may_alias)) cprof_hot_frame {
    uint32_t id, node;        /* site id; the call-tree node of the call */
    uint32_t timed;           /* 0: an untimed call */
    uint32_t pad_;
    uint64_t t0, kids_timed, kids_untimed;
} cprof_hot_frame;

typedef struct __attribute__((may_alias)) cprof_hot_node {
    uint32_t parent, region;
    uint32_t countdown, period;   /* countdown > 1: the next call is not timed */
    uint64_t pairs, incomplete;
} cprof_hot_node;

/* The head of the runtime's cprof_thread. */
typedef struct __attribute__((may_alias)) cprof_hot_thread {
    char *stack;              /* frames; stack - CPROF_HOT_FRAME_SIZE is the root's */
    char *nodes;
    const uint32_t *node_hash;    /* (parent node, site id) -> node, first slot */
    uint32_t depth, cap;      /* cap 0: every call goes the whole way */
    uint32_t hash_shift;
    uint32_t dropped_open;    /* nonzero: exits go the whole way */
    volatile sig_atomic_t *busy;  /* the thread's cprof_busy, for bindings */
} cprof_hot_thread;

struct cprof_thread;
/* The calling thread's state (NULL until its first call), and its "inside
 * the runtime" flag: set around every change to that state, so a signal
 * handler's call in between goes the whole way and is dropped there. */
extern __thread struct cprof_thread *cprof_tls
    __attribute__((tls_model("initial-exec"), visibility("default")));
extern __thread volatile sig_atomic_t cprof_busy
    __attribute__((tls_model("initial-exec"), visibility("default")));

/* The calling thread's state as the fast path reads it, if abi is
 * CPROF_HOT_ABI and the thread has one; else NULL. For bindings, which
 * cannot read the runtime's thread-local variables. */
const cprof_hot_thread *cprof_hot_self(uint32_t abi);

/* The whole way, out of line (region.c). */
void cprof_enter_full(struct cprof_site *site);
void cprof_exit_full(struct cprof_site *site);

/* The home slot of (parent, region) in a table of 2^(64 - shift) slots:
 * the top bits of a Fibonacci hash of both (the low bits of a product
 * depend only on the low bits of the key: nodes 3 and 13 would share). */
static inline uint32_t cprof_node_hash(uint32_t parent, uint32_t region, uint32_t shift)
{
    return (uint32_t)(((uint64_t)parent << 32 | region) * 0x9E3779B97F4A7C15ull >> shift);
}

/* depth -1 is the root's frame. */
static inline __attribute__((always_inline)) cprof_hot_frame *cprof_hot_frame_at(const cprof_hot_thread *t,
                                                                                 intptr_t depth)
{
    return (cprof_hot_frame *)(t->stack + depth * (intptr_t)CPROF_HOT_FRAME_SIZE);
}

static inline __attribute__((always_inline)) cprof_hot_node *cprof_hot_node_at(const cprof_hot_thread *t,
                                                                               uint32_t n)
{
    return (cprof_hot_node *)(t->nodes + (uintptr_t)n * CPROF_HOT_NODE_SIZE);
}

#define CPROF_HOT_BUSY() (cprof_busy = 1, __atomic_signal_fence(__ATOMIC_SEQ_CST))
#define CPROF_HOT_IDLE() (__atomic_signal_fence(__ATOMIC_SEQ_CST), cprof_busy = 0)

/* The node of a call of `id` inside p if it is in its first slot of the
 * lookup table (kept at most a quarter full, and the hot paths moved to
 * the front: it mostly is); 0 if not. Node 0, the root, has region 0: it
 * is no one's child. One probe serves a loop that calls one child again
 * and again, a caller that calls several in turn and recursion alike. */
static inline __attribute__((always_inline)) uint32_t cprof_hot_first_slot(const cprof_hot_thread *t,
                                                                           const cprof_hot_frame *p, uint32_t id)
{
    uint32_t n = t->node_hash[cprof_node_hash(p->node, id, t->hash_shift)];
    const cprof_hot_node *nd = cprof_hot_node_at(t, n);
    return nd->parent == p->node && nd->region == id ? n : 0;
}

/* A throttled node's call that is not timed: counted, no clock, no counters. */
static inline __attribute__((always_inline)) int cprof_hot_untimed(const cprof_hot_node *nd)
{
    return nd->countdown > 1;
}

/* An untimed call: its node counts down, its frame at `depth` is pushed
 * (so its children are its own in the tree) and its parent frame counts
 * it. The frame is whole before the depth that publishes it (release),
 * for a dump on another thread. */
static inline __attribute__((always_inline)) void cprof_hot_push_untimed(cprof_hot_thread *t, uint32_t depth,
                                                                         uint32_t id, uint32_t n)
{
    cprof_hot_frame *f = cprof_hot_frame_at(t, depth), *p = cprof_hot_frame_at(t, (intptr_t)depth - 1);
    cprof_hot_node_at(t, n)->countdown--;
    __atomic_store_n(&f->id, id, __ATOMIC_RELAXED);
    __atomic_store_n(&f->node, n, __ATOMIC_RELAXED);
    __atomic_store_n(&f->timed, 0, __ATOMIC_RELAXED);
    p->kids_untimed++;
    __atomic_store_n(&t->depth, depth + 1, __ATOMIC_RELEASE);
}

/*
 * The enter of an untimed call of a throttled call path, if the path is
 * in its first slot: 1 if done, 0 if the call must go the whole way.
 * Under the busy flag, so a signal handler's call in between is dropped
 * (cprof_enter_full) instead of pushing onto a half-pushed frame.
 */
static inline __attribute__((always_inline)) int cprof_hot_enter(uint32_t id)
{
    cprof_hot_thread *t = (cprof_hot_thread *)cprof_tls;
    if (__builtin_expect(!t || cprof_busy, 0))
        return 0;
    CPROF_HOT_BUSY();
    uint32_t depth = t->depth, n = 0;
    if (__builtin_expect(depth < t->cap, 1)) {
        n = cprof_hot_first_slot(t, cprof_hot_frame_at(t, (intptr_t)depth - 1), id);
        if (cprof_hot_untimed(cprof_hot_node_at(t, n)))   /* the root's (n 0) countdown is 0 */
            cprof_hot_push_untimed(t, depth, id, n);
        else
            n = 0;
    }
    CPROF_HOT_IDLE();
    return n != 0;
}

/* The exit of an untimed call: counted, nothing read. 1 if done. */
static inline __attribute__((always_inline)) int cprof_hot_exit(uint32_t id)
{
    cprof_hot_thread *t = (cprof_hot_thread *)cprof_tls;
    if (__builtin_expect(!t || cprof_busy, 0))
        return 0;
    CPROF_HOT_BUSY();
    uint32_t depth = t->depth - 1;
    int done = 0;
    /* depth 0 wraps: 0xffffffff >= cap */
    if (__builtin_expect(depth < t->cap && !t->dropped_open, 1)) {
        const cprof_hot_frame *f = cprof_hot_frame_at(t, depth);
        if (f->id == id && !f->timed) {
            cprof_hot_node *nd = cprof_hot_node_at(t, f->node);
            __atomic_store_n(&t->depth, depth, __ATOMIC_RELAXED);
            __atomic_store_n(&nd->pairs, nd->pairs + 1, __ATOMIC_RELAXED);
            done = 1;
        }
    }
    CPROF_HOT_IDLE();
    return done;
}

/* A site not resolved yet (id 0) goes the whole way; a region not
 * measured (the CPROF_ID_OFF bit) costs a load and a branch. */
static inline __attribute__((always_inline)) void cprof_enter_inline(struct cprof_site *site)
{
    uint32_t id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
    if (__builtin_expect((int32_t)id > 0, 1)) {
        if (__builtin_expect(cprof_hot_enter(id), 1))
            return;
    } else if (id) {
        return;
    }
    cprof_enter_full(site);
}

static inline __attribute__((always_inline)) void cprof_exit_inline(struct cprof_site *site)
{
    uint32_t id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
    if (__builtin_expect((int32_t)id > 0, 1)) {
        if (__builtin_expect(cprof_hot_exit(id), 1))
            return;
    } else if (id) {
        return;
    }
    cprof_exit_full(site);
}

#ifdef __cplusplus
}
#endif
#endif /* CPROF_HOT_H */
