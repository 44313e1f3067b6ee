/* test_dump_v2.c: the compact dump (cprof-2): what the reader derives is
 * what the runtime writes into cprof-1, field by field (a recorded run of
 * tests/e2e/fixtures/v2mix written both ways from one cut); hand-made
 * dumps give exact figures; a corrupt one gets one line naming the field. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/derive.h"
#include "readers/cprof_dump.h"
#include "readers/dump_check.h"
#include "readers/dump_doc.h"
#include "readers/dump_v2.h"

#define DATA "tests/cli_unit/data/"

static void load_doc(const char *path, dump_doc *doc, dump_checked *ck)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *buf = malloc(1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[n] = 0;
    jp j;
    char err[512];
    cr_assert_eq(dump_doc_read(doc, buf, n, &j), 0, "%s: %s", path, j.what);
    jp_free(&j);
    cr_assert_eq(dump_check(doc, path, ck, err, sizeof err), 0, "%s", err);
    if (ck->v2)
        dump_v2_derive(doc);
}

static void same_val(const jp_val *a, const jp_val *b, const char *what, size_t i, int f)
{
    cr_assert_eq(a->type, b->type, "%s[%zu] field %d: type %d, cprof-1 %d", what, i, f, a->type, b->type);
    if (a->type == JP_INT)
        cr_assert_eq(a->i, b->i, "%s[%zu] field %d: %lld, cprof-1 %lld", what, i, f, a->i, b->i);
    if (a->type == JP_STRING)
        cr_assert_str_eq(a->s, b->s, "%s[%zu] field %d", what, i, f);
}

static void same_recs(const dump_doc *d2, const doc_rec *a, const dump_doc *d1, const doc_rec *b,
                      size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        for (int f = 0; f < RF_N; f++)
            if (f != RF_ID && f != RF_COUNTERS)   /* id: the runtime's, not kept in cprof-2 */
                same_val(&a[i].f[f], &b[i].f[f], what, i, f);
        cr_assert_eq(a[i].c_n, b[i].c_n, "%s[%zu]: counters", what, i);
        for (uint32_t k = 0; k < a[i].c_n; k++) {
            const doc_counter *x = &d2->counters[a[i].c_first + k], *y = &d1->counters[b[i].c_first + k];
            cr_assert_str_eq(strtab_get(&d2->names, x->ev), strtab_get(&d1->names, y->ev));
            same_val(&x->incl, &y->incl, what, i, 100 + (int)k);
            same_val(&x->excl, &y->excl, what, i, 200 + (int)k);
        }
    }
}

Test(dump_v2, derived_records_are_cprof1s_exactly)
{
    dump_doc d2, d1;
    dump_checked c2, c1;
    load_doc(DATA "v2mix-2.json", &d2, &c2);
    load_doc(DATA "v2mix-1.json", &d1, &c1);
    cr_assert(c2.v2 && !c1.v2);
    cr_assert_eq(d2.n_threads, d1.n_threads);
    size_t throttled = 0, open = 0, regions = 0, nodes = 0;
    for (size_t t = 0; t < d2.n_threads; t++) {
        const doc_thread *a = &d2.threads[t], *b = &d1.threads[t];
        cr_assert_eq(a->n_regions, b->n_regions, "thread %zu: regions", t);
        cr_assert_eq(a->n_tree, b->n_tree, "thread %zu: nodes", t);
        same_recs(&d2, a->regions, &d1, b->regions, a->n_regions, "regions");
        same_recs(&d2, a->tree, &d1, b->tree, a->n_tree, "tree");
        for (size_t i = 0; i < a->n_tree; i++) {
            throttled += a->tree[i].f[RF_TIMED].type == JP_INT;
            open += a->tree[i].f[RF_OPEN].type == JP_TRUE;
        }
        regions += a->n_regions, nodes += a->n_tree;
    }
    /* the recording has what it is for: throttling, an open call on another thread */
    cr_assert_eq(throttled, 1);
    cr_assert_eq(open, 1);
    cr_assert_eq(regions, 12);
    cr_assert_eq(nodes, 20);
    free(c2.active), free(c1.active);
    dump_doc_free(&d2), dump_doc_free(&d1);
}

#define HEAD "{\"format\": \"cprof-2\", \"pid\": 7, \"events\": [{\"name\": \"sde:::X::W\", \"active\": true}], " \
    "\"overhead\": {\"ns_per_pair\": 0, \"ns_inside\": 0}, "
#define SITES "\"sites\": [[\"a\", \"a.c\", 1], [\"b\", \"b.c\", 2]], "

static cprof_dump *load(const char *text, char *err, size_t n)
{
    return cprof_dump_load_mem("in.json", text, strlen(text), err, n);
}

