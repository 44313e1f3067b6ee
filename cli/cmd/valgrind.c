/*
 * valgrind_cmd.c: `cargo profiler callgrind` and `cargo profiler cachegrind`:
 * build (release with debug info, the same cargo options as `regions`), run
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
#include "readers/readers.h"
#include "model/only_crate.h"
#include "sys/valgrind_tool.h"
#include "views/callers.h"
#include "views/views.h"

enum {
    OPT_FORMAT = 0x3000, OPT_SORT, OPT_KEEP, OPT_CALLERS, OPT_CALLEES, OPT_ONLY_CRATE,
    OPT_CACHE, OPT_ASLR, OPT_COLOR, OPT_METRIC,
};

typedef struct vg_opts {
    int cachegrind;
    const char *tool;
    view_opts view;
    const char *sort;       /* as given */
    int keep, only_crate, aslr, color;
    const char *callers, *callees;
    char cache[3][64];      /* --I1= --D1= --LL= values, "" = valgrind's choice */
} vg_opts;

static const char *const CG_EVENTS[] = {"Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"};

static void help(FILE *out, const char *tool)
{
    int cg = strcmp(tool, "cachegrind") == 0;
    fprintf(out, "usage: cargo profiler %s [cargo options] [options] [-- program args]\n\n", tool);
    if (cg)
        fputs("Builds the program (release, with debug info), runs it under valgrind\n"
              "--tool=cachegrind --cache-sim=yes and shows its functions: self cost per event\n"
              "(Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw), miss ratios, % of the total,\n"
              "file:line, object. Cachegrind records no calls: no inclusive cost, no calls,\n"
              "no call tree (use callgrind for those).\n\n", out);
    else
        fputs("Builds the program (release, with debug info), runs it under valgrind\n"
              "--tool=callgrind and shows its functions: self and inclusive cost per event,\n"
              "% of the total, calls, file:line, object. Recursion levels (fib'2) are merged\n"
              "into one function.\n\n", out);
    cargo_opts_help(out);
    fputs("\noptions:\n"
          "  -n N                show the top N functions (default: 20 in a table, 40 lines\n"
          "                      of a tree, all in json, csv and folded; 0 = all)\n", out);
    if (cg)
        fputs("  --sort EVENT        sort by an event's cost, any case (ir, d1mr, ...); also\n"
              "                      self (= Ir), name\n"
              "  --format FMT        table (default), json, csv, folded (one frame per line:\n"
              "                      no calls recorded); tree shows the table\n", out);
    else
        fputs("  --sort EVENT        sort by an event's self cost, any case (ir, d1mr, ...);\n"
              "                      EVENT:incl for inclusive; also incl, self, calls, name\n"
              "  --format FMT        table (default), tree, json, csv, folded; the tree's and\n"
              "                      folded's call paths are estimated from the call edges\n"
              "  --callers FN        who calls FN: calls and inclusive cost along each edge\n"
              "  --callees FN        what FN calls, likewise\n", out);
    fputs("  --metric EVENT      folded: the event whose cost the stacks carry (default Ir)\n"
          "  --only-crate        hide functions of the standard library, the dynamic loader\n"
          "                      and valgrind (those outside the program's own source)\n"
          "  --cache I1:D1:LL    simulated caches, each SIZE,ASSOC,LINE in bytes, e.g.\n"
          "                      32768,8,64:32768,8,64:8388608,16,64 (or the nine numbers\n"
          "                      with commas); fixes the geometry instead of the host's\n", out);
    if (!cg)
        fputs("                      (and turns callgrind's cache simulation on)\n", out);
    fputs("  --keep              keep valgrind's output file and print its path\n"
          "  --aslr              leave address-space randomisation on (default: setarch -R)\n"
          "  --color WHEN        auto (default), always, never\n"
          "  -h, --help          this help\n\n"
          "exit status: 0 ok; 1 error (valgrind missing, unreadable output); 2 bad command\n"
          "line; 3 the program failed (what valgrind recorded is still shown); N cargo's\n"
          "status when the build failed\n", out);
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
 * An event named on the command line (--sort, --metric), in any case, as the
 * original tool took it: its canonical name, or -1 after saying why it is
 * not in this run (before valgrind runs).
 */
static int run_event(const vg_opts *o, const char *opt, const char *s, const char *name)
{
    int have = o->cachegrind || o->cache[0][0] ? 9 : 1;
    for (int i = 0; i < 9; i++) {
        if (strcasecmp(name, CG_EVENTS[i]) != 0)
            continue;
        if (i < have)
            return i;
        fprintf(stderr, "cargo-profiler callgrind: %s %s: callgrind counts %s only with "
                "its cache simulation on: add --cache I1:D1:LL, or use `cargo profiler "
                "cachegrind`\n", opt, s, CG_EVENTS[i]);
        return -1;
    }
    static const char *const branch[] = {"Bc", "Bcm", "Bi", "Bim"};
    for (int i = 0; i < 4; i++)
        if (strcasecmp(name, branch[i]) == 0) {
            fprintf(stderr, "cargo-profiler %s: %s %s: branch events need valgrind's "
                    "--branch-sim=yes, which this command does not turn on\n", o->tool, opt, s);
            return -1;
        }
    fprintf(stderr, "cargo-profiler %s: %s %s: unknown event (this run records: %s)\n", o->tool, opt, s,
            have == 9 ? "Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw" : "Ir");
    return -1;
}

/*
 * The view's sort key for --sort: event names in any case ("ir", "D1MR"),
 * the original tool's spelling; a plain EVENT is its self cost. A missing
 * event is explained before valgrind runs.
 */
static int resolve_sort(vg_opts *o, char *key, size_t len)
{
    const char *s = o->sort;
    if (!s) {
        snprintf(key, len, "%s:excl", "Ir");
        return 0;
    }
    if (!strcasecmp(s, "incl") || !strcasecmp(s, "self") || !strcasecmp(s, "excl") ||
        !strcasecmp(s, "calls") || !strcasecmp(s, "name")) {
        if ((!strcasecmp(s, "incl") || !strcasecmp(s, "calls")) && o->cachegrind) {
            fprintf(stderr, "cargo-profiler cachegrind: --sort %s: cachegrind records no calls, "
                    "so no %s (use callgrind)\n", s, strcasecmp(s, "incl") ? "call counts" : "inclusive cost");
            return -1;
        }
        snprintf(key, len, "%s", !strcasecmp(s, "incl") ? "Ir:incl" : !strcasecmp(s, "calls") ? "calls"
                                 : !strcasecmp(s, "name") ? "name" : "Ir:excl");
        return 0;
    }
    char name[64];
    snprintf(name, sizeof name, "%s", s);
    const char *what = "excl";
    char *colon = strrchr(name, ':');
    if (colon) {
        if (strcasecmp(colon + 1, "incl") && strcasecmp(colon + 1, "excl") && strcasecmp(colon + 1, "self")) {
            fprintf(stderr, "cargo-profiler %s: --sort %s: expected EVENT, EVENT:incl or EVENT:self\n",
                    o->tool, s);
            return -1;
        }
        what = strcasecmp(colon + 1, "incl") ? "excl" : "incl";
        *colon = 0;
    }
    if (!strcmp(what, "incl") && o->cachegrind) {
        fprintf(stderr, "cargo-profiler cachegrind: --sort %s: cachegrind records no calls, "
                "so no inclusive cost (use callgrind)\n", s);
        return -1;
    }
    int i = run_event(o, "--sort", s, name);
    if (i < 0)
        return -1;
    snprintf(key, len, "%s:%s", CG_EVENTS[i], what);
    return 0;
}

/* ---- the command ---------------------------------------------------------- */

static int run(int argc, char **argv, int cachegrind)
{
    vg_opts o;
    memset(&o, 0, sizeof o);
    o.cachegrind = cachegrind;
    o.tool = cachegrind ? "cachegrind" : "callgrind";
    o.color = -1;
    view_opts_init(&o.view);
    int limit_given = 0;
    cargo_opts co;
    cargo_opts_init(&co);
    static const struct option longs[] = {
        CARGO_LONG_OPTIONS,
        {"format",     required_argument, 0, OPT_FORMAT},
        {"sort",       required_argument, 0, OPT_SORT},
        {"keep",       no_argument,       0, OPT_KEEP},
        {"callers",    required_argument, 0, OPT_CALLERS},
        {"callees",    required_argument, 0, OPT_CALLEES},
        {"only-crate", no_argument,       0, OPT_ONLY_CRATE},
        {"cache",      required_argument, 0, OPT_CACHE},
        {"aslr",       no_argument,       0, OPT_ASLR},
        {"color",      required_argument, 0, OPT_COLOR},
        {"metric",     required_argument, 0, OPT_METRIC},
        {"help",       no_argument,       0, 'h'},
        {0, 0, 0, 0},
    };
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+" CARGO_SHORT_OPTIONS "n:h", longs, NULL)) != -1) {
        int used = cargo_opts_parse(&co, c, optarg);
        if (used < 0)
            return EXIT_USAGE;
        if (used)
            continue;
        switch (c) {
        case 'h':
            help(stdout, o.tool);
            return EXIT_OK;
        case 'n': {
            char *end;
            errno = 0;
            long long v = strtoll(optarg, &end, 10);
            if (errno || *end || end == optarg || v < 0) {
                fprintf(stderr, "cargo-profiler %s: -n %s: expected a number of rows (0 = all)\n",
                        o.tool, optarg);
                return EXIT_USAGE;
            }
            o.view.limit = (size_t)v;
            limit_given = 1;
            break;
        }
        case OPT_FORMAT:
            if (view_parse_format(optarg, &o.view.format) || o.view.format == VIEW_CALLERS) {
                fprintf(stderr, "cargo-profiler %s: --format %s: expected table, tree, json, csv or folded\n",
                        o.tool, optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_SORT: o.sort = optarg; break;
        case OPT_KEEP: o.keep = 1; break;
        case OPT_CALLERS: o.callers = optarg; break;
        case OPT_CALLEES: o.callees = optarg; break;
        case OPT_ONLY_CRATE: o.only_crate = 1; break;
        case OPT_ASLR: o.aslr = 1; break;
        case OPT_METRIC: o.view.metric = optarg; break;
        case OPT_CACHE:
            if (parse_cache(&o, optarg)) {
                fprintf(stderr, "cargo-profiler %s: --cache %s: expected I1:D1:LL, each SIZE,ASSOC,LINE "
                        "(e.g. 32768,8,64:32768,8,64:8388608,16,64)\n", o.tool, optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_COLOR:
            if (!strcmp(optarg, "auto")) o.color = -1;
            else if (!strcmp(optarg, "always")) o.color = 1;
            else if (!strcmp(optarg, "never")) o.color = 0;
            else {
                fprintf(stderr, "cargo-profiler %s: --color %s: expected auto, always or never\n",
                        o.tool, optarg);
                return EXIT_USAGE;
            }
            break;
        default:
            fprintf(stderr, "cargo-profiler %s: try --help\n", o.tool);
            return EXIT_USAGE;
        }
    }
    if (!limit_given)
        o.view.limit = view_valgrind_limit(o.view.format);
    if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
        fprintf(stderr, "cargo-profiler %s: unexpected argument '%s' (program arguments go after --)\n",
                o.tool, argv[optind]);
        return EXIT_USAGE;
    }
    if (o.callers && o.callees) {
        fprintf(stderr, "cargo-profiler %s: --callers and --callees: choose one\n", o.tool);
        return EXIT_USAGE;
    }
    if ((o.callers || o.callees) && cachegrind) {
        fprintf(stderr, "cargo-profiler cachegrind: --%s: cachegrind records no calls (use callgrind)\n",
                o.callers ? "callers" : "callees");
        return EXIT_USAGE;
    }
    char sort_key[80];
    if (resolve_sort(&o, sort_key, sizeof sort_key))
        return EXIT_USAGE;
    if (o.view.metric) {
        int i = run_event(&o, "--metric", o.view.metric, o.view.metric);
        if (i < 0)
            return EXIT_USAGE;
        o.view.metric = CG_EVENTS[i];
    }
    o.view.sort = sort_key;

    if (!vg_in_path("valgrind")) {
        fprintf(stderr, "cargo-profiler %s: valgrind is not installed (on Debian or Ubuntu: "
                "sudo apt-get install valgrind)\n", o.tool);
        return EXIT_FAIL;
    }
    char err[1024], ver[64];
    int major = 0, minor = 0;
    if (vg_version(ver, sizeof ver, &major, &minor, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler %s: %s\n", o.tool, err);
        return EXIT_FAIL;
    }
    if (major < 3 || (major == 3 && minor < 10)) {
        fprintf(stderr, "cargo-profiler %s: valgrind %s is too old (3.10 or newer is needed)\n",
                o.tool, ver);
        return EXIT_FAIL;
    }

    char *exe = NULL;
    int st = cargo_build(&co, NULL, &exe, err, sizeof err);
    if (st) {
        if (err[0])
            fprintf(stderr, "cargo-profiler %s: %s\n", o.tool, err);
        return st;
    }
    char *dir = NULL;
    if (cargo_output_dir(&co, o.tool, &dir, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler %s: %s\n", o.tool, err);
        free(exe);
        return EXIT_FAIL;
    }

    /* setarch ARCH -R valgrind --tool=T --T-out-file=DIR/T.out.%p [...] EXE ARGS */
    struct utsname un;
    int no_aslr = !o.aslr && uname(&un) == 0 && vg_setarch_works(un.machine);
    size_t nargs = (size_t)(argc - optind);
    char **vargv = calloc(nargs + 20, sizeof *vargv);
    char outopt[4200], cacheopt[3][96];
    if (!vargv) {
        fputs("cargo-profiler: out of memory\n", stderr);
        exit(EXIT_FAIL);
    }
    size_t n = 0;
    if (no_aslr) {
        vargv[n++] = "setarch";
        vargv[n++] = un.machine;
        vargv[n++] = "-R";
    }
    vargv[n++] = "valgrind";
    vargv[n++] = cachegrind ? "--tool=cachegrind" : "--tool=callgrind";
    vargv[n++] = "-q";
    /* valgrind expands %p, %q{VAR}, %% in the file name: a '%' of the folder is doubled */
    char dir_esc[sizeof outopt / 2];
    size_t de = 0;
    for (const char *p = dir; *p && de + 2 < sizeof dir_esc; p++) {
        if (*p == '%')
            dir_esc[de++] = '%';
        dir_esc[de++] = *p;
    }
    dir_esc[de] = 0;
    snprintf(outopt, sizeof outopt, "--%s-out-file=%s/%s.out.%%p", o.tool, dir_esc, o.tool);
    vargv[n++] = outopt;
    if (cachegrind || o.cache[0][0])
        vargv[n++] = "--cache-sim=yes";   /* 3.21+ defaults to no; callgrind needs it for --cache */
    static const char *const cache_names[] = {"I1", "D1", "LL"};
    for (int i = 0; i < 3 && o.cache[0][0]; i++) {
        snprintf(cacheopt[i], sizeof cacheopt[i], "--%s=%s", cache_names[i], o.cache[i]);
        vargv[n++] = cacheopt[i];
    }
    vargv[n++] = exe;
    for (int i = optind; i < argc; i++)
        vargv[n++] = argv[i];
    vargv[n] = NULL;

    vg_ticker t;
    vg_ticker_start(&t, o.tool);   /* a live line on a terminal only */
    /* Machine-readable output stays clean: the program's stdout goes to stderr. */
    int machine = o.view.format != VIEW_TABLE;
    launch_result r;
    int lrc = launch_run_flags(vargv, NULL, machine ? LAUNCH_STDOUT_TO_STDERR : 0, &r, err,
                               sizeof err);
    vg_ticker_stop(&t);
    free(vargv);
    int status = EXIT_OK;
    size_t nfiles = 0;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%s.out", o.tool);
    char **files = lrc ? NULL : vg_output_files(dir, prefix, &nfiles);
    if (lrc) {
        fprintf(stderr, "cargo-profiler %s: %s\n", o.tool, err);
        status = EXIT_FAIL;
    } else if (!nfiles) {
        /* no output at all: valgrind itself refused (its message is above) */
        char how[160];
        launch_describe(&r, how, sizeof how);
        fprintf(stderr, "cargo-profiler %s: valgrind %s and wrote no output file into %s: "
                "it failed before the program ran (see its message above)\n", o.tool, how, dir);
        status = EXIT_FAIL;
    } else if (launch_failed(&r)) {
        char how[160];
        launch_describe(&r, how, sizeof how);
        fprintf(stderr, "cargo-profiler %s: the program %s under valgrind; showing what was recorded\n",
                o.tool, how);
        status = EXIT_PROGRAM;
    }
    prof_model *m = prof_model_new(cachegrind ? PROF_CACHEGRIND : PROF_CALLGRIND, o.tool);
    int read_ok = nfiles > 0;
    for (size_t i = 0; i < nfiles; i++) {
        if ((cachegrind ? read_cachegrind : read_callgrind)(m, files[i], err, sizeof err)) {
            fprintf(stderr, "cargo-profiler %s: %s\n", o.tool, err);
            read_ok = 0;
        }
    }
    if (read_ok) {
        prof_model_note(m, "valgrind %s%s%s", ver,
                        no_aslr ? ", address-space randomisation off (setarch -R)" : "",
                        o.cache[0][0] ? ", caches fixed by --cache" : "");
        if (nfiles > 1)
            prof_model_note(m, "merged %zu output files (threads or processes)", nfiles);
        if (o.only_crate)
            m = vg_only_crate(m, exe);
        if (o.color < 0)
            o.view.color = view_color_auto(stdout);
        else
            o.view.color = o.color;
        int vrc;
        if (o.callers || o.callees)
            vrc = view_callers_of(m, &o.view, o.callers ? o.callers : o.callees, o.callees != NULL, stdout);
        else {
            view_warnings_to_stderr(m, &o.view, o.tool);
            vrc = view_print(m, &o.view, stdout);
        }
        fflush(stdout);
        if (vrc && status == EXIT_OK)
            status = EXIT_FAIL;
    } else if (status == EXIT_OK) {
        status = EXIT_FAIL;
    }
    prof_model_free(m);

    if (o.keep) {
        for (size_t i = 0; i < nfiles; i++)
            fprintf(stderr, "cargo-profiler %s: kept %s\n", o.tool, files[i]);
    } else {
        for (size_t i = 0; i < nfiles; i++)
            unlink(files[i]);
        rmdir(dir);   /* only if empty: never removes anything else */
    }
    vg_free_list(files);
    free(dir);
    free(exe);
    return status;
}

int cmd_callgrind(int argc, char **argv)
{
    return run(argc, argv, 0);
}

int cmd_cachegrind(int argc, char **argv)
{
    return run(argc, argv, 1);
}
