/*
 * cprof_dump.c: reads libcprof's dump files (format "cprof-1",
 * docs/dump-format.md) into the model. The whole file is checked before
 * anything is merged, so a corrupt dump changes nothing and gets one line
 * naming the file, the byte (syntax) or the field (schema) at fault.
 */
#include "readers/cprof_dump.h"
#include "readers/readers.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUMP_FORMAT "cprof-1"

struct cprof_dump {
    char *path;
    json_t *root;
    json_t *threads;
    double ns_per_pair, ns_inside;
};

/* ---- checking ---------------------------------------------------------- */

typedef struct checker {
    const char *path;
    char *err;
    size_t errlen;
} checker;

static int fail(checker *c, const char *where, const char *what)
{
    snprintf(c->err, c->errlen, "%s: %s: expected %s", c->path, where, what);
    return -1;
}

/* "where.key: expected what", formatted only on failure (the hot path checks
 * a million fields in a big dump). */
static int fail_field(checker *c, const char *where, const char *key, const char *what)
{
    char at[448];
    snprintf(at, sizeof at, "%s.%s", where, key);
    return fail(c, at, what);
}

static int need_uint(checker *c, json_t *obj, const char *key, const char *where)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return fail_field(c, where, key, "a field (missing)");
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return fail_field(c, where, key, "a non-negative integer");
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

/* "counters": {"EV": {"incl": n, "excl": n}} with EV among the active events. */
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
        json_t *in = json_object_get(v, "incl"), *ex = json_object_get(v, "excl");
        /* excl may dip below 0 by a count or two (hardware counters read with skew) */
        if (json_object_get(active, ev) && json_is_object(v) && json_is_integer(in) &&
            json_integer_value(in) >= 0 && json_is_integer(ex))
            continue;
        char at[384];
        snprintf(at, sizeof at, "%s.counters.\"%s\"", where, ev);
        if (!json_object_get(active, ev))
            return fail(c, at, "an event listed as active in \"events\"");
        if (!json_is_object(v))
            return fail(c, at, "an object {\"incl\", \"excl\"}");
        if (need_uint(c, v, "incl", at))
            return -1;
        if (!json_is_integer(json_object_get(v, "excl")))
            return fail_field(c, at, "excl", "an integer");
    }
    return 0;
}

static int check_record(checker *c, json_t *rec, const char *where, int is_node, json_t *active)
{
    static const char *const region_ints[] = {
        "calls", "incl_ns", "excl_ns", "min_ns", "max_ns", "incl_calls",
        "child_calls", "desc_calls", "line", NULL };
    static const char *const node_ints[] = {
        "node", "parent", "calls", "incl_ns", "excl_ns", "child_calls", "desc_calls",
        "line", NULL };
    if (!json_is_object(rec))
        return fail(c, where, "an object");
    if (need_string(c, rec, is_node ? "region" : "name", where, 0) ||
        need_string(c, rec, "file", where, 1))
        return -1;
    for (const char *const *k = is_node ? node_ints : region_ints; *k; k++)
        if (need_uint(c, rec, *k, where))
            return -1;
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

/* The whole file in memory: one read instead of jansson's getc per byte. */
static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            snprintf(err, errlen, "%s: out of memory", path);
            return NULL;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *q = cap < SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
        if (!q)
            free(buf);
        buf = q;
        cap *= 2;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

cprof_dump *cprof_dump_load(const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = read_file(path, &len, err, errlen);
    if (!text)
        return NULL;
    cprof_dump *d = cprof_dump_load_mem(path, text, len, err, errlen);
    free(text);
    return d;
}

cprof_dump *cprof_dump_load_mem(const char *path, const char *text, size_t len,
                                char *err, size_t errlen)
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
    checker c = { path, err, errlen };
    if (!d->path || check_dump(&c, d)) {
        cprof_dump_free(d);
        return NULL;
    }
    return d;
}

