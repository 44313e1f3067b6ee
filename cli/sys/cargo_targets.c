/*
 * cargo_targets.c: the targets `regions`, `callgrind` and `cachegrind` run,
 * as cargo selects them: one binary (--bin, --example) or the test and bench
 * harnesses of --lib, --test NAME, --tests (built by `cargo test --no-run`)
 * and --bench NAME, --benches (`cargo bench --no-run`, run with --bench
 * first as cargo bench runs them). Here: those options and their conflicts,
 * the plan of a test or bench build, which artifacts are harnesses, and
 * running the list one after another. cargo.c does the build itself.
 */
#include "sys/cargo_targets.h"
#include "sys/xalloc.h"

#include <stdlib.h>
#include <string.h>

int cargo_target_is(json_t *t, const char *kind)
{
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(t, "kind"), i, k)
        if (json_string_value(k) && strcmp(json_string_value(k), kind) == 0)
            return 1;
    return 0;
}

void cargo_target_names(json_t *pkg, const char *kind, char *buf, size_t len, size_t *count)
{
    buf[0] = 0;
    *count = 0;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(pkg, "targets"), i, t) {
        if (!cargo_target_is(t, kind))
            continue;
        size_t l = strlen(buf);
        snprintf(buf + l, len - l, "%s%s", *count ? ", " : "", json_string_value(json_object_get(t, "name")));
        (*count)++;
    }
}

/* A library target: cargo's --lib takes any of these crate types. */
static int is_lib(json_t *t)
{
    static const char *const kinds[] = {"lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (cargo_target_is(t, kinds[i]))
            return 1;
    return 0;
}

/* ---- options ---------------------------------------------------------------- */

/* The option already given of each kind of selection, or NULL. */
static const char *bin_given(const cargo_opts *o)
{
    return o->example ? "--example" : o->bin ? "--bin" : NULL;
}

static const char *test_given(const cargo_opts *o)
{
    return o->n_tests ? "--test" : o->lib ? "--lib" : o->all_tests ? "--tests" : NULL;
}

static const char *bench_given(const cargo_opts *o)
{
    return o->n_benches ? "--bench" : o->all_benches ? "--benches" : NULL;
}

int cargo_targets_harness(const cargo_opts *o)
{
    return test_given(o) || bench_given(o);
}

/*
 * A binary runs alone, tests and benches in their harnesses, and cargo test
 * and cargo bench build them differently: one kind per run. Checked as
 * each option is stored, so the second of two always finds the first,
 * whatever their order.
 */
static int check_kinds(const cargo_opts *o, const char *given)
{
    const char *bin = bin_given(o), *test = test_given(o), *bench = bench_given(o);
    int is_bin = strcmp(given, "--bin") == 0 || strcmp(given, "--example") == 0;
    const char *other = is_bin ? (test ? test : bench) : bin;
    const char *why = "a binary runs alone, tests and benches in their harnesses";
    if (!other && !is_bin && test && bench) {
        other = strncmp(given, "--bench", 7) == 0 ? test : bench;
        why = "cargo test builds the tests, cargo bench the benches";
    }
    if (!other)
        return 0;
    fprintf(stderr, "cargo-profiler: %s cannot be combined with %s: %s; profile them in two runs\n",
            given, other, why);
    return -1;
}

static int add_name(const char **names, int *n, const char *opt, const char *arg)
{
    if (*n == CARGO_MAX_TARGETS) {
        fprintf(stderr, "cargo-profiler: %s given more than %d times\n", opt, CARGO_MAX_TARGETS);
        return -1;
    }
    names[(*n)++] = arg;
    return 1;
}

int cargo_targets_parse(cargo_opts *o, int opt, const char *arg)
{
    int rc = 1;
    const char *given;
    switch (opt) {
    case CARGO_OPT_BIN:     o->bin = arg; given = "--bin"; break;
    case CARGO_OPT_EXAMPLE: o->example = arg; given = "--example"; break;
    case CARGO_OPT_LIB:     o->lib = 1; given = "--lib"; break;
    case CARGO_OPT_TESTS:   o->all_tests = 1; given = "--tests"; break;
    case CARGO_OPT_BENCHES: o->all_benches = 1; given = "--benches"; break;
    case CARGO_OPT_TEST:    rc = add_name(o->tests, &o->n_tests, given = "--test", arg); break;
    case CARGO_OPT_BENCH:   rc = add_name(o->benches, &o->n_benches, given = "--bench", arg); break;
    default:                return 0;
    }
    return rc < 0 ? rc : check_kinds(o, given) ? -1 : 1;
}

const char *cargo_targets_named(const cargo_opts *o, const char **kind)
{
    *kind = o->example ? "example" : o->bin ? "bin" : o->n_tests ? "test" : o->n_benches ? "bench" : NULL;
    return o->example ? o->example : o->bin ? o->bin : o->n_tests ? o->tests[0] :
           o->n_benches ? o->benches[0] : NULL;
}

/* ---- the plan ------------------------------------------------------------ */

int cargo_target_check(json_t *pkg, const char *kind, const char *name, char *err, size_t errlen)
{
    size_t i, count;
    json_t *t;
    json_array_foreach(json_object_get(pkg, "targets"), i, t)
        if (cargo_target_is(t, kind) && strcmp(json_string_value(json_object_get(t, "name")), name) == 0)
            return 0;
    char list[2048];
    cargo_target_names(pkg, kind, list, sizeof list, &count);
    snprintf(err, errlen, "no %s target named `%s` in package `%s` (available: %s)", kind, name,
             json_string_value(json_object_get(pkg, "name")), count ? list : "none");
    return -1;
}

static int has_lib(json_t *pkg)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(pkg, "targets"), i, t)
        if (is_lib(t))
            return 1;
    return 0;
}

