/*
 * test_throttle.c: throttling (runtime/throttle.c) and the cold paths
 * (runtime/cold.c). A throttled region's calls are exact and its counter,
 * scaled from the timed calls, is exact when every call adds the same;
 * nesting and parents add up; CPROF_THROTTLE and CPROF_SAMPLE do what they
 * say; the runtime's own cold work lands in no region.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

CPROF_SITE(s_outer, "outer");
CPROF_SITE(s_mid, "mid");
CPROF_SITE(s_leaf, "leaf");

TestSuite(throttle, .timeout = 60);

static void tiny_loop(long n, int add)
{
    for (long i = 0; i < n; i++) {
        cprof_enter(&s_leaf);
        t_count += add;
        cprof_exit(&s_leaf);
    }
}

Test(throttle, tiny_region_counted_exactly_and_scaled)
{
    setup(SDE_T);
    register_sde();
    cprof_enter(&s_outer);
    tiny_loop(100000, 3);
    cprof_exit(&s_outer);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *leaf = region(t, "leaf"), *outer = region(t, "outer");
    cr_assert_eq(num(leaf, "calls"), 100000);
    cr_assert_eq(num(leaf, "pairs"), 100000);
    /* the first 1000 timed, then about 1 in 256: 1000 + 99000/256 = 1387 expected */
    long long timed = num(leaf, "timed");
    cr_assert(timed > 1200 && timed < 1600, "timed %lld", timed);
    cr_assert_eq(num(leaf, "period"), 256);
    /* 3 a call, scaled by pairs / timed: exact (rounding to the nearest) */
    cr_assert_eq(ctr(leaf, SDE_T, "incl"), 300000);
    cr_assert_eq(ctr(outer, SDE_T, "incl"), 300000);
    cr_assert_eq(ctr(outer, SDE_T, "excl"), 0);
    cr_assert_eq(num(outer, "child_calls"), 100000);
    cr_assert_eq(num(outer, "child_untimed"), 100000 - timed);
    cr_assert(json_object_get(outer, "timed") == NULL, "outer was timed every call");
    json_t *n_outer = node(t, 0, "outer"), *n_leaf = node(t, num(n_outer, "node"), "leaf");
    cr_assert_eq(num(n_leaf, "timed"), timed);
    cr_assert_eq(ctr(n_leaf, SDE_T, "incl"), 300000);
    cr_assert_eq(num(n_outer, "child_untimed"), 100000 - timed);
}

/*
 * outer > mid (x 20000) > leaf (x 5 each): both inner ones throttled. The
 * threshold is raised so that mid counts as short on any machine: under
 * ASan on a slow one its 5 leaves took more than the default 500 ns.
 */
Test(throttle, nested_throttled_regions_add_up)
{
    setup(SDE_T);
    setenv("CPROF_THROTTLE", "below=1s", 1);
    register_sde();
    cprof_enter(&s_outer);
    for (int i = 0; i < 20000; i++) {
        cprof_enter(&s_mid);
        t_count += 1;
        tiny_loop(5, 2);
        cprof_exit(&s_mid);
    }
    cprof_exit(&s_outer);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *outer = region(t, "outer"), *mid = region(t, "mid"), *leaf = region(t, "leaf");
    cr_assert_eq(num(mid, "calls"), 20000);
    cr_assert_eq(num(leaf, "calls"), 100000);
    cr_assert(num(mid, "timed") < 20000 && num(leaf, "timed") < 100000);
    cr_assert_eq(ctr(leaf, SDE_T, "incl"), 200000);
    cr_assert_eq(ctr(mid, SDE_T, "incl"), 220000);
    cr_assert_eq(ctr(mid, SDE_T, "excl"), 20000);
    cr_assert_eq(ctr(outer, SDE_T, "incl"), 220000);
    cr_assert_eq(ctr(outer, SDE_T, "excl"), 0);
    /* mid's children: 5 a call, its timed calls' ones scaled up */
    cr_assert_eq(num(mid, "child_calls"), 100000);
    long long ct = num(mid, "child_timed"), cu = json_object_get(mid, "child_untimed")
                                                     ? num(mid, "child_untimed") : 0;
    cr_assert(ct + cu > 99000 && ct + cu < 101000, "mid's children in its timed calls, scaled: %lld",
              ct + cu);
}

static void spin_ns(long ns)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    do
        clock_gettime(CLOCK_MONOTONIC, &b);
    while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < ns);
}

