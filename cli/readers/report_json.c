/*
 * report_json.c: reads our own `--format json` reports (format
 * "cprof-report-1", docs/report-format.md) back into the model, so a report
 * kept from CI can be shown or compared later. The whole report is checked
 * and read into a model of its own before anything is merged, so a bad
 * report changes nothing and gets one line naming the file and the field.
 *
 * Region reports: the tree is the source of the figures, as it is for
 * dumps (model/derive.h): its nodes' exclusive figures are already
 * compensated and every flat figure follows from them, so deriving again
 * gives the figures the report was printed with. A region row adds what the
 * tree lacks (shortest and longest call, label); a row the tree has no node
 * for becomes a call path of its own at the top, as in the dump reader.
 * Valgrind reports: functions, their files and call edges, as written.
 */
#include "readers/readers.h"
#include "model/trust.h"
#include "model/derive.h"
#include "model/spread.h"
#include "sys/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_FORMAT "cprof-report-1"
#define REPORT_PREFIX "cprof-report-"

struct report_json {
    prof_model *s;          /* the report, read on its own */
    int compensated;        /* regions: "compensated" (default true) */
    int has_labels;         /* regions: some row had a "label" */
};

typedef struct rd {
    const char *path;
    char *err;
    size_t errlen;
    prof_model *s;
    json_t *root;
} rd;

/* "FILE: where.key: expected what" */
static int fail(rd *c, const char *where, const char *key, const char *what)
{
    snprintf(c->err, c->errlen, "%s: %s%s%s: expected %s", c->path, where,
             key && *where ? "." : "", key ? key : "", what);
    return -1;
}

/* An integer field; `nonneg`: a count. Missing is an error unless `dflt`. */
static int get_int(rd *c, json_t *o, const char *key, const char *where, int nonneg,
                   const int64_t *dflt, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!v && dflt) {
        *out = *dflt;
        return 0;
    }
    if (!json_is_integer(v) || (nonneg && json_integer_value(v) < 0))
        return fail(c, where, key, nonneg ? "a non-negative integer" : "an integer");
    *out = (int64_t)json_integer_value(v);
    return 0;
}

static int get_count(rd *c, json_t *o, const char *key, const char *where, uint64_t *out)
{
    int64_t v;
    if (get_int(c, o, key, where, 1, NULL, &v))
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* A string field; `nullable`: null or missing reads as NULL. */
static int get_str(rd *c, json_t *o, const char *key, const char *where, int nullable, const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = json_string_value(v);
    if (*out || (nullable && (!v || json_is_null(v))))
        return 0;
    return fail(c, where, key, nullable ? "a string or null" : "a string");
}

/* An optional array or object field: NULL when missing. */
static int get_opt(rd *c, json_t *o, const char *key, const char *where, int array, json_t **out)
{
    *out = json_object_get(o, key);
    if (!*out || (array ? json_is_array(*out) : json_is_object(*out)))
        return 0;
    return fail(c, where, key, array ? "an array" : "an object");
}

static int line_of(rd *c, json_t *o, const char *where, int *line)
{
    int64_t l, zero = 0;
    if (get_int(c, o, "line", where, 0, &zero, &l))
        return -1;
    *line = l < -2147483647 ? -2147483647 : l > 2147483647 ? 2147483647 : (int)l;
    return 0;
}

/* ---- the header: format, tool, events, notes ----------------------------- */

static int check_format(rd *c)
{
    const char *fmt = json_string_value(json_object_get(c->root, "format"));
    if (!fmt) {
        snprintf(c->err, c->errlen, "%s: not a cargo-profiler report (no \"format\" field)", c->path);
        return -1;
    }
    if (strcmp(fmt, REPORT_FORMAT) == 0)
        return 0;
    if (strncmp(fmt, REPORT_PREFIX, strlen(REPORT_PREFIX)) == 0)
        snprintf(c->err, c->errlen, "%s: unknown report format \"%s\" (this cargo-profiler reads \"%s\"; "
                 "use the cargo-profiler that wrote it)", c->path, fmt, REPORT_FORMAT);
    else
        snprintf(c->err, c->errlen, "%s: format \"%s\": expected a cargo-profiler report (\"%s\")",
                 c->path, fmt, REPORT_FORMAT);
    return -1;
}

static int report_kind(rd *c, prof_kind *k)
{
    static const char *const tools[] = {"cprof", "callgrind", "cachegrind", "dhat"};
    const char *tool;
    if (get_str(c, c->root, "tool", "", 0, &tool))
        return -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(tool, tools[i]) == 0) {
            *k = (prof_kind)i;
            return 0;
        }
    return fail(c, "", "tool", "\"cprof\", \"callgrind\", \"cachegrind\" or \"dhat\"");
}

