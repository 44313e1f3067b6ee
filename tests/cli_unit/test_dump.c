/* test_dump.c: the cprof dump reader: exact merging, compensation, threads, and every kind of bad file. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "readers/readers.h"
#include "readers/cprof_dump.h"
#include "model/derive.h"
#include "model/trust.h"

#define EVENTS "{\"name\": \"sde:::T::C\", \"active\": true}, " \
               "{\"name\": \"PAPI_TOT_INS\", \"active\": false, \"reason\": \"Event does not exist\"}"
#define OVERHEAD "{\"ns_per_pair\": 10, \"ns_inside\": 2, \"counters\": {\"sde:::T::C\": 1}, " \
                 "\"counters_inside\": {\"sde:::T::C\": 0}}"
#define R_OUTER "{\"id\": 1, \"name\": \"outer\", \"file\": \"src/a.rs\", \"line\": 3, \"calls\": 2, " \
    "\"incl_ns\": 1000, \"excl_ns\": 400, \"min_ns\": 300, \"max_ns\": 700, \"incl_calls\": 2, " \
    "\"child_calls\": 4, \"desc_calls\": 4, \"counters\": {\"sde:::T::C\": {\"incl\": 100, \"excl\": 40}}}"
#define R_INNER "{\"id\": 2, \"name\": \"inner\", \"file\": \"src/a.rs\", \"line\": 9, \"calls\": 4, " \
    "\"incl_ns\": 600, \"excl_ns\": 600, \"min_ns\": 100, \"max_ns\": 200, \"incl_calls\": 4, " \
    "\"child_calls\": 0, \"desc_calls\": 0, \"counters\": {\"sde:::T::C\": {\"incl\": 60, \"excl\": 60}}}"
#define N_OUTER "{\"node\": 1, \"parent\": 0, \"region\": \"outer\", \"file\": \"src/a.rs\", \"line\": 3, " \
    "\"calls\": 2, \"incl_ns\": 1000, \"excl_ns\": 400, \"min_ns\": 300, \"max_ns\": 700, " \
    "\"child_calls\": 4, \"desc_calls\": 4, \"counters\": {\"sde:::T::C\": {\"incl\": 100, \"excl\": 40}}}"
#define N_INNER "{\"node\": 2, \"parent\": 1, \"region\": \"inner\", \"file\": \"src/a.rs\", \"line\": 9, " \
    "\"calls\": 4, \"incl_ns\": 600, \"excl_ns\": 600, \"min_ns\": 100, \"max_ns\": 200, " \
    "\"child_calls\": 0, \"desc_calls\": 0, \"counters\": {\"sde:::T::C\": {\"incl\": 60, \"excl\": 60}}}"

static const char *good_dump(void)
{
    char *t = dump_text("cprof-1", EVENTS, OVERHEAD, R_OUTER ", " R_INNER, N_OUTER ", " N_INNER);
    const char *p = tmp_file("cprof-100.json", t);
    free(t);
    return p;
}

Test(dump, raw_figures_without_compensation)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump_ex(m, good_dump(), 0, err, sizeof err), 0, "%s", err);
    cr_assert_eq(m->n_metrics, 2);
    cr_assert_str_eq(m->metrics[0].name, "time");
    cr_assert_str_eq(m->metrics[1].name, "sde:::T::C");
    prof_entry *o = &m->entries[model_entry(m, "outer")];
    cr_assert_eq(o->calls, 2);
    cr_assert_eq(o->incl[0], 1000);
    cr_assert_eq(o->self[0], 400);
    cr_assert_eq(o->min_ns, 300);
    cr_assert_eq(o->max_ns, 700);
    cr_assert_eq(o->incl[1], 100);
    cr_assert_eq(o->self[1], 40);
    cr_assert_str_eq(o->file, "src/a.rs");
    cr_assert_eq(o->line, 3);
    cr_assert_eq(m->totals[0], 1000);
    cr_assert_eq(m->totals[1], 100);
    cr_assert_eq(m->n_missing, 1);
    cr_assert_str_eq(m->missing[0].name, "PAPI_TOT_INS");
    cr_assert_str_eq(m->missing[0].reason, "Event does not exist");
    cr_assert_str_eq(m->command, "prog a");
    prof_model_free(m);
}

Test(dump, compensation_follows_the_documented_formulas)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, good_dump(), err, sizeof err), 0, "%s", err);
    prof_entry *o = &m->entries[model_entry(m, "outer")], *in = &m->entries[model_entry(m, "inner")];
    /* excl' = excl - child_calls*P - calls*I; incl' = incl - desc_calls*(P+I) - incl_calls*I */
    cr_assert_eq(o->self[0], 400 - 4 * 10 - 2 * 2);
    cr_assert_eq(o->incl[0], 1000 - 4 * 12 - 2 * 2);
    cr_assert_eq(in->self[0], 600 - 4 * 2);
    cr_assert_eq(in->incl[0], 600 - 4 * 2);
    cr_assert_eq(o->self[1], 40 - 4 * 1);
    cr_assert_eq(o->incl[1], 100 - 4 * 1);
    cr_assert_eq(in->self[1], 60);
    /* one call: less the average overhead of a call (outer: (4 * 12 + 2 * 2) / 2, inner:
     * I), at most the inclusive total, the mean between them */
    cr_assert_eq(o->min_ns, 300 - 26);
    cr_assert_eq(o->max_ns, 700 - 26);
    cr_assert_eq(in->min_ns, 100 - 2);
    cr_assert_eq(in->max_ns, 200 - 2);
    cr_assert_eq(m->totals[0], 356 + 592);
    /* tree nodes: the same, with calls for incl_calls */
    cr_assert_eq(m->n_nodes, 3);
    cr_assert_eq(m->nodes[1].incl[0], 948);
    cr_assert_eq(m->nodes[2].self[0], 592);
    cr_assert_eq(m->nodes[2].parent, 1);
    prof_model_free(m);
}

