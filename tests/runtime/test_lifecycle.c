/*
 * test_lifecycle.c: the moments around the regions: fork() while another
 * thread dumps, a dump while other threads sit in open regions, a thread
 * that ends inside a region, a forked child's exits and its own dump, the
 * API used from a pthread key destructor, exit() right after work.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

CPROF_SITE(s_loop, "server_loop");
CPROF_SITE(s_req, "request");
CPROF_SITE(s_a, "a");

TestSuite(lifecycle, .timeout = 60);

static volatile int stop_dumping;

static void *dumper(void *arg)
{
    (void)arg;
    while (!stop_dumping)
        cprof_dump();
    return NULL;
}

Test(lifecycle, fork_never_deadlocks_against_a_dump)
{
    setup("");
    setenv("CPROF_QUIET", "1", 1);
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    pthread_t th;
    pthread_create(&th, NULL, dumper, NULL);
    for (int i = 0; i < 300; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        int status;
        waitpid(pid, &status, 0);
        cr_assert(WIFEXITED(status));
    }
    stop_dumping = 1;
    pthread_join(th, NULL);
}

static pthread_barrier_t in_loop, done;

static void *server(void *arg)
{
    long *tid = arg;
    *tid = gettid();
    cprof_enter(&s_loop);
    t_count += 1000;
    for (int i = 0; i < 10; i++) {
        cprof_enter(&s_req);
        t_count += 5;
        cprof_exit(&s_req);
    }
    pthread_barrier_wait(&in_loop);   /* main dumps now, with server_loop open */
    pthread_barrier_wait(&done);
    cprof_exit(&s_loop);
    return NULL;
}

Test(lifecycle, dump_while_another_thread_is_inside_a_region)
{
    setup(SDE_T);
    register_sde();
    pthread_barrier_init(&in_loop, NULL, 2);
    pthread_barrier_init(&done, NULL, 2);
    long tid;
    pthread_t th;
    pthread_create(&th, NULL, server, &tid);
    pthread_barrier_wait(&in_loop);
    json_t *d = dump_and_load();
    pthread_barrier_wait(&done);
    pthread_join(th, NULL);

    json_t *t = thread_by_tid(d, tid);
    cr_assert_eq(num(t, "open"), 1);
    json_t *n = node(t, 0, "server_loop");
    cr_assert(json_is_true(json_object_get(n, "open")));
    cr_assert_eq(num(n, "calls"), 0);
    cr_assert_gt(num(n, "incl_ns"), 0);
    /* its own 1000 cannot be read from another thread: at least its children's */
    cr_assert_eq(ctr(n, SDE_T, "incl"), 50);
    cr_assert_eq(ctr(n, SDE_T, "excl"), 0);
    json_t *r = region(t, "server_loop");
    cr_assert_not_null(r, "an open region must be in the table");
    cr_assert_eq(ctr(region(t, "request"), SDE_T, "incl"), 50);
    check_time_relations(t);

    /* after it closed, the exact figures */
    json_t *t2 = thread_by_tid(dump_and_load(), tid);
    cr_assert_eq(ctr(region(t2, "server_loop"), SDE_T, "incl"), 1050);
    cr_assert_eq(ctr(region(t2, "server_loop"), SDE_T, "excl"), 1000);
}

static void *leaves_open(void *arg)
{
    long *tid = arg;
    *tid = gettid();
    cprof_enter(&s_loop);
    t_count += 7;
    cprof_enter(&s_req);
    t_count += 3;
    return NULL;                  /* ends with both regions open */
}

Test(lifecycle, thread_that_ends_inside_regions_closes_them_exactly)
{
    setup(SDE_T);
    register_sde();
    long tid;
    pthread_t th;
    pthread_create(&th, NULL, leaves_open, &tid);
    pthread_join(th, NULL);
    json_t *d = dump_and_load();
    json_t *t = thread_by_tid(d, tid);
    cr_assert(json_is_true(json_object_get(t, "finished")));
    cr_assert_eq(num(t, "open_at_exit"), 2);
    cr_assert_eq(num(json_object_get(d, "errors"), "open"), 2);
    json_t *loop = region(t, "server_loop");
    cr_assert_eq(num(loop, "calls"), 0);
    cr_assert_eq(ctr(loop, SDE_T, "incl"), 10);
    cr_assert_eq(ctr(loop, SDE_T, "excl"), 7);
    cr_assert_eq(ctr(region(t, "request"), SDE_T, "incl"), 3);
}

Test(lifecycle, forked_child_closes_inherited_regions_cleanly)
{
    const char *dir = setup(SDE_T);
    register_sde();
    cprof_enter(&s_a);
    t_count += 4;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        t_count += 6;
        cprof_exit(&s_a);         /* entered before fork: balanced, not an error */
        exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    cprof_exit(&s_a);
    char path[4200];
    dump_file(path, sizeof path, dir, pid, 0);
    json_t *d = load_file(path);
    cr_assert_eq(num(json_object_get(d, "errors"), "unbalanced"), 0);
    json_t *a = region(thread_by_tid(d, pid), "a");
    cr_assert_eq(num(a, "calls"), 1);
    cr_assert_eq(ctr(a, SDE_T, "incl"), 6);
}

