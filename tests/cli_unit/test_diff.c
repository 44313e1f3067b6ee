/* test_diff.c: two profiles compared (model/diff.h) on hand-built models:
 * rows by full name, call-tree nodes by call path, verdicts exact and
 * noisy (on recorded samples), notes, display order. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/diff.h"
#include "data/spin_samples.h"

/* A region profile with metrics time and sde:::T::C. */
static prof_model *regions(void)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    prof_model_metric(m, "time", 1);
    prof_model_metric(m, "sde:::T::C", 0);
    return m;
}

/* Entry `name` with calls, inclusive time and counter (self = incl). */
static size_t region(prof_model *m, const char *name, const char *file, int line, uint64_t calls,
                     int64_t ns, int64_t count)
{
    size_t i = prof_model_entry(m, name, file, line, NULL);
    prof_entry *e = &m->entries[i];
    e->calls += calls;
    e->incl[0] = e->self[0] = ns;
    e->incl[1] = e->self[1] = count;
    return i;
}

static size_t node(prof_model *m, size_t parent, size_t entry, uint64_t calls, int64_t ns)
{
    size_t n = prof_model_node(m, parent, entry);
    m->nodes[n].calls = calls;
    m->nodes[n].incl[0] = m->nodes[n].self[0] = ns;
    return n;
}

static prof_diff *diff1(prof_model *a, prof_model *b)
{
    diff_side sa = {&a, 1, "before"}, sb = {&b, 1, "after"};
    return prof_diff_new(&sa, &sb, 0.95, 0.01);
}

static const diff_row *row(const prof_diff *d, const char *name)
{
    for (size_t i = 0; i < d->n_rows; i++)
        if (strcmp(d->rows[i].name, name) == 0)
            return &d->rows[i];
    cr_assert_fail("no row %s", name);
    return NULL;
}

static int has_note(const prof_diff *d, const char *text)
{
    for (size_t i = 0; i < d->n_notes; i++)
        if (strstr(d->notes[i], text))
            return 1;
    return 0;
}

static int metric(const prof_diff *d, const char *name)
{
    int k = diff_find_metric(d, name);
    cr_assert_geq(k, 0, "no metric %s", name);
    return k;
}

