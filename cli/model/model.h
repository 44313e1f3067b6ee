/*
 * model.h: the one in-memory profile. Readers (cprof dumps, callgrind,
 * cachegrind) fill it; views (table, tree, json, csv, folded, callers) print
 * it. A reader never prints, a view never reads a file.
 *
 * Everything measured is a "metric" column: for region profiles metric 0 is
 * "time" in ns, then one per PAPI event; for valgrind profiles the metrics are
 * valgrind's events (Ir, Dr, D1mr, ...). Every entry holds self (exclusive)
 * and inclusive values for every metric.
 */
#ifndef CPROF_CLI_MODEL_H
#define CPROF_CLI_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define PROF_MAX_METRICS 24

typedef enum prof_kind {
    PROF_REGIONS,    /* cprof dumps */
    PROF_CALLGRIND,
    PROF_CACHEGRIND,
    PROF_DHAT,       /* valgrind --tool=dhat: heap (or copy, ad-hoc) profiles, readers/dhat.h */
} prof_kind;

typedef struct prof_metric {
    char *name;      /* "time", "PAPI_TOT_INS", "Ir", ... */
    int is_time;     /* values are ns: views print ns/us/ms/s */
} prof_metric;

/* An event that was asked for but not counted, and why (shown in headers). */
typedef struct prof_missing {
    char *name;
    char *reason;
} prof_missing;

/* A region (cprof) or a function (valgrind). Key: name + file + line + object.
 * name, file, object and the files' names are the model's (one copy of
 * each text for every entry: a file or an object is shared by thousands). */
typedef struct prof_entry {
    char *name;
    char *file;      /* may be NULL */
    int line;        /* 0 if unknown */
    char *object;    /* ELF object for valgrind profiles, else NULL */
    uint64_t calls;
    uint64_t min_ns, max_ns;          /* regions only: one call's inclusive time (0 until calls > 0) */
    uint64_t raw_min_ns, raw_max_ns;  /* regions read from dumps: the same as measured, which
                                         prof_derive_regions compensates into min_ns, max_ns
                                         (0: from a report, whose min_ns, max_ns stand) */
    uint64_t child_calls;             /* regions: calls made directly inside it */
    uint64_t desc_calls;              /* regions: measured calls inside its inclusive total */
    uint64_t pairs, timed;            /* regions: enter/exit pairs, and how many were timed */
    uint32_t period;                  /* regions: >= 2 when throttled (1 call in period timed) */
    int64_t raw_incl, oh_incl;        /* regions: incl[0] as measured, and what of it was the
                                         profiler's own cost (model/trust.c) */
    int fitted;                       /* regions: one of its call paths is (prof_node) */
    /* a slot a metric of the model (signed: a counter may go down, an sde
     * level), kept by the model: as many slots as the model has metrics,
     * not PROF_MAX_METRICS (a big callgrind file has 456 000 functions and
     * one event); moved when an entry or a metric is added */
    int64_t *self;
    int64_t *incl;
    int has_incl;                     /* 0: inclusive unknown (cachegrind) */
    int64_t *half;                    /* n_runs > 1: half the width of the interval of the mean
                                         of incl (self when !has_incl) over the runs, a slot a
                                         metric (prof_entry_half); NULL: none */
    char *label;                      /* regions: the shortest unique ::-suffix of name (model/derive.c), or NULL */
    /* valgrind: every source file of the function's code (its own and what
     * was inlined into it) with the cost there (prof_entry_file) */
    struct prof_file { char *name; int line; int64_t cost; } *files;
    size_t n_files;
} prof_entry;

/* A call-tree node (regions): one call path. nodes[0] is the synthetic root. */
typedef struct prof_node {
    size_t parent;   /* index into nodes; the root's parent is 0 */
    size_t entry;    /* index into entries (unused for the root) */
    uint64_t calls;
    uint64_t child_calls, desc_calls;
    uint64_t pairs, timed;           /* throttling: see prof_entry */
    uint32_t period;
    int64_t raw_self, oh_self;       /* excl time as measured, and the profiler's part of it */
    int64_t raw_incl, oh_incl;       /* ... the same over the subtree (model/derive.c) */
    int fitted;                      /* measured less than its throttled children's estimates: its
                                        own time reads 0 (readers/tree_time.h), its figures are
                                        theirs */
    int64_t *self, *incl;            /* a slot a metric, kept by the model (see prof_entry) */
} prof_node;

/* A call-graph edge (callgrind "calls=" lines): caller -> callee. */
typedef struct prof_edge {
    size_t caller, callee;           /* indices into entries */
    uint64_t calls;
    int64_t *incl;                   /* inclusive cost of the calls along this edge: a slot a
                                        metric of the model, kept by the model */
} prof_edge;

