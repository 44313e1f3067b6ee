/* test_callpaths.c: callgrind's call paths are built once, after every file
 * is merged, and only for the views that draw them (present.c). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "present.h"

/* Two runs' files: main calls f in one, g in the other. */
#define CG_A "# callgrind format\nevents: Ir\nfl=a.c\nfn=main\n1 10\ncfn=f\ncalls=2 5\n1 100\n" \
             "fn=f\n5 100\ntotals: 110\n"
#define CG_B "# callgrind format\nevents: Ir\nfl=a.c\nfn=main\n1 20\ncfn=g\ncalls=3 9\n1 300\n" \
             "fn=g\n9 300\ntotals: 320\n"

static prof_model *load_as(view_format f, out_opts *o)
{
    file_list files = {0};
    list_add(&files, tmp_file("a.cg", CG_A));
    list_add(&files, tmp_file("b.cg", CG_B));
    present_in in = {.cmd = "report", .files = &files};
    out_opts_init(o);
    o->view.format = f;
    int status = -1;
    prof_model *m = present_load(&in, &files, o, &status);
    list_free(&files);
    cr_assert(m != NULL);
    cr_assert_eq(status, 0);
    return m;
}

/* The node of entry `name` under parent, or (size_t)-1. */
static size_t node_of(const prof_model *m, size_t parent, const char *name)
{
    for (size_t i = 1; i < m->n_nodes; i++)
        if (m->nodes[i].parent == parent && strcmp(m->entries[m->nodes[i].entry].name, name) == 0)
            return i;
    return (size_t)-1;
}

Test(callpaths, not_built_for_the_views_that_do_not_draw_them)
{
    const view_format flat[] = {VIEW_TABLE, VIEW_JSON, VIEW_CSV, VIEW_MARKDOWN};
    for (size_t i = 0; i < sizeof flat / sizeof flat[0]; i++) {
        cr_assert_not(view_draws_paths(flat[i]), "format %d", flat[i]);
        out_opts o;
        prof_model *m = load_as(flat[i], &o);
        cr_assert_eq(m->n_entries, 3);
        cr_assert_eq(m->n_edges, 2);
        cr_assert_eq(m->n_nodes, 0, "format %d: %zu call-path nodes built", flat[i], m->n_nodes);
        prof_model_free(m);
    }
}

Test(callpaths, built_once_after_merging_for_the_views_that_draw_them)
{
    const view_format paths[] = {VIEW_TREE, VIEW_FOLDED, VIEW_SPEEDSCOPE, VIEW_SVG, VIEW_HTML};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        cr_assert(view_draws_paths(paths[i]), "format %d", paths[i]);
        out_opts o;
        prof_model *m = load_as(paths[i], &o);
        /* the root, main, and under it f (from a.cg) and g (from b.cg) */
        cr_assert_eq(m->n_nodes, 4, "format %d: %zu nodes", paths[i], m->n_nodes);
        size_t mn = node_of(m, 0, "main"), f = node_of(m, mn, "f"), g = node_of(m, mn, "g");
        cr_assert(mn != (size_t)-1 && f != (size_t)-1 && g != (size_t)-1);
        cr_assert_eq(m->nodes[mn].incl[0], 430);
        cr_assert_eq(m->nodes[mn].self[0], 30);
        cr_assert_eq(m->nodes[f].incl[0], 100);
        cr_assert_eq(m->nodes[g].incl[0], 300);
        cr_assert_eq(m->nodes[g].calls, 3);
        prof_model_free(m);
    }
}

Test(callpaths, folded_view_of_two_merged_files)
{
    out_opts o;
    prof_model *m = load_as(VIEW_FOLDED, &o);
    int rc;
    char *s = capture(view_print, m, &o.view, &rc);
    cr_assert_eq(rc, 0);
    cr_assert_str_eq(s, "main 30\nmain;f 100\nmain;g 300\n");
    free(s);
    prof_model_free(m);
}
