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
#include "views/json_out.h"
#include "model/trust.h"
#include "sys/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void counters(json_out *w, const prof_model *m, const int64_t *self, const int64_t *incl)
{
    jo_obj(w);
    for (size_t k = 1; k < m->n_metrics; k++) {
        jo_key(w, m->metrics[k].name);
        jo_obj(w);
        jo_kint(w, "incl", incl[k]);
        jo_kint(w, "excl", self[k]);
        jo_end(w);
    }
    jo_end(w);
}

/* Per metric name: v[k] (valgrind's self and incl). */
static void by_metric(json_out *w, const prof_model *m, const int64_t *v)
{
    jo_obj(w);
    for (size_t k = 0; k < m->n_metrics; k++)
        jo_kint(w, m->metrics[k].name, v[k]);
    jo_end(w);
}

/* docs/report-format.md: "sampled" only for throttled regions; the share
 * of profiler cost and "trust": "low" (model/trust.h). */
static void sampled(json_out *w, uint64_t pairs, uint64_t timed, unsigned long period)
{
    jo_key(w, "sampled");
    jo_obj(w);
    jo_kint(w, "pairs", (int64_t)pairs);
    jo_kint(w, "timed", (int64_t)timed);
    jo_kint(w, "period", (int64_t)period);
    jo_end(w);
}

static void share(json_out *w, double s, int low)
{
    jo_key(w, "overhead_share");
    jo_real(w, prof_share_shown(s));
    if (low)
        jo_kstr(w, "trust", "low");
}

static void trust_fields(json_out *w, const prof_model *m, const prof_entry *e)
{
    if (prof_entry_sampled(e))
        sampled(w, e->pairs, e->timed, prof_entry_sampling(e));
    if (e->oh_incl > 0)
        share(w, prof_entry_overhead_share(e), prof_entry_low_trust(m, e));
    else if (prof_entry_low_trust(m, e))
        jo_kstr(w, "trust", "low");
    if (e->fitted)
        jo_kbool(w, "fitted", 1);
}

/* As for regions; and "overhead", its own figures, so that a report of a
 * report marks the same call paths again. */
static void node_trust_fields(json_out *w, const prof_node *n)
{
    if (n->timed < n->pairs)
        sampled(w, n->pairs, n->timed, prof_node_sampling(n));
    if (n->oh_incl > 0)
        share(w, prof_node_overhead_share(n), prof_node_low_trust(n));
    if (n->fitted)
        jo_kbool(w, "fitted", 1);
    if (n->oh_self) {
        jo_key(w, "overhead");
        jo_obj(w);
        jo_kint(w, "raw_excl_ns", n->raw_self);
        jo_kint(w, "ns", n->oh_self);
        jo_end(w);
    }
}

/* A figure that may be a half (a median of two) or a mean: an integer when it is one. */
static void num_or_int(json_out *w, const char *k, double v)
{
    jo_key(w, k);
    if (v == (double)(int64_t)v && v > -9e15 && v < 9e15)
        jo_int(w, (int64_t)v);
    else
        jo_real(w, v);
}

static void spread_json(json_out *w, const prof_spread_fig *f)
{
    jo_obj(w);
    jo_kint(w, "min", f->min);
    num_or_int(w, "median", f->median);
    jo_kint(w, "max", f->max);
    num_or_int(w, "mean", f->mean);
    jo_key(w, "imbalance");
    jo_real(w, f->imbalance);
    jo_end(w);
}

/* How entry ei's exclusive figures spread across the processes (model/spread.h). */
static void per_process(json_out *w, const prof_model *m, size_t ei)
{
    prof_spread_fig f;
    if (!prof_spread_of(m, ei, 0, &f))
        return;
    jo_key(w, "per_process");
    jo_obj(w);
    jo_kint(w, "processes", (int64_t)f.procs);
    jo_key(w, "excl_ns");
    spread_json(w, &f);
    jo_key(w, "counters");
    jo_obj(w);
    for (size_t k = 1; k < m->n_metrics; k++)
        if (prof_spread_of(m, ei, k, &f)) {
            jo_key(w, m->metrics[k].name);
            spread_json(w, &f);
        }
    jo_end(w);
    jo_end(w);
}

