/*
 * test_signals.c: regions entered in signal handlers. A handler that
 * interrupts the thread inside the runtime, or inside malloc, must neither
 * hang the program nor spoil the dump: its calls are dropped and counted
 * (errors.reentrant), and the rest reads back whole.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(signals, .timeout = 120);

static cprof_site s_outer = { "outer", "sig.c", 1, 0 }, s_inner = { "inner", "sig.c", 2, 0 };
static cprof_site s_handler = { "handler", "sig.c", 3, 0 };
static volatile sig_atomic_t handled;

static void on_alarm(int sig)
{
    (void)sig;
    cprof_enter(&s_handler);   /* a new call path under whatever is open: may allocate */
    cprof_exit(&s_handler);
    handled++;
}

/* Main thread: regions and malloc/free as fast as it can, under a 20 kHz timer. */
static void busy_under_signals(double seconds)
{
    struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = { { 0, 50 }, { 0, 50 } };
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    static cprof_site depth[16];
    for (int i = 0; i < 16; i++)
        depth[i] = (cprof_site){ "depth", "sig.c", 100 + i, 0 };
    for (unsigned long k = 0;; k++) {
        cprof_enter(&s_outer);
        for (int i = 0; i < (int)(k % 16); i++)
            cprof_enter(&depth[i]);   /* the handler's node is new under each */
        void *p = malloc(16 + k % 4096);
        cprof_enter(&s_inner);
        free(p);
        cprof_exit(&s_inner);
        for (int i = (int)(k % 16) - 1; i >= 0; i--)
            cprof_exit(&depth[i]);
        cprof_exit(&s_outer);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if ((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9 > seconds)
            break;
    }
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
}

Test(signals, regions_in_a_handler_never_hang_and_the_dump_reads_back)
{
    const char *dir = setup(SDE_T);
    setenv("CPROF_QUIET", "1", 1);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        register_sde();
        busy_under_signals(1.5);
        exit(handled > 100 ? 5 : 6);
    }
    int status = 0;
    double waited = 0;
    while (waitpid(pid, &status, WNOHANG) != pid) {
        if (waited > 40) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            cr_assert_fail("the program hung (killed after 40 s)");
        }
        usleep(50000);
        waited += 0.05;
    }
    cr_assert(WIFEXITED(status), "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    cr_assert_eq(WEXITSTATUS(status), 5, "too few signals were handled");
    char path[4200];
    dump_file(path, sizeof path, dir, pid, 0);
    json_t *d = load_file(path);
    json_t *errors = json_object_get(d, "errors");
    cr_assert_eq(num(errors, "unbalanced"), 0, "a handler's calls mixed up the stack");
    cr_assert_geq(num(errors, "reentrant"), 0);
    json_t *t = thread_by_tid(d, pid);
    cr_assert_eq(num(t, "open"), 0);
    json_t *h = region(t, "handler"), *o = region(t, "outer"), *i = region(t, "inner");
    cr_assert(h && o && i);
    cr_assert_eq(num(o, "calls"), num(i, "calls"));
    cr_assert_gt(num(h, "calls"), 0);
    /* every node's parent comes first and exists */
    json_t *n;
    size_t k;
    long long last = 0;
    json_array_foreach(json_object_get(t, "tree"), k, n) {
        cr_assert_lt(num(n, "parent"), num(n, "node"));
        cr_assert_gt(num(n, "node"), last);
        last = num(n, "node");
    }
    fprintf(stderr, "note: %lld handler calls measured, %lld dropped (reentrant)\n",
            num(h, "calls"), num(errors, "reentrant"));
    json_decref(d);
}
