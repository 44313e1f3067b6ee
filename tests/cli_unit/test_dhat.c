/* test_dhat.c: the DHAT reader on small hand-written files: frame strings,
 * the allocator's frames left out, self/inclusive figures with recursion,
 * call paths and edges, the three modes, merging, and bad files. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "readers/dhat.h"
#include "readers/dhat_frames.h"
#include "readers/readers.h"
#include "helpers.h"

#define HEAP_HEAD "{\"dhatFileVersion\":2,\"mode\":\"heap\",\"verb\":\"Allocated\",\"bklt\":true,\"bkacc\":true," \
    "\"tu\":\"instrs\",\"Mtu\":\"Minstr\",\"tuth\":500,\"cmd\":\"./app\",\"pid\":7,\"te\":1000,\"tg\":500,"
#define PP(tb, tbk, gb, eb, fs) "{\"tb\":" #tb ",\"tbk\":" #tbk ",\"tl\":10,\"mb\":0,\"mbk\":0,\"gb\":" #gb \
    ",\"gbk\":1,\"eb\":" #eb ",\"ebk\":0,\"rb\":1,\"wb\":2,\"fs\":" fs "}"
/* main -> f -> (malloc) 300; main -> f -> f -> (malloc) 40; main -> (alloc::alloc::alloc <- malloc) 5 */
#define FTBL "\"ftbl\":[\"[root]\",\"0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)\"," \
    "\"0x1091AD: f (src/a.c:4)\",\"0x1091FB: main (src/a.c:9)\",\"0x1091C0: f (src/a.c:6)\"," \
    "\"0x10A000: alloc (/rustc/x/library/alloc/src/alloc.rs:95)\",\"0x109210: main (src/a.c:11)\"]"
#define HEAP_FILE HEAP_HEAD "\"pps\":[" PP(300, 3, 100, 0, "[1,2,3]") "," PP(40, 1, 0, 40, "[1,2,4,3]") "," \
    PP(5, 1, 0, 5, "[1,5,6]") "]," FTBL "}"

static prof_model *read_text(const char *text, int *rc, char *err, size_t errlen)
{
    prof_model *m = prof_model_new(PROF_DHAT, "dhat");
    *rc = read_dhat_mem(m, "t.dhat", text, strlen(text), err, errlen);
    return m;
}

static const prof_entry *entry(const prof_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_entries; i++)
        if (strcmp(m->entries[i].name, name) == 0)
            return &m->entries[i];
    return NULL;
}

Test(dhat_frames, splits_name_file_line_object)
{
    dhat_frame f;
    dhat_frame_parse(&f, "0x1091AD: exprcalc::parse (/src/main.rs:10)");
    cr_assert_str_eq(f.name, "exprcalc::parse");
    cr_assert_str_eq(f.file, "/src/main.rs");
    cr_assert_eq(f.line, 10);
    cr_assert_null(f.object);
    cr_assert_not(f.allocator);
    dhat_frame_free(&f);
    dhat_frame_parse(&f, "0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)");
    cr_assert_str_eq(f.name, "malloc");
    cr_assert_null(f.file);
    cr_assert_str_eq(f.object, "/usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so");
    cr_assert(f.allocator);
    dhat_frame_free(&f);
    dhat_frame_parse(&f, "0x401AB77: ???");
    cr_assert_str_eq(f.name, "???");
    cr_assert_null(f.file);
    cr_assert_null(f.object);
    dhat_frame_free(&f);
}

Test(dhat_frames, brackets_inside_a_rust_name)
{
    dhat_frame f;
    dhat_frame_parse(&f, "0x141C73: call_once<(), (dyn core::ops::Fn<(), Output=i32> + Sync)> "
                     "(/rustc/x/library/core/src/ops/function.rs:287)");
    cr_assert_str_eq(f.name, "call_once<(), (dyn core::ops::Fn<(), Output=i32> + Sync)>");
    cr_assert_str_eq(f.file, "/rustc/x/library/core/src/ops/function.rs");
    cr_assert_eq(f.line, 287);
    dhat_frame_free(&f);
    dhat_frame_parse(&f, "0x10: a::b::h0123456789abcdef (x.rs)");   /* a legacy hash; a file without a line */
    cr_assert_str_eq(f.name, "a::b");
    cr_assert_str_eq(f.file, "x.rs");
    cr_assert_eq(f.line, 0);
    dhat_frame_free(&f);
    dhat_frame_parse(&f, "[root]");
    cr_assert_str_eq(f.name, "[root]");
    dhat_frame_free(&f);
    dhat_frame_parse(&f, "0x10: (x.rs:3)");   /* no name at all */
    cr_assert_str_eq(f.name, "???");
    dhat_frame_free(&f);
}

