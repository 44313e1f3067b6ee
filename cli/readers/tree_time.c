/*
 * fit_children.c: a node's children fitted into what it measured.
 *
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

#include "readers/fit_children.h"
#include "sys/xalloc.h"

void fit_children(size_t n, const size_t *parent, int64_t *self)
{
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
        self[i] = 0;
    }
    free(incl);
    free(scale);
}
