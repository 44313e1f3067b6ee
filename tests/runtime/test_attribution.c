/*
 * test_attribution.c: every figure of the dump is what the test computes.
 * Counters are exact (a per-thread software-defined event incremented inside
 * known regions); times are checked by their relations only.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

CPROF_SITE(s_a, "a");
CPROF_SITE(s_b, "b");
CPROF_SITE(s_c, "c");
CPROF_SITE(s_rec, "rec");

TestSuite(attribution, .timeout = 60);

Test(attribution, nested_regions_exact_counters)
{
    setup(SDE_T);
    register_sde();
    cprof_enter(&s_a);
    t_count += 3;
    cprof_enter(&s_b);
    t_count += 5;
    cprof_exit(&s_b);
    t_count += 2;
    cprof_exit(&s_a);
    t_count += 100;   /* outside every region: lands nowhere */

    json_t *d = dump_and_load();
    json_t *t = thread_by_tid(d, gettid());
    json_t *a = region(t, "a"), *b = region(t, "b");
    cr_assert_eq(num(a, "calls"), 1);
    cr_assert_eq(ctr(a, SDE_T, "incl"), 10);
    cr_assert_eq(ctr(a, SDE_T, "excl"), 5);
    cr_assert_eq(ctr(b, SDE_T, "incl"), 5);
    cr_assert_eq(ctr(b, SDE_T, "excl"), 5);
    cr_assert_eq(num(a, "child_calls"), 1);
    cr_assert_eq(num(a, "desc_calls"), 1);
    json_t *na = node(t, 0, "a");
    json_t *nb = node(t, num(na, "node"), "b");
    cr_assert_eq(ctr(na, SDE_T, "incl"), 10);
    cr_assert_eq(ctr(na, SDE_T, "excl"), 5);
    cr_assert_eq(ctr(nb, SDE_T, "incl"), 5);
    cr_assert_eq(num(nb, "calls"), 1);
    cr_assert_geq(num(a, "incl_ns"), num(b, "incl_ns"));
    check_time_relations(t);
    cr_assert_str_eq(json_string_value(json_object_get(d, "format")), "cprof-1");
    json_t *ev = json_array_get(json_object_get(d, "events"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(ev, "name")), SDE_T);
    cr_assert(json_is_true(json_object_get(ev, "active")));
}

Test(attribution, siblings_and_repeated_calls)
{
    setup(SDE_T);
    register_sde();
    cprof_enter(&s_a);
    for (int i = 1; i <= 4; i++) {
        cprof_enter(&s_b);
        t_count += i;           /* 1+2+3+4 = 10 in b */
        cprof_exit(&s_b);
        cprof_enter(&s_c);
        t_count += 7;           /* 28 in c */
        cprof_exit(&s_c);
    }
    t_count += 1;
    cprof_exit(&s_a);
    /* c again, at the top level: another call path, same region */
    cprof_enter(&s_c);
    t_count += 50;
    cprof_exit(&s_c);

    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *a = region(t, "a"), *b = region(t, "b"), *c = region(t, "c");
    cr_assert_eq(num(b, "calls"), 4);
    cr_assert_eq(num(c, "calls"), 5);
    cr_assert_eq(ctr(b, SDE_T, "incl"), 10);
    cr_assert_eq(ctr(c, SDE_T, "incl"), 78);
    cr_assert_eq(ctr(c, SDE_T, "excl"), 78);
    cr_assert_eq(ctr(a, SDE_T, "incl"), 39);
    cr_assert_eq(ctr(a, SDE_T, "excl"), 1);
    cr_assert_eq(num(a, "child_calls"), 8);
    json_t *na = node(t, 0, "a");
    json_t *nc_in_a = node(t, num(na, "node"), "c"), *nc_top = node(t, 0, "c");
    cr_assert_eq(num(nc_in_a, "calls"), 4);
    cr_assert_eq(ctr(nc_in_a, SDE_T, "incl"), 28);
    cr_assert_eq(num(nc_top, "calls"), 1);
    cr_assert_eq(ctr(nc_top, SDE_T, "incl"), 50);
    cr_assert_eq(json_array_size(json_object_get(t, "tree")), 4);
    check_time_relations(t);
}

/* rec(n) adds n, then calls rec(n-1): one region, a chain of tree nodes. */
static void rec(int n)
{
    cprof_enter(&s_rec);
    t_count += n;
    if (n > 1)
        rec(n - 1);
    cprof_exit(&s_rec);
}

Test(attribution, recursion_counts_once_in_inclusive)
{
    setup(SDE_T);
    register_sde();
    cprof_enter(&s_a);
    rec(5);                    /* 5+4+3+2+1 = 15 */
    cprof_exit(&s_a);

    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *r = region(t, "rec");
    cr_assert_eq(num(r, "calls"), 5);
    cr_assert_eq(ctr(r, SDE_T, "incl"), 15);   /* not 15+10+6+3+1 */
    cr_assert_eq(ctr(r, SDE_T, "excl"), 15);
    cr_assert_eq(num(r, "incl_calls"), 1);
    cr_assert_eq(num(r, "desc_calls"), 4);
    cr_assert_eq(ctr(region(t, "a"), SDE_T, "incl"), 15);
    cr_assert_eq(ctr(region(t, "a"), SDE_T, "excl"), 0);
    /* inclusive time of the region is the outermost call's, not a sum */
    long parent = num(node(t, 0, "a"), "node");
    json_t *outer = node(t, parent, "rec");
    cr_assert_eq(num(r, "incl_ns"), num(outer, "incl_ns"));
    /* the tree keeps the chain: depth k has incl k+..+1 */
    for (int k = 5; k >= 1; k--) {
        json_t *n = node(t, parent, "rec");
        cr_assert_not_null(n);
        cr_assert_eq(ctr(n, SDE_T, "incl"), k * (k + 1) / 2);
        cr_assert_eq(ctr(n, SDE_T, "excl"), k);
        parent = num(n, "node");
    }
    check_time_relations(t);
}

