/* test_report_json.c: reading our own --format json reports back: regions with
 * their tree, valgrind functions with files and edges, reports cut by -n, a
 * round trip through the json view, and every kind of bad report. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "readers/readers.h"
#include "model/derive.h"

#define HEAD(tool, events) "{\"format\": \"cprof-report-1\", \"tool\": \"" tool "\", " \
    "\"command\": \"./app -x\", \"events\": " events ", "
#define R_EV "[\"sde:::T::C\"]"
#define OUTER_ROW "{\"name\": \"a::outer\", \"file\": \"src/a.rs\", \"line\": 3, \"label\": \"a::outer\", " \
    "\"calls\": 2, \"incl_ns\": 1000, \"excl_ns\": 400, \"min_ns\": 300, \"max_ns\": 700, \"mean_ns\": 500, " \
    "\"child_calls\": 4, \"desc_calls\": 4, \"counters\": {\"sde:::T::C\": {\"incl\": 100, \"excl\": 40}}}"
#define INNER_ROW "{\"name\": \"a::inner\", \"file\": \"src/a.rs\", \"line\": 9, " \
    "\"calls\": 4, \"incl_ns\": 600, \"excl_ns\": 600, \"min_ns\": 100, \"max_ns\": 200, \"mean_ns\": 150, " \
    "\"child_calls\": 0, \"desc_calls\": 0, \"counters\": {\"sde:::T::C\": {\"incl\": 60, \"excl\": 60}}}"
#define OUTER_NODE "{\"node\": 1, \"parent\": 0, \"name\": \"a::outer\", \"file\": \"src/a.rs\", \"line\": 3, " \
    "\"calls\": 2, \"incl_ns\": 1000, \"excl_ns\": 400, \"child_calls\": 4, \"desc_calls\": 4, " \
    "\"counters\": {\"sde:::T::C\": {\"incl\": 100, \"excl\": 40}}}"
#define INNER_NODE "{\"node\": 2, \"parent\": 1, \"name\": \"a::inner\", \"file\": \"src/a.rs\", \"line\": 9, " \
    "\"calls\": 4, \"incl_ns\": 600, \"excl_ns\": 600, \"child_calls\": 0, \"desc_calls\": 0, " \
    "\"counters\": {\"sde:::T::C\": {\"incl\": 60, \"excl\": 60}}}"
#define REGIONS_REPORT REGIONS_REPORT_C("true")
#define REGIONS_REPORT_C(comp) HEAD("cprof", R_EV) \
    "\"missing\": [{\"name\": \"PAPI_TOT_INS\", \"reason\": \"Event does not exist\"}], " \
    "\"totals\": {\"time_ns\": 1000, \"sde:::T::C\": 100}, \"notes\": [\"overhead compensation: applied (x)\"], " \
    "\"program\": {\"signal\": \"SIGSEGV\", \"signo\": 11}, \"rows_total\": 2, \"compensated\": " comp ", " \
    "\"regions\": [" OUTER_ROW ", " INNER_ROW "], \"tree\": [" OUTER_NODE ", " INNER_NODE "]}"

#define FN_WORK "{\"name\": \"work\", \"file\": \"main.c\", \"line\": 20, \"object\": \"/bin/p\", \"calls\": 2, " \
    "\"self\": {\"Ir\": 200, \"Dr\": 20}, \"incl\": {\"Ir\": 300, \"Dr\": 30}, " \
    "\"files\": [{\"name\": \"main.c\", \"line\": 20, \"cost\": 150}, {\"name\": \"inl.h\", \"line\": 4, \"cost\": 50}]}"
#define FN_MAIN "{\"name\": \"main\", \"file\": \"main.c\", \"line\": 10, \"object\": \"/bin/p\", \"calls\": 0, " \
    "\"self\": {\"Ir\": 24, \"Dr\": 4}, \"incl\": {\"Ir\": 324, \"Dr\": 34}}"
#define CALLGRIND_REPORT HEAD("callgrind", "[\"Ir\", \"Dr\"]") \
    "\"missing\": [], \"totals\": {\"Ir\": 1000, \"Dr\": 100}, \"notes\": [], \"rows_total\": 2, " \
    "\"functions\": [" FN_WORK ", " FN_MAIN "], " \
    "\"edges\": [{\"caller\": 1, \"callee\": 0, \"calls\": 2, \"incl\": {\"Ir\": 300, \"Dr\": 30}}]}"

static size_t entry(const prof_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_entries; i++)
        if (strcmp(m->entries[i].name, name) == 0)
            return i;
    cr_assert_fail("no entry %s", name);
    return 0;
}

static prof_model *read_ok(prof_kind k, const char *text)
{
    prof_model *m = prof_model_new(k, k == PROF_REGIONS ? "cprof" : k == PROF_CALLGRIND ? "callgrind" : "cachegrind");
    char err[512] = "";
    cr_assert_eq(read_report_json(m, tmp_file("r.json", text), err, sizeof err), 0, "%s", err);
    return m;
}

/* One line naming the file, and containing `what`. */
static void read_bad(const char *text, const char *what)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512] = "";
    const char *path = tmp_file("bad.json", text);
    cr_assert_eq(read_report_json(m, path, err, sizeof err), -1, "accepted: %s", text);
    cr_assert(strncmp(err, path, strlen(path)) == 0 && err[strlen(path)] == ':', "no file named: %s", err);
    cr_assert(strchr(err, '\n') == NULL, "more than one line: %s", err);
    cr_assert(strstr(err, what) != NULL, "expected '%s' in: %s", what, err);
    cr_assert_eq(m->n_entries, 0, "a bad report changed the model");
    prof_model_free(m);
}

