/*
 * valgrind.c: `cargo profiler callgrind`, `cargo profiler cachegrind` and
 * `cargo profiler dhat`:
 * build (profile cprof: release with debug info, the same cargo options as `regions`), run
 * the program under valgrind with its output in a fresh folder under
 * target/cargo-profiler/, read every file valgrind wrote (threads, parts)
 * and show the functions. Address-space randomisation is off by default
 * (setarch -R) and cachegrind always gets --cache-sim=yes, so numbers are
 * the same from run to run and across valgrind versions.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sys/cargo.h"
#include "cmd/commands.h"
#include "sys/launch.h"
#include "readers/dhat.h"
#include "readers/readers.h"
#include "sys/valgrind_tool.h"
#include "views/views.h"
#include "present.h"
#include "compare.h"
#include "sys/xalloc.h"
#include "sortkey.h"

enum { OPT_KEEP = 0x3000, OPT_CACHE, OPT_ASLR, OPT_MODE };

typedef struct vg_opts {
    int cachegrind, dhat;
    dhat_mode mode;         /* dhat: --mode */
    const char *tool;
    out_opts out;
    cmp_opts cmp;
    int keep, aslr;
    char cache[3][64];      /* --I1= --D1= --LL= values, "" = valgrind's choice */
} vg_opts;

static const char *const CG_EVENTS[] = {"Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"};

static void dhat_help(FILE *out)
{
    fputs("Builds the program (profile cprof-vg: release + debug info, target/cprof-vg/),\n"
          "runs it under valgrind --tool=dhat and shows where it allocates, per function:\n"
          "bytes and blocks allocated (self: its own requests, incl: with all it calls),\n"
          "peak_bytes (live when the heap was largest, t-gmax), end_bytes (never freed),\n"
          "avg life (of its blocks, in instructions), reads/B and writes/B (accesses per\n"
          "byte allocated; low: memory allocated and barely used). The allocator's own\n"
          "frames (malloc, Rust's alloc crate: RawVec, Vec::with_capacity, String, Box)\n"
          "are left out of every stack, so self names the code that asked.\n"
          "--format tree and folded show the allocation\n"
          "stacks as DHAT recorded them; json and csv also peak_blocks, end_blocks,\n"
          "lifetime, reads, writes. --sort bytes|blocks|peak_bytes|end_bytes|...[:incl].\n\n", out);
}

static void help(FILE *out, const char *tool)
{
    int cg = strcmp(tool, "cachegrind") == 0, dh = strcmp(tool, "dhat") == 0;
    fprintf(out, "usage: cargo profiler %s [cargo options] [options] [-- program args]\n\n", tool);
    if (dh)
        dhat_help(out);
    else if (cg)
        fputs("Builds the program (profile cprof-vg: release + debug info, target/cprof-vg/),\n"
              "runs it under valgrind --tool=cachegrind --cache-sim=yes and shows its\n"
              "functions, one row each: self cost per event (Ir I1mr ILmr Dr D1mr DLmr Dw\n"
              "D1mw DLmw), miss ratios, % of the total, file:line. Cachegrind records no\n"
              "calls: no inclusive cost, no calls, no call tree (use callgrind for those).\n\n", out);
    else
        fputs("Builds the program (profile cprof-vg: release + debug info, target/cprof-vg/),\n"
              "runs it under valgrind --tool=callgrind and shows its functions: self and\n"
              "inclusive cost per event, % of the total, calls, file:line, object. Recursion\n"
              "levels (fib'2) are merged into one function.\n\n", out);
    cargo_opts_help(out, "cprof-vg");
    fputs("\n", out);
    out_opts_help(out, OUT_HELP_VALGRIND);
    fputs("\nvalgrind options:\n", out);
    if (dh)
        fputs("  --mode MODE        DHAT's mode: heap (default), copy (bytes copied by memcpy,\n"
              "                     strcpy, ...: bytes, blocks) or ad-hoc (DHAT_AD_HOC_EVENT\n"
              "                     client requests: units, events)\n", out);
    else
        fputs("  --cache I1:D1:LL   simulated caches, each SIZE,ASSOC,LINE in bytes, e.g.\n"
              "                     32768,8,64:32768,8,64:8388608,16,64 (or the nine numbers\n"
              "                     with commas); fixes the geometry instead of the host's\n", out);
    if (!cg && !dh)
        fputs("                     (and turns callgrind's cache simulation on)\n", out);
    fputs("  --keep             keep valgrind's output file and print its path\n"
          "  --aslr             leave address-space randomisation on (default: setarch -R)\n"
          "  -h, --help         this help\n\n", out);
    cmp_opts_help(out, CMP_HELP_BASELINE);
    exit_status_help(out, EXIT_HELP_LIMITS | EXIT_HELP_PROGRAM | EXIT_HELP_BUILD);
    fputs("  (1 also: valgrind missing, output it could not write or we could not read)\n", out);
}

