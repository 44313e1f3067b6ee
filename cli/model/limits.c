/*
 * limits.c: regression gates (`--limit METRIC=LIMIT[@REGION_GLOB]`, see
 * limits.h): parsing one limit, choosing the rows its glob names, and
 * judging a diff's cells against it, with one readable reason per broken
 * (limit, row) pair.
 */
#include "model/limits.h"
#include "model/derive.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sys/xalloc.h"
#include "views/util.h"

#define LIMIT_FORM "expected METRIC=LIMIT[@REGION_GLOB], e.g. time=+5% or Ir=+2%|10000"

/* ---- parsing ------------------------------------------------------------------ */

static int fail(char *err, size_t errlen, const char *s, const char *what)
{
    snprintf(err, errlen, "--limit '%s': %s", s, what);
    return -1;
}

/* A time unit's size in ns, or 0. "" is no unit (1). */
static double unit_ns(const char *u)
{
    static const struct { const char *name; double ns; } units[] = {
        {"", 1}, {"ns", 1}, {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"ms", 1e6}, {"s", 1e9},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(u, units[i].name) == 0)
            return units[i].ns;
    return 0;
}

/* One number of a part, with its unit: time needs one (a bare 5 could mean
 * 5 ns or 5 ms), counts take none. */
static int part_number(const char *part, int is_time, double *v, char *why, size_t whylen)
{
    char *end;
    errno = 0;
    *v = strtod(part, &end);
    if (end == part || errno == ERANGE || !isfinite(*v)) {
        snprintf(why, whylen, "'%s' is not a limit: expected +N%% (relative), +N (a change) "
                 "or N (a maximum)", part);
        return -1;
    }
    if (!is_time && *end) {
        snprintf(why, whylen, "'%s': only time takes a unit; this metric is a plain count", part);
        return -1;
    }
    if (!is_time)
        return 0;
    double ns = unit_ns(end);
    if (!*end || ns == 0) {
        snprintf(why, whylen, "'%s': time needs a unit (ns, us, ms or s), e.g. time=+2ms, "
                 "or a relative limit, time=+5%%", part);
        return -1;
    }
    *v *= ns;
    return 0;
}

/* One alternative ("+5%", "+100", "+2ms", "10000") into l. */
static int parse_part(const char *part, int is_time, diff_limit *l, char *why, size_t whylen)
{
    size_t n = strlen(part);
    if (n == 0) {
        snprintf(why, whylen, "an empty limit (nothing between '=', '|' and '@')");
        return -1;
    }
    int signed_ = part[0] == '+' || part[0] == '-', percent = part[n - 1] == '%';
    int *has = percent ? &l->has_rel : signed_ ? &l->has_delta : &l->has_max;
    if (*has) {
        snprintf(why, whylen, "'%s': a second %s limit (join limits of different kinds with '|')",
                 part, percent ? "relative" : signed_ ? "+N" : "maximum");
        return -1;
    }
    double v;
    if (percent) {
        char *num = xstrdup(part);
        num[n - 1] = 0;
        int rc = part_number(num, 0, &v, why, whylen);
        free(num);
        if (rc)
            return -1;
        l->rel = v / 100;
    } else if (part_number(part, is_time, &v, why, whylen)) {
        return -1;
    } else if (signed_) {
        l->delta = v;
    } else {
        l->max = v;
    }
    *has = 1;
    return 0;
}

/* "A|B|C" into l. */
static int parse_parts(const char *spec, int is_time, diff_limit *l, char *why, size_t whylen)
{
    char *copy = xstrdup(spec), *p = copy;
    int rc = 0;
    for (;;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = 0;
        if ((rc = parse_part(p, is_time, l, why, whylen)) != 0 || !bar)
            break;
        p = bar + 1;
    }
    free(copy);
    return rc;
}

int diff_limit_parse(const char *s, diff_limit *l, char *err, size_t errlen)
{
    memset(l, 0, sizeof *l);
    /* event names hold colons, never '=' or '@': the glob is after the last
     * '@', the limit after the last '=' before it */
    const char *at = strrchr(s, '@');
    size_t spec_len = at ? (size_t)(at - s) : strlen(s);
    char *spec = xcalloc(spec_len + 1, 1);
    memcpy(spec, s, spec_len);
    char *eq = strrchr(spec, '=');
    const char *problem = NULL;
    if (!eq)
        problem = LIMIT_FORM;
    else if (eq == spec)
        problem = "no metric before '='; " LIMIT_FORM;
    else if (!eq[1])
        problem = "no limit after '='; " LIMIT_FORM;
    else if (at && !at[1])
        problem = "no region glob after '@'; " LIMIT_FORM;
    if (problem) {
        free(spec);
        return fail(err, errlen, s, problem);
    }
    *eq = 0;
    l->metric = xstrdup(spec);
    char why[256];
    if (parse_parts(eq + 1, strcasecmp(l->metric, "time") == 0, l, why, sizeof why)) {
        free(spec);
        diff_limit_free(l);
        return fail(err, errlen, s, why);
    }
    free(spec);
    l->text = xstrdup(s);
    l->glob = at ? xstrdup(at + 1) : NULL;
    return 0;
}

