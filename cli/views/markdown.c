/*
 * markdown.c: a profile as a GitHub table (--format markdown), for a PR
 * comment or a wiki: the rows and columns of the table view (table.c), the
 * header lines as a list, -n as there. Also the markdown pieces
 * (markdown.h) the diff's markdown view uses.
 */
#include "views/markdown.h"
#include "views/util.h"
#include "model/trust.h"

#include <stdlib.h>
#include <string.h>

/* ---- pieces ------------------------------------------------------------------ */

void md_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*_<|~", *s))
            fputc('\\', out);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
    }
}

/* The longest run of c in s. */
static size_t longest_run(const char *s, char c)
{
    size_t best = 0, run = 0;
    for (; *s; s++) {
        run = *s == c ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

void md_code(FILE *out, const char *s)
{
    size_t fence = longest_run(s, '`') + 1;
    int pad = fence > 1;   /* a space keeps a backtick at an end off the fence */
    for (size_t i = 0; i < fence; i++)
        fputc('`', out);
    if (pad)
        fputc(' ', out);
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', out);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
    }
    if (pad)
        fputc(' ', out);
    for (size_t i = 0; i < fence; i++)
        fputc('`', out);
}

void md_cell(FILE *out, const char *text)
{
    fputs("| ", out);
    md_text(out, text);
    fputc(' ', out);
}

void md_cell_code(FILE *out, const char *name)
{
    fputs("| ", out);
    md_code(out, name);
    fputc(' ', out);
}

void md_row_end(FILE *out)
{
    fputs("|\n", out);
}

void md_rule(FILE *out, const int *right, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputs(right[i] ? "| ---: " : "| --- ", out);
    md_row_end(out);
}

/* ---- a profile ------------------------------------------------------------------ */

/* A head row of n titles, then the rule: the first `left` columns and the
 * last `left_end` hold names, the rest numbers. */
static void head(FILE *out, char titles[][96], size_t n, size_t left, size_t left_end)
{
    int right[SPREAD_COLS + 2 * PROF_MAX_METRICS + DERIVED_MAX + 8];   /* the widest: regions, or the spread */
    for (size_t i = 0; i < n; i++) {
        md_cell(out, titles[i]);
        right[i] = i >= left && i + left_end < n;
    }
    md_row_end(out);
    md_rule(out, right, n);
}

static void derived_cell(FILE *out, const derived *dv, const int64_t *vals, uint64_t calls)
{
    char b[64];
    md_cell(out, fmt_derived(b, sizeof b, dv, vals, calls));
}

static void regions_md(const prof_model *m, const size_t *rows, size_t n, const char *root, FILE *out)
{
    derived dv[DERIVED_MAX];
    size_t nd = derived_figures(m, dv, DERIVED_MAX), nt = 0;
    char t[2 * PROF_MAX_METRICS + DERIVED_MAX + 8][96], b[64], loc[512];
    const char *fixed[] = {"region", "calls", "incl", "excl", "excl%", "mean"};
    for (size_t i = 0; i < 6; i++)
        snprintf(t[nt++], sizeof t[0], "%s", fixed[i]);
    for (size_t k = 1; k < m->n_metrics; k++) {
        snprintf(t[nt++], sizeof t[0], "%s incl", m->metrics[k].name);
        snprintf(t[nt++], sizeof t[0], "%s excl", m->metrics[k].name);
    }
    for (size_t d = 0; d < nd; d++)
        snprintf(t[nt++], sizeof t[0], "%.71s", dv[d].label);
    int marks = any_trust_mark(m, rows, n);
    if (marks)
        snprintf(t[nt++], sizeof t[0], "trust");
    snprintf(t[nt++], sizeof t[0], "location");
    head(out, t, nt, 1, 1);
    char a[72];
    for (size_t r = 0; r < n; r++) {
        const prof_entry *e = &m->entries[rows[r]];
        int sc = prof_entry_sampled(e);
        md_cell_code(out, entry_label(e));
        md_cell(out, fmt_count(b, sizeof b, (double)e->calls));
        md_cell(out, approx(a, sizeof a, fmt_time(b, sizeof b, (double)e->incl[0]), sc));
        md_cell(out, approx(a, sizeof a, fmt_time(b, sizeof b, (double)e->self[0]), sc));
        md_cell(out, fmt_percent(b, sizeof b, (double)e->self[0], (double)m->totals[0]));
        md_cell(out, e->calls ? approx(a, sizeof a, fmt_time(b, sizeof b, (double)e->incl[0] / (double)e->calls), sc) : "-");
        for (size_t k = 1; k < m->n_metrics; k++) {
            md_cell(out, approx(a, sizeof a, fmt_value(b, sizeof b, (double)e->incl[k], m->metrics[k].is_time), sc));
            md_cell(out, approx(a, sizeof a, fmt_value(b, sizeof b, (double)e->self[k], m->metrics[k].is_time), sc));
        }
        for (size_t d = 0; d < nd; d++)
            derived_cell(out, &dv[d], e->incl, e->calls);
        if (marks)
            md_cell(out, fmt_trust(a, sizeof a, m, e));
        md_cell(out, fmt_place(loc, sizeof loc, e->file, e->line, root));
        md_row_end(out);
    }
}

/* The table view's per-process section (table.c), as a second table. */
static void spread_md(const prof_model *m, const size_t *rows, size_t n, FILE *out)
{
    char t[SPREAD_COLS + 1][96], c[SPREAD_COLS][64];
    snprintf(t[0], sizeof t[0], "region");
    size_t nt = spread_titles(m, t + 1) + 1;
    fprintf(out, "\nper process (%zu processes): each region's exclusive figures over those that "
            "entered it; imbalance = (max - mean) / max\n\n", prof_spread_procs(m));
    head(out, t, nt, 1, 0);
    for (size_t r = 0; r < n; r++) {
        md_cell_code(out, entry_label(&m->entries[rows[r]]));
        spread_cells(m, rows[r], c);
        for (size_t i = 1; i < nt; i++)
            md_cell(out, c[i - 1]);
        md_row_end(out);
    }
}

static void functions_md(const prof_model *m, const size_t *rows, size_t n, FILE *out, int incl,
                         const sort_key *k, const char *root)
{
    derived dv[DERIVED_MAX];
    size_t nd = derived_figures(m, dv, DERIVED_MAX), nt = 0;
    char t[2 * PROF_MAX_METRICS + DERIVED_MAX + 8][96], b[64], loc[512], objp[512];
    int pm = k->metric, share_incl = k->what == SORT_INCL && incl;   /* the share follows the sort */
    int calls = model_has_calls(m), obj = rows_have_object(m, rows, n);   /* no all-blank column */
    for (size_t i = 0; i < m->n_metrics; i++) {
        if (!view_metric_shown(m, i, k))
            continue;
        snprintf(t[nt++], sizeof t[0], "%s self", m->metrics[i].name);
        if (incl)
            snprintf(t[nt++], sizeof t[0], "%s incl", m->metrics[i].name);
    }
    snprintf(t[nt++], sizeof t[0], "%s %s%%", m->n_metrics ? m->metrics[pm].name : "", share_incl ? "incl" : "self");
    if (calls)
        snprintf(t[nt++], sizeof t[0], "calls");
    for (size_t d = 0; d < nd; d++)
        snprintf(t[nt++], sizeof t[0], "%.71s", dv[d].label);
    snprintf(t[nt++], sizeof t[0], "function");
    snprintf(t[nt++], sizeof t[0], "location");
    if (obj)
        snprintf(t[nt++], sizeof t[0], "object");
    head(out, t, nt, 0, 2 + (size_t)obj);
    for (size_t r = 0; r < n; r++) {
        const prof_entry *e = &m->entries[rows[r]];
        for (size_t i = 0; i < m->n_metrics; i++) {
            if (!view_metric_shown(m, i, k))
                continue;
            md_cell(out, fmt_value(b, sizeof b, (double)e->self[i], m->metrics[i].is_time));
            if (incl)
                md_cell(out, e->has_incl ? fmt_value(b, sizeof b, (double)e->incl[i], m->metrics[i].is_time) : "-");
        }
        int64_t part = share_incl && e->has_incl ? e->incl[pm] : e->self[pm];
        md_cell(out, fmt_percent(b, sizeof b, (double)part, (double)m->totals[pm]));
        if (calls)
            md_cell(out, fmt_count(b, sizeof b, (double)e->calls));
        for (size_t d = 0; d < nd; d++)
            derived_cell(out, &dv[d], e->self, e->calls);
        md_cell_code(out, entry_label(e));
        md_cell(out, fmt_place(loc, sizeof loc, e->file, e->line, root));
        if (obj)
            md_cell(out, display_path(objp, sizeof objp, e->object, root));
        md_row_end(out);
    }
}

/* The header lines of the human views (print_header), one list item each. */
static void header_md(const prof_model *m, const view_opts *o, FILE *out)
{
    if (o->title)
        fprintf(out, "### %s\n\n", o->title);
    if (o->no_header)
        return;
    view_opts plain = *o;
    plain.color = 0;
    plain.title = NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return;
    print_header(m, &plain, mem);
    fclose(mem);
    for (char *line = text, *end; line && *line; line = end ? end + 1 : NULL) {
        end = strchr(line, '\n');
        if (end)
            *end = 0;
        fputs("- ", out);
        md_text(out, line);
        fputc('\n', out);
    }
    free(text);
}

static void total_md(const prof_model *m, FILE *out)
{
    char b[64], b2[64];
    if (m->kind == PROF_REGIONS) {
        uint64_t calls = 0;
        for (size_t i = 0; i < m->n_entries; i++)
            calls += m->entries[i].calls;
        fprintf(out, "- total: %s measured in %s call%s of %zu region%s\n",
                fmt_time(b, sizeof b, (double)m->totals[0]), fmt_count(b2, sizeof b2, (double)calls),
                calls == 1 ? "" : "s", m->n_entries, m->n_entries == 1 ? "" : "s");
        return;
    }
    fputs("- total:", out);
    for (size_t i = 0; i < m->n_metrics; i++) {
        fputc(' ', out);
        md_text(out, m->metrics[i].name);
        fprintf(out, " %s", fmt_value(b, sizeof b, (double)m->totals[i], m->metrics[i].is_time));
    }
    fputc('\n', out);
}

int view_markdown(const prof_model *m, const view_opts *o, FILE *out)
{
    sort_key k;
    if (view_sort_key(m, o, &k))
        return -1;
    header_md(m, o, out);
    total_md(m, out);
    size_t n;
    size_t *rows = sorted_entries(m, &k, o->limit, &n);
    if (n < m->n_entries)
        fprintf(out, "- showing %zu of %zu %s (-n)\n", n, m->n_entries,
                m->kind == PROF_REGIONS ? "regions" : "functions");
    fputc('\n', out);
    if (m->n_entries == 0)
        fputs(m->kind == PROF_REGIONS ? "no region was measured\n" : "no function has a cost\n", out);
    else if (m->kind != PROF_REGIONS)
        functions_md(m, rows, n, out, model_has_incl(m), &k, o->root);
    else
        regions_md(m, rows, n, o->root, out);
    if (m->n_entries && view_spread_shown(m, o))
        spread_md(m, rows, n, out);
    free(rows);
    return ferror(out) ? -1 : 0;
}
