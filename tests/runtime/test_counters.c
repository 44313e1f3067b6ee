/*
 * test_counters.c: the built-in allocation counters (fed through the hook
 * API, as cprof::Alloc and libcprof_alloc.so feed them) and user counters
 * (cprof_count): exact inclusive and exclusive figures, the tree, recursion,
 * threads, totals outside regions, mixing with a PAPI event, and the
 * reasons given when they cannot count.
 */
#include <criterion/criterion.h>
#include <sys/stat.h>
#include <papi.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#define ALLOCS "cprof::allocs"
#define BYTES "cprof::alloc_bytes"
#define FREES "cprof::frees"
#define FREED "cprof::freed_bytes"
#define REALLOCS "cprof::reallocs"
#define ALL_ALLOC ALLOCS "," BYTES "," FREES "," FREED "," REALLOCS

CPROF_SITE(s_a, "a");
CPROF_SITE(s_b, "b");
CPROF_SITE(s_rec, "rec");
CPROF_COUNTER(c_bytes, "bytes");
CPROF_COUNTER(c_items, "items");

TestSuite(counters, .timeout = 60);

static json_t *event_named(json_t *d, const char *name)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(d, "events"), i, e) {
        if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0)
            return e;
    }
    return NULL;
}

static long long total(json_t *thread, const char *name)
{
    json_t *t = json_object_get(thread, "totals");
    cr_assert(json_is_object(t), "the thread has no totals");
    json_t *v = json_object_get(t, name);
    cr_assert(json_is_integer(v), "no total for %s", name);
    return json_integer_value(v);
}

static void allocs(int k, size_t n)
{
    for (int i = 0; i < k; i++)
        cprof_alloc_note(n);
}

Test(counters, allocations_exact_inclusive_and_exclusive)
{
    setup(ALL_ALLOC);
    allocs(4, 7);                  /* outside every region: in the total only */
    cprof_enter(&s_a);
    allocs(3, 16);
    cprof_enter(&s_b);
    allocs(2, 100);
    cprof_realloc_note(10, 20);
    cprof_free_note(30);
    cprof_exit(&s_b);
    cprof_free_note(8);
    cprof_exit(&s_a);

    json_t *d = dump_and_load();
    json_t *t = thread_by_tid(d, gettid());
    json_t *a = region(t, "a"), *b = region(t, "b");
    cr_assert_eq(ctr(b, ALLOCS, "incl"), 3);
    cr_assert_eq(ctr(b, BYTES, "incl"), 220);
    cr_assert_eq(ctr(b, FREES, "incl"), 2);
    cr_assert_eq(ctr(b, FREED, "incl"), 40);
    cr_assert_eq(ctr(b, REALLOCS, "incl"), 1);
    cr_assert_eq(ctr(a, ALLOCS, "incl"), 6);
    cr_assert_eq(ctr(a, ALLOCS, "excl"), 3);
    cr_assert_eq(ctr(a, BYTES, "incl"), 268);
    cr_assert_eq(ctr(a, BYTES, "excl"), 48);
    cr_assert_eq(ctr(a, FREES, "incl"), 3);
    cr_assert_eq(ctr(a, FREED, "excl"), 8);
    cr_assert_eq(ctr(a, REALLOCS, "excl"), 0);
    json_t *na = node(t, 0, "a"), *nb = node(t, num(na, "node"), "b");
    cr_assert_eq(ctr(na, BYTES, "incl"), 268);
    cr_assert_eq(ctr(nb, BYTES, "excl"), 220);
    cr_assert_eq(total(t, ALLOCS), 10);
    cr_assert_eq(total(t, BYTES), 296);
    cr_assert_eq(total(t, FREED), 48);
    json_t *e = event_named(d, ALLOCS);
    cr_assert(json_is_true(json_object_get(e, "active")));
    json_t *oh = json_object_get(json_object_get(d, "overhead"), "counters");
    cr_assert_eq(json_number_value(json_object_get(oh, ALLOCS)), 0.0, "enter/exit allocate nothing");
}

static void rec(int depth)
{
    cprof_enter(&s_rec);
    cprof_alloc_note(10);
    if (depth > 1)
        rec(depth - 1);
    cprof_exit(&s_rec);
}

