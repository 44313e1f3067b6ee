/*
 * svg.h: the parts of a standalone .svg file that svg.c (a profile) and
 * diff_svg.c (a diff) share: our mark, the outer <svg>, centred lines of
 * text, and the close that adds the flame elements and the script.
 */
#ifndef CPROF_CLI_VIEWS_SVG_H
#define CPROF_CLI_VIEWS_SVG_H

#include <stdio.h>

/* The XML prolog and our mark (out_file.c replaces only marked files). */
void svg_prolog(FILE *out, const char *what);
/* The outer <svg> (full width, height pixels) with its <title> and background. */
void svg_open(FILE *out, double height, const char *title);
/* One line of text, centred; weight NULL or "bold". */
void svg_text(FILE *out, double y, int size, const char *weight, const char *s);
/* The elements written so far (malloc'd, freed here), flame.js, </svg>. 0, or -1. */
int svg_close(FILE *out, char *elements, size_t len);

#endif
