/*
 * json.c: the machine-readable report, format "cprof-report-1". Exact
 * integers, no units. Regions: "regions" (sorted like the table, -n applies)
 * and "tree" (flat, parents first, like the dump, so any depth stays
 * readable). Valgrind profiles: "functions" with per event self/incl, their
 * files and the call edges between them. "rows_total" says how many rows
 * there were before -n, so a reader of the report (readers/report_json.c)
 * knows what it lacks. A callgrind model whose call paths were computed
 * (model/callpaths.h: the page and the tree views ask for them) lists them
 * as "tree" too, per event self/incl; --format json does not compute them.
 */
#include "views/util.h"
#include "model/trust.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *u(uint64_t v)
{
    return json_integer((json_int_t)v);
}

static json_t *counters(const prof_model *m, const int64_t *self, const int64_t *incl)
{
    json_t *c = json_object();
    for (size_t k = 1; k < m->n_metrics; k++)
        json_object_set_new(c, m->metrics[k].name,
                            json_pack("{s:I, s:I}", "incl", (json_int_t)incl[k], "excl", (json_int_t)self[k]));
    return c;
}

/* docs/report-format.md: "sampled" only for throttled regions; the share
 * of profiler cost and "trust": "low" (model/trust.h). */
static void trust_fields(const prof_model *m, const prof_entry *e, json_t *o)
{
    if (prof_entry_sampled(e))
        json_object_set_new(o, "sampled", json_pack("{s:I, s:I, s:I}", "pairs", (json_int_t)e->pairs,
                                                    "timed", (json_int_t)e->timed, "period",
                                                    (json_int_t)prof_entry_sampling(e)));
    if (e->oh_incl > 0)
        json_object_set_new(o, "overhead_share", json_real(round(prof_entry_overhead_share(e) * 1000) / 1000));
    if (prof_entry_low_trust(m, e))
        json_object_set_new(o, "trust", json_string("low"));
}

/* As for regions; and "overhead", its own figures, so that a report of a
 * report marks the same call paths again. */
static void node_trust_fields(const prof_node *n, json_t *o)
{
    if (n->timed < n->pairs)
        json_object_set_new(o, "sampled", json_pack("{s:I, s:I, s:I}", "pairs", (json_int_t)n->pairs,
                                                    "timed", (json_int_t)n->timed, "period",
                                                    (json_int_t)prof_node_sampling(n)));
    if (n->oh_incl > 0)
        json_object_set_new(o, "overhead_share", json_real(round(prof_node_overhead_share(n) * 1000) / 1000));
    if (prof_node_low_trust(n))
        json_object_set_new(o, "trust", json_string("low"));
    if (n->oh_self)
        json_object_set_new(o, "overhead", json_pack("{s:I, s:I}", "raw_excl_ns", (json_int_t)n->raw_self,
                                                     "ns", (json_int_t)n->oh_self));
}

/* A figure that may be a half (a median of two) or a mean: an integer when it is one. */
static json_t *num_or_int(double v)
{
    return v == (double)(json_int_t)v && v > -9e15 && v < 9e15 ? json_integer((json_int_t)v) : json_real(v);
}

static json_t *spread_json(const prof_spread_fig *f)
{
    return json_pack("{s:I, s:o, s:I, s:o, s:f}", "min", (json_int_t)f->min, "median", num_or_int(f->median),
                     "max", (json_int_t)f->max, "mean", num_or_int(f->mean), "imbalance", f->imbalance);
}

/* How entry ei's exclusive figures spread across the processes (model/spread.h). */
static json_t *per_process(const prof_model *m, size_t ei)
{
    prof_spread_fig f;
    if (!prof_spread_of(m, ei, 0, &f))
        return NULL;
    json_t *o = json_pack("{s:I, s:o}", "processes", (json_int_t)f.procs, "excl_ns", spread_json(&f));
    json_t *c = json_object();
    for (size_t k = 1; k < m->n_metrics; k++)
        if (prof_spread_of(m, ei, k, &f))
            json_object_set_new(c, m->metrics[k].name, spread_json(&f));
    json_object_set_new(o, "counters", c);
    return o;
}

