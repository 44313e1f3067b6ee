/*
 * util.c: units, sort keys, ordering, derived figures and the header shared
 * by the human views (table, tree).
 */
#include "views/util.h"
#include "model/trust.h"
#include "sys/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>

/* Three significant digits: 1.23, 12.3, 123. */
static const char *sig3(char *buf, size_t len, double v, const char *unit)
{
    if (v < 10)
        snprintf(buf, len, "%.2f%s", v, unit);
    else if (v < 100)
        snprintf(buf, len, "%.1f%s", v, unit);
    else
        snprintf(buf, len, "%.0f%s", v, unit);
    return buf;
}

void folded_frame(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc(*s == ';' ? ':' : (*s == '\n' || *s == '\r') ? ' ' : *s, out);
}

const char *fmt_time(char *buf, size_t len, double ns)
{
    if (ns < 0) {   /* a change, a counter gone down: the unit of its size */
        char t[64];
        snprintf(buf, len, "-%s", fmt_time(t, sizeof t, -ns));
        return buf;
    }
    if (ns < 1000) {
        snprintf(buf, len, "%.0f ns", ns);
        return buf;
    }
    if (ns < 999.5e3)
        return sig3(buf, len, ns / 1e3, " us");
    if (ns < 999.5e6)
        return sig3(buf, len, ns / 1e6, " ms");
    return sig3(buf, len, ns / 1e9, " s");
}

const char *fmt_count(char *buf, size_t len, double n)
{
    if (n < 0 && len > 1) {   /* a counter that went down (an sde level) */
        buf[0] = '-';
        fmt_count(buf + 1, len - 1, -n);
        return buf;
    }
    if (n < 1000) {
        snprintf(buf, len, "%.0f", n);
        return buf;
    }
    if (n < 999.5e3)
        return sig3(buf, len, n / 1e3, "K");
    if (n < 999.5e6)
        return sig3(buf, len, n / 1e6, "M");
    if (n < 999.5e9)
        return sig3(buf, len, n / 1e9, "G");
    return sig3(buf, len, n / 1e12, "T");
}

const char *fmt_value(char *buf, size_t len, double v, int is_time)
{
    return is_time ? fmt_time(buf, len, v) : fmt_count(buf, len, v);
}

/* A share of the whole: never above 100% (compensated figures are rounded
 * one by one, so a root's inclusive time can pass the sum of the exclusive
 * times by a unit or two). */
const char *fmt_percent(char *buf, size_t len, double part, double whole)
{
    if (whole <= 0)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.1f%%", part >= whole ? 100.0 : 100.0 * part / whole);
    return buf;
}

int view_spread_shown(const prof_model *m, const view_opts *o)
{
    return m->kind == PROF_REGIONS && m->n_runs <= 1 && !o->no_spread && prof_spread_procs(m) > 1;
}

size_t spread_titles(const prof_model *m, char (*t)[96])
{
    static const char *const fig[] = {"median", "max", "imbalance"};
    size_t n = 0;
    snprintf(t[n++], 96, "procs");
    for (size_t k = 0; k < m->n_metrics; k++) {   /* the metric named once, on its first column */
        snprintf(t[n++], 96, "%.80s min", m->metrics[k].name);
        for (size_t f = 0; f < 3; f++)
            snprintf(t[n++], 96, "%s", fig[f]);
    }
    return n;
}

size_t spread_cells(const prof_model *m, size_t ei, char (*c)[64])
{
    size_t n = 0;
    prof_spread_fig f;
    snprintf(c[n++], 64, "%zu", prof_spread_of(m, ei, 0, &f) ? f.procs : 0);
    for (size_t k = 0; k < m->n_metrics; k++) {
        int is_time = m->metrics[k].is_time, known = prof_spread_of(m, ei, k, &f);
        fmt_value(c[n++], 64, known ? (double)f.min : 0, is_time);
        fmt_value(c[n++], 64, known ? f.median : 0, is_time);
        fmt_value(c[n++], 64, known ? (double)f.max : 0, is_time);
        fmt_percent(c[n++], 64, known ? f.imbalance : 0, 1);
        if (!known)
            for (size_t i = n - 4; i < n; i++)
                snprintf(c[i], 64, "-");
    }
    return n;
}

/* s with the <...> nested deeper than `keep` as "<…>", into out (cap
 * bytes, NULL: only measured); its length in bytes, "…" counted as one.
 * A '>' of "->" (fn(u8) -> u32) closes nothing. */
