/*
 * clock.c: picks the clock and converts its ticks to ns. The TSC is used only
 * when the CPU says it is constant and nonstop; its rate is measured against
 * CLOCK_MONOTONIC over the whole run (start-up to dump), so start-up costs
 * nothing and the rate is as exact as the run is long.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"

int cprof_clock_is_tsc;
static uint64_t start_ticks;
static uint64_t start_mono;
/* Shortest span the TSC rate is measured over. */
#define MIN_SPAN_NS 10000000u

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cpu_has_invariant_tsc(void)
{
    FILE *f = fopen("/proc/cpuinfo", "re");
    if (!f)
        return 0;
    char line[4096];
    int constant = 0, nonstop = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "flags", 5) != 0)
            continue;
        constant = strstr(line, " constant_tsc") != NULL;
        nonstop = strstr(line, " nonstop_tsc") != NULL;
        break;
    }
    fclose(f);
    return constant && nonstop;
}

void cprof_clock_init(void)
{
    if (cprof_cfg.force_clock == 1)
        cprof_clock_is_tsc = 1;
    else if (cprof_cfg.force_clock == 2)
        cprof_clock_is_tsc = 0;
    else
        cprof_clock_is_tsc = cpu_has_invariant_tsc();
    start_mono = mono_ns();
    start_ticks = cprof_now();
}

uint64_t cprof_clock_start_ticks(void)
{
    return start_ticks;
}

const char *cprof_clock_name(void)
{
    return cprof_clock_is_tsc ? "tsc" : "monotonic";
}

double cprof_clock_ns_per_tick(void)
{
    if (!cprof_clock_is_tsc)
        return 1.0;
    uint64_t m = mono_ns();
    /* A very short run: wait until the span measures the rate to < 1e-5. */
    while (m - start_mono < MIN_SPAN_NS)
        m = mono_ns();
    uint64_t t = __rdtsc();
    if (t <= start_ticks)
        return 1.0;
    return (double)(m - start_mono) / (double)(t - start_ticks);
}

/*
 * The same rate without waiting, for decisions made while the program runs
 * (throttling): good to a fraction of a percent once 20 us have passed.
 * Kept once measured over 10 ms.
 */
double cprof_clock_ns_per_tick_rough(void)
{
    static double kept;
    double k;
    __atomic_load(&kept, &k, __ATOMIC_RELAXED);
    if (k > 0 || !cprof_clock_is_tsc)
        return cprof_clock_is_tsc ? k : 1.0;
    uint64_t m = mono_ns(), t = __rdtsc();
    if (t <= start_ticks || m <= start_mono)
        return 0.4;   /* a 2.5 GHz guess, for a clock that went backwards */
    double r = (double)(m - start_mono) / (double)(t - start_ticks);
    if (m - start_mono >= MIN_SPAN_NS)
        __atomic_store(&kept, &r, __ATOMIC_RELAXED);
    return r;
}
