/*
 * readers.c: libFuzzer target for the callgrind and cachegrind readers.
 * Every input goes through both (from memory, via the FILE* entry point);
 * a reader may reject it with an error line but must never crash, leak or
 * hang, and an error must name the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/callpaths.h"
#include "readers/vgparse.h"

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
    return 0;
}
