/*
 * dump_cut.c: the dump's consistent cut: a copy of every thread's figures,
 * taken in one short pass, and the calls still open in it closed.
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dump.h"

/*
 * The dump is a consistent cut: every thread's figures are copied first, in
 * one short pass under the thread-list lock, and only the copies are
 * written. Nodes and calls a running thread adds after the cut are not read,
 * so the dump's time and memory are bounded by what existed when it began,
 * whatever other threads do meanwhile. Outgrown arrays are never freed while
 * a thread runs, and counts are published after what they count, so each
 * copy is whole; every figure is read as one atomic load.
 */


/* A node as its (possibly running) thread has it now. */
static void load_node(cprof_node *to, const cprof_node *from, int slots)
{
    to->parent = from->parent;    /* set before the node was published */
    to->region = from->region;
    to->incomplete = CPROF_LOAD(&from->incomplete);
    to->pairs = CPROF_LOAD(&from->pairs);
    to->incl = CPROF_LOAD(&from->incl);
    to->min = CPROF_LOAD(&from->min);
    to->max = CPROF_LOAD(&from->max);
    to->timed = CPROF_LOAD(&from->timed);
    to->open = CPROF_LOAD(&from->open);
    to->period = CPROF_LOAD(&from->period);
    to->over = CPROF_LOAD(&from->over);
    to->cap = CPROF_LOAD(&from->cap);   /* open calls are closed on the copy */
    for (int e = 0; e < slots; e++)
        to->c_incl[e] = CPROF_LOAD(&from->c_incl[e]);
}

/* A running thread's frames below its published depth are whole (region.c
 * publishes the depth last). Their start counts are another thread's to
 * read (PAPI writes them): only the dumping thread copies its own. */
static void load_frames(cprof_thread *copy, const cprof_frame *stack, int mine)
{
    for (uint32_t i = 0; i < copy->depth; i++) {
        cprof_frame *fr = &copy->stack[i];
        fr->id = CPROF_LOAD(&stack[i].id);
        fr->node = CPROF_LOAD(&stack[i].node);
        fr->prev = CPROF_LOAD(&stack[i].prev);
        fr->t0 = CPROF_LOAD(&stack[i].t0);
        if (fr->node >= copy->nnodes && fr->node != CPROF_NO_NODE)
            fr->node = CPROF_NO_NODE;   /* made after the cut */
        if (fr->prev >= copy->nnodes && fr->prev != CPROF_NO_NODE)
            fr->prev = CPROF_NO_NODE;
        if (mine)
            memcpy(fr->c0, stack[i].c0, sizeof fr->c0);
    }
}

static int take_copy(cprof_thread *t, cprof_thread *copy, int mine, int slots)
{
    memset(copy, 0, sizeof *copy);
    copy->nev = copy->nread = t->nev;
    copy->nbuiltin = t->nbuiltin;
    for (int k = 0; k < CPROF_A_N; k++)   /* the thread's TLS, or its copy once it ended */
        copy->alloc_final.v[k] = CPROF_LOAD(&t->alloc->v[k]);
    uint32_t cap = __atomic_load_n(&t->cap, __ATOMIC_ACQUIRE);
    const cprof_frame *stack = __atomic_load_n(&t->stack, __ATOMIC_ACQUIRE);
    uint32_t depth = __atomic_load_n(&t->depth, __ATOMIC_ACQUIRE);
    copy->depth = depth < cap ? depth : cap;
    copy->cur = __atomic_load_n(&t->cur, __ATOMIC_ACQUIRE);
    copy->nnodes = __atomic_load_n(&t->nnodes, __ATOMIC_ACQUIRE);
    const cprof_node *live = __atomic_load_n(&t->nodes, __ATOMIC_ACQUIRE);
    copy->nodes = malloc((size_t)copy->nnodes * sizeof *copy->nodes);
    copy->stack = aligned_alloc(_Alignof(cprof_frame), ((size_t)copy->depth + 1) * sizeof *copy->stack);
    if (!copy->nodes || !copy->stack) {
        free(copy->nodes), free(copy->stack);
        return -1;
    }
    /* Children first (they come after their parents): a call that ends
     * while we copy is then in its parent's copy, or its parent is still
     * open in the frames read next. */
    for (uint32_t n = copy->nnodes; n-- > 0;)
        load_node(&copy->nodes[n], &live[n], slots);
    if (copy->cur >= copy->nnodes && copy->cur != CPROF_NO_NODE)
        copy->cur = CPROF_NO_NODE;   /* a timed call's node made after the cut */
    load_frames(copy, stack, mine);
    /* after the frames: cold work since then is left out of them too */
    copy->cold_ticks = CPROF_LOAD(&t->cold_ticks);
    if (mine)
        memcpy(copy->cold_c, t->cold_c, sizeof copy->cold_c);
    return 0;
}