Test(counters, recursion_counts_once)
{
    setup(ALLOCS "," BYTES);
    rec(3);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *r = region(t, "rec");
    cr_assert_eq(num(r, "calls"), 3);
    cr_assert_eq(ctr(r, ALLOCS, "incl"), 3);
    cr_assert_eq(ctr(r, ALLOCS, "excl"), 3);
    cr_assert_eq(ctr(r, BYTES, "incl"), 30);
    json_t *n1 = node(t, 0, "rec"), *n2 = node(t, num(n1, "node"), "rec");
    cr_assert_eq(ctr(n1, ALLOCS, "incl"), 3);
    cr_assert_eq(ctr(n2, ALLOCS, "incl"), 2);
    cr_assert_eq(ctr(n2, ALLOCS, "excl"), 1);
}

typedef struct job {
    int k;
    long tid;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    j->tid = gettid();
    CPROF_SITE(s_w, "work");
    cprof_enter(&s_w);
    allocs(j->k, (size_t)j->k);
    cprof_count(&c_items, j->k * 10);
    cprof_exit(&s_w);
    cprof_count(&c_items, 1);   /* outside: the thread's total only */
    return NULL;
}

Test(counters, threads_each_count_their_own)
{
    setup(ALLOCS "," BYTES);
    job jobs[3] = { { 1, 0 }, { 2, 0 }, { 5, 0 } };
    pthread_t th[3];
    for (int i = 0; i < 3; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    json_t *d = dump_and_load();
    for (int i = 0; i < 3; i++) {
        json_t *t = thread_by_tid(d, jobs[i].tid);
        json_t *w = region(t, "work");
        int k = jobs[i].k;
        cr_assert_eq(ctr(w, ALLOCS, "incl"), k);
        cr_assert_eq(ctr(w, BYTES, "incl"), k * k);
        cr_assert_eq(ctr(w, "user::items", "incl"), k * 10);
        cr_assert_eq(total(t, "user::items"), k * 10 + 1);
        cr_assert_eq(total(t, ALLOCS), k);
    }
}

Test(counters, mixed_with_a_papi_event)
{
    setup(SDE_T "," ALLOCS);
    register_sde();
    cprof_enter(&s_a);
    t_count += 5;
    allocs(2, 1);
    cprof_enter(&s_b);
    t_count += 1;
    allocs(1, 1);
    cprof_exit(&s_b);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    json_t *a = region(thread_by_tid(d, gettid()), "a");
    cr_assert_eq(ctr(a, SDE_T, "incl"), 6);
    cr_assert_eq(ctr(a, SDE_T, "excl"), 5);
    cr_assert_eq(ctr(a, ALLOCS, "incl"), 3);
    cr_assert_eq(ctr(a, ALLOCS, "excl"), 2);
    json_t *ev = json_object_get(d, "events");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ev, 0), "name")), SDE_T);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ev, 1), "name")), ALLOCS);
}

Test(counters, built_in_counters_alone_start_no_papi)
{
    setup(ALLOCS);
    cprof_enter(&s_a);
    cprof_alloc_note(1);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    cr_assert_eq(ctr(region(thread_by_tid(d, gettid()), "a"), ALLOCS, "incl"), 1);
    cr_assert_eq(PAPI_is_initialized(), PAPI_NOT_INITED);
}

Test(counters, no_hook_no_such_counter_and_duplicates_say_why)
{
    setup(ALLOCS ",cprof::bogus," ALLOCS ",user::");
    stderr_begin();
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    char *err = stderr_end();
    json_t *e = json_array_get(json_object_get(d, "events"), 0);
    cr_assert(json_is_false(json_object_get(e, "active")), "no hook counted anything");
    cr_assert(strstr(json_string_value(json_object_get(e, "reason")), "no allocation hook"));
    e = json_array_get(json_object_get(d, "events"), 1);
    cr_assert(strstr(json_string_value(json_object_get(e, "reason")), "no such built-in counter"));
    e = json_array_get(json_object_get(d, "events"), 2);
    cr_assert(strstr(json_string_value(json_object_get(e, "reason")), "given twice"));
    e = json_array_get(json_object_get(d, "events"), 3);
    cr_assert(strstr(json_string_value(json_object_get(e, "reason")), "needs a name"));
    json_t *a = region(thread_by_tid(d, gettid()), "a");
    cr_assert_null(json_object_get(json_object_get(a, "counters"), ALLOCS));
    cr_assert(strstr(err, "cprof::bogus is not counted"), "stderr: %s", err);
    free(err);
}

