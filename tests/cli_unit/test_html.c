/* test_html.c: the C side of --format html (views/html*.c): the mark a
 * later -o looks for, the page's data equal to the JSON report
 * (view_json_object, diff_json_object) with no '<' that could end its
 * element, escaped text, the per-thread parts and their caps, callgrind's
 * call paths, nothing that would be fetched. What the page draws is
 * checked in a browser (tests/browser/html.sh). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "model/callpaths.h"
#include "model/diff.h"
#include "views/diff_views.h"
#include "views/html_page.h"

#define EV "sde:::T::E"

/* run -> NAME (the hostile name) and -> leaf; its figures are arbitrary but exact. */
static prof_model *model(const char *name, int64_t scale)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "time", 1);
    prof_model_metric(m, EV, 0);
    m->command = strdup("prog <b>&\"x\"");
    const char *names[] = {"run", name, "leaf"};
    size_t e[3], n[3];
    for (int i = 0; i < 3; i++) {
        e[i] = prof_model_entry(m, names[i], "src/m.rs", i + 1, NULL);
        prof_entry *x = &m->entries[e[i]];
        x->calls = (uint64_t)(i + 1);
        x->has_incl = 1;
        x->self[0] = scale * (i + 1) * 1000, x->incl[0] = scale * (3 - i) * 2000;
        x->self[1] = i + 10, x->incl[1] = 40 - i;
        m->totals[0] += x->self[0];
        m->totals[1] += x->self[1];
        n[i] = prof_model_node(m, i ? n[0] : 0, e[i]);
        m->nodes[n[i]].calls = x->calls;
        memcpy(m->nodes[n[i]].self, x->self, m->n_metrics * sizeof *x->self);
        memcpy(m->nodes[n[i]].incl, x->incl, m->n_metrics * sizeof *x->incl);
    }
    prof_model_note(m, "overhead compensation: applied");
    prof_model_missing(m, "PAPI_TOT_INS", "Event does not exist");
    return m;
}

/* The text of <script type="application/json" id="ID"> (caller frees), or NULL. */
static char *element(const char *page, const char *id)
{
    char open[128];
    snprintf(open, sizeof open, "<script type=\"application/json\" id=\"%s\">", id);
    const char *p = strstr(page, open);
    if (!p)
        return NULL;
    p += strlen(open);
    const char *end = strstr(p, "</script>");
    cr_assert_not_null(end);
    return strndup(p, (size_t)(end - p));
}

static json_t *parsed(const char *page, const char *id)
{
    char *text = element(page, id);
    cr_assert_not_null(text, "no #%s in the page", id);
    cr_assert_null(strchr(text, '<'), "a '<' in #%s: %s", id, text);
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    cr_assert_not_null(j, "#%s does not parse: %s", id, err.text);
    free(text);
    return j;
}

static char *page_of(const prof_model *m, const view_opts *o)
{
    int rc;
    char *t = capture(view_html, m, o, &rc);
    cr_assert_eq(rc, 0);
    return t;
}

Test(html, mark_right_after_the_doctype)
{
    prof_model *m = model("parse", 1);
    view_opts o;
    view_opts_init(&o);
    o.format = VIEW_HTML;
    char *t = page_of(m, &o);
    const char *mark = strstr(t, "<!-- cargo-profiler");
    cr_assert(strncmp(t, "<!DOCTYPE html>\n<!-- cargo-profiler", 35) == 0, "%.80s", t);
    cr_assert(mark && mark - t < 512);
    free(t);
    prof_model_free(m);
}

Test(html, data_is_the_json_report_and_cannot_end_its_element)
{
    const char *hostile = "</script><!--<script>alert(1)</script>&amp;\u2028";
    prof_model *m = model(hostile, 1);
    view_opts o;
    view_opts_init(&o);
    o.format = VIEW_HTML;
    char *t = page_of(m, &o);
    json_t *got = parsed(t, "cprof-data"), *want = view_json_object(m, &o);
    cr_assert(json_equal(got, want), "the page's data differs from view_json_object");
    json_t *r = json_array_get(json_object_get(got, "regions"), 1);
    cr_assert_str_eq(json_string_value(json_object_get(r, "name")), hostile);
    /* the one "</script" of each element is its own end: 2 data elements, 7 scripts */
    size_t ends = 0;
    for (const char *p = t; (p = strstr(p, "</script")); p++)
        ends++;
    cr_assert_eq(ends, 9, "%zu ends of script elements", ends);
    json_decref(got);
    json_decref(want);
    free(t);
    prof_model_free(m);
}

