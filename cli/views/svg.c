/*
 * svg.c: --format svg: one self-contained file, a flame graph of the merged
 * call tree that opens in a browser from disk: our mark, a title, the
 * flame element (flame_svg.c) and the script (assets/flame.js) inline.
 */
#include "views/svg.h"

#include <stdlib.h>
#include <string.h>

#include "cprof.h"
#include "flame.js.h"
#include "views/flame.h"
#include "views/util.h"

#define TITLE_H 50.0

void svg_prolog(FILE *out, const char *what)
{
    /* the mark out_file.c looks for: a second -o may replace this file
     * (and no "--" in a comment: XML forbids it) */
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
            "<!-- cargo-profiler %s: %s -->\n", CPROF_VERSION, what);
}

void svg_open(FILE *out, double height, const char *title)
{
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"100%%\" height=\"%g\">\n"
            "<title>", height);
    flame_xml(out, title);
    fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fdfcf8\"/>\n", out);
}

void svg_text(FILE *out, double y, int size, const char *weight, const char *s)
{
    fprintf(out, "<text x=\"50%%\" y=\"%g\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"%d\"%s%s%s>",
            y, size, weight ? " font-weight=\"" : "", weight ? weight : "", weight ? "\"" : "");
    flame_xml(out, s);
    fputs("</text>\n", out);
}

int svg_close(FILE *out, char *element, size_t len)
{
    fwrite(element, 1, len, out);
    free(element);
    /* flame.js never holds "]]>" (tests/browser/svg.sh checks) */
    fputs("<script type=\"text/javascript\"><![CDATA[\n", out);
    fputs(asset_flame_js, out);
    fputs("]]></script>\n</svg>\n", out);
    return ferror(out) ? -1 : 0;
}

int view_svg(const prof_model *m, const view_opts *o, FILE *out)
{
    /* the element first: its height is the file's */
    char *el = NULL;
    size_t len = 0;
    double h = 0;
    FILE *mem = open_memstream(&el, &len);
    if (!mem)
        return -1;
    int rc = flame_svg_element_at(m, o, TITLE_H, mem, &h);
    if (fclose(mem) || rc) {
        free(el);
        return -1;
    }
    char title[1024], cmd[512], sub[512];
    snprintf(title, sizeof title, "Flame graph: %s", m->command ? fit_name(cmd, sizeof cmd, m->command, 100)
             : m->tool ? m->tool : "profile");
    snprintf(sub, sizeof sub, "%s%s. Hover for figures, click a frame to zoom, Esc to reset, Search to highlight.",
             m->tool ? m->tool : "profile", m->n_missing ? " (some events asked for were not counted)" : "");
    svg_prolog(out, "flame graph (svg format)");
    svg_open(out, TITLE_H + h, title);
    svg_text(out, 22, 17, "bold", title);
    svg_text(out, 40, 12, NULL, sub);
    return svg_close(out, el, len);
}
