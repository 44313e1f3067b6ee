/*
 * sortkey.c: the one reading of --sort (incl, excl/self, calls, mean, name,
 * EVENT, EVENT:incl, EVENT:excl, in any case) against a profile, and the
 * row order it gives. Commands check a key before running anything against
 * a model of what the run will measure; views order by it.
 */
#include "sortkey.h"
#include "sys/xalloc.h"
#include "views/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t sort_key_name_len(const char *key, sort_what *what)
{
    const char *colon = strrchr(key, ':');
    int incl = colon && strcasecmp(colon + 1, "incl") == 0;
    if (what)
        *what = incl ? SORT_INCL : SORT_SELF;
    if (colon && (incl || strcasecmp(colon + 1, "excl") == 0 || strcasecmp(colon + 1, "self") == 0))
        return (size_t)(colon - key);
    return strlen(key);
}

int sort_key_parse(const prof_model *m, const char *sort, sort_key *k, char *err, size_t errlen)
{
    int incl_ok = model_has_incl(m);
    k->metric = 0;
    /* regions: inclusive time; valgrind functions: self cost of the first
     * event, as `cargo profiler callgrind` and the original tool sort */
    k->what = incl_ok && m->kind == PROF_REGIONS ? SORT_INCL : SORT_SELF;
    if (!sort || !*sort)
        return 0;
    if (strcasecmp(sort, "excl") == 0 || strcasecmp(sort, "self") == 0) { k->what = SORT_SELF; return 0; }
    if (!strcasecmp(sort, "calls") || !strcasecmp(sort, "mean") || !strcasecmp(sort, "incl")) {
        if (m->kind == PROF_CACHEGRIND) {
            snprintf(err, errlen, "--sort %s: cachegrind records no calls, so no %s (use callgrind)",
                     sort, strcasecmp(sort, "incl") ? "call counts" : "inclusive cost");
            return -1;
        }
        if (m->kind == PROF_DHAT && strcasecmp(sort, "incl") != 0) {
            snprintf(err, errlen, "--sort %s: DHAT counts no calls (sort by blocks: allocations)", sort);
            return -1;
        }
        k->what = !strcasecmp(sort, "calls") ? SORT_CALLS : !strcasecmp(sort, "mean") ? SORT_MEAN : SORT_INCL;
        return 0;
    }
    if (strcasecmp(sort, "name") == 0) { k->what = SORT_NAME; return 0; }
    /* EVENT, EVENT:incl, EVENT:excl; event names in any case where that
     * is unambiguous */
    char name[256];
    sort_what what;
    snprintf(name, sizeof name, "%.*s", (int)sort_key_name_len(sort, &what), sort);
    int mi = prof_model_user_metric(m, name);
    if (mi < 0 && (strcasecmp(name, "time") != 0 || m->kind != PROF_REGIONS)) {   /* valgrind counts no time */
        char list[512] = "";
        for (size_t i = 0; i < m->n_metrics; i++) {
            size_t l = strlen(list);
            snprintf(list + l, sizeof list - l, ", %s", m->metrics[i].name);
        }
        snprintf(err, errlen, "--sort %s: unknown key (expected incl, excl (or self), calls, mean, name, "
                 "or an event[:incl|:excl] among: %s%s)", sort, m->n_metrics ? list + 2 : "none",
                 m->planned ? "; these are the events asked for: if one cannot be counted here, --sort falls back to time" : "");
        return -1;
    }
    if (what == SORT_INCL && !incl_ok) {
        snprintf(err, errlen, "--sort %s: %s", sort, m->kind == PROF_CACHEGRIND
                 ? "cachegrind records no calls, so no inclusive cost (use callgrind)"
                 : "this profile has no inclusive figures");
        return -1;
    }
    k->metric = mi < 0 ? 0 : mi;
    k->what = what;
    return 0;
}

static double key_value(const sort_key *k, uint64_t calls, const int64_t *self, const int64_t *incl)
{
    switch (k->what) {
    case SORT_INCL:  return (double)incl[k->metric];
    case SORT_SELF:  return (double)self[k->metric];
    case SORT_CALLS: return (double)calls;
    case SORT_MEAN:  return calls ? (double)incl[k->metric] / (double)calls : 0;
    case SORT_NAME:  return 0;
    }
    return 0;
}

int sort_cmp_values(const sort_key *k, uint64_t a_calls, const int64_t *a_self, const int64_t *a_incl,
                    uint64_t b_calls, const int64_t *b_self, const int64_t *b_incl)
{
    double a = key_value(k, a_calls, a_self, a_incl), b = key_value(k, b_calls, b_self, b_incl);
    return a > b ? 1 : a < b ? -1 : 0;
}

/* qsort has no context argument in C11: the key lives here while sorting. */
static const prof_model *cmp_model;
static const sort_key *cmp_key;

/* A total order: rows the key, name, file and line do not tell apart stay
 * in the model's order (what a stable sort would give). */
static int cmp_entries(const void *pa, const void *pb)
{
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    const prof_entry *a = &cmp_model->entries[ia];
    const prof_entry *b = &cmp_model->entries[ib];
    const int64_t *ai = a->has_incl ? a->incl : a->self, *bi = b->has_incl ? b->incl : b->self;
    int c = cmp_key->what == SORT_NAME ? 0
          : sort_cmp_values(cmp_key, a->calls, a->self, ai, b->calls, b->self, bi);
    if (c)
        return -c;   /* largest first */
    c = strcmp(a->name, b->name);
    if (c)
        return c;
    c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c)
        return c;
    c = (a->line > b->line) - (a->line < b->line);
    return c ? c : (ia > ib) - (ia < ib);
}

/* The first `limit` rows in order into idx, the rest never sorted (a table
 * of 20 rows of 456 000 functions): each row is one comparison with the
 * last kept, most often. */
static void first_rows(size_t *idx, size_t n, size_t limit)
{
    size_t have = 0;
    for (size_t e = 0; e < n; e++) {
        if (have == limit && cmp_entries(&e, &idx[have - 1]) > 0)
            continue;
        size_t lo = 0, hi = have;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp_entries(&idx[mid], &e) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (have < limit)
            have++;
        memmove(idx + lo + 1, idx + lo, (have - 1 - lo) * sizeof *idx);
        idx[lo] = e;
    }
}

size_t *sorted_entries(const prof_model *m, const sort_key *k, size_t limit, size_t *n)
{
    size_t *idx = xcalloc(m->n_entries, sizeof *idx);
    cmp_model = m;
    cmp_key = k;
    *n = limit && limit < m->n_entries ? limit : m->n_entries;
    if (*n < m->n_entries && *n <= 1024) {
        first_rows(idx, m->n_entries, *n);
        return idx;
    }
    for (size_t i = 0; i < m->n_entries; i++)
        idx[i] = i;
    qsort(idx, m->n_entries, sizeof *idx, cmp_entries);
    return idx;
}

int view_sort_key(const prof_model *m, const view_opts *o, sort_key *k)
{
    char err[512];
    if (sort_key_parse(m, o->sort, k, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "cargo-profiler: %s\n", err);
    return -1;
}