/* Metrics in the report's order: region reports start with time. */
static int read_events(rd *c)
{
    json_t *events = json_object_get(c->root, "events"), *e;
    if (!json_is_array(events))
        return fail(c, "", "events", "an array of event names");
    if (c->s->kind == PROF_REGIONS)
        prof_model_metric(c->s, "time", 1);
    size_t i;
    json_array_foreach(events, i, e) {
        char at[32];
        snprintf(at, sizeof at, "events[%zu]", i);
        if (!json_is_string(e))
            return fail(c, at, NULL, "an event name (a string)");
        if (prof_model_find_metric(c->s, json_string_value(e)) >= 0)
            return fail(c, at, NULL, "an event listed once");
        if (prof_model_metric(c->s, json_string_value(e), 0) < 0) {
            char what[48];
            snprintf(what, sizeof what, "at most %d metrics", PROF_MAX_METRICS);
            return fail(c, at, NULL, what);
        }
    }
    return 0;
}

static int read_missing(rd *c)
{
    json_t *arr, *e;
    if (get_opt(c, c->root, "missing", "", 1, &arr))
        return -1;
    size_t i;
    json_array_foreach(arr, i, e) {
        char at[32];
        const char *name, *reason;
        snprintf(at, sizeof at, "missing[%zu]", i);
        if (!json_is_object(e))
            return fail(c, at, NULL, "an object {\"name\", \"reason\"}");
        if (get_str(c, e, "name", at, 0, &name) || get_str(c, e, "reason", at, 1, &reason))
            return -1;
        prof_model_missing(c->s, name, reason ? reason : "");
    }
    return 0;
}

static int read_notes(rd *c)
{
    json_t *arr, *e;
    if (get_opt(c, c->root, "notes", "", 1, &arr))
        return -1;
    size_t i;
    json_array_foreach(arr, i, e) {
        if (!json_is_string(e)) {
            char at[32];
            snprintf(at, sizeof at, "notes[%zu]", i);
            return fail(c, at, NULL, "a string");
        }
        prof_model_note(c->s, "%s", json_string_value(e));
    }
    return 0;
}

/* How the profiled program ended: {"status": N} or {"signal": "SIGX", "signo": N}. */
static int read_program(rd *c)
{
    json_t *p;
    if (get_opt(c, c->root, "program", "", 0, &p))
        return -1;
    if (!p)
        return 0;
    int64_t v, none = -1;
    if (json_object_get(p, "signo")) {
        if (get_int(c, p, "signo", "program", 1, NULL, &v))
            return -1;
        c->s->program_signal = v > 1000 ? 0 : (int)v;
        c->s->program_status = -1;
    } else {
        if (get_int(c, p, "status", "program", 0, &none, &v))
            return -1;
        c->s->program_status = v < -1 || v > 255 ? -1 : (int)v;
    }
    c->s->program_known = 1;
    return 0;
}

/* A report of the mean of N runs (--repeat): "runs" and "confidence". */
static int read_runs(rd *c)
{
    int64_t one = 1, runs;
    if (get_int(c, c->root, "runs", "", 1, &one, &runs))
        return -1;
    json_t *conf = json_object_get(c->root, "confidence");
    if (runs > 1 && !(json_is_number(conf) && json_number_value(conf) > 0 && json_number_value(conf) < 1))
        return fail(c, "", "confidence", "a level between 0 and 1 (the report has \"runs\")");
    c->s->n_runs = (size_t)runs;
    c->s->confidence = runs > 1 ? json_number_value(conf) : 0;
    return 0;
}

static int read_header(rd *c)
{
    const char *cmd, *host, *cpu;
    if (get_str(c, c->root, "command", "", 1, &cmd) || get_str(c, c->root, "host", "", 1, &host) ||
        get_str(c, c->root, "cpu", "", 1, &cpu))
        return -1;
    c->s->command = cmd ? xstrdup(cmd) : NULL;
    c->s->host = host ? xstrdup(host) : NULL;
    c->s->cpu = cpu ? xstrdup(cpu) : NULL;
    return read_runs(c) || read_events(c) || read_missing(c) || read_notes(c) || read_program(c) ? -1 : 0;
}

/* ---- regions --------------------------------------------------------------- */

/* "counters": {"EV": {"incl": n, "excl": n}}: the exclusive figures into self. */
static int read_counters(rd *c, json_t *rec, const char *where, int64_t *self, int64_t *incl)
{
    json_t *cs, *v;
    if (get_opt(c, rec, "counters", where, 0, &cs))
        return -1;
    const char *ev;
    json_object_foreach(cs, ev, v) {
        char at[384];
        snprintf(at, sizeof at, "%s.counters.\"%s\"", where, ev);
        int k = prof_model_find_metric(c->s, ev);
        if (k < 1)
            return fail(c, at, NULL, "an event listed in \"events\"");
        if (!json_is_object(v))
            return fail(c, at, NULL, "an object {\"incl\", \"excl\"}");
        int64_t zero = 0;
        if (get_int(c, v, "excl", at, 0, &zero, &self[k]) || get_int(c, v, "incl", at, 0, &zero, &incl[k]))
            return -1;
    }
    return 0;
}

