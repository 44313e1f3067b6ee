/*
 * table.c: the flat table. Regions: calls, inclusive and exclusive time,
 * share of the total, mean per call, then per event inclusive/exclusive and
 * the ratios the events allow. Valgrind functions: per event self and
 * inclusive cost, share of the total, calls, file:line, object.
 */
#include "views/util.h"
#include "model/trust.h"
#include "views/grid.h"

#include <stdlib.h>
#include <string.h>

/* Share colour: what dominates stands out. */
static const char *share_color(const view_opts *o, double part, double whole)
{
    if (!o->color || whole <= 0)
        return "";
    double p = part / whole;
    return p >= 0.25 ? C_RED : p >= 0.05 ? C_YEL : "";
}

static void regions_table(const prof_model *m, const view_opts *o, const size_t *rows, size_t n, FILE *out)
{
    derived dv[DERIVED_MAX];
    size_t nd = derived_figures(m, dv, DERIVED_MAX);
    size_t nev = m->n_metrics > 0 ? m->n_metrics - 1 : 0;
    int spread = m->n_runs > 1;   /* --repeat: the interval of each mean */
    int marks = any_trust_mark(m, rows, n);   /* ~ sampled, ! mostly overhead */
    size_t cols = 7 + spread + 2 * nev + nd + marks;
    grid *g = grid_new(cols);
    for (size_t c = 1; c + 1 < cols; c++)
        grid_align(g, c, 1);
    grid_row(g, COL(o, C_BOLD));
    grid_cell(g, "region", NULL);
    grid_cell(g, "calls", NULL);
    grid_cell(g, "incl", NULL);
    if (spread)
        grid_cell(g, "+-", NULL);   /* half the interval of the mean (header notes say which) */
    grid_cell(g, "excl", NULL);
    grid_cell(g, "excl%", NULL);
    grid_cell(g, "mean", NULL);
    for (size_t k = 1; k < m->n_metrics; k++) {
        grid_cellf(g, NULL, "%s incl", m->metrics[k].name);
        grid_cellf(g, NULL, "%s excl", m->metrics[k].name);
    }
    for (size_t d = 0; d < nd; d++)
        grid_cell(g, dv[d].label, NULL);
    if (marks)
        grid_cell(g, "trust", NULL);
    grid_cell(g, "location", NULL);
    char b[64], a[72], loc[512], nm[4 * VIEW_NAME_MAX];
    for (size_t r = 0; r < n; r++) {
        const prof_entry *e = &m->entries[rows[r]];
        int sc = prof_entry_sampled(e);
        grid_row(g, "");
        grid_cell(g, fit_name(nm, sizeof nm, entry_label(e), VIEW_NAME_MAX), COL(o, C_CYAN));
        grid_cell(g, fmt_count(b, sizeof b, (double)e->calls), NULL);
        grid_cell(g, approx(a, sizeof a, fmt_time(b, sizeof b, (double)e->incl[0]), sc), NULL);
        if (spread)
            grid_cell(g, fmt_percent(b, sizeof b, (double)(e->half ? e->half[0] : 0), (double)e->incl[0]), NULL);
        grid_cell(g, approx(a, sizeof a, fmt_time(b, sizeof b, (double)e->self[0]), sc), NULL);
        grid_cell(g, fmt_percent(b, sizeof b, (double)e->self[0], (double)m->totals[0]),
                  share_color(o, (double)e->self[0], (double)m->totals[0]));
        grid_cell(g, e->calls ? approx(a, sizeof a, fmt_time(b, sizeof b, (double)e->incl[0] / (double)e->calls), sc)
                            : "-",
                  NULL);
        for (size_t k = 1; k < m->n_metrics; k++) {
            grid_cell(g, approx(a, sizeof a, fmt_value(b, sizeof b, (double)e->incl[k], m->metrics[k].is_time), sc), NULL);
            grid_cell(g, approx(a, sizeof a, fmt_value(b, sizeof b, (double)e->self[k], m->metrics[k].is_time), sc), NULL);
        }
        for (size_t d = 0; d < nd; d++)
            grid_cell(g, fmt_derived(b, sizeof b, &dv[d], e->incl, e->calls), NULL);
        if (marks)
            grid_cell(g, fmt_trust(a, sizeof a, m, e), COL(o, C_YEL));
        grid_cell(g, fmt_place(loc, sizeof loc, e->file, e->line, o->root), COL(o, C_DIM));
    }
    grid_print(g, out, COL(o, C_OFF));
    grid_free(g);
}

