/*
 * regions.c: `cargo profiler regions`: check the crate depends on cprof,
 * build it with cprof/enable, run it with CPROF_OUTPUT set to a fresh folder
 * under target/cargo-profiler/, then merge every dump there and show it.
 */
#include <getopt.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sys/cargo.h"
#include "compare.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd/commands.h"
#include "sys/launch.h"
#include "sys/run_prune.h"
#include "present.h"
#include "cprof.h"
#include "sys/xalloc.h"
#include "sortkey.h"
#include "views/util.h"

/*
 * What the run will measure, as a model without figures: time and the events
 * asked for (--events, else CPROF_EVENTS, else the runtime's default), so
 * --sort and --metric are judged before building, by the same code that
 * judges them on the dumps. An event that turns out not to be countable is
 * reported when showing.
 */
static prof_model *planned_profile(const char *events)
{
    if (!events)
        events = getenv("CPROF_EVENTS");
    if (!events)
        events = CPROF_DEFAULT_EVENTS;
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    m->planned = 1;
    prof_model_metric(m, "time", 1);
    for (const char *p = events; *p;) {
        size_t n = strcspn(p, ",");
        const char *b = p, *e = p + n;
        while (b < e && isspace((unsigned char)*b))   /* trimmed as the runtime trims them */
            b++;
        while (e > b && isspace((unsigned char)e[-1]))
            e--;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(e - b), b);
        if (*name && strcasecmp(name, "none") != 0)
            prof_model_metric(m, name, 0);
        p += n + (p[n] == ',');
    }
    return m;
}

/* User counters (user::NAME) are there once the program counts them,
 * named in --events or not: a --sort, --metric or --limit may name one. */
static void plan_user_counter(prof_model *m, const char *name, size_t len)
{
    char buf[256];
    if (name && strncmp(name, "user::", 6) == 0 && len < sizeof buf) {
        snprintf(buf, sizeof buf, "%.*s", (int)len, name);
        prof_model_metric(m, buf, 0);
    }
}

static int check_planned(out_opts *o, const cmp_opts *c, const char *events)
{
    prof_model *m = planned_profile(events);
    if (o->view.sort)
        plan_user_counter(m, o->view.sort, sort_key_name_len(o->view.sort, NULL));
    if (o->view.metric)
        plan_user_counter(m, o->view.metric, strlen(o->view.metric));
    for (size_t i = 0; i < c->n_limits; i++)
        if (c->limits[i].metric)
            plan_user_counter(m, c->limits[i].metric, strlen(c->limits[i].metric));
    int rc = out_opts_fit(m, o, "regions");
    if (rc == 0)
        rc = cmp_opts_check(c, "regions", m, o);
    prof_model_free(m);
    return rc;
}

static void regions_help(FILE *out)
{
    fputs("usage: cargo profiler regions [options] [-- program args]\n\n"
          "Builds the crate with the cprof/enable feature (profile cprof: release with debug\n"
          "info, in target/cprof/, so target/release/ stays the user's own),\n"
          "runs it with CPROF_OUTPUT set to a fresh folder under target/cargo-profiler/,\n"
          "merges every dump (all threads, all child processes) and shows the regions.\n\n", out);
    cargo_opts_help(out, "cprof");
    fputs("\nprofiling options:\n"
          "  --events LIST      events to count (sets CPROF_EVENTS; e.g.\n"
          "                     PAPI_TOT_INS,PAPI_TOT_CYC or sde:::LIB::COUNTER; \"none\": time only;\n"
          "                     built-in: cprof::allocs, cprof::alloc_bytes, cprof::frees,\n"
          "                     cprof::freed_bytes, cprof::reallocs (needs cprof::Alloc, see init --alloc);\n"
          "                     user::NAME counters are shown without being named here)\n"
          "  --filter GLOBS     regions to measure (sets CPROF_REGIONS; e.g. 'parse*,!parse_header')\n"
          "                     without these, CPROF_EVENTS/CPROF_REGIONS from the environment apply\n\n", out);
    out_opts_help(out, OUT_HELP_REGIONS);
    fputc('\n', out);
    cmp_opts_help(out, CMP_HELP_BASELINE | CMP_HELP_REPEAT);
    exit_status_help(out, EXIT_HELP_LIMITS | EXIT_HELP_PROGRAM | EXIT_HELP_BUILD);
    fputs("  (1 also: crate without cprof, a --filter that matched no region)\n", out);
}

