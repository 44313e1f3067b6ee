/*
 * inputs.h: the profile files a command hands to present(): a list of
 * paths, and the files of a folder (its dumps and valgrind files, or the
 * newest run of a folder of runs).
 */
#ifndef CPROF_CLI_INPUTS_H
#define CPROF_CLI_INPUTS_H

#include <stddef.h>

typedef struct file_list {
    char **v;
    size_t n, cap;
} file_list;

void list_add(file_list *l, const char *s);
void list_free(file_list *l);

/*
 * Add the profiles of folder `dir`: *.json dumps and callgrind.out.* /
 * cachegrind.out.* files, sorted by name. A folder with none that holds
 * run-* folders (target/cargo-profiler/) gives its newest run that has
 * profiles, with a line on stderr saying which. Symbolic links to folders
 * are never followed and runs are looked for one level deep only, so a
 * link back into the folder cannot make the search loop. -1 + err when
 * nothing was found.
 */
int add_folder(file_list *l, const char *dir, char *err, size_t errlen);

/* Runs: each one a list of files (one program run: its threads and
 * processes), several for `regions --repeat N` and its baselines. */
typedef struct run_list {
    file_list *v;
    size_t n, cap;
} run_list;

/* The folder a run of --repeat N keeps its i-th repetition in (i from 1). */
#define REP_PREFIX "rep-"

/*
 * Add the runs at `path`: a profile file is one run; a folder of profiles
 * is one run; a folder of repetitions (rep-1 ... rep-N, as --repeat and
 * baselines keep them) is N runs; a folder of runs gives its newest (as
 * add_folder). -1 + err when nothing was found.
 */
int add_runs(run_list *l, const char *path, char *err, size_t errlen);
void runs_free(run_list *l);

#endif
