/*
 * keep_file.h: letting another program (`cargo add`) rewrite a file of the
 * user's while the file stays the same file: same inode, so the same owner,
 * group, mode, ACLs and hard links. Cargo writes a new file and renames it
 * over the old one (a root run made a user's 0640 nobody:nogroup Cargo.toml
 * root:root and split it from its hard links); we keep a second name for
 * the old inode meanwhile, write the new bytes into it, and rename it back.
 */
#ifndef CPROF_CLI_KEEP_FILE_H
#define CPROF_CLI_KEEP_FILE_H

#include <limits.h>
#include <stddef.h>
#include <sys/stat.h>

typedef struct keep_file {
    char path[PATH_MAX];
    char link[PATH_MAX + 64];   /* the second name of the original inode */
    struct stat st;             /* the file before */
    char *before;               /* its bytes before (malloc'd) */
    size_t before_len;
    int written;                /* its inode holds new bytes */
} keep_file;

/* Refuses a read-only file (no write bit at all, or not writable by us: as
 * root, access() always says yes, so the mode is what counts), anything but
 * a regular file; reads it; links the second name. 0, or -1 + err (nothing
 * changed). */
int keep_file_begin(keep_file *k, const char *path, char *err, size_t errlen);
/* The bytes at path now, as the other program left them (malloc'd,
 * NUL-terminated), or NULL + err. */
char *keep_file_now(const keep_file *k, size_t *n, char *err, size_t errlen);
/* Writes text into the original inode and puts it back at path. 0; -1 + err
 * after putting the file back as it was. A non-empty `note` afterwards says
 * what could not be kept (owner, mode or links changed meanwhile). */
int keep_file_commit(keep_file *k, const char *text, size_t n, char *note, size_t notelen,
                     char *err, size_t errlen);
/* The file back as before (inode and bytes), the second name gone. */
void keep_file_abort(keep_file *k);

#endif
