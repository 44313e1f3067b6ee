/*
 * test_dump_v2.c: the compact dump (cprof-2) the runtime writes by default:
 * its site table and positional nodes hold, number for number, what the
 * cprof-1 copy of the same cut (CPROF_TEST_DUMP_V1) says of each node;
 * throttling's fields and "open" only where they apply.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

CPROF_SITE(s_a, "a");
CPROF_SITE(s_b, "b");
CPROF_SITE(s_tiny, "tiny");
CPROF_SITE(s_held, "held");

TestSuite(dump_v2, .timeout = 60);

/* setup(), then cprof-2 with a cprof-1 copy in `copy` (DIR-v1). */
static void setup_v2(char *copy, size_t cap)
{
    const char *dir = setup(SDE_T);
    setenv("CPROF_DUMP_FORMAT", "2", 1);
    cr_assert_lt((size_t)snprintf(copy, cap, "%s-v1", dir), cap);
    cr_assert_eq(mkdir(copy, 0700), 0);
    setenv("CPROF_TEST_DUMP_V1", copy, 1);
    register_sde();
}

static json_t *v1_copy(const char *copy)
{
    char *path = NULL;
    const char *v2 = cprof_dump_path();
    cr_assert(asprintf(&path, "%s/%s", copy, strrchr(v2, '/') + 1) > 0);
    json_t *d = load_file(path);
    free(path);
    return d;
}

static long long at(json_t *arr, size_t i)
{
    json_t *v = json_array_get(arr, i);
    cr_assert(json_is_integer(v), "value %zu is not an integer", i);
    return json_integer_value(v);
}

/* Every v1 node is its v2 node, value for value. */
static void same_nodes(json_t *d2, json_t *t2, json_t *t1)
{
    json_t *sites = json_object_get(d2, "sites"), *tree2 = json_object_get(t2, "tree");
    json_t *tree1 = json_object_get(t1, "tree");
    cr_assert_eq(json_array_size(tree2), json_array_size(tree1));
    cr_assert(json_object_get(t2, "regions") == NULL, "cprof-2 has no region records");
    for (size_t i = 0; i < json_array_size(tree1); i++) {
        json_t *a = json_array_get(tree2, i), *b = json_array_get(tree1, i);
        cr_assert(json_is_array(a));
        json_t *site = json_array_get(sites, (size_t)at(a, 1));
        cr_assert_str_eq(json_string_value(json_array_get(site, 0)), json_string_value(json_object_get(b, "region")));
        cr_assert_eq(at(a, 0), num(b, "parent"));
        cr_assert_eq(at(a, 2), num(b, "pairs"));
        cr_assert_eq(at(a, 3), num(b, "calls"));
        cr_assert_eq(at(a, 4), num(b, "incl_ns"));
        if (json_is_null(json_array_get(a, 5)))
            cr_assert(num(b, "min_ns") == 0 && num(b, "max_ns") == 0);
        else
            cr_assert(at(a, 5) == num(b, "min_ns") && at(a, 6) == num(b, "max_ns"));
        cr_assert_eq(at(a, 7), ctr(b, SDE_T, "incl"));
        json_t *extras = json_array_get(a, 8);
        cr_assert_eq(json_array_size(a), extras ? 9u : 8u);
        cr_assert_eq(json_object_get(extras, "timed") != NULL, json_object_get(b, "timed") != NULL);
        if (json_object_get(b, "timed"))
            cr_assert(num(extras, "timed") == num(b, "timed") && num(extras, "period") == num(b, "period") &&
                      num(extras, "child_timed") == num(b, "child_timed"));
        cr_assert_eq(json_is_true(json_object_get(extras, "open")), json_is_true(json_object_get(b, "open")));
    }
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int state;

static void *held(void *arg)
{
    (void)arg;
    cprof_enter(&s_held);
    cprof_enter(&s_b);
    t_count += 4;
    cprof_exit(&s_b);
    pthread_mutex_lock(&m);
    state = 1;
    pthread_cond_broadcast(&cv);
    while (state != 2)
        pthread_cond_wait(&cv, &m);
    pthread_mutex_unlock(&m);
    cprof_exit(&s_held);
    return NULL;
}

Test(dump_v2, nodes_hold_what_cprof1_says)
{
    char copy[PATH_MAX];
    setup_v2(copy, sizeof copy);
    setenv("CPROF_THROTTLE", "below=1s", 1);   /* short on any machine, ASan or not */
    cprof_enter(&s_a);
    t_count += 3;
    for (int i = 0; i < 3000; i++) {   /* throttled after 1000 short calls */
        cprof_enter(&s_tiny);
        t_count += 1;
        cprof_exit(&s_tiny);
    }
    cprof_enter(&s_b);
    t_count += 5;
    cprof_exit(&s_b);
    pthread_t k;
    pthread_create(&k, NULL, held, NULL);
    pthread_mutex_lock(&m);
    while (state != 1)
        pthread_cond_wait(&cv, &m);
    pthread_mutex_unlock(&m);
    /* a still open: closed on the copy; held open on another thread */
    json_t *d2 = dump_and_load(), *d1 = v1_copy(copy);
    pthread_mutex_lock(&m);
    state = 2;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&m);
    pthread_join(k, NULL);
    cprof_exit(&s_a);
    cr_assert_str_eq(json_string_value(json_object_get(d2, "format")), "cprof-2");
    cr_assert_str_eq(json_string_value(json_object_get(d1, "format")), "cprof-1");
    cr_assert_eq(json_array_size(json_object_get(d2, "sites")), 4);
    json_t *th2 = json_object_get(d2, "threads"), *th1 = json_object_get(d1, "threads");
    cr_assert_eq(json_array_size(th2), 2);
    for (size_t i = 0; i < 2; i++)
        same_nodes(d2, json_array_get(th2, i), json_array_get(th1, i));
    json_t *main1 = thread_by_tid(d1, gettid());
    json_t *tiny = node(main1, 1, "tiny");
    cr_assert_eq(num(tiny, "pairs"), 3000);
    cr_assert_lt(num(tiny, "timed"), 3000);   /* throttled: it is in the extras */
    cr_assert_eq(ctr(region(main1, "a"), SDE_T, "incl"), 3 + 3000 + 5);
    json_t *other = json_array_get(th1, json_array_get(th1, 0) == main1 ? 1 : 0);
    cr_assert(json_is_true(json_object_get(node(other, 0, "held"), "open")));
    json_decref(d2);
    json_decref(d1);
}
