/*
 * clock.h: the hot path's clock. The TSC costs ~11 ns and needs no system
 * call; CLOCK_MONOTONIC through the vDSO ~27 ns. PAPI_get_real_nsec is never
 * used here: it costs over 1 us on some machines.
 */
#ifndef CPROF_CLOCK_H
#define CPROF_CLOCK_H

#include <stdint.h>
#include <time.h>
#include <x86intrin.h>

#include "internal.h"

static inline uint64_t cprof_now(void)
{
    if (CPROF_LIKELY(cprof_clock_is_tsc))
        return __rdtsc();
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