/* ---- options ------------------------------------------------------------ */

static int power_of_two(unsigned long v)
{
    return v && (v & (v - 1)) == 0;
}

/* "size,assoc,line", as valgrind accepts it: a power-of-two line size and a
 * power-of-two number of sets (size / (assoc * line)). */
static int cache_spec_ok(const char *s)
{
    unsigned long size, assoc, line;
    char tail;
    if (sscanf(s, "%lu,%lu,%lu%c", &size, &assoc, &line, &tail) != 3 || !size || !assoc || !line)
        return 0;
    return power_of_two(line) && size % (assoc * line) == 0 && power_of_two(size / (assoc * line));
}

static int parse_cache(vg_opts *o, const char *arg)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s", arg);
    /* nine numbers "S,A,L,S,A,L,S,A,L" are the same three caches */
    if (!strchr(buf, ':')) {
        int commas = 0;
        for (char *c = buf; *c; c++)
            if (*c == ',' && ++commas % 3 == 0)
                *c = ':';
        if (commas != 8)
            return -1;
    }
    char *save, *part = strtok_r(buf, ":", &save);
    int i = 0;
    for (; part && i < 3; i++, part = strtok_r(NULL, ":", &save)) {
        if (!cache_spec_ok(part) || strlen(part) >= sizeof o->cache[i])
            return -1;
        snprintf(o->cache[i], sizeof o->cache[i], "%s", part);
    }
    return i == 3 && !part ? 0 : -1;
}

/*
 * What this run will record, as a model without figures, so --sort and
 * --metric are judged before valgrind runs by the same code that judges
 * them on its files; where an event of valgrind's is not in this run, why.
 */
static prof_model *planned_profile(const vg_opts *o)
{
    if (o->dhat) {
        prof_model *m = prof_model_new(PROF_DHAT, o->tool);
        dhat_plan_metrics(m, o->mode);
        return m;
    }
    prof_model *m = prof_model_new(o->cachegrind ? PROF_CACHEGRIND : PROF_CALLGRIND, o->tool);
    int have = o->cachegrind || o->cache[0][0] ? 9 : 1;
    for (int i = 0; i < have; i++)
        prof_model_metric(m, CG_EVENTS[i], 0);
    return m;
}

static void event_hint(const vg_opts *o, const char *name)
{
    static const char *const branch[] = {"Bc", "Bcm", "Bi", "Bim"};
    for (int i = 1; i < 9; i++)
        if (strcasecmp(name, CG_EVENTS[i]) == 0)
            fprintf(stderr, "cargo-profiler callgrind: callgrind counts %s only with its cache "
                    "simulation on: add --cache I1:D1:LL, or use `cargo profiler cachegrind`\n",
                    CG_EVENTS[i]);
    for (int i = 0; i < 4; i++)
        if (strcasecmp(name, branch[i]) == 0)
            fprintf(stderr, "cargo-profiler %s: branch events need valgrind's --branch-sim=yes, "
                    "which this command does not turn on\n", o->tool);
}

static int check_planned(vg_opts *o)
{
    prof_model *m = planned_profile(o);
    int rc = out_opts_fit(m, &o->out, o->tool);
    if (rc == 0)
        rc = cmp_opts_check(&o->cmp, o->tool, m, &o->out);
    if (rc) {
        char name[256];
        if (o->out.view.sort) {
            snprintf(name, sizeof name, "%.*s", (int)sort_key_name_len(o->out.view.sort, NULL), o->out.view.sort);
            event_hint(o, name);
        }
        if (o->out.view.metric)
            event_hint(o, o->out.view.metric);
    }
    prof_model_free(m);
    return rc;
}

/* ---- the command ---------------------------------------------------------- */

