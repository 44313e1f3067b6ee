/*
 * regions_cmd.c: `cargo profiler regions` (build with cprof/enable, run with
 * CPROF_OUTPUT set to a fresh folder, merge every dump, show) and
 * `cargo profiler report PATH...` (the same output from existing files).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cargo.h"
#include "commands.h"
#include "launch.h"
#include "readers.h"
#include "readers/cprof_dump.h"
#include "views/views.h"

typedef struct show_opts {
    view_opts view;
    int threads;
    int compensate;
    int color;          /* -1 auto, 0 never, 1 always */
} show_opts;

enum {
    OPT_EVENTS = 0x2000, OPT_FILTER, OPT_FORMAT, OPT_SORT, OPT_THREADS, OPT_NO_COMPENSATE,
    OPT_METRIC, OPT_COLOR,
};

#define SHOW_LONG_OPTIONS \
    {"format",        required_argument, 0, OPT_FORMAT}, \
    {"sort",          required_argument, 0, OPT_SORT}, \
    {"threads",       no_argument,       0, OPT_THREADS}, \
    {"no-compensate", no_argument,       0, OPT_NO_COMPENSATE}, \
    {"metric",        required_argument, 0, OPT_METRIC}, \
    {"color",         required_argument, 0, OPT_COLOR}, \
    {"help",          no_argument,       0, 'h'}

static void show_help(FILE *out)
{
    fputs("output options:\n"
          "  --format FMT       table (default), tree, json, csv, folded\n"
          "  -n N               show the first N rows (table, csv, json) or lines (tree)\n"
          "  --sort KEY         incl (default), excl, calls, mean, name, EVENT (= EVENT:excl),\n"
          "                     EVENT:incl, EVENT:excl\n"
          "  --threads          one block per thread (table, tree, json)\n"
          "  --no-compensate    show raw figures (default: the calibrated cost of the\n"
          "                     enter/exit pairs is subtracted from the regions around them)\n"
          "  --metric EV        folded: the metric of the values (default time, ns)\n"
          "  --color WHEN       auto (default: on a terminal, unless NO_COLOR), always, never\n", out);
}

static void show_opts_init(show_opts *s)
{
    memset(s, 0, sizeof *s);
    view_opts_init(&s->view);
    s->compensate = 1;
    s->color = -1;
}

/* 1: handled, 0: not an output option, -1: bad value (message printed). */
static int show_opts_parse(show_opts *s, int c, const char *arg, const char *cmd)
{
    switch (c) {
    case OPT_FORMAT:
        if (view_parse_format(arg, &s->view.format) || s->view.format == VIEW_CALLERS) {
            fprintf(stderr, "cargo-profiler %s: --format %s: expected table, tree, json, csv or folded\n",
                    cmd, arg);
            return -1;
        }
        return 1;
    case 'n': {
        char *end;
        errno = 0;
        long long v = strtoll(arg, &end, 10);
        if (errno || *end || end == arg || v < 0) {
            fprintf(stderr, "cargo-profiler %s: -n %s: expected a number of rows (0 = all)\n", cmd, arg);
            return -1;
        }
        s->view.limit = (size_t)v;
        return 1;
    }
    case OPT_SORT: s->view.sort = arg; return 1;
    case OPT_THREADS: s->threads = 1; return 1;
    case OPT_NO_COMPENSATE: s->compensate = 0; return 1;
    case OPT_METRIC: s->view.metric = arg; return 1;
    case OPT_COLOR:
        if (strcmp(arg, "auto") == 0) s->color = -1;
        else if (strcmp(arg, "always") == 0) s->color = 1;
        else if (strcmp(arg, "never") == 0) s->color = 0;
        else {
            fprintf(stderr, "cargo-profiler %s: --color %s: expected auto, always or never\n", cmd, arg);
            return -1;
        }
        return 1;
    }
    return 0;
}

/* ---- gathering the input files ------------------------------------------ */

typedef struct file_list {
    char **v;
    size_t n, cap;
} file_list;

static void list_add(file_list *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    if (!l->v || !(l->v[l->n++] = strdup(s))) {
        fputs("cargo-profiler: out of memory\n", stderr);
        exit(EXIT_FAIL);
    }
}

