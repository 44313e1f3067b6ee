/*
 * compare.c: the comparison options and the one way two sides are compared
 * and shown (see compare.h): read every run of both sides as present()
 * reads one, diff them (model/diff.h), check --limit (model/limits.h) and
 * print one diff view (views/diff_views.h).
 */
#include "compare.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/commands.h"
#include "model/diff.h"
#include "present.h"
#include "sys/baseline.h"
#include "sys/xalloc.h"
#include "views/diff_views.h"

void cmp_opts_init(cmp_opts *c)
{
    memset(c, 0, sizeof *c);
    c->repeat = 1;
    c->noise = 0.01;
    c->confidence = 0.95;
}

void cmp_opts_free(cmp_opts *c)
{
    for (size_t i = 0; i < c->n_limits; i++)
        diff_limit_free(&c->limits[i]);
    c->n_limits = 0;
}

/* "2%" or "0.02" into a fraction in [lo, hi); -1 if it is neither. */
static int parse_fraction(const char *arg, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || errno)
        return -1;
    if (*end == '%') {
        v /= 100;
        end++;
    }
    if (*end || !(v >= lo && v < hi))
        return -1;
    *out = v;
    return 0;
}

static int parse_repeat(cmp_opts *c, const char *arg, const char *cmd)
{
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    if (!*arg || *end || errno || n < 1 || n > 1000) {
        fprintf(stderr, "cargo-profiler %s: --repeat %s: expected a number of runs, 1 to 1000\n", cmd, arg);
        return -1;
    }
    c->repeat = (int)n;
    return 1;
}

static int parse_limit(cmp_opts *c, const char *arg, const char *cmd)
{
    char err[512];
    if (c->n_limits == CMP_MAX_LIMITS) {
        fprintf(stderr, "cargo-profiler %s: more than %d --limit options\n", cmd, CMP_MAX_LIMITS);
        return -1;
    }
    if (diff_limit_parse(arg, &c->limits[c->n_limits], err, sizeof err)) {
        fprintf(stderr, "cargo-profiler %s: %s\n", cmd, err);
        return -1;
    }
    c->n_limits++;
    return 1;
}

/* A baseline's name is a folder name of ours: no path, no hidden file. */
static int baseline_name_ok(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 100)
        return 0;
    for (const char *p = s; *p; p++)
        if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') || ('0' <= *p && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return 0;
    return 1;
}

static int parse_name(const char **dst, const char *opt, const char *arg, const char *cmd)
{
    if (!baseline_name_ok(arg)) {
        fprintf(stderr, "cargo-profiler %s: %s %s: expected a name of letters, digits, '-', '_' "
                "and '.' (not starting with '.')\n", cmd, opt, arg);
        return -1;
    }
    *dst = arg;
    return 1;
}

int cmp_opts_parse(cmp_opts *c, int opt, const char *arg, const char *cmd)
{
    switch (opt) {
    case CMP_OPT_BASELINE:      return parse_name(&c->baseline, "--baseline", arg, cmd);
    case CMP_OPT_SAVE_BASELINE: return parse_name(&c->save_baseline, "--save-baseline", arg, cmd);
    case CMP_OPT_REPEAT:        return parse_repeat(c, arg, cmd);
    case CMP_OPT_LIMIT:         return parse_limit(c, arg, cmd);
    case CMP_OPT_NOISE:
        if (parse_fraction(arg, 0, 1, &c->noise) == 0)
            return 1;
        fprintf(stderr, "cargo-profiler %s: --noise %s: expected a threshold like 1%% or 0.01\n", cmd, arg);
        return -1;
    case CMP_OPT_CONFIDENCE:
        if (parse_fraction(arg, 0.5, 1, &c->confidence) == 0)
            return 1;
        fprintf(stderr, "cargo-profiler %s: --confidence %s: expected a level from 50%% to below "
                "100%%, like 95%% or 0.99\n", cmd, arg);
        return -1;
    }
    return 0;
}

