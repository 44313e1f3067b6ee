/*
 * init_cmd.c: `cargo profiler init`: adds the cprof dependency (a path to the
 * in-tree crate next to this executable, or the installed copy) to the
 * crate's Cargo.toml with cargo's own `cargo add --offline --path`, which
 * edits TOML as cargo reads it (formatting kept, workspaces, --optional).
 * Around it: a read-only Cargo.toml is refused; the file keeps its inode,
 * owner, mode and hard links (keep_file.c: cargo replaces the file), its
 * CRLF line ends (cargo writes LF), and cargo must read the result, or the
 * file is put back as it was.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/cargo.h"
#include "cmd/commands.h"
#include "cmd/init_edit.h"
#include "sys/keep_file.h"
#include "sys/launch.h"
#include "sys/toml.h"
#include "sys/xalloc.h"

/* The feature --optional adds: `cargo build --features profile` profiles. */
#define INIT_FEATURE "profile"

/* Where the cprof crate is, relative to this executable. */
static int find_crate(char *out, size_t len)
{
    const char *env = getenv("CPROF_CRATE_DIR");   /* override, for packagers */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    static const char *const rel[] = {
        "../proc-macro-shim/cprof",                         /* build/cargo-profiler in the tree */
        "../share/cargo-profiler/proc-macro-shim/cprof",    /* PREFIX/bin/cargo-profiler */
        "../../proc-macro-shim/cprof",                      /* build/asan/cargo-profiler */
    };
    char cand[PATH_MAX + 64], probe[PATH_MAX + 80];
    if (env && *env) {
        snprintf(probe, sizeof probe, "%s/Cargo.toml", env);
        if (access(probe, R_OK) == 0 && realpath(env, out))
            return 0;
    }
    if (n <= 0)
        return -1;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        snprintf(cand, sizeof cand, "%s/%s", exe, rel[i]);
        snprintf(probe, sizeof probe, "%s/Cargo.toml", cand);
        char real[PATH_MAX];
        if (access(probe, R_OK) == 0 && realpath(cand, real) && strlen(real) < len) {
            strcpy(out, real);
            return 0;
        }
    }
    return -1;
}

/* The nearest Cargo.toml from the current folder up. */
static int find_manifest(char *out, size_t len)
{
    char dir[PATH_MAX];
    if (!getcwd(dir, sizeof dir))
        return -1;
    for (;;) {
        snprintf(out, len, "%s/Cargo.toml", strcmp(dir, "/") ? dir : "");
        if (access(out, F_OK) == 0)
            return 0;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) {
            if (strcmp(dir, "/") == 0)
                return -1;
            strcpy(dir, "/");
            continue;
        }
        *slash = 0;
    }
}

static void init_help(FILE *out)
{
    fputs("usage: cargo profiler init [--optional] [--alloc] [-p MEMBER] [--manifest-path PATH]\n\n"
          "Adds the cprof crate shipped with this cargo-profiler to [dependencies] of\n"
          "the crate's Cargo.toml, with `cargo add --offline --path DIR` (cargo 1.62 or\n"
          "newer): cargo writes the line (a relative path), keeps the rest of the file\n"
          "and updates Cargo.lock. The file keeps its owner, mode, hard links and CRLF\n"
          "line ends; a read-only Cargo.toml is left alone. Then mark functions with\n"
          "#[cprof::profile] and run `cargo profiler regions`.\n\n"
          "  --optional         an optional dependency, and the crate's feature\n"
          "                     `" INIT_FEATURE " = [\"cprof/enable\"]`; mark functions with\n"
          "                     #[cfg_attr(feature = \"cprof\", cprof::profile)]: a plain build\n"
          "                     has no cprof at all, `cargo profiler regions` (it passes\n"
          "                     --features cprof/enable) and `cargo build --features " INIT_FEATURE "`\n"
          "                     profile\n"
          "  --alloc            also count allocations per region: adds\n"
          "                       #[global_allocator]\n"
          "                       " INIT_ALLOC_STATIC "\n"
          "                     to each binary's main file (with --optional, or an optional cprof,\n"
          "                     under #[cfg(feature = \"cprof\")]); then run `cargo profiler regions\n"
          "                     --events cprof::allocs,cprof::alloc_bytes`. Where the package already\n"
          "                     has a #[global_allocator], nothing is added: it says how to wrap it\n"
          "  -p, --package NAME the workspace member to add it to\n"
          "  --manifest-path P  the Cargo.toml (default: the nearest one upward)\n\n"
          "CPROF_CRATE_DIR=DIR uses the cprof crate in DIR instead.\n\n"
          "exit status: 0 done (or already there); 1 error; 2 bad command line\n", out);
}