Test(dhat_frames, allocator_by_name_object_and_library_file)
{
    cr_assert(dhat_allocator_frame("__rust_alloc", NULL, "/app"));
    cr_assert(dhat_allocator_frame("alloc::raw_vec::RawVec<T,A>::grow_one", "/rustc/x/library/alloc/src/raw_vec/mod.rs", NULL));
    cr_assert(dhat_allocator_frame("grow_one<alloc::alloc::Global>", "/rustc/x/library/alloc/src/raw_vec/mod.rs", NULL));
    cr_assert(dhat_allocator_frame("operator new(unsigned long)", NULL, "/usr/lib/libstdc++.so.6"));
    cr_assert(dhat_allocator_frame("calloc", "malloc.c", NULL));
    /* the alloc crate's helpers, inlined (no path) or not: self is their caller (the ryu trial) */
    cr_assert(dhat_allocator_frame("with_capacity_in<u8, alloc::alloc::Global>", "/rustc/x/library/alloc/src/vec/mod.rs", NULL));
    cr_assert(dhat_allocator_frame("with_capacity", "/rustc/x/library/alloc/src/string.rs", NULL));
    cr_assert(dhat_allocator_frame("<alloc::vec::Vec<u8>>::push", NULL, "/app"));
    cr_assert(dhat_allocator_frame("alloc::raw_vec::finish_grow<alloc::alloc::Global>", NULL, "/app"));
    cr_assert_not(dhat_allocator_frame("call_once<fn(), ()>", "/rustc/x/library/core/src/ops/function.rs", NULL));
    cr_assert_not(dhat_allocator_frame("work::main", "/home/u/work/src/bin/work.rs", NULL));
    cr_assert_not(dhat_allocator_frame("mylib::alloc::pool", "/home/u/mylib/src/alloc/pool.rs", NULL));
    cr_assert_not(dhat_allocator_frame("my::alloc", "/home/u/src/alloc.rs", NULL));
    cr_assert_not(dhat_allocator_frame("mallocate", NULL, NULL));
    /* cprof::Alloc, the wrapper `init --alloc` adds: named, and inlined (its file) */
    cr_assert(dhat_allocator_frame("<cprof::alloc::Alloc<std::alloc::System> as core::alloc::global::GlobalAlloc>::alloc",
                                   "/x/proc-macro-shim/cprof/src/alloc.rs", NULL));
    cr_assert(dhat_allocator_frame("alloc<std::alloc::System>", "/usr/share/cargo-profiler/proc-macro-shim/cprof/src/alloc.rs", NULL));
    cr_assert_not(dhat_allocator_frame("mycprof::alloc", "/home/u/mycprof/src/alloc.rs", NULL));
}

