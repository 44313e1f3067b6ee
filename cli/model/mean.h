/*
 * mean.h: N runs of one program (--repeat N) as one profile: their mean,
 * with each entry's interval of the mean.
 */
#ifndef CPROF_CLI_MEAN_H
#define CPROF_CLI_MEAN_H

#include "model/model.h"

/* sum holds every run's files merged (and derived); runs[i] each run
 * alone. sum becomes the mean (figures divided by n, rounded; min/max stay
 * the extremes of all runs), n_runs = n, and each entry's half[] the half
 * width of the `confidence` interval of its mean. Nothing when n < 2. */
void prof_mean_of_runs(prof_model *sum, prof_model *const *runs, size_t n, double confidence);

#endif