/* Below the regions, in their order: how each one's exclusive figures
 * spread across the processes that entered it (model/spread.h). */
static void spread_table(const prof_model *m, const view_opts *o, const size_t *rows, size_t n, FILE *out)
{
    char t[SPREAD_COLS][96], c[SPREAD_COLS][64], nm[4 * VIEW_NAME_MAX];
    size_t cols = spread_titles(m, t) + 1;
    grid *g = grid_new(cols);
    for (size_t i = 1; i < cols; i++)
        grid_align(g, i, 1);
    fprintf(out, "\nper process (%zu processes): each region's exclusive figures over those that "
            "entered it; imbalance = (max - mean) / max\n", prof_spread_procs(m));
    grid_row(g, COL(o, C_BOLD));
    grid_cell(g, "region", NULL);
    for (size_t i = 1; i < cols; i++)
        grid_cell(g, t[i - 1], NULL);
    for (size_t r = 0; r < n; r++) {
        grid_row(g, "");
        grid_cell(g, fit_name(nm, sizeof nm, entry_label(&m->entries[rows[r]]), VIEW_NAME_MAX), COL(o, C_CYAN));
        spread_cells(m, rows[r], c);
        for (size_t i = 1; i < cols; i++)
            grid_cell(g, c[i - 1], NULL);
    }
    grid_print(g, out, COL(o, C_OFF));
    grid_free(g);
}

static void functions_table(const prof_model *m, const view_opts *o, const size_t *rows, size_t n,
                            FILE *out, int incl, const sort_key *k)
{
    derived dv[DERIVED_MAX];
    size_t nd = derived_figures(m, dv, DERIVED_MAX);
    /* no column that would be blank or "-" on every row */
    int calls = model_has_calls(m), obj = rows_have_object(m, rows, n);
    size_t names = 2 + (size_t)obj;
    size_t cols = view_shown_metrics(m, k) * (incl ? 2 : 1) + 1 + (size_t)calls + nd + names;
    grid *g = grid_new(cols);
    for (size_t c = 0; c + names < cols; c++)   /* numbers right, names left */
        grid_align(g, c, 1);
    int pm = k->metric;   /* the share column follows the sorted metric */
    grid_row(g, COL(o, C_BOLD));
    for (size_t i = 0; i < m->n_metrics; i++) {
        if (!view_metric_shown(m, i, k))
            continue;
        grid_cellf(g, NULL, "%s self", m->metrics[i].name);
        if (incl)
            grid_cellf(g, NULL, "%s incl", m->metrics[i].name);
    }
    grid_cellf(g, NULL, "%s %s%%", m->n_metrics ? m->metrics[pm].name : "",
               k->what == SORT_INCL && incl ? "incl" : "self");
    if (calls)
        grid_cell(g, "calls", NULL);
    for (size_t d = 0; d < nd; d++)
        grid_cell(g, dv[d].label, NULL);
    grid_cell(g, "function", NULL);
    grid_cell(g, "location", NULL);
    if (obj)
        grid_cell(g, "object", NULL);
    char b[64], loc[512], objp[512], nm[4 * VIEW_NAME_MAX];
    for (size_t r = 0; r < n; r++) {
        const prof_entry *e = &m->entries[rows[r]];
        grid_row(g, "");
        for (size_t i = 0; i < m->n_metrics; i++) {
            if (!view_metric_shown(m, i, k))
                continue;
            grid_cell(g, fmt_value(b, sizeof b, (double)e->self[i], m->metrics[i].is_time), NULL);
            if (incl)
                grid_cell(g, e->has_incl ? fmt_value(b, sizeof b, (double)e->incl[i], m->metrics[i].is_time)
                                         : "-", NULL);
        }
        int64_t part = k->what == SORT_INCL && e->has_incl ? e->incl[pm] : e->self[pm];
        grid_cell(g, fmt_percent(b, sizeof b, (double)part, (double)m->totals[pm]),
                  share_color(o, (double)part, (double)m->totals[pm]));
        if (calls)
            grid_cell(g, fmt_count(b, sizeof b, (double)e->calls), NULL);
        for (size_t d = 0; d < nd; d++)
            grid_cell(g, fmt_derived(b, sizeof b, &dv[d], e->self, e->calls), NULL);
        grid_cell(g, fit_name(nm, sizeof nm, entry_label(e), VIEW_NAME_MAX), COL(o, C_CYAN));
        grid_cell(g, fmt_place(loc, sizeof loc, e->file, e->line, o->root), COL(o, C_DIM));
        if (obj)
            grid_cell(g, display_path(objp, sizeof objp, e->object, o->root), COL(o, C_DIM));
    }
    grid_print(g, out, COL(o, C_OFF));
    grid_free(g);
}

