/*
 * cargo.c: the cargo side: the cargo options we pass on, `cargo metadata`
 * (which package, which binaries, does it depend on cprof, where is target/),
 * the runs folder, and `cargo build --message-format=json-render-diagnostics`
 * (`cargo test/bench --no-run` for test and bench targets: cargo_targets.c)
 * under a profile of our own (cprof, cprof-NAME: never over target/release), whose
 * compiler-artifact messages (stdout, one JSON object a line) name the
 * executables while cargo renders diagnostics on stderr as usual.
 */
#include "sys/cargo.h"
#include "sys/cargo_profile.h"
#include "sys/cargo_targets.h"
#include "sys/launch.h"
#include "sys/run_prune.h"
#include "sys/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void cargo_opts_init(cargo_opts *o)
{
    memset(o, 0, sizeof *o);
    o->profile = "release";
    o->keep_runs = RUN_PRUNE_DEFAULT;
}

int cargo_opts_parse(cargo_opts *o, int opt, const char *arg)
{
    int target = cargo_targets_parse(o, opt, arg);
    if (target)
        return target;
    switch (opt) {
    case CARGO_OPT_MANIFEST:   o->manifest_path = arg; return 1;
    case 'p':                  o->package = arg; return 1;
    case CARGO_OPT_PROFILE:
    case CARGO_OPT_RELEASE:
    case CARGO_OPT_DEV: {
        const char *p = opt == CARGO_OPT_PROFILE ? arg : opt == CARGO_OPT_RELEASE ? "release" : "dev";
        const char *given = opt == CARGO_OPT_PROFILE ? "--profile" : opt == CARGO_OPT_RELEASE ? "--release" : "--dev";
        if (o->profile_opt && strcmp(o->profile, p) != 0) {   /* as cargo refuses it */
            fprintf(stderr, "cargo-profiler: %s%s%s conflicts with %s%s%s: choose one profile\n",
                    given, opt == CARGO_OPT_PROFILE ? " " : "", opt == CARGO_OPT_PROFILE ? p : "",
                    o->profile_opt, strcmp(o->profile_opt, "--profile") ? "" : " ",
                    strcmp(o->profile_opt, "--profile") ? "" : o->profile);
            return -1;
        }
        o->profile = p;
        o->profile_opt = given;
        return 1;
    }
    case CARGO_OPT_FEATURES:   o->features = arg; return 1;
    case CARGO_OPT_TARGET_DIR: o->target_dir = arg; return 1;
    case CARGO_OPT_KEEP_RUNS: {
        char *end;
        errno = 0;
        long k = strtol(arg, &end, 10);
        if (!*arg || *end || errno || k < 0 || k > 1000000) {
            fprintf(stderr, "cargo-profiler: --keep-runs %s: expected a number of runs (0: keep all)\n", arg);
            return -1;
        }
        o->keep_runs = (int)k;
        return 1;
    }
    }
    return 0;
}

void cargo_opts_help(FILE *out, const char *own)
{
    fputs("cargo options (passed on to cargo build, test or bench):\n"
          "  --manifest-path PATH  the crate's Cargo.toml\n"
          "  -p, --package NAME    the package to build in a workspace\n"
          "  --bin NAME            the binary to run (or a path to an executable: no build;\n"
          "                        its runs go under the crate's target directory, or\n"
          "                        ./target outside a crate)\n"
          "  --example NAME        run an example instead\n"
          "  --lib                 run the library's unit tests\n"
          "  --test NAME           run integration test NAME (tests/NAME.rs; repeatable)\n"
          "  --tests               run every test harness: the library's, the binaries', tests/\n"
          "  --bench NAME          run bench NAME (benches/NAME.rs; repeatable)\n"
          "  --benches             run every bench harness: the library's, the binaries', benches/\n"
          "  --profile NAME        cargo profile (default release, always with debug info)\n"
          "  --release, --dev      the release (default) or dev profile\n"
          "  --features LIST       extra features of the crate\n"
          "  --target-dir DIR      cargo's target directory\n", out);
    if (strcmp(own, "cprof") == 0)
        fputs("  --keep-runs N         keep the newest N run-* folders under target/cargo-profiler\n"
              "                        (default 10, 0 = all)\n", out);
    fprintf(out, "the build uses a profile of its own inheriting the chosen one (release: %s,\n"
            "else %s-NAME), so it lands in target/%s/ (target/%s-NAME/) and never\n"
            "replaces target/release/APP.\n", own, own, own, own);
    fputs(
          "--lib, --test and --tests are built by cargo test --no-run; --bench and --benches\n"
          "by cargo bench --no-run, and each harness gets --bench first, as cargo bench\n"
          "runs it. They go with neither --bin nor --example, and tests not with benches.\n"
          "The harnesses run one after another, each with the arguments after -- (a test\n"
          "filter, ...), and are shown as one profile; the first that fails ends the run,\n"
          "as in cargo test (exit status 4: the program failed; its status, 101 for a\n"
          "failed test, is said).\n"
          "Doc tests are not run.\n", out);
}