static void list_free(file_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The dumps in a folder (*.json that are cprof dumps; temporaries start with '.'). */
static int add_folder(file_list *l, const char *dir, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot open folder: %s", dir, strerror(errno));
        return -1;
    }
    size_t before = l->n;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            list_add(l, path);
    }
    closedir(d);
    if (l->n > before)
        qsort(l->v + before, l->n - before, sizeof *l->v, cmp_str);
    if (l->n == before) {
        snprintf(err, errlen, "%s: no dump in this folder (empty output folder)", dir);
        return -1;
    }
    return 0;
}

/* ---- merging and showing ------------------------------------------------- */

static void note_compensation(prof_model *m, cprof_dump **dumps, size_t n, int compensate)
{
    if (!compensate) {
        prof_model_note(m, "overhead compensation: off (--no-compensate): raw figures");
        return;
    }
    double pmin = 1e300, pmax = 0, imin = 1e300, imax = 0;
    for (size_t i = 0; i < n; i++) {
        double p = cprof_dump_ns_per_pair(dumps[i]), in = cprof_dump_ns_inside(dumps[i]);
        pmin = p < pmin ? p : pmin;
        pmax = p > pmax ? p : pmax;
        imin = in < imin ? in : imin;
        imax = in > imax ? in : imax;
    }
    if (n == 0)
        return;
    if (pmax - pmin < 0.05 && imax - imin < 0.05)
        prof_model_note(m, "overhead compensation: applied (%.1f ns around + %.1f ns inside "
                        "each measured call)", pmax, imax);
    else
        prof_model_note(m, "overhead compensation: applied (%.1f-%.1f ns around + %.1f-%.1f ns "
                        "inside each measured call, calibrated per process)", pmin, pmax, imin, imax);
}

/*
 * Read every file (cprof dumps, or valgrind files), merge, print. Returns
 * EXIT_OK, or EXIT_FAIL when a file could not be read (the others are still
 * shown) or nothing could.
 */
