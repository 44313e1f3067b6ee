/*
 * derive.c: inclusive and flat figures of a region profile from the
 * exclusive figures of its call-tree nodes (see derive.h), and the short
 * labels of region names.
 */
#include "model/derive.h"
#include "model/trust.h"
#include "sys/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

/* Children lists (CSR) of the nodes; the root is nodes[0]. */
static void child_lists(const prof_model *m, size_t **first, size_t **list)
{
    size_t n = m->n_nodes;
    size_t *f = xcalloc(n + 2, sizeof *f), *l = xcalloc(n ? n : 1, sizeof *l);
    for (size_t i = 1; i < n; i++)
        f[m->nodes[i].parent + 2]++;
    for (size_t i = 0; i < n; i++)
        f[i + 2] += f[i + 1];
    for (size_t i = 1; i < n; i++)
        l[f[m->nodes[i].parent + 1]++] = i;
    *first = f;   /* children of i: l[f[i]] .. l[f[i + 1]) */
    *list = l;
}

/* Nodes are added after their parents, so a pass from the last node up
 * sees every child before its parent. */
static void node_inclusive(prof_model *m)
{
    size_t nm = m->n_metrics;
    for (size_t i = 0; i < m->n_nodes; i++) {
        prof_node *n = &m->nodes[i];
        memcpy(n->incl, n->self, nm * sizeof n->self[0]);
        n->raw_incl = n->raw_self;
        n->oh_incl = n->oh_self;
    }
    for (size_t i = m->n_nodes; i-- > 1;) {
        prof_node *n = &m->nodes[i], *p = &m->nodes[n->parent];
        for (size_t k = 0; k < nm; k++)
            p->incl[k] = prof_add(p->incl[k], n->incl[k]);
        p->raw_incl = prof_add(p->raw_incl, n->raw_incl);
        p->oh_incl = prof_add(p->oh_incl, n->oh_incl);
    }
}

/* Flat figures: depth first, counting how many nodes of each region are
 * open on the path, so a node inside another of its region adds to calls
 * and excl but not to incl. */
static void flat_figures(prof_model *m)
{
    size_t nm = m->n_metrics, *first, *list;
    child_lists(m, &first, &list);
    size_t *open = xcalloc(m->n_entries ? m->n_entries : 1, sizeof *open);
    size_t *stack = xcalloc(m->n_nodes * 2 + 2, sizeof *stack);
    for (size_t i = 0; i < m->n_entries; i++) {
        prof_entry *e = &m->entries[i];
        e->calls = e->child_calls = e->desc_calls = e->pairs = e->timed = 0;
        e->period = 0;
        e->fitted = 0;
        e->raw_incl = e->oh_incl = 0;
        memset(e->self, 0, nm * sizeof *e->self);
        memset(e->incl, 0, nm * sizeof *e->incl);
    }
    memset(m->totals, 0, sizeof m->totals);
    for (size_t k = 0; m->n_nodes && k < nm; k++)   /* counted outside every region (the root's own) */
        m->totals[k] = m->nodes[0].self[k];
    size_t sp = 0;
    stack[sp++] = 0;   /* entries: node, or node | leaving bit */
    const size_t LEAVE = (size_t)1 << (sizeof(size_t) * 8 - 1);
    while (sp) {
        size_t x = stack[--sp], ni = x & ~LEAVE;
        const prof_node *n = &m->nodes[ni];
        if (x & LEAVE) {
            open[n->entry]--;
            continue;
        }
        if (ni) {
            prof_entry *e = &m->entries[n->entry];
            e->calls = prof_addu(e->calls, n->calls);
            e->child_calls = prof_addu(e->child_calls, n->child_calls);
            e->pairs = prof_addu(e->pairs, n->pairs);
            e->timed = prof_addu(e->timed, n->timed);
            if (n->period > e->period)
                e->period = n->period;
            e->fitted |= n->fitted;
            for (size_t k = 0; k < nm; k++) {
                e->self[k] = prof_add(e->self[k], n->self[k]);
                m->totals[k] = prof_add(m->totals[k], n->self[k]);
            }
            if (!open[n->entry]) {
                e->desc_calls = prof_addu(e->desc_calls, n->desc_calls);
                e->raw_incl = prof_add(e->raw_incl, n->raw_incl);
                e->oh_incl = prof_add(e->oh_incl, n->oh_incl);
                for (size_t k = 0; k < nm; k++)
                    e->incl[k] = prof_add(e->incl[k], n->incl[k]);
            }
            open[n->entry]++;
            stack[sp++] = ni | LEAVE;
        }
        for (size_t j = first[ni + 1]; j-- > first[ni];)
            stack[sp++] = list[j];
    }
    free(open);
    free(stack);
    free(first);
    free(list);
}

