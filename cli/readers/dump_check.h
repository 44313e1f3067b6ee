/*
 * dump_check.h: checks a read dump (dump_doc.h) against docs/dump-format.md
 * before anything of it is merged: the first fault is one line naming the
 * file and the field; a value out of range costs itself (read as 0, one
 * warning for the file).
 */
#ifndef CPROF_CLI_DUMP_CHECK_H
#define CPROF_CLI_DUMP_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "readers/dump_doc.h"

typedef struct dump_checked {
    uint8_t *active;             /* per doc->names id: an active event */
    double ns_per_pair, ns_inside, ns_untimed;
    double ns_untimed_scope;     /* ns_untimed where the dump has none (written before scopes were apart) */
    size_t bad_values;           /* values out of range, read as 0 */
    char first_bad[480];         /* ... the first of them */
    char ignored[32];            /* "host", "cpu", "rank" of another type, left out */
    int v2;                      /* format cprof-2: dump_v2_derive makes it cprof-1's */
} dump_checked;

/* 0, or -1 with "path: where: expected what" in err. out->active is
 * malloc'd either way (free it). */
int dump_check(const dump_doc *doc, const char *path, dump_checked *out, char *err, size_t errlen);

#endif
