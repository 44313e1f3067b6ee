/* children.c: the call tree's child lists, in display order (children.h). */
#include "views/children.h"
#include "sys/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const prof_model *cmp_model;
static const sort_key *cmp_key;

static int cmp_nodes(const void *pa, const void *pb)
{
    const prof_node *a = &cmp_model->nodes[*(const size_t *)pa];
    const prof_node *b = &cmp_model->nodes[*(const size_t *)pb];
    int c = cmp_key && cmp_key->what != SORT_NAME
          ? sort_cmp_values(cmp_key, a->calls, a->self, a->incl, b->calls, b->self, b->incl) : 0;
    if (c)
        return -c;
    const prof_entry *ea = &cmp_model->entries[a->entry], *eb = &cmp_model->entries[b->entry];
    c = strcmp(ea->name, eb->name);
    if (c)
        return c;
    c = strcmp(ea->file ? ea->file : "", eb->file ? eb->file : "");
    return c ? c : (ea->line > eb->line) - (ea->line < eb->line);
}

int children_build(const prof_model *m, const sort_key *k, children *c)
{
    memset(c, 0, sizeof *c);
    if (m->n_nodes == 0)
        return -1;
    c->first = xcalloc(m->n_nodes + 1, sizeof *c->first);
    c->list = xcalloc(m->n_nodes, sizeof *c->list);
    size_t *fill = xcalloc(m->n_nodes + 1, sizeof *fill);
    for (size_t i = 1; i < m->n_nodes; i++)
        c->first[m->nodes[i].parent + 1]++;
    for (size_t i = 0; i < m->n_nodes; i++)
        c->first[i + 1] += c->first[i];
    for (size_t i = 1; i < m->n_nodes; i++) {
        size_t p = m->nodes[i].parent;
        c->list[c->first[p] + fill[p]++] = i;
    }
    free(fill);
    cmp_model = m;
    cmp_key = k;
    for (size_t i = 0; i < m->n_nodes; i++)
        qsort(c->list + c->first[i], c->first[i + 1] - c->first[i], sizeof *c->list, cmp_nodes);
    return 0;
}

void children_free(children *c)
{
    free(c->first);
    free(c->list);
}
