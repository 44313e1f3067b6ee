/*
 * cargo.h: building the user's crate with cargo and finding the executable
 * it produced (from cargo's JSON messages). Shared by `regions` and the
 * valgrind commands, which accept the same cargo options.
 *
 * Use in a getopt_long loop:
 *
 *     cargo_opts co; cargo_opts_init(&co);
 *     static const struct option longs[] = { CARGO_LONG_OPTIONS, {"format", ...}, {0} };
 *     while ((c = getopt_long(argc, argv, "+" CARGO_SHORT_OPTIONS "n:h", longs, 0)) != -1)
 *         if (cargo_opts_parse(&co, c, optarg)) continue; else switch (c) (-1: usage error){ ... }
 *     cargo_exes ex; int st = cargo_build(&co, "cprof/enable", &ex, err, sizeof err);
 *     ... cargo_exes_run(&ex, args, nargs, run_one, ctx, &r, &command, err, sizeof err) ...
 *     cargo_exes_free(&ex);
 *
 * What is built is one binary (--bin, --example, the crate's only or default
 * binary) or, with --lib/--test/--tests (cargo test) or --bench/--benches
 * (cargo bench), the test or bench harnesses of those targets.
 */
#ifndef CPROF_CLI_CARGO_H
#define CPROF_CLI_CARGO_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "sys/launch.h"

#define CARGO_MAX_TARGETS 16   /* --test NAME / --bench NAME given at most this often */

typedef struct cargo_opts {
    const char *manifest_path;  /* --manifest-path */
    const char *package;        /* -p/--package */
    const char *bin;            /* --bin NAME, or a path to an existing executable (no build) */
    const char *example;        /* --example NAME */
    const char *profile;        /* --profile NAME; "release" by default, --dev = "dev" */
    const char *profile_opt;    /* the option that chose it ("--dev", ...), NULL for the default */
    const char *features;       /* --features LIST (added to the ones the tool needs) */
    const char *target_dir;     /* --target-dir DIR */
    int keep_runs;              /* --keep-runs N: run folders kept (10; 0 = all) */
    /* test and bench harnesses (cargo_targets.c); never together with --bin/--example */
    const char *tests[CARGO_MAX_TARGETS];     /* --test NAME, repeatable */
    const char *benches[CARGO_MAX_TARGETS];   /* --bench NAME, repeatable */
    int n_tests, n_benches;
    int lib, all_tests, all_benches;          /* --lib, --tests, --benches */
} cargo_opts;

/* getopt_long values of the cargo options (above any short option char). */
enum {
    CARGO_OPT_MANIFEST = 0x1000, CARGO_OPT_BIN, CARGO_OPT_EXAMPLE,
    CARGO_OPT_PROFILE, CARGO_OPT_RELEASE, CARGO_OPT_DEV, CARGO_OPT_FEATURES,
    CARGO_OPT_TARGET_DIR, CARGO_OPT_KEEP_RUNS,
    CARGO_OPT_TEST, CARGO_OPT_TESTS, CARGO_OPT_LIB, CARGO_OPT_BENCH, CARGO_OPT_BENCHES,
};

#define CARGO_SHORT_OPTIONS "p:"
#define CARGO_LONG_OPTIONS \
    {"manifest-path", required_argument, 0, CARGO_OPT_MANIFEST}, \
    {"package",       required_argument, 0, 'p'}, \
    {"bin",           required_argument, 0, CARGO_OPT_BIN}, \
    {"example",       required_argument, 0, CARGO_OPT_EXAMPLE}, \
    {"profile",       required_argument, 0, CARGO_OPT_PROFILE}, \
    {"release",       no_argument,       0, CARGO_OPT_RELEASE}, \
    {"dev",           no_argument,       0, CARGO_OPT_DEV}, \
    {"features",      required_argument, 0, CARGO_OPT_FEATURES}, \
    {"target-dir",    required_argument, 0, CARGO_OPT_TARGET_DIR}, \
    {"keep-runs",     required_argument, 0, CARGO_OPT_KEEP_RUNS}, \
    {"test",          required_argument, 0, CARGO_OPT_TEST}, \
    {"tests",         no_argument,       0, CARGO_OPT_TESTS}, \
    {"lib",           no_argument,       0, CARGO_OPT_LIB}, \
    {"bench",         required_argument, 0, CARGO_OPT_BENCH}, \
    {"benches",       no_argument,       0, CARGO_OPT_BENCHES}

void cargo_opts_init(cargo_opts *o);
/* 1 if `opt` (a getopt_long result) was a cargo option and was stored; -1 after
 * saying why it cannot be (two different profiles, a bad --keep-runs, --test
 * with --bin or with --bench); 0 if not a cargo option. */
int cargo_opts_parse(cargo_opts *o, int opt, const char *arg);
/* The help lines for the cargo options, for a command's --help. */
/* The cargo options' help; own: the profile the build inherits into
 * ("cprof" for regions, "cprof-vg" for valgrind's tools). */
void cargo_opts_help(FILE *out, const char *own);

/* One executable to run: a binary, or a test or bench harness. */
typedef struct cargo_exe {
    char *path;          /* malloc'd */
    char *target;        /* "test `integ`", "lib `mycrate`" for messages (malloc'd), NULL for a binary */
    const char *lead;    /* first argument: "--bench" for what cargo bench built (it passes
                          * that to every bench harness, libtest's or harness = false), or NULL */
} cargo_exe;

