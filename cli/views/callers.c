/*
 * callers.c: callers and callees of functions, from a callgrind profile's
 * call edges. An edge's inclusive cost counts its non-recursive calls only
 * (a call into fib'2 is inside the outer fib's cost), so the callers' shares
 * of a function add up to its inclusive cost.
 */
#include "views/callers.h"
#include "views/json_out.h"
#include "sys/xalloc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "views/util.h"

static int metric_of(const prof_model *m, const view_opts *o)
{
    if (!o->metric)
        return 0;
    for (size_t i = 0; i < m->n_metrics; i++)
        if (strcasecmp(m->metrics[i].name, o->metric) == 0)
            return (int)i;
    return -1;
}

/* Edge indices of one function, largest inclusive first. */
static const prof_model *cmp_m;
static int cmp_k;
static int cmp_edges(const void *a, const void *b)
{
    const prof_edge *x = &cmp_m->edges[*(const size_t *)a], *y = &cmp_m->edges[*(const size_t *)b];
    if (x->incl[cmp_k] != y->incl[cmp_k])
        return x->incl[cmp_k] > y->incl[cmp_k] ? -1 : 1;
    if (x->calls != y->calls)
        return x->calls > y->calls ? -1 : 1;
    return 0;
}

static size_t *edges_of(const prof_model *m, size_t fi, int callees, int k, size_t *n)
{
    size_t *v = xcalloc(m->n_edges, sizeof *v);
    *n = 0;
    for (size_t i = 0; i < m->n_edges; i++)
        if ((callees ? m->edges[i].caller : m->edges[i].callee) == fi)
            v[(*n)++] = i;
    cmp_m = m;
    cmp_k = k;
    qsort(v, *n, sizeof *v, cmp_edges);
    return v;
}

/* FN names a function by its full name, or by the end of it after a "::"
 * (Parser::parse for json::parser::Parser::parse), as CPROF_REGIONS does. */
static int name_matches(const char *name, const char *fn, int exact)
{
    size_t n = strlen(name), k = strlen(fn);
    if (exact || n == k)
        return strcmp(name, fn) == 0;
    return n > k + 2 && strcmp(name + n - k, fn) == 0 && strncmp(name + n - k - 2, "::", 2) == 0;
}

/* The index just past the '>' closing the '<' at s[i], or 0. */
static size_t closing(const char *s, size_t i)
{
    int depth = 0;
    for (; s[i]; i++)
        if (s[i] == '<')
            depth++;
        else if (s[i] == '>' && --depth == 0)
            return i + 1;
    return 0;
}

/* s[from, to) without its generic arguments, appended to out. */
static void append_plain(char *out, size_t len, const char *s, size_t from, size_t to)
{
    size_t o = strlen(out);
    for (size_t i = from; i < to && o + 1 < len; i++) {
        if (s[i] == '<') {
            size_t end = closing(s, i);
            i = end && end <= to ? end - 1 : to;
            continue;
        }
        out[o++] = s[i];
    }
    out[o] = 0;
}

/*
 * A method's name as #[profile] writes it: callgrind (rustc's symbols) names
 * `m::<impl core::cmp::Ord for a::B<T>>::cmp` and `<a::B as Tr>::f`, the
 * regions `a::B::cmp` and `a::B::f`, so --callers takes either. 0 if the
 * name has neither shape.
 */
static int plain_method_name(const char *name, char *out, size_t len)
{
    const char *impl = strstr(name, "<impl ");
    size_t open = impl ? (size_t)(impl - name) : name[0] == '<' ? 0 : (size_t)-1;
    if (open == (size_t)-1)
        return 0;
    size_t close = closing(name, open);
    if (!close)
        return 0;
    const char *inner = name + open + 1, *sep = impl ? strstr(inner, " for ") : strstr(inner, " as ");
    if (!sep || (size_t)(sep - name) >= close)
        return 0;
    out[0] = 0;
    if (impl)   /* the type after " for ", up to the closing '>' */
        append_plain(out, len, name, (size_t)(sep - name) + 5, close - 1);
    else        /* the type before " as " */
        append_plain(out, len, name, open + 1, (size_t)(sep - name));
    append_plain(out, len, name, close, strlen(name));
    return 1;
}

static int entry_matches(const prof_entry *e, const char *fn, int exact)
{
    if (name_matches(e->name, fn, exact))
        return 1;
    char plain[1024];
    return plain_method_name(e->name, plain, sizeof plain) && name_matches(plain, fn, exact);
}