/* "sampled" {pairs, timed, period}, "overhead" {raw_excl_ns, ns} and
 * "fitted": all optional (a region timed every call, a report written
 * before them). */
static int read_trust(rd *c, json_t *rec, const char *where, prof_node *n)
{
    json_t *s = json_object_get(rec, "sampled"), *o = json_object_get(rec, "overhead");
    int64_t v[5] = { (int64_t)n->calls, (int64_t)n->calls, 0, n->self[0], 0 };
    char at[128];
    snprintf(at, sizeof at, "%s.sampled", where);
    if (s && (!json_is_object(s) || get_int(c, s, "pairs", at, 1, NULL, &v[0]) ||
              get_int(c, s, "timed", at, 1, NULL, &v[1]) || get_int(c, s, "period", at, 1, NULL, &v[2])))
        return json_is_object(s) ? -1 : fail(c, where, "sampled", "an object {pairs, timed, period}");
    snprintf(at, sizeof at, "%s.overhead", where);
    if (o && (!json_is_object(o) || get_int(c, o, "raw_excl_ns", at, 0, NULL, &v[3]) ||
              get_int(c, o, "ns", at, 0, NULL, &v[4])))
        return json_is_object(o) ? -1 : fail(c, where, "overhead", "an object {raw_excl_ns, ns}");
    n->pairs = (uint64_t)v[0];
    n->timed = (uint64_t)(v[1] < v[0] ? v[1] : v[0]);
    n->period = (uint32_t)(v[2] < UINT32_MAX ? v[2] : UINT32_MAX);
    n->raw_self = v[3];
    n->oh_self = v[4];
    json_t *f = json_object_get(rec, "fitted");
    if (f && !json_is_boolean(f))
        return fail(c, where, "fitted", "a boolean");
    n->fitted = json_is_true(f);
    return 0;
}

/* What a tree node and a region row share: calls and exclusive figures. */
static int read_figures(rd *c, json_t *rec, const char *where, prof_node *n)
{
    int64_t zero = 0;
    return get_count(c, rec, "calls", where, &n->calls) ||
           get_int(c, rec, "excl_ns", where, 0, NULL, &n->self[0]) ||
           get_int(c, rec, "incl_ns", where, 0, &zero, &n->incl[0]) ||
           get_int(c, rec, "child_calls", where, 1, &zero, (int64_t *)&n->child_calls) ||
           get_int(c, rec, "desc_calls", where, 1, &zero, (int64_t *)&n->desc_calls) ||
           read_counters(c, rec, where, n->self, n->incl) || read_trust(c, rec, where, n) ? -1 : 0;
}

static void add_node(prof_model *s, size_t ni, const prof_node *f)
{
    prof_node *n = &s->nodes[ni];
    n->calls = prof_addu(n->calls, f->calls);
    n->child_calls = prof_addu(n->child_calls, f->child_calls);
    n->desc_calls = prof_addu(n->desc_calls, f->desc_calls);
    prof_node_add_trust(n, f);
    for (size_t k = 0; k < s->n_metrics; k++)
        n->self[k] = prof_add(n->self[k], f->self[k]);
}

/* The tree, flat, parents first: node ids 1, 2, 3... */
static int read_tree(rd *c, json_t *tree)
{
    size_t n = json_array_size(tree), i;
    size_t *map = xcalloc(n + 1, sizeof *map);   /* report node id -> model node */
    json_t *r;
    int rc = 0;
    json_array_foreach(tree, i, r) {
        char at[48];
        snprintf(at, sizeof at, "tree[%zu]", i);
        const char *name, *file;
        int line;
        int64_t node, parent, fig[2][PROF_MAX_METRICS] = {{0}};
        prof_node f = {.self = fig[0], .incl = fig[1]};
        if (!json_is_object(r)) {
            rc = fail(c, at, NULL, "an object");
            break;
        }
        if ((rc = get_str(c, r, "name", at, 0, &name) || get_str(c, r, "file", at, 1, &file) ||
                  line_of(c, r, at, &line) || get_int(c, r, "node", at, 1, NULL, &node) ||
                  get_int(c, r, "parent", at, 1, NULL, &parent) || read_figures(c, r, at, &f)))
            break;
        if (node != (int64_t)i + 1 || parent >= node) {
            rc = fail(c, at, NULL, "node ids 1, 2, 3... in order, a parent listed before its child");
            break;
        }
        size_t ei = prof_model_entry(c->s, name, file, line, NULL);
        map[i + 1] = prof_model_node(c->s, map[parent], ei);
        add_node(c->s, map[i + 1], &f);
    }
    free(map);
    return rc;
}