void diff_limit_free(diff_limit *l)
{
    free(l->text);
    free(l->metric);
    free(l->glob);
    memset(l, 0, sizeof *l);
}

/* ---- selection ------------------------------------------------------------------ */

/* Does the glob match `name` or one of its ::-suffixes (the parts of
 * prof_name_parts, as the labels have them)? */
static int glob_names(const char *glob, const char *name)
{
    size_t at[64], n = prof_name_parts(name, at, 64);
    for (size_t i = 0; i < n; i++)
        if (fnmatch(glob, name + at[i], 0) == 0)
            return 1;
    /* past 64 parts, the shortest endings (the ones globs name) were not split */
    const char *last = n == 64 ? strrchr(name, ':') : NULL;
    return last && fnmatch(glob, last + 1, 0) == 0;
}

int diff_limit_selects(const diff_limit *l, const char *name)
{
    return !l->glob || glob_names(l->glob, name);
}

/* ---- judging ---------------------------------------------------------------------- */

/* "+30.8%", "+66.0 us", "-1.20K": a signed change in the metric's unit. */
static const char *fmt_signed(char *buf, size_t len, double v, int is_time)
{
    char mag[32];
    fmt_value(mag, sizeof mag, fabs(v), is_time);
    snprintf(buf, len, "%s%s", v < 0 ? "-" : "+", mag);
    return buf;
}

/* The relative change of the means; +-inf from 0. */
static double rel_change(const diff_cell *c)
{
    if (c->a == 0)
        return c->b > 0 ? INFINITY : c->b < 0 ? -INFINITY : 0;
    return (c->b - c->a) / fabs(c->a);
}

static const char *fmt_rel(char *buf, size_t len, double r)
{
    if (isinf(r))
        snprintf(buf, len, "%s", r > 0 ? "from 0" : "below 0");
    else
        snprintf(buf, len, "%+.1f%%", r * 100);
    return buf;
}

/* Which parts of l the cell breaks. A noisy metric's change is the least
 * the interval allows (lo), so a change the runs cannot tell from noise
 * never breaks a limit; an exact metric's is the change of the means. */
typedef struct breach {
    int rel, delta, max;
} breach;

static breach judge(const diff_limit *l, const diff_metric *m, const diff_cell *c)
{
    breach br = {0, 0, 0};
    /* untrusted: the figures, B's mean too, are mostly the profiler's own;
     * diff_limits_check says how many rows each limit left out */
    if (c->verdict == DIFF_GONE || c->verdict == DIFF_UNTRUSTED)
        return br;
    /* a maximum is a budget on b alone: no baseline, no verdict to wait for */
    br.max = l->has_max && c->b > l->max;
    if (c->verdict == DIFF_NEW)
        return br;
    if (!m->exact && (c->verdict != DIFF_REGRESSED || !c->has_ci))
        return br;
    double rel = m->exact ? rel_change(c) : c->lo;
    double delta = m->exact ? c->b - c->a : c->lo * fabs(c->a);
    br.rel = l->has_rel && rel > l->rel;
    br.delta = l->has_delta && delta > l->delta;
    return br;
}

/* printf onto the end of buf (len bytes, *n used), cut where it is full. */
__attribute__((format(printf, 4, 5)))
static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
    if (*n + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *n, len - *n, fmt, ap);
    va_end(ap);
    if (k > 0)
        *n = *n + (size_t)k < len ? *n + (size_t)k : len - 1;
}

/* "time 214 us -> 280 us (+30.8%, regressed" */
static void describe_change(char *buf, size_t len, size_t *n, const diff_metric *m, const diff_cell *c)
{
    char va[32], vb[32], rel[32];
    fmt_value(va, sizeof va, c->a, m->is_time);
    fmt_value(vb, sizeof vb, c->b, m->is_time);
    if (c->verdict == DIFF_NEW) {
        append(buf, len, n, "%s %s (new", m->name, vb);
        return;
    }
    append(buf, len, n, "%s %s -> %s (%s, %s", m->name, va, vb, fmt_rel(rel, sizeof rel, rel_change(c)),
           diff_verdict_name(c->verdict));
    if (!m->exact && c->has_ci)
        append(buf, len, n, ", at least %s", fmt_rel(rel, sizeof rel, c->lo));
}

