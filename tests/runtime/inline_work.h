/*
 * inline_work.h: one nested workload, built both with the inline fast path
 * (test_inline.c) and without it (inline_plain.c): outer > n x mid > 3 x
 * leaf, plus a region CPROF_REGIONS leaves out, with `tag` in the names.
 */
#ifndef CPROF_TEST_INLINE_WORK_H
#define CPROF_TEST_INLINE_WORK_H

#include "helpers.h"

#define INLINE_WORK(n, tag)                                         \
    do {                                                            \
        CPROF_SITE(s_o, tag "_outer");                              \
        CPROF_SITE(s_m, tag "_mid");                                \
        CPROF_SITE(s_l, tag "_leaf");                               \
        CPROF_SITE(s_x, tag "_skipped");                            \
        cprof_enter(&s_o);                                          \
        for (long i_ = 0; i_ < (n); i_++) {                         \
            cprof_enter(&s_m);                                      \
            for (int k_ = 0; k_ < 3; k_++) {                        \
                cprof_enter(&s_l);                                  \
                cprof_enter(&s_x);                                  \
                t_count += 1;                                       \
                cprof_exit(&s_x);                                   \
                cprof_exit(&s_l);                                   \
            }                                                       \
            cprof_exit(&s_m);                                       \
        }                                                           \
        cprof_exit(&s_o);                                           \
    } while (0)

void inline_work_plain(long n);
void scoped_plain(int n);   /* CPROF_SCOPE, recursing n deep (inline_plain.c) */

#endif
