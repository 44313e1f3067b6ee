/*
 * spin.c: the program behind spin_samples.h (the recorded samples
 * test_stats.c and test_diff.c judge). One region, "spin::busy", runs a
 * fixed amount of arithmetic: SPIN_ITERS steps (about 2 ms on the machine
 * that recorded the data), or 1.5 times as many when given any argument.
 * Fixed work rather than "spin until the clock says 2 ms", so the samples
 * carry the machine's real run-to-run noise (frequency, caches, other load).
 *
 * Recorded with tests/cli_unit/data/record.sh (see there): each variant run
 * as separate processes with CPROF_OUTPUT set, the region's inclusive time
 * taken from each dump with jq.
 */
#include <stdint.h>
#include <stdio.h>

#include "cprof.h"

#ifndef SPIN_ITERS
#define SPIN_ITERS 1700000u
#endif

/* A dependent chain of multiplies: the compiler can neither drop nor
 * vectorise it, so its length is the work asked for. */
static uint64_t busy(uint64_t iters)
{
    CPROF_SITE(site, "spin::busy");
    cprof_enter(&site);
    volatile uint64_t sink;
    uint64_t x = 88172645463325252u;
    for (uint64_t i = 0; i < iters; i++)
        x = x * 6364136223846793005u + 1442695040888963407u;
    sink = x;
    cprof_exit(&site);
    return sink;
}

int main(int argc, char **argv)
{
    (void)argv;
    uint64_t iters = SPIN_ITERS;
    if (argc > 1)
        iters += iters / 2;
    return busy(iters) == 42 ? 1 : 0;
}