static int show_files(const file_list *files, show_opts *s, const char *command, const char *cmd)
{
    int status = EXIT_OK;
    char err[1024];
    cprof_dump **dumps = calloc(files->n ? files->n : 1, sizeof *dumps);
    size_t nd = 0;
    prof_model *vg = NULL;
    for (size_t i = 0; i < files->n; i++) {
        const char *f = files->v[i];
        file_format ff = sniff_format(f);
        if (ff == FILE_CALLGRIND || ff == FILE_CACHEGRIND) {
            prof_kind k = ff == FILE_CALLGRIND ? PROF_CALLGRIND : PROF_CACHEGRIND;
            if ((vg && vg->kind != k) || nd) {
                fprintf(stderr, "cargo-profiler %s: %s: cannot be shown with the files before it "
                        "(different profile kinds)\n", cmd, f);
                status = EXIT_FAIL;
                continue;
            }
            if (!vg)
                vg = prof_model_new(k, ff == FILE_CALLGRIND ? "callgrind" : "cachegrind");
            int rc = ff == FILE_CALLGRIND ? read_callgrind(vg, f, err, sizeof err)
                                          : read_cachegrind(vg, f, err, sizeof err);
            if (rc) {
                fprintf(stderr, "cargo-profiler %s: %s\n", cmd, err);
                status = EXIT_FAIL;
            }
            continue;
        }
        if (vg) {
            fprintf(stderr, "cargo-profiler %s: %s: cannot be shown with the valgrind files before it\n",
                    cmd, f);
            status = EXIT_FAIL;
            continue;
        }
        /* anything else goes to the dump reader, whose error names the file and byte */
        cprof_dump *d = cprof_dump_load(f, err, sizeof err);
        if (!d) {
            fprintf(stderr, "cargo-profiler %s: %s\n", cmd, err);
            status = EXIT_FAIL;
            continue;
        }
        dumps[nd++] = d;
    }
    if (!nd && !vg) {
        free(dumps);
        return EXIT_FAIL;
    }
    if (s->color < 0)
        s->view.color = view_color_auto(stdout);
    else
        s->view.color = s->color;
    s->view.compensated = s->compensate;
    int rc = 0;
    if (vg) {
        rc = view_print(vg, &s->view, stdout);
        prof_model_free(vg);
    } else {
        prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
        if (command)
            m->command = strdup(command);
        for (size_t i = 0; i < nd; i++)
            cprof_dump_merge(m, dumps[i], -1, s->compensate);
        note_compensation(m, dumps, nd, s->compensate);
        if (nd > 1)
            prof_model_note(m, "merged %zu dumps (processes)", nd);
        if (!s->threads) {
            rc = view_print(m, &s->view, stdout);
        } else if (s->view.format == VIEW_JSON) {
            json_t *root = view_json_object(m, &s->view);
            json_t *arr = json_array();
            for (size_t i = 0; root && i < nd; i++)
                for (size_t t = 0; t < cprof_dump_n_threads(dumps[i]); t++) {
                    prof_model *tm = prof_model_new(PROF_REGIONS, "cprof");
                    cprof_dump_merge(tm, dumps[i], (long)t, s->compensate);
                    json_t *o = view_json_object(tm, &s->view);
                    json_object_set_new(o, "pid", json_integer(cprof_dump_pid(dumps[i])));
                    json_object_set_new(o, "tid", json_integer(cprof_dump_tid(dumps[i], t)));
                    json_object_set_new(o, "thread", json_string(cprof_dump_thread_name(dumps[i], t)));
                    json_array_append_new(arr, o);
                    prof_model_free(tm);
                }
            if (root) {
                json_object_set_new(root, "threads", arr);
                rc = json_dumpf(root, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
                fputc('\n', stdout);
                json_decref(root);
            } else {
                json_decref(arr);
                rc = -1;
            }
        } else if (s->view.format == VIEW_TABLE || s->view.format == VIEW_TREE) {
            for (size_t i = 0; rc == 0 && i < nd; i++)
                for (size_t t = 0; rc == 0 && t < cprof_dump_n_threads(dumps[i]); t++) {
                    prof_model *tm = prof_model_new(PROF_REGIONS, "cprof");
                    if (command)
                        tm->command = strdup(command);
                    cprof_dump_merge(tm, dumps[i], (long)t, s->compensate);
                    note_compensation(tm, &dumps[i], 1, s->compensate);
                    char title[300];
                    snprintf(title, sizeof title, "pid %ld, thread %ld (%s)", cprof_dump_pid(dumps[i]),
                             cprof_dump_tid(dumps[i], t), cprof_dump_thread_name(dumps[i], t));
                    s->view.title = title;
                    if (i || t)
                        fputc('\n', stdout);
                    rc = view_print(tm, &s->view, stdout);
                    s->view.title = NULL;
                    prof_model_free(tm);
                }
        } else {
            fprintf(stderr, "cargo-profiler %s: --threads works with --format table, tree or json\n", cmd);
            rc = -1;
        }
        prof_model_free(m);
    }
    for (size_t i = 0; i < nd; i++)
        cprof_dump_free(dumps[i]);
    free(dumps);
    fflush(stdout);
    if (rc)
        return EXIT_FAIL;
    return status;
}

/*
 * A --sort key that cannot match whatever the run measures is refused before
 * the build: a built-in key, "time", or one of the events asked for (--events,
 * else CPROF_EVENTS, else the runtime's default). An event that turns out not
 * to be countable is reported when showing.
 */
static int sort_possible(const char *sort, const char *events)
{
    static const char *const builtin[] = { "incl", "excl", "self", "calls", "mean", "name", "time" };
    if (!sort)
        return 1;
    char key[256];
    snprintf(key, sizeof key, "%s", sort);
    char *colon = strrchr(key, ':');
    if (colon && (!strcmp(colon + 1, "incl") || !strcmp(colon + 1, "excl") || !strcmp(colon + 1, "self")))
        *colon = 0;
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strcmp(key, builtin[i]) == 0)
            return 1;
    if (!events)
        events = getenv("CPROF_EVENTS");
    if (!events)
        events = "PAPI_TOT_INS,PAPI_TOT_CYC";
    size_t kl = strlen(key);
    for (const char *p = events; *p;) {
        size_t n = strcspn(p, ",");
        if (n == kl && strncmp(p, key, n) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* ---- report -------------------------------------------------------------- */

static void report_help(FILE *out)
{
    fputs("usage: cargo profiler report [options] PATH...\n\n"
          "Shows existing profiles: cprof dump files (cprof-<pid>.json), folders of them\n"
          "(all dumps merged: threads and processes), or callgrind/cachegrind output files.\n\n", out);
    show_help(out);
    fputs("\nexit status: 0 ok; 1 a file could not be read (the others are shown) or nothing to show;\n"
          "2 bad command line\n", out);
}

int cmd_report(int argc, char **argv)
{
    static const struct option longs[] = { SHOW_LONG_OPTIONS, {0, 0, 0, 0} };
    show_opts s;
    show_opts_init(&s);
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "n:h", longs, NULL)) != -1) {
        if (c == 'h') {
            report_help(stdout);
            return EXIT_OK;
        }
        int r = show_opts_parse(&s, c, optarg, "report");
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0) {
            fputs("usage: cargo profiler report [options] PATH...  (see --help)\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs("cargo-profiler report: no PATH given (dump files or folders; see --help)\n", stderr);
        return EXIT_USAGE;
    }
    file_list files = {0};
    int status = EXIT_OK;
    char err[1024];
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "cargo-profiler report: %s: %s\n", argv[i], strerror(errno));
            status = EXIT_FAIL;
        } else if (S_ISDIR(st.st_mode)) {
            if (add_folder(&files, argv[i], err, sizeof err)) {
                fprintf(stderr, "cargo-profiler report: %s\n", err);
                status = EXIT_FAIL;
            }
        } else {
            list_add(&files, argv[i]);
        }
    }
    int rc = files.n ? show_files(&files, &s, NULL, "report") : EXIT_FAIL;
    list_free(&files);
    return status != EXIT_OK ? status : rc;
}

