/* test_model.c: the in-memory profile: keys, dedupe, limits. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "model/model.h"

Test(model, entries_by_name_file_line_object)
{
    prof_model *m = prof_model_new(PROF_CALLGRIND, "callgrind");
    size_t a = prof_model_entry(m, "f", "a.c", 1, "libx.so");
    cr_assert_eq(prof_model_entry(m, "f", "a.c", 1, "libx.so"), a);
    cr_assert_neq(prof_model_entry(m, "f", "a.c", 2, "libx.so"), a);
    cr_assert_neq(prof_model_entry(m, "f", "b.c", 1, "libx.so"), a);
    cr_assert_neq(prof_model_entry(m, "f", "a.c", 1, NULL), a);
    cr_assert_neq(prof_model_entry(m, "f", NULL, 1, "libx.so"), a);
    cr_assert_neq(prof_model_entry(m, "f", "", 1, "libx.so"), prof_model_entry(m, "f", NULL, 1, "libx.so"));
    cr_assert_eq(m->n_entries, 6);
    cr_assert_str_eq(m->entries[a].object, "libx.so");
    cr_assert_eq(m->entries[a].has_incl, 1);
    /* many entries: indices stay valid while the array grows */
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "g%d", i);
        prof_model_entry(m, name, "a.c", i, NULL);
    }
    cr_assert_eq(prof_model_entry(m, "g4321", "a.c", 4321, NULL), 6 + 4321);
    cr_assert_str_eq(m->entries[6 + 4321].name, "g4321");
    prof_model_free(m);
}

Test(model, nodes_by_path)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    cr_assert_eq(m->n_nodes, 1, "the root");
    size_t a = prof_model_entry(m, "a", NULL, 0, NULL), b = prof_model_entry(m, "b", NULL, 0, NULL);
    size_t na = prof_model_node(m, 0, a), nab = prof_model_node(m, na, b), nb = prof_model_node(m, 0, b);
    cr_assert_neq(nab, nb);
    cr_assert_eq(prof_model_node(m, na, b), nab);
    cr_assert_eq(m->nodes[nab].parent, na);
    cr_assert_eq(m->nodes[nab].entry, b);
    cr_assert_eq(m->n_nodes, 4);
    size_t e = prof_model_edge(m, a, b);
    cr_assert_eq(prof_model_edge(m, a, b), e);
    cr_assert_neq(prof_model_edge(m, b, a), e);
    prof_model_free(m);
}

Test(model, metrics_missing_notes)
{
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    cr_assert_eq(prof_model_metric(m, "time", 1), 0);
    cr_assert_eq(prof_model_metric(m, "E", 0), 1);
    cr_assert_eq(prof_model_metric(m, "time", 1), 0);
    cr_assert_eq(prof_model_find_metric(m, "E"), 1);
    cr_assert_eq(prof_model_find_metric(m, "F"), -1);
    char n[16];
    for (int i = 2; i < PROF_MAX_METRICS; i++) {
        snprintf(n, sizeof n, "M%d", i);
        cr_assert_eq(prof_model_metric(m, n, 0), i);
    }
    cr_assert_eq(prof_model_metric(m, "one too many", 0), -1);
    prof_model_missing(m, "X", "no such event");
    prof_model_missing(m, "X", "again");
    cr_assert_eq(m->n_missing, 1);
    prof_model_note(m, "note %d", 1);
    prof_model_note(m, "note %d", 1);
    prof_model_note(m, "note %d", 2);
    cr_assert_eq(m->n_notes, 2);
    cr_assert_str_eq(m->notes[1], "note 2");
    prof_model_free(m);
}

#include "model/only_crate.h"

/* --only-crate: the program's own source, not the toolchain's, its
 * libraries' nor the standard library's own dependencies (gimli, ...). */
Test(only_crate, own_sources_only)
{
    prof_entry e = {0};
    e.name = "f";
    const char *theirs[] = {"/rustc/abc/library/std/src/rt.rs", "/rust/deps/gimli-0.31.1/src/read/line.rs",
                            "/cargo/registry/src/index.crates.io-1/addr2line-0.24/src/lib.rs",
                            "/root/.cargo/registry/src/x/serde-1/src/de.rs", "./malloc/malloc.c",
                            "/usr/include/stdio.h", "???", ""};
    for (size_t i = 0; i < sizeof theirs / sizeof theirs[0]; i++) {
        e.file = (char *)theirs[i];
        cr_assert_eq(vg_is_own(&e, NULL), 0, "%s taken as own", theirs[i]);
    }
    e.file = "/home/u/app/src/main.rs";
    cr_assert_eq(vg_is_own(&e, NULL), 1);
    e.file = "src/lib.rs";
    cr_assert_eq(vg_is_own(&e, NULL), 1);
}

#include <limits.h>
#include "sortkey.h"

/* Lines at the ends of int and figures at the ends of int64_t: ordered and
 * added without overflow (the suite runs under UBSan). */
Test(model, extreme_lines_and_sums)
{
    prof_model *m = prof_model_new(PROF_CALLGRIND, "callgrind");
    prof_model_metric(m, "Ir", 0);
    prof_model_entry(m, "f", "a.c", INT_MAX, NULL);
    prof_model_entry(m, "f", "a.c", -INT_MAX, NULL);
    sort_key k = {SORT_NAME, 0};
    size_t n;
    size_t *rows = sorted_entries(m, &k, 0, &n);
    cr_assert_eq(n, 2);
    cr_assert_eq(m->entries[rows[0]].line, -INT_MAX);
    free(rows);
    cr_assert_eq(prof_add(INT64_MAX, 1), INT64_MAX);
    cr_assert_eq(prof_add(INT64_MIN, -1), INT64_MIN);
    cr_assert_eq(prof_add(-5, 3), -2);
    prof_model_free(m);
}

#include "views/callers.h"

/* --callers takes a function by its full name, its ::-ending, or the name
 * #[profile] gives a method (callgrind writes rustc's `<impl Tr for T>`). */
Test(callers, names_full_ending_and_as_regions_write_them)
{
    prof_model *m = prof_model_new(PROF_CALLGRIND, "callgrind");
    prof_model_entry(m, "semver::impls::<impl core::cmp::Ord for semver::BuildMetadata>::cmp", NULL, 0, NULL);
    prof_model_entry(m, "<alloc::vec::Vec<T> as core::ops::Drop>::drop", NULL, 0, NULL);
    prof_model_entry(m, "prog::work", NULL, 0, NULL);
    prof_model_entry(m, "strncmp", NULL, 0, NULL);
    cr_assert_eq(view_callers_matches(m, "prog::work"), 1);
    cr_assert_eq(view_callers_matches(m, "work"), 1);
    cr_assert_eq(view_callers_matches(m, "ork"), 0, "not any substring");
    cr_assert_eq(view_callers_matches(m, "cmp"), 1, "strncmp is not ::cmp");
    cr_assert_eq(view_callers_matches(m, "semver::BuildMetadata::cmp"), 1);
    cr_assert_eq(view_callers_matches(m, "BuildMetadata::cmp"), 1);
    cr_assert_eq(view_callers_matches(m, "alloc::vec::Vec::drop"), 1);
    cr_assert_eq(view_callers_matches(m, "Vec::drop"), 1);
    prof_model_free(m);
}
