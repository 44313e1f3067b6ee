/*
 * dhat.c: reader of DHAT's output (valgrind --tool=dhat, "dhatFileVersion"
 * 2, the format valgrind's dh_view.js reads; docs/valgrind.md). Each
 * program point ("pps") is one allocation stack, leaf first ("fs", indices
 * into the frame table "ftbl"), with its figures.
 *
 * Into the model: the allocator's frames at the leaf end of a stack
 * (malloc, Rust's alloc::alloc, RawVec growth: readers/dhat_frames.h) are
 * left out, so a stack ends at the code that asked for memory. Frames of
 * one function (name + file, or name + object) are one entry. A program
 * point's figures are the self figures of its last frame and the
 * inclusive figures of every function on its stack, counted once however
 * often recursion puts it there; call paths (nodes, root = the outermost
 * frame) are the stacks themselves, so the tree and folded views draw
 * exactly what DHAT recorded (up to CALLPATHS_MAX_NODES nodes: past them a
 * new stack's deeper frames are merged into the deepest node it has, so
 * the paths still add up to the totals); call edges join adjacent frames, carrying a
 * stack's figures only into the outermost occurrence of a function (as
 * callgrind's edges do), so a function's callers add up to its inclusive
 * figures.
 */
#include "readers/readers.h"
#include "model/callpaths.h"
#include "readers/dhat.h"
#include "readers/dhat_frames.h"
#include "sys/xalloc.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DHAT_VERSION 2
#define DHAT_MAX_METRICS 9

/* Per mode: the program point's keys and the metric each becomes. */
static const char *const HEAP_KEYS[] = {"tb", "tbk", "gb", "gbk", "eb", "ebk", "tl", "rb", "wb"};
static const char *const HEAP_NAMES[] = {"bytes", "blocks", "peak_bytes", "peak_blocks", "end_bytes",
                                         "end_blocks", "lifetime", "reads", "writes"};
static const char *const COPY_NAMES[] = {"bytes", "blocks"};
static const char *const AD_HOC_NAMES[] = {"units", "events"};
static const char *const MODES[] = {"heap", "copy", "ad-hoc"};

int dhat_mode_parse(const char *s, dhat_mode *mode)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, MODES[i]) == 0) {
            *mode = (dhat_mode)i;
            return 0;
        }
    return -1;
}

const char *dhat_mode_name(dhat_mode mode)
{
    return MODES[mode];
}

static const char *const *mode_names(dhat_mode mode, size_t *n)
{
    *n = mode == DHAT_HEAP ? DHAT_MAX_METRICS : 2;
    return mode == DHAT_HEAP ? HEAP_NAMES : mode == DHAT_COPY ? COPY_NAMES : AD_HOC_NAMES;
}

size_t dhat_plan_metrics(prof_model *m, dhat_mode mode)
{
    size_t n;
    const char *const *names = mode_names(mode, &n);
    for (size_t i = 0; i < n; i++)
        prof_model_metric(m, names[i], 0);
    return n;
}

/* ---- reading ---------------------------------------------------------------- */

typedef struct dh {
    const char *path;
    char *err;
    size_t errlen;
    prof_model *m;
    json_t *root;
    dhat_mode mode;
    size_t nm;
    int mi[DHAT_MAX_METRICS];   /* model metric of each of the mode's keys */
    dhat_frame *frames;
    size_t nf;
    size_t *entry_of;           /* per frame: its model entry, (size_t)-1 until a stack uses it */
    uint64_t *seen;             /* per model entry: the stack that last counted it */
    size_t seen_cap;
    size_t *stack;              /* the current stack's entries, outermost first */
    int paths_cut;              /* CALLPATHS_MAX_NODES reached */
} dh;