static size_t collapse(const char *s, int keep, char *out, size_t cap)
{
    size_t n = 0, o = 0;
    int depth = 0;
    for (const char *c = s; *c; c++) {
        int open = *c == '<', close = *c == '>' && depth > 0 && !(c > s && c[-1] == '-');
        depth -= close;
        int shown = depth <= keep;
        depth += open;
        if (!shown)
            continue;
        const char *piece = open && depth == keep + 1 ? "<\u2026" : NULL;
        size_t plen = piece ? strlen(piece) : 1;
        if (out && o + plen < cap) {
            memcpy(out + o, piece ? piece : c, plen);
            o += plen;
        }
        n += piece ? 2 : 1;
    }
    if (out && cap)
        out[o < cap ? o : cap - 1] = '\0';
    return n;
}

static int max_depth(const char *s)
{
    int depth = 0, most = 0;
    for (const char *c = s; *c; c++) {
        if (*c == '<' && ++depth > most)
            most = depth;
        else if (*c == '>' && depth > 0 && !(c > s && c[-1] == '-'))
            depth--;
    }
    return most;
}

const char *fit_name(char *buf, size_t len, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max || max < 2) {
        snprintf(buf, len, "%s", s);
        return buf;
    }
    for (int keep = max_depth(s) - 1; keep >= 0; keep--)
        if (collapse(s, keep, NULL, 0) <= max) {
            collapse(s, keep, buf, len);
            return buf;
        }
    char *short_s = xrealloc(NULL, 3 * n + 1);   /* "<u8>" -> "<…>" is longer in bytes */
    collapse(s, 0, short_s, 3 * n + 1);
    /* the end of a name tells most (Type::method): its last max-1 characters */
    const char *tail = short_s + strlen(short_s);
    for (size_t cols = 0; tail > short_s && cols < max - 1;)
        cols += (*--tail & 0xC0) != 0x80;
    snprintf(buf, len, "\u2026%s", tail);
    free(short_s);
    return buf;
}

const char *fmt_file_line(char *buf, size_t len, const char *file, int line)
{
    if (file && line > 0)
        snprintf(buf, len, "%s:%d", file, line);
    else
        snprintf(buf, len, "%s", file ? file : "");
    return buf;
}

const char *fmt_location(char *buf, size_t len, const prof_entry *e)
{
    return fmt_file_line(buf, len, e->file, e->line);
}

/* n hex digits at s? */
static int hex_run(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* After "/rustc/<40 hex>/library/": the path inside the standard library. */
static const char *rust_library(const char *p)
{
    static const char lead[] = "/rustc/", lib[] = "/library/";
    if (strncmp(p, lead, sizeof lead - 1) != 0)
        return NULL;
    p += sizeof lead - 1;
    if (!hex_run(p, 40) || strncmp(p + 40, lib, sizeof lib - 1) != 0)
        return NULL;
    return p + 40 + sizeof lib - 1;
}

/* After ".../registry/src/<index-hash>/": the crate's folder on. */
static const char *registry_crate(const char *p)
{
    const char *at = strstr(p, "/registry/src/");
    const char *slash = at ? strchr(at + strlen("/registry/src/"), '/') : NULL;
    return slash && slash[1] ? slash + 1 : NULL;
}

const char *display_path(char *buf, size_t len, const char *path, const char *root)
{
    if (!path)
        return "";
    const char *rest;
    size_t rl = root ? strlen(root) : 0;
    while (rl > 1 && root[rl - 1] == '/')   /* "/a/crate/" is "/a/crate" */
        rl--;
    if ((rest = rust_library(path)))
        snprintf(buf, len, "<rust>/%s", rest);
    else if ((rest = registry_crate(path)))
        snprintf(buf, len, "<registry>/%s", rest);
    else if (rl && strncmp(path, root, rl) == 0 && path[rl] == '/' && path[rl + 1])
        snprintf(buf, len, "%s", path + rl + 1);
    else
        return path;
    return buf;
}

const char *fmt_place(char *buf, size_t len, const char *file, int line, const char *root)
{
    char short_path[1024];
    return fmt_file_line(buf, len, file ? display_path(short_path, sizeof short_path, file, root) : NULL, line);
}

int model_has_incl(const prof_model *m)
{
    if (m->kind == PROF_CACHEGRIND)
        return 0;
    for (size_t i = 0; i < m->n_entries; i++)
        if (m->entries[i].has_incl)
            return 1;
    return m->n_entries == 0;
}

int model_has_calls(const prof_model *m)
{
    return m->kind != PROF_CACHEGRIND && m->kind != PROF_DHAT;
}

int rows_have_object(const prof_model *m, const size_t *rows, size_t n)
{
    for (size_t r = 0; r < n; r++)
        if (m->entries[rows[r]].object && *m->entries[rows[r]].object)
            return 1;
    return 0;
}

int view_metric_shown(const prof_model *m, size_t i, const sort_key *k)
{
    static const char *const details[] = {"peak_blocks", "end_blocks", "lifetime", "reads", "writes"};
    if (m->kind != PROF_DHAT || (k && k->what != SORT_NAME && k->metric == (int)i))
        return 1;
    for (size_t d = 0; d < sizeof details / sizeof details[0]; d++)
        if (strcmp(m->metrics[i].name, details[d]) == 0)
            return 0;
    return 1;
}

size_t view_shown_metrics(const prof_model *m, const sort_key *k)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_metrics; i++)
        n += view_metric_shown(m, i, k);
    return n;
}