Test(counters, user_counters_exact_without_being_asked_for)
{
    setup("none");
    cprof_count(&c_bytes, 1000);   /* before any region: the total only */
    cprof_enter(&s_a);
    cprof_count(&c_bytes, 10);
    cprof_enter(&s_b);
    cprof_count(&c_bytes, 5);
    cprof_count(&c_items, 2);
    cprof_count(&c_bytes, -1);
    cprof_exit(&s_b);
    cprof_count(&c_items, 1);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    json_t *t = thread_by_tid(d, gettid());
    json_t *a = region(t, "a"), *b = region(t, "b");
    cr_assert_eq(ctr(a, "user::bytes", "incl"), 14);
    cr_assert_eq(ctr(a, "user::bytes", "excl"), 10);
    cr_assert_eq(ctr(b, "user::bytes", "incl"), 4);
    cr_assert_eq(ctr(b, "user::bytes", "excl"), 4);
    cr_assert_eq(ctr(a, "user::items", "incl"), 3);
    cr_assert_eq(ctr(a, "user::items", "excl"), 1);
    cr_assert_eq(total(t, "user::bytes"), 1014);
    cr_assert_eq(total(t, "user::items"), 3);
    json_t *ev = json_object_get(d, "events");
    cr_assert_eq(json_array_size(ev), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ev, 0), "name")), "user::bytes");
    cr_assert(json_is_true(json_object_get(json_array_get(ev, 1), "active")));
}

static void rec_count(int depth)
{
    cprof_enter(&s_rec);
    cprof_count(&c_items, 7);
    if (depth > 1)
        rec_count(depth - 1);
    cprof_exit(&s_rec);
}

Test(counters, user_counter_recursion_counts_once)
{
    setup("none");
    cprof_enter(&s_a);
    rec_count(4);
    cprof_exit(&s_a);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    json_t *r = region(t, "rec");
    cr_assert_eq(ctr(r, "user::items", "incl"), 28);
    cr_assert_eq(ctr(r, "user::items", "excl"), 28);
    cr_assert_eq(ctr(region(t, "a"), "user::items", "incl"), 28);
    cr_assert_eq(ctr(region(t, "a"), "user::items", "excl"), 0);
}

Test(counters, asked_user_counter_is_listed_in_its_place_even_if_never_counted)
{
    setup("user::items," ALLOCS ",user::later");
    cprof_alloc_note(1);   /* a hook exists */
    cprof_enter(&s_a);
    cprof_count(&c_bytes, 3);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    json_t *ev = json_object_get(d, "events");
    const char *want[] = { "user::items", ALLOCS, "user::later", "user::bytes" };
    cr_assert_eq(json_array_size(ev), 4);
    for (int i = 0; i < 4; i++)
        cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ev, i), "name")), want[i]);
    json_t *a = region(thread_by_tid(d, gettid()), "a");
    cr_assert_eq(ctr(a, "user::items", "incl"), 0);
    cr_assert_eq(ctr(a, "user::later", "incl"), 0);
    cr_assert_eq(ctr(a, "user::bytes", "incl"), 3);
}

Test(counters, more_counters_than_slots_are_named_not_counted)
{
    setup("none");
    static cprof_counter_site many[18];
    static char names[18][16];
    stderr_begin();
    cprof_enter(&s_a);
    for (int i = 0; i < 18; i++) {
        snprintf(names[i], sizeof names[i], "c%d", i);
        many[i].name = names[i];
        cprof_count(&many[i], i);
    }
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    free(stderr_end());
    json_t *ev = json_object_get(d, "events");
    cr_assert_eq(json_array_size(ev), 18);
    /* 14 slots (runtime/internal.h: the node's size holds them) */
    cr_assert(json_is_true(json_object_get(json_array_get(ev, 13), "active")));
    cr_assert(json_is_false(json_object_get(json_array_get(ev, 14), "active")));
    json_t *a = region(thread_by_tid(d, gettid()), "a");
    cr_assert_eq(ctr(a, "user::c13", "incl"), 13);
    cr_assert_null(json_object_get(json_object_get(a, "counters"), "user::c14"));
}

Test(counters, disabled_counts_nothing)
{
    setup("none");
    setenv("CPROF_DISABLE", "1", 1);
    cprof_count(&c_bytes, 3);
    cprof_alloc_note(3);
    cr_assert_eq(cprof_enabled(), 0);
    cr_assert_eq(c_bytes.id & 0x80000000u, 0x80000000u);
}

Test(counters, the_runtime_own_work_is_not_counted)
{
    setup(ALLOCS);
    cprof_alloc_note(1);
    cprof_enter(&s_a);
    cprof_runtime_begin();   /* as a binding naming a site does */
    cprof_alloc_note(100);
    cprof_count(&c_bytes, 5);   /* dropped: inside the runtime */
    cprof_runtime_end();
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    json_t *t = thread_by_tid(d, gettid());
    cr_assert_eq(ctr(region(t, "a"), ALLOCS, "incl"), 0);
    cr_assert_eq(total(t, ALLOCS), 1);
    cr_assert_eq(num(json_object_get(d, "errors"), "reentrant"), 1);
}

