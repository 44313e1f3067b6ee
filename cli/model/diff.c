/*
 * diff.c: two profiles compared row by row and call path by call path (see
 * diff.h). Each side's runs are folded into per-run samples; a row's cell
 * holds the two means and the verdict: exact metrics by equality, noisy
 * ones by the bootstrap interval of model/stats.h.
 */
#include "model/diff.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uthash.h>

#include "model/derive.h"
#include "model/stats.h"
#include "model/trust.h"
#include "sys/xalloc.h"

/* Row key: the full name. Node key: (parent diff node, row). */
typedef struct name_key {
    char *key;
    size_t index;
    UT_hash_handle hh;
} name_key;

typedef struct path_key {
    struct { size_t parent, row; } key;
    size_t index;
    UT_hash_handle hh;
} path_key;

/* One row's or node's samples: per side, runs x metrics (incl and self);
 * in: a node is on that side. */
typedef struct samples {
    double *incl[2], *self[2];
    int in[2];
    int scaled;   /* a throttled region in some run: its counters are estimates, not exact */
} samples;

typedef struct diff_index {
    name_key *rows;
    path_key *nodes;
    samples *row_s, *node_s;   /* parallel to rows / nodes */
    size_t cap_row_s, cap_node_s;
    size_t runs[2];
    /* metric k of the diff is metric map[side][run][k] of that run's model (-1: calls) */
} diff_index;

