/*
 * toml.c: the TOML statement scanner (see toml.h). One pass over the bytes,
 * no allocation; every string form is skipped by the same few functions, so
 * quotes in comments and one-line strings, and brackets in strings, never
 * open anything.
 */
#include "sys/toml.h"

#include <stdio.h>
#include <string.h>

void toml_scan_init(toml_scan *s, const char *text, size_t len)
{
    memset(s, 0, sizeof *s);
    s->text = text;
    s->len = len;
    s->line = 1;
}

static int fail(toml_scan *s, const char *why)
{
    snprintf(s->error, sizeof s->error, "line %d: %s", s->line, why);
    return -1;
}

static int at(const toml_scan *s, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    return i + n <= s->len && memcmp(s->text + i, lit, n) == 0;
}

static void skip_blank(toml_scan *s)
{
    while (s->pos < s->len && (s->text[s->pos] == ' ' || s->text[s->pos] == '\t'))
        s->pos++;
}

static void skip_comment(toml_scan *s)
{
    if (s->pos < s->len && s->text[s->pos] == '#')
        while (s->pos < s->len && s->text[s->pos] != '\n')
            s->pos++;
}

/* Blanks, a comment, then a line end: 1 past the line end, 0 at the end of
 * the text, 2 before something else. */
static int rest_of_line(toml_scan *s)
{
    skip_blank(s);
    skip_comment(s);
    if (s->pos < s->len && s->text[s->pos] == '\r')
        s->pos++;
    if (s->pos >= s->len)
        return 0;
    if (s->text[s->pos] != '\n')
        return 2;
    s->pos++;
    s->line++;
    return 1;
}

/* After a statement: blanks, a comment, then a line end or the end of the text. */
static int end_of_line(toml_scan *s)
{
    return rest_of_line(s) == 2 ? fail(s, "expected the end of the line") : 0;
}

/* A string starting at s->pos (on its opening quote); decoded into out when
 * out is not NULL (keys), skipped otherwise. */
static int string(toml_scan *s, char *out, size_t cap, int *cut)
{
    char q = s->text[s->pos];
    int multi = at(s, s->pos, q == '"' ? "\"\"\"" : "'''");
    size_t o = 0;
    s->pos += multi ? 3 : 1;
    for (;;) {
        if (s->pos >= s->len)
            return fail(s, "unterminated string");
        char c = s->text[s->pos];
        if (c == q && (!multi || at(s, s->pos, q == '"' ? "\"\"\"" : "'''"))) {
            s->pos += multi ? 3 : 1;
            /* """a"""" is the string a": up to two quotes belong to it */
            for (int extra = 0; multi && extra < 2 && s->pos < s->len && s->text[s->pos] == q; extra++)
                s->pos++;
            break;
        }
        if (c == '\n') {
            if (!multi)
                return fail(s, "a line end in a one-line string");
            s->line++;
        }
        if (c == '\\' && q == '"') {
            if (s->pos + 1 >= s->len)
                return fail(s, "unterminated string");
            char e = s->text[++s->pos];
            static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
            const char *k = strchr(from, e);
            if (k && e)
                c = to[k - from];
            else if (e == '\n') {   /* a line-ending backslash in """: a line break dropped */
                s->line++;
                c = 0;
            } else
                c = e;   /* \uXXXX kept as written: keys we look for are ASCII */
        }
        if (out && c) {
            if (o + 1 < cap)
                out[o++] = c;
            else
                *cut = 1;
        }
        s->pos++;
    }
    if (out)
        out[o] = 0;
    return 0;
}

