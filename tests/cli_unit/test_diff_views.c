/* test_diff_views.c: every diff view on hand-made profiles: the
 * "A -> B (+p%, xR)" figure, new and gone rows, the order by the size of
 * the change, colour only when asked, -n, markdown's grouping and escaping,
 * folded's "path A B" lines, json parsed back, csv quoting. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "model/diff.h"
#include "model/limits.h"
#include "views/diff_views.h"
#include "views/diff_share.h"
#include "views/markdown.h"

#define E "sde:::L::E"   /* exact (sde:::), so its verdicts need one run only */

/* One region of a hand-made profile; parent: index of the caller in the
 * same array, -1 for a root. */
typedef struct spec {
    const char *name;
    int parent;
    uint64_t calls;
    int64_t t_incl, t_self, e_incl, e_self;
} spec;

static prof_model *model_of(const spec *s, size_t n)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "time", 1);
    prof_model_metric(m, E, 0);
    size_t node[16];
    for (size_t i = 0; i < n; i++) {
        size_t ei = prof_model_entry(m, s[i].name, "src/m.rs", (int)i + 1, NULL);
        prof_entry *e = &m->entries[ei];
        e->calls = s[i].calls;
        e->has_incl = 1;
        e->incl[0] = s[i].t_incl, e->self[0] = s[i].t_self;
        e->incl[1] = s[i].e_incl, e->self[1] = s[i].e_self;
        node[i] = prof_model_node(m, s[i].parent < 0 ? 0 : node[s[i].parent], ei);
        prof_node *nd = &m->nodes[node[i]];
        nd->calls = s[i].calls;
        nd->incl[0] = s[i].t_incl, nd->self[0] = s[i].t_self;
        nd->incl[1] = s[i].e_incl, nd->self[1] = s[i].e_self;
    }
    return m;
}

/* A: main -> parse, lex; opt; same. B: main -> parse, eval; opt; same.
 * E: main 214 -> 280 (regressed), parse 100 -> 150 (regressed), lex gone,
 * eval new, opt 50 -> 20 (improved), same 5 -> 5. */
static const spec side_a[] = {
    {"main", -1, 1, 1200000, 200000, 214, 14},
    {"parse", 0, 3, 600000, 600000, 100, 100},
    {"lex", 0, 6, 400000, 400000, 100, 100},
    {"opt", -1, 1, 1000, 1000, 50, 50},
    {"app::util::fmt::same", -1, 1, 500, 500, 5, 5},
};
static const spec side_b[] = {
    {"main", -1, 1, 1800000, 300000, 280, 30},
    {"parse", 0, 3, 900000, 900000, 150, 150},
    {"eval", 0, 2, 600000, 600000, 100, 100},
    {"opt", -1, 1, 1000, 1000, 20, 20},
    {"app::util::fmt::same", -1, 1, 500, 500, 5, 5},
};

static prof_diff *diff_of(prof_model **a, size_t na, prof_model **b, size_t nb)
{
    diff_side sa = {a, na, "base"}, sb = {b, nb, "new"};
    prof_diff *d = prof_diff_new(&sa, &sb, 0.95, 0.01);
    for (size_t i = 0; i < na; i++)
        prof_model_free(a[i]);
    for (size_t i = 0; i < nb; i++)
        prof_model_free(b[i]);
    return d;
}

static prof_diff *sample_diff(void)
{
    prof_model *a = model_of(side_a, 5), *b = model_of(side_b, 5);
    return diff_of(&a, 1, &b, 1);
}

static diff_view_opts opts(view_format f, size_t metric)
{
    diff_view_opts o = {.format = f, .metric = metric};
    return o;
}

/* A diff view's output as a string (caller frees). */
static char *show(const prof_diff *d, const diff_view_opts *o, int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    int r = diff_view_print(d, o, f);
    if (rc)
        *rc = r;
    fclose(f);
    return buf;
}

/* The first word of each line after the line starting with `head`, up to a blank line. */
static char *first_words(const char *text, const char *head)
{
    static char out[1024];
    const char *p = strstr(text, head);
    cr_assert_not_null(p, "no '%s' in:\n%s", head, text);
    out[0] = 0;
    for (p = strchr(p, '\n'); p && p[1] && p[1] != '\n' && p[1] != '('; p = strchr(p + 1, '\n')) {
        const char *w = p + 1;
        while (*w == ' ')
            w++;
        strncat(out, w, strcspn(w, " \n"));
        strcat(out, " ");
    }
    return out;
}