static int fail(dh *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(dh *d, const char *fmt, ...)
{
    int n = snprintf(d->err, d->errlen, "%s: ", d->path);
    if (n < 0 || (size_t)n >= d->errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err + n, d->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static int syntax_error(dh *d, const json_error_t *je)
{
    if (je->position == 0 || strstr(je->text, "end of file") || strstr(je->text, "premature"))
        return fail(d, "byte %d (line %d): truncated DHAT file (expected more JSON): %s", je->position,
                    je->line < 1 ? 1 : je->line, je->text);
    return fail(d, "line %d, column %d: not valid JSON (expected a DHAT file): %s", je->line, je->column,
                je->text);
}

/* A count (an integer >= 0) at where.key. */
static int get_count(dh *d, json_t *o, const char *where, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return fail(d, "%s%s%s: expected a count (an integer >= 0)", where, *where ? "." : "", key);
    *out = (int64_t)json_integer_value(v);
    return 0;
}

static const char *get_string(dh *d, const char *key)
{
    json_t *v = json_object_get(d->root, key);
    if (!json_is_string(v)) {
        fail(d, "%s: expected a string (a DHAT file has \"%s\")", key, key);
        return NULL;
    }
    return json_string_value(v);
}

/* A heap profile records lifetimes and accesses, the other modes neither. */
static int check_flags(dh *d)
{
    static const char *const flags[] = {"bklt", "bkacc"};
    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(d->root, flags[i]);
        if (!json_is_boolean(v))
            return fail(d, "%s: expected true or false", flags[i]);
        if (json_is_true(v) != (d->mode == DHAT_HEAP))
            return fail(d, "%s: expected %s in %s mode", flags[i], d->mode == DHAT_HEAP ? "true" : "false",
                        dhat_mode_name(d->mode));
    }
    return 0;
}

static int check_header(dh *d)
{
    int64_t version;
    if (!json_is_object(d->root))
        return fail(d, "top level: expected a JSON object (a DHAT file)");
    if (get_count(d, d->root, "", "dhatFileVersion", &version))
        return -1;
    if (version != DHAT_VERSION)
        return fail(d, "dhatFileVersion %lld: expected %d (the version valgrind 3.15 and later write)",
                    (long long)version, DHAT_VERSION);
    const char *mode = get_string(d, "mode");
    if (!mode)
        return -1;
    if (dhat_mode_parse(mode, &d->mode))
        return fail(d, "mode \"%s\": expected heap, copy or ad-hoc", mode);
    return check_flags(d) || !get_string(d, "cmd") || !get_string(d, "tu") ? -1 : 0;
}

/* The mode's metrics in m; a model holds the profiles of one mode only. */
static int plan_metrics(dh *d)
{
    size_t n;
    const char *const *names = mode_names(d->mode, &n);
    int fresh = d->m->n_metrics == 0;
    if (!fresh && (d->m->n_metrics != n || strcmp(d->m->metrics[0].name, names[0]) != 0))
        return fail(d, "a DHAT %s-mode profile: cannot be merged with the profiles before it "
                    "(another mode)", dhat_mode_name(d->mode));
    for (size_t i = 0; i < n; i++)
        if ((d->mi[i] = prof_model_metric(d->m, names[i], 0)) < 0)
            return fail(d, "metric %s is one too many (at most %d)", names[i], PROF_MAX_METRICS);
    d->nm = n;
    return 0;
}

static int read_frames(dh *d)
{
    json_t *ftbl = json_object_get(d->root, "ftbl"), *f;
    if (!json_is_array(ftbl))
        return fail(d, "ftbl: expected an array of frames (strings)");
    d->nf = json_array_size(ftbl);
    d->frames = xcalloc(d->nf + 1, sizeof *d->frames);
    d->entry_of = xcalloc(d->nf + 1, sizeof *d->entry_of);
    size_t i;
    json_array_foreach(ftbl, i, f) {
        if (!json_is_string(f))
            return fail(d, "ftbl[%zu]: expected a frame (a string)", i);
        dhat_frame_parse(&d->frames[i], json_string_value(f));
        d->entry_of[i] = (size_t)-1;
    }
    return 0;
}

/* The model entry of frame i: its function, merged with its other frames. */
static size_t frame_entry(dh *d, size_t i)
{
    if (d->entry_of[i] != (size_t)-1)
        return d->entry_of[i];
    const dhat_frame *f = &d->frames[i];
    size_t e = prof_model_entry(d->m, f->name, f->file, 0, f->object);
    prof_entry *pe = &d->m->entries[e];
    if (f->line > 0 && (pe->line == 0 || f->line < pe->line))
        pe->line = f->line;
    if (d->seen_cap < d->m->n_entries) {
        size_t cap = d->m->n_entries * 2;
        d->seen = xrealloc(d->seen, cap * sizeof *d->seen);
        memset(d->seen + d->seen_cap, 0, (cap - d->seen_cap) * sizeof *d->seen);
        d->seen_cap = cap;
    }
    return d->entry_of[i] = e;
}

static void add_values(int64_t *dst, const dh *d, const int64_t *v)
{
    for (size_t k = 0; k < d->nm; k++)
        dst[d->mi[k]] = prof_add(dst[d->mi[k]], v[k]);
}

/* pps[p]'s figures into v and its stack checked: 0, or -1 naming the field. */
static int check_pp(dh *d, json_t *pp, size_t p, int64_t *v)
{
    const char *const *keys = HEAP_KEYS;   /* the other modes have tb and tbk only */
    char where[32];
    snprintf(where, sizeof where, "pps[%zu]", p);
    if (!json_is_object(pp))
        return fail(d, "%s: expected a program point (an object)", where);
    for (size_t k = 0; k < d->nm; k++)
        if (get_count(d, pp, where, keys[k], &v[k]))
            return -1;
    json_t *fs = json_object_get(pp, "fs"), *x;
    size_t i;
    if (!json_is_array(fs) || json_array_size(fs) == 0)
        return fail(d, "%s.fs: expected a non-empty array of frame indices", where);
    json_array_foreach(fs, i, x)
        if (!json_is_integer(x) || json_integer_value(x) < 0 || (size_t)json_integer_value(x) >= d->nf)
            return fail(d, "%s.fs[%zu]: expected an index into ftbl (0 to %zu)", where, i,
                        d->nf ? d->nf - 1 : 0);
    return 0;
}

/* The stack of a checked program point (its frames, leaf first) without
 * the allocator's frames at the leaf end, outermost first into d->stack;
 * returns its depth. */
static size_t read_stack(dh *d, json_t *pp)
{
    json_t *fs = json_object_get(pp, "fs");
    size_t n = json_array_size(fs), start = 0;
    while (start + 1 < n && d->frames[json_integer_value(json_array_get(fs, start))].allocator)
        start++;
    d->stack = xrealloc(d->stack, (n + 1) * sizeof *d->stack);
    for (size_t i = n; i-- > start;)
        d->stack[n - 1 - i] = frame_entry(d, (size_t)json_integer_value(json_array_get(fs, i)));
    return n - start;
}

/* The node below `node` for entry e, or `node` itself when a new one would
 * pass CALLPATHS_MAX_NODES (the stack's deeper frames merge into it). An
 * outermost frame always has its node (one per function at most), so every
 * stack has a place. */
static size_t child_node(dh *d, size_t node, size_t e, int *stopped)
{
    prof_model *m = d->m;
    if (*stopped)
        return node;
    if (m->n_nodes >= CALLPATHS_MAX_NODES && node != 0) {
        size_t c = prof_model_find_node(m, node, e);
        if (c == (size_t)-1) {
            *stopped = d->paths_cut = 1;
            return node;
        }
        return c;
    }
    return prof_model_node(m, node, e);
}

/* One stack's figures into nodes, entries and edges (see the top). */
static void add_stack(dh *d, size_t depth, const int64_t *v, uint64_t stamp)
{
    prof_model *m = d->m;
    size_t node = 0;
    int stopped = 0;
    for (size_t i = 0; i < depth; i++) {
        size_t e = d->stack[i];
        int first = d->seen[e] != stamp;
        d->seen[e] = stamp;
        size_t next = child_node(d, node, e, &stopped);
        if (next != node)
            add_values(m->nodes[next].incl, d, v);
        node = next;
        if (first)
            add_values(m->entries[e].incl, d, v);
        if (i > 0) {
            size_t g = prof_model_edge(m, d->stack[i - 1], e);
            if (first)
                add_values(m->edges[g].incl, d, v);
        }
    }
    if (node)
        add_values(m->nodes[node].self, d, v);
    add_values(m->entries[d->stack[depth - 1]].self, d, v);
}

/* Every program point checked first, so a bad file changes nothing. */
static int read_pps(dh *d)
{
    json_t *pps = json_object_get(d->root, "pps"), *pp;
    if (!json_is_array(pps))
        return fail(d, "pps: expected an array of program points");
    int64_t v[DHAT_MAX_METRICS];
    size_t p;
    json_array_foreach(pps, p, pp)
        if (check_pp(d, pp, p, v))
            return -1;
    json_array_foreach(pps, p, pp) {
        check_pp(d, pp, p, v);
        add_stack(d, read_stack(d, pp), v, (uint64_t)p + 1);
        add_values(d->m->totals, d, v);
    }
    return 0;
}

static void note_units(dh *d)
{
    prof_model *m = d->m;
    if (!m->command)
        m->command = xstrdup(json_string_value(json_object_get(d->root, "cmd")));
    if (d->mode == DHAT_HEAP)
        prof_model_note(m, "dhat heap profile: peak = live at t-gmax (the heap's largest), end = live "
                        "at t-end (never freed); lifetime in %s, avg life = lifetime / blocks; "
                        "reads/B, writes/B = accesses per byte allocated",
                        json_string_value(json_object_get(d->root, "tu")));
    else
        prof_model_note(m, "dhat %s profile: %s", dhat_mode_name(d->mode),
                        d->mode == DHAT_COPY ? "bytes copied and copies (memcpy, strcpy, ...)"
                                             : "units and events of DHAT_AD_HOC_EVENT");
}

static void dh_free(dh *d)
{
    for (size_t i = 0; i < d->nf; i++)
        dhat_frame_free(&d->frames[i]);
    free(d->frames);
    free(d->entry_of);
    free(d->seen);
    free(d->stack);
    json_decref(d->root);
}

int read_dhat_mem(prof_model *m, const char *path, const char *text, size_t len, char *err, size_t errlen)
{
    dh d = {.path = path, .err = err, .errlen = errlen, .m = m};
    json_error_t je;
    d.root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    int rc = !d.root ? syntax_error(&d, &je)
           : check_header(&d) || plan_metrics(&d) || read_frames(&d) || read_pps(&d) ? -1 : 0;
    if (rc == 0)
        note_units(&d);
    if (rc == 0 && d.paths_cut)
        prof_model_note(m, "warning: allocation stacks cut at %d call-path nodes: the deeper frames "
                        "of the later stacks are merged into the last one kept", CALLPATHS_MAX_NODES);
    if (rc)   /* only then is err written: on success it is the caller's, maybe uninitialised */
        reader_one_line(err);
    dh_free(&d);
    return rc;
}

int read_dhat(prof_model *m, const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = reader_slurp(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = read_dhat_mem(m, path, text, len, err, errlen);
    free(text);
    return rc;
}