const char *diff_verdict_name(diff_verdict v)
{
    static const char *const names[] = {
        [DIFF_SAME] = "same", [DIFF_REGRESSED] = "regressed", [DIFF_IMPROVED] = "improved",
        [DIFF_NOISE] = "within noise", [DIFF_NO_ESTIMATE] = "no noise estimate",
        [DIFF_NEW] = "new", [DIFF_GONE] = "gone", [DIFF_INCONCLUSIVE] = "inconclusive",
        [DIFF_UNTRUSTED] = "untrusted",
    };
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

void diff_note(prof_diff *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    d->notes = xgrow(d->notes, d->n_notes, &d->cap_notes, sizeof *d->notes);
    d->notes[d->n_notes++] = s;
}

int diff_find_metric(const prof_diff *d, const char *name)
{
    int found = -1;
    for (size_t i = 0; i < d->n_metrics; i++)
        if (strcmp(d->metrics[i].name, name) == 0)
            return (int)i;
    for (size_t i = 0; i < d->n_metrics; i++)
        if (strcasecmp(d->metrics[i].name, name) == 0) {
            if (found >= 0)
                return -1;
            found = (int)i;
        }
    return found;
}

/* ---- metrics --------------------------------------------------------------- */

/* Deterministic: valgrind's events, sde::: counters, and the runtime's own
 * (cprof::allocs, ...) and the program's (user::NAME) counts. */
static int metric_exact(prof_kind k, const char *name)
{
    return k != PROF_REGIONS || strncasecmp(name, "sde:::", 6) == 0 || strncmp(name, "cprof::", 7) == 0 ||
           strncmp(name, "user::", 6) == 0;
}

/* Read at enter and exit, so scaled for a throttled region: every counter
 * but the program's own counts (user::NAME) and calls. */
static int metric_scaled(const char *name)
{
    return strcmp(name, "calls") != 0 && strncmp(name, "user::", 6) != 0;
}

/* 1 if every run of side s has metric `name`. */
static int side_has(const diff_side *s, const char *name)
{
    for (size_t r = 0; r < s->n; r++)
        if (prof_model_find_metric(s->runs[r], name) < 0)
            return 0;
    return 1;
}

/* The metrics every run of both sides has (a's order), then calls; the
 * others are named. */
static void choose_metrics(prof_diff *d, const diff_side *sa, const diff_side *sb)
{
    const prof_model *a = sa->runs[0], *b = sb->runs[0];
    for (size_t i = 0; i < a->n_metrics && d->n_metrics < DIFF_MAX_METRICS - 1; i++) {
        const char *name = a->metrics[i].name;
        if (prof_model_find_metric(b, name) < 0) {
            diff_note(d, "%s is only in %s: not compared", name, d->name_a);
            continue;
        }
        if (!side_has(sb, name) || !side_has(sa, name)) {
            diff_note(d, "%s is not in every run of %s: not compared", name,
                      side_has(sb, name) ? d->name_a : d->name_b);
            continue;
        }
        diff_metric *m = &d->metrics[d->n_metrics++];
        m->name = xstrdup(a->metrics[i].name);
        m->is_time = a->metrics[i].is_time;
        m->exact = !m->is_time && metric_exact(a->kind, m->name);
        m->scaled = a->kind == PROF_REGIONS && metric_scaled(m->name);
    }
    for (size_t i = 0; i < b->n_metrics; i++)
        if (prof_model_find_metric(a, b->metrics[i].name) < 0)
            diff_note(d, "%s is only in %s: not compared", b->metrics[i].name, d->name_b);
    diff_metric *c = &d->metrics[d->n_metrics++];
    c->name = xstrdup("calls");
    c->exact = 1;
}

/* For each diff metric, its index in model m (-1: calls, -2: m lacks it). */
static void metric_map(const prof_diff *d, const prof_model *m, int *map)
{
    for (size_t k = 0; k < d->n_metrics; k++)
        map[k] = k + 1 == d->n_metrics ? -1 : prof_model_find_metric(m, d->metrics[k].name);
    for (size_t k = 0; k + 1 < d->n_metrics; k++)
        if (map[k] < 0)
            map[k] = -2;
}

/* ---- rows and nodes ---------------------------------------------------------- */

static double *new_samples(const diff_index *x, int side, size_t nm)
{
    return xcalloc(x->runs[side] * nm + 1, sizeof(double));
}

static void samples_init(samples *s, const diff_index *x, size_t nm)
{
    for (int side = 0; side < 2; side++) {
        s->incl[side] = new_samples(x, side, nm);
        s->self[side] = new_samples(x, side, nm);
        s->in[side] = 0;
    }
    s->scaled = 0;
}

/* A row's key: the full name; a valgrind function's object too (strcmp of
 * ld.so is not libc's); and its file when the name is not unique in the
 * run (two C statics named work), never its line, which edits move. */
static char *row_key(const prof_entry *e, int ambiguous)
{
    const char *obj = e->object ? strrchr(e->object, '/') : NULL;
    obj = obj ? obj + 1 : e->object;
    const char *file = ambiguous && e->file ? e->file : "";
    return xasprintf("%s\x1f%s\x1f%s", e->name, obj ? obj : "", file);
}

static size_t row_of(prof_diff *d, const prof_entry *e, int side, int ambiguous)
{
    diff_index *x = d->index;
    name_key *k;
    char *key = row_key(e, ambiguous);
    HASH_FIND_STR(x->rows, key, k);
    if (!k) {
        d->rows = xgrow(d->rows, d->n_rows, &d->cap_rows, sizeof *d->rows);
        x->row_s = xgrow(x->row_s, d->n_rows, &x->cap_row_s, sizeof *x->row_s);
        diff_row *r = &d->rows[d->n_rows];
        memset(r, 0, sizeof *r);
        r->name = xstrdup(e->name);
        samples_init(&x->row_s[d->n_rows], x, d->n_metrics);
        k = xcalloc(1, sizeof *k);
        k->key = key;
        key = NULL;
        k->index = d->n_rows++;
        HASH_ADD_KEYPTR(hh, x->rows, k->key, strlen(k->key), k);
    }
    free(key);
    diff_row *r = &d->rows[k->index];
    if (e->file && (side == 1 || !r->file)) {   /* where it is now: b's place wins */
        free(r->file);
        r->file = e->file ? xstrdup(e->file) : NULL;
        r->line = e->line;
    }
    if (side == 0)
        r->in_a = 1;
    else
        r->in_b = 1;
    return k->index;
}

static size_t node_of(prof_diff *d, size_t parent, size_t row)
{
    diff_index *x = d->index;
    path_key probe, *k;
    memset(&probe, 0, sizeof probe);
    probe.key.parent = parent;
    probe.key.row = row;
    HASH_FIND(hh, x->nodes, &probe.key, sizeof probe.key, k);
    if (k)
        return k->index;
    d->nodes = xgrow(d->nodes, d->n_nodes, &d->cap_nodes, sizeof *d->nodes);
    x->node_s = xgrow(x->node_s, d->n_nodes, &x->cap_node_s, sizeof *x->node_s);
    diff_node *n = &d->nodes[d->n_nodes];
    memset(n, 0, sizeof *n);
    n->parent = parent;
    n->row = row;
    samples_init(&x->node_s[d->n_nodes], x, d->n_metrics);
    k = xcalloc(1, sizeof *k);
    k->key = probe.key;
    k->index = d->n_nodes++;
    HASH_ADD(hh, x->nodes, key, sizeof k->key, k);
    return k->index;
}

/* A path is on a side when a run there has it with a call or any figure:
 * a region open at the dump, or a callgrind path estimated from an edge
 * without a call count, has cost and no completed call. */
static int node_is_there(const prof_node *n, size_t n_metrics)
{
    if (n->calls)
        return 1;
    for (size_t k = 0; k < n_metrics; k++)
        if (n->incl[k] || n->self[k])
            return 1;
    return 0;
}

static void put(samples *s, int side, size_t run, size_t nm, const int *map, uint64_t calls,
                const int64_t *incl, const int64_t *self, int has_incl)
{
    for (size_t k = 0; k < nm; k++) {
        double vi, vs;
        if (map[k] == -2)
            continue;
        if (map[k] == -1) {
            vi = vs = (double)calls;
        } else {
            vs = (double)self[map[k]];
            vi = has_incl ? (double)incl[map[k]] : vs;
        }
        s->incl[side][run * nm + k] += vi;
        s->self[side][run * nm + k] += vs;
    }
}

/* Names (with their object) that stand for two sources somewhere: in some
 * run of either side, one name has two files. Every run keys them by file
 * then, so a.c's work is a.c's on both sides even when b.c's work is gone
 * from one. */
typedef struct seen_name {
    char *key;
    const char *file;
    int twice;
    UT_hash_handle hh;
} seen_name;

/* The names of one run (with the first file each) into *run. */
static void names_of_run(seen_name **run, const prof_model *m)
{
    for (size_t i = 0; i < m->n_entries; i++) {
        const prof_entry *e = &m->entries[i];
        char *key = row_key(e, 0);
        seen_name *s;
        HASH_FIND_STR(*run, key, s);
        if (!s) {
            s = xcalloc(1, sizeof *s);
            s->key = key;
            s->file = e->file;
            HASH_ADD_KEYPTR(hh, *run, s->key, strlen(s->key), s);
            continue;
        }
        if ((s->file == NULL) != (e->file == NULL) || (e->file && strcmp(s->file, e->file)))
            s->twice = 1;
        free(key);
    }
}

static void free_names(seen_name **table);

/* A name with two files within run m joins *table (a moved file, one file
 * in a and another in b, does not: that is one function that moved). */
static void see_run(seen_name **table, const prof_model *m)
{
    seen_name *run = NULL, *s, *tmp, *t;
    names_of_run(&run, m);
    HASH_ITER(hh, run, s, tmp) {
        HASH_FIND_STR(*table, s->key, t);
        if (s->twice && !t) {
            HASH_DEL(run, s);
            HASH_ADD_KEYPTR(hh, *table, s->key, strlen(s->key), s);
        }
    }
    free_names(&run);
}

static seen_name *ambiguous_names(const diff_side *a, const diff_side *b)
{
    seen_name *table = NULL;
    for (size_t r = 0; r < a->n; r++)
        see_run(&table, a->runs[r]);
    for (size_t r = 0; r < b->n; r++)
        see_run(&table, b->runs[r]);
    return table;
}

static int is_ambiguous(seen_name *table, const prof_entry *e)
{
    char *key = row_key(e, 0);
    seen_name *s;
    HASH_FIND_STR(table, key, s);
    free(key);
    return s != NULL;
}

static void free_names(seen_name **table)
{
    seen_name *s, *tmp;
    HASH_ITER(hh, *table, s, tmp) {
        HASH_DEL(*table, s);
        free(s->key);
        free(s);
    }
}

int diff_trust_differs(const diff_trust *t)
{
    unsigned long a = t->every[0], b = t->every[1];
    if (!a || !b || a == b)
        return 0;
    return a == 1 || b == 1 || a > 2 * b || b > 2 * a;
}

static void trust_add(diff_trust *t, int side, unsigned long every, int low)
{
    t->every[side] = every > t->every[side] ? every : t->every[side];
    t->low[side] |= low;
}

/* One run of one side into the rows' and nodes' samples. */
static void add_run(prof_diff *d, const prof_model *m, int side, size_t run, seen_name *names)
{
    diff_index *x = d->index;
    int map[DIFF_MAX_METRICS];
    metric_map(d, m, map);
    size_t nm = d->n_metrics;
    size_t *row = xcalloc(m->n_entries + 1, sizeof *row);
    for (size_t i = 0; i < m->n_entries; i++) {
        const prof_entry *e = &m->entries[i];
        row[i] = row_of(d, e, side, is_ambiguous(names, e));
        put(&x->row_s[row[i]], side, run, nm, map, e->calls, e->incl, e->self, e->has_incl);
        x->row_s[row[i]].scaled |= e->timed < e->pairs;
        trust_add(&d->rows[row[i]].trust, side, prof_entry_sampled(e) ? prof_entry_sampling(e) : 1,
                  prof_entry_low_trust(m, e));
    }
    if (m->n_nodes > 1) {
        if (d->n_nodes == 0)
            node_of(d, 0, (size_t)-1);   /* the root */
        size_t *node = xcalloc(m->n_nodes, sizeof *node);   /* model node -> diff node; parents come first */
        for (size_t i = 1; i < m->n_nodes; i++) {
            const prof_node *n = &m->nodes[i];
            node[i] = node_of(d, node[n->parent], row[n->entry]);
            put(&x->node_s[node[i]], side, run, nm, map, n->calls, n->incl, n->self, 1);
            x->node_s[node[i]].scaled |= n->timed < n->pairs;
            x->node_s[node[i]].in[side] |= node_is_there(n, m->n_metrics);
            trust_add(&d->nodes[node[i]].trust, side, n->timed < n->pairs ? prof_node_sampling(n) : 1,
                      prof_node_low_trust(n));
        }
        free(node);
    }
    free(row);
}

/* ---- verdicts ------------------------------------------------------------------ */

/* Metric k's samples of one side (a stride-nm column) into out. */
static void column(const double *s, size_t runs, size_t nm, size_t k, double *out)
{
    for (size_t r = 0; r < runs; r++)
        out[r] = s[r * nm + k];
}

/* The one judgement of a cell, for rows and call paths alike: the same
 * samples give the same interval wherever they are shown. */
static void judge(const prof_diff *d, const stats_plan *plan, const samples *s, int in_a, int in_b,
                  const diff_trust *t, size_t k, diff_cell *c, double *self_a, double *self_b)
{
    size_t nm = d->n_metrics, na = d->runs_a, nb = d->runs_b;
    double *va = xcalloc(na + nb, sizeof *va), *vb = va + na;
    column(s->incl[0], na, nm, k, va);
    column(s->incl[1], nb, nm, k, vb);
    c->a = stats_mean(va, na);
    c->b = stats_mean(vb, nb);
    column(s->self[0], na, nm, k, va);
    column(s->self[1], nb, nm, k, vb);
    *self_a = stats_mean(va, na);
    *self_b = stats_mean(vb, nb);
    if (!in_a || !in_b) {
        c->verdict = in_a ? DIFF_GONE : DIFF_NEW;
    } else if ((d->metrics[k].exact && !(s->scaled && d->metrics[k].scaled)) || c->a == c->b) {
        c->verdict = c->b > c->a ? DIFF_REGRESSED : c->b < c->a ? DIFF_IMPROVED : DIFF_SAME;
    } else {
        column(s->incl[0], na, nm, k, va);
        column(s->incl[1], nb, nm, k, vb);
        double rel;
        c->has_ci = plan && stats_change_planned(plan, va, vb, d->confidence, &rel, &c->lo, &c->hi) == 0;
        int v = c->has_ci ? stats_verdict(c->lo, c->hi, d->noise) : 0;
        double wide = DIFF_WIDE * d->noise > DIFF_WIDE_MIN ? DIFF_WIDE * d->noise : DIFF_WIDE_MIN;
        c->verdict = !c->has_ci ? DIFF_NO_ESTIMATE : v > 0 ? DIFF_REGRESSED : v < 0 ? DIFF_IMPROVED
                   : c->lo < -wide || c->hi > wide ? DIFF_INCONCLUSIVE : DIFF_NOISE;
    }
    /* the interval (kept, to be seen) measures the profiler's share as much
     * as the program: no verdict on it (diff.h, diff_metric_trust_bound) */
    if (in_a && in_b && diff_metric_trust_bound(&d->metrics[k]) && diff_trust_low(t))
        c->verdict = DIFF_UNTRUSTED;
    free(va);
}

/* 1 if metric k's samples of p and q are equal on both sides. */
static int same_column(const prof_diff *d, const samples *p, const samples *q, size_t k)
{
    size_t nm = d->n_metrics, runs[2] = {d->runs_a, d->runs_b};
    for (int side = 0; side < 2; side++)
        for (size_t r = 0; r < runs[side]; r++) {
            size_t i = r * nm + k;
            if (p->incl[side][i] != q->incl[side][i] || p->self[side][i] != q->self[side][i])
                return 0;
        }
    return p->scaled == q->scaled;
}

/* A call path whose figures are its row's (the region's one path, in
 * every run) takes the row's cell: one computation, not a second
 * bootstrap of the same samples. */
static int node_is_its_row(const prof_diff *d, const diff_node *n, const samples *ns, size_t k)
{
    const diff_index *x = d->index;
    const diff_row *r = &d->rows[n->row];
    return ns->in[0] == r->in_a && ns->in[1] == r->in_b && diff_trust_low(&n->trust) == diff_trust_low(&r->trust) &&
           same_column(d, ns, &x->row_s[n->row], k);
}

static void judge_all(prof_diff *d)
{
    diff_index *x = d->index;
    /* one set of resamples for every cell (NULL: a side of 1 run, no interval) */
    stats_plan *plan = d->runs_a > 1 && d->runs_b > 1 ? stats_plan_new(d->runs_a, d->runs_b, STATS_RESAMPLES) : NULL;
    for (size_t i = 0; i < d->n_rows; i++) {
        diff_row *r = &d->rows[i];
        for (size_t k = 0; k < d->n_metrics; k++)
            judge(d, plan, &x->row_s[i], r->in_a, r->in_b, &r->trust, k, &r->incl[k], &r->self_a[k], &r->self_b[k]);
    }
    for (size_t i = 1; i < d->n_nodes; i++) {
        diff_node *n = &d->nodes[i];
        const samples *s = &x->node_s[i];
        for (size_t k = 0; k < d->n_metrics; k++) {
            if (!node_is_its_row(d, n, s, k)) {
                judge(d, plan, s, s->in[0], s->in[1], &n->trust, k, &n->incl[k], &n->self_a[k], &n->self_b[k]);
                continue;
            }
            const diff_row *r = &d->rows[n->row];
            n->incl[k] = r->incl[k];
            n->self_a[k] = r->self_a[k];
            n->self_b[k] = r->self_b[k];
        }
    }
    stats_plan_free(plan);
}

/* ---- notes, labels --------------------------------------------------------------- */

/* A side's own warnings (a truncated file, a report cut by -n, a failed
 * program) are the diff's too, named by side. */
static void note_side_warnings(prof_diff *d, const diff_side *s)
{
    for (size_t r = 0; r < s->n; r++) {
        const prof_model *m = s->runs[r];
        for (size_t i = 0; i < m->n_notes; i++)
            if (strncmp(m->notes[i], "warning", 7) == 0)
                diff_note(d, "%s: %s", s->name, m->notes[i]);
        if (s->n == 1 && m->n_runs > 1)
            diff_note(d, "%s is the mean of %zu runs, read from a report: one sample for the "
                      "statistics (their runs would be %zu)", s->name, m->n_runs, m->n_runs);
        if (m->program_known && (m->program_status != 0 || m->program_signal))
            diff_note(d, "warning: %s: the program %s %d", s->name,
                      m->program_signal ? "was killed by signal" : "exited with status",
                      m->program_signal ? m->program_signal : m->program_status);
    }
}

static void note_differences(prof_diff *d, const prof_model *a, const prof_model *b)
{
    static const char *const what[] = {"commands", "hosts", "CPUs"};
    const char *va[] = {a->command, a->host, a->cpu}, *vb[] = {b->command, b->host, b->cpu};
    for (int i = 0; i < 3; i++)
        if (va[i] && vb[i] && strcmp(va[i], vb[i]) != 0)
            diff_note(d, "the %s differ: %s: %s; %s: %s", what[i], d->name_a, va[i], d->name_b, vb[i]);
    if (a->raw != b->raw)
        diff_note(d, "warning: %s has raw figures (--no-compensate), %s compensated ones: their "
                  "times differ by the profiler's own overhead too", a->raw ? d->name_a : d->name_b,
                  a->raw ? d->name_b : d->name_a);
    int noisy = 0;
    for (size_t k = 0; k < d->n_metrics; k++)
        noisy |= !d->metrics[k].exact;
    if (noisy && (d->runs_a < 2 || d->runs_b < 2))
        diff_note(d, "%s: no noise estimate for time (use --repeat N on both sides)",
                  d->runs_a < 2 && d->runs_b < 2 ? "1 run each" : "1 run on one side");
    else if (noisy)
        diff_note(d, "%zu runs against %zu: time judged by a %.0f%% bootstrap interval, noise "
                  "threshold %g%%", d->runs_a, d->runs_b, d->confidence * 100, d->noise * 100);
}

/* Regions timed differently on the two sides, and regions whose time is
 * mostly the profiler's on a side: their time changes say little, and the
 * views mark them (~, !). */
/* "every call" or "about 1 call in 63" (a ratio of calls to timed ones) */
static const char *timed_every_text(char *buf, size_t len, unsigned long every)
{
    if (every > 1)
        snprintf(buf, len, "about 1 call in %lu", every);
    else
        snprintf(buf, len, "every call");
    return buf;
}

static void note_trust(prof_diff *d, int raw)
{
    size_t differ = 0, low = 0, first = 0;
    for (size_t i = 0; i < d->n_rows; i++) {
        const diff_trust *t = &d->rows[i].trust;
        if (diff_trust_differs(t) && differ++ == 0)
            first = i;
        low += diff_trust_low(t);
    }
    if (differ) {
        const diff_trust *t = &d->rows[first].trust;
        char a[40], b[40];
        diff_note(d, "warning: %zu region%s timed differently on the two sides (%s: %s in %s, %s in %s): "
                  "throttling decides in each run; CPROF_SAMPLE or CPROF_THROTTLE=off on both sides "
                  "compares like with like", differ, differ == 1 ? " was" : "s were", d->rows[first].name,
                  timed_every_text(a, sizeof a, t->every[0]), d->name_a,
                  timed_every_text(b, sizeof b, t->every[1]), d->name_b);
    }
    if (low)
        diff_note(d, "! %zu region%s: more than %.0f%% of the measured time on a side is the profiler's own, %s: "
                  "their time is \"untrusted\", never regressed or improved (their calls are judged)",
                  low, low == 1 ? "" : "s", PROF_TRUST_SHARE * 100,
                  raw ? "in these raw figures too (profile fewer sites)"
                      : "so compensation can be off by more than the change (compare --no-compensate too, "
                        "or profile fewer sites)");
}

/* Labels: the shortest unique ::-suffix over both sides' names; a name
 * that is two rows (two files, two objects) gets where each is, so a table
 * and a broken limit tell them apart. */
static void label_rows(prof_diff *d)
{
    prof_model *m = prof_model_new(d->kind, "diff");
    size_t *at = xcalloc(d->n_rows + 1, sizeof *at);   /* rows of one name share an entry */
    for (size_t i = 0; i < d->n_rows; i++)
        at[i] = prof_model_entry(m, d->rows[i].name, NULL, 0, NULL);
    prof_derive_labels(m);
    size_t *uses = xcalloc(m->n_entries + 1, sizeof *uses);
    for (size_t i = 0; i < d->n_rows; i++)
        uses[at[i]]++;
    for (size_t i = 0; i < d->n_rows; i++) {
        const char *label = entry_label(&m->entries[at[i]]), *file = d->rows[i].file;
        const char *base = file && strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
        d->rows[i].label = uses[at[i]] > 1 && base ? xasprintf("%s (%s)", label, base) : xstrdup(label);
    }
    free(uses);
    free(at);
    prof_model_free(m);
}

static void free_samples(samples *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int side = 0; side < 2; side++) {
            free(s[i].incl[side]);
            free(s[i].self[side]);
        }
    free(s);
}

