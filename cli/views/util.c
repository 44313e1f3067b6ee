/*
 * util.c: units, sort keys, ordering, derived figures and the header shared
 * by the human views (table, tree).
 */
#include "views/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

const char *fmt_time(char *buf, size_t len, double ns)
{
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

const char *fmt_location(char *buf, size_t len, const prof_entry *e)
{
    if (e->file && e->line > 0)
        snprintf(buf, len, "%s:%d", e->file, e->line);
    else
        snprintf(buf, len, "%s", e->file ? e->file : "");
    return buf;
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

size_t sort_key_name_len(const char *key, sort_what *what)
{
    const char *colon = strrchr(key, ':');
    int incl = colon && strcasecmp(colon + 1, "incl") == 0;
    if (what)
        *what = incl ? SORT_INCL : SORT_SELF;
    if (colon && (incl || strcasecmp(colon + 1, "excl") == 0 || strcasecmp(colon + 1, "self") == 0))
        return (size_t)(colon - key);
    return strlen(key);
}

int sort_key_parse(const prof_model *m, const char *sort, sort_key *k, char *err, size_t errlen)
{
    int incl_ok = model_has_incl(m);
    k->metric = 0;
    /* regions: inclusive time; valgrind functions: self cost of the first
     * event, as `cargo profiler callgrind` and the original tool sort */
    k->what = incl_ok && m->kind == PROF_REGIONS ? SORT_INCL : SORT_SELF;
    if (!sort || !*sort)
        return 0;
    if (strcasecmp(sort, "incl") == 0 && incl_ok) { k->what = SORT_INCL; return 0; }
    if (strcasecmp(sort, "excl") == 0 || strcasecmp(sort, "self") == 0) { k->what = SORT_SELF; return 0; }
    if (strcasecmp(sort, "calls") == 0) { k->what = SORT_CALLS; return 0; }
    if (strcasecmp(sort, "mean") == 0) { k->what = SORT_MEAN; return 0; }
    if (strcasecmp(sort, "name") == 0) { k->what = SORT_NAME; return 0; }
    /* EVENT, EVENT:incl, EVENT:excl; event names in any case where that
     * is unambiguous */
    char name[256];
    sort_what what;
    snprintf(name, sizeof name, "%.*s", (int)sort_key_name_len(sort, &what), sort);
    int mi = prof_model_user_metric(m, name);
    if (mi < 0 && strcasecmp(name, "time") != 0) {
        char list[512] = "";
        for (size_t i = 0; i < m->n_metrics; i++) {
            size_t l = strlen(list);
            snprintf(list + l, sizeof list - l, ", %s", m->metrics[i].name);
        }
        snprintf(err, errlen, "--sort %s: unknown key (expected incl, excl, calls, mean, name, "
                 "or an event[:incl|:excl] among: %s)", sort, m->n_metrics ? list + 2 : "none");
        return -1;
    }
    if (what == SORT_INCL && !incl_ok) {
        snprintf(err, errlen, "--sort %s: this profile has no inclusive figures", sort);
        return -1;
    }
    k->metric = mi < 0 ? 0 : mi;
    k->what = what;
    return 0;
}

static double key_value(const sort_key *k, uint64_t calls, const uint64_t *self, const uint64_t *incl)
{
    switch (k->what) {
    case SORT_INCL:  return (double)incl[k->metric];
    case SORT_SELF:  return (double)self[k->metric];
    case SORT_CALLS: return (double)calls;
    case SORT_MEAN:  return calls ? (double)incl[k->metric] / (double)calls : 0;
    case SORT_NAME:  return 0;
    }
    return 0;
}

int sort_cmp_values(const sort_key *k, uint64_t a_calls, const uint64_t *a_self, const uint64_t *a_incl,
                    uint64_t b_calls, const uint64_t *b_self, const uint64_t *b_incl)
{
    double a = key_value(k, a_calls, a_self, a_incl), b = key_value(k, b_calls, b_self, b_incl);
    return a > b ? 1 : a < b ? -1 : 0;
}

/* qsort has no context argument in C11: the key lives here while sorting. */
static const prof_model *cmp_model;
static const sort_key *cmp_key;

static int cmp_entries(const void *pa, const void *pb)
{
    const prof_entry *a = &cmp_model->entries[*(const size_t *)pa];
    const prof_entry *b = &cmp_model->entries[*(const size_t *)pb];
    const uint64_t *ai = a->has_incl ? a->incl : a->self, *bi = b->has_incl ? b->incl : b->self;
    int c = cmp_key->what == SORT_NAME ? 0
          : sort_cmp_values(cmp_key, a->calls, a->self, ai, b->calls, b->self, bi);
    if (c)
        return -c;   /* largest first */
    c = strcmp(a->name, b->name);
    if (c)
        return c;
    c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c)
        return c;
    return a->line - b->line;
}

size_t *sorted_entries(const prof_model *m, const sort_key *k, size_t limit, size_t *n)
{
    size_t *idx = malloc((m->n_entries ? m->n_entries : 1) * sizeof *idx);
    if (!idx) {
        fputs("cargo-profiler: out of memory\n", stderr);
        exit(1);
    }
    for (size_t i = 0; i < m->n_entries; i++)
        idx[i] = i;
    cmp_model = m;
    cmp_key = k;
    qsort(idx, m->n_entries, sizeof *idx, cmp_entries);
    *n = limit && limit < m->n_entries ? limit : m->n_entries;
    return idx;
}

size_t derived_figures(const prof_model *m, derived *out, size_t max)
{
    static const struct { const char *label; const char *num[3]; const char *den[3]; int pct; } known[] = {
        {"IPC", {"PAPI_TOT_INS"}, {"PAPI_TOT_CYC"}, 0},
        {"L1D miss", {"PAPI_L1_DCM"}, {"PAPI_L1_DCA"}, 1},
        {"L2D miss", {"PAPI_L2_DCM"}, {"PAPI_L2_DCA"}, 1},
        {"L3 miss", {"PAPI_L3_TCM"}, {"PAPI_L3_TCA"}, 1},
        {"br miss", {"PAPI_BR_MSP"}, {"PAPI_BR_CN"}, 1},
        /* valgrind */
        {"I1 miss", {"I1mr"}, {"Ir"}, 1},
        {"D1 miss", {"D1mr", "D1mw"}, {"Dr", "Dw"}, 1},
        {"LL miss", {"DLmr", "DLmw"}, {"Dr", "Dw"}, 1},
        {"br miss", {"Bcm"}, {"Bc"}, 1},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0] && n < max; i++) {
        derived d = { known[i].label, {-1, -1, -1}, {-1, -1, -1}, known[i].pct };
        int ok = 1;
        for (int j = 0; j < 3 && known[i].num[j]; j++)
            ok &= (d.num[j] = prof_model_find_metric(m, known[i].num[j])) >= 0;
        for (int j = 0; j < 3 && known[i].den[j]; j++)
            ok &= (d.den[j] = prof_model_find_metric(m, known[i].den[j])) >= 0;
        if (ok)
            out[n++] = d;
    }
    return n;
}

