/* xalloc.c: see xalloc.h. */
#include "sys/xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_FROM (2u << 20)
#define HUGE_PAGE (2u << 20)

/* A big block (the model's arrays and tables for a big valgrind file) in
 * transparent huge pages where the kernel has them: a fault and a TLB
 * entry for 2 MB, not 4 KB. malloc mmaps such blocks; the hint covers the
 * whole huge pages inside one. */
static void *huge(void *p, size_t n)
{
    if (n < HUGE_FROM)
        return p;
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (e > a)
        madvise((void *)a, e - a, MADV_HUGEPAGE);
    return p;
}

void xprefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    const uintptr_t page = 4096;
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1), e = ((uintptr_t)p + n) & ~(page - 1);
    if (n >= (64u << 10) && e > a)
        madvise((void *)a, e - a, MADV_POPULATE_WRITE);   /* an old kernel: faults as before */
#else
    (void)p, (void)n;
#endif
}

static void out_of_memory(void)
{
    fputs("cargo-profiler: out of memory\n", stderr);
    exit(1);
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory();
    return huge(q, n);
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return huge(p, n * size);
}

char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

char *xvasprintf(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        out_of_memory();
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void *xgrow(void *arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return arr;
    *cap = *cap ? *cap * 2 : 16;
    return xrealloc(arr, *cap * elem);
}

size_t utf8_seq(const unsigned char *s)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
             : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
        return 0;
    return n;
}

size_t utf8_bad(const char *s)
{
    size_t bad = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = *p < 0x80 ? 1 : utf8_seq(p);   /* ASCII, the usual byte, without a call */
        bad += !n;
        p += n ? n : 1;
    }
    return bad;
}

char *xstrdup_text(const char *s)
{
    if (!s)
        return NULL;
    size_t bad = utf8_bad(s);
    if (!bad)
        return xstrdup(s);   /* the usual case: one pass more, no other cost */
    char *d = xrealloc(NULL, strlen(s) + 2 * bad + 1), *w = d;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_seq(p);
        if (!n) {
            memcpy(w, "\xEF\xBF\xBD", 3);
            w += 3;
            p++;
            continue;
        }
        memcpy(w, p, n);
        w += n;
        p += n;
    }
    *w = 0;
    return d;
}
