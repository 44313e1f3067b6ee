/* test_views.c: every view on region and valgrind models: columns, order, -n, units, exact text. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "model/callpaths.h"
#include "model/trust.h"
#include "readers/readers.h"
#include "views/util.h"

/* main (1 call) -> parse (3 calls) -> lex (6 calls); main -> eval (2 calls). Metric E exact. */
static prof_model *regions_model(void)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "time", 1);
    prof_model_metric(m, "E", 0);
    m->command = strdup("prog x");
    struct { const char *name; int line; uint64_t calls, incl, self, ei, es; } r[] = {
        {"main", 1, 1, 10000000, 1000000, 1000, 100},
        {"parse", 5, 3, 6000000, 2000000, 600, 200},
        {"lex", 9, 6, 4000000, 4000000, 400, 400},
        {"eval", 14, 2, 3000000, 3000000, 300, 300},
    };
    size_t e[4];
    for (int i = 0; i < 4; i++) {
        e[i] = prof_model_entry(m, r[i].name, "src/m.rs", r[i].line, NULL);
        prof_entry *x = &m->entries[e[i]];
        x->calls = r[i].calls;
        x->incl[0] = r[i].incl;
        x->self[0] = r[i].self;
        x->incl[1] = r[i].ei;
        x->self[1] = r[i].es;
        x->min_ns = 1;
        x->max_ns = r[i].incl;
        x->pairs = x->timed = r[i].calls;
        x->raw_incl = (int64_t)r[i].incl;
        m->totals[0] += r[i].self;
        m->totals[1] += r[i].es;
    }
    size_t nm = prof_model_node(m, 0, e[0]), np = prof_model_node(m, nm, e[1]);
    size_t nl = prof_model_node(m, np, e[2]), ne = prof_model_node(m, nm, e[3]);
    size_t nodes[4] = {nm, np, nl, ne};
    for (int i = 0; i < 4; i++) {
        prof_node *n = &m->nodes[nodes[i]];
        n->calls = r[i].calls;
        n->incl[0] = r[i].incl;
        n->self[0] = r[i].self;
        n->incl[1] = r[i].ei;
        n->self[1] = r[i].es;
    }
    prof_model_missing(m, "PAPI_TOT_INS", "Event does not exist");
    prof_model_note(m, "overhead compensation: applied");
    return m;
}

static prof_model *valgrind_model(prof_kind kind)
{
    prof_model *m = prof_model_new(kind, kind == PROF_CALLGRIND ? "callgrind" : "cachegrind");
    prof_model_metric(m, "Ir", 0);
    prof_model_metric(m, "Dr", 0);
    size_t a = prof_model_entry(m, "main", "a.c", 3, "/bin/a");
    size_t b = prof_model_entry(m, "work", "a.c", 10, "/bin/a");
    m->entries[a].self[0] = 100; m->entries[a].incl[0] = 2100; m->entries[a].calls = 1;
    m->entries[b].self[0] = 2000; m->entries[b].incl[0] = 2000; m->entries[b].calls = 7;
    m->entries[a].self[1] = 10; m->entries[b].self[1] = 500;
    m->entries[a].incl[1] = 510; m->entries[b].incl[1] = 500;
    if (kind == PROF_CACHEGRIND)
        m->entries[a].has_incl = m->entries[b].has_incl = 0;
    m->totals[0] = 2100;
    m->totals[1] = 510;
    return m;
}

Test(units, human)
{
    char b[32];
    cr_assert_str_eq(fmt_time(b, sizeof b, 999), "999 ns");
    cr_assert_str_eq(fmt_time(b, sizeof b, 1000), "1.00 us");
    cr_assert_str_eq(fmt_time(b, sizeof b, 1234567), "1.23 ms");
    cr_assert_str_eq(fmt_time(b, sizeof b, 45600000), "45.6 ms");
    cr_assert_str_eq(fmt_time(b, sizeof b, 999999), "1.00 ms");
    cr_assert_str_eq(fmt_time(b, sizeof b, -478346), "-478 us");   /* a change down: its unit, not raw ns */
    cr_assert_str_eq(fmt_time(b, sizeof b, 12.3e9), "12.3 s");
    cr_assert_str_eq(fmt_count(b, sizeof b, 7), "7");
    cr_assert_str_eq(fmt_count(b, sizeof b, 1500), "1.50K");
    cr_assert_str_eq(fmt_count(b, sizeof b, 2.5e6), "2.50M");
    cr_assert_str_eq(fmt_count(b, sizeof b, 345e9), "345G");
    cr_assert_str_eq(fmt_percent(b, sizeof b, 1, 3), "33.3%");
    cr_assert_str_eq(fmt_percent(b, sizeof b, 1, 0), "-");
}

