/*
 * inline_plain.c: the workload of test_inline.c built with CPROF_NO_INLINE,
 * so cprof_enter and cprof_exit are plain calls into the runtime: the
 * inline fast path (cprof_hot.h) must count what they count.
 */
#define CPROF_NO_INLINE
#include "inline_work.h"

void inline_work_plain(long n)
{
    INLINE_WORK(n, "plain");
}

/* CPROF_SCOPE without the inline path: plain calls at both ends. */
void scoped_plain(int n)
{
    CPROF_SCOPE("plain_scope");
    if (n > 0)
        scoped_plain(n - 1);
}
