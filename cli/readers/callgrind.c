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

#include "readers/readers.h"
#include "sys/xalloc.h"
#include "readers/linereader.h"
#include "readers/strtab.h"
#include "readers/vgtable.h"

#define NM PROF_MAX_METRICS
#define MAX_POS 3
#define NONE ((size_t)-1)

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
    vg_table t;            /* functions, edges, their costs */

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
    size_t cur_fn;         /* index into t.fn, or NONE */
    int c_ob, c_file;      /* cob=/cfi= for the next cfn= only */
    size_t callee;
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
        p->norm = xrealloc(p->norm, cap * sizeof *p->norm);
        p->level = xrealloc(p->level, cap * sizeof *p->level);
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
static int resolve_name(parser *p, idmap *ids, const char *key, int klen, const char *v)
{
    if (v[0] == '(' && isdigit((unsigned char)v[1])) {
        char *end;
        errno = 0;
        unsigned long id = strtoul(v + 1, &end, 10);
        if (*end != ')' || errno)
            return fail(p, "%.*s=: expected \"(id)\" or \"(id) name\"", klen, key);
        const char *rest = end + 1;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        if (*rest == '\0') {
            int sid = idmap_get(ids, id);
            if (sid < 0)
                return fail(p, "%.*s=(%lu) refers to a name id never defined", klen, key, id);
            return sid;
        }
        int sid = strtab_intern(&p->names, rest, strlen(rest));
        if (sid < 0)
            return oom(p);
        if (idmap_set(ids, id, sid) < 0)
            return fail(p, "%.*s=(%lu): name id too large (max %d)", klen, key, id, IDMAP_MAX_ID - 1);
        return sid;
    }
    int sid = strtab_intern(&p->names, v, strlen(v));
    return sid < 0 ? oom(p) : sid;
}

/* ---- numbers ---- */

static int is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\0';
}

static int parse_hex(const char **sp, uint64_t *out)
{
    const char *s = *sp + 2, *start = s;
    uint64_t v = 0;
    for (; isxdigit((unsigned char)*s); s++) {
        if (v >> 60)
            return -1;
        int d = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
        v = v << 4 | (uint64_t)d;
    }
    if (s == start)
        return -1;
    *out = v;
    *sp = s;
    return 0;
}

/* A decimal number of more than 19 digits: below 2^64, or -1. */
static __attribute__((cold, noinline)) int parse_long(const char **sp, uint64_t *out)
{
    const char *s = *sp;
    uint64_t v = 0;
    for (; (unsigned)(*s - '0') < 10; s++)
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
            return -1;
    *out = v;
    *sp = s;
    return 0;
}

/* Decimal or 0x hex. 0, or -1 (no digits / overflow). Every number of
 * the file goes through here: 19 digits cannot overflow, so only longer
 * numbers are read again, checked. */
