/*
 * model.c: the merged in-memory profile. Entries, nodes and edges live in
 * growable arrays (views index them); open-addressing tables (index.h) map
 * their keys to array indices so readers merge in O(1) per record; uthash
 * keeps the few missing events and notes. The figures of entries, nodes and
 * edges are pools of as many slots a record as the model has metrics, the
 * entries' texts one copy each (a callgrind file of 456 000 functions: one
 * event, a few hundred files, one object).
 */
#include "model/model.h"
#include "model/arena.h"
#include "model/index.h"
#include "model/spread.h"
#include "sys/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uthash.h>

/* Entry key: name, file, line, object joined into one string. */
typedef struct entry_key {
    char *key;
    size_t index;
    UT_hash_handle hh;
} entry_key;

typedef struct model_index {
    str_index entries;    /* joined key (entry_key_string) -> index into entries */
    pair_index nodes;     /* (parent, entry) -> index into nodes */
    pair_index edges;     /* (caller, callee) -> index into edges [0, edges.n): the rest were
                             appended as new (prof_model_new_edge), indexed when one is looked up */
    entry_key *missing;   /* name -> index into missing */
    entry_key *notes;     /* text, to say a note once */
    /* the entries' self and incl (2 x stride slots each, for cap_entries)
     * and the edges' incl (stride slots each, for cap_edges): stride is the
     * model's metrics (at least 1), grown as they are added */
    int64_t *entry_figs, *edge_figs, *node_figs;   /* nodes: as entries */
    size_t stride;
    /* the entries' texts (files, objects, names that are not UTF-8): the
     * bytes as read -> an id; text[id]: the index's copy, or xstrdup_text's
     * (in mem) */
    str_index texts;
    char **text;
    size_t n_texts, cap_texts;
    arena mem;            /* those texts, and the entries' files */
} model_index;

static entry_key *str_find(entry_key *table, const char *s)
{
    entry_key *found;
    HASH_FIND_STR(table, s, found);
    return found;
}

static void str_free_all(entry_key **table)
{
    entry_key *e, *tmp;
    HASH_ITER(hh, *table, e, tmp) {
        HASH_DEL(*table, e);
        free(e->key);
        free(e);
    }
}

static size_t add_node(prof_model *m, size_t parent, size_t entry);

prof_model *prof_model_new(prof_kind kind, const char *tool)
{
    prof_model *m = xcalloc(1, sizeof *m);
    m->kind = kind;
    m->tool = xstrdup(tool ? tool : "");
    m->index = xcalloc(1, sizeof(model_index));
    if (kind == PROF_REGIONS)
        add_node(m, 0, 0);   /* nodes[0]: the synthetic root every call path hangs from */
    return m;
}

void prof_model_clear_nodes(prof_model *m)
{
    model_index *ix = m->index;
    pair_index_free(&ix->nodes);
    m->n_nodes = 0;   /* prof_model_node adds the root again with the first node */
}

void prof_model_free(prof_model *m)
{
    if (!m)
        return;
    prof_spread_clear(m);
    model_index *ix = m->index;
    str_index_free(&ix->entries);
    str_free_all(&ix->missing);
    str_free_all(&ix->notes);
    prof_model_clear_nodes(m);
    pair_index_free(&ix->edges);
    free(ix->entry_figs);
    free(ix->edge_figs);
    free(ix->node_figs);
    str_index_free(&ix->texts);
    free(ix->text);
    arena_free(&ix->mem);
    free(ix);
    for (size_t i = 0; i < m->n_entries; i++) {   /* their texts and files are the index's */
        free(m->entries[i].label);
        free(m->entries[i].half);
    }
    for (size_t i = 0; i < m->n_metrics; i++)
        free(m->metrics[i].name);
    for (size_t i = 0; i < m->n_missing; i++) {
        free(m->missing[i].name);
        free(m->missing[i].reason);
    }
    for (size_t i = 0; i < m->n_notes; i++)
        free(m->notes[i]);
    free(m->entries);
    free(m->nodes);
    free(m->edges);
    free(m->missing);
    free(m->notes);
    free(m->tool);
    free(m->command);
    free(m->host);
    free(m->cpu);
    free(m);
}