void cprof_dump_free(cprof_dump *d)
{
    if (!d)
        return;
    json_decref(d->root);
    free(d->path);
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

/* What one region or node brings, after compensation. */
typedef struct figures {
    uint64_t self[PROF_MAX_METRICS], incl[PROF_MAX_METRICS];
} figures;

static uint64_t minus(uint64_t v, double sub)
{
    if (sub <= 0)
        return v;
    double r = (double)v - sub;
    return r <= 0 ? 0 : (uint64_t)llround(r);
}

/* Per metric: the calibrated P (per pair, outside) and I (inside). */
typedef struct overhead {
    double pair[PROF_MAX_METRICS], inside[PROF_MAX_METRICS];
} overhead;

static void figures_of(const prof_model *m, json_t *rec, const int *metric_of_event,
                       json_t *event_names, const overhead *oh, int is_node, figures *f)
{
    memset(f, 0, sizeof *f);
    /* The inside cost I is paid per enter/exit pair: async polls and open
     * calls are pairs without a completed call. */
    uint64_t pairs = json_object_get(rec, "pairs") ? u64(rec, "pairs") : u64(rec, "calls");
    uint64_t incl_calls = is_node ? pairs : u64(rec, "incl_calls");
    uint64_t child = u64(rec, "child_calls"), desc = u64(rec, "desc_calls");
    json_t *cs = json_object_get(rec, "counters");
    for (size_t k = 0; k < m->n_metrics; k++) {
        uint64_t self, incl;
        if (k == 0) {
            self = u64(rec, "excl_ns");
            incl = u64(rec, "incl_ns");
        } else {
            json_t *c = NULL;
            size_t e;
            json_t *name;
            json_array_foreach(event_names, e, name)
                if (metric_of_event[e] == (int)k)
                    c = json_object_get(cs, json_string_value(name));
            if (!c)
                continue;
            self = u64(c, "excl");
            incl = u64(c, "incl");
        }
        double P = oh->pair[k], I = oh->inside[k];
        f->self[k] = minus(self, (double)child * P + (double)pairs * I);
        f->incl[k] = minus(incl, (double)desc * (P + I) + (double)incl_calls * I);
    }
}

static void merge_thread(prof_model *m, json_t *t,
                         const int *metric_of_event, json_t *event_names, const overhead *oh)
{
    size_t i;
    json_t *r;
    figures f;
    json_array_foreach(json_object_get(t, "regions"), i, r) {
        size_t ei = prof_model_entry(m, str(r, "name"), str(r, "file"), (int)u64(r, "line"), NULL);
        prof_entry *e = &m->entries[ei];
        figures_of(m, r, metric_of_event, event_names, oh, 0, &f);
        uint64_t calls = u64(r, "calls"), mn = u64(r, "min_ns"), mx = u64(r, "max_ns");
        /* one call's figures: less what every call measures of itself (I);
         * its nested calls' share is not known per call. Never above incl. */
        mn = minus(mn, oh->inside[0]);
        mx = minus(mx, oh->inside[0]);
        if (mx > f.incl[0])
            mx = f.incl[0];
        if (mn > mx)
            mn = mx;
        if (calls) {
            if (e->calls == 0 || mn < e->min_ns)
                e->min_ns = mn;
            if (mx > e->max_ns)
                e->max_ns = mx;
        }
        e->calls += calls;
        e->child_calls += u64(r, "child_calls");
        e->desc_calls += u64(r, "desc_calls");
        for (size_t k = 0; k < m->n_metrics; k++) {
            e->self[k] += f.self[k];
            e->incl[k] += f.incl[k];
            m->totals[k] += f.self[k];
        }
    }
    json_t *tree = json_object_get(t, "tree");
    size_t n = json_array_size(tree);
    size_t *map = calloc(n + 1, sizeof *map);   /* dump node id -> model node */
    if (!map) {
        fputs("cargo-profiler: out of memory\n", stderr);
        exit(1);
    }
    json_array_foreach(tree, i, r) {
        size_t ei = prof_model_entry(m, str(r, "region"), str(r, "file"), (int)u64(r, "line"), NULL);
        size_t parent = map[u64(r, "parent")];
        size_t ni = prof_model_node(m, parent, ei);
        map[i + 1] = ni;
        prof_node *nd = &m->nodes[ni];
        figures_of(m, r, metric_of_event, event_names, oh, 1, &f);
        nd->calls += u64(r, "calls");
        nd->child_calls += u64(r, "child_calls");
        nd->desc_calls += u64(r, "desc_calls");
        for (size_t k = 0; k < m->n_metrics; k++) {
            nd->self[k] += f.self[k];
            nd->incl[k] += f.incl[k];
        }
    }
    free(map);
}

void cprof_dump_merge(prof_model *m, const cprof_dump *d, long thread, int compensate)
{
    json_t *root = d->root;
    if (!m->command && cprof_dump_command(d))
        m->command = strdup(cprof_dump_command(d));
    prof_model_metric(m, "time", 1);

    /* events: active ones become metrics (in the dump's order), others are "missing" */
    json_t *events = json_object_get(root, "events");
    json_t *names = json_array();
    size_t n_ev = json_array_size(events);
    int *metric_of_event = calloc(n_ev + 1, sizeof *metric_of_event);
    if (!names || !metric_of_event) {
        fputs("cargo-profiler: out of memory\n", stderr);
        exit(1);
    }
    overhead oh;
    memset(&oh, 0, sizeof oh);
    if (compensate) {
        oh.pair[0] = d->ns_per_pair;
        oh.inside[0] = d->ns_inside;
    }
    json_t *ohj = json_object_get(root, "overhead");
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) {
        const char *name = str(e, "name");
        json_array_append_new(names, json_string(name));
        metric_of_event[i] = -1;
        if (!json_is_true(json_object_get(e, "active"))) {
            prof_model_missing(m, name, str(e, "reason"));
            continue;
        }
        int k = prof_model_metric(m, name, 0);
        if (k < 0) {
            prof_model_note(m, "event %s not shown: more than %d metrics", name, PROF_MAX_METRICS);
            continue;
        }
        metric_of_event[i] = k;
        if (compensate) {
            json_t *p = json_object_get(json_object_get(ohj, "counters"), name);
            json_t *in = json_object_get(json_object_get(ohj, "counters_inside"), name);
            oh.pair[k] = p ? json_number_value(p) : 0;
            oh.inside[k] = in ? json_number_value(in) : 0;
        }
    }

    long pid = cprof_dump_pid(d);
    json_t *t;
    json_array_foreach(d->threads, i, t) {
        if (thread >= 0 && (size_t)thread != i)
            continue;
        merge_thread(m, t, metric_of_event, names, &oh);
        const char *cerr = str(t, "counter_error");
        if (cerr)
            prof_model_note(m, "pid %ld thread %ld: counters not read: %s", pid,
                            (long)u64(t, "tid"), cerr);
        if (u64(t, "open"))
            prof_model_note(m, "pid %ld thread %ld: %llu region(s) still open at the dump "
                            "(counted as incomplete calls)", pid, (long)u64(t, "tid"),
                            (unsigned long long)u64(t, "open"));
    }
    json_t *errs = json_object_get(root, "errors");
    if (json_is_object(errs) && thread < 0) {
        if (u64(errs, "unbalanced"))
            prof_model_note(m, "pid %ld: %llu unbalanced exit(s) repaired by the runtime", pid,
                            (unsigned long long)u64(errs, "unbalanced"));
        if (u64(errs, "dropped"))
            prof_model_note(m, "pid %ld: %llu call(s) not recorded (out of memory)", pid,
                            (unsigned long long)u64(errs, "dropped"));
    }
    json_decref(names);
    free(metric_of_event);
}

int read_cprof_dump_ex(prof_model *m, const char *path, int compensate, char *err, size_t errlen)
{
    cprof_dump *d = cprof_dump_load(path, err, errlen);
    if (!d)
        return -1;
    cprof_dump_merge(m, d, -1, compensate);
    cprof_dump_free(d);
    return 0;
}

int read_cprof_dump(prof_model *m, const char *path, char *err, size_t errlen)
{
    return read_cprof_dump_ex(m, path, 1, err, errlen);
}
