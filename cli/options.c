/*
 * options.c: the shared output options (see options.h): one parser and one
 * help text for regions, report, callgrind and cachegrind.
 */
#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "near.h"
#include "sortkey.h"
#include "views/callers.h"

void out_opts_init(out_opts *o)
{
    memset(o, 0, sizeof *o);
    view_opts_init(&o->view);
    o->compensate = 1;
    o->color = -1;
    o->confidence = 0.95;
}

static int bad(const char *cmd, const char *opt, const char *arg, const char *expected)
{
    fprintf(stderr, "cargo-profiler %s: %s %s: expected %s\n", cmd, opt, arg, expected);
    return -1;
}

static int parse_limit(out_opts *o, const char *arg, const char *cmd)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (errno || *end || end == arg || v < 0)
        return bad(cmd, "-n", arg, "a number of rows (0 = all)");
    o->view.limit = (size_t)v;
    o->limit_given = 1;
    return 1;
}

static int parse_color(out_opts *o, const char *arg, const char *cmd)
{
    if (strcmp(arg, "auto") == 0)
        o->color = -1;
    else if (strcmp(arg, "always") == 0)
        o->color = 1;
    else if (strcmp(arg, "never") == 0)
        o->color = 0;
    else
        return bad(cmd, "--color", arg, "auto, always or never");
    return 1;
}

static int parse_by(out_opts *o, const char *arg, const char *cmd)
{
    if (strcmp(arg, "rank") == 0)
        o->by = OUT_BY_RANK;
    else if (strcmp(arg, "host") == 0)
        o->by = OUT_BY_HOST;
    else
        return bad(cmd, "--by", arg, "rank or host");
    return 1;
}

static int parse_minwidth(out_opts *o, const char *arg, const char *cmd)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || *end || end == arg || !(v >= 0 && v <= 1200))
        return bad(cmd, "--minwidth", arg, "a width in pixels of a 1200-pixel graph, 0 to 1200 (default 0.1)");
    o->view.minwidth = v;
    o->minwidth_given = 1;
    return 1;
}

int out_opts_parse(out_opts *o, int c, const char *arg, const char *cmd)
{
    switch (c) {
    case OPT_FORMAT:
        if (view_parse_format(arg, &o->view.format) || o->view.format == VIEW_CALLERS)
            return bad(cmd, "--format", arg, "table, tree, json, csv, folded, markdown, svg, html or speedscope");
        return 1;
    case 'o':              o->output = arg; return 1;
    case OPT_FORCE:        o->force = 1; return 1;
    case OPT_ICICLE:       o->view.icicle = 1; return 1;
    case OPT_MINWIDTH:     return parse_minwidth(o, arg, cmd);
    case 'n':              return parse_limit(o, arg, cmd);
    case OPT_COLOR:        return parse_color(o, arg, cmd);
    case OPT_SORT:         o->view.sort = arg; return 1;
    case OPT_METRIC:       o->view.metric = arg; return 1;
    case OPT_THREADS:      o->threads = 1; return 1;
    case OPT_BY:           return parse_by(o, arg, cmd);
    case OPT_NO_COMPENSATE: o->compensate = 0; return 1;
    case OPT_ONLY_CRATE:   o->only_crate = 1; return 1;
    case OPT_CALLERS:
    case OPT_CALLEES:
        if (o->callers) {
            fprintf(stderr, "cargo-profiler %s: --callers and --callees: choose one\n", cmd);
            return -1;
        }
        o->callers = arg;
        o->callees = c == OPT_CALLEES;
        return 1;
    }
    return 0;
}

/* The option meant by "--NAME[=...]": "--format NAME" when NAME is a
 * format, else the long option nearest NAME (at most 2 edits, fewer than
 * a third of it), else none (0). */
static int option_hint(const char *arg, const struct option *longs, char *hint, size_t len)
{
    char name[NEAR_MAX + 1];
    if (strncmp(arg, "--", 2) != 0 || !arg[2])
        return 0;
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
    for (size_t i = 0; longs[i].name; i++)
        if (strcmp(name, longs[i].name) == 0)
            return 0;   /* a known option (--callers): its argument was what was wrong */
    view_format f;
    if (view_parse_format(name, &f) == 0) {
        snprintf(hint, len, "--format %s", name);
        return 1;
    }
    const char *best = NULL;
    size_t bd = strlen(name) / 3 < 2 ? strlen(name) / 3 : 2;
    for (size_t i = 0; longs[i].name; i++) {
        size_t d = near_distance(name, longs[i].name);
        if (d <= bd && (!best || d < near_distance(name, best)))
            best = longs[i].name;
    }
    if (best)
        snprintf(hint, len, "--%s", best);
    return best != NULL;
}

