/*
 * init_cmd.c: `cargo profiler init`: adds the cprof dependency (a path to the
 * in-tree crate next to this executable, or the installed copy) to the
 * crate's Cargo.toml. Only one line is inserted; the rest of the file is kept
 * byte for byte, and the new file replaces the old one atomically.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/cargo.h"
#include "cmd/commands.h"

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

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (cap - *n < 4096) {
            cap = cap ? cap * 2 : 8192;
            char *q = realloc(buf, cap);
            if (!q) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = q;
        }
        size_t got = fread(buf + *n, 1, cap - *n - 1, f);
        *n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[*n] = 0;
    return buf;
}

/*
 * Where a line leaves TOML's strings: given the multi-line string it starts
 * in (NULL, the three double quotes or the three single quotes that close
 * it), the one it ends in. Quotes in comments and in one-line strings open
 * nothing (a comment "# don't write ''' here" is just a comment).
 */
static const char *string_state_after(const char *line, size_t len, const char *ml)
{
    size_t i = 0;
    while (i < len) {
        if (ml) {
            const char *close = memmem(line + i, len - i, ml, 3);
            if (!close)
                return ml;
            i = (size_t)(close - line) + 3;
            ml = NULL;
            continue;
        }
        char c = line[i];
        if (c == '#')
            return NULL;   /* a comment to the end of the line */
        if ((c == '"' || c == '\'') && i + 2 < len && line[i + 1] == c && line[i + 2] == c) {
            ml = c == '"' ? "\"\"\"" : "'''";
            i += 3;
            continue;
        }
        if (c == '"' || c == '\'') {   /* a one-line string; basic ones have escapes */
            for (i++; i < len && line[i] != c; i++)
                if (c == '"' && line[i] == '\\')
                    i++;
        }
        i++;
    }
    return ml;
}

/* The table header on this line ("dependencies", "package", ...) into name, or 0. */
static int table_header(const char *line, size_t len, char *name, size_t cap)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i >= len || line[i] != '[')
        return 0;
    int arr = i + 1 < len && line[i + 1] == '[';
    i += arr ? 2 : 1;
    size_t start = i;
    while (i < len && line[i] != ']')
        i++;
    if (i >= len)
        return 0;
    size_t end = i;
    while (start < end && (line[start] == ' ' || line[start] == '\t'))
        start++;
    while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
        end--;
    size_t o = 0;   /* quoted keys unquoted: ["dependencies"] is [dependencies] */
    for (size_t k = start; k < end && o + 1 < cap; k++)
        if (line[k] != '"' && line[k] != '\'' && line[k] != ' ' && line[k] != '\t')
            name[o++] = line[k];
    name[o] = 0;
    return 1;
}

/* 1 if this line (inside [dependencies]) defines cprof: "cprof =", "cprof.path =". */
static int defines_cprof(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    const char *keys[] = { "cprof", "\"cprof\"" };
    for (int k = 0; k < 2; k++) {
        size_t kl = strlen(keys[k]);
        if (len - i >= kl && strncmp(line + i, keys[k], kl) == 0) {
            size_t j = i + kl;
            while (j < len && (line[j] == ' ' || line[j] == '\t'))
                j++;
            if (j < len && (line[j] == '=' || line[j] == '.'))
                return 1;
        }
    }
    return 0;
}

static void init_help(FILE *out)
{
    fputs("usage: cargo profiler init [--manifest-path PATH]\n\n"
          "Adds `cprof = { path = \"...\" }` (the cprof crate shipped with this\n"
          "cargo-profiler) to [dependencies] of the crate's Cargo.toml, changing\n"
          "nothing else in the file. Then mark functions with #[cprof::profile]\n"
          "and run `cargo profiler regions`.\n\n"
          "exit status: 0 done (or already there); 1 error; 2 bad command line\n", out);
}

