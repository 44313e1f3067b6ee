/* index.c: the open-addressing tables of index.h. */
#include "model/index.h"
#include "sys/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An empty slot is all zeros (fresh calloc'd pages cost nothing until a
 * key lands there): v1 is the value + 1, k NULL. 16 bytes a slot (a table
 * of 4 million slots for the call edges of a big callgrind file): values
 * and b below 2^32 - 1 (indices of arrays), a string key's length in the 4
 * bytes before its copy. */
struct pair_slot { uint64_t a; uint32_t b, v1; };
struct str_slot { char *k; uint32_t hash, value; };

/* 4 294 967 295 records of anything are not in memory: a key there is a bug. */
static uint32_t u32(size_t v)
{
    if (v >= UINT32_MAX) {
        fputs("cargo-profiler: an index past 2^32 - 1 in a lookup table\n", stderr);
        abort();
    }
    return (uint32_t)v;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

static uint64_t pair_hash(uint64_t a, uint64_t b)
{
    return mix(a * 0x9E3779B97F4A7C15ULL + b);
}

/* Eight bytes at a time; the tail read by memcpy, never past the key. */
static uint64_t str_hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    w = 0;
    memcpy(&w, s, n);
    return mix(h ^ w);
}

/* Slots (a power of two) for n keys at most half full. */
static size_t slots_for(size_t n, size_t have)
{
    size_t cap = have ? have : 64;
    while (2 * n > cap)
        cap *= 2;
    return cap;
}

/* The slot of (a, b): its own, or the empty one where it would go. */
static struct pair_slot *pair_slot_of(struct pair_slot *slot, size_t mask, uint64_t a, uint64_t b)
{
    for (size_t i = pair_hash(a, b) & mask;; i = (i + 1) & mask)
        if (!slot[i].v1 || (slot[i].a == a && slot[i].b == b))
            return &slot[i];
}

size_t pair_index_find(const pair_index *ix, size_t a, size_t b)
{
    return ix->slot ? pair_slot_of(ix->slot, ix->mask, a, b)->v1 - 1 : INDEX_NONE;
}

void pair_index_reserve(pair_index *ix, size_t n)
{
    size_t have = ix->slot ? ix->mask + 1 : 0, cap = slots_for(n, have);
    if (cap == have)
        return;
    struct pair_slot *s = xcalloc(cap, sizeof *s);
    xprefault(s, cap * sizeof *s);   /* keys land all over it */
    for (size_t i = 0; ix->slot && i <= ix->mask; i++)
        if (ix->slot[i].v1)
            *pair_slot_of(s, cap - 1, ix->slot[i].a, ix->slot[i].b) = ix->slot[i];
    free(ix->slot);
    ix->slot = s;
    ix->mask = cap - 1;
}

size_t pair_index_put(pair_index *ix, size_t a, size_t b, size_t value)
{
    pair_index_reserve(ix, ix->n + 1);
    struct pair_slot *s = pair_slot_of(ix->slot, ix->mask, a, u32(b));
    if (s->v1)
        return s->v1 - 1;
    *s = (struct pair_slot){ a, (uint32_t)b, u32(value) + 1 };
    ix->n++;
    return value;
}

void pair_index_free(pair_index *ix)
{
    free(ix->slot);
    memset(ix, 0, sizeof *ix);
}

static size_t key_len(const char *copy)
{
    uint32_t n;
    memcpy(&n, copy - sizeof n, sizeof n);
    return n;
}

/* The slot of k (hash h): its own, or the empty one where it would go. */
static struct str_slot *str_slot_of(struct str_slot *slot, size_t mask, uint32_t h, const char *k, size_t len)
{
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct str_slot *s = &slot[i];
        if (!s->k || (s->hash == h && key_len(s->k) == len && memcmp(s->k, k, len) == 0))
            return s;
    }
}

static uint32_t str_hash32(const char *k, size_t len)
{
    uint64_t h = str_hash(k, len);
    return (uint32_t)(h ^ h >> 32);
}

size_t str_index_find(const str_index *ix, const char *k, size_t len)
{
    if (!ix->slot)
        return INDEX_NONE;
    const struct str_slot *s = str_slot_of(ix->slot, ix->mask, str_hash32(k, len), k, len);
    return s->k ? s->value : INDEX_NONE;
}

void str_index_reserve(str_index *ix, size_t n)
{
    size_t have = ix->slot ? ix->mask + 1 : 0, cap = slots_for(n, have);
    if (cap == have)
        return;
    struct str_slot *s = xcalloc(cap, sizeof *s);
    xprefault(s, cap * sizeof *s);
    for (size_t i = 0; ix->slot && i <= ix->mask; i++)
        if (ix->slot[i].k)
            *str_slot_of(s, cap - 1, ix->slot[i].hash, ix->slot[i].k, key_len(ix->slot[i].k)) = ix->slot[i];
    free(ix->slot);
    ix->slot = s;
    ix->mask = cap - 1;
}

size_t str_index_put(str_index *ix, const char *k, size_t len, size_t value, const char **stored)
{
    str_index_reserve(ix, ix->n + 1);
    uint32_t h = str_hash32(k, len), n = u32(len);
    struct str_slot *s = str_slot_of(ix->slot, ix->mask, h, k, len);
    if (!s->k) {
        char *copy = (char *)arena_alloc(&ix->keys, sizeof n + len + 1, 1) + sizeof n;
        memcpy(copy - sizeof n, &n, sizeof n);
        memcpy(copy, k, len);
        copy[len] = '\0';
        *s = (struct str_slot){ copy, h, u32(value) };
        ix->n++;
    }
    if (stored)
        *stored = s->k;
    return s->value;
}

void str_index_lookups_done(str_index *ix)
{
    free(ix->slot);
    ix->slot = NULL;
    ix->mask = ix->n = 0;
}

void str_index_free(str_index *ix)
{
    arena_free(&ix->keys);
    free(ix->slot);
    memset(ix, 0, sizeof *ix);
}