/* The command line into o and co: -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, vg_opts *op, cargo_opts *co)
{
    static const struct option longs[] = {
        CARGO_LONG_OPTIONS,
        OUT_LONG_OPTIONS,
        CMP_RUN_LONG_OPTIONS,
        {"keep",       no_argument,       0, OPT_KEEP},
        {"cache",      required_argument, 0, OPT_CACHE},
        {"aslr",       no_argument,       0, OPT_ASLR},
        {"mode",       required_argument, 0, OPT_MODE},
        {0, 0, 0, 0},
    };
    optind = 1;
    int c;
    opterr = 0;   /* out_usage_error says what is wrong, in one line */
    while ((c = getopt_long(argc, argv, "+" CARGO_SHORT_OPTIONS OUT_SHORT_OPTIONS, longs, NULL)) != -1) {
        if (c == 'h') {
            help(stdout, op->tool);
            return EXIT_OK;
        }
        if (c == CARGO_OPT_KEEP_RUNS) {
            fprintf(stderr, "cargo-profiler %s: --keep-runs is regions' (run folders); %s keeps its "
                    "file only with --keep\n", op->tool, op->tool);
            return EXIT_USAGE;
        }
        int used = cargo_opts_parse(co, c, optarg);
        if (used == 0)
            used = out_opts_parse(&op->out, c, optarg, op->tool);
        if (used == 0)
            used = cmp_opts_parse(&op->cmp, c, optarg, op->tool);
        if (used < 0)
            return EXIT_USAGE;
        if (used)
            continue;
        switch (c) {
        case OPT_KEEP: op->keep = 1; break;
        case OPT_ASLR: op->aslr = 1; break;
        case OPT_MODE:
            if (!op->dhat || dhat_mode_parse(optarg, &op->mode)) {
                fprintf(stderr, "cargo-profiler %s: --mode %s: %s\n", op->tool, optarg,
                        op->dhat ? "expected heap, copy or ad-hoc" : "is for dhat");
                return EXIT_USAGE;
            }
            break;
        case OPT_CACHE:
            if (op->dhat) {
                fprintf(stderr, "cargo-profiler dhat: --cache: DHAT simulates no caches (callgrind and "
                        "cachegrind do)\n");
                return EXIT_USAGE;
            }
            if (parse_cache(op, optarg)) {
                fprintf(stderr, "cargo-profiler %s: --cache %s: expected I1:D1:LL, each SIZE,ASSOC,LINE "
                        "(e.g. 32768,8,64:32768,8,64:8388608,16,64)\n", op->tool, optarg);
                return EXIT_USAGE;
            }
            break;
        default: {
            char usage[96];
            snprintf(usage, sizeof usage, "cargo-profiler %s: try --help\n", op->tool);
            out_usage_error(op->tool, usage, argv, optind, "+" CARGO_SHORT_OPTIONS OUT_SHORT_OPTIONS, longs);
            return EXIT_USAGE;
        }
        }
    }
    if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
        fprintf(stderr, "cargo-profiler %s: unexpected argument '%s' (program arguments go after --)\n",
                op->tool, argv[optind]);
        return EXIT_USAGE;
    }
    if (op->cmp.repeat > 1) {
        fprintf(stderr, "cargo-profiler %s: --repeat: valgrind's counts are exact, one run tells "
                "them (--repeat is for regions)\n", op->tool);
        return EXIT_USAGE;
    }
    if (check_planned(op))
        return EXIT_USAGE;
    return -1;
}

