/* test_limits.c: regression gates (model/limits.h): parsing, which rows a
 * glob selects, when a cell breaks a limit, and a whole diff checked. */
#include <criterion/criterion.h>
#include <string.h>

#include "model/limits.h"

static diff_limit parse_ok(const char *s)
{
    diff_limit l;
    char err[256] = "";
    cr_assert_eq(diff_limit_parse(s, &l, err, sizeof err), 0, "%s: %s", s, err);
    cr_assert_str_eq(l.text, s);
    return l;
}

/* The error for s, which must be refused. */
static const char *parse_err(const char *s)
{
    static char err[256];
    diff_limit l;
    err[0] = 0;
    cr_assert_eq(diff_limit_parse(s, &l, err, sizeof err), -1, "%s was taken", s);
    cr_assert(strchr(err, '\n') == NULL, "one line: %s", err);
    cr_assert(strncmp(err, "--limit '", 9) == 0, "%s", err);
    return err;
}

Test(limits, parse_kinds)
{
    diff_limit l = parse_ok("time=+5%");
    cr_assert_str_eq(l.metric, "time");
    cr_assert(l.has_rel && !l.has_delta && !l.has_max && l.glob == NULL);
    cr_assert_float_eq(l.rel, 0.05, 1e-12);
    diff_limit_free(&l);

    l = parse_ok("time=-10%@*Parser::parse");
    cr_assert_float_eq(l.rel, -0.10, 1e-12);
    cr_assert_str_eq(l.glob, "*Parser::parse");
    diff_limit_free(&l);

    l = parse_ok("Ir=+2%|10000");
    cr_assert(l.has_rel && l.has_max && !l.has_delta);
    cr_assert_float_eq(l.rel, 0.02, 1e-12);
    cr_assert_float_eq(l.max, 10000, 1e-9);
    diff_limit_free(&l);

    l = parse_ok("calls=+100");
    cr_assert(l.has_delta && !l.has_rel && !l.has_max);
    cr_assert_float_eq(l.delta, 100, 1e-9);
    diff_limit_free(&l);

    l = parse_ok("time=+2ms|+5%|1s");
    cr_assert_float_eq(l.delta, 2e6, 1e-6);
    cr_assert_float_eq(l.max, 1e9, 1e-3);
    diff_limit_free(&l);

    l = parse_ok("time=+250us@main");
    cr_assert_float_eq(l.delta, 250e3, 1e-6);
    diff_limit_free(&l);
    l = parse_ok("time=+800ns");
    cr_assert_float_eq(l.delta, 800, 1e-9);
    diff_limit_free(&l);
}

/* Event names hold colons; the metric ends at the last '=', the glob starts
 * after the last '@'. */
Test(limits, parse_event_names_and_globs)
{
    diff_limit l = parse_ok("sde:::LIB::COUNTER=+50%");
    cr_assert_str_eq(l.metric, "sde:::LIB::COUNTER");
    cr_assert_float_eq(l.rel, 0.5, 1e-12);
    diff_limit_free(&l);

    l = parse_ok("sde:::LIB::C=5000@json::parser::*");
    cr_assert_str_eq(l.metric, "sde:::LIB::C");
    cr_assert_str_eq(l.glob, "json::parser::*");
    cr_assert_float_eq(l.max, 5000, 1e-9);
    diff_limit_free(&l);

    l = parse_ok("TIME=+1s");   /* diff_find_metric matches any case; so do the units */
    cr_assert_float_eq(l.delta, 1e9, 1e-3);
    diff_limit_free(&l);
}

