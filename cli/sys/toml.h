/*
 * toml.h: the one TOML scanner of the CLI, for the few questions about
 * manifests and cargo config files that cargo cannot answer (is a profile
 * defined? where is the [features] line cargo just wrote?). It walks a
 * document statement by statement: table headers ([a."b".c], [[x]]) and
 * key/value pairs, with each key's full dotted path decoded (quoted keys,
 * dotted keys, the current table) and the bytes each statement covers. It
 * knows TOML's strings (basic, literal, both multi-line forms), comments,
 * and arrays and inline tables over several lines, so a "[dependencies]"
 * inside a string or a comment is never a table. It does not convert or
 * check values.
 */
#ifndef CPROF_CLI_TOML_H
#define CPROF_CLI_TOML_H

#include <stddef.h>

#define TOML_MAX_PATH 8     /* deeper paths are cut (toml_item.truncated) */
#define TOML_KEY_MAX 128    /* longer key segments are cut (toml_item.truncated) */

typedef enum { TOML_TABLE = 1, TOML_ARRAY_TABLE, TOML_KEYVAL } toml_kind;

typedef struct toml_item {
    toml_kind kind;
    int npath;          /* table header: its name; key/value: the table's path + the key's */
    char path[TOML_MAX_PATH][TOML_KEY_MAX];
    int truncated;
    size_t start;       /* first byte of the statement */
    size_t end;         /* just after the statement's line end (or the end of the text) */
    size_t value_start, value_end;   /* key/value: the value's bytes */
    int line;           /* 1-based line of `start` */
    int ntable;         /* key/value: how many of path's segments are its table's */
} toml_item;

typedef struct toml_scan {
    const char *text;
    size_t len, pos;
    int line;
    int ntable;
    char table[TOML_MAX_PATH][TOML_KEY_MAX];
    char error[160];    /* after toml_next returned -1: "line 3: unterminated string" */
} toml_scan;

void toml_scan_init(toml_scan *s, const char *text, size_t len);
/* The next statement into *it: 1; 0 at the end; -1 on text that is not
 * TOML as far as the scanner can tell (s->error says where and why). */
int toml_next(toml_scan *s, toml_item *it);
/* 1 if the item's path starts with the n segments given. */
int toml_path_starts(const toml_item *it, int n, const char *const *segs);

#endif
