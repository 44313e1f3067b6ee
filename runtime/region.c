/*
 * region.c: the hot path. cprof_enter/cprof_exit take no lock, make no system
 * call (the TSC or the vDSO clock), allocate nothing once the thread has seen
 * its call paths and hash no string (the site caches its id). They touch the
 * thread's cur, one call-tree node and, for a timed call, one frame;
 * everything else is derived at dump time. Everything unusual (first call,
 * growth, unbalanced exits) is a cold call.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "internal.h"

/* The node of a call of `id` inside node pn if pn's cache has it
 * (cprof_hot.h), or if it is in its first slot of the lookup table (kept
 * at most a quarter full, and the hot paths moved to the front: it mostly
 * is); 0 if neither. */
static inline __attribute__((always_inline)) uint32_t first_slot(const cprof_thread *t, uint32_t pn, uint32_t id)
{
    if (CPROF_UNLIKELY(pn == CPROF_NO_NODE))
        return 0;   /* find_node makes none inside it */
    uint32_t n = cprof_hot_kid((const cprof_hot_thread *)t, pn, id);
    if (n)
        return n;
    n = t->node_hash[cprof_node_hash(pn, id, t->hash_shift)];
    return t->nodes[n].parent == pn && t->nodes[n].region == id ? n : 0;
}

/* pn's cache of its children (what the fast path reads) takes node, unless
 * its slot holds one called more: two that share a slot do not trade at
 * every call, the colder goes the whole way. */
static inline __attribute__((always_inline)) void cache_kid(cprof_thread *t, uint32_t pn, uint32_t id,
                                                            uint32_t node)
{
    if (pn == CPROF_NO_NODE || node > CPROF_HOT_KID_MAX)   /* CPROF_NO_NODE too */
        return;
    uint16_t *slot = &t->nodes[pn].kids[id % CPROF_HOT_KIDS];
    if (*slot != node && (!*slot || t->nodes[*slot].pairs < t->nodes[node].pairs))
        *slot = (uint16_t)node;
}

/* A node found past its first slot trades places with the one there if
 * it has been called more, so the hot paths are where the hot path looks
 * (two as hot that share a slot do not trade at every call). Both stay
 * findable: every slot between the two is taken (no node is ever
 * removed), so the one moved out is still on its own probe run. */
static void move_to_front(cprof_thread *t, uint32_t home, uint32_t at)
{
    uint32_t n = t->node_hash[at], m = t->node_hash[home];
    if (t->nodes[n].pairs <= t->nodes[m].pairs)
        return;
    t->node_hash[at] = m;
    t->node_hash[home] = n;
}

/* Any other call path: its node from the table, made if new (a cold
 * path, which moves the open frames' starts past itself). */
static uint32_t find_node(cprof_thread *t, uint32_t parent, uint32_t id)
{
    uint32_t n = CPROF_NO_NODE;
    uint32_t home = cprof_node_hash(parent, id, t->hash_shift);
    for (uint32_t i = home; parent != CPROF_NO_NODE; i = (i + 1) & t->hash_mask) {
        n = t->node_hash[i];
        if (!n) {
            n = cprof_node_child_slow(t, parent, id);
            break;
        }
        if (t->nodes[n].parent == parent && t->nodes[n].region == id) {
            if (i != home)
                move_to_front(t, home, i);
            break;
        }
    }
    return n;
}

/* A throttled node's call that is not timed (cprof_hot.h). */
static inline __attribute__((always_inline)) int untimed(const cprof_node *n)
{
    return cprof_hot_untimed((const cprof_hot_node *)n);
}

/* An untimed call: cur moves to its node, where it is counted (cprof_hot.h;
 * inside the runtime no handler's call comes in between). */
static inline __attribute__((always_inline)) void push_untimed(cprof_thread *t, uint32_t node)
{
    cprof_set_cur(t, t->nodes, node);
    CPROF_STORE(&t->nodes[node].pairs, t->nodes[node].pairs + 1);
}

