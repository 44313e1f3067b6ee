/*
 * registry.c: turns a site (name, file, line) into a small region id, once
 * per site: the id is cached in the site, so the hot path never hashes a
 * string. Sites with the same name, file and line share one region. Cold
 * path only; one mutex.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Its memory is mmap'ed (mem.c): a site first entered in a signal handler
 * must not call malloc. Registry memory is never given back. */
#define uthash_malloc(sz) cprof_mem_alloc(sz)
#define uthash_free(ptr, sz) cprof_mem_free(ptr)
#include <uthash.h>

typedef struct entry {
    char *key;                /* "name\0file\0line" flattened to "name|file|line" */
    cprof_region_info info;
    int internal;
    UT_hash_handle hh;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry *by_key;
static entry **by_id;         /* by_id[id], id >= 1 */
static uint32_t n_ids, cap_ids;

/* Length-prefixed, so no byte inside a name or file can make two different
 * sites one key ("a\x1fb"+"c" vs "a"+"b\x1fc"). */
static char *make_key(const char *name, const char *file, int line)
{
    size_t ln = strlen(name), lf = strlen(file), n = ln + lf + 64;
    char *k = cprof_mem_alloc(n);
    if (k)
        snprintf(k, n, "%zu:%s%zu:%s%d", ln, name, lf, file, line);
    return k;
}

/* The id of (name, file, line), created if new; 0 when out of memory.
 * scope: a CPROF_SCOPE's site (the region is marked, new or not). */
static uint32_t lookup(const cprof_site *site, int internal, int scope)
{
    if (!internal && CPROF_LOAD(&cprof_exiting))
        return 0;   /* not cached in the site: 0 is never published */
    const char *name = site->name ? site->name : "?";
    const char *file = site->file ? site->file : "";
    char *key = make_key(name, file, site->line);
    if (!key)
        return 0;
    uint32_t id = 0;
    pthread_mutex_lock(&lock);
    entry *e;
    HASH_FIND_STR(by_key, key, e);
    if (e) {
        cprof_mem_free(key);
    } else {
        if (n_ids + 1 >= cap_ids) {
            uint32_t cap = cap_ids ? cap_ids * 2 : 64;
            entry **grown = cprof_mem_alloc(cap * sizeof *grown);
            if (!grown)
                goto out;
            if (by_id)
                memcpy(grown, by_id, cap_ids * sizeof *grown);
            cprof_mem_free(by_id);
            by_id = grown;
            cap_ids = cap;
        }
        e = cprof_mem_alloc(sizeof *e);
        char *n = cprof_mem_strdup(name), *f = cprof_mem_strdup(file);
        if (!e || !n || !f) {
            cprof_mem_free(e), cprof_mem_free(n), cprof_mem_free(f), cprof_mem_free(key);
            goto out;
        }
        e->key = key;
        e->info.id = ++n_ids;
        e->info.name = n;
        e->info.file = f;
        e->info.line = site->line;
        e->info.measured = internal || cprof_config_selects(name);
        e->info.every = internal ? 1 : cprof_sample_every(name);
        e->internal = internal;
        by_id[e->info.id] = e;
        HASH_ADD_KEYPTR(hh, by_key, e->key, strlen(e->key), e);
    }
    e->info.scope |= scope;
    id = e->info.id | (e->info.measured ? 0 : CPROF_ID_OFF);
out:
    pthread_mutex_unlock(&lock);
    return id;
}

static uint32_t publish(cprof_site *site, uint32_t id)
{
    /* Release: whoever sees the id also sees the runtime initialised. */
    if (id)
        __atomic_store_n(&site->id, id, __ATOMIC_RELEASE);
    return id ? id : CPROF_ID_OFF;
}

uint32_t cprof_registry_resolve(cprof_site *site)
{
    if (!cprof_ensure_init())
        return publish(site, CPROF_ID_OFF);
    return publish(site, lookup(site, 0, 0));
}

uint32_t cprof_registry_resolve_scope(cprof_site *site)
{
    if (!cprof_ensure_init())
        return publish(site, CPROF_ID_OFF);
    return publish(site, lookup(site, 0, 1));
}

uint32_t cprof_registry_internal(cprof_site *site)
{
    return publish(site, lookup(site, 1, 0));
}

uint32_t cprof_registry_count(void)
{
    pthread_mutex_lock(&lock);
    uint32_t n = n_ids;
    pthread_mutex_unlock(&lock);
    return n;
}

int cprof_registry_get(uint32_t id, cprof_region_info *out)
{
    int ok = 0;
    pthread_mutex_lock(&lock);
    if (id >= 1 && id <= n_ids) {
        *out = by_id[id]->info;   /* strings are never freed: safe to keep */
        ok = 1;
    }
    pthread_mutex_unlock(&lock);
    return ok;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **cprof_registry_unselected(size_t max, size_t *shown, size_t *distinct)
{
    *shown = *distinct = 0;
    pthread_mutex_lock(&lock);
    char **v = malloc(((size_t)n_ids + 1) * sizeof *v);
    size_t n = 0;
    for (uint32_t id = 1; v && id <= n_ids; id++)
        if (!by_id[id]->info.measured && !by_id[id]->internal)
            v[n++] = by_id[id]->info.name;   /* never freed: safe after the lock */
    pthread_mutex_unlock(&lock);
    if (!v)
        return NULL;
    qsort(v, n, sizeof *v, by_name);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
            v[k++] = v[i];
    *distinct = k;
    *shown = k < max ? k : max;
    return v;
}

/* fork() while another thread holds the lock must not leave the child stuck. */
void cprof_registry_atfork_prepare(void)
{
    pthread_mutex_lock(&lock);
}

void cprof_registry_atfork_parent(void)
{
    pthread_mutex_unlock(&lock);
}

void cprof_registry_atfork_child(void)
{
    pthread_mutex_unlock(&lock);
}
