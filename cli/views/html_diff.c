/*
 * html_diff.c: --format html of a comparison (diff, regions --baseline):
 * the "cprof-diff-1" report (diff_json_object) as the page's data, which
 * report.js draws as the comparison table with its verdicts, and the
 * differential flame graphs.
 */
#include "views/diff_views.h"
#include "views/flame.h"
#include "views/html_page.h"

static int flame_graph(FILE *out, const prof_diff *d, const diff_view_opts *o, int shape_of_a, const char *caption)
{
    fputs("<figure class=\"cprof-figure\">\n<figcaption>", out);
    html_text(out, caption);
    fputs("</figcaption>\n", out);
    int rc = flame_diff_svg_element(d, o, shape_of_a, out);
    fputs("</figure>\n", out);
    return rc;
}

int diff_view_html(const prof_diff *d, const diff_view_opts *o, FILE *out)
{
    json_t *data = diff_json_object(d, o);
    if (!data)
        return -1;
    char title[512];
    snprintf(title, sizeof title, "%s vs %s", d->name_a ? d->name_a : "A", d->name_b ? d->name_b : "B");
    html_begin(out, "diff", title);
    fputs("<header id=\"cprof-summary\"></header>\n<nav id=\"cprof-nav\" aria-label=\"sections\"></nav>\n"
          "<main>\n<section id=\"cprof-table\"></section>\n<section id=\"cprof-tree\"></section>\n"
          "<section id=\"cprof-flame\">\n", out);
    int rc = flame_graph(out, d, o, 0, "In B's shape: red where B spends more than A, blue where less");
    rc |= flame_graph(out, d, o, 1, "In A's shape: what B no longer does shows here");
    fputs("</section>\n</main>\n", out);
    rc |= html_json(out, "cprof-data", data);
    rc |= html_end(out);
    json_decref(data);
    return rc ? -1 : 0;
}