/* Counted outside every region (allocations before the first one): in
 * the totals, in no row. */
static void print_outside(const prof_model *m, FILE *out)
{
    char b[64];
    int any = 0;
    for (size_t k = 1; m->n_nodes && k < m->n_metrics; k++) {
        if (m->nodes[0].self[k] == 0)
            continue;
        fprintf(out, "%s %s %s", any++ ? "," : "outside every region (in the totals, in no row):",
                m->metrics[k].name, fmt_value(b, sizeof b, (double)m->nodes[0].self[k], m->metrics[k].is_time));
    }
    if (any)
        fputc('\n', out);
}

int view_table(const prof_model *m, const view_opts *o, FILE *out)
{
    sort_key k;
    if (view_sort_key(m, o, &k))
        return -1;
    print_header(m, o, out);
    char b[64], b2[64];
    if (m->kind == PROF_REGIONS) {
        uint64_t calls = 0;
        for (size_t i = 0; i < m->n_entries; i++)
            calls += m->entries[i].calls;
        fprintf(out, "total: %s measured in %s call%s of %zu region%s\n",
                fmt_time(b, sizeof b, (double)m->totals[0]), fmt_count(b2, sizeof b2, (double)calls),
                calls == 1 ? "" : "s", m->n_entries, m->n_entries == 1 ? "" : "s");
        print_outside(m, out);
    } else {
        fputs("total:", out);
        for (size_t i = 0; i < m->n_metrics; i++)
            fprintf(out, " %s %s", m->metrics[i].name,
                    fmt_value(b, sizeof b, (double)m->totals[i], m->metrics[i].is_time));
        fputc('\n', out);
    }
    size_t n;
    size_t *rows = sorted_entries(m, &k, o->limit, &n);
    if (n < m->n_entries)
        fprintf(out, "showing %zu of %zu %s (-n)\n", n, m->n_entries,
                m->kind == PROF_REGIONS ? "regions" : "functions");
    fputc('\n', out);
    if (m->n_entries == 0)
        fputs(m->kind == PROF_REGIONS ? "no region was measured\n" : "no function has a cost\n", out);
    else if (m->kind != PROF_REGIONS)
        functions_table(m, o, rows, n, out, model_has_incl(m), &k);
    else
        regions_table(m, o, rows, n, out);
    if (m->n_entries && view_spread_shown(m, o))
        spread_table(m, o, rows, n, out);
    free(rows);
    return ferror(out) ? -1 : 0;
}