enum { OPT_EVENTS = 0x3000, OPT_FILTER };

typedef struct regions_args {
    cargo_opts co;
    out_opts out;
    cmp_opts cmp;
    const char *events, *filter;
} regions_args;

/* The command line into a: -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, regions_args *a)
{
    static const struct option longs[] = {
        CARGO_LONG_OPTIONS,
        {"events", required_argument, 0, OPT_EVENTS},
        {"filter", required_argument, 0, OPT_FILTER},
        CMP_RUN_LONG_OPTIONS,
        OUT_LONG_OPTIONS,
        {0, 0, 0, 0},
    };
    cargo_opts_init(&a->co);
    out_opts_init(&a->out);
    cmp_opts_init(&a->cmp);
    optind = 1;
    int c;
    opterr = 0;   /* out_usage_error says what is wrong, in one line */
    while ((c = getopt_long(argc, argv, "+" CARGO_SHORT_OPTIONS OUT_SHORT_OPTIONS, longs, NULL)) != -1) {
        if (c == 'h') {
            regions_help(stdout);
            return EXIT_OK;
        }
        int used = cargo_opts_parse(&a->co, c, optarg);
        if (used < 0)
            return EXIT_USAGE;
        if (used)
            continue;
        if (c == OPT_EVENTS) {
            a->events = optarg;
            continue;
        }
        if (c == OPT_FILTER) {
            a->filter = optarg;
            continue;
        }
        int r = cmp_opts_parse(&a->cmp, c, optarg, "regions");
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        r = out_opts_parse(&a->out, c, optarg, "regions");
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0) {
            out_usage_error("regions", "usage: cargo profiler regions [options] [-- program args]  (see --help)\n",
                            argv, optind, "+" CARGO_SHORT_OPTIONS OUT_SHORT_OPTIONS, longs);
            return EXIT_USAGE;
        }
    }
    if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
        fprintf(stderr, "cargo-profiler regions: unexpected argument '%s' (program arguments go after --)\n",
                argv[optind]);
        return EXIT_USAGE;
    }
    return check_planned(&a->out, &a->cmp, a->events) ? EXIT_USAGE : -1;
}

/* What check_dependency found off (a dependency's optional cprof), said
 * again if the run then dumps nothing. */
static char optional_off[2200];

/* The crate depends on cprof (what --bin PATH runs was built elsewhere). */
static int check_dependency(const cargo_opts *co)
{
    char err[2048];
    if (co->bin && strchr(co->bin, '/'))
        return 0;
    int dep = cargo_depends_on(co, "cprof", err, sizeof err);
    if (dep < 0 || (dep == 0 && err[0])) {
        fprintf(stderr, "cargo-profiler regions: %s\n", err);
        return EXIT_FAIL;
    }
    if (dep == 0) {
        fputs("cargo-profiler regions: this crate does not depend on cprof (a dependency of it that does "
              "is not enough: profiling is switched on through this crate's own cprof dependency); "
              "run `cargo profiler init` here to add it\n", stderr);
        return EXIT_FAIL;
    }
    cargo_users users;
    int n = cargo_optional_users(co, "cprof", "cprof/enable", &users);
    if (n) {
        snprintf(optional_off, sizeof optional_off, "cprof is an optional dependency of %s, off in this "
                 "build: %s regions are not measured (add --features %s)", users.packages,
                 n == 1 ? "its" : "their", users.features);
        fprintf(stderr, "cargo-profiler regions: note: %s\n", optional_off);
    }
    return 0;
}

/* The program's environment: CPROF_OUTPUT (env[0], set per run), and the
 * options' CPROF_EVENTS, CPROF_REGIONS, CPROF_QUIET. */
