/* table.c: the table view (placeholder until the real one lands). */
#include "views.h"

int view_table(const prof_model *m, const view_opts *o, FILE *out)
{
    (void)m; (void)o;
    fputs("(table view not written yet)\n", out);
    return 0;
}

int view_check_sort(const prof_model *m, const char *sort, char *err, size_t errlen)
{
    (void)m; (void)sort; (void)err; (void)errlen;
    return 0;
}