/* A pool of cap records of per x stride slots, zeroed, holding the n
 * records of *pool (per x old slots each) in their slots. */
static int64_t *figs_pool(int64_t *pool, size_t n, size_t cap, size_t per, size_t old, size_t stride)
{
    int64_t *p = xcalloc(cap * per * stride + 1, sizeof *p);
    for (size_t i = 0; pool && i < n * per; i++)
        memcpy(p + i * stride, pool + i * old, old * sizeof *p);
    free(pool);
    return p;
}

static void point_entry(prof_model *m, size_t i)
{
    model_index *ix = m->index;
    m->entries[i].self = ix->entry_figs + 2 * i * ix->stride;
    m->entries[i].incl = m->entries[i].self + ix->stride;
}

static void point_node(prof_model *m, size_t i)
{
    model_index *ix = m->index;
    m->nodes[i].self = ix->node_figs + 2 * i * ix->stride;
    m->nodes[i].incl = m->nodes[i].self + ix->stride;
}

enum { GREW_ENTRIES = 1, GREW_EDGES = 2, GREW_NODES = 4 };

/* The pools with room for cap_entries entries, cap_edges edges and
 * cap_nodes nodes of `stride` slots (at least the old stride): those that
 * grew, or all if the stride did. */
static void figs_room(prof_model *m, size_t stride, int grew)
{
    model_index *ix = m->index;
    size_t old = ix->stride;
    if (stride < old)
        stride = old;
    if (stride < 1)
        stride = 1;
    if (stride != old)
        grew = GREW_ENTRIES | GREW_EDGES | GREW_NODES;
    if (!ix->entry_figs || (grew & GREW_ENTRIES))
        ix->entry_figs = figs_pool(ix->entry_figs, m->n_entries, m->cap_entries, 2, old, stride);
    if (!ix->edge_figs || (grew & GREW_EDGES))
        ix->edge_figs = figs_pool(ix->edge_figs, m->n_edges, m->cap_edges, 1, old, stride);
    if (!ix->node_figs || (grew & GREW_NODES))
        ix->node_figs = figs_pool(ix->node_figs, m->n_nodes, m->cap_nodes, 2, old, stride);
    ix->stride = stride;
    for (size_t i = 0; (grew & GREW_ENTRIES) && i < m->n_entries; i++)   /* pointed at their slots again */
        point_entry(m, i);
    for (size_t i = 0; (grew & GREW_EDGES) && i < m->n_edges; i++)
        m->edges[i].incl = ix->edge_figs + i * stride;
    for (size_t i = 0; (grew & GREW_NODES) && i < m->n_nodes; i++)
        point_node(m, i);
}

/* Room in every entry and edge for n metrics: doubled, so that events
 * added one by one move the pools a few times. */
static void figs_metrics(prof_model *m, size_t n)
{
    model_index *ix = m->index;
    if (n > ix->stride) {
        size_t s = 2 * ix->stride;
        figs_room(m, s < n ? n : s > PROF_MAX_METRICS ? PROF_MAX_METRICS : s, 0);
    }
}

static void edges_reserve(prof_model *m, size_t cap)
{
    if (cap > m->cap_edges) {
        m->edges = xrealloc(m->edges, cap * sizeof *m->edges);
        m->cap_edges = cap;
    }
    figs_room(m, m->n_metrics, GREW_EDGES);
}

static void entries_reserve(prof_model *m, size_t cap)
{
    if (cap > m->cap_entries) {
        m->entries = xrealloc(m->entries, cap * sizeof *m->entries);
        m->cap_entries = cap;
    }
    figs_room(m, m->n_metrics, GREW_ENTRIES);
}

