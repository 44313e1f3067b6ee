/*
 * dump_doc.h: one cprof dump as read by dump_doc.c, before it is checked
 * (dump_check.c) and merged (cprof_dump.c): the fields of
 * docs/dump-format.md that the reader uses, each with the JSON type it had
 * (so that the checks say what the old tree-based reader said), in flat
 * arrays instead of a tree. Strings point into the file's buffer.
 */
#ifndef CPROF_CLI_DUMP_DOC_H
#define CPROF_CLI_DUMP_DOC_H

#include <stddef.h>
#include <stdint.h>
#include "readers/json_pull.h"
#include "readers/strtab.h"

/* The fields of a region ("name") or a tree node ("region"), in the order
 * the checks name them. */
enum {
    RF_CALLS, RF_INCL_NS, RF_EXCL_NS, RF_MIN_NS, RF_MAX_NS, RF_INCL_CALLS, RF_CHILD_CALLS,
    RF_DESC_CALLS, RF_LINE, RF_PAIRS, RF_NODE, RF_PARENT, RF_NAME, RF_REGION, RF_FILE,
    RF_COUNTERS, RF_ID, RF_OPEN,   /* id, open: read, not used */
    RF_TIMED, RF_PERIOD, RF_CHILD_TIMED, RF_CHILD_UNTIMED,   /* throttling, optional */
    RF_CHILD_UNTIMED_SCOPE,   /* of child_untimed, CPROF_SCOPE regions' (optional) */
    RF_N
};

/* "counters": {"EV": {"incl": n, "excl": n}}: one event's pair. */
typedef struct doc_counter {
    int ev;               /* in doc->names */
    uint8_t type;         /* of the value: JP_OBJECT if well formed */
    jp_val incl, excl;
} doc_counter;

/*
 * A region or node of cprof-1 (an object), or a node of cprof-2 (an array
 * [parent, site, pairs, calls, incl_ns, min_ns, max_ns, counters' incl...,
 * {extras}]), its values read into the same fields: site into RF_ID, the
 * counters in order with ev = their column, the extras by key; dump_v2.c
 * then makes it what cprof-1 would have said.
 */
typedef struct doc_rec {
    jp_val f[RF_N];
    uint32_t c_first, c_n;   /* its counters: doc->counters[c_first ..] */
    uint8_t type;            /* JP_OBJECT (cprof-1) or JP_ARRAY (cprof-2) if a record at all */
    uint16_t v2_n;           /* cprof-2: its values, the extras object too */
    uint16_t v2_obj, v2_bad; /* ... where the extras object is, and the first value of a
                                wrong kind (an array, an object before the counters): i + 1 */
} doc_rec;

/* cprof-2's "sites": [name, file, line] each. */
typedef struct doc_site {
    uint8_t type;            /* JP_ARRAY if well formed */
    uint16_t n;              /* its values */
    jp_val name, file, line;
} doc_site;

/* overhead.counters / counters_inside, threads[].totals: event -> number. */
typedef struct doc_num { int ev; jp_val v; } doc_num;
typedef struct doc_map { jp_val v; doc_num *e; size_t n, cap; } doc_map;

typedef struct doc_thread {
    uint8_t type;
    jp_val tid, name, counter_error, open, open_at_exit, regions_v, tree_v;
    jp_val cols_v;           /* cprof-2: "counters", its columns when not the active events */
    int *cols;               /* ... their names (doc->names ids; -1: not a string) */
    size_t n_cols, cap_cols;
    doc_rec *regions, *tree;
    size_t n_regions, n_tree;
    doc_map totals;          /* built-in and user counters, inside regions and out */
} doc_thread;

typedef struct doc_event {
    uint8_t type;
    jp_val name, active, reason;
    int name_id;             /* in doc->names, -1 if no string name */
} doc_event;

typedef struct dump_doc {
    char *buf;               /* the file, owned: strings point into it */
    jp_val top, format, pid, command, host, cpu, rank, filter, unselected_count;
    jp_val events_v, overhead_v, threads_v, errors_v, unselected_v, sites_v;
    doc_site *sites; size_t n_sites, cap_sites;   /* cprof-2 */
    jp_val unbalanced, dropped;                  /* in "errors" */
    jp_val ns_per_pair, ns_inside, ns_untimed, ns_untimed_scope;   /* in "overhead" */
    doc_map oh_counters, oh_inside, oh_untimed, oh_untimed_scope;
    doc_event *events; size_t n_events, cap_events;
    doc_thread *threads; size_t n_threads, cap_threads;
    doc_counter *counters; size_t n_counters, cap_counters;
    const char **unselected; size_t n_unselected, cap_unselected;   /* NULL: not a string */
    strtab names;            /* event names, of "events" and of every "counters" */
} dump_doc;

/*
 * Reads buf[0..len) (buf[len] == 0; the doc owns buf from now on, even on
 * failure) into doc. 0, or -1 with j->failed (the byte at fault and what
 * was expected there: the file is not JSON, or has a duplicate key).
 */
int dump_doc_read(dump_doc *doc, char *buf, size_t len, jp *j);
void dump_doc_free(dump_doc *doc);

#endif
