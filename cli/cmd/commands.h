/*
 * commands.h: the subcommands of cargo-profiler. Each takes the arguments
 * after its own name (argv[0] is the subcommand) and returns the process
 * exit status (see `cargo-profiler --help`).
 */
#ifndef CPROF_CLI_COMMANDS_H
#define CPROF_CLI_COMMANDS_H

#include <stdio.h>

/* Exit statuses shared by every subcommand. */
enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,      /* bad input, no dump, corrupt file, I/O error */
    EXIT_USAGE = 2,     /* bad command line */
    EXIT_LIMIT = 3,     /* a --limit was broken (a regression) */
    EXIT_PROGRAM = 4,   /* the profiled program failed (its status or signal is on stderr) */
    /* a failed cargo build exits with cargo's own status */
};

/* The exit statuses, for every --help: 0, 1, 2 always; the others as they apply. */
enum { EXIT_HELP_LIMITS = 1, EXIT_HELP_PROGRAM = 2, EXIT_HELP_BUILD = 4 };
void exit_status_help(FILE *out, int which);

int cmd_regions(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_baselines(int argc, char **argv);
int cmd_callgrind(int argc, char **argv);   /* cmd/valgrind.c */
int cmd_cachegrind(int argc, char **argv);  /* cmd/valgrind.c */
int cmd_dhat(int argc, char **argv);        /* cmd/valgrind.c */

#endif
