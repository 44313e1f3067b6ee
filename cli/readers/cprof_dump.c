/*
 * cprof_dump.c: reads libcprof's dump files (format "cprof-1",
 * docs/dump-format.md) into the model. The whole file is checked before
 * anything is merged, so a corrupt dump changes nothing and gets one line
 * naming the file, the byte (syntax) or the field (schema) at fault.
 */
#include "readers/cprof_dump.h"
#include "readers/readers.h"
#include "cprof_names.h"
#include "model/derive.h"
#include "sys/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUMP_FORMAT CPROF_DUMP_FORMAT   /* the runtime's own */

struct cprof_dump {
    char *path;
    json_t *root;
    json_t *threads;
    double ns_per_pair, ns_inside;
    char *warning;     /* values out of range, read as 0 */
    char *ignored;     /* "host"/"cpu" of another type, left out */
};

/* ---- checking ---------------------------------------------------------- */

typedef struct checker {
    const char *path;
    char *err;
    size_t errlen;
    size_t bad_values;      /* values out of range: each costs itself, not the file */
    char first_bad[480];
    char ignored[32];       /* "host", "cpu" keys of another type */
} checker;

static int fail(checker *c, const char *where, const char *what)
{
    snprintf(c->err, c->errlen, "%s: %s: expected %s", c->path, where, what);
    return -1;
}

/* A value of the right place but out of range: read as 0, said once. */
static void bad_value(checker *c, const char *where, const char *key, const char *what)
{
    if (c->bad_values++ == 0)
        snprintf(c->first_bad, sizeof c->first_bad, "%s%s%s: expected %s", where, key ? "." : "",
                 key ? key : "", what);
}

/* "where.key: expected what", formatted only on failure (the hot path checks
 * a million fields in a big dump). */
static int fail_field(checker *c, const char *where, const char *key, const char *what)
{
    char at[448];
    snprintf(at, sizeof at, "%s.%s", where, key);
    return fail(c, at, what);
}

/* A count: a missing one is a broken dump; a negative or non-integer one
 * costs that value only. */
static int need_uint(checker *c, json_t *obj, const char *key, const char *where)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return fail_field(c, where, key, "a field (missing)");
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        bad_value(c, where, key, "a non-negative integer");
    return 0;
}

static int need_int(checker *c, json_t *obj, const char *key, const char *where)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return fail_field(c, where, key, "a field (missing)");
    if (!json_is_integer(v))
        bad_value(c, where, key, "an integer");
    return 0;
}

static int need_string(checker *c, json_t *obj, const char *key, const char *where, int nullable)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return fail_field(c, where, key, "a field (missing)");
    if (!json_is_string(v) && !(nullable && json_is_null(v)))
        return fail_field(c, where, key, "a string");
    return 0;
}

static int need_number(checker *c, json_t *obj, const char *key, const char *where)
{
    json_t *v = json_object_get(obj, key);
    if (!v || !json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0)
        return fail_field(c, where, key, "a non-negative number");
    return 0;
}

/* "counters": {"EV": {"incl": n, "excl": n}} with EV among the active events;
 * counts are signed, as PAPI's are (an sde level can go down in a region). */
static int check_counters(checker *c, json_t *rec, const char *where, json_t *active)
{
    json_t *cs = json_object_get(rec, "counters");
    if (!cs)
        return 0;   /* time-only runs may leave it out */
    if (!json_is_object(cs))
        return fail_field(c, where, "counters", "an object");
    const char *ev;
    json_t *v;
    json_object_foreach(cs, ev, v) {
        if (json_object_get(active, ev) && json_is_object(v) && json_is_integer(json_object_get(v, "incl")) &&
            json_is_integer(json_object_get(v, "excl")))
            continue;
        char at[384];
        snprintf(at, sizeof at, "%s.counters.\"%s\"", where, ev);
        if (!json_object_get(active, ev))
            return fail(c, at, "an event listed as active in \"events\"");
        if (!json_is_object(v))
            return fail(c, at, "an object {\"incl\", \"excl\"}");
        if (need_int(c, v, "incl", at) || need_int(c, v, "excl", at))
            return -1;
    }
    return 0;
}