Test(report_json, regions_with_tree)
{
    prof_model *m = read_ok(PROF_REGIONS, REGIONS_REPORT);
    cr_assert_eq(m->n_metrics, 2);
    cr_assert_str_eq(m->metrics[0].name, "time");
    cr_assert(m->metrics[0].is_time);
    cr_assert_str_eq(m->metrics[1].name, "sde:::T::C");
    const prof_entry *o = &m->entries[entry(m, "a::outer")], *in = &m->entries[entry(m, "a::inner")];
    cr_assert_eq(o->calls, 2);
    cr_assert_eq(o->incl[0], 1000);
    cr_assert_eq(o->self[0], 400);
    cr_assert_eq(o->incl[1], 100);
    cr_assert_eq(o->self[1], 40);
    cr_assert_eq(o->min_ns, 300);
    cr_assert_eq(o->max_ns, 700);
    cr_assert_eq(o->child_calls, 4);
    cr_assert_eq(o->desc_calls, 4);
    cr_assert_str_eq(o->file, "src/a.rs");
    cr_assert_eq(o->line, 3);
    cr_assert_str_eq(o->label, "a::outer");
    cr_assert_eq(in->calls, 4);
    cr_assert_eq(in->self[1], 60);
    cr_assert_eq(in->min_ns, 100);
    cr_assert_eq(m->totals[0], 1000);
    cr_assert_eq(m->totals[1], 100);
    /* the tree: root, outer, inner under outer */
    cr_assert_eq(m->n_nodes, 3);
    cr_assert_eq(m->nodes[1].parent, 0);
    cr_assert_eq(m->nodes[1].entry, entry(m, "a::outer"));
    cr_assert_eq(m->nodes[2].parent, 1);
    cr_assert_eq(m->nodes[2].entry, entry(m, "a::inner"));
    cr_assert_eq(m->nodes[1].incl[0], 1000);
    cr_assert_eq(m->nodes[2].self[1], 60);
    cr_assert_eq(m->n_missing, 1);
    cr_assert_str_eq(m->missing[0].name, "PAPI_TOT_INS");
    cr_assert_str_eq(m->missing[0].reason, "Event does not exist");
    cr_assert_eq(m->n_notes, 1, "no warning for a whole, consistent report");
    cr_assert_str_eq(m->notes[0], "overhead compensation: applied (x)");
    cr_assert_str_eq(m->command, "./app -x");
    cr_assert(m->program_known);
    cr_assert_eq(m->program_signal, 11);
    prof_model_free(m);
}

