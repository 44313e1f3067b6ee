/*
 * report.c: `cargo profiler report PATH...`: existing profiles (dumps,
 * folders of them, callgrind/cachegrind files) through the same
 * presentation as the commands that make them.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/commands.h"
#include "present.h"
#include "sys/baseline.h"
#include "sys/cargo.h"
#include <stdlib.h>

static void report_help(FILE *out)
{
    fputs("usage: cargo profiler report [options] [PATH...]\n\n"
          "Shows existing profiles: cprof dump files (cprof-<host>-<pid>.json, and older\n"
          "runtimes' cprof-<pid>.json), folders of them (all dumps merged: threads and\n"
          "processes, such as the ranks of an MPI job on any number of hosts, with each\n"
          "region's spread across the processes), or callgrind/cachegrind/DHAT output\n"
          "files (in a folder: callgrind.out.* / cachegrind.out.* / dhat.out.*, as --keep\n"
          "leaves them), or our own --format json reports (cprof-report-1), read back, or\n"
          "the name of a baseline (--save-baseline NAME) of the crate here.\n"
          "A folder of runs (target/cargo-profiler/) shows its newest run; without a\n"
          "PATH, inside a crate, that folder of the crate's (its target directory's)\n"
          "is the one. A run of --repeat N (rep-1 ... rep-N) or a baseline of N runs\n"
          "shows their mean, with the interval of each mean (+-).\n\n", out);
    out_opts_help(out, OUT_HELP_REGIONS | OUT_HELP_VALGRIND);
    exit_status_help(out, 0);
    fputs("  (1 also when one file could not be read: the others are shown)\n", out);
}

/* One PATH: a run of --repeat N (or a baseline of several runs) shows as their mean. */
static int report_one(const char *path, out_opts *o)
{
    char err[1024];
    run_list runs = {0};
    struct stat st;
    /* a name like a baseline's (no path, no file extension) may be one */
    int missing = stat(path, &st) != 0 && errno == ENOENT && !strchr(path, '/') && !strchr(path, '.');
    cargo_opts co;   /* a PATH that is not there may name a baseline of the crate here */
    cargo_opts_init(&co);
    if (missing ? baseline_find(&co, path, &runs, err, sizeof err) : add_runs(&runs, path, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler report: %s\n", err);
        runs_free(&runs);
        return EXIT_FAIL;
    }
    present_in in = {.cmd = "report", .runs = &runs};
    int rc = present(&in, o);
    runs_free(&runs);
    return rc;
}

/* No PATH: the crate here's runs (what `regions` saved), newest first. */
static int report_crate_runs(out_opts *o)
{
    char dir[PATH_MAX + 32], err[1024];
    cargo_opts co;
    cargo_opts_init(&co);
    struct stat st;
    if (cargo_profiler_dir(&co, 0, dir, sizeof dir, err, sizeof err) != 0) {
        /* cargo's words (err) are about building: here only the PATH is missing */
        fputs("cargo-profiler report: no PATH given, and no crate here to take its runs from: "
              "give dump files or folders (see --help)\n", stderr);
        return EXIT_USAGE;
    }
    int found = stat(dir, &st) == 0;
    if (!found || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "cargo-profiler report: no PATH given, and this crate has no runs yet (%s: %s); "
                "run `cargo profiler regions` first, or give dump files or folders\n", dir,
                strerror(found ? ENOTDIR : errno));
        return EXIT_FAIL;
    }
    return report_one(dir, o);
}

int cmd_report(int argc, char **argv)
{
    static const struct option longs[] = { OUT_LONG_OPTIONS, {0, 0, 0, 0} };
    out_opts o;
    out_opts_init(&o);
    optind = 1;
    int c;
    opterr = 0;   /* out_usage_error says what is wrong, in one line */
    while ((c = getopt_long(argc, argv, OUT_SHORT_OPTIONS, longs, NULL)) != -1) {
        if (c == 'h') {
            report_help(stdout);
            return EXIT_OK;
        }
        int r = out_opts_parse(&o, c, optarg, "report");
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0) {
            out_usage_error("report", "usage: cargo profiler report [options] PATH...  (see --help)\n",
                            argv, optind, OUT_SHORT_OPTIONS, longs);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return report_crate_runs(&o);
    if (argc - optind == 1)
        return report_one(argv[optind], &o);
    file_list files = {0};
    int status = EXIT_OK;
    char err[1024];
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "cargo-profiler report: %s: %s\n", argv[i], strerror(errno));
            status = EXIT_FAIL;
        } else if (S_ISDIR(st.st_mode)) {
            if (add_folder(&files, argv[i], err, sizeof err)) {
                fprintf(stderr, "cargo-profiler report: %s\n", err);
                status = EXIT_FAIL;
            }
        } else {
            list_add(&files, argv[i]);
        }
    }
    present_in in = {.cmd = "report", .files = &files};
    int rc = files.n ? present(&in, &o) : EXIT_FAIL;
    list_free(&files);
    return rc == EXIT_USAGE || status == EXIT_OK ? rc : status;
}