Test(sort, keys)
{
    prof_model *m = regions_model();
    sort_key k;
    char err[512];
    cr_assert_eq(sort_key_parse(m, NULL, &k, err, sizeof err), 0);
    cr_assert_eq(k.what, SORT_INCL);
    cr_assert_eq(sort_key_parse(m, "E", &k, err, sizeof err), 0);
    cr_assert(k.what == SORT_SELF && k.metric == 1);
    cr_assert_eq(sort_key_parse(m, "E:incl", &k, err, sizeof err), 0);
    cr_assert(k.what == SORT_INCL && k.metric == 1);
    cr_assert_eq(sort_key_parse(m, "nope", &k, err, sizeof err), -1);
    cr_assert(strstr(err, "--sort nope: unknown key") && strstr(err, "time, E"), "%s", err);
    prof_model_free(m);
    m = valgrind_model(PROF_CACHEGRIND);
    cr_assert_eq(sort_key_parse(m, NULL, &k, err, sizeof err), 0);
    cr_assert_eq(k.what, SORT_SELF, "cachegrind has no inclusive figures");
    cr_assert_eq(sort_key_parse(m, "Ir:incl", &k, err, sizeof err), -1);
    prof_model_free(m);
}

/* The first word of each table row after the header line starting with `head`. */
static char *first_column(const char *text, const char *head)
{
    const char *p = strstr(text, head);
    cr_assert_not_null(p, "no '%s' in:\n%s", head, text);
    static char out[1024];
    out[0] = 0;
    p = strchr(p, '\n') + 1;
    while (*p) {
        size_t n = strcspn(p, " \n");
        strncat(out, p, n);
        strcat(out, " ");
        p = strchr(p, '\n');
        if (!p)
            break;
        p++;
    }
    return out;
}

/* "1 call of 1 region", not "1 calls of 1 regions" (rust-base64 trial). */
Test(table, the_total_line_counts_in_the_singular_too)
{
    char *d = dump_text("cprof-1", "", "{\"ns_per_pair\": 0, \"ns_inside\": 0}", "",
        "{\"node\": 1, \"parent\": 0, \"region\": \"once\", \"file\": \"a.c\", \"line\": 1, "
        "\"calls\": 1, \"incl_ns\": 1000, \"excl_ns\": 1000, \"min_ns\": 1000, \"max_ns\": 1000, "
        "\"child_calls\": 0, \"desc_calls\": 0}");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("once.json", d), err, sizeof err), 0, "%s", err);
    view_opts o;
    view_opts_init(&o);
    int rc;
    char *t = capture(view_table, m, &o, &rc);
    cr_assert(strstr(t, "measured in 1 call of 1 region\n"), "%s", t);
    free(t);
    prof_model_free(m);
    free(d);
    m = regions_model();
    t = capture(view_table, m, &o, &rc);
    cr_assert(strstr(t, " calls of 4 regions\n"), "%s", t);
    free(t);
    prof_model_free(m);
}

/* Events missing for one reason (no PMU: every hardware event) share a
 * line; another reason has its own. */
Test(table, missing_events_share_a_line_a_reason)
{
    prof_model *m = regions_model();
    prof_model_missing(m, "PAPI_TOT_CYC", "no default PMU found");
    prof_model_missing(m, "PAPI_L1_DCM", "Event does not exist");
    prof_model_missing(m, "PAPI_BR_MSP", "no default PMU found");
    view_opts o;
    view_opts_init(&o);
    int rc;
    char *t = capture(view_table, m, &o, &rc);
    cr_assert(strstr(t, "events: time, E\nmissing: PAPI_TOT_INS, PAPI_L1_DCM: Event does not exist\n"
                        "missing: PAPI_TOT_CYC, PAPI_BR_MSP: no default PMU found\noverhead"), "%s", t);
    free(t);
    prof_model_free(m);
}

