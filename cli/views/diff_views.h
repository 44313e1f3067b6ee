/*
 * diff_views.h: the printers of a prof_diff (model/diff.h), one per
 * format, as views.h has for a profile: table (red regressed, green
 * improved on a terminal), tree (the merged call tree with deltas), json
 * ("cprof-diff-1", docs/diff-format.md), csv, markdown (a PR comment:
 * regressions first) and folded ("stack A B" per line: the differential
 * input flame graph tools read). A view never reads a file.
 *
 * A figure reads "214 -> 280 (+30.8%, x1.31)"; time in ns/us/ms/s.
 */
#ifndef CPROF_CLI_DIFF_VIEWS_H
#define CPROF_CLI_DIFF_VIEWS_H

#include <stdio.h>

#include "model/diff.h"
#include "views/views.h"

typedef struct diff_view_opts {
    view_format format;   /* VIEW_TABLE, TREE, JSON, CSV, MARKDOWN, FOLDED, HTML */
    size_t limit;         /* -n: rows (tree: lines) shown, 0 = all */
    size_t metric;        /* index into d->metrics: the sort key, folded's values */
    int by_self;          /* rows ordered by the change of the exclusive figures */
    int color;            /* ANSI colours */
    int icicle;           /* svg, html: the flame graphs drawn top-down */
    double minwidth;      /* svg, html: frames narrower (pixels of 1200) are merged */
    const char *root;     /* the crate's folder, or NULL: as view_opts.root */
} diff_view_opts;

/* Dispatch on o->format. 0, or -1 on a write error or a format with no diff view. */
int diff_view_print(const prof_diff *d, const diff_view_opts *o, FILE *out);

int diff_view_table(const prof_diff *d, const diff_view_opts *o, FILE *out);
int diff_view_tree(const prof_diff *d, const diff_view_opts *o, FILE *out);
int diff_view_json(const prof_diff *d, const diff_view_opts *o, FILE *out);
int diff_view_csv(const prof_diff *d, const diff_view_opts *o, FILE *out);
int diff_view_markdown(const prof_diff *d, const diff_view_opts *o, FILE *out);
int diff_view_folded(const prof_diff *d, const diff_view_opts *o, FILE *out);
/* A differential flame graph in B's shape above one in A's (diff_svg.c, views/flame.h). */
int diff_view_svg(const prof_diff *d, const diff_view_opts *o, FILE *out);
/* The page of a comparison (html_diff.c): the table with its verdicts, the differential flame graphs. */
int diff_view_html(const prof_diff *d, const diff_view_opts *o, FILE *out);

/* The "cprof-diff-1" report as an object (caller owns it), to embed in a
 * page; NULL when o->metric is not one of d's. diff_view_json writes it
 * with jo_dump, indented by 1. */
json_t *diff_json_object(const prof_diff *d, const diff_view_opts *o);

#endif
