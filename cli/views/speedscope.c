/*
 * speedscope.c: speedscope's file format (https://www.speedscope.app/
 * file-format-schema.json, src/lib/file-format-spec.ts of jlfwong/speedscope),
 * so a profile opens in speedscope as it is. Frames are the profile's
 * entries, shared by every profile of the file; each thread of each process
 * is one "sampled" profile (--threads is implied), else the merged profile
 * is the only one. A call path is one sample, weighted by its exclusive
 * figure of the metric (--metric; default time, in nanoseconds): a frame's
 * total in speedscope is its inclusive figure, and the weights of a profile
 * add up to its total. Paths with an exclusive figure of 0 or less are left
 * out, as in folded output (speedscope takes no negative weights).
 */
#include "views/views.h"
#include "views/json_out.h"

#include <stdlib.h>
#include <string.h>

#include "cprof.h"   /* CPROF_VERSION */
#include "sys/xalloc.h"

#define SPEEDSCOPE_SCHEMA "https://www.speedscope.app/file-format-schema.json"

static const char *unit_of(const prof_metric *mt)
{
    if (mt->is_time)
        return "nanoseconds";
    return strstr(mt->name, "bytes") ? "bytes" : "none";
}

static json_t *frames_of(const prof_model *m)
{
    json_t *frames = json_array();
    for (size_t i = 0; i < m->n_entries; i++) {
        const prof_entry *e = &m->entries[i];
        json_t *f = json_pack("{s:s}", "name", e->name);
        if (e->file)
            json_object_set_new(f, "file", json_string(e->file));
        if (e->line > 0)
            json_object_set_new(f, "line", json_integer(e->line));
        json_array_append_new(frames, f);
    }
    return frames;
}

/* map[i]: the frame (entry of all) of part entry i. */
static size_t *frame_map(const prof_model *all, const prof_model *part)
{
    size_t *map = xcalloc(part->n_entries + 1, sizeof *map);
    for (size_t i = 0; i < part->n_entries; i++) {
        const prof_entry *e = &part->entries[i];
        map[i] = all == part ? i : prof_model_find_entry(all, e->name, e->file, e->line, e->object);
    }
    return map;
}

/* The stack of node ni, outermost frame first. */
static json_t *stack_of(const prof_model *m, const size_t *map, size_t ni, size_t *buf)
{
    size_t d = 0;
    for (size_t n = ni; n != 0 && d < m->n_nodes; n = m->nodes[n].parent)
        buf[d++] = map[m->nodes[n].entry];
    json_t *s = json_array();
    while (d)
        json_array_append_new(s, json_integer((json_int_t)buf[--d]));
    return s;
}

/* Samples and weights of one profile: call paths, or (no tree: cachegrind)
 * one sample per function. */
static json_int_t add_samples(const prof_model *m, const size_t *map, int k, json_t *samples,
                              json_t *weights)
{
    json_int_t total = 0;
    if (m->n_nodes <= 1) {
        for (size_t i = 0; i < m->n_entries; i++)
            if (m->entries[i].self[k] > 0) {
                json_array_append_new(samples, json_pack("[I]", (json_int_t)map[i]));
                json_array_append_new(weights, json_integer(m->entries[i].self[k]));
                total = prof_add(total, m->entries[i].self[k]);
            }
        return total;
    }
    size_t *buf = xcalloc(m->n_nodes, sizeof *buf);
    for (size_t ni = 1; ni < m->n_nodes; ni++)
        if (m->nodes[ni].self[k] > 0) {
            json_array_append_new(samples, stack_of(m, map, ni, buf));
            json_array_append_new(weights, json_integer(m->nodes[ni].self[k]));
            total = prof_add(total, m->nodes[ni].self[k]);
        }
    free(buf);
    return total;
}

static json_t *profile_of(const prof_model *all, const prof_model *m, int k, const char *name)
{
    size_t *map = frame_map(all, m);
    json_t *samples = json_array(), *weights = json_array();
    json_int_t total = add_samples(m, map, k, samples, weights);
    free(map);
    return json_pack("{s:s, s:s, s:s, s:i, s:I, s:o, s:o}", "type", "sampled", "name", name, "unit",
                     unit_of(&all->metrics[k]), "startValue", 0, "endValue", total, "samples", samples,
                     "weights", weights);
}

static char *part_name(const view_part *p)
{
    return xasprintf("pid %ld, thread %ld (%s)", p->pid, p->tid, p->thread ? p->thread : "?");
}

int view_speedscope(const prof_model *m, const view_opts *o, FILE *out)
{
    int k = o->metric ? prof_model_user_metric(m, o->metric) : 0;
    if (k < 0 || (size_t)k >= m->n_metrics) {
        fprintf(stderr, "cargo-profiler: --metric %s: not in this profile\n", o->metric ? o->metric : "");
        return -1;
    }
    json_t *profiles = json_array();
    for (size_t i = 0; i < o->n_parts; i++) {
        char *name = part_name(&o->parts[i]);
        json_array_append_new(profiles, profile_of(m, o->parts[i].m, k, name));
        free(name);
    }
    if (!o->n_parts)
        json_array_append_new(profiles, profile_of(m, m, k, o->title ? o->title : m->metrics[k].name));
    const char *title = m->command ? m->command : m->tool;
    json_t *root = json_pack("{s:s, s:s, s:s, s:i, s:{s:o}, s:o}", "$schema", SPEEDSCOPE_SCHEMA,
                             "exporter", "cargo-profiler@" CPROF_VERSION, "name", title,
                             "activeProfileIndex", 0, "shared", "frames", frames_of(m),
                             "profiles", profiles);
    int rc = jo_dump(out, root, 0);
    fputc('\n', out);
    json_decref(root);
    return rc || ferror(out) ? -1 : 0;
}
