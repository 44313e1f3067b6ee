/*
 * html_page.c: the frame of our HTML pages (html_page.h): prolog with the
 * mark, inline style, data elements, inline scripts.
 */
#include "views/html_page.h"
#include "views/json_out.h"

#include <string.h>

#include "flame.js.h"
#include "report.css.h"
#include "report.js.h"
#include "report_diff.js.h"
#include "report_dom.js.h"
#include "report_figures.js.h"
#include "report_table.js.h"
#include "report_tree.js.h"

void html_text(FILE *out, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '&':  fputs("&amp;", out); break;
        case '<':  fputs("&lt;", out); break;
        case '>':  fputs("&gt;", out); break;
        case '"':  fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:   fputc(*s, out);
        }
}

void html_begin(FILE *out, const char *kind, const char *title)
{
    /* the mark right after the doctype: out_file.c reads the first 512 bytes */
    fprintf(out, "<!DOCTYPE html>\n<!-- cargo-profiler %s page: everything it shows is in this file -->\n"
            "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"color-scheme\" content=\"light dark\">\n<title>cargo-profiler: ", kind);
    html_text(out, title);
    fputs("</title>\n<style>\n", out);
    fputs(asset_report_css, out);
    fprintf(out, "</style>\n</head>\n<body class=\"cprof-page\" data-page=\"%s\">\n"
            "<noscript><p>This page draws its tables with its own inline script: allow scripts "
            "for this file to see them (the data is the JSON in #cprof-data).</p></noscript>\n", kind);
}

/* Through the text writer in its page form ('<' as \u003C, so no string
 * ends the <script>), with its exact shortest reals. */
int html_json(FILE *out, const char *id, const json_t *data)
{
    fprintf(out, "<script type=\"application/json\" id=\"%s\">", id);
    json_out w;
    jo_text_html(&w, out);
    jo_json(&w, data);
    int rc = jo_text_end(&w);
    fputs("</script>\n", out);
    return rc || ferror(out) ? -1 : 0;
}

int html_end(FILE *out)
{
    /* the flame graphs' script once for every graph of the page
     * (views/flame.h), then ours: each file a module report.js uses */
    const char *const scripts[] = {asset_flame_js, asset_report_figures_js, asset_report_dom_js,
                                   asset_report_table_js, asset_report_tree_js, asset_report_diff_js,
                                   asset_report_js};
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
        fputs("<script>\n", out);
        fputs(scripts[i], out);
        fputs("</script>\n", out);
    }
    fputs("</body>\n</html>\n", out);
    return ferror(out) ? -1 : 0;
}
