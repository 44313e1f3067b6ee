/*
 * outbuf.h: bytes for a FILE gathered in a buffer of our own and written a
 * buffer at a time: the views that write tens of MB (json, csv) put their
 * output through here, not through a stdio call per field or token.
 */
#ifndef CPROF_CLI_OUTBUF_H
#define CPROF_CLI_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct outbuf {
    FILE *f;
    char *buf;
    size_t n, cap;
    int err, own;
} outbuf;

/* Into f through buf (cap bytes; NULL: one of 256 KB of its own). */
void ob_open(outbuf *b, FILE *f, char *buf, size_t cap);
/* The rest written: 0, or -1 if a write failed. */
int ob_close(outbuf *b);
void ob_flush(outbuf *b);
/* len bytes too many for the room left: written through. */
void ob_write_long(outbuf *b, const void *s, size_t len);

static inline void ob_write(outbuf *b, const void *s, size_t len)
{
    if (b->n + len > b->cap) {
        ob_write_long(b, s, len);
        return;
    }
    memcpy(b->buf + b->n, s, len);
    b->n += len;
}

static inline void ob_putc(outbuf *b, char c)
{
    if (b->n == b->cap)
        ob_flush(b);
    b->buf[b->n++] = c;
}

static inline void ob_puts(outbuf *b, const char *s)
{
    ob_write(b, s, strlen(s));
}

/* Decimal, without printf. */
void ob_int(outbuf *b, int64_t v);
void ob_uint(outbuf *b, uint64_t v);

#endif
