/*
 * callers.c: callers and callees of functions, from a callgrind profile's
 * call edges. An edge's inclusive cost counts its non-recursive calls only
 * (a call into fib'2 is inside the outer fib's cost), so the callers' shares
 * of a function add up to its inclusive cost.
 */
#include "views/callers.h"
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

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void json_costs(FILE *out, const prof_model *m, const int64_t *v)
{
    fputc('{', out);
    for (size_t i = 0; i < m->n_metrics; i++) {
        fprintf(out, "%s", i ? ", " : "");
        json_str(out, m->metrics[i].name);
        fprintf(out, ": %" PRId64, v[i]);
    }
    fputc('}', out);
}

static void json_fn(FILE *out, const prof_entry *e)
{
    fputs("\"name\": ", out);
    json_str(out, e->name);
    fputs(", \"file\": ", out);
    json_str(out, e->file);
    fprintf(out, ", \"line\": %d, \"object\": ", e->line);
    json_str(out, e->object);
}


/* FN names a function by its full name, or by the end of it after a "::"
 * (Parser::parse for json::parser::Parser::parse), as CPROF_REGIONS does. */
static int entry_matches(const prof_entry *e, const char *fn, int exact)
{
    size_t n = strlen(e->name), k = strlen(fn);
    if (exact || n == k)
        return strcmp(e->name, fn) == 0;
    return n > k + 2 && strcmp(e->name + n - k, fn) == 0 && strncmp(e->name + n - k - 2, "::", 2) == 0;
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

int view_callers_of(const prof_model *m, const view_opts *o, const char *fn, int callees, FILE *out)
{
    const char *what = callees ? "callees" : "callers";
    if (m->kind == PROF_REGIONS || (m->n_edges == 0 && m->kind == PROF_CACHEGRIND)) {
        fprintf(stderr, "cargo-profiler: --%s: this profile has no call edges (callgrind has them)\n", what);
        return -1;
    }
    int k = metric_of(m, o);
    if (k < 0) {
        fprintf(stderr, "cargo-profiler: --metric %s: not an event of this profile\n", o->metric);
        return -1;
    }
    int exact = 0;
    for (size_t i = 0; i < m->n_entries && !exact; i++)
        exact = entry_matches(&m->entries[i], fn, 1);
    size_t nmatch = 0;
    for (size_t i = 0; i < m->n_entries; i++)
        nmatch += entry_matches(&m->entries[i], fn, exact);
    if (nmatch == 0) {
        fprintf(stderr, "cargo-profiler: --%s %s: no function of that name in this profile\n", what, fn);
        return -1;
    }
    int json = o->format == VIEW_JSON, csv = o->format == VIEW_CSV;
    if (json)
        fprintf(out, "{\"format\": \"cprof-%s-1\", \"tool\": ", what);
    if (json) {
        json_str(out, m->tool);
        fputs(", \"functions\": [", out);
    } else if (csv) {
        fprintf(out, "function,file,line,object,%s,%s_file,%s_line,%s_object,calls",
                callees ? "callee" : "caller", callees ? "callee" : "caller",
                callees ? "callee" : "caller", callees ? "callee" : "caller");
        for (size_t i = 0; i < m->n_metrics; i++)
            fprintf(out, ",%s_incl", m->metrics[i].name);
        fputc('\n', out);
    } else {
        print_header(m, o, out);
    }
    size_t shown = 0;
    for (size_t fi = 0; fi < m->n_entries; fi++) {
        const prof_entry *f = &m->entries[fi];
        if (!entry_matches(f, fn, exact))
            continue;
        size_t n;
        size_t *ev = edges_of(m, fi, callees, k, &n);
        char loc[512], b1[32], b2[32], b3[32];
        if (json) {
            fprintf(out, "%s\n {", shown ? "," : "");
            json_fn(out, f);
            fprintf(out, ", \"calls\": %" PRIu64 ", \"self\": ", f->calls);
            json_costs(out, m, f->self);
            fputs(", \"incl\": ", out);
            json_costs(out, m, f->incl);
            fprintf(out, ", \"%s\": [", what);
        } else if (!csv) {
            fprintf(out, "\n%s%s of %s%s  %s  %s\n", COL(o, C_BOLD), callees ? "Callees" : "Callers", f->name,
                    COL(o, C_OFF), fmt_location(loc, sizeof loc, f), f->object ? f->object : "");
            fprintf(out, "  %s call%s, %s incl %s (%s of the total), self %s\n",
                    fmt_count(b1, sizeof b1, (double)f->calls), f->calls == 1 ? "" : "s", m->metrics[k].name,
                    fmt_count(b2, sizeof b2, (double)f->incl[k]),
                    fmt_percent(b3, sizeof b3, (double)f->incl[k], (double)m->totals[k]),
                    fmt_count(loc, sizeof loc, (double)f->self[k]));
            if (n == 0)
                fprintf(out, "  (no %s recorded)\n", callees ? "calls from it" : "calls to it");
            else
                fprintf(out, "  %10s  %10s  %7s  %s\n", "calls", m->metrics[k].name, "share",
                        callees ? "callee" : "caller");
        }
        for (size_t j = 0; j < n; j++) {
            const prof_edge *g = &m->edges[ev[j]];
            const prof_entry *other = &m->entries[callees ? g->callee : g->caller];
            int self_edge = g->caller == g->callee;
            if (json) {
                fprintf(out, "%s\n  {", j ? "," : "");
                json_fn(out, other);
                fprintf(out, ", \"calls\": %" PRIu64 ", \"recursive\": %s, \"incl\": ", g->calls,
                        self_edge ? "true" : "false");
                json_costs(out, m, g->incl);
                fputc('}', out);
            } else if (csv) {
                csv_field(out, f->name);
                fputc(',', out);
                csv_field(out, f->file);
                fprintf(out, ",%d,", f->line);
                csv_field(out, f->object);
                fputc(',', out);
                csv_field(out, other->name);
                fputc(',', out);
                csv_field(out, other->file);
                fprintf(out, ",%d,", other->line);
                csv_field(out, other->object);
                fprintf(out, ",%" PRIu64, g->calls);
                for (size_t i = 0; i < m->n_metrics; i++)
                    fprintf(out, ",%" PRId64, g->incl[i]);
                fputc('\n', out);
            } else {
                /* a caller's share of f's cost; a callee's share of f's cost */
                fprintf(out, "  %10s  %10s  %7s  %s%s  %s\n", fmt_count(b1, sizeof b1, (double)g->calls),
                        fmt_count(b2, sizeof b2, (double)g->incl[k]),
                        fmt_percent(b3, sizeof b3, (double)g->incl[k], (double)f->incl[k]),
                        other->name, self_edge ? " (recursive)" : "", fmt_location(loc, sizeof loc, other));
            }
        }
        if (json)
            fputs(n ? "\n ]}" : "]}", out);
        free(ev);
        shown++;
    }
    if (json)
        fputs("\n]}\n", out);
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
