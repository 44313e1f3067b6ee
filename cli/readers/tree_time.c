/*
 * tree_time.c: a thread's call-tree time made consistent.
 *
 * Compensation is taken from each subtree's inclusive time, not node by
 * node: a node's own share of what measuring cost can be more than its
 * own time (a tiny throttled region, calibrated high), and holding each
 * node at 0 while its parent was given back its share of the same calls
 * made an outer region come out above what it measured (rust-base64
 * trial: 1.06 s against 0.87 s raw and 0.47 s real).
 *
 * Then the children are fitted into their parent.
 * A throttled child's time is scaled up from its timed calls, and one slow
 * timed call (preempted, a page fault) can make the children's estimates
 * add up to more than the parent that holds them, which timed all its own
 * calls whole. The parent's figure is the measurement and the children's
 * are estimates: so the children give way, in proportion, and keep their
 * shares; the parent is not raised to their sum (that made a one-call
 * region's mean fall outside its min and max, and put --no-compensate's
 * inclusive above what was measured).
 */
#include <stdlib.h>
#include <math.h>

#include "readers/tree_time.h"
#include "sys/xalloc.h"

size_t fit_children(size_t n, const size_t *parent, int64_t *self, unsigned char *fitted)
{
    size_t n_fitted = 0;
    double *incl = xcalloc(n + 1, sizeof *incl);    /* [i + 1]: node i's, as measured */
    double *scale = xcalloc(n + 1, sizeof *scale);  /* [i + 1]: what node i's children are scaled by */
    for (size_t i = n; i-- > 0;) {
        incl[i + 1] += (double)self[i];
        incl[parent[i]] += incl[i + 1];
    }
    scale[0] = 1;
    for (size_t i = 0; i < n; i++) {
        double s = scale[parent[i]], kids = incl[i + 1] - (double)self[i];
        scale[i + 1] = s;
        if (self[i] >= 0) {
            self[i] = (int64_t)llround(s * (double)self[i]);
            continue;
        }
        if (kids > 0)   /* else no children to give way: no call takes less than no time */
            scale[i + 1] = incl[i + 1] > 0 ? s * incl[i + 1] / kids : 0;
        int over = kids > 0 && -(double)self[i] >= 0.01 * (incl[i + 1] > 0 ? incl[i + 1] : 0);
        n_fitted += (size_t)over;
        if (over && fitted)
            fitted[i] = 1;
        self[i] = 0;
    }
    free(incl);
    free(scale);
    return n_fitted;
}

size_t compensate_tree(size_t n, const size_t *parent, int64_t *self, const double *sub, unsigned char *fitted)
{
    double *raw = xcalloc(n + 1, sizeof *raw), *cost = xcalloc(n + 1, sizeof *cost);
    double *kids = xcalloc(n + 1, sizeof *kids);   /* [i + 1]: node i's children's compensated inclusive */
    for (size_t i = n; i-- > 0;) {   /* children first: their sums reach the parent */
        raw[i + 1] += (double)self[i];
        cost[i + 1] += sub[i];
        raw[parent[i]] += raw[i + 1];
        cost[parent[i]] += cost[i + 1];
    }
    for (size_t i = n; i-- > 0;) {
        double incl = raw[i + 1] > cost[i + 1] ? raw[i + 1] - cost[i + 1] : 0;
        self[i] = (int64_t)llround(incl - kids[i + 1]);
        kids[parent[i]] += incl;
    }
    free(raw);
    free(cost);
    free(kids);
    return fit_children(n, parent, self, fitted);
}
