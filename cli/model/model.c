/*
 * model.c: the merged in-memory profile. Entries, nodes and edges live in
 * growable arrays (views index them); open-addressing tables (index.h) map
 * their keys to array indices so readers merge in O(1) per record; uthash
 * keeps the few missing events and notes.
 */
#include "model/model.h"
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
    /* the edges' incl: edge_stride slots each (the model's metrics, not
     * PROF_MAX_METRICS: a big callgrind file has millions of edges and one
     * event), for cap_edges edges */
    int64_t *edge_figs;
    size_t edge_stride;
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

prof_model *prof_model_new(prof_kind kind, const char *tool)
{
    prof_model *m = xcalloc(1, sizeof *m);
    m->kind = kind;
    m->tool = xstrdup(tool ? tool : "");
    m->index = xcalloc(1, sizeof(model_index));
    if (kind == PROF_REGIONS) {
        /* nodes[0]: the synthetic root every call path hangs from */
        m->nodes = xgrow(m->nodes, 0, &m->cap_nodes, sizeof *m->nodes);
        memset(&m->nodes[0], 0, sizeof m->nodes[0]);
        m->n_nodes = 1;
    }
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
    free(ix->edge_figs);
    free(ix);
    for (size_t i = 0; i < m->n_entries; i++) {
        free(m->entries[i].name);
        free(m->entries[i].file);
        free(m->entries[i].object);
        free(m->entries[i].label);
        free(m->entries[i].half);
        for (size_t f = 0; f < m->entries[i].n_files; f++)
            free(m->entries[i].files[f].name);
        free(m->entries[i].files);
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

/* The edges' figures with room for cap edges of stride slots (at least
 * the old stride), the existing ones kept and pointed at again. */
static void edge_figs(prof_model *m, size_t cap, size_t stride)
{
    model_index *ix = m->index;
    int64_t *f = xcalloc(cap * stride + 1, sizeof *f);
    for (size_t i = 0; i < m->n_edges; i++) {
        memcpy(f + i * stride, m->edges[i].incl, ix->edge_stride * sizeof *f);
        m->edges[i].incl = f + i * stride;
    }
    free(ix->edge_figs);
    ix->edge_figs = f;
    ix->edge_stride = stride;
}

/* Room in every edge for n metrics. */
static void edge_room(prof_model *m, size_t n)
{
    model_index *ix = m->index;
    if (n > ix->edge_stride && ix->edge_figs) {
        size_t s = 2 * ix->edge_stride;
        edge_figs(m, m->cap_edges, s < n ? n : s > PROF_MAX_METRICS ? PROF_MAX_METRICS : s);
    }
}

static void edges_reserve(prof_model *m, size_t cap)
{
    model_index *ix = m->index;
    size_t old = m->cap_edges;
    if (cap > old) {
        m->edges = xrealloc(m->edges, cap * sizeof *m->edges);
        m->cap_edges = cap;
    }
    if (!ix->edge_figs || m->cap_edges > old)
        edge_figs(m, m->cap_edges, ix->edge_stride ? ix->edge_stride : m->n_metrics ? m->n_metrics : 1);
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
    edge_room(m, m->n_metrics + 1);
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

/* The joined key name\x1f file\x1f line\x1f object\x1f (f|-)(o|-), in buf
 * (cap bytes) when it fits, else malloc'd; '\x1f' cannot appear in a symbol
 * or a path we care about. Built without printf: a merge of many dumps
 * looks up millions of keys. */
static char *entry_key_string(char *buf, size_t cap, const char *name, const char *file, int line,
                              const char *object, size_t *len)
{
    const char *f = file ? file : "", *o = object ? object : "";
    size_t nn = strlen(name), nf = strlen(f), no = strlen(o), n = nn + nf + no + 20;
    char *k = n <= cap ? buf : xrealloc(NULL, n), *w = k, digits[12];
    unsigned long v = line < 0 ? 0UL - (unsigned long)line : (unsigned long)line;
    size_t nd = 0;
    do
        digits[nd++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    memcpy(w, name, nn), w += nn, *w++ = '\x1f';
    memcpy(w, f, nf), w += nf, *w++ = '\x1f';
    if (line < 0)
        *w++ = '-';
    while (nd)
        *w++ = digits[--nd];
    *w++ = '\x1f';
    memcpy(w, o, no), w += no, *w++ = '\x1f';
    *w++ = file ? 'f' : '-';
    *w++ = object ? 'o' : '-';
    *w = 0;
    *len = (size_t)(w - k);
    return k;
}

size_t prof_model_entry(prof_model *m, const char *name, const char *file, int line,
                        const char *object)
{
    model_index *ix = m->index;
    char buf[512];
    size_t len;
    char *k = entry_key_string(buf, sizeof buf, name ? name : "", file, line, object, &len);
    size_t found = str_index_put(&ix->entries, k, len, m->n_entries, NULL);
    if (k != buf)
        free(k);
    if (found != m->n_entries)
        return found;
    m->entries = xgrow(m->entries, m->n_entries, &m->cap_entries, sizeof *m->entries);
    prof_entry *e = &m->entries[m->n_entries];
    memset(e, 0, sizeof *e);
    e->name = xstrdup_text(name ? name : "");   /* the key keeps the bytes as read */
    e->file = xstrdup_text(file);
    e->line = line;
    e->object = xstrdup_text(object);
    e->has_incl = 1;
    return m->n_entries++;
}

/* arr (n used of *cap) with room for more: at least n + more. */
static void *reserve(void *arr, size_t n, size_t more, size_t *cap, size_t elem)
{
    if (n + more <= *cap)
        return arr;
    *cap = n + more;
    return xrealloc(arr, *cap * elem);
}

void prof_model_reserve(prof_model *m, size_t entries, size_t edges)
{
    model_index *ix = m->index;
    m->entries = reserve(m->entries, m->n_entries, entries, &m->cap_entries, sizeof *m->entries);
    if (entries)   /* filled next */
        xprefault(m->entries + m->n_entries, entries * sizeof *m->entries);
    if (m->n_edges + edges > m->cap_edges)
        edges_reserve(m, m->n_edges + edges);
    if (edges)
        xprefault(m->edges + m->n_edges, edges * sizeof *m->edges);
    str_index_reserve(&ix->entries, m->n_entries + entries);
    if (ix->edges.n == m->n_edges)   /* an index kept up to date (not a reader's first file) */
        pair_index_reserve(&ix->edges, m->n_edges + edges);
}

size_t prof_model_find_entry(const prof_model *m, const char *name, const char *file, int line,
                             const char *object)
{
    model_index *ix = m->index;
    char buf[512];
    size_t len;
    char *k = entry_key_string(buf, sizeof buf, name ? name : "", file, line, object, &len);
    size_t found = str_index_find(&ix->entries, k, len);
    if (k != buf)
        free(k);
    return found;
}

static size_t file_index(const prof_entry *e, const char *file)
{
    size_t i = 0;
    while (i < e->n_files && strcmp(e->files[i].name, file) != 0)
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
    prof_entry *e = &m->entries[ei];
    size_t i = file_index(e, file), best = 0;
    char *text = NULL;
    if (i == e->n_files)   /* new, or kept with its bytes that are not UTF-8 replaced */
        i = file_index(e, text = xstrdup_text(file));
    if (i == e->n_files) {
        e->files = xrealloc(e->files, (i + 1) * sizeof *e->files);
        e->files[i] = (struct prof_file){ text, line, 0 };
        e->n_files++;
        text = NULL;
    }
    free(text);
    struct prof_file *f = &e->files[i];
    f->cost = prof_add(f->cost, cost);
    if (line > 0 && (f->line == 0 || line < f->line))
        f->line = line;
    if (!relocate)
        return;
    for (size_t j = 1; j < e->n_files; j++)   /* ties: the file seen first */
        if (e->files[j].cost > e->files[best].cost)
            best = j;
    free(e->file);
    e->file = xstrdup(e->files[best].name);
    e->line = e->files[best].line;
}

size_t prof_model_node(prof_model *m, size_t parent, size_t entry)
{
    model_index *ix = m->index;
    if (m->n_nodes == 0) {   /* a model made for another kind: add the root */
        m->nodes = xgrow(m->nodes, 0, &m->cap_nodes, sizeof *m->nodes);
        memset(&m->nodes[0], 0, sizeof m->nodes[0]);
        m->n_nodes = 1;
    }
    size_t found = pair_index_put(&ix->nodes, parent, entry, m->n_nodes);
    if (found != m->n_nodes)
        return found;
    m->nodes = xgrow(m->nodes, m->n_nodes, &m->cap_nodes, sizeof *m->nodes);
    prof_node *n = &m->nodes[m->n_nodes];
    memset(n, 0, sizeof *n);
    n->parent = parent;
    n->entry = entry;
    return m->n_nodes++;
}

size_t prof_model_find_node(const prof_model *m, size_t parent, size_t entry)
{
    const model_index *ix = m->index;
    size_t found = pair_index_find(&ix->nodes, parent, entry);
    return found == INDEX_NONE ? (size_t)-1 : found;
}

static prof_edge *append_edge(prof_model *m, size_t caller, size_t callee)
{
    if (m->n_edges == m->cap_edges || !((model_index *)m->index)->edge_figs)
        edges_reserve(m, m->cap_edges ? 2 * m->cap_edges : 16);
    model_index *ix = m->index;
    prof_edge *e = &m->edges[m->n_edges];
    memset(e, 0, sizeof *e);
    e->caller = caller;
    e->callee = callee;
    e->incl = ix->edge_figs + m->n_edges++ * ix->edge_stride;
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
