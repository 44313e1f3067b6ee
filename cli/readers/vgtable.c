/* vgtable.c: the valgrind parser's functions, edges and costs (vgtable.h). */
#include "readers/vgtable.h"

#include <stdlib.h>
#include <string.h>

#include "sys/xalloc.h"

void vgt_free(vg_table *t)
{
    free(t->fn);
    free(t->edge);
    free(t->src);
    free(t->fcost);
    free(t->ecost);
    free(t->last_of_name);
    pair_index_free(&t->fn_ix);
    pair_index_free(&t->edge_ix);
    memset(t, 0, sizeof *t);
}

/* arr of *cap records (per slots of elem bytes each) cut to n: the room
 * doubling left is given back before the model grows (a big block shrinks
 * in place). */
static void *fit(void *arr, size_t n, size_t *cap, size_t per, size_t elem)
{
    if (!arr || n == *cap)
        return arr;
    *cap = n;
    return xrealloc(arr, (n * per + 1) * elem);
}

void vgt_lookups_done(vg_table *t)
{
    pair_index_free(&t->fn_ix);
    pair_index_free(&t->edge_ix);
    free(t->last_of_name);
    t->last_of_name = NULL;
    t->cap_last = 0;
    size_t cap_fn = t->cap_fn, cap_edge = t->cap_edge;
    t->fcost = fit(t->fcost, t->n_fn, &cap_fn, 3 * t->stride, sizeof *t->fcost);
    t->ecost = fit(t->ecost, t->n_edge, &cap_edge, t->stride, sizeof *t->ecost);
    t->fn = fit(t->fn, t->n_fn, &t->cap_fn, 1, sizeof *t->fn);
    t->edge = fit(t->edge, t->n_edge, &t->cap_edge, 1, sizeof *t->edge);
    t->src = fit(t->src, t->n_src, &t->cap_src, 1, sizeof *t->src);
}

/* A pool of n records of `per` x old slots, spread to `per` x new slots. */
static uint64_t *restride(uint64_t *pool, size_t n, size_t cap, size_t per, size_t old, size_t new)
{
    uint64_t *p = xcalloc(cap ? cap * per * new : 1, sizeof *p);
    for (size_t i = 0; i < n * per; i++)
        memcpy(p + i * new, pool + i * old, old * sizeof *p);
    free(pool);
    return p;
}

void vgt_events(vg_table *t, size_t n)
{
    if (n <= t->stride)
        return;
    t->fcost = restride(t->fcost, t->n_fn, t->cap_fn, 3, t->stride, n);
    t->ecost = restride(t->ecost, t->n_edge, t->cap_edge, 1, t->stride, n);
    t->stride = n;
}

/* arr (n used of *cap) with room for one more record, and its cost pool
 * grown with it (zeroed: a new record's costs start at 0). */
static void *grow(void *arr, size_t n, size_t *cap, size_t elem, uint64_t **pool, size_t slots)
{
    size_t old = *cap;
    arr = xgrow(arr, n, cap, elem);
    if (*cap != old) {
        *pool = xrealloc(*pool, (*cap * slots + 1) * sizeof **pool);
        memset(*pool + old * slots, 0, (*cap - old) * slots * sizeof **pool);
    }
    return arr;
}

size_t vgt_func(vg_table *t, int name, int file, int obj)
{
    /* a name is most often the function of that name seen last: one array
     * read instead of a probe of the whole table */
    if ((size_t)name < t->cap_last) {
        size_t l = t->last_of_name[name];
        if (l < t->n_fn && t->fn[l].file == file && t->fn[l].obj == obj)
            return l;
    } else {
        size_t cap = t->cap_last;
        t->cap_last = (size_t)name * 2 + 64;
        t->last_of_name = xrealloc(t->last_of_name, t->cap_last * sizeof *t->last_of_name);
        memset(t->last_of_name + cap, 0xff, (t->cap_last - cap) * sizeof *t->last_of_name);
    }
    /* ids are below 2^31: name and file fit one key word, obj the other */
    size_t a = (size_t)(unsigned)name << 32 | (unsigned)(file + 1), b = (size_t)(obj + 1);
    size_t i = pair_index_put(&t->fn_ix, a, b, t->n_fn);
    t->last_of_name[name] = i;
    if (i != t->n_fn)
        return i;
    t->fn = grow(t->fn, t->n_fn, &t->cap_fn, sizeof *t->fn, &t->fcost, 3 * t->stride);
    t->fn[t->n_fn] = (vg_func){ .name = name, .file = file, .obj = obj, .srcs = -1, .last_src = -1,
                                .last_in = (size_t)-1 };
    return t->n_fn++;
}

