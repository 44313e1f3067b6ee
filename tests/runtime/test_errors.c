/*
 * test_errors.c: bad input never crashes and is reported: unknown events,
 * unbalanced exits, extreme depth, many regions on many threads, an
 * unwritable output folder, a symlink planted at the dump's name, exit()
 * inside a region, names that are not UTF-8, region selection, disabling.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

CPROF_SITE(s_a, "a"); static const int s_a_line = __LINE__;
CPROF_SITE(s_b, "b");
CPROF_SITE(s_c, "c");

TestSuite(errors, .timeout = 120);

Test(errors, unknown_event_is_reported_and_others_still_count)
{
    setup("NO_SUCH_EVENT_XYZ," SDE_T ",PAPI_TOT_INS");
    register_sde();
    stderr_begin();
    cprof_enter(&s_a);
    t_count += 3;
    cprof_exit(&s_a);
    char *err = stderr_end();
    cr_assert_not_null(strstr(err, "NO_SUCH_EVENT_XYZ is not counted"), "stderr: %s", err);
    free(err);
    json_t *d = dump_and_load();
    json_t *evs = json_object_get(d, "events");
    cr_assert_eq(json_array_size(evs), 3);
    json_t *bad = json_array_get(evs, 0);
    cr_assert(json_is_false(json_object_get(bad, "active")));
    cr_assert_gt(strlen(json_string_value(json_object_get(bad, "reason"))), 5);
    cr_assert(json_is_true(json_object_get(json_array_get(evs, 1), "active")));
    json_t *t = thread_by_tid(d, gettid());
    cr_assert_eq(ctr(region(t, "a"), SDE_T, "incl"), 3);
    /* an inactive event has no counter figures */
    cr_assert_null(json_object_get(json_object_get(region(t, "a"), "counters"), "NO_SUCH_EVENT_XYZ"));
}

Test(errors, unbalanced_exits_repair_the_stack_and_warn_once)
{
    setup(SDE_T);
    register_sde();
    stderr_begin();
    cprof_exit(&s_a);              /* empty stack: ignored */
    cprof_enter(&s_a);
    cprof_enter(&s_b);
    t_count += 2;
    cprof_exit(&s_a);              /* b is still open: closed with a */
    cprof_enter(&s_a);
    cprof_exit(&s_c);              /* c was never entered: ignored */
    t_count += 5;
    cprof_exit(&s_a);
    char *err = stderr_end();
    cr_assert_not_null(strstr(err, "unbalanced cprof_exit(\"a\")"), "stderr: %s", err);
    cr_assert_not_null(strstr(err, "no region is open on this thread; the exit was ignored"), "stderr: %s", err);
    cr_assert_null(strstr(strstr(err, "unbalanced") + 1, "unbalanced cprof_exit"),
                   "warned more than once: %s", err);
    free(err);
    json_t *d = dump_and_load();
    cr_assert_eq(num(json_object_get(d, "errors"), "unbalanced"), 3);
    json_t *t = thread_by_tid(d, gettid());
    cr_assert_eq(num(t, "open"), 0);
    json_t *a = region(t, "a");
    cr_assert_eq(num(a, "calls"), 2);
    cr_assert_eq(ctr(a, SDE_T, "incl"), 7);
    cr_assert_eq(num(region(t, "b"), "calls"), 0);  /* closed by force: not a complete call */
    cr_assert_eq(ctr(region(t, "b"), SDE_T, "incl"), 2);
}

static cprof_site deep = { "deep", __FILE__, __LINE__, 0 };

static void descend(int n)
{
    /* iterative: the test is about our stack, not the C stack */
    for (int i = 0; i < n; i++) {
        cprof_enter(&deep);
        t_count += 1;
    }
    for (int i = 0; i < n; i++)
        cprof_exit(&deep);
}

Test(errors, depth_of_100000)
{
    setup(SDE_T);
    register_sde();
    descend(100000);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *r = region(t, "deep");
    cr_assert_eq(num(r, "calls"), 100000);
    cr_assert_eq(ctr(r, SDE_T, "incl"), 100000);
    cr_assert_eq(ctr(r, SDE_T, "excl"), 100000);
    cr_assert_eq(num(r, "desc_calls"), 99999);
    cr_assert_eq(json_array_size(json_object_get(t, "tree")), 100000);
    json_t *top = node(t, 0, "deep");
    cr_assert_eq(ctr(top, SDE_T, "incl"), 100000);
    cr_assert_eq(ctr(top, SDE_T, "excl"), 1);
}

