/*
 * diff_svg.c: diff --format svg: a differential flame graph in one file:
 * the merged call tree in B's shape (red where B spends more than A, blue
 * where less), and below it the same in A's shape, where what is gone in
 * B still shows; a legend; the script (assets/flame.js) inline.
 */
#include "views/svg.h"

#include <stdlib.h>
#include <string.h>

#include "views/diff_share.h"
#include "views/flame.h"
#include "views/flame_draw.h"

#define TITLE_H 84.0
#define GAP 12.0

static void legend(FILE *out, double y)
{
    static const struct { const char *what; double a, b; int verdict; } keys[] = {
        {"B spends more", 100, 200, DIFF_REGRESSED}, {"+20%", 100, 120, DIFF_REGRESSED},
        {"B spends less", 200, 100, DIFF_IMPROVED}, {"-20%", 100, 80, DIFF_IMPROVED},
        {"same, within noise, inconclusive or untrusted", 1, 1, DIFF_SAME},
    };
    fprintf(out, "<g class=\"legend\" font-family=\"sans-serif\" font-size=\"12\" transform=\"translate(0 %g)\">\n", y);
    double x = 10;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char fill[8];
        flame_diff_color(fill, keys[i].a, keys[i].b, 1, (diff_verdict)keys[i].verdict);
        fprintf(out, "<rect x=\"%g\" y=\"0\" width=\"14\" height=\"12\" fill=\"%s\" stroke=\"#999\"/>"
                "<text x=\"%g\" y=\"10\">", x, fill, x + 18);
        flame_xml(out, keys[i].what);
        fputs("</text>\n", out);
        x += 28 + 6.6 * (double)strlen(keys[i].what);   /* 12px sans-serif */
    }
    fputs("</g>\n", out);
}

int diff_view_svg(const prof_diff *d, const diff_view_opts *o, FILE *out)
{
    if (diff_opts_check(d, o))
        return -1;
    char *el = NULL;
    size_t len = 0;
    double hb = 0, ha = 0;
    FILE *mem = open_memstream(&el, &len);
    if (!mem)
        return -1;
    int rc = flame_diff_svg_element_at(d, o, 0, TITLE_H, mem, &hb);
    if (!rc)
        rc = flame_diff_svg_element_at(d, o, 1, TITLE_H + hb + GAP, mem, &ha);
    if (fclose(mem) || rc) {
        free(el);
        return -1;
    }
    char title[1024], sides[600], a[300], b[300], sub[1024], sum[256];
    snprintf(title, sizeof title, "Differential flame graph: %s", d->metrics[o->metric].name);
    /* the ends of paths tell them apart: run folders differ in their last part */
    snprintf(sides, sizeof sides, "A: %s   B: %s", fit_name(a, sizeof a, d->name_a, 80),
             fit_name(b, sizeof b, d->name_b, 80));
    snprintf(sub, sizeof sub, "%s. Above in B's shape, below in A's. The colour: the change of a "
             "frame's inclusive figure relative to A's (full at +-100%%).", diff_summary(sum, sizeof sum, d, o->metric));
    svg_prolog(out, "differential flame graph (svg format)");
    svg_open(out, TITLE_H + hb + GAP + ha, title);
    svg_text(out, 22, 17, "bold", title);
    svg_text(out, 38, 12, NULL, sides);
    svg_text(out, 53, 12, NULL, sub);
    legend(out, 60);
    return svg_close(out, el, len);
}