double derived_value(const derived *d, const uint64_t *vals)
{
    double num = 0, den = 0;
    for (int j = 0; j < 3 && d->num[j] >= 0; j++)
        num += (double)vals[d->num[j]];
    for (int j = 0; j < 3 && d->den[j] >= 0; j++)
        den += (double)vals[d->den[j]];
    return den > 0 ? num / den : -1;
}

void print_header(const prof_model *m, const view_opts *o, FILE *out)
{
    if (o->title)
        fprintf(out, "%s== %s ==%s\n", COL(o, C_BOLD), o->title, COL(o, C_OFF));
    if (m->command)
        fprintf(out, "%s: %s\n", m->tool && *m->tool ? m->tool : "profile", m->command);
    fputs("events: ", out);
    for (size_t i = 0; i < m->n_metrics; i++)
        fprintf(out, "%s%s", i ? ", " : "", m->metrics[i].name);
    if (!m->n_metrics)
        fputs("none", out);
    fputc('\n', out);
    for (size_t i = 0; i < m->n_missing; i++)
        fprintf(out, "%smissing: %s: %s%s\n", COL(o, C_YEL), m->missing[i].name,
                m->missing[i].reason, COL(o, C_OFF));
    for (size_t i = 0; i < m->n_notes; i++)
        fprintf(out, "%s\n", m->notes[i]);
}

/* One CSV field, quoted (RFC 4180) when it holds a separator, quote or newline. */
void csv_field(FILE *out, const char *s)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int view_sort_key(const prof_model *m, const view_opts *o, sort_key *k)
{
    char err[512];
    if (sort_key_parse(m, o->sort, k, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "cargo-profiler: %s\n", err);
    return -1;
}
