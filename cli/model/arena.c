/* arena.c: see arena.h. */
#include "model/arena.h"

#include <stdint.h>
#include <string.h>
#include <stdlib.h>

#include "sys/xalloc.h"

#define CHUNK (64u << 10)
#define HEAD 16   /* the link to the chunk before, and malloc's alignment kept */

void *arena_alloc(arena *a, size_t n, size_t align)
{
    size_t pad = (size_t)(-(uintptr_t)a->room & (align - 1));
    if (!a->room || n + pad > a->left) {
        int own = n > CHUNK / 4;   /* a big record has a chunk of its own; the one in use stays */
        char *c = xrealloc(NULL, HEAD + (own ? n : CHUNK));
        memcpy(c, &a->chunk, sizeof a->chunk);
        a->chunk = c;
        if (own)
            return c + HEAD;
        a->room = c + HEAD;
        a->left = CHUNK;
        pad = 0;
    }
    char *r = a->room + pad;
    a->room = r + n;
    a->left -= n + pad;
    return r;
}

void arena_free(arena *a)
{
    while (a->chunk) {
        char *prev;
        memcpy(&prev, a->chunk, sizeof prev);
        free(a->chunk);
        a->chunk = prev;
    }
    memset(a, 0, sizeof *a);
}
