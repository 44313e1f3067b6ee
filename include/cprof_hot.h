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
 * call).
 *
 * An untimed call has no frame: the thread's `cur` is the node of the
 * innermost open call, an untimed enter moves it to the child's node and
 * counts the call there, and the exit moves it back. Frames are for timed calls
 * only (clock, counters), each holding the `cur` it found. What a pair
 * cost in situ was mostly a chain of dependent loads and stores through
 * the thread's state (bench/hot_chain.c): this keeps it to `cur`, and a
 * binding whose exit knows what the enter saw (the Rust guard) restores it
 * without reading it. The Rust crate does the same from the same layout
 * (proc-macro-shim/cprof/src/hot.rs), which it checks at run time against
 * CPROF_HOT_ABI (cprof_hot_self).
 *
 * The layout is private to the runtime and its bindings: it changes with
 * CPROF_HOT_ABI, and runtime/internal.h asserts it field by field.
 * Define CPROF_NO_INLINE before including cprof.h for plain calls.
 */
#ifndef CPROF_HOT_H
#define CPROF_HOT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CPROF_HOT_ABI 6u
/* The stride of the runtime's call-tree nodes. */
#define CPROF_HOT_NODE_SIZE 256u
/* A node's cache of its children: slots, and the nodes it can hold. */
#define CPROF_HOT_KIDS 16u
#define CPROF_HOT_KID_MAX 65535u

/* may_alias: the runtime writes the same memory through its own types. */
typedef struct __attribute__((may_alias)) cprof_hot_node {
    uint32_t parent, region;  /* region: the site id of its calls */
    uint32_t period;
    uint32_t open;            /* 1 while a timed call of it is open (it has a frame) */
    uint64_t pairs;           /* its calls so far: the next one's index */
    uint64_t next_timed;      /* the index of its next timed call */
    /* children it called, by site id % CPROF_HOT_KIDS (0: none; nodes past
     * CPROF_HOT_KID_MAX are not cached): the fast path's lookup, written
     * by the runtime, read here (cprof_hot_kid) */
    uint16_t kids[CPROF_HOT_KIDS];
} cprof_hot_node;

/* The head of the runtime's cprof_thread. */
typedef struct __attribute__((may_alias)) cprof_hot_thread {
    char *stack;              /* the timed calls' frames (not read here) */
    char *nodes;
    const uint32_t *node_hash;    /* the runtime's (not read here) */
    uint32_t depth, cap;      /* timed frames open; cap 0: every call goes the whole way */
    uint32_t hash_shift;      /* the runtime's (not read here) */
    uint32_t dropped_open;    /* nonzero: exits go the whole way */
    uint32_t cur;             /* the innermost open call's node (0: none; CPROF_HOT_NO_NODE: one not made) */
    uint32_t up;              /* cur's node's parent: cur once that call ends (so the C exit, which
                               * has no guard, does not wait on loading cur and then its node) */
    /* nonzero: every call goes the whole way, and the fast path asks nothing
     * else. A byte per reason (runtime/internal.h): the runtime is changing
     * this state (its busy section: a signal handler interrupted it); cap 0
     * (no lookup table) or dropped_open (enters dropped, their exits to be
     * skipped); cur is CPROF_HOT_NO_NODE. One test for all three. */
    uint32_t slow;
} cprof_hot_thread;

#define CPROF_HOT_NO_NODE UINT32_MAX

struct cprof_thread;
/* The thread state's symbol carries CPROF_HOT_ABI (cprof_tls_abi6u): a
 * program whose inline fast path was built for another layout or another
 * way of counting fails to load against this libcprof (an undefined
 * symbol) rather than count wrong. */
#define CPROF_HOT_PASTE_(a, b) a##b
#define CPROF_HOT_SYM_(a, b) CPROF_HOT_PASTE_(a, b)
#define cprof_tls CPROF_HOT_SYM_(cprof_tls_abi, CPROF_HOT_ABI)
/* The calling thread's state (NULL until its first call). The untimed
 * enter and exit below take no flag of their own: the runtime's busy
 * section sets `slow`, and their order makes a handler's calls in between
 * safe (cprof_hot_push, cprof_hot_pop). */
extern __thread struct cprof_thread *cprof_tls
    __attribute__((tls_model("initial-exec"), visibility("default")));

/* A signal handler's calls ran inside an untimed enter and moved the
 * nodes: the count goes where the nodes are now (region.c). Cold. */
void cprof_hot_count_fixup(cprof_hot_thread *t, char *nodes_seen, uint32_t n);

/* The calling thread's state as the fast path reads it, if abi is
 * CPROF_HOT_ABI and the thread has one; else NULL. For bindings, which
 * cannot read the runtime's thread-local variables. */
const cprof_hot_thread *cprof_hot_self(uint32_t abi);

/* The whole way, out of line (region.c); CPROF_SCOPE's enter takes the
 * second, which marks its region a scope's (calibrated apart). */