/*
 * A timed call's frame: counters first, the clock last, then the depth that
 * publishes it. So what the enter's own work costs (the bookkeeping, a
 * PAPI read, cold in cache when a throttled region is timed 1 call in 256)
 * lies outside the region's figures, in its parent's, as "ns_per_pair";
 * inside there is only the clock read and the exit's first checks
 * ("ns_inside"), small and steady, so even a throttled tiny region's
 * scaled figures hold.
 */
static inline __attribute__((always_inline)) void push_timed(cprof_thread *t, cprof_frame *f, uint32_t id,
                                                             uint32_t node)
{
    if (node != CPROF_NO_NODE) {
        cprof_node *n = &t->nodes[node];
        if (n->period >= 2)   /* this call's index is pairs */
            n->next_timed = n->pairs + cprof_throttle_draw(t, n->period);
        CPROF_STORE(&n->open, 1);   /* its exit goes the whole way */
    }
    CPROF_STORE(&f->id, id);
    CPROF_STORE(&f->node, node);
    CPROF_STORE(&f->prev, t->cur);
    cprof_builtin_read(t, f->c0);
    if (t->nread)   /* a failed read: the event set is gone, and the exit's read fails too */
        (void)cprof_papi_read(t->eventset, f->c0);
    for (int e = 0; e < t->nread; e++)
        f->c0[e] -= t->cold_c[e];
    for (int e = cprof_n_active; e < cprof_n_active + t->nbuiltin; e++)
        f->c0[e] -= t->cold_c[e];
    CPROF_STORE(&f->t0, cprof_now() - t->cold_ticks);
    /* the frame is whole before the depth and cur that publish it */
    __atomic_store_n(&t->depth, t->depth + 1, __ATOMIC_RELEASE);
    cprof_set_cur(t, t->nodes, node);
}

/* An untimed call (a throttled node) reads no clock and no counter. */
static inline __attribute__((always_inline)) void enter_frame(cprof_thread *t, uint32_t id)
{
    uint32_t pn = t->cur;
    uint32_t node = first_slot(t, pn, id);
    if (CPROF_UNLIKELY(!node))
        node = find_node(t, pn, id);
    cache_kid(t, pn, id, node);
    if (CPROF_LIKELY(node != CPROF_NO_NODE && untimed(&t->nodes[node])))
        push_untimed(t, node);
    else
        push_timed(t, &t->stack[t->depth], id, node);
}

/* What the counters advanced by between the frame's enter and c1 (as
 * read), less the cold work in between: the PAPI ones read now, and the
 * built-in ones after them. */
static inline __attribute__((always_inline)) void
add_counters(const cprof_thread *t, cprof_node *n, const cprof_frame *f, const long long *c1)
{
    for (int e = 0; e < t->nread; e++)
        CPROF_STORE(&n->c_incl[e], n->c_incl[e] + (c1[e] - t->cold_c[e] - f->c0[e]));
    for (int e = cprof_n_active; e < cprof_n_active + t->nbuiltin; e++)
        CPROF_STORE(&n->c_incl[e], n->c_incl[e] + (c1[e] - t->cold_c[e] - f->c0[e]));
}

/* A timed call's figures: its time (t1 less the cold work, as t0), the
 * children it had, its extremes. */
static inline __attribute__((always_inline)) void add_timed(const cprof_thread *t, cprof_node *n,
                                                            const cprof_frame *f, uint64_t t1, int complete)
{
    uint64_t d = t1 > f->t0 ? t1 - f->t0 : 0;
    CPROF_STORE(&n->timed, n->timed + 1);
    if (CPROF_UNLIKELY(n->period == 0))   /* not decided yet (throttle.c) */
        n->shorts += d < t->below_ticks;
    uint64_t in = d;
    if (CPROF_UNLIKELY(d > n->cap)) {   /* cap is UINT64_MAX unless throttled */
        in = n->cap;
        CPROF_STORE(&n->over, n->over + (d - in));
    }
    CPROF_STORE(&n->incl, n->incl + in);
    if (!complete)
        return;
    if (d < n->min)   /* UINT64_MAX until the first */
        CPROF_STORE(&n->min, d);
    if (d > n->max)
        CPROF_STORE(&n->max, d);
}

