/*
 * linereader.h: reads a text file one line at a time through a fixed buffer,
 * so a reader's memory does not grow with the file (valgrind files reach
 * gigabytes). Lines longer than LINE_MAX_BYTES are an error, not a realloc.
 */
#ifndef CPROF_CLI_LINEREADER_H
#define CPROF_CLI_LINEREADER_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define LINE_MAX_BYTES (1u << 20)

typedef struct line_reader {
    FILE *f;
    char *buf;
    size_t cap, start, end;
    unsigned long lineno;   /* number of the line last returned (1-based) */
    int eof;
    int unterminated;       /* the last line returned had no '\n' (truncated file?) */
    int nul;                /* the last line returned holds a NUL byte (not a text file?) */
    int nuls;               /* a NUL byte was read: lines are searched for one */
} line_reader;

/* 0, or -1 when out of memory. */
int lr_init(line_reader *r, FILE *f);
void lr_free(line_reader *r);

/* lr_next when the buffer does not end the line (or holds a NUL byte). */
int lr_next_slow(line_reader *r, char **line, size_t *len);

/*
 * 1: *line is the next line, NUL-terminated, without "\n" or "\r\n"; valid
 * until the next call. 0: end of file. -1: a read error (errno) or a line
 * over LINE_MAX_BYTES (errno = EOVERFLOW); r->lineno names the line.
 * Inline: a big file is millions of short lines.
 */
static inline int lr_next(line_reader *r, char **line, size_t *len)
{
    char *s = r->buf + r->start, *nl = memchr(s, '\n', r->end - r->start);
    size_t n = (size_t)(nl - s);
    if (!nl || r->nuls || n > LINE_MAX_BYTES)
        return lr_next_slow(r, line, len);
    r->start += n + 1;
    r->lineno++;
    r->unterminated = 0;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    s[n] = '\0';
    *line = s;
    *len = n;
    return 1;
}

#endif