Test(table, regions_columns_order_limit)
{
    prof_model *m = regions_model();
    view_opts o;
    view_opts_init(&o);
    int rc;
    char *t = capture(view_table, m, &o, &rc);
    cr_assert_eq(rc, 0);
    cr_assert(strstr(t, "cprof: prog x\nevents: time, E\nmissing: PAPI_TOT_INS: Event does not exist\n"
                        "overhead compensation: applied\n"), "%s", t);
    cr_assert(strstr(t, "region  calls     incl     excl  excl%     mean  E incl  E excl  location\n"), "%s", t);
    cr_assert(strstr(t, "main        1  10.0 ms  1.00 ms  10.0%  10.0 ms   1.00K     100  src/m.rs:1\n"), "%s", t);
    cr_assert_str_eq(first_column(t, "region "), "main parse lex eval ");
    free(t);
    o.sort = "calls";
    o.limit = 2;
    t = capture(view_table, m, &o, &rc);
    cr_assert_str_eq(first_column(t, "region "), "lex parse ");
    cr_assert(strstr(t, "showing 2 of 4 regions (-n)"), "%s", t);
    free(t);
    o.sort = "mean";
    o.limit = 0;
    t = capture(view_table, m, &o, &rc);
    cr_assert_str_eq(first_column(t, "region "), "main parse eval lex ");
    free(t);
    o.sort = "excl";
    t = capture(view_table, m, &o, &rc);
    cr_assert_str_eq(first_column(t, "region "), "lex eval parse main ");
    free(t);
    o.sort = "bad";
    t = capture(view_table, m, &o, &rc);
    cr_assert_eq(rc, -1);
    free(t);
    prof_model_free(m);
}

Test(table, colour_only_when_asked)
{
    prof_model *m = regions_model();
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_table, m, &o, NULL);
    cr_assert_null(strchr(t, '\033'));
    free(t);
    o.color = 1;
    t = capture(view_table, m, &o, NULL);
    cr_assert_not_null(strstr(t, "\033[1m"));
    free(t);
    prof_model_free(m);
    setenv("NO_COLOR", "1", 1);
    cr_assert_eq(view_color_auto(stdout), 0);
}

Test(table, derived_ipc)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "time", 1);
    prof_model_metric(m, "PAPI_TOT_INS", 0);
    prof_model_metric(m, "PAPI_TOT_CYC", 0);
    size_t e = prof_model_entry(m, "r", "f.c", 1, NULL);
    m->entries[e].calls = 1;
    m->entries[e].incl[1] = 3000;
    m->entries[e].incl[2] = 2000;
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_table, m, &o, NULL);
    cr_assert(strstr(t, "  IPC  location\n"), "%s", t);
    cr_assert(strstr(t, " 1.50  f.c:1\n"), "%s", t);
    free(t);
    prof_model_free(m);
}

Test(tree, indented_sorted_limited)
{
    prof_model *m = regions_model();
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_tree, m, &o, NULL);
    cr_assert(strstr(t, "call path  calls     incl     excl   incl%"), "%s", t);
    cr_assert(strstr(t, "\nmain           1  10.0 ms  1.00 ms  100.0%"), "%s", t);
    cr_assert(strstr(t, "\n  parse        3"), "%s", t);
    cr_assert(strstr(t, "\n    lex        6"), "%s", t);
    const char *p = strstr(t, "  parse"), *l = strstr(t, "    lex"), *e = strstr(t, "  eval");
    cr_assert(p && l && e && p < l && l < e, "depth-first, children by inclusive:\n%s", t);
    free(t);
    o.limit = 2;
    t = capture(view_tree, m, &o, NULL);
    cr_assert_null(strstr(t, "lex"));
    cr_assert(strstr(t, "(2 more call paths not shown: -n 2)"), "%s", t);
    free(t);
    prof_model_free(m);
}

Test(tree, deep_recursion_does_not_overflow)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "time", 1);
    size_t e = prof_model_entry(m, "rec", "r.c", 1, NULL);
    size_t parent = 0;
    for (int i = 0; i < 20000; i++) {
        parent = prof_model_node(m, parent, e);
        m->nodes[parent].calls = 1;
    }
    m->nodes[parent].self[0] = 5;
    view_opts o;
    view_opts_init(&o);
    int rc;
    char *t = capture(view_tree, m, &o, &rc);
    cr_assert_eq(rc, 0);
    free(t);
    t = capture(view_folded, m, &o, &rc);
    cr_assert_eq(rc, 0);
    cr_assert_eq(strlen(t), 20000 * 4 - 1 + 3, "one line: rec;rec;...;rec 5");
    free(t);
    prof_model_free(m);
}

/* The row of the table that starts with `name`, or "". */
static void row_of(const char *t, const char *name, char *out, size_t cap)
{
    char key[64];
    snprintf(key, sizeof key, "\n%s ", name);
    const char *p = strstr(t, key);
    snprintf(out, cap, "%.*s", p ? (int)strcspn(p + 1, "\n") : 0, p ? p + 1 : "");
}

/* A throttled region's figures carry "~", and the trust column says
 * "~1/N" (1 call in N timed) and "!X%" (mostly the profiler's own). */