void cprof_enter_full(struct cprof_site *site);
void cprof_enter_scope_full(struct cprof_site *site);
void cprof_exit_full(struct cprof_site *site);

static inline __attribute__((always_inline)) cprof_hot_node *cprof_hot_node_in(char *nodes, uint32_t n)
{
    return (cprof_hot_node *)(void *)(nodes + (uintptr_t)n * CPROF_HOT_NODE_SIZE);   /* nodes are aligned */
}

static inline __attribute__((always_inline)) cprof_hot_node *cprof_hot_node_at(const cprof_hot_thread *t,
                                                                               uint32_t n)
{
    return cprof_hot_node_in(t->nodes, n);
}

/* Tests only (tests/runtime/test_hot_race.c): runs a signal handler's
 * calls at each point of an untimed enter and exit where one may come. */
#ifndef CPROF_HOT_TEST_HOOK
#define CPROF_HOT_TEST_HOOK(point) ((void)0)
#endif

/* The node of a call of `id` inside node pn (a node: not
 * CPROF_HOT_NO_NODE) if pn's cache has it (the slot id % CPROF_HOT_KIDS),
 * else 0: the runtime's lookup table is not read here. Node 0, the root,
 * has region 0: it is no one's child, and a slot holds only pn's
 * children, so the region alone tells. One load
 * from pn's node and one from the child's, no hash: a loop that calls
 * one child again and again, a caller that calls several in turn and
 * recursion alike find it. */
static inline __attribute__((always_inline)) uint32_t cprof_hot_kid_in(char *nodes, uint32_t pn, uint32_t id)
{
    uint32_t n = cprof_hot_node_in(nodes, pn)->kids[id % CPROF_HOT_KIDS];
    return __builtin_expect(cprof_hot_node_in(nodes, n)->region == id, 1) ? n : 0;
}

static inline __attribute__((always_inline)) uint32_t cprof_hot_kid(const cprof_hot_thread *t, uint32_t pn,
                                                                    uint32_t id)
{
    return cprof_hot_kid_in(t->nodes, pn, id);
}

/* A throttled node's call that is not timed: counted, no clock, no counters.
 * A node is never open twice on one stack (a recursive call is a child
 * node), so at its enter `pairs` is the call's index. */
static inline __attribute__((always_inline)) int cprof_hot_untimed(const cprof_hot_node *nd)
{
    return nd->pairs < nd->next_timed;
}

/*
 * The count of an untimed call whose enter has just made node n current
 * (nd, in the array ns the enter found it in), so the exit only puts cur
 * back. It comes after cur moved, so a handler's calls in between are this
 * call's children, never its node. If a handler moved the nodes since the
 * enter loaded them, the count is carried over (cprof_hot_count_fixup).
 */
static inline __attribute__((always_inline)) void cprof_hot_count(cprof_hot_thread *t, char *ns,
                                                                  cprof_hot_node *nd, uint32_t n)
{
    CPROF_HOT_TEST_HOOK(1);
    uint64_t pairs = __atomic_load_n(&nd->pairs, __ATOMIC_RELAXED);
    CPROF_HOT_TEST_HOOK(2);
    __atomic_store_n(&nd->pairs, pairs + 1, __ATOMIC_RELAXED);
    CPROF_HOT_TEST_HOOK(3);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (__builtin_expect(__atomic_load_n(&t->nodes, __ATOMIC_RELAXED) != ns, 0))
        cprof_hot_count_fixup(t, ns, n);
}

/*
 * The enter of an untimed call of a throttled call path, if its parent's
 * cache holds it: its node (cur moves there, and it is counted; *pn is
 * the node it found current), or 0 if the call must go the whole way.
 * Inside the runtime (`slow`'s busy byte: a handler interrupted it) it is
 * not done: cprof_enter_full drops the call. `slow` clear, cur is a node.
 *
 * No busy flag of its own: its one store to the thread is the change. A
 * signal handler's calls before it are siblings, balanced by the time it
 * runs; after it, children of this call. The nodes are loaded once: a
 * handler that grows them leaves this the old array, whole and kept.
 */
static inline __attribute__((always_inline)) uint32_t cprof_hot_push(uint32_t id, cprof_hot_thread **tp,
                                                                     uint32_t *pn, int keep_up)
{
    cprof_hot_thread *t = (cprof_hot_thread *)cprof_tls;
    if (__builtin_expect(!t || t->slow, 0))
        return 0;
    uint32_t p = t->cur;   /* then the nodes: an array at least as new as p */
    char *ns = __atomic_load_n(&t->nodes, __ATOMIC_RELAXED);
    uint32_t n = cprof_hot_kid_in(ns, p, id);
    cprof_hot_node *nd = cprof_hot_node_in(ns, n);
    if (__builtin_expect(!cprof_hot_untimed(nd), 0))   /* the root's (n 0) next_timed is 0 */
        return 0;
    CPROF_HOT_TEST_HOOK(0);
    __atomic_store_n(&t->cur, n, __ATOMIC_RELEASE);   /* a dump on another thread reads it */
    if (keep_up)
        t->up = p;   /* a handler's calls in between restore cur and up as they found them */
    cprof_hot_count(t, ns, nd, n);
    *tp = t;
    *pn = p;
    return n;
}

