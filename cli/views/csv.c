/*
 * csv.c: one row per region or function (RFC 4180 quoting), exact integers,
 * sorted like the table, -n applies. Regions: name,file,line,calls,incl_ns,
 * excl_ns,min_ns,max_ns,mean_ns, then EV_incl,EV_excl per event, then
 * pairs,timed (throttling: fewer timed than pairs) and overhead_share (the
 * profiler's part of the measured time, model/trust.h), then (a profile of
 * several processes) processes and per metric the spread of the exclusive
 * figures (model/spread.h). Valgrind: name,file,line,object,calls, then
 * EV_self[,EV_incl] per event.
 */
#include "views/util.h"
#include "model/trust.h"

#include <stdlib.h>
#include <string.h>

static const char *const spread_figs[] = {"min", "median", "max", "mean", "imbalance"};

static void spread_header(const prof_model *m, outbuf *b)
{
    ob_puts(b, ",processes");
    for (size_t k = 0; k < m->n_metrics; k++)
        for (size_t f = 0; f < 5; f++) {
            ob_putc(b, ',');
            csv_cell(b, k ? m->metrics[k].name : "excl_ns");
            ob_puts(b, k ? "_excl_" : "_");
            ob_puts(b, spread_figs[f]);
        }
}

/* ",v" for a real, printf's way (fmt: "%.15g", "%.3f") */
static void real(outbuf *b, const char *fmt, double v)
{
    char t[64];
    snprintf(t, sizeof t, fmt, v);
    ob_putc(b, ',');
    ob_puts(b, t);
}

static void write_header(const prof_model *m, const view_opts *o, outbuf *b)
{
    if (o->csv_lead_head) {
        ob_puts(b, o->csv_lead_head);
        ob_putc(b, ',');
    }
    if (m->kind == PROF_REGIONS) {
        ob_puts(b, "name,file,line,calls,incl_ns,excl_ns,min_ns,max_ns,mean_ns");
        for (size_t i = 1; i < m->n_metrics; i++) {
            ob_putc(b, ','); csv_cell(b, m->metrics[i].name); ob_puts(b, "_incl,");
            csv_cell(b, m->metrics[i].name); ob_puts(b, "_excl");
        }
        ob_puts(b, ",pairs,timed,overhead_share");
        if (view_spread_shown(m, o))
            spread_header(m, b);
    } else {
        ob_puts(b, "name,file,line,object,calls");
        for (size_t i = 0; i < m->n_metrics; i++) {
            ob_putc(b, ','); csv_cell(b, m->metrics[i].name); ob_puts(b, "_self");
            if (model_has_incl(m)) {
                ob_putc(b, ','); csv_cell(b, m->metrics[i].name); ob_puts(b, "_incl");
            }
        }
    }
    ob_puts(b, "\r\n");
}

/* incl / calls, for any calls (a count above INT64_MAX, held there by
 * prof_addu, must not become a negative divisor). */
static int64_t mean_of(int64_t incl, uint64_t calls)
{
    return calls == 0 ? 0 : calls > (uint64_t)INT64_MAX ? 0 : incl / (int64_t)calls;
}

/* ",v" */
static void num(outbuf *b, int64_t v)
{
    ob_putc(b, ',');
    ob_int(b, v);
}

/* A median or mean: exact when it is an integer or a half, else 15 digits. */
static void spread_row(const prof_model *m, size_t ei, outbuf *b)
{
    prof_spread_fig f;
    num(b, prof_spread_of(m, ei, 0, &f) ? (int64_t)f.procs : 0);
    for (size_t k = 0; k < m->n_metrics; k++) {
        if (!prof_spread_of(m, ei, k, &f)) {
            ob_puts(b, ",,,,,");
            continue;
        }
        num(b, f.min);
        real(b, "%.15g", f.median);
        num(b, f.max);
        real(b, "%.15g", f.mean);
        real(b, "%.15g", f.imbalance);
    }
}

static void row(const prof_model *m, const view_opts *o, const prof_entry *e, int incl, outbuf *b)
{
    if (o->csv_lead) {
        ob_puts(b, o->csv_lead);
        ob_putc(b, ',');
    }
    csv_cell(b, e->name);
    ob_putc(b, ',');
    csv_cell(b, e->file);
    num(b, e->line);
    ob_putc(b, ',');
    if (m->kind == PROF_REGIONS) {
        ob_uint(b, e->calls);
        num(b, e->incl[0]);
        num(b, e->self[0]);
        ob_putc(b, ',');
        ob_uint(b, e->min_ns);
        ob_putc(b, ',');
        ob_uint(b, e->max_ns);
        num(b, mean_of(e->incl[0], e->calls));
        for (size_t i = 1; i < m->n_metrics; i++) {
            num(b, e->incl[i]);
            num(b, e->self[i]);
        }
        num(b, (int64_t)e->pairs);
        num(b, (int64_t)e->timed);
        real(b, "%.3f", prof_share_shown(prof_entry_overhead_share(e)));
        if (view_spread_shown(m, o))
            spread_row(m, (size_t)(e - m->entries), b);
    } else {
        csv_cell(b, e->object);
        ob_putc(b, ',');
        ob_uint(b, e->calls);
        for (size_t i = 0; i < m->n_metrics; i++) {
            num(b, e->self[i]);
            if (incl && e->has_incl)
                num(b, e->incl[i]);
            else if (incl)
                ob_putc(b, ',');
        }
    }
    ob_puts(b, "\r\n");
}

int view_csv(const prof_model *m, const view_opts *o, FILE *out)
{
    sort_key k;
    if (view_sort_key(m, o, &k))
        return -1;
    int incl = model_has_incl(m);
    outbuf b;
    ob_open(&b, out, NULL, 0);
    if (!o->csv_no_header)   /* with --threads, only the first block has it */
        write_header(m, o, &b);
    size_t n;
    size_t *rows = sorted_entries(m, &k, o->limit, &n);
    for (size_t r = 0; r < n; r++)
        row(m, o, &m->entries[rows[r]], incl, &b);
    free(rows);
    return ob_close(&b) || ferror(out) ? -1 : 0;
}
