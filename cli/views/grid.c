/* grid.c: aligned text columns (see grid.h). */
#include "views/grid.h"
#include "sys/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct cell {
    char *text;
    const char *color;
} cell;

struct grid {
    size_t cols, rows, cap;
    cell *cells;          /* rows * cols */
    const char **row_color;
    size_t cur;           /* next column in the current row */
    int *right;
};

grid *grid_new(size_t cols)
{
    grid *g = xrealloc(NULL, sizeof *g);
    memset(g, 0, sizeof *g);
    g->cols = cols ? cols : 1;
    g->right = xrealloc(NULL, g->cols * sizeof *g->right);
    memset(g->right, 0, g->cols * sizeof *g->right);
    return g;
}

void grid_free(grid *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->rows * g->cols; i++)
        free(g->cells[i].text);
    free(g->cells);
    free(g->row_color);
    free(g->right);
    free(g);
}

void grid_align(grid *g, size_t col, int right)
{
    if (col < g->cols)
        g->right[col] = right;
}

void grid_row(grid *g, const char *color)
{
    if (g->rows == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 32;
        g->cells = xrealloc(g->cells, g->cap * g->cols * sizeof *g->cells);
        g->row_color = xrealloc(g->row_color, g->cap * sizeof *g->row_color);
    }
    memset(&g->cells[g->rows * g->cols], 0, g->cols * sizeof *g->cells);
    g->row_color[g->rows] = color;
    g->rows++;
    g->cur = 0;
}

void grid_cell(grid *g, const char *text, const char *color)
{
    if (!g->rows || g->cur >= g->cols)
        return;
    cell *c = &g->cells[(g->rows - 1) * g->cols + g->cur++];
    c->text = xstrdup(text ? text : "");
    c->color = color;
}

void grid_cellf(grid *g, const char *color, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    grid_cell(g, buf, color);
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

void grid_print(const grid *g, FILE *out, const char *color_off)
{
    size_t *w = xrealloc(NULL, g->cols * sizeof *w);
    memset(w, 0, g->cols * sizeof *w);
    for (size_t r = 0; r < g->rows; r++)
        for (size_t c = 0; c < g->cols; c++) {
            const cell *x = &g->cells[r * g->cols + c];
            size_t l = x->text ? width(x->text) : 0;
            if (l > w[c])
                w[c] = l;
        }
    for (size_t r = 0; r < g->rows; r++) {
        size_t last = g->cols;
        while (last > 0 && !g->cells[r * g->cols + last - 1].text)
            last--;
        for (size_t c = 0; c < last; c++) {
            const cell *x = &g->cells[r * g->cols + c];
            const char *t = x->text ? x->text : "";
            size_t pad = w[c] - width(t);
            const char *color = x->color && *x->color ? x->color : g->row_color[r];
            int colored = color && *color;
            if (c)
                fputs("  ", out);
            if (g->right[c])
                fprintf(out, "%*s", (int)pad, "");
            fprintf(out, "%s%s%s", colored ? color : "", t, colored ? color_off : "");
            if (!g->right[c] && c + 1 < last)
                fprintf(out, "%*s", (int)pad, "");
        }
        fputc('\n', out);
    }
    free(w);
}
