/*
 * diff.c: `cargo profiler diff A B`: two profiles (run folders, dumps,
 * valgrind files, our json reports, saved baselines) compared row by row
 * through compare_show(), and `cargo profiler baselines`, which lists the
 * saved ones.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/commands.h"
#include "compare.h"
#include "sys/baseline.h"
#include "sys/cargo.h"
#include "sys/xalloc.h"

/* Where baselines are: the crate's target directory. */
#define WHERE_LONG_OPTIONS \
    {"manifest-path", required_argument, 0, CARGO_OPT_MANIFEST}, \
    {"package",       required_argument, 0, 'p'}, \
    {"target-dir",    required_argument, 0, CARGO_OPT_TARGET_DIR}

static void where_help(FILE *out)
{
    fputs("where baselines are (the crate's target/cargo-profiler/baselines/):\n"
          "  --manifest-path PATH, -p NAME, --target-dir DIR   as for cargo\n", out);
}

static void diff_help(FILE *out)
{
    fputs("usage: cargo profiler diff [options] A B\n\n"
          "Compares profile A (before) with B (after), region by region (functions for\n"
          "valgrind profiles), matched by full name, so lines that moved still match;\n"
          "call paths match in the tree. Each of A and B is a run folder, a dump file, a\n"
          "callgrind or cachegrind file, a --format json report, or the name of a baseline\n"
          "saved with --save-baseline (a path that exists wins over a baseline's name).\n"
          "A run of --repeat N is N runs: time is then judged with statistics.\n"
          "Each figure reads A -> B (+change%, xfactor), inclusive; rows are sorted by the\n"
          "size of the change of their own (exclusive) cost in the metric chosen with\n"
          "--metric or --sort (default: the first; M:incl sorts by the inclusive change).\n\n", out);
    cmp_opts_help(out, 0);
    fputc('\n', out);
    where_help(out);
    fputs("\noutput options:\n"
          "  --format F         table (default), tree, json (cprof-diff-1), csv, markdown (a PR\n"
          "                     comment: regressions first), folded (\"stack A B\" lines),\n"
          "                     svg (a differential flame graph in B's shape above one in\n"
          "                     A's: red where B spends more, blue where less; -o FILE)\n"
          "  --icicle, --minwidth PX   svg: as for a profile (regions --help)\n"
          "  -o FILE, --force   write into FILE (our own files only, unless --force)\n"
          "  -n N               rows shown (0 = all; default: all regions, valgrind's top 20\n"
          "                     in a table, 40 lines in a tree)\n"
          "  --metric M, --sort M   the metric to sort by (time, calls, an event: Ir, ...;\n"
          "                     M:excl (default) or M:incl: by its own or its inclusive change)\n"
          "  --color WHEN       auto (default: on a terminal), always, never\n"
          "  --no-compensate    compare raw region figures (no overhead compensation)\n"
          "  --only-crate       valgrind profiles: the crate's own functions only (a rebuild\n"
          "                     moves a few libc start-up functions)\n"
          "a row's verdict is its metric's, or when that did not change, the first exact\n"
          "metric's that did: \"regressed (calls)\"\n", out);
    exit_status_help(out, EXIT_HELP_LIMITS);
}

static int parse_where(cargo_opts *co, int c, const char *arg)
{
    return c == CARGO_OPT_MANIFEST || c == 'p' || c == CARGO_OPT_TARGET_DIR ? cargo_opts_parse(co, c, arg) : 0;
}

/* A side: a path that exists, else a baseline's name. 0, or EXIT_FAIL after one line. */
static int side_runs(const char *arg, const cargo_opts *co, run_list *runs, char **name)
{
    char err[2048];
    struct stat st;
    int rc = 0;
    if (stat(arg, &st) == 0 || strchr(arg, '/')) {
        rc = add_runs(runs, arg, err, sizeof err);
        *name = xstrdup(arg);
    } else {
        rc = baseline_find(co, arg, runs, err, sizeof err);
        *name = xasprintf("baseline %s", arg);
    }
    if (rc)
        fprintf(stderr, "cargo-profiler diff: %s\n", err);
    return rc ? EXIT_FAIL : 0;
}

int cmd_diff(int argc, char **argv)
{
    static const struct option longs[] = { WHERE_LONG_OPTIONS, CMP_DIFF_LONG_OPTIONS, OUT_LONG_OPTIONS, {0, 0, 0, 0} };
    cargo_opts co;
    cmp_opts c;
    out_opts o;
    cargo_opts_init(&co);
    cmp_opts_init(&c);
    out_opts_init(&o);
    optind = 1;
    int ch, rc = -1;
    opterr = 0;   /* out_usage_error says what is wrong, in one line */
    while (rc < 0 && (ch = getopt_long(argc, argv, "p:" OUT_SHORT_OPTIONS, longs, NULL)) != -1) {
        int used = ch == 'h' ? 0 : parse_where(&co, ch, optarg);
        if (!used)
            used = ch == 'h' ? 0 : cmp_opts_parse(&c, ch, optarg, "diff");
        if (!used && ch != 'h')
            used = out_opts_parse(&o, ch, optarg, "diff");
        if (ch == 'h') {
            diff_help(stdout);
            rc = EXIT_OK;
        } else if (used < 0) {
            rc = EXIT_USAGE;
        } else if (used == 0) {
            out_usage_error("diff", "usage: cargo profiler diff [options] A B  (see --help)\n", argv, optind,
                            "p:" OUT_SHORT_OPTIONS, longs);
            rc = EXIT_USAGE;
        }
    }
    if (rc < 0 && argc - optind != 2) {
        fprintf(stderr, "cargo-profiler diff: expected two profiles, A and B (got %d; see --help)\n",
                argc - optind);
        rc = EXIT_USAGE;
    }
    if (rc >= 0) {
        cmp_opts_free(&c);
        return rc;
    }
    o.confidence = c.confidence;
    run_list ra = {0}, rb = {0};
    char *na = NULL, *nb = NULL;
    rc = side_runs(argv[optind], &co, &ra, &na);
    if (rc == 0)
        rc = side_runs(argv[optind + 1], &co, &rb, &nb);
    if (rc == 0) {
        cmp_side a = {na, &ra, NULL}, b = {nb, &rb, NULL};
        rc = compare_show("diff", &a, &b, &c, &o);
    }
    runs_free(&ra);
    runs_free(&rb);
    free(na);
    free(nb);
    cmp_opts_free(&c);
    return rc;
}

int cmd_baselines(int argc, char **argv)
{
    static const struct option longs[] = { WHERE_LONG_OPTIONS, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0} };
    cargo_opts co;
    cargo_opts_init(&co);
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "p:h", longs, NULL)) != -1) {
        if (ch == 'h') {
            fputs("usage: cargo profiler baselines [options]\n\n"
                  "Lists the baselines saved with --save-baseline NAME (regions, callgrind,\n"
                  "cachegrind): name, kind, runs, when, command. Compare with one:\n"
                  "--baseline NAME, or cargo profiler diff NAME OTHER.\n\n", stdout);
            where_help(stdout);
            exit_status_help(stdout, 0);
            return EXIT_OK;
        }
        if (parse_where(&co, ch, optarg) <= 0) {
            fputs("usage: cargo profiler baselines [--manifest-path PATH] [--target-dir DIR]\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "cargo-profiler baselines: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    char err[2048], *root = NULL;
    if (baseline_root(&co, 0, &root, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler baselines: %s\n", err);
        return EXIT_FAIL;
    }
    baseline_list(root, stdout);
    free(root);
    return EXIT_OK;
}
