/* csv.c: the csv view (placeholder until the real one lands). */
#include "views.h"

int view_csv(const prof_model *m, const view_opts *o, FILE *out)
{
    (void)m; (void)o;
    fputs("(csv view not written yet)\n", out);
    return 0;
}
