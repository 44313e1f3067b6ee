/*
 * test_perf_event.c: the counter path users' machines run (PAPI's perf_event
 * component), proven exact with a software perf event that this machine has
 * even without a PMU: page faults. Touching a fresh page faults exactly once,
 * so the figures are known. Where perf_event is unavailable (component
 * disabled, perf_event_open refused by a sandbox) the test checks what the
 * user is told instead: the event inactive, with PAPI's reason.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define PF "perf::PERF_COUNT_SW_PAGE_FAULTS"

/* Under ASan a thread sometimes takes a few faults of ASan's own (seen: up
 * to 10, in the region open while the other thread starts); the plain build
 * runs the same test and must be exact. */
#if defined(__SANITIZE_ADDRESS__)
#define ASAN_SLACK 16
#else
#define ASAN_SLACK 0
#endif

CPROF_SITE(s_outer, "outer");
CPROF_SITE(s_inner, "inner");

TestSuite(perf_event, .timeout = 60);

/* n pages whose next write faults exactly once each: mapped, huge pages off,
 * and read once beforehand (the read maps the zero page, and under ASan
 * brings in the shadow memory too), so the write's copy-on-write fault is
 * the only one. */
static char *fresh_pages(size_t n)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, n * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(p, MAP_FAILED);
    madvise(p, n * pg, MADV_NOHUGEPAGE);
    for (size_t i = 0; i < n; i++)
        (void)*(volatile char *)(p + i * pg);
    return p;
}

static void touch(char *p, size_t n)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    for (size_t i = 0; i < n; i++)
        *(volatile char *)(p + i * pg) = 1;
}

/* outer { 64 pages; inner { 32 pages } }: one round. */
static void round_of(size_t outer_pages, size_t inner_pages)
{
    char *a = fresh_pages(outer_pages), *b = fresh_pages(inner_pages);
    cprof_enter(&s_outer);
    touch(a, outer_pages);
    cprof_enter(&s_inner);
    touch(b, inner_pages);
    cprof_exit(&s_inner);
    cprof_exit(&s_outer);
}

static json_t *event_entry(json_t *dump)
{
    json_t *ev = json_array_get(json_object_get(dump, "events"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(ev, "name")), PF);
    return ev;
}

/*
 * Unavailable here: what the user is told must say why, and where the whole
 * component is off, what still works. Not a warning: Criterion 2.4 fails a
 * run that logged one, and this is a machine the suite must pass on.
 */
static int unavailable(json_t *dump)
{
    json_t *ev = event_entry(dump);
    if (json_is_true(json_object_get(ev, "active"))) {
        cr_assert_not(perf_event_forced_off(), "perf_event was disabled, yet %s counted", PF);
        return 0;
    }
    const char *why = json_string_value(json_object_get(ev, "reason"));
    cr_assert(why && strlen(why) > 10, "an inactive event must carry PAPI's reason");
    cr_assert_null(strchr(why, '\n'), "one line: %s", why);
    if (strstr(why, "component disabled"))
        cr_assert_not_null(strstr(why, "sde::: events and time still work"), "%s", why);
    if (perf_event_forced_off())
        cr_assert_not_null(strstr(why, "perf_event component disabled"), "%s", why);
    fprintf(stderr, "note: %s is not countable on this machine (%s): checked the report of it only\n",
            PF, why);
    return 1;
}

Test(perf_event, page_faults_land_in_their_region_exactly)
{
    setup(PF);
    setenv("CPROF_QUIET", "1", 1);
    round_of(1, 1);   /* the runtime's first entries allocate: not measured below */
    json_t *d0 = dump_and_load();
    if (unavailable(d0)) {
        json_decref(d0);
        return;
    }
    json_t *t0 = thread_by_tid(d0, gettid());
    long long o_incl0 = ctr(region(t0, "outer"), PF, "incl"), o_excl0 = ctr(region(t0, "outer"), PF, "excl");
    long long i_incl0 = ctr(region(t0, "inner"), PF, "incl");

    round_of(64, 32);
    json_t *d = dump_and_load();
    json_t *t = thread_by_tid(d, gettid());
    json_t *o = region(t, "outer"), *i = region(t, "inner");
    cr_assert_eq(num(o, "calls"), 2);
    cr_assert_eq(ctr(o, PF, "incl") - o_incl0, 96, "outer incl grew by %lld", ctr(o, PF, "incl") - o_incl0);
    cr_assert_eq(ctr(o, PF, "excl") - o_excl0, 64);
    cr_assert_eq(ctr(i, PF, "incl") - i_incl0, 32);
    json_t *no = node(t, 0, "outer"), *ni = node(t, num(no, "node"), "inner");
    cr_assert_eq(ctr(no, PF, "incl") - ctr(no, PF, "excl"), ctr(ni, PF, "incl"));
    check_time_relations(t);
    json_decref(d0);
    json_decref(d);
}

