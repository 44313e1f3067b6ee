/*
 * test_spread.c: each region's spread across the processes of a profile
 * (model/spread.h): its figures from processes' exclusive figures, then
 * through the dump reader (one sample per dump, its rank read), the views
 * (json per_process, csv columns, the table's section) and a json report
 * read back.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "model/derive.h"
#include "model/spread.h"
#include "readers/cprof_dump.h"
#include "readers/readers.h"

/* One process: entry e gets (time, counter) = v. */
static void process(prof_model *m, const size_t *e, const int64_t (*v)[2], size_t n)
{
    prof_spread_begin(m);
    for (size_t i = 0; i < n; i++)
        prof_spread_add(m, e[i], v[i]);
    prof_spread_end(m);
}

static prof_model *two_metrics(void)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "time", 1);
    prof_model_metric(m, "sde:::T::C", 0);
    prof_model_entry(m, "a", NULL, 0, NULL);
    prof_model_entry(m, "b", NULL, 0, NULL);
    return m;
}

#define FIG(m, e, k, f) cr_assert(prof_spread_of(m, e, k, &(f)), "no spread of entry %d metric %d", (int)(e), (int)(k))

Test(spread, min_median_max_mean_and_imbalance_over_the_processes_that_entered)
{
    prof_model *m = two_metrics();
    size_t ab[] = {0, 1}, a[] = {0}, aa[] = {0, 0};
    process(m, ab, (const int64_t[][2]){{100, 1}, {7, 5}}, 2);
    process(m, ab, (const int64_t[][2]){{300, 3}, {9, 5}}, 2);
    process(m, a, (const int64_t[][2]){{200, 2}}, 1);           /* never entered b */
    process(m, aa, (const int64_t[][2]){{150, 1}, {250, 1}}, 2); /* two records of a: one process's sum */
    cr_assert_eq(prof_spread_procs(m), 4);
    prof_spread_fig f;
    FIG(m, 0, 0, f);
    cr_assert_eq(f.procs, 4);
    cr_assert_eq(f.min, 100);
    cr_assert_eq(f.max, 400);
    cr_assert_float_eq(f.median, 250, 1e-12, "an even count: the mean of the middle two");
    cr_assert_float_eq(f.mean, 250, 1e-12);
    cr_assert_float_eq(f.imbalance, 0.375, 1e-12, "(max - mean) / max");
    FIG(m, 0, 1, f);
    cr_assert(f.min == 1 && f.max == 3 && f.median == 2 && f.mean == 2, "%ld %ld %g %g", (long)f.min, (long)f.max, f.median, f.mean);
    FIG(m, 1, 0, f);
    cr_assert_eq(f.procs, 2, "b: only the processes that entered it");
    cr_assert(f.min == 7 && f.max == 9 && f.median == 8);
    FIG(m, 1, 1, f);
    cr_assert(f.min == 5 && f.max == 5 && f.imbalance == 0, "all alike: no imbalance");
    prof_model_free(m);
}

Test(spread, an_odd_count_a_level_below_zero_and_a_later_event)
{
    prof_model *m = two_metrics();
    size_t a[] = {0};
    process(m, a, (const int64_t[][2]){{5, -4}}, 1);
    process(m, a, (const int64_t[][2]){{1, -2}}, 1);
    process(m, a, (const int64_t[][2]){{3, -9}}, 1);
    prof_spread_fig f;
    FIG(m, 0, 0, f);
    cr_assert(f.median == 3 && f.min == 1 && f.max == 5, "an odd count: the middle one");
    FIG(m, 0, 1, f);
    cr_assert(f.min == -9 && f.max == -2 && f.median == -4);
    cr_assert_eq(f.imbalance, 0, "a largest figure of 0 or below has no imbalance");
    prof_model_metric(m, "user::x", 0);   /* a later dump's event: only its processes have it */
    int64_t v[3] = {2, 0, 8};
    prof_spread_begin(m);
    prof_spread_add(m, 0, v);
    prof_spread_end(m);
    FIG(m, 0, 2, f);
    cr_assert(f.procs == 1 && f.min == 8, "the processes before it did not count it");
    FIG(m, 0, 0, f);
    cr_assert_eq(f.procs, 4);
    cr_assert(!prof_spread_of(m, 1, 0, &f), "nothing entered b");
    prof_spread_clear(m);
    cr_assert_eq(prof_spread_procs(m), 0);
    cr_assert(!prof_spread_of(m, 0, 0, &f));
    prof_model_free(m);
}

