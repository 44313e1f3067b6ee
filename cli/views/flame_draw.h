/*
 * flame_draw.h: what the flame graph's two element writers (flame_svg.c
 * for a profile, flame_diff.c for a diff) share: the element's frame
 * (attributes, style, controls), one frame's markup, colours, labels, the
 * name table and number formatting (flame.h has the markup's contract).
 */
#ifndef CPROF_CLI_VIEWS_FLAME_DRAW_H
#define CPROF_CLI_VIEWS_FLAME_DRAW_H

#include <stdio.h>

#include "views/flame.h"

#define FLAME_ROW 16.0     /* a frame's height with its gap */
#define FLAME_TOP 24.0     /* the controls above the frames */
#define FLAME_BOTTOM 22.0  /* the details line below */

typedef struct flame_head {
    const char *kind;     /* "profile", "diff" */
    const char *metric;
    int is_time, icicle;
    const char *shape;    /* a diff: "a" or "b"; else NULL */
    const char *caption;  /* the first line of the controls' row, or NULL */
    double y;
} flame_head;

double flame_element_height(const flame_layout *l);
/* <svg class="cprof-flame" ...>, its style, controls and <g class="frames">. */
void flame_open(FILE *out, const flame_layout *l, const flame_head *h);
/* </g>, the name table's start (the caller writes its entries with
 * flame_name) and end, </svg>. */
void flame_names_open(FILE *out);
void flame_name(FILE *out, size_t i, const char *name, const char *label, const char *location);
void flame_close(FILE *out);

/* One frame: flame_frame_open writes `<g data-f="DEPTH WIDTH NAME`, the
 * caller adds " figure..." (flame_num), flame_frame_close the rest. name:
 * the index in the name table, ignored for a merged frame. */
void flame_frame_open(FILE *out, const flame_frame *f, size_t name);
void flame_frame_close(FILE *out, const flame_layout *l, const flame_frame *f, int icicle,
                       const char *fill, const char *label);
/* A figure: an integer when it is one, else 10 significant digits. */
void flame_num(FILE *out, double v);

/* "#rrggbb" of a name's module (flame.h); object: a valgrind function's ELF object, or NULL. */
void flame_color(char hex[8], const char *name, const char *object);
/* "#rrggbb" of a change a -> b with its verdict (flame.h). */
void flame_diff_color(char hex[8], double a, double b, int has_verdict, diff_verdict v);

#endif