static int bare_key_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* A dotted key (a.b."c d".'e') into path[*n...]; stops before what follows it. */
static int key(toml_scan *s, char path[][TOML_KEY_MAX], int *n, int *cut)
{
    for (;;) {
        skip_blank(s);
        if (s->pos >= s->len)
            return fail(s, "expected a key");
        char seg[TOML_KEY_MAX];
        char c = s->text[s->pos];
        if (c == '"' || c == '\'') {
            if (at(s, s->pos, c == '"' ? "\"\"\"" : "'''"))
                return fail(s, "a multi-line string cannot be a key");
            if (string(s, seg, sizeof seg, cut))
                return -1;
        } else if (bare_key_char(c)) {
            size_t o = 0;
            while (s->pos < s->len && bare_key_char(s->text[s->pos])) {
                if (o + 1 < sizeof seg)
                    seg[o++] = s->text[s->pos];
                else
                    *cut = 1;
                s->pos++;
            }
            seg[o] = 0;
        } else {
            return fail(s, "expected a key");
        }
        if (*n < TOML_MAX_PATH)
            memcpy(path[(*n)++], seg, sizeof seg);
        else
            *cut = 1;
        skip_blank(s);
        if (s->pos < s->len && s->text[s->pos] == '.') {
            s->pos++;
            continue;
        }
        return 0;
    }
}

/* One value: a string, an array or inline table (nested, over lines, with
 * comments inside arrays), or a bare scalar (number, boolean, a date that
 * may hold a space) to the end of the line or a comment. */
static int value(toml_scan *s)
{
    int depth = 0;
    size_t start = s->pos;
    if (s->pos < s->len && !strchr("\"'[{", s->text[s->pos])) {
        while (s->pos < s->len && !strchr("#\r\n", s->text[s->pos]))
            s->pos++;
        while (s->pos > start && (s->text[s->pos - 1] == ' ' || s->text[s->pos - 1] == '\t'))
            s->pos--;
        return 0;
    }
    for (;;) {
        if (s->pos >= s->len)
            return depth ? fail(s, "unterminated array or inline table") : 0;
        char c = s->text[s->pos];
        if (c == '"' || c == '\'') {
            if (string(s, NULL, 0, NULL))
                return -1;
        } else if (c == '[' || c == '{') {
            depth++;
            s->pos++;
        } else if (c == ']' || c == '}') {
            depth--;
            s->pos++;
        } else if (c == '#') {
            skip_comment(s);
        } else {
            if (c == '\n')
                s->line++;
            s->pos++;
        }
        if (!depth)
            return 0;   /* a closed compound or a string is the whole value */
    }
}

int toml_next(toml_scan *s, toml_item *it)
{
    /* blank lines and comments between statements */
    int r;
    while ((r = rest_of_line(s)) == 1)
        ;
    if (r == 0)
        return 0;
    memset(it, 0, sizeof *it);
    it->start = s->pos;
    it->line = s->line;
    if (s->text[s->pos] == '[') {
        int arr = at(s, s->pos, "[[");
        s->pos += arr ? 2 : 1;
        int n = 0;
        if (key(s, it->path, &n, &it->truncated))
            return -1;
        if (!at(s, s->pos, arr ? "]]" : "]"))
            return fail(s, "expected ] after a table name");
        s->pos += arr ? 2 : 1;
        it->kind = arr ? TOML_ARRAY_TABLE : TOML_TABLE;
        it->npath = n;
        s->ntable = n;
        memcpy(s->table, it->path, sizeof s->table);
    } else {
        int n = s->ntable;
        it->ntable = n;
        memcpy(it->path, s->table, sizeof it->path);
        if (key(s, it->path, &n, &it->truncated))
            return -1;
        if (s->pos >= s->len || s->text[s->pos] != '=')
            return fail(s, "expected = after a key");
        s->pos++;
        skip_blank(s);
        it->value_start = s->pos;
        if (value(s))
            return -1;
        it->value_end = s->pos;
        if (it->value_end == it->value_start)
            return fail(s, "a key without a value");
        it->kind = TOML_KEYVAL;
        it->npath = n;
    }
    if (end_of_line(s))
        return -1;
    it->end = s->pos;
    return 1;
}

int toml_path_starts(const toml_item *it, int n, const char *const *segs)
{
    if (it->npath < n)
        return 0;
    for (int i = 0; i < n; i++)
        if (strcmp(it->path[i], segs[i]) != 0)
            return 0;
    return 1;
}
