/*
 * flame_svg.c: the flame graph element of one profile (flame.h): its call
 * paths (regions, callgrind), or one frame per function (cachegrind), as
 * wide as their inclusive figure of the chosen metric.
 */
#include "views/flame_draw.h"

#include <stdlib.h>
#include <string.h>

#include "sys/xalloc.h"
#include "views/children.h"
#include "views/util.h"

#define ROOT_FILL "#d8d2c4"
#define MERGED_FILL "#c8c8c8"

/* A profile as a flame_tree: its nodes, or (no call paths) its entries
 * under the root, item j being entry j - 1. */
typedef struct model_tree {
    flame_tree t;
    children c;
    size_t *first, *list;   /* the flat case's child lists */
    double *weight;
    int flat;
} model_tree;

static const prof_model *sort_model;

static int cmp_entries(const void *pa, const void *pb)
{
    const prof_entry *a = &sort_model->entries[*(const size_t *)pa - 1];
    const prof_entry *b = &sort_model->entries[*(const size_t *)pb - 1];
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

static void tree_of(const prof_model *m, int k, model_tree *mt)
{
    memset(mt, 0, sizeof *mt);
    mt->flat = m->kind != PROF_REGIONS && m->n_nodes <= 1;
    if (!mt->flat && children_build(m, NULL, &mt->c) == 0) {
        mt->weight = xcalloc(m->n_nodes, sizeof *mt->weight);
        for (size_t i = 1; i < m->n_nodes; i++)
            mt->weight[i] = (double)m->nodes[i].incl[k];
        mt->t = (flame_tree){.n = m->n_nodes, .first = mt->c.first, .list = mt->c.list, .weight = mt->weight};
        return;
    }
    mt->flat = 1;   /* also a profile with no nodes at all: the root alone */
    size_t n = m->n_entries + 1;
    mt->first = xcalloc(n + 1, sizeof *mt->first);
    mt->list = xcalloc(n, sizeof *mt->list);
    mt->weight = xcalloc(n, sizeof *mt->weight);
    for (size_t j = 1; j < n; j++) {
        mt->list[j - 1] = j;
        mt->weight[j] = (double)m->entries[j - 1].self[k];
    }
    for (size_t j = 1; j <= n; j++)
        mt->first[j] = n - 1;   /* every item a child of the root */
    sort_model = m;
    qsort(mt->list, n - 1, sizeof *mt->list, cmp_entries);
    mt->t = (flame_tree){.n = n, .first = mt->first, .list = mt->list, .weight = mt->weight};
}

static void tree_free(model_tree *mt)
{
    if (mt->c.first)
        children_free(&mt->c);
    free(mt->first);
    free(mt->list);
    free(mt->weight);
}

/* The entry item stands for, and its self figure and calls there. */
static const prof_entry *item_entry(const prof_model *m, const model_tree *mt, size_t item, int k,
                                    int64_t *self, uint64_t *calls)
{
    if (mt->flat) {
        const prof_entry *e = &m->entries[item - 1];
        *self = e->self[k];
        *calls = e->calls;
        return e;
    }
    const prof_node *n = &m->nodes[item];
    *self = n->self[k];
    *calls = n->calls;
    return &m->entries[n->entry];
}

/* A merged frame's self figures and calls: the sums over what it holds. */
static void merged_figures(const prof_model *m, const model_tree *mt, const flame_layout *l,
                           const flame_frame *f, int k, FILE *out)
{
    int64_t self_sum = 0;
    uint64_t calls_sum = 0;
    for (size_t i = mt->t.first[f->parent]; i < mt->t.first[f->parent + 1]; i++) {
        size_t c = mt->t.list[i];
        if (!flame_is_merged(l, mt->t.weight[c]))
            continue;
        int64_t self;
        uint64_t calls;
        item_entry(m, mt, c, k, &self, &calls);
        self_sum = prof_add(self_sum, self);
        calls_sum = prof_addu(calls_sum, calls);
    }
    fprintf(out, " %lld %llu", (long long)self_sum, (unsigned long long)calls_sum);
}

/* The frames, and the name table of the entries they show (0: "all"). */
static void write_frames(const prof_model *m, const model_tree *mt, const flame_layout *l, int k,
                         int icicle, FILE *out)
{
    size_t *name_of = xcalloc(m->n_entries + 1, sizeof *name_of);   /* entry -> name index, 0: none yet */
    size_t *names = xcalloc(l->n + 1, sizeof *names), n_names = 1;   /* name index -> entry */
    for (size_t i = 0; i < l->n; i++) {
        const flame_frame *f = &l->frames[i];
        char fill[8], label[48];
        if (f->item == FLAME_MERGED) {
            flame_frame_open(out, f, 0);
            merged_figures(m, mt, l, f, k, out);
            snprintf(label, sizeof label, "(%zu merged)", f->merged);
            flame_frame_close(out, l, f, icicle, MERGED_FILL, label);
            continue;
        }
        if (i == 0) {
            flame_frame_open(out, f, 0);
            fputs(" 0 0", out);
            flame_frame_close(out, l, f, icicle, ROOT_FILL, "all");
            continue;
        }
        int64_t self;
        uint64_t calls;
        const prof_entry *e = item_entry(m, mt, f->item, k, &self, &calls);
        size_t ei = (size_t)(e - m->entries);
        if (!name_of[ei]) {
            name_of[ei] = n_names;
            names[n_names++] = ei;
        }
        flame_frame_open(out, f, name_of[ei]);
        fprintf(out, " %lld %llu", (long long)self, (unsigned long long)calls);
        flame_color(fill, e->name, e->object);
        flame_frame_close(out, l, f, icicle, fill, entry_label(e));
    }
    flame_names_open(out);
    flame_name(out, 0, "all", "all", m->command);
    for (size_t j = 1; j < n_names; j++) {
        const prof_entry *e = &m->entries[names[j]];
        char loc[512], where[640], marks[64];
        /* hover shows the region's marks with its place: ~1/64 throttled, !90% mostly overhead */
        fmt_location(loc, sizeof loc, e);
        if (m->kind == PROF_REGIONS && *fmt_trust(marks, sizeof marks, m, e))
            snprintf(where, sizeof where, "%s (%s)", loc, marks);
        else
            snprintf(where, sizeof where, "%s", loc);
        flame_name(out, j, e->name, entry_label(e), where);
    }
    free(name_of);
    free(names);
}

int flame_svg_element_at(const prof_model *m, const view_opts *o, double y, FILE *out, double *height)
{
    int k = 0;
    if (o->metric && (k = prof_model_user_metric(m, o->metric)) < 0) {
        fprintf(stderr, "cargo-profiler: --metric %s: not in this profile\n", o->metric);
        return -1;
    }
    model_tree mt;
    tree_of(m, k, &mt);
    flame_layout l;
    flame_lay_out(&mt.t, o->minwidth, &l);
    const char *metric = m->n_metrics ? m->metrics[k].name : "none";
    char caption[256], total[32];
    int is_time = m->n_metrics && m->metrics[k].is_time;
    snprintf(caption, sizeof caption, "the width of a frame: its %s %s; all: %s", mt.flat ? "self" : "inclusive",
             metric, fmt_value(total, sizeof total, l.total, is_time));
    flame_head h = {.kind = "profile", .metric = metric, .is_time = is_time,
                    .icicle = o->icicle, .caption = caption, .y = y};
    flame_open(out, &l, &h);
    write_frames(m, &mt, &l, k, o->icicle, out);
    flame_close(out);
    if (height)
        *height = flame_element_height(&l);
    flame_layout_free(&l);
    tree_free(&mt);
    return ferror(out) ? -1 : 0;
}

int flame_svg_element(const prof_model *m, const view_opts *o, FILE *out)
{
    return flame_svg_element_at(m, o, 0, out, NULL);
}
