/*
 * dump_write.c: the dump bench's program (bench/dump.sh, make bench-dump):
 * 1000 regions, each entered at the top and under one other (2000 call-tree
 * nodes), then the dump written N times; prints the size of the dump and
 * the best time of writing it (clock around cprof_dump(), the first dump,
 * which calibrates, left out). The format is CPROF_DUMP_FORMAT's.
 * usage: dump_write [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "cprof.h"

#define NSITES 1000
static cprof_site sites[NSITES];   /* static: the runtime keeps their ids in them */
static char names[NSITES][48];

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    for (int i = 0; i < NSITES; i++) {
        snprintf(names[i], sizeof names[i], "bench::m%d::Type%d::f%d", i % 10, i % 37, i);
        sites[i] = (cprof_site){ names[i], "bench/dump_write.c", i + 1, 0 };
    }
    for (int i = 0; i < NSITES; i++) {   /* at the top */
        cprof_enter(&sites[i]);
        cprof_exit(&sites[i]);
    }
    for (int i = 0; i < NSITES; i++) {   /* under the next one */
        cprof_enter(&sites[(i + 1) % NSITES]);
        cprof_enter(&sites[i]);
        cprof_exit(&sites[i]);
        cprof_exit(&sites[(i + 1) % NSITES]);
    }
    if (cprof_dump() != 0)   /* calibrates: not timed */
        return 1;
    double best = 1e30;
    for (int k = 0; k < n; k++) {
        double t0 = now_ms();
        if (cprof_dump() != 0)
            return 1;
        double t = now_ms() - t0;
        best = t < best ? t : best;
    }
    struct stat st;
    if (!cprof_dump_path() || stat(cprof_dump_path(), &st) != 0)
        return 1;
    printf("%lld %.3f\n", (long long)st.st_size, best);
    return 0;
}
