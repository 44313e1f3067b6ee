/*
 * cold.c: the runtime's own rare work (a site's first entry, a new call
 * path, the growth of a table) runs while the program's regions are open,
 * and costs microseconds (locks, mmap, page faults). It is measured and
 * added to the thread's cold totals, which every frame's start and end
 * leave out (region.c), so no open region pays for it.
 */
#include "clock.h"
#include "internal.h"

/* Without thread state there is no open frame to move, and the runtime
 * may still be starting (the clock not chosen yet): nothing is read. */
void cprof_cold_begin(cprof_thread *t, cprof_cold *c)
{
    c->started = t != NULL;
    if (!t)
        return;
    c->t0 = cprof_now();
    if (t->nread || t->nbuiltin)
        cprof_counters_read(t, c->c0);
}

/* CPROF_TEST_COLD_NS: a test makes every cold path last that long, and
 * count as one allocation (cprof::allocs), so that charging its time or
 * its counts to a region would show. */
static void test_slow_down(const cprof_cold *c)
{
    CPROF_STORE(&cprof_alloc_tls.v[CPROF_A_ALLOCS], cprof_alloc_tls.v[CPROF_A_ALLOCS] + 1);
    double ticks = cprof_cfg.test_cold_ns / cprof_clock_ns_per_tick_rough();
    while ((double)(cprof_now() - c->t0) < ticks)
        ;
}

void cprof_cold_end(cprof_thread *t, const cprof_cold *c)
{
    if (!c->started || !t)
        return;
    if (CPROF_UNLIKELY(cprof_cfg.test_cold_ns > 0))
        test_slow_down(c);
    if (!t->depth)
        return;
    uint64_t d = cprof_now() - c->t0;
    long long c1[CPROF_MAX_EVENTS];
    int nc = t->nread || t->nbuiltin;
    if (nc)
        cprof_counters_read(t, c1);
    CPROF_STORE(&t->cold_ticks, t->cold_ticks + d);   /* a dump on another thread reads it */
    for (int e = 0; nc && e < t->nread; e++)
        t->cold_c[e] += c1[e] - c->c0[e];
    for (int e = cprof_n_active; nc && e < cprof_n_active + t->nbuiltin; e++)
        t->cold_c[e] += c1[e] - c->c0[e];
}
