/* linereader.c: fixed-buffer line reading for the streaming readers. */
#include "readers/linereader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (128u << 10)   /* first buffer size; grows only for long lines */

int lr_init(line_reader *r, FILE *f)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->cap = CHUNK + 1;
    r->buf = malloc(r->cap);
    return r->buf ? 0 : -1;
}

void lr_free(line_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

int lr_next_slow(line_reader *r, char **line, size_t *len)
{
    size_t scanned = 0;   /* bytes of the pending line already searched for '\n' */
    for (;;) {
        char *s = r->buf + r->start;
        size_t have = r->end - r->start;
        char *nl = memchr(s + scanned, '\n', have - scanned);
        if (nl || (r->eof && have > 0)) {
            size_t n = nl ? (size_t)(nl - s) : have;
            r->start += nl ? n + 1 : n;
            r->unterminated = !nl;
            r->lineno++;
            if (n > LINE_MAX_BYTES) {
                errno = EOVERFLOW;
                return -1;
            }
            if (n > 0 && s[n - 1] == '\r')
                n--;
            r->nul = r->nuls && memchr(s, '\0', n);
            s[n] = '\0';  /* the '\n' slot, or spare room kept after end */
            *line = s;
            *len = n;
            return 1;
        }
        if (r->eof)
            return 0;
        scanned = have;
        if (have > LINE_MAX_BYTES) {
            r->lineno++;
            errno = EOVERFLOW;
            return -1;
        }
        /* Move the partial line to the front, then fill behind it. */
        if (r->start > 0) {
            memmove(r->buf, s, have);
            r->start = 0;
            r->end = have;
        }
        if (r->end + 1 == r->cap) {
            /* a line longer than the buffer: grow, up to the line limit */
            size_t cap = r->cap * 2 > LINE_MAX_BYTES + CHUNK + 1 ? LINE_MAX_BYTES + CHUNK + 1 : r->cap * 2;
            char *b = realloc(r->buf, cap);
            if (!b) {
                r->lineno++;
                errno = ENOMEM;
                return -1;
            }
            r->buf = b;
            r->cap = cap;
        }
        size_t room = r->cap - 1 - r->end;
        size_t got = fread(r->buf + r->end, 1, room, r->f);
        r->nuls |= memchr(r->buf + r->end, '\0', got) != NULL;   /* one search a chunk, not a line */
        r->end += got;
        if (got < room) {
            if (ferror(r->f)) {
                r->lineno++;
                return -1;
            }
            r->eof = 1;
        }
    }
}