/* A new node (zeroed) at the end; the root when there are none. */
static size_t add_node(prof_model *m, size_t parent, size_t entry)
{
    if (m->n_nodes == m->cap_nodes) {
        m->cap_nodes = m->cap_nodes ? 2 * m->cap_nodes : 16;
        m->nodes = xrealloc(m->nodes, m->cap_nodes * sizeof *m->nodes);
        figs_room(m, m->n_metrics, GREW_NODES);
    }
    prof_node *n = &m->nodes[m->n_nodes];
    memset(n, 0, sizeof *n);
    point_node(m, m->n_nodes);
    memset(n->self, 0, 2 * ((model_index *)m->index)->stride * sizeof *n->self);   /* after clear_nodes: used before */
    n->parent = parent;
    n->entry = entry;
    return m->n_nodes++;
}

int prof_model_find_metric(const prof_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_metrics; i++)
        if (strcmp(m->metrics[i].name, name) == 0)
            return (int)i;
    return -1;
}

int prof_model_user_metric(const prof_model *m, const char *name)
{
    int exact = prof_model_find_metric(m, name), found = -1;
    if (exact >= 0)
        return exact;
    for (size_t i = 0; i < m->n_metrics; i++)
        if (strcasecmp(m->metrics[i].name, name) == 0) {
            if (found >= 0)
                return -1;   /* ambiguous: only the exact spelling will do */
            found = (int)i;
        }
    return found;
}

int prof_model_metric(prof_model *m, const char *name, int is_time)
{
    int i = prof_model_find_metric(m, name);
    if (i >= 0)
        return i;
    if (m->n_metrics >= PROF_MAX_METRICS)
        return -1;
    m->metrics[m->n_metrics].name = xstrdup(name);
    m->metrics[m->n_metrics].is_time = is_time;
    figs_metrics(m, m->n_metrics + 1);
    /* counted here after all: not missing (another dump, or a duplicate
     * of the event in the same list, could not count it) */
    model_index *ix = m->index;
    entry_key *miss = str_find(ix->missing, name);
    if (miss) {
        size_t k = miss->index, last = m->n_missing - 1;
        HASH_DEL(ix->missing, miss);
        free(miss->key);
        free(miss);
        free(m->missing[k].name);
        free(m->missing[k].reason);
        if (k != last) {
            m->missing[k] = m->missing[last];
            str_find(ix->missing, m->missing[k].name)->index = k;
        }
        m->n_missing--;
    }
    return (int)m->n_metrics++;
}

/* The joined key: name\0, then the text ids of file and object (text_id)
 * and the line, in buf (cap bytes) when it fits, else malloc'd. No name
 * holds a 0, and the index's copy starts with the name, the entry's. */
static char *entry_key_string(char *buf, size_t cap, const char *name, size_t file, int line,
                              size_t object, size_t *len)
{
    size_t nn = strlen(name), n = nn + 1 + 2 * sizeof file + sizeof line;
    char *k = n <= cap ? buf : xrealloc(NULL, n), *w = k;
    memcpy(w, name, nn + 1), w += nn + 1;
    memcpy(w, &file, sizeof file), w += sizeof file;
    memcpy(w, &object, sizeof object), w += sizeof object;
    memcpy(w, &line, sizeof line);
    *len = n;
    return k;
}

/* 1 + the id of text s (0: NULL); a new text added, or (!add) INDEX_NONE. */
static size_t text_id(const prof_model *m, const char *s, int add)
{
    if (!s)
        return 0;
    model_index *ix = m->index;
    size_t len = strlen(s), v;
    const char *stored;
    if (!add)
        return (v = str_index_find(&ix->texts, s, len)) == INDEX_NONE ? v : v + 1;
    v = str_index_put(&ix->texts, s, len, ix->n_texts, &stored);
    if (v == ix->n_texts) {   /* new: the bytes as read are the text, or its bytes not UTF-8 replaced */
        char *t = (char *)stored;
        if (utf8_bad(s)) {
            char *r = xstrdup_text(s);
            t = memcpy(arena_alloc(&ix->mem, strlen(r) + 1, 1), r, strlen(r) + 1);
            free(r);
        }
        ix->text = xgrow(ix->text, ix->n_texts, &ix->cap_texts, sizeof *ix->text);
        ix->text[ix->n_texts++] = t;
    }
    return v + 1;
}

static char *text_at(const prof_model *m, size_t id)
{
    return id ? ((model_index *)m->index)->text[id - 1] : NULL;
}

