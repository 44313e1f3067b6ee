/*
 * dump_v2.c: derives what a cprof-2 dump leaves out (dump_v2.h), with the
 * rules the runtime applies when it writes cprof-1 (runtime/derive.c), on
 * the ns the nodes were written with, so the figures are cprof-1's to the
 * nanosecond:
 *   node: excl_ns = incl_ns - its children's incl_ns (below 0 held at 0
 *         unless a child is throttled), child_calls = its children's pairs,
 *         desc_calls = theirs and their desc_calls, a counter's excl = its
 *         incl - its children's incl;
 *   region (per thread, per site with pairs): calls, pairs, excl_ns,
 *         child_calls, counters' excl, timed, child_timed and child_untimed
 *         add up over its nodes; incl_ns, incl_calls, desc_calls and the
 *         counters' incl over its outermost nodes only (no ancestor of the
 *         same site: recursion counts once); min_ns, max_ns over its nodes
 *         with a completed timed call; period is its nodes' largest.
 * Sums are held at the range of a JSON integer (a hand-made dump).
 */
#include "readers/dump_v2.h"
#include "sys/xalloc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static long long u(const jp_val *v)
{
    return v->type == JP_INT && v->i > 0 ? v->i : 0;   /* bad values read as 0 */
}

static long long s(const jp_val *v)
{
    return v->type == JP_INT ? v->i : 0;
}

static long long add(long long a, long long b)
{
    long long r;
    return __builtin_add_overflow(a, b, &r) ? (b < 0 ? LLONG_MIN : LLONG_MAX) : r;
}

static long long sub(long long a, long long b)
{
    long long r;
    return __builtin_sub_overflow(a, b, &r) ? (b > 0 ? LLONG_MIN : LLONG_MAX) : r;
}

static jp_val num(long long v)
{
    jp_val x;
    x.i = v;
    x.type = JP_INT;
    return x;
}

static int present(const jp_val *v)
{
    return v->type != JP_MISSING;
}

/* A node's figures the reader needs, as read (throttling's defaults filled in). */
typedef struct node {
    long long pairs, incl, timed, period, child_timed, child_untimed, child_untimed_scope;
    long long child_incl, child_pairs, desc_pairs;
    int throttled, scaled_kids, outermost;
} node;

/* What the writer leaves out when it is the obvious (dump-format.md). */
static void read_node(const doc_rec *r, node *x)
{
    memset(x, 0, sizeof *x);
    x->pairs = u(&r->f[RF_PAIRS]);
    x->incl = u(&r->f[RF_INCL_NS]);
    x->timed = present(&r->f[RF_TIMED]) ? u(&r->f[RF_TIMED]) : x->pairs;
    x->throttled = x->timed < x->pairs;
    x->period = u(&r->f[RF_PERIOD]);
    x->child_untimed = u(&r->f[RF_CHILD_UNTIMED]);
    x->child_untimed_scope = u(&r->f[RF_CHILD_UNTIMED_SCOPE]);
}

/* Marks the nodes with no ancestor of their own site (depth first, no recursion). */
static void mark_outermost(const doc_thread *t, size_t n_sites, node *x)
{
    size_t n = t->n_tree;
    size_t *first = xcalloc(n + 1, sizeof *first), *next = xcalloc(n + 1, sizeof *next);
    size_t *open = xcalloc(n_sites + 1, sizeof *open), *stack = xcalloc(n + 1, sizeof *stack);
    for (size_t i = n; i-- > 0;) {   /* children in the order of the file */
        size_t p = (size_t)u(&t->tree[i].f[RF_PARENT]);
        next[i + 1] = first[p];
        first[p] = i + 1;
    }
    size_t depth = 0, cur = first[0];
    while (cur) {
        size_t site = (size_t)u(&t->tree[cur - 1].f[RF_ID]);
        x[cur - 1].outermost = open[site]++ == 0;
        stack[depth++] = cur;
        cur = first[cur];
        while (!cur && depth) {
            size_t done = stack[--depth];
            open[u(&t->tree[done - 1].f[RF_ID])]--;
            cur = next[done];
        }
    }
    free(first), free(next), free(open), free(stack);
}

