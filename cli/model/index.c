/* index.c: the open-addressing tables of index.h. */
#include "model/index.h"
#include "sys/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct pair_slot { size_t a, b, value; };            /* value INDEX_NONE: empty */
struct str_slot { uint64_t hash; char *k; size_t len, value; };   /* k NULL: empty */

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

static uint64_t pair_hash(size_t a, size_t b)
{
    return mix((uint64_t)a * 0x9E3779B97F4A7C15ULL + (uint64_t)b);
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

size_t pair_index_find(const pair_index *ix, size_t a, size_t b)
{
    if (!ix->slot)
        return INDEX_NONE;
    for (size_t i = pair_hash(a, b) & ix->mask;; i = (i + 1) & ix->mask) {
        const struct pair_slot *s = &ix->slot[i];
        if (s->value == INDEX_NONE || (s->a == a && s->b == b))
            return s->value;
    }
}

static void pair_put(struct pair_slot *slot, size_t mask, struct pair_slot v)
{
    size_t i = pair_hash(v.a, v.b) & mask;
    while (slot[i].value != INDEX_NONE)
        i = (i + 1) & mask;
    slot[i] = v;
}

/* Slots (a power of two) for n keys at most half full. */
static size_t slots_for(size_t n, size_t have)
{
    size_t cap = have ? have : 64;
    while (2 * n > cap)
        cap *= 2;
    return cap;
}

void pair_index_reserve(pair_index *ix, size_t n)
{
    size_t have = ix->slot ? ix->mask + 1 : 0, cap = slots_for(n, have);
    if (cap == have)
        return;
    struct pair_slot *s = xrealloc(NULL, cap * sizeof *s);
    for (size_t i = 0; i < cap; i++)
        s[i].value = INDEX_NONE;
    for (size_t i = 0; ix->slot && i <= ix->mask; i++)
        if (ix->slot[i].value != INDEX_NONE)
            pair_put(s, cap - 1, ix->slot[i]);
    free(ix->slot);
    ix->slot = s;
    ix->mask = cap - 1;
}

void pair_index_add(pair_index *ix, size_t a, size_t b, size_t value)
{
    pair_index_reserve(ix, ix->n + 1);
    pair_put(ix->slot, ix->mask, (struct pair_slot){ a, b, value });
    ix->n++;
}

void pair_index_free(pair_index *ix)
{
    free(ix->slot);
    memset(ix, 0, sizeof *ix);
}

size_t str_index_find(const str_index *ix, const char *k, size_t len)
{
    if (!ix->slot)
        return INDEX_NONE;
    uint64_t h = str_hash(k, len);
    for (size_t i = h & ix->mask;; i = (i + 1) & ix->mask) {
        const struct str_slot *s = &ix->slot[i];
        if (!s->k)
            return INDEX_NONE;
        if (s->hash == h && s->len == len && memcmp(s->k, k, len) == 0)
            return s->value;
    }
}

static void str_put(struct str_slot *slot, size_t mask, struct str_slot v)
{
    size_t i = v.hash & mask;
    while (slot[i].k)
        i = (i + 1) & mask;
    slot[i] = v;
}

void str_index_reserve(str_index *ix, size_t n)
{
    size_t have = ix->slot ? ix->mask + 1 : 0, cap = slots_for(n, have);
    if (cap == have)
        return;
    struct str_slot *s = xcalloc(cap, sizeof *s);
    for (size_t i = 0; ix->slot && i <= ix->mask; i++)
        if (ix->slot[i].k)
            str_put(s, cap - 1, ix->slot[i]);
    free(ix->slot);
    ix->slot = s;
    ix->mask = cap - 1;
}

void str_index_add(str_index *ix, char *k, size_t len, size_t value)
{
    str_index_reserve(ix, ix->n + 1);
    str_put(ix->slot, ix->mask, (struct str_slot){ str_hash(k, len), k, len, value });
    ix->n++;
}

void str_index_free(str_index *ix)
{
    for (size_t i = 0; ix->slot && i <= ix->mask; i++)
        free(ix->slot[i].k);
    free(ix->slot);
    memset(ix, 0, sizeof *ix);
}
