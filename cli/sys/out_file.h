/*
 * out_file.h: `-o FILE`, written safely. A view writes into a new temporary
 * file beside FILE (created exclusively, never through a symlink), which is
 * renamed onto FILE only when the view succeeded: a reader of FILE sees the
 * old file or the whole new one, never half. An existing FILE is replaced
 * only when it is one we wrote (it starts with one of our formats' marks) or
 * with --force; a symlink is never followed (with --force the link itself
 * is replaced, not what it points to), but for the system's links to our
 * own streams (/dev/stdout, /dev/fd/N). A device or pipe is written into.
 */
#ifndef CPROF_CLI_OUT_FILE_H
#define CPROF_CLI_OUT_FILE_H

#include <limits.h>
#include <stdio.h>

typedef struct out_file {
    FILE *f;                 /* where the view writes: stdout, or the temporary file */
    const char *path;        /* FILE, or NULL for stdout */
    int force;
    char tmp[PATH_MAX + 32];
} out_file;

/* Can path be written (its folder exists, it is no folder, it is ours or
 * force)? 0, or -1 + one line in err. path NULL or "-": stdout, always 0. */
int out_file_check(const char *path, int force, char *err, size_t errlen);
/* Checks again and opens the temporary file (or takes stdout). 0 or -1 + err. */
int out_file_open(out_file *of, const char *path, int force, char *err, size_t errlen);
/* Closes and renames the temporary file onto path. 0 or -1 + err (the
 * temporary file is gone, path untouched). stdout: flushed. */
int out_file_commit(out_file *of, char *err, size_t errlen);
/* The view failed: the temporary file is removed, path untouched. */
void out_file_abort(out_file *of);

/* Does a file start with one of our formats' first bytes (table, tree, csv,
 * folded and markdown output carry none)? Used by out_file_check, and by tests. */
int out_file_is_ours(const char *head, size_t n);

#endif
