/*
 * markdown.h: GitHub-flavoured markdown pieces the markdown views share
 * (markdown.c for a profile, diff_markdown.c for a diff): table cells,
 * names as code spans, text with markdown's punctuation escaped.
 */
#ifndef CPROF_CLI_VIEWS_MARKDOWN_H
#define CPROF_CLI_VIEWS_MARKDOWN_H

#include <stdio.h>

/* Free text: the characters markdown would read (emphasis, code, HTML
 * tags, table cells) escaped with a backslash; brackets stay, so a
 * verdict's "[+42.1%, +57.3%]" reads as it is (no link follows one). */
void md_text(FILE *out, const char *s);
/* A name as a code span: `name`, with a longer fence when it holds
 * backticks and `|` escaped (GitHub reads \| even in a code span in a table). */
void md_code(FILE *out, const char *s);
/* "| text " and "| `name` " cells; md_row_end closes the row. */
void md_cell(FILE *out, const char *text);
void md_cell_code(FILE *out, const char *name);
void md_row_end(FILE *out);
/* The line under a table's head: "| --- | ---: |", right[i]: numbers. */
void md_rule(FILE *out, const int *right, size_t n);

#endif
