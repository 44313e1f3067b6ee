/*
 * present.h: the one way from profile files to the screen, for every
 * command: read every file (cprof dumps, callgrind, cachegrind) -> merge ->
 * derive (compensation and flat figures, call paths only when a view draws
 * them, --only-crate) -> check --sort/--metric against what was read ->
 * one view. A command only gathers its inputs and calls present().
 */
#ifndef CPROF_CLI_PRESENT_H
#define CPROF_CLI_PRESENT_H

#include "inputs.h"
#include "options.h"
#include "sys/launch.h"

typedef struct present_in {
    const char *cmd;              /* "regions", "report", ...: names the messages */
    const file_list *files;
    const run_list *runs;         /* instead of files: one run, or N (--repeat: their mean) */
    const char *command;          /* the profiled command line, or NULL */
    const char *exe;              /* the executable whose source is "own" (--only-crate), or NULL */
    const char *notes[4];         /* header lines of the command's own (valgrind version, ...) */
    size_t n_notes;
    const launch_result *program; /* how the profiled program ended, or NULL */
    int *selected_nothing;        /* if not NULL, set to 1 when CPROF_REGIONS matched no region */
} present_in;

/* EXIT_OK; EXIT_FAIL when a file could not be read (the others are still
 * shown, each bad one named on stderr) or nothing could be shown; EXIT_USAGE
 * when an option does not fit what was read (--sort, --metric, --callers). */
int present(const present_in *in, out_opts *o);

/* One run's files read, merged and derived as present() would show them
 * (for a side of a diff): the model (caller frees), or NULL after naming
 * each bad file on stderr. *status: EXIT_FAIL if a file could not be read. */
prof_model *present_load(const present_in *in, const file_list *files, out_opts *o, int *status);

#endif