/* Exclusive figures and children's calls, children first (they come after their parents). */
static void fold_children(dump_doc *d, doc_thread *t, node *x, long long *child_c, size_t ncols)
{
    for (size_t i = t->n_tree; i-- > 0;) {
        doc_rec *r = &t->tree[i];
        size_t p = (size_t)u(&r->f[RF_PARENT]);
        if (p) {
            node *q = &x[p - 1];
            q->child_incl = add(q->child_incl, x[i].incl);
            q->child_pairs = add(q->child_pairs, x[i].pairs);
            q->desc_pairs = add(q->desc_pairs, add(x[i].desc_pairs, x[i].pairs));
            q->scaled_kids |= x[i].throttled;
        }
        for (uint32_t k = 0; k < r->c_n && k < ncols; k++) {
            doc_counter *c = &d->counters[r->c_first + k];
            long long incl = s(&c->incl);
            c->excl = num(sub(incl, child_c[i * ncols + k]));
            if (p)
                child_c[(p - 1) * ncols + k] = add(child_c[(p - 1) * ncols + k], incl);
        }
        long long excl = sub(x[i].incl, x[i].child_incl);
        r->f[RF_EXCL_NS] = num(excl < 0 && !x[i].scaled_kids ? 0 : excl);
        r->f[RF_CHILD_CALLS] = num(x[i].child_pairs);
        r->f[RF_DESC_CALLS] = num(x[i].desc_pairs);
        long long ct = x[i].child_pairs > x[i].child_untimed ? x[i].child_pairs - x[i].child_untimed : 0;
        x[i].child_timed = present(&r->f[RF_CHILD_TIMED]) ? u(&r->f[RF_CHILD_TIMED]) : ct;
    }
}

/* One region's sums over its nodes. */
typedef struct region {
    long long calls, pairs, incl, excl, min, max, incl_calls, child_calls, desc_calls;
    long long timed, period, child_timed, child_untimed, child_untimed_scope;
    int has_min;
} region;

static void add_node(region *g, long long *c_incl, long long *c_excl, const dump_doc *d,
                     const doc_rec *r, const node *x, size_t ncols)
{
    g->calls = add(g->calls, u(&r->f[RF_CALLS]));
    g->pairs = add(g->pairs, x->pairs);
    g->excl = add(g->excl, s(&r->f[RF_EXCL_NS]));
    g->child_calls = add(g->child_calls, x->child_pairs);
    g->timed = add(g->timed, x->timed);
    g->child_timed = add(g->child_timed, x->child_timed);
    g->child_untimed = add(g->child_untimed, x->child_untimed);
    g->child_untimed_scope = add(g->child_untimed_scope, x->child_untimed_scope);
    if (x->period > g->period)
        g->period = x->period;
    if (r->f[RF_MIN_NS].type != JP_NULL) {   /* a completed timed call */
        long long mn = u(&r->f[RF_MIN_NS]), mx = u(&r->f[RF_MAX_NS]);
        g->min = g->has_min && g->min < mn ? g->min : mn;
        g->max = g->has_min && g->max > mx ? g->max : mx;
        g->has_min = 1;
    }
    for (uint32_t k = 0; k < r->c_n && k < ncols; k++)
        c_excl[k] = add(c_excl[k], s(&d->counters[r->c_first + k].excl));
    if (!x->outermost)
        return;
    g->incl = add(g->incl, x->incl);
    g->incl_calls = add(g->incl_calls, x->pairs);
    g->desc_calls = add(g->desc_calls, x->desc_pairs);
    for (uint32_t k = 0; k < r->c_n && k < ncols; k++)
        c_incl[k] = add(c_incl[k], s(&d->counters[r->c_first + k].incl));
}

static void push_counter(dump_doc *d, int ev, long long incl, long long excl)
{
    d->counters = xgrow(d->counters, d->n_counters, &d->cap_counters, sizeof *d->counters);
    d->counters[d->n_counters++] = (doc_counter){ .ev = ev, .type = JP_OBJECT, .incl = num(incl),
                                                  .excl = num(excl) };
}

/* The record cprof-1 writes for a region: only throttled ones carry timed,
 * period and child_timed; child_untimed where it is not 0. */
static void region_record(dump_doc *d, doc_thread *t, size_t site, const region *g,
                          const long long *c_incl, const long long *c_excl, const int *cols, size_t ncols)
{
    doc_rec *r = &t->regions[t->n_regions++];   /* room made by derive_regions */
    const doc_site *st = &d->sites[site];
    memset(r, 0, sizeof *r);
    r->type = JP_OBJECT;
    r->f[RF_ID] = num((long long)site + 1);
    r->f[RF_NAME] = st->name;
    r->f[RF_FILE] = st->file;
    r->f[RF_LINE] = st->line;
    long long v[][2] = { { RF_CALLS, g->calls }, { RF_PAIRS, g->pairs }, { RF_INCL_NS, g->incl },
                         { RF_EXCL_NS, g->excl }, { RF_MIN_NS, g->has_min ? g->min : 0 },
                         { RF_MAX_NS, g->has_min ? g->max : 0 }, { RF_INCL_CALLS, g->incl_calls },
                         { RF_CHILD_CALLS, g->child_calls }, { RF_DESC_CALLS, g->desc_calls } };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        r->f[v[i][0]] = num(v[i][1]);
    if (g->timed < g->pairs) {
        r->f[RF_TIMED] = num(g->timed);
        r->f[RF_PERIOD] = num(g->period);
        r->f[RF_CHILD_TIMED] = num(g->child_timed);
    }
    if (g->child_untimed)
        r->f[RF_CHILD_UNTIMED] = num(g->child_untimed);
    if (g->child_untimed_scope)
        r->f[RF_CHILD_UNTIMED_SCOPE] = num(g->child_untimed_scope);
    r->f[RF_COUNTERS].type = JP_OBJECT;
    r->c_first = (uint32_t)d->n_counters;
    for (size_t k = 0; k < ncols; k++)
        push_counter(d, cols[k], c_incl[k], c_excl[k]);
    r->c_n = (uint32_t)ncols;
}

