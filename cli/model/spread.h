/*
 * spread.h: how a region's exclusive figures spread across the processes
 * of a profile (an MPI job's ranks, a harness's children): the least,
 * median and largest of them, their mean and the imbalance
 * (max - mean) / max, per metric, as Caliper's mpi-report and PAPI's
 * output writer give them. Over the processes that entered the region
 * (a rank that never did is not a zero), so "procs" says how many.
 *
 * The merge gathers each process's figures (cprof_dump_merge of a whole
 * dump: begin, add per record, end), keeping per region one short row per
 * process that entered it: O(processes x regions) numbers, never a dump.
 * A report read back holds the final figures instead (set).
 */
#ifndef CPROF_CLI_SPREAD_H
#define CPROF_CLI_SPREAD_H

#include <stddef.h>
#include <stdint.h>
#include "model/model.h"

typedef struct prof_spread_fig {
    size_t procs;          /* processes whose figures these are */
    int64_t min, max;
    double median, mean;   /* the median of an even count: the mean of the middle two */
    double imbalance;      /* (max - mean) / max, 0 when max <= 0 */
} prof_spread_fig;

/* One process's figures: those of the records added between begin and end
 * (a record: a tree node's exclusive figures, of entry `entry`), of the
 * metrics the model has at begin. add does nothing outside begin/end (one
 * thread merged on its own). */
void prof_spread_begin(prof_model *m);
void prof_spread_add(prof_model *m, size_t entry, const int64_t *self);
void prof_spread_end(prof_model *m);

/* The processes gathered (or read back); below 2 there is no spread to show. */
size_t prof_spread_procs(const prof_model *m);
/* Entry `entry`'s spread of metric `metric`: 1 and *out, or 0 (no process
 * entered it, or nothing is known). */
int prof_spread_of(const prof_model *m, size_t entry, size_t metric, prof_spread_fig *out);

/* A report read back: its processes and final figures. */
void prof_spread_set_procs(prof_model *m, size_t procs);
void prof_spread_set(prof_model *m, size_t entry, size_t metric, const prof_spread_fig *f);
/* Forget it all (the mean of several runs, merged reports: no one spread;
 * prof_model_free). */
void prof_spread_clear(prof_model *m);

#endif