enum { NREG = 1000, NTHR = 64 };
static cprof_site many[NREG];

static void *many_worker(void *arg)
{
    long k = (long)arg;
    for (int i = 0; i < NREG; i++) {
        cprof_enter(&many[i]);
        t_count += k;
        cprof_exit(&many[i]);
    }
    return NULL;
}

Test(errors, thousand_regions_on_64_threads)
{
    setup(SDE_T);
    register_sde();
    for (int i = 0; i < NREG; i++) {
        char *name = malloc(16);
        snprintf(name, 16, "r%d", i);
        many[i] = (cprof_site){ name, __FILE__, i, 0 };
    }
    pthread_t th[NTHR];
    for (long k = 0; k < NTHR; k++)
        cr_assert_eq(pthread_create(&th[k], NULL, many_worker, (void *)(k + 1)), 0);
    for (int k = 0; k < NTHR; k++)
        pthread_join(th[k], NULL);
    json_t *d = dump_and_load();
    json_t *threads = json_object_get(d, "threads");
    cr_assert_eq(json_array_size(threads), NTHR);
    long long total = 0;
    json_t *t;
    size_t i;
    json_array_foreach(threads, i, t) {
        json_t *regions = json_object_get(t, "regions");
        cr_assert_eq(json_array_size(regions), NREG);
        long long per = ctr(json_array_get(regions, 0), SDE_T, "incl");
        json_t *r;
        size_t j;
        json_array_foreach(regions, j, r) {
            cr_assert_eq(num(r, "calls"), 1);
            cr_assert_eq(ctr(r, SDE_T, "incl"), per);
        }
        total += per;
    }
    cr_assert_eq(total, NTHR * (NTHR + 1) / 2);
}

Test(errors, unwritable_output_folder_is_one_line)
{
    setup(SDE_T);
    setenv("CPROF_OUTPUT", "/nonexistent/cprof/out", 1);
    stderr_begin();
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    int rc = cprof_dump();
    char *err = stderr_end();
    cr_assert_eq(rc, -1);
    cr_assert_not_null(strstr(err, "cprof: cannot write the dump: /nonexistent/cprof/out: "), "%s",
                       err);
    free(err);
    cr_assert_null(cprof_dump_path());
    setenv("CPROF_QUIET", "1", 1);
}

Test(errors, planted_symlink_is_not_followed_nor_replaced)
{
    const char *dir = setup(SDE_T);
    char victim[512], link[512];
    snprintf(victim, sizeof victim, "%s/victim", dir);
    dump_file(link, sizeof link, dir, getpid(), 0);
    FILE *v = fopen(victim, "w");
    fputs("precious", v);
    fclose(v);
    cr_assert_eq(symlink(victim, link), 0);
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    cr_assert_not_null(d);
    char expect[512];
    dump_file(expect, sizeof expect, dir, getpid(), 1);
    cr_assert_str_eq(cprof_dump_path(), expect);
    char buf[32] = {0};
    v = fopen(victim, "r");
    cr_assert_eq(fread(buf, 1, sizeof buf - 1, v), 8);
    fclose(v);
    cr_assert_str_eq(buf, "precious");
    struct stat st;
    cr_assert_eq(lstat(link, &st), 0);
    cr_assert(S_ISLNK(st.st_mode));
    /* a second dump replaces our own file, and only it */
    cr_assert_eq(cprof_dump(), 0);
    cr_assert_str_eq(cprof_dump_path(), expect);
}

Test(errors, exit_inside_a_region_still_dumps_it)
{
    const char *dir = setup(SDE_T);
    register_sde();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        cprof_enter(&s_a);
        t_count += 8;
        exit(3);            /* the at-exit dump closes a as an incomplete call */
    }
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status));
    cr_assert_eq(WEXITSTATUS(status), 3, "the program's exit status must not change");
    char path[512];
    dump_file(path, sizeof path, dir, pid, 0);
    json_t *d = load_file(path);
    cr_assert_eq(num(json_object_get(d, "errors"), "open"), 1);
    json_t *a = region(thread_by_tid(d, pid), "a");
    cr_assert_eq(num(a, "calls"), 0);
    cr_assert_eq(ctr(a, SDE_T, "incl"), 8);
}

Test(errors, names_that_are_not_utf8_still_parse)
{
    setup("");
    static cprof_site odd = { "bad\xff\xfe name \"quoted\" \n tab\t", "f\x80.c", 1, 0 };
    cprof_enter(&odd);
    cprof_exit(&odd);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *r = json_array_get(json_object_get(t, "regions"), 0);
    cr_assert_not_null(r);
    cr_assert_not_null(strstr(json_string_value(json_object_get(r, "name")), "\"quoted\""));
}

