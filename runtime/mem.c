/*
 * mem.c: the memory of the runtime's cold paths (call-tree nodes, their
 * lookup table, stacks, the region registry) comes from mmap, not malloc. A
 * region entered in a signal handler that interrupted the program inside
 * malloc must not call malloc again (glibc's arena lock would deadlock).
 * Small blocks come from power-of-two free lists carved out of mmap'ed
 * chunks; large ones are mappings of their own. Blocks are zeroed.
 *
 * The lock is never taken twice by one thread: every caller runs inside the
 * runtime's per-thread busy section (region.c), and a signal handler's call
 * that arrives during one is dropped before it gets here.
 */
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

#define MIN_SHIFT 6           /* 64 bytes */
#define MAX_SHIFT 16          /* 64 KB; larger: a mapping each */
#define CHUNK (256u << 10)

typedef struct header {       /* 16 bytes before every block */
    size_t size;              /* class size, or the mapping's length */
    struct header *next;      /* free list, or cprof_mem_retire's list */
} header;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static header *free_lists[MAX_SHIFT + 1];
static char *chunk_at, *chunk_end;

static void *map(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static header *carve(size_t size)
{
    if ((size_t)(chunk_end - chunk_at) < size) {
        char *c = map(CHUNK);
        if (!c)
            return NULL;
        chunk_at = c;   /* the rest of the old chunk is left: under 64 KB, once */
        chunk_end = c + CHUNK;
    }
    header *h = (header *)chunk_at;
    chunk_at += size;
    return h;
}

void *cprof_mem_alloc(size_t n)
{
    size_t need = n + sizeof(header);
    if (need < n)
        return NULL;
    if (need > ((size_t)1 << MAX_SHIFT)) {
        size_t len = (need + 4095) & ~(size_t)4095;
        header *h = map(len);
        if (!h)
            return NULL;
        h->size = len;
        return h + 1;
    }
    int k = MIN_SHIFT;
    while (((size_t)1 << k) < need)
        k++;
    pthread_mutex_lock(&lock);
    header *h = free_lists[k];
    int reused = h != NULL;
    if (h)
        free_lists[k] = h->next;
    else
        h = carve((size_t)1 << k);
    pthread_mutex_unlock(&lock);
    if (!h)
        return NULL;
    h->size = (size_t)1 << k;
    /* A fresh block is zero already (mmap): its pages stay untouched until
     * used (a fault each: a thread's 16 KB stack and nodes cost a short
     * process 8 of them when zeroed here). */
    if (reused)
        memset(h + 1, 0, h->size - sizeof *h);
    return h + 1;
}

void cprof_mem_free(void *p)
{
    if (!p)
        return;
    header *h = (header *)p - 1;
    if (h->size > ((size_t)1 << MAX_SHIFT)) {
        munmap(h, h->size);
        return;
    }
    int k = MIN_SHIFT;
    while (((size_t)1 << k) < h->size)
        k++;
    pthread_mutex_lock(&lock);
    h->next = free_lists[k];
    free_lists[k] = h;
    pthread_mutex_unlock(&lock);
}

/* An outgrown array a dump may still read: kept on a list, in its header. */
void cprof_mem_retire(void **list, void *p)
{
    header *h = (header *)p - 1;
    h->next = *list;
    *list = h;
}

void cprof_mem_free_retired(void **list)
{
    for (header *h = *list, *next; h; h = next) {
        next = h->next;
        cprof_mem_free(h + 1);
    }
    *list = NULL;
}

char *cprof_mem_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cprof_mem_alloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* fork() while another thread allocates must not leave the child stuck. */
void cprof_mem_atfork_prepare(void)
{
    pthread_mutex_lock(&lock);
}

void cprof_mem_atfork_release(void)
{
    pthread_mutex_unlock(&lock);
}
