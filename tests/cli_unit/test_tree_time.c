/* test_tree_time.c: compensation per subtree (never above what was measured), and children fitted into their parent. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "readers/cprof_dump.h"
#include "readers/tree_time.h"
#include "readers/readers.h"
#include "model/derive.h"
#include "views/views.h"

/* root > a (measured 90: self -10) > b (60), c (40); b > d (20) */
Test(tree_time, scales_the_children_and_all_below_them_to_fill_the_parent)
{
    size_t parent[] = { 0, 1, 1, 2 };
    int64_t self[] = { -10, 40, 40, 20 };
    unsigned char fitted[4] = { 0 };
    cr_assert_eq(fit_children(4, parent, self, fitted), 1, "a's own time is unknown: counted");
    cr_assert(fitted[0] && !fitted[1] && !fitted[2] && !fitted[3], "a alone is marked");
    cr_assert_eq(self[0], 0);
    cr_assert_eq(self[1], 36);
    cr_assert_eq(self[2], 36);
    cr_assert_eq(self[3], 18);
    cr_assert_eq(self[0] + self[1] + self[2] + self[3], 90, "the subtree is what a measured");
}

/* A child fitted into its parent may itself hold children above it. */
Test(tree_time, a_fitted_child_fits_its_own_children)
{
    size_t parent[] = { 0, 1, 2 };   /* a (measured 50) > b (measured 80: self -20) > c (100) */
    int64_t self[] = { -30, -20, 100 };
    unsigned char fitted[3] = { 0 };
    cr_assert_eq(fit_children(3, parent, self, fitted), 2);
    cr_assert(fitted[0] && fitted[1] && !fitted[2]);
    cr_assert_eq(self[0], 0);
    cr_assert_eq(self[1], 0);
    cr_assert_eq(self[2], 50);
}

Test(tree_time, figures_that_add_up_are_left_alone)
{
    size_t parent[] = { 0, 1, 0 };
    int64_t self[] = { 5, 7, 0 };
    cr_assert_eq(fit_children(3, parent, self, NULL), 0);
    cr_assert_eq(self[0], 5);
    cr_assert_eq(self[1], 7);
    cr_assert_eq(self[2], 0);
}

Test(tree_time, below_zero_with_no_children_is_zero)
{
    size_t parent[] = { 0, 0 };
    int64_t self[] = { -5, 3 };
    unsigned char fitted[2] = { 0 };
    cr_assert_eq(fit_children(2, parent, self, fitted), 0, "no children to blame");
    cr_assert(!fitted[0] && !fitted[1], "nothing was scaled: no mark");
    cr_assert_eq(self[0], 0);
    cr_assert_eq(self[1], 3);
}

/* Children over their parent by less than 1% of it: rounding, not counted. */
Test(tree_time, a_parent_over_by_rounding_only_is_not_counted)
{
    size_t parent[] = { 0, 1 };   /* a (measured 10000: self -50) > b (10050) */
    int64_t self[] = { -50, 10050 };
    unsigned char fitted[2] = { 0 };
    cr_assert_eq(fit_children(2, parent, self, fitted), 0);
    cr_assert(!fitted[0], "rounding: no mark");
    cr_assert_eq(self[0] + self[1], 10000);
}

/*
 * The rust-base64 trial's case: a parent whose own share of the cost is
 * below 0 (its untimed children's estimates counted I each, they cost it
 * U < I), and a tiny child whose share is more than it measured. Node by
 * node, the child held at 0 and the parent given its share back came to
 * 1100, above the 1000 measured; per subtree it is 1000 less the 100 that
 * measuring cost in all.
 */
Test(tree_time, compensation_never_raises_a_subtree_above_what_it_measured)
{
    size_t parent[] = { 0, 1 };
    int64_t self[] = { 700, 300 };
    double sub[] = { -400, 500 };
    compensate_tree(2, parent, self, sub, NULL);
    cr_assert_eq(self[0] + self[1], 900);
    cr_assert_eq(self[1], 0, "the child: nothing left of it");
    cr_assert_eq(self[0], 900);
}

Test(tree_time, compensation_of_figures_that_allow_it_is_node_by_node)
{
    size_t parent[] = { 0, 1, 1 };
    int64_t self[] = { 500, 300, 200 };
    double sub[] = { 50, 30, 20 };
    compensate_tree(3, parent, self, sub, NULL);
    cr_assert_eq(self[0], 450);
    cr_assert_eq(self[1], 270);
    cr_assert_eq(self[2], 180);
}

/* The csv-core trial's dump, read: outer, one call measured 1000 ns whole,
 * its throttled child inner's scaled estimate 1500. */
