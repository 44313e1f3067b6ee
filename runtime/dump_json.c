/*
 * dump_json.c: the JSON of one dump, from one cut of every thread, into
 * one file per format asked for: the header (process, place, clock,
 * events, calibration), each thread (cprof-1's regions and tree here,
 * cprof-2's site table and tree in dump_v2.c), the errors. Each thread is
 * made ready once (open calls closed, throttled figures scaled, ns,
 * derived) and written in every format before the next: the memory is one
 * thread's, whatever the formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "dump.h"
#include "json.h"

static int calibrated;         /* the overhead is measured once, at the first dump */
static cprof_overhead overhead;

/* One entry of "events": the list asked for, then the user counters the
 * program counted without naming them there. */
typedef struct event_entry {
    const char *name, *reason;
    int active, slot, kind;
} event_entry;

typedef struct ctx {
    dump_columns cols;         /* the active counters, as every record has them */
    int slots;                 /* counter slots in use (cprof_counter_slots) */
    double ns;                 /* ns per tick */
    uint64_t now;              /* when the dump was asked for: open calls end here */
    const long long *c_now;    /* the dumping thread's counters then */
    uint64_t open, unbalanced, dropped;
    event_entry *events;
    int n_events;
    dump_cuts cuts;
    uint32_t nregions;         /* ids of the cut's regions are at most this */
    uint32_t *site_of;         /* cprof-2: region id -> site index + 1 */
} ctx;

static unsigned long long to_ns(const ctx *c, uint64_t ticks)
{
    return (unsigned long long)((double)ticks * c->ns + 0.5);
}

static void write_command(FILE *f)
{
    char buf[4096];
    size_t n = cprof_cmdline(buf, sizeof buf - 1);
    while (n && buf[n - 1] == 0)
        n--;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == 0)
            buf[i] = ' ';
    buf[n] = 0;
    cprof_json_str(f, buf);
}

static void write_str_or_null(FILE *f, const char *s)
{
    if (s)
        cprof_json_str(f, s);
    else
        fputs("null", f);
}

/* Where it ran (host.c read it at start-up), so reports can tell machines
 * apart, and which rank of a parallel job it is, when it is one. */
static void write_place(FILE *f)
{
    fputs(",\n  \"host\": ", f);
    write_str_or_null(f, cprof_host_name());
    fputs(", \"cpu\": ", f);
    write_str_or_null(f, cprof_host_cpu());
    if (cprof_host_rank() >= 0)
        fprintf(f, ", \"rank\": %d", cprof_host_rank());
    if (cprof_host_rank() >= 0 && cprof_host_world_size() > 0)
        fprintf(f, ", \"world_size\": %d", cprof_host_world_size());
}

static const char no_hook[] =
    "no allocation hook in this process: a Rust program needs #[global_allocator] "
    "static A: cprof::Alloc<std::alloc::System> = cprof::Alloc::new(std::alloc::System); "
    "(cargo profiler init --alloc adds it), a C or C++ program libcprof_alloc.so "
    "(LD_PRELOAD, or linked before libc)";

#define STR_(x) #x
#define STR(x) STR_(x)
static const char too_many[] = "more than " STR(CPROF_MAX_EVENTS) " counters in all";

