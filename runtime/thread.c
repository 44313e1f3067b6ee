/*
 * thread.c: per-thread state. Each thread owns its stack of open frames and
 * its call tree; nothing is shared on the hot path. A thread that exits
 * stays in the process list, marked finished, so the dump holds every
 * thread. A forked child keeps only the thread that forked, with empty
 * figures.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "internal.h"

__thread cprof_thread *cprof_tls __attribute__((tls_model("initial-exec")));
__thread volatile sig_atomic_t cprof_busy __attribute__((tls_model("initial-exec")));
uint64_t cprof_reentrant;

static void free_stack(cprof_thread *t)
{
    if (t->stack_mem)
        cprof_mem_free(t->stack_mem);
    t->stack = NULL;
    t->stack_mem = NULL;
}

void cprof_count_reentrant(void)
{
    __atomic_fetch_add(&cprof_reentrant, 1, __ATOMIC_RELAXED);   /* lock-free: safe in a handler */
}

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static cprof_thread *list_head;
static pthread_key_t exit_key;
/* The forking thread's counters just before fork(), read in the parent. */
static long long fork_values[CPROF_MAX_EVENTS];

/*
 * A thread ends: regions it left open end here, as incomplete calls, while
 * its counters can still be read. The state stays this thread's: a later
 * pthread key destructor that calls the API measures time into it, without
 * counters, instead of starting a second state for the same thread.
 */
static void thread_exit(void *p)
{
    cprof_thread *t = p;
    CPROF_BUSY_ENTER();
    uint64_t now = cprof_now();
    long long c1[CPROF_MAX_EVENTS] = {0};
    cprof_counters_read(t, c1);
    uint32_t open = 0;
    for (;;) {
        if (cprof_close_innermost(t, t->nodes, now, c1, 0)) {
            open++;
        } else if (t->depth) {   /* a frame cur does not lead to: closed too */
            cprof_set_cur(t, t->nodes, t->stack[t->depth - 1].node);
        } else {
            break;
        }
    }
    cprof_counters_thread_stop(t);
    cprof_counters_thread_exit();
    pthread_mutex_lock(&list_lock);   /* a dump reads these under the same lock */
    /* Its TLS goes with the thread: the dump reads the counts from here on. */
    for (int k = 0; k < CPROF_A_N; k++)
        t->alloc_final.v[k] = CPROF_LOAD(&cprof_alloc_tls.v[k]);
    t->alloc = &t->alloc_final;
    t->open_at_exit += open;
    t->finished = 1;
    /* Only the tree is left to dump: a program that runs a thread per task
     * keeps ~1 KB per finished thread, not its stack and lookup table
     * (12 KB). A later cprof_enter on this thread (from another thread-exit
     * destructor) sees cap 0 and cprof_thread_reserve builds them again. */
    free_stack(t);
    CPROF_STORE(&t->cap, 0);
    cprof_hot_gate(t);
    cprof_mem_free(t->node_hash);
    t->node_hash = NULL;
    t->hash_mask = 0;
    cprof_mem_free_retired(&t->retired);
    cprof_node *fit = t->capnodes > t->nnodes ? cprof_mem_alloc((size_t)t->nnodes * sizeof *fit) : NULL;
    if (fit) {
        memcpy(fit, t->nodes, (size_t)t->nnodes * sizeof *fit);
        cprof_mem_free(t->nodes);
        t->nodes = fit;
        t->capnodes = t->nnodes;
    }
    pthread_mutex_unlock(&list_lock);
    CPROF_BUSY_LEAVE();
}

void cprof_thread_init_once(void)
{
    pthread_key_create(&exit_key, thread_exit);
}

/* The new array is published before the larger capacity (see dump.c). */
static int grow_stack(cprof_thread *t)
{
    if (t->cap && CPROF_LOAD(&cprof_exiting) && !t->internal)
        return -1;
    uint32_t n = t->cap ? t->cap * 2 : 64;
    if (t->cap && cprof_cfg.test_stack_cap && n > cprof_cfg.test_stack_cap && !t->internal)
        return -1;
    /* n frames and the root's before them, on a frame's alignment (mem.c's
     * blocks are 16-byte aligned) */
    const size_t align = _Alignof(cprof_frame);
    void *mem = n > t->cap ? cprof_mem_alloc((size_t)(n + 1) * sizeof(cprof_frame) + align) : NULL;
    if (!mem)
        return -1;
    cprof_frame *f = (cprof_frame *)(((uintptr_t)mem + align - 1) & ~(uintptr_t)(align - 1));
    if (t->stack) {   /* the root's frame too */
        memcpy(f, t->stack - 1, ((size_t)t->depth + 1) * sizeof *f);
        cprof_mem_retire(&t->retired, t->stack_mem);   /* a dump on another thread may read it */
    }
    t->stack_mem = mem;
    __atomic_store_n(&t->stack, f + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&t->cap, n, __ATOMIC_RELEASE);
    cprof_hot_gate(t);
    return 0;
}

static int rehash(cprof_thread *t, uint32_t size);

