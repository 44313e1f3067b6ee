/*
 * valgrind_tool.c: what running valgrind needs around it: finding it and its
 * version, switching address-space randomisation off, the live line while it
 * runs, and the files it wrote.
 */
#include "sys/valgrind_tool.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sys/launch.h"

/* ---- valgrind and setarch ----------------------------------------------- */

int vg_in_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        return 0;
    char buf[4096];
    for (const char *p = path; p;) {
        const char *c = strchr(p, ':');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, n ? p : ".", prog);
        struct stat st;
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

/* "3.19.0" from `valgrind --version`; 0, or -1 + err. */
int vg_version(char *ver, size_t len, int *major, int *minor, char *err, size_t errlen)
{
    char *argv[] = {"valgrind", "--version", NULL};
    launch_result r;
    char *out = NULL, *eout = NULL;
    if (launch_capture(argv, NULL, &r, &out, &eout, err, errlen))
        return -1;
    int ok = out && sscanf(out, "valgrind-%d.%d", major, minor) == 2;
    if (ok)
        snprintf(ver, len, "%.*s", (int)strcspn(out + 9, "\r\n"), out + 9);
    else
        snprintf(err, errlen, "`valgrind --version` printed no version (\"%.40s\")", out ? out : "");
    free(out);
    free(eout);
    return ok ? 0 : -1;
}

/* setarch exists and may switch randomisation off here (containers can forbid it). */
int vg_setarch_works(const char *machine)
{
    if (!vg_in_path("setarch"))
        return 0;
    char *argv[] = {"setarch", (char *)machine, "-R", "true", NULL};
    launch_result r;
    char *out = NULL, *eout = NULL, err[256];
    int rc = launch_capture(argv, NULL, &r, &out, &eout, err, sizeof err);
    free(out);
    free(eout);
    return rc == 0 && !launch_failed(&r);
}

/* ---- the live line ------------------------------------------------------ */

static void *tick(void *arg)
{
    vg_ticker *t = arg;
    struct timespec start, now, until;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_mutex_lock(&t->lock);
    while (!t->done) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        double s = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
        fprintf(stderr, "\r\033[Kcargo-profiler: running under %s ... %.1f s", t->tool, s);
        fflush(stderr);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250 * 1000 * 1000;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&t->cond, &t->lock, &until);
    }
    pthread_mutex_unlock(&t->lock);
    fputs("\r\033[K", stderr);
    fflush(stderr);
    return NULL;
}

void vg_ticker_start(vg_ticker *t, const char *tool)
{
    memset(t, 0, sizeof *t);
    t->tool = tool;
    if (!isatty(STDERR_FILENO))
        return;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->cond, NULL);
    t->running = pthread_create(&t->thread, NULL, tick, t) == 0;
}

void vg_ticker_stop(vg_ticker *t)
{
    if (!t->running)
        return;
    pthread_mutex_lock(&t->lock);
    t->done = 1;
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->cond);
    t->running = 0;
}

/* ---- the output files ---------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* valgrind's files in dir (one per thread with --separate-threads, per
 * process with children), sorted; NULL-terminated, malloc'd. */
char **vg_output_files(const char *dir, const char *prefix, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t cap = 8;
    char **v = calloc(cap + 1, sizeof *v);
    struct dirent *e;
    while (v && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        if (*n == cap) {
            char **w = realloc(v, (cap * 2 + 1) * sizeof *v);
            if (!w)
                break;
            v = w;
            cap *= 2;
        }
        size_t l = strlen(dir) + strlen(e->d_name) + 2;
        if (!(v[*n] = malloc(l)))
            break;
        snprintf(v[*n], l, "%s/%s", dir, e->d_name);
        v[++*n] = NULL;
    }
    closedir(d);
    if (v)
        qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

void vg_free_list(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}
