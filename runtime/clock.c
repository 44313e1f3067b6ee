/*
 * clock.c: picks the clock and converts its ticks to ns. The TSC is used
 * only when the CPU says (CPUID) it is constant and nonstop; its rate is
 * measured against CLOCK_MONOTONIC over the whole run (start-up to dump),
 * so start-up costs nothing. Each end of that span is one (TSC, monotonic)
 * pair read tightly (the TSC on both sides of the clock read, the closest
 * of a few tries), so the rate is off by a few tens of ns over the span: a
 * figure of the run, never longer than the span, by at most that much. A
 * short run need not wait for a long span (a 10 ms wait once cost every
 * short process more than all the rest of the runtime).
 */
#include <cpuid.h>
#include <time.h>

#include "clock.h"

int cprof_clock_is_tsc;
static uint64_t start_ticks;
static uint64_t start_mono;
/* Shortest span the TSC rate is measured over: a run shorter than that
 * (start-up to dump) waits the rest, at most this long. */
#define MIN_SPAN_NS 100000u
#define PAIR_TRIES 5

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The TSC at the middle of the tightest of a few monotonic reads, and that read. */
static void read_pair(uint64_t *tsc, uint64_t *mono)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < PAIR_TRIES; i++) {
        uint64_t a = __rdtsc();
        uint64_t m = mono_ns();
        uint64_t b = __rdtsc();
        if (b >= a && b - a < best) {
            best = b - a;
            *tsc = a + (b - a) / 2;
            *mono = m;
        }
    }
    if (best == UINT64_MAX) {   /* the TSC went back every time (it never should) */
        *mono = mono_ns();
        *tsc = __rdtsc();
    }
}

/* CPUID's "invariant TSC" (constant rate, runs in every C-state): what
 * Linux shows as constant_tsc and nonstop_tsc, without reading
 * /proc/cpuinfo (which makes the kernel ask every CPU for its clock). */
static int cpu_has_invariant_tsc(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u)
        return 0;
    __cpuid(0x80000007u, a, b, c, d);
    return (d >> 8) & 1;
}

void cprof_clock_init(void)
{
    if (cprof_cfg.force_clock == 1)
        cprof_clock_is_tsc = 1;
    else if (cprof_cfg.force_clock == 2)
        cprof_clock_is_tsc = 0;
    else
        cprof_clock_is_tsc = cpu_has_invariant_tsc();
    if (cprof_clock_is_tsc) {
        read_pair(&start_ticks, &start_mono);
    } else {
        start_mono = mono_ns();
        start_ticks = cprof_now();
    }
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
    while (mono_ns() - start_mono < MIN_SPAN_NS)
        ;   /* a very short run: the span is long enough for a rate to ~1e-4 */
    uint64_t t, m;
    read_pair(&t, &m);
    if (t <= start_ticks || m <= start_mono)
        return 1.0;
    return (double)(m - start_mono) / (double)(t - start_ticks);
}

/*
 * The same rate without waiting, for decisions made while the program runs
 * (throttling): good to a fraction of a percent once 20 us have passed.
 * Kept once measured over MIN_SPAN_NS.
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