/* What is wrong with option o given with a value (eq) or without: 1 and
 * what, or 0 if nothing is (then its value was what getopt refused). */
static int value_problem(const struct option *o, int eq, char *what, size_t len)
{
    if (o->has_arg == required_argument && !eq)
        return snprintf(what, len, "--%s needs a value", o->name), 1;
    if (o->has_arg == no_argument && eq)
        return snprintf(what, len, "--%s takes no value", o->name), 1;
    return 0;
}

/* Two entries getopt takes for one option (aliases). */
static int same_option(const struct option *a, const struct option *b)
{
    return a->has_arg == b->has_arg && a->flag == b->flag && a->val == b->val;
}

/* What is wrong with a long option "--NAME[=V]" getopt refused, as getopt
 * reads it (an abbreviation is the one option it starts, or ambiguous):
 * 1 and what; 0 if it cannot tell; -1 if no option is so named. */
static int long_problem(const char *arg, const struct option *longs, char *what, size_t len)
{
    size_t l = strcspn(arg + 2, "="), at = 0;
    int eq = arg[2 + l] == '=', ambiguous = 0;
    const struct option *first = NULL;
    char names[400] = "";
    for (size_t i = 0; l && longs[i].name; i++) {
        if (strncmp(longs[i].name, arg + 2, l) != 0)
            continue;
        if (!longs[i].name[l])   /* the option itself */
            return value_problem(&longs[i], eq, what, len);
        ambiguous |= first && !same_option(first, &longs[i]);
        first = first ? first : &longs[i];
        if (at < sizeof names)
            at += (size_t)snprintf(names + at, sizeof names - at, "%s--%s", at ? ", " : "", longs[i].name);
    }
    if (!first)
        return -1;
    if (ambiguous)
        return snprintf(what, len, "--%.*s is ambiguous: %s", (int)l, arg + 2, names), 1;
    return value_problem(first, eq, what, len);
}

void out_usage_error(const char *cmd, const char *usage, char *const *argv, int optind, const char *shorts,
                     const struct option *longs)
{
    char hint[NEAR_MAX + 16], what[600];
    const char *arg = optind > 0 ? argv[optind - 1] : NULL, *next = argv[optind];
    int is_short = optopt > 0 && optopt < 128;
    /* a short option in a cluster not yet read through (-xz): optind is
     * still on it, argv[optind - 1] is the argument before */
    int in_cluster = is_short && next && next[0] == '-' && next[1] && next[1] != '-' && strchr(next + 1, optopt);
    int p = !in_cluster && arg && strncmp(arg, "--", 2) == 0 && arg[2] ? long_problem(arg, longs, what, sizeof what)
                                                                        : 2;
    if (p < 0 && option_hint(arg, longs, hint, sizeof hint))
        fprintf(stderr, "cargo-profiler %s: %s: unknown option; did you mean %s? (see --help)\n", cmd, arg, hint);
    else if (p < 0)   /* named without its value, unless it has no name */
        fprintf(stderr, "cargo-profiler %s: %.*s: unknown option (see --help)\n", cmd,
                arg[2] == '=' ? (int)strlen(arg) : (int)strcspn(arg, "="), arg);
    else if (p == 1)
        fprintf(stderr, "cargo-profiler %s: %s (see --help)\n", cmd, what);
    else if (p == 2 && is_short && optopt != ':' && strchr(shorts, optopt))
        fprintf(stderr, "cargo-profiler %s: -%c needs a value (see --help)\n", cmd, optopt);
    else if (p == 2 && is_short)
        fprintf(stderr, "cargo-profiler %s: -%c: unknown option (see --help)\n", cmd, optopt);
    else
        fputs(usage, stderr);
}

