/* test_stats.c: the decision behind a time verdict (model/stats.h), on
 * samples recorded once (data/spin_samples.h, made by data/record.sh), so
 * the machine's speed never decides pass or fail. */
#include <criterion/criterion.h>
#include <math.h>

#include "model/stats.h"
#include "data/spin_samples.h"

#define TRIES 20
#define RUNS 5

static int verdict(const double *a, const double *b)
{
    double rel, lo, hi;
    cr_assert_eq(stats_change(a, RUNS, b, RUNS, 0.95, STATS_RESAMPLES, &rel, &lo, &hi), 0);
    cr_assert(lo <= hi);
    return stats_verdict(lo, hi, 0.01);
}

Test(stats, recorded_same_binary_is_within_noise)
{
    cr_assert_geq(SPIN_N, 2 * RUNS * TRIES);
    int within = 0;
    for (int t = 0; t < TRIES; t++) {   /* disjoint: runs 10t..10t+4 against 10t+5..10t+9 */
        const double *a = spin_base + 2 * RUNS * t;
        within += verdict(a, a + RUNS) == 0;
    }
    cr_assert_geq(within, TRIES - 1, "the same binary within noise in %d of %d tries", within, TRIES);
    within = 0;
    for (int t = 0; t < TRIES; t++) {   /* and the changed binary against itself */
        const double *a = spin_changed + 2 * RUNS * t;
        within += verdict(a, a + RUNS) == 0;
    }
    cr_assert_geq(within, TRIES - 1, "the changed binary within noise in %d of %d tries", within, TRIES);
}

Test(stats, recorded_half_again_slower_is_regressed)
{
    for (int t = 0; t < TRIES; t++) {
        /* runs of the same hour, and a baseline recorded long before */
        const double *a = spin_base + RUNS * t;
        cr_assert_eq(verdict(a, spin_changed + RUNS * t), 1, "try %d", t);
        cr_assert_eq(verdict(a, spin_changed + SPIN_N / 2 + RUNS * t), 1, "try %d (later)", t);
        cr_assert_eq(verdict(spin_changed + RUNS * t, a), -1, "try %d (back: improved)", t);
    }
}

Test(stats, exact_small_cases)
{
    double same[] = {100, 100, 100}, rel = 9, lo = 9, hi = 9;
    cr_assert_eq(stats_change(same, 3, same, 3, 0.95, 1000, &rel, &lo, &hi), 0);
    cr_assert(rel == 0 && lo == 0 && hi == 0, "identical samples: [%g, %g]", lo, hi);
    cr_assert_eq(stats_verdict(lo, hi, 0.01), 0);
    cr_assert_eq(stats_verdict(lo, hi, 0), 0, "an interval [0, 0] is no change even with no noise");

    double one[] = {100}, zero[] = {0, 0};
    cr_assert_eq(stats_change(one, 1, same, 3, 0.95, 1000, &rel, &lo, &hi), -1, "1 sample in a");
    cr_assert_eq(stats_change(same, 3, one, 1, 0.95, 1000, &rel, &lo, &hi), -1, "1 sample in b");
    cr_assert_eq(stats_change(zero, 2, same, 3, 0.95, 1000, &rel, &lo, &hi), -1, "a's mean is 0");
    cr_assert_eq(stats_change(same, 3, same, 3, 0.95, 1, &rel, &lo, &hi), -1, "one resample");

    /* b twice a on every run: every resample says +100% */
    double twice[] = {200, 200};
    cr_assert_eq(stats_change(same, 3, twice, 2, 0.95, 1000, &rel, &lo, &hi), 0);
    cr_assert_float_eq(rel, 1.0, 1e-12);
    cr_assert_float_eq(lo, 1.0, 1e-12);
    cr_assert_float_eq(hi, 1.0, 1e-12);
    cr_assert_eq(stats_verdict(lo, hi, 0.01), 1);
    cr_assert_eq(stats_verdict(-0.5, -0.2, 0.01), -1);
    cr_assert_eq(stats_verdict(-0.005, 0.5, 0.01), 0, "reaches into the noise band");
    cr_assert_eq(stats_verdict(0.01, 0.5, 0.01), 0, "lo on the threshold is not beyond it");
}

/* The point estimate is the change of the plain means even when the
 * interval looks past a slow run (see model/stats.c). */
Test(stats, point_estimate_is_the_change_of_the_means)
{
    double a[] = {100, 100, 100, 100, 100}, b[] = {100, 100, 100, 100, 600}, rel, lo, hi;
    cr_assert_eq(stats_change(a, 5, b, 5, 0.95, STATS_RESAMPLES, &rel, &lo, &hi), 0);
    cr_assert_float_eq(rel, 1.0, 1e-12, "mean 100 -> 200");
    cr_assert_eq(stats_verdict(lo, hi, 0.01), 0, "one slow run of five is noise: [%g, %g]", lo, hi);
}

Test(stats, deterministic)
{
    double r1, l1, h1, r2, l2, h2;
    cr_assert_eq(stats_change(spin_base, 7, spin_changed, 9, 0.95, 2000, &r1, &l1, &h1), 0);
    cr_assert_eq(stats_change(spin_base, 7, spin_changed, 9, 0.95, 2000, &r2, &l2, &h2), 0);
    cr_assert(r1 == r2 && l1 == l2 && h1 == h2);
}

Test(stats, mean_ci_on_known_data)
{
    double x[] = {10, 10, 10, 10}, m = 0, half = 9;
    cr_assert_eq(stats_mean_ci(x, 4, 0.95, 1000, &m, &half), 0);
    cr_assert(m == 10 && half == 0);
    double y[] = {0, 10}, one[] = {3};
    cr_assert_eq(stats_mean_ci(y, 2, 0.95, 1000, &m, &half), 0);
    /* resampled means of {0, 10} are 0, 5 and 10: the 95% interval is [0, 10] */
    cr_assert_float_eq(m, 5, 1e-12);
    cr_assert_float_eq(half, 5, 1e-12);
    cr_assert_eq(stats_mean_ci(one, 1, 0.95, 1000, &m, &half), -1);
    /* a wider confidence never gives a narrower interval */
    double h90, h99;
    cr_assert_eq(stats_mean_ci(spin_base, 20, 0.90, 2000, &m, &h90), 0);
    cr_assert_eq(stats_mean_ci(spin_base, 20, 0.99, 2000, &m, &h99), 0);
    cr_assert(h90 > 0 && h90 <= h99, "%g %g", h90, h99);
}
