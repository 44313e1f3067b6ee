/*
 * start_prog.c: the programs bench/start.sh times from exec to exit. Built
 * three ways from this one file: without WITH_CPROF (the empty program, the
 * reference), with it (linked with libcprof: one region, then a few nested
 * ones, dumped at exit), and with WITH_SDE too (one PAPI software-defined
 * counter, so that CPROF_EVENTS=sde:::START::N loads PAPI).
 * With the argument "big": 1000 regions on 2000 call paths, then two
 * cprof_dump() calls, printing each one's CPU microseconds: the first also
 * calibrates and runs the dump's code for the first time, the second (its
 * file made anew: the first is removed) only writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef WITH_CPROF
#include "cprof.h"

#ifdef WITH_SDE
#include <sde_lib.h>
static long long sde_count;
#endif

#define BIG 1000
static cprof_site big_sites[BIG];
static char big_names[BIG][16];

static double cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Each region under the root and under region 0: 2000 tree nodes. */
static void big(void)
{
    for (int i = 0; i < BIG; i++) {
        snprintf(big_names[i], sizeof big_names[i], "region_%d", i);
        big_sites[i] = (cprof_site){ big_names[i], __FILE__, i + 1, 0 };
    }
    for (int i = 0; i < BIG; i++) {
        cprof_enter(&big_sites[i]);
        cprof_exit(&big_sites[i]);
    }
    cprof_enter(&big_sites[0]);
    for (int i = 1; i < BIG; i++) {
        cprof_enter(&big_sites[i]);
        cprof_exit(&big_sites[i]);
    }
    cprof_exit(&big_sites[0]);
    double t0 = cpu_us();
    cprof_dump();
    double t1 = cpu_us();
    if (cprof_dump_path())
        unlink(cprof_dump_path());
    double t2 = cpu_us();
    cprof_dump();
    double t3 = cpu_us();
    printf("%.0f %.0f\n", t1 - t0, t3 - t2);
}

static void few(void)
{
    CPROF_SITE(outer, "outer");
    CPROF_SITE(a, "a");
    CPROF_SITE(b, "b");
    CPROF_SITE(c, "c");
    cprof_enter(&outer);
    cprof_enter(&a);
    cprof_exit(&a);
    cprof_enter(&b);
    cprof_enter(&c);
    cprof_exit(&c);
    cprof_exit(&b);
    cprof_exit(&outer);
}
#endif

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
#ifdef WITH_CPROF
#ifdef WITH_SDE
    papi_handle_t h = papi_sde_init("START");
    papi_sde_register_counter(h, "N", PAPI_SDE_RO | PAPI_SDE_DELTA, PAPI_SDE_long_long, &sde_count);
#endif
    if (argc > 1 && strcmp(argv[1], "big") == 0)
        big();
    else
        few();
#endif
    return 0;
}
