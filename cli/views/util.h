/*
 * util.h: what several views share and nothing outside views needs: human
 * units, the sort key, row ordering, derived ratios and colour codes.
 */
#ifndef CPROF_CLI_VIEWS_UTIL_H
#define CPROF_CLI_VIEWS_UTIL_H

#include <stdint.h>
#include "views/outbuf.h"
#include "views/views.h"

/* "12.3 ms", "812 ns" (time) or "1.23M", "999" (counts) into buf. */
/* One CSV field, quoted when it holds a separator, quote or newline. */
void csv_field(FILE *out, const char *s);
void csv_cell(outbuf *b, const char *s);
/* One frame of a folded stack: ';' (the separator) as ':', line ends as spaces. */
void folded_frame(FILE *out, const char *s);
const char *fmt_time(char *buf, size_t len, double ns);
const char *fmt_count(char *buf, size_t len, double n);
const char *fmt_value(char *buf, size_t len, double v, int is_time);
const char *fmt_percent(char *buf, size_t len, double part, double whole);

#include "sortkey.h"
#include "model/derive.h"

/* A ratio the events allow: IPC, miss ratios; and rates of the program's
 * own counters (user::bytes -> "bytes/s", "bytes/call"). */
#define DERIVED_CALLS (-2)   /* a den[0] that divides by the row's calls */
#define DERIVED_MAX 12       /* derived figures a view makes room for */
typedef struct derived {
    char label[72];          /* column title */
    int num[3], den[3];      /* metric indices, -1 terminated sums (den[0] may be DERIVED_CALLS) */
    int percent;             /* show as % (miss ratios) */
    double scale;            /* the ratio times this (1e9: a count per ns becomes per s) */
    int count;               /* show as a count (1.23M), not with two decimals */
} derived;
/* The derived figures m's metrics allow; returns how many (at most max). */
size_t derived_figures(const prof_model *m, derived *out, size_t max);
/* One derived value from the values (and calls) of a row; < 0 if undefined. */
double derived_value(const derived *d, const int64_t *vals, uint64_t calls);
/* The cell of a derived value: "-" when undefined. */
const char *fmt_derived(char *buf, size_t len, const derived *d, const int64_t *vals, uint64_t calls);

/* Whether the model has any inclusive figures. */
int model_has_incl(const prof_model *m);
/* Whether it counts calls (regions, callgrind; not cachegrind, dhat). */
int model_has_calls(const prof_model *m);
/* 1 if one of the n rows names its ELF object (cachegrind's never do). */
int rows_have_object(const prof_model *m, const size_t *rows, size_t n);
/* Whether the human views (table, tree, markdown) give metric i columns:
 * all but DHAT's details (peak_blocks, end_blocks, lifetime, reads, writes:
 * in the totals, json and csv, and behind avg life, reads/B and writes/B),
 * unless k sorts by it. view_shown_metrics: how many are shown. */
int view_metric_shown(const prof_model *m, size_t i, const sort_key *k);
size_t view_shown_metrics(const prof_model *m, const sort_key *k);
/* A name for a table or tree column: whole up to `max` bytes; else its
 * generic arguments shortened first, the deepest first (with_capacity_in<…>,
 * Vec<Box<…>>), then "…" and its last max-1 bytes, so the path's last
 * segments, the function's name, stay (the whole name stays in json and csv). */
#define VIEW_NAME_MAX 72
const char *fit_name(char *buf, size_t len, const char *s, size_t max);
/* "file:line" or "file" or "" into buf (file may be NULL; line <= 0: none). */
const char *fmt_file_line(char *buf, size_t len, const char *file, int line);
/* e's "file:line", the full path (svg hovers; json and csv write file and line apart). */
const char *fmt_location(char *buf, size_t len, const prof_entry *e);
/* A path as the text views show it, short: rustc's own sources
 * (/rustc/<40-hex commit>/library/...) as <rust>/..., a crate in cargo's
 * registry (.../registry/src/<index>/NAME-VER/...) as <registry>/NAME-VER/...,
 * one under root (the crate's folder; may be NULL) relative to it. Valgrind
 * profiles name files by the absolute paths of the debug info: their rows
 * ran to 250 columns. buf, or path itself when nothing is shortened ("" for NULL). */
const char *display_path(char *buf, size_t len, const char *path, const char *root);
/* fmt_file_line of display_path(file): the location column of the text views. */
const char *fmt_place(char *buf, size_t len, const char *file, int line, const char *root);
/* A region's marks (model/trust.h): "~1/64" when throttled, "!93%" when
 * mostly the profiler's own cost, both, or "". */
const char *fmt_trust(char *buf, size_t len, const prof_model *m, const prof_entry *e);
/* The same for a call path (the tree view). */
const char *fmt_node_trust(char *buf, size_t len, const prof_node *n);
/* 1 if any of the rows has a mark (the views add the column then). */
int any_trust_mark(const prof_model *m, const size_t *rows, size_t n);
/* s with a leading "~" when the figure is scaled (a throttled region's), in buf. */
const char *approx(char *buf, size_t len, const char *s, int scaled);

#define C_BOLD  "\033[1m"
#define C_DIM   "\033[2m"
#define C_RED   "\033[31m"
#define C_YEL   "\033[33m"
#define C_CYAN  "\033[36m"
#define C_OFF   "\033[0m"
#define COL(o, c) ((o)->color ? (c) : "")

/* Whether the views give each region's spread across processes
 * (model/spread.h): a profile of more than one process, of one run (the
 * mean of runs has none), unless o->no_spread. */
#include "model/spread.h"
int view_spread_shown(const prof_model *m, const view_opts *o);
/* The columns of the per-process section of the table and markdown views:
 * processes, then per metric min, median, max and imbalance of the
 * exclusive figures. Their titles, and entry ei's cells ("-" where none of
 * its processes has the metric); SPREAD_COLS of them, at most. */
#define SPREAD_COLS (1 + 4 * PROF_MAX_METRICS)
size_t spread_titles(const prof_model *m, char (*t)[96]);
size_t spread_cells(const prof_model *m, size_t ei, char (*c)[64]);

/* The header lines every human view starts with: command, events, missing
 * events and why, notes (compensation, errors). */
void print_header(const prof_model *m, const view_opts *o, FILE *out);

#endif
