/*
 * cprof_dump.c: reads libcprof's dump files (formats "cprof-2" and
 * "cprof-1", docs/dump-format.md) into the model; a cprof-2 dump is first
 * made what cprof-1 would have said (dump_v2.c). A dump is read in one pass of a pull
 * parser of our own (dump_doc.c: no JSON tree) and checked whole
 * (dump_check.c) before anything is merged, so a corrupt dump changes
 * nothing and gets one line naming the file, the byte (syntax) or the
 * field (schema) at fault.
 */
#include "readers/cprof_dump.h"
#include "readers/dump_check.h"
#include "readers/dump_doc.h"
#include "readers/dump_v2.h"
#include "readers/tree_time.h"
#include "readers/readers.h"
#include "model/trust.h"
#include "model/derive.h"
#include "model/spread.h"
#include "sys/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cprof_dump {
    char *path;
    dump_doc doc;
    dump_checked ck;   /* active events, calibration */
    char *warning;     /* values out of range, read as 0 */
    char *ignored;     /* "host"/"cpu"/"rank" of another type, left out */
};

/* ---- reading ------------------------------------------------------------ */

/* A read dump costs about twice its size (its text, kept for its strings,
 * and one flat record per region or node): one larger than a sixteenth of
 * this machine's memory is refused, not read until the machine runs out (a
 * sparse file can claim any size, a growing one can pass its size: the
 * read stops at the limit too). */
static double size_limit(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (double)pages * (double)page / 16 : 1e18;
}

static char *too_large(const char *path, double size, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: %.0f MB: too large to read here (at most %.0f MB, a sixteenth of "
             "this machine's memory)", path, size / 1e6, size_limit() / 1e6);
    return NULL;
}

