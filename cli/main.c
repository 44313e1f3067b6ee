/*
 * main.c: the cargo-profiler entry point. Finds the subcommand (skipping the
 * extra "profiler" word cargo passes when run as `cargo profiler ...`) and
 * hands it the rest of the command line.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "cprof.h"
#include "near.h"

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
    {"dhat",       cmd_dhat,       "run the program under DHAT, show where it allocates"},
    {"diff",       cmd_diff,       "compare two profiles or baselines, region by region"},
    {"baselines",  cmd_baselines,  "list the baselines saved with --save-baseline NAME"},
};

static void usage(FILE *out)
{
    fputs("cargo-profiler " CPROF_VERSION ": region profiler for Rust and C\n\n"
          "usage: cargo profiler <command> [options] [-- program args]\n"
          "       cargo profiler <command> --help\n"
          "       cargo profiler --version\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    exit_status_help(out, EXIT_HELP_LIMITS | EXIT_HELP_PROGRAM | EXIT_HELP_BUILD);
    fputs("\nenvironment: CPROF_EVENTS, CPROF_REGIONS (passed on unless --events/--filter),\n"
          "  CPROF_THROTTLE (off, or after=K,below=T,every=N: tiny hot regions timed 1 call in N),\n"
          "  CPROF_SAMPLE (GLOB=N,...: those regions timed 1 call in N), NO_COLOR (no colour even\n"
          "  on a terminal)\n", out);
}

static void unknown_command(const char *name)
{
    const char *near = NULL;
    size_t best = 3;
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        size_t d = near_distance(name, commands[k].name);
        if (d < best || strncmp(name, commands[k].name, strlen(name)) == 0) {
            best = d < best ? d : best;
            near = commands[k].name;
        }
    }
    if (near)
        fprintf(stderr, "cargo-profiler: unknown command '%s'; did you mean '%s'? (cargo profiler --help)\n",
                name, near);
    else
        fprintf(stderr, "cargo-profiler: unknown command '%s' (cargo profiler --help lists them)\n", name);
}

/* No command given: what there is, in a few lines. */
static void short_usage(void)
{
    fputs("usage: cargo profiler <command> [options] [-- program args]; commands:", stderr);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(stderr, " %s", commands[i].name);
    fputs("\n(cargo profiler --help says more; cargo profiler <command> --help, each one's options)\n", stderr);
}

int main(int argc, char **argv)
{
    /* A block of 128 KB or more is mapped on its own and given back when
     * freed: glibc's default raises that bar to the largest block freed so
     * far (up to 32 MB), and a big file's tables, freed between its reader's
     * stages, then stay in the heap (456 000 functions: 350 MB -> 310 MB) */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    int i = 1;
    /* `cargo profiler x` runs `cargo-profiler profiler x` */
    if (i < argc && strcmp(argv[i], "profiler") == 0)
        i++;
    if (i >= argc) {
        short_usage();
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
    unknown_command(name);
    return EXIT_USAGE;
}
