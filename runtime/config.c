/*
 * config.c: the environment of a profiled program (CPROF_EVENTS,
 * CPROF_REGIONS, CPROF_OUTPUT, CPROF_DISABLE, CPROF_CLOCK, CPROF_QUIET,
 * CPROF_DUMP_FORMAT, and the tests' CPROF_TEST_PAPI_LIB and
 * CPROF_TEST_DUMP_V1; the throttling variables are
 * throttle.c's), read once at start-up. Region selection is decided here, once per region, so
 * the hot path only tests a bit of the region id.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

cprof_config cprof_cfg;

#define DEFAULT_EVENTS CPROF_DEFAULT_EVENTS

static int env_true(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0 && strcmp(v, "false") != 0 && strcmp(v, "no") != 0;
}

/* Splits a comma list into trimmed, non-empty items. */
static char **split_list(const char *s, int *n)
{
    *n = 0;
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    char **items = calloc(cap, sizeof *items);
    if (!items)
        return NULL;
    const char *p = s;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a)
            items[(*n)++] = strndup(a, (size_t)(b - a));
        p = *end ? end + 1 : end;
    }
    return items;
}

/* Absolute now: a later chdir() must not move the dump. */
static char *absolute(const char *dir)
{
    char cwd[4096];
    if (dir[0] == '/' || !getcwd(cwd, sizeof cwd))
        return strdup(dir);
    size_t n = strlen(cwd) + strlen(dir) + 2;
    char *s = malloc(n);
    if (s && strcmp(dir, ".") == 0)
        snprintf(s, n, "%s", cwd);
    else if (s)
        snprintf(s, n, "%s/%s", cwd, dir);
    return s;
}

/* CPROF_DUMP_FORMAT=1 writes cprof-1 (tests, tools that read only it);
 * CPROF_TEST_DUMP_V1=DIR also writes each dump as cprof-1 into DIR, from
 * the same cut (tests: the two formats must tell the same). */
static void dump_format_config(void)
{
    const char *v = getenv("CPROF_DUMP_FORMAT");
    cprof_cfg.dump_format = 2;
    if (v && strcmp(v, "1") == 0)
        cprof_cfg.dump_format = 1;
    else if (v && *v && strcmp(v, "2") != 0)
        cprof_warn_setting("CPROF_DUMP_FORMAT=%s: expected 1 or 2; writing format 2", v);
    const char *copy = getenv("CPROF_TEST_DUMP_V1");
    if (copy && *copy)
        cprof_cfg.dump_v1_copy = absolute(copy);
}

void cprof_config_load(void)
{
    cprof_cfg.disabled = env_true("CPROF_DISABLE");
    cprof_cfg.quiet = env_true("CPROF_QUIET");
    if (cprof_cfg.disabled)
        return;   /* nothing else is used: a disabled run reads no more */
    const char *clock = getenv("CPROF_CLOCK");
    if (clock && strcmp(clock, "tsc") == 0)
        cprof_cfg.force_clock = 1;
    else if (clock && strcmp(clock, "monotonic") == 0)
        cprof_cfg.force_clock = 2;
    else if (clock && *clock && strcmp(clock, "auto") != 0)
        cprof_warn_setting("CPROF_CLOCK=%s: expected tsc, monotonic or auto; the clock is chosen as for auto",
                           clock);
    const char *out = getenv("CPROF_OUTPUT");
    cprof_cfg.output = absolute(out && *out ? out : ".");
    dump_format_config();

    const char *ev = getenv("CPROF_EVENTS");
    if (!ev)
        ev = DEFAULT_EVENTS;
    if (strcmp(ev, "none") == 0)
        ev = "";
    cprof_cfg.events = split_list(ev, &cprof_cfg.n_events);
    /* Tests only: load this instead of libpapi (a missing file stands for a
     * machine without PAPI). */
    const char *papi_lib = getenv("CPROF_TEST_PAPI_LIB");
    if (papi_lib && *papi_lib)
        cprof_cfg.papi_lib = strdup(papi_lib);

    const char *re = getenv("CPROF_REGIONS");
    if (re && *re) {
        cprof_cfg.regions = strdup(re);
        int n;
        char **globs = split_list(re, &n);
        cprof_cfg.patterns = calloc((size_t)n + 1, sizeof *cprof_cfg.patterns);
        for (int i = 0; globs && cprof_cfg.patterns && i < n; i++) {
            int neg = globs[i][0] == '!';
            cprof_cfg.patterns[cprof_cfg.n_patterns].negate = neg;
            cprof_cfg.patterns[cprof_cfg.n_patterns].glob = strdup(globs[i] + neg);
            cprof_cfg.n_patterns++;
            free(globs[i]);
        }
        free(globs);
    }
    cprof_throttle_config();
}

/*
 * Region names are full paths (crate::module::Type::method): a glob names a
 * region when it matches the whole name or any part after a "::", so
 * "parse*", "Parser::parse" and "json::parser::*" all name
 * json::parser::Parser::parse, and more of the path tells two apart.
 */
int cprof_glob_names(const char *glob, const char *name)
{
    if (fnmatch(glob, name, 0) == 0)
        return 1;
    for (const char *p = strstr(name, "::"); p; p = strstr(p + 2, "::"))
        if (p[2] && fnmatch(glob, p + 2, 0) == 0)
            return 1;
    return 0;
}

int cprof_config_selects(const char *name)
{
    int any_positive = 0, included = 0;
    for (int i = 0; i < cprof_cfg.n_patterns; i++) {
        const cprof_pattern *p = &cprof_cfg.patterns[i];
        int match = cprof_glob_names(p->glob, name);
        if (p->negate) {
            if (match)
                return 0;
        } else {
            any_positive = 1;
            included |= match;
        }
    }
    return any_positive ? included : 1;
}