int cmp_opts_check(const cmp_opts *c, const char *cmd, const prof_model *planned, const out_opts *o)
{
    if (c->n_limits && !c->baseline) {
        fprintf(stderr, "cargo-profiler %s: --limit needs --baseline NAME: a run is judged "
                "against a baseline\n", cmd);
        return EXIT_USAGE;
    }
    if ((c->baseline || c->repeat > 1) && (o->threads || o->by || o->callers)) {
        fprintf(stderr, "cargo-profiler %s: %s shows one run: not with %s\n", cmd,
                o->threads ? "--threads" : o->by ? "--by" : o->callees ? "--callees" : "--callers",
                c->baseline ? "--baseline" : "--repeat");
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < c->n_limits; i++) {
        const char *m = c->limits[i].metric;
        if (strcasecmp(m, "calls") != 0 && prof_model_user_metric(planned, m) < 0) {
            fprintf(stderr, "cargo-profiler %s: --limit '%s': %s is not measured here (measured: calls",
                    cmd, c->limits[i].text, m);
            for (size_t k = 0; k < planned->n_metrics; k++)
                fprintf(stderr, " %s", planned->metrics[k].name);
            fputs(")\n", stderr);
            return EXIT_USAGE;
        }
    }
    return 0;
}

int cmp_baseline_ready(const cmp_opts *c, const cargo_opts *co, const char *kind, const char *cmd)
{
    char err[2048], *root = NULL;
    if (!c->baseline)
        return 0;
    int rc = baseline_root(co, 0, &root, err, sizeof err);
    if (rc == 0)
        rc = baseline_check(root, c->baseline, kind, err, sizeof err);
    if (rc)
        fprintf(stderr, "cargo-profiler %s: --baseline %s: %s\n", cmd, c->baseline, err);
    free(root);
    return rc ? EXIT_FAIL : 0;
}

void cmp_opts_help(FILE *out, int which)
{
    fputs("comparing runs:\n", out);
    if (which & CMP_HELP_BASELINE)
        fputs("  --save-baseline NAME  keep this run as baseline NAME (target/cargo-profiler/\n"
              "                        baselines/NAME/; replaces an older one of that name)\n"
              "  --baseline NAME       show this run against baseline NAME (cargo profiler diff)\n", out);
    if (which & CMP_HELP_REPEAT)
        fputs("  --repeat N            run the program N times (each kept): time becomes a\n"
              "                        sample of N, shown as mean +- half the interval\n", out);
    fputs("  --limit METRIC=LIMIT[@REGION_GLOB]\n"
          "                        fail (exit 3) when a row changes beyond LIMIT: +5% (relative),\n"
          "                        +100 or +2ms (delta), 10000 (most allowed), +2%|10000 (either);\n"
          "                        e.g. 'time=+10%@*Parser::parse', Ir=+2%, sde:::LIB::C=+50%;\n"
          "                        a relative or delta limit on time breaks only when its\n"
          "                        verdict is \"regressed\" and the low end of its interval\n"
          "                        is beyond LIMIT (the change is at least that); a maximum\n"
          "                        (time=5ms) is a budget\n"
          "                        on B's mean and breaks whenever the mean is above it;\n"
          "                        no limit on time judges an \"untrusted\" region (one line\n"
          "                        says how many were left out)\n"
          "  --noise T             changes of time within +-T are noise (default 1%)\n"
          "  --confidence C        of the bootstrap interval of time's change (default 95%)\n"
          "verdicts: calls, sde::: counters and valgrind events are exact (any change counts);\n"
          "time is \"regressed\"/\"improved\" only when its whole interval is beyond the noise,\n"
          "which needs several runs on both sides (--repeat); a region whose time is mostly\n"
          "the profiler's own on a side (marked !) is \"untrusted\" on time, its calls judged\n", out);
}

/* ---- comparing --------------------------------------------------------------- */

static const char *kind_name(prof_kind k)
{
    return k == PROF_REGIONS ? "a region profile (cprof dumps)" :
           k == PROF_CALLGRIND ? "a callgrind profile" : k == PROF_DHAT ? "a DHAT profile" : "a cachegrind profile";
}

/* Every run of one side read; NULL after saying why. *partial: a file of
 * it could not be read (named on stderr; the rest is compared). */
