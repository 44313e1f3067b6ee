/*
 * report_cmd.c: `cargo profiler report PATH...`: the same output as
 * `regions` from existing dump files or folders (or valgrind files).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/commands.h"
#include "show.h"

static void report_help(FILE *out)
{
    fputs("usage: cargo profiler report [options] PATH...\n\n"
          "Shows existing profiles: cprof dump files (cprof-<pid>.json), folders of them\n"
          "(all dumps merged: threads and processes), or callgrind/cachegrind output files\n"
          "(in a folder: callgrind.out.* / cachegrind.out.*, as --keep leaves them).\n"
          "A folder of runs (target/cargo-profiler/) shows its newest run.\n\n", out);
    show_help(out);
    fputs("  --callers FN       callgrind file: who calls FN, with calls and inclusive cost\n"
          "  --callees FN       callgrind file: what FN calls, likewise\n", out);
    fputs("\nexit status: 0 ok; 1 a file could not be read (the others are shown) or nothing to show;\n"
          "2 bad command line\n", out);
}

int cmd_report(int argc, char **argv)
{
    static const struct option longs[] = {
        SHOW_LONG_OPTIONS,
        {"callers", required_argument, 0, OPT_CALLERS},
        {"callees", required_argument, 0, OPT_CALLEES},
        {0, 0, 0, 0},
    };
    show_opts s;
    show_opts_init(&s);
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, SHOW_SHORT_OPTIONS, longs, NULL)) != -1) {
        if (c == 'h') {
            report_help(stdout);
            return EXIT_OK;
        }
        if (c == OPT_CALLERS || c == OPT_CALLEES) {
            if (s.callers) {
                fputs("cargo-profiler report: --callers and --callees: choose one\n", stderr);
                return EXIT_USAGE;
            }
            s.callers = optarg;
            s.callees = c == OPT_CALLEES;
            continue;
        }
        int r = show_opts_parse(&s, c, optarg, "report");
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0) {
            fputs("usage: cargo profiler report [options] PATH...  (see --help)\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs("cargo-profiler report: no PATH given (dump files or folders; see --help)\n", stderr);
        return EXIT_USAGE;
    }
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
    int rc = files.n ? show_files(&files, &s, NULL, "report") : EXIT_FAIL;
    list_free(&files);
    return status != EXIT_OK ? status : rc;
}