Test(errors, region_selection_globs)
{
    setup(SDE_T);
    setenv("CPROF_REGIONS", "a*,c,!ab*", 1);
    register_sde();
    static cprof_site a = { "alpha", "x.c", 1, 0 }, ab = { "abc", "x.c", 2, 0 },
                      c = { "c", "x.c", 3, 0 }, d = { "d", "x.c", 4, 0 };
    cprof_site *all[] = { &a, &ab, &c, &d };
    for (int i = 0; i < 4; i++) {
        cprof_enter(all[i]);
        t_count += 1;
    }
    for (int i = 3; i >= 0; i--)
        cprof_exit(all[i]);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    cr_assert_not_null(region(t, "alpha"));
    cr_assert_null(region(t, "abc"));
    cr_assert_null(region(t, "d"));
    /* unmeasured regions are transparent: c is a direct child of alpha */
    json_t *nc = node(t, num(node(t, 0, "alpha"), "node"), "c");
    cr_assert_not_null(nc);
    /* alpha +1, abc (unmeasured) +1, c +1, d (unmeasured) +1 */
    cr_assert_eq(ctr(region(t, "alpha"), SDE_T, "incl"), 4);
    cr_assert_eq(ctr(nc, SDE_T, "incl"), 2);
    cr_assert_eq(ctr(region(t, "alpha"), SDE_T, "excl"), 2);
}

Test(errors, disabled_measures_and_writes_nothing)
{
    const char *dir = setup(SDE_T);
    setenv("CPROF_DISABLE", "1", 1);
    cprof_enter(&s_a);
    cprof_exit(&s_b);           /* not even unbalanced exits are looked at */
    cr_assert_eq(cprof_enabled(), 0);
    cr_assert_eq(cprof_dump(), 0);
    cr_assert_null(cprof_dump_path());
    char path[512];
    dump_file(path, sizeof path, dir, getpid(), 0);
    cr_assert_neq(access(path, F_OK), 0);
}

Test(errors, dump_has_every_fixed_field)
{
    setup("");
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    const char *top[] = { "format", "pid", "command", "clock", "events", "overhead", "errors", "threads" };
    for (size_t i = 0; i < sizeof top / sizeof *top; i++)
        cr_assert_not_null(json_object_get(d, top[i]), "missing %s", top[i]);
    cr_assert_not_null(json_object_get(json_object_get(d, "overhead"), "ns_per_pair"));
    cr_assert_not_null(json_object_get(json_object_get(d, "overhead"), "counters"));
    json_t *t = thread_by_tid(d, gettid());
    cr_assert_str_eq(json_string_value(json_object_get(t, "name")), "main");
    const char *rk[] = { "name", "file", "line", "calls", "incl_ns", "excl_ns", "min_ns", "max_ns", "counters" };
    json_t *r = region(t, "a");
    for (size_t i = 0; i < sizeof rk / sizeof *rk; i++)
        cr_assert_not_null(json_object_get(r, rk[i]), "region misses %s", rk[i]);
    const char *nk[] = { "node", "parent", "region", "calls", "incl_ns", "excl_ns", "counters" };
    json_t *n = node(t, 0, "a");
    for (size_t i = 0; i < sizeof nk / sizeof *nk; i++)
        cr_assert_not_null(json_object_get(n, nk[i]), "node misses %s", nk[i]);
    cr_assert_str_eq(json_string_value(json_object_get(r, "file")), __FILE__);
    cr_assert_eq(num(r, "line"), s_a_line);
}

Test(errors, default_events_count_or_say_why_not)
{
    setup("");
    unsetenv("CPROF_EVENTS");   /* default: PAPI_TOT_INS,PAPI_TOT_CYC */
    setenv("CPROF_QUIET", "1", 1);
    cprof_enter(&s_a);
    for (volatile int i = 0; i < 1000; i++)
        ;
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    json_t *evs = json_object_get(d, "events");
    cr_assert_eq(json_array_size(evs), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(evs, 0), "name")), "PAPI_TOT_INS");
    json_t *a = region(thread_by_tid(d, gettid()), "a");
    cr_assert_eq(num(a, "calls"), 1);
    cr_assert_gt(num(a, "incl_ns"), 0);
    for (size_t i = 0; i < 2; i++) {
        json_t *e = json_array_get(evs, i);
        const char *name = json_string_value(json_object_get(e, "name"));
        if (json_is_true(json_object_get(e, "active")))   /* a machine with counters */
            cr_assert_gt(ctr(a, name, "incl"), 1000);
        else
            cr_assert_gt(strlen(json_string_value(json_object_get(e, "reason"))), 10);
    }
}

