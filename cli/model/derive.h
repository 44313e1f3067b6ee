/*
 * derive.h: the figures of a region profile that are worked out, not read:
 * one derivation for every view. Readers put into each call-tree node its
 * exclusive figures (already compensated); from them, once all dumps are
 * merged, come each node's inclusive figures (excl + its children's incl)
 * and every flat figure of a region (excl: the sum of its nodes'; incl: the
 * sum of its outermost nodes', so recursion counts once; calls). So the
 * table, tree, json, csv and folded views tell the same numbers, with
 * compensation on or off.
 */
#ifndef CPROF_CLI_DERIVE_H
#define CPROF_CLI_DERIVE_H

#include "model/model.h"

void prof_derive_regions(prof_model *m);   /* labels are separate: prof_derive_labels */

/* Each entry's label: the shortest ::-suffix of its name (two parts at
 * least, as in Type::method or module::fn) no other entry's name ends with. */
void prof_derive_labels(prof_model *m);

/* A valgrind function with no symbol (a bare address, as the dynamic
 * loader's entry point): labelled the way valgrind's own tools show it,
 * "0x1ab70: ??? (in ld-linux-x86-64.so.2)". */
void prof_derive_vg_labels(prof_model *m);

/* Offsets where the ::-separated parts of name start (at[0] = 0), outside
 * <>, () and [] (a generic argument or a self type like <&[u8]> has colons
 * of its own); at most max. Their number. */
size_t prof_name_parts(const char *name, size_t *at, size_t max);

/* The label views show (the name when there is none). */
static inline const char *entry_label(const prof_entry *e)
{
    return e->label ? e->label : e->name;
}

#endif
