/* test_flame.c: the flame graph (views/flame.h): the layout (widths,
 * order, narrow frames merged or dropped, children cut at their parent's
 * end), the element's markup (figures, escaping, colours, merged frames),
 * cachegrind's flat graph, the diff's two shapes, the size of a
 * 100 000-node graph. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "model/diff.h"
#include "views/diff_views.h"
#include "views/flame.h"
#include "views/flame_draw.h"

/* A tree of items by parent (item 0 the root; parents come first). */
typedef struct tree_fix {
    size_t n;
    size_t first[16], list[16];
    double weight[16];
} tree_fix;

static flame_tree tree_of(tree_fix *f, const int *parent, const double *w, size_t n)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    size_t fill[16] = {0};
    for (size_t i = 1; i < n; i++)
        f->first[parent[i] + 1]++;
    for (size_t i = 0; i < n; i++)
        f->first[i + 1] += f->first[i];
    for (size_t i = 1; i < n; i++)
        f->list[f->first[parent[i]] + fill[parent[i]]++] = i;
    for (size_t i = 0; i < n; i++)
        f->weight[i] = w[i];
    return (flame_tree){.n = n, .first = f->first, .list = f->list, .weight = f->weight};
}

/* root -> a 600 (-> a1 400), b 300, c 1, d 1, e 0: total 902 */
static const int kids_parent[] = {-1, 0, 1, 0, 0, 0, 0};
static const double kids_w[] = {0, 600, 400, 300, 1, 1, 0};

#define FRAME(l, i, item_, depth_, x_, w_) do { \
        const flame_frame *f_ = &(l).frames[i]; \
        cr_assert_eq(f_->item, (size_t)(item_), "frame %d: item %zu", i, f_->item); \
        cr_assert_eq(f_->depth, (size_t)(depth_), "frame %d: depth %zu", i, f_->depth); \
        cr_assert_float_eq(f_->x, x_, 1e-9, "frame %d: x %g", i, f_->x); \
        cr_assert_float_eq(f_->w, w_, 1e-9, "frame %d: w %g", i, f_->w); \
    } while (0)

Test(flame_layout, widths_preorder_and_narrow_frames_merged)
{
    tree_fix fx;
    flame_tree t = tree_of(&fx, kids_parent, kids_w, 7);
    flame_layout l;
    flame_lay_out(&t, 2.0, &l);   /* 2 px of 1200: below 902 * 2 / 1200 = 1.503 */
    cr_assert_float_eq(l.total, 902, 1e-9);
    cr_assert_eq(l.n, 5);
    FRAME(l, 0, 0, 0, 0, 902);
    FRAME(l, 1, 1, 1, 0, 600);
    FRAME(l, 2, 2, 2, 0, 400);      /* a's child, before a's next sibling */
    FRAME(l, 3, 3, 1, 600, 300);
    FRAME(l, 4, FLAME_MERGED, 1, 900, 2);   /* c and d, after their siblings; e (0) not drawn */
    cr_assert_eq(l.frames[4].merged, 2);
    cr_assert_eq(l.frames[4].parent, 0);
    cr_assert_eq(l.depth, 2);
    flame_layout_free(&l);
}

Test(flame_layout, merged_frames_still_too_narrow_are_dropped)
{
    tree_fix fx;
    flame_tree t = tree_of(&fx, kids_parent, kids_w, 7);
    flame_layout l;
    flame_lay_out(&t, 3.0, &l);   /* c + d = 2 < 902 * 3 / 1200 = 2.255 */
    cr_assert_eq(l.n, 4);
    FRAME(l, 3, 3, 1, 600, 300);
    flame_layout_free(&l);
    flame_lay_out(&t, 0, &l);     /* 0: everything above 0 */
    cr_assert_eq(l.n, 6);
    FRAME(l, 4, 4, 1, 900, 1);
    FRAME(l, 5, 5, 1, 901, 1);
    flame_layout_free(&l);
}