size_t view_callers_matches(const prof_model *m, const char *fn)
{
    int exact = 0;
    for (size_t i = 0; i < m->n_entries && !exact; i++)
        exact = entry_matches(&m->entries[i], fn, 1);
    size_t nmatch = 0;
    for (size_t i = 0; i < m->n_entries; i++)
        nmatch += entry_matches(&m->entries[i], fn, exact);
    return nmatch;
}

static json_t *costs_json(const prof_model *m, const int64_t *v)
{
    json_t *o = json_object();
    for (size_t i = 0; i < m->n_metrics; i++)
        json_object_set_new(o, m->metrics[i].name, json_integer((json_int_t)v[i]));
    return o;
}

static json_t *fn_json(const prof_entry *e)
{
    return json_pack("{s:s, s:s?, s:i, s:s?}", "name", e->name, "file", e->file, "line", e->line,
                     "object", e->object);
}

/* What one view of the calls needs. */
typedef struct calls_view {
    const prof_model *m;
    const view_opts *o;
    const char *fn;
    int callees, exact, k;
    FILE *out;
} calls_view;

static const prof_entry *other_end(const calls_view *c, const prof_edge *g)
{
    return &c->m->entries[c->callees ? g->callee : g->caller];
}

static int calls_json(const calls_view *c)
{
    const prof_model *m = c->m;
    const char *what = c->callees ? "callees" : "callers";
    char format[32];
    snprintf(format, sizeof format, "cprof-%s-1", what);
    json_t *fns = json_array();
    for (size_t fi = 0; fi < m->n_entries; fi++) {
        const prof_entry *f = &m->entries[fi];
        if (!entry_matches(f, c->fn, c->exact))
            continue;
        size_t n, *ev = edges_of(m, fi, c->callees, c->k, &n);
        json_t *list = json_array();
        for (size_t j = 0; j < n; j++) {
            const prof_edge *g = &m->edges[ev[j]];
            json_t *o = fn_json(other_end(c, g));
            json_object_set_new(o, "calls", json_integer((json_int_t)g->calls));
            json_object_set_new(o, "recursive", json_boolean(g->caller == g->callee));
            json_object_set_new(o, "incl", costs_json(m, g->incl));
            json_array_append_new(list, o);
        }
        free(ev);
        json_t *o = fn_json(f);
        json_object_set_new(o, "calls", json_integer((json_int_t)f->calls));
        json_object_set_new(o, "self", costs_json(m, f->self));
        json_object_set_new(o, "incl", costs_json(m, f->incl));
        json_object_set_new(o, what, list);
        json_array_append_new(fns, o);
    }
    json_t *root = json_pack("{s:s, s:s, s:o}", "format", format, "tool", m->tool ? m->tool : "",
                             "functions", fns);
    int rc = jo_dump(c->out, root, 1);
    fputc('\n', c->out);
    json_decref(root);
    return rc;
}

static void calls_csv(const calls_view *c)
{
    const prof_model *m = c->m;
    const char *side = c->callees ? "callee" : "caller";
    fprintf(c->out, "function,file,line,object,%s,%s_file,%s_line,%s_object,calls", side, side, side, side);
    for (size_t i = 0; i < m->n_metrics; i++) {
        fputc(',', c->out);
        char col[300];
        snprintf(col, sizeof col, "%s_incl", m->metrics[i].name);
        csv_field(c->out, col);
    }
    fputs("\r\n", c->out);
    for (size_t fi = 0; fi < m->n_entries; fi++) {
        const prof_entry *f = &m->entries[fi];
        if (!entry_matches(f, c->fn, c->exact))
            continue;
        size_t n, *ev = edges_of(m, fi, c->callees, c->k, &n);
        for (size_t j = 0; j < n; j++) {
            const prof_edge *g = &m->edges[ev[j]];
            const prof_entry *ends[2] = {f, other_end(c, g)};
            for (int x = 0; x < 2; x++) {
                csv_field(c->out, ends[x]->name);
                fputc(',', c->out);
                csv_field(c->out, ends[x]->file);
                fprintf(c->out, ",%d,", ends[x]->line);
                csv_field(c->out, ends[x]->object);
                fputc(',', c->out);
            }
            fprintf(c->out, "%" PRIu64, g->calls);
            for (size_t i = 0; i < m->n_metrics; i++)
                fprintf(c->out, ",%" PRId64, g->incl[i]);
            fputs("\r\n", c->out);
        }
        free(ev);
    }
}

