/*
 * diff_tree.c: the merged call tree of two profiles (d->nodes: every call
 * path on either side), one line per path indented under its caller,
 * children by the size of the change of the chosen metric: its figure,
 * the calls and the verdict. -n limits the lines. A diff with no call
 * paths (cachegrind) shows the table.
 */
#include "views/diff_share.h"
#include "views/grid.h"
#include "sys/xalloc.h"

#include <stdlib.h>

typedef struct walk {
    const prof_diff *d;
    const diff_view_opts *o;
    diff_children c;
    grid *g;
    size_t printed;
} walk;

static void add_line(walk *w, size_t ni, size_t depth)
{
    const prof_diff *d = w->d;
    const diff_view_opts *o = w->o;
    const diff_node *n = &d->nodes[ni];
    const diff_cell *key = &n->incl[o->metric];
    char name[1024], nm[4 * VIEW_NAME_MAX], b[128], vt[160];
    const char *vc = diff_verdict_color(o, diff_cells_verdict(vt, sizeof vt, d, n->incl, o->metric)->verdict);
    size_t calls = d->n_metrics - 1;
    int ind = depth * 2 < 200 ? (int)depth * 2 : 200;
    snprintf(name, sizeof name, "%*s%s", ind, "", fit_name(nm, sizeof nm, d->rows[n->row].label, VIEW_NAME_MAX));
    grid_row(w->g, "");
    grid_cell(w->g, name, COL(o, C_CYAN));
    grid_cell(w->g, diff_figure_marked(b, sizeof b, &d->metrics[o->metric], key, &n->trust), vc);
    if (o->metric != calls)
        grid_cell(w->g, diff_figure(b, sizeof b, &d->metrics[calls], &n->incl[calls]), NULL);
    grid_cell(w->g, vt, vc);
}

/* Depth-first, iteratively: a deep recursion must not overflow our stack. */
static void walk_tree(walk *w)
{
    const diff_children *c = &w->c;
    size_t n = w->d->n_nodes, sp = 0, limit = w->o->limit;
    size_t *stack = xcalloc(n, sizeof *stack), *depth = xcalloc(n, sizeof *depth);
    for (size_t i = c->first[1]; i-- > c->first[0];) {
        stack[sp] = c->list[i];
        depth[sp++] = 0;
    }
    while (sp && !(limit && w->printed >= limit)) {
        sp--;
        size_t ni = stack[sp], dp = depth[sp];
        add_line(w, ni, dp);
        w->printed++;
        for (size_t i = c->first[ni + 1]; i-- > c->first[ni];) {
            stack[sp] = c->list[i];
            depth[sp++] = dp + 1;
        }
    }
    free(stack);
    free(depth);
}

int diff_view_tree(const prof_diff *d, const diff_view_opts *o, FILE *out)
{
    if (diff_opts_check(d, o))
        return -1;
    if (d->n_nodes <= 1) {
        fputs("(no call paths in this diff: showing the table)\n", out);
        return diff_view_table(d, o, out);
    }
    diff_header_style hs = {"", diff_plain, diff_plain, o->color};
    diff_print_header(d, &hs, out);
    char b[256];
    fprintf(out, "%s: %s\n\n", d->metrics[o->metric].name, diff_summary(b, sizeof b, d, o->metric));
    walk w = {.d = d, .o = o};
    diff_children_build(d, o->metric, 0, &w.c);
    int with_calls = o->metric + 1 != d->n_metrics;
    w.g = grid_new(3 + (size_t)with_calls);
    grid_align(w.g, 1, 1);
    grid_align(w.g, 2, with_calls);
    grid_row(w.g, COL(o, C_BOLD));
    grid_cell(w.g, "call path", NULL);
    grid_cell(w.g, d->metrics[o->metric].name, NULL);
    if (with_calls)
        grid_cell(w.g, "calls", NULL);
    grid_cellf(w.g, NULL, "verdict (%s)", d->metrics[o->metric].name);
    walk_tree(&w);
    grid_print(w.g, out, COL(o, C_OFF));
    size_t cut = d->n_nodes - 1 - w.printed;
    if (cut)
        fprintf(out, "(%zu more call paths not shown: -n %zu)\n", cut, o->limit);
    grid_free(w.g);
    diff_children_free(&w.c);
    return ferror(out) ? -1 : 0;
}
