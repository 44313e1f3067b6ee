/*
 * strtab.h: interned strings for the valgrind readers. Each distinct string
 * is stored once and named by a small integer, so function keys are three
 * integers and a file of any size costs memory only per distinct name.
 */
#ifndef CPROF_CLI_STRTAB_H
#define CPROF_CLI_STRTAB_H

#include <stddef.h>

#include "model/index.h"

typedef struct strtab {
    str_index ix;          /* string -> id; it owns the strings */
    const char **strs;     /* id -> string */
    size_t n, cap;
} strtab;

void strtab_init(strtab *t);
void strtab_free(strtab *t);
/* The id of s[0..len), added if new. */
int strtab_intern(strtab *t, const char *s, size_t len);
static inline const char *strtab_get(const strtab *t, int id) { return t->strs[id]; }
/* No more strtab_intern: its lookup table freed, strtab_get still works. */
void strtab_lookups_done(strtab *t);

/*
 * A compressed-name table of the callgrind format: "(id) name" defines an
 * id, "(id)" refers to it. Maps ids to strtab ids; ids are dense in
 * valgrind's files, so an array.
 */
#define IDMAP_MAX_ID (1 << 24)
typedef struct idmap {
    int *ids;       /* -1: undefined */
    size_t cap;
} idmap;

void idmap_free(idmap *m);
/* 0, or -1 if id is over IDMAP_MAX_ID. */
int idmap_set(idmap *m, unsigned long id, int sid);
/* The strtab id, or -1 if never defined. */
static inline int idmap_get(const idmap *m, unsigned long id)
{
    return id < m->cap ? m->ids[id] : -1;
}

#endif