Test(limits, parse_errors_say_what_is_wrong)
{
    const char *e = parse_err("time");
    cr_assert(strstr(e, "expected METRIC=LIMIT[@REGION_GLOB], e.g. time=+5% or Ir=+2%|10000"), "%s", e);
    e = parse_err("time=5");
    cr_assert(strstr(e, "--limit 'time=5': '5': time needs a unit (ns, us, ms or s)"), "%s", e);
    e = parse_err("time=+5");
    cr_assert(strstr(e, "time needs a unit"), "%s", e);
    e = parse_err("=+5%");
    cr_assert(strstr(e, "no metric before '='"), "%s", e);
    e = parse_err("time=");
    cr_assert(strstr(e, "no limit after '='"), "%s", e);
    e = parse_err("time=+5%@");
    cr_assert(strstr(e, "no region glob after '@'"), "%s", e);
    e = parse_err("Ir=+2ms");
    cr_assert(strstr(e, "'+2ms': only time takes a unit"), "%s", e);
    e = parse_err("time=+2days");
    cr_assert(strstr(e, "'+2days': time needs a unit"), "%s", e);
    e = parse_err("Ir=+2%|+3%");
    cr_assert(strstr(e, "'+3%': a second relative limit"), "%s", e);
    e = parse_err("Ir=100|200");
    cr_assert(strstr(e, "a second maximum limit"), "%s", e);
    e = parse_err("Ir=+2%||10000");
    cr_assert(strstr(e, "an empty limit"), "%s", e);
    e = parse_err("Ir=+2%|");
    cr_assert(strstr(e, "an empty limit"), "%s", e);
    e = parse_err("Ir=fast");
    cr_assert(strstr(e, "'fast' is not a limit"), "%s", e);
    e = parse_err("Ir=+x%");
    cr_assert(strstr(e, "'+x' is not a limit"), "%s", e);
    e = parse_err("Ir=inf");
    cr_assert(strstr(e, "'inf' is not a limit"), "%s", e);
    e = parse_err("Ir=1e999");
    cr_assert(strstr(e, "is not a limit"), "%s", e);
}

Test(limits, glob_selects_name_or_suffix)
{
    diff_limit l = parse_ok("time=+5%@*Parser::parse");
    cr_assert(diff_limit_selects(&l, "json::parser::Parser::parse"));
    cr_assert(diff_limit_selects(&l, "Parser::parse"));
    cr_assert(!diff_limit_selects(&l, "json::parser::Parser::parse_header"));
    diff_limit_free(&l);

    l = parse_ok("time=+5%@parse*");   /* a suffix after any "::" */
    cr_assert(diff_limit_selects(&l, "json::parser::Parser::parse_header"));
    cr_assert(diff_limit_selects(&l, "json::parser::Parser::parse"));
    cr_assert(diff_limit_selects(&l, "parser::Lexer::next"), "the part 'parser::Lexer::next'");
    cr_assert(!diff_limit_selects(&l, "json::Lexer::next"));
    diff_limit_free(&l);

    l = parse_ok("time=+5%@Parser::parse");   /* a whole ::-part, never half of one */
    cr_assert(diff_limit_selects(&l, "json::parser::Parser::parse"));
    cr_assert(!diff_limit_selects(&l, "json::MyParser::parse"));
    diff_limit_free(&l);

    /* colons inside <> and () are not part boundaries */
    l = parse_ok("Ir=+5%@Ord*");
    cr_assert(!diff_limit_selects(&l, "a::<impl core::cmp::Ord for a::B>::cmp"));
    diff_limit_free(&l);
    l = parse_ok("Ir=+5%@*::cmp");
    cr_assert(diff_limit_selects(&l, "a::<impl core::cmp::Ord for a::B>::cmp"));
    diff_limit_free(&l);

    l = parse_ok("Ir=+5%");
    cr_assert(diff_limit_selects(&l, "anything"));
    diff_limit_free(&l);
}

static const diff_metric TIME = {.name = "time", .is_time = 1}, IR = {.name = "Ir", .exact = 1};

static diff_cell cell(double a, double b, diff_verdict v)
{
    diff_cell c = {a, b, 0, 0, 0, v};
    if (a != 0 && v != DIFF_NEW && v != DIFF_GONE) {
        c.lo = c.hi = (b - a) / a;
        c.has_ci = 1;
    }
    return c;
}

