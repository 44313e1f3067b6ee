/* callers_weak.c: link fallback until views/callers.c (helper C) exists. */
#include "views.h"

__attribute__((weak)) int view_callers(const prof_model *m, const view_opts *o, FILE *out)
{
    (void)m; (void)o;
    fputs("cargo-profiler: the callers view is not available\n", out);
    return -1;
}