/*
 * One call's figures, compensated: less what the profiler cost a call on
 * average (its subtree's overhead over its calls: what a call measures of
 * itself and its nested calls' pairs), as the total is; then between 0 and
 * the total, and the mean between them (it was below a raw minimum); one
 * call's are its total. A shortest call below that average made fewer
 * nested calls than most (a sampled region's early return, say): it loses
 * the share of it the region's overhead is of its whole measured time, not
 * all of it down to a 0 that says nothing. (Raw figures have per 0: they
 * never get here but for a 0.)
 */
static void one_call_figures(const prof_model *m, prof_entry *e)
{
    if (e->raw_max_ns) {   /* from dumps: made again from what was measured at every derive */
        uint64_t per = !m->raw && e->calls && e->oh_incl > 0
                       ? (uint64_t)((double)e->oh_incl / (double)e->calls + 0.5) : 0;
        e->min_ns = e->raw_min_ns > per
                    ? e->raw_min_ns - per
                    : (uint64_t)((double)e->raw_min_ns * (1 - prof_entry_overhead_share(e)) + 0.5);
        e->max_ns = e->raw_max_ns > per ? e->raw_max_ns - per : 0;
    }
    uint64_t incl = e->incl[0] > 0 ? (uint64_t)e->incl[0] : 0;
    if (e->max_ns > incl)   /* one call is never longer than all of them together */
        e->max_ns = incl;
    if (e->min_ns > e->max_ns)
        e->min_ns = e->max_ns;
    if (!e->calls || m->raw || !e->max_ns)   /* raw: as measured; 0: not known (a report's top N) */
        return;
    uint64_t mean = incl / e->calls;
    if (e->calls == 1)   /* one figure, whichever way the subtractions rounded */
        e->min_ns = e->max_ns = mean;
    if (e->min_ns > mean)
        e->min_ns = mean;
    if (e->max_ns < mean)
        e->max_ns = mean;
}

void prof_derive_regions(prof_model *m)
{
    node_inclusive(m);
    flat_figures(m);
    for (size_t i = 0; i < m->n_entries; i++)
        one_call_figures(m, &m->entries[i]);
}

/* ---- labels --------------------------------------------------------------- */

size_t prof_name_parts(const char *name, size_t *at, size_t max)
{
    size_t n = 0;
    int depth = 0;
    at[n++] = 0;
    for (size_t i = 0; name[i]; i++) {
        char c = name[i];
        if (c == '<' || c == '(' || c == '[')
            depth++;
        else if ((c == '>' || c == ')' || c == ']') && depth > 0)
            depth--;
        else if (c == ':' && name[i + 1] == ':' && depth == 0 && n < max) {
            at[n++] = i + 2;
            i++;
        }
    }
    return n;
}

static int bare_address(const char *name)
{
    if (name[0] != '0' || name[1] != 'x' || !name[2])
        return 0;
    return name[2 + strspn(name + 2, "0123456789abcdefABCDEF")] == '\0';
}

void prof_derive_vg_labels(prof_model *m)
{
    for (size_t i = 0; i < m->n_entries; i++) {
        prof_entry *e = &m->entries[i];
        if (!bare_address(e->name))
            continue;
        const char *hex = e->name + 2 + strspn(e->name + 2, "0");
        const char *obj = e->object ? strrchr(e->object, '/') : NULL;
        obj = obj ? obj + 1 : e->object;
        char b[256];
        if (obj && *obj)
            snprintf(b, sizeof b, "0x%s: ??? (in %s)", *hex ? hex : "0", obj);
        else
            snprintf(b, sizeof b, "0x%s: ???", *hex ? hex : "0");
        free(e->label);
        e->label = xstrdup(b);
    }
}

typedef struct suffix_count {
    const char *key;
    size_t names;        /* distinct full names that end with it */
    const char *last;    /* the last full name counted */
    UT_hash_handle hh;
} suffix_count;

#define MAX_PARTS 64

void prof_derive_labels(prof_model *m)
{
    suffix_count *table = NULL, *s, *tmp;
    size_t at[MAX_PARTS];
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < m->n_entries; i++) {
            prof_entry *e = &m->entries[i];
            size_t np = prof_name_parts(e->name, at, MAX_PARTS);
            /* suffixes of two parts or more; pass 0 counts the full name too */
            size_t lo = pass == 0 ? 0 : 1;
            for (size_t j = np >= 2 ? np - 2 : 0; j + 1 > lo; j--) {
                const char *suf = e->name + at[j];
                HASH_FIND_STR(table, suf, s);
                if (pass == 1) {
                    if (s && s->names == 1) {
                        free(e->label);
                        e->label = xstrdup(suf);
                        break;
                    }
                    continue;
                }
                if (!s) {
                    s = xcalloc(1, sizeof *s);
                    s->key = suf;
                    HASH_ADD_KEYPTR(hh, table, s->key, strlen(s->key), s);
                }
                if (!s->last || strcmp(s->last, e->name) != 0)
                    s->names++;   /* twin sites of one name count once */
                s->last = e->name;
                if (j == 0)
                    break;
            }
        }
    HASH_ITER(hh, table, s, tmp) {
        HASH_DEL(table, s);
        free(s);
    }
}