static int check_record(checker *c, json_t *rec, const char *where, int is_node, json_t *active)
{
    static const char *const region_ints[] = {
        "calls", "incl_ns", "excl_ns", "min_ns", "max_ns", "incl_calls",
        "child_calls", "desc_calls", NULL };
    static const char *const node_ints[] = {
        "calls", "incl_ns", "excl_ns", "child_calls", "desc_calls", NULL };
    if (!json_is_object(rec))
        return fail(c, where, "an object");
    if (need_string(c, rec, is_node ? "region" : "name", where, 0) ||
        need_string(c, rec, "file", where, 1))
        return -1;
    for (const char *const *k = is_node ? node_ints : region_ints; *k; k++)
        if (need_uint(c, rec, *k, where))
            return -1;
    if (need_int(c, rec, "line", where))   /* as the site gave it, negative or not */
        return -1;
    if (json_object_get(rec, "pairs") && need_uint(c, rec, "pairs", where))   /* optional */
        return -1;
    if (is_node) {   /* the tree's shape: broken ids are a broken file */
        json_t *node = json_object_get(rec, "node"), *parent = json_object_get(rec, "parent");
        if (!json_is_integer(node) || !json_is_integer(parent) || json_integer_value(parent) < 0)
            return fail(c, where, "integer \"node\" and \"parent\" ids");
    }
    return check_counters(c, rec, where, active);
}

static int check_thread(checker *c, json_t *t, size_t ti, json_t *active)
{
    char where[128];
    snprintf(where, sizeof where, "threads[%zu]", ti);
    if (!json_is_object(t))
        return fail(c, where, "an object");
    if (need_uint(c, t, "tid", where))
        return -1;
    json_t *regions = json_object_get(t, "regions"), *tree = json_object_get(t, "tree");
    char at[192];
    snprintf(at, sizeof at, "%s.regions", where);
    if (!json_is_array(regions))
        return fail(c, at, "an array");
    snprintf(at, sizeof at, "%s.tree", where);
    if (!json_is_array(tree))
        return fail(c, at, "an array");
    size_t i;
    json_t *r;
    json_array_foreach(regions, i, r) {
        snprintf(at, sizeof at, "%s.regions[%zu]", where, i);
        if (check_record(c, r, at, 0, active))
            return -1;
    }
    json_array_foreach(tree, i, r) {
        snprintf(at, sizeof at, "%s.tree[%zu]", where, i);
        if (check_record(c, r, at, 1, active))
            return -1;
        /* parents come first: a node's parent is 0 or an earlier node */
        json_int_t node = json_integer_value(json_object_get(r, "node"));
        json_int_t parent = json_integer_value(json_object_get(r, "parent"));
        if (node != (json_int_t)i + 1)
            return fail(c, at, "node ids 1, 2, 3... in order");
        if (parent >= node)
            return fail(c, at, "a parent listed before its child");
    }
    return 0;
}

/* Active events, as an object name -> true, for the counters checks. */
static int check_events(checker *c, json_t *root, json_t *active)
{
    json_t *events = json_object_get(root, "events");
    if (!events)
        return 0;
    if (!json_is_array(events))
        return fail(c, "events", "an array");
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) {
        char at[64];
        snprintf(at, sizeof at, "events[%zu]", i);
        if (!json_is_object(e) || need_string(c, e, "name", at, 0))
            return fail(c, at, "an object with \"name\" and \"active\"");
        if (!json_is_boolean(json_object_get(e, "active")))
            return fail(c, at, "\"active\": true or false");
        if (json_is_true(json_object_get(e, "active")))
            json_object_set_new(active, json_string_value(json_object_get(e, "name")), json_true());
    }
    return 0;
}

