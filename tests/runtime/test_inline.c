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
void __real_cprof_enter_scope_full(cprof_site *site);
void __real_cprof_exit_full(cprof_site *site);
void __wrap_cprof_enter_full(cprof_site *site)
{
    full_enters++;
    __real_cprof_enter_full(site);
}
void __wrap_cprof_enter_scope_full(cprof_site *site)
{
    full_enters++;
    __real_cprof_enter_scope_full(site);
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
    cr_assert_eq(num(region(t, "inline_mid"), "period"), 256);
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

/* Two children of one node whose site ids share a slot of its cache
 * (id % CPROF_HOT_KIDS): the one called more keeps the slot, so only the
 * other's calls go the whole way (were they to trade, the hot one would
 * miss after each of the cold one's calls too). Both count exactly. */
Test(inline_path, children_sharing_a_cache_slot_keep_the_hotter)
{
    setup("none");
    setenv("CPROF_THROTTLE", "below=1s", 1);
    static cprof_site kids[CPROF_HOT_KIDS + 1];
    static char names[CPROF_HOT_KIDS + 1][16];
    CPROF_SITE(s_p, "slot_parent");
    cprof_enter(&s_p);
    for (unsigned i = 0; i <= CPROF_HOT_KIDS; i++) {   /* resolved in turn: ids apart */
        snprintf(names[i], sizeof names[i], "slot_kid%u", i);
        kids[i] = (cprof_site){ names[i], __FILE__, (int)i, 0 };
        cprof_enter(&kids[i]);
        cprof_exit(&kids[i]);
    }
    cprof_site *hot = NULL, *cold = NULL;   /* a pair in one slot: there is one */
    for (unsigned i = 0; i <= CPROF_HOT_KIDS && !cold; i++)
        for (unsigned j = i + 1; j <= CPROF_HOT_KIDS && !cold; j++)
            if (kids[i].id % CPROF_HOT_KIDS == kids[j].id % CPROF_HOT_KIDS)
                hot = &kids[i], cold = &kids[j];
    cr_assert_not_null(cold);
    long enters = full_enters;
    for (int i = 0; i < 4000; i++) {
        for (int k = 0; k < 10; k++) {
            cprof_enter(hot);
            cprof_exit(hot);
        }
        cprof_enter(cold);
        cprof_exit(cold);
    }
    enters = full_enters - enters;
    cprof_exit(&s_p);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *rh = region(t, hot->name), *rc = region(t, cold->name);
    cr_assert_eq(num(rh, "calls"), 40001);
    cr_assert_eq(num(rc, "calls"), 4001);
    long long timed = num(rh, "timed") + num(rc, "timed");
    /* the cold one's 4000 calls and the timed ones (and a few to decide) */
    cr_assert_leq(enters, 4000 + timed + 100, "%ld full enters, %lld timed", enters, timed);
    cr_assert_geq(enters, 4000, "the cold one shares the slot: %ld full enters", enters);
}

/* mid > 3 x leaf, leaf a CPROF_SCOPE; mid a plain pair or a scope too. */
static void scoped_leaf(void)
{
    CPROF_SCOPE("scope_leaf");
    t_count += 1;
}

static void scoped_mid(void)
{
    CPROF_SCOPE("scope_mid");
    for (int k = 0; k < 3; k++)
        scoped_leaf();
}

/* A scope's untimed calls stay inline, count exactly, and a plain exit
 * after its scoped children stays inline too (the scope puts `up` back:
 * were it left as the children's pops made it, every plain exit of mid
 * would go the whole way). */
Test(inline_path, scopes_stay_inline_and_count_exactly)
{
    setup("none");
    setenv("CPROF_THROTTLE", "below=1s", 1);
    CPROF_SITE(s_o, "scope_outer");
    CPROF_SITE(s_m, "plain_mid");
    cprof_enter(&s_o);
    for (int i = 0; i < 20000; i++) {
        cprof_enter(&s_m);
        for (int k = 0; k < 3; k++)
            scoped_leaf();
        cprof_exit(&s_m);
        scoped_mid();
    }
    cprof_exit(&s_o);
    long enters = full_enters, exits = full_exits;
    json_t *d = dump_and_load();
    json_t *t = thread_by_tid(d, gettid());
    cr_assert_eq(num(json_object_get(d, "errors"), "unbalanced"), 0);
    cr_assert_eq(num(region(t, "scope_leaf"), "calls"), 120000);
    cr_assert_eq(num(region(t, "scope_mid"), "calls"), 20000);
    cr_assert_eq(num(region(t, "plain_mid"), "calls"), 20000);
    cr_assert_eq(num(region(t, "plain_mid"), "child_calls"), 60000, "the scoped leaves are plain_mid's children");
    cr_assert_eq(num(region(t, "scope_mid"), "child_calls"), 60000);
    /* what a scope's untimed call costs is calibrated apart: its parent's
     * untimed children say how many were scopes' */
    json_t *pm = region(t, "plain_mid"), *so = region(t, "scope_outer"), *sm = region(t, "scope_mid");
    cr_assert_gt(num(pm, "child_untimed"), 0);
    cr_assert_eq(num(pm, "child_untimed_scope"), num(pm, "child_untimed"), "plain_mid's children are all scopes");
    long long untimed_mid = num(sm, "calls") - num(sm, "timed");
    cr_assert_eq(num(so, "child_untimed_scope"), untimed_mid, "scope_mid's untimed calls, not plain_mid's");
    cr_assert_lt(num(so, "child_untimed_scope"), num(so, "child_untimed"));
    json_t *oh = json_object_get(d, "overhead");
    cr_assert(json_is_number(json_object_get(oh, "ns_untimed_scope")), "the scope pair's cost is in the dump");
    cr_assert(json_is_object(json_object_get(oh, "counters_untimed_scope")));
    long long timed = timed_calls(t);
    cr_assert_leq(enters, timed + 6, "%ld full enters, %lld timed", enters, timed);
    cr_assert_leq(exits, timed + 6, "%ld full exits, %lld timed", exits, timed);
}

/* A scope left by return, break and goto ends there; one not measured
 * (CPROF_REGIONS) costs nothing and nests transparently. */
static int scoped_early(int i)
{
    CPROF_SCOPE("scope_early");
    for (;;) {
        CPROF_SCOPE("scope_loop");
        if (i % 3 == 0)
            return 1;
        if (i % 3 == 1)
            break;
        goto out;
    }
    return 2;
out:
    {
        CPROF_SCOPE("scope_skipped");
        return 3;
    }
}

Test(inline_path, scopes_end_however_their_block_is_left)
{
    setup("none");
    setenv("CPROF_REGIONS", "!scope_skipped", 1);
    CPROF_SITE(s_o, "scope_outer");
    cprof_enter(&s_o);
    int sum = 0;
    for (int i = 0; i < 3000; i++)
        sum += scoped_early(i);
    cprof_exit(&s_o);
    cr_assert_eq(sum, 6000);
    json_t *d = dump_and_load();
    json_t *t = thread_by_tid(d, gettid());
    cr_assert_eq(num(json_object_get(d, "errors"), "unbalanced"), 0, "every scope was exited");
    cr_assert_eq(num(t, "open"), 0);
    cr_assert_eq(num(region(t, "scope_early"), "calls"), 3000);
    cr_assert_eq(num(region(t, "scope_loop"), "calls"), 3000);
    cr_assert_eq(num(region(t, "scope_early"), "child_calls"), 3000);
    cr_assert_null(region(t, "scope_skipped"));
    cr_assert_eq(num(region(t, "scope_outer"), "child_calls"), 3000);
}

/* Built with CPROF_NO_INLINE, a scope is a plain pair. */
Test(inline_path, a_scope_without_the_inline_path_is_a_plain_pair)
{
    setup("none");
    long e = full_enters, x = full_exits;
    scoped_plain(4);
    cr_assert_eq(full_enters - e, 0, "inline_plain.c calls the functions, not the _full entry points");
    cr_assert_eq(full_exits - x, 0);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    cr_assert_eq(num(region(t, "plain_scope"), "calls"), 5, "one region, recursing: 5 calls");
}