Test(diff_views, figure_forms)
{
    char b[128];
    diff_metric t = {.name = "time", .is_time = 1}, c = {.name = "E", .exact = 1};
    diff_cell x = {.a = 214, .b = 280, .verdict = DIFF_REGRESSED};
    cr_assert_str_eq(diff_figure(b, sizeof b, &c, &x), "214 -> 280 (+30.8%, x1.31)");
    x = (diff_cell){.a = 1.2e6, .b = 1.8e6, .verdict = DIFF_NO_ESTIMATE};
    cr_assert_str_eq(diff_figure(b, sizeof b, &t, &x), "1.20 ms -> 1.80 ms (+50.0%, x1.50)");
    x = (diff_cell){.a = 0, .b = 280, .verdict = DIFF_NEW};
    cr_assert_str_eq(diff_figure(b, sizeof b, &c, &x), "- -> 280 (new)");
    x = (diff_cell){.a = 214, .b = 0, .verdict = DIFF_GONE};
    cr_assert_str_eq(diff_figure(b, sizeof b, &c, &x), "214 -> - (gone)");
    x = (diff_cell){.a = 50, .b = 20, .verdict = DIFF_IMPROVED};
    cr_assert_str_eq(diff_figure(b, sizeof b, &c, &x), "50 -> 20 (-60.0%, x0.40)");
    x = (diff_cell){.a = 0, .b = 5, .verdict = DIFF_REGRESSED};
    cr_assert_str_eq(diff_figure(b, sizeof b, &c, &x), "0 -> 5 (+5)", "no ratio from 0");
    x = (diff_cell){.a = 5, .b = 5, .verdict = DIFF_SAME};
    cr_assert_str_eq(diff_figure(b, sizeof b, &c, &x), "5 -> 5");
}

Test(diff_views, table_rows_order_header)
{
    prof_diff *d = sample_diff();
    diff_view_opts o = opts(VIEW_TABLE, 1);
    int rc;
    char *t = show(d, &o, &rc);
    cr_assert_eq(rc, 0);
    cr_assert(strstr(t, "A: base (1 run)  B: new (1 run)\n1 run each: no noise estimate for time"), "%s", t);
    cr_assert(strstr(t, E ": 2 regressed, 1 improved, 1 new, 1 gone, 1 unchanged\n"), "%s", t);
    /* the order of the size of E's change: eval and lex (100, by name), main 66, parse 50, opt 30, same 0 */
    cr_assert_str_eq(first_words(t, "region "), "eval lex main parse opt fmt::same ", "%s", t);
    cr_assert(strstr(t, "main       regressed             1.20 ms -> 1.80 ms (+50.0%, x1.50)  "
                        "214 -> 280 (+30.8%, x1.31)         1 -> 1  src/m.rs:1\n"), "%s", t);
    cr_assert(strstr(t, "eval       new                                    - -> 600 us (new)"), "%s", t);
    cr_assert(strstr(t, "lex        gone                                  400 us -> - (gone)"), "%s", t);
    cr_assert(strstr(t, "50 -> 20 (-60.0%, x0.40)"), "%s", t);
    cr_assert_null(strchr(t, '\033'), "no colour unless asked");
    free(t);
    o.metric = 0;   /* by time: eval and main (600 us), lex, parse */
    t = show(d, &o, NULL);
    cr_assert_str_eq(first_words(t, "region "), "eval main lex parse fmt::same opt ", "%s", t);
    cr_assert(strstr(t, "verdict (time)"), "%s", t);
    /* time has no estimate, but the exact counter changed: that is the row's verdict, named */
    cr_assert(strstr(t, "main       regressed (sde:::L::E)"), "%s", t);
    cr_assert(strstr(t, "fmt::same  same"), "%s", t);
    free(t);
    prof_diff_free(d);
}

Test(diff_views, table_colour_limit_empty)
{
    prof_diff *d = sample_diff();
    diff_view_opts o = opts(VIEW_TABLE, 1);
    o.color = 1;
    char *t = show(d, &o, NULL);
    cr_assert(strstr(t, "\033[31mregressed\033[0m"), "%s", t);
    cr_assert(strstr(t, "\033[31m214 -> 280 (+30.8%, x1.31)\033[0m"), "%s", t);
    cr_assert(strstr(t, "\033[32mimproved\033[0m"), "%s", t);
    cr_assert_null(strstr(t, "\033[31mnew"), "only regressions are red");
    free(t);
    o.color = 0;
    o.limit = 2;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, "showing 2 of 6 regions (-n)\n"), "%s", t);
    cr_assert_str_eq(first_words(t, "region "), "eval lex ", "%s", t);
    free(t);
    prof_diff_free(d);
    prof_model *a = model_of(side_a, 0), *b = model_of(side_b, 0);
    d = diff_of(&a, 1, &b, 1);
    o.limit = 0;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, "\n\nno rows\n"), "%s", t);
    free(t);
    prof_diff_free(d);
}

