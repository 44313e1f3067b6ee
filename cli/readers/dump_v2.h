/*
 * dump_v2.h: a checked cprof-2 dump made what cprof-1 would have said
 * (docs/dump-format.md): the nodes get their names, exclusive figures and
 * children's calls, each thread its region records, so the merge reads
 * both formats alike.
 */
#ifndef CPROF_CLI_DUMP_V2_H
#define CPROF_CLI_DUMP_V2_H

#include "readers/dump_doc.h"

/* doc passed dump_check as cprof-2. */
void dump_v2_derive(dump_doc *doc);

#endif