/* The entries of "events" (caller frees), and the active ones as columns. */
static event_entry *event_entries(ctx *c, int *n)
{
    uint32_t nu = cprof_user_count();
    c->slots = cprof_counter_slots();   /* after: every counter listed has a slot below it */
    event_entry *v = malloc(((size_t)cprof_n_events + nu + 1) * sizeof *v);
    *n = 0;
    c->cols.n = 0;
    if (!v)
        return NULL;
    int hooked = CPROF_LOAD(&cprof_alloc_seen);
    for (int e = 0; e < cprof_n_events; e++) {
        const cprof_event_state *s = &cprof_events[e];
        event_entry x = { s->name, s->reason, s->active, s->slot, s->kind };
        if (x.active && x.kind == CPROF_EV_BUILTIN && !hooked)
            x.active = 0, x.reason = no_hook;
        v[(*n)++] = x;
    }
    for (uint32_t i = 0; i < nu; i++) {
        cprof_user_info u;
        cprof_user_get(i, &u);
        if (!u.asked)
            v[(*n)++] = (event_entry){ u.name, u.slot < 0 ? too_many : NULL,
                                       u.slot >= 0, u.slot, CPROF_EV_USER };
    }
    for (int i = 0; i < *n; i++)
        if (v[i].active && c->cols.n < CPROF_MAX_EVENTS)
            c->cols.v[c->cols.n++] = (dump_column){ v[i].name, v[i].slot, v[i].kind };
    return v;
}

static void write_events(const ctx *c, FILE *f)
{
    const cprof_overhead *o = &overhead;
    double ns = c->ns;
    fputs(",\n  \"events\": [", f);
    for (int e = 0; e < c->n_events; e++) {
        const event_entry *v = &c->events[e];
        fprintf(f, "%s{\"name\": ", e ? ", " : "");
        cprof_json_str(f, v->name);
        fprintf(f, ", \"active\": %s", v->active ? "true" : "false");
        if (v->reason) {
            fputs(", \"reason\": ", f);
            cprof_json_str(f, v->reason);
        }
        fputc('}', f);
    }
    fprintf(f, "],\n  \"overhead\": {\"ns_per_pair\": %.2f, \"ns_inside\": %.2f, \"ns_untimed\": %.2f, "
               "\"ns_untimed_scope\": %.2f",
            o->ticks_per_pair * ns, o->ticks_inside * ns, o->ticks_untimed * ns, o->ticks_untimed_scope * ns);
    static const char *const maps[] = { "counters", "counters_inside", "counters_untimed", "counters_untimed_scope" };
    const double *const vals[] = { o->c_per_pair, o->c_inside, o->c_untimed, o->c_untimed_scope };
    for (int pass = 0; pass < 4; pass++) {
        const double *v = vals[pass];
        fprintf(f, ", \"%s\": {", maps[pass]);
        for (int k = 0; k < c->cols.n; k++) {
            fprintf(f, "%s", k ? ", " : "");
            cprof_json_str(f, c->cols.v[k].name);
            fprintf(f, ": %.2f", v[c->cols.v[k].slot]);
        }
        fputc('}', f);
    }
    fputc('}', f);
}

/* What CPROF_REGIONS left out, so that an empty selection can be explained. */
static void write_selection(FILE *f)
{
    if (!cprof_cfg.regions)
        return;
    fputs(",\n  \"filter\": ", f);
    cprof_json_str(f, cprof_cfg.regions);
    size_t shown, distinct;
    char **names = cprof_registry_unselected(1000, &shown, &distinct);
    fputs(", \"unselected\": [", f);
    for (size_t i = 0; i < shown; i++) {
        fputs(i ? ", " : "", f);
        cprof_json_str(f, names[i]);
    }
    fprintf(f, "], \"unselected_count\": %zu", distinct);
    free(names);
}

/* A thread whose PAPI event set failed has no PAPI figures: left out. */
static void write_counters(const ctx *c, FILE *f, int has_papi, const long long *incl, const long long *excl)
{
    fputs("\"counters\": {", f);
    for (int i = 0, k = 0; i < c->cols.n; i++) {
        const dump_column *col = &c->cols.v[i];
        if (col->kind == CPROF_EV_PAPI && !has_papi)
            continue;
        fprintf(f, "%s", k++ ? ", " : "");
        cprof_json_str(f, col->name);
        fprintf(f, ": {\"incl\": %lld, \"excl\": %lld}", incl[col->slot], excl[col->slot]);
    }
    fputc('}', f);
}

/* Everything the thread counted of its built-in and user counters, inside
 * regions or not (allocations: since it started; user counts: since it
 * first entered a region or counted). */
