/*
 * children.h: the call tree's child lists (the model stores parent links
 * only), ordered by the sort key, for the tree, json and folded views.
 */
#ifndef CPROF_CLI_VIEWS_CHILDREN_H
#define CPROF_CLI_VIEWS_CHILDREN_H

#include "views/util.h"

typedef struct children {
    size_t *first;   /* n_nodes + 1 offsets into list */
    size_t *list;
} children;

/* Build the lists of m's nodes ordered by k (NULL: by name). 0, or -1 (no tree). */
int children_build(const prof_model *m, const sort_key *k, children *c);
void children_free(children *c);

#endif