typedef struct prof_model {
    prof_kind kind;
    char *tool;                 /* "cprof", "callgrind", "cachegrind", "dhat" */
    char *command;              /* the profiled command line, if known */
    char *host, *cpu;           /* where it ran (dump "host", "cpu"), if known: a diff says when they differ */
    size_t n_metrics;
    prof_metric metrics[PROF_MAX_METRICS];
    int64_t totals[PROF_MAX_METRICS];   /* whole-program totals per metric */

    prof_entry *entries; size_t n_entries, cap_entries;
    prof_node *nodes;    size_t n_nodes, cap_nodes;     /* regions; callgrind: estimated from edges (readers/callpaths.h) */
    prof_edge *edges;    size_t n_edges, cap_edges;     /* callgrind only */
    prof_missing *missing; size_t n_missing, cap_missing;

    char **notes; size_t n_notes, cap_notes;   /* header lines ("overhead compensated: ...") */
    int raw;                         /* regions: figures without overhead compensation */
    int planned;                     /* planned from the options before a run: its metrics are
                                        the events asked for, not yet known to be countable */
    double clock_floor_ns;           /* regions: what one clock read takes (a shorter call is not resolved) */
    size_t fitted_paths;             /* regions: call paths whose children's estimates exceeded them by 1%
                                        or more (readers/tree_time.c): their own time reads 0 */
    size_t n_runs;                   /* > 1: the figures are the mean of n_runs runs (--repeat) */
    double confidence;               /* n_runs > 1: of the entries' half[] intervals */
    /* How the profiled program ended, when a command ran it. */
    int program_known, program_status, program_signal;
    struct prof_spread *spread;      /* regions: each process's figures (model/spread.h), or NULL */
    void *index;                     /* private to model.c: entry/node/edge lookup */
} prof_model;

/* a + b, held at the ends of int64_t instead of overflowing (figures added
 * up from many files or threads). */
static inline int64_t prof_add(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

/* The same for counts (calls): held at UINT64_MAX. */
static inline uint64_t prof_addu(uint64_t a, uint64_t b)
{
    uint64_t r;
    return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

prof_model *prof_model_new(prof_kind kind, const char *tool);
void prof_model_free(prof_model *m);

/* Index of metric `name`, added if new; -1 if PROF_MAX_METRICS are in use. */
int prof_model_metric(prof_model *m, const char *name, int is_time);
/* Index of metric `name`, or -1. */
int prof_model_find_metric(const prof_model *m, const char *name);
/* A metric as a user types it (--sort, --metric): the exact name, else the
 * one name equal in any case (ir -> Ir, d1mr -> D1mr); -1 if none or several. */
int prof_model_user_metric(const prof_model *m, const char *name);

/* Index of the entry with this key, added (zeroed) if new. file/object may be NULL. */
size_t prof_model_entry(prof_model *m, const char *name, const char *file, int line,
                        const char *object);
/* e's half[], made (zeroed) if it has none yet. */
int64_t *prof_entry_half(prof_entry *e);
/* Add `cost` of entry ei's code in `file` (first line `line`); with
 * `relocate`, the entry's file and line become those of its costliest file
 * so far. */
void prof_entry_file(prof_model *m, size_t ei, const char *file, int line, int64_t cost, int relocate);
/* Room for this many more entries and edges: a reader that knows how many
 * it merges grows the arrays and their lookup tables once. */
void prof_model_reserve(prof_model *m, size_t entries, size_t edges);
/* Index of the entry with this key, or (size_t)-1. */
size_t prof_model_find_entry(const prof_model *m, const char *name, const char *file, int line,
                             const char *object);
/* Index of the child node of `parent` for entry `entry`, added if new. */
size_t prof_model_node(prof_model *m, size_t parent, size_t entry);
/* The same without adding: (size_t)-1 if there is none. */
size_t prof_model_find_node(const prof_model *m, size_t parent, size_t entry);
/* Forget every call-tree node (to compute them again). */
void prof_model_clear_nodes(prof_model *m);
/* Index of the edge caller -> callee, added if new. */
size_t prof_model_edge(prof_model *m, size_t caller, size_t callee);
/* The same for an edge the caller knows is not there yet (the first file of
 * a reader whose edges are distinct): no lookup now, indexed when an edge
 * is next looked up. */
size_t prof_model_new_edge(prof_model *m, size_t caller, size_t callee);

void prof_model_missing(prof_model *m, const char *name, const char *reason);
void prof_model_note(prof_model *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
