/*
 * run_prune.h: the runs folder (target/cargo-profiler/) keeps the newest N
 * run-YYYYMMDD-HHMMSS-PID folders (`--keep-runs N`, default 10, 0 = all);
 * older ones piled up forever.
 */
#ifndef CPROF_CLI_RUN_PRUNE_H
#define CPROF_CLI_RUN_PRUNE_H

#include <stddef.h>

#define RUN_PRUNE_DEFAULT 10

/* 1 if name is PREFIX-YYYYMMDD-HHMMSS-PID or PREFIX-YYYYMMDD-HHMMSS-PID.K,
 * as cargo_output_dir makes them. */
int run_name_is_ours(const char *name, const char *prefix);
/*
 * In folder base, removes all but the newest `keep` of our PREFIX-... folders
 * (keep 0: none removed). Only real folders (never a symlink) owned by us,
 * holding nothing but the files a run leaves (cprof dumps, their temporary
 * files, valgrind's output files), are removed: those files, then the
 * folder. Anything else is left as it is. Returns how many were removed,
 * or -1 when base cannot be read.
 */
int run_prune(const char *base, const char *prefix, int keep);

struct stat;
/* Folder `name` in folder fd `base` removed if it is still the folder st
 * describes and holds only what a run (or a baseline) leaves: our files,
 * and rep-N folders of --repeat holding only ours. 1 if removed. */
int run_remove(int base, const char *name, const struct stat *st);

#endif
