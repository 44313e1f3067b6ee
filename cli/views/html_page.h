/*
 * html_page.h: what the profile page (html.c) and the comparison page
 * (html_diff.c) share: one self-contained file (no fonts, libraries or
 * anything else from the network), its data as JSON in script elements
 * that report.js (cli/views/assets/, with the report_*.js it uses) renders,
 * so the figures a page shows are those of --format json by construction.
 */
#ifndef CPROF_CLI_VIEWS_HTML_PAGE_H
#define CPROF_CLI_VIEWS_HTML_PAGE_H

#include <jansson.h>
#include <stdio.h>

/* The doctype, the mark out_file.c looks for (a later -o may replace the
 * file), the head with the style and a title; kind: "report" or "diff". */
void html_begin(FILE *out, const char *kind, const char *title);
/* Text for an element or an attribute: & < > " ' escaped. NULL writes nothing. */
void html_text(FILE *out, const char *s);
/* <script type="application/json" id="ID">data</script>; every '<' is
 * written \u003c, so no name can end the element or open a comment
 * there. Returns 0, or -1 on a write error. */
int html_json(FILE *out, const char *id, const json_t *data);
/* The scripts (the flame graphs', then report.js) and the end of the file.
 * 0, or -1 if anything failed to be written. */
int html_end(FILE *out);

#endif