Test(table, trust_marks)
{
    prof_model *m = regions_model();
    /* lex: throttled (3 of its 6 calls timed), half its measured time overhead */
    m->entries[2].timed = 3;
    m->entries[2].raw_incl = 8000000;
    m->entries[2].oh_incl = 4000000;
    view_opts o;
    view_opts_init(&o);
    o.sort = "name";
    char *t = capture(view_table, m, &o, NULL);
    char lex[512], eval[512];
    row_of(t, "lex", lex, sizeof lex);
    row_of(t, "eval", eval, sizeof eval);
    cr_assert(strstr(lex, "~4.00 ms") && strstr(lex, "~1/2 !50%") && strstr(lex, "~400"), "%s", lex);
    cr_assert(*eval && !strchr(eval, '~') && !strchr(eval, '!'), "eval has no mark: %s", eval);
    cr_assert(strstr(t, "trust"), "the column is shown");
    free(t);
    m->entries[2].timed = m->entries[2].pairs;   /* lex timed every call, its share low */
    m->entries[2].oh_incl = 0;
    t = capture(view_table, m, &o, NULL);
    cr_assert(!strstr(t, "trust") && !strchr(t, '~'), "no marks, no column: %s", t);
    free(t);
    prof_model_free(m);
}

/* One rounding of the share for every view: 4946 of 10000 is 0.495 in
 * json and csv, so the mark says !50% (it said !49%, the html page,
 * reading json's 0.495, !50%: csv-core trial). */
Test(table, trust_share_rounded_once)
{
    prof_model *m = regions_model();
    m->entries[2].raw_incl = 10000;
    m->entries[2].oh_incl = 4946;
    view_opts o;
    view_opts_init(&o);
    o.sort = "name";
    char *t = capture(view_table, m, &o, NULL), lex[512];
    row_of(t, "lex", lex, sizeof lex);
    cr_assert(strstr(lex, " !50% "), "%s", lex);
    free(t);
    t = capture(view_csv, m, &o, NULL);
    cr_assert(strstr(t, "\nlex,src/m.rs,9,6,4000000,4000000,1,4000000,666666,400,400,6,6,0.495\r\n"), "%s", t);
    free(t);
    t = capture(view_json, m, &o, NULL);
    cr_assert(strstr(t, "\"overhead_share\": 0.495"), "%s", t);
    free(t);
    cr_assert_eq(prof_share_shown(0.4946), 0.495);
    prof_model_free(m);
}

/* Paths as the text views show them: rustc's sources <rust>/..., cargo's
 * registry <registry>/..., the crate's own files relative to its root. */
Test(util, display_path_shortens)
{
    char b[256];
    const char *h = "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/cmp.rs";
    cr_assert_str_eq(display_path(b, sizeof b, h, NULL), "<rust>/core/src/cmp.rs");
    cr_assert_str_eq(display_path(b, sizeof b, "/rustc/5980/library/core/src/cmp.rs", NULL),
                     "/rustc/5980/library/core/src/cmp.rs", "not a 40-hex commit: left");
    cr_assert_str_eq(display_path(b, sizeof b, "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/"
                                  "csv-core-0.1.11/src/writer.rs", NULL), "<registry>/csv-core-0.1.11/src/writer.rs");
    cr_assert_str_eq(display_path(b, sizeof b, "/w/csv-core/src/writer.rs", "/w/csv-core"), "src/writer.rs");
    cr_assert_str_eq(display_path(b, sizeof b, "/w/csv-core/src/writer.rs", "/w/csv-core/"), "src/writer.rs");
    cr_assert_str_eq(display_path(b, sizeof b, "/w/csv-core-2/src/a.rs", "/w/csv-core"), "/w/csv-core-2/src/a.rs",
                     "a sibling folder is not under the root");
    cr_assert_str_eq(display_path(b, sizeof b, "./elf/dl-lookup.c", "/w"), "./elf/dl-lookup.c");
    cr_assert_str_eq(display_path(b, sizeof b, NULL, "/w"), "");
    cr_assert_str_eq(fmt_place(b, sizeof b, h, 42, NULL), "<rust>/core/src/cmp.rs:42");
    cr_assert_str_eq(fmt_place(b, sizeof b, NULL, 42, NULL), "");
}

/* A callgrind profile's table, tree and markdown show the short paths; csv
 * and json keep the full ones. */
