/*
 * thread.c: per-thread state. Each thread owns its stack of open frames, its
 * region table (indexed by region id) and its call tree; nothing is shared on
 * the hot path. A thread that exits stays in the process list, marked
 * finished, so the dump holds every thread. A forked child keeps only the
 * thread that forked, with empty figures.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "internal.h"

__thread cprof_thread *cprof_tls __attribute__((tls_model("initial-exec")));

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static cprof_thread *list_head;
static pthread_key_t exit_key;
/* In a forked child: the forking thread's state, adopted on its next call. */
static cprof_thread *forked_state;
static pthread_t forked_owner;
/* The forking thread's counters just before fork(), read in the parent. */
static long long fork_values[CPROF_MAX_EVENTS];

static void thread_exit(void *p)
{
    cprof_thread *t = p;
    cprof_counters_thread_stop(t);
    cprof_counters_thread_exit();
    pthread_mutex_lock(&list_lock);
    t->finished = 1;
    pthread_mutex_unlock(&list_lock);
    cprof_tls = NULL;
}

void cprof_thread_init_once(void)
{
    pthread_key_create(&exit_key, thread_exit);
}

static int grow_stack(cprof_thread *t)
{
    uint32_t n = t->cap ? t->cap * 2 : 64;
    if (n <= t->cap)
        return -1;
    cprof_frame *f = realloc(t->stack, (size_t)n * sizeof *f);
    if (!f)
        return -1;
    t->stack = f;
    t->cap = n;
    return 0;
}

int cprof_thread_reserve(cprof_thread *t)
{
    return t->depth >= t->cap ? grow_stack(t) : 0;
}

static int rehash(cprof_thread *t, uint32_t size)
{
    uint32_t *h = calloc(size, sizeof *h);
    if (!h)
        return -1;
    for (uint32_t n = 1; n < t->nnodes; n++) {
        uint32_t i = cprof_node_hash(t->nodes[n].parent, t->nodes[n].region) & (size - 1);
        while (h[i])
            i = (i + 1) & (size - 1);
        h[i] = n;
    }
    free(t->node_hash);
    t->node_hash = h;
    t->hash_mask = size - 1;
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
    cprof_node *n = cap > t->capnodes ? malloc((size_t)cap * sizeof *n) : NULL;
    void **keep = malloc(2 * sizeof *keep);
    if (!n || !keep) {
        free(n), free(keep);
        return -1;
    }
    memcpy(n, t->nodes, (size_t)t->nnodes * sizeof *n);
    keep[0] = t->nodes;
    keep[1] = t->retired;
    t->retired = keep;
    __atomic_store_n(&t->nodes, n, __ATOMIC_RELEASE);
    t->capnodes = cap;
    return 0;
}

uint32_t cprof_node_child_slow(cprof_thread *t, uint32_t parent, uint32_t region)
{
    if (t->nnodes == t->capnodes && grow_nodes(t) != 0)
        return CPROF_NO_NODE;
    /* Keep the table at most half full, so probes stay short. */
    if ((t->nnodes + 1) * 2 > t->hash_mask + 1 && rehash(t, (t->hash_mask + 1) * 2) != 0)
        return CPROF_NO_NODE;
    uint32_t idx = t->nnodes;
    cprof_node *n = &t->nodes[idx];
    memset(n, 0, sizeof *n);
    n->parent = parent;
    n->region = region;
    /* Published whole: a dump on another thread never sees a half-made node. */
    __atomic_store_n(&t->nnodes, idx + 1, __ATOMIC_RELEASE);
    uint32_t i = cprof_node_hash(parent, region) & t->hash_mask;
    while (t->node_hash[i])
        i = (i + 1) & t->hash_mask;
    t->node_hash[i] = idx;
    return idx;
}

cprof_thread *cprof_thread_new_detached(void)
{
    cprof_thread *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->eventset = -1;
    t->capnodes = 64;
    t->nnodes = 1;            /* the root */
    t->nodes = calloc(t->capnodes, sizeof *t->nodes);
    t->node_hash = calloc(128, sizeof *t->node_hash);
    t->hash_mask = 127;
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
    free(t->stack);
    free(t->nodes);
    free(t->node_hash);
    for (void **r = t->retired, **next; r; r = next) {
        next = r[1];
        free(r[0]);
        free(r);
    }
    free(t->counter_error);
    free(t);
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

/*
 * The forking thread's first call in the child. Its figures were wiped and
 * its open frames restarted at fork(); now its counters move to an event set
 * of its own (the inherited one counts the parent). Software-defined events
 * live in process memory, so what they counted since fork() is carried over
 * exactly; hardware events count from this call on.
 */
static cprof_thread *adopt_forked(void)
{
    cprof_thread *t = forked_state;
    forked_state = NULL;
    name_thread(t);
    long long old[CPROF_MAX_EVENTS] = {0}, fresh[CPROF_MAX_EVENTS] = {0};
    long long since_fork[CPROF_MAX_EVENTS] = {0};
    int nev = t->nev;
    if (nev)
        cprof_counters_read(t, old);
    for (int e = 0; e < nev; e++)
        since_fork[e] = cprof_counter_is_software(e) ? old[e] - fork_values[e] : 0;
    cprof_counters_thread_stop(t);
    free(t->counter_error);
    t->counter_error = NULL;
    cprof_counters_thread_start(t);
    if (t->nev)
        cprof_counters_read(t, fresh);
    for (uint32_t i = 0; i < t->depth; i++)
        for (int e = 0; e < t->nev; e++)
            t->stack[i].c0[e] = fresh[e] - (e < nev ? since_fork[e] : 0);
    push(t);
    cprof_tls = t;
    return t;
}

cprof_thread *cprof_thread_current(void)
{
    if (cprof_tls)
        return cprof_tls;
    if (!cprof_ensure_init())
        return NULL;
    if (forked_state && pthread_equal(forked_owner, pthread_self()))
        return adopt_forked();
    cprof_thread *t = cprof_thread_new_detached();
    if (!t)
        return NULL;
    name_thread(t);
    cprof_counters_thread_start(t);
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
    if (t && t->nev)
        cprof_counters_read(t, fork_values);
    pthread_mutex_lock(&list_lock);
}

void cprof_thread_atfork_parent(void)
{
    pthread_mutex_unlock(&list_lock);
}

void cprof_thread_atfork_child(void)
{
    /* The other threads do not exist here; their states stay unreachable. */
    list_head = NULL;
    pthread_mutex_unlock(&list_lock);
    cprof_thread *t = cprof_tls;
    if (!t)
        return;
    t->nnodes = 1;
    t->root_last_region = 0;
    memset(&t->nodes[0], 0, sizeof t->nodes[0]);
    memset(t->node_hash, 0, (size_t)(t->hash_mask + 1) * sizeof *t->node_hash);
    /* Open frames restart now, on a new chain of nodes (malloc is fork-safe in glibc). */
    uint64_t now = cprof_now();
    uint32_t parent = 0;
    for (uint32_t i = 0; i < t->depth; i++) {
        cprof_frame *f = &t->stack[i];
        f->node = parent == CPROF_NO_NODE ? CPROF_NO_NODE
                                          : cprof_node_child_slow(t, parent, f->id);
        parent = f->node;
        f->t0 = now;
        f->last_region = 0;
        memcpy(f->c0, fork_values, sizeof f->c0);
    }
    t->unbalanced = t->dropped = 0;
    t->finished = 0;
    t->next = NULL;
    forked_state = t;
    forked_owner = pthread_self();
    cprof_tls = NULL;
}