static prof_model *one_call_parent(void)
{
    char *t = dump_text("cprof-1", "", "{\"ns_per_pair\": 0, \"ns_inside\": 0, \"ns_untimed\": 0}", "",
        "{\"node\": 1, \"parent\": 0, \"region\": \"outer\", \"file\": \"a.c\", \"line\": 1, \"pairs\": 1, "
        "\"calls\": 1, \"incl_ns\": 1000, \"excl_ns\": -500, \"min_ns\": 1000, \"max_ns\": 1000, "
        "\"child_calls\": 640, \"desc_calls\": 640, \"child_untimed\": 630}, "
        "{\"node\": 2, \"parent\": 1, \"region\": \"inner\", \"file\": \"a.c\", \"line\": 2, \"pairs\": 640, "
        "\"calls\": 640, \"incl_ns\": 1500, \"excl_ns\": 1500, \"min_ns\": 1, \"max_ns\": 900, "
        "\"child_calls\": 0, \"desc_calls\": 0, \"timed\": 10, \"period\": 64, \"child_timed\": 0}");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("fit.json", t), err, sizeof err), 0, "%s", err);
    free(t);
    return m;
}

/*
 * The csv-core trial's case: a parent of one call measured 1000 ns whole,
 * its throttled child's scaled estimate 1500. The parent keeps what it
 * measured (its mean within its min and max), the child is the 1000.
 */
Test(tree_time, a_one_call_parent_keeps_what_it_measured)
{
    prof_model *m = one_call_parent();
    prof_entry *o = &m->entries[model_entry(m, "outer")], *in = &m->entries[model_entry(m, "inner")];
    cr_assert_eq(o->incl[0], 1000, "the parent was raised to its child's estimate");
    cr_assert_eq(o->self[0], 0);
    cr_assert_eq(in->incl[0], 1000);
    cr_assert_eq(in->calls, 640);
    cr_assert_eq(m->fitted_paths, 1);
    cr_assert(o->fitted && !in->fitted, "the parent's row is the fitted one");
    prof_model_free(m);
}

/* The rows that hold a fitted call path say so where they are shown, not
 * only in the note (strsim and cJSON trials: "0 ns 0.0%" read as a fact):
 * "fit" in the trust column of the table and the tree, "fitted" in json,
 * and a report of that report marks the same rows. */
Test(tree_time, a_fitted_call_path_is_marked_in_its_rows)
{
    prof_model *m = one_call_parent();
    char err[512];
    view_opts o;
    view_opts_init(&o);
    o.sort = "name";
    char *tab = capture(view_table, m, &o, NULL), *tree = capture(view_tree, m, &o, NULL);
    char *js = capture(view_json, m, &o, NULL);
    char orow[512], irow[512];
    const char *o_at = strstr(tab, "\nouter "), *i_at = strstr(tab, "\ninner ");
    cr_assert(o_at && i_at, "%s", tab);
    snprintf(orow, sizeof orow, "%.*s", (int)strcspn(o_at + 1, "\n"), o_at + 1);
    snprintf(irow, sizeof irow, "%.*s", (int)strcspn(i_at + 1, "\n"), i_at + 1);
    cr_assert(strstr(orow, " fit "), "outer's row: %s", tab);
    cr_assert(!strstr(irow, " fit "), "inner's row has no fit mark: %s", tab);
    cr_assert(strstr(tree, " fit "), "%s", tree);
    const char *first = strstr(js, "\"fitted\": true");
    cr_assert(first && strstr(first + 1, "\"fitted\": true") && !strstr(strstr(first + 1, "\"fitted\": true") + 1, "\"fitted\": true"),
              "once among the regions, once in the tree: %s", js);
    prof_model *back = prof_model_new(PROF_REGIONS, "cprof");
    cr_assert_eq(read_report_json(back, tmp_file("fit-report.json", js), err, sizeof err), 0, "%s", err);
    cr_assert(back->entries[model_entry(back, "outer")].fitted, "read back, the row is still marked");
    cr_assert(!back->entries[model_entry(back, "inner")].fitted);
    char *bad = strdup(js);
    char *at = strstr(bad, "\"fitted\": true");
    memcpy(at, "\"fitted\":    1", strlen("\"fitted\": true"));
    cr_assert_eq(read_report_json(back, tmp_file("fit-bad.json", bad), err, sizeof err), -1);
    cr_assert(strstr(err, "fitted: expected a boolean"), "%s", err);
    free(bad);
    free(tab), free(tree), free(js);
    prof_model_free(back);
    prof_model_free(m);
}

/* The same through the dump reader: with P = 10, I = 2, U = 1 the parent's
 * share is 10 * 10 + 630 * (1 - 2) + 1 * 2 = -528 and the child's 640 * 2
 * = 1280, more than its 300: in all 752 of the 1000 measured. */