Test(table, valgrind_paths_short_in_text_full_in_json)
{
    prof_model *m = prof_model_new(PROF_CALLGRIND, "callgrind");
    prof_model_metric(m, "Ir", 0);
    const char *h = "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/cmp.rs";
    size_t a = prof_model_entry(m, "core::cmp::max", h, 9, "/w/app/target/release/app");
    size_t b = prof_model_entry(m, "app::main", "/w/app/src/main.rs", 3, "/w/app/target/release/app");
    m->entries[a].self[0] = m->entries[a].incl[0] = 5;
    m->entries[b].self[0] = 10, m->entries[b].incl[0] = 15;
    m->entries[a].has_incl = m->entries[b].has_incl = 1;
    m->totals[0] = 15;
    view_opts o;
    view_opts_init(&o);
    o.root = "/w/app";
    static const view_format text[] = {VIEW_TABLE, VIEW_MARKDOWN};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        o.format = text[i];
        char *t = capture(view_print, m, &o, NULL);
        cr_assert(strstr(t, "<rust>/core/src/cmp.rs:9") && strstr(t, "src/main.rs:3") && strstr(t, "target/release/app"),
                  "format %d: %s", (int)text[i], t);
        cr_assert_null(strstr(t, "/rustc/"), "%s", t);
        cr_assert_null(strstr(t, "/w/app"), "%s", t);
        free(t);
    }
    static const view_format tools[] = {VIEW_CSV, VIEW_JSON};
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
        o.format = tools[i];
        char *t = capture(view_print, m, &o, NULL);
        cr_assert(strstr(t, h) && strstr(t, "/w/app/src/main.rs") && strstr(t, "/w/app/target/release/app"),
                  "format %d keeps full paths: %s", (int)tools[i], t);
        free(t);
    }
    prof_model_free(m);
}

Test(csv, exact_rows)
{
    prof_model *m = regions_model();
    view_opts o;
    view_opts_init(&o);
    o.sort = "name";
    char *t = capture(view_csv, m, &o, NULL);
    cr_assert_str_eq(t,
        "name,file,line,calls,incl_ns,excl_ns,min_ns,max_ns,mean_ns,E_incl,E_excl,pairs,timed,overhead_share\r\n"
        "eval,src/m.rs,14,2,3000000,3000000,1,3000000,1500000,300,300,2,2,0.000\r\n"
        "lex,src/m.rs,9,6,4000000,4000000,1,4000000,666666,400,400,6,6,0.000\r\n"
        "main,src/m.rs,1,1,10000000,1000000,1,10000000,10000000,1000,100,1,1,0.000\r\n"
        "parse,src/m.rs,5,3,6000000,2000000,1,6000000,2000000,600,200,3,3,0.000\r\n");
    free(t);
    prof_model_free(m);
    m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "time", 1);
    prof_model_entry(m, "a,\"b\"", NULL, 0, NULL);
    t = capture(view_csv, m, &o, NULL);
    cr_assert(strstr(t, "\r\n\"a,\"\"b\"\"\",,0,"), "quoted: %s", t);
    free(t);
    prof_model_free(m);
}

Test(folded, paths_and_self_values)
{
    prof_model *m = regions_model();
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_folded, m, &o, NULL);
    cr_assert_str_eq(t, "main 1000000\nmain;eval 3000000\nmain;parse 2000000\nmain;parse;lex 4000000\n");
    free(t);
    o.metric = "E";
    t = capture(view_folded, m, &o, NULL);
    cr_assert_str_eq(t, "main 100\nmain;eval 300\nmain;parse 200\nmain;parse;lex 400\n");
    free(t);
    o.metric = "nope";
    int rc;
    t = capture(view_folded, m, &o, &rc);
    cr_assert_eq(rc, -1);
    free(t);
    prof_model_free(m);
}

Test(json, regions_report)
{
    prof_model *m = regions_model();
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_json, m, &o, NULL);
    json_error_t je;
    json_t *r = json_loads(t, 0, &je);
    cr_assert_not_null(r, "%s: %s", je.text, t);
    cr_assert_str_eq(json_string_value(json_object_get(r, "format")), "cprof-report-1");
    cr_assert_str_eq(json_string_value(json_object_get(r, "command")), "prog x");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(r, "events"), 0)), "E");
    json_t *regions = json_object_get(r, "regions");
    cr_assert_eq(json_array_size(regions), 4);
    json_t *first = json_array_get(regions, 0);
    cr_assert_str_eq(json_string_value(json_object_get(first, "name")), "main");
    cr_assert_eq(json_integer_value(json_object_get(first, "incl_ns")), 10000000);
    cr_assert_eq(json_integer_value(json_object_get(first, "excl_ns")), 1000000);
    json_t *c = json_object_get(json_object_get(first, "counters"), "E");
    cr_assert_eq(json_integer_value(json_object_get(c, "incl")), 1000);
    cr_assert_eq(json_integer_value(json_object_get(c, "excl")), 100);
    json_t *tree = json_object_get(r, "tree");
    cr_assert_eq(json_array_size(tree), 4);
    json_t *lex = json_array_get(tree, 2);
    cr_assert_str_eq(json_string_value(json_object_get(lex, "name")), "lex");
    cr_assert_eq(json_integer_value(json_object_get(lex, "parent")), 2);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r, "totals"), "E")), 1000);
    json_decref(r);
    free(t);
    prof_model_free(m);
}

