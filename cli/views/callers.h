/*
 * callers.h: the call-graph view of callgrind profiles: who calls a
 * function and what it calls, with call counts and the inclusive cost along
 * each edge (from the calls= lines).
 */
#ifndef CPROF_CLI_VIEWS_CALLERS_H
#define CPROF_CLI_VIEWS_CALLERS_H

#include <stdio.h>
#include "views/views.h"

/* How many functions FN names: its full name, else the names that end with
 * "::" FN (Parser::parse for json::parser::Parser::parse). */
size_t view_callers_matches(const prof_model *m, const char *fn);
/*
 * Callers (callees = 0) or callees (callees = 1) of every function FN names
 * (view_callers_matches). o->format: table, json or csv; o->metric picks
 * the event (default: all events in json, the first in table/csv). 0; -1
 * with a message on stderr when no function matches or the profile has no
 * call edges.
 */
int view_callers_of(const prof_model *m, const view_opts *o, const char *fn, int callees, FILE *out);

#endif
