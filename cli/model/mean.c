/*
 * mean.c: a profile of N runs (--repeat N) shown as one: the figures of all
 * runs merged are divided by N, and each entry gets the interval of its
 * mean from the runs' own figures (model/stats.h), so a table can say
 * "1.20 ms +-2.1%".
 */
#include "model/mean.h"

#include <math.h>
#include <stdlib.h>

#include "model/derive.h"
#include "model/stats.h"
#include "sys/xalloc.h"

static int64_t div_round(int64_t v, size_t n)
{
    return (int64_t)llround((double)v / (double)n);
}

static uint64_t udiv_round(uint64_t v, size_t n)
{
    return (uint64_t)llround((double)v / (double)n);
}

static void scale(int64_t *v, size_t nm, size_t n)
{
    for (size_t k = 0; k < nm; k++)
        v[k] = div_round(v[k], n);
}

static void scale_entries(prof_model *m, size_t n)
{
    for (size_t i = 0; m->kind != PROF_REGIONS && i < m->n_entries; i++) {
        prof_entry *e = &m->entries[i];
        e->calls = udiv_round(e->calls, n);
        e->child_calls = udiv_round(e->child_calls, n);
        e->desc_calls = udiv_round(e->desc_calls, n);
        scale(e->self, m->n_metrics, n);
        scale(e->incl, m->n_metrics, n);
    }
    for (size_t i = 0; i < m->n_nodes; i++) {
        prof_node *d = &m->nodes[i];
        d->calls = udiv_round(d->calls, n);
        d->child_calls = udiv_round(d->child_calls, n);
        d->desc_calls = udiv_round(d->desc_calls, n);
        scale(d->self, m->n_metrics, n);
        scale(d->incl, m->n_metrics, n);
        /* the profiler's part too: a call's share of it takes the mean's calls */
        d->raw_self = div_round(d->raw_self, n);
        d->oh_self = div_round(d->oh_self, n);
    }
    for (size_t i = 0; i < m->n_edges; i++) {
        m->edges[i].calls = udiv_round(m->edges[i].calls, n);
        scale(m->edges[i].incl, m->n_metrics, n);
    }
    scale(m->totals, m->n_metrics, n);
    /* a region's figures are the sums of its nodes': made again from the
     * rounded nodes, so the two stay equal (a report read back checks it) */
    if (m->kind == PROF_REGIONS)
        prof_derive_regions(m);
}

/* Entry e's figure of metric k in every run (0 where a run lacks it). */
static void samples(const prof_entry *e, const char *metric, prof_model *const *runs,
                    size_t n, double *x)
{
    for (size_t r = 0; r < n; r++) {
        size_t j = prof_model_find_entry(runs[r], e->name, e->file, e->line, e->object);
        int mk = prof_model_find_metric(runs[r], metric);
        x[r] = 0;
        if (j != (size_t)-1 && mk >= 0) {
            const prof_entry *o = &runs[r]->entries[j];
            x[r] = (double)(o->has_incl ? o->incl[mk] : o->self[mk]);
        }
    }
}

void prof_mean_of_runs(prof_model *sum, prof_model *const *runs, size_t n, double confidence)
{
    if (n < 2)
        return;
    scale_entries(sum, n);
    sum->n_runs = n;
    sum->confidence = confidence;
    double *x = xcalloc(n, sizeof *x);
    for (size_t i = 0; i < sum->n_entries; i++) {
        prof_entry *e = &sum->entries[i];
        for (size_t k = 0; k < sum->n_metrics; k++) {
            double mean, half;
            samples(e, sum->metrics[k].name, runs, n, x);
            if (stats_mean_ci(x, n, confidence, STATS_RESAMPLES, &mean, &half) == 0)
                prof_entry_half(e)[k] = (int64_t)llround(half);
        }
    }
    free(x);
}
