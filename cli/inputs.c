/*
 * inputs.c: gathering the files to show (see inputs.h).
 */
#include "inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sys/xalloc.h"

void list_add(file_list *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = xstrdup(s);
}

void list_free(file_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs oldest first: run-YYYYMMDD-HHMMSS-PID, by the time in the name,
 * then by PID as a number (runs of the same second: 9999 before 10000). */
static int cmp_run_age(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    const char *px = strrchr(x, '-'), *py = strrchr(y, '-');
    size_t lx = px ? (size_t)(px - x) : strlen(x), ly = py ? (size_t)(py - y) : strlen(y);
    int c = strncmp(x, y, lx < ly ? lx : ly);
    if (c || lx != ly)
        return c ? c : lx < ly ? -1 : 1;
    long nx = px ? strtol(px + 1, NULL, 10) : 0, ny = py ? strtol(py + 1, NULL, 10) : 0;
    return nx < ny ? -1 : nx > ny;
}

static int is_profile_name(const char *name)
{
    size_t len = strlen(name);
    if (name[0] == '.')
        return 0;   /* the runtime's temporaries */
    return (len >= 6 && strcmp(name + len - 5, ".json") == 0) ||
           strncmp(name, "callgrind.out.", 14) == 0 || strncmp(name, "cachegrind.out.", 15) == 0;
}

/* The profiles directly in dir (regular files, links to them included). */
static size_t add_files(file_list *l, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t before = l->n;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_profile_name(e->d_name))
            continue;
        char path[4096];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path &&
            stat(path, &st) == 0 && S_ISREG(st.st_mode))
            list_add(l, path);
    }
    closedir(d);
    if (l->n > before)
        qsort(l->v + before, l->n - before, sizeof *l->v, cmp_str);
    return l->n - before;
}

/* run-* folders of dir, real folders only (lstat: a link is not a run). */
static void list_runs(file_list *runs, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        if (strncmp(e->d_name, "run-", 4) == 0 &&
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path &&
            lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            list_add(runs, e->d_name);
    }
    closedir(d);
    if (runs->n)
        qsort(runs->v, runs->n, sizeof *runs->v, cmp_run_age);
}

int add_folder(file_list *l, const char *dir, char *err, size_t errlen)
{
    DIR *probe = opendir(dir);
    if (!probe) {
        snprintf(err, errlen, "%s: cannot open folder: %s", dir, strerror(errno));
        return -1;
    }
    closedir(probe);
    if (add_files(l, dir))
        return 0;
    file_list runs = {0};
    list_runs(&runs, dir);
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    for (size_t i = runs.n; i-- > 0;) {
        char run[4096];
        snprintf(run, sizeof run, "%.*s/%s", (int)dl, dir, runs.v[i]);
        if (!add_files(l, run))
            continue;
        if (i + 1 == runs.n)
            fprintf(stderr, "cargo-profiler: %s holds runs; showing the newest, %s\n", dir, run);
        else
            fprintf(stderr, "cargo-profiler: %s holds runs; the newest, %s, has no dump: "
                    "showing the newest that has one, %s\n", dir, runs.v[runs.n - 1], run);
        list_free(&runs);
        return 0;
    }
    list_free(&runs);
    snprintf(err, errlen, "%s: no dump in this folder (empty output folder)", dir);
    return -1;
}