static inline int parse_num(const char **sp, uint64_t *out)
{
    const char *s = *sp, *d = s + 1;
    unsigned c = (unsigned)(*s - '0');
    if (c > 9)
        return -1;
    if (c == 0 && (s[1] | 0x20) == 'x')
        return parse_hex(sp, out);
    uint64_t v = c;
    for (; (c = (unsigned)(*d - '0')) < 10; d++)
        v = v * 10 + c;
    if (d - s > 19)
        return parse_long(sp, out);
    *out = v;
    *sp = d;
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
    vgt_events(&p->t, (size_t)p->n_metrics + 1);
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

/* The costs of a line in the order of the events: line, into v: how many
 * (the events after them cost 0 there), or -1 after fail(). */
static __attribute__((cold, noinline)) int bad_cost(parser *p, const char *what, int more)
{
    if (more)
        return fail(p, "%s: more costs than the %d event(s) of the events: line", what, p->n_ev);
    return fail(p, "%s: expected a cost (a number below 2^64)", what);
}

static inline __attribute__((always_inline)) int parse_costs(parser *p, const char *s, uint64_t *v, const char *what)
{
    int k = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            return k;
        if (k >= p->n_ev)
            return bad_cost(p, what, 1);
        if (parse_num(&s, &v[k++]) < 0 || !is_sep(*s))
            return bad_cost(p, what, 0);
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
        uint64_t c[NM], *dst = t ? p->ptotals : p->summary;
        int n = parse_costs(p, v, c, t ? "totals:" : "summary:");
        for (int k = 0; k < n; k++)
            dst[p->ev_map[k]] += c[k];
        return n < 0 ? -1 : 0;
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

/* The positions of a cost line (instr, bb and/or line; absolute, +N, -N
 * or * relative to the line before), into p->prev; *sp moves past them. */
static int parse_positions(parser *p, const char **sp)
{
    const char *s = *sp;
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
        if (*s)   /* a blank: the next position or the costs after it */
            for (s++; *s == ' ' || *s == '\t'; s++)
                ;
    }
    *sp = s;
    return 0;
}

/* The cost line after calls=: the inclusive cost of those calls (c: n
 * costs in the order of the events: line). */
static void call_cost(parser *p, const uint64_t *c, int n)
{
    vg_table *t = &p->t;
    size_t f = p->cur_fn, callee = p->callee, ei = vgt_edge(t, f, callee);
    t->edge[ei].calls += p->call_count;
    t->fn[callee].calls += p->call_count;
    int self_call = f == callee, into = !self_call && p->callee_level == 1;
    if (into)
        t->fn[callee].called = 1;
    uint64_t *incl = vgt_incl(t, ei), *out = vgt_outcalls(t, f), *in = vgt_callin(t, callee);
    for (int k = 0; k < n; k++) {
        int mi = p->ev_map[k];
        if (into)
            incl[mi] += c[k];
        if (!self_call)
            out[mi] += c[k];
        if (into)
            in[mi] += c[k];
    }
    p->pending_call = 0;
}

static void self_cost(parser *p, const uint64_t *c, int n)
{
    vg_table *t = &p->t;
    size_t f = p->cur_fn;
    uint64_t *self = vgt_self(t, f);
    for (int k = 0; k < n; k++) {
        int mi = p->ev_map[k];
        self[mi] += c[k];
        p->part_self[mi] += c[k];
    }
    if (p->tool == VG_CALLGRIND && p->n_ev > 0 && p->cur_file >= 0)
        vgt_src(t, f, p->cur_file, p->line_col >= 0 ? p->prev[p->line_col] : 0, n > 0 ? c[0] : 0);
    vg_func *fn = &t->fn[f];
    if (p->line_col >= 0 && p->cur_file == fn->file) {
        uint64_t ln = p->prev[p->line_col];
        /* the first cost line in its own file is its entry: the `fn` line
         * (the smallest line can be a #[derive] or an inlined helper above it) */
        if (ln > 0 && ln <= INT32_MAX && fn->line == 0)
            fn->line = (int)ln;
    }
}

static int cost_line(parser *p, const char *s)
{
    if (!p->have_events)
        return fail(p, "cost line before the events: line");
    if (p->cur_fn == NONE)
        return fail(p, "cost line before any fn= line");
    p->in_body = 1;
    if (parse_positions(p, &s) < 0)
        return -1;
    uint64_t c[NM];
    int n = parse_costs(p, s, c, "cost line");
    if (n < 0)
        return -1;
    if (p->pending_call)
        call_cost(p, c, n);
    else
        self_cost(p, c, n);
    return 0;
}

/* fn=, cfn=, jfn=: the current function, or the callee of the next calls=. */
static int fn_line(parser *p, const char *key, int klen, const char *v)
{
    if (v[strspn(v, " \t")] == '\0')
        return fail(p, "%.*s=: expected a function name or \"(id)\"", klen, key);
    int sid = resolve_name(p, &p->fn_ids, key, klen, v);
    if (sid < 0)
        return -1;
    if (key[0] == 'j')
        return 0;
    int level, name = fn_norm(p, sid, &level);
    if (name < 0)
        return oom(p);
    if (key[0] == 'f') {
        p->cur_fn = vgt_func(&p->t, name, p->cur_file, p->tool == VG_CACHEGRIND ? -1 : p->cur_ob);
    } else {
        int ob = p->c_ob >= 0 ? p->c_ob : p->cur_ob;
        p->callee = vgt_func(&p->t, name, p->c_file >= 0 ? p->c_file : p->cur_file,
                             p->tool == VG_CACHEGRIND ? -1 : ob);
        p->callee_level = level;
        p->c_file = p->c_ob = -1;
    }
    return 0;
}

static int spec_line(parser *p, const char *key, size_t klen, const char *v)
{
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(key, s, klen) == 0)
    int kl = (int)klen, sid;
    if (KEY("calls")) {
        if (p->callee == NONE)
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
    if (KEY("fn") || KEY("cfn") || KEY("jfn"))
        return fn_line(p, key, kl, v);
    if (KEY("ob") || KEY("cob")) {
        if ((sid = resolve_name(p, &p->ob_ids, key, kl, v)) < 0)
            return -1;
        if (KEY("ob"))
            p->cur_ob = sid;
        else
            p->c_ob = sid;
    } else if (KEY("fl") || KEY("fi") || KEY("fe") || KEY("cfi") || KEY("cfl") || KEY("jfi")) {
        if ((sid = resolve_name(p, &p->fl_ids, key, kl, v)) < 0)
            return -1;
        if (key[0] == 'c')
            p->c_file = sid;
        else if (key[0] != 'j')
            p->cur_file = sid;
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
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '*')
        return cost_line(p, s);
    if (p->pending_call)
        return fail(p, "expected the cost line of the calls= line before it");
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

static int merge_into(parser *p, prof_model *m)
{
    /* A cachegrind file handed to the callgrind reader: it has no calls, so
     * no inclusive cost either; say what it is. */
    if (p->tool == VG_CALLGRIND && !p->callgrind_marks) {
        p->tool = VG_CACHEGRIND;
        if (m->kind == PROF_CALLGRIND && m->n_entries == 0) {
            free(m->tool);
            m->tool = xstrdup("cachegrind");
            m->kind = PROF_CACHEGRIND;
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
    vgt_merge(&p->t, &p->names, m, mm, (size_t)p->n_metrics, p->tool == VG_CACHEGRIND,
              p->tool == VG_CALLGRIND);
    for (int i = 0; i < p->n_metrics; i++)
        m->totals[mm[i]] = prof_add(m->totals[mm[i]], vg_sat_i64(p->totals[i]));
    if (!m->command && p->cmd)
        m->command = xstrdup_text(p->cmd);
    return 0;
}

static void parser_free(parser *p)
{
    vgt_free(&p->t);
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
    p.cur_fn = p.callee = NONE;
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
        if (p.lr.nul) {
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
        vgt_lookups_done(&p.t);
        strtab_lookups_done(&p.names);
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