static void derive_regions(dump_doc *d, doc_thread *t, const node *x, const int *cols, size_t ncols)
{
    size_t ns = d->n_sites;
    region *g = xcalloc(ns + 1, sizeof *g);
    long long *c = xcalloc((ns + 1) * (ncols + 1) * 2, sizeof *c);   /* per site: incl..., excl... */
    for (size_t i = 0; i < t->n_tree; i++) {
        size_t site = (size_t)u(&t->tree[i].f[RF_ID]);
        add_node(&g[site], c + site * ncols * 2, c + site * ncols * 2 + ncols, d, &t->tree[i], &x[i], ncols);
    }
    size_t n = 0;
    for (size_t site = 0; site < ns; site++)
        n += g[site].pairs != 0;
    free(t->regions);
    t->regions = xcalloc(n + 1, sizeof *t->regions);
    t->n_regions = 0;
    for (size_t site = 0; site < ns; site++)
        if (g[site].pairs)
            region_record(d, t, site, &g[site], c + site * ncols * 2, c + site * ncols * 2 + ncols,
                          cols, ncols);
    t->regions_v.type = JP_ARRAY;
    free(g);
    free(c);
}

/* The node record cprof-1 writes: named, numbered, min and max 0 without a
 * completed timed call, throttling's fields only on throttled nodes. */
static void name_node(dump_doc *d, doc_rec *r, size_t i, const node *x, const int *cols, size_t ncols)
{
    const doc_site *st = &d->sites[u(&r->f[RF_ID])];
    r->type = JP_OBJECT;
    r->f[RF_NODE] = num((long long)i + 1);
    r->f[RF_REGION] = st->name;
    r->f[RF_FILE] = st->file;
    r->f[RF_LINE] = st->line;
    r->f[RF_COUNTERS].type = JP_OBJECT;
    if (r->f[RF_MIN_NS].type == JP_NULL)
        r->f[RF_MIN_NS] = num(0), r->f[RF_MAX_NS] = num(0);
    if (!x->throttled)
        r->f[RF_PERIOD].type = r->f[RF_CHILD_TIMED].type = JP_MISSING;
    for (uint32_t k = 0; k < r->c_n && k < ncols; k++) {
        d->counters[r->c_first + k].ev = cols[k];
        d->counters[r->c_first + k].type = JP_OBJECT;
    }
}

/* The thread's columns as event names: its "counters", or the active events. */
static int *columns(const dump_doc *d, const doc_thread *t, size_t *n)
{
    int *cols = xcalloc(d->n_events + t->n_cols + 1, sizeof *cols);
    *n = 0;
    if (t->cols_v.type == JP_ARRAY) {
        memcpy(cols, t->cols, t->n_cols * sizeof *cols);
        *n = t->n_cols;
    } else {
        for (size_t i = 0; i < d->n_events; i++)
            if (d->events[i].active.type == JP_TRUE)
                cols[(*n)++] = d->events[i].name_id;
    }
    return cols;
}

static void derive_thread(dump_doc *d, doc_thread *t)
{
    size_t ncols, n = t->n_tree;
    int *cols = columns(d, t, &ncols);
    node *x = xcalloc(n + 1, sizeof *x);
    long long *child_c = xcalloc((n + 1) * (ncols + 1), sizeof *child_c);
    for (size_t i = 0; i < n; i++)
        read_node(&t->tree[i], &x[i]);
    mark_outermost(t, d->n_sites, x);
    fold_children(d, t, x, child_c, ncols);
    derive_regions(d, t, x, cols, ncols);
    for (size_t i = 0; i < n; i++)
        name_node(d, &t->tree[i], i, &x[i], cols, ncols);
    free(child_c);
    free(x);
    free(cols);
}

void dump_v2_derive(dump_doc *d)
{
    for (size_t i = 0; i < d->n_threads; i++)
        derive_thread(d, &d->threads[i]);
}