Test(flame_layout, children_wider_than_their_parent_are_cut_at_its_end)
{
    /* root -> p 10 -> q 8, r 5 (a counter that went down in p) */
    static const int parent[] = {-1, 0, 1, 1};
    static const double w[] = {0, 10, 8, 5};
    tree_fix fx;
    flame_tree t = tree_of(&fx, parent, w, 4);
    flame_layout l;
    flame_lay_out(&t, 0, &l);
    cr_assert_eq(l.n, 4);
    FRAME(l, 2, 2, 2, 0, 8);
    FRAME(l, 3, 3, 2, 8, 2);
    flame_layout_free(&l);
}

Test(flame_layout, an_empty_tree_is_the_root_alone)
{
    static const int parent[] = {-1, 0};
    static const double w[] = {0, -5};
    tree_fix fx;
    flame_tree t = tree_of(&fx, parent, w, 2);
    flame_layout l;
    flame_lay_out(&t, 0.1, &l);
    cr_assert_eq(l.n, 1);
    cr_assert_float_eq(l.total, 0, 1e-12);
    flame_layout_free(&l);
}

/* ---- the element ------------------------------------------------------------------ */

/* main (1 call) -> zeta, parse, eval (added in that order); metric E exact. */
static prof_model *regions_model(const char *odd_name)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "time", 1);
    prof_model_metric(m, "E", 0);
    struct { const char *name; int parent; int64_t incl, self, e; uint64_t calls; } r[] = {
        {"app::main", -1, 1000, 100, 100, 1}, {"app::zeta", 0, 450, 450, 45, 3},
        {"app::parse", 0, 250, 250, 25, 2}, {odd_name ? odd_name : "app::eval", 0, 200, 200, 20, 7},
    };
    size_t node[4];
    for (int i = 0; i < 4; i++) {
        size_t ei = prof_model_entry(m, r[i].name, "src/m.rs", i + 1, NULL);
        prof_entry *e = &m->entries[ei];
        e->calls = r[i].calls, e->has_incl = 1;
        e->incl[0] = r[i].incl, e->self[0] = r[i].self, e->incl[1] = e->self[1] = r[i].e;
        node[i] = prof_model_node(m, r[i].parent < 0 ? 0 : node[r[i].parent], ei);
        prof_node *n = &m->nodes[node[i]];
        n->calls = r[i].calls;
        n->incl[0] = r[i].incl, n->self[0] = r[i].self, n->incl[1] = r[i].e * (i ? 1 : 10), n->self[1] = r[i].e;
        m->totals[0] += r[i].self, m->totals[1] += r[i].e;
    }
    return m;
}

