/*
 * folded.c: "a;b;c value" per call path, the input of flame graph tools
 * (flamegraph.pl, inferno, speedscope). The value is the path's exclusive
 * figure of the chosen metric (--metric, default time in ns), so a frame's
 * width is its inclusive figure. Paths with 0 are left out. Valgrind
 * profiles have no paths: one line per function with its self cost. A title
 * (--threads: the thread) becomes the root frame of every stack.
 */
#include "views/children.h"
#include "sys/xalloc.h"
#include "views/util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>


int view_folded(const prof_model *m, const view_opts *o, FILE *out)
{
    int k = 0;
    if (o->metric) {
        k = prof_model_user_metric(m, o->metric);
        if (k < 0) {
            fprintf(stderr, "cargo-profiler: --metric %s: not in this profile\n", o->metric);
            return -1;
        }
    }
    if (m->kind != PROF_REGIONS && m->n_nodes <= 1) {   /* callgrind: paths from its call edges */
        for (size_t i = 0; i < m->n_entries; i++) {
            const prof_entry *e = &m->entries[i];
            if (e->self[k] <= 0)   /* flame-graph tools take positive values only */
                continue;
            if (o->title) {
                folded_frame(out, o->title);
                fputc(';', out);
            }
            folded_frame(out, e->name);
            fprintf(out, " %" PRId64 "\n", e->self[k]);
        }
        return ferror(out) ? -1 : 0;
    }
    /* depth-first in name order, so the output is stable */
    children c;
    if (children_build(m, NULL, &c) == 0) {
        size_t n = m->n_nodes, sp = 0;
        size_t *stack = xcalloc(n, sizeof *stack), *sdepth = xcalloc(n, sizeof *sdepth);
        size_t *path = xcalloc(n, sizeof *path);   /* the nodes from the root down */
        for (size_t i = c.first[1]; i-- > c.first[0];) {
            stack[sp] = c.list[i];
            sdepth[sp++] = 0;
        }
        while (sp) {
            sp--;
            size_t ni = stack[sp], d = sdepth[sp];
            path[d] = ni;
            if (m->nodes[ni].self[k] > 0) {   /* flame-graph tools take positive values only */
                if (o->title) {
                    folded_frame(out, o->title);
                    fputc(';', out);
                }
                for (size_t i = 0; i <= d; i++) {
                    if (i)
                        fputc(';', out);
                    folded_frame(out, m->entries[m->nodes[path[i]].entry].name);
                }
                fprintf(out, " %" PRId64 "\n", m->nodes[ni].self[k]);
            }
            for (size_t i = c.first[ni + 1]; i-- > c.first[ni];) {
                stack[sp] = c.list[i];
                sdepth[sp++] = d + 1;
            }
        }
        free(sdepth);
        free(path);
        free(stack);
        children_free(&c);
    }
    return ferror(out) ? -1 : 0;
}
