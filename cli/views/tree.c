/* tree.c: the tree view (placeholder until the real one lands). */
#include "views.h"

int view_tree(const prof_model *m, const view_opts *o, FILE *out)
{
    (void)m; (void)o;
    fputs("(tree view not written yet)\n", out);
    return 0;
}
