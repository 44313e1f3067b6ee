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

#endif
