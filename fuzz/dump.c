/*
 * dump.c: libFuzzer target for the cprof dump reader and every view.
 * Any input may be refused with one error line naming it, but nothing may
 * crash, leak or hang; an accepted dump is merged (all threads, then one
 * thread) and printed in every format.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readers/cprof_dump.h"
#include "model/derive.h"
#include "views/views.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void print_all(const prof_model *m)
{
    FILE *out = fopen("/dev/null", "w");
    if (!out)
        abort();
    static const char *const sorts[] = { NULL, "calls", "mean", "excl", "time:incl" };
    for (int f = VIEW_TABLE; f <= VIEW_FOLDED; f++)
        for (size_t s = 0; s < sizeof sorts / sizeof sorts[0]; s++) {
            view_opts o;
            view_opts_init(&o);
            o.format = (view_format)f;
            o.sort = sorts[s];
            o.limit = s;
            o.color = (int)(s & 1);
            view_print(m, &o, out);
        }
    fclose(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512] = "";
    cprof_dump *d = cprof_dump_load_mem("input", (const char *)data, size, err, sizeof err);
    if (!d) {
        if (strncmp(err, "input: ", 7) != 0 || strchr(err, '\n'))
            abort();   /* every error is one line naming the input */
        return 0;
    }
    for (int comp = 0; comp < 2; comp++) {
        prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
        cprof_dump_merge(m, d, -1, comp);
        cprof_dump_merge(m, d, -1, comp);   /* merging twice: every path exists already */
        prof_derive_regions(m);
        prof_derive_labels(m);
        print_all(m);
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
