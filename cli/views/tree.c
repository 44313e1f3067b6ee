/*
 * tree.c: the merged call tree, one line per call path, indented under its
 * caller; a region's nodes add up to its row of the table (model/derive.h);
 * the share column is inclusive / total. -n limits the lines printed.
 * Callgrind profiles: the call paths estimated from the call edges
 * (model/callpaths.h), with per event
 * inclusive and self cost; cachegrind records no calls, so its table is shown.
 */
#include "views/children.h"
#include "sys/xalloc.h"
#include "views/grid.h"

#include <stdlib.h>
#include <string.h>

typedef struct walk {
    const prof_model *m;
    const view_opts *o;
    const children *c;
    grid *g;
    size_t printed, limit, cut;
    derived dv[DERIVED_MAX];
    size_t nd;
    int pm;   /* valgrind: the metric of the share column (the sorted one) */
    int marks;   /* regions: a node is throttled or mostly overhead: the trust column */
    const sort_key *k;
} walk;

static int any_node_mark(const prof_model *m)
{
    char b[64];
    for (size_t i = 1; i < m->n_nodes; i++)
        if (*fmt_node_trust(b, sizeof b, &m->nodes[i]))
            return 1;
    return 0;
}

/* A new row: the node's name indented by its depth. Returns its entry. */
static const prof_entry *start_line(walk *w, const prof_node *n, int depth)
{
    const prof_entry *e = &w->m->entries[n->entry];
    char name[1024], nm[4 * VIEW_NAME_MAX];
    int ind = depth * 2 < 200 ? depth * 2 : 200;
    snprintf(name, sizeof name, "%*s%s", ind, "", fit_name(nm, sizeof nm, entry_label(e), VIEW_NAME_MAX));
    grid_row(w->g, "");
    grid_cell(w->g, name, COL(w->o, C_CYAN));
    return e;
}

/* A callgrind call path: per event inclusive and self cost, the share of the
 * sorted event, calls along the path, location, object. */
static void add_function_line(walk *w, size_t ni, int depth)
{
    const prof_model *m = w->m;
    const prof_node *n = &m->nodes[ni];
    const prof_entry *e = start_line(w, n, depth);
    const view_opts *o = w->o;
    char b[64], loc[512], objp[512];
    grid *g = w->g;
    for (size_t k = 0; k < m->n_metrics; k++) {
        if (!view_metric_shown(m, k, w->k))
            continue;
        grid_cell(g, fmt_value(b, sizeof b, (double)n->incl[k], m->metrics[k].is_time), NULL);
        grid_cell(g, fmt_value(b, sizeof b, (double)n->self[k], m->metrics[k].is_time), NULL);
    }
    grid_cell(g, fmt_percent(b, sizeof b, (double)n->incl[w->pm], (double)m->totals[w->pm]), NULL);
    grid_cell(g, (depth || n->calls) && model_has_calls(m) ? fmt_count(b, sizeof b, (double)n->calls) : "-", NULL);
    grid_cell(g, fmt_place(loc, sizeof loc, e->file, e->line, o->root), COL(o, C_DIM));
    grid_cell(g, display_path(objp, sizeof objp, e->object, o->root), COL(o, C_DIM));
}

static void add_line(walk *w, size_t ni, int depth)
{
    const prof_model *m = w->m;
    const prof_node *n = &m->nodes[ni];
    const prof_entry *e = start_line(w, n, depth);
    const view_opts *o = w->o;
    char b[64], a[72], loc[512];
    int sc = n->timed < n->pairs;   /* throttled: its figures are scaled */
    grid *g = w->g;
    grid_cell(g, fmt_count(b, sizeof b, (double)n->calls), NULL);
    grid_cell(g, approx(a, sizeof a, fmt_time(b, sizeof b, (double)n->incl[0]), sc), NULL);
    grid_cell(g, approx(a, sizeof a, fmt_time(b, sizeof b, (double)n->self[0]), sc), NULL);
    grid_cell(g, fmt_percent(b, sizeof b, (double)n->incl[0], (double)m->totals[0]), NULL);
    grid_cell(g, n->calls ? approx(a, sizeof a, fmt_time(b, sizeof b, (double)n->incl[0] / (double)n->calls), sc)
                          : "-",
              NULL);
    for (size_t k = 1; k < m->n_metrics; k++) {
        grid_cell(g, approx(a, sizeof a, fmt_value(b, sizeof b, (double)n->incl[k], m->metrics[k].is_time), sc), NULL);
        grid_cell(g, approx(a, sizeof a, fmt_value(b, sizeof b, (double)n->self[k], m->metrics[k].is_time), sc), NULL);
    }
    for (size_t d = 0; d < w->nd; d++)
        grid_cell(g, fmt_derived(b, sizeof b, &w->dv[d], n->incl, n->calls), NULL);
    if (w->marks)
        grid_cell(g, fmt_node_trust(a, sizeof a, n), COL(o, C_YEL));
    grid_cell(g, fmt_place(loc, sizeof loc, e->file, e->line, o->root), COL(o, C_DIM));
}

/* Depth-first, iteratively: a deep recursion in the profile must not
 * overflow our stack. */