static void write_totals(const ctx *c, FILE *f, const cprof_alloc_counts *alloc, const cprof_node *root,
                         const cprof_derived *d0)
{
    const char *sep = "";
    for (int i = 0; i < c->cols.n; i++) {
        const dump_column *col = &c->cols.v[i];
        long long v;
        if (col->kind == CPROF_EV_BUILTIN)
            v = (long long)alloc->v[cprof_builtin_src[col->slot - cprof_n_active]];
        else if (col->kind == CPROF_EV_USER)
            v = root->c_incl[col->slot] + d0->child_c[col->slot];
        else
            continue;
        fputs(*sep ? sep : ",\n     \"totals\": {", f);
        sep = ", ";
        cprof_json_str(f, col->name);
        fprintf(f, ": %lld", v);
    }
    if (*sep)
        fputc('}', f);
}

/* The figures a region and a tree node share. */
typedef struct figures {
    uint64_t calls, incl;
    int64_t excl;
    uint64_t min, max, child_calls, desc_calls;   /* times in ns */
    uint64_t pairs, timed, child_timed, child_untimed, child_untimed_scope;
    uint32_t period;
    const long long *c_incl, *c_excl;
} figures;

/* Throttling's fields, only where a call was not timed (docs/dump-format.md). */
static void write_sampling(FILE *f, const figures *x)
{
    if (x->timed < x->pairs)
        fprintf(f, "\"timed\": %llu, \"period\": %u, \"child_timed\": %llu, ",
                (unsigned long long)x->timed, x->period, (unsigned long long)x->child_timed);
    if (x->child_untimed)
        fprintf(f, "\"child_untimed\": %llu, ", (unsigned long long)x->child_untimed);
    if (x->child_untimed_scope)
        fprintf(f, "\"child_untimed_scope\": %llu, ", (unsigned long long)x->child_untimed_scope);
}

static void write_figures(const ctx *c, FILE *f, const cprof_region_info *info, const figures *x, int has_papi)
{
    int has_min = x->min <= x->max;   /* a completed timed call */
    cprof_json_str(f, info->name);
    fputs(", \"file\": ", f);
    cprof_json_str(f, info->file);
    fprintf(f, ", \"line\": %d, \"calls\": %llu, \"incl_ns\": %llu, \"excl_ns\": %lld, "
               "\"min_ns\": %llu, \"max_ns\": %llu, \"child_calls\": %llu, \"desc_calls\": %llu, ",
            info->line, (unsigned long long)x->calls, (unsigned long long)x->incl, (long long)x->excl,
            (unsigned long long)(has_min ? x->min : 0), (unsigned long long)(has_min ? x->max : 0),
            (unsigned long long)x->child_calls, (unsigned long long)x->desc_calls);
    write_sampling(f, x);
    write_counters(c, f, has_papi, x->c_incl, x->c_excl);
    fputc('}', f);
}

static void write_tables_v1(const ctx *c, FILE *f, const dump_thread *t)
{
    fputs(",\n     \"regions\": [", f);
    const char *sep = "";
    cprof_region_info info;
    for (uint32_t id = 1; id <= c->nregions; id++) {
        const cprof_region_sum *r = &t->sum[id];
        if (!r->pairs || !cprof_registry_get(id, &info))
            continue;
        fprintf(f, "%s\n       {\"id\": %u, \"pairs\": %llu, \"incl_calls\": %llu, \"name\": ",
                sep, id, (unsigned long long)r->pairs, (unsigned long long)r->incl_calls);
        figures x = { r->calls, r->incl, r->excl, r->min, r->max, r->child_calls,
                      r->desc_calls, r->pairs, r->timed, r->child_timed, r->child_untimed,
                      r->child_untimed_scope, r->period, r->c_incl, r->c_excl };
        write_figures(c, f, &info, &x, t->has_papi);
        sep = ",";
    }
    fputs("],\n     \"tree\": [", f);
    sep = "";
    const cprof_derived *d = t->d;
    for (uint32_t n = 1; n < t->nnodes; n++) {
        const cprof_node *y = &t->nodes[n];
        if (!cprof_registry_get(y->region, &info))
            continue;
        fprintf(f, "%s\n       {\"node\": %u, \"parent\": %u, %s\"pairs\": %llu, \"region\": ", sep,
                n, y->parent, t->open && t->open[n] ? "\"open\": true, " : "",
                (unsigned long long)y->pairs);
        figures x = { y->pairs - y->incomplete, y->incl, d[n].excl, y->min, y->max, d[n].child_pairs,
                      d[n].desc_pairs, y->pairs, y->timed, d[n].child_timed, d[n].child_untimed,
                      d[n].child_untimed_scope, y->period, d[n].c_incl, d[n].c_excl };
        write_figures(c, f, &info, &x, t->has_papi);
        sep = ",";
    }
    fputs("]}", f);
}