Test(diff_views, table_long_names_fitted_json_whole)
{
    char name[200];
    memset(name, 'x', 150);
    strcpy(name + 150, "::tail");
    spec s[] = {{name, -1, 1, 10, 10, 1, 1}};
    prof_model *a = model_of(s, 1), *b = model_of(s, 1);
    prof_diff *d = diff_of(&a, 1, &b, 1);
    diff_view_opts o = opts(VIEW_TABLE, 1);
    char *t = show(d, &o, NULL);
    cr_assert(strstr(t, "\u2026xxx") && strstr(t, "::tail ") && !strstr(t, name), "%s", t);
    free(t);
    o.format = VIEW_JSON;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, name), "json has the whole name");
    free(t);
    prof_diff_free(d);
}

Test(diff_views, broken_limits_in_header)
{
    prof_diff *d = sample_diff();
    d->broken = calloc(1, sizeof *d->broken);
    d->n_broken = d->cap_broken = 1;
    d->broken[0] = (diff_broken){"E=+5%", 0, 1, strdup("+30.8% is beyond +5%")};
    const char *row = d->rows[0].name;
    char want[256];
    snprintf(want, sizeof want, "limit E=+5%% broken by %s: +30.8%% is beyond +5%%\n", row);
    diff_view_opts o = opts(VIEW_TABLE, 1);
    char *t = show(d, &o, NULL);
    cr_assert(strstr(t, want), "%s", t);
    free(t);
    o.format = VIEW_TREE;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, want), "%s", t);
    free(t);
    o.format = VIEW_MARKDOWN;
    t = show(d, &o, NULL);
    snprintf(want, sizeof want, "- limit `E=+5%%` broken by `%s`: +30.8%% is beyond +5%%\n", row);
    cr_assert(strstr(t, want), "%s", t);
    free(t);
    o.format = VIEW_JSON;
    t = show(d, &o, NULL);
    json_t *j = json_loads(t, 0, NULL);
    cr_assert_not_null(j, "%s", t);
    json_t *bl = json_array_get(json_object_get(j, "broken_limits"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(bl, "limit")), "E=+5%");
    cr_assert_str_eq(json_string_value(json_object_get(bl, "row")), row);
    cr_assert_str_eq(json_string_value(json_object_get(bl, "metric")), E);
    cr_assert_str_eq(json_string_value(json_object_get(bl, "why")), "+30.8% is beyond +5%");
    json_decref(j);
    free(t);
    prof_diff_free(d);
}

Test(diff_views, tree_merged_paths)
{
    prof_diff *d = sample_diff();
    diff_view_opts o = opts(VIEW_TREE, 1);
    char *t = show(d, &o, NULL);
    /* children by the size of the change: main (66) > opt (30) > same; under main eval, lex (100), parse */
    cr_assert_str_eq(first_words(t, "call path"), "main eval lex parse opt fmt::same ", "%s", t);
    cr_assert(strstr(t, "\nmain       214 -> 280 (+30.8%, x1.31)         1 -> 1  regressed\n"), "%s", t);
    cr_assert(strstr(t, "\n  eval                 - -> 100 (new)"), "%s", t);
    cr_assert(strstr(t, "\n  lex                 100 -> - (gone)"), "%s", t);
    cr_assert(strstr(t, "\n  parse    100 -> 150 (+50.0%, x1.50)         3 -> 3  regressed\n"), "%s", t);
    free(t);
    o.limit = 3;
    t = show(d, &o, NULL);
    cr_assert_str_eq(first_words(t, "call path"), "main eval lex ", "%s", t);
    cr_assert(strstr(t, "(3 more call paths not shown: -n 3)\n"), "%s", t);
    free(t);
    o.limit = 0;
    o.color = 1;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, "\033[31mregressed\033[0m"), "%s", t);
    free(t);
    prof_diff_free(d);
}

/* parse's time the same, its calls doubled (an exact count): table, tree
 * and summary all give its verdict by calls. */
Test(diff_views, calls_decide_in_every_text_view)
{
    spec twice[5];
    memcpy(twice, side_a, sizeof twice);
    twice[1].calls = 6;
    prof_model *a = model_of(side_a, 5), *b = model_of(twice, 5);
    prof_diff *d = diff_of(&a, 1, &b, 1);
    diff_view_opts o = opts(VIEW_TABLE, 0);
    char *t = show(d, &o, NULL);
    cr_assert(strstr(t, "time: 1 regressed (1 by calls), 4 unchanged\n"), "%s", t);
    cr_assert(strstr(t, "\nparse      regressed (calls)    600 us -> 600 us"), "%s", t);
    free(t);
    o = opts(VIEW_TREE, 0);
    t = show(d, &o, NULL);
    cr_assert(strstr(t, "time: 1 regressed (1 by calls), 4 unchanged\n"), "%s", t);
    cr_assert(strstr(t, "3 -> 6 (+100.0%, x2.00)  regressed (calls)\n"), "%s", t);
    cr_assert(strstr(t, "1 -> 1  same\n"), "%s", t);
    free(t);
    prof_diff_free(d);
}