/* A thread still creating call paths while the process exits and dumps. */
static void *busy_forever(void *arg)
{
    (void)arg;
    static cprof_site sites[64];
    for (int i = 0; i < 64; i++)
        sites[i] = (cprof_site){ "busy", "busy.c", i, 0 };
    for (unsigned long k = 0;; k++) {
        for (int i = 0; i < 64; i++)
            cprof_enter(&sites[(i * 7 + k) % 64]);   /* ever new paths: the tree grows */
        for (int i = 63; i >= 0; i--)
            cprof_exit(&sites[(i * 7 + k) % 64]);
    }
    return NULL;
}

Test(errors, exit_while_another_thread_runs)
{
    const char *dir = setup("");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t th;
        pthread_create(&th, NULL, busy_forever, NULL);
        usleep(100000);
        cprof_enter(&s_a);
        cprof_exit(&s_a);
        exit(5);
    }
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status), "the program was killed (signal %d)", WTERMSIG(status));
    cr_assert_eq(WEXITSTATUS(status), 5);
    char path[512];
    dump_file(path, sizeof path, dir, pid, 0);
    json_t *d = load_file(path);
    cr_assert_eq(json_array_size(json_object_get(d, "threads")), 2);
}

Test(errors, twin_sites_are_one_region)
{
    setup("");
    static cprof_site one = { "twin", "t.h", 7, 0 }, two = { "twin", "t.h", 7, 0 };
    cprof_enter(&one);
    cprof_exit(&two);             /* e.g. a static inline function in two files */
    json_t *d = dump_and_load();
    cr_assert_eq(num(json_object_get(d, "errors"), "unbalanced"), 0);
    cr_assert_eq(num(region(thread_by_tid(d, gettid()), "twin"), "calls"), 1);
}

/* Sites differ when name, file or line differ, whatever bytes they hold. */
Test(errors, sites_that_only_look_alike_stay_apart)
{
    setup("");
    static cprof_site x = { "a\x1f" "b", "c", 1, 0 }, y = { "a", "b\x1f" "c", 1, 0 };
    cprof_enter(&x);
    cprof_exit(&x);
    cprof_enter(&y);
    cprof_exit(&y);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    cr_assert_eq(json_array_size(json_object_get(t, "regions")), 2);
    cr_assert_eq(num(region(t, "a\x1f" "b"), "calls"), 1);
    cr_assert_eq(num(region(t, "a"), "calls"), 1);
}

Test(errors, a_file_put_in_place_of_our_dump_is_not_replaced)
{
    const char *dir = setup("");
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    cr_assert_eq(cprof_dump(), 0);
    char ours[4200], other[4200];
    snprintf(ours, sizeof ours, "%s", cprof_dump_path());
    snprintf(other, sizeof other, "%s/other", dir);
    FILE *f = fopen(other, "w");
    fputs("user data", f);
    fclose(f);
    cr_assert_eq(rename(other, ours), 0);   /* someone else's file now has our name */
    cr_assert_eq(cprof_dump(), 0);
    cr_assert_str_neq(cprof_dump_path(), ours);
    char buf[32] = {0};
    f = fopen(ours, "r");
    cr_assert_eq(fread(buf, 1, sizeof buf - 1, f), 9);
    fclose(f);
    cr_assert_str_eq(buf, "user data");
}

Test(errors, a_decimal_comma_locale_still_writes_json)
{
    setup("");
    /* make test builds this locale (localedef) under the test folder */
    char loc[4200];
    snprintf(loc, sizeof loc, "%s/locale", getenv("CPROF_TEST_TMP"));
    setenv("LOCPATH", loc, 1);
    cr_assert_not_null(setlocale(LC_ALL, "de_DE.UTF-8"), "no de_DE.UTF-8 under %s", loc);
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    cr_assert_str_eq(probe, "1,5");
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    cr_assert(json_is_real(json_object_get(json_object_get(d, "overhead"), "ns_per_pair")));
    setlocale(LC_ALL, "C");
}

/* The program's errno comes out of every call as it went in: the first
 * enter starts PAPI (which fails on unknown events), an unbalanced exit
 * warns, a dump writes files. */
