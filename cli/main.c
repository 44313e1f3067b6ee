/*
 * main.c: the cargo-profiler entry point. Finds the subcommand (skipping the
 * extra "profiler" word cargo passes when run as `cargo profiler ...`) and
 * hands it the rest of the command line.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "cprof.h"

typedef struct command {
    const char *name;
    int (*run)(int, char **);
    const char *summary;
} command;

static const command commands[] = {
    {"regions",    cmd_regions,    "build with profiling on, run, show the regions"},
    {"report",     cmd_report,     "show existing profiles: dumps, run folders, valgrind files"},
    {"init",       cmd_init,       "add the cprof dependency to this crate"},
    {"callgrind",  cmd_callgrind,  "run the program under callgrind, show functions"},
    {"cachegrind", cmd_cachegrind, "run the program under cachegrind, show functions"},
};

static void usage(FILE *out)
{
    fputs("cargo-profiler " CPROF_VERSION ": region profiler for Rust and C\n\n"
          "usage: cargo profiler <command> [options] [-- program args]\n"
          "       cargo profiler <command> --help\n"
          "       cargo profiler --version\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fputs("\nexit status:\n"
          "  0  success\n"
          "  1  error: not a cargo project, no dump, corrupt or unknown dump, I/O\n"
          "  2  bad command line\n"
          "  3  the profiled program failed (exit status or signal); what it dumped is shown\n"
          "  N  the cargo build failed: cargo's own exit status (errors shown as cargo renders them)\n"
          "\nenvironment: CPROF_EVENTS, CPROF_REGIONS (passed on unless --events/--filter),\n"
          "  NO_COLOR (no colour even on a terminal)\n", out);
}

int main(int argc, char **argv)
{
    int i = 1;
    /* `cargo profiler x` runs `cargo-profiler profiler x` */
    if (i < argc && strcmp(argv[i], "profiler") == 0)
        i++;
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[i];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("cargo-profiler %s\n", CPROF_VERSION);
        return EXIT_OK;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(name, commands[k].name) == 0)
            return commands[k].run(argc - i, argv + i);
    fprintf(stderr, "cargo-profiler: unknown command '%s' (try --help)\n", name);
    return EXIT_USAGE;
}
