/*
 * show.c: the output side of `regions` and `report`: options, the dump files
 * of a folder, and reading + merging + printing (readers -> model -> views).
 * Per process compensation is done by the reader; this file says in the
 * header that it was applied and with which calibrated costs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cmd/commands.h"
#include "readers/readers.h"
#include "readers/cprof_dump.h"
#include "show.h"
#include "views/callers.h"
#include "views/util.h"

void show_help(FILE *out)
{
    fputs("output options:\n"
          "  --format FMT       table (default), tree, json, csv, folded\n"
          "  -n N               show the first N rows (table, csv, json) or lines (tree);\n"
          "                     (report of valgrind files: 20 rows of a table, 40 lines\n"
          "                     of a tree unless -n)\n"
          "  --sort KEY         incl (default; valgrind files: the first event's self cost),\n"
          "                     excl, calls, mean, name, EVENT (= EVENT:excl), EVENT:incl,\n"
          "                     EVENT:excl; event names in any case (ir, d1mr)\n"
          "  --threads          per thread: one block each (table, tree), a \"threads\" list\n"
          "                     (json), pid,tid,thread columns (csv), the thread as the\n"
          "                     root frame (folded)\n"
          "  --no-compensate    show raw figures (default: the calibrated cost of the\n"
          "                     enter/exit pairs is subtracted from the regions around them)\n"
          "  --metric EV        folded: the metric of the values (default time, ns)\n"
          "  --color WHEN       auto (default: on a terminal, unless NO_COLOR), always, never\n", out);
}

void show_opts_init(show_opts *s)
{
    memset(s, 0, sizeof *s);
    view_opts_init(&s->view);
    s->compensate = 1;
    s->color = -1;
}

int show_opts_parse(show_opts *s, int c, const char *arg, const char *cmd)
{
    switch (c) {
    case OPT_FORMAT:
        if (view_parse_format(arg, &s->view.format) || s->view.format == VIEW_CALLERS) {
            fprintf(stderr, "cargo-profiler %s: --format %s: expected table, tree, json, csv or folded\n",
                    cmd, arg);
            return -1;
        }
        return 1;
    case 'n': {
        char *end;
        errno = 0;
        long long v = strtoll(arg, &end, 10);
        if (errno || *end || end == arg || v < 0) {
            fprintf(stderr, "cargo-profiler %s: -n %s: expected a number of rows (0 = all)\n", cmd, arg);
            return -1;
        }
        s->view.limit = (size_t)v;
        s->limit_given = 1;
        return 1;
    }
    case OPT_SORT: s->view.sort = arg; return 1;
    case OPT_THREADS: s->threads = 1; return 1;
    case OPT_NO_COMPENSATE: s->compensate = 0; return 1;
    case OPT_METRIC: s->view.metric = arg; return 1;
    case OPT_COLOR:
        if (strcmp(arg, "auto") == 0) s->color = -1;
        else if (strcmp(arg, "always") == 0) s->color = 1;
        else if (strcmp(arg, "never") == 0) s->color = 0;
        else {
            fprintf(stderr, "cargo-profiler %s: --color %s: expected auto, always or never\n", cmd, arg);
            return -1;
        }
        return 1;
    }
    return 0;
}

/* ---- gathering the input files ------------------------------------------ */

void list_add(file_list *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    if (!l->v || !(l->v[l->n++] = strdup(s))) {
        fputs("cargo-profiler: out of memory\n", stderr);
        exit(EXIT_FAIL);
    }
}

