/*
 * diff_csv.c: one line per (row, metric), rows in display order (-n
 * applies), RFC 4180 quoting: name,metric,a,b,delta,ratio,verdict,ci_lo,ci_hi.
 * Means are written exactly (integers when whole); ratio and the interval
 * (a fraction of a, as in json) are empty when there is none.
 */
#include "views/diff_share.h"

#include <stdlib.h>

static void number(FILE *out, double v)
{
    if (diff_is_whole(v))
        fprintf(out, ",%.0f", v);
    else
        fprintf(out, ",%.15g", v);
}

static void line(FILE *out, const diff_row *r, const diff_metric *m, const diff_cell *c)
{
    csv_field(out, r->name);
    fputc(',', out);
    csv_field(out, m->name);
    number(out, c->a);
    number(out, c->b);
    number(out, c->b - c->a);
    if (c->a != 0)
        number(out, c->b / c->a);
    else
        fputc(',', out);
    fputc(',', out);
    csv_field(out, diff_verdict_name(c->verdict));
    if (c->has_ci) {
        number(out, c->lo);
        number(out, c->hi);
    } else {
        fputs(",,", out);
    }
    fputs("\r\n", out);
}

int diff_view_csv(const prof_diff *d, const diff_view_opts *o, FILE *out)
{
    if (diff_opts_check(d, o))
        return -1;
    fputs("name,metric,a,b,delta,ratio,verdict,ci_lo,ci_hi\r\n", out);
    size_t n;
    size_t *rows = diff_rows_shown(d, o, 0, &n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < d->n_metrics; k++)
            line(out, &d->rows[rows[i]], &d->metrics[k], &d->rows[rows[i]].incl[k]);
    free(rows);
    return ferror(out) ? -1 : 0;
}
