/*
 * dump_doc.c: reads a cprof dump's text into a dump_doc (dump_doc.h) in
 * one pass of the pull parser: the fields the reader uses are kept with
 * their JSON type, every other value is only checked to be JSON. No tree:
 * a region costs one flat record, its strings are the file's own bytes.
 */
#include "readers/dump_doc.h"
#include "sys/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The keys an object of one kind has (key -> field), in the order the
 * runtime writes them: the key after the last one found is tried first. */
typedef struct key { const char *s; uint8_t len, field; } key;
typedef struct keytab { const key *k; int n; } keytab;
#define KEY(s, f) { s, sizeof s - 1, f }
#define KEYTAB(name, ...) \
    static const key name##_keys[] = { __VA_ARGS__ }; \
    static const keytab name = { name##_keys, (int)(sizeof name##_keys / sizeof name##_keys[0]) }

static int key_id(const keytab *t, const char *k, size_t len, int *hint)
{
    int f = *hint;
    for (int i = 0; i < t->n; i++) {
        const key *e = &t->k[f];
        f = f + 1 == t->n ? 0 : f + 1;
        if (e->len == len && memcmp(e->s, k, len) == 0) {
            *hint = f;
            return e->field;
        }
    }
    return -1;
}

typedef int (*member_fn)(dump_doc *d, jp *j, void *obj, int field);

/* An object of a known kind: fn reads each known member; the others are
 * checked and passed over. Every key at most once. */
static int read_object(dump_doc *d, jp *j, const keytab *t, void *obj, member_fn fn)
{
    size_t mark = jp_keys_mark(j), len;
    uint32_t seen = 0;
    int first = 1, more, hint = 0;
    if (jp_open(j, '{'))
        return -1;
    while ((more = jp_more(j, '}', &first)) > 0) {
        size_t at = (size_t)(j->p - j->start);
        const char *k = jp_key_read(j, &len);
        if (!k)
            return -1;
        int f = key_id(t, k, len, &hint);
        jp_val skip;
        if (f < 0) {
            jp_keys_add(j, k, len, at);
            if (jp_value(j, &skip))
                return -1;
            continue;
        }
        if (seen & (1u << f))
            return jp_dup_key(j, at, k, len);
        seen |= 1u << f;
        if (fn(d, j, obj, f))
            return -1;
    }
    return more < 0 ? -1 : jp_keys_check(j, mark);
}

/* An array of known elements: fn reads each (index i). */
typedef int (*element_fn)(dump_doc *d, jp *j, void *obj, size_t i);

static int read_array(dump_doc *d, jp *j, void *obj, element_fn fn)
{
    int first = 1, more;
    size_t i = 0;
    if (jp_open(j, '['))
        return -1;
    while ((more = jp_more(j, ']', &first)) > 0)
        if (fn(d, j, obj, i++))
            return -1;
    return more;
}

static int intern(dump_doc *d, const char *s, size_t len)
{
    int id = strtab_intern(&d->names, s, len);
    if (id < 0)
        xrealloc(NULL, SIZE_MAX);   /* out of memory: as every allocation here */
    return id;
}

/* A value that should be an object (array): read as one if it is; else
 * its type alone, for the checks. 1: it is one (read it), 0: done, -1. */
static int is_open(jp *j, char c, jp_val *v)
{
    if (jp_peek(j) == (unsigned char)c) {
        v->type = c == '{' ? JP_OBJECT : JP_ARRAY;
        return 1;
    }
    return jp_value(j, v) ? -1 : 0;
}

/* An object keyed by event names ("counters", "overhead.counters",
 * "totals"): fn reads each member's value, its key interned as ev. Every
 * key at most once. */
typedef int (*keyed_fn)(dump_doc *d, jp *j, void *obj, int ev);

static int read_keyed(dump_doc *d, jp *j, void *obj, keyed_fn fn)
{
    size_t mark = jp_keys_mark(j), len;
    int first = 1, more;
    if (jp_open(j, '{'))
        return -1;
    while ((more = jp_more(j, '}', &first)) > 0) {
        size_t at = (size_t)(j->p - j->start);
        const char *k = jp_key_read(j, &len);
        if (!k)
            return -1;
        jp_keys_add(j, k, len, at);
        if (fn(d, j, obj, intern(d, k, len)))
            return -1;
    }
    return more < 0 ? -1 : jp_keys_check(j, mark);
}

/* ---- regions and tree nodes ------------------------------------------------ */

#define FIGURE_KEYS \
    KEY("file", RF_FILE), KEY("line", RF_LINE), KEY("calls", RF_CALLS), KEY("incl_ns", RF_INCL_NS), \
    KEY("excl_ns", RF_EXCL_NS), KEY("min_ns", RF_MIN_NS), KEY("max_ns", RF_MAX_NS), \
    KEY("child_calls", RF_CHILD_CALLS), KEY("desc_calls", RF_DESC_CALLS), KEY("counters", RF_COUNTERS), \
    KEY("timed", RF_TIMED), KEY("period", RF_PERIOD), KEY("child_timed", RF_CHILD_TIMED), \
    KEY("child_untimed", RF_CHILD_UNTIMED), KEY("child_untimed_scope", RF_CHILD_UNTIMED_SCOPE)
/* Both kinds have every field (the checks say which one needs what). */
KEYTAB(region_tab, KEY("id", RF_ID), KEY("pairs", RF_PAIRS), KEY("incl_calls", RF_INCL_CALLS),
       KEY("name", RF_NAME), FIGURE_KEYS, KEY("node", RF_NODE), KEY("parent", RF_PARENT),
       KEY("open", RF_OPEN), KEY("region", RF_REGION));
KEYTAB(node_tab, KEY("node", RF_NODE), KEY("parent", RF_PARENT), KEY("open", RF_OPEN),
       KEY("pairs", RF_PAIRS), KEY("region", RF_REGION), FIGURE_KEYS, KEY("id", RF_ID),
       KEY("incl_calls", RF_INCL_CALLS), KEY("name", RF_NAME));
KEYTAB(pair_tab, KEY("incl", 0), KEY("excl", 1));

static int pair_member(dump_doc *d, jp *j, void *obj, int f)
{
    (void)d;
    doc_counter *c = obj;
    return jp_value(j, f == 0 ? &c->incl : &c->excl);
}

/* One member of a record's "counters": {"incl": n, "excl": n}. */
static int counter_member(dump_doc *d, jp *j, void *obj, int ev)
{
    (void)obj;
    doc_counter c = { .ev = ev };
    jp_val v;
    int open = is_open(j, '{', &v);
    if (open < 0 || (open && read_object(d, j, &pair_tab, &c, pair_member)))
        return -1;
    c.type = v.type;
    d->counters = xgrow(d->counters, d->n_counters, &d->cap_counters, sizeof *d->counters);
    d->counters[d->n_counters++] = c;
    return 0;
}

static int counters_of(dump_doc *d, jp *j, doc_rec *r)
{
    r->c_first = (uint32_t)d->n_counters;
    if (read_keyed(d, j, r, counter_member))
        return -1;
    r->c_n = (uint32_t)(d->n_counters - r->c_first);
    return 0;
}

static int rec_member(dump_doc *d, jp *j, void *obj, int f)
{
    doc_rec *r = obj;
    if (f != RF_COUNTERS)
        return jp_value(j, &r->f[f]);
    int open = is_open(j, '{', &r->f[f]);
    return open <= 0 ? open : counters_of(d, j, r);
}

/* ---- cprof-2's nodes: positional arrays ------------------------------------ */

#define V2_FIXED 7   /* parent, site, pairs, calls, incl_ns, min_ns, max_ns */
static const uint8_t v2_field[V2_FIXED] = { RF_PARENT, RF_ID, RF_PAIRS, RF_CALLS, RF_INCL_NS,
                                            RF_MIN_NS, RF_MAX_NS };
KEYTAB(extras_tab, KEY("timed", RF_TIMED), KEY("period", RF_PERIOD), KEY("child_timed", RF_CHILD_TIMED),
       KEY("child_untimed", RF_CHILD_UNTIMED), KEY("child_untimed_scope", RF_CHILD_UNTIMED_SCOPE),
       KEY("open", RF_OPEN));

/* Value i of a node: a figure, a counter (ev: its column) or the extras. */
static int v2_value(dump_doc *d, jp *j, void *obj, size_t i)
{
    doc_rec *r = obj;
    r->v2_n = i + 1 < UINT16_MAX ? (uint16_t)(i + 1) : UINT16_MAX;
    int c = jp_peek(j);
    if (c == '{' && i >= V2_FIXED && !r->v2_obj) {
        r->v2_obj = r->v2_n;
        return read_object(d, j, &extras_tab, r, rec_member);
    }
    jp_val v;
    if (jp_value(j, &v))
        return -1;
    if ((v.type == JP_ARRAY || v.type == JP_OBJECT) && !r->v2_bad)
        r->v2_bad = r->v2_n;
    if (i < V2_FIXED) {
        r->f[v2_field[i]] = v;
        return 0;
    }
    d->counters = xgrow(d->counters, d->n_counters, &d->cap_counters, sizeof *d->counters);
    d->counters[d->n_counters++] = (doc_counter){ .ev = (int)(i - V2_FIXED), .type = v.type, .incl = v };
    r->c_n++;
    return 0;
}

static int v2_node(dump_doc *d, jp *j, doc_rec *r)
{
    r->c_first = (uint32_t)d->n_counters;
    return read_array(d, j, r, v2_value) < 0 ? -1 : 0;
}

/* Element i of a thread's "regions" (tree: "tree", t: node_tab): an
 * object, or in a tree the array of a cprof-2 node. */
static int rec_element(dump_doc *d, jp *j, const keytab *t, doc_rec **arr, size_t *n, size_t *cap)
{
    *arr = xgrow(*arr, *n, cap, sizeof **arr);
    doc_rec *r = &(*arr)[(*n)++];
    memset(r, 0, sizeof *r);
    jp_val v;
    if (t == &node_tab && jp_peek(j) == '[') {
        r->type = JP_ARRAY;
        return v2_node(d, j, r);
    }
    int open = is_open(j, '{', &v);
    r->type = v.type;
    return open <= 0 ? open : read_object(d, j, t, r, rec_member);
}

/* ---- threads --------------------------------------------------------------- */

typedef struct thread_ctx { doc_thread *t; size_t cap_regions, cap_tree; } thread_ctx;

static int region_element(dump_doc *d, jp *j, void *obj, size_t i)
{
    (void)i;
    thread_ctx *c = obj;
    return rec_element(d, j, &region_tab, &c->t->regions, &c->t->n_regions, &c->cap_regions);
}

static int node_element(dump_doc *d, jp *j, void *obj, size_t i)
{
    (void)i;
    thread_ctx *c = obj;
    return rec_element(d, j, &node_tab, &c->t->tree, &c->t->n_tree, &c->cap_tree);
}

enum { TF_TID, TF_NAME, TF_OPEN, TF_COUNTER_ERROR, TF_REGIONS, TF_TREE, TF_TOTALS, TF_COUNTERS, TF_OPEN_AT_EXIT };
KEYTAB(thread_tab, KEY("tid", TF_TID), KEY("name", TF_NAME), KEY("open", TF_OPEN),
       KEY("open_at_exit", TF_OPEN_AT_EXIT),
       KEY("counter_error", TF_COUNTER_ERROR), KEY("regions", TF_REGIONS), KEY("counters", TF_COUNTERS),
       KEY("totals", TF_TOTALS), KEY("tree", TF_TREE));

/* One name of a cprof-2 thread's "counters". */
static int column_element(dump_doc *d, jp *j, void *obj, size_t i)
{
    (void)i;
    doc_thread *t = ((thread_ctx *)obj)->t;
    jp_val v;
    if (jp_value(j, &v))
        return -1;
    t->cols = xgrow(t->cols, t->n_cols, &t->cap_cols, sizeof *t->cols);
    t->cols[t->n_cols++] = v.type == JP_STRING ? intern(d, v.s, strlen(v.s)) : -1;
    return 0;
}

static int read_map(dump_doc *d, jp *j, doc_map *m);

static int thread_member(dump_doc *d, jp *j, void *obj, int f)
{
    thread_ctx *c = obj;
    doc_thread *t = c->t;
    if (f == TF_TOTALS) {
        int open = is_open(j, '{', &t->totals.v);
        return open <= 0 ? open : read_map(d, j, &t->totals);
    }
    if (f == TF_COUNTERS) {
        int open = is_open(j, '[', &t->cols_v);
        return open <= 0 ? open : read_array(d, j, c, column_element);
    }
    jp_val *v = f == TF_TID ? &t->tid : f == TF_NAME ? &t->name : f == TF_OPEN ? &t->open
              : f == TF_OPEN_AT_EXIT ? &t->open_at_exit : f == TF_COUNTER_ERROR ? &t->counter_error
              : f == TF_REGIONS ? &t->regions_v : &t->tree_v;
    if (f != TF_REGIONS && f != TF_TREE)
        return jp_value(j, v);
    int open = is_open(j, '[', v);
    return open <= 0 ? open : read_array(d, j, c, f == TF_REGIONS ? region_element : node_element);
}

static int thread_element(dump_doc *d, jp *j, void *obj, size_t i)
{
    (void)obj, (void)i;
    d->threads = xgrow(d->threads, d->n_threads, &d->cap_threads, sizeof *d->threads);
    thread_ctx c = { &d->threads[d->n_threads++], 0, 0 };
    memset(c.t, 0, sizeof *c.t);
    jp_val v;
    int open = is_open(j, '{', &v);
    c.t->type = v.type;
    return open <= 0 ? open : read_object(d, j, &thread_tab, &c, thread_member);
}

/* ---- events, overhead, errors, unselected ----------------------------------- */

KEYTAB(event_tab, KEY("name", 0), KEY("active", 1), KEY("reason", 2));

static int event_member(dump_doc *d, jp *j, void *obj, int f)
{
    (void)d;
    doc_event *e = obj;
    return jp_value(j, f == 0 ? &e->name : f == 1 ? &e->active : &e->reason);
}

static int event_element(dump_doc *d, jp *j, void *obj, size_t i)
{
    (void)obj, (void)i;
    d->events = xgrow(d->events, d->n_events, &d->cap_events, sizeof *d->events);
    doc_event *e = &d->events[d->n_events++];
    memset(e, 0, sizeof *e);
    jp_val v;
    int open = is_open(j, '{', &v);
    e->type = v.type;
    e->name_id = -1;
    if (open <= 0)
        return open;
    if (read_object(d, j, &event_tab, e, event_member))
        return -1;
    if (e->name.type == JP_STRING)
        e->name_id = intern(d, e->name.s, strlen(e->name.s));
    return 0;
}

/* overhead.counters / counters_inside, threads[].totals: every member a (checked) number. */
static int map_member(dump_doc *d, jp *j, void *obj, int ev)
{
    (void)d;
    doc_map *m = obj;
    m->e = xgrow(m->e, m->n, &m->cap, sizeof *m->e);
    doc_num *e = &m->e[m->n++];
    e->ev = ev;
    return jp_value(j, &e->v);
}

static int read_map(dump_doc *d, jp *j, doc_map *m)
{
    return read_keyed(d, j, m, map_member);
}

KEYTAB(overhead_tab, KEY("ns_per_pair", 0), KEY("ns_inside", 1), KEY("ns_untimed", 2),
       KEY("ns_untimed_scope", 3), KEY("counters", 4), KEY("counters_inside", 5), KEY("counters_untimed", 6),
       KEY("counters_untimed_scope", 7));

static int overhead_member(dump_doc *d, jp *j, void *obj, int f)
{
    (void)obj;
    jp_val *num[] = { &d->ns_per_pair, &d->ns_inside, &d->ns_untimed, &d->ns_untimed_scope };
    if (f < 4)
        return jp_value(j, num[f]);
    doc_map *const maps[] = { &d->oh_counters, &d->oh_inside, &d->oh_untimed, &d->oh_untimed_scope };
    doc_map *m = maps[f - 4];
    int open = is_open(j, '{', &m->v);
    return open <= 0 ? open : read_map(d, j, m);
}

KEYTAB(errors_tab, KEY("unbalanced", 0), KEY("dropped", 1));

static int errors_member(dump_doc *d, jp *j, void *obj, int f)
{
    (void)obj;
    return jp_value(j, f == 0 ? &d->unbalanced : &d->dropped);
}

static int unselected_element(dump_doc *d, jp *j, void *obj, size_t i)
{
    (void)obj, (void)i;
    jp_val v;
    if (jp_value(j, &v))
        return -1;
    d->unselected = xgrow(d->unselected, d->n_unselected, &d->cap_unselected, sizeof *d->unselected);
    d->unselected[d->n_unselected++] = v.type == JP_STRING ? v.s : NULL;
    return 0;
}

/* One of cprof-2's "sites": [name, file, line]. */
static int site_value(dump_doc *d, jp *j, void *obj, size_t i)
{
    (void)d;
    doc_site *s = obj;
    jp_val v, *to[] = { &s->name, &s->file, &s->line };
    s->n = i + 1 < UINT16_MAX ? (uint16_t)(i + 1) : UINT16_MAX;
    return jp_value(j, i < 3 ? to[i] : &v);
}

static int site_element(dump_doc *d, jp *j, void *obj, size_t i)
{
    (void)obj, (void)i;
    d->sites = xgrow(d->sites, d->n_sites, &d->cap_sites, sizeof *d->sites);
    doc_site *s = &d->sites[d->n_sites++];
    memset(s, 0, sizeof *s);
    jp_val v;
    int open = is_open(j, '[', &v);
    s->type = v.type;
    return open <= 0 ? open : read_array(d, j, s, site_value) < 0 ? -1 : 0;
}

/* ---- the top level ------------------------------------------------------------ */

enum { DF_FORMAT, DF_PID, DF_COMMAND, DF_HOST, DF_CPU, DF_EVENTS, DF_OVERHEAD, DF_ERRORS,
       DF_FILTER, DF_UNSELECTED, DF_UNSELECTED_COUNT, DF_THREADS, DF_RANK, DF_SITES, DF_N };
KEYTAB(dump_tab, KEY("format", DF_FORMAT), KEY("pid", DF_PID), KEY("command", DF_COMMAND),
       KEY("host", DF_HOST), KEY("cpu", DF_CPU), KEY("rank", DF_RANK), KEY("events", DF_EVENTS),
       KEY("overhead", DF_OVERHEAD), KEY("sites", DF_SITES), KEY("errors", DF_ERRORS), KEY("filter", DF_FILTER), KEY("unselected", DF_UNSELECTED),
       KEY("unselected_count", DF_UNSELECTED_COUNT), KEY("threads", DF_THREADS));

static int dump_member(dump_doc *d, jp *j, void *obj, int f)
{
    (void)obj;
    static const struct { char c; const keytab *t; member_fn fn; element_fn el; } nested[DF_N] = {
        [DF_EVENTS] = { '[', NULL, NULL, event_element },
        [DF_OVERHEAD] = { '{', &overhead_tab, overhead_member, NULL },
        [DF_ERRORS] = { '{', &errors_tab, errors_member, NULL },
        [DF_UNSELECTED] = { '[', NULL, NULL, unselected_element },
        [DF_THREADS] = { '[', NULL, NULL, thread_element },
        [DF_SITES] = { '[', NULL, NULL, site_element } };
    jp_val *v[DF_N] = {
        [DF_FORMAT] = &d->format, [DF_PID] = &d->pid, [DF_COMMAND] = &d->command, [DF_HOST] = &d->host,
        [DF_CPU] = &d->cpu, [DF_EVENTS] = &d->events_v, [DF_OVERHEAD] = &d->overhead_v,
        [DF_ERRORS] = &d->errors_v, [DF_FILTER] = &d->filter, [DF_UNSELECTED] = &d->unselected_v,
        [DF_UNSELECTED_COUNT] = &d->unselected_count, [DF_THREADS] = &d->threads_v, [DF_RANK] = &d->rank,
        [DF_SITES] = &d->sites_v };
    if (!nested[f].c)
        return jp_value(j, v[f]);
    int open = is_open(j, nested[f].c, v[f]);
    if (open <= 0)
        return open;
    return nested[f].t ? read_object(d, j, nested[f].t, NULL, nested[f].fn) : read_array(d, j, NULL, nested[f].el);
}

int dump_doc_read(dump_doc *d, char *buf, size_t len, jp *j)
{
    memset(d, 0, sizeof *d);
    d->buf = buf;
    strtab_init(&d->names);
    jp_init(j, buf, len);
    int c = jp_peek(j), rc;
    if (c == '{') {
        d->top.type = JP_OBJECT;
        rc = read_object(d, j, &dump_tab, NULL, dump_member);
    } else if (c == '[') {
        rc = jp_value(j, &d->top);
    } else {
        rc = jp_fail(j, "'{' (a cprof dump is a JSON object)");
    }
    return rc || jp_end(j) ? -1 : 0;
}

void dump_doc_free(dump_doc *d)
{
    for (size_t i = 0; i < d->n_threads; i++) {
        free(d->threads[i].regions);
        free(d->threads[i].tree);
        free(d->threads[i].totals.e);
        free(d->threads[i].cols);
    }
    free(d->sites);
    free(d->threads);
    free(d->events);
    free(d->counters);
    free(d->unselected);
    free(d->oh_counters.e);
    free(d->oh_untimed.e);
    free(d->oh_untimed_scope.e);
    free(d->oh_inside.e);
    strtab_free(&d->names);
    free(d->buf);
    memset(d, 0, sizeof *d);
}