Test(errors, errno_is_never_changed)
{
    setup("PAPI_TOT_INS,no_such_event,perf::PERF_COUNT_SW_PAGE_FAULTS");
    setenv("CPROF_QUIET", "1", 1);
    errno = 4242;
    cprof_enter(&s_a);
    cr_assert_eq(errno, 4242, "first enter: errno %d", errno);
    errno = 4343;
    cprof_exit(&s_a);
    cr_assert_eq(errno, 4343, "exit: errno %d", errno);
    errno = 4444;
    cprof_exit(&s_b);   /* unbalanced: repaired, warned */
    cr_assert_eq(errno, 4444, "unbalanced exit: errno %d", errno);
    errno = 4545;
    cr_assert_eq(cprof_dump(), 0);
    cr_assert_eq(errno, 4545, "dump: errno %d", errno);
    errno = 4646;
    cr_assert(cprof_enabled());
    cr_assert_eq(errno, 4646, "enabled: errno %d", errno);
}

static pthread_key_t late_key;
static void late_destructor(void *p)
{
    (void)p;
    cprof_enter(&s_b);   /* after the runtime's own thread-exit handler, maybe */
    cprof_exit(&s_b);
}

static void *short_task(void *arg)
{
    pthread_setspecific(late_key, arg);
    cprof_enter(&s_a);
    t_count += 1;
    cprof_exit(&s_a);
    return NULL;
}

/* A thread per task: what stays of a finished thread is its tree, not its
 * stack and lookup table (12 KB each before), and a region entered from a
 * later thread-exit destructor neither crashes nor corrupts the figures. */
Test(errors, finished_threads_keep_little_and_late_entries_are_safe)
{
    setup(SDE_T);
    register_sde();
    setenv("CPROF_QUIET", "1", 1);
    pthread_key_create(&late_key, late_destructor);
    cprof_enter(&s_c);   /* the runtime is up before the measurement */
    cprof_exit(&s_c);
    enum { N = 3000 };
#if !defined(__SANITIZE_ADDRESS__)
    size_t before = mallinfo2().uordblks;
#endif
    for (int i = 0; i < N; i++) {
        pthread_t th;
        cr_assert_eq(pthread_create(&th, NULL, short_task, (void *)1), 0);
        pthread_join(th, NULL);
    }
#if !defined(__SANITIZE_ADDRESS__)
    size_t per_thread = (mallinfo2().uordblks - before) / N;
    cr_assert_lt(per_thread, 3000, "%zu bytes kept per finished thread", per_thread);
#endif
    json_t *d = dump_and_load();
    json_t *threads = json_object_get(d, "threads"), *t;
    size_t k, seen = 0;
    json_array_foreach(threads, k, t) {
        json_t *a = region(t, "a");
        if (!a)
            continue;
        seen++;
        cr_assert_eq(num(a, "calls"), 1);
        cr_assert_eq(ctr(a, SDE_T, "incl"), 1);
    }
    cr_assert_eq(seen, N);
    json_decref(d);
}

static const char *reason_of(json_t *dump, size_t i)
{
    json_t *ev = json_array_get(json_object_get(dump, "events"), i);
    cr_assert_not(json_is_true(json_object_get(ev, "active")), "event %zu should not be counted", i);
    return json_string_value(json_object_get(ev, "reason"));
}

/* What PAPI only calls "invalid argument" gets its real reason. */
Test(errors, events_of_two_components_or_twice_say_why)
{
    setup(SDE_T "," SDE_T ",perf::PERF_COUNT_SW_PAGE_FAULTS");
    register_sde();
    setenv("CPROF_QUIET", "1", 1);
    cprof_enter(&s_a);
    t_count += 3;
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    cr_assert_str_eq(reason_of(d, 1), "given twice in the list: counted once");
    const char *why = reason_of(d, 2);
    cr_assert(strstr(why, "one component only") || strstr(why, "perf_event"), "%s", why);
    cr_assert_eq(ctr(region(thread_by_tid(d, gettid()), "a"), SDE_T, "incl"), 3);
    json_decref(d);
}

/* A CPROF_CLOCK this runtime does not know is said, not silently dropped. */
Test(errors, an_unknown_clock_is_said)
{
    setup("none");
    setenv("CPROF_CLOCK", "bogus", 1);
    stderr_begin();
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    char *err = stderr_end();
    cr_assert_not_null(strstr(err, "CPROF_CLOCK=bogus: expected tsc, monotonic or auto"), "stderr: %s", err);
    free(err);
    cr_assert_eq(num(region(thread_by_tid(dump_and_load(), gettid()), "a"), "calls"), 1);
}