/* cargo's first "error: ..." line of its stderr, or its last line. */
static void cargo_error_line(const char *errs, char *out, size_t len)
{
    const char *e = strstr(errs, "error: ");
    if (!e) {
        size_t l = strlen(errs);
        while (l && errs[l - 1] == '\n')
            l--;
        e = errs + l;
        while (e > errs && e[-1] != '\n')
            e--;
    } else {
        e += 7;
    }
    size_t l = strcspn(e, "\n");
    snprintf(out, len, "%.*s", (int)(l < 400 ? l : 400), e);
}

/* `cargo add --offline --path CRATE [--optional]` on this manifest. 0, or
 * -1 with one line in err. */
static int cargo_add(const char *manifest, const char *crate, int optional, char *err, size_t errlen)
{
    const char *cargo = getenv("CARGO");   /* set when cargo runs us as `cargo profiler` */
    char *argv[12];
    int n = 0;
    argv[n++] = (char *)(cargo && *cargo ? cargo : "cargo");
    argv[n++] = "add";
    argv[n++] = "--offline";
    argv[n++] = "--manifest-path";
    argv[n++] = (char *)manifest;
    argv[n++] = "--path";
    argv[n++] = (char *)crate;
    if (optional)
        argv[n++] = "--optional";
    argv[n] = NULL;
    launch_result r;
    char *out = NULL, *errs = NULL;
    if (launch_capture(argv, NULL, &r, &out, &errs, err, errlen))
        return -1;
    int rc = 0;
    if (launch_failed(&r)) {
        char line[512];
        cargo_error_line(errs, line, sizeof line);
        if (strstr(errs, "no such command") || strstr(errs, "no such subcommand"))
            snprintf(err, errlen, "this cargo has no `cargo add` (cargo 1.62 or newer has it): "
                     "add cprof = { path = \"%s\" } to [dependencies] yourself", crate);
        else if (strstr(errs, "no matching package") || strstr(errs, "offline"))
            /* cargo add resolves every dependency, optional ones too, and
             * there is no registry to ask: the crate's own, not ours */
            snprintf(err, errlen, "cargo add failed: %s (cargo add --offline resolves every dependency of "
                     "the crate, optional and dev ones too: one not in cargo's cache stops it; or add "
                     "cprof = { path = \"%s\" } to [dependencies] yourself)", *line ? line : "(no message)",
                     crate);
        else
            snprintf(err, errlen, "cargo add failed: %s", *line ? line : "(no message)");
        rc = -1;
    }
    free(out);
    free(errs);
    return rc;
}

/* "cprof = { ... }": the dependency line cargo wrote, for the message. */
static void dependency_line(const char *t, size_t n, char *out, size_t len)
{
    toml_scan s;
    toml_item it;
    const char *want[] = { "dependencies", "cprof" };
    toml_scan_init(&s, t, n);
    snprintf(out, len, "cprof");
    while (toml_next(&s, &it) == 1)
        if (it.kind == TOML_KEYVAL && it.npath == 2 && toml_path_starts(&it, 2, want)) {
            size_t l = it.end - it.start;
            while (l && (t[it.start + l - 1] == '\n' || t[it.start + l - 1] == '\r'))
                l--;
            snprintf(out, len, "%.*s", (int)(l < 600 ? l : 600), t + it.start);
        }
}

typedef struct init_args {
    const char *manifest, *package;
    int optional, alloc;
    int has_dep;                       /* cprof was there already */
    char path[PATH_MAX + 16];          /* the Cargo.toml init starts from */
    char name[256], member[PATH_MAX];  /* the package and its own manifest */
    char crate[PATH_MAX];              /* the cprof crate to add */
    cargo_opts co;
} init_args;

