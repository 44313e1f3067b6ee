/*
 * baseline.c: saving, finding and listing baselines (see baseline.h). A
 * baseline is written whole into a fresh hidden folder first and then put
 * in place by one rename (an exchange when one of that name exists), so a
 * baseline is never half written, and a folder that is not ours (no
 * baseline.json) is never replaced.
 */
#include "sys/baseline.h"
#include "sys/rename_new.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sys/run_prune.h"
#include "sys/xalloc.h"

#define META "baseline.json"
#define META_FORMAT "cprof-baseline-1"

int baseline_root(const cargo_opts *co, int create, char **dir, char *err, size_t errlen)
{
    char base[PATH_MAX + 32];
    if (cargo_profiler_dir(co, create, base, sizeof base, err, errlen))
        return -1;
    *dir = xasprintf("%s/baselines", base);
    if (create && mkdir(*dir, 0755) && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", *dir, strerror(errno));
        free(*dir);
        *dir = NULL;
        return -1;
    }
    return 0;
}

/* src into the new file dst: a hard link, else a copy (O_EXCL: never
 * through a planted name). */
static int put_file(const char *src, const char *dst)
{
    if (link(src, dst) == 0)
        return 0;
    int in = open(src, O_RDONLY | O_CLOEXEC);
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    int rc = in < 0 || out < 0 ? -1 : 0;
    char buf[65536];
    ssize_t n;
    while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0)
        rc = n < 0 || write(out, buf, (size_t)n) != n ? -1 : 0;
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out))
        rc = -1;
    return rc;
}

static int write_meta(const char *dir, const char *name, const char *kind, const char *command,
                      size_t runs)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S%z", localtime_r(&now, &tm));
    json_t *j = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:I}", "format", META_FORMAT, "name", name,
                          "kind", kind, "command", command, "created", stamp, "runs", (json_int_t)runs);
    char *path = xasprintf("%s/" META, dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    int rc = fd < 0 || json_dumpfd(j, fd, JSON_INDENT(1) | JSON_PRESERVE_ORDER) ? -1 : 0;
    if (fd >= 0 && close(fd))
        rc = -1;
    free(path);
    json_decref(j);
    return rc;
}

/* Every run's files into dir/rep-K/. */
static int fill(const char *dir, const run_list *runs, char *err, size_t errlen)
{
    for (size_t r = 0; r < runs->n; r++) {
        char *rep = xasprintf("%s/rep-%zu", dir, r + 1);
        int rc = mkdir(rep, 0755);
        for (size_t i = 0; rc == 0 && i < runs->v[r].n; i++) {
            const char *src = runs->v[r].v[i], *slash = strrchr(src, '/');
            char *dst = xasprintf("%s/%s", rep, slash ? slash + 1 : src);
            if ((rc = put_file(src, dst)))
                snprintf(err, errlen, "cannot keep %s in %s: %s", src, rep, strerror(errno));
            free(dst);
        }
        if (rc && !err[0])
            snprintf(err, errlen, "cannot create %s: %s", rep, strerror(errno));
        free(rep);
        if (rc)
            return -1;
    }
    return 0;
}

/* 1 if root/name is a real folder holding our baseline.json. */
static int is_baseline(const char *root, const char *name)
{
    char *dir = xasprintf("%s/%s", root, name), *meta = xasprintf("%s/" META, dir);
    struct stat st, ms;
    int ok = lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && lstat(meta, &ms) == 0 && S_ISREG(ms.st_mode);
    free(dir);
    free(meta);
    return ok;
}

