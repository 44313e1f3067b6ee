/*
 * run_prune.c: drops the oldest run folders under target/cargo-profiler/
 * (see run_prune.h). Everything is done relative to open folder
 * descriptors with O_NOFOLLOW/AT_SYMLINK_NOFOLLOW, so a symlink planted in
 * place of a run folder, or inside one, is never followed: at worst a
 * folder is left behind.
 */
#include "sys/run_prune.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* digits, then optionally "." and digits: the PID and cargo_output_dir's .K */
static int pid_part(const char *s)
{
    size_t a = strspn(s, "0123456789");
    if (a == 0)
        return 0;
    if (s[a] == 0)
        return 1;
    return s[a] == '.' && strspn(s + a + 1, "0123456789") > 0 && s[a + 1 + strspn(s + a + 1, "0123456789")] == 0;
}

int run_name_is_ours(const char *name, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (strncmp(name, prefix, pl) != 0)
        return 0;
    const char *s = name + pl;   /* -YYYYMMDD-HHMMSS-PID */
    return strlen(s) >= 18 && s[0] == '-' && digits(s + 1, 8) && s[9] == '-' && digits(s + 10, 6) &&
           s[16] == '-' && pid_part(s + 17);
}

/* 1 if the n bytes at s are all from set (and n > 0). */
static int all_in(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i] || !strchr(set, s[i]))
            return 0;
    return n > 0;
}

#define HOST_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

/* The n bytes at s as the runtime names a dump or its temporary: HOST-REST
 * (docs/dump-format.md: the host as file names hold it) or REST, older
 * runtimes' names; REST of the bytes of `rest`. The host may hold '-'
 * itself: REST, which has none, is after the last. */
static int host_and(const char *s, size_t n, const char *rest)
{
    size_t h = n;
    while (h && s[h - 1] != '-')
        h--;
    if (h && (h - 1 > 64 || !all_in(s, h - 1, HOST_CHARS)))
        return 0;
    return all_in(s + h, n - h, rest);
}

/* A file a run writes: cprof-HOST-PID.json, cprof-HOST-PID.K.json,
 * .cprof-HOST-PID.HEX.tmp (and the same without HOST, of older runtimes),
 * callgrind.out.PID[.N], cachegrind.out.PID; a baseline's baseline.json. */
static int run_file_is_ours(const char *n)
{
    size_t l = strlen(n);
    if (strncmp(n, "cprof-", 6) == 0 && l > 11 && strcmp(n + l - 5, ".json") == 0)
        return host_and(n + 6, l - 11, "0123456789.");
    if (strncmp(n, ".cprof-", 7) == 0 && l > 11 && strcmp(n + l - 4, ".tmp") == 0)
        return host_and(n + 7, l - 11, "0123456789abcdef.");
    if (strncmp(n, "callgrind.out.", 14) == 0)
        return all_in(n + 14, l - 14, "0123456789.-");
    if (strncmp(n, "cachegrind.out.", 15) == 0)
        return all_in(n + 15, l - 15, "0123456789.-");
    return strcmp(n, "baseline.json") == 0;   /* sys/baseline.h */
}

static size_t sort_prefix_len;   /* qsort has no context argument */

/* Newest first: the time stamp, then the PID and .K as numbers. */
static int newer_first(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    const char *sx = x + sort_prefix_len, *sy = y + sort_prefix_len;
    int c = strncmp(sy, sx, 16);
    if (c)
        return c;
    char *ex, *ey;
    unsigned long px = strtoul(sx + 17, &ex, 10), py = strtoul(sy + 17, &ey, 10);
    if (px != py)
        return px < py ? 1 : -1;
    unsigned long kx = *ex == '.' ? strtoul(ex + 1, NULL, 10) : 0, ky = *ey == '.' ? strtoul(ey + 1, NULL, 10) : 0;
    return kx < ky ? 1 : kx > ky ? -1 : 0;
}

/* rep-N (a repetition of --repeat) or failed-N (one left out of the mean). */
static int rep_name(const char *n)
{
    const char *digits = strncmp(n, "rep-", 4) == 0 ? n + 4 : strncmp(n, "failed-", 7) == 0 ? n + 7 : NULL;
    return digits && all_in(digits, strlen(digits), "0123456789");
}

/* 1 if folder fd holds nothing but our files (and, at depth 0, rep-N and
 * failed-N folders of --repeat holding only ours): one stranger (a file of the
 * user's, another folder, a symlink) keeps it all. */
static int only_ours(int fd, int depth)
{
    DIR *d = fdopendir(dup(fd));
    if (!d)
        return 0;
    rewinddir(d);   /* a dup shares the offset: start from the first entry */
    struct dirent *e;
    int ours = 1;
    while (ours && (e = readdir(d))) {
        struct stat fs;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (fstatat(fd, e->d_name, &fs, AT_SYMLINK_NOFOLLOW) != 0) {
            ours = 0;
        } else if (S_ISDIR(fs.st_mode) && depth == 0 && rep_name(e->d_name)) {
            int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            ours = sub >= 0 && only_ours(sub, 1);
            if (sub >= 0)
                close(sub);
        } else {
            ours = run_file_is_ours(e->d_name) && S_ISREG(fs.st_mode);
        }
    }
    closedir(d);
    return ours;
}

/* Our files (and rep-N folders) of folder fd removed; only after only_ours. */
static void remove_ours(int fd, int depth)
{
    DIR *d = fdopendir(dup(fd));
    if (!d)
        return;
    rewinddir(d);   /* only_ours read this folder through the same offset */
    struct dirent *e;
    while ((e = readdir(d))) {
        if (run_file_is_ours(e->d_name)) {
            unlinkat(fd, e->d_name, 0);   /* unlinkat never follows a symlink */
        } else if (depth == 0 && rep_name(e->d_name)) {
            int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) {
                remove_ours(sub, 1);
                close(sub);
                unlinkat(fd, e->d_name, AT_REMOVEDIR);
            }
        }
    }
    closedir(d);
}

int run_remove(int base, const char *name, const struct stat *st)
{
    int fd = openat(base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat now;
    if (fd < 0)
        return 0;
    int same = fstat(fd, &now) == 0 && now.st_ino == st->st_ino && now.st_dev == st->st_dev;
    int ours = same && only_ours(fd, 0);
    if (ours)
        remove_ours(fd, 0);
    close(fd);
    return ours && unlinkat(base, name, AT_REMOVEDIR) == 0;
}

int run_prune(const char *base_path, const char *prefix, int keep)
{
    if (keep <= 0)
        return 0;
    int base = open(base_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (base < 0)
        return -1;
    DIR *d = fdopendir(dup(base));
    if (!d) {
        close(base);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        if (!run_name_is_ours(e->d_name, prefix) || fstatat(base, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
            continue;
        if (n == cap) {
            char **q = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof *names);
            if (!q)
                break;
            names = q;
        }
        if (!(names[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    sort_prefix_len = strlen(prefix);
    if (n)
        qsort(names, n, sizeof *names, newer_first);
    int removed = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (i >= (size_t)keep && fstatat(base, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
            removed += run_remove(base, names[i], &st);
        free(names[i]);
    }
    free(names);
    close(base);
    return removed;
}
