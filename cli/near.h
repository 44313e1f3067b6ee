/*
 * near.h: "did you mean": how far a mistyped word is from a name, for
 * unknown commands (main.c), unknown options (options.c) and a region
 * selection that matched nothing (present.c).
 */
#ifndef CPROF_CLI_NEAR_H
#define CPROF_CLI_NEAR_H

#include <stddef.h>

/* Edits (insert, delete, change a byte) from a to b; NEAR_FAR when
 * either is longer than NEAR_MAX bytes. */
#define NEAR_MAX 63
#define NEAR_FAR ((size_t)999)
size_t near_distance(const char *a, const char *b);

/* The least distance from word to name or to any part of name after a
 * "::" (a selection names a function, its type and function, ...), the
 * glob characters of word left out. */
size_t near_name_distance(const char *word, const char *name);

#endif