/* 1 call in 50 of a tiny region takes 100 us (as if preempted): its mean
 * is 2 us, its median tens of ns. Throttled by the median, as on a quiet
 * machine; the mean kept it timed at every call. */
Test(throttle, decided_by_the_median_not_by_a_slow_call_in_fifty)
{
    setup(SDE_T);
    register_sde();
    cprof_enter(&s_outer);
    for (int i = 0; i < 3000; i++) {
        cprof_enter(&s_leaf);
        t_count += 1;
        if (i % 50 == 0)
            spin_ns(100000);
        cprof_exit(&s_leaf);
    }
    cprof_exit(&s_outer);
    json_t *leaf = region(thread_by_tid(dump_and_load(), gettid()), "leaf");
    cr_assert_eq(num(leaf, "calls"), 3000);
    cr_assert_eq(num(leaf, "period"), 256, "throttled at its first decision");
    cr_assert(num(leaf, "timed") < 1200, "timed %lld", num(leaf, "timed"));
    cr_assert_eq(ctr(leaf, SDE_T, "incl"), 3000);
}

Test(throttle, off_times_every_call)
{
    setup(SDE_T);
    setenv("CPROF_THROTTLE", "off", 1);
    register_sde();
    cprof_enter(&s_outer);
    tiny_loop(5000, 1);
    cprof_exit(&s_outer);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *leaf = region(t, "leaf");
    cr_assert_eq(num(leaf, "calls"), 5000);
    cr_assert(json_object_get(leaf, "timed") == NULL);
    cr_assert(json_object_get(region(t, "outer"), "child_untimed") == NULL);
    cr_assert_eq(ctr(leaf, SDE_T, "incl"), 5000);
}

Test(throttle, tuned_by_the_environment)
{
    setup(SDE_T);
    setenv("CPROF_THROTTLE", "after=100,below=1s,every=10", 1);
    register_sde();
    cprof_enter(&s_outer);   /* 1 s a call is "below": outer too, once it has 100 calls */
    tiny_loop(10000, 1);
    cprof_exit(&s_outer);
    json_t *leaf = region(thread_by_tid(dump_and_load(), gettid()), "leaf");
    long long timed = num(leaf, "timed");
    cr_assert_eq(num(leaf, "period"), 10);
    cr_assert(timed > 100 + 9900 / 10 - 250 && timed < 100 + 9900 / 10 + 250, "timed %lld", timed);
    cr_assert_eq(ctr(leaf, SDE_T, "incl"), 10000);
}

Test(throttle, sample_by_hand_and_never)
{
    setup(SDE_T);
    setenv("CPROF_SAMPLE", "lea*=8,mid=1", 1);
    register_sde();
    cprof_enter(&s_outer);
    for (int i = 0; i < 4000; i++) {
        cprof_enter(&s_mid);
        tiny_loop(1, 4);
        cprof_exit(&s_mid);
    }
    cprof_exit(&s_outer);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *leaf = region(t, "leaf"), *mid = region(t, "mid");
    cr_assert_eq(num(leaf, "period"), 8);   /* from its first call: 4000 / 8 = 500 timed */
    cr_assert(num(leaf, "timed") > 400 && num(leaf, "timed") < 600, "timed %lld", num(leaf, "timed"));
    cr_assert(json_object_get(mid, "timed") == NULL, "mid=1: every call timed");
    cr_assert_eq(ctr(leaf, SDE_T, "incl"), 16000);
    cr_assert_eq(ctr(mid, SDE_T, "incl"), 16000);
    cr_assert_eq(ctr(mid, SDE_T, "excl"), 0);
}

Test(throttle, bad_settings_say_so_and_use_defaults)
{
    setup(SDE_T);
    setenv("CPROF_THROTTLE", "after=ten", 1);
    setenv("CPROF_SAMPLE", "leaf=0", 1);
    register_sde();
    stderr_begin();
    cprof_enter(&s_outer);
    tiny_loop(3000, 1);
    cprof_exit(&s_outer);
    char *err = stderr_end();
    cr_assert(strstr(err, "CPROF_THROTTLE=after=ten: expected off, on, or after=CALLS,below=TIME,every=N"),
              "%s", err);
    cr_assert(strstr(err, "CPROF_SAMPLE=leaf=0: expected GLOB=N"), "%s", err);
    json_t *leaf = region(thread_by_tid(dump_and_load(), gettid()), "leaf");
    cr_assert_eq(num(leaf, "period"), 256);   /* the default rule */
    free(err);
}

