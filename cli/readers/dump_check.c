/*
 * dump_check.c: the checks of dump_check.h, in the order (and with the
 * words) the reader has always had: top level, format, pid, events,
 * overhead, then each thread, its regions, its tree (cprof-2: the site
 * table, then each thread's columns and tree). Places are formatted
 * only on failure: a big dump has a million fields to check.
 */
#include "readers/dump_check.h"
#include "cprof_names.h"
#include "sys/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define DUMP_FORMAT CPROF_DUMP_FORMAT   /* the runtime's own */
#define DUMP_FORMAT_V1 CPROF_DUMP_FORMAT_V1

/* Where a field is: "s", or "s.part[i]" (a region, a tree node). */
typedef struct place { const char *s, *part; size_t i; } place;

typedef struct checker {
    const char *path;
    char *err;
    size_t errlen;
    dump_checked *out;
} checker;

static const char *place_str(const place *p, char *buf, size_t n)
{
    if (!p->part)
        return p->s;
    snprintf(buf, n, "%s.%s[%zu]", p->s, p->part, p->i);
    return buf;
}

static int fail(checker *c, const place *p, const char *key, const char *what)
{
    char at[256];
    snprintf(c->err, c->errlen, "%s: %s%s%s: expected %s", c->path, place_str(p, at, sizeof at),
             key ? "." : "", key ? key : "", what);
    return -1;
}

/* A value of the right place but out of range: read as 0, said once. */
static void bad_value(checker *c, const place *p, const char *key, const char *what)
{
    char at[256];
    if (c->out->bad_values++ == 0)
        snprintf(c->out->first_bad, sizeof c->out->first_bad, "%s%s%s: expected %s",
                 place_str(p, at, sizeof at), key ? "." : "", key ? key : "", what);
}

/* A count: a missing one is a broken dump; a negative or non-integer one
 * costs that value only. */
static int need_uint(checker *c, const jp_val *v, const char *key, const place *p)
{
    if (v->type == JP_MISSING)
        return fail(c, p, key, "a field (missing)");
    if (v->type != JP_INT || v->i < 0)
        bad_value(c, p, key, "a non-negative integer");
    return 0;
}

static int need_int(checker *c, const jp_val *v, const char *key, const place *p)
{
    if (v->type == JP_MISSING)
        return fail(c, p, key, "a field (missing)");
    if (v->type != JP_INT)
        bad_value(c, p, key, "an integer");
    return 0;
}

static int need_string(checker *c, const jp_val *v, const char *key, const place *p, int nullable)
{
    if (v->type == JP_MISSING)
        return fail(c, p, key, "a field (missing)");
    if (v->type != JP_STRING && !(nullable && v->type == JP_NULL))
        return fail(c, p, key, "a string");
    return 0;
}

static int is_number(const jp_val *v, double *d)
{
    *d = v->type == JP_INT ? (double)v->i : v->type == JP_REAL ? v->d : NAN;
    return v->type == JP_INT || v->type == JP_REAL;
}

static int need_number(checker *c, const jp_val *v, const char *key, const place *p, double *d)
{
    if (!is_number(v, d) || !isfinite(*d) || *d < 0)
        return fail(c, p, key, "a non-negative number");
    return 0;
}

/* "counters": {"EV": {"incl": n, "excl": n}} with EV among the active events;
 * counts are signed, as PAPI's are (an sde level can go down in a region). */
static int check_counters(checker *c, const dump_doc *d, const doc_rec *r, const place *p)
{
    if (r->f[RF_COUNTERS].type == JP_MISSING)
        return 0;   /* time-only runs may leave it out */
    if (r->f[RF_COUNTERS].type != JP_OBJECT)
        return fail(c, p, "counters", "an object");
    for (uint32_t k = 0; k < r->c_n; k++) {
        const doc_counter *e = &d->counters[r->c_first + k];
        int active = c->out->active[e->ev];
        if (active && e->type == JP_OBJECT && e->incl.type == JP_INT && e->excl.type == JP_INT)
            continue;
        char base[256], at[640];
        snprintf(at, sizeof at, "%s.counters.\"%s\"", place_str(p, base, sizeof base),
                 strtab_get(&d->names, e->ev));
        place ap = { at, NULL, 0 };
        if (!active)
            return fail(c, &ap, NULL, "an event listed as active in \"events\"");
        if (e->type != JP_OBJECT)
            return fail(c, &ap, NULL, "an object {\"incl\", \"excl\"}");
        if (need_int(c, &e->incl, "incl", &ap) || need_int(c, &e->excl, "excl", &ap))
            return -1;
    }
    return 0;
}