/* "--test a", "--lib", ...: the option and name given first, for messages. */
static void describe(const cargo_opts *o, char *buf, size_t len)
{
    const char *opt = test_given(o) ? test_given(o) : bench_given(o);
    const char *name = strcmp(opt, "--test") == 0 ? o->tests[0] : strcmp(opt, "--bench") == 0 ? o->benches[0] : NULL;
    snprintf(buf, len, "%s%s%s", opt, name ? " " : "", name ? name : "");
}

int cargo_targets_plan(const cargo_opts *o, json_t *pkg, cargo_plan *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    int bench = bench_given(o) != NULL;
    p->subcommand = bench ? "bench" : "test";
    p->lead = bench ? "--bench" : NULL;   /* as cargo bench passes it to every harness */
    describe(o, p->what, sizeof p->what);
    if (o->lib) {
        if (!has_lib(pkg)) {
            snprintf(err, errlen, "package `%s` has no library target (--lib runs a library's unit tests)",
                     json_string_value(json_object_get(pkg, "name")));
            return -1;
        }
        p->args[p->nargs++] = "--lib";
    }
    for (int i = 0; i < o->n_tests; i++) {
        if (cargo_target_check(pkg, "test", o->tests[i], err, errlen))
            return -1;
        p->args[p->nargs++] = "--test";
        p->args[p->nargs++] = (char *)o->tests[i];
    }
    for (int i = 0; i < o->n_benches; i++) {
        if (cargo_target_check(pkg, "bench", o->benches[i], err, errlen))
            return -1;
        p->args[p->nargs++] = "--bench";
        p->args[p->nargs++] = (char *)o->benches[i];
    }
    if (o->all_tests)
        p->args[p->nargs++] = "--tests";
    if (o->all_benches)
        p->args[p->nargs++] = "--benches";
    return 0;
}

/* ---- the artifacts ---------------------------------------------------------- */

/* "test `integ`", "lib `mycrate`": a harness as cargo's "Running" lines name it. */
static char *label_of(json_t *target)
{
    json_t *kinds = json_object_get(target, "kind");
    const char *k = json_string_value(json_array_get(kinds, 0));
    return xasprintf("%s `%s`", is_lib(target) ? "lib" : k ? k : "target",
                     json_string_value(json_object_get(target, "name")));
}

