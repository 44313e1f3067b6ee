/*
 * diff.h: two profiles compared (`cargo profiler diff`, `--baseline`).
 * Rows are matched by full name (crate::module::Type::fn), never by line:
 * code is edited between runs and lines move. Tree nodes are matched by call
 * path. Each side is one run or several (--repeat): per row and metric the
 * figures are the mean over that side's runs, with a verdict.
 *
 * Deterministic metrics (calls, sde:::, cprof:: and user:: counters, valgrind events) are exact:
 * any difference is a change. Time (and counters that vary between runs) is
 * judged as criterion does: a bootstrap confidence interval of the relative
 * change of the mean (model/stats.h); "regressed"/"improved" only when the
 * whole interval is beyond the noise threshold.
 */
#ifndef CPROF_CLI_DIFF_H
#define CPROF_CLI_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

#define DIFF_MAX_METRICS (PROF_MAX_METRICS + 1)   /* the profile's metrics + calls */

typedef enum diff_verdict {
    DIFF_SAME,          /* no change (exact metrics: equal) */
    DIFF_REGRESSED,     /* exact: b > a; noisy: the whole interval above +noise */
    DIFF_IMPROVED,      /* exact: b < a; noisy: the whole interval below -noise */
    DIFF_NOISE,         /* noisy: the interval reaches into +-noise */
    DIFF_NO_ESTIMATE,   /* noisy, 1 run on a side: no noise estimate */
    DIFF_NEW,           /* the row is only in b */
    DIFF_GONE,          /* the row is only in a */
    DIFF_INCONCLUSIVE,  /* noisy: the interval reaches into +-noise and past +-DIFF_WIDE too */
    DIFF_UNTRUSTED,     /* time of a region low-trust on a side (mostly the profiler's own): not judged */
} diff_verdict;
#define DIFF_N_VERDICTS (DIFF_UNTRUSTED + 1)

/* An interval that reaches into +-noise yet past this many times it (or
 * past +-25%, the more) cannot rule out a large change either: inconclusive,
 * not "within noise" (a region mostly the profiler's own, under compensation). */
#define DIFF_WIDE 10
#define DIFF_WIDE_MIN 0.25

/* "same", "regressed", "improved", "within noise", "no noise estimate", "new", "gone",
 * "inconclusive", "untrusted" */
const char *diff_verdict_name(diff_verdict v);

typedef struct diff_metric {
    char *name;         /* "time", "sde:::LIB::C", "Ir", ..., "calls" (last) */
    int is_time;        /* values are ns */
    int exact;          /* deterministic: any difference is a change */
    int scaled;         /* regions: scaled from the timed calls where a region is throttled
                           (time and counters; not calls, not user:: counters) */
} diff_metric;

/* 1 if metric m holds the profiler's own cost where a region is low-trust:
 * time, which compensation estimates. Such a cell is marked "!" and its
 * verdict is "untrusted", never "regressed" or "improved": a change of the
 * profiler's share (throttling, calibration) is not the program's. Counts
 * (calls, sde:::, user::) are exact and judged as ever. */
static inline int diff_metric_trust_bound(const diff_metric *m)
{
    return m->is_time;
}

/* How far a row's or a node's figures hold on each side (model/trust.h):
 * every: about 1 call in this many was timed, the most over the side's
 * runs (1: every call; 0: not on that side); low: in some run there its
 * measured time was mostly the profiler's own. */
typedef struct diff_trust {
    unsigned long every[2];
    int low[2];
} diff_trust;

/* 1 if some run of side (0: A, 1: B) sampled it (its figures are scaled). */
static inline int diff_trust_sampled_on(const diff_trust *t, int side)
{
    return t->every[side] > 1;
}

/* 1 if some run of either side sampled it. */
static inline int diff_trust_sampled(const diff_trust *t)
{
    return diff_trust_sampled_on(t, 0) || diff_trust_sampled_on(t, 1);
}

/* 1 if on either side its time was mostly the profiler's own. */
static inline int diff_trust_low(const diff_trust *t)
{
    return t->low[0] || t->low[1];
}

/* 1 if the two sides timed it differently: sampled on one side only, or
 * at periods more than 2x apart (throttling decided anew in each run). */
int diff_trust_differs(const diff_trust *t);