/* A timed pair: counted at its exit (its calls are pairs - incomplete;
 * an untimed one is counted at its enter). */
static inline __attribute__((always_inline)) void count_pair(cprof_node *n, int complete)
{
    CPROF_STORE(&n->pairs, n->pairs + 1);
    if (!complete)
        CPROF_STORE(&n->incomplete, n->incomplete + 1);
}

/* The innermost open call is the top frame's: it ends at t1. */
static inline __attribute__((always_inline)) void
close_frame(cprof_thread *t, cprof_node *nodes, uint64_t t1, const long long *c1, int complete)
{
    uint32_t depth = t->depth - 1;
    cprof_frame *f = &t->stack[depth];
    cprof_set_cur(t, nodes, f->prev);
    CPROF_STORE(&t->depth, depth);
    if (CPROF_UNLIKELY(f->node == CPROF_NO_NODE))
        return;
    cprof_node *n = &nodes[f->node];
    CPROF_STORE(&n->open, 0);
    count_pair(n, complete);
    add_timed(t, n, f, t1 - t->cold_ticks, complete);
    if (c1)
        add_counters(t, n, f, c1);
}

/* The innermost open call is an untimed one of node n, counted at its
 * enter. A dump's copy of a running thread may hold its cur and not yet
 * its count (the enter stores cur first): then its calls read one short,
 * and never below 0. */
static void close_untimed(cprof_thread *t, cprof_node *nodes, uint32_t n, int complete)
{
    cprof_node *x = &nodes[n];
    if (CPROF_UNLIKELY(x->pairs <= x->incomplete))
        CPROF_STORE(&x->pairs, x->pairs + 1);
    if (!complete)
        CPROF_STORE(&x->incomplete, x->incomplete + 1);
    cprof_set_cur(t, nodes, x->parent);
}

int cprof_open_next(const cprof_thread *t, const cprof_node *nodes, cprof_open *p, uint32_t *id,
                    uint32_t *node, int *timed)
{
    if (p->depth && t->stack[p->depth - 1].node == p->cur) {   /* CPROF_NO_NODE too */
        const cprof_frame *f = &t->stack[--p->depth];
        *id = f->id, *node = f->node, *timed = 1;
        p->cur = f->prev;
        return 1;
    }
    if (!p->cur || p->cur == CPROF_NO_NODE)
        return 0;
    *id = nodes[p->cur].region, *node = p->cur, *timed = 0;
    p->cur = nodes[p->cur].parent;
    return 1;
}

int cprof_close_innermost(cprof_thread *t, cprof_node *nodes, uint64_t t1, const long long *c1, int complete)
{
    cprof_open at = { t->cur, t->depth };
    uint32_t id, node;
    int timed;
    if (!cprof_open_next(t, nodes, &at, &id, &node, &timed))
        return 0;
    if (timed)
        close_frame(t, nodes, t1, c1, complete);
    else
        close_untimed(t, nodes, node, complete);
    return 1;
}

uint32_t cprof_open_count(const cprof_thread *t, const cprof_node *nodes)
{
    cprof_open at = { t->cur, t->depth };
    uint32_t id, node, n = 0;
    int timed;
    while (cprof_open_next(t, nodes, &at, &id, &node, &timed))
        n++;
    return n;
}

/*
 * The cold paths start PAPI, allocate or warn: the program's errno must come
 * out of every API call as it went in (the hot path makes no system call).
 */