/* A thread made ready to write: what its cut becomes. */
typedef struct ready {
    dump_thread t;
    uint32_t open_now;         /* calls open at the cut */
    uint8_t *open;
    cprof_derived *d;
    cprof_region_sum *sum;
} ready;

/* Times in ns from here on, before anything is added up: the reader of
 * cprof-2 adds the nodes' ns as written, and gets the regions' figures of
 * cprof-1 exactly. */
static void nodes_to_ns(const ctx *c, cprof_node *nodes, uint32_t nnodes)
{
    for (uint32_t n = 1; n < nnodes; n++) {
        cprof_node *x = &nodes[n];
        x->incl = to_ns(c, x->incl);
        if (x->min <= x->max) {   /* else no completed timed call: left as it is */
            x->min = to_ns(c, x->min);
            x->max = to_ns(c, x->max);
        }
    }
}

static void make_ready(ctx *c, dump_cut *k, ready *r)
{
    memset(r, 0, sizeof *r);
    cprof_thread *t = &k->copy;
    r->open_now = cprof_open_count(t, t->nodes);
    c->open += r->open_now + k->open_at_exit;
    c->unbalanced += t->unbalanced;
    c->dropped += t->dropped;
    r->open = calloc(t->nnodes, 1);
    if (!r->open)
        return;
    cprof_dump_close_open(k, c->now, c->c_now, r->open);
    cprof_scale_sampled(t->nodes, t->nnodes, c->slots, cprof_user_base);
    nodes_to_ns(c, t->nodes, t->nnodes);
    const uint8_t *open = k->mine ? NULL : r->open;
    if (cprof_derive(t->nodes, t->nnodes, c->slots, cprof_user_base, c->nregions, open, &r->d, &r->sum) != 0)
        r->d = NULL, r->sum = NULL;
    r->t = (dump_thread){ t->nodes, t->nnodes, open, r->d, r->sum, t->nev > 0 };
}

static void free_ready(ready *r)
{
    free(r->open);
    free(r->d);
    free(r->sum);
}

static void write_thread(const ctx *c, FILE *f, int format, const dump_cut *k, const ready *r, int first)
{
    fprintf(f, "%s\n    {\"tid\": %d, \"name\": ", first ? "" : ",", (int)k->tid);
    cprof_json_str(f, k->name);
    fprintf(f, ", \"finished\": %s, \"open\": %u, \"open_at_exit\": %u",
            k->finished ? "true" : "false", r->open_now, k->open_at_exit);
    if (k->counter_error) {
        fputs(", \"counter_error\": ", f);
        cprof_json_str(f, k->counter_error);
    }
    if (!r->d || (format != 1 && !c->site_of)) {
        fputs(format == 1 ? ", \"regions\": [], \"tree\": [], \"derive_error\": \"out of memory\"}"
                          : ", \"tree\": [], \"derive_error\": \"out of memory\"}", f);
        return;
    }
    write_totals(c, f, &k->copy.alloc_final, &k->copy.nodes[0], &r->d[0]);
    if (format == 1)
        write_tables_v1(c, f, &r->t);
    else
        cprof_dump_v2_tree(f, &c->cols, &r->t, c->site_of);
}