Test(diff_views, markdown_regressions_first)
{
    prof_diff *d = sample_diff();
    diff_view_opts o = opts(VIEW_MARKDOWN, 1);
    o.color = 1;   /* a PR comment has no terminal */
    int rc;
    char *t = show(d, &o, &rc);
    cr_assert_eq(rc, 0);
    cr_assert_null(strchr(t, '\033'));
    cr_assert_eq(strncmp(t, "**" E ": 2 regressed, 1 improved, 1 new, 1 gone, 1 unchanged**\n\n"
                            "- A: `base` (1 run)  B: `new` (1 run)\n", strlen(E) + 80), 0, "%s", t);
    cr_assert(strstr(t, "| region | verdict (" E ") | time | " E " | calls |\n| --- | --- | ---: | ---: | ---: |\n"
                        "| `main` | regressed | 1.20 ms -> 1.80 ms (+50.0%, x1.50) | 214 -> 280 (+30.8%, x1.31) | 1 -> 1 |\n"
                        "| `parse` |"), "%s", t);
    const char *order[] = {"| `main` ", "| `parse` ", "| `opt` ", "| `eval` ", "| `lex` ", "<details>", "| `fmt::same` "};
    const char *p = t;
    for (size_t i = 0; i < 7; i++) {
        const char *q = strstr(p, order[i]);
        cr_assert_not_null(q, "%s not after %zu in:\n%s", order[i], i, t);
        p = q;
    }
    cr_assert(strstr(t, "<details><summary>1 not judged a change</summary>\n\n"), "%s", t);
    cr_assert(strstr(t, "</details>\n"), "%s", t);
    free(t);
    o.limit = 2;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, "| `parse` |") && !strstr(t, "| `opt` |") && !strstr(t, "<details>"), "%s", t);
    cr_assert(strstr(t, "\n4 more regions not shown (-n 2)\n"), "%s", t);
    free(t);
    prof_diff_free(d);
}

Test(diff_views, markdown_escapes_names)
{
    spec s[] = {{"a::<impl Ord for B|C>::cmp", -1, 1, 10, 10, 1, 1}, {"x`y", -1, 1, 10, 10, 2, 2}};
    spec s2[] = {{"a::<impl Ord for B|C>::cmp", -1, 1, 10, 10, 2, 2}, {"x`y", -1, 1, 10, 10, 2, 2}};
    prof_model *a = model_of(s, 2), *b = model_of(s2, 2);
    prof_diff *d = diff_of(&a, 1, &b, 1);
    diff_view_opts o = opts(VIEW_MARKDOWN, 1);
    char *t = show(d, &o, NULL);
    cr_assert(strstr(t, "| `<impl Ord for B\\|C>::cmp` | regressed |"), "%s", t);
    cr_assert(strstr(t, "| `` x`y `` | same |"), "%s", t);
    free(t);
    prof_diff_free(d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    md_text(f, "a_b *c* <T> `x`|");
    fclose(f);
    cr_assert_str_eq(buf, "a\\_b \\*c\\* \\<T> \\`x\\`\\|");
    free(buf);
}

Test(diff_views, folded_paths_and_rows)
{
    prof_diff *d = sample_diff();
    diff_view_opts o = opts(VIEW_FOLDED, 1);
    char *t = show(d, &o, NULL);
    cr_assert_str_eq(t, "app::util::fmt::same 5 5\nmain 14 30\nmain;eval 0 100\nmain;lex 100 0\n"
                        "main;parse 100 150\nopt 50 20\n");
    free(t);
    o.metric = 0;   /* time, ns */
    t = show(d, &o, NULL);
    cr_assert(strstr(t, "main;parse 600000 900000\n"), "%s", t);
    free(t);
    prof_diff_free(d);
    /* cachegrind: no paths, one line per row (self figures) */
    prof_model *a = prof_model_new(PROF_CACHEGRIND, "cachegrind"), *b = prof_model_new(PROF_CACHEGRIND, "cachegrind");
    prof_model *ab[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        prof_model_metric(ab[i], "Ir", 0);
        size_t e = prof_model_entry(ab[i], "work;x", "a.c", 1, NULL);
        ab[i]->entries[e].self[0] = i ? 150 : 100;
    }
    d = diff_of(&a, 1, &b, 1);
    o.metric = 0;
    t = show(d, &o, NULL);
    cr_assert_str_eq(t, "work:x 100 150\n", "';' is the separator of the format");
    free(t);
    o.format = VIEW_TREE;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, "(no call paths in this diff: showing the table)\n") && strstr(t, "function "), "%s", t);
    free(t);
    prof_diff_free(d);
}