static json_t *regions_report(const prof_model *m, const size_t *rows, size_t n, int spread)
{
    json_t *regions = json_array();
    for (size_t r = 0; r < n; r++) {
        const prof_entry *e = &m->entries[rows[r]];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(e->name));
        json_object_set_new(o, "file", str_or_null(e->file));
        json_object_set_new(o, "line", json_integer(e->line));
        if (e->label)   /* the name tables show */
            json_object_set_new(o, "label", json_string(e->label));
        json_object_set_new(o, "calls", u(e->calls));
        json_object_set_new(o, "incl_ns", u(e->incl[0]));
        json_object_set_new(o, "excl_ns", u(e->self[0]));
        json_object_set_new(o, "min_ns", u(e->min_ns));
        json_object_set_new(o, "max_ns", u(e->max_ns));
        if (m->n_runs > 1)   /* --repeat: the figures are means; half their interval */
            json_object_set_new(o, "incl_ns_ci_half", json_integer((json_int_t)e->half[0]));
        json_object_set_new(o, "mean_ns", u(e->calls ? e->incl[0] / e->calls : 0));
        json_object_set_new(o, "child_calls", u(e->child_calls));
        json_object_set_new(o, "desc_calls", u(e->desc_calls));
        json_object_set_new(o, "counters", counters(m, e->self, e->incl));
        trust_fields(m, e, o);
        json_t *pp = spread ? per_process(m, rows[r]) : NULL;
        if (pp)
            json_object_set_new(o, "per_process", pp);
        json_array_append_new(regions, o);
    }
    return regions;
}

static json_t *tree_report(const prof_model *m)
{
    json_t *tree = json_array();
    for (size_t i = 1; i < m->n_nodes; i++) {
        const prof_node *n = &m->nodes[i];
        const prof_entry *e = &m->entries[n->entry];
        json_t *o = json_object();
        json_object_set_new(o, "node", u(i));
        json_object_set_new(o, "parent", u(n->parent));
        json_object_set_new(o, "name", json_string(e->name));
        json_object_set_new(o, "file", str_or_null(e->file));
        json_object_set_new(o, "line", json_integer(e->line));
        json_object_set_new(o, "calls", u(n->calls));
        json_object_set_new(o, "incl_ns", u(n->incl[0]));
        json_object_set_new(o, "excl_ns", u(n->self[0]));
        json_object_set_new(o, "child_calls", u(n->child_calls));
        json_object_set_new(o, "desc_calls", u(n->desc_calls));
        json_object_set_new(o, "counters", counters(m, n->self, n->incl));
        node_trust_fields(n, o);
        json_array_append_new(tree, o);
    }
    return tree;
}

/* Where a function's code is (its own file and what was inlined into it). */
static json_t *files_of(const prof_entry *e)
{
    json_t *files = json_array();
    for (size_t i = 0; i < e->n_files; i++)
        json_array_append_new(files, json_pack("{s:s, s:i, s:I}", "name", e->files[i].name,
                                               "line", e->files[i].line, "cost", (json_int_t)e->files[i].cost));
    return files;
}

/* Call edges between listed functions, by their index in "functions", in
 * the model's order (the call paths are built from them in that order). */
static json_t *edges_report(const prof_model *m, const size_t *rows, size_t n)
{
    size_t *row_of = malloc((m->n_entries + 1) * sizeof *row_of);
    json_t *edges = json_array();
    if (!row_of)
        return edges;
    for (size_t i = 0; i < m->n_entries; i++)
        row_of[i] = (size_t)-1;
    for (size_t r = 0; r < n; r++)
        row_of[rows[r]] = r;
    for (size_t i = 0; i < m->n_edges; i++) {
        const prof_edge *g = &m->edges[i];
        if (row_of[g->caller] == (size_t)-1 || row_of[g->callee] == (size_t)-1)
            continue;
        json_t *incl = json_object();
        for (size_t k = 0; k < m->n_metrics; k++)
            json_object_set_new(incl, m->metrics[k].name, json_integer((json_int_t)g->incl[k]));
        json_array_append_new(edges, json_pack("{s:I, s:I, s:I, s:o}", "caller", (json_int_t)row_of[g->caller],
                                               "callee", (json_int_t)row_of[g->callee],
                                               "calls", (json_int_t)g->calls, "incl", incl));
    }
    free(row_of);
    return edges;
}

/* Callgrind call paths, flat, parents first, per event self and incl. */
static json_t *paths_report(const prof_model *m)
{
    json_t *tree = json_array();
    for (size_t i = 1; i < m->n_nodes; i++) {
        const prof_node *n = &m->nodes[i];
        const prof_entry *e = &m->entries[n->entry];
        json_t *self = json_object(), *incl = json_object();
        for (size_t k = 0; k < m->n_metrics; k++) {
            json_object_set_new(self, m->metrics[k].name, json_integer((json_int_t)n->self[k]));
            json_object_set_new(incl, m->metrics[k].name, json_integer((json_int_t)n->incl[k]));
        }
        json_array_append_new(tree, json_pack("{s:I, s:I, s:s, s:o, s:i, s:o, s:I, s:o, s:o}", "node", (json_int_t)i,
                                              "parent", (json_int_t)n->parent, "name", e->name,
                                              "file", str_or_null(e->file), "line", e->line,
                                              "object", str_or_null(e->object),
                                              "calls", (json_int_t)n->calls, "self", self, "incl", incl));
    }
    return tree;
}