/* Entries that have a node (after the tree). */
static char *entries_in_tree(const prof_model *s)
{
    char *has = xcalloc(s->n_entries + 1, 1);
    for (size_t i = 1; i < s->n_nodes; i++)
        has[s->nodes[i].entry] = 1;
    return has;
}

/* One metric's spread ({"min", "median", "max", "mean", "imbalance"}) of a region. */
static int read_spread_fig(rd *c, json_t *o, const char *at, size_t procs, prof_spread_fig *f)
{
    static const char *const reals[] = {"median", "mean", "imbalance"};
    double *to[] = {&f->median, &f->mean, &f->imbalance};
    if (!json_is_object(o))
        return fail(c, at, NULL, "an object {\"min\", \"median\", \"max\", \"mean\", \"imbalance\"}");
    f->procs = procs;
    if (get_int(c, o, "min", at, 0, NULL, &f->min) || get_int(c, o, "max", at, 0, NULL, &f->max))
        return -1;
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(o, reals[i]);
        if (!json_is_number(v))
            return fail(c, at, reals[i], "a number");
        *to[i] = json_number_value(v);
    }
    return 0;
}

/* "per_process": how the region's exclusive figures spread across the processes. */
static int read_per_process(rd *c, json_t *r, const char *where, size_t ei)
{
    json_t *pp, *cs, *v;
    char at[384];
    snprintf(at, sizeof at, "%s.per_process", where);
    if (get_opt(c, r, "per_process", where, 0, &pp) || !pp)
        return pp ? -1 : 0;
    int64_t procs;
    prof_spread_fig f;
    if (get_int(c, pp, "processes", at, 1, NULL, &procs) || get_opt(c, pp, "counters", at, 0, &cs))
        return -1;
    char fat[512];
    snprintf(fat, sizeof fat, "%s.excl_ns", at);
    if (read_spread_fig(c, json_object_get(pp, "excl_ns"), fat, (size_t)procs, &f))
        return -1;
    prof_spread_set(c->s, ei, 0, &f);
    const char *ev;
    json_object_foreach(cs, ev, v) {
        snprintf(fat, sizeof fat, "%s.counters.\"%s\"", at, ev);
        int k = prof_model_find_metric(c->s, ev);
        if (k < 1)
            return fail(c, fat, NULL, "an event listed in \"events\"");
        if (read_spread_fig(c, v, fat, (size_t)procs, &f))
            return -1;
        prof_spread_set(c->s, ei, (size_t)k, &f);
    }
    return 0;
}

static int read_region(rd *c, json_t *r, const char *at, const char *has, size_t n_has, report_json *rep)
{
    const char *name, *file, *label;
    int line;
    int64_t fig[2][PROF_MAX_METRICS] = {{0}};
    prof_node f = {.self = fig[0], .incl = fig[1]};
    uint64_t mn = 0, mx = 0;
    int64_t zero = 0, half = 0;
    if (!json_is_object(r))
        return fail(c, at, NULL, "an object");
    if (get_str(c, r, "name", at, 0, &name) || get_str(c, r, "file", at, 1, &file) ||
        get_str(c, r, "label", at, 1, &label) || line_of(c, r, at, &line) ||
        read_figures(c, r, at, &f) || get_count(c, r, "min_ns", at, &mn) || get_count(c, r, "max_ns", at, &mx) ||
        get_int(c, r, "incl_ns_ci_half", at, 1, &zero, &half))
        return -1;
    size_t ei = prof_model_entry(c->s, name, file, line, NULL);
    if (read_per_process(c, r, at, ei))
        return -1;
    if (!(ei < n_has && has[ei]))   /* not in the tree: a call path of its own */
        add_node(c->s, prof_model_node(c->s, 0, ei), &f);
    prof_entry *e = &c->s->entries[ei];
    e->min_ns = mn < mx ? mn : mx;
    e->max_ns = mx;
    if (half)
        prof_entry_half(e)[0] = half;
    if (label) {
        free(e->label);
        e->label = xstrdup(label);
        rep->has_labels = 1;
    }
    return 0;
}

/* A row whose figures are not its nodes' sums (a report edited by hand):
 * the tree's are shown, and said once. */