static void free_index(prof_diff *d)
{
    diff_index *x = d->index;
    if (!x)
        return;
    name_key *r, *rt;
    HASH_ITER(hh, x->rows, r, rt) {
        HASH_DEL(x->rows, r);
        free(r->key);
        free(r);
    }
    path_key *p, *pt;
    HASH_ITER(hh, x->nodes, p, pt) {
        HASH_DEL(x->nodes, p);
        free(p);
    }
    free_samples(x->row_s, d->n_rows);
    free_samples(x->node_s, d->n_nodes);
    free(x);
    d->index = NULL;
}

prof_diff *prof_diff_new(const diff_side *a, const diff_side *b, double confidence, double noise)
{
    prof_diff *d = xcalloc(1, sizeof *d);
    diff_index *x = xcalloc(1, sizeof *x);
    d->index = x;
    d->kind = a->runs[0]->kind;
    d->has_incl = a->runs[0]->kind != PROF_CACHEGRIND;
    d->confidence = confidence;
    d->noise = noise;
    d->name_a = xstrdup(a->name);
    d->name_b = xstrdup(b->name);
    d->runs_a = x->runs[0] = a->n;
    d->runs_b = x->runs[1] = b->n;
    choose_metrics(d, a, b);
    seen_name *names = ambiguous_names(a, b);
    for (size_t r = 0; r < a->n; r++)
        add_run(d, a->runs[r], 0, r, names);
    for (size_t r = 0; r < b->n; r++)
        add_run(d, b->runs[r], 1, r, names);
    free_names(&names);
    judge_all(d);
    note_differences(d, a->runs[0], b->runs[0]);
    note_side_warnings(d, a);
    note_side_warnings(d, b);
    if (d->kind == PROF_REGIONS)
        note_trust(d, a->runs[0]->raw && b->runs[0]->raw);
    label_rows(d);
    free_index(d);
    return d;
}

