/*
 * launch.h: running the profiled program (or valgrind around it) with
 * fork/execvp, stdio passed through, extra environment variables set, and
 * reporting how it ended.
 */
#ifndef CPROF_CLI_LAUNCH_H
#define CPROF_CLI_LAUNCH_H

#include <stddef.h>

typedef struct launch_result {
    int started;     /* 0: exec failed (err says why) */
    int exited;      /* 1: exited normally with `status` */
    int status;
    int signal;      /* terminating signal, or 0 */
    int core;        /* dumped core */
    int forwarded;   /* a SIGTERM/SIGHUP sent to us was passed on to it (the signal), or 0 */
} launch_result;

/*
 * Run argv[0] (PATH lookup as execvp) with argv. `env` is NULL or a
 * NULL-terminated list "NAME=VALUE" (set) / "NAME" (unset) applied in the
 * child only. SIGINT/SIGQUIT are ignored in the parent while the child runs,
 * as a shell does. Returns 0 if the child ran (see r), -1 + err otherwise.
 */
int launch_run(char *const argv[], char *const env[], launch_result *r,
               char *err, size_t errlen);
/* The same; with LAUNCH_STDOUT_TO_STDERR the child's stdout goes to stderr,
 * so a report in a machine format (json, csv, folded) on stdout stays clean. */
#define LAUNCH_STDOUT_TO_STDERR 1
int launch_run_flags(char *const argv[], char *const env[], int flags, launch_result *r,
                     char *err, size_t errlen);

/* "exited with status 3", "was killed by signal 11 (Segmentation fault), core dumped":
 * reads after "the program". */
void launch_describe(const launch_result *r, char *buf, size_t len);

/* 1 if the run counts as a failure (non-zero status or a signal). */
int launch_failed(const launch_result *r);

/* The exit status for a run that failed: 128 + N when signal N, sent to
 * us and passed on, ended it (a shell's status for a killed command),
 * else failed_status. */
int launch_failed_status(const launch_result *r, int failed_status);



/*
 * Run argv like launch_run, but collect its stdout (and its stderr, when
 * err_out is not NULL; else stderr passes through) into malloc'd,
 * NUL-terminated buffers. For cargo metadata and cargo build.
 */
int launch_capture(char *const argv[], char *const env[], launch_result *r,
                   char **out, char **err_out, char *err, size_t errlen);
#endif
