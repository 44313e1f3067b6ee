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

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const spread_figs[] = {"min", "median", "max", "mean", "imbalance"};

static void spread_header(const prof_model *m, FILE *out)
{
    fputs(",processes", out);
    for (size_t k = 0; k < m->n_metrics; k++)
        for (size_t f = 0; f < 5; f++) {
            fputc(',', out);
            csv_field(out, k ? m->metrics[k].name : "excl_ns");
            fprintf(out, "%s_%s", k ? "_excl" : "", spread_figs[f]);
        }
}

/* A median or mean: exact when it is an integer or a half, else 15 digits. */
static void real(FILE *out, double v)
{
    fprintf(out, ",%.15g", v);
}

static void spread_row(const prof_model *m, size_t ei, FILE *out)
{
    prof_spread_fig f;
    fprintf(out, ",%zu", prof_spread_of(m, ei, 0, &f) ? f.procs : 0);
    for (size_t k = 0; k < m->n_metrics; k++) {
        if (!prof_spread_of(m, ei, k, &f)) {
            fputs(",,,,,", out);
            continue;
        }
        fprintf(out, ",%" PRId64, f.min);
        real(out, f.median);
        fprintf(out, ",%" PRId64, f.max);
        real(out, f.mean);
        real(out, f.imbalance);
    }
}

static void write_header(const prof_model *m, const view_opts *o, FILE *out)
{
    if (o->csv_lead_head)
        fprintf(out, "%s,", o->csv_lead_head);
    if (m->kind == PROF_REGIONS) {
        fputs("name,file,line,calls,incl_ns,excl_ns,min_ns,max_ns,mean_ns", out);
        for (size_t i = 1; i < m->n_metrics; i++) {
            fputc(',', out); csv_field(out, m->metrics[i].name); fputs("_incl,", out);
            csv_field(out, m->metrics[i].name); fputs("_excl", out);
        }
        fputs(",pairs,timed,overhead_share", out);
        if (view_spread_shown(m, o))
            spread_header(m, out);
    } else {
        fputs("name,file,line,object,calls", out);
        for (size_t i = 0; i < m->n_metrics; i++) {
            fputc(',', out); csv_field(out, m->metrics[i].name); fputs("_self", out);
            if (model_has_incl(m)) {
                fputc(',', out); csv_field(out, m->metrics[i].name); fputs("_incl", out);
            }
        }
    }
    fputs("\r\n", out);
}

/* incl / calls, for any calls (a count above INT64_MAX, held there by
 * prof_addu, must not become a negative divisor). */
static int64_t mean_of(int64_t incl, uint64_t calls)
{
    return calls == 0 ? 0 : calls > (uint64_t)INT64_MAX ? 0 : incl / (int64_t)calls;
}

int view_csv(const prof_model *m, const view_opts *o, FILE *out)
{
    sort_key k;
    if (view_sort_key(m, o, &k))
        return -1;
    int regions = m->kind == PROF_REGIONS, incl = model_has_incl(m);
    if (!o->csv_no_header)   /* with --threads, only the first block has it */
        write_header(m, o, out);
    size_t n;
    size_t *rows = sorted_entries(m, &k, o->limit, &n);
    for (size_t r = 0; r < n; r++) {
        const prof_entry *e = &m->entries[rows[r]];
        if (o->csv_lead)
            fprintf(out, "%s,", o->csv_lead);
        csv_field(out, e->name);
        fputc(',', out);
        csv_field(out, e->file);
        fprintf(out, ",%d,", e->line);
        if (regions) {
            fprintf(out, "%" PRIu64 ",%" PRId64 ",%" PRId64 ",%" PRIu64 ",%" PRIu64 ",%" PRId64,
                    e->calls, e->incl[0], e->self[0], e->min_ns, e->max_ns,
                    mean_of(e->incl[0], e->calls));
            for (size_t i = 1; i < m->n_metrics; i++)
                fprintf(out, ",%" PRId64 ",%" PRId64, e->incl[i], e->self[i]);
            fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%.3f", e->pairs, e->timed, prof_entry_overhead_share(e));
            if (view_spread_shown(m, o))
                spread_row(m, rows[r], out);
        } else {
            csv_field(out, e->object);
            fprintf(out, ",%" PRIu64, e->calls);
            for (size_t i = 0; i < m->n_metrics; i++) {
                fprintf(out, ",%" PRId64, e->self[i]);
                if (incl) {
                    if (e->has_incl)
                        fprintf(out, ",%" PRId64, e->incl[i]);
                    else
                        fputc(',', out);
                }
            }
        }
        fputs("\r\n", out);
    }
    free(rows);
    return ferror(out) ? -1 : 0;
}