size_t prof_model_entry(prof_model *m, const char *name, const char *file, int line,
                        const char *object)
{
    model_index *ix = m->index;
    char buf[512];
    size_t len, fid = text_id(m, file, 1), oid = text_id(m, object, 1);
    const char *stored;
    name = name ? name : "";
    char *k = entry_key_string(buf, sizeof buf, name, fid, line, oid, &len);
    size_t found = str_index_put(&ix->entries, k, len, m->n_entries, &stored);
    if (k != buf)
        free(k);
    if (found != m->n_entries)
        return found;
    if (m->n_entries == m->cap_entries)
        entries_reserve(m, m->cap_entries ? 2 * m->cap_entries : 16);
    prof_entry *e = &m->entries[m->n_entries];
    memset(e, 0, sizeof *e);
    point_entry(m, m->n_entries);
    /* the key keeps the bytes as read; the name is its start when they are text */
    e->name = utf8_bad(name) ? text_at(m, text_id(m, name, 1)) : (char *)stored;
    e->file = text_at(m, fid);
    e->line = line;
    e->object = text_at(m, oid);
    e->has_incl = 1;
    return m->n_entries++;
}

void prof_model_reserve(prof_model *m, size_t entries, size_t edges)
{
    model_index *ix = m->index;
    if (m->n_entries + entries > m->cap_entries)
        entries_reserve(m, m->n_entries + entries);
    if (entries) {   /* filled next */
        xprefault(m->entries + m->n_entries, entries * sizeof *m->entries);
        xprefault(ix->entry_figs + 2 * m->n_entries * ix->stride, 2 * entries * ix->stride * sizeof(int64_t));
    }
    if (m->n_edges + edges > m->cap_edges)
        edges_reserve(m, m->n_edges + edges);
    if (edges) {
        xprefault(m->edges + m->n_edges, edges * sizeof *m->edges);
        xprefault(ix->edge_figs + m->n_edges * ix->stride, edges * ix->stride * sizeof(int64_t));
    }
    str_index_reserve(&ix->entries, m->n_entries + entries);
    /* an index kept up to date (not a reader's first file, whose edges are
     * new: indexed only if an edge is looked up later) */
    if (m->n_edges && ix->edges.n == m->n_edges)
        pair_index_reserve(&ix->edges, m->n_edges + edges);
}

size_t prof_model_find_entry(const prof_model *m, const char *name, const char *file, int line,
                             const char *object)
{
    model_index *ix = m->index;
    char buf[512];
    size_t len, fid = text_id(m, file, 0), oid = text_id(m, object, 0);
    if (fid == INDEX_NONE || oid == INDEX_NONE)
        return (size_t)-1;
    char *k = entry_key_string(buf, sizeof buf, name ? name : "", fid, line, oid, &len);
    size_t found = str_index_find(&ix->entries, k, len);
    if (k != buf)
        free(k);
    return found;
}

/* file: the model's copy (text_at), the only one of its text. */
static size_t file_index(const prof_entry *e, const char *file)
{
    size_t i = 0;
    while (i < e->n_files && e->files[i].name != file)
        i++;
    return i;
}

int64_t *prof_entry_half(prof_entry *e)
{
    if (!e->half)
        e->half = xcalloc(PROF_MAX_METRICS, sizeof *e->half);
    return e->half;
}

/* Few files a function: a list is enough. */
void prof_entry_file(prof_model *m, size_t ei, const char *file, int line, int64_t cost, int relocate)
{
    model_index *ix = m->index;
    char *text = text_at(m, text_id(m, file, 1));
    prof_entry *e = &m->entries[ei];
    size_t i = file_index(e, text), best = 0;
    if (i == e->n_files) {
        if ((i & (i - 1)) == 0) {   /* 0, 1, 2, 4, ... files: room for twice as many */
            struct prof_file *f = arena_alloc(&ix->mem, (i ? 2 * i : 1) * sizeof *f, _Alignof(struct prof_file));
            e->files = i ? memcpy(f, e->files, i * sizeof *f) : f;
        }
        e->files[i] = (struct prof_file){ text, line, 0 };
        e->n_files++;
    }
    struct prof_file *f = &e->files[i];
    f->cost = prof_add(f->cost, cost);
    if (line > 0 && (f->line == 0 || line < f->line))
        f->line = line;
    if (!relocate)
        return;
    for (size_t j = 1; j < e->n_files; j++)   /* ties: the file seen first */
        if (e->files[j].cost > e->files[best].cost)
            best = j;
    e->file = e->files[best].name;
    e->line = e->files[best].line;
}