typedef struct cargo_exes {
    cargo_exe *v;        /* in the order cargo test runs them: lib, bins, tests, benches; by name */
    size_t n;
} cargo_exes;

/*
 * Build what the options select with `extra_features` (e.g. "cprof/enable",
 * or NULL) under a profile of our own (cargo_own_profile: the user's
 * target/release/APP is never replaced), say where on stderr, and fill *out:
 * one binary (`cargo build --bin/--example`), or every test or bench harness
 * of the selected targets (`cargo test --no-run` / `cargo bench --no-run`:
 * the artifacts with an executable and profile.test). When o->bin names an
 * existing file (contains a '/'), nothing is built and the list is a copy of
 * it. Returns 0 on success (free *out with cargo_exes_free); on failure a
 * non-zero exit status (cargo's own status when the build failed, cargo has
 * already printed the errors) and, unless cargo printed the error itself,
 * one line in err.
 */
int cargo_build(const cargo_opts *o, const char *extra_features, cargo_exes *out,
                char *err, size_t errlen);
void cargo_exes_free(cargo_exes *l);

/*
 * Run each executable of l in turn, as cargo test and cargo bench do: argv is
 * its path, its lead argument, then args (what followed "--", e.g. a test
 * filter); `command` is that line joined, for messages. run() starts one
 * (launch_run_flags or valgrind around it) and returns 0, or -1 + err when
 * it could not start. The first that fails ends the run, as in cargo test
 * (a line on stderr names it and what was not run). *r: how the last one
 * run ended, the failing one if any; *command: what ran, the lines joined
 * by "; ", for the report's header (malloc'd, also on failure). 0, or -1 +
 * err when one could not be started.
 */
typedef int (*cargo_run_fn)(void *ctx, char **argv, int argc, const char *command,
                            launch_result *r, char *err, size_t errlen);
int cargo_exes_run(const cargo_exes *l, char **args, int nargs, cargo_run_fn run, void *ctx,
                   launch_result *r, char **command, char *err, size_t errlen);

/* The profile cargo_build builds for `profile` (inheriting it, with debug
 * info): "cprof" for release, "cprof-NAME" for the others, so its output is
 * target/cprof/ or target/cprof-NAME/; for a build without extra features
 * (the valgrind commands') "cprof-vg" and "cprof-vg-NAME", so switching
 * between regions and callgrind rebuilds nothing. -1 for a name cargo
 * would refuse. */
int cargo_own_profile(const char *profile, int plain, char *out, size_t len);

/*
 * 1 if what is built can use crate `dep`: a normal dependency (or, for
 * --example and the test and bench targets, a dev-dependency) under its own name. 0 if not (err says why
 * when it is there but of the wrong kind or renamed), -1 on error (line in
 * err: not in a cargo project, ...).
 */
int cargo_depends_on(const cargo_opts *o, const char *dep, char *err, size_t errlen);
/* The packages of the dependency graph (not the selected one) with an
 * optional dependency `dep` that a build with `extra` and --features
 * leaves off (cargo's resolved graph: no "pkg/..." in --features, and no
 * feature of the crate's that turns it on): their names ("a, b") and the
 * --features that would reach it ("a/feature,b/feature", the feature that
 * enables dep); how many. 0 if cargo cannot tell (offline metadata
 * failed): a hint, never an error. */
typedef struct cargo_users {
    char packages[1024], features[1024];
} cargo_users;
int cargo_optional_users(const cargo_opts *o, const char *dep, const char *extra, cargo_users *u);

/* The package the options select (-p, the crate of the current folder, ...):
 * its name and its manifest's path. 0, or -1 + err. */
int cargo_package(const cargo_opts *o, char *name, size_t nlen, char *manifest, size_t mlen,
                  char *err, size_t errlen);
/* The folder of the selected package's manifest (the crate's root) into dir. 0, or -1. */
int cargo_package_dir(const cargo_opts *o, char *dir, size_t len);
/* The selected package's feature `feature`: -1 if it has none of that name,
 * 1 if `member` is among what it turns on, else 0. */
int cargo_feature(const cargo_opts *o, const char *feature, const char *member);
/* The source files (src_path) of the selected package's targets of this
 * kind ("bin", "lib"), at most max, malloc'd into out: how many. */
size_t cargo_target_sources(const cargo_opts *o, const char *kind, char **out, size_t max);
/* Forget the cached `cargo metadata` (after changing the manifest). */
void cargo_metadata_forget(void);

/*
 * A fresh, empty folder target/cargo-profiler/<prefix>-<time>-<pid>/ (under
 * the crate's target directory; ./target when there is no cargo project, e.g.
 * --bin given as a path). Path malloc'd in *dir. 0 on success, -1 + err.
 * For prefix "run", only the newest o->keep_runs run folders stay (run_prune.h).
 */
int cargo_output_dir(const cargo_opts *o, const char *prefix, char **dir,
                     char *err, size_t errlen);
/* target/cargo-profiler of the crate into base (created if `create`). 0, or -1 + err. */
int cargo_profiler_dir(const cargo_opts *o, int create, char *base, size_t len, char *err, size_t errlen);

#endif