Test(report_json, load_says_kind_and_compensation)
{
    char err[512];
    report_json *r = report_json_load(tmp_file("r.json", REGIONS_REPORT), err, sizeof err);
    cr_assert(r != NULL, "%s", err);
    cr_assert_eq(report_json_kind(r), PROF_REGIONS);
    cr_assert(report_json_compensated(r));
    report_json_free(r);
    r = report_json_load(tmp_file("raw.json", REGIONS_REPORT_C("false")), err, sizeof err);
    cr_assert(r != NULL, "%s", err);
    cr_assert_not(report_json_compensated(r));
    report_json_free(r);
}

Test(report_json, two_reports_add_up)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_report_json(m, tmp_file("a.json", REGIONS_REPORT), err, sizeof err), 0, "%s", err);
    cr_assert_eq(read_report_json(m, tmp_file("b.json", REGIONS_REPORT), err, sizeof err), 0, "%s", err);
    const prof_entry *o = &m->entries[entry(m, "a::outer")];
    cr_assert_eq(o->calls, 4);
    cr_assert_eq(o->incl[0], 2000);
    cr_assert_eq(o->min_ns, 300);
    cr_assert_eq(m->n_nodes, 3, "nodes merged by call path");
    cr_assert_eq(m->n_notes, 1, "the same note once");
    prof_model_free(m);
}

Test(report_json, region_without_node_is_a_path_of_its_own)
{
    prof_model *m = read_ok(PROF_REGIONS, HEAD("cprof", R_EV) "\"regions\": [" OUTER_ROW ", " INNER_ROW "], "
                            "\"tree\": [" OUTER_NODE "]}");
    const prof_entry *in = &m->entries[entry(m, "a::inner")];
    cr_assert_eq(in->calls, 4);
    cr_assert_eq(in->self[0], 600);
    cr_assert_eq(m->n_nodes, 3);
    cr_assert_eq(m->nodes[2].parent, 0);
    prof_model_free(m);
}

Test(report_json, rows_that_disagree_with_the_tree_are_said)
{
    char *t = strdup(REGIONS_REPORT);
    memcpy(strstr(t, "\"excl_ns\": 400"), "\"excl_ns\": 401", 14);   /* the row, not the node */
    prof_model *m = read_ok(PROF_REGIONS, t);
    cr_assert_eq(m->entries[entry(m, "a::outer")].self[0], 400, "the tree's figures");
    cr_assert(m->n_notes == 2 && strstr(m->notes[1], "regions[0] (a::outer): figures differ"), "%s",
              m->n_notes > 1 ? m->notes[1] : "no warning");
    prof_model_free(m);
    free(t);
}

Test(report_json, top_n_regions_warns)
{
    prof_model *m = read_ok(PROF_REGIONS, HEAD("cprof", R_EV) "\"rows_total\": 2, \"regions\": [" OUTER_ROW "], "
                            "\"tree\": [" OUTER_NODE ", " INNER_NODE "]}");
    cr_assert_eq(m->n_entries, 2, "the tree has every region");
    cr_assert_eq(m->entries[entry(m, "a::inner")].calls, 4);
    cr_assert_eq(m->entries[entry(m, "a::inner")].max_ns, 0, "not in the rows");
    cr_assert_eq(m->n_notes, 1);
    cr_assert(strncmp(m->notes[0], "warning: ", 9) == 0 && strstr(m->notes[0], "r.json: a report of the top 1 of 2 regions"),
              "%s", m->notes[0]);
    prof_model_free(m);
}

