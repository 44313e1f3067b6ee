/*
 * flame.h: the flame graph: its layout and its one SVG element, shared by
 * --format svg (svg.c), diff --format svg (diff_svg.c) and the html report.
 *
 * What an embedder (the html report) may rely on:
 *
 * - flame_svg_element / flame_diff_svg_element write ONE element,
 *   <svg class="cprof-flame" width="100%" height="H" ...>...</svg>, with no
 *   XML prolog and no script: put it inline in an HTML page or inside an
 *   outer <svg>, and the script assets/flame.js (asset_flame_js in
 *   "flame.js.h") once per document. On load the script wires up every
 *   svg.cprof-flame (cprofFlame(el) wires one added later) and exposes
 *   cprofFlame.search(el, term) -> {frames, share}, cprofFlame.zoom(el, g),
 *   cprofFlame.reset(el). Without the script the graph still draws (labels,
 *   colours), it just does not move.
 * - The element's attributes: data-kind ("profile" or "diff"), data-metric
 *   (its name), data-unit ("ns" for time, "" for counts), data-total (the
 *   root's figure), data-icicle ("1": root at the top), and for a diff
 *   data-shape ("a" or "b": whose figures are the widths).
 * - Inside: a <style> whose rules all start with .cprof-flame (it may sit
 *   in an HTML page); <metadata class="cprof-names">, a JSON array of
 *   [full name, label, location] that frames refer to by index (0 is the
 *   root, "all"); controls <text class="ctl reset|search">, <text
 *   class="matched">, <text class="details">; and <g class="frames">
 *   holding one <g data-f="..."> per frame, in preorder (a frame's
 *   descendants follow it, before the next frame of its depth or less),
 *   each a <rect> (x and width in % of the graph, 2 decimals) and, when it
 *   fits at 1200 pixels, a <text> label.
 * - data-f, numbers separated by spaces, figures exact in the metric's
 *   units (x is not stored: a frame starts where its previous sibling
 *   ends, the first child where its parent starts):
 *     profile: "depth width name self calls"
 *     diff:    "depth width name a b self_a self_b calls_a calls_b verdict"
 *   width is the inclusive figure drawn (a diff: b for B's shape, a for
 *   A's); name is an index into cprof-names, or -N for N merged frames;
 *   verdict is a diff_verdict (model/diff.h).
 *
 * Decisions:
 * - Children are drawn in name order (as inferno does: the same profile
 *   draws the same), each as wide as its inclusive figure; a figure <= 0
 *   draws nothing. Children narrower than minwidth (pixels of a
 *   1200-pixel graph) are MERGED into one "(N merged)" frame after their
 *   siblings, drawn when the merged width reaches minwidth itself, else
 *   dropped; what they called is not drawn. So the width of what is drawn
 *   still adds up, and a 100 000-node tree stays a few MB.
 * - Children wider than what is left of their parent (a counter that went
 *   down, rounding of callgrind's paths) are cut at the parent's end.
 * - Profiles without call paths (cachegrind): one frame per function under
 *   the root, as wide as its self cost (as folded does).
 * - Colours: a hue from a hash of the frame's module (its name without
 *   the last :: part, outside <...>; valgrind names without ::, their
 *   object; else the whole name): the same name has the same colour in
 *   every file. Diff: red where B spends more (inclusive), blue where
 *   less, the intensity the change relative to the frame's A figure
 *   (+100% or more: full; new: full red, gone: full blue); grey where the
 *   verdict is "same" or "within noise".
 */
#ifndef CPROF_CLI_VIEWS_FLAME_H
#define CPROF_CLI_VIEWS_FLAME_H

#include <stdio.h>

#include "model/diff.h"
#include "views/diff_views.h"
#include "views/views.h"

#define FLAME_PX 1200.0       /* the width minwidth is measured in */
#define FLAME_MERGED ((size_t)-1)

/* What to lay out: a tree as child lists, item 0 the root. */
typedef struct flame_tree {
    size_t n;
    const size_t *first, *list;   /* item i's children: list[first[i] .. first[i + 1]), in drawing order */
    const double *weight;         /* per item: its width (<= 0: not drawn); the root's is the sum of its children's */
} flame_tree;

typedef struct flame_frame {
    size_t item;      /* index into the tree, or FLAME_MERGED */
    size_t merged;    /* a merged frame: how many siblings it holds */
    size_t depth;     /* the root is 0 */
    size_t parent;    /* the item of its parent frame (a merged frame: whose children it holds) */
    double x, w;      /* in the metric's units, x from the root's left edge */
} flame_frame;

typedef struct flame_layout {
    flame_frame *frames;   /* preorder; frames[0] is the root */
    size_t n;
    double total;          /* the root's width */
    size_t depth;          /* of the deepest frame */
    double narrow;         /* children narrower than this (> 0) were merged */
} flame_layout;

void flame_lay_out(const flame_tree *t, double minwidth, flame_layout *l);
void flame_layout_free(flame_layout *l);
/* Whether a child of this weight went into its parent's merged frame. */
static inline int flame_is_merged(const flame_layout *l, double weight)
{
    return weight > 0 && weight < l->narrow;
}

/* The element of a profile (metric o->metric, default the first). 0, or -1
 * (an unknown metric: said on stderr; a write error). */
int flame_svg_element(const prof_model *m, const view_opts *o, FILE *out);
/* The element of a diff (metric o->metric), in the shape of A (shape_of_a)
 * or of B. 0, or -1. */
int flame_diff_svg_element(const prof_diff *d, const diff_view_opts *o, int shape_of_a, FILE *out);

/* The same placed at y in an outer <svg> (svg.c, diff_svg.c); *height:
 * the element's height, for the outer one's. */
int flame_svg_element_at(const prof_model *m, const view_opts *o, double y, FILE *out, double *height);
int flame_diff_svg_element_at(const prof_diff *d, const diff_view_opts *o, int shape_of_a, double y,
                              FILE *out, double *height);

/* Text with XML's five special characters escaped, line ends as spaces. */
void flame_xml(FILE *out, const char *s);

#endif