/* The command line: -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, init_args *a)
{
    static const struct option longs[] = {
        {"manifest-path", required_argument, 0, 'm'},
        {"package", required_argument, 0, 'p'},
        {"optional", no_argument, 0, 'o'},
        {"alloc", no_argument, 0, 'a'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "hp:", longs, NULL)) != -1) {
        if (c == 'h') {
            init_help(stdout);
            return EXIT_OK;
        }
        if (c == 'm')
            a->manifest = optarg;
        else if (c == 'p')
            a->package = optarg;
        else if (c == 'o')
            a->optional = 1;
        else if (c == 'a')
            a->alloc = 1;
        else {
            fputs("usage: cargo profiler init [--optional] [--alloc] [-p MEMBER] [--manifest-path PATH]  "
                  "(see --help)\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "cargo-profiler init: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    return -1;
}

/* The package to edit, and that it can be: -1 to go on, else the exit status. */
static int find_target(init_args *a)
{
    if (a->manifest)
        snprintf(a->path, sizeof a->path, "%s", a->manifest);
    else if (find_manifest(a->path, sizeof a->path)) {
        fputs("cargo-profiler init: not in a cargo project (no Cargo.toml here or in any parent "
              "folder); use --manifest-path PATH\n", stderr);
        return EXIT_FAIL;
    }
    cargo_opts_init(&a->co);
    a->co.manifest_path = a->path;
    a->co.package = a->package;
    /* the member's own manifest is the one cargo add edits */
    char real[PATH_MAX], why[1024] = "";
    if (cargo_package(&a->co, a->name, sizeof a->name, a->member, sizeof a->member, why, sizeof why)) {
        fprintf(stderr, "cargo-profiler init: %s\n", why);
        return EXIT_FAIL;
    }
    /* a symlinked Cargo.toml: the file it points to is the one to keep */
    if (realpath(a->member, real))
        snprintf(a->member, sizeof a->member, "%s", real);
    int dep = cargo_depends_on(&a->co, "cprof", why, sizeof why);
    if (dep == 1) {
        printf("%s already depends on cprof%s\n", a->member, a->alloc ? "" : ": nothing to do");
        a->has_dep = 1;
        return a->alloc ? -1 : EXIT_OK;
    }
    if (dep < 0 || strstr(why, "renamed")) {   /* #[profile] needs ::cprof */
        fprintf(stderr, "cargo-profiler init: %s: %s\n", a->member, why);
        return EXIT_FAIL;
    }
    if (a->optional && cargo_feature(&a->co, INIT_FEATURE, NULL) >= 0) {
        fprintf(stderr, "cargo-profiler init: %s: package `%s` already has a feature `" INIT_FEATURE
                "`: add cprof/enable to it yourself, or run init without --optional\n", a->member, a->name);
        return EXIT_FAIL;
    }
    return -1;
}

/* The cprof crate init points at: -1 to go on, else EXIT_FAIL. */
static int find_cprof(init_args *a)
{
    if (find_crate(a->crate, sizeof a->crate)) {
        fputs("cargo-profiler init: cannot find the cprof crate next to this executable "
              "(expected ../proc-macro-shim/cprof or ../share/cargo-profiler/proc-macro-shim/cprof; "
              "set CPROF_CRATE_DIR)\n", stderr);
        return EXIT_FAIL;
    }
    if (strchr(a->crate, '\\')) {   /* cargo add writes manifest paths with / for \\ */
        fprintf(stderr, "cargo-profiler init: the cprof crate's path %s has a backslash, which "
                "cargo add would write as a /: copy the crate to a folder without one and set "
                "CPROF_CRATE_DIR\n", a->crate);
        return EXIT_FAIL;
    }
    return -1;
}

/* cargo add's result, with the feature of --optional and the file's own
 * line ends: malloc'd text in *out, or -1 + err. */