Test(json, valgrind_functions)
{
    prof_model *m = valgrind_model(PROF_CALLGRIND);
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_json, m, &o, NULL);
    json_t *r = json_loads(t, 0, NULL);
    cr_assert_not_null(r, "%s", t);
    cr_assert_str_eq(json_string_value(json_object_get(r, "tool")), "callgrind");
    cr_assert_eq(json_array_size(json_object_get(r, "events")), 2);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r, "totals"), "Ir")), 2100);
    json_t *f = json_array_get(json_object_get(r, "functions"), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "functions"), 0), "name")),
                     "work", "sorted by Ir self, as the callgrind command sorts");
    cr_assert_str_eq(json_string_value(json_object_get(f, "name")), "main");
    cr_assert_str_eq(json_string_value(json_object_get(f, "object")), "/bin/a");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(f, "self"), "Ir")), 100);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(f, "incl"), "Ir")), 2100);
    json_decref(r);
    free(t);
    prof_model_free(m);
    m = valgrind_model(PROF_CACHEGRIND);
    t = capture(view_json, m, &o, NULL);
    r = json_loads(t, 0, NULL);
    f = json_array_get(json_object_get(r, "functions"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(f, "name")), "work", "sorted by Ir self");
    cr_assert_null(json_object_get(f, "incl"), "cachegrind: no inclusive figures");
    json_decref(r);
    free(t);
    prof_model_free(m);
}

Test(table, valgrind_columns)
{
    prof_model *m = valgrind_model(PROF_CALLGRIND);
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_table, m, &o, NULL);
    cr_assert(strstr(t, "Ir self  Ir incl  Dr self  Dr incl  Ir self%  calls  function  location  object\n"), "%s", t);
    cr_assert(strstr(t, "    100    2.10K       10      510      4.8%      1  main      a.c:3     /bin/a\n"), "%s", t);
    free(t);
    prof_model_free(m);
    m = valgrind_model(PROF_CACHEGRIND);
    t = capture(view_table, m, &o, NULL);
    /* cachegrind counts no calls: no column of "-" */
    cr_assert(strstr(t, "Ir self  Dr self  Ir self%  function  location  object\n"), "%s", t);
    cr_assert(strstr(t, "  2.00K      500     95.2%  work      a.c:10    /bin/a\n"), "%s", t);
    free(t);
    prof_model_free(m);
}

Test(tree, callgrind_call_paths)
{
    prof_model *m = valgrind_model(PROF_CALLGRIND);
    size_t e = prof_model_edge(m, 0, 1);
    m->edges[e].calls = 7;
    m->edges[e].incl[0] = 2000;
    m->edges[e].incl[1] = 500;
    vg_call_paths(m);
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_tree, m, &o, NULL);
    cr_assert(strstr(t, "call paths estimated from callgrind's call edges"), "%s", t);
    cr_assert(strstr(t, "call path  Ir incl  Ir self  Dr incl  Dr self  Ir incl%  calls  location  object\n"), "%s", t);
    cr_assert(strstr(t, "\nmain         2.10K      100      510       10    100.0%      1  a.c:3     /bin/a\n"), "%s", t);
    cr_assert(strstr(t, "\n  work       2.00K    2.00K      500      500     95.2%      7  a.c:10    /bin/a\n"), "%s", t);
    free(t);
    o.limit = 1;
    t = capture(view_tree, m, &o, NULL);
    cr_assert_null(strstr(t, "work"), "%s", t);
    cr_assert(strstr(t, "(1 more call paths not shown: -n 1)"), "%s", t);
    free(t);
    prof_model_free(m);
    m = valgrind_model(PROF_CACHEGRIND);
    t = capture(view_tree, m, &o, NULL);
    cr_assert(strstr(t, "cachegrind records no calls, so no call tree: showing the table"), "%s", t);
    cr_assert(strstr(t, "Ir self  Dr self  Ir self%  function"), "%s", t);
    free(t);
    prof_model_free(m);
}