Test(spread, outside_begin_and_end_nothing_is_gathered)
{
    prof_model *m = two_metrics();
    int64_t v[2] = {1, 1};
    prof_spread_add(m, 0, v);   /* one thread merged on its own (--threads) */
    cr_assert_eq(prof_spread_procs(m), 0);
    prof_spread_fig f;
    cr_assert(!prof_spread_of(m, 0, 0, &f));
    prof_model_free(m);
}

/* ---- through the dump reader and the views ------------------------------------ */

#define EVENTS "{\"name\": \"sde:::T::C\", \"active\": true}"
#define OVERHEAD "{\"ns_per_pair\": 0, \"ns_inside\": 0, \"counters\": {}, \"counters_inside\": {}}"

/* A dump of one region "work" (excl time, counter) with `rank` (JSON text, or NULL: none). */
static const char *rank_dump(const char *name, const char *rank, long excl, long count)
{
    char reg[512], node[512];
    snprintf(reg, sizeof reg, "{\"name\": \"work\", \"file\": \"w.c\", \"line\": 1, \"calls\": 1, \"incl_calls\": 1, \"incl_ns\": %ld, "
             "\"excl_ns\": %ld, \"min_ns\": 1, \"max_ns\": 1, \"child_calls\": 0, \"desc_calls\": 0, "
             "\"counters\": {\"sde:::T::C\": {\"incl\": %ld, \"excl\": %ld}}}", excl, excl, count, count);
    snprintf(node, sizeof node, "{\"node\": 1, \"parent\": 0, \"region\": \"work\", \"file\": \"w.c\", \"line\": 1, "
             "\"calls\": 1, \"incl_ns\": %ld, \"excl_ns\": %ld, \"child_calls\": 0, \"desc_calls\": 0, "
             "\"counters\": {\"sde:::T::C\": {\"incl\": %ld, \"excl\": %ld}}}", excl, excl, count, count);
    char *t = dump_text("cprof-1", EVENTS, OVERHEAD, reg, node), *s = NULL;
    cr_assert(asprintf(&s, "{%s%s%s%s", rank ? "\"rank\": " : "", rank ? rank : "", rank ? ", " : "", t + 1) > 0);
    const char *p = tmp_file(name, s);
    free(s);
    free(t);
    return p;
}

static prof_model *ranks(long *rank_of, char **notes)
{
    const char *p[] = { rank_dump("cprof-h-1.json", "0", 1000, 100), rank_dump("cprof-h-2.json", "1", 3000, 200),
                        rank_dump("cprof-h-3.json", "2", 2000, 300), rank_dump("cprof-4.json", NULL, 6000, 400) };
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    for (size_t i = 0; i < 4; i++) {
        cprof_dump *d = cprof_dump_load(p[i], err, sizeof err);
        cr_assert_not_null(d, "%s", err);
        rank_of[i] = cprof_dump_rank(d);
        cprof_dump_merge(m, d, -1, 1);
        cprof_dump_free(d);
    }
    prof_derive_regions(m);
    *notes = m->n_notes ? m->notes[0] : NULL;
    return m;
}

Test(spread, each_dump_is_a_process_and_says_its_rank)
{
    long rank[4];
    char *note;
    prof_model *m = ranks(rank, &note);
    cr_assert(rank[0] == 0 && rank[1] == 1 && rank[2] == 2 && rank[3] == -1, "ranks %ld %ld %ld %ld",
              rank[0], rank[1], rank[2], rank[3]);
    cr_assert_null(note, "a dump without a rank is no warning: %s", note ? note : "");
    cr_assert_eq(prof_spread_procs(m), 4);
    prof_spread_fig f;
    FIG(m, 0, 1, f);
    cr_assert(f.min == 100 && f.max == 400 && f.median == 250 && f.mean == 250 && f.imbalance == 0.375);
    FIG(m, 0, 0, f);
    cr_assert(f.min == 1000 && f.max == 6000 && f.median == 2500 && f.mean == 3000 && f.imbalance == 0.5);
    prof_model_free(m);
}

