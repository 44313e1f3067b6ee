/*
 * groups.c: the processes of a profile by rank or by host (see groups.h).
 */
#include "groups.h"

#include <stdlib.h>
#include <string.h>

#include "model/derive.h"
#include "options.h"
#include "sys/xalloc.h"

static int same_host(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* d's group, added if new. */
static group *group_of(groups *g, const cprof_dump *d)
{
    long rank = g->by == OUT_BY_RANK ? cprof_dump_rank(d) : -1;
    const char *host = g->by == OUT_BY_HOST ? cprof_dump_host(d) : NULL;
    for (size_t i = 0; i < g->n; i++)
        if (g->v[i].rank == rank && same_host(g->v[i].host, host))
            return &g->v[i];
    g->v = xgrow(g->v, g->n, &g->cap, sizeof *g->v);
    group *x = &g->v[g->n++];
    *x = (group){ .rank = rank, .host = host ? xstrdup(host) : NULL, .pid = cprof_dump_pid(d),
                  .m = prof_model_new(PROF_REGIONS, "cprof") };
    return x;
}

/* all's metrics, in its order: a group's are always a prefix of them (it
 * is given all's before each of its dumps, which all has merged first). */
static void same_metrics(prof_model *m, const prof_model *all)
{
    for (size_t k = m->n_metrics; k < all->n_metrics; k++)
        prof_model_metric(m, all->metrics[k].name, all->metrics[k].is_time);
}

void groups_add(groups *g, const prof_model *all, const cprof_dump *d, int compensate)
{
    group *x = group_of(g, d);
    same_metrics(x->m, all);
    cprof_dump_merge(x->m, d, -1, compensate);
    x->procs++;
}

static int by_key(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->rank != y->rank)   /* -1 (none) last */
        return x->rank < 0 ? 1 : y->rank < 0 ? -1 : x->rank < y->rank ? -1 : 1;
    if (!x->host || !y->host)
        return !x->host - !y->host;
    return strcmp(x->host, y->host);
}

void groups_finish(groups *g, const prof_model *all)
{
    for (size_t i = 0; i < g->n; i++) {
        prof_model *m = g->v[i].m;
        same_metrics(m, all);
        prof_derive_regions(m);
        for (size_t j = 0; j < m->n_entries; j++) {
            prof_entry *e = &m->entries[j];
            size_t a = prof_model_find_entry(all, e->name, e->file, e->line, e->object);
            free(e->label);
            e->label = a == (size_t)-1 || !all->entries[a].label ? NULL : xstrdup(all->entries[a].label);
        }
    }
    if (g->n)
        qsort(g->v, g->n, sizeof *g->v, by_key);
}

void groups_free(groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->v[i].host);
        prof_model_free(g->v[i].m);
    }
    free(g->v);
    memset(g, 0, sizeof *g);
}