static int edited_text(const init_args *a, keep_file *k, char **out, size_t *n, char *err, size_t errlen)
{
    size_t n2 = 0;
    char *text = NULL, *edited = NULL;
    if (cargo_add(a->member, a->crate, a->optional, err, errlen) || !(text = keep_file_now(k, n, err, errlen)))
        return -1;
    if (a->optional) {
        edited = manifest_add_feature(text, *n, "cprof", INIT_FEATURE, "\"cprof/enable\"", &n2, err, errlen);
        free(text);
        if (!(text = edited))
            return -1;
        *n = n2;
    }
    if (text_is_crlf(k->before, k->before_len)) {
        edited = text_to_crlf(text, *n, &n2);
        free(text);
        if (!(text = edited)) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        *n = n2;
    }
    *out = text;
    return 0;
}

/* Does cargo read what was written? If not, the old bytes go back. */
static int verify(init_args *a, const char *before, size_t before_len)
{
    char why[1024] = "", err[PATH_MAX + 2048], note[PATH_MAX + 64];
    cargo_metadata_forget();
    int dep = cargo_depends_on(&a->co, "cprof", why, sizeof why);
    if (dep == 1 && (!a->optional || cargo_feature(&a->co, INIT_FEATURE, "cprof/enable") == 1))
        return 0;
    keep_file again;   /* our touches undone: the bytes as they were, in the same file */
    if (keep_file_begin(&again, a->member, err, sizeof err) == 0)
        keep_file_commit(&again, before, before_len, note, sizeof note, err, sizeof err);
    fprintf(stderr, "cargo-profiler init: %s: after cargo add, cargo does not read the dependency "
            "(%s): the file is as it was\n", a->member, why[0] ? why : "cprof not found");
    return -1;
}

static void say_done(const init_args *a, const char *text, size_t n, const char *note)
{
    char line[700];
    dependency_line(text, n, line, sizeof line);
    if (note[0])
        fprintf(stderr, "cargo-profiler init: warning: %s\n", note);
    printf("added to [dependencies] of %s:\n  %s\n", a->member, line);
    if (a->optional)
        printf("and to [features]: " INIT_FEATURE " = [\"cprof/enable\"]\n"
               "next: put #[cfg_attr(feature = \"cprof\", cprof::profile)] on the functions to measure, "
               "then run `cargo profiler regions` (or build with --features " INIT_FEATURE ")\n");
    else
        printf("next: put #[cprof::profile] on the functions to measure, then run `cargo profiler regions`\n");
}

