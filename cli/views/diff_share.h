/*
 * diff_share.h: what the diff views (diff_*.c) share and nothing else
 * needs: the "214 -> 280 (+30.8%, x1.31)" figure, the verdict with its
 * interval and colour, the header, the one-line summary, the rows -n
 * leaves and the merged call tree's child lists. Implemented in diff_view.c.
 */
#ifndef CPROF_CLI_VIEWS_DIFF_SHARE_H
#define CPROF_CLI_VIEWS_DIFF_SHARE_H

#include <stdio.h>

#include "views/diff_views.h"
#include "views/util.h"

#define C_GREEN "\033[32m"

/* "214 -> 280 (+30.8%, x1.31)", "1.20 ms -> 1.80 ms (+50.0%, x1.50)",
 * "- -> 280 (new)", "214 -> - (gone)", "0 -> 5 (+5)" (no ratio from 0),
 * "5 -> 5" (no change). */
const char *diff_figure(char *buf, size_t len, const diff_metric *m, const diff_cell *c);
/* The same with each side's marks of the regions table before its own
 * figure: "~" where that side sampled it (not on calls, always exact),
 * "!" on time where that side's was mostly the profiler's own
 * ("~!1.20 ms -> 1.80 ms ...": only A; "~!1.20 ms -> ~!1.80 ms": both). */
const char *diff_figure_marked(char *buf, size_t len, const diff_metric *m, const diff_cell *c,
                               const diff_trust *t);
/* "regressed", or with an interval "regressed [+42.1%, +57.3%]". */
const char *diff_verdict_text(char *buf, size_t len, const diff_cell *c);
/* A row's or a node's verdict (diff_decisive_cell of its cells) into buf,
 * "regressed (calls)" when a metric other than mi decided it; the
 * deciding cell. */
const diff_cell *diff_cells_verdict(char *buf, size_t len, const prof_diff *d, const diff_cell *cells, size_t mi);
/* Red for regressed, green for improved, "" otherwise or without colour. */
const char *diff_verdict_color(const diff_view_opts *o, diff_verdict v);
/* "2 regressed, 1 improved, 40 unchanged" for metric mi, or "no rows". */
const char *diff_summary(char *buf, size_t len, const prof_diff *d, size_t mi);
/* "1 run" or "3 runs". */
const char *diff_runs(char *buf, size_t len, size_t runs);

/* How a format writes the header: a lead before each line ("" or "- "),
 * names (sides, limits, rows) and free text (notes, reasons). */
typedef struct diff_header_style {
    const char *lead;
    void (*name)(FILE *out, const char *s);
    void (*text)(FILE *out, const char *s);
    int color;
} diff_header_style;
/* "A: <name_a> (N runs)  B: <name_b> (M runs)", the notes, then each broken
 * limit: "limit LIMIT broken by ROW: WHY" (ROW: the row's label). */
void diff_print_header(const prof_diff *d, const diff_header_style *s, FILE *out);
/* The plain text style of the table and the tree. */
void diff_plain(FILE *out, const char *s);

/* Row indices in display order for o->metric (diff_order_by); *shown: how
 * many -n leaves. Caller frees. */
size_t *diff_rows_shown(const prof_diff *d, const diff_view_opts *o, int regressions_first,
                        size_t *shown);

/* The merged call tree's child lists: node i's children are
 * list[first[i] .. first[i + 1]), by the size of the change of metric mi
 * (ties by name) or, by_name, by name alone. */
typedef struct diff_children {
    size_t *first, *list;
} diff_children;
void diff_children_build(const prof_diff *d, size_t mi, int by_name, diff_children *c);
void diff_children_free(diff_children *c);

/* 0, or -1 with a line on stderr when o->metric is not a metric of d:
 * every diff view checks it first. */
int diff_opts_check(const prof_diff *d, const diff_view_opts *o);

/* A mean written as the integer it is (json, csv): whole and below 2^53,
 * where every integer is exact in a double. */
static inline int diff_is_whole(double v)
{
    return v < 9007199254740992.0 && v > -9007199254740992.0 && v == (double)(long long)v;   /* range first: the cast is undefined beyond it */
}

/* "regions" or "functions", for counts ("showing 5 of 9 regions"). */
static inline const char *diff_row_noun(const prof_diff *d)
{
    return d->kind == PROF_REGIONS ? "regions" : "functions";
}

#endif