int diff_limit_broken(const diff_limit *l, const diff_metric *m, const diff_cell *c,
                      char *why, size_t whylen)
{
    breach br = judge(l, m, c);
    if (!br.rel && !br.delta && !br.max)
        return 0;
    char lim[48];
    size_t n = 0;
    if (whylen == 0)
        return 1;
    why[0] = 0;
    describe_change(why, whylen, &n, m, c);
    const char *sep = ") is";
    if (br.rel) {
        append(why, whylen, &n, "%s beyond %+g%%", sep, l->rel * 100);
        sep = " and";
    }
    if (br.delta) {
        append(why, whylen, &n, "%s beyond %s", sep, fmt_signed(lim, sizeof lim, l->delta, m->is_time));
        sep = " and";
    }
    if (br.max)
        append(why, whylen, &n, "%s above the maximum %s", sep, fmt_value(lim, sizeof lim, l->max, m->is_time));
    return 1;
}

/* ---- a whole diff --------------------------------------------------------------------- */

static void unknown_metric(const prof_diff *d, const diff_limit *l, char *err, size_t errlen)
{
    int n = snprintf(err, errlen, "--limit '%s': no metric '%s' in this diff (it has", l->text, l->metric);
    for (size_t i = 0; i < d->n_metrics && n >= 0 && (size_t)n < errlen; i++)
        n += snprintf(err + n, errlen - n, "%s%s", i ? ", " : ": ", d->metrics[i].name);
    if (n >= 0 && (size_t)n < errlen)
        snprintf(err + n, errlen - n, ")");
}

static void add_broken(prof_diff *d, const diff_limit *l, size_t row, size_t mi, const char *why)
{
    d->broken = xgrow(d->broken, d->n_broken, &d->cap_broken, sizeof *d->broken);
    diff_broken *b = &d->broken[d->n_broken++];
    b->limit = l->text;
    b->row = row;
    b->metric = mi;
    b->why = xstrdup(why);
}

/* One limit against every row it selects; a glob that selects nothing is
 * said, since a gate that checks nothing (a typo, a renamed region) would
 * otherwise pass quietly forever. */
static void check_one(prof_diff *d, const diff_limit *l, size_t mi)
{
    char why[512];
    for (size_t r = 0; r < d->n_rows; r++)
        if (diff_limit_selects(l, d->rows[r].name) &&
            diff_limit_broken(l, &d->metrics[mi], &d->rows[r].incl[mi], why, sizeof why))
            add_broken(d, l, r, mi, why);
}

/* A glob that selects no row on either side is a typo (or a function
 * inlined away): a gate that can never break must not pass quietly. */
static int selects_none(const prof_diff *d, const diff_limit *l, char *err, size_t errlen)
{
    for (size_t r = 0; r < d->n_rows; r++)
        if (diff_limit_selects(l, d->rows[r].name))
            return 0;
    int n = snprintf(err, errlen, "--limit '%s': no row matches '%s' (a glob matches a full name or "
                     "a ::-ending of it", l->text, l->glob ? l->glob : "*");
    for (size_t r = 0; r < d->n_rows && r < 3 && n > 0 && (size_t)n < errlen; r++)
        n += snprintf(err + n, errlen - (size_t)n, "%s%s", r ? ", " : "; rows here: ", d->rows[r].name);
    if (n > 0 && (size_t)n < errlen)
        snprintf(err + n, errlen - (size_t)n, "%s)", d->n_rows > 3 ? ", ..." : "");
    return 1;
}

size_t diff_limit_untrusted(const prof_diff *d, const diff_limit *l)
{
    int mi = diff_find_metric(d, l->metric);
    size_t n = 0;
    for (size_t r = 0; mi >= 0 && r < d->n_rows; r++)
        n += diff_limit_selects(l, d->rows[r].name) && d->rows[r].incl[mi].verdict == DIFF_UNTRUSTED;
    return n;
}

const char *diff_limit_untrusted_line(char *buf, size_t len, const prof_diff *d, const diff_limit *l)
{
    size_t n = diff_limit_untrusted(d, l);
    if (!n)
        return NULL;
    /* only regions carry trust marks (model/trust.h) */
    snprintf(buf, len, "limit %s: %zu region%s left out (untrusted: %s time is mostly the profiler's "
             "own, marked !)", l->text, n, n == 1 ? "" : "s", n == 1 ? "its" : "their");
    return buf;
}

int diff_limits_check(prof_diff *d, const diff_limit *limits, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++)   /* every metric first: a typo fails before anything is judged */
        if (diff_find_metric(d, limits[i].metric) < 0) {
            unknown_metric(d, &limits[i], err, errlen);
            return -1;
        }
    for (size_t i = 0; i < n; i++)
        if (selects_none(d, &limits[i], err, errlen))
            return -1;
    char line[512];
    for (size_t i = 0; i < n; i++) {
        check_one(d, &limits[i], (size_t)diff_find_metric(d, limits[i].metric));
        if (diff_limit_untrusted_line(line, sizeof line, d, &limits[i]))
            diff_note(d, "%s", line);
    }
    return 0;
}