Test(dhat_reader, self_incl_recursion_and_the_allocator_left_out)
{
    char err[512];
    int rc;
    prof_model *m = read_text(HEAP_FILE, &rc, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_eq(m->n_metrics, 9);
    cr_assert_str_eq(m->metrics[0].name, "bytes");
    cr_assert_str_eq(m->metrics[2].name, "peak_bytes");
    cr_assert_eq(m->totals[0], 345);
    cr_assert_eq(m->totals[1], 5);
    cr_assert_eq(m->totals[2], 100);
    cr_assert_eq(m->totals[4], 45);
    cr_assert_null(entry(m, "malloc"));
    cr_assert_null(entry(m, "alloc"));
    const prof_entry *f = entry(m, "f"), *mn = entry(m, "main");
    cr_assert_not_null(f);
    cr_assert_eq(m->n_entries, 2, "f's frames at lines 4 and 6 are one function");
    cr_assert_eq(f->self[0], 340);
    cr_assert_eq(f->incl[0], 340, "f twice on one stack counts once");
    cr_assert_eq(f->line, 4);
    cr_assert_str_eq(f->file, "src/a.c");
    cr_assert_eq(mn->self[0], 5);
    cr_assert_eq(mn->incl[0], 345);
    cr_assert_eq(mn->incl[1], 5);
    cr_assert_str_eq(m->command, "./app");
    prof_model_free(m);
}

Test(dhat_reader, call_paths_are_the_stacks_and_edges_count_the_outer_call)
{
    char err[512];
    int rc;
    prof_model *m = read_text(HEAP_FILE, &rc, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    /* root, main, main>f, main>f>f */
    cr_assert_eq(m->n_nodes, 4);
    int64_t self_sum = 0;
    for (size_t i = 1; i < m->n_nodes; i++)
        self_sum += m->nodes[i].self[0];
    cr_assert_eq(self_sum, 345, "the stacks' self figures add up to the total");
    size_t fi = (size_t)(entry(m, "f") - m->entries), mi = (size_t)(entry(m, "main") - m->entries);
    int64_t main_f = -1, f_f = -1;
    for (size_t i = 0; i < m->n_edges; i++) {
        if (m->edges[i].caller == mi && m->edges[i].callee == fi)
            main_f = m->edges[i].incl[0];
        if (m->edges[i].caller == fi && m->edges[i].callee == fi)
            f_f = m->edges[i].incl[0];
    }
    cr_assert_eq(main_f, 340);
    cr_assert_eq(f_f, 0, "the recursive call is inside the outer one");
    prof_model_free(m);
}

Test(dhat_reader, copy_and_ad_hoc_modes)
{
    char err[512];
    int rc;
    prof_model *m = read_text("{\"dhatFileVersion\":2,\"mode\":\"ad-hoc\",\"verb\":\"Occurred\",\"bklt\":false,"
                              "\"bkacc\":false,\"tu\":\"instrs\",\"Mtu\":\"Minstr\",\"cmd\":\"./b\",\"pid\":1,"
                              "\"te\":9,\"pps\":[{\"tb\":50,\"tbk\":5,\"fs\":[1,2]}],"
                              "\"ftbl\":[\"[root]\",\"0x1: ev (b.c:2)\",\"0x2: main (b.c:3)\"]}", &rc, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_eq(m->n_metrics, 2);
    cr_assert_str_eq(m->metrics[0].name, "units");
    cr_assert_str_eq(m->metrics[1].name, "events");
    cr_assert_eq(entry(m, "ev")->self[0], 50);
    cr_assert_eq(entry(m, "main")->incl[1], 5);
    prof_model_free(m);
    dhat_mode mode;
    cr_assert_eq(dhat_mode_parse("copy", &mode), 0);
    cr_assert_eq(mode, DHAT_COPY);
    cr_assert_neq(dhat_mode_parse("Heap", &mode), 0);
    m = prof_model_new(PROF_DHAT, "dhat");
    cr_assert_eq(dhat_plan_metrics(m, DHAT_COPY), 2);
    cr_assert_str_eq(m->metrics[1].name, "blocks");
    prof_model_free(m);
}

Test(dhat_reader, two_files_merge_one_mode_only)
{
    char err[512];
    int rc;
    prof_model *m = read_text(HEAP_FILE, &rc, err, sizeof err);
    cr_assert_eq(read_dhat_mem(m, "u.dhat", HEAP_FILE, strlen(HEAP_FILE), err, sizeof err), 0, "%s", err);
    cr_assert_eq(m->totals[0], 690);
    cr_assert_eq(entry(m, "f")->incl[0], 680);
    const char *copy = "{\"dhatFileVersion\":2,\"mode\":\"copy\",\"verb\":\"Copied\",\"bklt\":false,\"bkacc\":false,"
                       "\"tu\":\"instrs\",\"Mtu\":\"Minstr\",\"cmd\":\"./b\",\"pid\":1,\"te\":9,"
                       "\"pps\":[{\"tb\":5,\"tbk\":1,\"fs\":[1]}],\"ftbl\":[\"[root]\",\"0x1: g (b.c:2)\"]}";
    cr_assert_eq(read_dhat_mem(m, "c.dhat", copy, strlen(copy), err, sizeof err), -1);
    cr_assert(strstr(err, "c.dhat: a DHAT copy-mode profile: cannot be merged"), "%s", err);
    cr_assert_eq(m->totals[0], 690, "a refused file changes nothing");
    prof_model_free(m);
}

static void expect_error(const char *text, const char *want)
{
    char err[512] = "";
    int rc;
    prof_model *m = read_text(text, &rc, err, sizeof err);
    cr_assert_eq(rc, -1, "accepted: %s", text);
    cr_assert(strstr(err, want), "got \"%s\", expected \"%s\"", err, want);
    cr_assert_null(strchr(err, '\n'));
    cr_assert_eq(m->n_entries, 0, "a bad file adds nothing");
    prof_model_free(m);
}

Test(dhat_reader, bad_files_name_the_field)
{
    expect_error("", "t.dhat: byte 0 (line 1): truncated DHAT file");
    expect_error("{\"dhatFileVersion\":2,", "truncated DHAT file");
    expect_error("[1]", "t.dhat: top level: expected a JSON object");
    expect_error("{\"dhatFileVersion\":1}", "t.dhat: dhatFileVersion 1: expected 2");
    expect_error("{\"dhatFileVersion\":2,\"mode\":\"x\"}", "t.dhat: mode \"x\": expected heap, copy or ad-hoc");
    expect_error("{\"dhatFileVersion\":2,\"mode\":\"heap\",\"bklt\":true}", "t.dhat: bkacc: expected true or false");
    expect_error(HEAP_HEAD "\"pps\":[" PP(1, 1, 0, 0, "[9]") "]," FTBL "}", "t.dhat: pps[0].fs[0]: expected an index into ftbl (0 to 6)");
    expect_error(HEAP_HEAD "\"pps\":[" PP(1, 1, 0, 0, "[]") "]," FTBL "}", "t.dhat: pps[0].fs: expected a non-empty array");
    expect_error(HEAP_HEAD "\"pps\":[" PP(1, 1, 0, 0, "[1]") ",{\"tb\":1}]," FTBL "}", "t.dhat: pps[1].tbk: expected a count");
    expect_error(HEAP_HEAD "\"pps\":[" PP(1, 1, 0, 0, "[1]") ",7]," FTBL "}", "t.dhat: pps[1]: expected a program point");
    expect_error(HEAP_HEAD "\"pps\":{}," FTBL "}", "t.dhat: pps: expected an array");
    expect_error(HEAP_HEAD "\"pps\":[]}", "t.dhat: ftbl: expected an array");
    expect_error(HEAP_HEAD "\"pps\":[],\"ftbl\":[\"a\\nb\",3]}", "t.dhat: ftbl[1]: expected a frame");
}

Test(dhat_reader, an_allocator_only_stack_keeps_its_outermost_frame)
{
    char err[512];
    int rc;
    prof_model *m = read_text(HEAP_HEAD "\"pps\":[" PP(8, 1, 0, 0, "[1]") "]," FTBL "}", &rc, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_eq(entry(m, "malloc")->self[0], 8);
    prof_model_free(m);
}

Test(dhat_sniff, by_its_first_key)
{
    cr_assert_eq(sniff_format(tmp_file("a.dhat", HEAP_FILE)), FILE_DHAT);
    cr_assert_eq(sniff_format(tmp_file("b.dhat", "  {\n \"pps\":[], \"dhatFileVersion\":2}")), FILE_DHAT);
}

/* A read that succeeds leaves err alone: the callers' buffer is not
 * initialised (present.c), and the one-line pass ran over it up to
 * whatever 0 byte came next on the stack, writing '?' on its way. */
Test(dhat_reader, success_leaves_err_untouched)
{
    struct { char err[16]; char after[16]; } b;
    memset(b.err, '\n', sizeof b.err);
    memset(b.after, '\t', sizeof b.after - 1);
    b.after[sizeof b.after - 1] = 0;
    prof_model *m = prof_model_new(PROF_DHAT, "dhat");
    cr_assert_eq(read_dhat_mem(m, "t.dhat", HEAP_FILE, strlen(HEAP_FILE), b.err, sizeof b.err), 0);
    for (size_t i = 0; i < sizeof b.err; i++)
        cr_assert_eq(b.err[i], '\n', "err[%zu] changed", i);
    for (size_t i = 0; i + 1 < sizeof b.after; i++)
        cr_assert_eq(b.after[i], '\t', "a byte past err changed (%zu)", i);
    prof_model_free(m);
}