/* cargo profiler runs programs with CPROF_QUIET=1 (its report names missing
 * events and dump errors): a bad setting of the user's is said anyway. */
Test(throttle, bad_settings_are_said_under_quiet_too)
{
    setup("none");
    setenv("CPROF_QUIET", "1", 1);
    setenv("CPROF_THROTTLE", "bogus", 1);
    setenv("CPROF_SAMPLE", "=3", 1);
    stderr_begin();
    cprof_enter(&s_outer);
    cprof_exit(&s_outer);
    char *err = stderr_end();
    cr_assert(strstr(err, "CPROF_THROTTLE=bogus: expected off, on"), "%s", err);
    cr_assert(strstr(err, "CPROF_SAMPLE==3: expected GLOB=N"), "%s", err);
    free(err);
}

typedef char site_name[16];   /* room for any int: -O1 cannot bound one */

/* n sites PREFIX0, PREFIX1, ... at lines line0, line0 + 1, ... */
static void make_sites(cprof_site *s, site_name *names, int n, const char *prefix, int line0)
{
    for (int i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "%s%d", prefix, i);
        s[i] = (cprof_site){ names[i], "t.c", line0 + i, 0 };
    }
}

/*
 * Every cold path made to last 2 ms (CPROF_TEST_COLD_NS): 200 sites entered
 * twice inside one region make 400 of them (a new site, a new call path),
 * 0.8 s in all. None of it is the region's.
 */
#define SITES 200
Test(throttle, cold_paths_are_not_charged)
{
    setup("");
    setenv("CPROF_TEST_COLD_NS", "2ms", 1);
    static cprof_site sites[SITES];
    static site_name names[SITES];
    make_sites(sites, names, SITES, "site", 1);
    cprof_enter(&s_mid);   /* the runtime starts: the thread's first call */
    cprof_exit(&s_mid);
    cprof_enter(&s_outer);
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < SITES; i++) {
            cprof_enter(&sites[i]);
            cprof_exit(&sites[i]);
        }
    cprof_exit(&s_outer);
    json_t *outer = region(thread_by_tid(dump_and_load(), gettid()), "outer");
    /* 400 pairs take ~20 us; the cold paths 800 ms */
    cr_assert(num(outer, "incl_ns") < 100000000, "outer: %lld ns", num(outer, "incl_ns"));
}

/* Nor their counts: each cold path counts one allocation here (the test
 * hook), and nothing inside outer allocates. Deep, so that every level's
 * new path is cold work under all the frames open above it. */
#define DEEP 300
static void cold_descend(cprof_site *s, int n)
{
    if (!n)
        return;
    cprof_enter(&s[n - 1]);
    cold_descend(s, n - 1);
    cprof_exit(&s[n - 1]);
}

Test(throttle, cold_paths_are_not_counted)
{
    setup("cprof::allocs");
    setenv("CPROF_TEST_COLD_NS", "1us", 1);
    static cprof_site sites[DEEP];
    static site_name names[DEEP];
    make_sites(sites, names, DEEP, "lvl", 1);
    cprof_alloc_note(8);   /* a hook is there: the dump has the counter */
    cprof_enter(&s_mid);
    cprof_exit(&s_mid);
    cprof_enter(&s_outer);
    cold_descend(sites, DEEP);
    cold_descend(sites, DEEP);   /* the same paths: no cold work */
    cprof_exit(&s_outer);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    cr_assert_eq(ctr(region(t, "outer"), "cprof::allocs", "incl"), 0);
    cr_assert_eq(ctr(region(t, "lvl0"), "cprof::allocs", "incl"), 0);
    cr_assert_eq(num(region(t, "lvl0"), "calls"), 2);
}

/*
 * Many call paths, entered in turn (a caller that calls each of its
 * children once, as a parser or a regex engine does): the hot path finds
 * each node in its first slot of the lookup table or goes the whole way,
 * and nodes that share a slot trade places (region.c). Whichever way a
 * call went, every path's calls and counter are exact.
 */
#define KIDS 64
#define PARENTS 3
#define ROUNDS 3000

static cprof_site kids[KIDS], parents[PARENTS];
static site_name kid_names[KIDS], parent_names[PARENTS];

static void name_sites(void)
{
    make_sites(kids, kid_names, KIDS, "k", 1);
    make_sites(parents, parent_names, PARENTS, "p", 100);
}

