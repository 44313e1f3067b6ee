/*
 * json_pull.c: the pull JSON parser of json_pull.h. The cost of a dump is
 * in its strings and integers: both have a fast path (a run of plain
 * bytes; digits summed without strtoll), the rare cases (escapes, UTF-8,
 * reals) a careful one.
 */
#include "readers/json_pull.h"
#include "sys/xalloc.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JP_MAX_DEPTH 2048   /* jansson's JSON_PARSER_MAX_DEPTH */

/* Bytes of a string that need no second look: not '"', '\\', a control
 * byte or the start of a UTF-8 sequence. */
static const uint8_t plain[256] = { [0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7f] = 1 };

void jp_init(jp *j, char *buf, size_t len)
{
    memset(j, 0, sizeof *j);
    j->p = j->start = buf;
    j->end = buf + len;
}

void jp_free(jp *j)
{
    free(j->keys);
    j->keys = NULL;
}

static int fail_at(jp *j, const char *at, const char *fmt, va_list ap)
{
    if (j->failed)
        return -1;
    j->failed = 1;
    j->truncated = at >= j->end;
    j->at = (size_t)((at < j->end ? at : j->end) - j->start);
    vsnprintf(j->what, sizeof j->what, fmt, ap);
    return -1;
}

int jp_fail(jp *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_at(j, j->p, fmt, ap);
    va_end(ap);
    return -1;
}

static int fail_here(jp *j, const char *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_here(jp *j, const char *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_at(j, at, fmt, ap);
    va_end(ap);
    return -1;
}

int jp_fail_at(jp *j, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_at(j, j->start + at, fmt, ap);
    va_end(ap);
    return -1;
}

int jp_dup_key(jp *j, size_t at, const char *k, size_t len)
{
    return jp_fail_at(j, at, "each key once in an object (\"%.*s\" again)", (int)(len > 60 ? 60 : len), k);
}

int jp_open(jp *j, char c)
{
    if (jp_peek(j) != (unsigned char)c)
        return jp_fail(j, "'%c'", c);
    if (++j->depth > JP_MAX_DEPTH)
        return jp_fail(j, "at most %d nested arrays and objects", JP_MAX_DEPTH);
    j->p++;
    return 0;
}

int jp_more(jp *j, char close, int *first)
{
    int c = jp_peek(j);
    if (c == close) {
        j->p++;
        j->depth--;
        return 0;
    }
    if (!*first) {
        if (c != ',')
            return jp_fail(j, "',' or '%c'", close);
        j->p++;
        jp_peek(j);
        if (*j->p == close)
            return jp_fail(j, "a value after ','");
    }
    *first = 0;
    return 1;
}

/* ---- strings ---------------------------------------------------------- */

/* Four hex digits at s: NULL, or the first byte that is not one (the
 * buffer's 0 at its end stops the read there). */
static const char *hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
        if (d == 16)
            return s + i;
        *v = *v << 4 | d;
    }
    return NULL;
}

static char *put_utf8(char *w, unsigned cp)
{
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xC0 | cp >> 6);
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xE0 | cp >> 12);
        *w++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *w++ = (char)(0xF0 | cp >> 18);
        *w++ = (char)(0x80 | (cp >> 12 & 0x3F));
        *w++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    }
    return w;
}

/* \uXXXX (a surrogate pair: two) at s, s[1] == 'u'; the code point, or -1.
 * A fault is named at its byte, so an escape cut by the end is "truncated". */
static long unicode_escape(jp *j, const char *s, const char **next)
{
    unsigned hi, lo;
    const char *bad = hex4(s + 2, &hi);
    if (bad)
        return fail_here(j, bad, "four hex digits after \\u");
    *next = s + 6;
    if (hi == 0)
        return fail_here(j, s, "no \\u0000 in a string");
    if (hi >= 0xDC00 && hi <= 0xDFFF)
        return fail_here(j, s, "no lone low surrogate \\u%04X", hi);
    if (hi < 0xD800 || hi > 0xDBFF)
        return hi;
    bad = s[6] != '\\' ? s + 6 : s[7] != 'u' ? s + 7 : hex4(s + 8, &lo);
    if (bad || lo < 0xDC00 || lo > 0xDFFF)
        return fail_here(j, bad && bad >= j->end ? bad : s, "a low surrogate after \\u%04X", hi);
    *next = s + 12;
    return 0x10000 + ((long)(hi - 0xD800) << 10) + (lo - 0xDC00);
}

