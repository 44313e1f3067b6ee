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
 * pays at exit (98 us median here, against 542; make bench-start).
 */
#define PAIRS 300
#define ROUNDS 5

static cprof_site outer = { "<cprof calibration outer>", "", 0, 0 };
static cprof_site inner = { "<cprof calibration inner>", "", 0, 0 };

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
    for (int round = 0; round < ROUNDS; round++) {
        s->nnodes = 1;   /* a fresh tree each round */
        s->root_last_region = 0;
        memset(s->node_hash, 0, (size_t)(s->hash_mask + 1) * sizeof *s->node_hash);
        cprof_enter(&outer);
        for (int i = 0; i < PAIRS; i++) {
            cprof_enter(&inner);
            cprof_exit(&inner);
        }
        cprof_exit(&outer);
        /* The least disturbed round is the cost itself; the rest is noise. */
        if (s->nnodes != 3)
            break;   /* out of memory: keep what the earlier rounds found */
        const cprof_node *so = &s->nodes[1], *si = &s->nodes[2];
        double p = (double)(so->incl - si->incl) / PAIRS, in = (double)si->incl / PAIRS;
        if (round == 0 || p < o->ticks_per_pair)
            o->ticks_per_pair = p;
        if (round == 0 || in < o->ticks_inside)
            o->ticks_inside = in;
        for (int e = 0; e < CPROF_MAX_EVENTS; e++) {   /* PAPI and built-in slots */
            double cp = (double)(so->c_incl[e] - si->c_incl[e]) / PAIRS;
            double ci = (double)si->c_incl[e] / PAIRS;
            if (round == 0 || cp < o->c_per_pair[e])
                o->c_per_pair[e] = cp;
            if (round == 0 || ci < o->c_inside[e])
                o->c_inside[e] = ci;
        }
    }
    cprof_busy = busy;
    cprof_tls = saved;
    cprof_counters_thread_stop(s);   /* only stops the set if s started it */
    if (started)
        cprof_counters_thread_exit();   /* PAPI forgets this thread again */
    cprof_thread_free(s);
}