static void check_rows(rd *c, json_t *regions)
{
    size_t i;
    json_t *r;
    json_array_foreach(regions, i, r) {
        int line = 0;
        line_of(c, r, "", &line);
        size_t ei = prof_model_find_entry(c->s, json_string_value(json_object_get(r, "name")),
                                          json_string_value(json_object_get(r, "file")), line, NULL);
        const prof_entry *e = &c->s->entries[ei];
        if (e->calls == (uint64_t)json_integer_value(json_object_get(r, "calls")) &&
            e->self[0] == json_integer_value(json_object_get(r, "excl_ns")) &&
            (!json_object_get(r, "incl_ns") || e->incl[0] == json_integer_value(json_object_get(r, "incl_ns"))))
            continue;
        prof_model_note(c->s, "warning: %s: regions[%zu] (%s): figures differ from the sums of its "
                        "nodes in \"tree\": the tree's are shown", c->path, i, e->name);
        return;
    }
}

/* A counter's total beyond its regions' (allocations outside every
 * region) is the root's own figure, as the dump reader has it. */
static void outside_regions(rd *c)
{
    json_t *totals = json_object_get(c->root, "totals"), *x;
    const char *ev;
    json_object_foreach(totals, ev, x) {
        int k = prof_model_find_metric(c->s, ev);
        int64_t outside = json_is_integer(x) && k > 0 ? (int64_t)json_integer_value(x) - c->s->totals[k] : 0;
        if (outside > 0 && c->s->n_nodes) {
            c->s->nodes[0].self[k] = prof_add(c->s->nodes[0].self[k], outside);
            c->s->totals[k] = prof_add(c->s->totals[k], outside);
        }
    }
}

static int read_regions(rd *c, report_json *rep)
{
    json_t *regions = json_object_get(c->root, "regions"), *tree, *comp;
    if (!json_is_array(regions))
        return fail(c, "", "regions", "an array");
    if (get_opt(c, c->root, "tree", "", 1, &tree) || read_tree(c, tree))
        return -1;
    comp = json_object_get(c->root, "compensated");
    if (comp && !json_is_boolean(comp))
        return fail(c, "", "compensated", "true or false");
    rep->compensated = !comp || json_is_true(comp);
    c->s->raw = !rep->compensated;   /* derive leaves a raw report's one-call figures as they are */
    int64_t none = 0, procs;   /* of a profile of several processes: its regions' per_process */
    if (get_int(c, c->root, "processes", "", 1, &none, &procs))
        return -1;
    if (procs)
        prof_spread_set_procs(c->s, (size_t)procs);
    size_t n_has = c->s->n_entries, i;
    char *has = entries_in_tree(c->s);
    json_t *r;
    int rc = 0;
    json_array_foreach(regions, i, r) {
        char at[48];
        snprintf(at, sizeof at, "regions[%zu]", i);
        if ((rc = read_region(c, r, at, has, n_has, rep)))
            break;
    }
    free(has);
    if (rc)
        return -1;
    prof_derive_regions(c->s);
    check_rows(c, regions);
    outside_regions(c);
    return 0;
}

/* ---- valgrind functions ------------------------------------------------------ */

/* {"EV": n} per metric into v. */
static int read_costs(rd *c, json_t *obj, const char *at, int64_t *v)
{
    const char *ev;
    json_t *x;
    json_object_foreach(obj, ev, x) {
        int k = prof_model_find_metric(c->s, ev);
        if (k < 0)
            return fail(c, at, ev, "an event listed in \"events\"");
        if (!json_is_integer(x))
            return fail(c, at, ev, "an integer");
        v[k] = (int64_t)json_integer_value(x);
    }
    return 0;
}

/* "files": [{"name", "line", "cost"}]: where the function's code is. */
static int read_files(rd *c, json_t *fn, const char *where, size_t ei)
{
    json_t *files, *f;
    if (get_opt(c, fn, "files", where, 1, &files))
        return -1;
    size_t i;
    json_array_foreach(files, i, f) {
        char at[96];
        snprintf(at, sizeof at, "%s.files[%zu]", where, i);
        const char *name;
        int line;
        int64_t cost, zero = 0;
        if (!json_is_object(f))
            return fail(c, at, NULL, "an object {\"name\", \"line\", \"cost\"}");
        if (get_str(c, f, "name", at, 0, &name) || line_of(c, f, at, &line) ||
            get_int(c, f, "cost", at, 0, &zero, &cost))
            return -1;
        prof_entry_file(c->s, ei, name, line, cost, 0);
    }
    return 0;
}