static int check_record(checker *c, const dump_doc *d, const doc_rec *r, const place *p, int is_node)
{
    static const int region_ints[] = { RF_CALLS, RF_INCL_NS, RF_MIN_NS, RF_MAX_NS,
                                       RF_INCL_CALLS, RF_CHILD_CALLS, RF_DESC_CALLS, -1 };
    static const int node_ints[] = { RF_CALLS, RF_INCL_NS, RF_CHILD_CALLS, RF_DESC_CALLS, -1 };
    static const int optional[] = { RF_PAIRS, RF_TIMED, RF_PERIOD, RF_CHILD_TIMED, RF_CHILD_UNTIMED,
                                    RF_CHILD_UNTIMED_SCOPE, -1 };
    static const char *const names[] = {
        [RF_CALLS] = "calls", [RF_INCL_NS] = "incl_ns", [RF_MIN_NS] = "min_ns",
        [RF_MAX_NS] = "max_ns", [RF_INCL_CALLS] = "incl_calls", [RF_CHILD_CALLS] = "child_calls",
        [RF_DESC_CALLS] = "desc_calls", [RF_PAIRS] = "pairs", [RF_TIMED] = "timed",
        [RF_PERIOD] = "period", [RF_CHILD_TIMED] = "child_timed", [RF_CHILD_UNTIMED] = "child_untimed",
        [RF_CHILD_UNTIMED_SCOPE] = "child_untimed_scope" };
    if (r->type != JP_OBJECT)
        return fail(c, p, NULL, "an object");
    if (need_string(c, &r->f[is_node ? RF_REGION : RF_NAME], is_node ? "region" : "name", p, 0) ||
        need_string(c, &r->f[RF_FILE], "file", p, 1))
        return -1;
    for (const int *k = is_node ? node_ints : region_ints; *k >= 0; k++)
        if (need_uint(c, &r->f[*k], names[*k], p))
            return -1;
    /* a line as the site gave it; excl_ns below 0 where throttled children's
     * estimates exceed what their parent measured */
    if (need_int(c, &r->f[RF_LINE], "line", p) || need_int(c, &r->f[RF_EXCL_NS], "excl_ns", p))
        return -1;
    for (const int *k = optional; *k >= 0; k++)
        if (r->f[*k].type != JP_MISSING && need_uint(c, &r->f[*k], names[*k], p))
            return -1;
    if (is_node && (r->f[RF_NODE].type != JP_INT || r->f[RF_PARENT].type != JP_INT || r->f[RF_PARENT].i < 0))
        return fail(c, p, NULL, "integer \"node\" and \"parent\" ids");   /* the tree's shape */
    return check_counters(c, d, r, p);
}

/* A thread's totals: an object of integer counts, when there. */
static int check_totals(checker *c, const doc_thread *t, place *p)
{
    if (t->totals.v.type != JP_MISSING && t->totals.v.type != JP_OBJECT)
        return fail(c, p, "totals", "an object");
    for (size_t i = 0; i < t->totals.n; i++)
        if (t->totals.e[i].v.type != JP_INT)
            return fail(c, p, "totals", "integer counts");
    return 0;
}