Test(diff, rows_by_full_name_new_gone)
{
    prof_model *a = regions(), *b = regions();
    region(a, "app::parse", "src/p.rs", 10, 1, 100, 5);
    region(a, "app::old", "src/o.rs", 3, 1, 50, 0);
    region(b, "app::parse", "src/parse.rs", 42, 1, 100, 5);   /* moved: same row */
    region(b, "app::fresh", "src/f.rs", 1, 2, 70, 1);
    prof_diff *d = diff1(a, b);
    cr_assert_eq(d->n_rows, 3);
    const diff_row *p = row(d, "app::parse");
    cr_assert(p->in_a && p->in_b);
    cr_assert_str_eq(p->file, "src/parse.rs", "where it is now");
    cr_assert_eq(p->line, 42);
    int c = metric(d, "sde:::T::C"), calls = metric(d, "calls");
    cr_assert_eq(p->incl[c].verdict, DIFF_SAME);
    cr_assert_eq(p->incl[calls].verdict, DIFF_SAME);
    const diff_row *o = row(d, "app::old"), *f = row(d, "app::fresh");
    cr_assert(o->in_a && !o->in_b);
    cr_assert_eq(o->incl[0].verdict, DIFF_GONE);
    cr_assert_eq(o->incl[0].a, 50);
    cr_assert_eq(o->incl[0].b, 0);
    cr_assert(!f->in_a && f->in_b);
    cr_assert_eq(f->incl[calls].verdict, DIFF_NEW);
    cr_assert_eq(f->incl[calls].b, 2);
    cr_assert_str_eq(d->name_a, "before");
    cr_assert_str_eq(d->name_b, "after");
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

/* Twin sites of one name (two lines) are one row: their figures add up. */
Test(diff, twin_sites_are_one_row)
{
    prof_model *a = regions(), *b = regions();
    region(a, "app::f", "a.rs", 1, 1, 100, 1);
    region(a, "app::f", "a.rs", 9, 2, 200, 2);
    region(b, "app::f", "a.rs", 1, 3, 300, 3);
    prof_diff *d = diff1(a, b);
    cr_assert_eq(d->n_rows, 1);
    int calls = metric(d, "calls");
    cr_assert_eq(d->rows[0].incl[calls].a, 3);
    cr_assert_eq(d->rows[0].incl[calls].verdict, DIFF_SAME);
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

/* Two C statics named work in two files, strcmp in two objects: never one row. */
Test(diff, one_name_in_two_files_or_objects_is_two_rows)
{
    prof_model *a = regions(), *b = regions();
    region(a, "work", "a.c", 1, 1, 100, 10);
    region(a, "work", "b.c", 1, 1, 100, 20);
    region(b, "work", "a.c", 5, 1, 100, 10);   /* a's work moved down: still a.c's */
    region(b, "work", "b.c", 1, 1, 100, 40);
    prof_diff *d = diff1(a, b);
    cr_assert_eq(d->n_rows, 2);
    int c = metric(d, "sde:::T::C");
    for (size_t i = 0; i < 2; i++) {
        const diff_row *r = &d->rows[i];
        int in_a = strcmp(r->file, "a.c") == 0;
        cr_assert_str_eq(r->label, in_a ? "work (a.c)" : "work (b.c)", "two rows of one name say where");
        cr_assert_eq(r->incl[c].a, in_a ? 10 : 20, "%s", r->file);
        cr_assert_eq(r->incl[c].b, in_a ? 10 : 40, "%s", r->file);
    }
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
    /* b.c's work gone from b: a.c's is still a.c's, not a "new" row beside a "gone" one */
    a = regions();
    b = regions();
    region(a, "work", "a.c", 1, 1, 100, 10);
    region(a, "work", "b.c", 1, 1, 100, 20);
    region(b, "work", "a.c", 1, 1, 100, 40);
    d = diff1(a, b);
    cr_assert_eq(d->n_rows, 2);
    for (size_t i = 0; i < 2; i++) {
        const diff_row *r = &d->rows[i];
        int in_a = strcmp(r->file, "a.c") == 0;
        cr_assert_eq(r->incl[c].verdict, in_a ? DIFF_REGRESSED : DIFF_GONE, "%s", r->file);
    }
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
    prof_model *va = prof_model_new(PROF_CALLGRIND, "callgrind"), *vb = prof_model_new(PROF_CALLGRIND, "callgrind");
    prof_model_metric(va, "Ir", 0);
    prof_model_metric(vb, "Ir", 0);
    prof_model *sides[] = {va, vb};
    for (int s = 0; s < 2; s++) {
        size_t l = prof_model_entry(sides[s], "strcmp", NULL, 0, "/lib/ld-linux.so.2");
        size_t g = prof_model_entry(sides[s], "strcmp", NULL, 0, s ? "/usr/lib/libc.so.6" : "/lib/libc.so.6");
        sides[s]->entries[l].self[0] = sides[s]->entries[l].incl[0] = 100;
        sides[s]->entries[g].self[0] = sides[s]->entries[g].incl[0] = s ? 300 : 200;
    }
    d = diff1(va, vb);
    cr_assert_eq(d->n_rows, 2, "ld.so's strcmp and libc's (matched by the object's file name)");
    for (size_t i = 0; i < 2; i++)
        cr_assert(d->rows[i].incl[0].a == 100 ? d->rows[i].incl[0].b == 100 : d->rows[i].incl[0].b == 300,
                  "%s: %g -> %g", d->rows[i].name, d->rows[i].incl[0].a, d->rows[i].incl[0].b);
    prof_diff_free(d);
    prof_model_free(va);
    prof_model_free(vb);
}

Test(diff, metric_on_one_side_is_not_compared)
{
    prof_model *a = regions(), *b = regions();
    prof_model_metric(a, "PAPI_TOT_INS", 0);
    prof_model_metric(b, "sde:::T::ONLY_B", 0);
    region(a, "f", NULL, 0, 1, 10, 1);
    region(b, "f", NULL, 0, 1, 10, 1);
    prof_diff *d = diff1(a, b);
    cr_assert_eq(d->n_metrics, 3, "time, sde:::T::C, calls");
    cr_assert_str_eq(d->metrics[d->n_metrics - 1].name, "calls");
    cr_assert_eq(diff_find_metric(d, "PAPI_TOT_INS"), -1);
    cr_assert_eq(diff_find_metric(d, "sde:::T::ONLY_B"), -1);
    cr_assert(has_note(d, "PAPI_TOT_INS is only in before: not compared"));
    cr_assert(has_note(d, "sde:::T::ONLY_B is only in after: not compared"));
    cr_assert_eq(diff_find_metric(d, "TIME"), 0, "any case");
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

Test(diff, exact_metrics_by_equality)
{
    prof_model *a = regions(), *b = regions();
    region(a, "up", NULL, 0, 10, 100, 50);
    region(b, "up", NULL, 0, 11, 100, 51);
    region(a, "down", NULL, 0, 10, 100, 50);
    region(b, "down", NULL, 0, 9, 100, 49);
    region(a, "same", NULL, 0, 10, 100, 50);
    region(b, "same", NULL, 0, 10, 100, 50);
    prof_diff *d = diff1(a, b);
    int c = metric(d, "sde:::T::C"), calls = metric(d, "calls");
    cr_assert(d->metrics[c].exact && d->metrics[calls].exact && !d->metrics[0].exact);
    cr_assert(d->metrics[0].is_time);
    cr_assert_eq(row(d, "up")->incl[c].verdict, DIFF_REGRESSED, "one more count is a change");
    cr_assert_eq(row(d, "up")->incl[calls].verdict, DIFF_REGRESSED);
    cr_assert_eq(row(d, "down")->incl[c].verdict, DIFF_IMPROVED);
    cr_assert_eq(row(d, "down")->incl[calls].verdict, DIFF_IMPROVED);
    cr_assert_eq(row(d, "same")->incl[c].verdict, DIFF_SAME);
    cr_assert_eq(row(d, "up")->incl[0].verdict, DIFF_SAME, "equal times are the same");
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

Test(diff, valgrind_metrics_are_exact)
{
    prof_model *a = prof_model_new(PROF_CALLGRIND, "callgrind"), *b = prof_model_new(PROF_CALLGRIND, "callgrind");
    for (int s = 0; s < 2; s++) {
        prof_model *m = s ? b : a;
        prof_model_metric(m, "Ir", 0);
        prof_model_metric(m, "D1mr", 0);
        size_t i = prof_model_entry(m, "main", "m.c", 1, "app");
        m->entries[i].incl[0] = m->entries[i].self[0] = s ? 1001 : 1000;
        m->entries[i].incl[1] = m->entries[i].self[1] = 7;
        m->entries[i].calls = 1;
    }
    prof_diff *d = diff1(a, b);
    int ir = metric(d, "Ir"), d1 = metric(d, "d1mr");
    cr_assert(d->metrics[ir].exact && d->metrics[d1].exact);
    cr_assert_eq(d->rows[0].incl[ir].verdict, DIFF_REGRESSED);
    cr_assert_eq(d->rows[0].incl[d1].verdict, DIFF_SAME);
    cr_assert(!has_note(d, "no noise estimate"), "nothing noisy: no note about runs");
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

Test(diff, time_with_one_run_each_has_no_estimate)
{
    prof_model *a = regions(), *b = regions();
    region(a, "f", NULL, 0, 1, 1000, 0);
    region(b, "f", NULL, 0, 1, 1500, 0);
    prof_diff *d = diff1(a, b);
    const diff_cell *c = &d->rows[0].incl[0];
    cr_assert_eq(c->verdict, DIFF_NO_ESTIMATE);
    cr_assert_eq(c->has_ci, 0);
    cr_assert_eq(c->a, 1000);
    cr_assert_eq(c->b, 1500);
    cr_assert(has_note(d, "1 run each: no noise estimate for time"));
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

#define RUNS 5

/* RUNS runs per side; region spin::busy takes a[r] / b[r] ns in run r, and
 * app::steady 1 ms and 3 calls in every run. */
static prof_diff *diff_runs(const double *ta, const double *tb)
{
    prof_model *ma[RUNS], *mb[RUNS];
    for (int r = 0; r < RUNS; r++) {
        ma[r] = regions();
        mb[r] = regions();
        region(ma[r], "spin::busy", "spin.c", 1, 1, (int64_t)ta[r], 0);
        region(mb[r], "spin::busy", "spin.c", 1, 1, (int64_t)tb[r], 0);
        region(ma[r], "app::steady", NULL, 0, 3, 1000000, 0);
        region(mb[r], "app::steady", NULL, 0, 3, 1000000, 0);
    }
    diff_side sa = {ma, RUNS, "base"}, sb = {mb, RUNS, "changed"};
    prof_diff *d = prof_diff_new(&sa, &sb, 0.95, 0.01);
    for (int r = 0; r < RUNS; r++) {
        prof_model_free(ma[r]);
        prof_model_free(mb[r]);
    }
    return d;
}

Test(diff, time_with_five_runs_on_recorded_samples)
{
    prof_diff *d = diff_runs(spin_base, spin_changed);
    const diff_cell *c = &row(d, "spin::busy")->incl[0];
    cr_assert_eq(d->runs_a, RUNS);
    cr_assert_eq(c->verdict, DIFF_REGRESSED, "[%g, %g]", c->lo, c->hi);
    cr_assert(c->has_ci && c->lo > 0.01);
    double mean = 0;
    for (int r = 0; r < RUNS; r++)
        mean += spin_base[r] / RUNS;
    cr_assert_float_eq(c->a, mean, 1, "the mean over the runs");
    cr_assert_eq(row(d, "app::steady")->incl[0].verdict, DIFF_SAME);
    cr_assert(has_note(d, "5 runs against 5: time judged by a 95% bootstrap interval"));
    cr_assert(!has_note(d, "1 run each"));
    prof_diff_free(d);

    d = diff_runs(spin_base, spin_base + RUNS);
    c = &row(d, "spin::busy")->incl[0];
    cr_assert_eq(c->verdict, DIFF_NOISE, "[%g, %g]", c->lo, c->hi);
    prof_diff_free(d);

    d = diff_runs(spin_changed, spin_base);
    cr_assert_eq(row(d, "spin::busy")->incl[0].verdict, DIFF_IMPROVED);
    prof_diff_free(d);
}

/* A diff of RUNS runs a side (the recorded spin samples): spin::busy has
 * one call path, app::lex two (under parse and under eval), the one under
 * eval timed as spin::busy is. */
static prof_diff *diff_runs_paths(void)
{
    prof_model *ma[RUNS], *mb[RUNS];
    for (int r = 0; r < RUNS; r++)
        for (int side = 0; side < 2; side++) {
            prof_model *m = regions();
            int64_t t = (int64_t)(side ? spin_changed[r] : spin_base[r]);
            size_t busy = region(m, "spin::busy", NULL, 0, 1, t, 0);
            size_t parse = region(m, "app::parse", NULL, 0, 1, 2 * t, 0);
            size_t eval = region(m, "app::eval", NULL, 0, 1, 2 * t, 0);
            size_t lex = region(m, "app::lex", NULL, 0, 2, t + 1000, 0);
            node(m, 0, busy, 1, t);
            node(m, node(m, 0, parse, 1, 2 * t), lex, 1, 1000);
            node(m, node(m, 0, eval, 1, 2 * t), lex, 1, t);
            *(side ? &mb[r] : &ma[r]) = m;
        }
    diff_side sa = {ma, RUNS, "base"}, sb = {mb, RUNS, "changed"};
    prof_diff *d = prof_diff_new(&sa, &sb, 0.95, 0.01);
    for (int r = 0; r < RUNS; r++) {
        prof_model_free(ma[r]);
        prof_model_free(mb[r]);
    }
    return d;
}

static const diff_node *node_named(const prof_diff *d, const char *name, const char *parent)
{
    for (size_t i = 1; i < d->n_nodes; i++) {
        const diff_node *n = &d->nodes[i];
        const char *p = n->parent ? d->rows[d->nodes[n->parent].row].name : "";
        if (strcmp(d->rows[n->row].name, name) == 0 && strcmp(p, parent) == 0)
            return n;
    }
    cr_assert_fail("no node %s under '%s'", name, parent);
    return NULL;
}

/* The table and the tree print one interval for one set of samples: a
 * region's one call path is its row (csv-core trial: +715.8% in the
 * table, +801.3% in the tree: the tree had its own, 10x smaller,
 * bootstrap), and a path timed as another region's row is judged as it. */
Test(diff, one_interval_for_the_same_samples_in_table_and_tree)
{
    prof_diff *d = diff_runs_paths();
    const diff_cell *r = &row(d, "spin::busy")->incl[0], *n = &node_named(d, "spin::busy", "")->incl[0];
    cr_assert(r->has_ci && n->has_ci);
    cr_assert(r->lo == n->lo && r->hi == n->hi && r->verdict == n->verdict,
              "row [%.17g, %.17g], its one path [%.17g, %.17g]", r->lo, r->hi, n->lo, n->hi);
    const diff_cell *lex = &node_named(d, "app::lex", "app::eval")->incl[0];
    cr_assert(lex->has_ci && r->lo == lex->lo && r->hi == lex->hi,
              "the same samples on another path: [%.17g, %.17g] vs [%.17g, %.17g]", r->lo, r->hi, lex->lo, lex->hi);
    cr_assert(row(d, "app::lex")->incl[0].lo != lex->lo, "lex's row is both paths: not the same samples");
    prof_diff_free(d);
}

/* The same function under two parents is two nodes; a path on one side
 * only is new or gone. */
Test(diff, nodes_by_call_path)
{
    prof_model *a = regions(), *b = regions();
    for (int s = 0; s < 2; s++) {
        prof_model *m = s ? b : a;
        size_t p = region(m, "app::parse", NULL, 0, 1, 100, 0);
        size_t l = region(m, "app::lex", NULL, 0, 2, 40, 0);
        size_t e = region(m, "app::eval", NULL, 0, 1, 100, 0);
        size_t np = node(m, 0, p, 1, 100), ne = node(m, 0, e, 1, 100);
        node(m, np, l, 1, 20);
        node(m, ne, l, 1, s ? 30 : 20);
        if (s) {
            size_t x = region(m, "app::extra", NULL, 0, 1, 5, 0);
            node(m, np, x, 1, 5);
        }
    }
    prof_diff *d = diff1(a, b);
    cr_assert_eq(d->n_nodes, 6, "root, parse, eval, parse>lex, eval>lex, parse>extra");
    size_t lex = (size_t)(row(d, "app::lex") - d->rows), extra = (size_t)(row(d, "app::extra") - d->rows);
    size_t seen = 0;
    for (size_t i = 1; i < d->n_nodes; i++) {
        const diff_node *n = &d->nodes[i];
        const char *parent = n->parent ? d->rows[d->nodes[n->parent].row].name : "(root)";
        if (n->row == lex) {
            seen++;
            if (strcmp(parent, "app::eval") == 0) {
                cr_assert_eq(n->incl[0].a, 20);
                cr_assert_eq(n->incl[0].b, 30);
            } else {
                cr_assert_str_eq(parent, "app::parse");
                cr_assert_eq(n->incl[0].b, 20);
            }
        }
        if (n->row == extra)
            cr_assert_eq(n->incl[0].verdict, DIFF_NEW);
        if (n->parent == 0)
            cr_assert_eq(n->incl[metric(d, "calls")].verdict, DIFF_SAME);
    }
    cr_assert_eq(seen, 2, "lex under parse and under eval");
    cr_assert_eq(d->nodes[0].parent, 0);
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

Test(diff, order_by_size_of_change)
{
    prof_model *a = regions(), *b = regions();
    region(a, "small_up", NULL, 0, 10, 0, 0);
    region(b, "small_up", NULL, 0, 11, 0, 0);
    region(a, "big_down", NULL, 0, 100, 0, 0);
    region(b, "big_down", NULL, 0, 50, 0, 0);
    region(a, "mid_up", NULL, 0, 10, 0, 0);
    region(b, "mid_up", NULL, 0, 30, 0, 0);
    region(a, "gone", NULL, 0, 5, 0, 0);
    region(b, "new", NULL, 0, 1, 0, 0);
    region(a, "same", NULL, 0, 7, 0, 0);
    region(b, "same", NULL, 0, 7, 0, 0);
    prof_diff *d = diff1(a, b);
    size_t calls = (size_t)metric(d, "calls"), n;
    size_t *o = diff_order_by(d, calls, 0, 0, &n);
    cr_assert_eq(n, 6);
    const char *by_size[] = {"big_down", "mid_up", "gone", "new", "small_up", "same"};
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(d->rows[o[i]].name, by_size[i], "at %zu", i);
    free(o);
    o = diff_order_by(d, calls, 0, 1, &n);
    const char *regressions[] = {"mid_up", "small_up", "big_down", "new", "gone", "same"};
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(d->rows[o[i]].name, regressions[i], "at %zu", i);
    free(o);
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

Test(diff, commands_hosts_differ)
{
    prof_model *a = regions(), *b = regions();
    a->command = strdup("app --fast");
    b->command = strdup("app --slow");
    a->host = strdup("ci-1");
    b->host = strdup("ci-1");
    a->cpu = strdup("Xeon");
    b->cpu = strdup("EPYC");
    region(a, "f", NULL, 0, 1, 1, 0);
    region(b, "f", NULL, 0, 1, 1, 0);
    prof_diff *d = diff1(a, b);
    cr_assert(has_note(d, "the commands differ: before: app --fast; after: app --slow"));
    cr_assert(!has_note(d, "the hosts differ"));
    cr_assert(has_note(d, "the CPUs differ: before: Xeon; after: EPYC"));
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

Test(diff, labels_over_both_sides)
{
    prof_model *a = regions(), *b = regions();
    region(a, "x::parser::Parser::parse", NULL, 0, 1, 1, 0);
    region(b, "y::Parser::parse", NULL, 0, 1, 1, 0);
    region(b, "x::lexer::Lexer::next", NULL, 0, 1, 1, 0);
    prof_diff *d = diff1(a, b);
    cr_assert_str_eq(row(d, "x::parser::Parser::parse")->label, "parser::Parser::parse");
    cr_assert_str_eq(row(d, "x::lexer::Lexer::next")->label, "Lexer::next");
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

/* A path with cost but no completed call (a region open at the dump; a
 * callgrind path estimated from an edge without a call count) is on the
 * side that has it: compared, not "new". */
Test(diff, node_without_calls_is_still_there)
{
    prof_model *a = regions(), *b = regions();
    for (int s = 0; s < 2; s++) {
        prof_model *m = s ? b : a;
        size_t e = region(m, "app::main", NULL, 0, 0, 500, 0);
        node(m, 0, e, 0, s ? 600 : 500);
    }
    prof_diff *d = diff1(a, b);
    cr_assert_eq(d->n_nodes, 2);
    const diff_cell *c = &d->nodes[1].incl[0];
    cr_assert_eq(c->a, 500);
    cr_assert_eq(c->b, 600);
    cr_assert_eq(c->verdict, DIFF_NO_ESTIMATE, "compared (1 run each), not %s", diff_verdict_name(c->verdict));
    cr_assert_eq(d->nodes[1].incl[metric(d, "calls")].verdict, DIFF_SAME);
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

/* "tiny": timed 1 call in 64 with 90% of its time the profiler's own in
 * A, every call timed and trusted in B: both said, per side. */
Test(diff, sampling_and_trust_per_side_are_kept_and_said)
{
    prof_model *a = regions(), *b = regions();
    size_t ia = region(a, "app::tiny", NULL, 0, 6400, 1000, 0), ib = region(b, "app::tiny", NULL, 0, 6400, 1200, 0);
    region(a, "app::steady", NULL, 0, 3, 1000000, 0);
    region(b, "app::steady", NULL, 0, 3, 1000000, 0);
    prof_entry *ea = &a->entries[ia], *eb = &b->entries[ib];
    ea->pairs = 6400, ea->timed = 100, ea->raw_incl = 10000, ea->oh_incl = 9000;
    eb->pairs = eb->timed = 6400, eb->raw_incl = 1200, eb->oh_incl = 0;
    prof_diff *d = diff1(a, b);
    const diff_trust *t = &row(d, "app::tiny")->trust, *s = &row(d, "app::steady")->trust;
    cr_assert(t->every[0] == 64 && t->every[1] == 1 && t->low[0] && !t->low[1]);
    cr_assert(diff_trust_differs(t) && diff_trust_sampled(t));
    cr_assert(s->every[0] == 1 && s->every[1] == 1 && !s->low[0] && !s->low[1] && !diff_trust_differs(s));
    cr_assert(has_note(d, "warning: 1 region was timed differently on the two sides (app::tiny: about 1 call "
                          "in 64 in before, every call in after)"));
    cr_assert(has_note(d, "! 1 region: more than 25% of the measured time on a side is the profiler's own"));
    prof_diff_free(d);
    prof_model_free(a);
    prof_model_free(b);
}

/* Runs that spread far both ways: the interval reaches into the noise
 * threshold and past +-25%, so neither "within noise" nor a change. */
Test(diff, a_wide_interval_is_inconclusive)
{
    static const double wild_a[RUNS] = {100e3, 210e3, 55e3, 160e3, 95e3};
    static const double wild_b[RUNS] = {105e3, 60e3, 250e3, 85e3, 130e3};
    prof_diff *d = diff_runs(wild_a, wild_b);
    const diff_cell *c = &row(d, "spin::busy")->incl[0];
    cr_assert_eq(c->verdict, DIFF_INCONCLUSIVE, "[%g, %g]", c->lo, c->hi);
    cr_assert(c->has_ci && c->lo < -0.25 && c->hi > 0.25);
    cr_assert_str_eq(diff_verdict_name(c->verdict), "inconclusive");
    prof_diff_free(d);
}
