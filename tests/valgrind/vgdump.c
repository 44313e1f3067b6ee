/*
 * vgdump.c: prints what the valgrind readers put in the model, one record a
 * line, so the tests can compare it with callgrind_annotate / cg_annotate
 * without depending on how a view formats numbers.
 *   vgdump callgrind|cachegrind FILE...
 * Lines: "metrics\tIr\t...", "total\tIr\tN", "fn\tNAME\tFILE\tOBJ\tLINE\tCALLS\tSELF,...\tINCL,...",
 * "edge\tCALLER\tCALLEE\tCALLS\tINCL,...", "note\t...". Exit 1 + the error line on failure.
 */
#include <stdio.h>
#include <string.h>
#include <inttypes.h>
#include "readers/readers.h"

static void vals(const int64_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%s%" PRId64, i ? "," : "\t", v[i]);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return fprintf(stderr, "usage: vgdump callgrind|cachegrind FILE...\n"), 2;
    int cg = strcmp(argv[1], "cachegrind") == 0;
    prof_model *m = prof_model_new(cg ? PROF_CACHEGRIND : PROF_CALLGRIND, argv[1]);
    char err[512];
    for (int i = 2; i < argc; i++) {
        if ((cg ? read_cachegrind : read_callgrind)(m, argv[i], err, sizeof err) < 0) {
            fprintf(stderr, "%s\n", err);
            prof_model_free(m);
            return 1;
        }
    }
    printf("metrics");
    for (size_t i = 0; i < m->n_metrics; i++)
        printf("\t%s", m->metrics[i].name);
    printf("\n");
    for (size_t i = 0; i < m->n_metrics; i++)
        printf("total\t%s\t%" PRId64 "\n", m->metrics[i].name, m->totals[i]);
    for (size_t i = 0; i < m->n_entries; i++) {
        const prof_entry *e = &m->entries[i];
        printf("fn\t%s\t%s\t%s\t%d\t%" PRIu64, e->name, e->file ? e->file : "", e->object ? e->object : "",
               e->line, e->calls);
        vals(e->self, m->n_metrics);
        if (e->has_incl)
            vals(e->incl, m->n_metrics);
        else
            printf("\t-");
        printf("\n");
    }
    for (size_t i = 0; i < m->n_edges; i++) {
        const prof_edge *e = &m->edges[i];
        printf("edge\t%s\t%s\t%" PRIu64, m->entries[e->caller].name, m->entries[e->callee].name, e->calls);
        vals(e->incl, m->n_metrics);
        printf("\n");
    }
    for (size_t i = 0; i < m->n_notes; i++)
        printf("note\t%s\n", m->notes[i]);
    prof_model_free(m);
    return 0;
}