static prof_model **load_side(const char *cmd, const cmp_side *s, out_opts *o, int *partial)
{
    present_in in = {.cmd = cmd};
    prof_model **m = xcalloc(s->runs->n, sizeof *m);
    for (size_t i = 0; i < s->runs->n; i++) {
        int st = 0;
        in.program = i + 1 == s->runs->n ? s->program : NULL;   /* the last run is the one that ended so */
        m[i] = present_load(&in, &s->runs->v[i], o, &st);
        *partial |= st != 0;
        if (!m[i] || (i && m[i]->kind != m[0]->kind)) {
            if (m[i])
                fprintf(stderr, "cargo-profiler %s: %s: its runs are not all one kind of profile\n",
                        cmd, s->name);
            for (size_t j = 0; j <= i; j++)
                prof_model_free(m[j]);
            free(m);
            return NULL;
        }
    }
    return m;
}

static void free_side(prof_model **m, size_t n)
{
    for (size_t i = 0; m && i < n; i++)
        prof_model_free(m[i]);
    free(m);
}

/* The metric rows are ordered by: --metric, else --sort, else the first;
 * by the change of its exclusive figures (where the cost itself changed:
 * an inclusive change piles up in every caller, up to main), unless
 * METRIC:incl or incl asks for the inclusive ones. */
static int chosen_metric(const prof_diff *d, const out_opts *o, const char *cmd, size_t *mi, int *by_self)
{
    const char *want = o->view.metric ? o->view.metric : o->view.sort;
    *mi = 0;
    *by_self = 1;
    if (!want)
        return 0;
    char name[256];
    snprintf(name, sizeof name, "%s", want);
    char *colon = strrchr(name, ':');
    const char *part = colon && colon > name && colon[-1] != ':' ? colon + 1 : name;
    int self = strcasecmp(part, "excl") == 0 || strcasecmp(part, "self") == 0;
    if (self || strcasecmp(part, "incl") == 0) {
        *by_self = self;
        if (part == name)   /* excl, self, incl alone: the first metric */
            return 0;
        *colon = 0;
    }
    int k = diff_find_metric(d, name);
    if (k < 0) {
        fprintf(stderr, "cargo-profiler %s: %s: not a metric of this comparison (METRIC, METRIC:excl "
                "or METRIC:incl); it has:", cmd, want);
        for (size_t i = 0; i < d->n_metrics; i++)
            fprintf(stderr, " %s", d->metrics[i].name);
        fputc('\n', stderr);
        return EXIT_USAGE;
    }
    *mi = (size_t)k;
    return 0;
}

static int check_format(const out_opts *o, const char *cmd)
{
    view_format f = o->view.format;
    if (f == VIEW_CALLERS || o->callers || o->threads || o->by) {
        fprintf(stderr, "cargo-profiler %s: a comparison shows as table, tree, json, csv, markdown, "
                "folded, svg or html (not --callers, --callees, --threads or --by)\n", cmd);
        return EXIT_USAGE;
    }
    return 0;
}

