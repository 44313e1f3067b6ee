/* json_out.c: the report's JSON as text or as a jansson tree (json_out.h). */
#include "views/json_out.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/xalloc.h"

/* ---- text ---- */

static void put(json_out *w, const void *s, size_t len)
{
    ob_write(&w->ob, s, len);
}

static void newline(json_out *w, int depth)
{
    static const char line[] = "\n                                                               ";
    if (w->indent <= 0)
        return;
    size_t n = (size_t)depth * (size_t)w->indent;
    if (n < sizeof line - 1) {   /* a line end and its indent: one copy */
        put(w, line, n + 1);
        return;
    }
    put(w, "\n", 1);
    for (; n > 0; n -= n < sizeof line - 2 ? n : sizeof line - 2)
        put(w, line + 1, n < sizeof line - 2 ? n : sizeof line - 2);
}

/* Before a value in an array, a key in an object: the separator. */
static void item(json_out *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth == 0)
        return;
    if (w->items[w->depth - 1])
        put(w, ",", 1);
    w->items[w->depth - 1] = 1;
    newline(w, w->depth);
}

/* jansson's escapes: \\ \" \b \f \n \r \t, other control bytes \u00XX. */
static void escape(json_out *w, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *e = c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
                  : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
    if (e) {
        put(w, e, 2);
        return;
    }
    char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
    put(w, u, sizeof u);
}

/* The bytes a string cannot hold as they are: 1 control, quote, backslash,
 * the end; 2 the start of a UTF-8 sequence (to check). */
