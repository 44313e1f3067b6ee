/*
 * flame_draw.c: the markup both flame graph writers share (flame_draw.h):
 * escaping, numbers, colours, labels, the element around the frames.
 */
#include "views/flame_draw.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- text --------------------------------------------------------------------- */

/* The length of the valid UTF-8 sequence at s, or 0 (a byte XML would refuse). */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* XML text (and, with json, the inside of a JSON string in it): the five
 * special characters escaped; control characters (which XML 1.0 refuses)
 * as spaces, bytes that are not UTF-8 as U+FFFD, so the file always parses. */
static void escape(FILE *out, const char *s, int json)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n == 0) {
            fputs("\xEF\xBF\xBD", out);
            p++;
            continue;
        }
        switch (*p) {
        case '&':  fputs("&amp;", out); break;
        case '<':  fputs("&lt;", out); break;
        case '>':  fputs("&gt;", out); break;
        case '"':  fputs(json ? "\\&quot;" : "&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        case '\\': fputs(json ? "\\\\" : "\\", out); break;
        default:
            if (*p < 0x20 || *p == 0x7F)
                fputc(' ', out);
            else
                fwrite(p, 1, n, out);
        }
        p += n;
    }
}

void flame_xml(FILE *out, const char *s)
{
    escape(out, s ? s : "", 0);
}

void flame_num(FILE *out, double v)
{
    if (v == 0)
        fputc('0', out);   /* never "-0" */
    else if (fabs(v) < 9007199254740992.0 && v == (double)(long long)v)
        fprintf(out, "%lld", (long long)v);
    else
        fprintf(out, "%.10g", v);
}

/* ---- colours ------------------------------------------------------------------ */

