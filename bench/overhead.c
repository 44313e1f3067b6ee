/*
 * overhead.c: the cost of one enter/exit pair, against PAPI's own high-level
 * API measured in the same run. Each mode runs in a fresh process (the
 * runtime reads its environment once):
 *   overhead            run every mode and print the table
 *   overhead MODE N     run one mode: off | time | untimed | sampled | sde1 | sde1_sampled | sde3 |
 *                       alloc5 | count | perf1 | papi_hl | papi_read | papi_read_tsc
 *                       (events from CPROF_EVENTS/PAPI_EVENTS)
 * Timed modes run with CPROF_THROTTLE=off (every pair timed); "untimed"
 * times a throttled region's pairs that are not timed (CPROF_SAMPLE, 1 in
 * 1000000 timed), "sampled" the default throttling (1 in 256 timed).
 * The figure is the median of several rounds of N pairs, minus an empty loop.
 */
#include <papi.h>
#include <pthread.h>
#include <sde_lib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include "cprof.h"

#define ROUNDS 9
#define PASSES 5

static long long bench_a, bench_b, bench_c;
static char out_dir[] = "/tmp/cprof-bench-XXXXXX";   /* removed at the end */

static unsigned long pthread_self_id(void)
{
    return (unsigned long)pthread_self();
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static void register_sde(void)
{
    papi_handle_t h = papi_sde_init("BENCH");
    papi_sde_register_counter(h, "A", PAPI_SDE_RO | PAPI_SDE_DELTA, PAPI_SDE_long_long, &bench_a);
    papi_sde_register_counter(h, "B", PAPI_SDE_RO | PAPI_SDE_DELTA, PAPI_SDE_long_long, &bench_b);
    papi_sde_register_counter(h, "C", PAPI_SDE_RO | PAPI_SDE_DELTA, PAPI_SDE_long_long, &bench_c);
}

/* ns per iteration of `body` over n iterations, median of ROUNDS. */
#define TIME_LOOP(n, body)                                     \
    ({                                                         \
        double v_[ROUNDS];                                     \
        for (int r_ = 0; r_ < ROUNDS; r_++) {                  \
            double t0_ = now_ns();                             \
            for (long i_ = 0; i_ < (n); i_++) {                \
                body;                                          \
                __asm__ volatile("" ::: "memory");             \
            }                                                  \
            v_[r_] = (now_ns() - t0_) / (double)(n);           \
        }                                                      \
        median(v_, ROUNDS);                                    \
    })

static int run_mode(const char *mode, long n)
{
    CPROF_SITE(site, "bench");
    register_sde();
    double empty = TIME_LOOP(n, (void)0);
    double t;
    if (strcmp(mode, "papi_hl") == 0) {
        /* Warm up: the first begin initialises PAPI's high-level layer. */
        PAPI_hl_region_begin("bench");
        PAPI_hl_region_end("bench");
        t = TIME_LOOP(n, (PAPI_hl_region_begin("bench"), PAPI_hl_region_end("bench")));
    } else if (strncmp(mode, "papi_read", 9) == 0) {
        /* The floor under any exact pair with counters: two reads of the set,
         * and with the clock read at each boundary as well (papi_read_tsc). */
        long long v[4];
        volatile uint64_t sink = 0;
        int es = PAPI_NULL;
        PAPI_library_init(PAPI_VER_CURRENT);
        /* as the runtime must: per-thread event sets need thread support */
        PAPI_thread_init(pthread_self_id);
        PAPI_create_eventset(&es);
        PAPI_add_named_event(es, "sde:::BENCH::A");
        PAPI_start(es);
        if (strcmp(mode, "papi_read_tsc") == 0)
            t = TIME_LOOP(n, (sink = __rdtsc(), PAPI_read(es, v), sink = __rdtsc(), PAPI_read(es, v)));
        else
            t = TIME_LOOP(n, (PAPI_read(es, v), PAPI_read(es, v)));
        (void)sink;
    } else if (strcmp(mode, "probe") == 0) {
        /* can this machine count the event at all? 1 or -1 */
        int es = PAPI_NULL;
        const char *ev = getenv("PAPI_EVENTS");
        t = PAPI_library_init(PAPI_VER_CURRENT) == PAPI_VER_CURRENT && PAPI_create_eventset(&es) == PAPI_OK &&
            ev && PAPI_add_named_event(es, ev) == PAPI_OK && PAPI_start(es) == PAPI_OK ? 1 : -1;
        printf("%.0f\n", t);
        return 0;
    } else if (strcmp(mode, "off") == 0) {
        t = TIME_LOOP(n, (cprof_enter(&site), cprof_exit(&site)));
    } else if (strcmp(mode, "count") == 0) {
        /* one user counter add inside an open region, no enter/exit */
        CPROF_COUNTER(counter, "bench");
        cprof_enter(&site);
        cprof_count(&counter, 1);
        t = TIME_LOOP(n, cprof_count(&counter, 1));
        cprof_exit(&site);
    } else {
        cprof_enter(&site);  /* warm up: first entry resolves the site */
        cprof_exit(&site);
        t = TIME_LOOP(n, (cprof_enter(&site), cprof_exit(&site)));
    }
    printf("%.2f\n", t - empty);
    return 0;
}

/* Runs one mode in a child process with its environment; returns ns per pair. */
static double measure(const char *self, const char *mode, long n, const char *events)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        setenv("CPROF_EVENTS", events, 1);
        setenv("CPROF_OUTPUT", out_dir, 1);
        setenv("CPROF_DISABLE", strcmp(mode, "off") == 0 ? "1" : "0", 1);
        setenv("PAPI_EVENTS", events, 1);
        setenv("PAPI_OUTPUT_DIRECTORY", out_dir, 1);
        setenv("PAPI_NO_WARNING", "1", 1);
        if (strcmp(mode, "untimed") == 0)
            setenv("CPROF_SAMPLE", "bench=1000000", 1);
        else if (strstr(mode, "sampled") == NULL)
            setenv("CPROF_THROTTLE", "off", 1);
        char nbuf[32];
        snprintf(nbuf, sizeof nbuf, "%ld", n);
        execl(self, self, mode, nbuf, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[64] = {0};
    ssize_t r = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return r > 0 ? atof(buf) : -1;
}

int main(int argc, char **argv)
{
    if (argc == 3)
        return run_mode(argv[1], atol(argv[2]));
    if (!mkdtemp(out_dir)) {
        perror("mkdtemp");
        return 1;
    }
    const char *one = "sde:::BENCH::A";
    const char *three = "sde:::BENCH::A,sde:::BENCH::B,sde:::BENCH::C";
    /* Modes alternate over several passes; a mode's cost is its least
     * disturbed pass (the machine is shared, noise only ever adds). */
    const char *perf = "perf::PERF_COUNT_SW_PAGE_FAULTS";
    const char *allocs = "cprof::allocs,cprof::alloc_bytes,cprof::frees,cprof::freed_bytes,cprof::reallocs";
    double off = 1e18, time = 1e18, sde1 = 1e18, sde3 = 1e18, hl = 1e18, floor = 1e18,
           floor_t = 1e18, perf1 = 1e18, hl_perf = 1e18, alloc5 = 1e18, count = 1e18,
           untimed = 1e18, sampled = 1e18, sde1_sampled = 1e18;
    int can_perf = measure(argv[0], "probe", 1, perf) > 0;
    for (int pass = 0; pass < PASSES; pass++) {
        off = fmin(off, measure(argv[0], "off", 2000000, ""));
        time = fmin(time, measure(argv[0], "time", 2000000, ""));
        untimed = fmin(untimed, measure(argv[0], "untimed", 5000000, ""));
        sampled = fmin(sampled, measure(argv[0], "sampled", 5000000, ""));
        sde1_sampled = fmin(sde1_sampled, measure(argv[0], "sde1_sampled", 2000000, one));
        sde1 = fmin(sde1, measure(argv[0], "sde1", 500000, one));
        sde3 = fmin(sde3, measure(argv[0], "sde3", 500000, three));
        alloc5 = fmin(alloc5, measure(argv[0], "alloc5", 2000000, allocs));
        count = fmin(count, measure(argv[0], "count", 5000000, ""));
        hl = fmin(hl, measure(argv[0], "papi_hl", 20000, one));
        floor = fmin(floor, measure(argv[0], "papi_read", 500000, one));
        floor_t = fmin(floor_t, measure(argv[0], "papi_read_tsc", 500000, one));
        /* perf_event's software events: the path hardware events take, read
         * by PAPI with a read() system call (no rdpmc for them) */
        if (can_perf) {
            perf1 = fmin(perf1, measure(argv[0], "perf1", 100000, perf));
            hl_perf = fmin(hl_perf, measure(argv[0], "papi_hl", 20000, perf));
        }
    }
    printf("enter/exit pair, ns (best of %d passes, each the median of %d rounds, empty loop "
           "subtracted)\n", PASSES, ROUNDS);
    printf("  %-34s %9.1f\n", "cprof, CPROF_DISABLE=1", off);
    printf("  %-34s %9.1f   goal <= 30 (every pair timed)\n", "cprof, time only", time);
    printf("  %-34s %9.1f   goal <= 5 (throttled: counted, not timed)\n", "cprof, an untimed pair", untimed);
    printf("  %-34s %9.1f   (default throttling: 1 in 256 timed)\n", "cprof, a throttled region", sampled);
    printf("  %-34s %9.1f   goal <= 60\n", "cprof, 1 sde event", sde1);
    printf("  %-34s %9.1f   (throttled, 1 in 256 timed and counted)\n", "cprof, 1 sde event, throttled",
           sde1_sampled);
    printf("  %-34s %9.1f\n", "cprof, 3 sde events", sde3);
    printf("  %-34s %9.1f   (vs time only: +%.1f)\n", "cprof, the 5 cprof::alloc* counters", alloc5,
           alloc5 - time);
    printf("  %-34s %9.1f   (one call, not a pair)\n", "cprof_count, a user counter", count);
    printf("  %-34s %9.1f\n", "2 x PAPI_read, 1 event", floor);
    printf("  %-34s %9.1f   (floor under any exact pair with time + 1 event)\n",
           "2 x (rdtsc + PAPI_read), 1 event", floor_t);
    printf("  %-34s %9.1f\n", "PAPI_hl_region_begin/end, 1 event", hl);
    if (can_perf) {
        printf("  %-34s %9.1f   (perf_event, read() per PAPI_read)\n", "cprof, 1 perf software event", perf1);
        printf("  %-34s %9.1f\n", "PAPI_hl, the same perf event", hl_perf);
    } else {
        printf("  perf_event software events: not countable here\n");
    }
    printf("ratio PAPI_hl / cprof (1 event): %.0fx   goal >= 100x\n", hl / sde1);
    printf("ratio PAPI_hl / cprof (time only): %.0fx\n", hl / time);
    printf("ratio PAPI_hl / floor (time + 1 event): %.0fx   (the most any PAPI_read-based pair can reach)\n",
           hl / floor_t);
    if (can_perf)
        printf("ratio PAPI_hl / cprof (1 perf software event): %.0fx\n", hl_perf / perf1);
    char *rm[] = { "rm", "-rf", out_dir, NULL };
    pid_t pid = fork();
    if (pid == 0) {
        execvp("rm", rm);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