/* outer's shortest call (20 ns) is below the average overhead of its calls
 * (26: most of it its 4 inner calls' pairs): it made fewer inner calls than
 * most, so it loses the region's share of overhead (52 of 1000: 20 * 0.948
 * = 18.96), not all of it (a 0). */
Test(dump, a_shortest_call_below_the_average_overhead_loses_the_overhead_share)
{
    char *ro = strdup(R_OUTER), *no = strdup(N_OUTER);
    memcpy(strstr(ro, "\"min_ns\": 300"), "\"min_ns\":  20", 13);
    memcpy(strstr(no, "\"min_ns\": 300"), "\"min_ns\":  20", 13);
    char *buf = NULL;
    cr_assert_geq(asprintf(&buf, "%s, %s", ro, R_INNER), 0);
    char *nodes = NULL;
    cr_assert_geq(asprintf(&nodes, "%s, %s", no, N_INNER), 0);
    char *t = dump_text("cprof-1", EVENTS, OVERHEAD, buf, nodes);
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("short.json", t), err, sizeof err), 0, "%s", err);
    cr_assert_eq(m->entries[model_entry(m, "outer")].min_ns, 19);
    cr_assert_eq(m->entries[model_entry(m, "outer")].max_ns, 700 - 26);
    prof_model_free(m);
    m = prof_model_new(PROF_REGIONS, "cprof");
    cr_assert_eq(read_cprof_dump_ex(m, tmp_file("short.json", t), 0, err, sizeof err), 0, "%s", err);
    cr_assert_eq(m->entries[model_entry(m, "outer")].min_ns, 20, "raw: as measured");
    prof_model_free(m);
    free(t), free(buf), free(nodes), free(ro), free(no);
}

/* One call: its shortest, longest and mean are the one inclusive figure,
 * to the ns, however the subtraction rounds. */
Test(dump, a_one_call_region_has_one_figure)
{
    const char *oh = "{\"ns_per_pair\": 10.4, \"ns_inside\": 2.3}";
    char *t = dump_text("cprof-1", "", oh,
        "{\"name\": \"one\", \"file\": null, \"line\": 0, \"calls\": 1, \"incl_ns\": 1000, \"excl_ns\": 400, "
        "\"min_ns\": 1000, \"max_ns\": 1000, \"incl_calls\": 1, \"child_calls\": 3, \"desc_calls\": 3}, "
        "{\"name\": \"in\", \"file\": null, \"line\": 0, \"calls\": 3, \"incl_ns\": 600, \"excl_ns\": 600, "
        "\"min_ns\": 100, \"max_ns\": 300, \"incl_calls\": 3, \"child_calls\": 0, \"desc_calls\": 0}",
        "{\"node\": 1, \"parent\": 0, \"region\": \"one\", \"file\": null, \"line\": 0, \"calls\": 1, "
        "\"incl_ns\": 1000, \"excl_ns\": 400, \"min_ns\": 1000, \"max_ns\": 1000, \"child_calls\": 3, \"desc_calls\": 3}, "
        "{\"node\": 2, \"parent\": 1, \"region\": \"in\", \"file\": null, \"line\": 0, \"calls\": 3, "
        "\"incl_ns\": 600, \"excl_ns\": 600, \"min_ns\": 100, \"max_ns\": 300, \"child_calls\": 0, \"desc_calls\": 0}");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("one.json", t), err, sizeof err), 0, "%s", err);
    const prof_entry *e = &m->entries[model_entry(m, "one")];
    cr_assert_lt(e->incl[0], 1000);
    cr_assert_eq(e->min_ns, (uint64_t)e->incl[0], "min %llu, incl %lld", (unsigned long long)e->min_ns,
                 (long long)e->incl[0]);
    cr_assert_eq(e->max_ns, (uint64_t)e->incl[0]);
    free(t);
    prof_model_free(m);
}

Test(dump, compensation_clamps_at_zero)
{
    const char *oh = "{\"ns_per_pair\": 1000, \"ns_inside\": 1000}";
    char *t = dump_text("cprof-1", "", oh,
        "{\"name\": \"r\", \"file\": null, \"line\": 0, \"calls\": 1, \"incl_ns\": 5, \"excl_ns\": 5, "
        "\"min_ns\": 5, \"max_ns\": 5, \"incl_calls\": 1, \"child_calls\": 0, \"desc_calls\": 0}", "");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("c.json", t), err, sizeof err), 0, "%s", err);
    cr_assert_eq(m->entries[0].self[0], 0);
    cr_assert_eq(m->entries[0].incl[0], 0);
    cr_assert_eq(m->entries[0].min_ns, 0);
    cr_assert_eq(m->entries[0].max_ns, 0);
    cr_assert_null(m->entries[0].file);
    free(t);
    prof_model_free(m);
}

