/*
 * cargo_targets.h: which targets cargo.c builds, internal to cli/sys/cargo*.c
 * (the public side is cargo.h): the target options (--bin, --example, --lib,
 * --test, --tests, --bench, --benches) and their conflicts, the cargo command
 * and arguments that build them, and which of cargo's compiler-artifact
 * messages name an executable to run.
 */
#ifndef CPROF_CLI_CARGO_TARGETS_H
#define CPROF_CLI_CARGO_TARGETS_H

#include <jansson.h>

#include "sys/cargo.h"

/* 1 if cargo metadata's (or an artifact's) target has this kind ("bin", "test", ...). */
int cargo_target_is(json_t *t, const char *kind);
/* "a, b, c": the package's targets of this kind, and how many. */
void cargo_target_names(json_t *pkg, const char *kind, char *buf, size_t len, size_t *count);

/* 0 if the package has a target `name` of this kind, else -1 and err says
 * which it has, as cargo does. */
int cargo_target_check(json_t *pkg, const char *kind, const char *name, char *err, size_t errlen);

/* As cargo_opts_parse, for the target options: 1 stored, -1 refused (said on
 * stderr), 0 not a target option. */
int cargo_targets_parse(cargo_opts *o, int opt, const char *arg);
/* 1 if test or bench targets are selected (cargo test / cargo bench). */
int cargo_targets_harness(const cargo_opts *o);
/* The first target the options name and its kind, to find its package at a
 * workspace's root; NULL when they name none. */
const char *cargo_targets_named(const cargo_opts *o, const char **kind);

typedef struct cargo_plan {
    const char *subcommand;          /* "build", "test" or "bench" */
    char *args[4 * CARGO_MAX_TARGETS + 8];   /* what selects the targets ("--bin", NAME, "--lib", ...) */
    int nargs;
    const char *kind, *name;         /* build: the one target to take from the artifacts */
    const char *lead;                /* the harnesses' first argument ("--bench"), or NULL */
    char what[200];                  /* the selection, for messages: "bin `app`", "--tests" */
} cargo_plan;

/* The plan for the test or bench targets of package pkg (the names are
 * checked against it): 0, or -1 + err. */
int cargo_targets_plan(const cargo_opts *o, json_t *pkg, cargo_plan *p, char *err, size_t errlen);
/* Add the executable of one compiler-artifact message of package pkg_id to
 * l when it is what the plan builds: the plan's binary, or a harness
 * (profile.test). */
void cargo_targets_take(const cargo_plan *p, json_t *msg, const char *pkg_id, cargo_exes *l);
/* In the order cargo test runs them: lib, bins, tests, benches, each by name. */
void cargo_exes_sort(cargo_exes *l);

#endif
