/* derive.h: exclusive figures and flat region totals from a call tree. */
#ifndef CPROF_DERIVE_H
#define CPROF_DERIVE_H

#include "internal.h"

#pragma GCC visibility push(hidden)

typedef struct cprof_derived {      /* per node */
    int64_t excl;                   /* the nodes' unit (the dump's: ns): below 0 only with throttled children (their
                                       estimates count an untimed call as a timed one) */
    int scaled_kids;                /* a child's figures are scaled (throttled) */
    uint64_t child_incl, child_pairs, desc_pairs;
    uint64_t child_timed, child_untimed;   /* its children's pairs, timed and not */
    uint64_t child_untimed_scope;   /* of child_untimed, those of CPROF_SCOPE regions */
    int outermost;                  /* no ancestor node of the same region */
    long long c_incl[CPROF_MAX_EVENTS];   /* as reported (an open call: at least its children's) */
    long long child_c[CPROF_MAX_EVENTS], c_excl[CPROF_MAX_EVENTS];
} cprof_derived;

typedef struct cprof_region_sum {   /* per region id */
    uint64_t calls, pairs, incl_calls, child_calls, desc_calls;
    uint64_t timed, child_timed, child_untimed;   /* throttling: see cprof_node */
    uint64_t child_untimed_scope;
    uint32_t period;                /* the largest of its nodes' (>= 2: throttled) */
    uint64_t incl, min, max;        /* the nodes' unit; min > max: no completed timed call */
    int64_t excl;
    long long c_incl[CPROF_MAX_EVENTS], c_excl[CPROF_MAX_EVENTS];
} cprof_region_sum;

/*
 * Fills per-node and per-region figures (caller frees both); -1 out of
 * memory. nev counters; those from own_from on (user counters) hold a node's
 * own counts, the others its inclusive ones. open[n] (may be NULL) marks
 * nodes whose call was still open on a thread whose counters could not be
 * read. The root's children add up in dnodes[0].child_c.
 */
/* A throttled node's figures from its timed calls scaled up to all its
 * calls (pairs / timed): time, the counters read at enter and exit (slots
 * below `own_from`; user counters are exact), and its children. */
void cprof_scale_sampled(cprof_node *nodes, uint32_t nnodes, int nev, int own_from);

int cprof_derive(const cprof_node *nodes, uint32_t nnodes, int nev, int own_from, uint32_t nregions,
                 const uint8_t *open, cprof_derived **dnodes, cprof_region_sum **sums);
/* scope[id] 1 for the CPROF_SCOPE regions (ids 1..nregions), from the
 * registry; NULL out of memory (then none is). The caller frees it. */
uint8_t *cprof_scope_regions(uint32_t nregions);

#pragma GCC visibility pop
#endif