static void *faulting_thread(void *arg)
{
    size_t n = (size_t)(uintptr_t)arg;
    round_of(1, 1);
    round_of(n, n / 2);
    return NULL;
}

/* One event set per thread: each thread's faults are its own. */
Test(perf_event, each_thread_counts_its_own_faults)
{
    setup(PF);
    setenv("CPROF_QUIET", "1", 1);
    pthread_t th[2];
    pthread_create(&th[0], NULL, faulting_thread, (void *)(uintptr_t)40);
    pthread_create(&th[1], NULL, faulting_thread, (void *)(uintptr_t)100);
    pthread_join(th[0], NULL);
    pthread_join(th[1], NULL);
    json_t *d = dump_and_load();
    if (unavailable(d)) {
        json_decref(d);
        return;
    }
    json_t *threads = json_object_get(d, "threads"), *t;
    size_t k;
    int seen40 = 0, seen100 = 0;
    char got[512] = "";
    json_array_foreach(threads, k, t) {
        json_t *i = region(t, "inner"), *o = region(t, "outer");
        if (!i)
            continue;
        size_t l = strlen(got);
        snprintf(got + l, sizeof got - l, " [inner %lld, outer excl %lld]", ctr(i, PF, "incl"),
                 ctr(o, PF, "excl"));
        /* the first round's single pages may or may not fault inside the
         * regions (first touches by the runtime); the second round's are exact */
        long long in = ctr(i, PF, "incl"), oex = ctr(o, PF, "excl");
        if (in >= 20 && in <= 22 && oex >= 40 && oex <= 42 + ASAN_SLACK)
            seen40 = 1;
        if (in >= 50 && in <= 52 && oex >= 100 && oex <= 102 + ASAN_SLACK)
            seen100 = 1;
    }
    cr_assert(seen40 && seen100, "each thread's faults in its own regions; got%s", got);
    json_decref(d);
}

/* fork: PAPI's perf_event set is inherited but counts the parent thread,
 * and stopping it in the child would stop the parent's (ioctl on shared
 * descriptors). So the child measures time and calls, says why it has no
 * counters, and the parent's counts go on untouched. */
Test(perf_event, fork_leaves_the_parent_counting_and_the_child_says_why)
{
    const char *dir = setup(PF);
    setenv("CPROF_QUIET", "1", 1);
    round_of(1, 1);
    json_t *d0 = dump_and_load();
    if (unavailable(d0)) {
        json_decref(d0);
        return;
    }
    long long o0 = ctr(region(thread_by_tid(d0, gettid()), "outer"), PF, "incl");
    json_decref(d0);
    char *mine = fresh_pages(20), *later = fresh_pages(30), *childs = fresh_pages(50);
    cprof_enter(&s_outer);
    touch(mine, 20);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        cprof_enter(&s_inner);
        touch(childs, 50);
        cprof_exit(&s_inner);
        cprof_exit(&s_outer);
        exit(0);
    }
    cr_assert_gt(pid, 0);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    touch(later, 30);
    cprof_exit(&s_outer);

    char path[512];
    dump_file(path, sizeof path, dir, pid, 0);
    json_t *cd = load_file(path);
    json_t *ct = thread_by_tid(cd, 0);
    const char *why = json_string_value(json_object_get(ct, "counter_error"));
    cr_assert(why && strstr(why, "forked child"), "the child's dump says why it has no counters");
    cr_assert_eq(num(region(ct, "inner"), "calls"), 1);
    cr_assert_null(json_object_get(json_object_get(region(ct, "inner"), "counters"), PF));
    json_decref(cd);

    /* the parent: its 50 faults, plus the copy-on-write faults that fork
     * makes of its own later writes (stack, stdio, frames: 13 here) */
    json_t *pd = dump_and_load();
    long long o = ctr(region(thread_by_tid(pd, gettid()), "outer"), PF, "incl") - o0;
    cr_assert(o >= 50 && o <= 50 + 20, "parent outer: %lld faults, expected 50 (+ a few copy-on-write)", o);
    json_decref(pd);
}
