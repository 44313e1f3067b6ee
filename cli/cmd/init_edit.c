/*
 * init_edit.c: CRLF kept and a feature added to a manifest (see
 * init_edit.h). The place in [features] is found with the one TOML scanner
 * (toml.c), so a "[features]" in a string or a comment is never taken for
 * the table.
 */
#include "cmd/init_edit.h"
#include "sys/toml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int text_is_crlf(const char *t, size_t n)
{
    int lines = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] == '\n') {
            if (i == 0 || t[i - 1] != '\r')
                return 0;
            lines++;
        }
    return lines > 0;
}

char *text_to_crlf(const char *t, size_t n, size_t *out_n)
{
    char *o = malloc(2 * n + 1);
    size_t k = 0;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\n' && (i == 0 || t[i - 1] != '\r'))
            o[k++] = '\r';
        o[k++] = t[i];
    }
    o[k] = 0;
    *out_n = k;
    return o;
}

/* text[0..at) + ins + text[at..n) */
static char *splice(const char *t, size_t n, size_t at, const char *ins, size_t *out_n)
{
    size_t il = strlen(ins);
    char *o = malloc(n + il + 1);
    if (!o)
        return NULL;
    memcpy(o, t, at);
    memcpy(o + at, ins, il);
    memcpy(o + at + il, t + at, n - at);
    o[n + il] = 0;
    *out_n = n + il;
    return o;
}

char *manifest_add_feature(const char *t, size_t n, const char *after, const char *name,
                           const char *value, size_t *out_n, char *err, size_t errlen)
{
    toml_scan s;
    toml_item it;
    const char *features[] = { "features", after };
    size_t after_feature = 0, after_header = 0;
    int feature_top = 0, r;
    toml_scan_init(&s, t, n);
    while ((r = toml_next(&s, &it)) == 1) {
        if (it.kind == TOML_TABLE && it.npath == 1 && strcmp(it.path[0], "features") == 0 && !after_header)
            after_header = it.end;
        if (it.kind == TOML_KEYVAL && it.npath == 2 && toml_path_starts(&it, 2, features)) {
            after_feature = it.end;
            feature_top = it.ntable == 0;   /* features.cprof = [...] in the root table */
        }
    }
    if (r < 0) {
        snprintf(err, errlen, "%s", s.error);
        return NULL;
    }
    size_t at = after_feature ? after_feature : after_header ? after_header : n;
    /* the statement's line end is in it; a last line without one gets it */
    int need_nl = at > 0 && t[at - 1] != '\n';
    char line[512];
    if (after_feature || after_header)
        snprintf(line, sizeof line, "%s%s%s = [%s]\n", need_nl ? "\n" : "",
                 feature_top ? "features." : "", name, value);
    else
        snprintf(line, sizeof line, "%s\n[features]\n%s = [%s]\n", need_nl ? "\n" : "", name, value);
    return splice(t, n, at, line, out_n);
}

/* The line at t[i] (up to its '\n') without leading blanks. */
static const char *line_start(const char *t, size_t n, size_t *i)
{
    while (*i < n && (t[*i] == ' ' || t[*i] == '\t'))
        ++*i;
    return t + *i;
}

static size_t next_line(const char *t, size_t n, size_t i)
{
    while (i < n && t[i] != '\n')
        i++;
    return i < n ? i + 1 : n;
}

static int starts(const char *p, const char *end, const char *word)
{
    size_t l = strlen(word);
    return (size_t)(end - p) >= l && memcmp(p, word, l) == 0;
}

/* "static NAME: TYPE = EXPR;" from p (before end) into the wrapped form. */
static void wrapped_static(const char *p, const char *end, char *how, size_t howlen)
{
    const char *semi = memchr(p, ';', (size_t)(end - p));
    const char *colon = semi ? memchr(p, ':', (size_t)(semi - p)) : NULL;
    if (colon && colon + 1 < semi && colon[1] == ':')
        colon = NULL;   /* a path before the type: not plain */
    const char *eq = colon ? memchr(colon, '=', (size_t)(semi - colon)) : NULL;
    if (!eq)
        return;
    const char *a = colon + 1, *b = eq, *c = eq + 1, *d = semi;
    while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n' || b[-1] == '\r'))
        b--;
    while (c < d && (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r'))
        c++;
    while (d > c && (d[-1] == ' ' || d[-1] == '\t' || d[-1] == '\n' || d[-1] == '\r'))
        d--;
    if (a == b || c == d || memchr(a, '\n', (size_t)(b - a)) || memchr(c, '\n', (size_t)(d - c)))
        return;
    snprintf(how, howlen, "%.*s: cprof::Alloc<%.*s> = cprof::Alloc::new(%.*s);", (int)(colon - p), p,
             (int)(b - a), a, (int)(d - c), c);
}

int rust_global_allocator(const char *t, size_t n, char *how, size_t howlen)
{
    how[0] = 0;
    for (size_t i = 0; i < n; i = next_line(t, n, i)) {
        const char *p = line_start(t, n, &i), *end = t + n;
        if (!starts(p, end, "#[") && !starts(p, end, "# ["))
            continue;
        const char *close = memchr(p, ']', (size_t)(end - p));
        const char *attr = p + 2;
        while (attr < end && *attr == ' ')
            attr++;
        if (!close || !starts(attr, close, "global_allocator"))
            continue;
        /* the static after it (other attributes may come between) */
        for (size_t j = next_line(t, n, (size_t)(close - t)); j < n; j = next_line(t, n, j)) {
            const char *q = line_start(t, n, &j);
            if (starts(q, end, "#") || starts(q, end, "//") || *q == '\n' || *q == '\r')
                continue;
            if (starts(q, end, "pub "))
                q += 4;
            if (starts(q, end, "static "))
                wrapped_static(q, end, how, howlen);
            break;
        }
        return 1;
    }
    return 0;
}

char *rust_add_allocator(const char *t, size_t n, int optional, size_t *out_n)
{
    static const char lines[] =
        "// Counts allocations per region (cprof::allocs, cprof::alloc_bytes, ...); without\n"
        "// cprof/enable this is std::alloc::System itself. Added by `cargo profiler init --alloc`.\n";
    const char *gate = optional ? "#[cfg(feature = \"cprof\")]\n" : "";
    /* after the leading #![...] attributes (to their closing line), //! lines, blank lines */
    size_t at = 0, i = 0;
    int in_attr = 0, blank = 1;   /* the text before `at` ends in a blank line (or is empty) */
    while (i < n) {
        size_t k = i;
        const char *p = line_start(t, n, &k), *end = t + n;
        size_t next = next_line(t, n, i);
        int is_blank = *p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n');
        if (in_attr || starts(p, end, "#!["))
            in_attr = !memchr(p, ']', (size_t)(t + next - p));
        else if (!starts(p, end, "//!") && !is_blank)
            break;
        i = next;
        if (!in_attr) {
            at = i;
            blank = is_blank;
        }
    }
    const char *nl = at && t[at - 1] != '\n' ? "\n" : "";
    const char *gap = blank ? "" : "\n";
    size_t cap = n + sizeof lines + strlen(gate) + sizeof INIT_ALLOC_STATIC + 64;
    char *o = malloc(cap);
    if (!o)
        return NULL;
    int k = snprintf(o, cap, "%.*s%s%s%s%s#[global_allocator]\n" INIT_ALLOC_STATIC "\n\n", (int)at, t, nl,
                     gap, lines, gate);
    memcpy(o + k, t + at, n - at);
    *out_n = (size_t)k + n - at;
    o[*out_n] = 0;
    return o;
}