static json_t *functions_report(const prof_model *m, const size_t *rows, size_t n)
{
    json_t *fns = json_array();
    for (size_t r = 0; r < n; r++) {
        const prof_entry *e = &m->entries[rows[r]];
        json_t *self = json_object(), *incl = json_object();
        for (size_t k = 0; k < m->n_metrics; k++) {
            json_object_set_new(self, m->metrics[k].name, u(e->self[k]));
            if (e->has_incl)
                json_object_set_new(incl, m->metrics[k].name, u(e->incl[k]));
        }
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(e->name));
        json_object_set_new(o, "file", str_or_null(e->file));
        json_object_set_new(o, "line", json_integer(e->line));
        json_object_set_new(o, "object", str_or_null(e->object));
        json_object_set_new(o, "calls", u(e->calls));
        json_object_set_new(o, "self", self);
        if (e->has_incl)
            json_object_set_new(o, "incl", incl);
        else
            json_decref(incl);
        /* one file that is the row's own says nothing the row does not (and
         * a big profile's report stays small) */
        if (e->n_files > 1 || (e->n_files == 1 && (!e->file || strcmp(e->files[0].name, e->file) != 0)))
            json_object_set_new(o, "files", files_of(e));
        json_array_append_new(fns, o);
    }
    return fns;
}

json_t *view_json_object(const prof_model *m, const view_opts *o)
{
    sort_key k;
    if (view_sort_key(m, o, &k))
        return NULL;
    json_t *root = json_object();
    json_object_set_new(root, "format", json_string("cprof-report-1"));
    json_object_set_new(root, "tool", json_string(m->tool ? m->tool : ""));
    json_object_set_new(root, "command", str_or_null(m->command));
    json_object_set_new(root, "host", str_or_null(m->host));   /* where it ran: "a, b" if several */
    json_object_set_new(root, "cpu", str_or_null(m->cpu));
    json_t *events = json_array(), *totals = json_object(), *missing = json_array(), *notes = json_array();
    size_t first = m->kind == PROF_REGIONS ? 1 : 0;   /* time is not an event */
    for (size_t i = first; i < m->n_metrics; i++)
        json_array_append_new(events, json_string(m->metrics[i].name));
    for (size_t i = 0; i < m->n_metrics; i++)
        json_object_set_new(totals, i < first ? "time_ns" : m->metrics[i].name, u(m->totals[i]));
    for (size_t i = 0; i < m->n_missing; i++)
        json_array_append_new(missing, json_pack("{s:s, s:s}", "name", m->missing[i].name,
                                                 "reason", m->missing[i].reason));
    for (size_t i = 0; i < m->n_notes; i++)
        json_array_append_new(notes, json_string(m->notes[i]));
    json_object_set_new(root, "events", events);
    json_object_set_new(root, "missing", missing);
    json_object_set_new(root, "totals", totals);
    json_object_set_new(root, "notes", notes);
    if (m->program_known) {   /* how the profiled program ended: a script's own status */
        const char *abbrev = sigabbrev_np(m->program_signal);
        char sig[32];
        snprintf(sig, sizeof sig, "SIG%s", abbrev ? abbrev : "?");
        json_object_set_new(root, "program", m->program_signal
            ? json_pack("{s:s, s:i}", "signal", sig, "signo", m->program_signal)
            : json_pack("{s:i}", "status", m->program_status));
    }
    size_t n;
    size_t *rows = sorted_entries(m, &k, o->limit, &n);
    if (m->n_runs > 1) {
        json_object_set_new(root, "runs", u(m->n_runs));
        json_object_set_new(root, "confidence", json_real(m->confidence));
    }
    json_object_set_new(root, "rows_total", u(m->n_entries));   /* more than listed: -n cut them */
    if (m->kind == PROF_REGIONS) {
        int spread = view_spread_shown(m, o);
        json_object_set_new(root, "compensated", json_boolean(o->compensated));
        if (spread)   /* the regions' per_process figures are over these */
            json_object_set_new(root, "processes", u(prof_spread_procs(m)));
        json_object_set_new(root, "regions", regions_report(m, rows, n, spread));
        json_object_set_new(root, "tree", tree_report(m));
    } else {
        json_object_set_new(root, "functions", functions_report(m, rows, n));
        if (m->n_edges)
            json_object_set_new(root, "edges", edges_report(m, rows, n));
        if (m->n_nodes > 1)
            json_object_set_new(root, "tree", paths_report(m));
    }
    free(rows);
    if (o->title)
        json_object_set_new(root, "title", json_string(o->title));
    return root;
}

int view_json(const prof_model *m, const view_opts *o, FILE *out)
{
    json_t *root = view_json_object(m, o);
    if (!root)
        return -1;
    int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(root);
    fputc('\n', out);
    return rc || ferror(out) ? -1 : 0;
}
