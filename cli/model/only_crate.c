/* only_crate.c: --only-crate (see only_crate.h). */
#include "model/only_crate.h"
#include "sys/xalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every function of an object names the same object: its answer is kept
 * (one realpath a pair of names, not two a function). */
static int same_file(const char *a, const char *b)
{
    static char last_a[PATH_MAX], last_b[PATH_MAX];
    static int last;
    if (strcmp(a, b) == 0)
        return 1;
    if (strcmp(a, last_a) == 0 && strcmp(b, last_b) == 0)
        return last;
    char ra[PATH_MAX], rb[PATH_MAX];
    last = realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
    snprintf(last_a, sizeof last_a, "%s", a);
    snprintf(last_b, sizeof last_b, "%s", b);
    return last;
}

/* A source file of the program's own, not of a library or the toolchain. */
static int own_source(const char *f)
{
    if (!f || !*f || strcmp(f, "???") == 0)
        return 0;   /* no debug info: startup code, not the user's */
    /* the toolchain's sources, the standard library's own dependencies (gimli,
     * addr2line, miniz_oxide, ... built under /rust/deps or a registry of
     * the toolchain's), the crate's dependencies, system headers, glibc */
    static const char *const prefixes[] = {"/rustc/", "/rust/", "/cargo/", "/usr/", "./"};
    static const char *const inside[] = {"/.cargo/registry/", "/.cargo/git/", "/.rustup/",
                                         "/registry/src/", "/rust/deps/"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(f, prefixes[i], strlen(prefixes[i])) == 0)
            return 0;
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
        if (strstr(f, inside[i]))
            return 0;
    if (f[0] != '/' && (strstr(f, "/./") || strstr(f, "/../")))
        return 0;   /* a system library's build tree, as DHAT's whole paths name glibc's */
    return 1;
}

/* The costliest of a cachegrind function's files that is its own: a function
 * of the crate whose cost is mostly inlined library code is still the
 * crate's. -1 if none. */
static long own_file(const prof_entry *e)
{
    long best = -1;
    for (size_t i = 0; i < e->n_files; i++)
        if (own_source(e->files[i].name) && (best < 0 || e->files[i].cost > e->files[best].cost))
            best = (long)i;
    return best;
}

/* A function of the standard library by its name (a generic one made for
 * the crate's types carries the crate's inlined closures, and stays std's). */
static int std_name(const char *name)
{
    static const char *const crates[] = {"core::", "alloc::", "std::", "<core::", "<alloc::", "<std::"};
    for (size_t i = 0; i < sizeof crates / sizeof crates[0]; i++)
        if (strncmp(name, crates[i], strlen(crates[i])) == 0)
            return 1;
    return 0;
}

int vg_is_own(const prof_entry *e, const char *exe)
{
    if (exe && e->object && !same_file(e->object, exe))   /* cachegrind: no objects */
        return 0;
    if (strncmp(e->name, "0x", 2) == 0)
        return 0;
    if (own_source(e->file))
        return 1;
    return own_file(e) >= 0 && !std_name(e->name);
}

/*
 * The call paths without the hidden functions: a hidden node's children
 * hang from its nearest shown ancestor (merged with a path already there),
 * so every shown node keeps its own self and inclusive cost, and a
 * function's nodes add up to its row of the table. DHAT's paths are the
 * allocation stacks: there a hidden node's self (Vec::push allocating) is
 * its shown ancestor's (the crate's function that pushed), and so are the
 * functions' self figures.
 */
