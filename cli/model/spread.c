/*
 * spread.c: each region's figures per process and their spread (see
 * spread.h).
 */
#include "model/spread.h"
#include "sys/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* One region's rows: per process that entered it, [n, v0 .. v(n-1)], n the
 * metrics the model had then (a later event is not that process's). */
typedef struct rows {
    int64_t *v;
    size_t n, cap;
} rows;

struct prof_spread {
    size_t procs;
    int open;                  /* between begin and end */
    size_t cap;                /* entries the arrays below hold */
    int64_t *cur;              /* this process's sums, PROF_MAX_METRICS per entry */
    uint8_t *in_cur;           /* ... the entries it entered */
    size_t *touched;
    size_t n_touched;
    rows *per;
    prof_spread_fig *fixed;    /* a report's, PROF_MAX_METRICS per entry (procs 0: none) */
};

static struct prof_spread *spread_of(prof_model *m)
{
    if (!m->spread)
        m->spread = xcalloc(1, sizeof *m->spread);
    return m->spread;
}

/* Room for entry e in every per-entry array. */
static void room(struct prof_spread *s, size_t e)
{
    if (e < s->cap)
        return;
    size_t cap = s->cap ? s->cap : 64;
    while (cap <= e)
        cap *= 2;
    s->cur = xrealloc(s->cur, cap * PROF_MAX_METRICS * sizeof *s->cur);
    s->in_cur = xrealloc(s->in_cur, cap);
    s->touched = xrealloc(s->touched, cap * sizeof *s->touched);
    s->per = xrealloc(s->per, cap * sizeof *s->per);
    memset(s->in_cur + s->cap, 0, cap - s->cap);
    memset(s->per + s->cap, 0, (cap - s->cap) * sizeof *s->per);
    if (s->fixed) {
        s->fixed = xrealloc(s->fixed, cap * PROF_MAX_METRICS * sizeof *s->fixed);
        memset(s->fixed + s->cap * PROF_MAX_METRICS, 0, (cap - s->cap) * PROF_MAX_METRICS * sizeof *s->fixed);
    }
    s->cap = cap;
}

void prof_spread_begin(prof_model *m)
{
    spread_of(m)->open = 1;
}

void prof_spread_add(prof_model *m, size_t entry, const int64_t *self)
{
    struct prof_spread *s = m->spread;
    if (!s || !s->open)
        return;
    room(s, entry);
    int64_t *row = s->cur + entry * PROF_MAX_METRICS;
    if (!s->in_cur[entry]) {
        s->in_cur[entry] = 1;
        s->touched[s->n_touched++] = entry;
        memset(row, 0, PROF_MAX_METRICS * sizeof *row);
    }
    for (size_t k = 0; k < m->n_metrics; k++)
        row[k] = prof_add(row[k], self[k]);
}

void prof_spread_end(prof_model *m)
{
    struct prof_spread *s = m->spread;
    if (!s || !s->open)
        return;
    size_t nm = m->n_metrics;
    for (size_t i = 0; i < s->n_touched; i++) {
        size_t e = s->touched[i];
        rows *r = &s->per[e];
        while (r->n + nm + 1 > r->cap) {
            r->cap = r->cap ? r->cap * 2 : nm + 1;
            r->v = xrealloc(r->v, r->cap * sizeof *r->v);
        }
        r->v[r->n++] = (int64_t)nm;
        memcpy(r->v + r->n, s->cur + e * PROF_MAX_METRICS, nm * sizeof *r->v);
        r->n += nm;
        s->in_cur[e] = 0;
    }
    s->n_touched = 0;
    s->open = 0;
    s->procs++;
}

size_t prof_spread_procs(const prof_model *m)
{
    return m->spread ? m->spread->procs : 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* min, max, median, mean and imbalance of v[0 .. n), n > 0 (sorted here). */
static void figures_of(int64_t *v, size_t n, prof_spread_fig *out)
{
    qsort(v, n, sizeof *v, cmp_i64);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)v[i];
    out->procs = n;
    out->min = v[0];
    out->max = v[n - 1];
    out->median = n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
    out->mean = sum / (double)n;
    out->imbalance = out->max > 0 ? ((double)out->max - out->mean) / (double)out->max : 0;
}

int prof_spread_of(const prof_model *m, size_t entry, size_t metric, prof_spread_fig *out)
{
    const struct prof_spread *s = m->spread;
    if (!s || entry >= s->cap || metric >= PROF_MAX_METRICS)
        return 0;
    if (s->fixed) {
        *out = s->fixed[entry * PROF_MAX_METRICS + metric];
        return out->procs > 0;
    }
    const rows *r = &s->per[entry];
    int64_t *v = xcalloc(r->n + 1, sizeof *v);
    size_t n = 0;
    for (size_t at = 0; at < r->n; at += 1 + (size_t)r->v[at])
        if (metric < (size_t)r->v[at])
            v[n++] = r->v[at + 1 + metric];
    if (n)
        figures_of(v, n, out);
    free(v);
    return n > 0;
}

void prof_spread_set_procs(prof_model *m, size_t procs)
{
    struct prof_spread *s = spread_of(m);
    s->procs = procs;
    if (!s->fixed) {
        size_t cap = s->cap;
        s->fixed = xcalloc(cap ? cap * PROF_MAX_METRICS : 1, sizeof *s->fixed);
    }
}

void prof_spread_set(prof_model *m, size_t entry, size_t metric, const prof_spread_fig *f)
{
    if (metric >= PROF_MAX_METRICS)
        return;
    struct prof_spread *s = spread_of(m);
    if (!s->fixed)
        prof_spread_set_procs(m, s->procs);
    room(s, entry);
    s->fixed[entry * PROF_MAX_METRICS + metric] = *f;
}

void prof_spread_clear(prof_model *m)
{
    struct prof_spread *s = m->spread;
    if (!s)
        return;
    for (size_t e = 0; e < s->cap; e++)
        free(s->per[e].v);
    free(s->cur);
    free(s->in_cur);
    free(s->touched);
    free(s->per);
    free(s->fixed);
    free(s);
    m->spread = NULL;
}