static json_t *row_of(json_t *rows, const char *name, const char *metric)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
        if (strcmp(json_string_value(json_object_get(r, "name")), name) == 0 &&
            strcmp(json_string_value(json_object_get(r, "metric")), metric) == 0)
            return r;
    cr_assert_fail("no row %s %s", name, metric);
    return NULL;
}

Test(diff_views, json_parsed_back)
{
    prof_diff *d = sample_diff();
    diff_view_opts o = opts(VIEW_JSON, 1);
    int rc;
    char *t = show(d, &o, &rc);
    cr_assert_eq(rc, 0);
    json_error_t err;
    json_t *j = json_loads(t, 0, &err);
    cr_assert_not_null(j, "%s: %s", err.text, t);
    cr_assert_str_eq(json_string_value(json_object_get(j, "format")), "cprof-diff-1");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "a"), "name")), "base");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "b"), "runs")), 1);
    json_t *m = json_object_get(j, "metrics");
    cr_assert_eq(json_array_size(m), 3);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(m, 1), "name")), E);
    cr_assert(json_is_true(json_object_get(json_array_get(m, 1), "exact")));
    cr_assert(json_is_true(json_object_get(json_array_get(m, 0), "is_time")));
    cr_assert_float_eq(json_real_value(json_object_get(j, "confidence")), 0.95, 1e-12);
    cr_assert_float_eq(json_real_value(json_object_get(j, "noise")), 0.01, 1e-12);
    json_t *rows = json_object_get(j, "rows");
    cr_assert_eq(json_array_size(rows), 6 * 3, "one per (row, metric)");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rows, 0), "name")), "eval", "display order");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rows, 3), "name")), "lex");
    json_t *r = row_of(rows, "main", E);
    cr_assert(json_is_integer(json_object_get(r, "a")) && json_integer_value(json_object_get(r, "a")) == 214);
    cr_assert_eq(json_integer_value(json_object_get(r, "b")), 280);
    cr_assert_eq(json_integer_value(json_object_get(r, "delta")), 66);
    cr_assert_float_eq(json_real_value(json_object_get(r, "ratio")), 280.0 / 214, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "regressed");
    cr_assert(json_is_null(json_object_get(r, "ci")));
    cr_assert_str_eq(json_string_value(json_object_get(r, "file")), "src/m.rs");
    cr_assert_eq(json_integer_value(json_object_get(r, "line")), 1);
    r = row_of(rows, "eval", "calls");
    cr_assert(json_is_null(json_object_get(r, "ratio")), "no ratio from 0");
    cr_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "new");
    r = row_of(rows, "app::util::fmt::same", "time");
    cr_assert_str_eq(json_string_value(json_object_get(r, "label")), "fmt::same");
    json_t *tree = json_object_get(j, "tree");
    cr_assert_eq(json_array_size(tree), 6, "main, parse, lex, opt, same, eval");
    json_t *n = json_array_get(tree, 1);
    cr_assert_str_eq(json_string_value(json_object_get(n, "name")), "parse");
    cr_assert_eq(json_integer_value(json_object_get(n, "parent")), 1);
    json_t *c = json_object_get(json_object_get(n, "metrics"), E);
    cr_assert_eq(json_integer_value(json_object_get(c, "self_b")), 150);
    n = json_array_get(tree, 4);
    cr_assert_str_eq(json_string_value(json_object_get(n, "name")), "app::util::fmt::same");
    cr_assert_str_eq(json_string_value(json_object_get(n, "label")), "fmt::same",
                     "a path is named by its row's label, as the table names the row (the html tree showed the full name)");
    cr_assert_eq(json_array_size(json_object_get(j, "notes")), 1);
    json_decref(j);
    free(t);
    o.limit = 1;
    t = show(d, &o, NULL);
    j = json_loads(t, 0, NULL);
    cr_assert_eq(json_array_size(json_object_get(j, "rows")), 3, "-n counts rows, not (row, metric) pairs");
    json_decref(j);
    free(t);
    prof_diff_free(d);
}

