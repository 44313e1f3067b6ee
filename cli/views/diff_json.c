/*
 * diff_json.c: the machine-readable diff, format "cprof-diff-1"
 * (docs/diff-format.md). One "rows" entry per (row, metric) pair, rows in
 * display order (the chosen metric's largest change first, -n applies),
 * metrics in the diff's order; the merged call tree flat, parents first.
 * Means are exact integers when they are whole; no units (time in ns).
 */
#include "views/diff_share.h"
#include "views/json_out.h"

#include <jansson.h>
#include <stdlib.h>

/* A mean of whole runs is often whole: then an exact integer. */
static json_t *num(double v)
{
    if (diff_is_whole(v))
        return json_integer((json_int_t)v);
    return json_real(v);
}

/* The fields of one cell: a, b, delta, ratio, verdict, ci, self_a, self_b. */
static void cell_fields(json_t *o, const diff_cell *c, double self_a, double self_b)
{
    json_object_set_new(o, "a", num(c->a));
    json_object_set_new(o, "b", num(c->b));
    json_object_set_new(o, "delta", num(c->b - c->a));
    json_object_set_new(o, "ratio", c->a != 0 ? json_real(c->b / c->a) : json_null());
    json_object_set_new(o, "verdict", json_string(diff_verdict_name(c->verdict)));
    json_object_set_new(o, "ci", c->has_ci ? json_pack("[f, f]", c->lo, c->hi) : json_null());
    json_object_set_new(o, "self_a", num(self_a));
    json_object_set_new(o, "self_b", num(self_b));
}

/* Regions: about 1 call in how many each side timed (1: every call, 0:
 * absent) and whether its time there was mostly the profiler's own. */
static void trust_fields(json_t *o, const prof_diff *d, const diff_trust *t)
{
    if (d->kind != PROF_REGIONS)
        return;
    json_object_set_new(o, "timed_every", json_pack("[I, I]", (json_int_t)t->every[0], (json_int_t)t->every[1]));
    json_object_set_new(o, "low_trust", json_pack("[b, b]", t->low[0], t->low[1]));
}

static json_t *rows_json(const prof_diff *d, const diff_view_opts *o)
{
    json_t *rows = json_array();
    size_t n;
    size_t *order = diff_rows_shown(d, o, 0, &n);
    for (size_t i = 0; i < n; i++) {
        const diff_row *r = &d->rows[order[i]];
        for (size_t k = 0; k < d->n_metrics; k++) {
            json_t *e = json_object();
            json_object_set_new(e, "name", json_string(r->name));
            json_object_set_new(e, "label", json_string(r->label));
            json_object_set_new(e, "file", r->file ? json_string(r->file) : json_null());
            json_object_set_new(e, "line", json_integer(r->line));
            json_object_set_new(e, "metric", json_string(d->metrics[k].name));
            cell_fields(e, &r->incl[k], r->self_a[k], r->self_b[k]);
            trust_fields(e, d, &r->trust);
            json_array_append_new(rows, e);
        }
    }
    free(order);
    return rows;
}

/* Per node its path's last name (full, and its row's label: the tree names
 * a path as the table names its row) and per metric a cell object. */
static json_t *tree_json(const prof_diff *d)
{
    json_t *tree = json_array();
    for (size_t i = 1; i < d->n_nodes; i++) {
        const diff_node *n = &d->nodes[i];
        json_t *e = json_object(), *cells = json_object();
        json_object_set_new(e, "node", json_integer((json_int_t)i));
        json_object_set_new(e, "parent", json_integer((json_int_t)n->parent));
        json_object_set_new(e, "name", json_string(d->rows[n->row].name));
        json_object_set_new(e, "label", json_string(d->rows[n->row].label));
        for (size_t k = 0; k < d->n_metrics; k++) {
            json_t *c = json_object();
            cell_fields(c, &n->incl[k], n->self_a[k], n->self_b[k]);
            json_object_set_new(cells, d->metrics[k].name, c);
        }
        json_object_set_new(e, "metrics", cells);
        trust_fields(e, d, &n->trust);
        json_array_append_new(tree, e);
    }
    return tree;
}

static json_t *side_json(const char *name, size_t runs)
{
    return json_pack("{s:s, s:I}", "name", name ? name : "", "runs", (json_int_t)runs);
}

static json_t *metrics_json(const prof_diff *d)
{
    json_t *a = json_array();
    for (size_t k = 0; k < d->n_metrics; k++)
        json_array_append_new(a, json_pack("{s:s, s:b, s:b, s:b}", "name", d->metrics[k].name,
                                           "is_time", d->metrics[k].is_time, "exact", d->metrics[k].exact,
                                           "scaled", d->metrics[k].scaled));
    return a;
}

static json_t *broken_json(const prof_diff *d)
{
    json_t *a = json_array();
    for (size_t i = 0; i < d->n_broken; i++) {
        const diff_broken *b = &d->broken[i];
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "limit", b->limit,
                                           "row", d->rows[b->row].name, "metric", d->metrics[b->metric].name,
                                           "why", b->why));
    }
    return a;
}

json_t *diff_json_object(const prof_diff *d, const diff_view_opts *o)
{
    if (diff_opts_check(d, o))
        return NULL;
    static const char *const kinds[] = {"regions", "callgrind", "cachegrind", "dhat"};
    json_t *root = json_object(), *notes = json_array();
    for (size_t i = 0; i < d->n_notes; i++)
        json_array_append_new(notes, json_string(d->notes[i]));
    json_object_set_new(root, "format", json_string("cprof-diff-1"));
    json_object_set_new(root, "kind", json_string(kinds[d->kind]));
    json_object_set_new(root, "a", side_json(d->name_a, d->runs_a));
    json_object_set_new(root, "b", side_json(d->name_b, d->runs_b));
    json_object_set_new(root, "metrics", metrics_json(d));
    json_object_set_new(root, "sort", json_string(d->metrics[o->metric].name));
    json_object_set_new(root, "order", json_string(o->by_self ? "exclusive" : "inclusive"));
    json_object_set_new(root, "inclusive", json_boolean(d->has_incl));
    json_object_set_new(root, "confidence", json_real(d->confidence));
    json_object_set_new(root, "noise", json_real(d->noise));
    json_object_set_new(root, "rows", rows_json(d, o));
    json_object_set_new(root, "tree", tree_json(d));
    json_object_set_new(root, "notes", notes);
    json_object_set_new(root, "broken_limits", broken_json(d));
    return root;
}

int diff_view_json(const prof_diff *d, const diff_view_opts *o, FILE *out)
{
    json_t *root = diff_json_object(d, o);
    if (!root)
        return -1;
    int rc = jo_dump(out, root, 1);
    json_decref(root);
    fputc('\n', out);
    return rc || ferror(out) ? -1 : 0;
}