void prof_diff_free(prof_diff *d)
{
    if (!d)
        return;
    free_index(d);
    for (size_t i = 0; i < d->n_metrics; i++)
        free(d->metrics[i].name);
    for (size_t i = 0; i < d->n_rows; i++) {
        free(d->rows[i].name);
        free(d->rows[i].label);
        free(d->rows[i].file);
    }
    for (size_t i = 0; i < d->n_broken; i++)
        free(d->broken[i].why);
    for (size_t i = 0; i < d->n_notes; i++)
        free(d->notes[i]);
    free(d->rows);
    free(d->nodes);
    free(d->broken);
    free(d->notes);
    free(d->name_a);
    free(d->name_b);
    free(d);
}

/* ---- order ------------------------------------------------------------------------ */

static int is_change(diff_verdict v)
{
    return v == DIFF_REGRESSED || v == DIFF_IMPROVED || v == DIFF_NEW || v == DIFF_GONE;
}

const diff_cell *diff_decisive_cell(const prof_diff *d, const diff_cell *cells, size_t mi, size_t *by)
{
    *by = mi;
    if (is_change(cells[mi].verdict))
        return &cells[mi];
    for (size_t k = 0; k < d->n_metrics; k++)
        if (d->metrics[k].exact && is_change(cells[k].verdict)) {
            *by = k;
            return &cells[k];
        }
    return &cells[mi];
}

