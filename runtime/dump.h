/*
 * dump.h: what the dump's writers share: dump.c (the file, the header and
 * cprof-1's tables) and dump_v2.c (cprof-2's site table and trees).
 */
#ifndef CPROF_DUMP_H
#define CPROF_DUMP_H

#include <stdio.h>

#include "derive.h"
#include "internal.h"

#pragma GCC visibility push(hidden)

/* An active counter as the dump writes it, in the order of "events". */
typedef struct dump_column {
    const char *name;
    int slot, kind;
} dump_column;

typedef struct dump_columns {
    dump_column v[CPROF_MAX_EVENTS];
    int n;
} dump_columns;

/* One thread's figures, ready to write in either format: its open calls
 * closed, throttled nodes scaled, times in ns, exclusive and flat figures
 * derived (d and sum; NULL when that ran out of memory). */
typedef struct dump_thread {
    const cprof_node *nodes;
    uint32_t nnodes;
    const uint8_t *open;          /* per node: still open on another thread (NULL: none) */
    const cprof_derived *d;
    const cprof_region_sum *sum;
    int has_papi;                 /* it has PAPI figures (its event set worked) */
} dump_thread;

/* ---- the JSON (dump_json.c) ---- */
typedef struct dump_out {
    FILE *f;
    int format;               /* 1: cprof-1, 2: cprof-2 */
} dump_out;
/* One dump, from one cut of every thread, into each of outs (a file per
 * format asked for); the calls open on the calling thread end at `now`,
 * with its counters c_now. */
void cprof_dump_write(dump_out *outs, int n, uint64_t now, const long long *c_now);

/* ---- the cut (dump_cut.c) ---- */
/* One thread as the dump found it: a copy, taken once. */
typedef struct dump_cut {
    cprof_thread copy;        /* nnodes, nodes, depth, stack: copies */
    uint64_t at;              /* when they were taken: another thread's open calls end here */
    pid_t tid;
    char name[32];
    int finished, mine;
    uint32_t open_at_exit;
    char *counter_error;
} dump_cut;

typedef struct dump_cuts {
    dump_cut *v;
    size_t n, cap;
    int slots;                /* counter slots to copy */
    int failed;               /* out of memory: threads left out */
} dump_cuts;

/* Copies every thread (cs->slots set), under the thread-list lock. */
void cprof_dump_take_cuts(dump_cuts *cs);
void cprof_dump_free_cuts(dump_cuts *cs);
/* Closes k's open calls on its copy as incomplete calls: the dumping
 * thread's at `now` with counters c_now, another's when its copy was taken
 * (open[node] = 1 then: its counters could not be read). */
void cprof_dump_close_open(dump_cut *k, uint64_t now, const long long *c_now, uint8_t *open);

/* ---- cprof-2 (dump_v2.c) ---- */
/* Region id -> index in cprof-2's "sites" + 1 (0: in no tree), for the
 * regions of nodes[1 ..] of every thread; *n: how many. Caller frees. */
uint32_t *cprof_dump_v2_site_map(const cprof_node *const *nodes, const uint32_t *nnodes, size_t nthreads,
                                 uint32_t nregions, uint32_t *n);
/* ",\n  \"sites\": [...]" of those regions, in the order of the map. */
void cprof_dump_v2_sites(FILE *f, const uint32_t *site_of, uint32_t nregions);
/* A thread's "counters" (only when its columns are not all the active
 * events) and "tree", as cprof-2 has them. */
void cprof_dump_v2_tree(FILE *f, const dump_columns *cols, const dump_thread *t,
                        const uint32_t *site_of);

/* Integers, written without printf's cost (the trees are most of a dump). */
void cprof_dump_put_u(FILE *f, unsigned long long v);
void cprof_dump_put_i(FILE *f, long long v);

#pragma GCC visibility pop
#endif