Test(html, title_escaped_nothing_fetched)
{
    prof_model *m = model("parse", 1);
    view_opts o;
    view_opts_init(&o);
    o.format = VIEW_HTML;
    char *t = page_of(m, &o);
    cr_assert_not_null(strstr(t, "<title>cargo-profiler: prog &lt;b&gt;&amp;&quot;x&quot;</title>"));
    /* nothing a browser would load: no src, no stylesheet link, no @import
     * or url(); an address only as the SVG namespace (never fetched) */
    const char *never[] = {" src=", "<link", "@import", "url(", "https://", "<iframe", "fetch(", "XMLHttpRequest"};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
        cr_assert_null(strstr(t, never[i]), "the page holds %s", never[i]);
    for (const char *p = t; (p = strstr(p, "http://")); p++)
        cr_assert(strncmp(p, "http://www.w3.org/", 18) == 0, "an address in the page: %.60s", p);
    cr_assert_not_null(strstr(t, "<svg class=\"cprof-flame\""), "no flame graph");
    free(t);
    prof_model_free(m);
}

Test(html, text_escaping)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    html_text(f, "a<b>&\"c\"'d'");
    html_text(f, NULL);
    fclose(f);
    cr_assert_str_eq(buf, "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
    free(buf);
}

/* 40 threads of 4 processes, thread i of time scale i + 1: the 32 heaviest
 * keep their table, the breakdown lists all 40 with exact figures. */
Test(html, parts_listed_heaviest_kept)
{
    prof_model *m = model("parse", 1);
    view_part parts[40];
    char names[40][16];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "t%d", i);
        parts[i] = (view_part){model("parse", i + 1), 100 + i / 10, 1000 + i, names[i]};
    }
    view_opts o;
    view_opts_init(&o);
    o.format = VIEW_HTML;
    o.parts = parts;
    o.n_parts = 40;
    char *t = page_of(m, &o);
    json_t *meta = parsed(t, "cprof-meta");
    json_t *list = json_object_get(meta, "parts");
    cr_assert_eq(json_array_size(list), 40);
    cr_assert_eq(json_integer_value(json_object_get(meta, "parts_total")), 40);
    size_t kept = 0;
    for (size_t i = 0; i < 40; i++) {
        json_t *p = json_array_get(list, i);
        cr_assert_eq(json_integer_value(json_object_get(p, "pid")), 100 + (int)i / 10);
        cr_assert_eq(json_integer_value(json_object_get(p, "tid")), 1000 + (int)i);
        cr_assert_str_eq(json_string_value(json_object_get(p, "thread")), names[i]);
        cr_assert_eq(json_integer_value(json_object_get(p, "calls")), 6);   /* 1 + 2 + 3 */
        cr_assert_eq(json_integer_value(json_object_get(json_object_get(p, "totals"), "time_ns")),
                     (json_int_t)(i + 1) * 6000);
        cr_assert_eq(json_integer_value(json_object_get(json_object_get(p, "totals"), EV)), 33);
        json_t *rep = json_object_get(p, "report");
        cr_assert_eq(json_is_null(rep), i < 8, "part %zu: report %s", i, json_is_null(rep) ? "null" : "kept");
        if (!json_is_null(rep)) {
            cr_assert_eq(json_integer_value(rep), (json_int_t)kept);
            char id[32];
            snprintf(id, sizeof id, "cprof-part-%zu", kept++);
            json_t *pr = parsed(t, id), *want = view_json_object(parts[i].m, &o);
            json_object_del(want, "tree");
            cr_assert(json_equal(pr, want), "%s is not thread %zu's report", id, i);
            json_decref(pr);
            json_decref(want);
        }
    }
    cr_assert_eq(kept, 32);
    char *none = element(t, "cprof-part-32");
    cr_assert_null(none);
    json_decref(meta);
    free(t);
    for (int i = 0; i < 40; i++)
        prof_model_free((prof_model *)parts[i].m);
    prof_model_free(m);
}

