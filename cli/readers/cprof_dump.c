/* cprof_dump.c: reader of libcprof dumps (placeholder). */
#include <stdio.h>
#include "../readers.h"

int read_cprof_dump(prof_model *m, const char *path, char *err, size_t errlen)
{ (void)m; snprintf(err, errlen, "%s: not yet", path); return -1; }
