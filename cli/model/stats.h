/*
 * stats.h: the statistics behind a time verdict, criterion's method: the
 * bootstrap. Each side's samples (one per run) are resampled with
 * replacement; the relative change of the means, (mean(b) - mean(a)) /
 * mean(a), is computed for every resample; the confidence interval is the
 * central part of those changes. Deterministic (a fixed seed), so the same
 * samples always give the same verdict.
 */
#ifndef CPROF_CLI_STATS_H
#define CPROF_CLI_STATS_H

#include <stddef.h>

#define STATS_RESAMPLES 10000

/* The mean of x[0..n) (0 when n is 0). */
double stats_mean(const double *x, size_t n);

/* The change of b's mean against a's: *rel the point estimate, [*lo, *hi]
 * the `confidence` (e.g. 0.95) interval from `resamples` resamples.
 * 0, or -1 when a side has fewer than 2 samples or a's mean is 0. */
int stats_change(const double *a, size_t na, const double *b, size_t nb,
                 double confidence, size_t resamples, double *rel, double *lo, double *hi);

/* The same with the resamples' draws made once (stats_plan_new: they
 * depend on the sizes alone), for many changes of na against nb samples:
 * the same answers as stats_change. */
typedef struct stats_plan stats_plan;
stats_plan *stats_plan_new(size_t na, size_t nb, size_t resamples);
void stats_plan_free(stats_plan *p);
int stats_change_planned(const stats_plan *p, const double *a, const double *b, double confidence,
                         double *rel, double *lo, double *hi);

/* +1 regressed (lo > noise), -1 improved (hi < -noise), 0 within noise. */
int stats_verdict(double lo, double hi, double noise);

/* One side alone (--repeat without a baseline): the mean, and the half
 * width of the `confidence` bootstrap interval of the mean. 0, or -1 with
 * fewer than 2 samples. */
int stats_mean_ci(const double *x, size_t n, double confidence, size_t resamples,
                  double *mean, double *half);

#endif