static const char *cargo_cmd(void)
{
    const char *c = getenv("CARGO");   /* set when cargo runs us as `cargo profiler` */
    return c && *c ? c : "cargo";
}

static int is_path(const char *s)
{
    return s && strchr(s, '/') != NULL;
}

/* ---- cargo metadata ----------------------------------------------------- */

/* A memo per kind: one crate per run, each asked once. */
typedef struct meta_memo {
    json_t *doc;
    char err[1024];
} meta_memo;
static meta_memo meta_ws, meta_graph;

/* `cargo metadata`: the workspace's packages (no_deps), or the whole
 * dependency graph, offline (what a build would use is already here). */
static json_t *load_metadata(const cargo_opts *o, int no_deps, char *err, size_t errlen)
{
    meta_memo *mm = no_deps ? &meta_ws : &meta_graph;
    if (mm->doc)
        return mm->doc;
    if (mm->err[0]) {
        snprintf(err, errlen, "%s", mm->err);
        return NULL;
    }
    char *argv[10];
    int n = 0;
    argv[n++] = (char *)cargo_cmd();
    argv[n++] = "metadata";
    argv[n++] = "--format-version";
    argv[n++] = "1";
    argv[n++] = no_deps ? "--no-deps" : "--offline";
    if (o->manifest_path) {
        argv[n++] = "--manifest-path";
        argv[n++] = (char *)o->manifest_path;
    }
    argv[n] = NULL;
    launch_result r;
    char *out = NULL, *errs = NULL;
    if (launch_capture(argv, NULL, &r, &out, &errs, mm->err, sizeof mm->err)) {
        snprintf(err, errlen, "%s", mm->err);
        return NULL;
    }
    if (launch_failed(&r)) {
        /* cargo's own first "error:" line says what is wrong */
        char *line = strstr(errs, "error: ");
        char first[600] = "";
        if (line) {
            size_t l = strcspn(line + 7, "\n");
            snprintf(first, sizeof first, "%.*s", (int)(l < 500 ? l : 500), line + 7);
        }
        if (strstr(errs, "could not find `Cargo.toml`") || (o->manifest_path && access(o->manifest_path, F_OK)))
            snprintf(mm->err, sizeof mm->err, "not in a cargo project (%s); run it inside a crate, "
                     "or give --manifest-path PATH or --bin PATH-TO-EXECUTABLE",
                     *first ? first : "no Cargo.toml here or in any parent folder");
        else
            snprintf(mm->err, sizeof mm->err, "cargo metadata failed: %s", *first ? first : "see above");
    } else {
        json_error_t je;
        mm->doc = json_loads(out, 0, &je);
        if (!mm->doc || !json_is_array(json_object_get(mm->doc, "packages")))
            snprintf(mm->err, sizeof mm->err, "cargo metadata: unexpected output (byte %d: %s)",
                     je.position, je.text);
    }
    free(out);
    free(errs);
    if (!mm->doc) {
        snprintf(err, errlen, "%s", mm->err);
        return NULL;
    }
    return mm->doc;
}

static json_t *metadata(const cargo_opts *o, char *err, size_t errlen)
{
    return load_metadata(o, 1, err, errlen);
}

/* The package the options select: -p NAME, else the one whose manifest is
 * the crate's, else the only workspace member. */