int cprof_thread_reserve(cprof_thread *t)
{
    /* a finished thread (thread_exit freed its lookup table) entering a
     * region from a later thread-exit destructor: build it again */
    if (!t->node_hash) {
        uint32_t size = 128;
        while (size < 4 * (t->nnodes + 1))
            size *= 2;
        if (rehash(t, size) != 0)
            return -1;
    }
    return t->depth >= t->cap ? grow_stack(t) : 0;
}

static int rehash(cprof_thread *t, uint32_t size)
{
    uint32_t *h = cprof_mem_alloc((size_t)size * sizeof *h);
    if (!h)
        return -1;
    uint32_t shift = 64 - (uint32_t)__builtin_ctz(size);   /* size is a power of two */
    for (uint32_t n = 1; n < t->nnodes; n++) {
        uint32_t i = cprof_node_hash(t->nodes[n].parent, t->nodes[n].region, shift);
        while (h[i])
            i = (i + 1) & (size - 1);
        h[i] = n;
    }
    cprof_mem_free(t->node_hash);   /* only this thread reads it */
    t->node_hash = h;
    t->hash_mask = size - 1;
    t->hash_shift = shift;
    return 0;
}

/*
 * The old array is kept, not freed: an exit-time dump on another thread may
 * be reading it right now. Arrays double, so what is kept is less than what
 * is in use.
 */
static int grow_nodes(cprof_thread *t)
{
    uint32_t cap = t->capnodes * 2;
    cprof_node *n = cap > t->capnodes ? cprof_mem_alloc((size_t)cap * sizeof *n) : NULL;
    if (!n)
        return -1;
    cprof_mem_retire(&t->retired, t->nodes);
    memcpy(n, t->nodes, (size_t)t->nnodes * sizeof *n);
    __atomic_store_n(&t->nodes, n, __ATOMIC_RELEASE);
    t->capnodes = cap;
    return 0;
}

static uint32_t add_node(cprof_thread *t, uint32_t parent, uint32_t region)
{
    if (CPROF_LOAD(&cprof_exiting) && !t->internal)
        return CPROF_NO_NODE;
    if (t->nnodes == t->capnodes && grow_nodes(t) != 0)
        return CPROF_NO_NODE;
    /* At most a quarter full: most nodes are in their first slot, where the
     * whole way looks first after the node's cache (region.c). */
    if ((t->nnodes + 1) * 4 > t->hash_mask + 1 && rehash(t, (t->hash_mask + 1) * 2) != 0)
        return CPROF_NO_NODE;
    uint32_t idx = t->nnodes;
    cprof_node *n = &t->nodes[idx];
    memset(n, 0, sizeof *n);
    n->parent = parent;
    n->region = region;
    n->min = UINT64_MAX;   /* no completed timed call yet */
    cprof_throttle_node_init(t, n);
    /* Published whole: a dump on another thread never sees a half-made node. */
    __atomic_store_n(&t->nnodes, idx + 1, __ATOMIC_RELEASE);
    uint32_t i = cprof_node_hash(parent, region, t->hash_shift);
    while (t->node_hash[i])
        i = (i + 1) & t->hash_mask;
    t->node_hash[i] = idx;
    return idx;
}

/* A new call path grows arrays (mmap, page faults): cold time, which the
 * open frames do not pay for. */
uint32_t cprof_node_child_slow(cprof_thread *t, uint32_t parent, uint32_t region)
{
    cprof_cold cold;
    cprof_cold_begin(t, &cold);
    uint32_t n = add_node(t, parent, region);
    cprof_cold_end(t, &cold);
    return n;
}

cprof_thread *cprof_thread_new_detached(void)
{
    cprof_thread *t = cprof_mem_alloc(sizeof *t);
    if (!t)
        return NULL;
    t->eventset = -1;   /* PAPI_NULL: papi.h stays out of this file */
    /* Made inside a busy section (its thread's first call, a calibration):
     * the fast paths wait until that section ends (cprof_busy_leave). */
    cprof_slow_set(t, CPROF_SLOW_BUSY, 1);
    t->nbuiltin = cprof_n_builtin;
    t->alloc = &t->alloc_final;   /* zeros, until it is a thread's own */
    t->capnodes = 64;
    t->nnodes = 1;            /* the root */
    t->nodes = cprof_mem_alloc(t->capnodes * sizeof *t->nodes);
    t->node_hash = cprof_mem_alloc(128 * sizeof *t->node_hash);
    t->hash_mask = 127;
    t->hash_shift = 64 - 7;
    if (!t->nodes || !t->node_hash || grow_stack(t) != 0) {
        cprof_thread_free(t);
        return NULL;
    }
    return t;
}

void cprof_thread_free(cprof_thread *t)
{
    if (!t)
        return;
    free_stack(t);
    cprof_mem_free(t->nodes);
    cprof_mem_free(t->node_hash);
    cprof_mem_free_retired(&t->retired);
    cprof_mem_free(t->counter_error);
    cprof_mem_free(t);
}

