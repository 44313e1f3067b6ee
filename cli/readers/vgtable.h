/*
 * vgtable.h: what the valgrind parser keeps of one file: its functions
 * (keyed by the strtab ids of name, file and object), their call edges and
 * the source files of their code, in arrays in first-seen order, with the
 * costs in one pool of as many slots per record as the file has events
 * (not PROF_MAX_METRICS: a file of one event costs one slot). Then merged
 * into the model once, at the end of the file.
 */
#ifndef CPROF_CLI_VGTABLE_H
#define CPROF_CLI_VGTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "model/index.h"
#include "model/model.h"
#include "readers/strtab.h"

#define VG_MAX_FILES 8   /* per function; more inlined files are not told apart */

typedef struct vg_func {
    int name, file, obj;   /* strtab ids; -1 = none */
    int line;              /* first line of the function in its own file */
    int called;            /* called (level 1) from another function */
    int srcs, last_src;    /* its source files: a list in vg_table.src (-1: none), the one used last */
    int n_srcs;
    uint64_t calls;
    size_t last_in;        /* the edge into it found last */
} vg_func;

/* A function's code in one source file (fl=, and fi=/fe= for inlined code),
 * with the first event's cost and the first line there: a crate's function
 * whose entry is inlined library code is still the crate's (--only-crate). */
typedef struct vg_src {
    int file, line, next;
    uint64_t cost;
} vg_src;

typedef struct vg_edge {
    uint32_t caller, callee;   /* indices into vg_table.fn (below 2^32: index.c) */
    uint64_t calls;
} vg_edge;

typedef struct vg_table {
    vg_func *fn;  size_t n_fn, cap_fn;
    vg_edge *edge; size_t n_edge, cap_edge;
    vg_src *src;  size_t n_src, cap_src;
    uint64_t *fcost, *ecost;   /* per function: self, callin, outcalls; per edge: incl; stride slots each */
    size_t stride;
    pair_index fn_ix, edge_ix;
    size_t *last_of_name, cap_last;   /* per name id: the function found last */
} vg_table;

void vgt_free(vg_table *t);
/* No more vgt_func or vgt_edge: their lookup tables are freed (before the
 * merge, so that the parser's peak and the model's do not add up). */
void vgt_lookups_done(vg_table *t);
/* Room for n events in every record (existing costs keep their slots). */
void vgt_events(vg_table *t, size_t n);
/* The index of the function (name, file, obj), added if new. */
size_t vgt_func(vg_table *t, int name, int file, int obj);
/* The index of the edge caller -> callee, added if new. */
size_t vgt_edge(vg_table *t, size_t caller, size_t callee);
/* Add cost (of the first event) of function f's code in file (at line):
 * most often in the file of its cost line before. */
void vgt_src_other(vg_table *t, size_t f, int file, uint64_t line, uint64_t cost);
static inline void vgt_src(vg_table *t, size_t f, int file, uint64_t line, uint64_t cost)
{
    int i = t->fn[f].last_src;
    if (i >= 0 && t->src[i].file == file)
        t->src[i].cost += cost;
    else
        vgt_src_other(t, f, file, line, cost);
}

static inline uint64_t *vgt_self(const vg_table *t, size_t f) { return t->fcost + f * 3 * t->stride; }
static inline uint64_t *vgt_callin(const vg_table *t, size_t f) { return vgt_self(t, f) + t->stride; }
static inline uint64_t *vgt_outcalls(const vg_table *t, size_t f) { return vgt_self(t, f) + 2 * t->stride; }
static inline uint64_t *vgt_incl(const vg_table *t, size_t e) { return t->ecost + e * t->stride; }

/* valgrind's costs are unsigned; the model's signed: held at INT64_MAX. */
static inline int64_t vg_sat_i64(uint64_t v) { return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v; }

/*
 * Merge the table into m: mm[i] is the model's metric of the file's event
 * i (n of them). by_name (cachegrind): a function's row is its name and
 * object, its files kept with it; has_incl: the file has calls (callgrind).
 * The functions and names are freed once merged, before the edges are (the
 * table's peak and the model's do not add up); then only vgt_free.
 */
void vgt_merge(vg_table *t, strtab *names, prof_model *m, const int *mm, size_t n,
               int by_name, int has_incl);

#endif
