/* only_crate.c: --only-crate (see only_crate.h). */
#include "model/only_crate.h"
#include "model/callpaths.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int same_file(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

int vg_is_own(const prof_entry *e, const char *exe)
{
    if (exe && e->object && !same_file(e->object, exe))   /* cachegrind: no objects */
        return 0;
    const char *f = e->file;
    if (!f || !*f || strcmp(f, "???") == 0)
        return 0;   /* no debug info: startup code, not the user's */
    if (strncmp(f, "/rustc/", 7) == 0 || strstr(f, "/.cargo/registry/") || strstr(f, "/.cargo/git/") ||
        strstr(f, "/.rustup/") || strncmp(f, "/usr/", 5) == 0 || strncmp(f, "./", 2) == 0)
        return 0;   /* toolchain, dependencies, system headers, glibc's own sources */
    return strncmp(e->name, "0x", 2) != 0;
}

prof_model *vg_only_crate(prof_model *m, const char *exe)
{
    prof_model *k = prof_model_new(m->kind, m->tool);
    for (size_t i = 0; i < m->n_metrics; i++) {
        prof_model_metric(k, m->metrics[i].name, m->metrics[i].is_time);
        k->totals[i] = m->totals[i];
    }
    if (m->command)
        k->command = strdup(m->command);
    for (size_t i = 0; i < m->n_missing; i++)
        prof_model_missing(k, m->missing[i].name, m->missing[i].reason);
    for (size_t i = 0; i < m->n_notes; i++)
        prof_model_note(k, "%s", m->notes[i]);
    size_t *map = malloc((m->n_entries ? m->n_entries : 1) * sizeof *map);
    if (!map) {
        prof_model_free(k);
        return m;
    }
    size_t hidden = 0;
    uint64_t hidden_self = 0;
    for (size_t i = 0; i < m->n_entries; i++) {
        const prof_entry *e = &m->entries[i];
        if (!vg_is_own(e, exe)) {
            map[i] = (size_t)-1;
            hidden++;
            hidden_self += e->self[0];
            continue;
        }
        map[i] = prof_model_entry(k, e->name, e->file, e->line, e->object);
        prof_entry *d = &k->entries[map[i]];
        d->calls = e->calls;
        d->has_incl = e->has_incl;
        memcpy(d->self, e->self, sizeof d->self);
        memcpy(d->incl, e->incl, sizeof d->incl);
    }
    for (size_t i = 0; i < m->n_edges; i++) {
        const prof_edge *g = &m->edges[i];
        if (map[g->caller] == (size_t)-1 || map[g->callee] == (size_t)-1)
            continue;
        size_t j = prof_model_edge(k, map[g->caller], map[g->callee]);
        k->edges[j].calls = g->calls;
        memcpy(k->edges[j].incl, g->incl, sizeof g->incl);
    }
    free(map);
    if (k->kind == PROF_CALLGRIND)
        vg_call_paths(k);   /* the paths among the crate's own functions */
    if (k->n_metrics)
        prof_model_note(k, "--only-crate: %zu functions of the standard library, the loader and "
                        "valgrind hidden (%.1f%% of %s self)", hidden,
                        k->totals[0] ? 100.0 * (double)hidden_self / (double)k->totals[0] : 0.0,
                        k->metrics[0].name);
    prof_model_free(m);
    return k;
}