static int check_thread(checker *c, const dump_doc *d, const doc_thread *t, size_t ti)
{
    char where[64];
    snprintf(where, sizeof where, "threads[%zu]", ti);
    place p = { where, NULL, 0 };
    if (t->type != JP_OBJECT)
        return fail(c, &p, NULL, "an object");
    if (need_uint(c, &t->tid, "tid", &p))
        return -1;
    if (t->regions_v.type != JP_ARRAY)
        return fail(c, &p, "regions", "an array");
    if (t->tree_v.type != JP_ARRAY)
        return fail(c, &p, "tree", "an array");
    if (check_totals(c, t, &p))
        return -1;
    place rp = { where, "regions", 0 }, np = { where, "tree", 0 };
    for (rp.i = 0; rp.i < t->n_regions; rp.i++)
        if (check_record(c, d, &t->regions[rp.i], &rp, 0))
            return -1;
    for (np.i = 0; np.i < t->n_tree; np.i++) {
        const doc_rec *r = &t->tree[np.i];
        if (check_record(c, d, r, &np, 1))
            return -1;
        /* parents come first: a node's parent is 0 or an earlier node */
        if (r->f[RF_NODE].i != (long long)np.i + 1)
            return fail(c, &np, NULL, "node ids 1, 2, 3... in order");
        if (r->f[RF_PARENT].i >= r->f[RF_NODE].i)
            return fail(c, &np, NULL, "a parent listed before its child");
    }
    return 0;
}

/* ---- cprof-2: the site table, and nodes as arrays ---------------------------- */

static int check_sites(checker *c, const dump_doc *d)
{
    place top = { "sites", NULL, 0 };
    if (d->sites_v.type != JP_ARRAY)
        return fail(c, &top, NULL, d->sites_v.type == JP_MISSING ? "a field (missing)" : "an array");
    for (size_t i = 0; i < d->n_sites; i++) {
        const doc_site *s = &d->sites[i];
        char at[64];
        snprintf(at, sizeof at, "sites[%zu]", i);
        place p = { at, NULL, 0 };
        if (s->type != JP_ARRAY || s->n != 3 || s->name.type != JP_STRING ||
            (s->file.type != JP_STRING && s->file.type != JP_NULL))
            return fail(c, &p, NULL, "[name, file, line]: a string, a string or null, an integer");
        if (need_int(c, &s->line, "line", &p))
            return -1;
    }
    return 0;
}

/* The thread's counter columns: its "counters", or the active events. */
static int check_columns(checker *c, const dump_doc *d, const doc_thread *t, const place *p, size_t *n)
{
    *n = 0;
    if (t->cols_v.type == JP_MISSING) {
        for (size_t i = 0; i < d->n_events; i++)
            *n += d->events[i].active.type == JP_TRUE;
        return 0;
    }
    if (t->cols_v.type != JP_ARRAY)
        return fail(c, p, "counters", "an array of event names");
    for (size_t i = 0; i < t->n_cols; i++)
        if (t->cols[i] < 0 || !c->out->active[t->cols[i]])
            return fail(c, p, "counters", "names of events listed as active in \"events\"");
    *n = t->n_cols;
    return 0;
}

static int check_extras(checker *c, const doc_rec *r, const place *p)
{
    static const int keys[] = { RF_TIMED, RF_PERIOD, RF_CHILD_TIMED, RF_CHILD_UNTIMED, RF_CHILD_UNTIMED_SCOPE };
    static const char *const names[] = { "timed", "period", "child_timed", "child_untimed", "child_untimed_scope" };
    for (int k = 0; k < 5; k++)
        if (r->f[keys[k]].type != JP_MISSING && need_uint(c, &r->f[keys[k]], names[k], p))
            return -1;
    if (r->f[RF_OPEN].type != JP_MISSING && r->f[RF_OPEN].type != JP_TRUE && r->f[RF_OPEN].type != JP_FALSE)
        return fail(c, p, "open", "true or false");
    return 0;
}