int cmd_init(int argc, char **argv)
{
    static const struct option longs[] = {
        {"manifest-path", required_argument, 0, 'm'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *manifest = NULL;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        if (c == 'h') {
            init_help(stdout);
            return EXIT_OK;
        }
        if (c == 'm') {
            manifest = optarg;
            continue;
        }
        fputs("usage: cargo profiler init [--manifest-path PATH]  (see --help)\n", stderr);
        return EXIT_USAGE;
    }
    if (optind < argc) {
        fprintf(stderr, "cargo-profiler init: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    char path[PATH_MAX + 16];
    if (manifest)
        snprintf(path, sizeof path, "%s", manifest);
    else if (find_manifest(path, sizeof path)) {
        fputs("cargo-profiler init: not in a cargo project (no Cargo.toml here or in any parent "
              "folder); use --manifest-path PATH\n", stderr);
        return EXIT_FAIL;
    }
    /* a symlinked Cargo.toml: write the file it points to, keep the link */
    char real[PATH_MAX];
    if (realpath(path, real))
        snprintf(path, sizeof path, "%s", real);
    /* cargo's own reading first: cprof there under any table (a target's
     * too), or renamed, which #[profile] cannot use. Where cargo cannot read
     * the manifest, the line scan below still answers. */
    {
        cargo_opts co;
        cargo_opts_init(&co);
        co.manifest_path = path;
        char why[1024] = "";
        int dep = cargo_depends_on(&co, "cprof", why, sizeof why);
        if (dep == 1) {
            printf("%s already depends on cprof: nothing to do\n", path);
            return EXIT_OK;
        }
        if (dep == 0 && strstr(why, "renamed")) {
            fprintf(stderr, "cargo-profiler init: %s: %s\n", path, why);
            return EXIT_FAIL;
        }
    }
    char crate[PATH_MAX];
    if (find_crate(crate, sizeof crate)) {
        fputs("cargo-profiler init: cannot find the cprof crate next to this executable "
              "(expected ../proc-macro-shim/cprof or ../share/cargo-profiler/proc-macro-shim/cprof; "
              "set CPROF_CRATE_DIR)\n", stderr);
        return EXIT_FAIL;
    }
    size_t n;
    char *text = read_all(path, &n);
    if (!text) {
        fprintf(stderr, "cargo-profiler init: %s: cannot read: %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    if (memchr(text, 0, n)) {
        fprintf(stderr, "cargo-profiler init: %s: not a text file\n", path);
        free(text);
        return EXIT_FAIL;
    }
    /* find [dependencies], whether cprof is there, and [package] */
    size_t deps_end = 0;   /* offset just after the [dependencies] header line */
    int in_deps = 0, has_package = 0, has_deps = 0, lineno = 0;
    char name[256];
    const char *ml = NULL;   /* inside a multi-line string: its closing quotes */
    for (size_t off = 0; off < n;) {
        const char *line = text + off;
        size_t len = strcspn(line, "\n");
        lineno++;
        if (ml) {   /* a [dependencies] line inside a string is text, not a table */
            ml = string_state_after(line, len, ml);
        } else if (table_header(line, len, name, sizeof name)) {
            in_deps = strcmp(name, "dependencies") == 0;
            if (in_deps && !has_deps) {
                has_deps = 1;
                deps_end = off + len + (off + len < n);
            }
            if (strcmp(name, "package") == 0)
                has_package = 1;
            if (strcmp(name, "dependencies.cprof") == 0) {
                printf("%s:%d already depends on cprof: nothing to do\n", path, lineno);
                free(text);
                return EXIT_OK;
            }
        } else if (in_deps && defines_cprof(line, len)) {
            printf("%s:%d already depends on cprof: nothing to do\n", path, lineno);
            free(text);
            return EXIT_OK;
        } else {
            ml = string_state_after(line, len, NULL);
        }
        off += len + 1;
    }
    const char *first_nl = memchr(text, '\n', n);
    const char *eol = first_nl && first_nl > text && first_nl[-1] == '\r' ? "\r\n" : "\n";
    if (!has_package) {
        fprintf(stderr, "cargo-profiler init: %s: no [package] table (a workspace manifest?): "
                "run it in a member crate or give --manifest-path\n", path);
        free(text);
        return EXIT_FAIL;
    }
    char dep[PATH_MAX + 64];
    snprintf(dep, sizeof dep, "cprof = { path = \"%s\" }%s", crate, eol);   /* the file's own line end */
    /* the new file: a temporary next to it, then rename (atomic, never half-written) */
    char tmp[PATH_MAX + 64];
    snprintf(tmp, sizeof tmp, "%s.cargo-profiler.%ld.tmp", path, (long)getpid());
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? st.st_mode & 07777 : 0644;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        fprintf(stderr, "cargo-profiler init: cannot write next to %s: %s\n", path, strerror(errno));
        free(text);
        return EXIT_FAIL;
    }
    FILE *f = fdopen(fd, "w");
    int ok = f != NULL;
    if (ok && has_deps) {
        /* a header on the file's last line without "\n" */
        int need_nl = deps_end > 0 && text[deps_end - 1] != '\n';
        ok = fwrite(text, 1, deps_end, f) == deps_end && (!need_nl || fputs(eol, f) != EOF) &&
             fputs(dep, f) != EOF && fwrite(text + deps_end, 1, n - deps_end, f) == n - deps_end;
    } else if (ok) {
        int need_nl = n > 0 && text[n - 1] != '\n';
        ok = fwrite(text, 1, n, f) == n &&
             fprintf(f, "%s%s[dependencies]%s%s", need_nl ? eol : "", eol, eol, dep) > 0;
    }
    if (f)
        ok = (fflush(f) == 0) & (fsync(fileno(f)) == 0) & (fclose(f) == 0) & ok;
    else
        close(fd);
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "cargo-profiler init: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
        free(text);
        return EXIT_FAIL;
    }
    free(text);
    printf("added to [dependencies] of %s:\n  %s", path, dep);
    printf("next: put #[cprof::profile] on the functions to measure, then run `cargo profiler regions`\n");
    return EXIT_OK;
}