/* One metric of one row (or node): the two sides' means and the verdict. */
typedef struct diff_cell {
    double a, b;        /* mean over the side's runs; 0 where the row is absent */
    double lo, hi;      /* has_ci: the confidence interval of (b - a) / a */
    int has_ci;
    diff_verdict verdict;
} diff_cell;

typedef struct diff_row {
    char *name;         /* the full name: the key */
    char *label;        /* shortest unique ::-suffix (>= 2 parts) for display, or = name */
    char *file;         /* where it is in b (else in a); may be NULL */
    int line;
    int in_a, in_b;
    diff_cell incl[DIFF_MAX_METRICS];     /* inclusive (self when !has_incl); calls: calls */
    double self_a[DIFF_MAX_METRICS], self_b[DIFF_MAX_METRICS];   /* exclusive means */
    diff_trust trust;
} diff_row;

/* A call path present on either side. nodes[0] is the synthetic root. */
typedef struct diff_node {
    size_t parent;      /* index into nodes; the root's parent is 0 */
    size_t row;         /* index into rows (unused for the root) */
    diff_cell incl[DIFF_MAX_METRICS];
    double self_a[DIFF_MAX_METRICS], self_b[DIFF_MAX_METRICS];
    diff_trust trust;
} diff_node;

/* A --limit that a row broke. */
typedef struct diff_broken {
    const char *limit;  /* the limit as given (points into the caller's limits) */
    size_t row, metric;
    char *why;          /* "time 214 us -> 280 us (+30.8%, regressed) is beyond +5%" */
} diff_broken;

typedef struct prof_diff {
    prof_kind kind;
    int has_incl;                   /* 0: cachegrind (self only) */
    size_t n_metrics;               /* metrics on both sides, in a's order, then calls */
    diff_metric metrics[DIFF_MAX_METRICS];
    size_t runs_a, runs_b;          /* runs on each side (--repeat) */
    char *name_a, *name_b;          /* what was compared ("baseline before", a path, "this run") */
    double confidence, noise;       /* e.g. 0.95 and 0.01 */

    diff_row *rows;   size_t n_rows, cap_rows;
    diff_node *nodes; size_t n_nodes, cap_nodes;   /* regions; callgrind when paths were asked for */
    diff_broken *broken; size_t n_broken, cap_broken;
    char **notes;     size_t n_notes, cap_notes;   /* header lines: metrics on one side only,
                                                      commands/hosts that differ, "1 run each" */
    void *index;                    /* private to diff.c */
} prof_diff;

typedef struct diff_side {
    prof_model **runs;              /* each run's merged, derived profile (same kind) */
    size_t n;
    const char *name;               /* for headers: "baseline before", "run-...", a file */
} diff_side;

/*
 * Compare a with b. Both sides hold runs of one kind (the caller refused
 * to compare kinds that differ). confidence in (0, 1), noise >= 0.
 * Returns the diff (caller frees), never NULL.
 */
prof_diff *prof_diff_new(const diff_side *a, const diff_side *b, double confidence, double noise);
void prof_diff_free(prof_diff *d);

/* The row indices in display order for metric mi: by the size of the
 * change (|b - a| of the inclusive figures, or with by_self of the
 * exclusive ones; largest first; ties by name). With regressions_first,
 * rows whose verdict (diff_row_cell) is regressed come first, then
 * improved, new, gone, then the rest. Caller frees; *n set to d->n_rows. */
size_t *diff_order_by(const prof_diff *d, size_t mi, int by_self, int regressions_first, size_t *n);

/* The cell of a row's or a node's cells (one per metric) that gives it its
 * verdict: metric mi's when that is a change (regressed, improved, new,
 * gone), else that of the first exact metric that changed (a call count
 * that doubled is not hidden by time's "no noise estimate"), else mi's.
 * *by: its metric. */
const diff_cell *diff_decisive_cell(const prof_diff *d, const diff_cell *cells, size_t mi, size_t *by);
static inline const diff_cell *diff_row_cell(const prof_diff *d, const diff_row *r, size_t mi, size_t *by)
{
    return diff_decisive_cell(d, r->incl, mi, by);
}

/* Index of metric `name` as a user types it (exact, else the one equal in
 * any case), or -1. */
int diff_find_metric(const prof_diff *d, const char *name);

void diff_note(prof_diff *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
