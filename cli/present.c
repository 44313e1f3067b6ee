/*
 * present.c: read -> merge -> derive -> view, for every command (see
 * present.h). Readers fill one model and never print; this file says what
 * went wrong with a file, checks the options against what was read, and
 * hands the model to one view.
 */
#include "present.h"
#include "views/json_out.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cmd/commands.h"
#include "model/trust.h"
#include "groups.h"
#include "model/callpaths.h"
#include "model/derive.h"
#include "model/mean.h"
#include "model/only_crate.h"
#include "readers/fn_def.h"
#include "near.h"
#include "readers/cprof_dump.h"
#include "readers/readers.h"
#include "sortkey.h"
#include "sys/xalloc.h"
#include "views/callers.h"
#include "views/util.h"

typedef struct reading {
    const present_in *in;
    const out_opts *o;
    prof_model *m;          /* NULL until the first file is read */
    cprof_dump **dumps;     /* kept for --threads only */
    groups groups;          /* --by: one model per rank or host */
    size_t nd, nd_kept;
    double pmin, pmax, imin, imax;   /* calibrated overheads seen */
    size_t n_runs;          /* > 1: the files are those of n_runs runs (--repeat) */
    const char *filter;     /* CPROF_REGIONS of the first dump that had one */
    cprof_dump *filter_dump;
    size_t reports;         /* our own json reports read (their figures are final) */
    int report_raw;         /* a report made with --no-compensate */
    int status;
    FILE *out;              /* where the view writes (-o FILE or stdout) */
} reading;

static void file_error(reading *r, const char *f, const char *what)
{
    fprintf(stderr, "cargo-profiler %s: %s%s%s\n", r->in->cmd, f ? f : "", f ? ": " : "", what);
    r->status = EXIT_FAIL;
}

/* A file given twice (two names of one file) is read once; seen is a set
 * (a JSON object: real path -> true). */
static int seen_before(json_t *seen, const char *f)
{
    char *real = realpath(f, NULL);
    if (!real)
        return 0;
    int before = json_object_get(seen, real) != NULL;
    if (!before)
        json_object_set_new(seen, real, json_true());
    free(real);
    return before;
}

static prof_model *new_model(const reading *r, prof_kind k)
{
    static const char *const tools[] = {"cprof", "callgrind", "cachegrind", "dhat"};
    prof_model *m = prof_model_new(k, tools[k]);
    if (r->in->command)
        m->command = xstrdup(r->in->command);
    return m;
}

/* Files of one kind only; the kind is set by the first file that reads. */
static int kind_fits(reading *r, const char *f, prof_kind k)
{
    if (!r->m || r->m->kind == k)
        return 1;
    file_error(r, f, "cannot be shown with the files before it (a different kind of profile)");
    return 0;
}

/* A report's figures are compensated already: dumps, compensated here,
 * would be reported twice over in the notes, so the two are not mixed. */
static int report_fits(reading *r, const char *f, int is_report)
{
    if (!r->m || r->m->kind != PROF_REGIONS || (is_report ? r->nd == r->reports : !r->reports))
        return 1;
    file_error(r, f, "a report and cprof dumps cannot be merged: show them apart");
    return 0;
}

static void read_dump(reading *r, const char *f)
{
    char err[1024];
    if (!kind_fits(r, f, PROF_REGIONS) || !report_fits(r, f, 0))
        return;
    cprof_dump *d = cprof_dump_load(f, err, sizeof err);
    if (!d) {
        file_error(r, NULL, err);
        return;
    }
    if (!r->m)
        r->m = new_model(r, PROF_REGIONS);
    cprof_dump_merge(r->m, d, -1, r->o->compensate);
    if (r->o->by)
        groups_add(&r->groups, r->m, d, r->o->compensate);
    double p = cprof_dump_ns_per_pair(d), in = cprof_dump_ns_inside(d);
    if (r->nd++ == 0) {
        r->pmin = r->pmax = p;
        r->imin = r->imax = in;
    }
    r->pmin = p < r->pmin ? p : r->pmin;
    r->pmax = p > r->pmax ? p : r->pmax;
    r->imin = in < r->imin ? in : r->imin;
    r->imax = in > r->imax ? in : r->imax;
    int keep = r->o->threads || view_wants_parts(r->o->view.format) || (!r->filter && cprof_dump_filter(d));
    if (!r->filter && cprof_dump_filter(d)) {
        r->filter = cprof_dump_filter(d);
        r->filter_dump = d;
    }
    if (keep)
        r->dumps[r->nd_kept++] = d;
    else
        cprof_dump_free(d);
}

