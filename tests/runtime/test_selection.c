/*
 * test_selection.c: CPROF_REGIONS on full region names (crate::module::
 * Type::method: a glob names the whole name or any part after a "::"), what
 * the dump says about the regions a selection left out, and figures that are
 * signed (a level counter that goes down, a negative line).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(selection, .timeout = 60);

static cprof_site s_parse = { "json::parser::Parser::parse", "p.rs", 10, 0 };
static cprof_site s_other = { "other::Parser::parse", "o.rs", 20, 0 };
static cprof_site s_lex = { "json::lexer::next", "l.rs", 30, 0 };
static cprof_site s_twin = { "json::lexer::next", "l2.rs", 31, 0 };   /* same name, another site */

/* parse (t += 1) { other (t += 2) } then lex (t += 4), twin (t += 8): returns the thread. */
static json_t *run_with(const char *regions)
{
    setup(SDE_T);
    register_sde();
    if (regions)
        setenv("CPROF_REGIONS", regions, 1);
    cprof_enter(&s_parse);
    t_count += 1;
    cprof_enter(&s_other);
    t_count += 2;
    cprof_exit(&s_other);
    cprof_exit(&s_parse);
    cprof_enter(&s_lex);
    t_count += 4;
    cprof_exit(&s_lex);
    cprof_enter(&s_twin);
    t_count += 8;
    cprof_exit(&s_twin);
    return dump_and_load();
}

/* incl of region `name`, or -1 when it was not measured. */
static long long incl(json_t *d, const char *name)
{
    if (json_array_size(json_object_get(d, "threads")) == 0)
        return -1;   /* nothing measured: the thread never started */
    json_t *r = region(thread_by_tid(d, gettid()), name);
    return r ? ctr(r, SDE_T, "incl") : -1;
}

static void selects(const char *regions, long long parse, long long other, long long lex)
{
    json_t *d = run_with(regions);
    cr_assert_eq(incl(d, "json::parser::Parser::parse"), parse, "%s: parse", regions);
    cr_assert_eq(incl(d, "other::Parser::parse"), other, "%s: other", regions);
    cr_assert_eq(incl(d, "json::lexer::next"), lex, "%s: lex", regions);
    json_decref(d);
}

Test(selection, a_method_suffix_names_both_types)
{
    selects("Parser::parse", 3, 2, -1);
}

Test(selection, a_last_segment_glob)
{
    selects("parse*", 3, 2, -1);
}

Test(selection, a_module_path_glob)
{
    selects("json::parser::*", 3, -1, -1);   /* other is transparent: its 2 are parse's own */
}

Test(selection, a_glob_inside_the_path)
{
    selects("*::Parser::*", 3, 2, -1);
}

Test(selection, more_of_the_path_tells_them_apart)
{
    selects("json::parser::Parser::parse", 3, -1, -1);
}

Test(selection, an_exclusion_by_suffix)
{
    selects("*,!other::*", 3, -1, 4);   /* (the twin in l2.rs is a region of its own) */
}

Test(selection, a_part_of_a_segment_is_not_a_suffix)
{
    selects("arser::parse", -1, -1, -1);
}

Test(selection, the_dump_names_what_was_left_out)
{
    json_t *d = run_with("nothing_like_it*");
    cr_assert_str_eq(json_string_value(json_object_get(d, "filter")), "nothing_like_it*");
    json_t *u = json_object_get(d, "unselected");
    cr_assert_eq(json_array_size(u), 3, "distinct names, once each");
    cr_assert_str_eq(json_string_value(json_array_get(u, 0)), "json::lexer::next");
    cr_assert_str_eq(json_string_value(json_array_get(u, 1)), "json::parser::Parser::parse");
    cr_assert_str_eq(json_string_value(json_array_get(u, 2)), "other::Parser::parse");
    cr_assert_eq(num(d, "unselected_count"), 3);
    cr_assert_eq(json_array_size(json_object_get(d, "threads")), 0);   /* nothing measured */
    json_decref(d);
}

Test(selection, no_filter_no_selection_fields)
{
    json_t *d = run_with(NULL);
    cr_assert_null(json_object_get(d, "filter"));
    cr_assert_null(json_object_get(d, "unselected"));
    cr_assert_null(json_object_get(d, "unselected_count"));
    json_decref(d);
}

static cprof_site many[1500];

Test(selection, at_most_a_thousand_names_and_the_count_of_all)
{
    setup("");
    setenv("CPROF_REGIONS", "keep", 1);
    for (int i = 0; i < 1500; i++) {
        char *name = malloc(16);
        snprintf(name, 16, "r%04d", i);
        many[i] = (cprof_site){ name, "m.c", i, 0 };
        cprof_enter(&many[i]);
        cprof_exit(&many[i]);
    }
    json_t *d = dump_and_load();
    json_t *u = json_object_get(d, "unselected");
    cr_assert_eq(json_array_size(u), 1000);
    cr_assert_str_eq(json_string_value(json_array_get(u, 0)), "r0000");
    cr_assert_str_eq(json_string_value(json_array_get(u, 999)), "r0999");
    cr_assert_eq(num(d, "unselected_count"), 1500);
    json_decref(d);
}

/* A level, not a count: it goes down inside the region, and the dump says so. */
Test(selection, a_counter_that_goes_down_is_negative)
{
    setup(SDE_T);
    register_sde();
    static cprof_site lvl = { "level", "neg.c", -7, 0 }, in = { "inner", "neg.c", -8, 0 };
    t_count = 1000;
    cprof_enter(&lvl);
    t_count -= 10;
    cprof_enter(&in);
    t_count -= 5;
    cprof_exit(&in);
    cprof_exit(&lvl);
    json_t *d = dump_and_load();
    json_t *t = thread_by_tid(d, gettid());
    json_t *r = region(t, "level");
    cr_assert_eq(ctr(r, SDE_T, "incl"), -15);
    cr_assert_eq(ctr(r, SDE_T, "excl"), -10);
    cr_assert_eq(num(r, "line"), -7);
    json_t *n = node(t, 0, "level");
    cr_assert_eq(ctr(n, SDE_T, "incl"), -15);
    cr_assert_eq(ctr(n, SDE_T, "excl"), -10);
    cr_assert_eq(ctr(node(t, num(n, "node"), "inner"), SDE_T, "incl"), -5);
    cr_assert_eq(num(node(t, num(n, "node"), "inner"), "line"), -8);
    json_decref(d);
}
