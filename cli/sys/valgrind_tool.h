/*
 * valgrind_tool.h: running valgrind: is it there, which version, can
 * randomisation be switched off, a live line while it runs, and the output
 * files it wrote.
 */
#ifndef CPROF_CLI_VALGRIND_RUN_H
#define CPROF_CLI_VALGRIND_RUN_H

#include <pthread.h>
#include <stddef.h>

/* 1 if PATH has an executable `prog`. */
int vg_in_path(const char *prog);
/* "3.19.0" and its major/minor from `valgrind --version`; 0, or -1 + err. */
int vg_version(char *ver, size_t len, int *major, int *minor, char *err, size_t errlen);
/* 1 if `setarch MACHINE -R` runs here (containers may forbid personality()). */
int vg_setarch_works(const char *machine);

/* "running under callgrind ... 12.3 s" on stderr, when it is a terminal. */
typedef struct vg_ticker {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    int done, running;
    const char *tool;
} vg_ticker;
void vg_ticker_start(vg_ticker *t, const char *tool);
void vg_ticker_stop(vg_ticker *t);

/* The files in dir whose names start with prefix, sorted, NULL-terminated
 * (malloc'd; free with vg_free_list); *n is their number. */
char **vg_output_files(const char *dir, const char *prefix, size_t *n);
void vg_free_list(char **v);

#endif