Test(limits, time_breaks_only_when_regressed)
{
    diff_limit l = parse_ok("time=+5%");
    char why[256] = "";
    diff_cell c = cell(214e3, 280e3, DIFF_REGRESSED);
    c.lo = 0.25;
    c.hi = 0.36;
    cr_assert_eq(diff_limit_broken(&l, &TIME, &c, why, sizeof why), 1);
    cr_assert_str_eq(why, "time 214 us -> 280 us (+30.8%, regressed, at least +25.0%) is beyond +5%");
    /* the same figures judged within noise: noise never fails CI */
    c.verdict = DIFF_NOISE;
    cr_assert_eq(diff_limit_broken(&l, &TIME, &c, why, sizeof why), 0);
    c.verdict = DIFF_NO_ESTIMATE;
    c.has_ci = 0;
    cr_assert_eq(diff_limit_broken(&l, &TIME, &c, why, sizeof why), 0, "1 run each");
    /* regressed, but the interval allows a change inside the limit */
    c = cell(100e3, 110e3, DIFF_REGRESSED);
    c.lo = 0.02;
    c.hi = 0.2;
    cr_assert_eq(diff_limit_broken(&l, &TIME, &c, why, sizeof why), 0);
    diff_limit_free(&l);

    l = parse_ok("time=+2ms");
    c = cell(10e6, 13e6, DIFF_REGRESSED);
    cr_assert_eq(diff_limit_broken(&l, &TIME, &c, why, sizeof why), 1);
    cr_assert_str_eq(why, "time 10.0 ms -> 13.0 ms (+30.0%, regressed, at least +30.0%) is beyond +2.00 ms");
    c = cell(10e6, 11e6, DIFF_REGRESSED);
    cr_assert_eq(diff_limit_broken(&l, &TIME, &c, why, sizeof why), 0, "+1 ms is inside +2 ms");
    diff_limit_free(&l);
}

Test(limits, exact_metrics_compare_the_means)
{
    char why[256] = "";
    diff_limit l = parse_ok("Ir=+2%|10000");
    diff_cell c = cell(9000, 9100, DIFF_REGRESSED);
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 0, "+1.1%%, below 10000");
    c = cell(9000, 9500, DIFF_REGRESSED);
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 1);
    cr_assert_str_eq(why, "Ir 9.00K -> 9.50K (+5.6%, regressed) is beyond +2%");
    c = cell(9900, 10050, DIFF_REGRESSED);   /* +1.5%, but above the maximum */
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 1);
    cr_assert_str_eq(why, "Ir 9.90K -> 10.1K (+1.5%, regressed) is above the maximum 10.0K");
    c = cell(9000, 12000, DIFF_REGRESSED);
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 1);
    cr_assert_str_eq(why, "Ir 9.00K -> 12.0K (+33.3%, regressed) is beyond +2% and above the maximum 10.0K");
    c = cell(9000, 9000, DIFF_SAME);
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 0);
    diff_limit_free(&l);

    l = parse_ok("Ir=-5%");   /* must improve by 5% */
    c = cell(1000, 980, DIFF_IMPROVED);
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 1);
    cr_assert_str_eq(why, "Ir 1.00K -> 980 (-2.0%, improved) is beyond -5%");
    c = cell(1000, 900, DIFF_IMPROVED);
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 0);
    diff_limit_free(&l);

    l = parse_ok("calls=+100");
    c = cell(0, 150, DIFF_REGRESSED);
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 1);
    cr_assert(strstr(why, "(from 0, regressed) is beyond +100"), "%s", why);
    diff_limit_free(&l);
}