Test(throttle, children_called_in_turn_counted_exactly_on_every_path)
{
    setup(SDE_T);
    register_sde();
    name_sites();
    for (int r = 0; r < ROUNDS; r++)
        for (int p = 0; p < PARENTS; p++) {
            cprof_enter(&parents[p]);
            for (int k = 0; k < KIDS; k++) {
                cprof_enter(&kids[k]);
                t_count += k + 1;
                cprof_exit(&kids[k]);
            }
            cprof_exit(&parents[p]);
        }
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    for (int p = 0; p < PARENTS; p++) {
        json_t *np = node(t, 0, parent_names[p]);
        cr_assert_eq(num(np, "calls"), ROUNDS);
        cr_assert_eq(ctr(np, SDE_T, "incl"), (long long)ROUNDS * KIDS * (KIDS + 1) / 2);
        for (int k = 0; k < KIDS; k++) {
            json_t *nk = node(t, num(np, "node"), kid_names[k]);
            cr_assert_eq(num(nk, "calls"), ROUNDS, "p%d > k%d", p, k);
            cr_assert_eq(ctr(nk, SDE_T, "incl"), (long long)ROUNDS * (k + 1), "p%d > k%d", p, k);
        }
    }
    cr_assert_eq(num(region(t, "k5"), "calls"), (long long)ROUNDS * PARENTS);
}

/*
 * A full stack (CPROF_TEST_STACK_CAP: as out of memory) drops a timed
 * enter, whose exit is then skipped by the first exit that comes. An
 * untimed call in between needs no frame, but must not run on the fast
 * path: its exit would be the one skipped, and the dropped call's would
 * close a call it never opened. The stack is full when b's call is timed
 * (62 levels, b, f: 64 frames), while u's node under f was made (and
 * throttled) when b's was not.
 */
Test(throttle, an_untimed_call_while_an_enter_waits_dropped_is_dropped_too)
{
    setup("none");
    setenv("CPROF_TEST_STACK_CAP", "64", 1);
    setenv("CPROF_SAMPLE", "race_b=2,race_f=1,race_u=1000000", 1);
    static cprof_site levels[62], s_b = { "race_b", "t.c", 901, 0 }, s_f = { "race_f", "t.c", 902, 0 };
    static cprof_site s_u = { "race_u", "t.c", 903, 0 }, s_d = { "race_d", "t.c", 904, 0 };
    static site_name names[62];
    make_sites(levels, names, 62, "level", 700);
    for (int i = 0; i < 62; i++)
        cprof_enter(&levels[i]);
    int reached = 0;
    long u_calls = 0;
    for (int k = 0; k < 10000 && reached < 3; k++) {
        cprof_enter(&s_b);
        cprof_enter(&s_f);
        const cprof_hot_thread *h = cprof_hot_self(CPROF_HOT_ABI);
        if (h->depth < h->cap) {
            cprof_enter(&s_u);   /* its node made: it has a frame to start in */
            cprof_exit(&s_u);
            u_calls++;
        } else if (u_calls > 1) {   /* full, u throttled under f */
            cprof_enter(&s_d);   /* timed: no frame left, dropped */
            cprof_enter(&s_u);
            cprof_exit(&s_u);
            cprof_exit(&s_d);
            reached++;
        }
        cprof_exit(&s_f);
        cprof_exit(&s_b);
    }
    for (int i = 61; i >= 0; i--)
        cprof_exit(&levels[i]);
    cr_assert_eq(reached, 3, "the stack was never full with u throttled");
    json_t *d = dump_and_load();
    cr_assert_eq(num(json_object_get(d, "errors"), "unbalanced"), 0, "a dropped call's exit closed another");
    cr_assert_eq(num(json_object_get(d, "errors"), "dropped"), 2 * reached);
    json_t *t = thread_by_tid(d, gettid());
    cr_assert_eq(num(region(t, "race_u"), "calls"), u_calls);
    cr_assert_eq(num(region(t, "level0"), "calls"), 1);
}

/*
 * A signal handler that interrupts the runtime finds its busy section: the
 * call is dropped and counted as reentrant, never done on the fast path
 * (which asks only `slow`, whose busy byte the section sets) in the middle
 * of the runtime's own change to the same state. cprof_runtime_begin is
 * that section, as a binding naming a site enters it.
 */
