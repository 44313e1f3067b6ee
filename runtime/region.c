/*
 * region.c: the hot path. cprof_enter/cprof_exit take no lock, make no system
 * call (the TSC or the vDSO clock), allocate nothing once the thread has seen
 * its call paths and hash no string (the site caches its id). They touch one
 * frame and one call-tree node; everything else is derived at dump time.
 * Everything unusual (first call, growth, unbalanced exits) is a cold call.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "internal.h"

static inline uint32_t node_child(cprof_thread *t, uint32_t parent, uint32_t region)
{
    if (CPROF_UNLIKELY(parent == CPROF_NO_NODE))
        return CPROF_NO_NODE;
    uint32_t mask = t->hash_mask;
    for (uint32_t i = cprof_node_hash(parent, region) & mask;; i = (i + 1) & mask) {
        uint32_t n = t->node_hash[i];
        if (!n)
            return cprof_node_child_slow(t, parent, region);
        if (t->nodes[n].parent == parent && t->nodes[n].region == region)
            return n;
    }
}

/* The caller made room: the stack has a free frame. The frame is whole
 * before the depth that covers it is published (release: a plain store on
 * x86-64), so a dump on another thread never reads it half-written. */
static inline __attribute__((always_inline)) cprof_frame *push_frame(cprof_thread *t, uint32_t id,
                                                                     uint64_t now)
{
    cprof_frame *f = &t->stack[t->depth];
    cprof_frame *p = t->depth ? f - 1 : NULL;
    uint32_t *last_region = p ? &p->last_region : &t->root_last_region;
    uint32_t *last_node = p ? &p->last_node : &t->root_last_node;
    uint32_t node;
    if (CPROF_LIKELY(*last_region == id)) {
        node = *last_node;
    } else {
        node = node_child(t, p ? p->node : 0, id);
        *last_region = node != CPROF_NO_NODE ? id : 0;   /* out of memory: ask again next time */
        *last_node = node;
    }
    CPROF_STORE(&f->id, id);
    CPROF_STORE(&f->node, node);
    CPROF_STORE(&f->t0, now);
    f->last_region = 0;
    __atomic_store_n(&t->depth, t->depth + 1, __ATOMIC_RELEASE);
    return f;
}

/*
 * The clock is read first: rdtsc is slow but not serialising, so the
 * bookkeeping and the counter read run in its shadow (measured here: time
 * only 34 -> 24 ns a pair, one sde event ~85 -> ~66 ns). What this adds
 * inside the region is the calibrated "ns_inside" that reports subtract.
 */
static inline __attribute__((always_inline)) void enter_frame(cprof_thread *t, uint32_t id)
{
    uint64_t now = cprof_now();
    cprof_frame *f = push_frame(t, id, now);
    cprof_builtin_read(t, f->c0);
    /* Last, and its result unused: a tail call, so enter keeps nothing live
     * across PAPI (no registers to save). A failed read means the event set
     * is gone, and then the exit's read fails too and adds nothing. */
    if (t->nread)
        (void)cprof_papi_read(t->eventset, f->c0);
}

/* What the counters advanced by between the frame's enter and c1: the PAPI
 * ones read now, and the built-in ones after them. */
static inline __attribute__((always_inline)) void
add_counters(const cprof_thread *t, cprof_node *n, const cprof_frame *f, const long long *c1)
{
    for (int e = 0; e < t->nread; e++)
        CPROF_STORE(&n->c_incl[e], n->c_incl[e] + (c1[e] - f->c0[e]));
    for (int e = cprof_n_active; e < cprof_n_active + t->nbuiltin; e++)
        CPROF_STORE(&n->c_incl[e], n->c_incl[e] + (c1[e] - f->c0[e]));
}

static inline __attribute__((always_inline)) void
close_frame(cprof_thread *t, cprof_node *nodes, uint64_t t1, const long long *c1, int complete)
{
    uint32_t depth = t->depth - 1;
    CPROF_STORE(&t->depth, depth);
    cprof_frame *f = &t->stack[depth];
    if (CPROF_UNLIKELY(f->node == CPROF_NO_NODE))
        return;
    cprof_node *n = &nodes[f->node];
    uint64_t d = t1 > f->t0 ? t1 - f->t0 : 0;
    CPROF_STORE(&n->pairs, n->pairs + 1);
    CPROF_STORE(&n->incl, n->incl + d);
    if (complete) {
        uint64_t calls = n->calls;
        CPROF_STORE(&n->calls, calls + 1);
        if (calls == 0 || d < n->min)
            CPROF_STORE(&n->min, d);
        if (d > n->max)
            CPROF_STORE(&n->max, d);
    }
    if (c1)
        add_counters(t, n, f, c1);
}

void cprof_close_frame(cprof_thread *t, cprof_node *nodes, uint64_t t1, const long long *c1,
                       int complete)
{
    close_frame(t, nodes, t1, c1, complete);
}

/*
 * The cold paths start PAPI, allocate or warn: the program's errno must come
 * out of every API call as it went in (the hot path makes no system call).
 */
static CPROF_COLD uint32_t resolve_keeping_errno(cprof_site *site)
{
    int saved = errno;
    uint32_t id = cprof_registry_resolve(site);
    errno = saved;
    return id;
}

