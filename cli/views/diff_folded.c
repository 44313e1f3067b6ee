/*
 * diff_folded.c: "a;b;c A B" per call path, the differential input flame
 * graph tools read (flamegraph.pl's difffolded, inferno-diff-folded): A
 * and B are the path's exclusive figure of the chosen metric on each side,
 * rounded to integers, so a frame's width is its inclusive figure. Paths
 * in name order, depth first, so the output is stable; paths with nothing
 * on either side are left out. A diff without call paths (cachegrind):
 * one line per row, its full name and self figures.
 */
#include "views/diff_share.h"
#include "sys/xalloc.h"
#include "views/util.h"

#include <math.h>
#include <stdlib.h>


/* Flame-graph tools take counts >= 0: a figure below (an sde level that
 * went down) counts as 0. */
static long long count(double v)
{
    return v > 0 ? llround(v) : 0;
}

/* Whether a line has anything to show on either side. */
static int has_values(double a, double b)
{
    return count(a) || count(b);
}

static void rows_folded(const prof_diff *d, size_t mi, FILE *out)
{
    size_t n;
    size_t *rows = diff_order_by(d, mi, 1, 0, &n);
    for (size_t i = 0; i < n; i++) {
        const diff_row *r = &d->rows[rows[i]];
        if (!has_values(r->self_a[mi], r->self_b[mi]))
            continue;
        folded_frame(out, r->name);
        fprintf(out, " %lld %lld\n", count(r->self_a[mi]), count(r->self_b[mi]));
    }
    free(rows);
}

static void paths_folded(const prof_diff *d, size_t mi, FILE *out)
{
    diff_children c;
    diff_children_build(d, mi, 1, &c);
    size_t n = d->n_nodes, sp = 0;
    size_t *stack = xcalloc(n, sizeof *stack), *depth = xcalloc(n, sizeof *depth);
    size_t *path = xcalloc(n, sizeof *path);   /* the nodes from the root down */
    for (size_t i = c.first[1]; i-- > c.first[0];) {
        stack[sp] = c.list[i];
        depth[sp++] = 0;
    }
    while (sp) {
        sp--;
        size_t ni = stack[sp], dp = depth[sp];
        const diff_node *nd = &d->nodes[ni];
        path[dp] = ni;
        if (has_values(nd->self_a[mi], nd->self_b[mi])) {
            for (size_t i = 0; i <= dp; i++) {
                if (i)
                    fputc(';', out);
                folded_frame(out, d->rows[d->nodes[path[i]].row].name);
            }
            fprintf(out, " %lld %lld\n", count(nd->self_a[mi]), count(nd->self_b[mi]));
        }
        for (size_t i = c.first[ni + 1]; i-- > c.first[ni];) {
            stack[sp] = c.list[i];
            depth[sp++] = dp + 1;
        }
    }
    free(stack);
    free(depth);
    free(path);
    diff_children_free(&c);
}

int diff_view_folded(const prof_diff *d, const diff_view_opts *o, FILE *out)
{
    if (diff_opts_check(d, o))
        return -1;
    if (d->n_nodes > 1)
        paths_folded(d, o->metric, out);
    else
        rows_folded(d, o->metric, out);
    return ferror(out) ? -1 : 0;
}