Test(throttle, an_untimed_call_inside_the_runtimes_busy_section_is_dropped)
{
    setup("none");
    setenv("CPROF_SAMPLE", "busy_u=1000000", 1);
    static cprof_site s_u = { "busy_u", "t.c", 910, 0 };
    for (int i = 0; i < 3; i++) {   /* made and throttled: untimed from here */
        cprof_enter(&s_u);
        cprof_exit(&s_u);
    }
    const cprof_hot_thread *h = cprof_hot_self(CPROF_HOT_ABI);
    cr_assert_eq(h->slow, 0);
    cprof_runtime_begin();
    cr_assert_neq(h->slow, 0, "the fast paths would run inside the runtime");
    cprof_enter(&s_u);
    cprof_exit(&s_u);
    cprof_runtime_end();
    cr_assert_eq(h->slow, 0);
    json_t *d = dump_and_load();
    cr_assert_eq(num(json_object_get(d, "errors"), "reentrant"), 1);
    cr_assert_eq(num(region(thread_by_tid(d, gettid()), "busy_u"), "calls"), 3);
}

/*
 * A call that gets no node (here: a new call path once the process is
 * exiting) leaves cur CPROF_HOT_NO_NODE. The fast paths do not ask for
 * that: `slow` is set while it lasts, so a throttled region's call inside
 * it goes the whole way (a fast enter would read the node's cache at
 * CPROF_HOT_NO_NODE), and cleared once cur is a node again.
 */
extern int cprof_exiting;   /* the runtime's (init.c): set by its atexit handler */

Test(throttle, inside_a_call_that_got_no_node_the_fast_paths_stay_out)
{
    setup("none");
    setenv("CPROF_SAMPLE", "nn_u=1000000", 1);
    static cprof_site s_u = { "nn_u", "t.c", 920, 0 }, s_new = { "nn_new", "t.c", 921, 0 };
    for (int i = 0; i < 3; i++) {
        cprof_enter(&s_u);
        if (i == 0) {   /* a region known, so that only its call path is new below */
            cprof_enter(&s_new);
            cprof_exit(&s_new);
        }
        cprof_exit(&s_u);
    }
    const cprof_hot_thread *h = cprof_hot_self(CPROF_HOT_ABI);
    __atomic_store_n(&cprof_exiting, 1, __ATOMIC_RELAXED);
    cprof_enter(&s_new);
    cr_assert_eq(h->cur, CPROF_HOT_NO_NODE, "the new call path got a node");
    cr_assert_neq(h->slow, 0);
    cprof_enter(&s_u);
    cprof_exit(&s_u);
    cprof_exit(&s_new);
    __atomic_store_n(&cprof_exiting, 0, __ATOMIC_RELAXED);
    cr_assert_eq(h->cur, 0);
    cr_assert_eq(h->slow, 0, "the fast paths stay off after it");
    cprof_enter(&s_u);
    cprof_exit(&s_u);
    json_t *d = dump_and_load();
    cr_assert_eq(num(json_object_get(d, "errors"), "unbalanced"), 0);
    cr_assert_eq(num(region(thread_by_tid(d, gettid()), "nn_u"), "calls"), 4);
}

/*
 * A region sampled by hand is timed 1 call in N from its first call, when
 * it has no mean to cap a timed call by: its calls are not cut to the
 * cap's floor (2 us). Calls of 30 us or more, about 1 in 2 timed: the
 * scaled time is at least all of theirs (each timed one at least 30 us,
 * scaled by calls / timed). A region whose only call was timed keeps it.
 */
Test(throttle, a_region_sampled_by_hand_keeps_its_long_calls)
{
    setup("none");
    setenv("CPROF_SAMPLE", "hand_long=2,hand_once=2", 1);
    static cprof_site s_long = { "hand_long", "t.c", 930, 0 }, s_once = { "hand_once", "t.c", 931, 0 };
    for (int i = 0; i < 40; i++) {
        cprof_enter(&s_long);
        spin_ns(30000);
        cprof_exit(&s_long);
    }
    cprof_enter(&s_once);
    spin_ns(300000);
    cprof_exit(&s_once);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *l = region(t, "hand_long");
    cr_assert_eq(num(l, "calls"), 40);
    cr_assert(num(l, "timed") < 40, "sampled: timed %lld", num(l, "timed"));
    cr_assert_geq(num(l, "incl_ns"), 40 * 30000, "40 calls of 30 us or more: %lld ns", num(l, "incl_ns"));
    cr_assert_geq(num(region(t, "hand_once"), "incl_ns"), 300000);
}
