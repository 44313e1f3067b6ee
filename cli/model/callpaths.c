/* callpaths.c: call paths from a call graph (see callpaths.h). */
#include "model/callpaths.h"

#include <stdlib.h>
#include <string.h>

#define NM PROF_MAX_METRICS

typedef struct walker {
    prof_model *m;
    size_t *first, *list;      /* outgoing edges per entry (CSR) */
    double *total;             /* per entry x metric (n_metrics a row): self + non-recursive calls out */
    double *calls_in;          /* per entry: calls into it, recursion left out */
    size_t path[CALLPATHS_MAX_DEPTH];
    double min_incl;
    int cut;
} walker;

static uint64_t scale(uint64_t v, double f)
{
    double r = (double)v * f;
    return r <= 0 ? 0 : r >= 1.8e19 ? UINT64_MAX : (uint64_t)(r + 0.5);
}

static int on_path(const walker *w, size_t depth, size_t entry)
{
    for (size_t i = 0; i < depth; i++)
        if (w->path[i] == entry)
            return 1;
    return 0;
}

/* A call that is not recursion (recursive calls are inside the outer one). */
static int real_call(const prof_edge *g)
{
    return g->caller != g->callee && g->incl[0] > 0;
}

/* Node `node` holds entry path[depth-1]; a[] is the cost that flowed along
 * this path into it, per metric. */
static void fill(walker *w, size_t node, size_t depth, const double *a)
{
    prof_model *m = w->m;
    size_t e = w->path[depth - 1], nm = m->n_metrics;
    const prof_entry *f = &m->entries[e];
    const double *t = &w->total[e * nm];
    prof_node *n = &m->nodes[node];
    for (size_t k = 0; k < nm; k++) {
        n->incl[k] = scale(1, a[k]);
        n->self[k] = t[k] > 0 ? scale(f->self[k], a[k] / t[k]) : 0;
    }
    if (depth >= CALLPATHS_MAX_DEPTH)
        return;
    for (size_t j = w->first[e]; j < w->first[e + 1]; j++) {
        const prof_edge *g = &m->edges[w->list[j]];
        if (!real_call(g) || on_path(w, depth, g->callee))
            continue;
        double ca[NM];
        for (size_t k = 0; k < nm; k++)
            ca[k] = t[k] > 0 ? a[k] * (double)g->incl[k] / t[k] : 0;
        if (ca[0] < w->min_incl || ca[0] <= 0)
            continue;
        if (m->n_nodes >= CALLPATHS_MAX_NODES) {
            w->cut = 1;
            return;
        }
        size_t ni = prof_model_node(m, node, g->callee);
        /* the calls along this path: the edge's calls, in the share of the
         * caller's calls that this path holds (by cost where calls are unknown) */
        double in = w->calls_in[e] > 0 ? w->calls_in[e] : (double)f->calls;   /* a recursive function's own
                                                                                  calls are not calls into it */
        double share = in > 0 ? (double)m->nodes[node].calls / in : t[0] > 0 ? a[0] / t[0] : 0;
        uint64_t calls = scale(g->calls, share > 1 ? 1 : share);
        m->nodes[ni].calls = calls || !g->calls || share <= 0 ? calls : 1;   /* a path with cost has a call */
        w->path[depth] = g->callee;
        fill(w, ni, depth + 1, ca);
    }
}

size_t vg_call_paths(prof_model *m)
{
    /* from scratch: paths of an earlier merge that no longer carry cost
     * must not linger; prof_model_node adds the synthetic root (nodes[0])
     * with the first node */
    prof_model_clear_nodes(m);
    if (m->n_metrics == 0 || m->n_entries == 0)
        return m->n_nodes;
    size_t ne = m->n_entries, nm = m->n_metrics;
    walker w;
    memset(&w, 0, sizeof w);
    w.m = m;
    w.first = calloc(ne + 1, sizeof *w.first);
    w.list = malloc((m->n_edges ? m->n_edges : 1) * sizeof *w.list);
    w.total = calloc(ne * nm, sizeof *w.total);
    double *callin = calloc(ne * nm, sizeof *callin);
    w.calls_in = calloc(ne, sizeof *w.calls_in);
    char *recursive = calloc(ne, 1);
    size_t *fill_at = calloc(ne + 1, sizeof *fill_at);
    if (!w.first || !w.list || !w.total || !w.calls_in || !callin || !fill_at || !recursive)
        goto out;
    for (size_t e = 0; e < ne; e++)
        for (size_t k = 0; k < nm; k++)
            w.total[e * nm + k] = (double)m->entries[e].self[k];
    for (size_t i = 0; i < m->n_edges; i++) {
        const prof_edge *g = &m->edges[i];
        w.first[g->caller + 1]++;
        if (!real_call(g)) {
            /* a call into a deeper recursion level, or to itself */
            if (g->calls)
                recursive[g->callee] = 1;
            continue;
        }
        for (size_t k = 0; k < nm; k++) {
            w.total[g->caller * nm + k] += (double)g->incl[k];
            callin[g->callee * nm + k] += (double)g->incl[k];
        }
        w.calls_in[g->callee] += (double)g->calls;
    }
    for (size_t e = 0; e < ne; e++)
        w.first[e + 1] += w.first[e];
    for (size_t i = 0; i < m->n_edges; i++) {
        size_t c = m->edges[i].caller;
        w.list[w.first[c] + fill_at[c]++] = i;
    }
    w.min_incl = (double)m->totals[0] / 100000;
    /*
     * Roots: the cost of a function that its callers do not account for:
     * program and thread entry points (a new thread starts inside clone,
     * which the parent thread also calls), signal handlers. Not for a
     * recursive function: the calls of its inner levels are inside its
     * outer call already, so self + calls out overstates it.
     */
    for (size_t e = 0; e < ne && !w.cut; e++) {
        if (!m->entries[e].has_incl || (recursive[e] && callin[e * nm] > 0))
            continue;
        double a[NM];
        for (size_t k = 0; k < nm; k++) {
            double x = w.total[e * nm + k] - callin[e * nm + k];
            a[k] = x > 0 ? x : 0;
        }
        if (a[0] <= 0 || a[0] < w.min_incl)
            continue;
        size_t ni = prof_model_node(m, 0, e);
        m->nodes[ni].calls = m->entries[e].calls;
        w.path[0] = e;
        fill(&w, ni, 1, a);
    }
    if (w.cut)
        prof_model_note(m, "call paths cut at %d nodes", CALLPATHS_MAX_NODES);
out:
    free(w.first);
    free(w.list);
    free(w.total);
    free(w.calls_in);
    free(callin);
    free(recursive);
    free(fill_at);
    return m->n_nodes;
}