/* ---- regions ------------------------------------------------------------- */

static void regions_help(FILE *out)
{
    fputs("usage: cargo profiler regions [options] [-- program args]\n\n"
          "Builds the crate with the cprof/enable feature (profile release with debug info),\n"
          "runs it with CPROF_OUTPUT set to a fresh folder under target/cargo-profiler/,\n"
          "merges every dump (all threads, all child processes) and shows the regions.\n\n", out);
    cargo_opts_help(out);
    fputs("profiling options:\n"
          "  --events LIST      PAPI events to count (sets CPROF_EVENTS; e.g.\n"
          "                     PAPI_TOT_INS,PAPI_TOT_CYC or sde:::LIB::COUNTER; \"none\": time only)\n"
          "  --filter GLOBS     regions to measure (sets CPROF_REGIONS; e.g. 'parse*,!parse_header')\n"
          "                     without these, CPROF_EVENTS/CPROF_REGIONS from the environment apply\n", out);
    show_help(out);
    fputs("\nexit status: 0 ok; 1 error (not a cargo project, crate without cprof, no dump,\n"
          "corrupt dump); 2 bad command line; 3 the program failed (status or signal: what it\n"
          "dumped is still shown); cargo's status when the build failed\n", out);
}

int cmd_regions(int argc, char **argv)
{
    static const struct option longs[] = {
        CARGO_LONG_OPTIONS,
        {"events", required_argument, 0, OPT_EVENTS},
        {"filter", required_argument, 0, OPT_FILTER},
        SHOW_LONG_OPTIONS,
        {0, 0, 0, 0},
    };
    cargo_opts co;
    cargo_opts_init(&co);
    show_opts s;
    show_opts_init(&s);
    const char *events = NULL, *filter = NULL;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+" CARGO_SHORT_OPTIONS "n:h", longs, NULL)) != -1) {
        if (c == 'h') {
            regions_help(stdout);
            return EXIT_OK;
        }
        if (cargo_opts_parse(&co, c, optarg))
            continue;
        if (c == OPT_EVENTS) {
            events = optarg;
            continue;
        }
        if (c == OPT_FILTER) {
            filter = optarg;
            continue;
        }
        int r = show_opts_parse(&s, c, optarg, "regions");
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0) {
            fputs("usage: cargo profiler regions [options] [-- program args]  (see --help)\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (s.threads && (s.view.format == VIEW_CSV || s.view.format == VIEW_FOLDED)) {
        fputs("cargo-profiler regions: --threads works with --format table, tree or json\n", stderr);
        return EXIT_USAGE;
    }
    if (!sort_possible(s.view.sort, events)) {
        fprintf(stderr, "cargo-profiler regions: --sort %s: unknown key (expected incl, excl, calls, "
                "mean, name, or an event[:incl|:excl] among those measured: --events)\n", s.view.sort);
        return EXIT_USAGE;
    }
    char err[2048];
    int built_here = !(co.bin && strchr(co.bin, '/'));
    if (built_here) {
        int dep = cargo_depends_on(&co, "cprof", err, sizeof err);
        if (dep < 0) {
            fprintf(stderr, "cargo-profiler regions: %s\n", err);
            return EXIT_FAIL;
        }
        if (dep == 0) {
            fputs("cargo-profiler regions: this crate does not depend on cprof; "
                  "run `cargo profiler init` to add it\n", stderr);
            return EXIT_FAIL;
        }
    }
    char *exe = NULL;
    int st = cargo_build(&co, built_here ? "cprof/enable" : NULL, &exe, err, sizeof err);
    if (st) {
        if (err[0])
            fprintf(stderr, "cargo-profiler regions: %s\n", err);
        else
            fprintf(stderr, "cargo-profiler regions: the build failed (cargo exit status %d)\n", st);
        return st;
    }
    char *dir = NULL;
    if (cargo_output_dir(&co, "run", &dir, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler regions: %s\n", err);
        free(exe);
        return EXIT_FAIL;
    }

    /* the program's command line: exe + what follows "--" */
    int nargs = argc - optind;
    char **pargv = calloc((size_t)nargs + 2, sizeof *pargv);
    size_t cmdlen = strlen(exe) + 1;
    pargv[0] = exe;
    for (int i = 0; i < nargs; i++) {
        pargv[i + 1] = argv[optind + i];
        cmdlen += strlen(argv[optind + i]) + 1;
    }
    char *command = malloc(cmdlen + 1);
    strcpy(command, exe);
    for (int i = 0; i < nargs; i++) {
        strcat(command, " ");
        strcat(command, argv[optind + i]);
    }
    char *env_out = NULL, *env_ev = NULL, *env_re = NULL;
    char *env[4];
    int ne = 0;
    if (asprintf(&env_out, "CPROF_OUTPUT=%s", dir) < 0 ||
        (events && asprintf(&env_ev, "CPROF_EVENTS=%s", events) < 0) ||
        (filter && asprintf(&env_re, "CPROF_REGIONS=%s", filter) < 0)) {
        fputs("cargo-profiler: out of memory\n", stderr);
        exit(EXIT_FAIL);
    }
    env[ne++] = env_out;
    if (env_ev)
        env[ne++] = env_ev;
    if (env_re)
        env[ne++] = env_re;
    env[ne] = NULL;

    fprintf(stderr, "cargo-profiler: running %s (dumps in %s)\n", command, dir);
    launch_result r;
    int status = EXIT_OK;
    if (launch_run(pargv, env, &r, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler regions: %s\n", err);
        status = EXIT_FAIL;
    } else {
        char how[200];
        launch_describe(&r, how, sizeof how);
        if (launch_failed(&r)) {
            fprintf(stderr, "cargo-profiler regions: the program %s\n", how);
            status = EXIT_PROGRAM;
        }
        file_list files = {0};
        if (add_folder(&files, dir, err, sizeof err)) {
            if (launch_failed(&r))
                fprintf(stderr, "cargo-profiler regions: the program %s before writing a dump "
                        "(%s is empty)\n", how, dir);
            else
                fprintf(stderr, "cargo-profiler regions: %s; did the program run any profiled "
                        "region, and was CPROF_DISABLE set?\n", err);
            status = status == EXIT_OK ? EXIT_FAIL : status;
        } else {
            int rc = show_files(&files, &s, command, "regions");
            if (rc != EXIT_OK && status == EXIT_OK)
                status = rc;
        }
        list_free(&files);
    }
    free(env_out);
    free(env_ev);
    free(env_re);
    free(command);
    free(pargv);
    free(dir);
    free(exe);
    return status;
}
