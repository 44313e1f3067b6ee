/*
 * trust.h: how far a region's figures can be trusted. Throttled regions
 * (the runtime timed 1 call in N) have scaled figures; regions whose
 * measured time is mostly the profiler's own cost (or shorter than a clock
 * read resolves) have figures that are estimates after compensation. Every
 * view marks both, and the model's notes say how many and what to do.
 */
#ifndef CPROF_CLI_TRUST_H
#define CPROF_CLI_TRUST_H

#include "model/model.h"

/* A region whose share of profiler cost is above this is marked. */
#define PROF_TRUST_SHARE 0.25

/* 1 if some of its calls were not timed (their figures are scaled). */
static inline int prof_entry_sampled(const prof_entry *e)
{
    return e->timed < e->pairs;
}

/* About 1 call in this many was timed (>= 2), for a sampled entry. */
unsigned long prof_entry_sampling(const prof_entry *e);
/* Of its measured (raw) inclusive time, the share that was the profiler's
 * own cost: 0 .. 1. */
double prof_entry_overhead_share(const prof_entry *e);
/* A share as every view shows it: to 3 decimals, as json and csv write it,
 * and the marks' "!NN%" printed from that (printf's %.0f of 100 times it;
 * the html page's fixed() is its port): one rounding for every view. */
double prof_share_shown(double share);
/* 1 if its time is mostly the profiler's (PROF_TRUST_SHARE), or its mean
 * call is shorter than the clock resolves (m->clock_floor_ns). */
int prof_entry_low_trust(const prof_model *m, const prof_entry *e);

/* The same for a call path (its subtree's figures, model/derive.c). */
unsigned long prof_node_sampling(const prof_node *n);
double prof_node_overhead_share(const prof_node *n);
static inline int prof_node_low_trust(const prof_node *n)
{
    return prof_node_overhead_share(n) > PROF_TRUST_SHARE;
}

/* What a node of another file or run adds to n's sampling and overhead figures. */
void prof_node_add_trust(prof_node *n, const prof_node *from);

/* The notes (how many sampled, how many marked, what to do); after derive. */
void prof_trust_notes(prof_model *m);

#endif
