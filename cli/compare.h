/*
 * compare.h: the options that compare runs, shared by `diff` and the
 * commands that run a program (regions, callgrind, cachegrind): --baseline,
 * --save-baseline, --repeat, --limit, --noise, --confidence; and the one
 * way a comparison is shown (compare_show): read both sides' runs, diff
 * them, check the limits, print one diff view.
 */
#ifndef CPROF_CLI_COMPARE_H
#define CPROF_CLI_COMPARE_H

#include <getopt.h>
#include <stdio.h>

#include "inputs.h"
#include "model/limits.h"
#include "options.h"
#include "present.h"
#include "sys/launch.h"
#include "sys/cargo.h"

#define CMP_MAX_LIMITS 64

typedef struct cmp_opts {
    const char *baseline;        /* --baseline NAME: compare this run with it */
    const char *save_baseline;   /* --save-baseline NAME: keep this run as it */
    int repeat;                  /* --repeat N: runs of the program (1) */
    diff_limit limits[CMP_MAX_LIMITS];
    size_t n_limits;
    double noise;                /* --noise 1%: 0.01 */
    double confidence;           /* --confidence 95%: 0.95 */
} cmp_opts;

enum {
    CMP_OPT_BASELINE = 0x2800, CMP_OPT_SAVE_BASELINE, CMP_OPT_REPEAT, CMP_OPT_LIMIT,
    CMP_OPT_NOISE, CMP_OPT_CONFIDENCE,
};

/* What diff takes (--limit, --noise, --confidence) ... */
#define CMP_DIFF_LONG_OPTIONS \
    {"limit",         required_argument, 0, CMP_OPT_LIMIT}, \
    {"noise",         required_argument, 0, CMP_OPT_NOISE}, \
    {"confidence",    required_argument, 0, CMP_OPT_CONFIDENCE}
/* ... and what a command that runs the program takes as well. */
#define CMP_RUN_LONG_OPTIONS \
    CMP_DIFF_LONG_OPTIONS, \
    {"baseline",      required_argument, 0, CMP_OPT_BASELINE}, \
    {"save-baseline", required_argument, 0, CMP_OPT_SAVE_BASELINE}, \
    {"repeat",        required_argument, 0, CMP_OPT_REPEAT}

void cmp_opts_init(cmp_opts *c);
void cmp_opts_free(cmp_opts *c);
/* 1 used, 0 not a compare option, -1 bad value (one line naming cmd). */
int cmp_opts_parse(cmp_opts *c, int opt, const char *arg, const char *cmd);
/* Before a run, against a model of what it will measure (planned): --limit
 * without --baseline, a limit on a metric not measured, --threads or
 * --callers with --baseline/--repeat. 0 or EXIT_USAGE after one line. */
int cmp_opts_check(const cmp_opts *c, const char *cmd, const prof_model *planned, const out_opts *o);
/* Before building: --baseline names a baseline there is, of this kind
 * ("regions", "callgrind", ...). 0 or EXIT_FAIL after one line. */
int cmp_baseline_ready(const cmp_opts *c, const cargo_opts *co, const char *kind, const char *cmd);
/* Help lines: the --limit/--noise/--confidence ones, and as asked the
 * --baseline/--save-baseline ones and the --repeat one. */
enum { CMP_HELP_BASELINE = 1, CMP_HELP_REPEAT = 2 };
void cmp_opts_help(FILE *out, int which);

typedef struct cmp_side {
    const char *name;            /* "baseline before", a path, "this run" */
    const run_list *runs;
    const launch_result *program;   /* how the program of this run ended, or NULL */
} cmp_side;

/*
 * Read both sides (every run: read, merge, derive as present() does),
 * refuse kinds that cannot be compared, diff them, check the limits and
 * print the diff in o's format. EXIT_OK; EXIT_LIMIT (3) when a limit is
 * broken; EXIT_FAIL when a side could not be read; EXIT_USAGE when an option
 * does not fit (a --limit or --metric naming no metric of the diff).
 */
int compare_show(const char *cmd, const cmp_side *a, const cmp_side *b, const cmp_opts *c,
                 out_opts *o);


/*
 * After a command ran the program (runs: its profiles; one, or N for
 * --repeat): show them against --baseline (compare_show), else show them
 * (present: the mean of N runs); then keep them as --save-baseline, of
 * kind "regions"/"callgrind"/"cachegrind". The exit status of the showing
 * (a failed save is EXIT_FAIL).
 */
int compare_run(const present_in *in, const run_list *runs, const char *kind,
                const cargo_opts *co, const cmp_opts *c, out_opts *o);

#endif
