/*
 * view.c: what the views share: option defaults, format names, the colour
 * decision and the dispatch on the chosen format.
 */
#include "views/views.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void view_opts_init(view_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = VIEW_TABLE;
    o->compensated = 1;
    o->minwidth = 0.1;
}

static const char *const format_names[] = {
    [VIEW_TABLE] = "table", [VIEW_TREE] = "tree", [VIEW_JSON] = "json",
    [VIEW_CSV] = "csv", [VIEW_FOLDED] = "folded", [VIEW_CALLERS] = "callers",
    [VIEW_MARKDOWN] = "markdown", [VIEW_SVG] = "svg", [VIEW_HTML] = "html",
    [VIEW_SPEEDSCOPE] = "speedscope",
};

int view_parse_format(const char *name, view_format *f)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (format_names[i] && strcmp(name, format_names[i]) == 0) {
            *f = (view_format)i;
            return 0;
        }
    return -1;
}

size_t view_valgrind_limit(view_format f)
{
    return f == VIEW_TABLE ? 20 : f == VIEW_TREE ? 40 : 0;
}

int view_color_auto(FILE *out)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return 0;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(fileno(out));
}

void view_warnings_to_stderr(const prof_model *m, const view_opts *o, const char *cmd)
{
    if (o->format != VIEW_CSV && o->format != VIEW_FOLDED && o->format != VIEW_SVG &&
        o->format != VIEW_SPEEDSCOPE)
        return;
    for (size_t i = 0; i < m->n_notes; i++)
        if (strncmp(m->notes[i], "warning", 7) == 0)
            fprintf(stderr, "cargo-profiler %s: %s\n", cmd, m->notes[i]);
}

int view_print(const prof_model *m, const view_opts *o, FILE *out)
{
    switch (o->format) {
    case VIEW_TABLE:   return view_table(m, o, out);
    case VIEW_TREE:    return view_tree(m, o, out);
    case VIEW_JSON:    return view_json(m, o, out);
    case VIEW_CSV:     return view_csv(m, o, out);
    case VIEW_FOLDED:  return view_folded(m, o, out);
    case VIEW_CALLERS: return view_callers(m, o, out);
    case VIEW_MARKDOWN: return view_markdown(m, o, out);
    case VIEW_SVG:     return view_svg(m, o, out);
    case VIEW_HTML:    return view_html(m, o, out);
    case VIEW_SPEEDSCOPE: return view_speedscope(m, o, out);
    }
    return -1;
}