static void region(json_out *w, const prof_model *m, const prof_entry *e, int spread)
{
    jo_obj(w);
    jo_kstr(w, "name", e->name);
    jo_kstr(w, "file", e->file);
    jo_kint(w, "line", e->line);
    if (e->label)   /* the name tables show */
        jo_kstr(w, "label", e->label);
    jo_kint(w, "calls", (int64_t)e->calls);
    jo_kint(w, "incl_ns", e->incl[0]);
    jo_kint(w, "excl_ns", e->self[0]);
    jo_kint(w, "min_ns", (int64_t)e->min_ns);
    jo_kint(w, "max_ns", (int64_t)e->max_ns);
    if (m->n_runs > 1)   /* --repeat: the figures are means; half their interval */
        jo_kint(w, "incl_ns_ci_half", e->half ? e->half[0] : 0);
    jo_kint(w, "mean_ns", e->calls ? (int64_t)((uint64_t)e->incl[0] / e->calls) : 0);
    jo_kint(w, "child_calls", (int64_t)e->child_calls);
    jo_kint(w, "desc_calls", (int64_t)e->desc_calls);
    jo_key(w, "counters");
    counters(w, m, e->self, e->incl);
    trust_fields(w, m, e);
    if (spread)
        per_process(w, m, (size_t)(e - m->entries));
    jo_end(w);
}

static void tree_report(json_out *w, const prof_model *m)
{
    jo_arr(w);
    for (size_t i = 1; i < m->n_nodes; i++) {
        const prof_node *n = &m->nodes[i];
        const prof_entry *e = &m->entries[n->entry];
        jo_obj(w);
        jo_kint(w, "node", (int64_t)i);
        jo_kint(w, "parent", (int64_t)n->parent);
        jo_kstr(w, "name", e->name);
        jo_kstr(w, "file", e->file);
        jo_kint(w, "line", e->line);
        jo_kint(w, "calls", (int64_t)n->calls);
        jo_kint(w, "incl_ns", n->incl[0]);
        jo_kint(w, "excl_ns", n->self[0]);
        jo_kint(w, "child_calls", (int64_t)n->child_calls);
        jo_kint(w, "desc_calls", (int64_t)n->desc_calls);
        jo_key(w, "counters");
        counters(w, m, n->self, n->incl);
        node_trust_fields(w, n);
        jo_end(w);
    }
    jo_end(w);
}

/* Where a function's code is (its own file and what was inlined into it). */
static void files_of(json_out *w, const prof_entry *e)
{
    jo_arr(w);
    for (size_t i = 0; i < e->n_files; i++) {
        jo_obj(w);
        jo_kstr(w, "name", e->files[i].name);
        jo_kint(w, "line", e->files[i].line);
        jo_kint(w, "cost", e->files[i].cost);
        jo_end(w);
    }
    jo_end(w);
}

/* Call edges between listed functions, by their index in "functions", in
 * the model's order (the call paths are built from them in that order). */
static void edges_report(json_out *w, const prof_model *m, const size_t *rows, size_t n)
{
    size_t *row_of = xcalloc(m->n_entries + 1, sizeof *row_of);
    for (size_t i = 0; i < m->n_entries; i++)
        row_of[i] = (size_t)-1;
    for (size_t r = 0; r < n; r++)
        row_of[rows[r]] = r;
    jo_arr(w);
    for (size_t i = 0; i < m->n_edges; i++) {
        const prof_edge *g = &m->edges[i];
        if (row_of[g->caller] == (size_t)-1 || row_of[g->callee] == (size_t)-1)
            continue;
        jo_obj(w);
        jo_kint(w, "caller", (int64_t)row_of[g->caller]);
        jo_kint(w, "callee", (int64_t)row_of[g->callee]);
        jo_kint(w, "calls", (int64_t)g->calls);
        jo_key(w, "incl");
        by_metric(w, m, g->incl);
        jo_end(w);
    }
    jo_end(w);
    free(row_of);
}

/* Callgrind call paths, flat, parents first, per event self and incl. */
static void paths_report(json_out *w, const prof_model *m)
{
    jo_arr(w);
    for (size_t i = 1; i < m->n_nodes; i++) {
        const prof_node *n = &m->nodes[i];
        const prof_entry *e = &m->entries[n->entry];
        jo_obj(w);
        jo_kint(w, "node", (int64_t)i);
        jo_kint(w, "parent", (int64_t)n->parent);
        jo_kstr(w, "name", e->name);
        jo_kstr(w, "file", e->file);
        jo_kint(w, "line", e->line);
        jo_kstr(w, "object", e->object);
        jo_kint(w, "calls", (int64_t)n->calls);
        jo_key(w, "self");
        by_metric(w, m, n->self);
        jo_key(w, "incl");
        by_metric(w, m, n->incl);
        jo_end(w);
    }
    jo_end(w);
}

static void function(json_out *w, const prof_model *m, const prof_entry *e)
{
    jo_obj(w);
    jo_kstr(w, "name", e->name);
    jo_kstr(w, "file", e->file);
    jo_kint(w, "line", e->line);
    jo_kstr(w, "object", e->object);
    jo_kint(w, "calls", (int64_t)e->calls);
    jo_key(w, "self");
    by_metric(w, m, e->self);
    if (e->has_incl) {
        jo_key(w, "incl");
        by_metric(w, m, e->incl);
    }
    /* one file that is the row's own says nothing the row does not (and
     * a big profile's report stays small) */
    if (e->n_files > 1 || (e->n_files == 1 && (!e->file || strcmp(e->files[0].name, e->file) != 0))) {
        jo_key(w, "files");
        files_of(w, e);
    }
    jo_end(w);
}

