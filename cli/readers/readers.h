/*
 * readers.h: each reader turns one file into the model (readers -> model ->
 * views). A reader never prints: on failure it returns -1 and leaves one line
 * in err that names the file, the line (or byte) and what was expected.
 * Warnings (a part that parsed, a truncated tail) go into the model's notes.
 */
#ifndef CPROF_CLI_READERS_H
#define CPROF_CLI_READERS_H

#include <stddef.h>
#include "model/model.h"

typedef enum file_format {
    FILE_UNKNOWN,
    FILE_CPROF_DUMP,     /* JSON object with "format": "cprof-1" */
    FILE_CALLGRIND,      /* "# callgrind format", or version:/creator: callgrind, positions:, ... */
    FILE_CACHEGRIND,     /* "desc:" / "cmd:" / "events:" lines of cg.out */
    FILE_EMPTY,          /* nothing but white space */
    FILE_OTHER,          /* text or bytes that none of the readers knows */
} file_format;

/* What the file holds, judged by its first bytes (never by its name).
 * FILE_UNKNOWN: unreadable, or JSON that may be a damaged dump (the dump
 * reader says where). */
file_format sniff_format(const char *path);

/* Merge one cprof dump into m (regions by name+file+line, trees by path). */
int read_cprof_dump(prof_model *m, const char *path, char *err, size_t errlen);
/* Streaming readers of valgrind's output files. */
int read_callgrind(prof_model *m, const char *path, char *err, size_t errlen);
int read_cachegrind(prof_model *m, const char *path, char *err, size_t errlen);

#endif
