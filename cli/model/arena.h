/*
 * arena.h: memory carved from 64 KB chunks and freed all at once, for the
 * many small records of a big profile that live as long as it does (the
 * lookup tables' key copies, the entries' lists of files): one malloc a
 * chunk, not a record (a callgrind file of 456 000 functions has millions).
 */
#ifndef CPROF_CLI_MODEL_ARENA_H
#define CPROF_CLI_MODEL_ARENA_H

#include <stddef.h>

typedef struct arena {
    char *chunk, *room;   /* the chunks (linked by their first word), the free room of the last */
    size_t left;
} arena;

/* n bytes, aligned to align (a power of two, at most 16), until arena_free. */
void *arena_alloc(arena *a, size_t n, size_t align);
void arena_free(arena *a);

#endif
