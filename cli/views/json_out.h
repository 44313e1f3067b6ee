/*
 * json_out.h: the writer of every view's JSON (views/json.c, and jo_dump
 * for the jansson trees of the others). One set of calls, two ends: text
 * through a buffer of our own, laid out as jansson's json_dumpf writes with
 * JSON_INDENT(n) (or JSON_COMPACT) and JSON_PRESERVE_ORDER, reals in their
 * shortest exact digits, but neither a tree nor a write per token (the
 * report of a big valgrind file is tens of MB); or a jansson tree, for
 * what adds to the report (the html page, --threads). Strings that are not
 * UTF-8 have U+FFFD for each bad byte, in both.
 */
#ifndef CPROF_CLI_JSON_OUT_H
#define CPROF_CLI_JSON_OUT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "views/outbuf.h"

#define JSON_OUT_DEPTH 16

/* The text writer's reals are the shortest digits that read back as the
 * same double (0.833, not jansson's 0.83299999999999996): exact, so a
 * browser or a script computes from them what the C views do. */

typedef struct json_out {
    int text;                 /* 1: text into ob; 0: a tree */
    outbuf ob;
    int indent, err, depth, after_key;
    int html;                 /* text: a string's '<' as \u003C (a page's <script>) */
    char close[JSON_OUT_DEPTH];    /* text: '}' or ']' of each open container */
    char items[JSON_OUT_DEPTH];    /* text: it holds an item already */
    json_t *open[JSON_OUT_DEPTH];  /* tree: the open containers */
    const char *key;               /* tree: the key of the next value */
    json_t *root;
} json_out;

/* Text into f; indent > 0: JSON_INDENT(indent), 0: JSON_COMPACT. */
void jo_text(json_out *w, FILE *f, int indent);
/* Compact text for a page's <script> (see html). */
void jo_text_html(json_out *w, FILE *f);
/* The rest written out: 0, or -1 on a write error. */
int jo_text_end(json_out *w);
void jo_tree(json_out *w);
/* The tree built (the caller's), NULL if none was. */
json_t *jo_tree_end(json_out *w);

void jo_obj(json_out *w);
void jo_arr(json_out *w);
void jo_end(json_out *w);   /* of the innermost object or array */
void jo_key(json_out *w, const char *k);   /* k lives until its value is given */
void jo_str(json_out *w, const char *s);   /* NULL: null */
void jo_int(json_out *w, int64_t v);
void jo_real(json_out *w, double v);
void jo_bool(json_out *w, int v);
void jo_null(json_out *w);

/* A jansson value written through w: the same document (keys in their
 * order), its reals in the text writer's digits. */
void jo_json(json_out *w, const json_t *v);
/* v as text into f (indent as jo_text's): 0, or -1 on a write error or a
 * document deeper than JSON_OUT_DEPTH. Every view's json goes out this way. */
int jo_dump(FILE *f, const json_t *v, int indent);

static inline void jo_kstr(json_out *w, const char *k, const char *s) { jo_key(w, k); jo_str(w, s); }
static inline void jo_kint(json_out *w, const char *k, int64_t v) { jo_key(w, k); jo_int(w, v); }
static inline void jo_kbool(json_out *w, const char *k, int v) { jo_key(w, k); jo_bool(w, v); }

#endif
