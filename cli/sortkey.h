/*
 * sortkey.h: --sort, read once against a profile (sortkey.c).
 */
#ifndef CPROF_CLI_SORTKEY_H
#define CPROF_CLI_SORTKEY_H

#include <stddef.h>
#include <stdint.h>
#include "model/model.h"
#include "views/views.h"

typedef enum sort_what { SORT_INCL, SORT_SELF, SORT_CALLS, SORT_MEAN, SORT_NAME } sort_what;
typedef struct sort_key {
    sort_what what;
    int metric;
} sort_key;

/* Parse o->sort against m (NULL: inclusive of metric 0, self when m has no
 * inclusive figures). 0, or -1 + err. */
int sort_key_parse(const prof_model *m, const char *sort, sort_key *k, char *err, size_t errlen);
/* The length of a --sort key's event name: all but a trailing ":incl",
 * ":excl" or ":self" (any case; event names have colons of their own, as in
 * sde:::LIB::C). *what (may be NULL) gets SORT_INCL or SORT_SELF. */
size_t sort_key_name_len(const char *key, sort_what *what);
/* The same for a view: o->sort, and on failure its one-line error on stderr. */
int view_sort_key(const prof_model *m, const view_opts *o, sort_key *k);
/* Entry indices in display order (malloc'd, *n set; -n applied when limit). */
size_t *sorted_entries(const prof_model *m, const sort_key *k, size_t limit, size_t *n);
/* Compare two value sets under k (for tree children): > 0 when a goes first. */
int sort_cmp_values(const sort_key *k, uint64_t a_calls, const int64_t *a_self, const int64_t *a_incl,
                    uint64_t b_calls, const int64_t *b_self, const int64_t *b_incl);

#endif
