/*
 * commands.h: the subcommands of cargo-profiler. Each takes the arguments
 * after its own name (argv[0] is the subcommand) and returns the process
 * exit status (see `cargo-profiler --help`).
 */
#ifndef CPROF_CLI_COMMANDS_H
#define CPROF_CLI_COMMANDS_H

/* Exit statuses shared by every subcommand. */
enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,      /* bad input, no dump, corrupt file, I/O error */
    EXIT_USAGE = 2,     /* bad command line */
    /* the profiled program failed: its own status (128 + N for signal N) */
    /* a failed cargo build exits with cargo's own status */
};

int cmd_regions(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_callgrind(int argc, char **argv);   /* cmd/valgrind.c */
int cmd_cachegrind(int argc, char **argv);  /* cmd/valgrind.c */

#endif