/* Three runs a side: time is judged by its bootstrap interval. */
Test(diff_views, time_interval_shown)
{
    prof_model *a[3], *b[3];
    for (int i = 0; i < 3; i++) {
        spec sa[] = {{"main", -1, 1, 1190000 + 10000 * i, 1190000 + 10000 * i, 1, 1}};
        spec sb[] = {{"main", -1, 1, 1790000 + 10000 * i, 1790000 + 10000 * i, 1, 1}};
        a[i] = model_of(sa, 1);
        b[i] = model_of(sb, 1);
    }
    prof_diff *d = diff_of(a, 3, b, 3);
    cr_assert(d->rows[0].incl[0].has_ci && d->rows[0].incl[0].verdict == DIFF_REGRESSED);
    char want[128];
    snprintf(want, sizeof want, "regressed [%+.1f%%, %+.1f%%]", 100 * d->rows[0].incl[0].lo, 100 * d->rows[0].incl[0].hi);
    diff_view_opts o = opts(VIEW_TABLE, 0);
    char *t = show(d, &o, NULL);
    cr_assert(strstr(t, "A: base (3 runs)  B: new (3 runs)\n"), "%s", t);
    cr_assert(strstr(t, want) && strstr(t, "1.20 ms -> 1.80 ms (+50.0%, x1.50)"), "%s\n%s", want, t);
    free(t);
    o.format = VIEW_MARKDOWN;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, want), "%s", t);
    free(t);
    o.format = VIEW_JSON;
    t = show(d, &o, NULL);
    json_t *j = json_loads(t, 0, NULL);
    json_t *ci = json_object_get(row_of(json_object_get(j, "rows"), "main", "time"), "ci");
    cr_assert_eq(json_array_size(ci), 2);
    double lo = json_real_value(json_array_get(ci, 0)), hi = json_real_value(json_array_get(ci, 1));
    cr_assert(lo > 0.4 && lo < 0.5 && hi > 0.5 && hi < 0.6, "%g %g", lo, hi);
    json_decref(j);
    free(t);
    o.format = VIEW_CSV;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, "main,time,1200000,1800000,600000,1.5,regressed,0.4"), "%s", t);
    free(t);
    prof_diff_free(d);
}

Test(diff_views, csv_lines_and_quoting)
{
    spec s[] = {{"a::<impl From<(u8, u8)>>::from", -1, 2, 10, 10, 7, 7}};
    spec s2[] = {{"a::<impl From<(u8, u8)>>::from", -1, 2, 10, 10, 9, 9}, {"say \"hi\"", -1, 1, 3, 3, 1, 1}};
    prof_model *a = model_of(s, 1), *b = model_of(s2, 2);
    prof_diff *d = diff_of(&a, 1, &b, 1);
    diff_view_opts o = opts(VIEW_CSV, 1);
    char *t = show(d, &o, NULL);
    cr_assert_str_eq(t, "name,metric,a,b,delta,ratio,verdict,ci_lo,ci_hi\r\n"
                        "\"a::<impl From<(u8, u8)>>::from\",time,10,10,0,1,same,,\r\n"
                        "\"a::<impl From<(u8, u8)>>::from\"," E ",7,9,2,1.28571428571429,regressed,,\r\n"
                        "\"a::<impl From<(u8, u8)>>::from\",calls,2,2,0,1,same,,\r\n"
                        "\"say \"\"hi\"\"\",time,0,3,3,,new,,\r\n"
                        "\"say \"\"hi\"\"\"," E ",0,1,1,,new,,\r\n"
                        "\"say \"\"hi\"\"\",calls,0,1,1,,new,,\r\n");
    free(t);
    o.limit = 1;
    t = show(d, &o, NULL);
    cr_assert_null(strstr(t, "say"), "%s", t);
    free(t);
    prof_diff_free(d);
}

Test(diff_views, dispatch_refuses)
{
    prof_diff *d = sample_diff();
    diff_view_opts o = opts(VIEW_CALLERS, 1);
    int rc;
    free(show(d, &o, &rc));
    cr_assert_eq(rc, -1, "callers is no diff view");
    o = opts(VIEW_TABLE, 3);
    free(show(d, &o, &rc));
    cr_assert_eq(rc, -1, "metric 3 of 3");
    prof_diff_free(d);
}

/* --format markdown on an ordinary profile: the table view's rows and columns. */
Test(markdown, profile_view)
{
    prof_model *m = model_of(side_a, 5);
    m->totals[0] = 1301500;
    m->command = strdup("prog x");
    view_format f;
    cr_assert_eq(view_parse_format("markdown", &f), 0);
    cr_assert_eq(f, VIEW_MARKDOWN);
    view_opts o;
    view_opts_init(&o);
    o.format = VIEW_MARKDOWN;
    o.limit = 2;
    int rc;
    char *t = capture(view_print, m, &o, &rc);
    cr_assert_eq(rc, 0);
    cr_assert(strstr(t, "- cprof: prog x\n- events: time, sde:::L::E\n"), "%s", t);
    cr_assert(strstr(t, "- showing 2 of 5 regions (-n)\n"), "%s", t);
    cr_assert(strstr(t, "\n| region | calls | incl | excl | excl% | mean | " E " incl | " E " excl | location |\n"
                        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
                        "| `main` | 1 | 1.20 ms | 200 us | 15.4% | 1.20 ms | 214 | 14 | src/m.rs:1 |\n"
                        "| `parse` | 3 |"), "%s", t);
    cr_assert_null(strstr(t, "`lex`"), "-n 2");
    free(t);
    prof_model_free(m);
}

