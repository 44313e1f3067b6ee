/*
 * throttle.c: which calls are timed. A call path (tree node) most of whose
 * first timed calls are short is throttled: from then on about 1 call
 * in N is timed and counted with PAPI, the others are only counted (no clock,
 * no PAPI read), and the dump scales the timed calls' figures up to all of
 * them. CPROF_THROTTLE tunes or stops the rule; CPROF_SAMPLE sets a period
 * by hand per region. Everything here runs off the hot path: once per new
 * node, and at a node's decision points.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DEFAULT_AFTER 1000
#define DEFAULT_BELOW_NS 500.0
/* 1 in 256, not 64: a timed call costs its throttled neighbours more than
 * calibration sees (its checks mispredict where untimed calls run), so
 * fewer of them is both faster and nearer the truth. make bench-throttle,
 * interleaved runs, walls best of 5 and outer medians against the oracle,
 * every=64 -> 256: C nested 3.52x -> 3.00x, +51% -> +5%; regex-lite 3.89x
 * -> 3.45x, +93% -> +47%; lexer 1.76x -> 1.61x, -14% -> -2%. 512 and 1024
 * gained little more (C 2.8-2.7x, regex 3.3x) and the lexer's outer went
 * to +28% at 1024. */
#define DEFAULT_EVERY 256
#define MAX_EVERY 1000000u
/* A path still slow at after * 4^k timed calls is checked again
 * up to this many timed calls, then timed for good. */
#define LAST_CHECK (1ull << 40)

/* "1000", "2.5us", "500ns", "1ms": ns (a bare number is ns); -1 if bad. */
static double parse_ns(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0)
        return -1;
    static const struct { const char *unit; double ns; } units[] = {
        { "", 1 }, { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].unit) == 0)
            return v * units[i].ns;
    return -1;
}

/* A whole positive integer up to max, or 0. */
static unsigned long long parse_count(const char *s, unsigned long long max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    return errno || end == s || *end || *s == '-' || v == 0 || v > max ? 0 : v;
}

static int throttle_item(const char *key, const char *val)
{
    if (strcmp(key, "after") == 0) {
        unsigned long long v = parse_count(val, 1ull << 32);
        cprof_cfg.throttle_after = v;
        return v ? 0 : -1;
    }
    if (strcmp(key, "below") == 0) {
        double v = parse_ns(val);
        cprof_cfg.throttle_below_ns = v;
        return v > 0 ? 0 : -1;
    }
    if (strcmp(key, "every") == 0) {
        unsigned long long v = parse_count(val, MAX_EVERY);
        cprof_cfg.throttle_every = (uint32_t)v;
        return v >= 2 ? 0 : -1;
    }
    return -1;
}

/* "off", "on", or "after=K,below=T,every=N" (any of them). */
static int parse_throttle(const char *v)
{
    if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0) {
        cprof_cfg.throttle = 0;
        return 0;
    }
    if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0 || !*v)
        return 0;
    char *copy = strdup(v), *save = NULL;
    int rc = copy ? 0 : -1;
    for (char *it = copy ? strtok_r(copy, ",", &save) : NULL; it && rc == 0;
         it = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(it, '=');
        if (!eq)
            rc = -1;
        else
            *eq = 0, rc = throttle_item(it, eq + 1);
    }
    free(copy);
    return rc;
}

static void throttle_defaults(void)
{
    cprof_cfg.throttle = 1;
    cprof_cfg.throttle_after = DEFAULT_AFTER;
    cprof_cfg.throttle_below_ns = DEFAULT_BELOW_NS;
    cprof_cfg.throttle_every = DEFAULT_EVERY;
}

/* "glob=N,glob=N": N >= 1 (1: every call timed). */
static int parse_sample(const char *v)
{
    int n = 0;
    for (const char *p = v; *p; p++)
        n += *p == ',';
    cprof_cfg.samples = calloc((size_t)n + 1, sizeof *cprof_cfg.samples);
    cprof_cfg.sample_every = calloc((size_t)n + 1, sizeof *cprof_cfg.sample_every);
    char *copy = strdup(v), *save = NULL;
    int rc = copy && cprof_cfg.samples && cprof_cfg.sample_every ? 0 : -1;
    for (char *it = rc ? NULL : strtok_r(copy, ",", &save); it && rc == 0;
         it = strtok_r(NULL, ",", &save)) {
        char *eq = strrchr(it, '=');
        unsigned long long every = eq ? parse_count(eq + 1, MAX_EVERY) : 0;
        if (!every || eq == it) {
            rc = -1;
            break;
        }
        *eq = 0;
        cprof_cfg.samples[cprof_cfg.n_samples].glob = strdup(it);
        cprof_cfg.sample_every[cprof_cfg.n_samples++] = (uint32_t)every;
    }
    free(copy);
    return rc;
}

