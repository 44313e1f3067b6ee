/* callgrind.c: streaming reader of callgrind output files (stub for now). */
#include <stdio.h>
#include "../readers.h"

int read_callgrind(prof_model *m, const char *path, char *err, size_t errlen)
{
    (void)m;
    snprintf(err, errlen, "%s: callgrind reader not implemented yet", path);
    return -1;
}