/* "parse" sampled on side A with its time mostly the profiler's: its time
 * figure is marked "~!" before A's figure only in the table, markdown and
 * the tree, its counter "~", its calls nothing; the other rows bare. Then
 * sampled on both sides: both figures marked. */
Test(diff_views, trust_marks_in_every_text_view)
{
    prof_model *a = model_of(side_a, 5), *b = model_of(side_b, 5);
    prof_entry *e = &a->entries[1];
    e->pairs = 300, e->timed = 10, e->raw_incl = 6000000, e->oh_incl = 5400000;
    prof_node *n = &a->nodes[2];
    cr_assert_eq(n->entry, 1);
    n->pairs = 300, n->timed = 10, n->raw_incl = 6000000, n->oh_incl = 5400000;
    prof_diff *d = diff_of(&a, 1, &b, 1);
    diff_view_opts o = opts(VIEW_TABLE, 0);
    char *t = show(d, &o, NULL);
    cr_assert(strstr(t, "~!600 us -> 900 us (+50.0%, x1.50)  ~100 -> 150 (+50.0%, x1.50)  "), "%s", t);
    cr_assert(strstr(t, " 3 -> 3  src/m.rs:2\n"), "calls unmarked: %s", t);
    cr_assert(strstr(t, "(parse: about 1 call in 30 in base, every call in new)"), "%s", t);
    cr_assert(strstr(t, " 1.20 ms -> 1.80 ms (+50.0%, x1.50) "), "main is not marked: %s", t);
    cr_assert(strstr(t, "! 1 region: more than 25%"), "%s", t);
    free(t);
    static const view_format more[] = {VIEW_MARKDOWN, VIEW_TREE};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        o.format = more[i];
        t = show(d, &o, NULL);
        cr_assert(strstr(t, "~!600 us -> 900 us (+50.0%, x1.50)"), "format %d: %s", (int)more[i], t);
        free(t);
    }
    prof_diff_free(d);
    a = model_of(side_a, 5), b = model_of(side_b, 5);   /* diff_of took the others */
    for (int k = 0; k < 2; k++) {
        prof_entry *ek = &(k ? b : a)->entries[1];
        ek->pairs = 300, ek->timed = 10, ek->raw_incl = 6000000, ek->oh_incl = 5400000;
    }
    d = diff_of(&a, 1, &b, 1);
    o.format = VIEW_TABLE;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, "~!600 us -> ~!900 us (+50.0%, x1.50)  ~100 -> ~150 (+50.0%, x1.50)  "), "%s", t);
    free(t);
    prof_diff_free(d);
}

/* Three runs a side of "parse": its time 1.5x in B, but on side A 90% of
 * it is the profiler's own (throttled, tiny), and one more call in B. Time
 * is "untrusted" (never regressed) in every view, rows and tree; calls
 * (given 4 calls in B) still decide ("regressed (calls)"); --limit time=+5% leaves it out and
 * says so in one line; a limit on calls still breaks. */
static prof_diff *untrusted_diff(uint64_t calls_b)
{
    prof_model *a[3], *b[3];
    for (int i = 0; i < 3; i++) {
        spec sa[] = {{"main", -1, 1, 2000000 + 10000 * i, 1000000, 1, 1},
                     {"parse", 0, 3, 600000 + 10000 * i, 600000 + 10000 * i, 100, 100}};
        spec sb[] = {{"main", -1, 1, 2000000 + 10000 * i, 1000000, 1, 1},
                     {"parse", 0, calls_b, 900000 + 10000 * i, 900000 + 10000 * i, 100, 100}};
        a[i] = model_of(sa, 2);
        b[i] = model_of(sb, 2);
        prof_entry *e = &a[i]->entries[1];
        prof_node *n = &a[i]->nodes[2];
        cr_assert_eq(n->entry, 1);
        e->raw_incl = n->raw_incl = 6000000, e->oh_incl = n->oh_incl = 5400000;
    }
    return diff_of(a, 3, b, 3);
}

static int row_index(const prof_diff *d, const char *name)
{
    for (size_t i = 0; i < d->n_rows; i++)
        if (strcmp(d->rows[i].name, name) == 0)
            return (int)i;
    cr_assert_fail("no row %s", name);
    return -1;
}

