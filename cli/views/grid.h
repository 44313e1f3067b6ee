/*
 * grid.h: aligned text columns for the human views. Cells are copied; the
 * widths are measured on the text without colour, so colour never shifts
 * a column.
 */
#ifndef CPROF_CLI_VIEWS_GRID_H
#define CPROF_CLI_VIEWS_GRID_H

#include <stdio.h>

typedef struct grid grid;

grid *grid_new(size_t cols);
void grid_free(grid *g);
/* Column cols: 1 = right aligned (numbers), 0 = left. */
void grid_align(grid *g, size_t col, int right);
/* Start a row; `color` (may be "") is applied to all its cells. */
void grid_row(grid *g, const char *color);
/* Append a cell to the current row, with an optional colour ("" or NULL: none). */
void grid_cell(grid *g, const char *text, const char *color);
void grid_cellf(grid *g, const char *color, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Print every row; the last column is not padded. */
void grid_print(const grid *g, FILE *out, const char *color_off);

#endif