void list_free(file_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
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

/* The profiles in a folder: *.json dumps (temporaries start with '.'), and
 * valgrind's callgrind.out.PID / cachegrind.out.PID (a folder --keep kept). */
int add_folder(file_list *l, const char *dir, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot open folder: %s", dir, strerror(errno));
        return -1;
    }
    size_t before = l->n;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        int dump = len >= 6 && strcmp(e->d_name + len - 5, ".json") == 0;
        int vg = strncmp(e->d_name, "callgrind.out.", 14) == 0 || strncmp(e->d_name, "cachegrind.out.", 15) == 0;
        if (e->d_name[0] == '.' || !(dump || vg))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            list_add(l, path);
    }
    closedir(d);
    if (l->n > before)
        qsort(l->v + before, l->n - before, sizeof *l->v, cmp_str);
    if (l->n == before) {
        /* target/cargo-profiler/ itself: its runs are run-YYYYMMDD-HHMMSS-PID
         * folders; the newest is the greatest (see cmp_run_age). */
        file_list runs = {0};
        size_t dl = strlen(dir);
        while (dl > 1 && dir[dl - 1] == '/')
            dl--;
        if ((d = opendir(dir)) != NULL) {
            while ((e = readdir(d)) != NULL)
                if (strncmp(e->d_name, "run-", 4) == 0)
                    list_add(&runs, e->d_name);
            closedir(d);
        }
        if (runs.n)
            qsort(runs.v, runs.n, sizeof *runs.v, cmp_run_age);
        for (size_t i = runs.n; i-- > 0;) {
            char run[4096];
            snprintf(run, sizeof run, "%.*s/%s", (int)dl, dir, runs.v[i]);
            if (add_folder(l, run, err, errlen) == 0) {
                if (i + 1 == runs.n)
                    fprintf(stderr, "cargo-profiler: %s holds runs; showing the newest, %s\n", dir, run);
                else
                    fprintf(stderr, "cargo-profiler: %s holds runs; the newest, %s, has no dump: "
                            "showing the newest that has one, %s\n", dir, runs.v[runs.n - 1], run);
                list_free(&runs);
                return 0;
            }
        }
        list_free(&runs);
        snprintf(err, errlen, "%s: no dump in this folder (empty output folder)", dir);
        return -1;
    }
    return 0;
}

/* ---- merging and showing ------------------------------------------------- */

static void note_compensation(prof_model *m, cprof_dump **dumps, size_t n, int compensate)
{
    if (!compensate) {
        prof_model_note(m, "overhead compensation: off (--no-compensate): raw figures");
        return;
    }
    double pmin = 1e300, pmax = 0, imin = 1e300, imax = 0;
    for (size_t i = 0; i < n; i++) {
        double p = cprof_dump_ns_per_pair(dumps[i]), in = cprof_dump_ns_inside(dumps[i]);
        pmin = p < pmin ? p : pmin;
        pmax = p > pmax ? p : pmax;
        imin = in < imin ? in : imin;
        imax = in > imax ? in : imax;
    }
    if (n == 0)
        return;
    if (pmax - pmin < 0.05 && imax - imin < 0.05)
        prof_model_note(m, "overhead compensation: applied (%.1f ns around + %.1f ns inside "
                        "each measured call)", pmax, imax);
    else
        prof_model_note(m, "overhead compensation: applied (%.1f-%.1f ns around + %.1f-%.1f ns "
                        "inside each measured call, calibrated per process)", pmin, pmax, imin, imax);
}