static json_t *selected_package(const cargo_opts *o, char *err, size_t errlen)
{
    json_t *m = metadata(o, err, errlen);
    if (!m)
        return NULL;
    json_t *pkgs = json_object_get(m, "packages"), *p;
    size_t i;
    if (o->package) {
        json_array_foreach(pkgs, i, p)
            if (strcmp(json_string_value(json_object_get(p, "name")), o->package) == 0)
                return p;
        snprintf(err, errlen, "no package named `%s` in this workspace", o->package);
        return NULL;
    }
    if (json_array_size(pkgs) == 1)
        return json_array_get(pkgs, 0);
    char want[PATH_MAX];
    const char *mp = o->manifest_path ? o->manifest_path : "Cargo.toml";
    if (realpath(mp, want)) {
        json_array_foreach(pkgs, i, p) {
            const char *pm = json_string_value(json_object_get(p, "manifest_path"));
            if (pm && strcmp(pm, want) == 0)
                return p;
        }
    }
    /* a member folder below the root: the package whose folder holds the cwd */
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) {
        json_array_foreach(pkgs, i, p) {
            const char *pm = json_string_value(json_object_get(p, "manifest_path"));
            const char *slash = pm ? strrchr(pm, '/') : NULL;
            if (slash && strncmp(cwd, pm, (size_t)(slash - pm)) == 0 &&
                (cwd[slash - pm] == 0 || cwd[slash - pm] == '/'))
                return p;
        }
    }
    /* at the workspace root: the one member that has the asked-for target */
    const char *want_kind, *want_name = cargo_targets_named(o, &want_kind);
    json_t *found = NULL;
    int hits = 0;
    if (want_name && !strchr(want_name, '/')) {
        json_array_foreach(pkgs, i, p) {
            size_t j;
            json_t *t;
            json_array_foreach(json_object_get(p, "targets"), j, t) {
                const char *tn = json_string_value(json_object_get(t, "name"));
                if (tn && strcmp(tn, want_name) == 0 && cargo_target_is(t, want_kind)) {
                    found = p;
                    hits++;
                    break;
                }
            }
        }
    }
    if (hits == 1)
        return found;
    /* name them, as cargo's own "supported packages:" list does */
    char names[1024] = "";
    json_array_foreach(pkgs, i, p) {
        size_t l = strlen(names);
        const char *pn = json_string_value(json_object_get(p, "name"));
        if (l + strlen(pn ? pn : "") + 8 >= sizeof names) {
            snprintf(names + l, sizeof names - l, ", ...");
            break;
        }
        snprintf(names + l, sizeof names - l, "%s%s", i ? ", " : "", pn ? pn : "?");
    }
    snprintf(err, errlen, "this is a workspace of %zu packages: choose one with -p NAME (%s)%s",
             json_array_size(pkgs), names, want_name && !strchr(want_name, '/') && hits > 1 ?
             ", several have this target" : "");
    return NULL;
}

void cargo_metadata_forget(void)
{
    meta_memo *all[] = { &meta_ws, &meta_graph };
    for (size_t i = 0; i < 2; i++) {
        json_decref(all[i]->doc);
        all[i]->doc = NULL;
        all[i]->err[0] = 0;
    }
}

int cargo_package(const cargo_opts *o, char *name, size_t nlen, char *manifest, size_t mlen,
                  char *err, size_t errlen)
{
    json_t *p = selected_package(o, err, errlen);
    if (!p)
        return -1;
    snprintf(name, nlen, "%s", json_string_value(json_object_get(p, "name")));
    snprintf(manifest, mlen, "%s", json_string_value(json_object_get(p, "manifest_path")));
    return 0;
}

int cargo_package_dir(const cargo_opts *o, char *dir, size_t len)
{
    char name[256], err[512];
    if (len == 0 || cargo_package(o, name, sizeof name, dir, len, err, sizeof err))
        return -1;
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return -1;
    *slash = 0;
    return 0;
}