static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The length of the module part of a name: up to its last "::" outside
 * <...> (Rust's <impl A for B>::f, Vec<T>::push); 0 if there is none. */
static size_t module_len(const char *name)
{
    size_t last = 0;
    int depth = 0;
    for (size_t i = 0; name[i]; i++) {
        if (name[i] == '<')
            depth++;
        else if (name[i] == '>' && depth > 0)
            depth--;
        else if (depth == 0 && name[i] == ':' && name[i + 1] == ':')
            last = i, i++;
    }
    return last;
}

static void hex_of(char hex[8], double r, double g, double b)
{
    snprintf(hex, 8, "#%02x%02x%02x", (int)lround(r), (int)lround(g), (int)lround(b));
}

/* HSL (h in degrees, s and l in 0..1) to "#rrggbb". */
static void hsl(char hex[8], double h, double s, double l)
{
    double c = (1 - fabs(2 * l - 1)) * s, hp = h / 60, x = c * (1 - fabs(fmod(hp, 2) - 1)), m = l - c / 2;
    double r = 0, g = 0, b = 0;
    if (hp < 1) r = c, g = x;
    else if (hp < 2) r = x, g = c;
    else if (hp < 3) g = c, b = x;
    else if (hp < 4) g = x, b = c;
    else if (hp < 5) r = x, b = c;
    else r = c, b = x;
    hex_of(hex, 255 * (r + m), 255 * (g + m), 255 * (b + m));
}

void flame_color(char hex[8], const char *name, const char *object)
{
    size_t n = module_len(name);
    const char *key = name;
    if (n == 0 && object && *object)
        key = object, n = strlen(object);
    else if (n == 0)
        n = strlen(name);
    uint32_t h = fnv1a(key, n);
    /* warm hues (red to yellow), as flame graphs are read; lightness and
     * saturation from other bits, so neighbours of one hue still differ */
    hsl(hex, (double)(h % 56), 0.62 + (double)((h >> 8) % 30) / 100, 0.55 + (double)((h >> 16) % 14) / 100);
}

void flame_diff_color(char hex[8], double a, double b, int has_verdict, diff_verdict v)
{
    if (a == b || (has_verdict && (v == DIFF_SAME || v == DIFF_NOISE || v == DIFF_INCONCLUSIVE ||
                                      v == DIFF_UNTRUSTED))) {
        hex_of(hex, 224, 224, 224);
        return;
    }
    double t = a != 0 ? fabs(b - a) / fabs(a) : 1;
    t = 0.15 + 0.85 * (t > 1 ? 1 : t);   /* any change shows */
    double light = 235 - 190 * t;         /* the other two channels */
    if (b > a)
        hex_of(hex, 255, light, light);
    else
        hex_of(hex, light, light, 255);
}

/* ---- the element ---------------------------------------------------------------- */

double flame_element_height(const flame_layout *l)
{
    return FLAME_TOP + (double)(l->depth + 1) * FLAME_ROW + FLAME_BOTTOM;
}

static const char style[] =
    ".cprof-flame text{font:12px monospace;fill:#000}"
    ".cprof-flame .frames text{pointer-events:none}"
    ".cprof-flame .frames g{cursor:pointer}"
    ".cprof-flame .frames g:hover rect{stroke:#000;stroke-width:.6}"
    ".cprof-flame .frames g.hl rect{fill:#e600e6}"
    ".cprof-flame .frames g.anc{opacity:.55}"
    ".cprof-flame .frames g.hide{display:none}"
    ".cprof-flame .ctl{cursor:pointer;fill:#1a4b8c}"
    ".cprof-flame .ctl.off{display:none}";

void flame_open(FILE *out, const flame_layout *l, const flame_head *h)
{
    double height = flame_element_height(l);
    fprintf(out, "<svg class=\"cprof-flame\" xmlns=\"http://www.w3.org/2000/svg\" y=\"%g\" width=\"100%%\" "
            "height=\"%g\" data-kind=\"%s\" data-metric=\"", h->y, height, h->kind);
    flame_xml(out, h->metric);
    fprintf(out, "\" data-unit=\"%s\" data-total=\"", h->is_time ? "ns" : "");
    flame_num(out, l->total);
    fprintf(out, "\" data-icicle=\"%d\"", h->icicle ? 1 : 0);
    if (h->shape)
        fprintf(out, " data-shape=\"%s\"", h->shape);
    fprintf(out, ">\n<style>%s</style>\n", style);
    if (h->caption) {
        fputs("<text class=\"caption\" x=\"50%\" y=\"16\" text-anchor=\"middle\">", out);
        flame_xml(out, h->caption);
        fputs("</text>\n", out);
    }
    fputs("<text class=\"ctl reset off\" x=\"4\" y=\"16\">Reset zoom</text>\n"
          "<text class=\"ctl search\" x=\"100%\" dx=\"-4\" y=\"16\" text-anchor=\"end\">Search</text>\n", out);
    fprintf(out, "<text class=\"details\" x=\"4\" y=\"%g\"> </text>\n"
            "<text class=\"matched\" x=\"100%%\" dx=\"-4\" y=\"%g\" text-anchor=\"end\"> </text>\n",
            height - 7, height - 7);
    fputs("<g class=\"frames\">\n", out);
}

void flame_names_open(FILE *out)
{
    fputs("</g>\n<metadata class=\"cprof-names\">[", out);
}

void flame_name(FILE *out, size_t i, const char *name, const char *label, const char *location)
{
    fputs(i ? ",\n[\"" : "[\"", out);
    escape(out, name ? name : "", 1);
    fputs("\",\"", out);
    escape(out, label ? label : name ? name : "", 1);
    fputs("\",\"", out);
    escape(out, location ? location : "", 1);
    fputs("\"]", out);
}

void flame_close(FILE *out)
{
    fputs("]</metadata>\n</svg>\n", out);
}

/* ---- one frame ------------------------------------------------------------------- */

void flame_frame_open(FILE *out, const flame_frame *f, size_t name)
{
    fprintf(out, "<g data-f=\"%zu ", f->depth);
    flame_num(out, f->w);
    if (f->item == FLAME_MERGED)
        fprintf(out, " -%zu", f->merged);
    else
        fprintf(out, " %zu", name);
}

#define CHAR_PX 7.2   /* 12px monospace */

/* The label that fits in px pixels: whole, or cut with ".." (at a UTF-8
 * boundary); NULL when not even 3 characters fit. *n: its bytes. */
static const char *fit_label(const char *label, double px, size_t *n, int *cut)
{
    double room = floor((px - 6) / CHAR_PX);
    size_t len = strlen(label), chars = 0;
    *cut = 0;
    if (room < 3)
        return NULL;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)label[i] & 0xC0) != 0x80;
    if ((double)chars <= room) {
        *n = len;
        return label;
    }
    size_t keep = (size_t)room - 2, i = 0;
    for (size_t c = 0; i < len; i++)
        if (((unsigned char)label[i] & 0xC0) != 0x80 && c++ == keep)
            break;
    *n = i;
    *cut = 1;
    return label;
}

void flame_frame_close(FILE *out, const flame_layout *l, const flame_frame *f, int icicle,
                       const char *fill, const char *label)
{
    double y = icicle ? FLAME_TOP + (double)f->depth * FLAME_ROW
                      : FLAME_TOP + (double)(l->depth - f->depth) * FLAME_ROW;
    /* the ends rounded, not the width: neighbours meet without gaps */
    double x0 = l->total > 0 ? round(f->x / l->total * 10000) / 100 : 0;
    double x1 = l->total > 0 ? round((f->x + f->w) / l->total * 10000) / 100 : 0;
    fprintf(out, "\"><rect x=\"%.2f%%\" y=\"%g\" width=\"%.2f%%\" height=\"%g\" fill=\"%s\"/>", x0, y,
            x1 - x0, FLAME_ROW - 1, fill);
    size_t n;
    int cut;
    const char *text = label ? fit_label(label, (x1 - x0) / 100 * FLAME_PX, &n, &cut) : NULL;
    if (text) {
        fprintf(out, "<text x=\"%.2f%%\" dx=\"3\" y=\"%g\">", x0, y + 11.5);
        char *part = strndup(text, n);
        flame_xml(out, part);
        free(part);
        fputs(cut ? "..</text>" : "</text>", out);
    }
    fputs("</g>\n", out);
}
