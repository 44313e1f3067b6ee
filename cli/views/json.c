/* json.c: the json view (placeholder until the real one lands). */
#include "views.h"

int view_json(const prof_model *m, const view_opts *o, FILE *out)
{
    (void)m; (void)o;
    fputs("(json view not written yet)\n", out);
    return 0;
}
