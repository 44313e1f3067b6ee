/* test_derive.c: one derivation for every figure of a region profile: flat
 * figures and node figures agree, compensated or not, with recursion and
 * with compensation that has to clamp. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "model/derive.h"
#include "readers/readers.h"
#include "readers/cprof_dump.h"

#define NODE(id, parent, name, calls, incl, excl, child, desc) \
    "{\"node\": " #id ", \"parent\": " #parent ", \"region\": \"" name "\", \"file\": \"f.rs\", " \
    "\"line\": 1, \"calls\": " #calls ", \"incl_ns\": " #incl ", \"excl_ns\": " #excl ", " \
    "\"child_calls\": " #child ", \"desc_calls\": " #desc "}"

/* main > f > f > g, main > g, and a g so cheap that compensation clamps it. */
static const char *tree_dump(void)
{
    char *t = dump_text("cprof-1", "", "{\"ns_per_pair\": 20, \"ns_inside\": 6}", "",
        NODE(1, 0, "m::main", 1, 100000, 10000, 3, 1004) ", "
        NODE(2, 1, "m::f", 2, 60000, 20000, 2, 1002) ", "
        NODE(3, 2, "m::f", 2, 40000, 30000, 1000, 1000) ", "
        NODE(4, 3, "m::g", 1000, 10000, 10000, 0, 0) ", "
        NODE(5, 1, "m::g", 1, 30000, 30000, 0, 0) ", "
        NODE(6, 1, "m::h", 1, 3, 3, 0, 0));
    const char *p = tmp_file("tree.json", t);
    free(t);
    return p;
}

static void check_invariants(const prof_model *m)
{
    for (size_t i = 1; i < m->n_nodes; i++) {
        int64_t children = 0;
        for (size_t j = 1; j < m->n_nodes; j++)
            if (m->nodes[j].parent == i)
                children += m->nodes[j].incl[0];
        cr_assert_eq(m->nodes[i].self[0], m->nodes[i].incl[0] - children, "node %zu: excl != incl - children", i);
        cr_assert_geq(m->nodes[i].self[0], 0, "node %zu: negative time", i);
    }
    int64_t total = 0;
    for (size_t e = 0; e < m->n_entries; e++) {
        int64_t self = 0, incl = 0;
        uint64_t calls = 0;
        for (size_t i = 1; i < m->n_nodes; i++) {
            if (m->nodes[i].entry != e)
                continue;
            self += m->nodes[i].self[0];
            calls += m->nodes[i].calls;
            int outer = 1;
            for (size_t a = m->nodes[i].parent; a; a = m->nodes[a].parent)
                outer &= m->nodes[a].entry != e;
            if (outer)
                incl += m->nodes[i].incl[0];
        }
        cr_assert_eq(m->entries[e].self[0], self, "%s: flat excl != its nodes'", m->entries[e].name);
        cr_assert_eq(m->entries[e].incl[0], incl, "%s: flat incl != its outermost nodes'", m->entries[e].name);
        cr_assert_eq(m->entries[e].calls, calls, "%s: calls", m->entries[e].name);
        total += self;
    }
    cr_assert_eq(m->totals[0], total);
}

static prof_model *load(int compensate)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    char err[512];
    cr_assert_eq(read_cprof_dump_ex(m, tree_dump(), compensate, err, sizeof err), 0, "%s", err);
    return m;
}

Test(derive, raw_figures_agree)
{
    prof_model *m = load(0);
    check_invariants(m);
    size_t f = 0;
    while (strcmp(m->entries[f].name, "m::f"))
        f++;
    cr_assert_eq(m->entries[f].incl[0], 60000, "recursion counts once");
    cr_assert_eq(m->entries[f].self[0], 50000);
    prof_model_free(m);
}

Test(derive, compensated_figures_agree)
{
    prof_model *m = load(1);
    check_invariants(m);
    for (size_t e = 0; e < m->n_entries; e++)
        if (!strcmp(m->entries[e].name, "m::h"))
            cr_assert_eq(m->entries[e].incl[0], 0, "3 ns less 6 ns inside: clamped at 0");
    prof_model_free(m);
}

Test(derive, labels_are_the_shortest_unique_suffix)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    const char *names[] = {"json::parser::Parser::parse", "regex::parser::Parser::parse",
                           "json::lexer::next", "app::run", "main", "a::b::<&[u8]>::r"};
    for (size_t i = 0; i < 6; i++)
        prof_model_entry(m, names[i], NULL, (int)i, NULL);
    prof_derive_labels(m);
    cr_assert_str_eq(entry_label(&m->entries[0]), "json::parser::Parser::parse");
    cr_assert_str_eq(entry_label(&m->entries[1]), "regex::parser::Parser::parse");
    cr_assert_str_eq(entry_label(&m->entries[2]), "lexer::next");
    cr_assert_str_eq(entry_label(&m->entries[3]), "app::run");
    cr_assert_str_eq(entry_label(&m->entries[4]), "main");
    cr_assert_str_eq(entry_label(&m->entries[5]), "<&[u8]>::r");   /* no split inside <> */
    prof_model_free(m);
}

/* A function valgrind has no symbol for (the loader's entry, the root of a
 * callgrind tree): labelled as valgrind's tools show it, never a bare
 * 0x000000000001ab70. */
Test(derive, a_function_with_no_symbol_is_labelled_like_valgrind)
{
    prof_model *m = prof_model_new(PROF_CALLGRIND, "callgrind");
    size_t a = prof_model_entry(m, "0x000000000001ab70", "???", 0, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    size_t b = prof_model_entry(m, "0x0000000000000000", NULL, 0, NULL);
    size_t c = prof_model_entry(m, "0xmain", NULL, 0, NULL);
    prof_derive_vg_labels(m);
    cr_expect_str_eq(entry_label(&m->entries[a]), "0x1ab70: ??? (in ld-linux-x86-64.so.2)");
    cr_expect_str_eq(entry_label(&m->entries[b]), "0x0: ???");
    cr_expect_str_eq(entry_label(&m->entries[c]), "0xmain");
    cr_expect_str_eq(m->entries[a].name, "0x000000000001ab70");   /* json and csv keep valgrind's name */
    prof_model_free(m);
}
