/* strtab.c: string interning and compressed-name id tables. */
#include "readers/strtab.h"

#include <stdlib.h>
#include <string.h>

#include "sys/xalloc.h"

void strtab_init(strtab *t)
{
    memset(t, 0, sizeof *t);
}

void strtab_free(strtab *t)
{
    str_index_free(&t->ix);   /* the strings are its copies */
    free(t->strs);
    memset(t, 0, sizeof *t);
}

void strtab_lookups_done(strtab *t)
{
    str_index_lookups_done(&t->ix);
}

int strtab_intern(strtab *t, const char *s, size_t len)
{
    const char *stored;
    size_t id = str_index_put(&t->ix, s, len, t->n, &stored);
    if (id == t->n) {
        t->strs = xgrow(t->strs, t->n, &t->cap, sizeof *t->strs);
        t->strs[t->n++] = stored;
    }
    return (int)id;
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
        int *ids = xrealloc(m->ids, cap * sizeof *ids);
        for (size_t i = m->cap; i < cap; i++)
            ids[i] = -1;
        m->ids = ids;
        m->cap = cap;
    }
    m->ids[id] = sid;
    return 0;
}
