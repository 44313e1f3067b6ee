/*
 * callgrind.c: the streaming parser of callgrind's output format (which
 * cachegrind's is a subset of), see valgrind's docs/cl-format.html. One pass,
 * one line in memory at a time; what it keeps is per distinct function, call
 * edge and name. Functions are keyed (name, file, object) like
 * callgrind_annotate (file:function), with fi=/fe= inlined code charged to
 * the function around it.
 *
 * Inclusive cost follows callgrind_annotate --inclusive=yes: a function that
 * is called has the sum of the inclusive costs on the calls= lines into it,
 * a function never called has its self cost plus the calls it makes. Calls
 * into a deeper recursion level (fib'2) and a function's calls to itself are
 * already inside the outer call's cost, so they are not added again; for
 * the same reason an edge's inclusive cost counts only its calls into level 1
 * (its call count counts every call).
 */
#include "readers/vgparse.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uthash.h>

#include "readers/readers.h"
#include "sys/xalloc.h"
#include "readers/linereader.h"
#include "readers/strtab.h"

#define NM PROF_MAX_METRICS
#define MAX_POS 3

typedef struct fkey {
    int name, file, obj;   /* strtab ids; -1 = none */
} fkey;

#define VG_MAX_FILES 8   /* per function; more inlined files are not told apart */

typedef struct vfunc {
    fkey key;
    UT_hash_handle hh;
    int line;              /* first line of the function in its own file */
    int called;            /* called (level 1) from another function */
    uint64_t calls;
    size_t midx;           /* model entry, at the end */
    uint64_t self[NM], callin[NM], outcalls[NM];
    /* the source files of its code (fl=, and fi=/fe= for inlined code) with
     * the first event's cost and first line there: a crate's function whose
     * entry is inlined library code is still the crate's (--only-crate) */
    struct { int file, line; uint64_t cost; } files[VG_MAX_FILES];
    int n_files;
} vfunc;

typedef struct ekey {
    vfunc *caller, *callee;
} ekey;

typedef struct vedge {
    ekey key;
    UT_hash_handle hh;
    uint64_t calls;
    uint64_t incl[NM];
} vedge;

typedef struct parser {
    const char *path;
    vg_tool tool;
    char *err;
    size_t errlen;
    line_reader lr;
    strtab names;
    idmap ob_ids, fl_ids, fn_ids;
    int *norm, *level;     /* per raw fn-name strtab id: display name id, recursion level */
    size_t normcap;
    vfunc *funcs;
    vedge *edges;

    /* metrics of this file, in first-seen order across parts */
    int n_metrics;
    char *metrics[NM];
    uint64_t totals[NM];

    /* the current part */
    int n_ev, ev_map[NM], have_events, in_body;
    int npos, line_col;
    uint64_t prev[MAX_POS];
    uint64_t part_self[NM], summary[NM], ptotals[NM];
    int has_summary, has_totals;
    char *cmd;

    /* the current position */
    int cur_ob, cur_file;
    vfunc *cur_fn;
    int c_ob, c_file;      /* cob=/cfi= for the next cfn= only */
    vfunc *callee;
    int callee_level;
    int pending_call;
    uint64_t call_count;
    int noted_unknown;
    int callgrind_marks;   /* saw "# callgrind format", version:, creator:, positions: or calls= */
    int by_callgrind;      /* creator: callgrind-...: valgrind wrote it, so each part ends in totals: */
} parser;