static void read_valgrind(reading *r, const char *f, file_format ff)
{
    static int (*const readers[])(prof_model *, const char *, char *, size_t) = {
        [PROF_CALLGRIND] = read_callgrind, [PROF_CACHEGRIND] = read_cachegrind, [PROF_DHAT] = read_dhat,
    };
    char err[1024];
    prof_kind k = ff == FILE_CALLGRIND ? PROF_CALLGRIND : ff == FILE_DHAT ? PROF_DHAT : PROF_CACHEGRIND;
    if (!kind_fits(r, f, k))
        return;
    prof_model *m = r->m ? r->m : new_model(r, k);
    if (readers[k](m, f, err, sizeof err)) {
        file_error(r, NULL, err);
        if (m != r->m)
            prof_model_free(m);
        return;
    }
    r->m = m;
    r->nd++;
}

/* Our own --format json report, read back with its figures as printed. */
static void read_report(reading *r, const char *f)
{
    char err[1024];
    report_json *rep = report_json_load(f, err, sizeof err);
    if (!rep) {
        file_error(r, NULL, err);
        return;
    }
    prof_kind k = report_json_kind(rep);
    if (kind_fits(r, f, k) && report_fits(r, f, 1)) {
        if (!r->m)
            r->m = new_model(r, k);
        report_json_merge(r->m, rep);
        r->report_raw |= k == PROF_REGIONS && !report_json_compensated(rep);
        r->nd++;
        r->reports++;
    }
    report_json_free(rep);
}

static void read_one(reading *r, json_t *seen, const char *f)
{
    struct stat st;
    if (seen_before(seen, f)) {
        fprintf(stderr, "cargo-profiler %s: %s: given twice, read once\n", r->in->cmd, f);
        return;
    }
    /* its format is judged by its first bytes, then it is read again */
    if (stat(f, &st) == 0 && !S_ISREG(st.st_mode)) {
        file_error(r, f, "not a regular file (a pipe or device): save it to a file first");
        return;
    }
    file_format ff = sniff_format(f);
    if (ff == FILE_EMPTY || ff == FILE_OTHER) {
        file_error(r, f, ff == FILE_EMPTY ? "empty file (expected a cprof dump, a callgrind, cachegrind or DHAT file)"
                                          : "not a profile (expected a cprof dump, a callgrind, cachegrind or DHAT file)");
        return;
    }
    if (ff == FILE_CALLGRIND || ff == FILE_CACHEGRIND || ff == FILE_DHAT)
        read_valgrind(r, f, ff);
    else if (ff == FILE_CPROF_REPORT)
        read_report(r, f);
    else
        read_dump(r, f);   /* anything else: the dump reader names the byte at fault */
}

static void note_compensation(reading *r)
{
    prof_model *m = r->m;
    if (r->reports) {   /* each report's own notes say how it was compensated */
        if (r->nd > 1)
            prof_model_note(m, "merged %zu reports", r->nd);
        return;
    }
    if (!r->o->compensate)
        prof_model_note(m, "overhead compensation: off (--no-compensate): raw figures");
    else if (r->pmax - r->pmin < 0.05 && r->imax - r->imin < 0.05)
        prof_model_note(m, "overhead compensation: applied (%.1f ns around + %.1f ns inside "
                        "each measured call)", r->pmax, r->imax);
    else
        prof_model_note(m, "overhead compensation: applied (%.1f-%.1f ns around + %.1f-%.1f ns "
                        "inside each measured call, calibrated per process)", r->pmin, r->pmax,
                        r->imin, r->imax);
    if (r->n_runs > 1 && r->nd > r->n_runs)
        prof_model_note(m, "merged %zu dumps of %zu runs (processes)", r->nd, r->n_runs);
    else if (r->n_runs <= 1 && r->nd > 1)
        prof_model_note(m, "merged %zu dumps (processes)", r->nd);
}