/* One UTF-8 sequence at s (s[0] >= 0x80); its length, or 0 if invalid
 * (overlong, a surrogate, past U+10FFFF; *bad: a byte that is not a
 * continuation, which may be the end). */
static size_t utf8_len(const unsigned char *s, const char **bad)
{
    size_t n = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
             : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    unsigned cp = s[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    *bad = (const char *)s;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *bad = (const char *)s + i;
            return 0;
        }
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

/* The slow part of a string: from r (an escape, a control or non-ASCII
 * byte), writing at w. The end of the string, or NULL. */
static char *string_rest(jp *j, const char *r, char *w)
{
    for (;;) {
        unsigned char c = (unsigned char)*r;
        if (plain[c]) {
            *w++ = *r++;
        } else if (c == '"') {
            *w = 0;
            j->p = (char *)r + 1;
            return w;
        } else if (c == '\\') {
            static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
            const char *e = r[1] ? strchr(esc_in, r[1]) : NULL;
            if (e) {
                *w++ = esc_out[e - esc_in];
                r += 2;
            } else if (r[1] == 'u') {
                long cp = unicode_escape(j, r, &r);
                if (cp < 0)
                    return NULL;
                w = put_utf8(w, (unsigned)cp);
            } else {
                return r + 1 >= j->end ? (fail_here(j, j->end, "the rest of a string"), NULL)
                                       : (fail_here(j, r, "an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"), NULL);
            }
        } else if (c >= 0x80) {
            const char *bad;
            size_t n = utf8_len((const unsigned char *)r, &bad);
            if (!n)
                return fail_here(j, bad >= j->end ? bad : r, "valid UTF-8 (byte 0x%02x)", c), NULL;
            memmove(w, r, n);
            w += n;
            r += n;
        } else {
            return r >= j->end ? (fail_here(j, j->end, "the rest of a string, and '\"'"), NULL)
                               : (fail_here(j, r, "no control byte 0x%02x in a string", c), NULL);
        }
    }
}

const char *jp_string(jp *j, size_t *len)
{
    if (jp_peek(j) != '"')
        return jp_fail(j, "a string"), NULL;
    char *s = ++j->p, *r = s;
    while (plain[(unsigned char)*r])
        r++;
    char *w = r;
    if (*r == '"') {   /* no escape, nothing but ASCII: the usual name */
        *w = 0;
        j->p = r + 1;
    } else if (!(w = string_rest(j, r, r))) {
        return NULL;
    }
    *len = (size_t)(w - s);
    return s;
}

const char *jp_key_read(jp *j, size_t *len)
{
    const char *k = jp_string(j, len);
    if (!k)
        return NULL;
    if (jp_peek(j) != ':')
        return jp_fail(j, "':' after a key"), NULL;
    j->p++;
    return k;
}

void jp_keys_add(jp *j, const char *k, size_t len, size_t at)
{
    if (j->n_keys == j->cap_keys) {
        j->cap_keys = j->cap_keys ? 2 * j->cap_keys : 64;
        j->keys = xrealloc(j->keys, j->cap_keys * sizeof *j->keys);
    }
    j->keys[j->n_keys++] = (jp_key){ k, len, at };
}

static int key_cmp(const void *a, const void *b)
{
    const jp_key *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    int c = memcmp(x->s, y->s, x->len);
    return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

int jp_keys_check(jp *j, size_t mark)
{
    if (j->n_keys - mark < 2) {
        j->n_keys = mark;
        return 0;   /* one unknown key (or none, and no table yet) */
    }
    jp_key *k = j->keys + mark;
    size_t n = j->n_keys - mark, dup = (size_t)-1;
    if (n > 1)
        qsort(k, n, sizeof *k, key_cmp);   /* sorts by key, then place */
    for (size_t i = 1; i < n; i++)
        if (k[i].len == k[i - 1].len && memcmp(k[i].s, k[i - 1].s, k[i].len) == 0 &&
            (dup == (size_t)-1 || k[i].at < k[dup].at))
            dup = i;
    j->n_keys = mark;
    return dup == (size_t)-1 ? 0 : jp_dup_key(j, k[dup].at, k[dup].s, k[dup].len);
}

/* ---- numbers and words -------------------------------------------------- */

static locale_t c_locale(void)
{
    static locale_t c;
    if (!c)
        c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    return c;
}

static int real(jp *j, const char *s, jp_val *v)
{
    char *e;
    v->type = JP_REAL;
    v->d = c_locale() ? strtod_l(s, &e, c_locale()) : strtod(s, &e);
    if (e != j->p)
        return fail_here(j, s, "a number");
    if (isinf(v->d))
        return fail_here(j, s, "a number within a double's range");
    return 0;
}

/* RFC 8259's number; an integer (no fraction, no exponent) within long long. */
static int number(jp *j, jp_val *v)
{
    const char *s = j->p, *r = s;
    int neg = *r == '-';
    r += neg;
    if (*r == '0' && r[1] >= '0' && r[1] <= '9')
        return fail_here(j, r, "no leading zero in a number");
    const char *digits = r;
    unsigned long long u = 0;
    int over = 0;
    for (; *r >= '0' && *r <= '9'; r++) {
        over |= u > (ULLONG_MAX - 9) / 10;
        u = u * 10 + (unsigned)(*r - '0');
    }
    if (r == digits)
        return fail_here(j, r, "a digit");
    int is_real = 0;
    if (*r == '.') {
        is_real = 1;
        if (*++r < '0' || *r > '9')
            return fail_here(j, r, "a digit after '.'");
        while (*r >= '0' && *r <= '9')
            r++;
    }
    if (*r == 'e' || *r == 'E') {
        is_real = 1;
        r += r[1] == '+' || r[1] == '-' ? 2 : 1;
        if (*r < '0' || *r > '9')
            return fail_here(j, r, "a digit in the exponent");
        while (*r >= '0' && *r <= '9')
            r++;
    }
    j->p = (char *)r;
    if (is_real)
        return real(j, s, v);
    if (over || u > (unsigned long long)LLONG_MAX + (unsigned)neg)
        return fail_here(j, s, "an integer within long long (-2^63 .. 2^63-1)");
    v->type = JP_INT;
    v->i = neg ? (long long)(0 - u) : (long long)u;
    return 0;
}

static int word(jp *j, jp_val *v)
{
    const char *s = j->p, *r = s;
    while ((*r >= 'a' && *r <= 'z') || (*r >= 'A' && *r <= 'Z'))
        r++;
    size_t n = (size_t)(r - s);
    if (n == 4 && memcmp(s, "true", 4) == 0)
        v->type = JP_TRUE;
    else if (n == 5 && memcmp(s, "false", 5) == 0)
        v->type = JP_FALSE;
    else if (n == 4 && memcmp(s, "null", 4) == 0)
        v->type = JP_NULL;
    else if (r == j->end && n < 5 && (memcmp(s, "true", n) == 0 || memcmp(s, "false", n) == 0 ||
                                       memcmp(s, "null", n) == 0))
        return fail_here(j, r, "the rest of true, false or null");
    else
        return fail_here(j, s, "a value (true, false, null, a number, a string, [ or {)");
    j->p = (char *)r;
    return 0;
}

/* ---- any value ------------------------------------------------------------ */

static int skip_object(jp *j)
{
    size_t mark = jp_keys_mark(j), len;
    int first = 1, more;
    jp_val v;
    if (jp_open(j, '{'))
        return -1;
    while ((more = jp_more(j, '}', &first)) > 0) {
        size_t at = (size_t)(j->p - j->start);
        const char *k = jp_key_read(j, &len);
        if (!k || jp_value(j, &v))
            return -1;
        jp_keys_add(j, k, len, at);
    }
    return more < 0 ? -1 : jp_keys_check(j, mark);
}

static int skip_array(jp *j)
{
    int first = 1, more;
    jp_val v;
    if (jp_open(j, '['))
        return -1;
    while ((more = jp_more(j, ']', &first)) > 0)
        if (jp_value(j, &v))
            return -1;
    return more;
}

int jp_value(jp *j, jp_val *v)
{
    int c = jp_peek(j);
    size_t len;
    switch (c) {
    case '"':
        v->type = JP_STRING;
        return (v->s = jp_string(j, &len)) ? 0 : -1;
    case '{':
        v->type = JP_OBJECT;
        return skip_object(j);
    case '[':
        v->type = JP_ARRAY;
        return skip_array(j);
    case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
        return number(j, v);
    case 0:
        if (j->p >= j->end)
            return jp_fail(j, "a value");
        return jp_fail(j, "a value, not a 0 byte");
    default:
        return word(j, v);
    }
}

int jp_end(jp *j)
{
    if (jp_peek(j) || j->p < j->end)
        return jp_fail(j, "the end of the file after the top-level value");
    return 0;
}
