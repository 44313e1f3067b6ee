/*
 * alloc.c: the built-in allocation counters (cprof::allocs, cprof::alloc_bytes,
 * cprof::frees, cprof::freed_bytes, cprof::reallocs). Allocation hooks bump
 * per-thread counts here; frames read them at enter and exit exactly as they
 * read a PAPI counter, so inclusive and exclusive figures, the tree, threads
 * and processes need nothing of their own. The hooks: cprof::Alloc in Rust,
 * and for C programs libcprof_alloc.so (runtime/preload/), which this file
 * connects to at start-up.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"

__thread cprof_alloc_counts cprof_alloc_tls __attribute__((tls_model("initial-exec")));
int cprof_alloc_seen;
int cprof_n_builtin;
int cprof_builtin_src[CPROF_MAX_EVENTS];

static const char *const names[CPROF_A_N] = {
    [CPROF_A_ALLOCS] = "cprof::allocs",
    [CPROF_A_BYTES] = "cprof::alloc_bytes",
    [CPROF_A_FREES] = "cprof::frees",
    [CPROF_A_FREED] = "cprof::freed_bytes",
    [CPROF_A_REALLOCS] = "cprof::reallocs",
};

int cprof_builtin_index(const char *name)
{
    for (int i = 0; i < CPROF_A_N; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

const char *cprof_builtin_list(void)
{
    return "cprof::allocs, cprof::alloc_bytes, cprof::frees, cprof::freed_bytes, cprof::reallocs";
}

/* The hooks run on every allocation: a plain add to this thread's counts.
 * The runtime's own allocations (it is busy then) are not the program's. */
static inline __attribute__((always_inline)) void bump(int k, uint64_t n)
{
    uint64_t *v = &cprof_alloc_tls.v[k];
    CPROF_STORE(v, *v + n);
}

static inline __attribute__((always_inline)) void seen(void)
{
    if (CPROF_UNLIKELY(!CPROF_LOAD(&cprof_alloc_seen)))
        CPROF_STORE(&cprof_alloc_seen, 1);
}

CPROF_API void cprof_alloc_note(size_t bytes)
{
    if (CPROF_UNLIKELY(cprof_busy))
        return;
    bump(CPROF_A_ALLOCS, 1);
    bump(CPROF_A_BYTES, bytes);
    seen();
}

CPROF_API void cprof_free_note(size_t bytes)
{
    if (CPROF_UNLIKELY(cprof_busy))
        return;
    bump(CPROF_A_FREES, 1);
    bump(CPROF_A_FREED, bytes);
    seen();
}

/* A reallocation is a new block of the new size and the old one freed (even
 * when it grows in place): bytes asked for minus bytes freed is what the
 * program holds, and cprof::reallocs says how many allocations were these. */
CPROF_API void cprof_realloc_note(size_t old_bytes, size_t new_bytes)
{
    if (CPROF_UNLIKELY(cprof_busy))
        return;
    bump(CPROF_A_ALLOCS, 1);
    bump(CPROF_A_BYTES, new_bytes);
    bump(CPROF_A_FREES, 1);
    bump(CPROF_A_FREED, old_bytes);
    bump(CPROF_A_REALLOCS, 1);
    seen();
}

/* What libcprof_alloc.so is handed (its own copy of this layout). */
typedef struct cprof_alloc_hooks {
    void (*alloc)(size_t);
    void (*free)(size_t);
    void (*realloc)(size_t, size_t);
} cprof_alloc_hooks;

/*
 * Start-up, once: a preloaded (or linked) libcprof_alloc.so is found by
 * name, whichever way this runtime was linked (libcprof.a inside the
 * executable or libcprof.so), and from then on its hooks count here. Its
 * allocations before this are not counted anywhere.
 */
void cprof_alloc_attach_preload(void)
{
    static const cprof_alloc_hooks hooks = { cprof_alloc_note, cprof_free_note, cprof_realloc_note };
    void (*attach)(const cprof_alloc_hooks *);
    void *sym = dlsym(RTLD_DEFAULT, "cprof_alloc_preload_attach");
    if (!sym)
        return;
    memcpy(&attach, &sym, sizeof attach);   /* object to function pointer, without a cast ISO C lacks */
    attach(&hooks);
    CPROF_STORE(&cprof_alloc_seen, 1);       /* the hook is there, whatever it sees */
}

CPROF_API void cprof_runtime_begin(void)
{
    CPROF_BUSY_ENTER();
}

CPROF_API void cprof_runtime_end(void)
{
    CPROF_BUSY_LEAVE();
}