int show_files(const file_list *files, show_opts *s, const char *command, const char *cmd)
{
    int status = EXIT_OK;
    char err[1024];
    cprof_dump **dumps = calloc(files->n ? files->n : 1, sizeof *dumps);
    if (!dumps) {
        fputs("cargo-profiler: out of memory\n", stderr);
        return EXIT_FAIL;
    }
    size_t nd = 0;
    prof_model *vg = NULL;
    int vg_read = 0;                /* valgrind files that parsed */
    file_list seen = {0};           /* real paths: a file given twice counts once */
    for (size_t i = 0; i < files->n; i++) {
        const char *f = files->v[i];
        char *real = realpath(f, NULL);
        int twice = 0;
        for (size_t j = 0; real && j < seen.n; j++)
            twice |= strcmp(seen.v[j], real) == 0;
        if (real && !twice)
            list_add(&seen, real);
        free(real);
        if (twice) {
            fprintf(stderr, "cargo-profiler %s: %s: given twice, read once\n", cmd, f);
            continue;
        }
        /* its format is judged by its first bytes, then it is read again */
        struct stat st;
        if (stat(f, &st) == 0 && !S_ISREG(st.st_mode)) {
            fprintf(stderr, "cargo-profiler %s: %s: not a regular file (a pipe or device): "
                    "save it to a file first\n", cmd, f);
            status = EXIT_FAIL;
            continue;
        }
        file_format ff = sniff_format(f);
        if (ff == FILE_EMPTY || ff == FILE_OTHER) {
            fprintf(stderr, "cargo-profiler %s: %s: %s (expected a cprof dump, a callgrind or a "
                    "cachegrind file)\n", cmd, f, ff == FILE_EMPTY ? "empty file" : "not a profile");
            status = EXIT_FAIL;
            continue;
        }
        if (ff == FILE_CALLGRIND || ff == FILE_CACHEGRIND) {
            prof_kind k = ff == FILE_CALLGRIND ? PROF_CALLGRIND : PROF_CACHEGRIND;
            if ((vg && vg->kind != k) || nd) {
                fprintf(stderr, "cargo-profiler %s: %s: cannot be shown with the files before it "
                        "(different profile kinds)\n", cmd, f);
                status = EXIT_FAIL;
                continue;
            }
            if (!vg)
                vg = prof_model_new(k, ff == FILE_CALLGRIND ? "callgrind" : "cachegrind");
            int rc = ff == FILE_CALLGRIND ? read_callgrind(vg, f, err, sizeof err)
                                          : read_cachegrind(vg, f, err, sizeof err);
            if (rc) {
                fprintf(stderr, "cargo-profiler %s: %s\n", cmd, err);
                status = EXIT_FAIL;
            } else {
                vg_read++;
            }
            continue;
        }
        if (vg) {
            fprintf(stderr, "cargo-profiler %s: %s: cannot be shown with the valgrind files before it\n",
                    cmd, f);
            status = EXIT_FAIL;
            continue;
        }
        /* anything else goes to the dump reader, whose error names the file and byte */
        cprof_dump *d = cprof_dump_load(f, err, sizeof err);
        if (!d) {
            fprintf(stderr, "cargo-profiler %s: %s\n", cmd, err);
            status = EXIT_FAIL;
            continue;
        }
        dumps[nd++] = d;
    }
    list_free(&seen);
    if (!nd && !vg_read) {   /* nothing parsed: nothing on stdout either */
        prof_model_free(vg);
        free(dumps);
        return EXIT_FAIL;
    }
    if (s->color < 0)
        s->view.color = view_color_auto(stdout);
    else
        s->view.color = s->color;
    s->view.compensated = s->compensate;
    int rc = 0;
    if (vg) {
        if (s->callers && vg->kind != PROF_CALLGRIND) {
            fprintf(stderr, "cargo-profiler %s: --%s: cachegrind records no calls (use a callgrind file)\n",
                    cmd, s->callees ? "callees" : "callers");
            rc = -1;
        } else if (s->callers) {
            rc = view_callers_of(vg, &s->view, s->callers, s->callees, stdout);
        } else {
            if (!s->limit_given)
                s->view.limit = view_valgrind_limit(s->view.format);
            view_warnings_to_stderr(vg, &s->view, cmd);
            rc = view_print(vg, &s->view, stdout);
        }
        prof_model_free(vg);
    } else if (s->callers) {
        fprintf(stderr, "cargo-profiler %s: --%s needs a callgrind file (region dumps have the call "
                "tree: --format tree)\n", cmd, s->callees ? "callees" : "callers");
        rc = -1;
    } else {
        prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
        if (command)
            m->command = strdup(command);
        for (size_t i = 0; i < nd; i++)
            cprof_dump_merge(m, dumps[i], -1, s->compensate);
        note_compensation(m, dumps, nd, s->compensate);
        /* --sort on an event that was asked for but not counted: say why and
         * show the report sorted by the default, rather than nothing. */
        char serr[512];
        if (s->view.sort && view_check_sort(m, s->view.sort, serr, sizeof serr)) {
            size_t len = sort_key_name_len(s->view.sort, NULL);
            for (size_t i = 0; i < m->n_missing; i++)
                if (strlen(m->missing[i].name) == len &&
                    strncasecmp(m->missing[i].name, s->view.sort, len) == 0) {
                    fprintf(stderr, "cargo-profiler %s: --sort %s: %s was not counted (%s); "
                            "sorted by inclusive time instead\n", cmd, s->view.sort,
                            m->missing[i].name, m->missing[i].reason);
                    s->view.sort = NULL;
                    break;
                }
        }
        if (nd > 1)
            prof_model_note(m, "merged %zu dumps (processes)", nd);
        view_warnings_to_stderr(m, &s->view, cmd);
        if (!s->threads) {
            rc = view_print(m, &s->view, stdout);
        } else if (s->view.format == VIEW_JSON) {
            json_t *root = view_json_object(m, &s->view);
            json_t *arr = json_array();
            for (size_t i = 0; root && i < nd; i++)
                for (size_t t = 0; t < cprof_dump_n_threads(dumps[i]); t++) {
                    prof_model *tm = prof_model_new(PROF_REGIONS, "cprof");
                    cprof_dump_merge(tm, dumps[i], (long)t, s->compensate);
                    json_t *o = view_json_object(tm, &s->view);
                    json_object_set_new(o, "pid", json_integer(cprof_dump_pid(dumps[i])));
                    json_object_set_new(o, "tid", json_integer(cprof_dump_tid(dumps[i], t)));
                    json_object_set_new(o, "thread", json_string(cprof_dump_thread_name(dumps[i], t)));
                    json_array_append_new(arr, o);
                    prof_model_free(tm);
                }
            if (root) {
                json_object_set_new(root, "threads", arr);
                rc = json_dumpf(root, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
                fputc('\n', stdout);
                json_decref(root);
            } else {
                json_decref(arr);
                rc = -1;
            }
        } else if (s->view.format == VIEW_CSV) {
            /* one table: pid,tid,thread lead every row */
            s->view.csv_lead_head = "pid,tid,thread";
            for (size_t i = 0; rc == 0 && i < nd; i++)
                for (size_t t = 0; rc == 0 && t < cprof_dump_n_threads(dumps[i]); t++) {
                    prof_model *tm = prof_model_new(PROF_REGIONS, "cprof");
                    cprof_dump_merge(tm, dumps[i], (long)t, s->compensate);
                    /* pid,tid,name: the name is a CSV field too (quoted when needed) */
                    char *lead = NULL;
                    size_t lead_len = 0;
                    FILE *mem = open_memstream(&lead, &lead_len);
                    if (!mem) {
                        fputs("cargo-profiler: out of memory\n", stderr);
                        exit(EXIT_FAIL);
                    }
                    fprintf(mem, "%ld,%ld,", cprof_dump_pid(dumps[i]), cprof_dump_tid(dumps[i], t));
                    csv_field(mem, cprof_dump_thread_name(dumps[i], t));
                    fclose(mem);
                    s->view.csv_lead = lead;
                    rc = view_print(tm, &s->view, stdout);
                    free(lead);
                    s->view.csv_no_header = 1;
                    prof_model_free(tm);
                }
            s->view.csv_lead = s->view.csv_lead_head = NULL;
            s->view.csv_no_header = 0;
        } else {
            int folded = s->view.format == VIEW_FOLDED;
            for (size_t i = 0; rc == 0 && i < nd; i++)
                for (size_t t = 0; rc == 0 && t < cprof_dump_n_threads(dumps[i]); t++) {
                    prof_model *tm = prof_model_new(PROF_REGIONS, "cprof");
                    if (command)
                        tm->command = strdup(command);
                    cprof_dump_merge(tm, dumps[i], (long)t, s->compensate);
                    note_compensation(tm, &dumps[i], 1, s->compensate);
                    char title[300];
                    if (folded)   /* the thread is the root frame of its stacks */
                        snprintf(title, sizeof title, "%s-%ld-%ld", cprof_dump_thread_name(dumps[i], t),
                                 cprof_dump_pid(dumps[i]), cprof_dump_tid(dumps[i], t));
                    else
                        snprintf(title, sizeof title, "pid %ld, thread %ld (%s)", cprof_dump_pid(dumps[i]),
                                 cprof_dump_tid(dumps[i], t), cprof_dump_thread_name(dumps[i], t));
                    s->view.title = title;
                    if ((i || t) && !folded)
                        fputc('\n', stdout);
                    rc = view_print(tm, &s->view, stdout);
                    s->view.title = NULL;
                    prof_model_free(tm);
                }
        }
        prof_model_free(m);
    }
    for (size_t i = 0; i < nd; i++)
        cprof_dump_free(dumps[i]);
    free(dumps);
    fflush(stdout);
    if (rc)
        return EXIT_FAIL;
    return status;
}