/* Edit the manifest through cargo add, keeping the file whole (keep_file.h). */
static int edit(init_args *a)
{
    keep_file k;
    char err[PATH_MAX + 2048], note[PATH_MAX + 64];
    if (keep_file_begin(&k, a->member, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler init: %s\n", err);
        return EXIT_FAIL;
    }
    char *text = NULL;
    size_t n = 0;
    if (edited_text(a, &k, &text, &n, err, sizeof err)) {
        keep_file_abort(&k);
        fprintf(stderr, "cargo-profiler init: %s\n", err);
        return EXIT_FAIL;
    }
    /* kept so that a result cargo cannot read is put back */
    size_t before_len = k.before_len;
    char *before = xrealloc(NULL, before_len + 1);
    memcpy(before, k.before, before_len);
    int rc = EXIT_FAIL;
    if (keep_file_commit(&k, text, n, note, sizeof note, err, sizeof err))
        fprintf(stderr, "cargo-profiler init: %s\n", err);
    else if (verify(a, before, before_len) == 0) {
        say_done(a, text, n, note);
        rc = EXIT_OK;
    }
    free(before);
    free(text);
    return rc;
}

/* ---- --alloc: the counting global allocator in each binary ---- */

#define MAX_SOURCES 64

enum { NO_ALLOCATOR, OURS, FOREIGN };

/* A #[global_allocator] in one of the files: said, with how to wrap it. */
static int other_allocator(char **files, size_t n, int optional)
{
    for (size_t i = 0; i < n; i++) {
        keep_file k;
        char err[PATH_MAX + 256], how[1024];
        if (keep_file_begin(&k, files[i], err, sizeof err) != 0)
            continue;   /* unreadable: the edit below says why */
        int found = rust_global_allocator(k.before, k.before_len, how, sizeof how);
        int ours = found && strstr(k.before, "cprof::Alloc") != NULL;
        keep_file_abort(&k);
        if (ours)
            printf("%s already counts allocations (cprof::Alloc): nothing to do\n", files[i]);
        else if (found)
            printf("%s has its own #[global_allocator]: nothing added; to count allocations, wrap it:\n"
                   "  #[global_allocator]\n  %s\n%s", files[i],
                   how[0] ? how : "static ALLOC: cprof::Alloc<YourAllocator> = cprof::Alloc::new(YourAllocator);",
                   optional ? "(cprof is optional here: put that under #[cfg(feature = \"cprof\")] and "
                              "the static as it is under #[cfg(not(feature = \"cprof\"))])\n" : "");
        if (found)
            return ours ? OURS : FOREIGN;
    }
    return NO_ALLOCATOR;
}

/* The allocator static added to one main file, keeping the file whole. */
static int add_allocator(const char *file, int optional)
{
    keep_file k;
    char err[PATH_MAX + 2048], note[PATH_MAX + 64];
    if (keep_file_begin(&k, file, err, sizeof err)) {
        fprintf(stderr, "cargo-profiler init: %s\n", err);
        return EXIT_FAIL;
    }
    size_t n;
    char *text = rust_add_allocator(k.before, k.before_len, optional, &n);
    if (text && text_is_crlf(k.before, k.before_len)) {
        char *crlf = text_to_crlf(text, n, &n);
        free(text);
        text = crlf;
    }
    if (!text) {
        keep_file_abort(&k);
        fprintf(stderr, "cargo-profiler init: %s: out of memory\n", file);
        return EXIT_FAIL;
    }
    int rc = keep_file_commit(&k, text, n, note, sizeof note, err, sizeof err);
    free(text);
    if (rc) {
        fprintf(stderr, "cargo-profiler init: %s\n", err);
        return EXIT_FAIL;
    }
    if (note[0])
        fprintf(stderr, "cargo-profiler init: warning: %s\n", note);
    printf("added to %s:\n  #[global_allocator]\n  " INIT_ALLOC_STATIC "\n", file);
    return EXIT_OK;
}

static int alloc_step(init_args *a)
{
    char *bins[MAX_SOURCES], *all[2 * MAX_SOURCES];
    cargo_metadata_forget();   /* the manifest may have changed */
    size_t nb = cargo_target_sources(&a->co, "bin", bins, MAX_SOURCES);
    size_t nl = cargo_target_sources(&a->co, "lib", all, MAX_SOURCES);
    int rc = EXIT_OK, foreign = 0;
    /* an optional cprof: its feature gates the static, so plain builds stay without cprof */
    int optional = a->optional || cargo_feature(&a->co, "cprof", NULL) >= 0;
    if (nb == 0) {
        fprintf(stderr, "cargo-profiler init: --alloc: package `%s` has no binary target: a global "
                "allocator belongs in a binary's main file\n", a->name);
        rc = EXIT_FAIL;
    } else if ((foreign = other_allocator(all, nl, optional)) == NO_ALLOCATOR) {
        /* (a library's allocator is every binary's) */
        for (size_t i = 0; i < nb && rc == EXIT_OK; i++) {
            int has = other_allocator(&bins[i], 1, optional);
            if (has == FOREIGN)
                foreign = FOREIGN;
            if (has == NO_ALLOCATOR)
                rc = add_allocator(bins[i], optional);
        }
    }
    if (rc == EXIT_OK && foreign != FOREIGN)
        printf("next: `cargo profiler regions --events cprof::allocs,cprof::alloc_bytes` "
               "(also cprof::frees, cprof::freed_bytes, cprof::reallocs)\n");
    for (size_t i = 0; i < nb; i++)
        free(bins[i]);
    for (size_t i = 0; i < nl; i++)
        free(all[i]);
    return rc;
}

int cmd_init(int argc, char **argv)
{
    init_args a = {0};
    int st = parse_args(argc, argv, &a);
    if (st < 0)
        st = find_target(&a);
    if (st < 0 && !a.has_dep)
        st = find_cprof(&a);
    if (st < 0 && !a.has_dep)
        st = edit(&a);
    if ((st < 0 || st == EXIT_OK) && a.alloc)
        st = alloc_step(&a);
    return st < 0 ? EXIT_OK : st;
}