static int fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(parser *p, const char *fmt, ...)
{
    int n = snprintf(p->err, p->errlen, "%s:%lu: ", p->path, p->lr.lineno);
    if (n < 0 || (size_t)n >= p->errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static int oom(parser *p)
{
    return fail(p, "out of memory");
}

/* ---- names ---- */

size_t vg_function_name(const char *s, size_t len, int *level)
{
    *level = 1;
    /* callgrind appends "'N" (recursion level, --separate-recs) and "'caller"
     * (--separate-callers) at the top level of the name; a quote inside
     * <...> or after '&' is a Rust lifetime ("&'static str") and stays. */
    const char *q = NULL;
    int depth = 0;
    for (size_t i = 0; i < len && !q; i++) {
        char c = s[i];
        if (c == '<')
            depth++;
        else if (c == '>' && depth > 0)
            depth--;
        else if (c == '\'' && depth == 0 && i > 0 && s[i - 1] != '&' && s[i - 1] != ' ')
            q = s + i;
    }
    if (q) {
        const char *seg = q + 1, *end = s + len;
        while (seg <= end) {
            const char *next = memchr(seg, '\'', (size_t)(end - seg));
            if (!next)
                next = end;
            int digits = next > seg, v = 0;
            for (const char *c = seg; c < next; c++) {
                if (!isdigit((unsigned char)*c)) {
                    digits = 0;
                    break;
                }
                if (v < 1000000)
                    v = v * 10 + (*c - '0');
            }
            if (digits && v >= 2)
                *level = v;
            seg = next + 1;
        }
        len = (size_t)(q - s);
    }
    /* Rust legacy mangling keeps a hash: "crate::f::h0123456789abcdef" */
    if (len > 19 && memcmp(s + len - 19, "::h", 3) == 0) {
        int hex = 1;
        for (size_t i = len - 16; i < len; i++)
            if (!isxdigit((unsigned char)s[i]))
                hex = 0;
        if (hex)
            len -= 19;
    }
    return len;
}

/* Display-name id and recursion level of a raw function-name id. */
static int fn_norm(parser *p, int sid, int *level)
{
    if ((size_t)sid >= p->normcap) {
        size_t cap = p->normcap ? p->normcap : 256;
        while (cap <= (size_t)sid)
            cap *= 2;
        int *n = realloc(p->norm, cap * sizeof *n);
        if (!n)
            return -1;
        p->norm = n;
        int *l = realloc(p->level, cap * sizeof *l);
        if (!l)
            return -1;
        p->level = l;
        for (size_t i = p->normcap; i < cap; i++)
            p->norm[i] = -1;
        p->normcap = cap;
    }
    if (p->norm[sid] < 0) {
        const char *raw = strtab_get(&p->names, sid);
        int lv;
        size_t n = vg_function_name(raw, strlen(raw), &lv);
        int id = strtab_intern(&p->names, raw, n);
        if (id < 0)
            return -1;
        p->norm[sid] = id;
        p->level[sid] = lv;
    }
    *level = p->level[sid];
    return p->norm[sid];
}

/*
 * The strtab id of a position name: "name", "(id) name" (defines id) or
 * "(id)" (refers to it). -1 after fail().
 */
static int resolve_name(parser *p, idmap *ids, const char *key, const char *v)
{
    if (v[0] == '(' && isdigit((unsigned char)v[1])) {
        char *end;
        errno = 0;
        unsigned long id = strtoul(v + 1, &end, 10);
        if (*end != ')' || errno)
            return fail(p, "%s=: expected \"(id)\" or \"(id) name\"", key);
        const char *rest = end + 1;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        if (*rest == '\0') {
            int sid = idmap_get(ids, id);
            if (sid < 0)
                return fail(p, "%s=(%lu) refers to a name id never defined", key, id);
            return sid;
        }
        int sid = strtab_intern(&p->names, rest, strlen(rest));
        if (sid < 0)
            return oom(p);
        if (idmap_set(ids, id, sid) < 0)
            return fail(p, "%s=(%lu): name id too large (max %d)", key, id, IDMAP_MAX_ID - 1);
        return sid;
    }
    int sid = strtab_intern(&p->names, v, strlen(v));
    return sid < 0 ? oom(p) : sid;
}

static vfunc *get_func(parser *p, int name, int file, int obj)
{
    fkey k;
    memset(&k, 0, sizeof k);
    k.name = name;
    k.file = file;
    k.obj = p->tool == VG_CACHEGRIND ? -1 : obj;
    vfunc *f;
    HASH_FIND(hh, p->funcs, &k, sizeof k, f);
    if (f)
        return f;
    f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->key = k;
    HASH_ADD(hh, p->funcs, key, sizeof k, f);
    return f;
}

static vedge *get_edge(parser *p, vfunc *caller, vfunc *callee)
{
    ekey k;
    memset(&k, 0, sizeof k);
    k.caller = caller;
    k.callee = callee;
    vedge *e;
    HASH_FIND(hh, p->edges, &k, sizeof k, e);
    if (e)
        return e;
    e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->key = k;
    HASH_ADD(hh, p->edges, key, sizeof k, e);
    return e;
}

/* ---- numbers ---- */

static int is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\0';
}

/* Decimal or 0x hex. 0, or -1 (no digits / overflow). */
static int parse_num(const char **sp, uint64_t *out)
{
    const char *s = *sp;
    uint64_t v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        const char *start = s;
        for (; isxdigit((unsigned char)*s); s++) {
            if (v >> 60)
                return -1;
            int d = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
            v = v << 4 | (uint64_t)d;
        }
        if (s == start)
            return -1;
    } else {
        const char *start = s;
        for (; *s >= '0' && *s <= '9'; s++) {
            unsigned d = (unsigned)(*s - '0');
            if (v > (UINT64_MAX - d) / 10)
                return -1;
            v = v * 10 + d;
        }
        if (s == start)
            return -1;
    }
    *out = v;
    *sp = s;
    return 0;
}

