/* cachegrind.c: streaming reader of cachegrind output files (stub for now). */
#include <stdio.h>
#include "../readers.h"

int read_cachegrind(prof_model *m, const char *path, char *err, size_t errlen)
{
    (void)m;
    snprintf(err, errlen, "%s: cachegrind reader not implemented yet", path);
    return -1;
}
