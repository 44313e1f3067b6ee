/*
 * options.h: the output options every command shares (-n, --format, --sort,
 * --metric, --color, --threads, --by, --no-compensate, --only-crate,
 * --callers, --callees), parsed once into one struct, with one help text.
 */
#ifndef CPROF_CLI_OPTIONS_H
#define CPROF_CLI_OPTIONS_H

#include <getopt.h>
#include <stdio.h>

#include "views/views.h"

typedef struct out_opts {
    view_opts view;
    int limit_given;        /* -n was given (else valgrind profiles get view_valgrind_limit) */
    int color;              /* -1 auto, 0 never, 1 always */
    int threads;
    int by;                 /* --by rank|host: OUT_BY_*, one block per group of processes */
    int compensate;
    double confidence;      /* of the intervals of repeated runs (compare.h: --confidence) */
    int only_crate;
    const char *callers;    /* who calls this function/region ... */
    int callees;            /* ... or what it calls */
    char metric_name[256];  /* --metric in the profile's own spelling (view.metric points here) */
    const char *output;     /* -o FILE (sys/out_file.h), NULL: stdout */
    int force;              /* --force: -o may replace a file we did not write */
    int minwidth_given;
} out_opts;

enum { OUT_BY_NONE, OUT_BY_RANK, OUT_BY_HOST };

/* getopt_long values of the shared options (commands number theirs from 0x3000). */
enum {
    OPT_FORMAT = 0x2000, OPT_SORT, OPT_THREADS, OPT_NO_COMPENSATE, OPT_METRIC, OPT_COLOR,
    OPT_CALLERS, OPT_CALLEES, OPT_ONLY_CRATE, OPT_FORCE, OPT_ICICLE, OPT_MINWIDTH, OPT_BY,
};

#define OUT_SHORT_OPTIONS "n:o:h"
#define OUT_LONG_OPTIONS \
    {"format",        required_argument, 0, OPT_FORMAT}, \
    {"sort",          required_argument, 0, OPT_SORT}, \
    {"threads",       no_argument,       0, OPT_THREADS}, \
    {"by",            required_argument, 0, OPT_BY}, \
    {"no-compensate", no_argument,       0, OPT_NO_COMPENSATE}, \
    {"metric",        required_argument, 0, OPT_METRIC}, \
    {"color",         required_argument, 0, OPT_COLOR}, \
    {"callers",       required_argument, 0, OPT_CALLERS}, \
    {"callees",       required_argument, 0, OPT_CALLEES}, \
    {"only-crate",    no_argument,       0, OPT_ONLY_CRATE}, \
    {"output",        required_argument, 0, 'o'}, \
    {"force",         no_argument,       0, OPT_FORCE}, \
    {"icicle",        no_argument,       0, OPT_ICICLE}, \
    {"minwidth",      required_argument, 0, OPT_MINWIDTH}, \
    {"help",          no_argument,       0, 'h'}

/* Which help lines apply: region profiles, valgrind profiles, or both. */
enum { OUT_HELP_REGIONS = 1, OUT_HELP_VALGRIND = 2 };

void out_opts_init(out_opts *o);
/* 1: handled, 0: not an output option, -1: bad value (one line printed,
 * naming `cmd`; the caller exits 2). */
int out_opts_parse(out_opts *o, int c, const char *arg, const char *cmd);
void out_opts_help(FILE *out, int which);

/* After getopt_long refused argv[optind - 1] (with opterr 0: it said
 * nothing), one line naming cmd: "did you mean" for a long option that is
 * a format's name (--tree: --format tree) or near one of longs (--foramt:
 * --format); else what is wrong (unknown, needs a value, takes none,
 * ambiguous; shorts: getopt's option string); else `usage`. */
void out_usage_error(const char *cmd, const char *usage, char *const *argv, int optind, const char *shorts,
                     const struct option *longs);

/*
 * Do the options fit profile m (what was read, or a model of what a run will
 * measure, checked before it runs)? --sort, --metric (made the profile's own
 * spelling), --callers/--callees, --only-crate, --threads. A --sort on an
 * event that was asked for but not counted (m's missing list) is said and
 * dropped. 0, or EXIT_USAGE (2) after one line naming cmd.
 */
int out_opts_fit(const prof_model *m, out_opts *o, const char *cmd);

/* Where the view writes: -o FILE through a temporary file (sys/out_file.h),
 * else stdout, which must not be a terminal for svg and html. out_begin: 0,
 * or EXIT_USAGE/EXIT_FAIL after one line naming cmd. out_end: when the view
 * was shown, commits (and says "wrote FILE" on stderr), else drops the
 * file; returns the status to exit with (rc, or EXIT_FAIL if the file
 * could not be written). */
#include "sys/out_file.h"
int out_begin(const out_opts *o, const char *cmd, out_file *of);
int out_end(out_file *of, const char *cmd, int shown, int rc);

#endif