size_t prof_model_node(prof_model *m, size_t parent, size_t entry)
{
    model_index *ix = m->index;
    if (m->n_nodes == 0)   /* a model made for another kind, or nodes cleared: the root */
        add_node(m, 0, 0);
    size_t found = pair_index_put(&ix->nodes, parent, entry, m->n_nodes);
    if (found != m->n_nodes)
        return found;
    return add_node(m, parent, entry);
}

size_t prof_model_find_node(const prof_model *m, size_t parent, size_t entry)
{
    const model_index *ix = m->index;
    size_t found = pair_index_find(&ix->nodes, parent, entry);
    return found == INDEX_NONE ? (size_t)-1 : found;
}

static prof_edge *append_edge(prof_model *m, size_t caller, size_t callee)
{
    if (m->n_edges == m->cap_edges)
        edges_reserve(m, m->cap_edges ? 2 * m->cap_edges : 16);
    model_index *ix = m->index;
    prof_edge *e = &m->edges[m->n_edges];
    memset(e, 0, sizeof *e);
    e->caller = caller;
    e->callee = callee;
    e->incl = ix->edge_figs + m->n_edges++ * ix->stride;
    return e;
}

size_t prof_model_new_edge(prof_model *m, size_t caller, size_t callee)
{
    append_edge(m, caller, callee);
    return m->n_edges - 1;
}

size_t prof_model_edge(prof_model *m, size_t caller, size_t callee)
{
    model_index *ix = m->index;
    if (ix->edges.n < m->n_edges)   /* the edges appended as new, indexed now */
        pair_index_reserve(&ix->edges, m->n_edges + 1);
    for (size_t i = ix->edges.n; i < m->n_edges; i++)
        pair_index_put(&ix->edges, m->edges[i].caller, m->edges[i].callee, i);
    size_t found = pair_index_put(&ix->edges, caller, callee, m->n_edges);
    if (found != m->n_edges)
        return found;
    append_edge(m, caller, callee);
    return found;
}

void prof_model_missing(prof_model *m, const char *name, const char *reason)
{
    model_index *ix = m->index;
    if (str_find(ix->missing, name))
        return;   /* every dump of a run names it: once is enough */
    if (prof_model_find_metric(m, name) >= 0)
        return;   /* counted in another dump: shown, not missing */
    if (m->n_missing == m->cap_missing) {
        m->cap_missing = m->cap_missing ? 2 * m->cap_missing : 8;
        m->missing = xrealloc(m->missing, m->cap_missing * sizeof *m->missing);
    }
    m->missing[m->n_missing].name = xstrdup(name);
    m->missing[m->n_missing].reason = xstrdup(reason ? reason : "not counted");
    entry_key *k = xcalloc(1, sizeof *k);
    k->key = xstrdup(name);
    k->index = m->n_missing++;
    HASH_ADD_KEYPTR(hh, ix->missing, k->key, strlen(k->key), k);
}

void prof_model_note(prof_model *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = xstrdup("(a note that did not fit in memory)");
    va_end(ap);
    model_index *ix = m->index;
    if (str_find(ix->notes, s)) {   /* same note from several dumps */
        free(s);
        return;
    }
    entry_key *k = xcalloc(1, sizeof *k);
    k->key = xstrdup(s);
    HASH_ADD_KEYPTR(hh, ix->notes, k->key, strlen(k->key), k);
    if (m->n_notes == m->cap_notes) {
        m->cap_notes = m->cap_notes ? 2 * m->cap_notes : 8;
        m->notes = xrealloc(m->notes, m->cap_notes * sizeof *m->notes);
    }
    m->notes[m->n_notes++] = s;
}