/* How near name is to any of the selection's globs (comma-separated; '!'
 * ones exclude, so they do not count). */
static size_t selection_distance(const char *filter, const char *name)
{
    size_t best = NEAR_FAR;
    char glob[NEAR_MAX + 1];
    for (const char *p = filter; *p;) {
        size_t n = strcspn(p, ",");
        if (n && *p != '!' && n <= NEAR_MAX) {
            memcpy(glob, p, n);
            glob[n] = '\0';
            size_t d = near_name_distance(glob, name);
            best = d < best ? d : best;
        }
        p += n + (p[n] == ',');
    }
    return best;
}

#define NEAREST 5

/* A CPROF_REGIONS that selected nothing is said, with the names nearest
 * to it (the first ones entered among equals). */
static int empty_selection(const reading *r)
{
    const char *name, *near[NEAREST];
    size_t dist[NEAREST], k = 0;
    size_t n = cprof_dump_unselected(r->filter_dump, 0, &name);
    for (size_t i = 0; i < n && cprof_dump_unselected(r->filter_dump, i, &name) && name; i++) {
        size_t d = selection_distance(r->filter, name), j = k < NEAREST ? k++ : NEAREST;
        for (; j > 0 && dist[j - 1] > d; j--)
            if (j < NEAREST)
                near[j] = near[j - 1], dist[j] = dist[j - 1];
        if (j < NEAREST)
            near[j] = name, dist[j] = d;
    }
    fprintf(stderr, "cargo-profiler %s: CPROF_REGIONS '%s' matched none of the %zu region(s) the "
            "program entered", r->in->cmd, r->filter, n);
    for (size_t i = 0; i < k; i++)
        fprintf(stderr, "%s%s", i ? ", " : "; the nearest: ", near[i]);
    fputs(n ? " (globs match a full name or a ::-suffix of it)\n" : "\n", stderr);
    return EXIT_FAIL;
}

static void note_program(prof_model *m, const launch_result *p)
{
    if (!p || !p->started)
        return;
    m->program_known = 1;
    m->program_status = p->exited ? p->status : -1;
    m->program_signal = p->exited ? 0 : p->signal;
}

static void derive_valgrind(reading *r, out_opts *o)
{
    prof_model *m = r->m;
    for (size_t i = 0; i < r->in->n_notes; i++)
        prof_model_note(m, "%s", r->in->notes[i]);
    if (r->nd > 1)
        prof_model_note(m, "merged %zu output files (threads or processes)", r->nd);
    if (m->kind == PROF_CACHEGRIND)
        vg_rust_def_sites(m);   /* after every file is merged: their costs pick the file */
    if (m->kind == PROF_CALLGRIND && view_draws_paths(o->view.format))
        vg_call_paths(m);   /* once, after every file is merged, only for the views that draw them */
    if (o->only_crate)
        r->m = vg_only_crate(m, r->in->exe);
    prof_derive_vg_labels(r->m);
    if (!o->limit_given)
        o->view.limit = view_valgrind_limit(o->view.format);
}

static int show(reading *r, out_opts *o);

/* Read, merge and derive files into r->m. 0, or EXIT_FAIL when nothing was read. */
static int load(reading *r, const file_list *files, out_opts *o)
{
    r->dumps = xcalloc(files->n + 1, sizeof *r->dumps);
    r->groups.by = o->by;
    json_t *seen = json_object();
    for (size_t i = 0; i < files->n; i++)
        read_one(r, seen, files->v[i]);
    json_decref(seen);
    if (!r->nd)   /* nothing parsed: nothing on stdout either */
        return EXIT_FAIL;
    note_program(r->m, r->in->program);
    if (r->m->kind == PROF_REGIONS) {
        prof_derive_regions(r->m);   /* once, after every dump is merged */
        prof_derive_labels(r->m);
        groups_finish(&r->groups, r->m);
        note_compensation(r);
        if (!r->reports)
            r->m->clock_floor_ns = r->imax;
        prof_trust_notes(r->m);
        r->m->raw = r->reports ? r->report_raw : !o->compensate;
    } else {
        derive_valgrind(r, o);
    }
    return 0;
}

