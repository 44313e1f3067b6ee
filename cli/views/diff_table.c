/*
 * diff_table.c: two profiles side by side, one row per region (function),
 * largest change of the chosen metric first: the row's label, the chosen
 * metric's verdict, then per metric "A -> B (+p%, xR)" and the location.
 * On a terminal regressions are red and improvements green.
 */
#include "views/diff_share.h"
#include "views/grid.h"

#include <stdlib.h>

static void head_row(const prof_diff *d, const diff_view_opts *o, grid *g)
{
    grid_row(g, COL(o, C_BOLD));
    grid_cell(g, d->kind == PROF_REGIONS ? "region" : "function", NULL);
    grid_cellf(g, NULL, "verdict (%s)", d->metrics[o->metric].name);
    for (size_t k = 0; k < d->n_metrics; k++)
        grid_cell(g, d->metrics[k].name, NULL);
    grid_cell(g, "location", NULL);
}

static void row_line(const prof_diff *d, const diff_view_opts *o, const diff_row *r, grid *g)
{
    char b[128], nm[4 * VIEW_NAME_MAX], loc[512];
    char vt[128];
    const diff_cell *key = diff_cells_verdict(vt, sizeof vt, d, r->incl, o->metric);
    const char *vc = diff_verdict_color(o, key->verdict);
    grid_row(g, "");
    grid_cell(g, fit_name(nm, sizeof nm, r->label, VIEW_NAME_MAX), COL(o, C_CYAN));
    grid_cell(g, vt, vc);
    for (size_t k = 0; k < d->n_metrics; k++)
        grid_cell(g, diff_figure_marked(b, sizeof b, &d->metrics[k], &r->incl[k], &r->trust), &r->incl[k] == key ? vc : NULL);
    fmt_place(loc, sizeof loc, r->file, r->line, o->root);
    grid_cell(g, loc, COL(o, C_DIM));
}

int diff_view_table(const prof_diff *d, const diff_view_opts *o, FILE *out)
{
    if (diff_opts_check(d, o))
        return -1;
    diff_header_style hs = {"", diff_plain, diff_plain, o->color};
    diff_print_header(d, &hs, out);
    char b[256];
    fprintf(out, "%s: %s%s\n", d->metrics[o->metric].name, diff_summary(b, sizeof b, d, o->metric),
            o->by_self ? " (rows by the change of their own cost; figures inclusive)" : "");
    size_t n;
    size_t *rows = diff_rows_shown(d, o, 0, &n);
    if (n < d->n_rows)
        fprintf(out, "showing %zu of %zu %s (-n)\n", n, d->n_rows, diff_row_noun(d));
    fputc('\n', out);
    if (d->n_rows == 0) {
        fputs("no rows\n", out);
    } else {
        grid *g = grid_new(d->n_metrics + 3);
        for (size_t c = 2; c < d->n_metrics + 2; c++)
            grid_align(g, c, 1);
        head_row(d, o, g);
        for (size_t i = 0; i < n; i++)
            row_line(d, o, &d->rows[rows[i]], g);
        grid_print(g, out, COL(o, C_OFF));
        grid_free(g);
    }
    free(rows);
    return ferror(out) ? -1 : 0;
}
