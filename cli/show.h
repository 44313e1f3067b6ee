/*
 * show.h: what `regions` and `report` share: the output options, gathering
 * dump files (a folder means every dump in it), and reading, merging and
 * printing them (readers -> model -> views).
 */
#ifndef CPROF_CLI_SHOW_H
#define CPROF_CLI_SHOW_H

#include <getopt.h>
#include <stdio.h>

#include "views/views.h"

typedef struct show_opts {
    view_opts view;
    int threads;
    int compensate;
    int color;          /* -1 auto, 0 never, 1 always */
    const char *callers;    /* report: who calls this function (callgrind files) */
    int callees;            /* ... or what it calls */
    int limit_given;        /* -n was given (else valgrind files get view_valgrind_limit) */
} show_opts;

/* getopt_long values of the output options (and of regions' own). */
enum {
    OPT_EVENTS = 0x2000, OPT_FILTER, OPT_FORMAT, OPT_SORT, OPT_THREADS, OPT_NO_COMPENSATE,
    OPT_METRIC, OPT_COLOR, OPT_CALLERS, OPT_CALLEES,
};

#define SHOW_SHORT_OPTIONS "n:h"
#define SHOW_LONG_OPTIONS \
    {"format",        required_argument, 0, OPT_FORMAT}, \
    {"sort",          required_argument, 0, OPT_SORT}, \
    {"threads",       no_argument,       0, OPT_THREADS}, \
    {"no-compensate", no_argument,       0, OPT_NO_COMPENSATE}, \
    {"metric",        required_argument, 0, OPT_METRIC}, \
    {"color",         required_argument, 0, OPT_COLOR}, \
    {"help",          no_argument,       0, 'h'}

void show_help(FILE *out);
void show_opts_init(show_opts *s);
/* 1: handled, 0: not an output option, -1: bad value (line printed, `cmd` named). */
int show_opts_parse(show_opts *s, int c, const char *arg, const char *cmd);

typedef struct file_list {
    char **v;
    size_t n, cap;
} file_list;

void list_add(file_list *l, const char *s);
void list_free(file_list *l);
/* Add the dumps of a folder (*.json, sorted); -1 + err when it has none. */
int add_folder(file_list *l, const char *dir, char *err, size_t errlen);

/*
 * Read every file (cprof dumps, or callgrind/cachegrind files), merge and
 * print on stdout. `command` (may be NULL) names the profiled command line.
 * Returns EXIT_OK, or EXIT_FAIL when a file could not be read (the others are
 * still shown, each bad one gets a line on stderr) or nothing could be shown.
 */
int show_files(const file_list *files, show_opts *s, const char *command, const char *cmd);

#endif