/* Rates of the program's own counters (user::NAME, cprof::alloc_bytes):
 * per second of the row's inclusive time, and per call. */
static size_t rate_figures(const prof_model *m, derived *out, size_t n, size_t max)
{
    if (m->kind != PROF_REGIONS || !m->n_metrics || !m->metrics[0].is_time)
        return n;
    for (size_t i = 1; i < m->n_metrics && n + 2 <= max; i++) {
        const char *name = m->metrics[i].name;
        if (strncmp(name, "user::", 6) != 0)
            continue;
        for (int per_call = 0; per_call < 2; per_call++) {
            derived d = {.num = {(int)i, -1, -1}, .den = {per_call ? DERIVED_CALLS : 0, -1, -1},
                         .scale = per_call ? 1 : 1e9, .count = 1};
            snprintf(d.label, sizeof d.label, "%s/%s", name + 6, per_call ? "call" : "s");
            out[n++] = d;
        }
    }
    return n;
}

size_t derived_figures(const prof_model *m, derived *out, size_t max)
{
    /* count: a count a call (or a block), written as counts are (12.0M) */
    static const struct { const char *label; const char *num[3]; const char *den[3]; int pct, count; } known[] = {
        {"IPC", {"PAPI_TOT_INS"}, {"PAPI_TOT_CYC"}, 0, 0},
        {"L1D miss", {"PAPI_L1_DCM"}, {"PAPI_L1_DCA"}, 1, 0},
        {"L2D miss", {"PAPI_L2_DCM"}, {"PAPI_L2_DCA"}, 1, 0},
        {"L3 miss", {"PAPI_L3_TCM"}, {"PAPI_L3_TCA"}, 1, 0},
        {"br miss", {"PAPI_BR_MSP"}, {"PAPI_BR_CN"}, 1, 0},
        /* valgrind */
        {"I1 miss", {"I1mr"}, {"Ir"}, 1, 0},
        {"D1 miss", {"D1mr", "D1mw"}, {"Dr", "Dw"}, 1, 0},
        {"LL miss", {"DLmr", "DLmw"}, {"Dr", "Dw"}, 1, 0},
        {"br miss", {"Bcm"}, {"Bc"}, 1, 0},
        /* dhat */
        {"avg life", {"lifetime"}, {"blocks"}, 0, 1},   /* instructions: 42.1M, not 42083221.70 */
        {"reads/B", {"reads"}, {"bytes"}, 0, 0},
        {"writes/B", {"writes"}, {"bytes"}, 0, 0},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0] && n < max; i++) {
        derived d = {.num = {-1, -1, -1}, .den = {-1, -1, -1}, .percent = known[i].pct, .count = known[i].count,
                     .scale = 1};
        snprintf(d.label, sizeof d.label, "%s", known[i].label);
        int ok = 1;
        for (int j = 0; j < 3 && known[i].num[j]; j++)
            ok &= (d.num[j] = prof_model_find_metric(m, known[i].num[j])) >= 0;
        for (int j = 0; j < 3 && known[i].den[j]; j++)
            ok &= (d.den[j] = prof_model_find_metric(m, known[i].den[j])) >= 0;
        if (ok)
            out[n++] = d;
    }
    return rate_figures(m, out, n, max);
}

double derived_value(const derived *d, const int64_t *vals, uint64_t calls)
{
    double num = 0, den = 0;
    for (int j = 0; j < 3 && d->num[j] >= 0; j++)
        num += (double)vals[d->num[j]];
    if (d->den[0] == DERIVED_CALLS)
        den = (double)calls;
    for (int j = 0; j < 3 && d->den[j] >= 0; j++)
        den += (double)vals[d->den[j]];
    return den > 0 ? d->scale * num / den : -1;
}

const char *fmt_derived(char *buf, size_t len, const derived *d, const int64_t *vals, uint64_t calls)
{
    double v = derived_value(d, vals, calls);
    if (v < 0)
        snprintf(buf, len, "-");
    else if (d->count)
        fmt_count(buf, len, v);
    else if (d->percent)
        snprintf(buf, len, "%.1f%%", 100 * v);
    else
        snprintf(buf, len, "%.2f", v);
    return buf;
}