/* A's 9 cheap calls of f and B's 1 costly one: f calls g once per call, so
 * 9 of g's 10 calls lie under A > f, whatever the costs. */
Test(tree, callgrind_path_calls_follow_calls_not_cost)
{
    prof_model *m = prof_model_new(PROF_CALLGRIND, "callgrind");
    prof_model_metric(m, "Ir", 0);
    size_t a = prof_model_entry(m, "A", NULL, 0, NULL), b = prof_model_entry(m, "B", NULL, 0, NULL);
    size_t f = prof_model_entry(m, "f", NULL, 0, NULL), g = prof_model_entry(m, "g", NULL, 0, NULL);
    m->entries[a].calls = m->entries[b].calls = 1;
    m->entries[a].incl[0] = 100;
    m->entries[b].incl[0] = 900;
    m->entries[f].calls = 10;
    m->entries[f].self[0] = 900;
    m->entries[f].incl[0] = 1000;
    m->entries[g].calls = 10;
    m->entries[g].self[0] = m->entries[g].incl[0] = 100;
    m->totals[0] = 1000;
    size_t e = prof_model_edge(m, a, f);
    m->edges[e].calls = 9;
    m->edges[e].incl[0] = 100;
    e = prof_model_edge(m, b, f);
    m->edges[e].calls = 1;
    m->edges[e].incl[0] = 900;
    e = prof_model_edge(m, f, g);
    m->edges[e].calls = 10;
    m->edges[e].incl[0] = 100;
    vg_call_paths(m);
    uint64_t under_a = 0, under_b = 0, f_under_a = 0;
    for (size_t i = 1; i < m->n_nodes; i++) {
        const prof_node *n = &m->nodes[i];
        if (n->entry == f && m->nodes[n->parent].entry == a)
            f_under_a = n->calls;
        if (n->entry != g)
            continue;
        size_t root = m->nodes[n->parent].parent;
        if (m->nodes[root].entry == a)
            under_a = n->calls;
        if (m->nodes[root].entry == b)
            under_b = n->calls;
    }
    cr_assert_eq(f_under_a, 9);
    cr_assert_eq(under_a, 9, "g under A > f: %lu calls", (unsigned long)under_a);
    cr_assert_eq(under_b, 1, "g under B > f: %lu calls", (unsigned long)under_b);
    prof_model_free(m);
}

/* A recursive f called once from main calls g 10 times in all: the 9 calls f
 * makes of itself are not calls into it, so all 10 calls of g lie on the
 * path main > f > g. */
Test(tree, callgrind_recursive_caller_keeps_its_callees_calls)
{
    prof_model *m = prof_model_new(PROF_CALLGRIND, "callgrind");
    prof_model_metric(m, "Ir", 0);
    size_t mn = prof_model_entry(m, "main", NULL, 0, NULL);
    size_t f = prof_model_entry(m, "f", NULL, 0, NULL), g = prof_model_entry(m, "g", NULL, 0, NULL);
    m->entries[mn].calls = 1;
    m->entries[mn].incl[0] = 200;
    m->entries[f].calls = 10;
    m->entries[f].self[0] = 100;
    m->entries[f].incl[0] = 200;
    m->entries[g].calls = 10;
    m->entries[g].self[0] = m->entries[g].incl[0] = 100;
    m->totals[0] = 200;
    size_t e = prof_model_edge(m, mn, f);
    m->edges[e].calls = 1;
    m->edges[e].incl[0] = 200;
    e = prof_model_edge(m, f, f);   /* recursion: merged levels call themselves */
    m->edges[e].calls = 9;
    e = prof_model_edge(m, f, g);
    m->edges[e].calls = 10;
    m->edges[e].incl[0] = 100;
    vg_call_paths(m);
    uint64_t g_calls = 0;
    for (size_t i = 1; i < m->n_nodes; i++)
        if (m->nodes[i].entry == g)
            g_calls += m->nodes[i].calls;
    cr_assert_eq(g_calls, 10, "g's calls on main > f > g: %lu", (unsigned long)g_calls);
    prof_model_free(m);
}

/* ---- names that are not UTF-8 (valgrind's text files hold any bytes) -------- */

#define BAD_CG "# callgrind format\nversion: 1\ncreator: t\ncmd: ./p\xff\npositions: line\nevents: Ir\n\n" \
    "fl=(1) a\xe9.c\nfn=(1) ma\xffin</script>\n10 5\ncfn=(2) w\xfe\ncalls=1 20\n11 50\nfn=(2)\n20 50\n"

/* jansson refuses such strings: the json report lost the names and files,
 * speedscope wrote nothing (exit 1, no word) */