typedef struct job {
    int index;
    long tid;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    j->tid = gettid();
    for (int i = 0; i < 100; i++) {
        cprof_enter(&s_a);
        t_count += j->index;
        cprof_enter(&s_b);
        t_count += 1;
        cprof_exit(&s_b);
        cprof_exit(&s_a);
    }
    return NULL;
}

Test(attribution, threads_each_exact)
{
    setup(SDE_T);
    register_sde();
    enum { N = 8 };
    pthread_t th[N];
    job jobs[N];
    for (int i = 0; i < N; i++) {
        jobs[i].index = i + 1;
        cr_assert_eq(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < N; i++)
        pthread_join(th[i], NULL);
    json_t *d = dump_and_load();
    cr_assert_eq(json_array_size(json_object_get(d, "threads")), N);
    for (int i = 0; i < N; i++) {
        json_t *t = thread_by_tid(d, jobs[i].tid);
        cr_assert(json_is_true(json_object_get(t, "finished")));
        json_t *a = region(t, "a"), *b = region(t, "b");
        cr_assert_eq(num(a, "calls"), 100);
        cr_assert_eq(ctr(a, SDE_T, "incl"), 100 * (jobs[i].index + 1));
        cr_assert_eq(ctr(a, SDE_T, "excl"), 100 * jobs[i].index);
        cr_assert_eq(ctr(b, SDE_T, "incl"), 100);
        check_time_relations(t);
    }
}

Test(attribution, fork_child_starts_empty_and_dumps_its_own)
{
    const char *dir = setup(SDE_T);
    register_sde();
    cprof_enter(&s_a);
    t_count += 4;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* the child: inside the inherited open region a, only what follows counts */
        t_count += 10;
        cprof_enter(&s_b);
        t_count += 6;
        cprof_exit(&s_b);
        cprof_exit(&s_a);
        exit(0);
    }
    cr_assert_gt(pid, 0);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    t_count += 1;
    cprof_exit(&s_a);

    char path[512];
    dump_file(path, sizeof path, dir, pid, 0);
    json_t *cd = load_file(path);
    cr_assert_eq(num(cd, "pid"), pid);
    cr_assert_eq(json_array_size(json_object_get(cd, "threads")), 1);
    json_t *ct = thread_by_tid(cd, 0);
    cr_assert_eq(ctr(region(ct, "a"), SDE_T, "incl"), 16);
    cr_assert_eq(ctr(region(ct, "a"), SDE_T, "excl"), 10);
    cr_assert_eq(ctr(region(ct, "b"), SDE_T, "incl"), 6);
    cr_assert_eq(num(region(ct, "a"), "calls"), 1);

    json_t *pt = thread_by_tid(dump_and_load(), gettid());
    cr_assert_eq(ctr(region(pt, "a"), SDE_T, "incl"), 5);
    cr_assert_null(region(pt, "b"));
}

Test(attribution, pending_exit_adds_figures_not_calls)
{
    setup(SDE_T);
    register_sde();
    for (int poll = 0; poll < 3; poll++) {
        cprof_enter(&s_a);
        t_count += 2;
        if (poll < 2)
            cprof_exit_pending(&s_a);
        else
            cprof_exit(&s_a);
    }
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *a = region(t, "a");
    cr_assert_eq(num(a, "calls"), 1);
    cr_assert_eq(ctr(a, SDE_T, "incl"), 6);
    cr_assert_eq(num(a, "incl_calls"), 3);
}

Test(attribution, event_library_registered_after_start_binds_later)
{
    setup(SDE_P);
    cprof_enter(&s_a);        /* the runtime starts before CPT exists */
    cprof_exit(&s_a);
    register_sde();
    cprof_enter(&s_b);
    p_count += 9;
    cprof_exit(&s_b);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    cr_assert_eq(ctr(region(t, "b"), SDE_P, "incl"), 9);
}

Test(attribution, overhead_is_calibrated)
{
    setup(SDE_T);
    register_sde();
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    json_t *o = json_object_get(d, "overhead");
    cr_assert(json_is_number(json_object_get(o, "ns_per_pair")));
    cr_assert_gt(json_number_value(json_object_get(o, "ns_per_pair")), 0);
    cr_assert_gt(json_number_value(json_object_get(o, "ns_inside")), 0);
    /* the software counter does not count our own work */
    cr_assert_eq(json_number_value(json_object_get(json_object_get(o, "counters"), SDE_T)), 0);
    /* calibration leaves the user's figures alone */
    json_t *t = thread_by_tid(d, gettid());
    cr_assert_eq(json_array_size(json_object_get(t, "regions")), 1);
}