int cargo_feature(const cargo_opts *o, const char *feature, const char *member)
{
    char err[512];
    json_t *p = selected_package(o, err, sizeof err);
    json_t *f = p ? json_object_get(json_object_get(p, "features"), feature) : NULL;
    if (!f)
        return -1;
    size_t i;
    json_t *m;
    json_array_foreach(f, i, m)
        if (member && json_string_value(m) && strcmp(json_string_value(m), member) == 0)
            return 1;
    return 0;
}

size_t cargo_target_sources(const cargo_opts *o, const char *kind, char **out, size_t max)
{
    char err[512];
    json_t *p = selected_package(o, err, sizeof err), *t;
    size_t i, n = 0;
    json_array_foreach(p ? json_object_get(p, "targets") : NULL, i, t) {
        const char *src = json_string_value(json_object_get(t, "src_path"));
        if (src && n < max && cargo_target_is(t, kind))
            out[n++] = xstrdup(src);
    }
    return n;
}

int cargo_depends_on(const cargo_opts *o, const char *dep, char *err, size_t errlen)
{
    json_t *p = selected_package(o, err, errlen);
    if (!p)
        return -1;
    size_t i;
    json_t *d;
    const char *wrong_kind = NULL;
    err[0] = 0;
    json_array_foreach(json_object_get(p, "dependencies"), i, d) {
        const char *name = json_string_value(json_object_get(d, "name"));
        if (!name || strcmp(name, dep) != 0)
            continue;
        /* kind: null for [dependencies], "dev", "build" */
        const char *kind = json_string_value(json_object_get(d, "kind"));
        if (kind && !(strcmp(kind, "dev") == 0 && (o->example || cargo_targets_harness(o)))) {
            wrong_kind = kind;
            continue;
        }
        const char *rename = json_string_value(json_object_get(d, "rename"));
        if (rename) {
            /* #[profile] expands to ::cprof::... paths */
            snprintf(err, errlen, "%s is renamed to `%s` in Cargo.toml: #[profile] refers to "
                     "::%s, so the dependency must keep its name", dep, rename, dep);
            return 0;
        }
        return 1;
    }
    if (wrong_kind)
        snprintf(err, errlen, "%s is only a %s-dependency of this crate: the program needs it in "
                 "[dependencies]%s: move it there", dep, wrong_kind,
                 cargo_targets_harness(o) ? " (or [dev-dependencies], for tests and benches)" : "");
    return 0;
}

/* Whether --features names a feature of package pkg ("pkg/..."). */
static int features_name(const char *features, const char *pkg)
{
    size_t l = strlen(pkg);
    for (const char *f = features; f && (f = strstr(f, pkg)); f += l)
        if ((f == features || strchr(" ,", f[-1])) && f[l] == '/')
            return 1;
    return 0;
}

/* The feature of package p that turns its optional `dep` on: one that
 * switches dep's profiling on ("dep/enable") first, else one that names
 * dep, else the implicit feature of the dependency's own name. */
static const char *enabling_feature(json_t *p, const char *dep)
{
    char on[128], dep_on[128];
    snprintf(on, sizeof on, "%s/enable", dep);
    snprintf(dep_on, sizeof dep_on, "dep:%s", dep);
    const char *key, *any = NULL;
    json_t *list, *v;
    size_t i;
    json_object_foreach(json_object_get(p, "features"), key, list) {
        json_array_foreach(list, i, v) {
            const char *f = json_string_value(v);
            if (f && strcmp(f, on) == 0)
                return key;
            if (f && !any && (strcmp(f, dep_on) == 0 || strcmp(f, dep) == 0))
                any = key;
        }
    }
    return any ? any : dep;
}

/* Appends item to the list in buf (len bytes), after sep unless it is the first. */
static void list_add(char *buf, size_t len, const char *sep, const char *item)
{
    size_t at = strlen(buf);
    snprintf(buf + at, len - at, "%s%s", at ? sep : "", item);
}

/* The packages that depend on dep in the build of package me with extra
 * and --features, as cargo resolves that one build (cargo tree -i: a
 * workspace's other members turn no feature on here): one "name vX.Y.Z
 * ..." a line, malloc'd, or NULL if cargo cannot tell. */
