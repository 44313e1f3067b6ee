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
    FILE_CPROF_DUMP,     /* JSON object with "format": "cprof-2" (or "cprof-1") */
    FILE_CPROF_REPORT,   /* our own --format json: "format": "cprof-report-1" (or another cprof-report-N) */
    FILE_CALLGRIND,      /* "# callgrind format", or version:/creator: callgrind, positions:, ... */
    FILE_CACHEGRIND,     /* "desc:" / "cmd:" / "events:" lines of cg.out */
    FILE_DHAT,           /* valgrind --tool=dhat's JSON: a "dhatFileVersion" key */
    FILE_EMPTY,          /* nothing but white space */
    FILE_OTHER,          /* text or bytes that none of the readers knows */
} file_format;

/* What the file holds, judged by its first bytes (never by its name).
 * FILE_UNKNOWN: unreadable, or JSON that may be a damaged dump (the dump
 * reader says where). */
file_format sniff_format(const char *path);

/* Control bytes quoted from an input (line ends in a name) made '?', so an
 * error stays one line. */
void reader_one_line(char *err);

/* Merge one cprof dump into m (regions by name+file+line, trees by path). */
int read_cprof_dump(prof_model *m, const char *path, char *err, size_t errlen);
/* Streaming readers of valgrind's output files. */
int read_callgrind(prof_model *m, const char *path, char *err, size_t errlen);
int read_cachegrind(prof_model *m, const char *path, char *err, size_t errlen);

/* The whole file in memory (JSON readers), *len its size; NULL and one line
 * in err if it cannot be read or is too large for this machine (slurp.c). */
char *reader_slurp(const char *path, size_t *len, char *err, size_t errlen);

/* DHAT's output (dhat.c, docs/valgrind.md): one entry per function, its
 * allocation stacks as call paths, call edges along them. */
int read_dhat(prof_model *m, const char *path, char *err, size_t errlen);
int read_dhat_mem(prof_model *m, const char *path, const char *text, size_t len, char *err, size_t errlen);

/*
 * Our own --format json reports ("cprof-report-1", docs/report-format.md),
 * read back: region reports (regions, their call tree, missing events,
 * notes, command, program status) and valgrind reports (functions, their
 * files and call edges). A report's figures are final: compensated when it
 * was made, never again. Region reports put exclusive figures into call-tree
 * nodes, as the dump reader does: prof_derive_regions gives back every flat
 * figure the report shows. A report of the top N rows (-n) gets a warning
 * note saying what is missing.
 */
typedef struct report_json report_json;
/* Reads and checks the whole report; NULL and one line in err if bad. */
report_json *report_json_load(const char *path, char *err, size_t errlen);
report_json *report_json_load_mem(const char *path, const char *text, size_t len, char *err, size_t errlen);
void report_json_free(report_json *r);
/* PROF_REGIONS for "tool": "cprof", else the valgrind tool's kind. */
prof_kind report_json_kind(const report_json *r);
/* Region reports: whether their figures were compensated (--no-compensate: 0). */
int report_json_compensated(const report_json *r);
/* Adds the report to m, a model of its kind (regions: derive after every file). */
void report_json_merge(prof_model *m, const report_json *r);
/* Load + merge + (regions) derive, into m of the report's kind. */
int read_report_json(prof_model *m, const char *path, char *err, size_t errlen);

#endif
