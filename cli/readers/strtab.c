/* strtab.c: string interning and compressed-name id tables. */
#include "readers/strtab.h"

#include <stdlib.h>
#include <string.h>
#include <uthash.h>

struct strtab_item {
    int id;
    UT_hash_handle hh;
};

void strtab_init(strtab *t)
{
    memset(t, 0, sizeof *t);
}

void strtab_free(strtab *t)
{
    struct strtab_item *it, *tmp;
    HASH_ITER(hh, t->hash, it, tmp) {
        HASH_DEL(t->hash, it);
        free(it);
    }
    for (size_t i = 0; i < t->n; i++)
        free(t->strs[i]);
    free(t->strs);
    memset(t, 0, sizeof *t);
}

int strtab_intern(strtab *t, const char *s, size_t len)
{
    struct strtab_item *it;
    HASH_FIND(hh, t->hash, s, len, it);
    if (it)
        return it->id;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        char **strs = realloc(t->strs, cap * sizeof *strs);
        if (!strs)
            return -1;
        t->strs = strs;
        t->cap = cap;
    }
    char *copy = malloc(len + 1);
    it = malloc(sizeof *it);
    if (!copy || !it) {
        free(copy);
        free(it);
        return -1;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    t->strs[t->n] = copy;
    it->id = (int)t->n;
    /* The key is the stored copy, which lives as long as the table. */
    HASH_ADD_KEYPTR(hh, t->hash, copy, len, it);
    return (int)t->n++;
}

void idmap_free(idmap *m)
{
    free(m->ids);
    m->ids = NULL;
    m->cap = 0;
}

int idmap_set(idmap *m, unsigned long id, int sid)
{
    if (id >= IDMAP_MAX_ID)
        return -1;
    if (id >= m->cap) {
        size_t cap = m->cap ? m->cap : 256;
        while (cap <= id)
            cap *= 2;
        int *ids = realloc(m->ids, cap * sizeof *ids);
        if (!ids)
            return -1;
        for (size_t i = m->cap; i < cap; i++)
            ids[i] = -1;
        m->ids = ids;
        m->cap = cap;
    }
    m->ids[id] = sid;
    return 0;
}
