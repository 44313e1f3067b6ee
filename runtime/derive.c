/*
 * derive.c: the figures the hot path does not keep, computed from a thread's
 * call tree at dump time. A node's children lie inside it, so its exclusive
 * figures are its inclusive ones minus its children's; a region's flat totals
 * add up its nodes, and "recursion counts once" means a node adds inclusive
 * figures only when no ancestor node is the same region.
 */
#include <math.h>
#include <stdlib.h>

#include "derive.h"

uint8_t *cprof_scope_regions(uint32_t nregions)
{
    uint8_t *scope = calloc((size_t)nregions + 1, 1);
    cprof_region_info info;
    for (uint32_t id = 1; scope && id <= nregions; id++)
        scope[id] = cprof_registry_get(id, &info) && info.scope;
    return scope;
}

static void fold_children(const cprof_node *nodes, uint32_t nnodes, int nev, int own_from, uint32_t nregions,
                          const uint8_t *open, cprof_derived *d)
{
    uint8_t *scope = cprof_scope_regions(nregions);
    /* Parents are created before their children: one backward pass. */
    for (uint32_t n = nnodes - 1; n >= 1; n--) {
        cprof_derived *p = &d[nodes[n].parent];
        p->child_incl += nodes[n].incl;
        p->child_pairs += nodes[n].pairs;
        /* a running thread's copy may read timed after a pair it missed */
        uint64_t timed = nodes[n].timed < nodes[n].pairs ? nodes[n].timed : nodes[n].pairs;
        p->child_timed += timed;
        p->child_untimed += nodes[n].pairs - timed;
        if (scope && nodes[n].region <= nregions && scope[nodes[n].region])
            p->child_untimed_scope += nodes[n].pairs - timed;
        p->desc_pairs += d[n].desc_pairs + nodes[n].pairs;
        p->scaled_kids |= nodes[n].timed < nodes[n].pairs;
    }
    /* Counters: children first (backward), so a raised open child raises its
     * parent. Counters from own_from on hold what was counted while the node
     * was innermost (user counters): that is their exclusive figure. */
    for (uint32_t n = nnodes - 1; n >= 1; n--) {
        for (int e = 0; e < nev; e++) {
            if (e >= own_from) {
                d[n].c_excl[e] = nodes[n].c_incl[e];
                d[n].c_incl[e] = nodes[n].c_incl[e] + d[n].child_c[e];
            } else {
                d[n].c_incl[e] = nodes[n].c_incl[e];
                if (open && open[n] && d[n].c_incl[e] < d[n].child_c[e])
                    d[n].c_incl[e] = d[n].child_c[e];
                d[n].c_excl[e] = d[n].c_incl[e] - d[n].child_c[e];
            }
            d[nodes[n].parent].child_c[e] += d[n].c_incl[e];
        }
    }
    for (uint32_t n = 1; n < nnodes; n++) {
        d[n].excl = (int64_t)nodes[n].incl - (int64_t)d[n].child_incl;
        if (d[n].excl < 0 && !d[n].scaled_kids)
            d[n].excl = 0;   /* a clock step, not an estimate: as measured, at least nothing */
    }
    free(scope);
}

/* Marks the nodes with no ancestor of their own region (depth-first, no recursion). */
static int mark_outermost(const cprof_node *nodes, uint32_t nnodes, uint32_t nregions,
                          cprof_derived *d)
{
    uint32_t *first = calloc(nnodes, sizeof *first), *next = calloc(nnodes, sizeof *next);
    uint32_t *open = calloc((size_t)nregions + 1, sizeof *open);
    uint32_t *stack = malloc((size_t)nnodes * sizeof *stack);
    int rc = -1;
    if (!first || !next || !open || !stack)
        goto out;
    for (uint32_t n = nnodes - 1; n >= 1; n--) {
        next[n] = first[nodes[n].parent];
        first[nodes[n].parent] = n;
    }
    /* stack[i] is the node open at depth i; `cur` walks the tree in order. */
    uint32_t depth = 0, cur = first[0];
    while (cur) {
        uint32_t r = nodes[cur].region <= nregions ? nodes[cur].region : 0;
        d[cur].outermost = open[r] == 0;
        open[r]++;
        stack[depth++] = cur;
        cur = first[cur];
        while (!cur && depth) {
            uint32_t done = stack[--depth];
            open[nodes[done].region <= nregions ? nodes[done].region : 0]--;
            cur = next[done];
        }
    }
    rc = 0;
out:
    free(first), free(next), free(open), free(stack);
    return rc;
}

static uint64_t scale_u(uint64_t v, double s)
{
    return (uint64_t)((double)v * s + 0.5);
}

void cprof_scale_sampled(cprof_node *nodes, uint32_t nnodes, int nev, int own_from)
{
    for (uint32_t n = 1; n < nnodes; n++) {
        cprof_node *x = &nodes[n];
        if (x->timed && x->timed < x->pairs) {
            double s = (double)x->pairs / (double)x->timed;
            x->incl = scale_u(x->incl, s);
            for (int e = 0; e < nev && e < own_from; e++)
                x->c_incl[e] = llround((double)x->c_incl[e] * s);
        }
        x->incl += x->over;   /* what capped calls took past their cap: once, as it happened */
    }
}

int cprof_derive(const cprof_node *nodes, uint32_t nnodes, int nev, int own_from, uint32_t nregions,
                 const uint8_t *open, cprof_derived **dnodes, cprof_region_sum **sums)
{
    cprof_derived *d = calloc(nnodes, sizeof *d);
    cprof_region_sum *s = calloc((size_t)nregions + 1, sizeof *s);
    if (!d || !s || mark_outermost(nodes, nnodes, nregions, d) != 0) {
        free(d), free(s);
        return -1;
    }
    fold_children(nodes, nnodes, nev, own_from, nregions, open, d);
    for (uint32_t n = 1; n < nnodes; n++) {
        const cprof_node *x = &nodes[n];
        if (x->region == 0 || x->region > nregions)
            continue;
        cprof_region_sum *r = &s[x->region];
        if (r->pairs == 0)
            r->min = UINT64_MAX;
        if (x->min < r->min)
            r->min = x->min;
        if (x->max > r->max)
            r->max = x->max;
        r->timed += x->timed;
        r->child_timed += d[n].child_timed;
        r->child_untimed += d[n].child_untimed;
        r->child_untimed_scope += d[n].child_untimed_scope;
        if (x->period > r->period)
            r->period = x->period;
        r->calls += x->pairs - x->incomplete;
        r->pairs += x->pairs;
        r->excl += d[n].excl;
        r->child_calls += d[n].child_pairs;
        for (int e = 0; e < nev; e++)
            r->c_excl[e] += d[n].c_excl[e];
        if (d[n].outermost) {
            r->incl += x->incl;
            r->incl_calls += x->pairs;
            r->desc_calls += d[n].desc_pairs;
            for (int e = 0; e < nev; e++)
                r->c_incl[e] += d[n].c_incl[e];
        }
    }
    *dnodes = d;
    *sums = s;
    return 0;
}