static int check_overhead(checker *c, json_t *root, cprof_dump *d)
{
    json_t *o = json_object_get(root, "overhead");
    if (!o)
        return 0;   /* no calibration: nothing to compensate */
    if (!json_is_object(o))
        return fail(c, "overhead", "an object");
    if (need_number(c, o, "ns_per_pair", "overhead") || need_number(c, o, "ns_inside", "overhead"))
        return -1;
    d->ns_per_pair = json_number_value(json_object_get(o, "ns_per_pair"));
    d->ns_inside = json_number_value(json_object_get(o, "ns_inside"));
    static const char *const maps[] = { "counters", "counters_inside" };
    for (int k = 0; k < 2; k++) {
        json_t *m = json_object_get(o, maps[k]);
        if (!m)
            continue;
        char at[64];
        snprintf(at, sizeof at, "overhead.%s", maps[k]);
        if (!json_is_object(m))
            return fail(c, at, "an object");
        const char *ev;
        json_t *v;
        json_object_foreach(m, ev, v) {
            if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0)
                return fail(c, at, "non-negative numbers");
        }
    }
    return 0;
}

/* "host" and "cpu" are optional (older dumps lack them) and never worth the
 * profile: another type than a string or null is left out, with a warning. */
static void check_place(checker *c, json_t *root, const char *key)
{
    json_t *v = json_object_get(root, key);
    if (!v || json_is_string(v) || json_is_null(v))
        return;
    size_t n = strlen(c->ignored);
    snprintf(c->ignored + n, sizeof c->ignored - n, "%s\"%s\"", n ? ", " : "", key);
}

static int check_dump(checker *c, cprof_dump *d)
{
    json_t *root = d->root;
    if (!json_is_object(root))
        return fail(c, "top level", "a JSON object (a cprof dump)");
    json_t *fmt = json_object_get(root, "format");
    if (!json_is_string(fmt)) {
        snprintf(c->err, c->errlen, "%s: not a cprof dump (no \"format\" field)", c->path);
        return -1;
    }
    if (strcmp(json_string_value(fmt), DUMP_FORMAT) != 0) {
        snprintf(c->err, c->errlen,
                 "%s: unknown dump format \"%s\" (this cargo-profiler reads \"%s\"; "
                 "use the cargo-profiler that matches the runtime)",
                 c->path, json_string_value(fmt), DUMP_FORMAT);
        return -1;
    }
    if (need_uint(c, root, "pid", "top level"))
        return -1;
    check_place(c, root, "host");
    check_place(c, root, "cpu");
    json_t *active = json_object();
    int rc = check_events(c, root, active) || check_overhead(c, root, d);
    d->threads = json_object_get(root, "threads");
    if (!rc && !json_is_array(d->threads))
        rc = fail(c, "threads", "an array");
    size_t i;
    json_t *t;
    if (!rc)
        json_array_foreach(d->threads, i, t)
            if ((rc = check_thread(c, t, i, active)) != 0)
                break;
    json_decref(active);
    return rc ? -1 : 0;
}

cprof_dump *cprof_dump_load(const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = reader_slurp(path, &len, err, errlen);
    if (!text)
        return NULL;
    cprof_dump *d = cprof_dump_load_mem(path, text, len, err, errlen);
    free(text);
    return d;
}

static cprof_dump *load_mem(const char *path, const char *text, size_t len, char *err, size_t errlen);

cprof_dump *cprof_dump_load_mem(const char *path, const char *text, size_t len,
                                char *err, size_t errlen)
{
    cprof_dump *d = load_mem(path, text, len, err, errlen);
    if (!d)
        reader_one_line(err);
    return d;
}

