/*
 * baseline.h: saved runs to compare later runs with, as criterion and
 * iai-callgrind keep them: target/cargo-profiler/baselines/NAME/ holds
 * rep-1 ... rep-N (each one run's profile files) and baseline.json (format
 * "cprof-baseline-1": what it is, the command, when, how many runs).
 */
#ifndef CPROF_CLI_BASELINE_H
#define CPROF_CLI_BASELINE_H

#include <stdio.h>

#include "inputs.h"
#include "sys/cargo.h"

/* The baselines folder of the crate the options select (created if
 * `create`: only saving makes it). Path malloc'd in *dir. 0, or -1 + err. */
int baseline_root(const cargo_opts *co, int create, char **dir, char *err, size_t errlen);

/*
 * Keep runs as baseline `name` of kind "regions"/"callgrind"/"cachegrind":
 * the files are linked (copied across file systems) into a fresh folder,
 * which then takes the place of an older baseline of that name in one
 * rename (the old one is removed). A folder of that name that is not one
 * of our baselines is never replaced. 0, or -1 + err.
 */
int baseline_save(const char *root, const char *name, const run_list *runs, const char *kind,
                  const char *command, char *err, size_t errlen);

/* The runs of baseline `name`, and its kind; -1 + err (naming the
 * baselines there are) when there is none of that name. */
int baseline_load(const char *root, const char *name, run_list *runs, char *err, size_t errlen);

/* The runs of baseline `name` of the crate co selects, where a path was
 * expected (diff A B, report NAME); nothing is created. -1 + err saying
 * there is neither such a file nor such a baseline. */
int baseline_find(const cargo_opts *co, const char *name, run_list *runs, char *err, size_t errlen);

/* Baseline `name` is there and of kind `kind`. 0, or -1 + err. */
int baseline_check(const char *root, const char *name, const char *kind, char *err, size_t errlen);

/* One line per baseline: name, kind, runs, when, command. */
void baseline_list(const char *root, FILE *out);

#endif