static char *dep_users(const cargo_opts *o, const char *me, const char *dep, const char *extra)
{
    static const char *const fixed[] = { "tree", "--offline", "-e", "normal", "--prefix", "none", "-f", "{p}", "-i" };
    char *argv[24], err[256];
    int n = 0;
    argv[n++] = (char *)cargo_cmd();
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        argv[n++] = (char *)fixed[i];
    argv[n++] = (char *)dep;
    argv[n++] = "-p";
    argv[n++] = (char *)me;
    const char *opt[][2] = { { "--manifest-path", o->manifest_path }, { "--features", extra },
                             { "--features", o->features } };
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
        if (opt[i][1]) {
            argv[n++] = (char *)opt[i][0];
            argv[n++] = (char *)opt[i][1];
        }
    argv[n] = NULL;
    launch_result r;
    char *out = NULL, *errs = NULL;
    if (launch_capture(argv, NULL, &r, &out, &errs, err, sizeof err) || launch_failed(&r)) {
        free(out);
        out = NULL;
    }
    free(errs);
    return out;
}

/* Whether a line of dep_users' list names package name. */
static int listed(const char *list, const char *name)
{
    size_t l = strlen(name);
    for (const char *p = list; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, name, l) == 0 && p[l] == ' ')
            return 1;
    return 0;
}

int cargo_optional_users(const cargo_opts *o, const char *dep, const char *extra, cargo_users *u)
{
    char err[1024];
    u->packages[0] = u->features[0] = 0;
    json_t *self = selected_package(o, err, sizeof err);
    json_t *g = self ? load_metadata(o, 0, err, sizeof err) : NULL;
    const char *me = self ? json_string_value(json_object_get(self, "name")) : NULL;
    if (!g || !me)
        return 0;
    char *on = NULL;   /* asked of cargo once, if some package has dep optional */
    int count = 0;
    size_t i, k;
    json_t *p, *d;
    json_array_foreach(json_object_get(g, "packages"), i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        if (!name || strcmp(name, me) == 0 || strcmp(name, dep) == 0 || features_name(o->features, name))
            continue;
        json_array_foreach(json_object_get(p, "dependencies"), k, d) {
            const char *dn = json_string_value(json_object_get(d, "name"));
            if (dn && strcmp(dn, dep) == 0 && json_is_true(json_object_get(d, "optional")) &&
                !json_string_value(json_object_get(d, "kind"))) {
                if (!on && !(on = dep_users(o, me, dep, extra)))
                    return 0;   /* cargo cannot tell: no hint */
                if (listed(on, name))
                    break;   /* on in this build */
                char feature[512];
                snprintf(feature, sizeof feature, "%s/%s", name, enabling_feature(p, dep));
                list_add(u->packages, sizeof u->packages, ", ", name);
                list_add(u->features, sizeof u->features, ",", feature);
                count++;
                break;
            }
        }
    }
    free(on);
    return count;
}

/* Which binary to build: fills the plan's kind ("bin"/"example") and name, or says why not. */
static int choose_target(const cargo_opts *o, json_t *pkg, cargo_plan *p, char *err, size_t errlen)
{
    char list[2048];
    size_t count;
    const char *pname = json_string_value(json_object_get(pkg, "name"));
    const char *kind = o->example ? "example" : "bin", *name = o->example ? o->example : o->bin;
    cargo_target_names(pkg, kind, list, sizeof list, &count);
    if (name && cargo_target_check(pkg, kind, name, err, errlen))
        return -1;
    if (!name && count == 1) {
        size_t i;
        json_t *t;
        json_array_foreach(json_object_get(pkg, "targets"), i, t)
            if (cargo_target_is(t, "bin"))
                name = json_string_value(json_object_get(t, "name"));
    } else if (!name && count == 0) {
        snprintf(err, errlen, "package `%s` has no binary to run (use --example NAME, or --lib, "
                 "--test NAME, --bench NAME for its tests and benches)", pname);
        return -1;
    } else if (!name && !(name = json_string_value(json_object_get(pkg, "default_run")))) {
        snprintf(err, errlen, "`cargo profiler` could not determine which binary to run; "
                 "use --bin NAME (available binaries: %s)", list);
        return -1;
    }
    memset(p, 0, sizeof *p);
    p->subcommand = "build";
    p->kind = kind;
    p->name = name;
    p->args[p->nargs++] = strcmp(kind, "example") == 0 ? "--example" : "--bin";
    p->args[p->nargs++] = (char *)name;
    snprintf(p->what, sizeof p->what, "%s `%s`", kind, name);
    return 0;
}

