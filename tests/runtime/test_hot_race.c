/*
 * test_hot_race.c: a signal handler's calls in the middle of an untimed
 * enter or exit (include/cprof_hot.h takes no busy flag there). This
 * file's inline fast path runs a stand-in handler at one chosen point of
 * it (CPROF_HOT_TEST_HOOK): calls of new regions that grow the call tree's
 * nodes, or timed calls nested deep enough to grow the stack, so both move
 * under the interrupted enter or exit. Every count must come out exact and
 * the open calls whole, at every point.
 */
#include <stdio.h>

#define CPROF_HOT_TEST_HOOK(point) hot_hook(point)
static void hot_hook(int point);

#include <criterion/criterion.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(hot_race, .timeout = 60);

#define POINTS 5
/* once at each point: each time the nodes or the stack double */
#define REPEATS 1
#define HANDLER_SITES 40000

static cprof_site s_outer = { "race_outer", "race.c", 1, 0 }, s_hot = { "race_hot", "race.c", 2, 0 };
static cprof_site handler_sites[HANDLER_SITES];
static char handler_names[HANDLER_SITES][24];
static int next_site, armed = -1, in_handler;
static long fired, handler_calls;
static enum { GROW_NODES, GROW_STACK } growth;

static cprof_site *fresh_site(void)
{
    cr_assert_lt(next_site, HANDLER_SITES, "out of handler sites");
    int i = next_site++;
    snprintf(handler_names[i], sizeof handler_names[i], "race_handler%d", i);
    handler_sites[i] = (cprof_site){ handler_names[i], "race.c", 100 + i, 0 };
    return &handler_sites[i];
}

static const cprof_hot_thread *hot(void)
{
    return cprof_hot_self(CPROF_HOT_ABI);
}

/* New call paths, one after another, until the nodes move. */
static void handler_grows_nodes(void)
{
    char *was = hot()->nodes;
    while (hot()->nodes == was) {
        cprof_site *s = fresh_site();
        cprof_enter(s);
        cprof_exit(s);
        handler_calls++;
    }
}

/* New regions nested in each other until the stack moves. */
static void handler_grows_stack(void)
{
    char *was = hot()->stack;
    static cprof_site *open[HANDLER_SITES];
    int depth = 0;
    while (hot()->stack == was) {
        open[depth] = fresh_site();
        cprof_enter(open[depth++]);
    }
    handler_calls += depth;
    while (depth > 0)
        cprof_exit(open[--depth]);
}

static void hot_hook(int point)
{
    if (point != armed || in_handler)
        return;
    in_handler = 1;
    armed = -1;
    if (growth == GROW_NODES)
        handler_grows_nodes();
    else
        handler_grows_stack();
    fired++;
    in_handler = 0;
}

static long long handler_calls_in(json_t *t)
{
    long long sum = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(t, "regions"), i, r) {
        const char *name = json_string_value(json_object_get(r, "name"));
        if (name && strncmp(name, "race_handler", 12) == 0)
            sum += num(r, "calls");
    }
    return sum;
}

/* One call of race_hot as CPROF_SCOPE makes it (its exit puts cur and up
 * back from what its enter kept). */
static void scoped_hot(void)
{
    cprof_scope sc __attribute__((cleanup(cprof_scope_exit), unused)) = cprof_scope_enter(&s_hot);
}

static void interrupt_every_point(int scoped)
{
    setup("none");
    setenv("CPROF_SAMPLE", "race_hot=1000000", 1);   /* all but its first call untimed */
    cprof_enter(&s_outer);
    cprof_enter(&s_hot);   /* the first, timed: the site and node exist */
    cprof_exit(&s_hot);
    long untimed = 0;
    for (int point = 0; point < POINTS; point++)
        for (int k = 0; k < REPEATS; k++) {
            armed = point;
            if (scoped) {
                scoped_hot();
            } else {
                cprof_enter(&s_hot);
                cprof_exit(&s_hot);
            }
            cr_assert_eq(armed, -1, "the handler did not run at point %d", point);
            untimed++;
        }
    cprof_exit(&s_outer);
    cr_assert_eq(fired, POINTS * REPEATS);
    json_t *d = dump_and_load();
    json_t *t = thread_by_tid(d, gettid());
    cr_assert_eq(num(json_object_get(d, "errors"), "unbalanced"), 0, "the stack was spoilt");
    cr_assert_eq(num(json_object_get(d, "errors"), "reentrant"), 0, "a handler's call was dropped");
    cr_assert_eq(num(t, "open"), 0);
    json_t *h = region(t, "race_hot"), *o = region(t, "race_outer");
    cr_assert_eq(num(h, "calls"), untimed + 1, "an interrupted untimed call lost its count");
    cr_assert_eq(num(h, "timed"), 1);
    cr_assert_eq(num(o, "calls"), 1);
    cr_assert_eq(num(o, "child_untimed"), untimed, "an interrupted push lost its parent's count");
    cr_assert_eq(handler_calls_in(t), handler_calls);
    json_decref(d);
}

Test(hot_race, handler_growing_the_nodes_at_every_point)
{
    growth = GROW_NODES;
    interrupt_every_point(0);
}

Test(hot_race, handler_growing_the_nodes_at_every_point_of_a_scope)
{
    growth = GROW_NODES;
    interrupt_every_point(1);
}

Test(hot_race, handler_growing_the_stack_at_every_point)
{
    growth = GROW_STACK;
    interrupt_every_point(0);
}

Test(hot_race, handler_growing_the_stack_at_every_point_of_a_scope)
{
    growth = GROW_STACK;
    interrupt_every_point(1);
}
