/*
 * readers.c: libFuzzer target for the callgrind, cachegrind and DHAT
 * readers. Every input goes through all three (from memory, via the FILE*
 * entry point and read_dhat_mem), the DHAT model's call paths through the
 * folded and tree views;
 * a reader may reject it with an error line but must never crash, leak or
 * hang, and an error must name the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/callpaths.h"
#include "readers/readers.h"
#include "readers/vgparse.h"
#include "views/views.h"

/* The DHAT reader, then the views that walk its stacks (into /dev/null). */
static void fuzz_dhat(const uint8_t *data, size_t size)
{
    prof_model *m = prof_model_new(PROF_DHAT, "dhat");
    char err[512];
    err[0] = '\0';
    if (read_dhat_mem(m, "input", (const char *)data, size, err, sizeof err) < 0) {
        if (strncmp(err, "input", 5) != 0 || strchr(err, '\n'))
            abort();   /* every error names the file, on one line */
    } else {
        FILE *null = fopen("/dev/null", "w");
        view_opts o;
        view_opts_init(&o);
        for (int f = VIEW_TABLE; null && f <= VIEW_FOLDED; f++) {
            o.format = (view_format)f;
            view_print(m, &o, null);
        }
        if (null)
            fclose(null);
    }
    prof_model_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    for (int tool = 0; tool < 2; tool++) {
        FILE *f = fmemopen((void *)data, size, "r");
        if (!f)
            return 0;
        prof_model *m = prof_model_new(tool ? PROF_CACHEGRIND : PROF_CALLGRIND, tool ? "cachegrind" : "callgrind");
        char err[512];
        err[0] = '\0';
        if (vg_read_stream(m, f, "input", tool ? VG_CACHEGRIND : VG_CALLGRIND, err, sizeof err) < 0 &&
            strncmp(err, "input", 5) != 0)
            abort();   /* every error names the file */
        if (!tool)
            vg_call_paths(m);
        prof_model_free(m);
        fclose(f);
    }
    fuzz_dhat(data, size);
    return 0;
}