/* The events not counted, one line a reason (the runtime's reason says
 * what still counts): "PAPI_TOT_INS, PAPI_TOT_CYC: ... no default PMU
 * found" once, not once an event. */
static void missing_lines(FILE *out, const prof_model *m, const view_opts *o)
{
    for (size_t i = 0; i < m->n_missing; i++) {
        int said = 0;
        for (size_t j = 0; j < i && !said; j++)
            said = strcmp(m->missing[j].reason, m->missing[i].reason) == 0;
        if (said)
            continue;
        fprintf(out, "%smissing: %s", COL(o, C_YEL), m->missing[i].name);
        for (size_t j = i + 1; j < m->n_missing; j++)
            if (strcmp(m->missing[j].reason, m->missing[i].reason) == 0)
                fprintf(out, ", %s", m->missing[j].name);
        fprintf(out, ": %s%s\n", m->missing[i].reason, COL(o, C_OFF));
    }
}

void print_header(const prof_model *m, const view_opts *o, FILE *out)
{
    if (o->title)
        fprintf(out, "%s== %s ==%s\n", COL(o, C_BOLD), o->title, COL(o, C_OFF));
    if (o->no_header)
        return;
    if (m->command)
        fprintf(out, "%s: %s\n", m->tool && *m->tool ? m->tool : "profile", m->command);
    if (m->host || m->cpu)   /* where it ran: a diff's two sides may differ */
        fprintf(out, "host: %s%s%s%s\n", m->host ? m->host : "?", m->cpu ? " (" : "",
                m->cpu ? m->cpu : "", m->cpu ? ")" : "");
    fputs("events: ", out);
    for (size_t i = 0; i < m->n_metrics; i++)
        fprintf(out, "%s%s", i ? ", " : "", m->metrics[i].name);
    if (!m->n_metrics)
        fputs("none", out);
    fputc('\n', out);
    missing_lines(out, m, o);
    if (m->program_known && m->program_signal)
        fprintf(out, "%sthe program was killed by signal %d (SIG%s)%s\n", COL(o, C_YEL), m->program_signal,
                sigabbrev_np(m->program_signal) ? sigabbrev_np(m->program_signal) : "?", COL(o, C_OFF));
    else if (m->program_known && m->program_status)
        fprintf(out, "%sthe program exited with status %d%s\n", COL(o, C_YEL), m->program_status,
                COL(o, C_OFF));
    for (size_t i = 0; i < m->n_notes; i++)
        fprintf(out, "%s\n", m->notes[i]);
}

/* One CSV field, quoted (RFC 4180) when it holds a separator, quote or newline. */
void csv_cell(outbuf *b, const char *s)
{
    if (!s)
        s = "";
    size_t n = strcspn(s, ",\"\r\n");
    if (!s[n]) {
        ob_write(b, s, n);
        return;
    }
    ob_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            ob_putc(b, '"');
        ob_putc(b, *s);
    }
    ob_putc(b, '"');
}

void csv_field(FILE *out, const char *s)
{
    char buf[512];
    outbuf b;
    ob_open(&b, out, buf, sizeof buf);
    csv_cell(&b, s);
    ob_close(&b);
}


static const char *fmt_marks(char *buf, size_t len, unsigned long period, int low, double share, int fitted)
{
    size_t n = 0;
    buf[0] = 0;
    if (period)
        n += (size_t)snprintf(buf, len, "~1/%lu", period);
    if (n < len && low)
        n += (size_t)snprintf(buf + n, len - n, "%s!%.0f%%", n ? " " : "", prof_share_shown(share) * 100);
    if (n < len && fitted)
        snprintf(buf + n, len - n, "%sfit", n ? " " : "");
    return buf;
}

const char *fmt_trust(char *buf, size_t len, const prof_model *m, const prof_entry *e)
{
    return fmt_marks(buf, len, prof_entry_sampling(e), prof_entry_low_trust(m, e), prof_entry_overhead_share(e),
                     e->fitted);
}

const char *fmt_node_trust(char *buf, size_t len, const prof_node *n)
{
    return fmt_marks(buf, len, prof_node_sampling(n), prof_node_low_trust(n), prof_node_overhead_share(n),
                     n->fitted);
}

int any_trust_mark(const prof_model *m, const size_t *rows, size_t n)
{
    for (size_t r = 0; r < n; r++) {
        const prof_entry *e = &m->entries[rows[r]];
        if (prof_entry_sampled(e) || prof_entry_low_trust(m, e) || e->fitted)
            return 1;
    }
    return 0;
}

const char *approx(char *buf, size_t len, const char *s, int scaled)
{
    snprintf(buf, len, "%s%s", scaled ? "~" : "", s);
    return buf;
}