static char *element(const prof_model *m, const view_opts *o)
{
    int rc;
    char *s = capture(flame_svg_element, m, o, &rc);
    cr_assert_eq(rc, 0);
    return s;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

Test(flame_svg, one_element_frames_by_name_with_exact_figures)
{
    prof_model *m = regions_model(NULL);
    view_opts o;
    view_opts_init(&o);
    char *s = element(m, &o);
    cr_assert(strncmp(s, "<svg class=\"cprof-flame\"", 24) == 0, "%.80s", s);
    cr_assert_eq(count(s, "<svg"), 1);
    cr_assert_eq(count(s, "<script"), 0);
    cr_assert(strstr(s, "data-metric=\"time\" data-unit=\"ns\" data-total=\"1000\""), "%s", s);
    /* depth width name self calls; children in name order: eval, parse, zeta */
    const char *want[] = {"<g data-f=\"0 1000 0 0 0\">", "<g data-f=\"1 1000 1 100 1\">",
                          "<g data-f=\"2 200 2 200 7\">", "<g data-f=\"2 250 3 250 2\">",
                          "<g data-f=\"2 450 4 450 3\">"};
    const char *at = s;
    for (size_t i = 0; i < 5; i++) {
        const char *p = strstr(at, want[i]);
        cr_assert_not_null(p, "no %s after %.200s", want[i], at);
        at = p + 1;
    }
    cr_assert_eq(count(s, "<g data-f="), 5);
    /* x and width in % of the graph: eval from 0 to 20%, parse 20% to 45% */
    cr_assert(strstr(s, "<rect x=\"20.00%\" y=\"24\" width=\"25.00%\""), "%s", s);
    cr_assert(strstr(s, "[\"app::eval\",\"app::eval\",\"src/m.rs:4\"]"), "%s", s);
    free(s);
    o.metric = "E";
    s = element(m, &o);
    cr_assert(strstr(s, "data-metric=\"E\" data-unit=\"\" data-total=\"1000\""), "%s", s);
    cr_assert(strstr(s, "<g data-f=\"2 45 4 45 3\">"), "%s", s);
    free(s);
    prof_model_free(m);
}

Test(flame_svg, icicle_puts_the_root_at_the_top)
{
    prof_model *m = regions_model(NULL);
    view_opts o;
    view_opts_init(&o);
    char *s = element(m, &o);
    cr_assert(strstr(s, "<g data-f=\"0 1000 0 0 0\"><rect x=\"0.00%\" y=\"56\""), "%s", s);   /* 24 + 2 * 16 */
    free(s);
    o.icicle = 1;
    s = element(m, &o);
    cr_assert(strstr(s, "<g data-f=\"0 1000 0 0 0\"><rect x=\"0.00%\" y=\"24\""), "%s", s);
    cr_assert(strstr(s, "data-icicle=\"1\""));
    free(s);
    prof_model_free(m);
}

Test(flame_svg, narrow_frames_merged_with_their_figures)
{
    prof_model *m = regions_model(NULL);
    view_opts o;
    view_opts_init(&o);
    o.minwidth = 600;   /* half the graph: eval 200 and parse 250 merge (450), zeta 450 too */
    char *s = element(m, &o);
    /* all three under main are narrow: one merged frame of 3, 900 wide, self and calls summed */
    cr_assert(strstr(s, "<g data-f=\"2 900 -3 900 12\">"), "%s", s);
    cr_assert(strstr(s, "(3 merged)"), "%s", s);
    cr_assert_eq(count(s, "<g data-f="), 3);
    free(s);
    prof_model_free(m);
}

Test(flame_svg, every_name_escaped)
{
    prof_model *m = regions_model("app::<impl Fmt for Bar<'a>>::fmt & \"x\"\x01\xff");
    view_opts o;
    view_opts_init(&o);
    char *s = element(m, &o);
    cr_assert(strstr(s, "[\"app::&lt;impl Fmt for Bar&lt;&apos;a&gt;&gt;::fmt &amp; \\&quot;x\\&quot; \xEF\xBF\xBD\","),
              "%s", s);
    cr_assert_null(strstr(s, "<impl"));
    cr_assert_null(strchr(s, '\x01'));
    /* the label in its frame too (first by name, 20% wide: 32 characters fit) */
    cr_assert(strstr(s, "dx=\"3\" y=\"35.5\">app::&lt;impl Fmt for Bar&lt;&apos;a&gt;&gt;::f..</text>"), "%s", s);
    free(s);
    prof_model_free(m);
}

Test(flame_svg, an_unknown_metric_is_refused)
{
    prof_model *m = regions_model(NULL);
    view_opts o;
    view_opts_init(&o);
    o.metric = "nosuch";
    int rc;
    char *s = capture(flame_svg_element, m, &o, &rc);
    cr_assert_eq(rc, -1);
    free(s);
    prof_model_free(m);
}

Test(flame_svg, colours_follow_the_module)
{
    char a[8], b[8], c[8], d[8], e[8], f[8];
    flame_color(a, "app::parser::Parser::parse", NULL);
    flame_color(b, "app::parser::Parser::peek", NULL);
    flame_color(c, "app::render::draw", NULL);
    cr_assert_str_eq(a, b);
    cr_assert_str_neq(a, c);
    flame_color(d, "<app::A as core::fmt::Debug>::fmt", NULL);
    flame_color(e, "<app::A as core::fmt::Debug>::write", NULL);
    cr_assert_str_eq(d, e);
    flame_color(e, "memcpy", "/lib/libc.so.6");   /* no ::: its object */
    flame_color(f, "strlen", "/lib/libc.so.6");
    cr_assert_str_eq(e, f);
    cr_assert_eq(a[0], '#');
    cr_assert_eq(strlen(a), 7);
}

Test(flame_svg, cachegrind_one_frame_per_function)
{
    prof_model *m = prof_model_new(PROF_CACHEGRIND, "cachegrind");
    prof_model_metric(m, "Ir", 0);
    const char *names[] = {"work", "main", "idle"};
    const int64_t self[] = {2000, 100, 0};
    for (int i = 0; i < 3; i++) {
        size_t e = prof_model_entry(m, names[i], "a.c", i + 1, "/bin/a");
        m->entries[e].self[0] = self[i];
    }
    view_opts o;
    view_opts_init(&o);
    char *s = element(m, &o);
    cr_assert(strstr(s, "<g data-f=\"0 2100 0 0 0\">"), "%s", s);
    const char *p = strstr(s, "<g data-f=\"1 100 1 100 0\">"), *q = strstr(s, "<g data-f=\"1 2000 2 2000 0\">");
    cr_assert(p && q && p < q, "%s", s);   /* main before work; idle (0) not drawn */
    cr_assert_eq(count(s, "<g data-f="), 3);
    cr_assert(strstr(s, "its self Ir"), "%s", s);
    free(s);
    prof_model_free(m);
}

Test(flame_svg, the_file_is_marked_and_self_contained)
{
    prof_model *m = regions_model(NULL);
    view_opts o;
    view_opts_init(&o);
    int rc;
    char *s = capture(view_svg, m, &o, &rc);
    cr_assert_eq(rc, 0);
    cr_assert(strncmp(s, "<?xml version=\"1.0\"", 19) == 0);
    char head[513];
    snprintf(head, sizeof head, "%s", s);
    cr_assert(strstr(head, "<!-- cargo-profiler"), "%s", head);
    cr_assert_eq(count(s, "<script"), 1);
    cr_assert_eq(count(s, "]]>"), 1);
    cr_assert(strstr(s, "cprofFlame"));
    cr_assert_null(strstr(s, "href="));
    free(s);
    prof_model_free(m);
}

/* ---- a big tree --------------------------------------------------------------------- */

/* n nodes, each under a random earlier one, costs skewed (a few heavy):
 * the shape of a real program's call tree. */
static prof_model *big_model(size_t n)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "time", 1);
    uint64_t r = 12345;
    size_t *node = calloc(n, sizeof *node);
    for (size_t i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "bench::m%zu::Type%zu::function_%zu", i % 97, i % 31, i % 5000);
        size_t e = prof_model_entry(m, name, "src/lib.rs", (int)(i % 5000) + 1, NULL);
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        size_t parent = i ? node[(r >> 33) % i] : 0;
        node[i] = prof_model_node(m, parent, e);
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        int64_t self = (int64_t)(1 + ((r >> 33) % 1000) * ((r >> 20) % 7 == 0 ? 1000 : 1));
        m->nodes[node[i]].self[0] = self;
        m->nodes[node[i]].calls = 1;
    }
    for (size_t i = m->n_nodes; i-- > 1;) {   /* parents come first: inclusive from the leaves up */
        prof_node *nd = &m->nodes[i];
        nd->incl[0] += nd->self[0];
        if (nd->parent)
            m->nodes[nd->parent].incl[0] += nd->incl[0];
    }
    free(node);
    return m;
}

