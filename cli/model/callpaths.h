/*
 * callpaths.h: call paths (the model's nodes) for a callgrind profile, from
 * its call edges, so the folded and tree views can show stacks. callgrind
 * records edges, not stacks: a function's cost is split among its callers in
 * proportion to the inclusive cost of each call edge (the usual flame-graph
 * assumption for call graphs), per event.
 */
#ifndef CPROF_CLI_CALLPATHS_H
#define CPROF_CLI_CALLPATHS_H

#include "model/model.h"

#define CALLPATHS_MAX_NODES 200000
#define CALLPATHS_MAX_DEPTH 256

/* (Re)compute m's nodes from its entries and edges; nodes[0] is the root.
 * Paths below 1/100000 of the total of the first event are left out, so the
 * folded values add up to the total within about that.
 * Returns the number of nodes. */
size_t vg_call_paths(prof_model *m);

#endif
