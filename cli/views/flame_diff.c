/*
 * flame_diff.c: the flame graph element of a diff (flame.h): the merged
 * call tree drawn in the shape of B (widths: B's inclusive figures) or of
 * A (so what is gone in B still shows), coloured by the change.
 */
#include "views/flame_draw.h"

#include <stdlib.h>
#include <string.h>

#include "sys/xalloc.h"
#include "views/diff_share.h"

#define ROOT_FILL "#d8d2c4"

/* A diff as a flame_tree: its nodes, or (no call paths) its rows under the
 * root, item j being row j - 1. */
typedef struct diff_tree {
    flame_tree t;
    diff_children c;
    size_t *first, *list;
    double *weight;
    int flat;
} diff_tree;

static const prof_diff *sort_diff;

static int cmp_rows(const void *pa, const void *pb)
{
    return strcmp(sort_diff->rows[*(const size_t *)pa - 1].name, sort_diff->rows[*(const size_t *)pb - 1].name);
}

/* Item i's figures (inclusive and exclusive of metric mi, calls) and row. */
typedef struct item_figs {
    const diff_cell *incl, *calls;
    double self_a, self_b;
    const diff_row *row;
} item_figs;

static item_figs figs_of(const prof_diff *d, const diff_tree *dt, size_t item, size_t mi)
{
    size_t ci = d->n_metrics - 1;   /* calls come last */
    if (dt->flat) {
        const diff_row *r = &d->rows[item - 1];
        return (item_figs){&r->incl[mi], &r->incl[ci], r->self_a[mi], r->self_b[mi], r};
    }
    const diff_node *n = &d->nodes[item];
    return (item_figs){&n->incl[mi], &n->incl[ci], n->self_a[mi], n->self_b[mi], &d->rows[n->row]};
}

static void tree_of(const prof_diff *d, size_t mi, int shape_of_a, diff_tree *dt)
{
    memset(dt, 0, sizeof *dt);
    dt->flat = d->n_nodes <= 1;
    size_t n = dt->flat ? d->n_rows + 1 : d->n_nodes;
    dt->weight = xcalloc(n, sizeof *dt->weight);
    if (!dt->flat) {
        diff_children_build(d, mi, 1, &dt->c);
        dt->t = (flame_tree){.n = n, .first = dt->c.first, .list = dt->c.list, .weight = dt->weight};
    } else {
        dt->first = xcalloc(n + 1, sizeof *dt->first);
        dt->list = xcalloc(n, sizeof *dt->list);
        for (size_t j = 1; j < n; j++)
            dt->list[j - 1] = j;
        for (size_t j = 1; j <= n; j++)
            dt->first[j] = n - 1;   /* every row a child of the root */
        sort_diff = d;
        qsort(dt->list, n - 1, sizeof *dt->list, cmp_rows);
        dt->t = (flame_tree){.n = n, .first = dt->first, .list = dt->list, .weight = dt->weight};
    }
    for (size_t i = 1; i < n; i++) {
        const diff_cell *c = figs_of(d, dt, i, mi).incl;
        dt->weight[i] = shape_of_a ? c->a : c->b;
    }
}

static void tree_free(diff_tree *dt)
{
    if (dt->c.first)
        diff_children_free(&dt->c);
    free(dt->first);
    free(dt->list);
    free(dt->weight);
}

typedef struct sums {
    double a, b, sa, sb, ca, cb;
} sums;

static void add(sums *s, const item_figs *f)
{
    s->a += f->incl->a, s->b += f->incl->b, s->sa += f->self_a, s->sb += f->self_b;
    s->ca += f->calls->a, s->cb += f->calls->b;
}

/* The root's figures (its children's) or a merged frame's (what it holds). */
static sums sum_children(const prof_diff *d, const diff_tree *dt, const flame_layout *l, size_t item,
                         size_t mi, int merged_only)
{
    sums s = {0};
    for (size_t i = dt->t.first[item]; i < dt->t.first[item + 1]; i++) {
        size_t c = dt->t.list[i];
        if (merged_only && !flame_is_merged(l, dt->t.weight[c]))
            continue;
        item_figs f = figs_of(d, dt, c, mi);
        add(&s, &f);
    }
    return s;
}