/* ---- parts ---- */

static int local_metric(parser *p, const char *name, size_t len)
{
    for (int i = 0; i < p->n_metrics; i++)
        if (strlen(p->metrics[i]) == len && memcmp(p->metrics[i], name, len) == 0)
            return i;
    if (p->n_metrics == NM)
        return -1;
    char *s = strndup(name, len);
    if (!s)
        return -1;
    p->metrics[p->n_metrics] = s;
    return p->n_metrics++;
}

/* Close the current part: its totals are summary:, else totals:, else the
 * sum of its cost lines (callgrind_annotate's order). */
static void end_part(parser *p)
{
    const uint64_t *src = p->part_self;
    int nonzero = 0;
    for (int k = 0; k < p->n_ev; k++)
        nonzero |= p->summary[p->ev_map[k]] != 0;
    if (p->has_summary && nonzero) {
        src = p->summary;
    } else {
        nonzero = 0;
        for (int k = 0; k < p->n_ev; k++)
            nonzero |= p->ptotals[p->ev_map[k]] != 0;
        if (p->has_totals && nonzero)
            src = p->ptotals;
    }
    for (int i = 0; i < NM; i++)
        p->totals[i] += src[i];
    memset(p->part_self, 0, sizeof p->part_self);
    memset(p->summary, 0, sizeof p->summary);
    memset(p->ptotals, 0, sizeof p->ptotals);
    p->has_summary = p->has_totals = 0;
    p->in_body = 0;
}

static int parse_costs(parser *p, const char *s, uint64_t *dst, const char *what)
{
    int k = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            return 0;
        if (k >= p->n_ev)
            return fail(p, "%s: more costs than the %d event(s) of the events: line", what, p->n_ev);
        uint64_t v;
        if (parse_num(&s, &v) < 0 || !is_sep(*s))
            return fail(p, "%s: expected a cost (a number below 2^64)", what);
        dst[p->ev_map[k++]] += v;
    }
}