static void unload(reading *r)
{
    for (size_t i = 0; i < r->nd_kept; i++)
        cprof_dump_free(r->dumps[i]);
    free(r->dumps);
    groups_free(&r->groups);
    prof_model_free(r->m);
}

prof_model *present_load(const present_in *in, const file_list *files, out_opts *o, int *status)
{
    reading r = {.in = in, .o = o};
    int rc = load(&r, files, o);
    *status = rc ? rc : r.status;
    prof_model *m = rc ? NULL : r.m;
    r.m = rc ? r.m : NULL;
    unload(&r);
    return m;
}

/* The runs of --repeat N: r->m (every run merged) becomes their mean. */
static int mean_of_runs(reading *r, const run_list *runs, out_opts *o)
{
    prof_model **each = xcalloc(runs->n, sizeof *each);
    int rc = 0, st;
    for (size_t i = 0; i < runs->n && rc == 0; i++)
        if (!(each[i] = present_load(r->in, &runs->v[i], o, &st)))
            rc = EXIT_FAIL;
    if (rc == 0) {
        prof_mean_of_runs(r->m, each, runs->n, o->confidence);
        prof_model_note(r->m, "mean of %zu runs (--repeat); +- is half the %.0f%% interval of "
                        "the mean", runs->n, o->confidence * 100);
    }
    for (size_t i = 0; i < runs->n; i++)
        prof_model_free(each[i]);
    free(each);
    return rc;
}

int present(const present_in *in, out_opts *o)
{
    const run_list *runs = in->runs && in->runs->n > 1 ? in->runs : NULL;
    reading r = {.in = in, .o = o, .n_runs = runs ? runs->n : 1};
    file_list all = {0};
    if (runs && (o->threads || o->by)) {
        fprintf(stderr, "cargo-profiler %s: %s shows one run, not the mean of %zu\n", in->cmd,
                o->threads ? "--threads" : "--by", runs->n);
        return EXIT_USAGE;
    }
    for (size_t i = 0; runs && i < runs->n; i++)
        for (size_t j = 0; j < runs->v[i].n; j++)
            list_add(&all, runs->v[i].v[j]);
    int rc = load(&r, runs ? &all : in->runs ? &in->runs->v[0] : in->files, o);
    list_free(&all);
    if (rc == 0 && runs)
        rc = mean_of_runs(&r, runs, o);
    if (rc)
        goto out;
    rc = r.status;
    int orc = out_opts_fit(r.m, o, in->cmd);
    if (orc) {
        rc = orc;
        goto out;
    }
    if (r.m->kind == PROF_REGIONS && r.m->n_entries == 0 && r.filter) {
        if (in->selected_nothing)
            *in->selected_nothing = 1;
        rc = empty_selection(&r);
        goto out;
    }
    out_file of;
    if ((orc = out_begin(o, in->cmd, &of))) {
        rc = orc;
        goto out;
    }
    r.out = of.f;
    o->view.color = o->color < 0 ? view_color_auto(r.out) : o->color;
    o->view.compensated = r.reports ? !r.report_raw : o->compensate;
    int shown = show(&r, o) == 0;
    rc = out_end(&of, in->cmd, shown, shown ? rc : EXIT_FAIL);
out:
    unload(&r);
    fflush(stdout);
    return rc;
}

/* ---- per thread (--threads), per rank or host (--by) ------------------------ */

/* One thread's figures, with the merged profile's metrics in its order (so
 * every block has the same columns and keys) and its labels (one name, one
 * label, in every block). */
static prof_model *thread_model(const reading *r, const cprof_dump *d, size_t t)
{
    const prof_model *all = r->m;
    prof_model *tm = prof_model_new(PROF_REGIONS, "cprof");
    for (size_t i = 0; i < all->n_metrics; i++)
        prof_model_metric(tm, all->metrics[i].name, all->metrics[i].is_time);
    cprof_dump_merge(tm, d, (long)t, r->o->compensate);
    prof_derive_regions(tm);
    for (size_t i = 0; i < tm->n_entries; i++) {
        prof_entry *e = &tm->entries[i];
        size_t j = prof_model_find_entry(all, e->name, e->file, e->line, e->object);
        e->label = j == (size_t)-1 ? NULL : xstrdup(all->entries[j].label);
    }
    return tm;
}