Test(flame_svg, a_100000_node_tree_stays_a_few_megabytes, .timeout = 120)
{
    prof_model *m = big_model(100000);
    cr_assert_eq(m->n_nodes, 100001);
    view_opts o;
    view_opts_init(&o);
    int rc;
    char *s = capture(view_svg, m, &o, &rc);
    cr_assert_eq(rc, 0);
    size_t len = strlen(s), frames = count(s, "<g data-f=");
    fprintf(stderr, "flame: a 100000-node tree: %zu bytes, %zu frames\n", len, frames);
    cr_assert_lt(len, (size_t)40 << 20, "%zu bytes", len);   /* far above what it takes */
    cr_assert_gt(frames, 1000);
    cr_assert_lt(frames, 100001);   /* narrow frames were merged */
    free(s);
    prof_model_free(m);
}

/* ---- a diff ------------------------------------------------------------------------ */

static prof_model *side(int64_t parse, int with_gone)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "sde:::L::E", 0);   /* exact: verdicts from one run */
    struct { const char *name; int parent; int64_t e; } r[] = {
        {"app::main", -1, 0}, {"app::parse", 0, parse}, {"app::same", 0, 50}, {"app::gone", 0, 30},
    };
    size_t node[4];
    for (int i = 0; i < (with_gone ? 4 : 3); i++) {
        size_t ei = prof_model_entry(m, r[i].name, "src/m.rs", i + 1, NULL);
        prof_entry *e = &m->entries[ei];
        e->calls = 1, e->has_incl = 1, e->self[0] = r[i].e;
        node[i] = prof_model_node(m, r[i].parent < 0 ? 0 : node[r[i].parent], ei);
        m->nodes[node[i]].calls = 1;
        m->nodes[node[i]].self[0] = m->nodes[node[i]].incl[0] = r[i].e;
    }
    for (int i = 1; i < (with_gone ? 4 : 3); i++)
        m->nodes[node[0]].incl[0] += r[i].e, m->entries[0].incl[0] += r[i].e;
    for (int i = 1; i < (with_gone ? 4 : 3); i++)
        m->entries[i].incl[0] = r[i].e;
    return m;
}