static int header_line(parser *p, const char *key, size_t klen, const char *v)
{
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(key, s, klen) == 0)
    while (*v == ' ' || *v == '\t')
        v++;
    if (KEY("totals") || KEY("summary")) {
        if (!p->have_events)
            return fail(p, "%.*s: before the events: line", (int)klen, key);
        int t = KEY("totals");
        if (t)
            p->has_totals = 1;
        else
            p->has_summary = 1;
        return parse_costs(p, v, t ? p->ptotals : p->summary, t ? "totals:" : "summary:");
    }
    if (p->in_body)
        end_part(p);  /* a header line after cost lines starts the next part */
    if (KEY("version") || KEY("creator") || KEY("positions"))
        p->callgrind_marks = 1;
    if (KEY("creator") && strncmp(v, "callgrind-", 10) == 0)
        p->by_callgrind = 1;
    if (KEY("version")) {
        if (atoi(v) > 1)
            return fail(p, "version: %s is not supported (this reader knows version 1)", v);
    } else if (KEY("events")) {
        p->n_ev = 0;
        const char *s = v;
        while (*s) {
            const char *e = s;
            while (*e && *e != ' ' && *e != '\t')
                e++;
            if (p->n_ev == NM)
                return fail(p, "events: more than %d events", NM);
            int mi = local_metric(p, s, (size_t)(e - s));
            if (mi < 0)
                return fail(p, "events: more than %d distinct events in the file", NM);
            for (int k = 0; k < p->n_ev; k++)
                if (p->ev_map[k] == mi)
                    return fail(p, "events: %s given twice", p->metrics[mi]);
            p->ev_map[p->n_ev++] = mi;
            for (s = e; *s == ' ' || *s == '\t'; s++)
                ;
        }
        if (p->n_ev == 0)
            return fail(p, "events: expected at least one event name");
        p->have_events = 1;
    } else if (KEY("positions")) {
        p->npos = 0;
        p->line_col = -1;
        const char *s = v;
        while (*s) {
            const char *e = s;
            while (*e && *e != ' ' && *e != '\t')
                e++;
            size_t n = (size_t)(e - s);
            if (!((n == 4 && !memcmp(s, "line", 4)) || (n == 5 && !memcmp(s, "instr", 5)) ||
                  (n == 2 && !memcmp(s, "bb", 2))) || p->npos == MAX_POS)
                return fail(p, "positions: expected \"instr\", \"bb\" and/or \"line\"");
            if (n == 4)
                p->line_col = p->npos;
            p->npos++;
            for (s = e; *s == ' ' || *s == '\t'; s++)
                ;
        }
        if (p->npos == 0)
            return fail(p, "positions: expected \"instr\", \"bb\" and/or \"line\"");
        memset(p->prev, 0, sizeof p->prev);
    } else if (KEY("cmd")) {
        if (!p->cmd)
            p->cmd = strdup(v);
    }
    /* creator:, pid:, thread:, part:, desc:, event: and unknown keys carry
     * nothing the model shows. */
    return 0;
#undef KEY
}

/* ---- body ---- */

/* The cost of a function's code in one of its files (the last one first:
 * cost lines come in runs of one file). */
static void note_file(vfunc *f, int file, uint64_t line, uint64_t cost)
{
    int i = f->n_files - 1;
    if (i < 0 || f->files[i].file != file)
        for (i = 0; i < f->n_files && f->files[i].file != file; i++)
            ;
    if (i == f->n_files) {
        if (f->n_files == VG_MAX_FILES)
            return;
        f->files[i].file = file;
        f->files[i].line = line > 0 && line <= INT32_MAX ? (int)line : 0;
        f->files[i].cost = 0;
        f->n_files++;
    }
    f->files[i].cost += cost;
}