/* One block of --threads or --by: its figures and how each view names it. */
typedef struct block {
    prof_model *m;
    int own;                /* m is the block's: freed once shown */
    char *title;            /* table, tree, markdown */
    char *frame;            /* folded: the root frame of its stacks */
    char *csv;              /* csv: its leading fields */
    json_t *ids;            /* json: the fields that name it */
} block;

/* The leading csv fields of a block: n numbers (a negative one empty), then s. */
static char *csv_lead(int n, long a, long b, const char *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return xstrdup("");
    long v[2] = {a, b};
    for (int i = 0; i < n; i++)
        if (v[i] >= 0)
            fprintf(mem, "%ld,", v[i]);
        else
            fputc(',', mem);
    csv_field(mem, s);
    fclose(mem);
    return text;
}

typedef struct blocks {
    const char *json_key;   /* "threads", "ranks", "hosts" */
    const char *csv_head;   /* the leading columns' names */
    size_t n;
    size_t (*at)[2];        /* --threads: block i is thread at[i][1] of dump at[i][0] */
} blocks;

static void thread_block(const reading *r, const blocks *bs, size_t i, block *b)
{
    const cprof_dump *d = r->dumps[bs->at[i][0]];
    size_t t = bs->at[i][1];
    long pid = cprof_dump_pid(d), tid = cprof_dump_tid(d, t);
    const char *name = cprof_dump_thread_name(d, t);
    *b = (block){ .m = thread_model(r, d, t), .own = 1,
                  .title = xasprintf("pid %ld, thread %ld (%s)", pid, tid, name),
                  .frame = xasprintf("%s-%ld-%ld", name, pid, tid), .csv = csv_lead(2, pid, tid, name),
                  .ids = json_pack("{s:I, s:I, s:s}", "pid", (json_int_t)pid, "tid", (json_int_t)tid,
                                   "thread", name) };
}

static void group_block(const reading *r, size_t i, block *b)
{
    const group *g = &r->groups.v[i];
    const char *hosts = g->m->host ? g->m->host : "an unknown host";
    char *who = g->procs == 1 ? xasprintf("pid %ld", g->pid) : xasprintf("%zu processes", g->procs);
    *b = (block){ .m = g->m };
    if (r->groups.by == OUT_BY_RANK) {
        b->title = g->rank >= 0 ? xasprintf("rank %ld (%s on %s)", g->rank, who, hosts)
                                : xasprintf("no rank (%s on %s)", who, hosts);
        b->frame = g->rank >= 0 ? xasprintf("rank-%ld", g->rank) : xstrdup("no-rank");
        b->csv = csv_lead(1, g->rank, 0, g->m->host);
        b->ids = json_pack("{s:o, s:o}", "rank", g->rank >= 0 ? json_integer(g->rank) : json_null(),
                           "host", g->m->host ? json_string(g->m->host) : json_null());
    } else {
        b->title = g->host ? xasprintf("host %s (%s)", g->host, who) : xasprintf("unknown host (%s)", who);
        b->frame = g->host ? xasprintf("host-%s", g->host) : xstrdup("unknown-host");
        b->csv = csv_lead(0, 0, 0, g->host);
        b->ids = json_pack("{s:o}", "host", g->host ? json_string(g->host) : json_null());
    }
    json_object_set_new(b->ids, "processes", json_integer((json_int_t)g->procs));
    if (g->procs == 1)
        json_object_set_new(b->ids, "pid", json_integer(g->pid));
    free(who);
}

static void get_block(const reading *r, const blocks *bs, size_t i, block *b)
{
    if (bs->at)
        thread_block(r, bs, i, b);
    else
        group_block(r, i, b);
}

static void block_free(block *b)
{
    if (b->own)
        prof_model_free(b->m);
    free(b->title);
    free(b->frame);
    free(b->csv);
    json_decref(b->ids);
}