static const unsigned char special[256] = {
    [0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 2,
};
/* In a page's <script> a string's '<' is \u003C too, so no "</script>" ends it. */
static const unsigned char special_html[256] = {
    [0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, ['<'] = 1, [0x80 ... 0xff] = 2,
};

static void text_str(json_out *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    const unsigned char *sp = w->html ? special_html : special;
    put(w, "\"", 1);
    for (;;) {
        unsigned char c = *p;
        if (!sp[c]) {
            p++;
            continue;
        }
        size_t n = c >= 0x80 ? utf8_seq(p) : 0;
        if (n) {   /* valid UTF-8 stays as it is */
            p += n;
            continue;
        }
        put(w, run, (size_t)(p - run));
        if (!c)
            break;
        if (c >= 0x80)
            put(w, "\xEF\xBF\xBD", 3);
        else
            escape(w, c);
        run = ++p;
    }
    put(w, "\"", 1);
}

void jo_text(json_out *w, FILE *f, int indent)
{
    memset(w, 0, sizeof *w);
    w->text = 1;
    w->indent = indent;
    ob_open(&w->ob, f, NULL, 0);
}

void jo_text_html(json_out *w, FILE *f)
{
    jo_text(w, f, 0);
    w->html = 1;
}

int jo_text_end(json_out *w)
{
    int rc = ob_close(&w->ob);
    return rc || w->err || w->depth ? -1 : 0;
}

/* ---- tree ---- */

static int is_text(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = *p < 0x80 ? 1 : utf8_seq(p);
        if (!n)
            return 0;
        p += n;
    }
    return 1;
}

/* A string of s, its bytes that are not UTF-8 replaced. */
static json_t *tree_str(const char *s)
{
    if (is_text(s))
        return json_string_nocheck(s);
    char *t = xstrdup_text(s);
    json_t *j = json_string_nocheck(t);
    free(t);
    return j;
}

static void tree_put(json_out *w, json_t *v)
{
    if (w->depth == 0) {
        json_decref(w->root);
        w->root = v;
        return;
    }
    json_t *top = w->open[w->depth - 1];
    if (!json_is_object(top)) {
        json_array_append_new(top, v);
    } else if (is_text(w->key)) {
        json_object_set_new_nocheck(top, w->key, v);
    } else {
        char *k = xstrdup_text(w->key);
        json_object_set_new_nocheck(top, k, v);
        free(k);
    }
    w->key = NULL;
}

void jo_tree(json_out *w)
{
    memset(w, 0, sizeof *w);
}

json_t *jo_tree_end(json_out *w)
{
    json_t *r = w->err || w->depth ? NULL : w->root;
    if (!r)
        json_decref(w->root);
    w->root = NULL;
    return r;
}

/* ---- both ---- */

static void open_container(json_out *w, int object)
{
    if (w->depth == JSON_OUT_DEPTH) {   /* the report is never this deep */
        w->err = 1;
        return;
    }
    if (!w->text) {
        json_t *c = object ? json_object() : json_array();
        tree_put(w, json_incref(c));
        w->open[w->depth++] = c;
        json_decref(c);   /* its parent (or root) holds it */
        return;
    }
    item(w);
    put(w, object ? "{" : "[", 1);
    w->close[w->depth] = object ? '}' : ']';
    w->items[w->depth++] = 0;
}

void jo_obj(json_out *w)
{
    open_container(w, 1);
}

void jo_arr(json_out *w)
{
    open_container(w, 0);
}

void jo_end(json_out *w)
{
    if (w->depth == 0) {
        w->err = 1;
        return;
    }
    w->depth--;
    if (!w->text)
        return;
    if (w->items[w->depth])
        newline(w, w->depth);
    put(w, &w->close[w->depth], 1);
}

void jo_key(json_out *w, const char *k)
{
    if (!w->text) {
        w->key = k;
        return;
    }
    item(w);
    text_str(w, k);
    put(w, w->indent > 0 ? ": " : ":", w->indent > 0 ? 2 : 1);
    w->after_key = 1;
}

void jo_str(json_out *w, const char *s)
{
    if (!s) {
        jo_null(w);
    } else if (!w->text) {
        tree_put(w, tree_str(s));
    } else {
        item(w);
        text_str(w, s);
    }
}

void jo_int(json_out *w, int64_t v)
{
    if (!w->text) {
        tree_put(w, json_integer((json_int_t)v));
        return;
    }
    item(w);
    ob_int(&w->ob, v);
}

/* jansson's form ("%.Ng", then ".0" on a whole number) with the fewest
 * digits, 15 to 17, that strtod reads back as v. */
static void shortest_real(char *buf, size_t len, double v)
{
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, len, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (!strpbrk(buf, ".eEni"))   /* "3" -> "3.0"; inf and nan are refused before */
        strncat(buf, ".0", len - strlen(buf) - 1);
}

void jo_real(json_out *w, double v)
{
    if (!w->text) {
        tree_put(w, json_real(v));
        return;
    }
    if (!isfinite(v)) {   /* jansson refuses them too */
        w->err = 1;
        return;
    }
    char s[40];
    shortest_real(s, sizeof s, v);
    item(w);
    put(w, s, strlen(s));
}

void jo_bool(json_out *w, int v)
{
    if (!w->text) {
        tree_put(w, json_boolean(v));
        return;
    }
    item(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void jo_null(json_out *w)
{
    if (!w->text) {
        tree_put(w, json_null());
        return;
    }
    item(w);
    put(w, "null", 4);
}

void jo_json(json_out *w, const json_t *v)
{
    const char *k;
    json_t *x;
    size_t i;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        jo_obj(w);
        json_object_foreach((json_t *)v, k, x) {
            jo_key(w, k);
            jo_json(w, x);
        }
        jo_end(w);
        break;
    case JSON_ARRAY:
        jo_arr(w);
        json_array_foreach(v, i, x)
            jo_json(w, x);
        jo_end(w);
        break;
    case JSON_STRING: jo_str(w, json_string_value(v)); break;
    case JSON_INTEGER: jo_int(w, json_integer_value(v)); break;
    case JSON_REAL: jo_real(w, json_real_value(v)); break;
    case JSON_TRUE: jo_bool(w, 1); break;
    case JSON_FALSE: jo_bool(w, 0); break;
    case JSON_NULL: jo_null(w); break;
    }
}

int jo_dump(FILE *f, const json_t *v, int indent)
{
    json_out w;
    jo_text(&w, f, indent);
    jo_json(&w, v);
    return jo_text_end(&w);
}