/* The whole file in one buffer, with the 0 byte the parser wants after it. */
static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    double limit = size_limit();
    if (fstat(fd, &st) == 0 && (double)st.st_size > limit) {
        close(fd);
        return too_large(path, (double)st.st_size, err, errlen);
    }
    /* a byte to spare: the read that finds the end needs room, else a file of
     * the size fstat said would be copied into a buffer twice its size */
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 2 : 1 << 16, n = 0;
    char *buf = xrealloc(NULL, cap);
    for (;;) {
        if (n + 1 == cap) {   /* it grew since fstat (or fstat could not say) */
            if ((double)cap > limit) {
                close(fd);
                free(buf);
                return too_large(path, (double)cap, err, errlen);
            }
            buf = xrealloc(buf, cap *= 2);
        }
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
            close(fd);
            free(buf);
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* "byte N (line L, column C)" of a syntax fault, counted in the text as
 * it was (the parser's buffer has its strings unescaped in place). */
static void syntax_error(const char *path, const char *text, size_t len, const jp *j, char *err, size_t errlen)
{
    size_t at = j->at < len ? j->at : len;
    int line = 1;
    size_t col = 1;
    for (size_t i = 0; text && i < at; i++, col++)
        if (text[i] == '\n') {
            line++;
            col = 0;
        }
    if (j->truncated)
        snprintf(err, errlen, "%s: byte %zu (line %d): truncated or empty dump: expected %s",
                 path, at, line, j->what);
    else
        snprintf(err, errlen, "%s: byte %zu (line %d, column %zu): corrupt dump: expected %s",
                 path, at + 1, line, col, j->what);
}

/* Reads buf (owned from here on); text: the same bytes unchanged, for the
 * place of a syntax fault (NULL: read again from path). */
static cprof_dump *load_buf(const char *path, char *buf, size_t len, const char *text,
                            char *err, size_t errlen)
{
    cprof_dump *d = xcalloc(1, sizeof *d);
    jp j;
    int rc = dump_doc_read(&d->doc, buf, len, &j);
    jp_free(&j);
    if (rc) {
        size_t n = len;
        char *again = text ? NULL : read_file(path, &n, err, errlen);
        syntax_error(path, text ? text : again, n, &j, err, errlen);
        free(again);
        cprof_dump_free(d);
        return NULL;
    }
    d->path = xstrdup(path);
    if (dump_check(&d->doc, path, &d->ck, err, errlen)) {
        cprof_dump_free(d);
        return NULL;
    }
    if (d->ck.v2)
        dump_v2_derive(&d->doc);   /* from here on, as if it were cprof-1 */
    if (d->ck.bad_values)
        d->warning = xasprintf("warning: %s: %zu value(s) out of range, read as 0 (the first: %s)",
                               path, d->ck.bad_values, d->ck.first_bad);
    if (d->ck.ignored[0])
        d->ignored = xasprintf("warning: %s: %s: expected %s or null, left out", path, d->ck.ignored,
                               strcmp(d->ck.ignored, "\"rank\"") == 0 ? "a non-negative integer"
                               : strstr(d->ck.ignored, "rank") ? "a string (a non-negative integer: rank)"
                               : "a string");
    return d;
}

/*
 * A merge reads thousands of dumps, each freed once merged. glibc gives a
 * freed top of its heap back to the kernel past 128 KB, and maps blocks
 * past 128 KB on their own: each dump then cost its pages again, faulted
 * in one by one (10 000 dumps of 100 regions: 4.8 s of 7 s in the kernel).
 * Freed memory is kept for the next dump instead (a dump up to 32 MB
 * comes from the heap): the peak is one dump's, as before.
 */
static void keep_freed_memory(void)
{
    static int done;
    if (done++)
        return;
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

cprof_dump *cprof_dump_load(const char *path, char *err, size_t errlen)
{
    keep_freed_memory();
    size_t len;
    char *buf = read_file(path, &len, err, errlen);
    cprof_dump *d = buf ? load_buf(path, buf, len, NULL, err, errlen) : NULL;
    if (!d)
        reader_one_line(err);
    return d;
}

cprof_dump *cprof_dump_load_mem(const char *path, const char *text, size_t len,
                                char *err, size_t errlen)
{
    char *buf = xrealloc(NULL, len + 1);
    memcpy(buf, text, len);
    buf[len] = 0;
    cprof_dump *d = load_buf(path, buf, len, text, err, errlen);
    if (!d)
        reader_one_line(err);
    return d;
}

void cprof_dump_free(cprof_dump *d)
{
    if (!d)
        return;
    dump_doc_free(&d->doc);
    free(d->ck.active);
    free(d->path);
    free(d->warning);
    free(d->ignored);
    free(d);
}

/* ---- accessors (the dump is checked: types are right) ------------------ */

static uint64_t u64(const jp_val *v)
{
    return v->type == JP_INT && v->i > 0 ? (uint64_t)v->i : 0;
}

static int64_t i64(const jp_val *v)
{
    return v->type == JP_INT ? (int64_t)v->i : 0;
}

static const char *str(const jp_val *v)
{
    return v->type == JP_STRING ? v->s : NULL;   /* NULL for null/missing */
}

static double num(const jp_val *v)
{
    return v->type == JP_INT ? (double)v->i : v->type == JP_REAL ? v->d : 0;
}

size_t cprof_dump_n_threads(const cprof_dump *d) { return d->doc.n_threads; }
long cprof_dump_pid(const cprof_dump *d) { return (long)u64(&d->doc.pid); }
const char *cprof_dump_command(const cprof_dump *d) { return str(&d->doc.command); }
double cprof_dump_ns_per_pair(const cprof_dump *d) { return d->ck.ns_per_pair; }
double cprof_dump_ns_inside(const cprof_dump *d) { return d->ck.ns_inside; }

/* Where it ran: NULL when the dump does not say (older dumps, null, "", or
 * another type, which the check left out with a warning). */
static const char *place(const jp_val *v)
{
    const char *s = str(v);
    return s && *s ? s : NULL;
}

const char *cprof_dump_host(const cprof_dump *d) { return place(&d->doc.host); }
const char *cprof_dump_cpu(const cprof_dump *d) { return place(&d->doc.cpu); }

long cprof_dump_rank(const cprof_dump *d)
{
    const jp_val *v = &d->doc.rank;   /* checked: another type was left out */
    return v->type == JP_INT && v->i >= 0 && v->i <= INT32_MAX ? (long)v->i : -1;
}

long cprof_dump_tid(const cprof_dump *d, size_t thread)
{
    return thread < d->doc.n_threads ? (long)u64(&d->doc.threads[thread].tid) : 0;
}

const char *cprof_dump_thread_name(const cprof_dump *d, size_t thread)
{
    const char *s = thread < d->doc.n_threads ? str(&d->doc.threads[thread].name) : NULL;
    return s ? s : "";
}

const char *cprof_dump_filter(const cprof_dump *d)
{
    return str(&d->doc.filter);
}

size_t cprof_dump_unselected(const cprof_dump *d, size_t i, const char **name)
{
    const dump_doc *doc = &d->doc;
    size_t n = doc->unselected_v.type == JP_ARRAY ? doc->n_unselected : 0;
    *name = i < n ? doc->unselected[i] : NULL;
    return u64(&doc->unselected_count) ? (size_t)u64(&doc->unselected_count) : n;
}

/* ---- merging ------------------------------------------------------------ */

static int line_of(const doc_rec *r)
{
    int64_t l = i64(&r->f[RF_LINE]);
    return l < -2147483647 ? -2147483647 : l > 2147483647 ? 2147483647 : (int)l;
}

/* Per metric: the calibrated P (per timed pair, outside), I (inside) and
 * U (per untimed pair, all of it), and US (U for a CPROF_SCOPE's). */
typedef struct overhead {
    double pair[PROF_MAX_METRICS], inside[PROF_MAX_METRICS], untimed[PROF_MAX_METRICS];
    double untimed_scope[PROF_MAX_METRICS];
} overhead;

/* What one dump's events are in the model. */
typedef struct dump_events {
    int *metric_of;   /* per doc.names id: the metric index, or -1 (not an active event) */
    overhead oh;      /* as calibrated, applied or not */
    int apply;        /* compensation on */
} dump_events;

/* Compensation takes away what the measuring cost, but never takes a figure
 * that was not below zero below it. (sub is below zero where throttled
 * children's estimates took more than their untimed calls cost.) */
static int64_t compensate(int64_t v, double sub)
{
    if (sub == 0)
        return v;
    double r = (double)v - sub;
    if (v >= 0 && r <= 0)
        return 0;
    return (int64_t)llround(r);
}

/*
 * What measuring put into a node's exclusive figures (docs/dump-format.md):
 * I for each of its pairs, P for each timed child call, U - I for each
 * untimed one (its estimate counted I, the parent paid U; US for the CS of
 * them that are CPROF_SCOPE calls):
 * sub = CT * P + (CU - CS) * (U - I) + CS * (US - I) + pairs * I. A record
 * costs its own counters, not every event of the run.
 */
static double overhead_in(const doc_rec *r, const overhead *oh, int k)
{
    uint64_t pairs = r->f[RF_PAIRS].type != JP_MISSING ? u64(&r->f[RF_PAIRS]) : u64(&r->f[RF_CALLS]);
    uint64_t child = u64(&r->f[RF_CHILD_CALLS]), cu = u64(&r->f[RF_CHILD_UNTIMED]);
    uint64_t cs = u64(&r->f[RF_CHILD_UNTIMED_SCOPE]);
    uint64_t ct = r->f[RF_CHILD_TIMED].type != JP_MISSING ? u64(&r->f[RF_CHILD_TIMED])
                  : child > cu                             ? child - cu
                                                           : 0;
    if (cs > cu)
        cs = cu;
    return (double)ct * oh->pair[k] + (double)(cu - cs) * (oh->untimed[k] - oh->inside[k]) +
           (double)cs * (oh->untimed_scope[k] - oh->inside[k]) + (double)pairs * oh->inside[k];
}

/* A record's own figures; its time as measured (self[0]) and what
 * measuring put into it (*sub, 0 without compensation): the time is
 * compensated per subtree (tree_time.c), the counters here. */
static void node_self(const prof_model *m, const cprof_dump *d, const doc_rec *r, const dump_events *de,
                      int64_t *self, int64_t *oh_ns, double *sub)
{
    memset(self, 0, m->n_metrics * sizeof *self);
    self[0] = i64(&r->f[RF_EXCL_NS]);
    double cost = overhead_in(r, &de->oh, 0);
    *sub = de->apply ? cost : 0;
    *oh_ns = (int64_t)llround(cost);
    for (uint32_t k = 0; k < r->c_n; k++) {
        const doc_counter *c = &d->doc.counters[r->c_first + k];
        int mi = de->metric_of[c->ev];
        if (mi >= 0)
            self[mi] = de->apply ? compensate(i64(&c->excl), overhead_in(r, &de->oh, mi)) : i64(&c->excl);
    }
}

/* A region's shortest and longest call as measured: prof_derive_regions
 * takes the profiler's cost of a call off them. */
static void region_min_max(prof_model *m, size_t ei, const doc_rec *r)
{
    if (!u64(&r->f[RF_CALLS]))
        return;
    prof_entry *e = &m->entries[ei];
    uint64_t mn = u64(&r->f[RF_MIN_NS]), mx = u64(&r->f[RF_MAX_NS]);
    if (mn > mx)
        mn = mx;
    if (!e->raw_max_ns && !e->raw_min_ns)
        e->raw_min_ns = mn;
    else if (mn < e->raw_min_ns)
        e->raw_min_ns = mn;
    if (mx > e->raw_max_ns)
        e->raw_max_ns = mx;
}

/* What one record (a tree node, or a region standing in for one) adds to
 * node ni: its own figures (node_self, fitted) and counts. */
static void add_to_node(prof_model *m, size_t ni, const doc_rec *r, const int64_t *self, int64_t oh_ns)
{
    prof_spread_add(m, m->nodes[ni].entry, self);   /* this process's, when a whole dump is merged */
    prof_node *nd = &m->nodes[ni];
    uint64_t pairs = r->f[RF_PAIRS].type != JP_MISSING ? u64(&r->f[RF_PAIRS]) : u64(&r->f[RF_CALLS]);
    uint64_t timed = r->f[RF_TIMED].type == JP_INT ? u64(&r->f[RF_TIMED]) : pairs;   /* bad: read as timed */
    uint64_t period = timed < pairs ? u64(&r->f[RF_PERIOD]) : 0;
    prof_node from = { .pairs = pairs, .timed = timed < pairs ? timed : pairs,
                       .period = (uint32_t)(period < UINT32_MAX ? period : UINT32_MAX),
                       .raw_self = i64(&r->f[RF_EXCL_NS]), .oh_self = oh_ns };
    prof_node_add_trust(nd, &from);
    nd->calls = prof_addu(nd->calls, u64(&r->f[RF_CALLS]));
    nd->child_calls = prof_addu(nd->child_calls, u64(&r->f[RF_CHILD_CALLS]));
    nd->desc_calls = prof_addu(nd->desc_calls, u64(&r->f[RF_DESC_CALLS]));
    for (size_t k = 0; k < m->n_metrics; k++)
        nd->self[k] = prof_add(nd->self[k], self[k]);
}

static size_t entry_of(prof_model *m, const doc_rec *r, int field)
{
    return prof_model_entry(m, str(&r->f[field]), str(&r->f[RF_FILE]), line_of(r), NULL);
}

/* The thread's call tree, node by node; marks the entries it has. */
static void merge_tree(prof_model *m, const cprof_dump *d, const doc_thread *t, const dump_events *de,
                       char **has, size_t *n_has)
{
    size_t n = t->n_tree;
    size_t *map = xcalloc(n + 1, sizeof *map);   /* dump node id -> model node */
    size_t *parent = xcalloc(n + 1, sizeof *parent);
    int64_t (*self)[PROF_MAX_METRICS] = xcalloc(n + 1, sizeof *self), *oh_ns = xcalloc(n + 1, sizeof *oh_ns);
    int64_t *time = xcalloc(n + 1, sizeof *time);
    double *sub = xcalloc(n + 1, sizeof *sub);
    for (size_t i = 0; i < n; i++) {
        uint64_t pid = u64(&t->tree[i].f[RF_PARENT]);
        parent[i] = pid <= i ? pid : 0;
        node_self(m, d, &t->tree[i], de, self[i], &oh_ns[i], &sub[i]);
        time[i] = self[i][0];
    }
    unsigned char *fitted = xcalloc(n + 1, 1);
    m->fitted_paths += compensate_tree(n, parent, time, sub, fitted);
    for (size_t i = 0; i < n; i++) {
        const doc_rec *r = &t->tree[i];
        size_t ei = entry_of(m, r, RF_REGION);
        size_t ni = prof_model_node(m, map[parent[i]], ei);
        map[i + 1] = ni;
        self[i][0] = time[i];
        add_to_node(m, ni, r, self[i], oh_ns[i]);
        m->nodes[ni].fitted |= fitted[i];
        if (ei >= *n_has) {
            size_t cap = (ei + 1) * 2;
            *has = xrealloc(*has, cap);
            memset(*has + *n_has, 0, cap - *n_has);
            *n_has = cap;
        }
        (*has)[ei] = 1;
    }
    free(map);
    free(parent);
    free(self);
    free(oh_ns);
    free(time);
    free(sub);
    free(fitted);
}

/*
 * Flat figures come from the tree (model/derive.c). A region the thread's
 * tree does not have (a dump written by hand, or by another tool) is not
 * lost: it becomes a call path of its own at the top.
 */
/* What the thread counted outside every region (its totals less its
 * top-level nodes' inclusive figures: allocations before the first region,
 * a user count outside any) stays in the profile's totals, in no region:
 * the root's own figures (model/derive.c adds them to the totals). */
/* a - b held at the int64 range: totals and counts are any integers of the
 * file (signed counters, a hand-made dump), and overflow is undefined. */
static int64_t sub_held(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return b < 0 ? INT64_MAX : INT64_MIN;
    return r;
}

static void merge_outside(prof_model *m, const cprof_dump *d, const doc_thread *t, const dump_events *de)
{
    for (size_t i = 0; i < t->totals.n; i++) {
        int ev = t->totals.e[i].ev, k = de->metric_of[ev];
        if (k <= 0)
            continue;
        int64_t outside = i64(&t->totals.e[i].v);
        for (size_t n = 0; n < t->n_tree; n++) {
            const doc_rec *r = &t->tree[n];
            for (uint32_t c = 0; u64(&r->f[RF_PARENT]) == 0 && c < r->c_n; c++)
                if (d->doc.counters[r->c_first + c].ev == ev)
                    outside = sub_held(outside, i64(&d->doc.counters[r->c_first + c].incl));
        }
        if (outside > 0)
            m->nodes[0].self[k] = prof_add(m->nodes[0].self[k], outside);
    }
}

static void merge_thread(prof_model *m, const cprof_dump *d, const doc_thread *t, const dump_events *de)
{
    char *has = NULL;
    size_t n_has = 0;
    merge_tree(m, d, t, de, &has, &n_has);
    merge_outside(m, d, t, de);
    for (size_t i = 0; i < t->n_regions; i++) {
        const doc_rec *r = &t->regions[i];
        size_t ei = entry_of(m, r, RF_NAME);
        region_min_max(m, ei, r);
        if (!(ei < n_has && has[ei])) {
            int64_t self[PROF_MAX_METRICS], oh_ns;
            size_t top = 0;
            double sub;
            node_self(m, d, r, de, self, &oh_ns, &sub);
            compensate_tree(1, &top, self, &sub, NULL);
            add_to_node(m, prof_model_node(m, 0, ei), r, self, oh_ns);
        }
    }
    free(has);
}

static double map_get(const doc_map *mp, int ev)
{
    for (size_t i = 0; i < mp->n; i++)
        if (mp->e[i].ev == ev)
            return num(&mp->e[i].v);
    return 0;
}

/* Active events become metrics (in the dump's order), the others missing. */
static void dump_events_init(prof_model *m, const cprof_dump *d, int compensate_on, dump_events *de)
{
    const dump_doc *doc = &d->doc;
    memset(de, 0, sizeof *de);
    de->metric_of = xrealloc(NULL, (doc->names.n + 1) * sizeof *de->metric_of);
    for (size_t i = 0; i <= doc->names.n; i++)
        de->metric_of[i] = -1;
    de->apply = compensate_on;
    de->oh.pair[0] = d->ck.ns_per_pair;
    de->oh.inside[0] = d->ck.ns_inside;
    de->oh.untimed[0] = d->ck.ns_untimed;
    de->oh.untimed_scope[0] = d->ck.ns_untimed_scope;
    for (size_t i = 0; i < doc->n_events; i++) {
        const doc_event *e = &doc->events[i];
        const char *name = str(&e->name);
        if (e->active.type != JP_TRUE) {
            prof_model_missing(m, name, str(&e->reason));
            continue;
        }
        int k = prof_model_metric(m, name, 0);
        if (k < 0) {
            prof_model_note(m, "event %s not shown: more than %d metrics", name, PROF_MAX_METRICS);
            continue;
        }
        de->metric_of[e->name_id] = k;
        de->oh.pair[k] = map_get(&doc->oh_counters, e->name_id);
        de->oh.inside[k] = map_get(&doc->oh_inside, e->name_id);
        de->oh.untimed[k] = map_get(&doc->oh_untimed, e->name_id);
        de->oh.untimed_scope[k] = doc->oh_untimed_scope.v.type != JP_MISSING
                                  ? map_get(&doc->oh_untimed_scope, e->name_id) : de->oh.untimed[k];
    }
}

/* Threads that count nothing, one note per reason (100 000 threads with the
 * same reason are one line, not 100 000). */
typedef struct reason_count { const char *reason; size_t n; long first_tid; } reason_count;

static void note_counter_errors(prof_model *m, const cprof_dump *d, long thread)
{
    size_t n = d->doc.n_threads, first = thread >= 0 ? (size_t)thread : 0, nr = 0, cap = 0;
    size_t last = thread >= 0 ? first + 1 : n;
    reason_count *rs = NULL;
    for (size_t i = first; i < last && i < n; i++) {
        const doc_thread *t = &d->doc.threads[i];
        const char *cerr = str(&t->counter_error);
        if (!cerr)
            continue;
        size_t k = 0;
        while (k < nr && strcmp(rs[k].reason, cerr) != 0)
            k++;
        if (k == nr) {
            rs = xgrow(rs, nr, &cap, sizeof *rs);
            rs[nr++] = (reason_count){ cerr, 0, (long)u64(&t->tid) };
        }
        rs[k].n++;
    }
    long pid = cprof_dump_pid(d);
    for (size_t k = 0; k < nr; k++) {
        if (rs[k].n == 1)
            prof_model_note(m, "pid %ld thread %ld: counters not read: %s", pid, rs[k].first_tid, rs[k].reason);
        else
            prof_model_note(m, "pid %ld: %zu threads (thread %ld, ...): counters not read: %s", pid,
                            rs[k].n, rs[k].first_tid, rs[k].reason);
    }
    free(rs);
}

/* ---- where merged dumps were made ---------------------------------------- */

#define PLACES_SHOWN 3           /* names in a list; a further one adds " and more" */
static const char more[] = " and more";

/* 1 if `name` is one of the names of `list` ("a, b", maybe ending in
 * " and more": *full set then); *n_names: how many its ", " make. A name
 * may hold ", " itself (POWER's "POWER9 (raw), altivec supported"): it is
 * found whole, the list only fills sooner (and a name that is just one
 * comma-part of another is taken as listed: rare enough). */
static int place_listed(const char *list, const char *name, size_t *n_names, int *full)
{
    size_t len = strlen(list), ln = strlen(name), lm = sizeof more - 1;
    *full = len >= lm && strcmp(list + len - lm, more) == 0;
    const char *end = list + len - (*full ? lm : 0);
    *n_names = 1;
    for (const char *p = list; (p = strstr(p, ", ")) && p < end; p += 2)
        ++*n_names;
    for (const char *p = list; (p = strstr(p, name)) && p + ln <= end; p++)
        if ((p == list || (p - list >= 2 && p[-2] == ',' && p[-1] == ' ')) &&
            (p + ln == end || (p[ln] == ',' && p[ln + 1] == ' ')))
            return 1;
    return 0;
}

/*
 * The one place that says where the dumps of one model were made: *list
 * (the model's host or cpu) gets `name` unless it has it: "a", "a, b", at
 * most PLACES_SHOWN names, then "a, b, c and more" (the model keeps no
 * room to count the names left out). A dump that does not say (NULL)
 * changes nothing.
 */
static void place_add(char **list, const char *name)
{
    size_t n;
    int full;
    if (!name || (*list && (place_listed(*list, name, &n, &full) || full)))
        return;
    char *was = *list;
    *list = !was ? xstrdup(name)
          : n < PLACES_SHOWN ? xasprintf("%s, %s", was, name)
          : xasprintf("%s%s", was, more);
    free(was);
}

void cprof_dump_merge(prof_model *m, const cprof_dump *d, long thread, int compensate_on)
{
    const dump_doc *doc = &d->doc;
    if (!m->command && cprof_dump_command(d))
        m->command = xstrdup(cprof_dump_command(d));
    place_add(&m->host, cprof_dump_host(d));
    place_add(&m->cpu, cprof_dump_cpu(d));
    prof_model_metric(m, "time", 1);
    dump_events de;
    dump_events_init(m, d, compensate_on, &de);
    if (!compensate_on)
        m->raw = 1;   /* prof_derive_regions leaves one call's figures raw too */
    long pid = cprof_dump_pid(d);
    size_t n = doc->n_threads, first = thread >= 0 ? (size_t)thread : 0;
    size_t last = thread >= 0 ? first + 1 : n;   /* one thread: straight to it */
    if (thread < 0)   /* a whole process: its figures are one sample of the spread */
        prof_spread_begin(m);
    for (size_t i = first; i < last && i < n; i++) {
        const doc_thread *t = &doc->threads[i];
        merge_thread(m, d, t, &de);
        if (u64(&t->open))
            prof_model_note(m, "pid %ld thread %ld: %llu region(s) still open at the dump "
                            "(counted as incomplete calls)", pid, (long)u64(&t->tid),
                            (unsigned long long)u64(&t->open));
        if (t->open_at_exit.type == JP_INT && u64(&t->open_at_exit))
            prof_model_note(m, "pid %ld thread %ld: %llu region(s) left open when the thread ended "
                            "(closed then, as incomplete calls)", pid, (long)u64(&t->tid),
                            (unsigned long long)u64(&t->open_at_exit));
    }
    prof_spread_end(m);
    note_counter_errors(m, d, thread);
    if (doc->errors_v.type == JP_OBJECT && thread < 0) {
        if (u64(&doc->unbalanced))
            prof_model_note(m, "pid %ld: %llu unbalanced exit(s) repaired by the runtime", pid,
                            (unsigned long long)u64(&doc->unbalanced));
        if (u64(&doc->dropped))
            prof_model_note(m, "pid %ld: %llu call(s) not recorded (out of memory)", pid,
                            (unsigned long long)u64(&doc->dropped));
    }
    if (d->warning)
        prof_model_note(m, "%s", d->warning);
    if (d->ignored)
        prof_model_note(m, "%s", d->ignored);
    free(de.metric_of);
}

int read_cprof_dump_ex(prof_model *m, const char *path, int compensate, char *err, size_t errlen)
{
    cprof_dump *d = cprof_dump_load(path, err, errlen);
    if (!d)
        return -1;
    cprof_dump_merge(m, d, -1, compensate);
    cprof_dump_free(d);
    prof_derive_regions(m);
    return 0;
}

int read_cprof_dump(prof_model *m, const char *path, char *err, size_t errlen)
{
    return read_cprof_dump_ex(m, path, 1, err, errlen);
}