/* ---- cargo build -------------------------------------------------------- */

/* --bin PATH: that executable, nothing built. */
static int given_executable(const char *path, cargo_exes *out, char *err, size_t errlen)
{
    struct stat st;
    errno = 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
        snprintf(err, errlen, "--bin %s: not an executable file%s%s", path,
                 errno ? ": " : "", errno ? strerror(errno) : "");
        return 1;
    }
    out->v = calloc(1, sizeof *out->v);
    if (!out->v || !(out->v[0].path = strdup(path))) {
        free(out->v);
        out->v = NULL;
        snprintf(err, errlen, "out of memory");
        return 1;
    }
    out->n = 1;
    return 0;
}

/* The executables of the artifacts cargo's JSON messages (one a line) name. */
static void take_artifacts(const cargo_plan *p, char *out, const char *pkg_id, cargo_exes *l)
{
    for (char *line = out, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        if (*line != '{')
            continue;
        json_t *msg = json_loads(line, 0, NULL);
        if (msg)
            cargo_targets_take(p, msg, pkg_id, l);
        json_decref(msg);
    }
    cargo_exes_sort(l);
}

int cargo_build(const cargo_opts *o, const char *extra_features, cargo_exes *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (is_path(o->bin))
        return given_executable(o->bin, out, err, errlen);
    json_t *pkg = selected_package(o, err, errlen), *md = metadata(o, err, errlen);
    if (!pkg || !md)
        return 1;
    cargo_plan plan;
    if (cargo_targets_harness(o) ? cargo_targets_plan(o, pkg, &plan, err, errlen)
                                 : choose_target(o, pkg, &plan, err, errlen))
        return 1;
    const char *pkg_name = json_string_value(json_object_get(pkg, "name"));
    const char *pkg_id = json_string_value(json_object_get(pkg, "id"));

    /* A profile of our own inheriting the chosen one, so the profiled binary
     * lands in target/cprof(-NAME)/ and never over the user's target/release/APP
     * (run by hand, that one would write dumps). A profile nobody defined
     * is passed on as it is: cargo's own "profile `X` is not defined".
     * cargo test and cargo bench take --profile as cargo build does. */
    char ours[300], inherits_cfg[400], debug_cfg[400];
    const char *root = json_string_value(json_object_get(md, "workspace_root"));
    char cwd[PATH_MAX];
    int own = cargo_own_profile(o->profile, !extra_features, ours, sizeof ours) == 0 &&
              cargo_profile_defined(root, getcwd(cwd, sizeof cwd) ? cwd : NULL, o->profile);
    snprintf(inherits_cfg, sizeof inherits_cfg, "profile.%s.inherits=\"%s\"", ours, o->profile);
    snprintf(debug_cfg, sizeof debug_cfg, "profile.%s.debug=true", ours);   /* file:line */
    char *argv[32 + sizeof plan.args / sizeof *plan.args];
    int n = 0;
    argv[n++] = (char *)cargo_cmd();
    argv[n++] = (char *)plan.subcommand;
    if (strcmp(plan.subcommand, "build") != 0)
        argv[n++] = "--no-run";   /* we run the harnesses ourselves */
    argv[n++] = "--message-format=json-render-diagnostics";
    argv[n++] = "--profile";
    argv[n++] = own ? ours : (char *)o->profile;
    if (own) {
        argv[n++] = "--config";
        argv[n++] = inherits_cfg;
        argv[n++] = "--config";
        argv[n++] = debug_cfg;
    }
    if (o->manifest_path) {
        argv[n++] = "--manifest-path";
        argv[n++] = (char *)o->manifest_path;
    }
    argv[n++] = "-p";
    argv[n++] = (char *)pkg_name;
    for (int i = 0; i < plan.nargs; i++)
        argv[n++] = plan.args[i];
    if (extra_features) {
        argv[n++] = "--features";
        argv[n++] = (char *)extra_features;
    }
    if (o->features) {
        argv[n++] = "--features";
        argv[n++] = (char *)o->features;
    }
    if (o->target_dir) {
        argv[n++] = "--target-dir";
        argv[n++] = (char *)o->target_dir;
    }
    argv[n] = NULL;

    launch_result r;
    char *stdout_text = NULL;
    if (launch_capture(argv, NULL, &r, &stdout_text, NULL, err, errlen))
        return 1;
    take_artifacts(&plan, stdout_text, pkg_id, out);
    free(stdout_text);
    if (launch_failed(&r)) {
        cargo_exes_free(out);
        err[0] = 0;   /* cargo has printed the errors */
        return r.exited && r.status ? r.status : 101;
    }
    if (!out->n) {
        snprintf(err, errlen, "cargo built nothing we can run for %s", plan.what);
        return 1;
    }
    for (size_t i = 0; i < out->n; i++)
        fprintf(stderr, "cargo-profiler: built %s (%s%sprofile %s: %s + debug info%s%s)\n", out->v[i].path,
                out->v[i].target ? out->v[i].target : "", out->v[i].target ? ", " : "",
                own ? ours : o->profile, o->profile, extra_features ? " + " : "",
                extra_features ? extra_features : "");
    return 0;
}

