/*
 * index.h: the model's lookup tables, keys -> array indices (entries by
 * their joined key string, call-tree nodes and call edges by a pair of
 * indices). Open addressing with linear probing, at most half full: a
 * merge of many dumps looks up millions of keys, each in one or two
 * probes of one array.
 */
#ifndef CPROF_CLI_MODEL_INDEX_H
#define CPROF_CLI_MODEL_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "model/arena.h"

#define INDEX_NONE ((size_t)-1)

typedef struct pair_index { struct pair_slot *slot; size_t mask, n; } pair_index;
/* The value of (a, b), or INDEX_NONE. */
size_t pair_index_find(const pair_index *ix, size_t a, size_t b);
/* The value of (a, b); if there is none, (a, b) gets value (returned). */
size_t pair_index_put(pair_index *ix, size_t a, size_t b, size_t value);
/* Room for n keys in all without growing again. */
void pair_index_reserve(pair_index *ix, size_t n);
void pair_index_free(pair_index *ix);

typedef struct str_index {
    struct str_slot *slot;
    size_t mask, n;
    arena keys;   /* their copies */
} str_index;
size_t str_index_find(const str_index *ix, const char *k, size_t len);
/* The value of k[0..len); if there is none, a copy of k gets value
 * (returned). *stored (unless NULL): the index's copy of k, 0-terminated,
 * as long as the index lives. */
size_t str_index_put(str_index *ix, const char *k, size_t len, size_t value, const char **stored);
void str_index_reserve(str_index *ix, size_t n);
void str_index_free(str_index *ix);
/* No more finds or puts: the table freed, the keys' copies kept (until
 * str_index_free). */
void str_index_lookups_done(str_index *ix);

#endif