Test(report_json, callgrind_functions_files_edges)
{
    prof_model *m = read_ok(PROF_CALLGRIND, CALLGRIND_REPORT);
    cr_assert_eq(m->n_metrics, 2);
    cr_assert_str_eq(m->metrics[0].name, "Ir");
    cr_assert_not(m->metrics[0].is_time);
    const prof_entry *w = &m->entries[entry(m, "work")];
    cr_assert_eq(w->calls, 2);
    cr_assert_eq(w->self[0], 200);
    cr_assert_eq(w->incl[1], 30);
    cr_assert(w->has_incl);
    cr_assert_str_eq(w->object, "/bin/p");
    cr_assert_eq(w->n_files, 2);
    cr_assert_str_eq(w->files[1].name, "inl.h");
    cr_assert_eq(w->files[1].cost, 50);
    cr_assert_str_eq(w->file, "main.c", "the row's file stays");
    cr_assert_eq(m->totals[0], 1000, "the report's totals, not the rows' sum");
    cr_assert_eq(m->n_edges, 1);
    cr_assert_eq(m->edges[0].caller, entry(m, "main"));
    cr_assert_eq(m->edges[0].callee, entry(m, "work"));
    cr_assert_eq(m->edges[0].calls, 2);
    cr_assert_eq(m->edges[0].incl[0], 300);
    cr_assert_eq(m->n_notes, 0);
    prof_model_free(m);
}

Test(report_json, cachegrind_has_no_inclusive)
{
    prof_model *m = read_ok(PROF_CACHEGRIND, HEAD("cachegrind", "[\"Ir\"]") "\"rows_total\": 3, "
                            "\"functions\": [{\"name\": \"f\", \"file\": \"a.c\", \"line\": 1, \"object\": null, "
                            "\"calls\": 0, \"self\": {\"Ir\": 7}}]}");
    cr_assert_eq(m->n_entries, 1);
    cr_assert_not(m->entries[0].has_incl);
    cr_assert_eq(m->entries[0].self[0], 7);
    cr_assert_eq(m->totals[0], 7, "no totals: the rows' sum");
    cr_assert(m->n_notes == 1 && strstr(m->notes[0], "a report of the top 1 of 3 functions (-n): figures of "
                                        "the others are missing"), "%s", m->n_notes ? m->notes[0] : "none");
    prof_model_free(m);
}

/* A profile printed as a report and read back prints the same report. */
Test(report_json, round_trip_through_the_json_view)
{
    char *d = dump_text("cprof-1", "{\"name\": \"sde:::T::C\", \"active\": true}", "{\"ns_per_pair\": 10, \"ns_inside\": 2}",
        "{\"id\": 1, \"name\": \"a::outer\", \"file\": \"src/a.rs\", \"line\": 3, \"calls\": 2, \"incl_ns\": 1000, "
        "\"excl_ns\": 400, \"min_ns\": 300, \"max_ns\": 700, \"incl_calls\": 2, \"child_calls\": 4, "
        "\"desc_calls\": 4, \"counters\": {\"sde:::T::C\": {\"incl\": 100, \"excl\": 40}}}",
        "{\"node\": 1, \"parent\": 0, \"region\": \"a::outer\", \"file\": \"src/a.rs\", \"line\": 3, \"calls\": 2, "
        "\"incl_ns\": 1000, \"excl_ns\": 400, \"child_calls\": 4, \"desc_calls\": 4, "
        "\"counters\": {\"sde:::T::C\": {\"incl\": 100, \"excl\": 40}}}");
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump(m, tmp_file("cprof-1.json", d), err, sizeof err), 0, "%s", err);
    prof_derive_labels(m);
    view_opts o;
    view_opts_init(&o);
    char *first = capture(view_json, m, &o, NULL);
    prof_model *back = read_ok(PROF_REGIONS, first);
    char *second = capture(view_json, back, &o, NULL);
    cr_assert_str_eq(second, first);
    cr_assert_eq(back->entries[0].self[0], 400 - 4 * 10 - 2 * 2, "compensated once, by the dump reader");
    free(first);
    free(second);
    free(d);
    prof_model_free(m);
    prof_model_free(back);
}

Test(report_json, sniff_tells_reports_from_dumps)
{
    cr_assert_eq(sniff_format(tmp_file("r.json", REGIONS_REPORT)), FILE_CPROF_REPORT);
    cr_assert_eq(sniff_format(tmp_file("r2.json", "{\n \"format\" :\n \"cprof-report-7\"}")), FILE_CPROF_REPORT);
    cr_assert_eq(sniff_format(tmp_file("d.json", "{\"format\": \"cprof-1\", \"pid\": 1}")), FILE_CPROF_DUMP);
    cr_assert_eq(sniff_format(tmp_file("n.json", "{\"name\": \"format\", \"format\": \"cprof-1\"}")), FILE_CPROF_DUMP);
}