/* A thread of 600 regions: the page keeps its first 500 (rows_total says 600). */
Test(html, part_rows_capped)
{
    prof_model *m = model("parse", 1), *big = model("parse", 2);
    for (int i = 0; i < 597; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "r%d", i);
        size_t e = prof_model_entry(big, nm, "src/r.rs", i + 1, NULL);
        big->entries[e].calls = 1;
    }
    view_part part = {big, 1, 1, "main"};
    view_opts o;
    view_opts_init(&o);
    o.format = VIEW_HTML;
    o.parts = &part;
    o.n_parts = 1;
    char *t = page_of(m, &o);
    json_t *pr = parsed(t, "cprof-part-0");
    cr_assert_eq(json_array_size(json_object_get(pr, "regions")), 500);
    cr_assert_eq(json_integer_value(json_object_get(pr, "rows_total")), 600);
    cr_assert_null(json_object_get(pr, "tree"));
    json_decref(pr);
    free(t);
    prof_model_free(big);
    prof_model_free(m);
}

/* main -> work (2 calls): the page's callgrind report lists the call paths. */
Test(html, callgrind_call_paths_in_the_page_only)
{
    prof_model *m = prof_model_new(PROF_CALLGRIND, "callgrind");
    prof_model_metric(m, "Ir", 0);
    size_t a = prof_model_entry(m, "main", "a.c", 3, "/bin/a"), b = prof_model_entry(m, "work", "a.c", 9, "/bin/a");
    m->entries[a].self[0] = 10, m->entries[a].incl[0] = 110, m->entries[a].has_incl = 1;
    m->entries[b].self[0] = 100, m->entries[b].incl[0] = 100, m->entries[b].has_incl = 1, m->entries[b].calls = 2;
    m->totals[0] = 110;
    size_t g = prof_model_edge(m, a, b);
    m->edges[g].calls = 2, m->edges[g].incl[0] = 100;
    view_opts o;
    view_opts_init(&o);
    o.format = VIEW_JSON;
    json_t *j = view_json_object(m, &o);
    cr_assert_null(json_object_get(j, "tree"), "--format json computes no call paths");
    json_decref(j);
    vg_call_paths(m);
    o.format = VIEW_HTML;
    char *t = page_of(m, &o);
    j = parsed(t, "cprof-data");
    json_t *tree = json_object_get(j, "tree");
    cr_assert_eq(json_array_size(tree), 2);
    json_t *w = json_array_get(tree, 1);
    cr_assert_str_eq(json_string_value(json_object_get(w, "name")), "work");
    cr_assert_eq(json_integer_value(json_object_get(w, "parent")), 1);
    cr_assert_eq(json_integer_value(json_object_get(w, "calls")), 2);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(w, "incl"), "Ir")), 100);
    json_decref(j);
    free(t);
    prof_model_free(m);
}

Test(html, diff_page_data_is_the_diff_report)
{
    prof_model *a = model("parse", 1), *b = model("parse", 2);
    diff_side sa = {&a, 1, "before"}, sb = {&b, 1, "after </script>"};
    prof_diff *d = prof_diff_new(&sa, &sb, 0.95, 0.01);
    diff_view_opts o = {.format = VIEW_HTML, .metric = 1};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(diff_view_print(d, &o, f), 0);
    fclose(f);
    cr_assert(strncmp(buf, "<!DOCTYPE html>\n<!-- cargo-profiler", 35) == 0);
    cr_assert_not_null(strstr(buf, "<title>cargo-profiler: before vs after &lt;/script&gt;</title>"));
    json_t *got = parsed(buf, "cprof-data"), *want = diff_json_object(d, &o);
    cr_assert(json_equal(got, want));
    cr_assert_str_eq(json_string_value(json_object_get(got, "format")), "cprof-diff-1");
    cr_assert_str_eq(json_string_value(json_object_get(got, "sort")), EV);
    size_t graphs = 0;
    for (const char *p = buf; (p = strstr(p, "<svg class=\"cprof-flame\"")); p++)
        graphs++;
    cr_assert_eq(graphs, 2, "the differential flame graphs: B's shape and A's");
    cr_assert(strstr(buf, "data-shape=\"b\"") < strstr(buf, "data-shape=\"a\""), "B's shape first");
    json_decref(got);
    json_decref(want);
    free(buf);
    o.metric = 9;   /* not a metric of the diff: nothing written */
    cr_assert_null(diff_json_object(d, &o));
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}
