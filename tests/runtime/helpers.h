/*
 * helpers.h: what the runtime tests share: a fresh output folder per test,
 * an exact per-thread PAPI software-defined counter (sde:::CPT::T, read
 * through a callback from a thread-local variable, so each thread sees only
 * its own increments), and the dump loaded with jansson.
 */
#ifndef CPROF_TEST_HELPERS_H
#define CPROF_TEST_HELPERS_H

#include <jansson.h>

#include "cprof.h"

#define SDE_T "sde:::CPT::T"
#define SDE_P "sde:::CPT::P"   /* process-wide counter */

extern __thread long long t_count;   /* increments land in the region open now */
extern long long p_count;

/* Sets CPROF_OUTPUT to a new folder (returned) and CPROF_EVENTS to `events`. */
const char *setup(const char *events);
/* Registers the CPT library's counters T and P with PAPI. */
void register_sde(void);
/* cprof_dump(), then the dump parsed; fails the test on any error. */
json_t *dump_and_load(void);
/* The name of process pid's dump in dir: dir/cprof-HOST-PID.json (k > 0:
 * the k-th name taken when that one was not ours, cprof-HOST-PID.K.json),
 * HOST as docs/dump-format.md says file names hold it. */
void dump_file(char *buf, size_t cap, const char *dir, long pid, int k);
/* Loads one dump file; fails the test on any error. */
json_t *load_file(const char *path);
/* The thread with this tid (0: the only/first thread), the region, the node. */
json_t *thread_by_tid(json_t *dump, long tid);
json_t *region(json_t *thread, const char *name);
/* The child of node `parent` (0: root) for region `name`. */
json_t *node(json_t *thread, long parent, const char *name);
long long num(json_t *obj, const char *key);
/* obj.counters[ev][which], which = "incl" or "excl". */
long long ctr(json_t *obj, const char *ev, const char *which);
/* Captures fd 2 into a file until stderr_end(); returns what was written. */
void stderr_begin(void);
char *stderr_end(void);
/* 1 when CPROF_TEST_NO_PERF_EVENT=1 disabled PAPI's perf_event component. */
int perf_event_forced_off(void);
/* Checks incl >= excl, min <= max and parents enclosing children, every node. */
void check_time_relations(json_t *thread);

#endif