int cargo_own_profile(const char *profile, int plain, char *out, size_t len)
{
    /* cargo's profile names: letters, digits, - and _ (anything else it refuses itself) */
    if (!*profile || strspn(profile, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
        strlen(profile))
        return -1;
    const char *ours = plain ? "cprof-vg" : "cprof";
    int w = strcmp(profile, "release") == 0 ? snprintf(out, len, "%s", ours)
                                              : snprintf(out, len, "%s-%s", ours, profile);
    return w > 0 && (size_t)w < len ? 0 : -1;
}

/* ---- output folder ------------------------------------------------------ */

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc && errno != EEXIST)
            return -1;
    }
    return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

int cargo_profiler_dir(const cargo_opts *o, int create, char *base, size_t len, char *err, size_t errlen)
{
    char target[PATH_MAX];
    if (o->target_dir) {
        snprintf(target, sizeof target, "%s", o->target_dir);
    } else if (is_path(o->bin) && !o->manifest_path) {
        /* no build: the crate of the current folder's target directory if
         * there is a crate, else ./target (cargo is not needed then) */
        char quiet[1024];
        json_t *m = metadata(o, quiet, sizeof quiet);
        const char *t = m ? json_string_value(json_object_get(m, "target_directory")) : NULL;
        snprintf(target, sizeof target, "%s", t ? t : "target");
    } else {
        json_t *m = metadata(o, err, errlen);
        if (!m)
            return -1;
        const char *t = json_string_value(json_object_get(m, "target_directory"));
        snprintf(target, sizeof target, "%s", t ? t : "target");
    }
    snprintf(base, len, "%s/cargo-profiler", target);
    if (create && mkdirs(base)) {
        snprintf(err, errlen, "cannot create %s: %s", base, strerror(errno));
        return -1;
    }
    return 0;
}

int cargo_output_dir(const cargo_opts *o, const char *prefix, char **dir, char *err, size_t errlen)
{
    *dir = NULL;
    char base[PATH_MAX + 32];
    if (cargo_profiler_dir(o, 1, base, sizeof base, err, errlen))
        return -1;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    /* mkdir, not mkdir -p: the folder must be new (never a planted symlink) */
    for (int k = 0; k < 100; k++) {
        char path[PATH_MAX + 128];
        if (k)
            snprintf(path, sizeof path, "%s/%s-%s-%ld.%d", base, prefix, stamp, (long)getpid(), k);
        else
            snprintf(path, sizeof path, "%s/%s-%s-%ld", base, prefix, stamp, (long)getpid());
        if (mkdir(path, 0755) == 0) {
            *dir = strdup(path);
            if (strcmp(prefix, "run") == 0)
                run_prune(base, prefix, o->keep_runs);
            return *dir ? 0 : -1;
        }
        if (errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
            return -1;
        }
    }
    snprintf(err, errlen, "cannot create a fresh folder under %s", base);
    return -1;
}