static int read_function(rd *c, json_t *fn, const char *at, size_t *ei)
{
    const char *name, *file, *object;
    int line;
    uint64_t calls = 0;
    json_t *self, *incl;
    if (!json_is_object(fn))
        return fail(c, at, NULL, "an object");
    if (get_str(c, fn, "name", at, 0, &name) || get_str(c, fn, "file", at, 1, &file) ||
        get_str(c, fn, "object", at, 1, &object) || line_of(c, fn, at, &line) ||
        (json_object_get(fn, "calls") && get_count(c, fn, "calls", at, &calls)) ||
        get_opt(c, fn, "self", at, 0, &self) || get_opt(c, fn, "incl", at, 0, &incl))
        return -1;
    if (!self)
        return fail(c, at, "self", "an object {\"EVENT\": cost}");
    int64_t sv[PROF_MAX_METRICS] = {0}, iv[PROF_MAX_METRICS] = {0};
    if (read_costs(c, self, at, sv) || read_costs(c, incl, at, iv))
        return -1;
    *ei = prof_model_entry(c->s, name, file, line, object);
    prof_entry *e = &c->s->entries[*ei];
    e->calls = prof_addu(e->calls, calls);
    e->has_incl = incl != NULL;   /* cachegrind: none */
    for (size_t k = 0; k < c->s->n_metrics; k++) {
        e->self[k] = prof_add(e->self[k], sv[k]);
        e->incl[k] = prof_add(e->incl[k], iv[k]);
    }
    return read_files(c, fn, at, *ei);
}

/* "edges": [{"caller": i, "callee": j, "calls": n, "incl": {...}}], i and j
 * indices into "functions". */
static int read_edges(rd *c, const size_t *fmap, size_t nf)
{
    json_t *edges, *g;
    if (get_opt(c, c->root, "edges", "", 1, &edges))
        return -1;
    size_t i;
    json_array_foreach(edges, i, g) {
        char at[48];
        snprintf(at, sizeof at, "edges[%zu]", i);
        int64_t from, to;
        uint64_t calls = 0;
        json_t *incl;
        if (!json_is_object(g))
            return fail(c, at, NULL, "an object");
        if (get_int(c, g, "caller", at, 1, NULL, &from) || get_int(c, g, "callee", at, 1, NULL, &to) ||
            (json_object_get(g, "calls") && get_count(c, g, "calls", at, &calls)) ||
            get_opt(c, g, "incl", at, 0, &incl))
            return -1;
        if ((uint64_t)from >= nf || (uint64_t)to >= nf)
            return fail(c, at, NULL, "\"caller\" and \"callee\": indices into \"functions\"");
        int64_t iv[PROF_MAX_METRICS] = {0};
        if (read_costs(c, incl, at, iv))
            return -1;
        size_t gi = prof_model_edge(c->s, fmap[from], fmap[to]);   /* may move the edges */
        prof_edge *e = &c->s->edges[gi];
        e->calls = prof_addu(e->calls, calls);
        for (size_t k = 0; k < c->s->n_metrics; k++)
            e->incl[k] = prof_add(e->incl[k], iv[k]);
    }
    return 0;
}

static int read_functions(rd *c)
{
    json_t *fns = json_object_get(c->root, "functions"), *fn, *totals;
    if (!json_is_array(fns))
        return fail(c, "", "functions", "an array");
    size_t nf = json_array_size(fns), i;
    size_t *fmap = xcalloc(nf + 1, sizeof *fmap);
    int rc = 0;
    json_array_foreach(fns, i, fn) {
        char at[48];
        snprintf(at, sizeof at, "functions[%zu]", i);
        if ((rc = read_function(c, fn, at, &fmap[i])))
            break;
    }
    if (!rc)
        rc = read_edges(c, fmap, nf);
    free(fmap);
    if (rc || get_opt(c, c->root, "totals", "", 0, &totals))
        return -1;
    if (totals)   /* the whole program's, not the listed functions' (-n) */
        return read_costs(c, totals, "totals", c->s->totals);
    for (size_t e = 0; e < c->s->n_entries; e++)
        for (size_t k = 0; k < c->s->n_metrics; k++)
            c->s->totals[k] = prof_add(c->s->totals[k], c->s->entries[e].self[k]);
    return 0;
}

/* -n: the writer says how many rows there were ("rows_total"). */
static int note_limited(rd *c)
{
    int64_t total, none = -1;
    if (get_int(c, c->root, "rows_total", "", 1, &none, &total))
        return -1;
    int regions = c->s->kind == PROF_REGIONS;
    size_t rows = json_array_size(json_object_get(c->root, regions ? "regions" : "functions"));
    if (total < 0 || (uint64_t)total <= rows)
        return 0;
    if (regions)
        prof_model_note(c->s, "warning: %s: a report of the top %zu of %lld regions (-n): the others' "
                        "shortest and longest calls are missing (their other figures come from its tree)",
                        c->path, rows, (long long)total);
    else
        prof_model_note(c->s, "warning: %s: a report of the top %zu of %lld functions (-n): figures of "
                        "the others are missing", c->path, rows, (long long)total);
    return 0;
}

/* ---- loading and merging ----------------------------------------------------- */