static CPROF_COLD uint32_t resolve_keeping_errno(cprof_site *site, int scope)
{
    int saved = errno;
    cprof_cold cold;
    cprof_cold_begin(cprof_tls, &cold);
    uint32_t id = scope ? cprof_registry_resolve_scope(site) : cprof_registry_resolve(site);
    cprof_cold_end(cprof_tls, &cold);
    errno = saved;
    return id;
}

static CPROF_COLD void enter_slow(uint32_t id)
{
    int saved = errno;
    cprof_cold cold;
    cprof_cold_begin(cprof_tls, &cold);
    cprof_thread *t = cprof_thread_current();
    int full = t && cprof_thread_reserve(t) != 0;
    cprof_cold_end(t, &cold);
    if (full) {
        CPROF_STORE(&t->dropped, t->dropped + 1);
        t->dropped_open++;   /* its exit will be skipped, not mismatched */
        cprof_hot_gate(t);
    } else if (t) {
        enter_frame(t, id);
    }
    errno = saved;
}

static inline __attribute__((always_inline)) void enter_site(cprof_site *site, int scope)
{
    uint32_t id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
    if (CPROF_UNLIKELY(id == 0))
        id = resolve_keeping_errno(site, scope);
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
static inline __attribute__((always_inline)) void enter_guarded(cprof_site *site, int scope)
{
    if (CPROF_UNLIKELY(cprof_busy)) {
        cprof_count_reentrant();
        return;
    }
    CPROF_BUSY_ENTER();
    enter_site(site, scope);
    CPROF_BUSY_LEAVE();
}

CPROF_API void cprof_enter_full(cprof_site *site)
{
    enter_guarded(site, 0);
}

/* CPROF_SCOPE's whole way: the same, and its first entry marks its region
 * as a scope's, whose untimed calls cost less (calibrate.c). */
CPROF_API void cprof_enter_scope_full(cprof_site *site)
{
    enter_guarded(site, 1);
}

/* The functions behind the macros: the inline fast path, then the whole way. */
CPROF_API void (cprof_enter)(cprof_site *site)
{
    cprof_enter_inline(site);
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
        cprof_hot_gate(t);
        return;
    }
    long long c1[CPROF_MAX_EVENTS];
    cprof_counters_read(t, c1);
    /* k: the place of the innermost open call of this region (1: the
     * innermost of all), 0 if none is open */
    cprof_open at = { t->cur, t->depth };
    uint32_t oid, onode, top = 0, k = 0;
    int timed;
    for (uint32_t i = 1; !k && cprof_open_next(t, t->nodes, &at, &oid, &onode, &timed); i++) {
        top = i == 1 ? oid : top;
        k = oid == id ? i : 0;
    }
    CPROF_STORE(&t->unbalanced, t->unbalanced + 1);
    const char *name = "?";
    cprof_region_info info;
    if (top && cprof_registry_get(top, &info))
        name = info.name;
    /* the site's line, not the call's: an exit is handed its site only */
    cprof_warn_once(&warned_unbalanced,
                    "unbalanced cprof_exit(\"%s\") (its site at %s:%d): %s%s%s; %s (counted in the dump's "
                    "errors.unbalanced; further warnings suppressed)",
                    site->name ? site->name : "?", site->file ? site->file : "?", site->line,
                    top ? "the innermost open region on this thread is \"" : "no region is open on this thread",
                    top ? name : "", top ? "\"" : "",
                    k ? "the regions opened inside it were closed with it" : "the exit was ignored");
    if (k == 0)
        return;
    /* Regions left open inside it end here too, as incomplete calls. */
    for (uint32_t i = 1; i < k; i++)
        cprof_close_innermost(t, t->nodes, t1, c1, 0);
    cprof_close_innermost(t, t->nodes, t1, c1, complete);
}