static void take_cut(cprof_thread *t, void *arg)
{
    dump_cuts *cs = arg;
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 16;
        dump_cut *v = realloc(cs->v, cap * sizeof *v);
        if (!v) {
            cs->failed = 1;
            return;
        }
        cs->v = v;
        cs->cap = cap;
    }
    dump_cut *c = &cs->v[cs->n];
    c->mine = t == cprof_tls;
    if (take_copy(t, &c->copy, c->mine, cs->slots) != 0) {
        cs->failed = 1;
        return;
    }
    c->at = cprof_now();
    c->tid = t->tid;
    memcpy(c->name, t->name, sizeof c->name);
    c->finished = t->finished;
    c->open_at_exit = t->open_at_exit;
    c->counter_error = t->counter_error ? strdup(t->counter_error) : NULL;
    c->copy.unbalanced = CPROF_LOAD(&t->unbalanced);
    c->copy.dropped = CPROF_LOAD(&t->dropped);
    cs->n++;
}

/*
 * Calls still open are closed on the copy as incomplete calls: the dumping
 * thread's end at the moment of the dump (its own work is not theirs),
 * another thread's when its copy was taken, after the calls inside them
 * that the copy holds. The dumping thread's counters are read then; another
 * thread's cannot be, so its open calls are marked "open" and their counts
 * are only what their finished children counted.
 */
void cprof_dump_close_open(dump_cut *k, uint64_t now, const long long *c_now, uint8_t *open)
{
    cprof_thread *copy = &k->copy;
    uint64_t t1 = k->mine ? now : k->at;
    const long long *c1 = k->mine ? c_now : NULL;
    for (;;) {
        cprof_open at = { copy->cur, copy->depth };
        uint32_t id, node;
        int timed;
        if (!cprof_open_next(copy, copy->nodes, &at, &id, &node, &timed))
            break;
        if (node != CPROF_NO_NODE && !k->mine)
            open[node] = 1;
        cprof_close_innermost(copy, copy->nodes, t1, c1, 0);
    }
    /* frames a running thread's cur, read apart, did not lead to */
    while (copy->depth) {
        cprof_frame *fr = &copy->stack[copy->depth - 1];
        if (fr->node != CPROF_NO_NODE && !k->mine)
            open[fr->node] = 1;
        cprof_set_cur(copy, copy->nodes, fr->node);
        cprof_close_innermost(copy, copy->nodes, t1, c1, 0);
    }
}

void cprof_dump_take_cuts(dump_cuts *cs)
{
    cprof_threads_foreach(take_cut, cs);
}

void cprof_dump_free_cuts(dump_cuts *cs)
{
    for (size_t i = 0; i < cs->n; i++) {
        free(cs->v[i].copy.nodes);
        free(cs->v[i].copy.stack);
        free(cs->v[i].counter_error);
    }
    free(cs->v);
    cs->v = NULL;
    cs->n = cs->cap = 0;
}
