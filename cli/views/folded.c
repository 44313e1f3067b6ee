/* folded.c: the folded view (placeholder until the real one lands). */
#include "views.h"

int view_folded(const prof_model *m, const view_opts *o, FILE *out)
{
    (void)m; (void)o;
    fputs("(folded view not written yet)\n", out);
    return 0;
}