Test(dump, two_dumps_merge_regions_and_paths)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    const char *a = good_dump();
    /* a second process: inner called at top level (another path), outer with a longer call */
    char *t = dump_text("cprof-1", EVENTS, OVERHEAD,
        "{\"name\": \"inner\", \"file\": \"src/a.rs\", \"line\": 9, \"calls\": 1, \"incl_ns\": 50, "
        "\"excl_ns\": 50, \"min_ns\": 50, \"max_ns\": 50, \"incl_calls\": 1, \"child_calls\": 0, "
        "\"desc_calls\": 0, \"counters\": {\"sde:::T::C\": {\"incl\": 5, \"excl\": 5}}}, "
        "{\"name\": \"outer\", \"file\": \"src/a.rs\", \"line\": 3, \"calls\": 1, \"incl_ns\": 900, "
        "\"excl_ns\": 900, \"min_ns\": 900, \"max_ns\": 900, \"incl_calls\": 1, \"child_calls\": 0, "
        "\"desc_calls\": 0}",
        "{\"node\": 1, \"parent\": 0, \"region\": \"inner\", \"file\": \"src/a.rs\", \"line\": 9, "
        "\"calls\": 1, \"incl_ns\": 50, \"excl_ns\": 50, \"child_calls\": 0, \"desc_calls\": 0, "
        "\"counters\": {\"sde:::T::C\": {\"incl\": 5, \"excl\": 5}}}, "
        "{\"node\": 2, \"parent\": 0, \"region\": \"outer\", \"file\": \"src/a.rs\", \"line\": 3, "
        "\"calls\": 1, \"incl_ns\": 900, \"excl_ns\": 900, \"child_calls\": 0, \"desc_calls\": 0}");
    const char *b = tmp_file("cprof-101.json", t);
    free(t);
    cr_assert_eq(read_cprof_dump_ex(m, a, 0, err, sizeof err), 0, "%s", err);
    cr_assert_eq(read_cprof_dump_ex(m, b, 0, err, sizeof err), 0, "%s", err);
    cr_assert_eq(m->n_entries, 2);
    prof_entry *o = &m->entries[model_entry(m, "outer")], *in = &m->entries[model_entry(m, "inner")];
    cr_assert_eq(o->calls, 3);
    cr_assert_eq(o->incl[0], 1900);
    cr_assert_eq(o->min_ns, 300);
    cr_assert_eq(o->max_ns, 900);
    cr_assert_eq(in->calls, 5);
    cr_assert_eq(in->incl[1], 65);
    cr_assert_eq(in->min_ns, 50);
    /* paths: outer, outer/inner, inner: 3 nodes + root; outer path merged */
    cr_assert_eq(m->n_nodes, 4);
    cr_assert_eq(m->nodes[1].calls, 3);
    cr_assert_eq(m->nodes[2].calls, 4);
    cr_assert_eq(m->nodes[3].calls, 1);
    cr_assert_eq(m->nodes[3].parent, 0);
    cr_assert_eq(m->n_missing, 1, "a missing event is listed once");
    prof_model_free(m);
}

Test(dump, one_thread_at_a_time)
{
    char *t = dump_text("cprof-1", "", "{\"ns_per_pair\": 0, \"ns_inside\": 0}",
        "{\"name\": \"a\", \"file\": \"f\", \"line\": 1, \"calls\": 1, \"incl_ns\": 5, \"excl_ns\": 5, "
        "\"min_ns\": 5, \"max_ns\": 5, \"incl_calls\": 1, \"child_calls\": 0, \"desc_calls\": 0}", "");
    /* add a second thread by hand */
    char *end = strstr(t, "]}],");
    cr_assert_not_null(end);
    char *two = NULL;
    cr_assert(asprintf(&two, "%.*s]}, {\"tid\": 7, \"name\": \"w\", \"regions\": [{\"name\": \"b\", "
        "\"file\": \"f\", \"line\": 2, \"calls\": 3, \"incl_ns\": 9, \"excl_ns\": 9, \"min_ns\": 3, "
        "\"max_ns\": 3, \"incl_calls\": 3, \"child_calls\": 0, \"desc_calls\": 0}], \"tree\": []}%s",
        (int)(end - t), t, end + 2) > 0);
    char err[512];
    cprof_dump *d = cprof_dump_load(tmp_file("th.json", two), err, sizeof err);
    cr_assert_not_null(d, "%s", err);
    cr_assert_eq(cprof_dump_n_threads(d), 2);
    cr_assert_eq(cprof_dump_tid(d, 1), 7);
    cr_assert_str_eq(cprof_dump_thread_name(d, 1), "w");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    cprof_dump_merge(m, d, 1, 1);
    prof_derive_regions(m);   /* once merging is done */
    cr_assert_eq(m->n_entries, 1);
    cr_assert_str_eq(m->entries[0].name, "b");
    cr_assert_eq(m->entries[0].calls, 3);
    prof_model_free(m);
    cprof_dump_free(d);
    free(t);
    free(two);
}

