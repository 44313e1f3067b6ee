/*
 * flame.c: the flame graph's layout (flame.h): which frames to draw, where,
 * how wide, narrow siblings merged; in preorder, so a frame's descendants
 * follow it.
 */
#include "views/flame.h"

#include <stdlib.h>

#include "sys/xalloc.h"

/* A frame to draw, and then its children (an explicit stack: call trees can
 * be deep). */
typedef struct pending {
    size_t item, merged, depth, parent;
    double x, w;
} pending;

typedef struct layout_state {
    const flame_tree *t;
    flame_layout *l;
    size_t cap;
    pending *stack;
    size_t sp, scap;
} layout_state;

static void push(layout_state *s, pending p)
{
    s->stack = xgrow(s->stack, s->sp, &s->scap, sizeof *s->stack);
    s->stack[s->sp++] = p;
}

static void add_frame(layout_state *s, const pending *p)
{
    flame_layout *l = s->l;
    l->frames = xgrow(l->frames, l->n, &s->cap, sizeof *l->frames);
    l->frames[l->n++] = (flame_frame){.item = p->item, .merged = p->merged, .depth = p->depth,
                                      .parent = p->parent, .x = p->x, .w = p->w};
    if (p->depth > l->depth)
        l->depth = p->depth;
}

/* Push the children of p from its left edge, the merged narrow ones last,
 * in reverse so that they come off the stack in drawing order. */
static void push_children(layout_state *s, const pending *p)
{
    const flame_tree *t = s->t;
    double x = p->x, end = p->x + p->w, merged_w = 0;
    size_t merged = 0, base = s->sp;
    for (size_t i = t->first[p->item]; i < t->first[p->item + 1]; i++) {
        size_t c = t->list[i];
        double w = t->weight[c];
        if (flame_is_merged(s->l, w)) {
            merged++;
            merged_w += w;
            continue;
        }
        if (w > end - x)   /* more than the parent has left: cut at its end */
            w = end - x;
        if (!(w > 0))      /* nothing, or nothing left */
            continue;
        push(s, (pending){.item = c, .depth = p->depth + 1, .parent = p->item, .x = x, .w = w});
        x += w;
    }
    if (merged_w > end - x)
        merged_w = end - x;
    if (merged && merged_w >= s->l->narrow && merged_w > 0)
        push(s, (pending){.item = FLAME_MERGED, .merged = merged, .depth = p->depth + 1, .parent = p->item,
                          .x = x, .w = merged_w});
    for (size_t a = base, b = s->sp; a + 1 < b; a++, b--) {
        pending tmp = s->stack[a];
        s->stack[a] = s->stack[b - 1];
        s->stack[b - 1] = tmp;
    }
}

void flame_lay_out(const flame_tree *t, double minwidth, flame_layout *l)
{
    *l = (flame_layout){0};
    double total = 0;
    for (size_t i = t->first[0]; i < t->first[1]; i++)
        if (t->weight[t->list[i]] > 0)
            total += t->weight[t->list[i]];
    l->total = total;
    l->narrow = total * minwidth / FLAME_PX;
    layout_state s = {.t = t, .l = l};
    push(&s, (pending){.item = 0, .w = total});
    while (s.sp) {
        pending p = s.stack[--s.sp];
        add_frame(&s, &p);
        if (p.item != FLAME_MERGED)
            push_children(&s, &p);
    }
    free(s.stack);
}

void flame_layout_free(flame_layout *l)
{
    free(l->frames);
    *l = (flame_layout){0};
}