/* A misspelled preset is said to be one, on every machine: PAPI's own
 * words for it ("not supported by component") read as a counter missing
 * here, and the real preset beside it gets the component's reason (or
 * counts). */
Test(counters, a_misspelled_papi_preset_is_called_one)
{
    setup("PAPI_TOT_INSS," SDE_T);
    register_sde();
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    json_t *e = json_array_get(json_object_get(d, "events"), 0);
    cr_assert(json_is_false(json_object_get(e, "active")));
    cr_assert(strstr(json_string_value(json_object_get(e, "reason")), "no PAPI preset has this name"),
              "reason: %s", json_string_value(json_object_get(e, "reason")));
    cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(d, "events"), 1), "active")));
}

/* A fake perf sysfs folder holding the PMUs given (empty folders). */
static const char *pmu_folder(const char *out, const char *const *pmus, int n)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/devices", out);
    cr_assert_eq(mkdir(dir, 0755), 0);
    for (int i = 0; i < n; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", dir, pmus[i]);
        cr_assert_eq(mkdir(p, 0755), 0);
    }
    return dir;
}

/* No CPU PMU (perf's sysfs lists only software ones, as on this project's
 * virtual machines): hardware presets cannot count, and libpapi is not
 * even loaded to hear so (7-10 ms a process); the reason says why. */
Test(counters, presets_without_a_cpu_pmu_load_no_papi)
{
    const char *out = setup("PAPI_TOT_INS,PAPI_TOT_CYC");
    static const char *const pmus[] = { "software", "tracepoint", "breakpoint" };
    setenv("CPROF_TEST_PMU_DEVICES", pmu_folder(out, pmus, 3), 1);
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    cr_assert_eq(PAPI_is_initialized(), PAPI_NOT_INITED, "libpapi was started");
    json_t *e = json_array_get(json_object_get(d, "events"), 1);
    cr_assert(json_is_false(json_object_get(e, "active")));
    cr_assert(strstr(json_string_value(json_object_get(e, "reason")), "no CPU PMU"), "reason: %s",
              json_string_value(json_object_get(e, "reason")));
    cr_assert_eq(num(region(thread_by_tid(d, gettid()), "a"), "calls"), 1);
}

/* ... and a misspelled preset there is still called one, not blamed on
 * the machine (similar trial: PAPI_TOT_INZ read "no hardware counters
 * here"); the real one beside it gets the machine's reason. */
Test(counters, a_misspelled_preset_without_a_cpu_pmu_is_called_one)
{
    const char *out = setup("PAPI_TOT_INZ,PAPI_TOT_CYC");
    static const char *const pmus[] = { "software" };
    setenv("CPROF_TEST_PMU_DEVICES", pmu_folder(out, pmus, 1), 1);
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    cr_assert_eq(PAPI_is_initialized(), PAPI_NOT_INITED, "libpapi was started");
    json_t *ev = json_object_get(d, "events");
    const char *typo = json_string_value(json_object_get(json_array_get(ev, 0), "reason"));
    const char *real = json_string_value(json_object_get(json_array_get(ev, 1), "reason"));
    cr_assert(typo && strstr(typo, "no PAPI preset has this name"), "PAPI_TOT_INZ: %s", typo);
    cr_assert(real && strstr(real, "no CPU PMU"), "PAPI_TOT_CYC: %s", real);
}

/* With a CPU PMU listed, or an event that is not a preset (an sde one
 * counts on any machine), PAPI is asked as before. */
Test(counters, a_cpu_pmu_or_another_event_still_asks_papi)
{
    const char *out = setup("PAPI_TOT_INS," SDE_T);
    register_sde();
    static const char *const pmus[] = { "software" };
    setenv("CPROF_TEST_PMU_DEVICES", pmu_folder(out, pmus, 1), 1);
    cprof_enter(&s_a);
    t_count += 3;
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    cr_assert_eq(ctr(region(thread_by_tid(d, gettid()), "a"), SDE_T, "incl"), 3);
    cr_assert_neq(PAPI_is_initialized(), PAPI_NOT_INITED);
}

Test(counters, a_cpu_pmu_listed_asks_papi)
{
    const char *out = setup("PAPI_TOT_INS");
    static const char *const pmus[] = { "software", "cpu" };
    setenv("CPROF_TEST_PMU_DEVICES", pmu_folder(out, pmus, 2), 1);
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    dump_and_load();
    cr_assert_neq(PAPI_is_initialized(), PAPI_NOT_INITED, "PAPI was not asked");
}