/* ---- bad files: one line naming the file and where ---------------------- */

static void expect_error(const char *name, const char *text, const char *needle)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512] = "";
    const char *p = tmp_file(name, text);
    cr_assert_eq(read_cprof_dump(m, p, err, sizeof err), -1, "%s accepted", name);
    cr_assert(strstr(err, p) == err, "error does not start with the file: %s", err);
    cr_assert(strstr(err, needle) != NULL, "expected '%s' in: %s", needle, err);
    cr_assert(strchr(err, '\n') == NULL, "not one line: %s", err);
    cr_assert_eq(m->n_entries, 0, "a bad dump merged something");
    prof_model_free(m);
}

Test(dump_errors, truncated_names_the_byte)
{
    char *t = dump_text("cprof-1", EVENTS, OVERHEAD, R_OUTER, N_OUTER);
    t[250] = 0;
    expect_error("trunc.json", t, "byte 250 ");
    expect_error("trunc2.json", t, "truncated");
    free(t);
}

Test(dump_errors, empty_file)
{
    expect_error("empty.json", "", "truncated or empty");
}

Test(dump_errors, garbage_names_byte_line_column)
{
    expect_error("bad.json", "{\"format\": \"cprof-1\",\n \"pid\": 12x}", "byte 33 (line 2, column 11): corrupt dump");
}

Test(dump_errors, unknown_format_version)
{
    char *t = dump_text("cprof-3", "", OVERHEAD, "", "");
    expect_error("v3.json", t, "unknown dump format \"cprof-3\" (this cargo-profiler reads \"cprof-2\" and \"cprof-1\"");
    free(t);
}

Test(dump_errors, not_a_dump)
{
    expect_error("other.json", "{\"hello\": 1}", "not a cprof dump");
    expect_error("arr.json", "[1, 2]", "top level: expected a JSON object");
}

Test(dump_errors, missing_and_wrong_fields)
{
    char *t = dump_text("cprof-1", "", OVERHEAD,
        "{\"name\": \"r\", \"file\": \"f\", \"line\": 1, \"incl_ns\": 5, \"excl_ns\": 5, "
        "\"min_ns\": 5, \"max_ns\": 5, \"incl_calls\": 1, \"child_calls\": 0, \"desc_calls\": 0}", "");
    expect_error("nocalls.json", t, "threads[0].regions[0].calls: expected a field (missing)");
    free(t);
    t = dump_text("cprof-1", "", OVERHEAD,
        "{\"name\": 5, \"file\": \"f\", \"line\": 1, \"calls\": 1, \"incl_ns\": 5, \"excl_ns\": 5, "
        "\"min_ns\": 5, \"max_ns\": 5, \"incl_calls\": 1, \"child_calls\": 0, \"desc_calls\": 0}", "");
    expect_error("name.json", t, "threads[0].regions[0].name: expected a string");
    free(t);
    t = dump_text("cprof-1", "", "{\"ns_per_pair\": \"x\", \"ns_inside\": 1}", "", "");
    expect_error("oh.json", t, "overhead.ns_per_pair: expected a non-negative number");
    free(t);
}

Test(dump_errors, counters_of_an_inactive_event)
{
    char *t = dump_text("cprof-1", "{\"name\": \"E\", \"active\": false, \"reason\": \"no\"}", OVERHEAD,
        "{\"name\": \"r\", \"file\": \"f\", \"line\": 1, \"calls\": 1, \"incl_ns\": 5, \"excl_ns\": 5, "
        "\"min_ns\": 5, \"max_ns\": 5, \"incl_calls\": 1, \"child_calls\": 0, \"desc_calls\": 0, "
        "\"counters\": {\"E\": {\"incl\": 1, \"excl\": 1}}}", "");
    expect_error("inactive.json", t, "counters.\"E\": expected an event listed as active");
    free(t);
}

Test(dump_errors, tree_parents_first)
{
    char *t = dump_text("cprof-1", "", OVERHEAD, "",
        "{\"node\": 1, \"parent\": 2, \"region\": \"a\", \"file\": null, \"line\": 0, \"calls\": 1, "
        "\"incl_ns\": 1, \"excl_ns\": 1, \"child_calls\": 0, \"desc_calls\": 0}");
    expect_error("order.json", t, "threads[0].tree[0]: expected a parent listed before its child");
    free(t);
}

Test(dump_errors, duplicate_keys_rejected)
{
    expect_error("dup.json", "{\"format\": \"cprof-1\", \"format\": \"cprof-1\"}", "corrupt dump");
}

Test(dump_errors, missing_file)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, "/nonexistent/cprof-1.json", err, sizeof err), -1);
    cr_assert_str_eq(err, "/nonexistent/cprof-1.json: cannot open: No such file or directory");
    prof_model_free(m);
}