typedef struct order_ctx {
    const prof_diff *d;
    size_t mi;
    int by_self, regressions_first;
} order_ctx;

static int group(diff_verdict v)
{
    switch (v) {
    case DIFF_REGRESSED: return 0;
    case DIFF_IMPROVED:  return 1;
    case DIFF_NEW:       return 2;
    case DIFF_GONE:      return 3;
    case DIFF_NOISE:
    case DIFF_INCONCLUSIVE:
    case DIFF_UNTRUSTED:
    case DIFF_NO_ESTIMATE: return 4;
    case DIFF_SAME:      return 5;
    }
    return 6;
}

static double change(const order_ctx *k, const diff_row *r)
{
    double v = k->by_self ? r->self_b[k->mi] - r->self_a[k->mi] : r->incl[k->mi].b - r->incl[k->mi].a;
    return v < 0 ? -v : v;
}

static int cmp_rows(const void *pa, const void *pb, void *arg)
{
    const order_ctx *k = arg;
    const diff_row *ra = &k->d->rows[*(const size_t *)pa], *rb = &k->d->rows[*(const size_t *)pb];
    if (k->regressions_first) {
        size_t by;
        int ga = group(diff_row_cell(k->d, ra, k->mi, &by)->verdict);
        int gb = group(diff_row_cell(k->d, rb, k->mi, &by)->verdict);
        if (ga != gb)
            return ga - gb;
    }
    double da = change(k, ra), db = change(k, rb);
    if (da != db)
        return da < db ? 1 : -1;
    int c = strcmp(ra->name, rb->name);   /* one name may be two rows (two files, two objects) */
    return c ? c : (ra > rb) - (ra < rb);
}

size_t *diff_order_by(const prof_diff *d, size_t mi, int by_self, int regressions_first, size_t *n)
{
    size_t *v = xcalloc(d->n_rows + 1, sizeof *v);
    for (size_t i = 0; i < d->n_rows; i++)
        v[i] = i;
    order_ctx c = {d, mi, by_self, regressions_first};
    qsort_r(v, d->n_rows, sizeof *v, cmp_rows, &c);
    *n = d->n_rows;
    return v;
}