Test(diff_views, untrusted_time_in_every_view)
{
    prof_diff *d = untrusted_diff(4);
    const diff_row *p = &d->rows[row_index(d, "parse")];
    cr_assert(p->trust.low[0] && !p->trust.low[1]);
    cr_assert_eq(p->incl[0].verdict, DIFF_UNTRUSTED, "%s", diff_verdict_name(p->incl[0].verdict));
    cr_assert(p->incl[0].has_ci && p->incl[0].lo > 0.01, "the interval alone would say regressed");
    cr_assert_eq(p->incl[2].verdict, DIFF_REGRESSED, "calls are exact and still judged");
    cr_assert_eq(d->rows[row_index(d, "main")].incl[0].verdict, DIFF_SAME);
    cr_assert_eq(d->nodes[2].incl[0].verdict, DIFF_UNTRUSTED, "the call path too");
    static const view_format text[] = {VIEW_TABLE, VIEW_TREE, VIEW_MARKDOWN};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        diff_view_opts o = opts(text[i], 0);
        char *t = show(d, &o, NULL);
        cr_assert_null(strstr(t, "regressed ["), "format %d: %s", (int)text[i], t);
        cr_assert(strstr(t, "!610 us -> 910 us") && strstr(t, "regressed (calls)"), "format %d: %s", (int)text[i], t);
        free(t);
    }
    /* calls unchanged: time's own verdict shows, with its interval */
    prof_diff *same_calls = untrusted_diff(3);
    const diff_cell *c = &same_calls->rows[row_index(same_calls, "parse")].incl[0];
    cr_assert_eq(c->verdict, DIFF_UNTRUSTED);
    const diff_cell *nc = &same_calls->nodes[2].incl[0];
    cr_assert_eq(nc->verdict, DIFF_UNTRUSTED);
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        const diff_cell *shown = text[i] == VIEW_TREE ? nc : c;
        char want[128];
        snprintf(want, sizeof want, "untrusted [%+.1f%%, %+.1f%%]", 100 * shown->lo, 100 * shown->hi);
        diff_view_opts o = opts(text[i], 0);
        char *t = show(same_calls, &o, NULL);
        cr_assert(strstr(t, want) && strstr(t, "1 untrusted"), "format %d: %s", (int)text[i], t);
        free(t);
    }
    prof_diff_free(same_calls);
    diff_view_opts o = opts(VIEW_CSV, 0);
    char *t = show(d, &o, NULL);
    cr_assert(strstr(t, "\nparse,time,610000,910000,300000,") && strstr(t, ",untrusted,0."), "%s", t);
    cr_assert(strstr(t, "\nparse,calls,3,4,1,") && strstr(t, ",regressed,,"), "%s", t);
    free(t);
    o.format = VIEW_JSON;
    t = show(d, &o, NULL);
    json_t *j = json_loads(t, 0, NULL);
    cr_assert_not_null(j, "%s", t);
    json_t *r = row_of(json_object_get(j, "rows"), "parse", "time");
    cr_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "untrusted");
    cr_assert_eq(json_array_size(json_object_get(r, "ci")), 2);
    json_t *tree = json_object_get(j, "tree"), *cell = NULL;
    for (size_t i = 0; i < json_array_size(tree); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(tree, i), "name")), "parse") == 0)
            cell = json_object_get(json_object_get(json_array_get(tree, i), "metrics"), "time");
    cr_assert_str_eq(json_string_value(json_object_get(cell, "verdict")), "untrusted");
    json_decref(j);
    free(t);
    o.format = VIEW_HTML;
    t = show(d, &o, NULL);
    cr_assert(strstr(t, "\"untrusted\""), "the page's data");
    free(t);
    prof_diff_free(d);
}

Test(diff_views, untrusted_rows_are_left_out_of_time_limits)
{
    prof_diff *d = untrusted_diff(4);
    diff_limit l[3];
    char err[256];
    cr_assert_eq(diff_limit_parse("time=+5%", &l[0], err, sizeof err), 0, "%s", err);
    cr_assert_eq(diff_limit_parse("time=500us@parse", &l[1], err, sizeof err), 0, "%s", err);
    cr_assert_eq(diff_limit_parse("calls=+0", &l[2], err, sizeof err), 0, "%s", err);
    cr_assert_eq(diff_limits_check(d, l, 3, err, sizeof err), 0, "%s", err);
    cr_assert_eq(d->n_broken, 1, "calls alone breaks (not even the maximum on time)");
    cr_assert_str_eq(d->broken[0].limit, "calls=+0");
    cr_assert_eq(diff_limit_untrusted(d, &l[0]), 1);
    cr_assert_eq(diff_limit_untrusted(d, &l[2]), 0);
    char line[256];
    cr_assert_str_eq(diff_limit_untrusted_line(line, sizeof line, d, &l[0]),
                     "limit time=+5%: 1 region left out (untrusted: its time is mostly the profiler's own, marked !)");
    cr_assert_null(diff_limit_untrusted_line(line, sizeof line, d, &l[2]));
    diff_view_opts o = opts(VIEW_TABLE, 0);
    char *t = show(d, &o, NULL);
    cr_assert(strstr(t, "\nlimit time=+5%: 1 region left out (untrusted") &&
              strstr(t, "\nlimit time=500us@parse: 1 region left out (untrusted"), "said in the header: %s", t);
    free(t);
    for (int i = 0; i < 3; i++)
        diff_limit_free(&l[i]);
    prof_diff_free(d);
}
