/*
 * cprof_dump.h: the cprof dump reader in two steps, so that a command can
 * merge a whole run (read_cprof_dump in readers.h) or keep one model per
 * thread (--threads). Loading checks the whole file against docs/dump-format.md;
 * merging a loaded dump cannot fail.
 */
#ifndef CPROF_CLI_CPROF_DUMP_H
#define CPROF_CLI_CPROF_DUMP_H

#include <stddef.h>
#include "model/model.h"

typedef struct cprof_dump cprof_dump;

/* Parse and check one dump. NULL + one line in err (file, byte, what was expected). */
cprof_dump *cprof_dump_load(const char *path, char *err, size_t errlen);
/* The same from memory; `path` names the input in errors. */
cprof_dump *cprof_dump_load_mem(const char *path, const char *text, size_t len,
                                char *err, size_t errlen);
void cprof_dump_free(cprof_dump *d);

size_t cprof_dump_n_threads(const cprof_dump *d);
long cprof_dump_pid(const cprof_dump *d);
long cprof_dump_tid(const cprof_dump *d, size_t thread);
const char *cprof_dump_thread_name(const cprof_dump *d, size_t thread);
const char *cprof_dump_command(const cprof_dump *d);
/* Where it ran (the dump's "host", "cpu"): NULL when it does not say. The
 * merge lists them in the model's host and cpu ("a, b"; see cprof_dump.c). */
const char *cprof_dump_host(const cprof_dump *d);
const char *cprof_dump_cpu(const cprof_dump *d);
/* Its rank in a parallel job (the dump's "rank"), or -1. */
long cprof_dump_rank(const cprof_dump *d);
/* The calibrated cost of one enter/exit pair: around (P) and inside (I), ns. */
double cprof_dump_ns_per_pair(const cprof_dump *d);
double cprof_dump_ns_inside(const cprof_dump *d);

/*
 * Merge thread `thread` (or all threads: -1) into m: regions by
 * name+file+line, tree nodes by call path; events, missing events, notes on
 * errors. With `compensate`, the calibrated overhead is subtracted
 * (docs/dump-format.md), clamped at 0. The flat and inclusive figures are
 * derived afterwards, once for all merged dumps: prof_derive_regions
 * (model/derive.h).
 */
void cprof_dump_merge(prof_model *m, const cprof_dump *d, long thread, int compensate);

/* CPROF_REGIONS as the program had it, or NULL; the regions it left out:
 * their number, and the i-th name (NULL past those listed). */
const char *cprof_dump_filter(const cprof_dump *d);
size_t cprof_dump_unselected(const cprof_dump *d, size_t i, const char **name);

/* Merge one file with compensation off/on, then derive: 0, or -1 + err. */
int read_cprof_dump_ex(prof_model *m, const char *path, int compensate,
                       char *err, size_t errlen);

#endif