Test(spread, a_rank_of_another_type_is_left_out_with_a_warning)
{
    const char *bad[] = { "\"3\"", "-1", "2.5", "4294967296", "[]" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[512];
        cprof_dump *d = cprof_dump_load(rank_dump("cprof-h-9.json", bad[i], 1, 1), err, sizeof err);
        cr_assert_not_null(d, "%s: %s", bad[i], err);
        cr_assert_eq(cprof_dump_rank(d), -1, "rank %s", bad[i]);
        prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
        cprof_dump_merge(m, d, -1, 1);
        int warned = 0;
        for (size_t k = 0; k < m->n_notes; k++)
            warned |= strstr(m->notes[k], "cprof-h-9.json: \"rank\": expected a non-negative integer or null, "
                                          "left out") != NULL;
        cr_assert(warned, "rank %s: no warning", bad[i]);
        prof_model_free(m);
        cprof_dump_free(d);
    }
}

Test(spread, the_views_show_it_and_a_report_keeps_it)
{
    long rank[4];
    char *note;
    prof_model *m = ranks(rank, &note);
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_json, m, &o, NULL);
    json_t *r = json_loads(t, 0, NULL);
    cr_assert_not_null(r, "%s", t);
    cr_assert_eq(json_integer_value(json_object_get(r, "processes")), 4);
    json_t *pp = json_object_get(json_array_get(json_object_get(r, "regions"), 0), "per_process");
    json_t *c = json_object_get(json_object_get(pp, "counters"), "sde:::T::C");
    cr_assert_eq(json_integer_value(json_object_get(pp, "processes")), 4);
    cr_assert(json_integer_value(json_object_get(c, "min")) == 100 && json_integer_value(json_object_get(c, "max")) == 400 &&
              json_integer_value(json_object_get(c, "median")) == 250 && json_real_value(json_object_get(c, "imbalance")) == 0.375,
              "%s", t);
    json_decref(r);
    char *csv = capture(view_csv, m, &o, NULL);
    cr_assert(strstr(csv, ",processes,excl_ns_min,excl_ns_median,excl_ns_max,excl_ns_mean,excl_ns_imbalance,"
                          "sde:::T::C_excl_min,"), "%s", csv);
    cr_assert(strstr(csv, ",4,1000,2500,6000,3000,0.5,100,250,400,250,0.375\r\n"), "%s", csv);
    char *table = capture(view_table, m, &o, NULL);
    cr_assert(strstr(table, "\nper process (4 processes): "), "%s", table);
    o.no_spread = 1;
    char *plain = capture(view_csv, m, &o, NULL);
    cr_assert_null(strstr(plain, "processes"), "no_spread: %s", plain);
    o.no_spread = 0;
    char err[512];
    report_json *rep = report_json_load_mem("r.json", t, strlen(t), err, sizeof err);
    cr_assert_not_null(rep, "%s", err);
    prof_model *back = prof_model_new(PROF_REGIONS, "cprof");
    report_json_merge(back, rep);
    prof_derive_regions(back);
    char *t2 = capture(view_json, back, &o, NULL);
    cr_assert_str_eq(t2, t, "the report read back prints as it was made");
    report_json_merge(back, rep);   /* two reports: their processes' figures are not there */
    cr_assert_eq(prof_spread_procs(back), 0);
    report_json_free(rep);
    const char *bad = "{\"format\": \"cprof-report-1\", \"tool\": \"cprof\", \"events\": [], \"totals\": {}, "
                      "\"processes\": 2, \"regions\": [{\"name\": \"w\", \"calls\": 1, \"excl_ns\": 1, \"min_ns\": 1, \"max_ns\": 1, "
                      "\"per_process\": {\"processes\": 2, \"excl_ns\": {\"min\": 1, \"max\": 2}}}], \"tree\": []}";
    cr_assert_null(report_json_load_mem("bad.json", bad, strlen(bad), err, sizeof err));
    cr_assert(strstr(err, "bad.json: regions[0].per_process.excl_ns.median: expected a number"), "%s", err);
    free(t);
    free(t2);
    free(csv);
    free(table);
    free(plain);
    prof_model_free(back);
    prof_model_free(m);
}