static void write_sums(FILE *out, const sums *s, int verdict)
{
    const double v[] = {s->a, s->b, s->sa, s->sb, s->ca, s->cb};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        fputc(' ', out);
        flame_num(out, v[i]);
    }
    fprintf(out, " %d", verdict);
}

static void write_frames(const prof_diff *d, const diff_tree *dt, const flame_layout *l, size_t mi,
                         int icicle, FILE *out)
{
    size_t *name_of = xcalloc(d->n_rows + 1, sizeof *name_of);   /* row -> name index, 0: none yet */
    size_t *names = xcalloc(l->n + 1, sizeof *names), n_names = 1;
    for (size_t i = 0; i < l->n; i++) {
        const flame_frame *f = &l->frames[i];
        char fill[8], label[48];
        if (i == 0 || f->item == FLAME_MERGED) {
            sums s = sum_children(d, dt, l, i == 0 ? 0 : f->parent, mi, i != 0);
            flame_frame_open(out, f, 0);
            write_sums(out, &s, -1);
            if (i)
                flame_diff_color(fill, s.a, s.b, 0, DIFF_SAME);
            if (i)
                snprintf(label, sizeof label, "(%zu merged)", f->merged);
            else
                snprintf(label, sizeof label, "all");
            flame_frame_close(out, l, f, icicle, i ? fill : ROOT_FILL, label);
            continue;
        }
        item_figs g = figs_of(d, dt, f->item, mi);
        size_t ri = (size_t)(g.row - d->rows);
        if (!name_of[ri]) {
            name_of[ri] = n_names;
            names[n_names++] = ri;
        }
        sums s = {0};
        add(&s, &g);
        flame_frame_open(out, f, name_of[ri]);
        write_sums(out, &s, (int)g.incl->verdict);
        flame_diff_color(fill, g.incl->a, g.incl->b, 1, g.incl->verdict);
        flame_frame_close(out, l, f, icicle, fill, g.row->label ? g.row->label : g.row->name);
    }
    flame_names_open(out);
    flame_name(out, 0, "all", "all", NULL);
    for (size_t j = 1; j < n_names; j++) {
        const diff_row *r = &d->rows[names[j]];
        char loc[512];
        if (r->file && r->line > 0)
            snprintf(loc, sizeof loc, "%s:%d", r->file, r->line);
        else
            snprintf(loc, sizeof loc, "%s", r->file ? r->file : "");
        flame_name(out, j, r->name, r->label, loc);
    }
    free(name_of);
    free(names);
}

int flame_diff_svg_element_at(const prof_diff *d, const diff_view_opts *o, int shape_of_a, double y,
                              FILE *out, double *height)
{
    if (diff_opts_check(d, o))
        return -1;
    size_t mi = o->metric;
    diff_tree dt;
    tree_of(d, mi, shape_of_a, &dt);
    flame_layout l;
    flame_lay_out(&dt.t, o->minwidth, &l);
    char caption[256], total[32];
    snprintf(caption, sizeof caption, "%s's shape: the width of a frame is %s's %s %s; all: %s%s",
             shape_of_a ? "A" : "B", shape_of_a ? "A" : "B", dt.flat ? "self" : "inclusive", d->metrics[mi].name,
             fmt_value(total, sizeof total, l.total, d->metrics[mi].is_time),
             shape_of_a ? " (what is gone in B shows here)" : "");
    flame_head h = {.kind = "diff", .metric = d->metrics[mi].name, .is_time = d->metrics[mi].is_time,
                    .icicle = o->icicle, .shape = shape_of_a ? "a" : "b", .caption = caption, .y = y};
    flame_open(out, &l, &h);
    write_frames(d, &dt, &l, mi, o->icicle, out);
    flame_close(out);
    if (height)
        *height = flame_element_height(&l);
    flame_layout_free(&l);
    tree_free(&dt);
    return ferror(out) ? -1 : 0;
}

int flame_diff_svg_element(const prof_diff *d, const diff_view_opts *o, int shape_of_a, FILE *out)
{
    return flame_diff_svg_element_at(d, o, shape_of_a, 0, out, NULL);
}
