/* json.h: the dump's JSON string writer. */
#ifndef CPROF_JSON_H
#define CPROF_JSON_H
#include <stdio.h>
void cprof_json_str(FILE *f, const char *s);
#endif