void out_opts_help(FILE *out, int which)
{
    fputs("output options:\n"
          "  --format FMT       table (default), tree, json, csv, folded, markdown (a GitHub\n"
          "                     table, for a PR comment), svg (an interactive flame graph\n"
          "                     of the call tree, one file for a browser: give -o FILE),\n"
          "                     html (one page for a browser, offline, give -o FILE: summary,\n"
          "                     sortable table, call tree, flame graph, each thread and\n"
          "                     process; for a comparison its verdicts and flame graphs),\n"
          "                     speedscope (a file for speedscope.app: each thread's call\n"
          "                     tree, weighted by --metric's exclusive figures)\n"
          "  -n N               the first N rows (table, csv, json) or lines (tree); 0 = all;\n"
          "                     default all for regions, and for valgrind profiles 20 rows\n"
          "                     of a table, 40 lines of a tree, all in json, csv, folded\n"
          "  --sort KEY         incl, excl (= self), calls, mean, name, EVENT (= EVENT:excl),\n"
          "                     EVENT:incl; event names in any case (ir, d1mr); default:\n"
          "                     inclusive time (regions), the first event's self cost (valgrind)\n"
          "  --metric EV        folded, svg: the metric the stacks carry, the frames' widths\n"
          "                     (default time, or the first valgrind event: Ir)\n"
          "  --icicle           svg: the flame graph drawn top-down (the root at the top)\n"
          "  --minwidth PX      svg: frames narrower than PX pixels of a 1200-pixel graph are\n"
          "                     merged into one \"(N merged)\" frame (default 0.1; 0: none)\n"
          "  --color WHEN       auto (default: on a terminal, unless NO_COLOR), always, never\n"
          "  -o, --output FILE  write the report into FILE (through a temporary file and a\n"
          "                     rename); an existing FILE is replaced only if cargo-profiler\n"
          "                     wrote it (json, svg, html, speedscope carry a mark)\n"
          "  --force            -o may replace any file (a symlink itself, never its target)\n", out);
    if (which & OUT_HELP_REGIONS)
        fputs("  --threads          regions: per thread: one block each (table, tree), a\n"
              "                     \"threads\" list (json), pid,tid,thread columns (csv), the\n"
              "                     thread as the root frame (folded)\n"
              "  --by rank|host     regions: per rank of a parallel job (MPI, Slurm: the dump's\n"
              "                     rank) or per host: one block each (table, tree), a \"ranks\"\n"
              "                     or \"hosts\" list (json), rank,host or host columns (csv),\n"
              "                     the group as the root frame (folded). A profile of several\n"
              "                     processes shows anyway, per region, the spread of its\n"
              "                     exclusive figures across them: min, median, max and the\n"
              "                     imbalance (max - mean) / max (a section of the table,\n"
              "                     \"per_process\" in json, columns of csv)\n"
              "  --no-compensate    regions: raw figures (default: the calibrated cost of the\n"
              "                     enter/exit pairs is subtracted, in every view alike)\n", out);
    if (which & OUT_HELP_VALGRIND)
        fputs("  --callers FN       callgrind: who calls FN (its full name, the end of it after\n"
              "                     a ::, or a method as a region names it: a::B::cmp for\n"
              "                     a::<impl Ord for a::B>::cmp), calls and inclusive cost\n"
              "                     along each edge\n"
              "  --callees FN       callgrind: what FN calls, likewise\n"
              "  --only-crate       valgrind: hide the standard library (and its own\n"
              "                     dependencies), the loader and valgrind: only functions of\n"
              "                     the program's own source; their cost stays in the\n"
              "                     inclusive cost of their callers\n", out);
}

/* --sort on an event that was asked for but not counted: say why and sort
 * by the default rather than show nothing. */
static int sort_fallback(const prof_model *m, out_opts *o, const char *cmd)
{
    size_t len = sort_key_name_len(o->view.sort, NULL);
    for (size_t i = 0; i < m->n_missing; i++)
        if (strlen(m->missing[i].name) == len && strncasecmp(m->missing[i].name, o->view.sort, len) == 0) {
            fprintf(stderr, "cargo-profiler %s: --sort %s: %s was not counted (%s); sorted by "
                    "inclusive time instead\n", cmd, o->view.sort, m->missing[i].name, m->missing[i].reason);
            o->view.sort = NULL;
            return 0;
        }
    return -1;
}

static int fit_metric(const prof_model *m, out_opts *o, const char *cmd)
{
    int mi = prof_model_user_metric(m, o->view.metric);
    if (mi >= 0) {   /* kept here, not in m: a planned profile is freed before the run */
        snprintf(o->metric_name, sizeof o->metric_name, "%s", m->metrics[mi].name);
        o->view.metric = o->metric_name;
        return 0;
    }
    fprintf(stderr, "cargo-profiler %s: --metric %s: not measured here (measured:", cmd, o->view.metric);
    for (size_t i = 0; i < m->n_metrics; i++)
        fprintf(stderr, " %s", m->metrics[i].name);
    fputs(")\n", stderr);
    return -1;
}