static void remove_folder(const char *root, const char *name)
{
    int base = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat st;
    if (base >= 0 && fstatat(base, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        run_remove(base, name, &st);
    if (base >= 0)
        close(base);
}

/* The old baseline (now at `gone`) removed; said when something in it was
 * not ours to remove. */
static void remove_old(const char *root, const char *gone)
{
    remove_folder(root, gone);
    char *left = xasprintf("%s/%s", root, gone);
    struct stat st;
    if (lstat(left, &st) == 0)
        fprintf(stderr, "cargo-profiler: the old baseline, now %s, holds files that are not ours: "
                "left there\n", left);
    free(left);
}

/* Where renameat2 cannot exchange (some NFS, FUSE, overlay setups): the
 * old baseline aside to a fresh .NAME.old-XXXXXX, the new one in, the old
 * one removed. If the new one cannot go in, the old one goes back. */
static int replace_in_two(const char *root, const char *tmp, const char *dst, const char *name,
                          char *err, size_t errlen)
{
    char *old = xasprintf("%s/.%s.old-XXXXXX", root, name);
    int rc = mkdtemp(old) ? rename(dst, old) : -1;   /* over the empty folder mkdtemp made */
    if (rc == 0 && (rc = rename_new(tmp, dst)) != 0) {
        int e = errno;
        if (rename_new(old, dst) != 0)
            snprintf(err, errlen, "cannot put the baseline in place at %s (%s); the old one is "
                     "at %s", dst, strerror(e), old);
        errno = e;
    } else if (rc == 0) {
        remove_old(root, strrchr(old, '/') + 1);
    } else if (old[strlen(old) - 1] != 'X') {
        rmdir(old);
    }
    free(old);
    return rc;
}

/* renameat2's exchange; CPROF_TEST_NO_RENAME_EXCHANGE=1 makes it (and
 * RENAME_NOREPLACE, sys/rename_new.h) fail as on a file system without
 * them, so the tests reach replace_in_two and rename_new's plain rename. */
static int exchange(const char *a, const char *b)
{
    if (rename_flags_off()) {
        errno = EINVAL;
        return -1;
    }
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

/* The new folder `tmp` becomes root/name: renamed (never over anything), or
 * exchanged with our old baseline of that name. */
static int put_in_place(const char *root, const char *tmp, const char *name, char *err, size_t errlen)
{
    char *dst = xasprintf("%s/%s", root, name);
    struct stat st;
    int rc = 0;
    if (lstat(dst, &st) != 0) {
        rc = rename_new(tmp, dst);
    } else if (!is_baseline(root, name)) {
        snprintf(err, errlen, "%s exists and is not a baseline (no " META "): not replaced", dst);
        free(dst);
        return -1;
    } else if ((rc = exchange(tmp, dst)) == 0) {
        remove_old(root, strrchr(tmp, '/') + 1);   /* the old baseline, now at tmp's name */
    } else if (errno == EINVAL || errno == ENOSYS) {
        rc = replace_in_two(root, tmp, dst, name, err, errlen);
    }
    if (rc && !err[0])
        snprintf(err, errlen, "cannot put the baseline in place at %s: %s", dst, strerror(errno));
    free(dst);
    return rc ? -1 : 0;
}

int baseline_save(const char *root, const char *name, const run_list *runs, const char *kind,
                  const char *command, char *err, size_t errlen)
{
    err[0] = 0;
    char *tmp = xasprintf("%s/.%s.new-XXXXXX", root, name);   /* unique: never a leftover's name */
    const char *tname = strrchr(tmp, '/') + 1;
    int rc = mkdtemp(tmp) ? chmod(tmp, 0755) : -1;
    if (rc)
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
    else if ((rc = fill(tmp, runs, err, errlen)) == 0 &&
             (rc = write_meta(tmp, name, kind, command, runs->n)) != 0)
        snprintf(err, errlen, "cannot write %s/" META ": %s", tmp, strerror(errno));
    if (rc == 0)
        rc = put_in_place(root, tmp, name, err, errlen);
    if (rc)
        remove_folder(root, tname);
    free(tmp);
    return rc;
}

/* ---- reading ---------------------------------------------------------------- */

static json_t *read_meta(const char *root, const char *name)
{
    char *meta = xasprintf("%s/%s/" META, root, name);
    json_t *j = json_load_file(meta, 0, NULL);
    free(meta);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

/* The names of root's baselines, sorted; caller frees. */
static void names(const char *root, file_list *out)
{
    DIR *d = opendir(root);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' && is_baseline(root, e->d_name))
            list_add(out, e->d_name);
    if (d)
        closedir(d);
    for (size_t i = 1; i < out->n; i++)   /* a few names: insertion sort */
        for (size_t j = i; j > 0 && strcmp(out->v[j - 1], out->v[j]) > 0; j--) {
            char *t = out->v[j];
            out->v[j] = out->v[j - 1];
            out->v[j - 1] = t;
        }
}

/* "no baseline 'NAME' (...); there are: a, b" into err. */
static void no_such(const char *root, const char *name, char *err, size_t errlen)
{
    file_list all = {0};
    names(root, &all);
    int n = snprintf(err, errlen, "no baseline '%s' (save one with --save-baseline %s)", name, name);
    for (size_t i = 0; i < all.n && n > 0 && (size_t)n < errlen; i++)
        n += snprintf(err + n, errlen - (size_t)n, "%s%s", i ? ", " : "; there are: ", all.v[i]);
    list_free(&all);
}

int baseline_check(const char *root, const char *name, const char *kind, char *err, size_t errlen)
{
    if (!is_baseline(root, name)) {
        no_such(root, name, err, errlen);
        return -1;
    }
    json_t *j = read_meta(root, name);
    const char *k = json_string_value(json_object_get(j, "kind"));
    int rc = k && strcmp(k, kind) != 0 ? -1 : 0;
    if (rc)
        snprintf(err, errlen, "a %s baseline, not one of %s: they cannot be compared", k, kind);
    json_decref(j);
    return rc;
}

int baseline_load(const char *root, const char *name, run_list *runs, char *err, size_t errlen)
{
    if (!is_baseline(root, name)) {
        no_such(root, name, err, errlen);
        return -1;
    }
    char *dir = xasprintf("%s/%s", root, name);
    int rc = add_runs(runs, dir, err, errlen);
    free(dir);
    json_t *j = read_meta(root, name);
    json_int_t saved = json_integer_value(json_object_get(j, "runs"));
    json_decref(j);
    if (rc == 0 && saved > 0 && (size_t)saved != runs->n)   /* rep-K folders removed by hand */
        fprintf(stderr, "cargo-profiler: warning: baseline %s was saved with %lld runs; %zu are "
                "there\n", name, (long long)saved, runs->n);
    return rc;
}

int baseline_find(const cargo_opts *co, const char *name, run_list *runs, char *err, size_t errlen)
{
    char *root = NULL, why[1024];
    int rc = baseline_root(co, 0, &root, why, sizeof why);
    if (rc)   /* no crate to look in: the likelier mistake is the path */
        snprintf(err, errlen, "%.300s: no such file or folder (nor a baseline: not in a cargo "
                 "project)", name);
    else if ((rc = baseline_load(root, name, runs, why, sizeof why)) != 0)
        snprintf(err, errlen, "%.300s: no such file or folder, and %s", name, why);
    free(root);
    return rc;
}

void baseline_list(const char *root, FILE *out)
{
    file_list all = {0};
    names(root, &all);
    int w = 20;   /* the name column as wide as the longest name */
    for (size_t i = 0; i < all.n; i++)
        w = (int)strlen(all.v[i]) > w ? (int)strlen(all.v[i]) : w;
    if (!all.n)
        fprintf(out, "no baselines in %s (save one with --save-baseline NAME)\n", root);
    else
        fprintf(out, "%-*s %-10s %-9s %-24s %s\n", w, "baseline", "kind", "runs", "saved", "command");
    for (size_t i = 0; i < all.n; i++) {
        json_t *j = read_meta(root, all.v[i]);
        const char *kind = json_string_value(json_object_get(j, "kind"));
        const char *when = json_string_value(json_object_get(j, "created"));
        const char *cmd = json_string_value(json_object_get(j, "command"));
        json_int_t runs = json_integer_value(json_object_get(j, "runs"));
        char n[32];   /* left under its heading, as the others: "1 run", "12 runs" */
        snprintf(n, sizeof n, "%lld run%s", (long long)runs, runs == 1 ? "" : "s");
        fprintf(out, "%-*s %-10s %-9s %-24s %s\n", w, all.v[i], kind ? kind : "?", n, when ? when : "?",
                cmd ? cmd : "");
        json_decref(j);
    }
    list_free(&all);
}
