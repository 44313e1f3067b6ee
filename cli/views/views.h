/*
 * views.h: the printers of a prof_model (readers -> model -> views). A view
 * never reads a file. All views handle region profiles (cprof) and function
 * profiles (callgrind, cachegrind: has_incl may be 0).
 */
#ifndef CPROF_CLI_VIEWS_H
#define CPROF_CLI_VIEWS_H

#include <jansson.h>
#include <stdio.h>
#include "model/model.h"

typedef enum view_format {
    VIEW_TABLE, VIEW_TREE, VIEW_JSON, VIEW_CSV, VIEW_FOLDED, VIEW_CALLERS,
    VIEW_MARKDOWN,       /* diff output (views/diff_views.h) and a report for a PR comment */
    VIEW_SVG,            /* an interactive flame graph, one self-contained file */
    VIEW_HTML,           /* one self-contained page: summary, table, tree, flame graph, threads */
    VIEW_SPEEDSCOPE,     /* speedscope's file format: one profile per thread */
} view_format;

/* One thread of one process, for the views that show each (html,
 * speedscope): its own figures, with the merged profile's metrics in the
 * same order and its labels. */
typedef struct view_part {
    const prof_model *m;
    long pid, tid;
    const char *thread;   /* the thread's name */
} view_part;

typedef struct view_opts {
    view_format format;
    size_t limit;          /* -n: rows shown, 0 = all */
    const char *sort;      /* incl, excl (self), calls, mean, EVENT, EVENT:incl,
                              EVENT:excl; NULL = the first metric's inclusive
                              (self when has_incl is 0) */
    const char *metric;    /* folded/callers: which metric (NULL = the first) */
    int color;             /* 1: ANSI colours (decided by view_color_auto) */
    int compensated;       /* informational: overhead compensation applied */
    const char *title;     /* NULL, or a block title ("thread 1234 main") */
    int no_header;         /* the header lines were printed above (--threads blocks) */
    /* csv, one table over several blocks (--threads): leading columns, their
     * header (printed unless csv_no_header) and this block's values */
    const char *csv_lead_head, *csv_lead;
    int csv_no_header;
    int no_spread;         /* no per-process spread (csv blocks, whose columns must agree) */
    const char *root;      /* the crate's folder, or NULL: the text views show files (and
                              objects) under it relative to it (display_path, util.h) */
    /* svg, html, speedscope */
    const view_part *parts;   /* each thread of each process (regions; NULL otherwise) */
    size_t n_parts;
    int icicle;               /* svg: drawn top-down */
    double minwidth;          /* svg: frames narrower (in pixels of a 1200-pixel graph) are merged */
} view_opts;

void view_opts_init(view_opts *o);
/* 0 and *f set, or -1 for an unknown name. */
int view_parse_format(const char *name, view_format *f);
/* -n when none is given for a valgrind profile (thousands of functions): a
 * table shows the top 20, a tree its first 40 lines (the heaviest paths,
 * depth first); json, csv and folded are for tools: everything (0). */
size_t view_valgrind_limit(view_format f);
/* CSV, folded and svg output have no place for notes: their warnings (a
 * truncated file, ...) go to stderr as "cargo-profiler CMD: warning: ...". */
void view_warnings_to_stderr(const prof_model *m, const view_opts *o, const char *cmd);
/* Colour decision: stdout is a terminal, NO_COLOR unset/empty, TERM != dumb. */
int view_color_auto(FILE *out);

/* json, csv, folded, markdown: for tools and files (a PR comment); a
 * command sends the program's own stdout to stderr then, so stdout holds
 * the report alone. */
static inline int view_for_tools(view_format f)
{
    return f == VIEW_JSON || f == VIEW_CSV || f == VIEW_FOLDED || f == VIEW_MARKDOWN ||
           f == VIEW_SVG || f == VIEW_HTML || f == VIEW_SPEEDSCOPE;
}

/* svg and html are files to open in a browser: never printed on a terminal. */
static inline int view_is_page(view_format f)
{
    return f == VIEW_SVG || f == VIEW_HTML;
}

/* Whether the views of this format draw call paths (the model's nodes):
 * present() builds callgrind's, from its edges, only for these. */
static inline int view_draws_paths(view_format f)
{
    return f == VIEW_TREE || f == VIEW_FOLDED || f == VIEW_SPEEDSCOPE || view_is_page(f);
}

/* Whether the views of this format show each thread (present() fills parts). */
static inline int view_wants_parts(view_format f)
{
    return f == VIEW_HTML || f == VIEW_SPEEDSCOPE;
}

/* Dispatch on o->format. Returns 0, or -1 on a write error. */
int view_print(const prof_model *m, const view_opts *o, FILE *out);

int view_table(const prof_model *m, const view_opts *o, FILE *out);
int view_tree(const prof_model *m, const view_opts *o, FILE *out);
int view_json(const prof_model *m, const view_opts *o, FILE *out);
int view_csv(const prof_model *m, const view_opts *o, FILE *out);
int view_folded(const prof_model *m, const view_opts *o, FILE *out);
/* A GitHub table of the table view's rows and columns (markdown.c), for a PR comment. */
int view_markdown(const prof_model *m, const view_opts *o, FILE *out);
/* The JSON report as an object (caller owns it), to embed per-thread reports; NULL on a bad sort key. */
json_t *view_json_object(const prof_model *m, const view_opts *o);
/* The same report written out compact for a page's <script>, through a
 * buffer: no tree of a big profile's every row in memory. */
int view_json_script(const prof_model *m, const view_opts *o, FILE *out);

/* One self-contained page (html.c): summary, sortable table, call tree,
 * flame graph, each thread (o->parts); data: the JSON report. */
int view_html(const prof_model *m, const view_opts *o, FILE *out);

int view_callers(const prof_model *m, const view_opts *o, FILE *out);  /* callers.c (helper C) */
/* speedscope's file format: shared frames, one sampled profile per part (else one). */
int view_speedscope(const prof_model *m, const view_opts *o, FILE *out);
/* An interactive flame graph, one self-contained file (svg.c, views/flame.h). */
int view_svg(const prof_model *m, const view_opts *o, FILE *out);

#endif