static void program_env(const regions_args *a, char **env)
{
    int ne = 1;
    env[0] = NULL;
    if (a->events)
        env[ne++] = xasprintf("CPROF_EVENTS=%s", a->events);
    if (a->filter)
        env[ne++] = xasprintf("CPROF_REGIONS=%s", a->filter);
    /* The report's header names missing events and the dump's errors: the
     * runtime need not say them on stderr as well (unless asked to). */
    if (!getenv("CPROF_QUIET"))
        env[ne++] = xstrdup("CPROF_QUIET=1");
    env[ne] = NULL;
}

/* One program (or test harness) of the run, for cargo_exes_run. */
typedef struct run_one_ctx {
    char **env;
    const char *dir;
    int flags;
} run_one_ctx;

static int run_one(void *ctx, char **argv, int argc, const char *command, launch_result *r,
                   char *err, size_t errlen)
{
    run_one_ctx *c = ctx;
    (void)argc;
    fprintf(stderr, "cargo-profiler: running %s (dumps in %s)\n", command, c->dir);
    return launch_run_flags(argv, c->env, c->flags, r, err, errlen);
}

/* One run (every harness in turn) with its dumps going into out. 0 when it
 * ran (*failed: it failed), else EXIT_FAIL after one line. */
static int run_once(const regions_args *a, const cargo_exes *exes, char **args, int nargs,
                    char **env, const char *out, launch_result *r, int *failed, char **command)
{
    char err[2048];
    free(env[0]);
    env[0] = xasprintf("CPROF_OUTPUT=%s", out);
    /* Machine-readable output stays clean: the program's stdout goes to stderr. */
    int machine = view_for_tools(a->out.view.format);
    run_one_ctx ctx = {env, out, machine ? LAUNCH_STDOUT_TO_STDERR : 0};
    free(*command);
    *command = NULL;
    if (cargo_exes_run(exes, args, nargs, run_one, &ctx, r, command, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler regions: %s\n", err);
        return EXIT_FAIL;
    }
    *failed = launch_failed(r);
    return 0;
}

/* A repetition after the first that failed is left out of the mean: its
 * folder becomes failed-K (said on stderr), its dumps stay to be read. */
static int set_aside(const char *out, const char *dir, int k, int n, const launch_result *r)
{
    char how[200], *to = xasprintf("%s/failed-%d", dir, k);
    launch_describe(r, how, sizeof how);
    int empty = rmdir(out) == 0, rc = empty ? 0 : rename(out, to);
    if (rc)
        fprintf(stderr, "cargo-profiler regions: run %d of %d: the program %s, and its folder cannot "
                "be set aside (%s): nothing shown\n", k, n, how, strerror(errno));
    else
        fprintf(stderr, "cargo-profiler regions: run %d of %d: the program %s; it is left out, the "
                "mean of runs 1-%d is shown%s%s%s\n", k, n, how, k - 1, empty ? " (it wrote no dump)" : " (its dumps: ",
                empty ? "" : to, empty ? "" : ")");
    free(to);
    return rc ? EXIT_FAIL : 0;
}

/* Runs 1..repeat, each into dir (or dir/rep-K with --repeat); stops at the
 * first that fails (*failed 1; an empty rep-K folder is removed; a later
 * one is set aside: *failed 2). */
static int run_all(const regions_args *a, const cargo_exes *exes, char **args, int nargs,
                   const char *dir, launch_result *r, int *failed, char **command)
{
    char *env[5];
    program_env(a, env);
    int n = a->cmp.repeat, rc = 0;
    *failed = 0;
    for (int k = 1; k <= n && rc == 0 && !*failed; k++) {
        char *out = n > 1 ? xasprintf("%s/" REP_PREFIX "%d", dir, k) : xstrdup(dir);
        if (n > 1 && mkdir(out, 0755)) {
            fprintf(stderr, "cargo-profiler regions: cannot create %s: %s\n", out, strerror(errno));
            rc = EXIT_FAIL;
        } else {
            rc = run_once(a, exes, args, nargs, env, out, r, failed, command);
        }
        if (n > 1 && k > 1 && rc == 0 && *failed) {
            rc = set_aside(out, dir, k, n, r);
            *failed = 2;
        } else if (n > 1 && (rc || *failed)) {
            rmdir(out);   /* only when empty: what the first run dumped is still shown */
        }
        free(out);
    }
    for (int i = 0; env[i] || i == 0; i++)
        free(env[i]);
    return rc;
}

/* A run whose CPROF_REGIONS matched nothing recorded nothing: its folder
 * goes, so that `report target/cargo-profiler` shows the run before it.
 * Only a run folder of ours holding only our files (run_remove). */
static void drop_empty_run(const char *dir)
{
    const char *slash = strrchr(dir, '/');
    const char *name = slash ? slash + 1 : dir;
    char *base = slash ? xasprintf("%.*s", (int)(slash - dir), dir) : xstrdup(".");
    int fd = run_name_is_ours(name, "run") ? open(*base ? base : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    struct stat st;
    if (fd >= 0 && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
        run_remove(fd, name, &st))
        fprintf(stderr, "cargo-profiler regions: nothing was recorded, so %s is removed\n", dir);
    if (fd >= 0)
        close(fd);
    free(base);
}

/* Run the program (each harness in turn, --repeat times) with its dumps
 * going into dir, then show them. */
static int run_program(regions_args *a, const cargo_exes *exes, const char *dir, char **args, int nargs)
{
    char err[2048], *command = NULL;
    launch_result r;
    int failed, status = run_all(a, exes, args, nargs, dir, &r, &failed, &command);
    if (status == 0) {
        char how[200];
        launch_describe(&r, how, sizeof how);
        run_list runs = {0};
        if (add_runs(&runs, dir, err, sizeof err)) {
            if (failed)
                fprintf(stderr, "cargo-profiler regions: the program %s before writing a dump "
                        "(%s is empty)\n", how, dir);
            else if (optional_off[0])
                fprintf(stderr, "cargo-profiler regions: %s; did the program run any profiled "
                        "region? (%s)\n", err, optional_off);
            else
                fprintf(stderr, "cargo-profiler regions: %s; did the program run any profiled "
                        "region, and was CPROF_DISABLE set?\n", err);
            status = EXIT_FAIL;
        } else {
            if (failed == 1)
                fprintf(stderr, "cargo-profiler regions: the program %s; showing what it dumped\n", how);
            int nothing = 0;
            present_in in = {.cmd = "regions", .command = command, .exe = exes->v[0].path, .program = &r,
                             .selected_nothing = &nothing};
            status = compare_run(&in, &runs, "regions", &a->co, &a->cmp, &a->out);
            if (nothing)
                drop_empty_run(dir);
        }
        if (failed)   /* a script tells a failed program from a broken limit */
            status = launch_failed_status(&r, EXIT_PROGRAM);
        runs_free(&runs);
    }
    free(command);
    return status;
}

/* Check, build, run, show. */
static int build_and_run(regions_args *a, char **args, int nargs)
{
    int st = check_dependency(&a->co);
    if (st || (st = cmp_baseline_ready(&a->cmp, &a->co, "regions", "regions")) != 0)
        return st;
    char err[2048], *dir = NULL;
    cargo_exes exes;
    if ((st = cargo_build(&a->co, a->co.bin && strchr(a->co.bin, '/') ? NULL : "cprof/enable", &exes, err,
                          sizeof err)) != 0) {
        if (err[0])
            fprintf(stderr, "cargo-profiler regions: %s\n", err);
        else
            fprintf(stderr, "cargo-profiler regions: the build failed (cargo exit status %d)\n", st);
        return st;
    }
    if (cargo_output_dir(&a->co, "run", &dir, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler regions: %s\n", err);
        cargo_exes_free(&exes);
        return EXIT_FAIL;
    }
    st = run_program(a, &exes, dir, args, nargs);
    free(dir);
    cargo_exes_free(&exes);
    return st;
}

int cmd_regions(int argc, char **argv)
{
    regions_args a = {0};
    int st = parse_args(argc, argv, &a);
    if (st < 0)
        st = build_and_run(&a, argv + optind, argc - optind);
    cmp_opts_free(&a.cmp);
    return st;
}