Test(sniff, by_content_not_name)
{
    cr_assert_eq(sniff_format(good_dump()), FILE_CPROF_DUMP);
    cr_assert_eq(sniff_format(tmp_file("x.json", "  {\"format\": \"cprof-9\"}")), FILE_CPROF_DUMP);
    cr_assert_eq(sniff_format(tmp_file("cprof-1.json", "{\"a\": 1}")), FILE_UNKNOWN);
    cr_assert_eq(sniff_format(tmp_file("a.txt", "# callgrind format\nversion: 1\n")), FILE_CALLGRIND);
    cr_assert_eq(sniff_format(tmp_file("b.txt", "desc: I1 cache\ncmd: ./a\nevents: Ir\n")), FILE_CACHEGRIND);
    /* a real cg.out has fn= lines too: still cachegrind */
    cr_assert_eq(sniff_format(tmp_file("d.txt", "desc: I1 cache: 32768 B\ncmd: ./a\nevents: Ir\n"
                                                "fl=a.c\nfn=main\n3 10\n")), FILE_CACHEGRIND);
    cr_assert_eq(sniff_format(tmp_file("e.txt", "events: Ir\nfl=a.c\nfn=main\n3 10\n")),
                 FILE_CALLGRIND);
    cr_assert_eq(sniff_format(tmp_file("c.txt", "hello\n")), FILE_OTHER);
    /* a manifest (similar trial: "corrupt dump: expected a value"), or any
     * JSON array: no profile read here is one */
    cr_assert_eq(sniff_format(tmp_file("Cargo.toml", "[package]\nname = \"a\"\n\n[features]\n"
                                                      "cprof = [\"dep:cprof\"]\n")), FILE_OTHER);
    cr_assert_eq(sniff_format(tmp_file("a.json", "[{\"format\": \"cprof-2\"}]")), FILE_OTHER);
    cr_assert_eq(sniff_format(tmp_file("e.cg", "")), FILE_EMPTY);
    cr_assert_eq(sniff_format(tmp_file("w.cg", " \n\t\n")), FILE_EMPTY);
    cr_assert_eq(sniff_format("/nonexistent"), FILE_UNKNOWN);
}

/* An async region: 2 completed calls in 5 polls (pairs). I goes with pairs. */
#define R_ASYNC "{\"id\": 1, \"name\": \"poll\", \"file\": \"a.rs\", \"line\": 1, \"calls\": 2, " \
    "\"pairs\": 5, \"incl_ns\": 1000, \"excl_ns\": 1000, \"min_ns\": 100, \"max_ns\": 300, " \
    "\"incl_calls\": 5, \"child_calls\": 0, \"desc_calls\": 0, \"counters\": {}}"
#define N_ASYNC "{\"node\": 1, \"parent\": 0, \"pairs\": 5, \"region\": \"poll\", \"file\": \"a.rs\", " \
    "\"line\": 1, \"calls\": 2, \"incl_ns\": 1000, \"excl_ns\": 1000, \"min_ns\": 100, " \
    "\"max_ns\": 300, \"child_calls\": 0, \"desc_calls\": 0, \"counters\": {}}"

Test(dump, compensation_counts_pairs_not_calls)
{
    char *t = dump_text("cprof-1", EVENTS, OVERHEAD, R_ASYNC, N_ASYNC);
    const char *p = tmp_file("cprof-101.json", t);
    free(t);
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, p, err, sizeof err), 0, "%s", err);
    prof_entry *e = &m->entries[model_entry(m, "poll")];
    cr_assert_eq(e->calls, 2);
    cr_assert_eq(e->self[0], 1000 - 5 * 2);
    cr_assert_eq(e->incl[0], 1000 - 5 * 2);
    cr_assert_eq(m->nodes[1].incl[0], 1000 - 5 * 2);
    prof_model_free(m);
}

/* A value out of range costs that value (read as 0, one warning naming it),
 * not the profile: the other regions and events are all there. */
Test(dump_errors, a_bad_value_costs_only_itself)
{
    char *t = dump_text("cprof-1", "", OVERHEAD,
        "{\"name\": \"r\", \"file\": \"f\", \"line\": 1, \"calls\": -1, \"incl_ns\": 5, \"excl_ns\": 5, "
        "\"min_ns\": 5, \"max_ns\": 5, \"incl_calls\": 1, \"child_calls\": 0, \"desc_calls\": 0}, "
        "{\"name\": \"s\", \"file\": \"f\", \"line\": -4, \"calls\": 2, \"incl_ns\": 7, \"excl_ns\": 7, "
        "\"min_ns\": 3, \"max_ns\": 4, \"incl_calls\": 2, \"child_calls\": 0, \"desc_calls\": 0}", "");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump_ex(m, tmp_file("neg.json", t), 0, err, sizeof err), 0, "%s", err);
    cr_assert_eq(m->n_entries, 2);
    prof_entry *s2 = &m->entries[model_entry(m, "s")];
    cr_assert_eq(s2->calls, 2);
    cr_assert_eq(s2->line, -4);
    cr_assert_eq(m->entries[model_entry(m, "r")].calls, 0);
    int warned = 0;
    for (size_t i = 0; i < m->n_notes; i++)
        warned |= strstr(m->notes[i], "warning: ") == m->notes[i] &&
                  strstr(m->notes[i], "1 value(s) out of range, read as 0") &&
                  strstr(m->notes[i], "threads[0].regions[0].calls: expected a non-negative integer");
    cr_assert(warned, "no warning naming the value");
    prof_model_free(m);
    free(t);
}

