/*
 * calibrate.c: what one enter/exit pair costs, as seen by the region around
 * it (time and each event), so reports can subtract it. Measured at dump
 * time through the real cprof_enter/cprof_exit on a scratch thread state, so
 * start-up costs nothing and the user's figures are untouched.
 */
#include <string.h>

#include "internal.h"

/*
 * 1500 pairs in all: the least of 5 rounds of 300 spreads over runs as 7
 * rounds of 2000 did (ns per pair over 300 runs: p10 10.35, median 10.62,
 * p90 10.85 against 10.30, 10.58, 10.82), at a fifth of what every process
 * pays at exit (98 us median here, against 542; make bench-start). Each
 * round times a measured pair, an untimed one and a CPROF_SCOPE's untimed
 * one, each untimed loop against the same loop without the pair.
 */
#define PAIRS 300
#define ROUNDS 5

static cprof_site outer = { "<cprof calibration outer>", "", 0, 0 };
static cprof_site inner = { "<cprof calibration inner>", "", 0, 0 };

/*
 * An untimed pair costs its parent more than the pair alone: the function
 * it instruments becomes one that calls, with a frame and registers to
 * keep. So it is measured as a call of a small function that holds the
 * pair, less a call of the same function without it.
 */
static __attribute__((noinline, noclone)) void with_pair(cprof_site *site)
{
    cprof_enter(site);
    __asm__ volatile("" ::: "memory");
    cprof_exit(site);
}

/* The same as CPROF_SCOPE makes it: its exit knows what its enter saw. */
static __attribute__((noinline, noclone)) void with_scope(cprof_site *site)
{
    cprof_scope sc __attribute__((cleanup(cprof_scope_exit), unused)) = cprof_scope_enter(site);
    __asm__ volatile("" ::: "memory");
}

static __attribute__((noinline, noclone)) void without_pair(cprof_site *site)
{
    __asm__ volatile("" : : "r"(site) : "memory");
}

/* The least disturbed round is the cost itself; the rest is noise. */
static void keep_least(double *kept, double v, int round)
{
    if (round == 0 || v < *kept)
        *kept = v;
}

/*
 * One round: an outer region around PAIRS inner pairs, timed ones (what a
 * timed call costs the region around it, outside its own figures, and
 * inside them) or untimed ones (what a throttled call that is not timed
 * costs the region around it, all of it).
 */
/* The untimed loops' least rounds: time, then each counter slot. */
typedef struct untimed_mins {
    double with[CPROF_MAX_EVENTS + 1], without[CPROF_MAX_EVENTS + 1];
} untimed_mins;

enum { TIMED, UNTIMED, UNTIMED_SCOPE };

