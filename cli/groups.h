/*
 * groups.h: --by rank / --by host: the processes of a profile grouped by
 * the rank of a parallel job or by host, one model per group, merged while
 * the dumps are read (a dump is merged into the whole profile and into its
 * group's model, then freed: nothing of it is kept). present.c shows them
 * as blocks, as it shows threads for --threads.
 */
#ifndef CPROF_CLI_GROUPS_H
#define CPROF_CLI_GROUPS_H

#include <stddef.h>
#include "model/model.h"
#include "readers/cprof_dump.h"

typedef struct group {
    long rank;           /* --by rank: the dumps' rank, -1 for none */
    char *host;          /* --by host: their host, NULL when unknown */
    size_t procs;        /* processes (dumps) in it */
    long pid;            /* the first one's */
    prof_model *m;       /* their figures; host lists the hosts they ran on */
} group;

typedef struct groups {
    int by;              /* OUT_BY_RANK or OUT_BY_HOST (options.h) */
    group *v;
    size_t n, cap;
} groups;

/* Dump d, merged into `all` already, merged into its group too. */
void groups_add(groups *g, const prof_model *all, const cprof_dump *d, int compensate);
/* After the last dump: each group with all's metrics in all's order and
 * its labels (every block has the same columns and names), derived, and
 * the groups in order (rank, then those without; host by name, unknown
 * last). */
void groups_finish(groups *g, const prof_model *all);
void groups_free(groups *g);

#endif
