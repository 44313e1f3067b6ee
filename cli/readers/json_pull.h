/*
 * json_pull.h: a pull (token-stream) JSON parser over one buffer, for
 * readers that know their schema (cprof dumps): no tree is built, the
 * caller asks for the value it expects next. It accepts what jansson's
 * json_loadb(JSON_REJECT_DUPLICATES) accepts (RFC 8259, valid UTF-8, no
 * \u0000, integers within long long, no duplicate keys, depth <= 2048), and
 * on the first fault keeps the byte at fault and what was expected there.
 *
 * Strings are unescaped in place: the buffer is the parser's to change and
 * must hold a 0 byte at buf[len]. A string value points into it.
 */
#ifndef CPROF_CLI_JSON_PULL_H
#define CPROF_CLI_JSON_PULL_H

#include <stddef.h>
#include <stdint.h>

typedef enum jp_type {
    JP_MISSING,   /* not in the object (the zero value) */
    JP_NULL, JP_FALSE, JP_TRUE, JP_INT, JP_REAL, JP_STRING, JP_ARRAY, JP_OBJECT,
} jp_type;

/* One scalar as read (arrays and objects only by their type). Packed: a
 * dump keeps 18 of them per region or node, 9 bytes each instead of 16. */
typedef struct __attribute__((packed)) jp_val {
    union { long long i; double d; const char *s; };
    uint8_t type;   /* jp_type */
} jp_val;

typedef struct jp_key { const char *s; size_t len, at; } jp_key;

typedef struct jp {
    char *p, *start, *end;   /* next byte; the buffer [start, end), *end == 0 */
    int depth;
    int failed, truncated;   /* truncated: the input ended before the value did */
    size_t at;               /* failed: offset of the byte at fault */
    char what[200];          /* failed: what was expected there */
    jp_key *keys;            /* keys of the open objects the caller does not know */
    size_t n_keys, cap_keys;
} jp;

void jp_init(jp *j, char *buf, size_t len);
void jp_free(jp *j);

/* Fails at the next byte (or at the end: truncated); always -1. */
int jp_fail(jp *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same at byte offset `at`; a key given twice, at `at`. */
int jp_fail_at(jp *j, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int jp_dup_key(jp *j, size_t at, const char *k, size_t len);

/* The next byte after white space (0 at the end). */
static inline int jp_peek(jp *j)
{
    while (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')
        j->p++;
    return (unsigned char)*j->p;
}

/* '{' or '[' opens (0, or -1); then, before each member, jp_more says
 * whether one follows (1), the container closed (0), or it failed (-1). */
int jp_open(jp *j, char c);
int jp_more(jp *j, char close, int *first);
/* A key and its ':'; NULL on failure. */
const char *jp_key_read(jp *j, size_t *len);

/* Unknown keys of an open object, for the duplicate check: mark before
 * the first member, add each, check (and forget them) after the last. */
static inline size_t jp_keys_mark(const jp *j) { return j->n_keys; }
void jp_keys_add(jp *j, const char *k, size_t len, size_t at);
int jp_keys_check(jp *j, size_t mark);

/* A string value; NULL on failure (*len: its length, it may hold no 0). */
const char *jp_string(jp *j, size_t *len);
/* Any value: scalars read into v, arrays and objects checked and passed
 * over (v->type says which). 0, or -1. */
int jp_value(jp *j, jp_val *v);
/* After the top-level value: only white space may follow. */
int jp_end(jp *j);

#endif
