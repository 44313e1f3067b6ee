/* outbuf.c: the write buffer of outbuf.h. */
#include "views/outbuf.h"

#include <stdlib.h>

#include "sys/xalloc.h"

#define OWN_SIZE (256u << 10)

void ob_open(outbuf *b, FILE *f, char *buf, size_t cap)
{
    b->f = f;
    b->own = !buf;
    b->buf = buf ? buf : xrealloc(NULL, OWN_SIZE);
    b->cap = buf ? cap : OWN_SIZE;
    b->n = 0;
    b->err = 0;
}

void ob_flush(outbuf *b)
{
    if (b->n && fwrite(b->buf, 1, b->n, b->f) != b->n)
        b->err = 1;
    b->n = 0;
}

int ob_close(outbuf *b)
{
    ob_flush(b);
    if (b->own)
        free(b->buf);
    b->buf = NULL;
    return b->err ? -1 : 0;
}

void ob_write_long(outbuf *b, const void *s, size_t len)
{
    ob_flush(b);
    if (len <= b->cap) {
        memcpy(b->buf, s, len);
        b->n = len;
    } else if (fwrite(s, 1, len, b->f) != len) {
        b->err = 1;
    }
}

void ob_uint(outbuf *b, uint64_t v)
{
    char d[24], *e = d + sizeof d, *s = e;
    do
        *--s = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    ob_write(b, s, (size_t)(e - s));
}

void ob_int(outbuf *b, int64_t v)
{
    if (v < 0) {
        ob_putc(b, '-');
        ob_uint(b, 0 - (uint64_t)v);
    } else {
        ob_uint(b, (uint64_t)v);
    }
}