/* cprof_hot_push for cprof_enter, whose exit reads cur and up (up: so a
 * plain exit does not wait on loading cur and then its node). */
static inline __attribute__((always_inline)) uint32_t cprof_hot_enter(uint32_t id)
{
    cprof_hot_thread *t;
    uint32_t pn;
    return cprof_hot_push(id, &t, &pn, 1);
}

/* The exit of an untimed call of node n, whose enter found cur at pn and
 * counted it: cur back to pn, and up to pn's parent. */
static inline __attribute__((always_inline)) void cprof_hot_pop_up(cprof_hot_thread *t, uint32_t pn, uint32_t up)
{
    CPROF_HOT_TEST_HOOK(4);
    __atomic_store_n(&t->cur, pn, __ATOMIC_RELAXED);
    t->up = up;
}

/* cprof_hot_pop_up for a plain exit, which finds pn's parent in its node. */
static inline __attribute__((always_inline)) void cprof_hot_pop(cprof_hot_thread *t, uint32_t pn)
{
    cprof_hot_pop_up(t, pn, cprof_hot_node_at(t, pn)->parent);   /* the root's is 0 */
}

/* The exit of an untimed call, read from cur (C has no guard): 1 if done. */
static inline __attribute__((always_inline)) int cprof_hot_exit(uint32_t id)
{
    cprof_hot_thread *t = (cprof_hot_thread *)cprof_tls;
    if (__builtin_expect(!t || t->slow, 0))
        return 0;
    uint32_t n = t->cur;   /* a node: `slow` is set while cur is CPROF_HOT_NO_NODE */
    const cprof_hot_node *nd = cprof_hot_node_at(t, n);
    uint32_t pn = t->up;
    /* another region's call (the root's is 0), a timed one, or up not cur's
     * parent (a handler's calls between the enter's two stores) */
    if (__builtin_expect(nd->region != id || nd->open || nd->parent != pn, 0))
        return 0;
    cprof_hot_pop(t, pn);
    return 1;
}

/* A site not resolved yet (id 0) goes the whole way; a region not
 * measured (the CPROF_ID_OFF bit) costs a load and a branch. */
static inline __attribute__((always_inline)) void cprof_enter_inline(struct cprof_site *site)
{
    uint32_t id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
    if (__builtin_expect((int32_t)id > 0, 1)) {
        if (__builtin_expect(cprof_hot_enter(id) != 0, 1))
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

/*
 * A region that ends with its block (CPROF_SCOPE, cprof.h). Its exit knows
 * what its enter saw, as the Rust guard does (proc-macro-shim/cprof/src/
 * hot.rs): cur is put back without being read first, and `slow` is not
 * asked (the enter found it clear, and a block's cleanup runs where the
 * block ran). The enter leaves `up` alone (only a plain exit reads it, and no plain exit is this call's) and keeps it, so
 * the exit puts it back for the caller's plain exit without loading a
 * node. n: the untimed call's node; 0, it went the whole way;
 * CPROF_HOT_NO_NODE, its region is not measured.
 */
typedef struct cprof_scope {
    struct cprof_site *site;
    uint32_t n, pn, up;
} cprof_scope;

static inline __attribute__((always_inline)) cprof_scope cprof_scope_enter(struct cprof_site *site)
{
    uint32_t id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
    if (__builtin_expect((int32_t)id > 0, 1)) {
        cprof_hot_thread *t;
        uint32_t pn, n = cprof_hot_push(id, &t, &pn, 0);
        if (__builtin_expect(n != 0, 1))
            return (cprof_scope){ site, n, pn, t->up };
    } else if (id) {
        return (cprof_scope){ site, CPROF_HOT_NO_NODE, 0, 0 };
    }
    cprof_enter_scope_full(site);
    return (cprof_scope){ site, 0, 0, 0 };
}

static inline __attribute__((always_inline)) void cprof_scope_exit(cprof_scope *s)
{
    if (__builtin_expect(s->n - 1u < CPROF_HOT_NO_NODE - 1u, 1)) {   /* untimed */
        cprof_hot_thread *t = (cprof_hot_thread *)cprof_tls;   /* not NULL: the enter found it */
        if (__builtin_expect(__atomic_load_n(&t->cur, __ATOMIC_RELAXED) == s->n, 1)) {
            cprof_hot_pop_up(t, s->pn, s->up);
            return;
        }
    } else if (s->n) {
        return;   /* not measured */
    }
    cprof_exit_full(s->site);   /* timed, or not the innermost call: the whole way repairs it */
}

#ifdef __cplusplus
}
#endif
#endif /* CPROF_HOT_H */
