/*
 * vgparse.h: the streaming parser shared by the callgrind and cachegrind
 * readers (cachegrind's format is a subset of callgrind's). A FILE* entry
 * point, so the fuzz target and tests can feed it memory.
 */
#ifndef CPROF_CLI_VGPARSE_H
#define CPROF_CLI_VGPARSE_H

#include <stddef.h>
#include <stdio.h>
#include "model/model.h"

typedef enum vg_tool { VG_CALLGRIND, VG_CACHEGRIND } vg_tool;

/*
 * Parse one valgrind output file from f (named `path` in messages) and merge
 * it into m: functions (recursion levels fib'2 merged into fib, Rust hash
 * suffixes trimmed) with self cost, inclusive cost as callgrind_annotate
 * --inclusive=yes counts it, calls, and call edges. 0, or -1 with one line in
 * err ("PATH:LINE: what was expected"). Warnings go to m's notes.
 */
int vg_read_stream(prof_model *m, FILE *f, const char *path, vg_tool tool,
                   char *err, size_t errlen);

/* Open path safely (regular file, no blocking on FIFOs) and parse it. */
int vg_read_path(prof_model *m, const char *path, vg_tool tool, char *err, size_t errlen);

/*
 * The displayed name of a valgrind function name: recursion/caller context
 * suffixes ("fib'2", "f'g") and a Rust legacy hash ("::h0123456789abcdef")
 * removed. Returns the kept length of s; *level is the recursion level
 * (1 unless a "'N" suffix with N >= 2 was present).
 */
size_t vg_function_name(const char *s, size_t len, int *level);

#endif
