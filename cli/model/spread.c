/*
 * spread.c: each region's figures per process and their spread (see
 * spread.h).
 */
#include "model/spread.h"
#include "sys/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * Every process's figures go to one log: per region it entered, a record
 * [entry << 8 | n, v0 .. v(n-1)], n the metrics the model had then (a
 * later event is not that process's). The log is a list of blocks that
 * are never moved or grown: thousands of small arrays, or one large one,
 * growing between the dumps' big buffers would keep the heap from reusing
 * their room, and copy. The regions' records are found through an index
 * made when the figures are first asked for.
 */
#define BLOCK_WORDS ((size_t)1 << 16)   /* 512 KB */
#define REC_ENTRY(r) ((size_t)(r)[0] >> 8)
#define REC_METRICS(r) ((size_t)(r)[0] & 0xff)

typedef struct block {
    struct block *next;
    size_t n;
    int64_t v[BLOCK_WORDS];
} block;

struct prof_spread {
    size_t procs;
    int open;                  /* between begin and end */
    size_t cap;                /* entries the per-entry arrays hold */
    int64_t *cur;              /* this process's sums, `stride` per entry */
    size_t stride;             /* the metrics when the process began (a dump's are all known then) */
    uint8_t *in_cur;           /* ... the entries it entered */
    size_t *touched;
    size_t n_touched;
    block *head, *tail;
    size_t n_recs;
    size_t *first;             /* the index: entry e's records at recs[first[e] .. first[e + 1]) */
    const int64_t **recs;
    size_t n_index, cap_index; /* the records and entries it was made for */
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
    memset(s->in_cur + s->cap, 0, cap - s->cap);
    if (s->fixed) {
        s->fixed = xrealloc(s->fixed, cap * PROF_MAX_METRICS * sizeof *s->fixed);
        memset(s->fixed + s->cap * PROF_MAX_METRICS, 0, (cap - s->cap) * PROF_MAX_METRICS * sizeof *s->fixed);
    }
    s->cap = cap;
}

void prof_spread_begin(prof_model *m)
{
    struct prof_spread *s = spread_of(m);
    s->open = 1;
    s->stride = m->n_metrics;
}

void prof_spread_add(prof_model *m, size_t entry, const int64_t *self)
{
    struct prof_spread *s = m->spread;
    if (!s || !s->open)
        return;
    room(s, entry);
    int64_t *row = s->cur + entry * s->stride;
    if (!s->in_cur[entry]) {
        s->in_cur[entry] = 1;
        s->touched[s->n_touched++] = entry;
        memset(row, 0, s->stride * sizeof *row);
    }
    for (size_t k = 0; k < s->stride; k++)
        row[k] = prof_add(row[k], self[k]);
}

/* Room for a record of n words at the log's end. */
static int64_t *log_room(struct prof_spread *s, size_t n)
{
    if (!s->tail || s->tail->n + n > BLOCK_WORDS) {
        block *b = xrealloc(NULL, sizeof *b);
        b->next = NULL;
        b->n = 0;
        if (s->tail)
            s->tail->next = b;
        else
            s->head = b;
        s->tail = b;
    }
    int64_t *r = s->tail->v + s->tail->n;
    s->tail->n += n;
    return r;
}

void prof_spread_end(prof_model *m)
{
    struct prof_spread *s = m->spread;
    if (!s || !s->open)
        return;
    size_t nm = s->stride;
    for (size_t i = 0; i < s->n_touched; i++) {
        size_t e = s->touched[i];
        int64_t *r = log_room(s, nm + 1);
        r[0] = (int64_t)(e << 8 | nm);   /* nm <= PROF_MAX_METRICS < 256 */
        memcpy(r + 1, s->cur + e * nm, nm * sizeof *r);
        s->in_cur[e] = 0;
    }
    s->n_recs += s->n_touched;
    s->n_touched = 0;
    s->open = 0;
    s->procs++;
}

/* The log's records by entry (a counting sort), made again when it or the entries grew. */
static void index_log(struct prof_spread *s)
{
    if (s->first && s->n_index == s->n_recs && s->cap_index == s->cap)
        return;
    free(s->first);
    free(s->recs);
    s->first = xcalloc(s->cap + 2, sizeof *s->first);
    s->recs = xcalloc(s->n_recs + 1, sizeof *s->recs);
    for (int pass = 0; pass < 2; pass++) {
        for (const block *b = s->head; b; b = b->next)
            for (size_t at = 0; at < b->n; at += 1 + REC_METRICS(b->v + at)) {
                size_t e = REC_ENTRY(b->v + at);
                if (pass)
                    s->recs[s->first[e + 1]++] = b->v + at;
                else
                    s->first[e + 2]++;
            }
        for (size_t e = 0; !pass && e < s->cap; e++)
            s->first[e + 2] += s->first[e + 1];
    }
    s->n_index = s->n_recs;
    s->cap_index = s->cap;
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
    struct prof_spread *s = m->spread;   /* its index is a cache, made here */
    if (!s || entry >= s->cap || metric >= PROF_MAX_METRICS)
        return 0;
    if (s->fixed) {
        *out = s->fixed[entry * PROF_MAX_METRICS + metric];
        return out->procs > 0;
    }
    index_log(s);
    size_t lo = s->first[entry], hi = s->first[entry + 1], n = 0;
    int64_t *v = xcalloc(hi - lo + 1, sizeof *v);
    for (size_t i = lo; i < hi; i++)
        if (metric < REC_METRICS(s->recs[i]))
            v[n++] = s->recs[i][1 + metric];
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
    free(s->cur);
    free(s->in_cur);
    free(s->touched);
    for (block *b = s->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(s->first);
    free(s->recs);
    free(s->fixed);
    free(s);
    m->spread = NULL;
}
