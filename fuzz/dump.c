/*
 * dump.c: libFuzzer target for the cprof dump reader, the report reader
 * (our --format json read back), the diff and every view. Any input may be
 * refused with one error line naming it, but nothing may crash, leak or
 * hang; an accepted dump is merged (all threads, then one thread), printed
 * in every format and diffed against itself merged twice.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readers/cprof_dump.h"
#include "readers/readers.h"
#include "model/derive.h"
#include "model/diff.h"
#include "views/diff_views.h"
#include "views/views.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void print_all(const prof_model *m)
{
    FILE *out = fopen("/dev/null", "w");
    if (!out)
        abort();
    static const char *const sorts[] = { NULL, "calls", "mean", "excl", "time:incl" };
    static const view_format formats[] = { VIEW_TABLE, VIEW_TREE, VIEW_JSON, VIEW_CSV, VIEW_FOLDED,
                                           VIEW_MARKDOWN, VIEW_SVG, VIEW_HTML };
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++)
        for (size_t s = 0; s < sizeof sorts / sizeof sorts[0]; s++) {
            view_opts o;
            view_opts_init(&o);
            o.format = formats[f];
            o.sort = sorts[s];
            o.limit = s;
            o.color = (int)(s & 1);
            view_print(m, &o, out);
        }
    fclose(out);
}

/* m against m2 (m merged twice), in every diff format. */
static void diff_all(prof_model *m, prof_model *m2)
{
    FILE *out = fopen("/dev/null", "w");
    if (!out)
        abort();
    prof_model *ra[] = {m}, *rb[] = {m2, m};
    diff_side a = {ra, 1, "a"}, b = {rb, 2, "b"};
    prof_diff *d = prof_diff_new(&a, &b, 0.95, 0.01);
    static const view_format formats[] = { VIEW_TABLE, VIEW_TREE, VIEW_JSON, VIEW_CSV, VIEW_FOLDED,
                                           VIEW_MARKDOWN, VIEW_SVG, VIEW_HTML };
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++)
        for (size_t k = 0; k < d->n_metrics; k++) {
            diff_view_opts o = {.format = formats[f], .limit = k, .metric = k, .color = (int)(k & 1)};
            diff_view_print(d, &o, out);
        }
    prof_diff_free(d);
    fclose(out);
}

/* An input the dump reader refused may be a report: read it back, show it. */
static void as_report(const uint8_t *data, size_t size)
{
    char err[512] = "";
    report_json *r = report_json_load_mem("input", (const char *)data, size, err, sizeof err);
    if (!r) {
        if (strncmp(err, "input: ", 7) != 0 || strchr(err, '\n'))
            abort();
        return;
    }
    prof_model *m = prof_model_new(report_json_kind(r), "report");
    report_json_merge(m, r);
    if (m->kind == PROF_REGIONS) {   /* as present() does: figures come back through the tree */
        prof_derive_regions(m);
        prof_derive_labels(m);
    }
    print_all(m);
    prof_model_free(m);
    report_json_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512] = "";
    cprof_dump *d = cprof_dump_load_mem("input", (const char *)data, size, err, sizeof err);
    if (!d) {
        if (strncmp(err, "input: ", 7) != 0 || strchr(err, '\n'))
            abort();   /* every error is one line naming the input */
        as_report(data, size);
        return 0;
    }
    for (int comp = 0; comp < 2; comp++) {
        prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
        cprof_dump_merge(m, d, -1, comp);
        cprof_dump_merge(m, d, -1, comp);   /* merging twice: every path exists already */
        prof_derive_regions(m);
        prof_derive_labels(m);
        print_all(m);
        prof_model *m2 = prof_model_new(PROF_REGIONS, "cprof");
        cprof_dump_merge(m2, d, -1, comp);
        prof_derive_regions(m2);
        diff_all(m, m2);
        prof_model_free(m2);
        prof_model_free(m);
    }
    if (cprof_dump_n_threads(d) > 0) {
        prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
        cprof_dump_merge(m, d, 0, 1);
        prof_derive_regions(m);
        prof_derive_labels(m);
        print_all(m);
        prof_model_free(m);
    }
    cprof_dump_free(d);
    return 0;
}