static void write_threads(ctx *c, dump_out *outs, int n)
{
    for (size_t i = 0; i < c->cuts.n; i++) {
        ready r;
        make_ready(c, &c->cuts.v[i], &r);
        for (int o = 0; o < n; o++)
            write_thread(c, outs[o].f, outs[o].format, &c->cuts.v[i], &r, i == 0);
        free_ready(&r);
    }
    if (c->cuts.failed)
        cprof_warn("the dump leaves out threads: out of memory");
}

/* cprof-2's site table: the regions of every thread's tree. */
static void site_map(ctx *c)
{
    size_t n = c->cuts.n;
    const cprof_node **nodes = calloc(n + 1, sizeof *nodes);
    uint32_t *nnodes = calloc(n + 1, sizeof *nnodes), nsites;
    for (size_t i = 0; nodes && nnodes && i < n; i++) {
        nodes[i] = c->cuts.v[i].copy.nodes;
        nnodes[i] = c->cuts.v[i].copy.nnodes;
    }
    if (nodes && nnodes)
        c->site_of = cprof_dump_v2_site_map(nodes, nnodes, n, c->nregions, &nsites);
    free(nodes);
    free(nnodes);
}

static void write_header(const ctx *c, FILE *f, int format)
{
    fprintf(f, "{\"format\": \"%s\", \"version\": \"%s\", \"pid\": %d, \"ppid\": %d,\n  \"command\": ",
            format == 1 ? CPROF_DUMP_FORMAT_V1 : CPROF_DUMP_FORMAT, CPROF_VERSION, (int)getpid(),
            (int)getppid());
    write_command(f);
    write_place(f);
    fprintf(f, ",\n  \"clock\": \"%s\"", cprof_clock_name());
    if (cprof_clock_is_tsc)
        fprintf(f, ", \"tsc_ghz\": %.6f", 1.0 / c->ns);
    fprintf(f, ", \"wall_ns\": %llu", to_ns(c, c->now - cprof_clock_start_ticks()));
    write_events(c, f);
    if (format != 1)
        cprof_dump_v2_sites(f, c->site_of, c->site_of ? c->nregions : 0);
    fputs(",\n  \"threads\": [", f);
}

static void write_footer(const ctx *c, FILE *f)
{
    fprintf(f, "],\n  \"errors\": {\"unbalanced\": %llu, \"open\": %llu, \"dropped\": %llu, "
               "\"reentrant\": %llu}",
            (unsigned long long)c->unbalanced, (unsigned long long)c->open,
            (unsigned long long)c->dropped, (unsigned long long)CPROF_LOAD(&cprof_reentrant));
    write_selection(f);
    fputs("}\n", f);
}

void cprof_dump_write(dump_out *outs, int n, uint64_t now, const long long *c_now)
{
    ctx c = { .now = now, .c_now = c_now };
    if (!calibrated) {
        cprof_calibrate(&overhead);
        calibrated = 1;
    }
    c.ns = cprof_clock_ns_per_tick();
    c.events = event_entries(&c, &c.n_events);
    c.cuts.slots = c.slots;
    cprof_dump_take_cuts(&c.cuts);
    c.nregions = cprof_registry_count();   /* after: every region of the cut is below it */
    for (int o = 0; o < n; o++)
        if (outs[o].format != 1 && !c.site_of)
            site_map(&c);
    for (int o = 0; o < n; o++)
        write_header(&c, outs[o].f, outs[o].format);
    write_threads(&c, outs, n);
    for (int o = 0; o < n; o++)
        write_footer(&c, outs[o].f);
    cprof_dump_free_cuts(&c.cuts);
    free(c.events);
    free(c.site_of);
}