Test(tree_time, a_dump_whose_tiny_child_costs_more_than_it_measured)
{
    char *t = dump_text("cprof-1", "", "{\"ns_per_pair\": 10, \"ns_inside\": 2, \"ns_untimed\": 1}", "",
        "{\"node\": 1, \"parent\": 0, \"region\": \"outer\", \"file\": \"a.c\", \"line\": 1, \"pairs\": 1, "
        "\"calls\": 1, \"incl_ns\": 1000, \"excl_ns\": 700, \"min_ns\": 1000, \"max_ns\": 1000, "
        "\"child_calls\": 640, \"desc_calls\": 640, \"child_timed\": 10, \"child_untimed\": 630}, "
        "{\"node\": 2, \"parent\": 1, \"region\": \"inner\", \"file\": \"a.c\", \"line\": 2, \"pairs\": 640, "
        "\"calls\": 640, \"incl_ns\": 300, \"excl_ns\": 300, \"min_ns\": 1, \"max_ns\": 90, "
        "\"child_calls\": 0, \"desc_calls\": 0, \"timed\": 10, \"period\": 64, \"child_timed\": 0}");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("tiny.json", t), err, sizeof err), 0, "%s", err);
    prof_entry *o = &m->entries[model_entry(m, "outer")], *in = &m->entries[model_entry(m, "inner")];
    cr_assert_eq(o->incl[0], 1000 - 752, "compensated %lld ns of 1000 measured", (long long)o->incl[0]);
    cr_assert_eq(in->incl[0], 0);
    prof_model_free(m);
    free(t);
}

/* The same calls as CPROF_SCOPE's: US (ns_untimed_scope) for the untimed
 * children its parent says were scopes' (child_untimed_scope), U for the
 * rest. With U = 3 for plain pairs and US = 1, 630 scope children cost
 * what 630 plain ones did at U = 1 (outer measured 3000: 752 of it was
 * measuring), each plain one 2 more; a dump written before scopes were
 * apart has no US, and its scopes cost U. */
static long long outer_incl_with(const char *overhead, const char *scoped)
{
    char tree[1024];
    snprintf(tree, sizeof tree,
        "{\"node\": 1, \"parent\": 0, \"region\": \"outer\", \"file\": \"a.c\", \"line\": 1, \"pairs\": 1, "
        "\"calls\": 1, \"incl_ns\": 3000, \"excl_ns\": 2700, \"min_ns\": 3000, \"max_ns\": 3000, "
        "\"child_calls\": 640, \"desc_calls\": 640, \"child_timed\": 10, \"child_untimed\": 630%s}, "
        "{\"node\": 2, \"parent\": 1, \"region\": \"inner\", \"file\": \"a.c\", \"line\": 2, \"pairs\": 640, "
        "\"calls\": 640, \"incl_ns\": 300, \"excl_ns\": 300, \"min_ns\": 1, \"max_ns\": 90, "
        "\"child_calls\": 0, \"desc_calls\": 0, \"timed\": 10, \"period\": 64, \"child_timed\": 0}", scoped);
    char *t = dump_text("cprof-1", "", overhead, "", tree);
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("scope.json", t), err, sizeof err), 0, "%s", err);
    long long v = m->entries[model_entry(m, "outer")].incl[0];
    prof_model_free(m);
    free(t);
    return v;
}

Test(tree_time, scope_calls_are_compensated_with_their_own_cost)
{
    const char *both = "{\"ns_per_pair\": 10, \"ns_inside\": 2, \"ns_untimed\": 3, \"ns_untimed_scope\": 1}";
    cr_assert_eq(outer_incl_with(both, ", \"child_untimed_scope\": 630"), 3000 - 752, "all 630 at US");
    cr_assert_eq(outer_incl_with(both, ", \"child_untimed_scope\": 315"), 3000 - 752 - 315 * 2, "half at U");
    cr_assert_eq(outer_incl_with(both, ""), 3000 - 752 - 630 * 2, "plain pairs: U");
    const char *old = "{\"ns_per_pair\": 10, \"ns_inside\": 2, \"ns_untimed\": 3}";
    cr_assert_eq(outer_incl_with(old, ", \"child_untimed_scope\": 630"), 3000 - 752 - 630 * 2, "no US: U");
}

/* child_untimed_scope is a count like child_untimed: anything else is read
 * as 0 (the reader's "out of range, read as 0" warning), not as scopes. */
Test(tree_time, a_bad_child_untimed_scope_is_read_as_none)
{
    const char *both = "{\"ns_per_pair\": 10, \"ns_inside\": 2, \"ns_untimed\": 3, \"ns_untimed_scope\": 1}";
    cr_assert_eq(outer_incl_with(both, ", \"child_untimed_scope\": \"many\""), 3000 - 752 - 630 * 2);
    cr_assert_eq(outer_incl_with(both, ", \"child_untimed_scope\": 99999"), 3000 - 752, "no more than child_untimed");
}