static int measure_round(cprof_thread *s, cprof_overhead *o, untimed_mins *u, int round, int kind)
{
    int untimed = kind != TIMED;
    s->nnodes = 1;   /* a fresh tree each round */
    memset(s->node_hash, 0, (size_t)(s->hash_mask + 1) * sizeof *s->node_hash);
    memset(s->nodes[0].kids, 0, sizeof s->nodes[0].kids);
    cprof_enter(&outer);
    cprof_enter(&inner);   /* makes the inner node: timed */
    cprof_exit(&inner);
    if (untimed && s->nnodes == 3)
        s->nodes[2].period = UINT32_MAX, s->nodes[2].next_timed = UINT64_MAX;
    if (kind == UNTIMED_SCOPE) {
        for (int i = 0; i < PAIRS; i++)
            with_scope(&inner);
    } else if (untimed) {
        for (int i = 0; i < PAIRS; i++)
            with_pair(&inner);
    } else {
        for (int i = 0; i < PAIRS; i++) {
            cprof_enter(&inner);
            cprof_exit(&inner);
        }
    }
    cprof_exit(&outer);
    if (s->nnodes != 3)
        return -1;
    const cprof_node *so = &s->nodes[1], *si = &s->nodes[2];
    if (untimed) {
        cprof_node *bare = &s->nodes[1];
        long long with[CPROF_MAX_EVENTS + 1];
        with[0] = (long long)so->incl;
        memcpy(with + 1, so->c_incl, sizeof so->c_incl);
        bare->incl = 0, memset(bare->c_incl, 0, sizeof bare->c_incl);
        cprof_enter(&outer);
        cprof_enter(&inner);   /* the same first timed pair, so that only the calls differ */
        cprof_exit(&inner);
        for (int i = 0; i < PAIRS; i++)
            without_pair(&inner);
        cprof_exit(&outer);
        /* each loop's least disturbed round, then their difference */
        keep_least(&u->with[0], (double)with[0] / PAIRS, round);
        keep_least(&u->without[0], (double)bare->incl / PAIRS, round);
        for (int e = 0; e < CPROF_MAX_EVENTS; e++) {
            keep_least(&u->with[e + 1], (double)with[e + 1] / PAIRS, round);
            keep_least(&u->without[e + 1], (double)bare->c_incl[e] / PAIRS, round);
        }
        return 0;
    }
    keep_least(&o->ticks_per_pair, (double)(so->incl - si->incl) / (PAIRS + 1), round);
    keep_least(&o->ticks_inside, (double)si->incl / (PAIRS + 1), round);
    for (int e = 0; e < CPROF_MAX_EVENTS; e++) {   /* PAPI and built-in slots */
        keep_least(&o->c_per_pair[e], (double)(so->c_incl[e] - si->c_incl[e]) / (PAIRS + 1), round);
        keep_least(&o->c_inside[e], (double)si->c_incl[e] / (PAIRS + 1), round);
    }
    return 0;
}

void cprof_calibrate(cprof_overhead *o)
{
    memset(o, 0, sizeof *o);
    if (!outer.id)
        cprof_registry_internal(&outer);
    if (!inner.id)
        cprof_registry_internal(&inner);
    uint32_t io = outer.id, ii = inner.id;
    if (!io || !ii || (io | ii) & CPROF_ID_OFF)
        return;
    cprof_thread *saved = cprof_tls;
    cprof_thread *s = cprof_thread_new_detached();
    if (!s) {
        cprof_thread_free(s);
        return;
    }
    s->internal = 1;
    /* One thread runs one PAPI event set at a time: share the running one. */
    int started = 0;
    if (saved && saved->nread) {
        s->eventset = saved->eventset;
        s->nev = s->nread = saved->nread;
    } else if (!saved) {
        started = cprof_counters_thread_start(s) == 0 && s->nread;
    }
    cprof_tls = s;
    /* The dump that calibrates holds the busy flag: its own pairs must run. */
    sig_atomic_t busy = cprof_busy;
    cprof_busy = 0;
    cprof_slow_set(s, CPROF_SLOW_BUSY, 0);
    untimed_mins u, us;
    int rounds = 0;
    for (; rounds < ROUNDS; rounds++)
        if (measure_round(s, o, &u, rounds, TIMED) != 0 || measure_round(s, o, &u, rounds, UNTIMED) != 0 ||
            measure_round(s, o, &us, rounds, UNTIMED_SCOPE) != 0)
            break;   /* out of memory: keep what the earlier rounds found */
    for (int e = 0; rounds && e <= CPROF_MAX_EVENTS; e++) {
        double d = u.with[e] - u.without[e], ds = us.with[e] - us.without[e];
        *(e ? &o->c_untimed[e - 1] : &o->ticks_untimed) = d > 0 ? d : 0;
        *(e ? &o->c_untimed_scope[e - 1] : &o->ticks_untimed_scope) = ds > 0 ? ds : 0;
    }
    cprof_busy = busy;
    cprof_tls = saved;
    cprof_counters_thread_stop(s);   /* only stops the set if s started it */
    if (started)
        cprof_counters_thread_exit();   /* PAPI forgets this thread again */
    cprof_thread_free(s);
}