void cprof_throttle_config(void)
{
    throttle_defaults();
    const char *v = getenv("CPROF_THROTTLE");
    if (v && parse_throttle(v) != 0) {
        throttle_defaults();
        cprof_warn_setting("CPROF_THROTTLE=%s: expected off, on, or after=CALLS,below=TIME,every=N "
                   "(e.g. after=1000,below=500ns,every=256); the defaults are used", v);
    }
    v = getenv("CPROF_TEST_COLD_NS");   /* tests only: cold paths made slow */
    cprof_cfg.test_cold_ns = v ? parse_ns(v) : 0;
    v = getenv("CPROF_TEST_STACK_CAP");   /* tests only: a full stack without running out of memory */
    cprof_cfg.test_stack_cap = v ? (uint32_t)parse_count(v, 1u << 30) : 0;
    v = getenv("CPROF_SAMPLE");
    if (v && *v && parse_sample(v) != 0) {
        cprof_cfg.n_samples = 0;
        cprof_warn_setting("CPROF_SAMPLE=%s: expected GLOB=N,... with N a whole number from 1 to %u "
                   "(e.g. 'parse*=64,lex=1'); no region is sampled by hand", v, MAX_EVERY);
    }
}

uint32_t cprof_sample_every(const char *name)
{
    for (int i = 0; i < cprof_cfg.n_samples; i++)
        if (cprof_cfg.samples[i].glob && cprof_glob_names(cprof_cfg.samples[i].glob, name))
            return cprof_cfg.sample_every[i];
    return 0;
}

/* The longest a timed call of a throttled node adds to its scaled time:
 * 32 times its mean so far, at least 2 us. A node sampled by hand from its
 * first call has no mean then: it is uncapped until CAP_AFTER timed calls
 * give it one (a 2 us cap on calls of milliseconds kept 2 us of each). */
#define CAP_MEANS 32
#define CAP_MIN_NS 2000.0
#define CAP_AFTER 16

static void set_cap(cprof_node *n)
{
    double mean = (double)n->incl / (double)n->timed;
    double floor = CAP_MIN_NS / cprof_clock_ns_per_tick_rough();
    /* a dump on another thread reads cap and period: relaxed stores */
    CPROF_STORE(&n->cap, (uint64_t)(mean * CAP_MEANS > floor ? mean * CAP_MEANS : floor));
}

static void start_sampling(cprof_thread *t, cprof_node *n, uint32_t every)
{
    if (n->timed)
        set_cap(n);
    CPROF_STORE(&n->period, every);
    /* at a timed call's exit: pairs is the next call's index */
    n->next_timed = n->pairs + cprof_throttle_draw(t, every) - 1;
    n->check = n->timed ? 0 : CAP_AFTER;
}

void cprof_throttle_node_init(cprof_thread *t, cprof_node *n)
{
    cprof_region_info info;
    uint32_t every = t->internal ? 1 : cprof_registry_get(n->region, &info) ? info.every : 0;
    if (!t->rng)
        t->rng = ((uint64_t)(uintptr_t)t * 0x9E3779B97F4A7C15ull) | 1;
    n->next_timed = 0;   /* the first call is timed */
    n->check = 0;
    n->shorts = 0;
    if (!t->below_ticks)   /* once per thread: no other thread writes it */
        t->below_ticks = (uint64_t)(cprof_cfg.throttle_below_ns / cprof_clock_ns_per_tick_rough());
    n->cap = UINT64_MAX;
    if (every >= 2) {
        start_sampling(t, n, every);
        n->next_timed = 0;
    } else if (every == 1 || !cprof_cfg.throttle) {
        n->period = 1;
    } else {
        n->period = 0;
        n->check = cprof_cfg.throttle_after;
    }
}

/*
 * Short when more than half of its timed calls were (the median is below
 * throttle_below_ns), not when their mean is: one preempted call among a
 * thousand moved a mean over the line, so a loaded machine throttled other
 * regions than a quiet one, and runs could not be compared (ryu trial).
 */
void cprof_throttle_decide(cprof_thread *t, cprof_node *n)
{
    if (n->period >= 2) {   /* sampled by hand: its mean is known now */
        set_cap(n);
        n->check = 0;
    } else if (2 * n->shorts > n->timed)
        start_sampling(t, n, cprof_cfg.throttle_every);
    else if (n->check < LAST_CHECK)
        n->check *= 4;
    else
        CPROF_STORE(&n->period, 1), n->check = 0;
}
