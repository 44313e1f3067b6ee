/*
 * report.c: `cargo profiler report PATH...`: existing profiles (dumps,
 * folders of them, callgrind/cachegrind files) through the same
 * presentation as the commands that make them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/commands.h"
#include "present.h"

static void report_help(FILE *out)
{
    fputs("usage: cargo profiler report [options] PATH...\n\n"
          "Shows existing profiles: cprof dump files (cprof-<pid>.json), folders of them\n"
          "(all dumps merged: threads and processes), or callgrind/cachegrind output files\n"
          "(in a folder: callgrind.out.* / cachegrind.out.*, as --keep leaves them).\n"
          "A folder of runs (target/cargo-profiler/) shows its newest run.\n\n", out);
    out_opts_help(out, OUT_HELP_REGIONS | OUT_HELP_VALGRIND);
    fputs("\nexit status: 0 ok; 1 a file could not be read (the others are shown) or nothing to\n"
          "show; 2 bad command line, or an option that does not fit the profile read\n", out);
}

int cmd_report(int argc, char **argv)
{
    static const struct option longs[] = { OUT_LONG_OPTIONS, {0, 0, 0, 0} };
    out_opts o;
    out_opts_init(&o);
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, OUT_SHORT_OPTIONS, longs, NULL)) != -1) {
        if (c == 'h') {
            report_help(stdout);
            return EXIT_OK;
        }
        int r = out_opts_parse(&o, c, optarg, "report");
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
    present_in in = {.cmd = "report", .files = &files};
    int rc = files.n ? present(&in, &o) : EXIT_FAIL;
    list_free(&files);
    return rc == EXIT_USAGE || status == EXIT_OK ? rc : status;
}