Test(report_json, bad_reports)
{
    read_bad("{\"format\": \"cprof-report-1\",\n \"tool\": x}", "line 2, column");
    read_bad("{\"format\": \"cprof-report-1\", ", "truncated");
    read_bad("", "truncated");
    read_bad("[1]", "top level: expected a JSON object");
    read_bad("{\"tool\": \"cprof\"}", "not a cargo-profiler report (no \"format\" field)");
    read_bad("{\"format\": \"cprof-report-2\"}", "unknown report format \"cprof-report-2\" (this cargo-profiler reads \"cprof-report-1\"");
    read_bad("{\"format\": \"cprof-1\"}", "expected a cargo-profiler report");
    read_bad("{\"format\": \"cprof-report-1\", \"tool\": \"perf\"}", "tool: expected \"cprof\", \"callgrind\", \"cachegrind\" or \"dhat\"");
    read_bad(HEAD("cprof", "\"x\"") "\"regions\": []}", "events: expected an array");
    read_bad(HEAD("cprof", "[1]") "\"regions\": []}", "events[0]: expected an event name");
    read_bad(HEAD("cprof", R_EV) "\"tree\": []}", "regions: expected an array");
    read_bad(HEAD("cprof", R_EV) "\"regions\": [{\"name\": \"a\", \"calls\": \"2\", \"excl_ns\": 1}]}",
             "regions[0].calls: expected a non-negative integer");
    read_bad(HEAD("cprof", R_EV) "\"regions\": [{\"name\": \"a\", \"calls\": -1, \"excl_ns\": 1}]}",
             "regions[0].calls: expected a non-negative integer");
    read_bad(HEAD("cprof", R_EV) "\"regions\": [], \"tree\": [" INNER_NODE "]}", "tree[0]: expected node ids 1, 2, 3");
    read_bad(HEAD("cprof", R_EV) "\"regions\": [], \"tree\": [{\"node\": 1, \"parent\": 0, \"name\": \"a\", "
             "\"calls\": 1, \"excl_ns\": 1, \"counters\": {\"PAPI_X\": {\"incl\": 1, \"excl\": 1}}}]}",
             "tree[0].counters.\"PAPI_X\": expected an event listed in \"events\"");
    read_bad(HEAD("cprof", R_EV) "\"regions\": [], \"notes\": [1]}", "notes[0]: expected a string");
    read_bad(HEAD("cprof", R_EV) "\"regions\": [], \"program\": {\"status\": \"0\"}}", "program.status: expected an integer");
    read_bad(HEAD("cprof", R_EV) "\"regions\": [], \"compensated\": 1}", "compensated: expected true or false");
    read_bad(HEAD("callgrind", "[\"Ir\"]") "\"regions\": []}", "functions: expected an array");
    read_bad(HEAD("callgrind", "[\"Ir\"]") "\"functions\": [{\"name\": \"f\", \"self\": {\"Ir\": 1.5}}]}",
             "functions[0].Ir: expected an integer");
    read_bad(HEAD("callgrind", "[\"Ir\"]") "\"functions\": [{\"name\": \"f\"}]}", "functions[0].self: expected an object");
    read_bad(HEAD("callgrind", "[\"Ir\"]") "\"functions\": [{\"name\": \"f\", \"self\": {}}], "
             "\"edges\": [{\"caller\": 0, \"callee\": 1}]}", "edges[0]: expected \"caller\" and \"callee\": indices");
    read_bad(HEAD("callgrind", "[\"Ir\"]") "\"functions\": [{\"name\": \"f\", \"self\": {}, \"files\": [{\"line\": 1}]}]}",
             "functions[0].files[0].name: expected a string");
}

Test(report_json, kind_must_fit_the_model)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_report_json(m, tmp_file("c.json", CALLGRIND_REPORT), err, sizeof err), -1);
    cr_assert(strstr(err, "c.json: a callgrind report, not a cprof profile"), "%s", err);
    prof_model_free(m);
}
