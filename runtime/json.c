/*
 * json.c: the small JSON writer the dump needs (libcprof links nothing but
 * PAPI and libc). Strings are escaped, and bytes that are not valid UTF-8 are
 * written as \u00XX so that every dump parses.
 */
#include <stdio.h>

#include "json.h"

/* Length of the valid UTF-8 sequence at s (no overlongs, no surrogates), or 0. */
static int utf8_len(const unsigned char *s)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    int n;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (int i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

void cprof_json_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    putc('"', f);
    while (*p) {
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            putc('\\', f);
            putc((int)c, f);
            p++;
        } else if (c < 0x20) {
            fprintf(f, c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\u%04x", c);
            p++;
        } else if (c < 0x80) {
            putc((int)c, f);
            p++;
        } else {
            int n = utf8_len(p);
            if (n == 0) {
                fprintf(f, "\\u%04x", c);
                p++;
            } else {
                fwrite(p, 1, (size_t)n, f);
                p += n;
            }
        }
    }
    putc('"', f);
}