/* [parent, site, pairs, calls, incl_ns, min_ns, max_ns, counters..., {extras}] */
static int check_node_v2(checker *c, const dump_doc *d, const doc_rec *r, const place *p, size_t ncols)
{
    static const char shape[] = "[parent, site, pairs, calls, incl_ns, min_ns, max_ns, "
                                "the counters' incl..., optionally {timed, period, child_timed, "
                                "child_untimed, child_untimed_scope, open}]";
    char what[320];
    if (r->type != JP_ARRAY)
        return fail(c, p, NULL, "an array (a cprof-2 node)");
    size_t values = (size_t)r->v2_n - (r->v2_obj ? 1 : 0);
    if (r->v2_bad || (r->v2_obj && r->v2_obj != r->v2_n) || values != 7 + ncols) {
        snprintf(what, sizeof what, "%zu numbers %s", 7 + ncols, shape);
        return fail(c, p, NULL, what);
    }
    if (r->f[RF_PARENT].type != JP_INT || r->f[RF_PARENT].i < 0 || r->f[RF_PARENT].i > (long long)p->i)
        return fail(c, p, "parent", "0 or a node listed before (node ids: 1, 2, 3... in order)");
    if (r->f[RF_ID].type != JP_INT || r->f[RF_ID].i < 0 || (size_t)r->f[RF_ID].i >= d->n_sites) {
        snprintf(what, sizeof what, "an index in \"sites\" (0 to %zu)", d->n_sites ? d->n_sites - 1 : 0);
        return fail(c, p, "site", d->n_sites ? what : "an index in \"sites\" (which is empty)");
    }
    if (need_uint(c, &r->f[RF_PAIRS], "pairs", p) || need_uint(c, &r->f[RF_CALLS], "calls", p) ||
        need_uint(c, &r->f[RF_INCL_NS], "incl_ns", p))
        return -1;
    int nulls = (r->f[RF_MIN_NS].type == JP_NULL) + (r->f[RF_MAX_NS].type == JP_NULL);
    if (nulls == 1)
        return fail(c, p, "min_ns", "min_ns and max_ns both numbers, or both null");
    if (!nulls && (need_uint(c, &r->f[RF_MIN_NS], "min_ns", p) || need_uint(c, &r->f[RF_MAX_NS], "max_ns", p)))
        return -1;
    for (uint32_t k = 0; k < r->c_n; k++)
        if (d->counters[r->c_first + k].incl.type != JP_INT)
            return fail(c, p, "counters", "integer counts");
    return check_extras(c, r, p);
}

static int check_thread_v2(checker *c, const dump_doc *d, const doc_thread *t, size_t ti)
{
    char where[64];
    snprintf(where, sizeof where, "threads[%zu]", ti);
    place p = { where, NULL, 0 };
    size_t ncols;
    if (t->type != JP_OBJECT)
        return fail(c, &p, NULL, "an object");
    if (need_uint(c, &t->tid, "tid", &p) || check_columns(c, d, t, &p, &ncols))
        return -1;
    if (t->tree_v.type != JP_ARRAY)
        return fail(c, &p, "tree", "an array");
    if (check_totals(c, t, &p))
        return -1;
    place np = { where, "tree", 0 };
    for (np.i = 0; np.i < t->n_tree; np.i++)
        if (check_node_v2(c, d, &t->tree[np.i], &np, ncols))
            return -1;
    return 0;
}

/* Active events: those the counters may name. */
static int check_events(checker *c, const dump_doc *d)
{
    place top = { "events", NULL, 0 };
    if (d->events_v.type == JP_MISSING)
        return 0;
    if (d->events_v.type != JP_ARRAY)
        return fail(c, &top, NULL, "an array");
    for (size_t i = 0; i < d->n_events; i++) {
        const doc_event *e = &d->events[i];
        char at[64];
        snprintf(at, sizeof at, "events[%zu]", i);
        place p = { at, NULL, 0 };
        if (e->type != JP_OBJECT || e->name.type != JP_STRING)
            return fail(c, &p, NULL, "an object with \"name\" and \"active\"");
        if (e->active.type != JP_TRUE && e->active.type != JP_FALSE)
            return fail(c, &p, NULL, "\"active\": true or false");
        if (e->active.type == JP_TRUE)
            c->out->active[e->name_id] = 1;
    }
    return 0;
}

static int check_map(checker *c, const doc_map *m, const char *name)
{
    char at[64];
    snprintf(at, sizeof at, "overhead.%s", name);
    place p = { at, NULL, 0 };
    double v;
    if (m->v.type == JP_MISSING)
        return 0;
    if (m->v.type != JP_OBJECT)
        return fail(c, &p, NULL, "an object");
    for (size_t i = 0; i < m->n; i++)
        if (!is_number(&m->e[i].v, &v) || !isfinite(v) || v < 0)
            return fail(c, &p, NULL, "non-negative numbers");
    return 0;
}