static void syntax_error(const char *path, const json_error_t *je, char *err, size_t errlen)
{
    if (je->position == 0 || strstr(je->text, "end of file") || strstr(je->text, "premature"))
        snprintf(err, errlen, "%s: line %d: truncated or empty report: %s", path,
                 je->line < 1 ? 1 : je->line, je->text);
    else
        snprintf(err, errlen, "%s: line %d, column %d: not valid JSON (expected a cargo-profiler "
                 "report): %s", path, je->line, je->column, je->text);
}

static report_json *load_mem(const char *path, const char *text, size_t len, char *err, size_t errlen);

report_json *report_json_load_mem(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
    report_json *rep = load_mem(path, text, len, err, errlen);
    if (!rep)
        reader_one_line(err);
    return rep;
}

static report_json *load_mem(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        syntax_error(path, &je, err, errlen);
        return NULL;
    }
    rd c = { path, err, errlen, NULL, root };
    prof_kind k;
    report_json *rep = xcalloc(1, sizeof *rep);
    int rc = !json_is_object(root) ? fail(&c, "top level", NULL, "a JSON object (a cargo-profiler report)")
           : check_format(&c) || report_kind(&c, &k) ? -1 : 0;
    if (!rc) {
        rep->s = c.s = prof_model_new(k, json_string_value(json_object_get(root, "tool")));
        rc = read_header(&c) || (k == PROF_REGIONS ? read_regions(&c, rep) : read_functions(&c)) ||
             note_limited(&c) ? -1 : 0;
    }
    json_decref(root);
    if (rc) {
        report_json_free(rep);
        return NULL;
    }
    return rep;
}