static CPROF_COLD void enter_slow(uint32_t id)
{
    int saved = errno;
    cprof_thread *t = cprof_thread_current();
    if (t && cprof_thread_reserve(t) != 0) {
        CPROF_STORE(&t->dropped, t->dropped + 1);
        t->dropped_open++;   /* its exit will be skipped, not mismatched */
    } else if (t) {
        enter_frame(t, id);
    }
    errno = saved;
}

static inline __attribute__((always_inline)) void enter_site(cprof_site *site)
{
    uint32_t id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
    if (CPROF_UNLIKELY(id == 0))
        id = resolve_keeping_errno(site);
    if (id & CPROF_ID_OFF)
        return;
    cprof_thread *t = cprof_tls;
    if (CPROF_UNLIKELY(!t || t->depth >= t->cap)) {
        enter_slow(id);
        return;
    }
    enter_frame(t, id);
}

/*
 * A call that finds the thread already inside the runtime comes from a
 * signal handler that interrupted it there: dropped and counted, since the
 * interrupted bookkeeping (a frame half pushed, a lock held, PAPI inside its
 * read) cannot be entered again. Its exit, in the same handler, finds the
 * flag set too and is dropped with it.
 */
CPROF_API void cprof_enter(cprof_site *site)
{
    if (CPROF_UNLIKELY(cprof_busy)) {
        cprof_count_reentrant();
        return;
    }
    CPROF_BUSY_ENTER();
    enter_site(site);
    CPROF_BUSY_LEAVE();
}

static int warned_unbalanced;

/* The exit does not match the innermost frame: repair the stack and say so once. */
static void exit_mismatch_body(cprof_site *site, uint32_t id, uint64_t t1, int complete);

static CPROF_COLD void exit_mismatch(cprof_site *site, uint32_t id, uint64_t t1, int complete)
{
    int saved = errno;
    exit_mismatch_body(site, id, t1, complete);
    errno = saved;
}

static void exit_mismatch_body(cprof_site *site, uint32_t id, uint64_t t1, int complete)
{
    cprof_thread *t = cprof_thread_current();
    if (!t)
        return;
    if (t->dropped_open) {
        t->dropped_open--;
        return;
    }
    long long c1[CPROF_MAX_EVENTS];
    cprof_counters_read(t, c1);
    uint32_t k = t->depth;
    while (k > 0 && t->stack[k - 1].id != id)
        k--;
    CPROF_STORE(&t->unbalanced, t->unbalanced + 1);
    const char *top = "nothing";
    cprof_region_info info;
    if (t->depth && cprof_registry_get(t->stack[t->depth - 1].id, &info))
        top = info.name;
    cprof_warn_once(&warned_unbalanced,
                    "unbalanced cprof_exit(\"%s\") at %s:%d: the innermost open region is %s%s%s; "
                    "%s (counted in the dump's errors.unbalanced; further warnings suppressed)",
                    site->name ? site->name : "?", site->file ? site->file : "?", site->line,
                    t->depth ? "\"" : "", top, t->depth ? "\"" : "",
                    k ? "the regions opened inside it were closed with it" : "the exit was ignored");
    if (k == 0)
        return;
    /* Regions left open inside it end here too, as incomplete calls. */
    while (t->depth > k)
        close_frame(t, t->nodes, t1, c1, 0);
    close_frame(t, t->nodes, t1, c1, complete);
}

static inline __attribute__((always_inline)) void exit_site(cprof_site *site, int complete)
{
    uint32_t id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
    if (CPROF_UNLIKELY(id == 0))   /* a twin of a site entered elsewhere (same name, file, line) */
        id = resolve_keeping_errno(site);
    if (id & CPROF_ID_OFF)
        return;
    uint64_t t1 = cprof_now();  /* first: the region's own figures leave out our work */
    cprof_thread *t = cprof_tls;
    if (CPROF_UNLIKELY(!t || t->depth == 0 || t->stack[t->depth - 1].id != id ||
                       t->dropped_open)) {
        exit_mismatch(site, id, t1, complete);
        return;
    }
    if (!t->nread && !t->nbuiltin) {
        close_frame(t, t->nodes, t1, NULL, complete);
        return;
    }
    /* With counters: the frame's time figures first, then one read, then
     * the counter deltas into the node. Fewer values live across PAPI_read
     * (the node and the frame), so less to save and restore around it. */
    uint32_t depth = t->depth - 1;
    cprof_frame *f = &t->stack[depth];
    uint32_t node = f->node;
    close_frame(t, t->nodes, t1, NULL, complete);
    long long c1[CPROF_MAX_EVENTS];
    cprof_builtin_read(t, c1);
    if (t->nread && CPROF_UNLIKELY(cprof_papi_read(t->eventset, c1) != PAPI_OK))
        return;
    if (node != CPROF_NO_NODE)
        add_counters(t, &t->nodes[node], f, c1);   /* the frame stays intact until the next enter */
}

CPROF_API void cprof_exit(cprof_site *site)
{
    if (CPROF_UNLIKELY(cprof_busy))
        return;
    CPROF_BUSY_ENTER();
    exit_site(site, 1);
    CPROF_BUSY_LEAVE();
}

CPROF_API void cprof_exit_pending(cprof_site *site)
{
    if (CPROF_UNLIKELY(cprof_busy))
        return;
    CPROF_BUSY_ENTER();
    exit_site(site, 0);
    CPROF_BUSY_LEAVE();
}
