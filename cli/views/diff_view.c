/*
 * diff_view.c: the dispatch of the diff views on the chosen format and
 * what they share (diff_share.h): one figure, one verdict text and colour,
 * one header, one summary, one order, so every format tells the same.
 */
#include "views/diff_share.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sys/xalloc.h"

int diff_view_print(const prof_diff *d, const diff_view_opts *o, FILE *out)
{
    switch (o->format) {
    case VIEW_TABLE:    return diff_view_table(d, o, out);
    case VIEW_TREE:     return diff_view_tree(d, o, out);
    case VIEW_JSON:     return diff_view_json(d, o, out);
    case VIEW_CSV:      return diff_view_csv(d, o, out);
    case VIEW_MARKDOWN: return diff_view_markdown(d, o, out);
    case VIEW_FOLDED:   return diff_view_folded(d, o, out);
    case VIEW_CALLERS:  break;   /* callers are edges of one profile, not a comparison */
    case VIEW_SVG:      return diff_view_svg(d, o, out);
    case VIEW_HTML:     return diff_view_html(d, o, out);
    case VIEW_SPEEDSCOPE: break;
    }
    return -1;
}

int diff_opts_check(const prof_diff *d, const diff_view_opts *o)
{
    if (o->metric < d->n_metrics)
        return 0;
    fprintf(stderr, "cargo-profiler diff: metric %zu: the diff has %zu\n", o->metric, d->n_metrics);
    return -1;
}

/* ---- figures ------------------------------------------------------------------ */

/* The figure "a -> b (change)", each side's value after its marks. */
static const char *figure_marked(char *buf, size_t len, const diff_metric *m, const diff_cell *c, const char *ma,
                                 const char *mb)
{
    char a[48], b[48], v[32];
    snprintf(a, sizeof a, "%s%s", ma, fmt_value(v, sizeof v, c->a, m->is_time));
    snprintf(b, sizeof b, "%s%s", mb, fmt_value(v, sizeof v, c->b, m->is_time));
    if (c->verdict == DIFF_NEW)
        snprintf(buf, len, "- -> %s (new)", b);
    else if (c->verdict == DIFF_GONE)
        snprintf(buf, len, "%s -> - (gone)", a);
    else if (c->a == c->b)   /* nothing to say about no change */
        snprintf(buf, len, "%s -> %s", a, b);
    else if (c->a == 0) {   /* no ratio from 0: the change itself */
        char delta[32];
        snprintf(buf, len, "%s -> %s (%s%s)", a, b, c->b > 0 ? "+" : "",
                 fmt_value(delta, sizeof delta, c->b, m->is_time));
    } else {
        /* against |a|: a counter may go below 0 (an sde level), and the
         * sign of the percentage must stay the sign of the change */
        snprintf(buf, len, "%s -> %s (%+.1f%%, x%.2f)", a, b, 100 * (c->b - c->a) / fabs(c->a), c->b / c->a);
    }
    return buf;
}

const char *diff_figure(char *buf, size_t len, const diff_metric *m, const diff_cell *c)
{
    return figure_marked(buf, len, m, c, "", "");
}

/* Each side's marks before its own figure: ~ sampled in some run of that
 * side, ! mostly the profiler's own there (the HTML view's, in text). */
const char *diff_figure_marked(char *buf, size_t len, const diff_metric *m, const diff_cell *c,
                               const diff_trust *t)
{
    char mk[2][3];
    for (int k = 0; k < 2; k++)
        snprintf(mk[k], sizeof mk[k], "%s%s", m->scaled && diff_trust_sampled_on(t, k) ? "~" : "",
                 diff_metric_trust_bound(m) && t->low[k] ? "!" : "");
    return figure_marked(buf, len, m, c, mk[0], mk[1]);
}

const char *diff_verdict_text(char *buf, size_t len, const diff_cell *c)
{
    if (c->has_ci)
        snprintf(buf, len, "%s [%+.1f%%, %+.1f%%]", diff_verdict_name(c->verdict), 100 * c->lo, 100 * c->hi);
    else
        snprintf(buf, len, "%s", diff_verdict_name(c->verdict));
    return buf;
}

const diff_cell *diff_cells_verdict(char *buf, size_t len, const prof_diff *d, const diff_cell *cells, size_t mi)
{
    size_t by;
    const diff_cell *c = diff_decisive_cell(d, cells, mi, &by);
    diff_verdict_text(buf, len, c);
    if (by != mi) {   /* another metric decided: name it */
        size_t n = strlen(buf);
        snprintf(buf + n, len - n, " (%s)", d->metrics[by].name);
    }
    return c;
}

const char *diff_verdict_color(const diff_view_opts *o, diff_verdict v)
{
    if (!o->color)
        return "";
    return v == DIFF_REGRESSED ? C_RED : v == DIFF_IMPROVED ? C_GREEN : "";
}

const char *diff_runs(char *buf, size_t len, size_t runs)
{
    snprintf(buf, len, "%zu run%s", runs, runs == 1 ? "" : "s");
    return buf;
}

/* ---- summary, header ------------------------------------------------------------ */

