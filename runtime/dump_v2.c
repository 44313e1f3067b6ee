/*
 * dump_v2.c: the compact dump's own parts (format "cprof-2",
 * docs/dump-format.md): one table of the sites of the process, and per
 * thread its call tree only, a node an array of what the reader cannot
 * derive. Regions, exclusive figures and call counts of children are the
 * reader's to derive, with the rules derive.c applies for cprof-1.
 */
#include <stdlib.h>

#include "dump.h"
#include "json.h"

void cprof_dump_put_u(FILE *f, unsigned long long v)
{
    char buf[24], *p = buf + sizeof buf;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    fwrite(p, 1, (size_t)(buf + sizeof buf - p), f);
}

void cprof_dump_put_i(FILE *f, long long v)
{
    if (v < 0) {
        putc('-', f);
        cprof_dump_put_u(f, 0ull - (unsigned long long)v);
    } else {
        cprof_dump_put_u(f, (unsigned long long)v);
    }
}

uint32_t *cprof_dump_v2_site_map(const cprof_node *const *nodes, const uint32_t *nnodes, size_t nthreads,
                                 uint32_t nregions, uint32_t *n)
{
    uint32_t *site_of = calloc((size_t)nregions + 1, sizeof *site_of);
    *n = 0;
    if (!site_of)
        return NULL;
    for (size_t t = 0; t < nthreads; t++)
        for (uint32_t k = 1; nodes[t] && k < nnodes[t]; k++)
            if (nodes[t][k].region <= nregions)
                site_of[nodes[t][k].region] = 1;
    for (uint32_t id = 1; id <= nregions; id++)
        if (site_of[id])
            site_of[id] = ++*n;
    return site_of;
}

void cprof_dump_v2_sites(FILE *f, const uint32_t *site_of, uint32_t nregions)
{
    fputs(",\n  \"sites\": [", f);
    const char *sep = "\n";
    cprof_region_info info;
    for (uint32_t id = 1; id <= nregions; id++) {
        if (!site_of[id])
            continue;
        int known = cprof_registry_get(id, &info);
        fputs(sep, f);
        putc('[', f);
        cprof_json_str(f, known ? info.name : "");
        putc(',', f);
        cprof_json_str(f, known ? info.file : "");
        putc(',', f);
        cprof_dump_put_i(f, known ? info.line : 0);
        putc(']', f);
        sep = ",\n";
    }
    fputs("]", f);
}

static int column_written(const dump_column *col, int has_papi)
{
    return col->kind != CPROF_EV_PAPI || has_papi;
}

/* The thread's columns, when some active event is not among them (a
 * thread whose PAPI event set failed has its built-in and user counters). */
static void write_columns(FILE *f, const dump_columns *cols, int has_papi)
{
    int all = 1;
    for (int i = 0; i < cols->n; i++)
        all &= column_written(&cols->v[i], has_papi);
    if (all)
        return;
    fputs(",\n     \"counters\": [", f);
    for (int i = 0, k = 0; i < cols->n; i++) {
        if (!column_written(&cols->v[i], has_papi))
            continue;
        fputs(k++ ? "," : "", f);
        cprof_json_str(f, cols->v[i].name);
    }
    putc(']', f);
}

static void extra(FILE *f, int *any, const char *key, unsigned long long v)
{
    fputs(*any ? ",\"" : ",{\"", f);
    fputs(key, f);
    fputs("\":", f);
    cprof_dump_put_u(f, v);
    *any = 1;
}

/*
 * The trailing object, only on nodes that need it: what throttling left
 * (timed, period, child_timed, child_untimed, child_untimed_scope), whenever the reader could
 * not derive it as "every pair timed, no period, child_timed = child
 * calls less untimed ones", and "open".
 */
static void write_extras(FILE *f, const cprof_node *y, const cprof_derived *d, int open)
{
    int any = 0, throttled = y->timed < y->pairs;
    uint64_t ct = d->child_pairs > d->child_untimed ? d->child_pairs - d->child_untimed : 0;
    if (throttled)
        extra(f, &any, "timed", y->timed);
    if (throttled || y->period >= 2)
        extra(f, &any, "period", y->period);
    if (throttled || d->child_timed != ct)
        extra(f, &any, "child_timed", d->child_timed);
    if (d->child_untimed)
        extra(f, &any, "child_untimed", d->child_untimed);
    if (d->child_untimed_scope)
        extra(f, &any, "child_untimed_scope", d->child_untimed_scope);
    if (open) {
        fputs(any ? ",\"open\":true" : ",{\"open\":true", f);
        any = 1;
    }
    if (any)
        putc('}', f);
}

/* [parent, site, pairs, calls, incl_ns, min_ns, max_ns, counters' incl..., {extras}] */
static void write_node(FILE *f, const dump_columns *cols, const dump_thread *t, uint32_t n,
                       const uint32_t *site_of)
{
    const cprof_node *y = &t->nodes[n];
    const cprof_derived *d = &t->d[n];
    putc('[', f);
    cprof_dump_put_u(f, y->parent);
    putc(',', f);
    cprof_dump_put_u(f, site_of[y->region] - 1);
    putc(',', f);
    cprof_dump_put_u(f, y->pairs);
    putc(',', f);
    cprof_dump_put_u(f, y->pairs - y->incomplete);
    putc(',', f);
    cprof_dump_put_u(f, y->incl);
    if (y->min <= y->max) {   /* a completed timed call */
        putc(',', f);
        cprof_dump_put_u(f, y->min);
        putc(',', f);
        cprof_dump_put_u(f, y->max);
    } else {
        fputs(",null,null", f);
    }
    for (int i = 0; i < cols->n; i++) {
        if (!column_written(&cols->v[i], t->has_papi))
            continue;
        putc(',', f);
        cprof_dump_put_i(f, d->c_incl[cols->v[i].slot]);
    }
    write_extras(f, y, d, t->open && t->open[n]);
    putc(']', f);
}

void cprof_dump_v2_tree(FILE *f, const dump_columns *cols, const dump_thread *t,
                        const uint32_t *site_of)
{
    write_columns(f, cols, t->has_papi);
    fputs(",\n     \"tree\": [", f);
    for (uint32_t n = 1; n < t->nnodes; n++) {
        fputs(n > 1 ? ",\n" : "\n", f);
        write_node(f, cols, t, n, site_of);
    }
    fputs("]}", f);
}