Test(limits, new_rows_by_maximum_only_gone_rows_never)
{
    char why[256] = "";
    diff_limit l = parse_ok("Ir=+2%|10000");
    diff_cell c = cell(0, 20000, DIFF_NEW);
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 1);
    cr_assert_str_eq(why, "Ir 20.0K (new) is above the maximum 10.0K");
    c = cell(0, 5000, DIFF_NEW);
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 0, "new, under the maximum");
    c = cell(50000, 0, DIFF_GONE);
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, why, sizeof why), 0);
    diff_limit_free(&l);

    l = parse_ok("time=+1%");
    c = cell(0, 5e9, DIFF_NEW);
    cr_assert_eq(diff_limit_broken(&l, &TIME, &c, why, sizeof why), 0, "no maximum: a new row is not judged");
    diff_limit_free(&l);

    /* a maximum is a budget on b: it needs no verdict */
    l = parse_ok("time=10ms");
    c = cell(9e6, 12e6, DIFF_NO_ESTIMATE);
    c.has_ci = 0;
    cr_assert_eq(diff_limit_broken(&l, &TIME, &c, why, sizeof why), 1);
    cr_assert_str_eq(why, "time 9.00 ms -> 12.0 ms (+33.3%, no noise estimate) is above the maximum 10.0 ms");
    diff_limit_free(&l);

    /* a short buffer is cut, never overrun */
    l = parse_ok("Ir=+2%");
    c = cell(9000, 9500, DIFF_REGRESSED);
    char tiny[8];
    cr_assert_eq(diff_limit_broken(&l, &IR, &c, tiny, sizeof tiny), 1);
    cr_assert_str_eq(tiny, "Ir 9.00");
    diff_limit_free(&l);
}

/* A hand-made diff: two rows, metrics time, Ir, calls. */
static prof_diff *two_row_diff(void)
{
    prof_diff *d = calloc(1, sizeof *d);
    const char *names[] = {"time", "Ir", "calls"};
    for (size_t i = 0; i < 3; i++) {
        d->metrics[i].name = strdup(names[i]);
        d->metrics[i].is_time = i == 0;
        d->metrics[i].exact = i != 0;
    }
    d->n_metrics = 3;
    d->rows = calloc(2, sizeof *d->rows);
    d->n_rows = d->cap_rows = 2;
    const char *rows[] = {"json::parser::Parser::parse", "json::lexer::Lexer::next"};
    for (size_t r = 0; r < 2; r++) {
        d->rows[r].name = strdup(rows[r]);
        d->rows[r].in_a = d->rows[r].in_b = 1;
        d->rows[r].incl[1] = cell(1000, r == 0 ? 1500 : 1010, DIFF_REGRESSED);
        d->rows[r].incl[0] = cell(1e6, 1e6, DIFF_SAME);
        d->rows[r].incl[2] = cell(10, 10, DIFF_SAME);
    }
    return d;
}

Test(limits, check_a_diff)
{
    prof_diff *d = two_row_diff();
    diff_limit l[3] = {parse_ok("ir=+2%"), parse_ok("Ir=+100@*Lexer::*"), parse_ok("calls=+0@*Parse")};
    char err[512] = "";
    cr_assert_eq(diff_limits_check(d, l, 3, err, sizeof err), -1, "a glob that selects no row");
    cr_assert(strstr(err, "--limit 'calls=+0@*Parse': no row matches '*Parse' (a glob matches"), "%s", err);
    cr_assert_eq(d->n_broken, 0, "nothing judged before every limit fits");
    err[0] = 0;
    cr_assert_eq(diff_limits_check(d, l, 2, err, sizeof err), 0, "%s", err);
    cr_assert_eq(d->n_broken, 1, "only Parser::parse is +50%%");
    cr_assert_eq(d->broken[0].row, 0);
    cr_assert_eq(d->broken[0].metric, 1);
    cr_assert_eq(d->broken[0].limit, l[0].text);
    cr_assert_str_eq(d->broken[0].why, "Ir 1.00K -> 1.50K (+50.0%, regressed) is beyond +2%");
    for (int i = 0; i < 3; i++)
        diff_limit_free(&l[i]);
    prof_diff_free(d);
}

Test(limits, unknown_metric_is_an_error)
{
    prof_diff *d = two_row_diff();
    diff_limit l[2] = {parse_ok("Ir=+2%"), parse_ok("PAPI_TOT_CYC=+5%")};
    char err[256] = "";
    cr_assert_eq(diff_limits_check(d, l, 2, err, sizeof err), -1);
    cr_assert_str_eq(err, "--limit 'PAPI_TOT_CYC=+5%': no metric 'PAPI_TOT_CYC' in this diff "
                     "(it has: time, Ir, calls)");
    cr_assert_eq(d->n_broken, 0, "nothing judged before every metric is known");
    for (int i = 0; i < 2; i++)
        diff_limit_free(&l[i]);
    prof_diff_free(d);
}