Test(json, names_that_are_not_utf8_are_kept_with_u_fffd)
{
    prof_model *m = prof_model_new(PROF_CALLGRIND, "callgrind");
    char err[512];
    cr_assert_eq(read_callgrind(m, tmp_file("bad.cg", BAD_CG), err, sizeof err), 0, "%s", err);
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_json, m, &o, NULL);
    json_error_t je;
    json_t *r = json_loads(t, 0, &je);
    cr_assert_not_null(r, "%s: %s", je.text, t);
    cr_assert_str_eq(json_string_value(json_object_get(r, "command")), "./p\xEF\xBF\xBD");
    json_t *fns = json_object_get(r, "functions");
    cr_assert_eq(json_array_size(fns), 2);
    const char *names[2], *files[2];
    for (size_t i = 0; i < 2; i++) {
        names[i] = json_string_value(json_object_get(json_array_get(fns, i), "name"));
        files[i] = json_string_value(json_object_get(json_array_get(fns, i), "file"));
        cr_assert(names[i] && files[i], "function %zu without its name or file: %s", i, t);
        cr_assert_str_eq(files[i], "a\xEF\xBF\xBD.c");
    }
    cr_assert(strcmp(names[0], "w\xEF\xBF\xBD") == 0 || strcmp(names[1], "w\xEF\xBF\xBD") == 0);
    cr_assert(strcmp(names[0], "ma\xEF\xBF\xBDin</script>") == 0 || strcmp(names[1], "ma\xEF\xBF\xBDin</script>") == 0);
    json_decref(r);
    free(t);
    int rc;
    t = capture(view_speedscope, m, &o, &rc);
    cr_assert_eq(rc, 0);
    r = json_loads(t, 0, &je);
    cr_assert_not_null(r, "%s: %s", je.text, t);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(r, "shared"), "frames")), 2, "%s", t);
    json_decref(r);
    free(t);
    prof_model_free(m);
}

/* A long name loses its generic arguments before its path, deepest first,
 * and never its function's name (the ryu trial: DHAT showed
 * "…t=i32> + core::marker::Sync + …RefUnwindSafe)>", no function). */
Test(views, fit_name_shortens_generics_first_and_keeps_the_function)
{
    char b[4 * VIEW_NAME_MAX];
    const char *n = "std::panicking::catch_unwind<i32, &(dyn core::ops::function::Fn<(), Output=i32> + "
                    "core::marker::Sync + core::panic::unwind_safe::RefUnwindSafe)>";
    cr_expect_str_eq(fit_name(b, sizeof b, n, 40), "std::panicking::catch_unwind<\u2026>");
    const char *v = "alloc::vec::Vec<alloc::boxed::Box<core::option::Option<u8>>>::with_capacity_in";
    cr_expect_str_eq(fit_name(b, sizeof b, v, 64), "alloc::vec::Vec<alloc::boxed::Box<\u2026>>::with_capacity_in");
    cr_expect_str_eq(fit_name(b, sizeof b, "map<&str, fn(&str) -> alloc::boxed::Box<str>>", 30),
                     "map<\u2026>");
    /* still too long: its end, the last segments of the path */
    cr_expect_str_eq(fit_name(b, sizeof b, "a_very_long_module::another_long_module::f<u8>", 20),
                     "\u2026r_long_module::f<\u2026>");
    cr_expect_str_eq(fit_name(b, sizeof b, "short<u8>", 20), "short<u8>");
}

/* DHAT's avg life is instructions a block, a count (42.1M), not 42083221.70;
 * reads/B a ratio with two decimals. */
Test(table, dhat_avg_life_as_a_count)
{
    prof_model *m = prof_model_new(PROF_DHAT, "dhat");
    prof_model_metric(m, "bytes", 0);
    prof_model_metric(m, "blocks", 0);
    prof_model_metric(m, "lifetime", 0);
    prof_model_metric(m, "reads", 0);
    derived d[8];
    size_t n = derived_figures(m, d, 8);
    int64_t vals[] = {100, 10, 420832217, 250};
    char buf[32];
    int life = 0, reads = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(d[i].label, "avg life") == 0) {
            life = 1;
            cr_assert_str_eq(fmt_derived(buf, sizeof buf, &d[i], vals, 0), "42.1M");
        }
        if (strcmp(d[i].label, "reads/B") == 0) {
            reads = 1;
            cr_assert_str_eq(fmt_derived(buf, sizeof buf, &d[i], vals, 0), "2.50");
        }
    }
    cr_assert(life && reads, "%zu derived figures", n);
    prof_model_free(m);
}
