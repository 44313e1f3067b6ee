/*
 * diff_markdown.c: a diff as a PR comment (GitHub markdown): the summary
 * line on top, the header as a list, then a table of what changed
 * (regressions first, then improvements, new and gone rows) and, folded
 * in a <details> block, the rows that did not change or stayed within
 * noise. -n limits the rows of both tables together; the rest is counted.
 */
#include "views/diff_share.h"
#include "views/markdown.h"

#include <stdlib.h>

static int changed(diff_verdict v)
{
    return v == DIFF_REGRESSED || v == DIFF_IMPROVED || v == DIFF_NEW || v == DIFF_GONE;
}

static void table_head(const prof_diff *d, const diff_view_opts *o, FILE *out)
{
    int right[DIFF_MAX_METRICS + 2] = {0};
    char b[128];
    md_cell(out, d->kind == PROF_REGIONS ? "region" : "function");
    snprintf(b, sizeof b, "verdict (%s)", d->metrics[o->metric].name);
    md_cell(out, b);
    for (size_t k = 0; k < d->n_metrics; k++) {
        md_cell(out, d->metrics[k].name);
        right[k + 2] = 1;
    }
    md_row_end(out);
    md_rule(out, right, d->n_metrics + 2);
}

static void table(const prof_diff *d, const diff_view_opts *o, const size_t *rows, size_t n, FILE *out)
{
    char b[128];
    table_head(d, o, out);
    for (size_t i = 0; i < n; i++) {
        const diff_row *r = &d->rows[rows[i]];
        md_cell_code(out, r->label);
        diff_cells_verdict(b, sizeof b, d, r->incl, o->metric);
        md_cell(out, b);
        for (size_t k = 0; k < d->n_metrics; k++)
            md_cell(out, diff_figure_marked(b, sizeof b, &d->metrics[k], &r->incl[k], &r->trust));
        md_row_end(out);
    }
}

int diff_view_markdown(const prof_diff *d, const diff_view_opts *o, FILE *out)
{
    if (diff_opts_check(d, o))
        return -1;
    char b[256];
    fputs("**", out);
    md_text(out, d->metrics[o->metric].name);
    fprintf(out, ": %s**\n\n", diff_summary(b, sizeof b, d, o->metric));
    diff_header_style hs = {"- ", md_code, md_text, 0};
    diff_print_header(d, &hs, out);
    fputc('\n', out);
    size_t n, split = 0;
    size_t *rows = diff_order_by(d, o->metric, o->by_self, 1, &n);   /* changed rows come first */
    size_t by;
    while (split < n && changed(diff_row_cell(d, &d->rows[rows[split]], o->metric, &by)->verdict))
        split++;
    size_t limit = o->limit ? o->limit : n;
    size_t top = split < limit ? split : limit;
    size_t rest = n - split < limit - top ? n - split : limit - top;
    if (top)
        table(d, o, rows, top, out);
    else if (n && diff_row_cell(d, &d->rows[rows[0]], o->metric, &by)->verdict == DIFF_NO_ESTIMATE)
        fputs("No change in the exact figures; time has no noise estimate (--repeat N on both sides "
              "gives one).\n", out);
    else if (n)
        fputs("No changes.\n", out);
    else
        fputs("no rows\n", out);
    if (rest) {
        fprintf(out, "\n<details><summary>%zu not judged a change</summary>\n\n", n - split);
        table(d, o, rows + split, rest, out);
        fputs("\n</details>\n", out);
    }
    if (top + rest < n)
        fprintf(out, "\n%zu more %s not shown (-n %zu)\n", n - top - rest, diff_row_noun(d), o->limit);
    free(rows);
    return ferror(out) ? -1 : 0;
}
