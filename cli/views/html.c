/*
 * html.c: --format html, one self-contained page of a profile: the JSON
 * report (view_json_script) as its data, what report.js needs beside it
 * (the ratios the events allow, each thread of each process), the flame
 * graph; report.js draws the summary, the sortable table, the call tree
 * and the breakdown from that data.
 */
#include "views/flame.h"
#include "views/html_page.h"
#include "views/util.h"

#include <stdlib.h>

/* A run of hundreds of processes must not make a page of a gigabyte: the
 * breakdown lists at most HTML_PARTS_LISTED threads, and the table of only
 * the HTML_PART_REPORTS heaviest (by time) is kept, with their top
 * HTML_PART_ROWS regions. The page says what it left out. */
#define HTML_PARTS_LISTED 4096
#define HTML_PART_REPORTS 32
#define HTML_PART_ROWS 500

/* The figures a derived value adds up, as the report names them: a counter,
 * "time_ns" (a region's time) or "calls" (views/util.h, DERIVED_CALLS). */
static json_t *names_json(const prof_model *m, const int *idx)
{
    json_t *a = json_array();
    for (int j = 0; j < 3 && (idx[j] >= 0 || idx[j] == DERIVED_CALLS); j++) {
        int regions_time = m->kind == PROF_REGIONS && idx[j] == 0;
        json_array_append_new(a, json_string(idx[j] == DERIVED_CALLS ? "calls" : regions_time ? "time_ns"
                                                                                  : m->metrics[idx[j]].name));
    }
    return a;
}

/* The ratios and rates the table view shows (IPC, miss ratios, bytes/s), by metric names. */
static json_t *derived_json(const prof_model *m)
{
    derived dv[DERIVED_MAX];
    size_t nd = derived_figures(m, dv, DERIVED_MAX);
    json_t *a = json_array();
    for (size_t d = 0; d < nd; d++)
        json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:b, s:f, s:b}", "label", dv[d].label,
                                           "num", names_json(m, dv[d].num), "den", names_json(m, dv[d].den),
                                           "percent", dv[d].percent, "scale", dv[d].scale,
                                           "count", dv[d].count));
    return a;
}

static json_t *totals_json(const prof_model *m)
{
    json_t *t = json_object();
    for (size_t k = 0; k < m->n_metrics; k++)
        json_object_set_new(t, k ? m->metrics[k].name : "time_ns", json_integer((json_int_t)m->totals[k]));
    return t;
}

static uint64_t calls_of(const prof_model *m)
{
    uint64_t calls = 0;
    for (size_t i = 0; i < m->n_entries; i++)
        calls = prof_addu(calls, m->entries[i].calls);
    return calls;
}

static int heavier(const void *a, const void *b, void *parts)
{
    const view_part *p = parts;
    int64_t x = p[*(const size_t *)a].m->totals[0], y = p[*(const size_t *)b].m->totals[0];
    return x < y ? 1 : x > y ? -1 : 0;
}

/* report[i]: 1 for the parts whose table is kept. */
static char *kept_reports(const view_opts *o, size_t listed)
{
    char *keep = calloc(listed + 1, 1);
    size_t *order = malloc((listed + 1) * sizeof *order);
    if (!keep || !order) {
        free(order);
        return keep;
    }
    for (size_t i = 0; i < listed; i++)
        order[i] = i;
    qsort_r(order, listed, sizeof *order, heavier, (void *)o->parts);
    for (size_t i = 0; i < listed && i < HTML_PART_REPORTS; i++)
        keep[order[i]] = 1;
    free(order);
    return keep;
}

/* Each thread's line of the breakdown; "report": the index of its
 * cprof-part-N element, or null. */
static json_t *parts_json(const view_opts *o, const char *keep)
{
    json_t *a = json_array();
    size_t listed = o->n_parts < HTML_PARTS_LISTED ? o->n_parts : HTML_PARTS_LISTED;
    for (size_t i = 0, r = 0; i < listed; i++) {
        const view_part *p = &o->parts[i];
        json_t *report = keep && keep[i] ? json_integer((json_int_t)r++) : json_null();
        json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:I, s:I, s:o, s:o}", "pid", (json_int_t)p->pid,
                                           "tid", (json_int_t)p->tid, "thread", p->thread ? p->thread : "",
                                           "calls", (json_int_t)calls_of(p->m), "regions", (json_int_t)p->m->n_entries,
                                           "totals", totals_json(p->m), "report", report));
    }
    return a;
}

static json_t *meta_json(const prof_model *m, const view_opts *o, const char *keep)
{
    json_t *meta = json_pack("{s:o, s:I, s:I, s:I, s:I}", "derived", derived_json(m),
                             "parts_total", (json_int_t)o->n_parts, "parts_listed_max", (json_int_t)HTML_PARTS_LISTED,
                             "part_reports_max", (json_int_t)HTML_PART_REPORTS,
                             "part_rows_max", (json_int_t)HTML_PART_ROWS);
    if (o->parts)
        json_object_set_new(meta, "parts", parts_json(o, keep));
    return meta;
}

/* The kept parts' own reports, cprof-part-0, -1, ... in the breakdown's order. */
static int part_reports(FILE *out, const view_opts *o, const char *keep)
{
    view_opts po = *o;
    po.parts = NULL;
    po.n_parts = 0;
    po.limit = o->limit && o->limit < HTML_PART_ROWS ? o->limit : HTML_PART_ROWS;
    int rc = 0;
    char id[48];
    for (size_t i = 0, r = 0; keep && i < o->n_parts && i < HTML_PARTS_LISTED; i++) {
        if (!keep[i])
            continue;
        json_t *j = view_json_object(o->parts[i].m, &po);
        if (!j)
            return -1;
        json_object_del(j, "tree");   /* the page shows a thread's table, not its tree */
        snprintf(id, sizeof id, "cprof-part-%zu", r++);
        rc |= html_json(out, id, j);
        json_decref(j);
    }
    return rc;
}

/* The sections report.js fills, in the order of the page, the flame graph
 * (views/flame.h) inline in its own. */
static int sections(FILE *out, const prof_model *m, const view_opts *o)
{
    fputs("<header id=\"cprof-summary\"></header>\n<nav id=\"cprof-nav\" aria-label=\"sections\"></nav>\n"
          "<main>\n<section id=\"cprof-table\"></section>\n<section id=\"cprof-tree\"></section>\n"
          "<section id=\"cprof-flame\">\n", out);
    int rc = flame_svg_element(m, o, out);
    fputs("</section>\n<section id=\"cprof-threads\"></section>\n</main>\n", out);
    return rc;
}

int view_html(const prof_model *m, const view_opts *o, FILE *out)
{
    sort_key k;
    if (view_sort_key(m, o, &k))   /* before a byte of the page */
        return -1;
    size_t listed = o->n_parts < HTML_PARTS_LISTED ? o->n_parts : HTML_PARTS_LISTED;
    char *keep = o->parts ? kept_reports(o, listed) : NULL;
    json_t *meta = meta_json(m, o, keep);
    html_begin(out, "report", m->command ? m->command : m->tool);
    int rc = sections(out, m, o);
    fputs("<script type=\"application/json\" id=\"cprof-data\">", out);
    rc |= view_json_script(m, o, out);
    fputs("</script>\n", out);
    rc |= html_json(out, "cprof-meta", meta);
    rc |= part_reports(out, o, keep);
    rc |= html_end(out);
    free(keep);
    json_decref(meta);
    return rc ? -1 : 0;
}