/* valgrind is there and new enough: 0 with its version in ver, else EXIT_FAIL. */
static int check_valgrind(const vg_opts *o, char *ver, size_t verlen)
{
    char err[1024];
    int major = 0, minor = 0;
    if (!vg_in_path("valgrind")) {
        fprintf(stderr, "cargo-profiler %s: valgrind is not installed (on Debian or Ubuntu: "
                "sudo apt-get install valgrind)\n", o->tool);
        return EXIT_FAIL;
    }
    if (vg_version(ver, verlen, &major, &minor, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler %s: %s\n", o->tool, err);
        return EXIT_FAIL;
    }
    if (major < 3 || (major == 3 && minor < 10)) {
        fprintf(stderr, "cargo-profiler %s: valgrind %s is too old (3.10 or newer is needed)\n",
                o->tool, ver);
        return EXIT_FAIL;
    }
    return 0;
}

/* setarch ARCH -R valgrind --tool=T --T-out-file=DIR/T.out.%p [...] EXE ARGS */
typedef struct vg_command {
    char **argv;
    struct utsname un;
    int no_aslr;
    char toolopt[32], modeopt[32], outopt[4200], cacheopt[3][96];
} vg_command;

static void build_command(vg_command *v, const vg_opts *o, const char *dir, char *exe, char **args,
                          size_t nargs)
{
    v->no_aslr = !o->aslr && uname(&v->un) == 0 && vg_setarch_works(v->un.machine);
    v->argv = xcalloc(nargs + 20, sizeof *v->argv);
    size_t n = 0;
    if (v->no_aslr) {
        v->argv[n++] = "setarch";
        v->argv[n++] = v->un.machine;
        v->argv[n++] = "-R";
    }
    v->argv[n++] = "valgrind";
    snprintf(v->toolopt, sizeof v->toolopt, "--tool=%s", o->tool);
    v->argv[n++] = v->toolopt;
    v->argv[n++] = "-q";
    if (o->dhat) {
        snprintf(v->modeopt, sizeof v->modeopt, "--mode=%s", dhat_mode_name(o->mode));
        v->argv[n++] = v->modeopt;
        v->argv[n++] = "--fullpath-after=";   /* whole source paths: --only-crate tells the crate's own */
    }
    /* valgrind expands %p, %q{VAR}, %% in the file name: a '%' of the folder is doubled */
    char dir_esc[sizeof v->outopt / 2];
    size_t de = 0;
    for (const char *p = dir; *p && de + 2 < sizeof dir_esc; p++) {
        if (*p == '%')
            dir_esc[de++] = '%';
        dir_esc[de++] = *p;
    }
    dir_esc[de] = 0;
    snprintf(v->outopt, sizeof v->outopt, "--%s-out-file=%s/%s.out.%%p", o->tool, dir_esc, o->tool);
    v->argv[n++] = v->outopt;
    if (o->cachegrind || o->cache[0][0])
        v->argv[n++] = "--cache-sim=yes";   /* 3.21+ defaults to no; callgrind needs it for --cache */
    static const char *const cache_names[] = {"I1", "D1", "LL"};
    for (int i = 0; i < 3 && o->cache[0][0]; i++) {
        snprintf(v->cacheopt[i], sizeof v->cacheopt[i], "--%s=%s", cache_names[i], o->cache[i]);
        v->argv[n++] = v->cacheopt[i];
    }
    v->argv[n++] = exe;
    for (size_t i = 0; i < nargs; i++)
        v->argv[n++] = args[i];
    v->argv[n] = NULL;
}

/* One program (or test harness) under valgrind, for cargo_exes_run: its own
 * output file in dir (valgrind's %p). */
typedef struct vg_run {
    const vg_opts *o;
    const char *dir;
    int flags, no_aslr;
} vg_run;

static int run_one(void *ctx, char **argv, int argc, const char *command, launch_result *r,
                   char *err, size_t errlen)
{
    vg_run *c = ctx;
    vg_command v;
    (void)command;
    build_command(&v, c->o, c->dir, argv[0], argv + 1, (size_t)argc - 1);
    c->no_aslr = v.no_aslr;
    int rc = launch_run_flags(v.argv, NULL, c->flags, r, err, errlen);
    free(v.argv);
    return rc;
}

/* Run valgrind (on each harness in turn), then show what it wrote: the exit status. */
static int run_and_show(vg_opts *o, const cargo_opts *co, const cargo_exes *exes, const char *dir,
                        char **args, int nargs, const char *ver)
{
    char err[1024], *command = NULL;
    vg_ticker t;
    vg_ticker_start(&t, o->tool);   /* a live line on a terminal only */
    /* Machine-readable output stays clean: the program's stdout goes to stderr. */
    int machine = view_for_tools(o->out.view.format);
    launch_result r;
    vg_run run = {o, dir, machine ? LAUNCH_STDOUT_TO_STDERR : 0, 0};
    int lrc = cargo_exes_run(exes, args, nargs, run_one, &run, &r, &command, err, sizeof err);
    vg_ticker_stop(&t);
    if (lrc) {
        fprintf(stderr, "cargo-profiler %s: %s\n", o->tool, err);
        free(command);
        return EXIT_FAIL;
    }
    size_t nfiles = 0;
    char prefix[32], how[160];
    snprintf(prefix, sizeof prefix, "%s.out", o->tool);
    char **files = vg_output_files(dir, prefix, &nfiles);
    launch_describe(&r, how, sizeof how);
    int status;
    if (!nfiles) {   /* no output at all: valgrind itself refused (its message is above) */
        fprintf(stderr, "cargo-profiler %s: valgrind %s and wrote no output file into %s: "
                "it failed before the program ran (see its message above)\n", o->tool, how, dir);
        status = EXIT_FAIL;
    } else {
        if (launch_failed(&r))
            fprintf(stderr, "cargo-profiler %s: the program %s under valgrind; showing what was "
                    "recorded\n", o->tool, how);
        file_list fl = {0};
        for (size_t i = 0; i < nfiles; i++)
            list_add(&fl, files[i]);
        char vnote[200];
        snprintf(vnote, sizeof vnote, "valgrind %s%s%s", ver,
                 run.no_aslr ? ", address-space randomisation off (setarch -R)" : "",
                 o->cache[0][0] ? ", caches fixed by --cache" : "");
        /* --only-crate keeps one executable's functions: with several harnesses, their sources */
        present_in in = {.cmd = o->tool, .command = command, .exe = exes->n == 1 ? exes->v[0].path : NULL,
                         .notes = {vnote}, .n_notes = 1, .program = &r};
        run_list runs = {.v = &fl, .n = 1, .cap = 1};
        int prc = compare_run(&in, &runs, o->tool, co, &o->cmp, &o->out);
        status = launch_failed(&r) ? launch_failed_status(&r, EXIT_PROGRAM) : prc;   /* a failed program is not a broken limit */
        list_free(&fl);
    }
    for (size_t i = 0; i < nfiles; i++) {
        if (o->keep)
            fprintf(stderr, "cargo-profiler %s: kept %s\n", o->tool, files[i]);
        else
            unlink(files[i]);
    }
    if (!o->keep)
        rmdir(dir);   /* only if empty: never removes anything else */
    vg_free_list(files);
    free(command);
    return status;
}

/* Check valgrind, build, run under it, show. */
static int build_and_run(vg_opts *o, cargo_opts *co, char **args, int nargs)
{
    char ver[64], err[1024];
    int st = check_valgrind(o, ver, sizeof ver);
    if (st || (st = cmp_baseline_ready(&o->cmp, co, o->tool, o->tool)) != 0)
        return st;
    char *dir = NULL;
    cargo_exes exes;
    if ((st = cargo_build(co, NULL, &exes, err, sizeof err)) != 0) {
        if (err[0])
            fprintf(stderr, "cargo-profiler %s: %s\n", o->tool, err);
        return st;
    }
    if (cargo_output_dir(co, o->tool, &dir, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler %s: %s\n", o->tool, err);
        cargo_exes_free(&exes);
        return EXIT_FAIL;
    }
    char root[4096];   /* the text views show the crate's files relative to it (debug info has them absolute) */
    if (cargo_package_dir(co, root, sizeof root) == 0)
        o->out.view.root = root;
    st = run_and_show(o, co, &exes, dir, args, nargs, ver);
    free(dir);
    cargo_exes_free(&exes);
    return st;
}

static int run(int argc, char **argv, const char *tool)
{
    vg_opts o;
    memset(&o, 0, sizeof o);
    o.cachegrind = strcmp(tool, "cachegrind") == 0;
    o.dhat = strcmp(tool, "dhat") == 0;
    o.tool = tool;
    out_opts_init(&o.out);
    cmp_opts_init(&o.cmp);
    cargo_opts co;
    cargo_opts_init(&co);
    int st = parse_args(argc, argv, &o, &co);
    if (st < 0)
        st = build_and_run(&o, &co, argv + optind, argc - optind);
    cmp_opts_free(&o.cmp);
    return st;
}

int cmd_callgrind(int argc, char **argv)
{
    return run(argc, argv, "callgrind");
}

int cmd_cachegrind(int argc, char **argv)
{
    return run(argc, argv, "cachegrind");
}

int cmd_dhat(int argc, char **argv)
{
    return run(argc, argv, "dhat");
}