void cargo_targets_take(const cargo_plan *p, json_t *msg, const char *pkg_id, cargo_exes *l)
{
    const char *reason = json_string_value(json_object_get(msg, "reason"));
    json_t *target = json_object_get(msg, "target");
    const char *exe = json_string_value(json_object_get(msg, "executable"));
    const char *id = json_string_value(json_object_get(msg, "package_id"));
    if (!reason || strcmp(reason, "compiler-artifact") != 0 || !exe || !target ||
        (pkg_id && id && strcmp(id, pkg_id) != 0))
        return;
    int build = strcmp(p->subcommand, "build") == 0;
    if (build) {
        const char *name = json_string_value(json_object_get(target, "name"));
        if (!cargo_target_is(target, p->kind) || !name || strcmp(name, p->name) != 0)
            return;
    } else if (!json_is_true(json_object_get(json_object_get(msg, "profile"), "test"))) {
        return;   /* a binary built for the integration tests, not a harness */
    }
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].path, exe) == 0)
            return;
    if (build && l->n) {   /* the one binary: cargo's last word on it */
        free(l->v[0].path);
        l->n = 0;
    }
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = (cargo_exe){.path = xstrdup(exe), .target = build ? NULL : label_of(target),
                               .lead = p->lead};
}

static int rank(const cargo_exe *e)
{
    static const char *const order[] = {"lib ", "bin ", "test ", "bench ", "example "};
    for (int i = 0; e->target && i < 5; i++)
        if (strncmp(e->target, order[i], strlen(order[i])) == 0)
            return i;
    return 5;
}

static int by_run_order(const void *a, const void *b)
{
    const cargo_exe *x = a, *y = b;
    int d = rank(x) - rank(y);
    return d ? d : strcmp(x->target ? x->target : x->path, y->target ? y->target : y->path);
}

void cargo_exes_sort(cargo_exes *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, by_run_order);
}

void cargo_exes_free(cargo_exes *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].target);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* ---- running them ------------------------------------------------------------ */

/* "exe arg1 arg2", for messages and the report's header (malloc'd). */
static char *join_argv(char **argv, int argc)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = xcalloc(len, 1), *p = s;
    for (int i = 0; i < argc; i++) {
        if (i)
            *p++ = ' ';
        p = stpcpy(p, argv[i]);
    }
    return s;
}

/* After a harness failed: which, and what was not run after it. */
static void say_stopped(const cargo_exes *l, size_t failed)
{
    const cargo_exe *f = &l->v[failed];
    fprintf(stderr, "cargo-profiler: %s failed", f->target ? f->target : f->path);
    for (size_t i = failed + 1; i < l->n; i++)
        fprintf(stderr, "%s%s", i == failed + 1 ? "; not run after it, as cargo stops at the first failure: " : ", ",
                l->v[i].target ? l->v[i].target : l->v[i].path);
    fputc('\n', stderr);
}

int cargo_exes_run(const cargo_exes *l, char **args, int nargs, cargo_run_fn run, void *ctx,
                   launch_result *r, char **command, char *err, size_t errlen)
{
    char **argv = xcalloc((size_t)nargs + 3, sizeof *argv);
    char *all = xstrdup("");
    int rc = 0;
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < l->n; i++) {
        int n = 0;
        argv[n++] = l->v[i].path;
        if (l->v[i].lead)
            argv[n++] = (char *)l->v[i].lead;
        for (int k = 0; k < nargs; k++)
            argv[n++] = args[k];
        argv[n] = NULL;
        char *line = join_argv(argv, n), *joined = xasprintf("%s%s%s", all, i ? "; " : "", line);
        free(all);
        all = joined;
        rc = run(ctx, argv, n, line, r, err, errlen);
        free(line);
        if (rc)
            break;
        if (launch_failed(r)) {
            if (l->n > 1)
                say_stopped(l, i);
            break;
        }
    }
    free(argv);
    *command = all;
    return rc;
}