static inline __attribute__((always_inline)) void exit_site(cprof_site *site, int complete)
{
    uint32_t id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
    if (CPROF_UNLIKELY(id == 0))   /* a twin of a site entered elsewhere (same name, file, line) */
        id = resolve_keeping_errno(site, 0);
    if (id & CPROF_ID_OFF)
        return;
    cprof_thread *t = cprof_tls;
    if (CPROF_UNLIKELY(!t || t->dropped_open)) {
        exit_mismatch(site, id, cprof_now(), complete);
        return;
    }
    uint32_t cur = t->cur;
    cprof_frame *f = t->depth ? &t->stack[t->depth - 1] : NULL;
    if (!f || f->node != cur) {   /* the innermost open call is an untimed one, or none */
        if (CPROF_LIKELY(cur && cur != CPROF_NO_NODE && t->nodes[cur].region == id))
            close_untimed(t, t->nodes, cur, complete);   /* counted, nothing read */
        else
            exit_mismatch(site, id, cprof_now(), complete);
        return;
    }
    if (CPROF_UNLIKELY(f->id != id)) {
        exit_mismatch(site, id, cprof_now(), complete);
        return;
    }
    uint64_t t1 = cprof_now();  /* before the bookkeeping: the region's own figures leave out our work */
    uint32_t node = f->node;
    /* With counters: the frame's time figures first, then one read, then
     * the counter deltas into the node. Fewer values live across PAPI_read
     * (the node and the frame), so less to save and restore around it. */
    close_frame(t, t->nodes, t1, NULL, complete);
    if (CPROF_UNLIKELY(node == CPROF_NO_NODE))
        return;
    cprof_node *n = &t->nodes[node];
    if (CPROF_UNLIKELY(n->timed == n->check))
        cprof_throttle_decide(t, n);
    if (!t->nread && !t->nbuiltin)
        return;
    long long c1[CPROF_MAX_EVENTS];
    cprof_builtin_read(t, c1);
    if (t->nread && CPROF_UNLIKELY(cprof_papi_read(t->eventset, c1) != PAPI_OK))
        return;
    add_counters(t, &t->nodes[node], f, c1);   /* the frame stays intact until the next enter */
}

/* The whole way, in a busy section; a signal handler's exit inside the
 * runtime is dropped with its enter. */
static void exit_guarded(cprof_site *site, int complete)
{
    if (CPROF_UNLIKELY(cprof_busy))
        return;
    CPROF_BUSY_ENTER();
    exit_site(site, complete);
    CPROF_BUSY_LEAVE();
}

CPROF_API void cprof_exit_full(cprof_site *site)
{
    exit_guarded(site, 1);
}

CPROF_API void (cprof_exit)(cprof_site *site)
{
    cprof_exit_inline(site);
}

CPROF_API void cprof_exit_pending(cprof_site *site)
{
    exit_guarded(site, 0);
}

/*
 * A handler's calls ran inside an untimed enter of node n and moved the
 * nodes; the enter's count went to the array it had loaded, nodes_seen,
 * which nothing else writes once outgrown. If the move came after the
 * count, the copy holds it and both agree. If before, the old node holds
 * one more: the handler's calls after the move went to the new array, and
 * only calls of n itself would make it hold as many (siblings, before the
 * enter's cur moved), so the larger is kept. The one count this can lose
 * needs a handler to move the nodes and then call this same call path,
 * all within the enter's few instructions.
 */
CPROF_API CPROF_COLD void cprof_hot_count_fixup(cprof_hot_thread *h, char *nodes_seen, uint32_t n)
{
    cprof_thread *t = (cprof_thread *)h;
    uint64_t seen = ((const cprof_node *)(void *)nodes_seen)[n].pairs;
    if (seen > t->nodes[n].pairs)
        CPROF_STORE(&t->nodes[n].pairs, seen);
}

/* For bindings: the calling thread's state as the inline fast path reads it. */
CPROF_API const cprof_hot_thread *cprof_hot_self(uint32_t abi)
{
    return abi == CPROF_HOT_ABI ? (const cprof_hot_thread *)cprof_tls : NULL;
}
