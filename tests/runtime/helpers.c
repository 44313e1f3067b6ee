/* helpers.c: see helpers.h. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <papi.h>
#include <sde_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * CPROF_TEST_NO_PERF_EVENT=1 runs the suite as on a machine whose PAPI
 * perf_event component is disabled (no PMU, or perf_event_open refused):
 * PAPI allows that only before PAPI_library_init, which the runtime calls on
 * the first region of each test (every test is a fresh process).
 */
__attribute__((constructor)) static void maybe_without_perf_event(void)
{
    const char *v = getenv("CPROF_TEST_NO_PERF_EVENT");
    if (v && strcmp(v, "1") == 0)
        PAPI_disable_component_by_name("perf_event");
}

int perf_event_forced_off(void)
{
    const char *v = getenv("CPROF_TEST_NO_PERF_EVENT");
    return v && strcmp(v, "1") == 0;
}

__thread long long t_count;
long long p_count;

static long long read_t(void *arg)
{
    (void)arg;
    return t_count;
}

const char *setup(const char *events)
{
    static char dir[4096];
    const char *base = getenv("CPROF_TEST_TMP");   /* make test keeps it under build/ */
    snprintf(dir, sizeof dir, "%s/cprof-test-XXXXXX", base && *base ? base : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    setenv("CPROF_OUTPUT", dir, 1);
    setenv("CPROF_DUMP_FORMAT", "1", 1);   /* the checks read cprof-1's region records */
    setenv("CPROF_EVENTS", events, 1);
    setenv("CPROF_QUIET", "0", 1);
    return dir;
}

void register_sde(void)
{
    papi_handle_t h = papi_sde_init("CPT");
    cr_assert_not_null(h);
    papi_sde_register_counter_cb(h, "T", PAPI_SDE_RO | PAPI_SDE_DELTA, PAPI_SDE_long_long,
                                 read_t, NULL);
    papi_sde_register_counter(h, "P", PAPI_SDE_RO | PAPI_SDE_DELTA, PAPI_SDE_long_long,
                              &p_count);
}

json_t *load_file(const char *path)
{
    json_error_t err;
    json_t *d = json_load_file(path, 0, &err);
    cr_assert_not_null(d, "%s:%d: %s", path, err.line, err.text);
    return d;
}

void dump_file(char *buf, size_t cap, const char *dir, long pid, int k)
{
    char host[65] = "";
    gethostname(host, sizeof host - 1);
    for (char *p = host; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p))
            *p = '_';
    char nth[16] = "";
    if (k > 0)
        snprintf(nth, sizeof nth, ".%d", k);
    snprintf(buf, cap, "%s/cprof-%s-%ld%s.json", dir, host[0] ? host : "unknown", pid, nth);
}

json_t *dump_and_load(void)
{
    cr_assert_eq(cprof_dump(), 0);
    cr_assert_not_null(cprof_dump_path());
    return load_file(cprof_dump_path());
}

json_t *thread_by_tid(json_t *dump, long tid)
{
    json_t *threads = json_object_get(dump, "threads"), *t;
    size_t i;
    cr_assert(json_is_array(threads));
    json_array_foreach(threads, i, t) {
        if (tid == 0 || json_integer_value(json_object_get(t, "tid")) == tid)
            return t;
    }
    cr_assert_fail("no thread %ld in the dump", tid);
    return NULL;
}

json_t *region(json_t *thread, const char *name)
{
    json_t *r;
    size_t i;
    json_array_foreach(json_object_get(thread, "regions"), i, r) {
        if (strcmp(json_string_value(json_object_get(r, "name")), name) == 0)
            return r;
    }
    return NULL;
}

json_t *node(json_t *thread, long parent, const char *name)
{
    json_t *n;
    size_t i;
    json_array_foreach(json_object_get(thread, "tree"), i, n) {
        if (json_integer_value(json_object_get(n, "parent")) == parent &&
            strcmp(json_string_value(json_object_get(n, "region")), name) == 0)
            return n;
    }
    return NULL;
}

long long num(json_t *obj, const char *key)
{
    cr_assert_not_null(obj, "no object to read \"%s\" from", key);
    json_t *v = json_object_get(obj, key);
    cr_assert(json_is_integer(v), "\"%s\" is not an integer", key);
    return json_integer_value(v);
}

long long ctr(json_t *obj, const char *ev, const char *which)
{
    cr_assert_not_null(obj);
    json_t *v = json_object_get(json_object_get(json_object_get(obj, "counters"), ev), which);
    cr_assert(json_is_integer(v), "no counter %s.%s", ev, which);
    return json_integer_value(v);
}

static int saved_fd = -1;
static char capture[64];

void stderr_begin(void)
{
    snprintf(capture, sizeof capture, "/tmp/cprof-stderr-XXXXXX");
    int fd = mkstemp(capture);
    cr_assert(fd >= 0);
    fflush(stderr);
    saved_fd = dup(2);
    dup2(fd, 2);
    close(fd);
}

char *stderr_end(void)
{
    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    FILE *f = fopen(capture, "r");
    cr_assert_not_null(f);
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = 0;
    fclose(f);
    unlink(capture);
    return buf;
}

void check_time_relations(json_t *thread)
{
    json_t *n;
    size_t i;
    json_array_foreach(json_object_get(thread, "tree"), i, n) {
        cr_assert_geq(num(n, "incl_ns"), num(n, "excl_ns"));
        if (num(n, "calls"))
            cr_assert_leq(num(n, "min_ns"), num(n, "max_ns"));
        long long kids = 0, nkids = 0;
        json_t *c;
        size_t j;
        json_array_foreach(json_object_get(thread, "tree"), j, c) {
            if (num(c, "parent") == num(n, "node"))
                kids += num(c, "incl_ns"), nkids++;
        }
        /* Each figure is rounded to ns on its own: allow one ns per term. */
        cr_assert_geq(num(n, "incl_ns") + nkids, kids);
        long long diff = num(n, "excl_ns") - (num(n, "incl_ns") - kids);
        cr_assert(diff <= nkids + 1 && diff >= -(nkids + 1), "excl != incl - children");
    }
    json_array_foreach(json_object_get(thread, "regions"), i, n) {
        cr_assert_geq(num(n, "incl_ns") + num(n, "calls"), num(n, "excl_ns"));
        if (num(n, "calls"))
            cr_assert_leq(num(n, "min_ns"), num(n, "max_ns"));
    }
}