Test(lifecycle, forked_child_that_never_calls_again_still_dumps_its_thread)
{
    const char *dir = setup(SDE_T);
    register_sde();
    cprof_enter(&s_a);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        t_count += 7;             /* inside the inherited open region a */
        exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    cprof_exit(&s_a);
    char path[4200];
    dump_file(path, sizeof path, dir, pid, 0);
    json_t *d = load_file(path);
    cr_assert_eq(json_array_size(json_object_get(d, "threads")), 1);
    cr_assert_eq(num(json_object_get(d, "errors"), "open"), 1);
    cr_assert_eq(ctr(region(thread_by_tid(d, pid), "a"), SDE_T, "incl"), 7);
}

static pthread_key_t late_key;
static cprof_site s_late = { "late", __FILE__, 1, 0 };

static void late_destructor(void *p)
{
    (void)p;
    cprof_enter(&s_late);         /* after the runtime's own destructor ran */
    t_count += 2;
    cprof_exit(&s_late);
}

static void *with_late_destructor(void *arg)
{
    long *tid = arg;
    *tid = gettid();
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    pthread_setspecific(late_key, (void *)1);
    return NULL;
}

Test(lifecycle, api_from_a_later_key_destructor_keeps_one_state_per_thread)
{
    setup(SDE_T);
    register_sde();
    cprof_enter(&s_a);            /* the runtime's key first: its destructor runs first */
    cprof_exit(&s_a);
    pthread_key_create(&late_key, late_destructor);
    long tid;
    pthread_t th;
    pthread_create(&th, NULL, with_late_destructor, &tid);
    pthread_join(th, NULL);
    json_t *d = dump_and_load();
    int seen = 0;
    json_t *t;
    size_t i;
    json_array_foreach(json_object_get(d, "threads"), i, t) {
        if (num(t, "tid") == tid) {
            seen++;
            cr_assert_eq(num(region(t, "late"), "calls"), 1);
        }
    }
    cr_assert_eq(seen, 1, "the thread appears %d times", seen);
}

Test(lifecycle, exit_right_after_work_does_not_charge_the_dump)
{
    const char *dir = setup("");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        cprof_enter(&s_a);
        usleep(1000);
        exit(0);                  /* the dump (calibration, clock rate) must not count in a */
    }
    int status;
    waitpid(pid, &status, 0);
    char path[4200];
    dump_file(path, sizeof path, dir, pid, 0);
    json_t *d = load_file(path);
    json_t *a = region(thread_by_tid(d, pid), "a");
    cr_assert_leq(num(a, "incl_ns"), num(d, "wall_ns"));
}

/* ---- exit while other threads keep making new call paths ---- */
static cprof_site grow_sites[64];

static atomic_int grow_started;   /* threads that made their first path */

/* Path k is k's base-64 digits: every round is a call path never seen. */
static void *grow_forever(void *arg)
{
    (void)arg;
    for (unsigned long k = 1;; k++) {
        if (k == 2)
            atomic_fetch_add(&grow_started, 1);
        int digits[16], m = 0;
        for (unsigned long x = k; x; x /= 64)
            digits[m++] = (int)(x % 64);
        for (int i = 0; i < m; i++)
            cprof_enter(&grow_sites[digits[i]]);
        t_count += 1;
        while (m--)
            cprof_exit(&grow_sites[digits[m]]);
    }
    return NULL;
}

/* Waits for pid at most `seconds`; kills it (and fails) rather than hang. */
static int wait_bounded(pid_t pid, double seconds, double *took)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int status;
    for (;;) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if ((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9 > seconds) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            cr_assert_fail("the process did not exit within %.0f s: killed", seconds);
        }
        usleep(20000);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return status;
}

/* Before the cut, 8 such threads made the exit run past 30 s, with GBs of
 * tree and a 260 MB temporary: the dump never caught up with them. */
Test(lifecycle, exit_is_bounded_while_threads_keep_making_new_paths, .timeout = 120)
{
    const char *dir = setup(SDE_T);
    setenv("CPROF_QUIET", "1", 1);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        register_sde();
        for (int i = 0; i < 64; i++)
            grow_sites[i] = (cprof_site){ "grow", "grow.c", i, 0 };
        cprof_enter(&s_a);
        cprof_exit(&s_a);
        for (int i = 0; i < 8; i++) {
            pthread_t th;
            pthread_create(&th, NULL, grow_forever, NULL);
        }
        while (atomic_load(&grow_started) < 8)   /* a loaded machine starts them late */
            usleep(1000);
        usleep(300000);
        exit(5);
    }
    double took;
    int status = wait_bounded(pid, 30, &took);
    cr_assert(WIFEXITED(status), "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    cr_assert_eq(WEXITSTATUS(status), 5);
    char path[4200];
    dump_file(path, sizeof path, dir, pid, 0);
    json_t *d = load_file(path);
    cr_assert_eq(json_array_size(json_object_get(d, "threads")), 9);
    check_time_relations(thread_by_tid(d, pid));
    json_t *t;
    size_t i;
    json_array_foreach(json_object_get(d, "threads"), i, t) {
        json_t *n;
        size_t j;
        json_array_foreach(json_object_get(t, "tree"), j, n)
            cr_assert_geq(num(n, "pairs"), num(n, "calls"));
    }
    fprintf(stderr, "note: exit with 8 threads making new paths took %.2f s\n", took);
    json_decref(d);
}