report_json *report_json_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t cap = 0, n = 0;
    for (;;) {   /* one read of the whole file: jansson's own reads a byte at a time */
        if (n == cap)
            text = xrealloc(text, cap = cap ? cap * 2 : 1 << 16);
        size_t got = fread(text + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    report_json *rep = NULL;
    if (bad)
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    else
        rep = report_json_load_mem(path, text, n, err, errlen);
    free(text);
    return rep;
}

void report_json_free(report_json *rep)
{
    if (!rep)
        return;
    prof_model_free(rep->s);
    free(rep);
}

prof_kind report_json_kind(const report_json *rep) { return rep->s->kind; }
int report_json_compensated(const report_json *rep) { return rep->compensated; }

/* s's metric k -> m's (added if new; -1 past PROF_MAX_METRICS). */
static void map_metrics(prof_model *m, const prof_model *s, int *mk)
{
    for (size_t k = 0; k < s->n_metrics; k++) {
        mk[k] = prof_model_metric(m, s->metrics[k].name, s->metrics[k].is_time);
        if (mk[k] < 0)
            prof_model_note(m, "event %s not shown: more than %d metrics", s->metrics[k].name, PROF_MAX_METRICS);
    }
}

static void add_values(int64_t *to, const int64_t *from, const int *mk, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (mk[k] >= 0)
            to[mk[k]] = prof_add(to[mk[k]], from[k]);
}

/* The spread across processes of a report alone; of several, none (their
 * processes' own figures are not in them). */
static void merge_spread(prof_model *m, const prof_model *s, const size_t *em, const int *mk, int fresh)
{
    if (!fresh || !prof_spread_procs(s)) {
        prof_spread_clear(m);
        return;
    }
    prof_spread_set_procs(m, prof_spread_procs(s));
    prof_spread_fig f;
    for (size_t i = 0; i < s->n_entries; i++)
        for (size_t k = 0; k < s->n_metrics; k++)
            if (mk[k] >= 0 && prof_spread_of(s, i, k, &f))
                prof_spread_set(m, em[i], (size_t)mk[k], &f);
}

/* Nodes by call path (exclusive figures: m is derived after every file);
 * a region's shortest and longest call over every report. */
static void merge_regions(prof_model *m, const report_json *rep, const size_t *em, const int *mk, int fresh)
{
    const prof_model *s = rep->s;
    for (size_t i = 0; i < s->n_entries; i++) {
        const prof_entry *f = &s->entries[i];
        prof_entry *e = &m->entries[em[i]];
        if (fresh && f->label && !e->label)   /* labels depend on every name: only a report alone keeps its own */
            e->label = xstrdup(f->label);
        if (fresh && f->half)   /* the interval of a mean: a report alone keeps it */
            prof_entry_half(e)[0] = f->half[0];
        if (!f->calls)
            continue;
        if ((!e->min_ns && !e->max_ns) || f->min_ns < e->min_ns)
            e->min_ns = f->min_ns;
        if (f->max_ns > e->max_ns)
            e->max_ns = f->max_ns;
    }
    merge_spread(m, s, em, mk, fresh);
    size_t *nm = xcalloc(s->n_nodes + 1, sizeof *nm);
    if (s->n_nodes && m->n_nodes)   /* the root's own: counted outside every region */
        add_values(m->nodes[0].self, s->nodes[0].self, mk, s->n_metrics);
    for (size_t i = 1; i < s->n_nodes; i++) {
        const prof_node *f = &s->nodes[i];
        nm[i] = prof_model_node(m, nm[f->parent], em[f->entry]);
        prof_node *n = &m->nodes[nm[i]];
        n->calls = prof_addu(n->calls, f->calls);
        n->child_calls = prof_addu(n->child_calls, f->child_calls);
        n->desc_calls = prof_addu(n->desc_calls, f->desc_calls);
        prof_node_add_trust(n, f);
        add_values(n->self, f->self, mk, s->n_metrics);
    }
    free(nm);
}

static void merge_functions(prof_model *m, const prof_model *s, const size_t *em, const int *mk)
{
    for (size_t i = 0; i < s->n_entries; i++) {
        const prof_entry *f = &s->entries[i];
        prof_entry *e = &m->entries[em[i]];
        e->calls = prof_addu(e->calls, f->calls);
        e->has_incl |= f->has_incl;
        add_values(e->self, f->self, mk, s->n_metrics);
        add_values(e->incl, f->incl, mk, s->n_metrics);
        for (size_t j = 0; j < f->n_files; j++)
            prof_entry_file(m, em[i], f->files[j].name, f->files[j].line, f->files[j].cost, 0);
    }
    for (size_t i = 0; i < s->n_edges; i++) {
        const prof_edge *g = &s->edges[i];
        size_t gi = prof_model_edge(m, em[g->caller], em[g->callee]);   /* may move the edges */
        prof_edge *e = &m->edges[gi];
        e->calls = prof_addu(e->calls, g->calls);
        add_values(e->incl, g->incl, mk, s->n_metrics);
    }
    add_values(m->totals, s->totals, mk, s->n_metrics);
}

static int has_note(const prof_model *m, const char *note)
{
    for (size_t i = 0; i < m->n_notes; i++)
        if (strcmp(m->notes[i], note) == 0)
            return 1;
    return 0;
}

static void merge_header(prof_model *m, const prof_model *s)
{
    if (!m->command && s->command)
        m->command = xstrdup(s->command);
    if (!m->host && s->host)
        m->host = xstrdup(s->host);
    if (!m->cpu && s->cpu)
        m->cpu = xstrdup(s->cpu);
    for (size_t i = 0; i < s->n_missing; i++)
        prof_model_missing(m, s->missing[i].name, s->missing[i].reason);
    for (size_t i = 0; i < s->n_notes; i++)   /* two reports of one kind of run say the same */
        if (!has_note(m, s->notes[i]))
            prof_model_note(m, "%s", s->notes[i]);
    if (s->program_known && !m->program_known) {
        m->program_known = 1;
        m->program_status = s->program_status;
        m->program_signal = s->program_signal;
    }
}

void report_json_merge(prof_model *m, const report_json *rep)
{
    const prof_model *s = rep->s;
    int fresh = m->n_entries == 0;
    int mk[PROF_MAX_METRICS];
    if (s->raw)
        m->raw = 1;
    map_metrics(m, s, mk);
    merge_header(m, s);
    /* a mean of N runs stays one only alone: added to more, it is a sum */
    m->n_runs = fresh ? s->n_runs : 0;
    m->confidence = fresh ? s->confidence : 0;
    size_t *em = xcalloc(s->n_entries + 1, sizeof *em);
    for (size_t i = 0; i < s->n_entries; i++) {
        const prof_entry *f = &s->entries[i];
        size_t before = m->n_entries;
        em[i] = prof_model_entry(m, f->name, f->file, f->line, f->object);
        if (em[i] >= before)   /* new: inclusive figures known only if the report has them */
            m->entries[em[i]].has_incl = f->has_incl;
    }
    if (s->kind == PROF_REGIONS)
        merge_regions(m, rep, em, mk, fresh);
    else
        merge_functions(m, s, em, mk);
    free(em);
}

int read_report_json(prof_model *m, const char *path, char *err, size_t errlen)
{
    report_json *rep = report_json_load(path, err, errlen);
    if (!rep)
        return -1;
    if (m->kind != rep->s->kind) {
        snprintf(err, errlen, "%s: a %s report, not a %s profile", path, rep->s->tool, m->tool);
        report_json_free(rep);
        return -1;
    }
    int fresh = m->n_entries == 0;
    report_json_merge(m, rep);
    if (m->kind == PROF_REGIONS) {   /* as present.c does after every file */
        prof_derive_regions(m);
        if (!(fresh && rep->has_labels))
            prof_derive_labels(m);
    }
    report_json_free(rep);
    return 0;
}