static void splice_paths(const prof_model *m, prof_model *k, const size_t *entry_map)
{
    int to_caller = m->kind == PROF_DHAT;
    if (m->n_nodes < 2)
        return;
    size_t *at = xcalloc(m->n_nodes, sizeof *at);   /* node of m -> node of k (0: the root) */
    for (size_t i = 1; i < m->n_nodes; i++) {   /* parents come before their children */
        const prof_node *n = &m->nodes[i];
        size_t e = entry_map[n->entry];
        if (e == (size_t)-1) {
            at[i] = at[n->parent];
            for (size_t x = 0; to_caller && at[i] && x < m->n_metrics; x++)
                k->nodes[at[i]].self[x] = prof_add(k->nodes[at[i]].self[x], n->self[x]);
            continue;
        }
        at[i] = prof_model_node(k, at[n->parent], e);
        prof_node *d = &k->nodes[at[i]];
        d->calls += n->calls;
        for (size_t x = 0; x < m->n_metrics; x++) {
            d->self[x] = prof_add(d->self[x], n->self[x]);
            d->incl[x] = prof_add(d->incl[x], n->incl[x]);
        }
    }
    free(at);
    for (size_t i = 0; to_caller && i < k->n_entries; i++)
        memset(k->entries[i].self, 0, k->n_metrics * sizeof *k->entries[i].self);
    for (size_t i = 1; to_caller && i < k->n_nodes; i++)
        for (size_t x = 0; x < m->n_metrics; x++)
            k->entries[k->nodes[i].entry].self[x] = prof_add(k->entries[k->nodes[i].entry].self[x],
                                                             k->nodes[i].self[x]);
}

prof_model *vg_only_crate(prof_model *m, const char *exe)
{
    prof_model *k = prof_model_new(m->kind, m->tool);
    for (size_t i = 0; i < m->n_metrics; i++) {
        prof_model_metric(k, m->metrics[i].name, m->metrics[i].is_time);
        k->totals[i] = m->totals[i];
    }
    if (m->command)
        k->command = strdup(m->command);
    for (size_t i = 0; i < m->n_missing; i++)
        prof_model_missing(k, m->missing[i].name, m->missing[i].reason);
    for (size_t i = 0; i < m->n_notes; i++)
        prof_model_note(k, "%s", m->notes[i]);
    size_t *map = xcalloc(m->n_entries, sizeof *map);
    size_t hidden = 0;
    uint64_t hidden_self = 0;
    for (size_t i = 0; i < m->n_entries; i++) {
        const prof_entry *e = &m->entries[i];
        if (!vg_is_own(e, exe)) {
            map[i] = (size_t)-1;
            hidden++;
            hidden_self += e->self[0];
            continue;
        }
        /* shown where every other view shows it; only a function placed at
         * inlined library code moves to the costliest file of its own */
        long of = own_source(e->file) ? -1 : own_file(e);
        map[i] = prof_model_entry(k, e->name, of >= 0 ? e->files[of].name : e->file,
                                  of >= 0 ? e->files[of].line : e->line, e->object);
        prof_entry *d = &k->entries[map[i]];
        d->calls = e->calls;
        d->has_incl = e->has_incl;
        memcpy(d->self, e->self, m->n_metrics * sizeof *d->self);
        memcpy(d->incl, e->incl, m->n_metrics * sizeof *d->incl);
    }
    for (size_t i = 0; i < m->n_edges; i++) {
        const prof_edge *g = &m->edges[i];
        if (map[g->caller] == (size_t)-1 || map[g->callee] == (size_t)-1)
            continue;
        size_t j = prof_model_edge(k, map[g->caller], map[g->callee]);
        k->edges[j].calls = g->calls;
        memcpy(k->edges[j].incl, g->incl, m->n_metrics * sizeof *g->incl);
    }
    splice_paths(m, k, map);
    free(map);
    if (k->kind == PROF_DHAT) {   /* what is left hidden: what no function of the crate asked for */
        int64_t shown = 0;
        for (size_t i = 0; i < k->n_entries; i++)
            shown = prof_add(shown, k->entries[i].self[0]);
        hidden_self = k->totals[0] > shown ? (uint64_t)(k->totals[0] - shown) : 0;
    }
    if (k->n_metrics)
        prof_model_note(k, "--only-crate: %zu functions of the standard library, the loader and "
                        "valgrind hidden (%.1f%% of %s self; %s)", hidden,
                        k->totals[0] ? 100.0 * (double)hidden_self / (double)k->totals[0] : 0.0,
                        k->metrics[0].name, k->kind == PROF_DHAT
                        ? "allocated outside the crate's calls; the rest is the self of the crate's "
                          "function that called them"
                        : "it stays in the inclusive cost of their callers");
    prof_model_free(m);
    return k;
}