/* Counters are signed, as PAPI's: a level that goes down inside a region. */
Test(dump, a_counter_that_goes_down_is_read_as_it_is)
{
    const char *ev = "{\"name\": \"sde:::T::LEVEL\", \"active\": true}";
    char *t = dump_text("cprof-1", ev, "{\"ns_per_pair\": 0, \"ns_inside\": 0}",
        "{\"name\": \"r\", \"file\": \"f\", \"line\": 1, \"calls\": 1, \"incl_ns\": 5, \"excl_ns\": 5, "
        "\"min_ns\": 5, \"max_ns\": 5, \"incl_calls\": 1, \"child_calls\": 0, \"desc_calls\": 0, "
        "\"counters\": {\"sde:::T::LEVEL\": {\"incl\": -10, \"excl\": -10}}}",
        "{\"node\": 1, \"parent\": 0, \"region\": \"r\", \"file\": \"f\", \"line\": 1, \"calls\": 1, "
        "\"incl_ns\": 5, \"excl_ns\": 5, \"child_calls\": 0, \"desc_calls\": 0, "
        "\"counters\": {\"sde:::T::LEVEL\": {\"incl\": -10, \"excl\": -10}}}");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("level.json", t), err, sizeof err), 0, "%s", err);
    cr_assert_eq(m->entries[0].incl[1], -10);
    cr_assert_eq(m->entries[0].self[1], -10);
    cr_assert_eq(m->totals[1], -10);
    for (size_t i = 0; i < m->n_notes; i++)
        cr_assert(strncmp(m->notes[i], "warning", 7) != 0, "%s", m->notes[i]);
    prof_model_free(m);
    free(t);
}

/* ---- where the dumps were made ("host", "cpu") --------------------------- */

/* good_dump's text with "host" and "cpu" as given (JSON values; NULL: left out). */
static const char *placed_dump(const char *name, const char *host, const char *cpu)
{
    char *t = dump_text("cprof-1", EVENTS, OVERHEAD, R_OUTER ", " R_INNER, N_OUTER ", " N_INNER);
    char *s = NULL;
    cr_assert(asprintf(&s, "{%s%s%s%s%s%s%s", host ? "\"host\": " : "", host ? host : "",
                       host ? ", " : "", cpu ? "\"cpu\": " : "", cpu ? cpu : "", cpu ? ", " : "",
                       t + 1) > 0);
    const char *p = tmp_file(name, s);
    free(s);
    free(t);
    return p;
}

static prof_model *read_all(const char *const *paths, size_t n)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(read_cprof_dump_ex(m, paths[i], 0, err, sizeof err), 0, "%s", err);
    return m;
}

static int has_warning(const prof_model *m, const char *what)
{
    for (size_t i = 0; i < m->n_notes; i++)
        if (strncmp(m->notes[i], "warning: ", 9) == 0 && strstr(m->notes[i], what))
            return 1;
    return 0;
}

Test(dump, host_and_cpu_fill_the_model_its_json_and_its_header)
{
    const char *p = placed_dump("cprof-1.json", "\"build-7\"", "\"AMD EPYC 7763\"");
    prof_model *m = read_all(&p, 1);
    cr_assert_str_eq(m->host, "build-7");
    cr_assert_str_eq(m->cpu, "AMD EPYC 7763");
    cr_assert_eq(m->entries[model_entry(m, "outer")].calls, 2, "the figures are read as before");
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_json, m, &o, NULL);
    json_t *r = json_loads(t, 0, NULL);
    cr_assert_not_null(r, "%s", t);
    cr_assert_str_eq(json_string_value(json_object_get(r, "host")), "build-7");
    cr_assert_str_eq(json_string_value(json_object_get(r, "cpu")), "AMD EPYC 7763");
    json_decref(r);
    free(t);
    t = capture(view_table, m, &o, NULL);
    cr_assert(strstr(t, "cprof: prog a\nhost: build-7 (AMD EPYC 7763)\nevents: "), "%s", t);
    free(t);
    prof_model_free(m);
}

Test(dump, dumps_of_two_hosts_name_both_once)
{
    const char *p[] = { placed_dump("cprof-1.json", "\"a\"", "\"X\""),
                        placed_dump("cprof-2.json", "\"b\"", "\"X\""),
                        placed_dump("cprof-3.json", "\"a\"", "\"Y\""),
                        placed_dump("cprof-4.json", "\"b\"", "\"X\"") };
    prof_model *m = read_all(p, 4);
    cr_assert_str_eq(m->host, "a, b");
    cr_assert_str_eq(m->cpu, "X, Y");
    prof_model_free(m);
}

Test(dump, more_than_three_hosts_end_in_and_more)
{
    const char *p[] = { placed_dump("cprof-1.json", "\"a\"", NULL), placed_dump("cprof-2.json", "\"b\"", NULL),
                        placed_dump("cprof-3.json", "\"c\"", NULL), placed_dump("cprof-4.json", "\"d\"", NULL),
                        placed_dump("cprof-5.json", "\"e\"", NULL), placed_dump("cprof-6.json", "\"a\"", NULL),
                        placed_dump("cprof-7.json", "\"a, b\"", NULL) };
    prof_model *m = read_all(p, 4);
    cr_assert_str_eq(m->host, "a, b, c and more");
    cr_assert_null(m->cpu);
    prof_model_free(m);
    m = read_all(p, 7);
    cr_assert_str_eq(m->host, "a, b, c and more");
    prof_model_free(m);
}

