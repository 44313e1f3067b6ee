/*
 * only_crate.h: --only-crate for valgrind profiles: keeps the functions
 * of the program's own source, folding away the standard library, the
 * dynamic loader and valgrind's own code.
 */
#ifndef CPROF_CLI_VALGRIND_FILTER_H
#define CPROF_CLI_VALGRIND_FILTER_H

#include "model/model.h"

/* 1 if entry e is the program's own code: in the executable `exe` (NULL:
 * any object), with a known source file outside the Rust toolchain and
 * cargo's registry. */
int vg_is_own(const prof_entry *e, const char *exe);

/* A model with m's own entries, the edges between them and m's call paths
 * (if computed) with the hidden functions spliced out (totals stay the
 * program's, so percentages keep their meaning; a note says what was
 * hidden). m is freed. */
prof_model *vg_only_crate(prof_model *m, const char *exe);

#endif