static cprof_dump *load_mem(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (je.position == 0 || strstr(je.text, "end of file") || strstr(je.text, "premature"))
            snprintf(err, errlen, "%s: byte %d (line %d): truncated or empty dump: %s",
                     path, je.position, je.line < 1 ? 1 : je.line, je.text);
        else
            snprintf(err, errlen, "%s: byte %d (line %d, column %d): corrupt dump: %s",
                     path, je.position, je.line, je.column, je.text);
        return NULL;
    }
    cprof_dump *d = calloc(1, sizeof *d);
    if (!d) {
        json_decref(root);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    d->root = root;
    d->path = strdup(path);
    checker c = { path, err, errlen, 0, "", "" };
    if (!d->path || check_dump(&c, d)) {
        cprof_dump_free(d);
        return NULL;
    }
    if (c.bad_values && asprintf(&d->warning, "warning: %s: %zu value(s) out of range, read as 0 "
                                 "(the first: %s)", path, c.bad_values, c.first_bad) < 0)
        d->warning = NULL;
    if (c.ignored[0] && asprintf(&d->ignored, "warning: %s: %s: expected a string or null, left out",
                                 path, c.ignored) < 0)
        d->ignored = NULL;
    return d;
}

void cprof_dump_free(cprof_dump *d)
{
    if (!d)
        return;
    json_decref(d->root);
    free(d->path);
    free(d->warning);
    free(d->ignored);
    free(d);
}

/* ---- accessors (the dump is checked: types are right) ------------------ */

static uint64_t u64(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) && json_integer_value(v) > 0 ? (uint64_t)json_integer_value(v) : 0;
}

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));   /* NULL for null/missing */
}

size_t cprof_dump_n_threads(const cprof_dump *d) { return json_array_size(d->threads); }
long cprof_dump_pid(const cprof_dump *d) { return (long)u64(d->root, "pid"); }
const char *cprof_dump_command(const cprof_dump *d) { return str(d->root, "command"); }
double cprof_dump_ns_per_pair(const cprof_dump *d) { return d->ns_per_pair; }
double cprof_dump_ns_inside(const cprof_dump *d) { return d->ns_inside; }

/* Where it ran: NULL when the dump does not say (older dumps, null, "", or
 * another type, which the check left out with a warning). */
static const char *place(const cprof_dump *d, const char *key)
{
    const char *s = str(d->root, key);
    return s && *s ? s : NULL;
}

const char *cprof_dump_host(const cprof_dump *d) { return place(d, "host"); }
const char *cprof_dump_cpu(const cprof_dump *d) { return place(d, "cpu"); }

long cprof_dump_tid(const cprof_dump *d, size_t thread)
{
    return (long)u64(json_array_get(d->threads, thread), "tid");
}

const char *cprof_dump_thread_name(const cprof_dump *d, size_t thread)
{
    const char *s = str(json_array_get(d->threads, thread), "name");
    return s ? s : "";
}

/* ---- merging ------------------------------------------------------------ */