size_t vgt_edge(vg_table *t, size_t caller, size_t callee)
{
    size_t l = t->fn[callee].last_in;   /* the same call again (another call site) */
    if (l != (size_t)-1 && t->edge[l].caller == caller)
        return l;
    size_t i = pair_index_put(&t->edge_ix, caller, callee, t->n_edge);
    t->fn[callee].last_in = i;
    if (i != t->n_edge)
        return i;
    t->edge = grow(t->edge, t->n_edge, &t->cap_edge, sizeof *t->edge, &t->ecost, t->stride);
    t->edge[t->n_edge] = (vg_edge){ .caller = (uint32_t)caller, .callee = (uint32_t)callee };
    return t->n_edge++;
}

void vgt_src_other(vg_table *t, size_t f, int file, uint64_t line, uint64_t cost)
{
    vg_func *fn = &t->fn[f];
    int i;
    for (i = fn->srcs; i >= 0 && t->src[i].file != file; i = t->src[i].next)
        ;
    if (i < 0) {
        if (fn->n_srcs == VG_MAX_FILES)
            return;
        t->src = xgrow(t->src, t->n_src, &t->cap_src, sizeof *t->src);
        i = (int)t->n_src++;
        t->src[i] = (vg_src){ .file = file, .line = line > 0 && line <= INT32_MAX ? (int)line : 0, .next = -1 };
        if (fn->srcs < 0) {
            fn->srcs = i;
        } else {   /* kept in first-seen order */
            int j = fn->srcs;
            while (t->src[j].next >= 0)
                j = t->src[j].next;
            t->src[j].next = i;
        }
        fn->n_srcs++;
    }
    t->src[i].cost += cost;
    fn->last_src = i;
}

static size_t merge_func(const vg_table *t, size_t fi, const strtab *names, prof_model *m, const int *mm,
                         size_t n, int by_name, int has_incl)
{
    const vg_func *f = &t->fn[fi];
    const char *file = f->file >= 0 ? strtab_get(names, f->file) : NULL;
    const char *obj = f->obj >= 0 ? strtab_get(names, f->obj) : NULL;
    const uint64_t *self = vgt_self(t, fi), *callin = vgt_callin(t, fi), *out = vgt_outcalls(t, fi);
    /* line 0 in the key: the same function in several files (threads)
     * is one entry even if its first line differs */
    size_t ei = prof_model_entry(m, strtab_get(names, f->name), by_name ? NULL : file, 0, obj);
    if (by_name && file)
        prof_entry_file(m, ei, file, f->line, n ? vg_sat_i64(self[0]) : 0, 1);
    for (int s = f->srcs; s >= 0; s = t->src[s].next)   /* callgrind: shown at its fl= file, as annotate does */
        prof_entry_file(m, ei, strtab_get(names, t->src[s].file), t->src[s].line, vg_sat_i64(t->src[s].cost), 0);
    prof_entry *e = &m->entries[ei];
    e->has_incl = has_incl;
    e->calls += f->calls;
    if (!by_name && f->line > 0 && (e->line == 0 || f->line < e->line))
        e->line = f->line;
    for (size_t i = 0; i < n; i++) {
        e->self[mm[i]] = prof_add(e->self[mm[i]], vg_sat_i64(self[i]));
        e->incl[mm[i]] = prof_add(e->incl[mm[i]], vg_sat_i64(f->called ? callin[i] : self[i] + out[i]));
    }
    return ei;
}

/* What the edges do not need, freed before the model's edges grow. */
static void funcs_done(vg_table *t, strtab *names)
{
    strtab_free(names);
    free(t->fn);
    free(t->src);
    free(t->fcost);
    t->fn = NULL, t->src = NULL, t->fcost = NULL;
    t->n_fn = t->cap_fn = t->n_src = t->cap_src = 0;
}

void vgt_merge(vg_table *t, strtab *names, prof_model *m, const int *mm, size_t n,
               int by_name, int has_incl)
{
    size_t *midx = xcalloc(t->n_fn ? t->n_fn : 1, sizeof *midx);
    /* distinct keys are distinct entries (but cachegrind's, by name): into
     * a model with no edges yet, each edge is new */
    int fresh = m->n_edges == 0 && !by_name;
    prof_model_reserve(m, t->n_fn, 0);
    for (size_t i = 0; i < t->n_fn; i++)
        midx[i] = merge_func(t, i, names, m, mm, n, by_name, has_incl);
    funcs_done(t, names);
    prof_model_reserve(m, 0, t->n_edge);
    for (size_t i = 0; i < t->n_edge; i++) {
        const vg_edge *g = &t->edge[i];
        size_t mi = fresh ? prof_model_new_edge(m, midx[g->caller], midx[g->callee])
                          : prof_model_edge(m, midx[g->caller], midx[g->callee]);   /* may move m->edges */
        prof_edge *me = &m->edges[mi];
        const uint64_t *incl = vgt_incl(t, i);
        me->calls += g->calls;
        for (size_t k = 0; k < n; k++)
            me->incl[mm[k]] = prof_add(me->incl[mm[k]], vg_sat_i64(incl[k]));
    }
    free(midx);
}