static void calls_table(const calls_view *c)
{
    const prof_model *m = c->m;
    const view_opts *o = c->o;
    FILE *out = c->out;
    int k = c->k;
    print_header(m, o, out);
    for (size_t fi = 0; fi < m->n_entries; fi++) {
        const prof_entry *f = &m->entries[fi];
        if (!entry_matches(f, c->fn, c->exact))
            continue;
        size_t n, *ev = edges_of(m, fi, c->callees, k, &n);
        char loc[512], objp[512], b1[32], b2[32], b3[32];
        fprintf(out, "\n%s%s of %s%s  %s  %s\n", COL(o, C_BOLD), c->callees ? "Callees" : "Callers", f->name,
                COL(o, C_OFF), fmt_place(loc, sizeof loc, f->file, f->line, o->root), display_path(objp, sizeof objp, f->object, o->root));
        if (model_has_calls(m))
            fprintf(out, "  %s call%s,", fmt_count(b1, sizeof b1, (double)f->calls), f->calls == 1 ? "" : "s");
        fprintf(out, "%s%s incl %s (%s of the total), self %s\n", model_has_calls(m) ? " " : "  ", m->metrics[k].name,
                fmt_count(b2, sizeof b2, (double)f->incl[k]),
                fmt_percent(b3, sizeof b3, (double)f->incl[k], (double)m->totals[k]),
                fmt_count(loc, sizeof loc, (double)f->self[k]));
        if (n == 0)
            fprintf(out, "  (no %s recorded)\n", c->callees ? "calls from it" : "calls to it");
        else
            fprintf(out, "  %10s  %10s  %7s  %s\n", "calls", m->metrics[k].name, "share",
                    c->callees ? "callee" : "caller");
        for (size_t j = 0; j < n; j++) {
            const prof_edge *g = &m->edges[ev[j]];
            const prof_entry *other = other_end(c, g);
            /* a caller's share of f's cost; a callee's share of f's cost */
            fprintf(out, "  %10s  %10s  %7s  %s%s  %s\n",
                    model_has_calls(m) ? fmt_count(b1, sizeof b1, (double)g->calls) : "-",
                    fmt_count(b2, sizeof b2, (double)g->incl[k]),
                    fmt_percent(b3, sizeof b3, (double)g->incl[k], (double)f->incl[k]),
                    other->name, g->caller == g->callee ? " (recursive)" : "",
                    fmt_place(loc, sizeof loc, other->file, other->line, o->root));
        }
        free(ev);
    }
}

int view_callers_of(const prof_model *m, const view_opts *o, const char *fn, int callees, FILE *out)
{
    const char *what = callees ? "callees" : "callers";
    if (m->kind == PROF_REGIONS || (m->n_edges == 0 && m->kind == PROF_CACHEGRIND)) {
        fprintf(stderr, "cargo-profiler: --%s: this profile has no call edges (callgrind has them)\n", what);
        return -1;
    }
    calls_view c = {m, o, fn, callees, 0, metric_of(m, o), out};
    if (c.k < 0) {
        fprintf(stderr, "cargo-profiler: --metric %s: not an event of this profile\n", o->metric);
        return -1;
    }
    for (size_t i = 0; i < m->n_entries && !c.exact; i++)
        c.exact = entry_matches(&m->entries[i], fn, 1);
    if (view_callers_matches(m, fn) == 0) {
        fprintf(stderr, "cargo-profiler: --%s %s: no function of that name in this profile\n", what, fn);
        return -1;
    }
    if (o->format == VIEW_JSON)
        return calls_json(&c) || ferror(out) ? -1 : 0;
    if (o->format == VIEW_CSV)
        calls_csv(&c);
    else
        calls_table(&c);
    return ferror(out) ? -1 : 0;
}

/* --format callers (no function named): callers and callees of the top -n
 * functions in the sort order. */
int view_callers(const prof_model *m, const view_opts *o, FILE *out)
{
    sort_key key;
    if (view_sort_key(m, o, &key))
        return -1;
    size_t n;
    size_t *idx = sorted_entries(m, &key, o->limit ? o->limit : 10, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = view_callers_of(m, o, m->entries[idx[i]].name, 0, out);
        if (rc == 0)
            rc = view_callers_of(m, o, m->entries[idx[i]].name, 1, out);
    }
    free(idx);
    return rc;
}