static int check_overhead(checker *c, const dump_doc *d)
{
    place p = { "overhead", NULL, 0 };
    if (d->overhead_v.type == JP_MISSING)
        return 0;   /* no calibration: nothing to compensate */
    if (d->overhead_v.type != JP_OBJECT)
        return fail(c, &p, NULL, "an object");
    if (need_number(c, &d->ns_per_pair, "ns_per_pair", &p, &c->out->ns_per_pair) ||
        need_number(c, &d->ns_inside, "ns_inside", &p, &c->out->ns_inside))
        return -1;
    /* ns_untimed: dumps written before throttling have no untimed calls */
    if (d->ns_untimed.type != JP_MISSING &&
        need_number(c, &d->ns_untimed, "ns_untimed", &p, &c->out->ns_untimed))
        return -1;
    c->out->ns_untimed_scope = c->out->ns_untimed;   /* older dumps: scopes as plain pairs */
    if (d->ns_untimed_scope.type != JP_MISSING &&
        need_number(c, &d->ns_untimed_scope, "ns_untimed_scope", &p, &c->out->ns_untimed_scope))
        return -1;
    return check_map(c, &d->oh_counters, "counters") || check_map(c, &d->oh_inside, "counters_inside") ||
                   check_map(c, &d->oh_untimed, "counters_untimed") ||
                   check_map(c, &d->oh_untimed_scope, "counters_untimed_scope")
               ? -1
               : 0;
}

/* "host", "cpu" and "rank" are optional (older dumps lack them) and never
 * worth the profile: another type than a string (host, cpu) or a
 * non-negative integer (rank), or null, is left out, with a warning. */
static void check_place(checker *c, const jp_val *v, const char *key)
{
    int rank = strcmp(key, "rank") == 0;
    if (v->type == JP_MISSING || v->type == JP_NULL || (!rank && v->type == JP_STRING) ||
        (rank && v->type == JP_INT && v->i >= 0 && v->i <= INT32_MAX))
        return;
    size_t n = strlen(c->out->ignored);
    snprintf(c->out->ignored + n, sizeof c->out->ignored - n, "%s\"%s\"", n ? ", " : "", key);
}

int dump_check(const dump_doc *d, const char *path, dump_checked *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->active = xcalloc(d->names.n + 1, 1);
    checker c = { path, err, errlen, out };
    place top = { "top level", NULL, 0 };
    if (d->top.type != JP_OBJECT)
        return fail(&c, &top, NULL, "a JSON object (a cprof dump)");
    if (d->format.type != JP_STRING) {
        snprintf(err, errlen, "%s: not a cprof dump (no \"format\" field)", path);
        return -1;
    }
    int v2 = strcmp(d->format.s, DUMP_FORMAT) == 0;
    if (!v2 && strcmp(d->format.s, DUMP_FORMAT_V1) != 0) {
        snprintf(err, errlen, "%s: unknown dump format \"%s\" (this cargo-profiler reads \"%s\" and "
                 "\"%s\"; use the cargo-profiler that matches the runtime)", path, d->format.s,
                 DUMP_FORMAT, DUMP_FORMAT_V1);
        return -1;
    }
    if (need_uint(&c, &d->pid, "pid", &top))
        return -1;
    check_place(&c, &d->host, "host");
    check_place(&c, &d->cpu, "cpu");
    check_place(&c, &d->rank, "rank");
    if (check_events(&c, d) || check_overhead(&c, d) || (v2 && check_sites(&c, d)))
        return -1;
    place threads = { "threads", NULL, 0 };
    if (d->threads_v.type != JP_ARRAY)
        return fail(&c, &threads, NULL, "an array");
    for (size_t i = 0; i < d->n_threads; i++)
        if (v2 ? check_thread_v2(&c, d, &d->threads[i], i) : check_thread(&c, d, &d->threads[i], i))
            return -1;
    out->v2 = v2;
    return 0;
}
