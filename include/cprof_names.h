/*
 * cprof_names.h: the names the runtime and cargo-profiler must agree on,
 * in one place (cprof.h includes it; the CLI's dump reader includes it alone,
 * since its own type is called cprof_dump).
 */
#ifndef CPROF_NAMES_H
#define CPROF_NAMES_H

/* The "format" field of the dump file the runtime writes (the compact
 * one), and of the first format, which it writes when asked
 * (CPROF_DUMP_FORMAT=1) and cargo-profiler still reads. */
#define CPROF_DUMP_FORMAT "cprof-2"
#define CPROF_DUMP_FORMAT_V1 "cprof-1"
/* What CPROF_EVENTS means when it is not set. */
#define CPROF_DEFAULT_EVENTS "PAPI_TOT_INS,PAPI_TOT_CYC"

#endif
