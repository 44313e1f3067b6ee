/*
 * throttle_c.c: the C workloads of make bench-throttle (bench/throttle.sh).
 *   throttle_c nested N   outer > N calls of mid, each 4 calls of leaf
 *                         (noinline functions of a few ns), every one a region;
 *                         built with -DORACLE, the same with only outer a region
 *   throttle_c scoped N   the same with CPROF_SCOPE in mid and leaf
 *   throttle_c cold       outer around 1000 sites entered twice each, nothing
 *                         inside: the runtime's cold work (new sites, new call
 *                         paths, growth) that must not be outer's
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof.h"

CPROF_SITE(s_outer, "outer");
CPROF_SITE(s_mid, "mid");
CPROF_SITE(s_leaf, "leaf");

static volatile unsigned long sink;

#ifdef ORACLE
#define INNER_ENTER(s) ((void)(s))
#define INNER_EXIT(s) ((void)(s))
#else
#define INNER_ENTER(s) cprof_enter(s)
#define INNER_EXIT(s) cprof_exit(s)
#endif

static __attribute__((noinline)) void leaf(unsigned long i)
{
    INNER_ENTER(&s_leaf);
    sink += i * 2654435761u >> 7;
    INNER_EXIT(&s_leaf);
}

static __attribute__((noinline)) void mid(unsigned long i)
{
    INNER_ENTER(&s_mid);
    for (int k = 0; k < 4; k++)
        leaf(i + (unsigned long)k);
    INNER_EXIT(&s_mid);
}

#ifdef ORACLE
#define mid_scoped mid
#else
static __attribute__((noinline)) void leaf_scoped(unsigned long i)
{
    CPROF_SCOPE("leaf_scoped");
    sink += i * 2654435761u >> 7;
}

static __attribute__((noinline)) void mid_scoped(unsigned long i)
{
    CPROF_SCOPE("mid_scoped");
    for (int k = 0; k < 4; k++)
        leaf_scoped(i + (unsigned long)k);
}
#endif

static void cold(void)
{
    static cprof_site sites[1000];
    static char names[1000][16];
    for (int i = 0; i < 1000; i++) {
        snprintf(names[i], sizeof names[i], "site%d", i);
        sites[i] = (cprof_site){ names[i], "cold.c", i + 1, 0 };
    }
    cprof_enter(&s_mid);   /* the runtime starts before outer */
    cprof_exit(&s_mid);
    cprof_enter(&s_outer);
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 1000; i++) {
            cprof_enter(&sites[i]);
            cprof_exit(&sites[i]);
        }
    cprof_exit(&s_outer);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "cold") == 0) {
        cold();
        return 0;
    }
    int scoped = argc >= 3 && strcmp(argv[1], "scoped") == 0;
    if (argc < 3 || (strcmp(argv[1], "nested") != 0 && !scoped))
        return 2;
    long n = atol(argv[2]);
    cprof_enter(&s_outer);
    for (long i = 0; i < n; i++)
        (scoped ? mid_scoped : mid)((unsigned long)i);
    cprof_exit(&s_outer);
    printf("%lu\n", sink);
    return 0;
}