static int64_t i64(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static int line_of(json_t *obj)
{
    int64_t l = i64(obj, "line");
    return l < -2147483647 ? -2147483647 : l > 2147483647 ? 2147483647 : (int)l;
}

/* Per metric: the calibrated P (per pair, outside) and I (inside). */
typedef struct overhead {
    double pair[PROF_MAX_METRICS], inside[PROF_MAX_METRICS];
} overhead;

/* What one dump's events are in the model: event name -> metric index. */
typedef struct dump_events {
    json_t *metric_of;   /* object: name -> integer metric index (active events only) */
    overhead oh;
} dump_events;

/* Compensation takes away what the measuring cost, but never takes a figure
 * that was not below zero below it. */
static int64_t compensate(int64_t v, double sub)
{
    if (sub <= 0)
        return v;
    double r = (double)v - sub;
    if (v >= 0 && r <= 0)
        return 0;
    return (int64_t)llround(r);
}

/* A node's exclusive figures after compensation (docs/dump-format.md):
 * excl' = excl - child_calls * P - pairs * I. Its counters are looked up by
 * name, so a record costs its own counters, not every event of the run. */
static void node_self(const prof_model *m, json_t *rec, const dump_events *de, int64_t *self)
{
    memset(self, 0, m->n_metrics * sizeof *self);
    uint64_t pairs = json_object_get(rec, "pairs") ? u64(rec, "pairs") : u64(rec, "calls");
    double child = (double)u64(rec, "child_calls");
    self[0] = compensate((int64_t)u64(rec, "excl_ns"), child * de->oh.pair[0] + (double)pairs * de->oh.inside[0]);
    const char *ev;
    json_t *c;
    json_object_foreach(json_object_get(rec, "counters"), ev, c) {
        json_t *k = json_object_get(de->metric_of, ev);
        if (!k)
            continue;
        size_t mi = (size_t)json_integer_value(k);
        self[mi] = compensate(i64(c, "excl"), child * de->oh.pair[mi] + (double)pairs * de->oh.inside[mi]);
    }
}

/* A region's shortest and longest call, less what every call measures of
 * itself (I); clamped to its inclusive time by prof_derive_regions. */
static void region_min_max(prof_model *m, size_t ei, json_t *r, const dump_events *de)
{
    if (!u64(r, "calls"))
        return;
    prof_entry *e = &m->entries[ei];
    uint64_t mn = (uint64_t)compensate((int64_t)u64(r, "min_ns"), de->oh.inside[0]);
    uint64_t mx = (uint64_t)compensate((int64_t)u64(r, "max_ns"), de->oh.inside[0]);
    if (mn > mx)
        mn = mx;
    if (!e->max_ns && !e->min_ns)
        e->min_ns = mn;
    else if (mn < e->min_ns)
        e->min_ns = mn;
    if (mx > e->max_ns)
        e->max_ns = mx;
}

/* What one record (a tree node, or a region standing in for one) adds to node ni. */
static void add_to_node(prof_model *m, size_t ni, json_t *r, const dump_events *de)
{
    int64_t self[PROF_MAX_METRICS];
    node_self(m, r, de, self);
    prof_node *nd = &m->nodes[ni];
    nd->calls = prof_addu(nd->calls, u64(r, "calls"));
    nd->child_calls = prof_addu(nd->child_calls, u64(r, "child_calls"));
    nd->desc_calls = prof_addu(nd->desc_calls, u64(r, "desc_calls"));
    for (size_t k = 0; k < m->n_metrics; k++)
        nd->self[k] = prof_add(nd->self[k], self[k]);
}

/* The thread's call tree, node by node; marks the entries it has. */
static void merge_tree(prof_model *m, json_t *tree, const dump_events *de, char **has, size_t *n_has)
{
    size_t n = json_array_size(tree), i;
    size_t *map = xcalloc(n + 1, sizeof *map);   /* dump node id -> model node */
    json_t *r;
    json_array_foreach(tree, i, r) {
        size_t ei = prof_model_entry(m, str(r, "region"), str(r, "file"), line_of(r), NULL);
        uint64_t pid = u64(r, "parent");
        size_t ni = prof_model_node(m, pid <= i ? map[pid] : 0, ei);
        map[i + 1] = ni;
        add_to_node(m, ni, r, de);
        if (ei >= *n_has) {
            size_t cap = (ei + 1) * 2;
            *has = xrealloc(*has, cap);
            memset(*has + *n_has, 0, cap - *n_has);
            *n_has = cap;
        }
        (*has)[ei] = 1;
    }
    free(map);
}

/*
 * Flat figures come from the tree (model/derive.c). A region the thread's
 * tree does not have (a dump written by hand, or by another tool) is not
 * lost: it becomes a call path of its own at the top.
 */
static void merge_thread(prof_model *m, json_t *t, const dump_events *de)
{
    char *has = NULL;
    size_t n_has = 0, i;
    merge_tree(m, json_object_get(t, "tree"), de, &has, &n_has);
    json_t *r;
    json_array_foreach(json_object_get(t, "regions"), i, r) {
        size_t ei = prof_model_entry(m, str(r, "name"), str(r, "file"), line_of(r), NULL);
        region_min_max(m, ei, r, de);
        if (!(ei < n_has && has[ei]))
            add_to_node(m, prof_model_node(m, 0, ei), r, de);
    }
    free(has);
}

/* Active events become metrics (in the dump's order), the others missing. */
static void dump_events_init(prof_model *m, const cprof_dump *d, int compensate_on, dump_events *de)
{
    memset(de, 0, sizeof *de);
    de->metric_of = json_object();
    if (compensate_on) {
        de->oh.pair[0] = d->ns_per_pair;
        de->oh.inside[0] = d->ns_inside;
    }
    json_t *ohj = json_object_get(d->root, "overhead");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(d->root, "events"), i, e) {
        const char *name = str(e, "name");
        if (!json_is_true(json_object_get(e, "active"))) {
            prof_model_missing(m, name, str(e, "reason"));
            continue;
        }
        int k = prof_model_metric(m, name, 0);
        if (k < 0) {
            prof_model_note(m, "event %s not shown: more than %d metrics", name, PROF_MAX_METRICS);
            continue;
        }
        json_object_set_new(de->metric_of, name, json_integer(k));
        if (compensate_on) {
            json_t *p = json_object_get(json_object_get(ohj, "counters"), name);
            json_t *in = json_object_get(json_object_get(ohj, "counters_inside"), name);
            de->oh.pair[k] = p ? json_number_value(p) : 0;
            de->oh.inside[k] = in ? json_number_value(in) : 0;
        }
    }
}