static void walk_tree(walk *w)
{
    const children *c = w->c;
    size_t n = w->m->n_nodes;
    size_t *stack = xcalloc(n, sizeof *stack), *depth = xcalloc(n, sizeof *depth);
    size_t sp = 0;
    for (size_t i = c->first[1]; i-- > c->first[0];) {
        stack[sp] = c->list[i];
        depth[sp++] = 0;
    }
    while (sp) {
        sp--;
        size_t ni = stack[sp], d = depth[sp];
        if (w->limit && w->printed >= w->limit)
            break;
        if (w->m->kind == PROF_REGIONS)
            add_line(w, ni, (int)d);
        else
            add_function_line(w, ni, (int)d);
        w->printed++;
        for (size_t i = c->first[ni + 1]; i-- > c->first[ni];) {
            stack[sp] = c->list[i];
            depth[sp++] = d + 1;
        }
    }
    free(stack);
    free(depth);
}

static void finish(walk *w, FILE *out)
{
    walk_tree(w);
    w->cut = w->m->n_nodes - 1 - w->printed;   /* the walk stops descending at the limit */
    grid_print(w->g, out, COL(w->o, C_OFF));
    if (w->cut)
        fprintf(out, "(%zu more call paths not shown: -n %zu)\n", w->cut, w->limit);
    grid_free(w->g);
}

static int functions_tree(const prof_model *m, const view_opts *o, const sort_key *k, FILE *out)
{
    print_header(m, o, out);
    char b[64];
    fputs("total:", out);
    for (size_t i = 0; i < m->n_metrics; i++)
        fprintf(out, " %s %s", m->metrics[i].name,
                fmt_value(b, sizeof b, (double)m->totals[i], m->metrics[i].is_time));
    fputs(m->kind == PROF_DHAT ? "\nallocation stacks as DHAT recorded them, the allocator's own frames left out\n\n"
          : "\ncall paths estimated from callgrind's call edges: a function's cost is shared among "
          "its callers in proportion to each call's inclusive cost\n\n", out);
    if (m->n_nodes <= 1) {
        fputs("no call path has a cost\n", out);
        return ferror(out) ? -1 : 0;
    }
    children c;
    children_build(m, k, &c);
    walk w = { .m = m, .o = o, .c = &c, .limit = o->limit, .pm = k->metric, .k = k };
    size_t cols = 1 + 2 * view_shown_metrics(m, k) + 4;
    w.g = grid_new(cols);
    for (size_t i = 1; i + 2 < cols; i++)
        grid_align(w.g, i, 1);
    grid_row(w.g, COL(o, C_BOLD));
    grid_cell(w.g, "call path", NULL);
    for (size_t i = 0; i < m->n_metrics; i++) {
        if (!view_metric_shown(m, i, k))
            continue;
        grid_cellf(w.g, NULL, "%s incl", m->metrics[i].name);
        grid_cellf(w.g, NULL, "%s self", m->metrics[i].name);
    }
    grid_cellf(w.g, NULL, "%s incl%%", m->metrics[w.pm].name);
    grid_cell(w.g, "calls", NULL);
    grid_cell(w.g, "location", NULL);
    grid_cell(w.g, "object", NULL);
    finish(&w, out);
    children_free(&c);
    return ferror(out) ? -1 : 0;
}

int view_tree(const prof_model *m, const view_opts *o, FILE *out)
{
    if (m->kind == PROF_CACHEGRIND) {
        fputs("(cachegrind records no calls, so no call tree: showing the table; use callgrind for one)\n", out);
        return view_table(m, o, out);
    }
    sort_key k;
    if (view_sort_key(m, o, &k))
        return -1;
    if (m->kind != PROF_REGIONS) {
        /* valgrind tables sort by self cost; in a tree the heavy paths come
         * first: inclusive cost of the same event */
        if (k.what == SORT_SELF)
            k.what = SORT_INCL;
        return functions_tree(m, o, &k, out);
    }
    print_header(m, o, out);
    char b[64];
    fprintf(out, "total: %s measured\n\n", fmt_time(b, sizeof b, (double)m->totals[0]));
    if (m->n_nodes <= 1) {
        fputs("no region was measured\n", out);
        return ferror(out) ? -1 : 0;
    }
    children c;
    children_build(m, &k, &c);
    walk w = { .m = m, .o = o, .c = &c, .limit = o->limit };
    w.nd = derived_figures(m, w.dv, DERIVED_MAX);
    w.marks = any_node_mark(m);
    size_t cols = 7 + 2 * (m->n_metrics - 1) + w.nd + w.marks;
    w.g = grid_new(cols);
    for (size_t i = 1; i + 1 < cols; i++)
        grid_align(w.g, i, 1);
    grid_row(w.g, COL(o, C_BOLD));
    grid_cell(w.g, "call path", NULL);
    grid_cell(w.g, "calls", NULL);
    grid_cell(w.g, "incl", NULL);
    grid_cell(w.g, "excl", NULL);
    grid_cell(w.g, "incl%", NULL);
    grid_cell(w.g, "mean", NULL);
    for (size_t i = 1; i < m->n_metrics; i++) {
        grid_cellf(w.g, NULL, "%s incl", m->metrics[i].name);
        grid_cellf(w.g, NULL, "%s excl", m->metrics[i].name);
    }
    for (size_t d = 0; d < w.nd; d++)
        grid_cell(w.g, w.dv[d].label, NULL);
    if (w.marks)
        grid_cell(w.g, "trust", NULL);
    grid_cell(w.g, "location", NULL);
    finish(&w, out);
    children_free(&c);
    return ferror(out) ? -1 : 0;
}