static int cost_line(parser *p, const char *s)
{
    if (!p->have_events)
        return fail(p, "cost line before the events: line");
    if (!p->cur_fn)
        return fail(p, "cost line before any fn= line");
    p->in_body = 1;
    for (int i = 0; i < p->npos; i++) {
        uint64_t v, prev = p->prev[i];
        if (*s == '*') {
            s++;
            v = prev;
        } else if (*s == '+' || *s == '-') {
            char sign = *s++;
            if (parse_num(&s, &v) < 0)
                return fail(p, "expected a position: a number, +N, -N or *");
            v = sign == '+' ? prev + v : prev - v;
        } else if (parse_num(&s, &v) < 0) {
            return fail(p, "expected a position: a number, +N, -N or *");
        }
        if (!is_sep(*s))
            return fail(p, "expected a position: a number, +N, -N or *");
        p->prev[i] = v;
        while (*s == ' ' || *s == '\t')
            s++;
    }
    uint64_t c[NM];
    memset(c, 0, sizeof c);
    if (parse_costs(p, s, c, "cost line") < 0)
        return -1;
    vfunc *f = p->cur_fn;
    if (p->pending_call) {
        /* the inclusive cost of the calls on the line before */
        vfunc *t = p->callee;
        vedge *e = get_edge(p, f, t);
        if (!e)
            return oom(p);
        e->calls += p->call_count;
        t->calls += p->call_count;
        int self_call = f == t, into = !self_call && p->callee_level == 1;
        if (into)
            t->called = 1;
        for (int k = 0; k < p->n_ev; k++) {
            int mi = p->ev_map[k];
            if (into)
                e->incl[mi] += c[mi];
            if (!self_call)
                f->outcalls[mi] += c[mi];
            if (into)
                t->callin[mi] += c[mi];
        }
        p->pending_call = 0;
        return 0;
    }
    for (int k = 0; k < p->n_ev; k++) {
        int mi = p->ev_map[k];
        f->self[mi] += c[mi];
        p->part_self[mi] += c[mi];
    }
    if (p->tool == VG_CALLGRIND && p->n_ev > 0 && p->cur_file >= 0)
        note_file(f, p->cur_file, p->line_col >= 0 ? p->prev[p->line_col] : 0, c[p->ev_map[0]]);
    if (p->line_col >= 0 && p->cur_file == f->key.file) {
        uint64_t ln = p->prev[p->line_col];
        /* the first cost line in its own file is its entry: the `fn` line
         * (the smallest line can be a #[derive] or an inlined helper above it) */
        if (ln > 0 && ln <= INT32_MAX && f->line == 0)
            f->line = (int)ln;
    }
    return 0;
}

static int spec_line(parser *p, const char *key, size_t klen, const char *v)
{
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(key, s, klen) == 0)
    char kb[8];
    snprintf(kb, sizeof kb, "%.*s", (int)(klen < 7 ? klen : 7), key);
    if (KEY("calls")) {
        if (!p->callee)
            return fail(p, "calls= without a cfn= line before it");
        const char *s = v;
        while (*s == ' ' || *s == '\t')
            s++;
        if (parse_num(&s, &p->call_count) < 0 || !is_sep(*s))
            return fail(p, "calls=: expected a call count and a target position");
        p->pending_call = 1;
        p->in_body = 1;
        p->callgrind_marks = 1;
        return 0;
    }
    if (KEY("jump") || KEY("jcnd"))
        return 0;  /* jump counts are not shown */
    int sid;
    if (KEY("ob") || KEY("cob")) {
        if ((sid = resolve_name(p, &p->ob_ids, kb, v)) < 0)
            return -1;
        if (KEY("ob"))
            p->cur_ob = sid;
        else
            p->c_ob = sid;
    } else if (KEY("fl") || KEY("fi") || KEY("fe") || KEY("cfi") || KEY("cfl") || KEY("jfi")) {
        if ((sid = resolve_name(p, &p->fl_ids, kb, v)) < 0)
            return -1;
        if (key[0] == 'c')
            p->c_file = sid;
        else if (key[0] != 'j')
            p->cur_file = sid;
    } else if (KEY("fn") || KEY("cfn") || KEY("jfn")) {
        if (v[strspn(v, " \t")] == '\0')
            return fail(p, "%s=: expected a function name or \"(id)\"", kb);
        if ((sid = resolve_name(p, &p->fn_ids, kb, v)) < 0)
            return -1;
        if (key[0] == 'j')
            return 0;
        int level, name = fn_norm(p, sid, &level);
        if (name < 0)
            return oom(p);
        if (key[0] == 'f') {
            p->cur_fn = get_func(p, name, p->cur_file, p->cur_ob);
            if (!p->cur_fn)
                return oom(p);
        } else {
            p->callee = get_func(p, name, p->c_file >= 0 ? p->c_file : p->cur_file,
                                 p->c_ob >= 0 ? p->c_ob : p->cur_ob);
            if (!p->callee)
                return oom(p);
            p->callee_level = level;
            p->c_file = p->c_ob = -1;
        }
    } else if (!p->noted_unknown) {
        p->noted_unknown = 1;  /* a newer format's line: skip it, say so once */
        return 1;
    }
    return 0;
#undef KEY
}

