/*
 * fn_def.h: where a Rust function of a cachegrind profile is defined. The
 * file has no calls and no fi=/fe= lines: a function's code is one block per
 * source file, and its lowest line in its own file may be another function
 * of that file inlined into it (a trial: work::main "at" line 9, Rng::next).
 * Its `fn` line in the source settles which file and line are its own.
 */
#ifndef CPROF_CLI_FN_DEF_H
#define CPROF_CLI_FN_DEF_H

#include <stddef.h>

#include "model/model.h"

/* The function's own name in a Rust path: "format" of
 * "<ryu::buffer::Buffer>::format::<f64>", into *len; NULL for a closure or
 * a name that is not a Rust path. */
const char *rust_fn_name(const char *path, size_t *len);

/* The 1-based line of the first "fn NAME" definition at or after line
 * `from` of a Rust source text, or 0. */
int rust_fn_line(const char *text, size_t len, const char *name, size_t nlen, int from);

/* Each entry of m whose Rust source is readable (a .rs file among its
 * files): placed at its `fn` line, in the costliest file that defines it;
 * the others keep the costliest file's lowest line. */
void vg_rust_def_sites(prof_model *m);

#endif
