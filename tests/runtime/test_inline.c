/*
 * test_inline.c: the inline fast path of cprof_enter/cprof_exit
 * (include/cprof_hot.h). A throttled call that is not timed, and a region
 * not measured, never call into the runtime (calls of cprof_enter_full and
 * cprof_exit_full from this file are counted: the test binary is linked
 * with --wrap for them); and what the inline path counts is what plain
 * calls count (inline_plain.c, built with CPROF_NO_INLINE).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <unistd.h>

#include "inline_work.h"

static long full_enters, full_exits;
void __real_cprof_enter_full(cprof_site *site);
void __real_cprof_exit_full(cprof_site *site);
void __wrap_cprof_enter_full(cprof_site *site)
{
    full_enters++;
    __real_cprof_enter_full(site);
}
void __wrap_cprof_exit_full(cprof_site *site)
{
    full_exits++;
    __real_cprof_exit_full(site);
}

TestSuite(inline_path, .timeout = 60);

static long long timed_calls(json_t *thread)
{
    long long sum = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(thread, "regions"), i, r) {
        json_t *timed = json_object_get(r, "timed");
        sum += timed ? json_integer_value(timed) : json_integer_value(json_object_get(r, "pairs"));
    }
    return sum;
}

Test(inline_path, untimed_calls_and_skipped_regions_stay_inline)
{
    setup("none");
    setenv("CPROF_REGIONS", "!inline_skipped", 1);
    setenv("CPROF_THROTTLE", "below=1s", 1);   /* mid and leaf throttled on any machine */
    INLINE_WORK(20000, "inline");
    long enters = full_enters, exits = full_exits;   /* the dump's calibration calls them too */
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    cr_assert_eq(num(region(t, "inline_leaf"), "calls"), 60000);
    cr_assert_null(region(t, "inline_skipped"), "a region left out is not in the dump");
    long long timed = timed_calls(t);
    cr_assert_lt(timed, 20000, "timed %lld of 80001 pairs: mid and leaf throttled", timed);
    /* every timed call, and each site's first (resolving it), goes the whole
     * way; none of the ~60000 untimed ones nor the 60000 skipped ones do */
    cr_assert_leq(enters, timed + 4, "%ld full enters, %lld timed", enters, timed);
    cr_assert_leq(exits, timed + 4, "%ld full exits, %lld timed", exits, timed);
    cr_assert_geq(enters, timed, "%ld full enters, %lld timed", enters, timed);
}

/* The same workload through each path, in one process: the same counts. */
Test(inline_path, counts_what_plain_calls_count)
{
    setup("none");
    setenv("CPROF_REGIONS", "!*_skipped", 1);
    setenv("CPROF_THROTTLE", "below=1s", 1);
    INLINE_WORK(20000, "inline");
    inline_work_plain(20000);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    static const char *parts[] = { "outer", "mid", "leaf" };
    for (int i = 0; i < 3; i++) {
        char a[32], b[32];
        snprintf(a, sizeof a, "inline_%s", parts[i]);
        snprintf(b, sizeof b, "plain_%s", parts[i]);
        json_t *ra = region(t, a), *rb = region(t, b);
        cr_assert_eq(num(ra, "calls"), num(rb, "calls"), "%s", parts[i]);
        cr_assert_eq(num(ra, "child_calls"), num(rb, "child_calls"), "%s", parts[i]);
        cr_assert_eq(json_object_get(ra, "period") != NULL, json_object_get(rb, "period") != NULL, "%s", parts[i]);
        /* the untimed children a timed call had add up with the timed ones */
        json_t *u = json_object_get(ra, "child_untimed");
        long long ca = num(ra, "child_calls"), ua = u ? json_integer_value(u) : 0;
        cr_assert(ua >= 0 && ua <= ca, "%s: %lld untimed of %lld", a, ua, ca);
    }
    cr_assert_eq(num(region(t, "inline_mid"), "period"), 64);
    cr_assert_gt(num(region(t, "inline_mid"), "child_untimed"), 30000, "the untimed leaves were counted");
    cr_assert_eq(num(region(t, "inline_leaf"), "calls"), 60000);
    cr_assert_null(region(t, "plain_skipped"));
}

/* A site resolved as not measured costs nothing but a load, with no thread
 * state at all (no call into the runtime makes one). */
Test(inline_path, disabled_runtime_makes_no_call)
{
    setup("none");
    setenv("CPROF_DISABLE", "1", 1);
    CPROF_SITE(s, "off");
    cprof_enter(&s);   /* resolves: the whole way, once */
    cprof_exit(&s);
    long e = full_enters, x = full_exits;
    for (int i = 0; i < 1000; i++) {
        cprof_enter(&s);
        cprof_exit(&s);
    }
    cr_assert_eq(full_enters, e);
    cr_assert_eq(full_exits, x);
    cr_assert_null(cprof_tls, "no thread state when disabled");
}