/* POWER's CPU names hold ", ": each is found again whole, never listed twice. */
Test(dump, a_name_holding_a_comma_is_listed_once)
{
    const char *power = "\"POWER9 (raw), altivec supported\"";
    const char *p[] = { placed_dump("cprof-1.json", NULL, power), placed_dump("cprof-2.json", NULL, power),
                        placed_dump("cprof-3.json", NULL, "\"altivec\""),
                        placed_dump("cprof-4.json", NULL, power),
                        placed_dump("cprof-5.json", NULL, "\"Z\"") };
    prof_model *m = read_all(p, 4);
    cr_assert_str_eq(m->cpu, "POWER9 (raw), altivec supported, altivec");
    prof_model_free(m);
    m = read_all(p, 5);   /* it counts as two names: the list is full sooner */
    cr_assert_str_eq(m->cpu, "POWER9 (raw), altivec supported, altivec and more");
    prof_model_free(m);
}

Test(dump, a_dump_without_host_or_cpu_is_fine)
{
    const char *p[] = { good_dump(), placed_dump("cprof-1.json", "null", "null"),
                        placed_dump("cprof-2.json", "\"\"", NULL), placed_dump("cprof-3.json", "\"a\"", NULL) };
    prof_model *m = read_all(p, 3);
    cr_assert_null(m->host);
    cr_assert_null(m->cpu);
    cr_assert(!has_warning(m, ""), "an older dump is not a warning");
    view_opts o;
    view_opts_init(&o);
    char *t = capture(view_json, m, &o, NULL);
    json_t *r = json_loads(t, 0, NULL);
    cr_assert(json_is_null(json_object_get(r, "host")) && json_is_null(json_object_get(r, "cpu")), "%s", t);
    json_decref(r);
    free(t);
    t = capture(view_table, m, &o, NULL);
    cr_assert_null(strstr(t, "host: "), "%s", t);
    free(t);
    prof_model_free(m);
    m = read_all(p, 4);   /* the dumps that say are listed */
    cr_assert_str_eq(m->host, "a");
    prof_model_free(m);
}

Test(dump_errors, a_host_or_cpu_of_another_type_is_a_warning_not_a_failure)
{
    const char *p = placed_dump("cprof-1.json", "5", "[\"X\"]");
    prof_model *m = read_all(&p, 1);
    cr_assert_null(m->host);
    cr_assert_null(m->cpu);
    cr_assert_eq(m->entries[model_entry(m, "outer")].calls, 2, "the profile is read all the same");
    cr_assert(has_warning(m, "cprof-1.json: \"host\", \"cpu\": expected a string or null, left out"),
              "no warning naming both fields");
    prof_model_free(m);
    p = placed_dump("cprof-2.json", "\"h\"", "{}");
    m = read_all(&p, 1);
    cr_assert_str_eq(m->host, "h");
    cr_assert_null(m->cpu);
    cr_assert(has_warning(m, ": \"cpu\": expected a string or null"));
    cr_assert(!has_warning(m, "\"host\""));
    prof_model_free(m);
}

/* ---- a thread's totals (what it counted outside every region) ------------- */

/* A dump of one top-level region r whose counter's incl is `incl`, its
 * thread's "totals" of that counter `total` (JSON integers as text). */
static const char *totals_dump(const char *name, const char *incl, const char *total)
{
    char rec[1024], *t = NULL, *s = NULL;
    snprintf(rec, sizeof rec, "\"region\": \"r\", \"file\": \"f\", \"line\": 1, \"calls\": 1, \"incl_ns\": 5, "
             "\"excl_ns\": 5, \"min_ns\": 5, \"max_ns\": 5, \"child_calls\": 0, \"desc_calls\": 0, "
             "\"counters\": {\"sde:::T::C\": {\"incl\": %s, \"excl\": %s}}}", incl, incl);
    char region[1100], node[1100];
    snprintf(region, sizeof region, "{\"name\": \"r\", \"incl_calls\": 1, %s", rec + strlen("\"region\": \"r\", "));
    snprintf(node, sizeof node, "{\"node\": 1, \"parent\": 0, %s", rec);
    t = dump_text("cprof-1", "{\"name\": \"sde:::T::C\", \"active\": true}",
                  "{\"ns_per_pair\": 0, \"ns_inside\": 0}", region, node);
    const char *open = strstr(t, "\"open\": 0,");
    cr_assert(open);
    cr_assert(asprintf(&s, "%.*s\"totals\": {\"sde:::T::C\": %s}, %s", (int)(open - t), t, total, open) > 0);
    const char *p = tmp_file(name, s);
    free(s);
    free(t);
    return p;
}

Test(dump, totals_outside_the_regions_go_to_the_totals)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, totals_dump("tot.json", "60", "100"), err, sizeof err), 0, "%s", err);
    cr_assert_eq(m->entries[0].incl[1], 60);
    cr_assert_eq(m->totals[1], 100);
    prof_model_free(m);
}

