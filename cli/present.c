/*
 * present.c: read -> merge -> derive -> view, for every command (see
 * present.h). Readers fill one model and never print; this file says what
 * went wrong with a file, checks the options against what was read, and
 * hands the model to one view.
 */
#include "present.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cmd/commands.h"
#include "model/callpaths.h"
#include "model/derive.h"
#include "model/mean.h"
#include "model/only_crate.h"
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

/* A CPROF_REGIONS that selected nothing is said, with names it could have meant. */
static int empty_selection(const reading *r)
{
    const char *name;
    size_t n = cprof_dump_unselected(r->filter_dump, 0, &name);
    fprintf(stderr, "cargo-profiler %s: CPROF_REGIONS '%s' matched none of the %zu region(s) the "
            "program entered", r->in->cmd, r->filter, n);
    for (size_t i = 0; i < 5 && cprof_dump_unselected(r->filter_dump, i, &name) && name; i++)
        fprintf(stderr, "%s%s", i ? ", " : "; they include: ", name);
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
    if (m->kind == PROF_CALLGRIND && view_draws_paths(o->view.format))
        vg_call_paths(m);   /* once, after every file is merged, only for the views that draw them */
    if (o->only_crate)
        r->m = vg_only_crate(m, r->in->exe);
    if (!o->limit_given)
        o->view.limit = view_valgrind_limit(o->view.format);
}

static int show(reading *r, out_opts *o);

/* Read, merge and derive files into r->m. 0, or EXIT_FAIL when nothing was read. */
static int load(reading *r, const file_list *files, out_opts *o)
{
    r->dumps = xcalloc(files->n + 1, sizeof *r->dumps);
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
        note_compensation(r);
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
    if (runs && o->threads) {
        fprintf(stderr, "cargo-profiler %s: --threads shows one run, not the mean of %zu\n", in->cmd,
                runs->n);
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

/* ---- per thread (--threads) ------------------------------------------------ */

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

static int threads_json(const reading *r, const out_opts *o)
{
    json_t *root = view_json_object(r->m, &o->view);
    if (!root)
        return -1;
    json_t *arr = json_array();
    for (size_t i = 0; i < r->nd_kept; i++)
        for (size_t t = 0; t < cprof_dump_n_threads(r->dumps[i]); t++) {
            prof_model *tm = thread_model(r, r->dumps[i], t);
            json_t *obj = view_json_object(tm, &o->view);
            prof_model_free(tm);
            if (!obj) {
                json_decref(arr);
                json_decref(root);
                return -1;
            }
            json_object_set_new(obj, "pid", json_integer(cprof_dump_pid(r->dumps[i])));
            json_object_set_new(obj, "tid", json_integer(cprof_dump_tid(r->dumps[i], t)));
            json_object_set_new(obj, "thread", json_string(cprof_dump_thread_name(r->dumps[i], t)));
            json_array_append_new(arr, obj);
        }
    json_object_set_new(root, "threads", arr);
    int rc = json_dumpf(root, r->out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    fputc('\n', r->out);
    json_decref(root);
    return rc;
}

/* One block per thread; the header (command, events, notes) once, above them. */
static int threads_blocks(const reading *r, out_opts *o)
{
    view_opts v = o->view;
    int folded = v.format == VIEW_FOLDED, csv = v.format == VIEW_CSV, rc = 0;
    if (!folded && !csv)
        print_header(r->m, &v, r->out);
    v.no_header = 1;
    if (csv)
        v.csv_lead_head = "pid,tid,thread";
    for (size_t i = 0; rc == 0 && i < r->nd_kept; i++)
        for (size_t t = 0; rc == 0 && t < cprof_dump_n_threads(r->dumps[i]); t++) {
            const cprof_dump *d = r->dumps[i];
            prof_model *tm = thread_model(r, d, t);
            char *title = NULL;
            if (csv) {   /* pid,tid,name: the name is a CSV field too (quoted when needed) */
                size_t len = 0;
                FILE *mem = open_memstream(&title, &len);
                if (!mem) {
                    prof_model_free(tm);
                    return -1;
                }
                fprintf(mem, "%ld,%ld,", cprof_dump_pid(d), cprof_dump_tid(d, t));
                csv_field(mem, cprof_dump_thread_name(d, t));
                fclose(mem);
                v.csv_lead = title;
            } else if (folded) {   /* the thread is the root frame of its stacks */
                title = xasprintf("%s-%ld-%ld", cprof_dump_thread_name(d, t), cprof_dump_pid(d),
                                  cprof_dump_tid(d, t));
            } else {
                title = xasprintf("pid %ld, thread %ld (%s)", cprof_dump_pid(d), cprof_dump_tid(d, t),
                                  cprof_dump_thread_name(d, t));
                fputc('\n', r->out);
            }
            if (!csv)
                v.title = title;
            rc = view_print(tm, &v, r->out);
            v.csv_no_header = 1;
            free(title);
            prof_model_free(tm);
        }
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
    if (!o->threads || m->kind != PROF_REGIONS || !r->nd_kept)   /* reports keep no threads */
        return view_print(m, &o->view, r->out);
    if (o->view.format == VIEW_JSON)
        return threads_json(r, o);
    return threads_blocks(r, o);
}
