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
