/* callpaths.c: call paths from a call graph (see callpaths.h). */
#include "callpaths.h"

#include <stdlib.h>
#include <string.h>

#define NM PROF_MAX_METRICS

typedef struct walker {
    prof_model *m;
    size_t *first, *list;      /* outgoing edges per entry (CSR) */
    size_t path[CALLPATHS_MAX_DEPTH];
    uint64_t min_incl;
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

/* Node `node` holds entry path[depth-1] with fractions f of its figures. */
static void expand(walker *w, size_t node, size_t depth, const double *f)
{
    prof_model *m = w->m;
    size_t e = w->path[depth - 1];
    if (depth >= CALLPATHS_MAX_DEPTH)
        return;
    for (size_t j = w->first[e]; j < w->first[e + 1]; j++) {
        const prof_edge *g = &m->edges[w->list[j]];
        const prof_entry *c = &m->entries[g->callee];
        if (g->callee == e || g->incl[0] == 0 || on_path(w, depth, g->callee))
            continue;   /* recursion: already inside the caller's figures */
        double cf[NM];
        for (size_t k = 0; k < m->n_metrics; k++)
            cf[k] = c->incl[k] ? f[k] * (double)g->incl[k] / (double)c->incl[k] : 0;
        if (scale(c->incl[0], cf[0]) < w->min_incl)
            continue;
        if (m->n_nodes >= CALLPATHS_MAX_NODES) {
            w->cut = 1;
            return;
        }
        size_t ni = prof_model_node(m, node, g->callee);
        prof_node *n = &m->nodes[ni];
        n->calls = scale(g->calls, f[0]);
        for (size_t k = 0; k < m->n_metrics; k++) {
            n->self[k] = scale(c->self[k], cf[k]);
            n->incl[k] = scale(c->incl[k], cf[k]);
        }
        w->path[depth] = g->callee;
        expand(w, ni, depth + 1, cf);
    }
}

size_t vg_call_paths(prof_model *m)
{
    /* prof_model_node adds the synthetic root (nodes[0]) with the first node */
    for (size_t i = 0; i < m->n_nodes; i++) {
        prof_node *n = &m->nodes[i];
        n->calls = n->child_calls = n->desc_calls = 0;
        memset(n->self, 0, sizeof n->self);
        memset(n->incl, 0, sizeof n->incl);
    }
    if (m->n_metrics == 0 || m->n_entries == 0)
        return m->n_nodes;
    walker w;
    memset(&w, 0, sizeof w);
    w.m = m;
    w.first = calloc(m->n_entries + 1, sizeof *w.first);
    w.list = malloc((m->n_edges ? m->n_edges : 1) * sizeof *w.list);
    char *called = calloc(m->n_entries, 1);
    if (!w.first || !w.list || !called)
        goto out;
    for (size_t i = 0; i < m->n_edges; i++) {
        w.first[m->edges[i].caller + 1]++;
        if (m->edges[i].caller != m->edges[i].callee && m->edges[i].incl[0])
            called[m->edges[i].callee] = 1;
    }
    for (size_t i = 0; i < m->n_entries; i++)
        w.first[i + 1] += w.first[i];
    size_t *fill = calloc(m->n_entries + 1, sizeof *fill);
    if (!fill)
        goto out;
    for (size_t i = 0; i < m->n_edges; i++) {
        size_t c = m->edges[i].caller;
        w.list[w.first[c] + fill[c]++] = i;
    }
    free(fill);
    w.min_incl = m->totals[0] / 100000;
    double one[NM];
    for (size_t k = 0; k < NM; k++)
        one[k] = 1.0;
    /* roots: functions nothing else calls (program and thread entry points) */
    for (size_t e = 0; e < m->n_entries && !w.cut; e++) {
        const prof_entry *r = &m->entries[e];
        if (called[e] || !r->has_incl || r->incl[0] < w.min_incl || r->incl[0] == 0)
            continue;
        size_t ni = prof_model_node(m, 0, e);
        prof_node *n = &m->nodes[ni];
        n->calls = r->calls;
        memcpy(n->self, r->self, sizeof n->self);
        memcpy(n->incl, r->incl, sizeof n->incl);
        w.path[0] = e;
        expand(&w, ni, 1, one);
    }
    if (w.cut)
        prof_model_note(m, "call paths cut at %d nodes", CALLPATHS_MAX_NODES);
out:
    free(w.first);
    free(w.list);
    free(called);
    return m->n_nodes;
}
