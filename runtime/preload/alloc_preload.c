/*
 * alloc_preload.c: libcprof_alloc.so, the allocation hooks of C and C++
 * programs (cprof::allocs, cprof::alloc_bytes, ... in CPROF_EVENTS), with no
 * change to their source: LD_PRELOAD=libcprof_alloc.so, or linked before
 * libc. It replaces malloc, calloc, realloc, reallocarray, free,
 * posix_memalign, aligned_alloc, memalign, valloc and pvalloc with glibc's
 * own (__libc_*), plus a note to the runtime of the process. Until the
 * runtime starts (it attaches through cprof_alloc_preload_attach) nothing
 * is counted and nothing but the forwarding runs, so allocations made
 * before it, by the dynamic loader, in constructors or on any thread, are
 * safe. Not in libcprof itself: a Rust program links libcprof.a and counts
 * with cprof::Alloc; a malloc there would count its allocations twice.
 *
 * A free does not say how big the block was: cprof::freed_bytes counts
 * malloc_usable_size (at least what was asked for; equal for sizes of
 * 24 + 16k bytes on 64-bit glibc).
 */
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void *__libc_memalign(size_t, size_t);
void __libc_free(void *);

/* The runtime's hooks (alloc.c has the same layout). */
typedef struct cprof_alloc_hooks {
    void (*alloc)(size_t);
    void (*free)(size_t);
    void (*realloc)(size_t, size_t);
} cprof_alloc_hooks;

static const cprof_alloc_hooks *hooks;

EXPORT void cprof_alloc_preload_attach(const cprof_alloc_hooks *h)
{
    __atomic_store_n(&hooks, h, __ATOMIC_RELEASE);
}

static inline const cprof_alloc_hooks *attached(void)
{
    return __atomic_load_n(&hooks, __ATOMIC_ACQUIRE);
}

static inline void *noted(void *p, size_t n)
{
    const cprof_alloc_hooks *h = attached();
    if (p && h)
        h->alloc(n);
    return p;
}

EXPORT void *malloc(size_t n)
{
    return noted(__libc_malloc(n), n);
}

EXPORT void *calloc(size_t k, size_t n)
{
    return noted(__libc_calloc(k, n), k * n);   /* k * n overflows only where calloc fails */
}

EXPORT void free(void *p)
{
    const cprof_alloc_hooks *h = attached();
    if (p && h)
        h->free(malloc_usable_size(p));
    __libc_free(p);
}

EXPORT void *realloc(void *p, size_t n)
{
    const cprof_alloc_hooks *h = attached();
    if (!h)
        return __libc_realloc(p, n);
    size_t old = p ? malloc_usable_size(p) : 0;
    void *q = __libc_realloc(p, n);
    if (!p)
        return noted(q, n);
    if (q)
        h->realloc(old, n);
    else if (n == 0)
        h->free(old);   /* glibc's realloc(p, 0) frees p */
    return q;
}

EXPORT void *reallocarray(void *p, size_t k, size_t n)
{
    size_t bytes;
    if (__builtin_mul_overflow(k, n, &bytes)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, bytes);
}

/* Power of two, at least a pointer's size: posix_memalign's rule. */
static int bad_alignment(size_t a)
{
    return a < sizeof(void *) || (a & (a - 1)) != 0;
}

EXPORT int posix_memalign(void **out, size_t align, size_t n)
{
    if (bad_alignment(align))
        return EINVAL;
    int saved = errno;
    void *p = noted(__libc_memalign(align, n), n);
    errno = saved;   /* posix_memalign reports through its result only */
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

EXPORT void *aligned_alloc(size_t align, size_t n)
{
    if (align == 0 || (align & (align - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    return noted(__libc_memalign(align, n), n);
}

EXPORT void *memalign(size_t align, size_t n)
{
    return noted(__libc_memalign(align, n), n);
}

static size_t page_size(void)
{
    static size_t page;
    size_t p = __atomic_load_n(&page, __ATOMIC_RELAXED);
    if (!p)
        __atomic_store_n(&page, p = (size_t)sysconf(_SC_PAGESIZE), __ATOMIC_RELAXED);
    return p;
}

EXPORT void *valloc(size_t n)
{
    return noted(__libc_memalign(page_size(), n), n);
}

EXPORT void *pvalloc(size_t n)
{
    size_t page = page_size(), rounded = (n + page - 1) & ~(page - 1);
    if (rounded < n) {
        errno = ENOMEM;
        return NULL;
    }
    return noted(__libc_memalign(page, rounded ? rounded : page), n);
}