Test(flame_diff, b_shape_and_a_shape_coloured_by_the_change)
{
    prof_model *a = side(100, 1), *b = side(200, 0);
    diff_side sa = {&a, 1, "A"}, sb = {&b, 1, "B"};
    prof_diff *d = prof_diff_new(&sa, &sb, 0.95, 0.01);
    prof_model_free(a);
    prof_model_free(b);
    diff_view_opts o = {.format = VIEW_SVG, .metric = 0, .minwidth = 0.1};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(flame_diff_svg_element(d, &o, 0, f), 0);
    fclose(f);
    /* B's shape: main 250 (a 180): parse 100 -> 200 regressed, same 50; gone not drawn */
    cr_assert(strstr(buf, "data-kind=\"diff\" data-metric=\"sde:::L::E\" data-unit=\"\" data-total=\"250\" data-icicle=\"0\" data-shape=\"b\""), "%s", buf);
    cr_assert(strstr(buf, " 100 200 100 200 1 1 1\"><rect x=\"0.00%\" y=\"24\" width=\"80.00%\" height=\"15\" fill=\"#ff2d2d\"/>"), "%s", buf);
    cr_assert(strstr(buf, " 50 50 50 50 1 1 0\"><rect x=\"80.00%\" y=\"24\" width=\"20.00%\" height=\"15\" fill=\"#e0e0e0\"/>"), "%s", buf);
    cr_assert_null(strstr(buf, "app::gone"));
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    cr_assert_eq(flame_diff_svg_element(d, &o, 1, f), 0);
    fclose(f);
    /* A's shape: gone (30 -> 0) drawn, full blue; the width A's 30 of 180 */
    cr_assert(strstr(buf, "data-total=\"180\""), "%s", buf);
    cr_assert(strstr(buf, "<g data-f=\"2 30 2 30 0 30 0 1 0 6\"><rect x=\"0.00%\" y=\"24\" width=\"16.67%\" height=\"15\" fill=\"#2d2dff\"/>"),
              "%s", buf);
    cr_assert(strstr(buf, "app::gone"));
    free(buf);
    prof_diff_free(d);
}