static int blocks_json(const reading *r, const out_opts *o, const blocks *bs)
{
    json_t *root = view_json_object(r->m, &o->view);
    if (!root)
        return -1;
    json_t *arr = json_array();
    for (size_t i = 0; i < bs->n; i++) {
        block b;
        get_block(r, bs, i, &b);
        json_t *obj = view_json_object(b.m, &o->view);
        if (obj)
            json_object_update(obj, b.ids);
        block_free(&b);
        if (!obj) {
            json_decref(arr);
            json_decref(root);
            return -1;
        }
        json_array_append_new(arr, obj);
    }
    json_object_set_new(root, bs->json_key, arr);
    int rc = jo_dump(r->out, root, 1);
    fputc('\n', r->out);
    json_decref(root);
    return rc;
}

/* One block each; the header (command, events, notes) once, above them. */
static int blocks_print(const reading *r, out_opts *o, const blocks *bs)
{
    view_opts v = o->view;
    int folded = v.format == VIEW_FOLDED, csv = v.format == VIEW_CSV, rc = 0;
    if (!folded && !csv)
        print_header(r->m, &v, r->out);
    v.no_header = 1;
    if (csv) {
        v.csv_lead_head = bs->csv_head;
        v.no_spread = 1;   /* one table: every block has the same columns */
    }
    for (size_t i = 0; rc == 0 && i < bs->n; i++) {
        block b;
        get_block(r, bs, i, &b);
        if (csv)
            v.csv_lead = b.csv;
        else
            v.title = folded ? b.frame : b.title;
        if (!csv && !folded)
            fputc('\n', r->out);
        rc = view_print(b.m, &v, r->out);
        v.csv_no_header = 1;
        block_free(&b);
    }
    return rc;
}

/* --threads: each thread of each process; --by: each rank or host. */
static int show_blocks(const reading *r, out_opts *o)
{
    blocks bs = {0};
    if (o->threads) {
        for (size_t i = 0; i < r->nd_kept; i++)
            bs.n += cprof_dump_n_threads(r->dumps[i]);
        bs.at = xcalloc(bs.n + 1, sizeof *bs.at);
        for (size_t i = 0, k = 0; i < r->nd_kept; i++)
            for (size_t t = 0; t < cprof_dump_n_threads(r->dumps[i]); t++, k++) {
                bs.at[k][0] = i;
                bs.at[k][1] = t;
            }
        bs.json_key = "threads";
        bs.csv_head = "pid,tid,thread";
    } else {
        bs.n = r->groups.n;
        bs.json_key = o->by == OUT_BY_RANK ? "ranks" : "hosts";
        bs.csv_head = o->by == OUT_BY_RANK ? "rank,host" : "host";
    }
    int rc = o->view.format == VIEW_JSON ? blocks_json(r, o, &bs) : blocks_print(r, o, &bs);
    free(bs.at);
    return rc;
}

/* html, speedscope: the merged profile, and each thread of each process. */
static int show_parts(const reading *r, const out_opts *o)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nd_kept; i++)
        n += cprof_dump_n_threads(r->dumps[i]);
    view_part *parts = xcalloc(n + 1, sizeof *parts);
    n = 0;
    for (size_t i = 0; i < r->nd_kept; i++)
        for (size_t t = 0; t < cprof_dump_n_threads(r->dumps[i]); t++)
            parts[n++] = (view_part){thread_model(r, r->dumps[i], t), cprof_dump_pid(r->dumps[i]),
                                     cprof_dump_tid(r->dumps[i], t), cprof_dump_thread_name(r->dumps[i], t)};
    view_opts v = o->view;
    v.parts = parts;
    v.n_parts = n;
    int rc = view_print(r->m, &v, r->out);
    for (size_t i = 0; i < n; i++)
        prof_model_free((prof_model *)parts[i].m);
    free(parts);
    return rc;
}

static int show(reading *r, out_opts *o)
{
    prof_model *m = r->m;
    if (o->callers)
        return view_callers_of(m, &o->view, o->callers, o->callees, r->out);
    view_warnings_to_stderr(m, &o->view, r->in->cmd);
    if (view_wants_parts(o->view.format) && m->kind == PROF_REGIONS && r->nd_kept && r->n_runs <= 1)
        return show_parts(r, o);
    if (m->kind != PROF_REGIONS || !(o->threads ? r->nd_kept : o->by ? r->groups.n : 0))
        return view_print(m, &o->view, r->out);   /* reports keep no threads or processes */
    return show_blocks(r, o);
}
