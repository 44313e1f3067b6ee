/* tree_time.h: a thread's call-tree time made consistent: compensated per subtree, children fitted into parents. */
#ifndef CPROF_TREE_TIME_H
#define CPROF_TREE_TIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * For n nodes: self[i] is node i's own time (its inclusive less its
 * children's), node i's parent is parent[i] - 1 (0: the root), and a
 * parent comes before its children.
 */

/* A node whose self is below zero had children estimated at more than it
 * measured: they are scaled down, with all below them, to fill it exactly,
 * and its self becomes 0 (0 too with no children to give way). Returns
 * how many nodes' children were over them by 1% of what they measured
 * or more (less is rounding): nodes whose own time is then unknown. Those
 * nodes have fitted[i] set to 1 (fitted may be NULL; others are left). */
size_t fit_children(size_t n, const size_t *parent, int64_t *self, unsigned char *fitted);

/* Takes sub[i], what measuring put into node i's own time, away from
 * every subtree's inclusive time (at least 0 left), then fits the children:
 * a node's inclusive time is what it measured less what all the calls in
 * it cost, never more than it measured. Returns fit_children's count. */
size_t compensate_tree(size_t n, const size_t *parent, int64_t *self, const double *sub, unsigned char *fitted);

#endif