static void name_thread(cprof_thread *t)
{
    t->tid = gettid();
    if (t->tid == getpid()) {
        strcpy(t->name, "main");
        return;
    }
    if (pthread_getname_np(pthread_self(), t->name, sizeof t->name) != 0)
        t->name[0] = 0;
}

static void push(cprof_thread *t)
{
    pthread_mutex_lock(&list_lock);
    t->next = list_head;
    list_head = t;
    pthread_mutex_unlock(&list_lock);
}

cprof_thread *cprof_thread_current(void)
{
    if (cprof_tls)
        return cprof_tls;
    if (!cprof_ensure_init())
        return NULL;
    cprof_thread *t = cprof_thread_new_detached();
    if (!t)
        return NULL;
    name_thread(t);
    cprof_counters_thread_start(t);
    t->alloc = &cprof_alloc_tls;
    push(t);
    pthread_setspecific(exit_key, t);
    cprof_tls = t;
    return t;
}

void cprof_threads_foreach(void (*fn)(cprof_thread *, void *), void *arg)
{
    pthread_mutex_lock(&list_lock);
    for (cprof_thread *t = list_head; t; t = t->next)
        fn(t, arg);
    pthread_mutex_unlock(&list_lock);
}

void cprof_thread_atfork_prepare(void)
{
    cprof_thread *t = cprof_tls;
    if (t)
        cprof_counters_read(t, fork_values);
    pthread_mutex_lock(&list_lock);
}

void cprof_thread_atfork_parent(void)
{
    pthread_mutex_unlock(&list_lock);
}

/* An open call, outermost first: its region and, if timed, its frame. */
typedef struct open_call {
    uint32_t id;
    int frame;                /* -1: untimed */
} open_call;

/* The thread's open calls, outermost first (NULL with none, or no memory:
 * then none restart). malloc after fork() is safe with glibc. */
static open_call *collect_open_calls(const cprof_thread *t, size_t *n)
{
    uint32_t count = cprof_open_count(t, t->nodes);
    open_call *v = count ? malloc(count * sizeof *v) : NULL;
    cprof_open at = { t->cur, t->depth };
    uint32_t id, node;
    int timed;
    for (*n = 0; v && *n < count && cprof_open_next(t, t->nodes, &at, &id, &node, &timed); ++*n)
        v[count - 1 - *n] = (open_call){ id, timed ? (int)at.depth : -1 };
    return v;
}

/* The open calls start again in the child's new tree, now. */
static void restart_open_calls(cprof_thread *t, open_call *open, size_t n, const long long *values)
{
    uint64_t now = cprof_now();
    uint32_t parent = 0;
    cprof_set_cur(t, t->nodes, 0);
    t->depth = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t node = parent == CPROF_NO_NODE ? CPROF_NO_NODE : cprof_node_child_slow(t, parent, open[i].id);
        if (open[i].frame >= 0) {
            cprof_frame *f = &t->stack[t->depth++];
            f->node = node;
            f->prev = parent;
            f->t0 = now;
            memcpy(f->c0, values, sizeof f->c0);
            if (node != CPROF_NO_NODE)
                t->nodes[node].open = 1;
        } else if (node != CPROF_NO_NODE) {
            t->nodes[node].pairs = 1;   /* an untimed call is counted at its enter */
        }
        parent = node;
    }
    cprof_set_cur(t, t->nodes, parent);
    free(open);
}

/*
 * In the child only the forking thread exists. Its figures start empty and
 * its open frames restart now. Its inherited event set keeps working for
 * software-defined events (they live in process memory); hardware counters
 * of that set count the parent, so a child with any hardware event counts
 * nothing rather than something wrong (and never stops the parent's set).
 */
void cprof_thread_atfork_child(void)
{
    list_head = NULL;
    pthread_mutex_unlock(&list_lock);
    cprof_thread *t = cprof_tls;
    if (!t)
        return;
    size_t n_open = 0;
    open_call *open = collect_open_calls(t, &n_open);
    t->nnodes = 1;
    memset(&t->nodes[0], 0, sizeof t->nodes[0]);
    memset(t->node_hash, 0, (size_t)(t->hash_mask + 1) * sizeof *t->node_hash);
    if (t->nread && !cprof_counters_software_only()) {
        t->nev = t->nread = 0;
        t->eventset = -1;
        t->eventset_owned = 0;
        cprof_mem_free(t->counter_error);
        t->counter_error = cprof_mem_strdup("a forked child counts no perf_event (hardware) events: "
                                  "the event set it inherits counts its parent, and stopping "
                                  "it would stop the parent's");
    }
    /* malloc after fork() is safe with glibc, which resets its arenas. */
    t->cold_ticks = 0;   /* the frames start again, from the values at the fork */
    memset(t->cold_c, 0, sizeof t->cold_c);
    restart_open_calls(t, open, n_open, fork_values);
    t->unbalanced = t->dropped = t->dropped_open = 0;
    cprof_hot_gate(t);
    t->open_at_exit = 0;
    t->finished = 0;
    name_thread(t);
    t->next = NULL;
    list_head = t;
}