/* totals less the top-level figures is held at int64's ends, not undefined
 * (UBSan aborted on both) */
Test(dump, totals_at_the_ends_of_int64_do_not_overflow)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, totals_dump("totmin.json", "1", "-9223372036854775808"), err, sizeof err),
                 0, "%s", err);
    cr_assert_eq(m->totals[1], 1, "nothing outside: the region's 1");
    prof_model_free(m);
    m = prof_model_new(PROF_REGIONS, "cprof");
    cr_assert_eq(read_cprof_dump(m, totals_dump("totmax.json", "-5", "9223372036854775807"), err, sizeof err),
                 0, "%s", err);
    cr_assert_eq(m->entries[0].incl[1], -5);
    cr_assert_eq(m->totals[1], INT64_MAX - 5, "outside held at INT64_MAX, plus the region's -5");
    prof_model_free(m);
}

/*
 * A throttled child (docs/dump-format.md): its 400 calls are 10 timed, its
 * figures scaled; its parent's 400 child calls are 10 timed (child_timed
 * absent: child_calls - child_untimed) and 390 untimed. With P = 10, I = 2,
 * U = 1: excl' = excl - CT * P - CU * (U - I) - pairs * I.
 */
Test(dump, compensation_per_call_kind_and_the_marks)
{
    const char *oh = "{\"ns_per_pair\": 10, \"ns_inside\": 2, \"ns_untimed\": 1}";
    char *t = dump_text("cprof-1", "", oh, "",
        "{\"node\": 1, \"parent\": 0, \"region\": \"outer\", \"file\": \"a.c\", \"line\": 1, \"pairs\": 2, "
        "\"calls\": 2, \"incl_ns\": 3000, \"excl_ns\": 1000, \"min_ns\": 1, \"max_ns\": 2000, "
        "\"child_calls\": 400, \"desc_calls\": 400, \"child_untimed\": 390}, "
        "{\"node\": 2, \"parent\": 1, \"region\": \"inner\", \"file\": \"a.c\", \"line\": 2, \"pairs\": 400, "
        "\"calls\": 400, \"incl_ns\": 2000, \"excl_ns\": 2000, \"min_ns\": 3, \"max_ns\": 9, "
        "\"child_calls\": 0, \"desc_calls\": 0, \"timed\": 10, \"period\": 64, \"child_timed\": 0}");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("thr.json", t), err, sizeof err), 0, "%s", err);
    prof_entry *o = &m->entries[model_entry(m, "outer")], *in = &m->entries[model_entry(m, "inner")];
    cr_assert_eq(o->self[0], 1000 - 10 * 10 - 390 * (1 - 2) - 2 * 2);
    cr_assert_eq(in->self[0], 2000 - 400 * 2);
    cr_assert_eq(o->incl[0], 1286 + 1200);
    cr_assert(!prof_entry_sampled(o) && prof_entry_sampled(in));
    cr_assert_eq(prof_entry_sampling(in), 40, "pairs / timed");
    cr_assert_float_eq(prof_entry_overhead_share(in), 0.4, 1e-9);   /* 800 of 2000 measured */
    cr_assert_float_eq(prof_entry_overhead_share(o), (800.0 - 286) / 3000, 1e-9);
    cr_assert(prof_entry_low_trust(m, in) && !prof_entry_low_trust(m, o));
    prof_model_free(m);
    /* raw: nothing subtracted, the shares the same */
    m = prof_model_new(PROF_REGIONS, "cprof");
    cr_assert_eq(read_cprof_dump_ex(m, tmp_file("thr.json", t), 0, err, sizeof err), 0, "%s", err);
    o = &m->entries[model_entry(m, "outer")];
    cr_assert_eq(o->self[0], 1000);
    cr_assert_float_eq(prof_entry_overhead_share(&m->entries[model_entry(m, "inner")]), 0.4, 1e-9);
    prof_model_free(m);
    free(t);
}

/* A throttled node's excl_ns may be below 0 (its children's estimates):
 * read as 0, no time being below none; the other optional fields must be
 * counts. */
Test(dump_errors, throttling_fields)
{
    char *t = dump_text("cprof-1", "", "{\"ns_per_pair\": 1, \"ns_inside\": 1, \"ns_untimed\": -1}", "", "");
    expect_error("u.json", t, "overhead.ns_untimed: expected a non-negative number");
    free(t);
    t = dump_text("cprof-1", "", "{\"ns_per_pair\": 1, \"ns_inside\": 1}", "",
        "{\"node\": 1, \"parent\": 0, \"region\": \"r\", \"file\": null, \"line\": 0, \"calls\": 1, "
        "\"incl_ns\": 5, \"excl_ns\": -5, \"child_calls\": 0, \"desc_calls\": 0, \"timed\": \"x\"}");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("t.json", t), err, sizeof err), 0, "%s", err);
    cr_assert_eq(m->entries[0].self[0], 0, "a negative excl_ns is read as 0");
    cr_assert(!prof_entry_sampled(&m->entries[0]), "a bad timed is read as every call timed");
    prof_model_free(m);
    free(t);
}