/* An option that does not fit this kind of profile: why, and *opt its name. */
static const char *misfit(const prof_model *m, const out_opts *o, const char **opt)
{
    int regions = m->kind == PROF_REGIONS;
    *opt = o->callees ? "callees" : "callers";
    if (o->callers && m->kind == PROF_CACHEGRIND)
        return "cachegrind records no calls (use callgrind)";
    if (o->callers && regions)
        return "is for callgrind profiles (regions have the call tree: --format tree)";
    if (o->callers && o->only_crate)
        return "shows callgrind's own call edges, which --only-crate would cut: drop --only-crate";
    *opt = "only-crate";
    if (o->only_crate && regions)
        return "is for valgrind profiles (regions are the crate's own already)";
    *opt = "threads";
    if (o->threads && !regions)
        return "is for region profiles (valgrind merges its threads)";
    if (o->threads && (view_is_page(o->view.format) || o->view.format == VIEW_SPEEDSCOPE))
        return "is for table, tree, json, csv and folded (html and speedscope show each thread already)";
    *opt = "by";
    if (o->by && !regions)
        return "is for region profiles (cprof dumps)";
    if (o->by && o->threads)
        return "and --threads: choose one";
    if (o->by && (view_is_page(o->view.format) || o->view.format == VIEW_SPEEDSCOPE))
        return "is for table, tree, json, csv, markdown and folded";
    *opt = o->view.icicle ? "icicle" : "minwidth";
    if ((o->view.icicle || o->minwidth_given) && !view_is_page(o->view.format))
        return "is for --format svg and html (the flame graph)";
    return NULL;
}

static int page_to_terminal(const out_opts *o, const char *cmd);

int out_opts_fit(const prof_model *m, out_opts *o, const char *cmd)
{
    char err[768];
    sort_key k;
    if (o->view.sort && sort_key_parse(m, o->view.sort, &k, err, sizeof err) && sort_fallback(m, o, cmd)) {
        fprintf(stderr, "cargo-profiler %s: %s\n", cmd, err);
        return EXIT_USAGE;
    }
    if (o->view.metric && fit_metric(m, o, cmd))
        return EXIT_USAGE;
    const char *opt, *why = misfit(m, o, &opt);
    if (why) {
        fprintf(stderr, "cargo-profiler %s: --%s %s\n", cmd, opt, why);
        return EXIT_USAGE;
    }
    if (out_file_check(o->output, o->force, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler %s: %s\n", cmd, err);
        return EXIT_USAGE;
    }
    if (page_to_terminal(o, cmd))   /* before a run, not after it */
        return EXIT_USAGE;
    if (o->callers && m->n_entries && !view_callers_matches(m, o->callers)) {
        fprintf(stderr, "cargo-profiler %s: --%s %s: no function of that name in this profile (a full "
                "name, or its end after a ::)\n", cmd, o->callees ? "callees" : "callers", o->callers);
        return EXIT_USAGE;
    }
    return 0;
}

/* svg and html are pages for a browser, never printed on a terminal. */
static int page_to_terminal(const out_opts *o, const char *cmd)
{
    if (o->output || !view_is_page(o->view.format) || !isatty(STDOUT_FILENO))
        return 0;
    fprintf(stderr, "cargo-profiler %s: --format %s writes a page for a browser: give -o FILE "
            "(or send stdout to a file)\n", cmd, o->view.format == VIEW_SVG ? "svg" : "html");
    return 1;
}

int out_begin(const out_opts *o, const char *cmd, out_file *of)
{
    char err[PATH_MAX + 256];
    if (page_to_terminal(o, cmd))
        return EXIT_USAGE;
    if (out_file_open(of, o->output, o->force, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler %s: %s\n", cmd, err);
        return EXIT_FAIL;
    }
    return 0;
}

int out_end(out_file *of, const char *cmd, int shown, int rc)
{
    char err[PATH_MAX + 256];
    if (!shown) {
        out_file_abort(of);
        return rc ? rc : EXIT_FAIL;
    }
    if (out_file_commit(of, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler %s: %s\n", cmd, err);
        return rc ? rc : EXIT_FAIL;
    }
    if (of->path)
        fprintf(stderr, "cargo-profiler %s: wrote %s\n", cmd, of->path);
    return rc;
}