/* Threads that count nothing, one note per reason (100 000 threads with the
 * same reason are one line, not 100 000). */
static void note_counter_errors(prof_model *m, const cprof_dump *d, long thread)
{
    json_t *by_reason = json_object();   /* reason -> [count, first tid] */
    size_t n = json_array_size(d->threads), first = thread >= 0 ? (size_t)thread : 0;
    size_t last = thread >= 0 ? first + 1 : n;
    for (size_t i = first; i < last && i < n; i++) {
        json_t *t = json_array_get(d->threads, i);
        const char *cerr = str(t, "counter_error");
        if (!cerr)
            continue;
        json_t *v = json_object_get(by_reason, cerr);
        if (!v)
            json_object_set_new(by_reason, cerr, v = json_pack("[i,I]", 0, (json_int_t)u64(t, "tid")));
        json_array_set_new(v, 0, json_integer(json_integer_value(json_array_get(v, 0)) + 1));
    }
    const char *reason;
    json_t *v;
    long pid = cprof_dump_pid(d);
    json_object_foreach(by_reason, reason, v) {
        json_int_t n = json_integer_value(json_array_get(v, 0));
        if (n == 1)
            prof_model_note(m, "pid %ld thread %lld: counters not read: %s", pid,
                            (long long)json_integer_value(json_array_get(v, 1)), reason);
        else
            prof_model_note(m, "pid %ld: %lld threads (thread %lld, ...): counters not read: %s", pid,
                            (long long)n, (long long)json_integer_value(json_array_get(v, 1)), reason);
    }
    json_decref(by_reason);
}

/* ---- where merged dumps were made ---------------------------------------- */

#define PLACES_SHOWN 3           /* names in a list; a further one adds " and more" */
static const char more[] = " and more";

/* 1 if `name` is one of the names of `list` ("a, b", maybe ending in
 * " and more": *full set then); *n_names: how many its ", " make. A name
 * may hold ", " itself (POWER's "POWER9 (raw), altivec supported"): it is
 * found whole, the list only fills sooner (and a name that is just one
 * comma-part of another is taken as listed: rare enough). */
static int place_listed(const char *list, const char *name, size_t *n_names, int *full)
{
    size_t len = strlen(list), ln = strlen(name), lm = sizeof more - 1;
    *full = len >= lm && strcmp(list + len - lm, more) == 0;
    const char *end = list + len - (*full ? lm : 0);
    *n_names = 1;
    for (const char *p = list; (p = strstr(p, ", ")) && p < end; p += 2)
        ++*n_names;
    for (const char *p = list; (p = strstr(p, name)) && p + ln <= end; p++)
        if ((p == list || (p - list >= 2 && p[-2] == ',' && p[-1] == ' ')) &&
            (p + ln == end || (p[ln] == ',' && p[ln + 1] == ' ')))
            return 1;
    return 0;
}