const char *diff_summary(char *buf, size_t len, const prof_diff *d, size_t mi)
{
    /* the order diff_order_by groups rows in; "same" reads "unchanged" in a sentence */
    static const diff_verdict order[] = {DIFF_REGRESSED, DIFF_IMPROVED, DIFF_NEW, DIFF_GONE,
                                         DIFF_NOISE, DIFF_INCONCLUSIVE, DIFF_UNTRUSTED, DIFF_NO_ESTIMATE,
                                         DIFF_SAME};
    /* per verdict: how many, how many another metric decided, and which
     * (SIZE_MAX: more than one) */
    size_t count[DIFF_N_VERDICTS] = {0}, other[DIFF_N_VERDICTS] = {0}, which[DIFF_N_VERDICTS], used = 0;
    for (size_t i = 0; i < d->n_rows; i++) {
        size_t by;
        diff_verdict v = diff_row_cell(d, &d->rows[i], mi, &by)->verdict;
        count[v]++;
        if (by == mi)
            continue;
        if (other[v]++ == 0)
            which[v] = by;
        else if (which[v] != by)
            which[v] = SIZE_MAX;
    }
    buf[0] = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0] && used < len; i++) {
        diff_verdict v = order[i];
        if (count[v])
            used += (size_t)snprintf(buf + used, len - used, "%s%zu %s", used ? ", " : "", count[v],
                                     v == DIFF_SAME ? "unchanged" : diff_verdict_name(v));
        if (other[v] && used < len)   /* "10 regressed (10 by calls)": the label's metric did not decide them */
            used += (size_t)snprintf(buf + used, len - used, " (%zu by %s)", other[v],
                                     which[v] == SIZE_MAX ? "exact counts" : d->metrics[which[v]].name);
    }
    if (!d->n_rows)
        snprintf(buf, len, "no rows");
    return buf;
}

void diff_plain(FILE *out, const char *s)
{
    fputs(s, out);
}

static void side(const diff_header_style *s, const char *which, const char *name, size_t runs, FILE *out)
{
    char b[32];
    fprintf(out, "%s: ", which);
    s->name(out, name);
    fprintf(out, " (%s)", diff_runs(b, sizeof b, runs));
}

void diff_print_header(const prof_diff *d, const diff_header_style *s, FILE *out)
{
    fputs(s->lead, out);
    side(s, "A", d->name_a, d->runs_a, out);
    fputs("  ", out);
    side(s, "B", d->name_b, d->runs_b, out);
    fputc('\n', out);
    for (size_t i = 0; i < d->n_notes; i++) {
        fputs(s->lead, out);
        s->text(out, d->notes[i]);
        fputc('\n', out);
    }
    for (size_t i = 0; i < d->n_broken; i++) {
        const diff_broken *b = &d->broken[i];
        fprintf(out, "%s%slimit ", s->lead, s->color ? C_RED : "");
        s->name(out, b->limit);
        fputs(" broken by ", out);
        s->name(out, d->rows[b->row].label);
        fputs(": ", out);
        s->text(out, b->why);
        fprintf(out, "%s\n", s->color ? C_OFF : "");
    }
}

/* ---- order, children ------------------------------------------------------------- */

size_t *diff_rows_shown(const prof_diff *d, const diff_view_opts *o, int regressions_first, size_t *shown)
{
    size_t n;
    size_t *rows = diff_order_by(d, o->metric, o->by_self, regressions_first, &n);
    *shown = o->limit && o->limit < n ? o->limit : n;
    return rows;
}

typedef struct child_order {
    const prof_diff *d;
    size_t mi;
    int by_name;
} child_order;

static int cmp_children(const void *pa, const void *pb, void *arg)
{
    const child_order *k = arg;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    const diff_node *a = &k->d->nodes[ia], *b = &k->d->nodes[ib];
    if (!k->by_name) {
        double da = fabs(a->incl[k->mi].b - a->incl[k->mi].a), db = fabs(b->incl[k->mi].b - b->incl[k->mi].a);
        if (da != db)
            return da < db ? 1 : -1;
    }
    int c = strcmp(k->d->rows[a->row].name, k->d->rows[b->row].name);
    return c ? c : (ia > ib) - (ia < ib);
}

void diff_children_build(const prof_diff *d, size_t mi, int by_name, diff_children *c)
{
    size_t n = d->n_nodes;
    c->first = xcalloc(n + 2, sizeof *c->first);
    c->list = xcalloc(n + 1, sizeof *c->list);
    size_t *fill = xcalloc(n + 1, sizeof *fill);
    for (size_t i = 1; i < n; i++)
        c->first[d->nodes[i].parent + 1]++;
    for (size_t i = 0; i < n; i++)
        c->first[i + 1] += c->first[i];
    for (size_t i = 1; i < n; i++) {
        size_t p = d->nodes[i].parent;
        c->list[c->first[p] + fill[p]++] = i;
    }
    free(fill);
    child_order k = {d, mi, by_name};
    for (size_t i = 0; i < n; i++)
        qsort_r(c->list + c->first[i], c->first[i + 1] - c->first[i], sizeof *c->list, cmp_children, &k);
}

void diff_children_free(diff_children *c)
{
    free(c->first);
    free(c->list);
    c->first = c->list = NULL;
}