/* a(b(a)), b: recursion counts once; exclusive figures from the children. */
Test(dump_v2, hand_made_tree_gives_exact_figures)
{
    const char *t = HEAD SITES "\"threads\": [{\"tid\": 1, \"tree\": [\n"
                    "[0,0,2,2,1000,400,600,100],\n"
                    "[1,1,2,2,300,100,200,40],\n"
                    "[2,0,1,1,50,50,50,10],\n"
                    "[0,1,4,3,200,null,null,30,{\"child_untimed\":1}]]}]}";
    char err[512] = "";
    cprof_dump *d = load(t, err, sizeof err);
    cr_assert_not_null(d, "%s", err);
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    cprof_dump_merge(m, d, -1, 0);
    prof_derive_regions(m);
    int seen = 0;
    for (size_t i = 0; i < m->n_entries; i++) {
        const prof_entry *e = &m->entries[i];
        if (strcmp(e->name, "a") == 0) {   /* the inner a adds nothing to a's inclusive figures */
            cr_assert_eq(e->calls, 3);
            cr_assert_eq(e->incl[0], 1000);
            cr_assert_eq(e->self[0], 700 + 50);
            cr_assert_eq(e->incl[1], 100);
            cr_assert_eq(e->self[1], 60 + 10);
            cr_assert_eq(e->min_ns, 50);
            cr_assert_eq(e->max_ns, 600);
            seen++;
        } else if (strcmp(e->name, "b") == 0) {
            cr_assert_eq(e->calls, 5);
            cr_assert_eq(e->incl[0], 500);
            cr_assert_eq(e->self[0], 250 + 200);
            cr_assert_eq(e->self[1], 30 + 30);
            cr_assert_eq(e->min_ns, 100);   /* the node without a completed timed call: not counted */
            cr_assert_eq(e->max_ns, 200);
            seen++;
        }
    }
    cr_assert_eq(seen, 2);
    prof_model_free(m);
    cprof_dump_free(d);
}

static void refused(const char *body, const char *needle)
{
    char *t = NULL, err[512] = "";
    cr_assert(asprintf(&t, HEAD "%s", body) > 0);
    cprof_dump *d = load(t, err, sizeof err);
    cr_assert_null(d, "accepted: %s", t);
    cr_assert(strncmp(err, "in.json: ", 9) == 0 && !strchr(err, '\n'), "%s", err);
    cr_assert(strstr(err, needle), "expected '%s' in: %s", needle, err);
    free(t);
}

#define TREE(nodes) SITES "\"threads\": [{\"tid\": 1, \"tree\": [" nodes "]}]}"

Test(dump_v2, corrupt_dumps_name_the_field)
{
    refused("\"threads\": []}", "in.json: sites: expected a field (missing)");
    refused("\"sites\": [[\"a\", \"a.c\"]], \"threads\": []}",
            "sites[0]: expected [name, file, line]: a string, a string or null, an integer");
    refused(TREE("[0,2,1,1,5,5,5,1]"), "threads[0].tree[0].site: expected an index in \"sites\" (0 to 1)");
    refused(TREE("[1,0,1,1,5,5,5,1]"), "threads[0].tree[0].parent: expected 0 or a node listed before");
    refused(TREE("[0,0,1,1,5,5,5,1],[3,0,1,1,5,5,5,1]"), "threads[0].tree[1].parent: expected 0 or a node listed before");
    refused(TREE("[0,0,1,1,5,5,5]"), "threads[0].tree[0]: expected 8 numbers [parent, site, pairs");
    refused(TREE("[0,0,1,1,5,5,5,1,2]"), "threads[0].tree[0]: expected 8 numbers");
    refused(TREE("[0,0,1,1,5,5,5,1,{\"open\":true},3]"), "threads[0].tree[0]: expected 8 numbers");
    refused(TREE("[0,0,1,1,5,[5],5,1]"), "threads[0].tree[0]: expected 8 numbers");
    refused(TREE("[0,0,1,1,5,null,5,1]"), "threads[0].tree[0].min_ns: expected min_ns and max_ns both numbers, or both null");
    refused(TREE("[0,0,1,1,5,5,5,\"x\"]"), "threads[0].tree[0].counters: expected integer counts");
    refused(TREE("[0,0,1,1,5,5,5,1,{\"open\":1}]"), "threads[0].tree[0].open: expected true or false");
    refused(TREE("{\"node\": 1}"), "threads[0].tree[0]: expected an array (a cprof-2 node)");
    refused(SITES "\"threads\": [{\"tid\": 1, \"counters\": [\"nope\"], \"tree\": []}]}",
            "threads[0].counters: expected names of events listed as active in \"events\"");
    refused(TREE("[0,0,1,1,5,5,5,1,{\"timed\":1,\"timed\":2}]"), "each key once in an object (\"timed\" again)");
    refused(SITES "\"threads\": [{\"tid\": 1, \"tree\": [[0,0,1,", "truncated or empty dump");
}

Test(dump_v2, out_of_range_values_cost_themselves)
{
    char *t = NULL, err[512] = "";
    cr_assert(asprintf(&t, HEAD TREE("[0,0,-1,1,5,5,5,1,{\"timed\":\"x\"}]")) > 0);
    cprof_dump *d = load(t, err, sizeof err);
    cr_assert_not_null(d, "%s", err);
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    cprof_dump_merge(m, d, -1, 0);
    prof_derive_regions(m);
    int warned = 0;
    for (size_t i = 0; i < m->n_notes; i++)
        warned += strstr(m->notes[i], "2 value(s) out of range, read as 0 (the first: threads[0].tree[0].pairs") != NULL;
    cr_assert_eq(warned, 1);
    prof_model_free(m);
    cprof_dump_free(d);
    free(t);
}
