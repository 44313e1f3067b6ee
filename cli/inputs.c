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
    if (name[0] == '.' || strcmp(name, "baseline.json") == 0)
        return 0;   /* the runtime's temporaries; what a baseline is (sys/baseline.h) */
    return (len >= 6 && strcmp(name + len - 5, ".json") == 0) ||
           strncmp(name, "callgrind.out.", 14) == 0 || strncmp(name, "cachegrind.out.", 15) == 0 ||
           strncmp(name, "dhat.out.", 9) == 0;
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

/* prefix* folders of dir, real folders only (lstat: a link is not a run). */
static void list_dirs(file_list *runs, const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path &&
            lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            list_add(runs, e->d_name);
    }
    closedir(d);
    if (runs->n)
        qsort(runs->v, runs->n, sizeof *runs->v, cmp_run_age);
}

static int is_repeated(const char *dir)
{
    file_list reps = {0};
    list_dirs(&reps, dir, REP_PREFIX);
    size_t n = reps.n;
    list_free(&reps);
    return n > 0;
}

/* dir's files into l; for a folder of runs, its newest run's (said on
 * stderr). A newest run of --repeat is not read: its path goes to *rep. */
static int folder_files(file_list *l, const char *dir, char **rep, char *err, size_t errlen)
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
    list_dirs(&runs, dir, "run-");
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    for (size_t i = runs.n; i-- > 0;) {
        char *run = xasprintf("%.*s/%s", (int)dl, dir, runs.v[i]);
        int repeated = is_repeated(run);
        if (!repeated && !add_files(l, run)) {
            free(run);
            continue;
        }
        if (i + 1 == runs.n)
            fprintf(stderr, "cargo-profiler: %s holds runs; showing the newest, %s\n", dir, run);
        else
            fprintf(stderr, "cargo-profiler: %s holds runs; the newest, %s, has no dump: "
                    "showing the newest that has one, %s\n", dir, runs.v[runs.n - 1], run);
        list_free(&runs);
        if (repeated)
            *rep = run;
        else
            free(run);
        return 0;
    }
    list_free(&runs);
    snprintf(err, errlen, "%s: no dump in this folder (empty output folder)", dir);
    return -1;
}

int add_folder(file_list *l, const char *dir, char *err, size_t errlen)
{
    char *rep = NULL;
    if (folder_files(l, dir, &rep, err, errlen))
        return -1;
    if (!rep)
        return 0;
    snprintf(err, errlen, "%s: a run of --repeat (rep-1 ... rep-N): not one run", rep);
    free(rep);
    return -1;
}

static file_list *new_run(run_list *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    file_list *f = &l->v[l->n++];
    memset(f, 0, sizeof *f);
    return f;
}

/* The repetitions rep-1 ... rep-N of dir, in their number's order. */
static int add_reps(run_list *l, const char *dir, char *err, size_t errlen)
{
    file_list reps = {0};
    list_dirs(&reps, dir, REP_PREFIX);   /* cmp_run_age orders rep-9 before rep-10 */
    int rc = 0;
    for (size_t i = 0; i < reps.n && rc == 0; i++) {
        char *rep = xasprintf("%s/%s", dir, reps.v[i]);
        file_list *f = new_run(l);
        if (!add_files(f, rep)) {
            snprintf(err, errlen, "%s: no dump in this repetition", rep);
            rc = -1;
        }
        free(rep);
    }
    list_free(&reps);
    return rc;
}

int add_runs(run_list *l, const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        list_add(new_run(l), path);
        return 0;
    }
    file_list probe = {0};
    size_t direct = add_files(&probe, path);
    list_free(&probe);
    if (!direct && is_repeated(path))
        return add_reps(l, path, err, errlen);
    char *rep = NULL;
    file_list *f = new_run(l);
    if (folder_files(f, path, &rep, err, errlen)) {
        l->n--;
        list_free(f);
        return -1;
    }
    if (!rep)
        return 0;
    l->n--;   /* the newest run is a run of --repeat: its repetitions */
    list_free(f);
    int rc = add_reps(l, rep, err, errlen);
    free(rep);
    return rc;
}

void runs_free(run_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        list_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}