/* command, events, totals, notes: what the table's header says. */
static void header(json_out *w, const prof_model *m)
{
    jo_kstr(w, "format", "cprof-report-1");
    jo_kstr(w, "tool", m->tool ? m->tool : "");
    jo_kstr(w, "command", m->command);
    jo_kstr(w, "host", m->host);   /* where it ran: "a, b" if several */
    jo_kstr(w, "cpu", m->cpu);
    size_t first = m->kind == PROF_REGIONS ? 1 : 0;   /* time is not an event */
    jo_key(w, "events");
    jo_arr(w);
    for (size_t i = first; i < m->n_metrics; i++)
        jo_str(w, m->metrics[i].name);
    jo_end(w);
    jo_key(w, "missing");
    jo_arr(w);
    for (size_t i = 0; i < m->n_missing; i++) {
        jo_obj(w);
        jo_kstr(w, "name", m->missing[i].name);
        jo_kstr(w, "reason", m->missing[i].reason);
        jo_end(w);
    }
    jo_end(w);
    jo_key(w, "totals");
    jo_obj(w);
    for (size_t i = 0; i < m->n_metrics; i++)
        jo_kint(w, i < first ? "time_ns" : m->metrics[i].name, m->totals[i]);
    jo_end(w);
    jo_key(w, "notes");
    jo_arr(w);
    for (size_t i = 0; i < m->n_notes; i++)
        jo_str(w, m->notes[i]);
    jo_end(w);
}

/* How the profiled program ended: a script's own status. */
static void program(json_out *w, const prof_model *m)
{
    const char *abbrev = sigabbrev_np(m->program_signal);
    char sig[32];
    snprintf(sig, sizeof sig, "SIG%s", abbrev ? abbrev : "?");
    jo_key(w, "program");
    jo_obj(w);
    if (m->program_signal) {
        jo_kstr(w, "signal", sig);
        jo_kint(w, "signo", m->program_signal);
    } else {
        jo_kint(w, "status", m->program_status);
    }
    jo_end(w);
}

/* The report, into w (text or tree): -1 if the sort key does not fit. */
static int report(json_out *w, const prof_model *m, const view_opts *o)
{
    sort_key k;
    if (view_sort_key(m, o, &k))
        return -1;
    jo_obj(w);
    header(w, m);
    if (m->program_known)
        program(w, m);
    size_t n;
    size_t *rows = sorted_entries(m, &k, o->limit, &n);
    if (m->n_runs > 1) {
        jo_kint(w, "runs", (int64_t)m->n_runs);
        jo_key(w, "confidence");
        jo_real(w, m->confidence);
    }
    jo_kint(w, "rows_total", (int64_t)m->n_entries);   /* more than listed: -n cut them */
    if (m->kind == PROF_REGIONS) {
        jo_key(w, "compensated");
        jo_bool(w, o->compensated);
        int spread = view_spread_shown(m, o);
        if (spread)   /* the regions' per_process figures are over these */
            jo_kint(w, "processes", (int64_t)prof_spread_procs(m));
        jo_key(w, "regions");
        jo_arr(w);
        for (size_t r = 0; r < n; r++)
            region(w, m, &m->entries[rows[r]], spread);
        jo_end(w);
        jo_key(w, "tree");
        tree_report(w, m);
    } else {
        jo_key(w, "functions");
        jo_arr(w);
        for (size_t r = 0; r < n; r++)
            function(w, m, &m->entries[rows[r]]);
        jo_end(w);
        if (m->n_edges) {
            jo_key(w, "edges");
            edges_report(w, m, rows, n);
        }
        if (m->n_nodes > 1) {
            jo_key(w, "tree");
            paths_report(w, m);
        }
    }
    free(rows);
    if (o->title)
        jo_kstr(w, "title", o->title);
    jo_end(w);
    return 0;
}

json_t *view_json_object(const prof_model *m, const view_opts *o)
{
    json_out w;
    jo_tree(&w);
    int rc = report(&w, m, o);
    json_t *root = jo_tree_end(&w);
    if (rc) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static int report_text(json_out *w, const prof_model *m, const view_opts *o)
{
    int rc = report(w, m, o);
    return jo_text_end(w) || rc ? -1 : 0;
}

int view_json(const prof_model *m, const view_opts *o, FILE *out)
{
    json_out w;
    jo_text(&w, out, 1);
    if (report_text(&w, m, o))
        return -1;
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}

int view_json_script(const prof_model *m, const view_opts *o, FILE *out)
{
    json_out w;
    jo_text_html(&w, out);
    return report_text(&w, m, o);
}