/*
 * The one place that says where the dumps of one model were made: *list
 * (the model's host or cpu) gets `name` unless it has it: "a", "a, b", at
 * most PLACES_SHOWN names, then "a, b, c and more" (the model keeps no
 * room to count the names left out). A dump that does not say (NULL)
 * changes nothing.
 */
static void place_add(char **list, const char *name)
{
    size_t n;
    int full;
    if (!name || (*list && (place_listed(*list, name, &n, &full) || full)))
        return;
    char *was = *list;
    *list = !was ? xstrdup(name)
          : n < PLACES_SHOWN ? xasprintf("%s, %s", was, name)
          : xasprintf("%s%s", was, more);
    free(was);
}

void cprof_dump_merge(prof_model *m, const cprof_dump *d, long thread, int compensate_on)
{
    json_t *root = d->root;
    if (!m->command && cprof_dump_command(d))
        m->command = strdup(cprof_dump_command(d));
    place_add(&m->host, cprof_dump_host(d));
    place_add(&m->cpu, cprof_dump_cpu(d));
    prof_model_metric(m, "time", 1);
    dump_events de;
    dump_events_init(m, d, compensate_on, &de);
    long pid = cprof_dump_pid(d);
    size_t n = json_array_size(d->threads), first = thread >= 0 ? (size_t)thread : 0;
    size_t last = thread >= 0 ? first + 1 : n;   /* one thread: straight to it */
    for (size_t i = first; i < last && i < n; i++) {
        json_t *t = json_array_get(d->threads, i);
        merge_thread(m, t, &de);
        if (u64(t, "open"))
            prof_model_note(m, "pid %ld thread %ld: %llu region(s) still open at the dump "
                            "(counted as incomplete calls)", pid, (long)u64(t, "tid"),
                            (unsigned long long)u64(t, "open"));
    }
    note_counter_errors(m, d, thread);
    json_t *errs = json_object_get(root, "errors");
    if (json_is_object(errs) && thread < 0) {
        if (u64(errs, "unbalanced"))
            prof_model_note(m, "pid %ld: %llu unbalanced exit(s) repaired by the runtime", pid,
                            (unsigned long long)u64(errs, "unbalanced"));
        if (u64(errs, "dropped"))
            prof_model_note(m, "pid %ld: %llu call(s) not recorded (out of memory)", pid,
                            (unsigned long long)u64(errs, "dropped"));
    }
    if (d->warning)
        prof_model_note(m, "%s", d->warning);
    if (d->ignored)
        prof_model_note(m, "%s", d->ignored);
    json_decref(de.metric_of);
}

const char *cprof_dump_filter(const cprof_dump *d)
{
    return str(d->root, "filter");
}

size_t cprof_dump_unselected(const cprof_dump *d, size_t i, const char **name)
{
    json_t *u = json_object_get(d->root, "unselected");
    *name = i < json_array_size(u) ? json_string_value(json_array_get(u, i)) : NULL;
    json_t *c = json_object_get(d->root, "unselected_count");
    return json_is_integer(c) && json_integer_value(c) > 0 ? (size_t)json_integer_value(c) : json_array_size(u);
}

int read_cprof_dump_ex(prof_model *m, const char *path, int compensate, char *err, size_t errlen)
{
    cprof_dump *d = cprof_dump_load(path, err, errlen);
    if (!d)
        return -1;
    cprof_dump_merge(m, d, -1, compensate);
    cprof_dump_free(d);
    prof_derive_regions(m);
    return 0;
}

int read_cprof_dump(prof_model *m, const char *path, char *err, size_t errlen)
{
    return read_cprof_dump_ex(m, path, 1, err, errlen);
}
