/*
 * limits.h: regression gates, `--limit METRIC=LIMIT[@REGION_GLOB]`.
 *
 *   time=+5%                 relative: (b - a) / a may not exceed +5%
 *   'time=+10%@*Parser::parse'  only rows the glob matches
 *   Ir=+2%|10000             soft relative or hard absolute (iai-callgrind):
 *                            broken when beyond +2%, or when b exceeds 10000
 *   calls=+100               delta: b - a may not exceed 100
 *   time=+2ms                delta with a unit (ns, us, ms, s) for time
 *   sde:::LIB::C=+50%        event names hold colons, never '=' or '@'
 *
 * The metric is the last '=' split's left side; the glob is after the last
 * '@'. A glob matches a row's full name or any ::-suffix of it (as
 * CPROF_REGIONS does). A noisy metric (time) can only be broken by a row
 * whose verdict is "regressed", so noise never fails CI; an "untrusted"
 * row (its time mostly the profiler's own) breaks no limit on time, not
 * even a maximum, and a note says how many each limit left out.
 */
#ifndef CPROF_CLI_LIMITS_H
#define CPROF_CLI_LIMITS_H

#include <stddef.h>

#include "model/diff.h"

typedef struct diff_limit {
    char *text;          /* as given, for messages */
    char *metric;        /* as typed (matched with diff_find_metric) */
    char *glob;          /* NULL: every row */
    int has_rel, has_delta, has_max;
    double rel;          /* 0.05 for +5% (may be negative: must improve) */
    double delta;        /* b - a, in the metric's unit (ns for time) */
    double max;          /* b, in the metric's unit */
} diff_limit;

/* Parse s into *l. 0, or -1 with one line in err ("--limit 'x': expected
 * METRIC=LIMIT[@REGION_GLOB], e.g. time=+5%"). */
int diff_limit_parse(const char *s, diff_limit *l, char *err, size_t errlen);
void diff_limit_free(diff_limit *l);

/* Does the glob of l select the row named `name`? (No glob: every row.) */
int diff_limit_selects(const diff_limit *l, const char *name);

/* Does cell c of metric m break l? 1 with a reason in why ("+30.8% is
 * beyond +5%"), else 0. Rows only in b are judged by a hard maximum only. */
int diff_limit_broken(const diff_limit *l, const diff_metric *m, const diff_cell *c,
                      char *why, size_t whylen);

/* How many rows l selects whose cell of l's metric is "untrusted" (a
 * region mostly the profiler's own): left out of the limit, never broken. */
size_t diff_limit_untrusted(const prof_diff *d, const diff_limit *l);
/* "limit time=+5%: 2 regions left out (untrusted: ...)" into buf, or NULL
 * when l leaves none out. */
const char *diff_limit_untrusted_line(char *buf, size_t len, const prof_diff *d, const diff_limit *l);

/* Check every limit against d (metric names resolved with
 * diff_find_metric), filling d->broken. 0, or -1 with one line in err when
 * a limit names a metric the diff does not have, or its glob selects no
 * row (a typo must not make a gate that never breaks). Each limit that
 * left rows out (diff_limit_untrusted) adds its line to d's notes. */
int diff_limits_check(prof_diff *d, const diff_limit *limits, size_t n, char *err, size_t errlen);

#endif
