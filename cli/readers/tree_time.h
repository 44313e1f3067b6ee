/* fit_children.h: a call tree's children fitted into their parent's measured time. */
#ifndef CPROF_FIT_CHILDREN_H
#define CPROF_FIT_CHILDREN_H

#include <stddef.h>
#include <stdint.h>

/*
 * self[i] is node i's own time (its inclusive less its children's), node
 * i's parent is parent[i] - 1 (0: the root), and a parent comes before its
 * children. A node whose self is below zero had children estimated at more
 * than it measured: they are scaled down, with all below them, to fill it
 * exactly, and its self becomes 0 (0 too with no children to give way).
 */
void fit_children(size_t n, const size_t *parent, int64_t *self);

#endif