static int show_diff(const char *cmd, prof_diff *d, const cmp_opts *c, out_opts *o)
{
    char err[1024];
    size_t mi;
    int by_self, rc = chosen_metric(d, o, cmd, &mi, &by_self);
    if (rc)
        return rc;
    if (diff_limits_check(d, c->limits, c->n_limits, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler %s: %s\n", cmd, err);
        return EXIT_USAGE;
    }
    out_file of;
    if ((rc = out_begin(o, cmd, &of)))
        return rc;
    diff_view_opts v = {.format = o->view.format, .limit = o->view.limit, .metric = mi, .by_self = by_self,
                        .color = o->color < 0 ? view_color_auto(of.f) : o->color,
                        .icicle = o->view.icicle, .minwidth = o->view.minwidth, .root = o->view.root};
    if (!o->limit_given)   /* as the profile's own table: all regions, valgrind's top 20 */
        v.limit = d->kind == PROF_REGIONS ? 0 : view_valgrind_limit(v.format);
    int shown = diff_view_print(d, &v, of.f) == 0;
    rc = out_end(&of, cmd, shown, 0);
    fflush(stdout);
    for (size_t i = 0; i < d->n_broken; i++)
        fprintf(stderr, "cargo-profiler %s: limit %s broken by %s: %s\n", cmd, d->broken[i].limit,
                d->rows[d->broken[i].row].name, d->broken[i].why);
    char line[512];   /* what a gate did not judge is said where its breaks are */
    for (size_t i = 0; i < c->n_limits; i++)
        if (diff_limit_untrusted_line(line, sizeof line, d, &c->limits[i]))
            fprintf(stderr, "cargo-profiler %s: %s\n", cmd, line);
    return rc ? rc : d->n_broken ? EXIT_LIMIT : EXIT_OK;
}

int compare_show(const char *cmd, const cmp_side *a, const cmp_side *b, const cmp_opts *c,
                 out_opts *o)
{
    int rc = check_format(o, cmd);
    if (rc)
        return rc;
    int partial = 0;
    prof_model **ma = load_side(cmd, a, o, &partial), **mb = ma ? load_side(cmd, b, o, &partial) : NULL;
    if (!ma || !mb) {
        free_side(ma, a->runs->n);
        return EXIT_FAIL;
    }
    if (ma[0]->kind != mb[0]->kind) {
        fprintf(stderr, "cargo-profiler %s: %s is %s and %s is %s: they cannot be compared\n", cmd,
                a->name, kind_name(ma[0]->kind), b->name, kind_name(mb[0]->kind));
        rc = EXIT_FAIL;
    } else {
        diff_side da = {ma, a->runs->n, a->name}, db = {mb, b->runs->n, b->name};
        prof_diff *d = prof_diff_new(&da, &db, c->confidence, c->noise);
        rc = show_diff(cmd, d, c, o);
        prof_diff_free(d);
        if (partial && (rc == EXIT_OK || rc == EXIT_LIMIT))   /* a gate never passes on part of a side */
            rc = EXIT_FAIL;
    }
    free_side(ma, a->runs->n);
    free_side(mb, b->runs->n);
    return rc;
}

/* ---- after a run --------------------------------------------------------------- */

static int save_baseline(const present_in *in, const run_list *runs, const char *kind,
                         const cargo_opts *co, const char *name)
{
    char err[2048], *root = NULL;
    int rc = baseline_root(co, 1, &root, err, sizeof err);
    if (rc == 0)
        rc = baseline_save(root, name, runs, kind, in->command, err, sizeof err);
    if (rc)
        fprintf(stderr, "cargo-profiler %s: --save-baseline %s: %s\n", in->cmd, name, err);
    else
        fprintf(stderr, "cargo-profiler: saved baseline %s (%zu run%s) in %s/%s\n", name, runs->n,
                runs->n == 1 ? "" : "s", root, name);
    free(root);
    return rc ? EXIT_FAIL : 0;
}

static int against_baseline(const present_in *in, const run_list *runs, const cargo_opts *co,
                            const cmp_opts *c, out_opts *o)
{
    char err[2048], *root = NULL;
    run_list base = {0};
    int rc = baseline_root(co, 0, &root, err, sizeof err);
    if (rc == 0)
        rc = baseline_load(root, c->baseline, &base, err, sizeof err);
    if (rc) {
        fprintf(stderr, "cargo-profiler %s: --baseline %s: %s\n", in->cmd, c->baseline, err);
        rc = EXIT_FAIL;
    } else {
        char *name = xasprintf("baseline %s", c->baseline);
        cmp_side a = {name, &base, NULL}, b = {"this run", runs, in->program};
        rc = compare_show(in->cmd, &a, &b, c, o);
        free(name);
    }
    runs_free(&base);
    free(root);
    return rc;
}

int compare_run(const present_in *in, const run_list *runs, const char *kind,
                const cargo_opts *co, const cmp_opts *c, out_opts *o)
{
    o->confidence = c->confidence;
    int rc;
    if (c->baseline) {
        rc = against_baseline(in, runs, co, c, o);
    } else {
        present_in p = *in;
        p.runs = runs;
        rc = present(&p, o);
    }
    if (!c->save_baseline)
        return rc;
    const char *why = in->program && launch_failed(in->program) ? "the program failed" :
                      rc == EXIT_LIMIT ? "a --limit was broken (the regression would become the baseline)" :
                      rc == EXIT_USAGE ? "an option did not fit the comparison (above)" :
                      rc ? "the run could not be shown whole" : NULL;
    if (why)
        fprintf(stderr, "cargo-profiler %s: --save-baseline %s: not saved: %s\n", in->cmd,
                c->save_baseline, why);
    else
        rc = save_baseline(in, runs, kind, co, c->save_baseline);
    return rc;
}