static int parse_line(parser *p, char *s)
{
    char c = s[0];
    if (c == '#' && strncmp(s, "# callgrind format", 18) == 0)
        p->callgrind_marks = 1;
    if (c == '\0' || c == '#')
        return 0;
    if (p->pending_call && !(isdigit((unsigned char)c) || c == '+' || c == '-' || c == '*'))
        return fail(p, "expected the cost line of the calls= line before it");
    if (isdigit((unsigned char)c) || c == '+' || c == '-' || c == '*')
        return cost_line(p, s);
    size_t k = 0;
    while (isalpha((unsigned char)s[k]))
        k++;
    if (k > 0 && s[k] == '=')
        return spec_line(p, s, k, s + k + 1);
    if (k > 0 && s[k] == ':')
        return header_line(p, s, k, s + k + 1);
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    if (s[i] == '\0')
        return 0;
    return fail(p, "expected a cost line, \"key=value\" or \"key: value\"");
}

/* ---- into the model ---- */

/* valgrind's costs are unsigned; the model's signed: held at INT64_MAX. */
static int64_t sat_i64(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static int merge_into(parser *p, prof_model *m)
{
    /* A cachegrind file handed to the callgrind reader: it has no calls, so
     * no inclusive cost either; say what it is. */
    if (p->tool == VG_CALLGRIND && !p->callgrind_marks) {
        p->tool = VG_CACHEGRIND;
        if (m->kind == PROF_CALLGRIND && m->n_entries == 0) {
            char *t = strdup("cachegrind");
            if (t) {
                free(m->tool);
                m->tool = t;
                m->kind = PROF_CACHEGRIND;
            }
        }
    }
    int mm[NM];
    for (int i = 0; i < p->n_metrics; i++) {
        if ((mm[i] = prof_model_metric(m, p->metrics[i], 0)) < 0) {
            snprintf(p->err, p->errlen, "%s: event %s is one too many (at most %d events)",
                     p->path, p->metrics[i], NM);
            return -1;
        }
    }
    /* cachegrind names a function once per source file of the code inlined
     * into it: one row per function, its files and their costs kept with it
     * (prof_entry_file) */
    int by_name = p->tool == VG_CACHEGRIND;
    for (vfunc *f = p->funcs; f; f = f->hh.next) {
        const char *file = f->key.file >= 0 ? strtab_get(&p->names, f->key.file) : NULL;
        const char *obj = f->key.obj >= 0 ? strtab_get(&p->names, f->key.obj) : NULL;
        /* line 0 in the key: the same function in several files (threads)
         * is one entry even if its first line differs */
        f->midx = prof_model_entry(m, strtab_get(&p->names, f->key.name), by_name ? NULL : file, 0, obj);
        if (by_name && file)
            prof_entry_file(m, f->midx, file, f->line, p->n_metrics ? sat_i64(f->self[0]) : 0, 1);
        for (int i = 0; i < f->n_files; i++)   /* callgrind: shown at its fl= file, as annotate does */
            prof_entry_file(m, f->midx, strtab_get(&p->names, f->files[i].file), f->files[i].line,
                            sat_i64(f->files[i].cost), 0);
        prof_entry *e = &m->entries[f->midx];
        e->has_incl = p->tool == VG_CALLGRIND;
        e->calls += f->calls;
        if (!by_name && f->line > 0 && (e->line == 0 || f->line < e->line))
            e->line = f->line;
        for (int i = 0; i < p->n_metrics; i++) {
            e->self[mm[i]] = prof_add(e->self[mm[i]], sat_i64(f->self[i]));
            e->incl[mm[i]] = prof_add(e->incl[mm[i]], sat_i64(f->called ? f->callin[i] : f->self[i] + f->outcalls[i]));
        }
    }
    for (vedge *e = p->edges; e; e = e->hh.next) {
        size_t ei = prof_model_edge(m, e->key.caller->midx, e->key.callee->midx);
        prof_edge *me = &m->edges[ei];
        me->calls += e->calls;
        for (int i = 0; i < p->n_metrics; i++)
            me->incl[mm[i]] = prof_add(me->incl[mm[i]], sat_i64(e->incl[i]));
    }
    for (int i = 0; i < p->n_metrics; i++)
        m->totals[mm[i]] = prof_add(m->totals[mm[i]], sat_i64(p->totals[i]));
    if (!m->command && p->cmd)
        m->command = xstrdup_text(p->cmd);
    return 0;
}

static void parser_free(parser *p)
{
    vfunc *f, *ft;
    HASH_ITER(hh, p->funcs, f, ft) {
        HASH_DEL(p->funcs, f);
        free(f);
    }
    vedge *e, *et;
    HASH_ITER(hh, p->edges, e, et) {
        HASH_DEL(p->edges, e);
        free(e);
    }
    for (int i = 0; i < p->n_metrics; i++)
        free(p->metrics[i]);
    free(p->norm);
    free(p->level);
    free(p->cmd);
    idmap_free(&p->ob_ids);
    idmap_free(&p->fl_ids);
    idmap_free(&p->fn_ids);
    strtab_free(&p->names);
    lr_free(&p->lr);
}

int vg_read_stream(prof_model *m, FILE *f, const char *path, vg_tool tool,
                   char *err, size_t errlen)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.path = path;
    p.tool = tool;
    p.err = err;
    p.errlen = errlen;
    p.npos = 1;
    p.line_col = 0;
    p.cur_ob = p.cur_file = p.c_ob = p.c_file = -1;
    strtab_init(&p.names);
    if (lr_init(&p.lr, f) < 0) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    int rc = 0, lines = 0, truncated = 0;
    unsigned long unknown_line = 0;
    char *line;
    size_t len;
    for (;;) {
        int r = lr_next(&p.lr, &line, &len);
        if (r == 0)
            break;
        if (r < 0) {
            if (errno == EOVERFLOW)
                rc = fail(&p, "line longer than %u bytes", LINE_MAX_BYTES);
            else
                rc = fail(&p, "read error: %s", strerror(errno));
            break;
        }
        if (memchr(line, '\0', len)) {
            rc = fail(&p, "NUL byte in a text line (not a valgrind output file?)");
            break;
        }
        if (p.lr.unterminated && lines > 0) {
            truncated = 1;  /* the writer was cut off mid-line: drop the tail */
            break;
        }
        lines++;
        int pr = parse_line(&p, line);
        if (pr < 0) {
            rc = -1;
            break;
        }
        if (pr == 1)
            unknown_line = p.lr.lineno;
    }
    if (rc == 0 && lines == 0)
        rc = (snprintf(err, errlen, "%s: empty file (expected a valgrind output file)", path), -1);
    else if (rc == 0 && !p.have_events)
        rc = fail(&p, "end of file before the events: line (not a valgrind output file?)");
    if (rc == 0) {
        /* Cut at a line boundary: valgrind ends every callgrind part with
         * totals: and a cachegrind file with summary: (cg_annotate refuses
         * a file without it), so a last part without it means the writer
         * stopped early, however early. Hand-written callgrind files (no
         * "creator: callgrind-") may omit totals:. */
        int cachegrind = p.tool == VG_CACHEGRIND || !p.callgrind_marks;
        if (p.pending_call || (p.by_callgrind && !p.has_totals) || (cachegrind && !p.has_summary))
            truncated = 1;
        end_part(&p);
        rc = merge_into(&p, m);
        if (rc == 0 && truncated)
            prof_model_note(m, "warning: %s is truncated at line %lu; shown: what parsed before it",
                            path, p.lr.lineno);
        if (rc == 0 && unknown_line)
            prof_model_note(m, "warning: %s:%lu: unknown line kind ignored", path, unknown_line);
    }
    parser_free(&p);
    return rc;
}

int vg_read_path(prof_model *m, const char *path, vg_tool tool, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    int rc = vg_read_stream(m, f, path, tool, err, errlen);
    fclose(f);
    return rc;
}

int read_callgrind(prof_model *m, const char *path, char *err, size_t errlen)
{
    /* call paths are computed once, after every file is merged, and only for
     * the views that draw them (present.c) */
    return vg_read_path(m, path, VG_CALLGRIND, err, errlen) < 0 ? -1 : 0;
}
