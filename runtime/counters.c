/*
 * counters.c: the events of CPROF_EVENTS and their slots. PAPI events are
 * tried once at start-up; the ones that cannot be counted are reported
 * (PAPI's reason, and the component's own reason when it is disabled) and
 * the rest are counted, in one event set per thread. cprof::* and user::*
 * names are ours (alloc.c, usercount.c) and never go to PAPI, and libpapi
 * is loaded (papi_load.c) only when a PAPI event is asked for. With no
 * events or no PAPI the runtime still measures time and calls.
 */
#include <papi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

cprof_event_state *cprof_events;
int cprof_n_events;
int cprof_n_active;
static int active_codes[CPROF_MAX_EVENTS];
static int active_software[CPROF_MAX_EVENTS];
static int papi_ok;

static unsigned long thread_id(void)
{
    return (unsigned long)pthread_self();
}

/* A component's reason may span lines: the dump and stderr keep one. */
static void one_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r' || *s == '\t')
            *s = ' ';
}

static const char no_such_preset[] = "no PAPI preset has this name (papi_avail lists them)";

/* A preset of the PAPI this was built against (build/gen/papi_presets.h):
 * names are known without loading libpapi. Case aside, as PAPI reads them. */
static int known_preset(const char *name)
{
    static const char *const presets[] = {
#define X(p) #p,
#include "papi_presets.h"
#undef X
    };
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (strcasecmp(presets[i], name) == 0)
            return 1;
    return 0;
}

/* PAPI's reason, plus why its component cannot count, where PAPI knows. */
static char *reason_for(const char *name, int code, int have_code, int err)
{
    char buf[2048];   /* room for a component's whole disabled_reason */
    /* every preset has a code, counted here or not: a PAPI_ name without
     * one is a misspelling (PAPI itself says "not supported by component") */
    if (!have_code && strncmp(name, "PAPI_", 5) == 0)
        return strdup(no_such_preset);
    int n = snprintf(buf, sizeof buf, "%s", cprof_papi.strerror(err));
    int cidx = have_code ? cprof_papi.get_event_component(code) : -1;
    int software = strncmp(name, "sde:::", 6) == 0;
    if (cidx < 0 && !software)
        cidx = cprof_papi.get_component_index("perf_event");   /* presets and perf events */
    const PAPI_component_info_t *ci = cidx >= 0 ? cprof_papi.get_component_info(cidx) : NULL;
    if (n < 0 || (size_t)n >= sizeof buf || !ci)
        return strdup(buf);
    if (ci->disabled && strcmp(ci->name, "perf_event") == 0)
        snprintf(buf + n, sizeof buf - (size_t)n,
                 " (perf_event component disabled: %s): sde::: events and time still work",
                 ci->disabled_reason[0] ? ci->disabled_reason : "no reason given");
    else if (ci->disabled)
        snprintf(buf + n, sizeof buf - (size_t)n, " (%s: %s)", ci->name,
                 ci->disabled_reason[0] ? ci->disabled_reason : "disabled");
    else if (strcmp(ci->name, "perf_event") == 0 && err == PAPI_ENOEVNT)
        snprintf(buf + n, sizeof buf - (size_t)n,
                 " (perf_event offers no such counter here: virtual machines and containers "
                 "often hide hardware counters)");
    one_line(buf);
    return strdup(buf);
}

static void mark_inactive(cprof_event_state *e, char *reason)
{
    e->active = 0;
    e->reason = reason;
    if (!cprof_cfg.quiet)
        cprof_warn("event %s is not counted: %s", e->name, reason);
}

/* Every PAPI event of the list not marked yet is marked with the same
 * reason, said once. */
static void papi_failed(const char *reason)
{
    char names[512] = "";
    size_t len = 0;
    for (int i = 0; i < cprof_n_events; i++) {
        cprof_event_state *e = &cprof_events[i];
        if (e->kind != CPROF_EV_PAPI || e->reason)
            continue;
        e->active = 0;
        e->reason = strdup(reason);
        if (len < sizeof names)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", e->name);
    }
    if (len && !cprof_cfg.quiet)
        cprof_warn("no PAPI event is counted (%s): %s; time, cprof:: and user:: counters still work",
                   names, reason);
}

/* "what failed: PAPI's words" for a PAPI call that returned err. */
static void papi_call_failed(const char *what, int err)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s failed: %s", what,
             err > 0 ? "version mismatch" : cprof_papi.strerror(err));
    papi_failed(buf);
}

/* 1 if every PAPI event of the list is a preset (PAPI_...): hardware. */
static int only_presets(void)
{
    for (int i = 0; i < cprof_n_events; i++)
        if (cprof_events[i].kind == CPROF_EV_PAPI && strncmp(cprof_events[i].name, "PAPI_", 5) != 0)
            return 0;
    return 1;
}

/* The PAPI events of the list: started once, tried in order on one probe
 * set (what fits there fits per thread), slots 0 .. cprof_n_active-1. */
static void papi_events_init(void)
{
    char why[512];
    if (only_presets() && cprof_no_cpu_pmu()) {   /* libpapi not loaded for nothing */
        for (int i = 0; i < cprof_n_events; i++)   /* a misspelling is one wherever it runs */
            if (cprof_events[i].kind == CPROF_EV_PAPI && !known_preset(cprof_events[i].name))
                mark_inactive(&cprof_events[i], strdup(no_such_preset));
        papi_failed("no hardware counters here (no CPU PMU in /sys/bus/event_source/devices: virtual "
                    "machines and containers often hide them)");
        return;
    }
    if (cprof_papi_load(why, sizeof why) != 0) {
        papi_failed(why);
        return;
    }
    int ver = cprof_papi.library_init(PAPI_VER_CURRENT);
    if (ver != PAPI_VER_CURRENT) {
        papi_call_failed("PAPI_library_init", ver);
        return;
    }
    int r = cprof_papi.thread_init(thread_id);
    if (r != PAPI_OK) {
        papi_call_failed("PAPI_thread_init", r);
        return;
    }
    papi_ok = 1;

    int probe = PAPI_NULL;
    r = cprof_papi.create_eventset(&probe);
    for (int i = 0; i < cprof_n_events; i++) {
        cprof_event_state *e = &cprof_events[i];
        if (e->kind != CPROF_EV_PAPI)
            continue;
        int code = 0;
        int have = cprof_papi.event_name_to_code(e->name, &code) == PAPI_OK;
        if (r != PAPI_OK) {
            mark_inactive(e, reason_for(e->name, code, have, r));
            continue;
        }
        if (cprof_n_active == CPROF_MAX_PAPI) {
            char buf[96];
            snprintf(buf, sizeof buf, "more than %d PAPI events asked for", CPROF_MAX_PAPI);
            mark_inactive(e, strdup(buf));
            continue;
        }
        int err = have ? cprof_papi.add_event(probe, code) : cprof_papi.add_named_event(probe, e->name);
        if (err == PAPI_OK && !have)
            have = cprof_papi.event_name_to_code(e->name, &code) == PAPI_OK;
        if (err != PAPI_OK && have && cprof_n_active > 0) {
            /* the two reasons PAPI only calls "invalid" or "resource limits" */
            int dup = 0;
            for (int k = 0; k < cprof_n_active; k++)
                dup |= active_codes[k] == code;
            int mine = cprof_papi.get_event_component(code), theirs = cprof_papi.get_event_component(active_codes[0]);
            const PAPI_component_info_t *a = cprof_papi.get_component_info(mine), *b = cprof_papi.get_component_info(theirs);
            char buf[512];
            if (dup) {
                mark_inactive(e, strdup("given twice in the list: counted once"));
                continue;
            }
            if (mine >= 0 && theirs >= 0 && mine != theirs && a && b) {
                snprintf(buf, sizeof buf, "a PAPI event set holds events of one component only: this "
                         "event is %s's, the first counted one %s's; count them in separate runs",
                         a->name, b->name);
                mark_inactive(e, strdup(buf));
                continue;
            }
        }
        if (err != PAPI_OK || !have) {
            mark_inactive(e, reason_for(e->name, code, have, err != PAPI_OK ? err : PAPI_ENOEVNT));
            continue;
        }
        e->active = 1;
        e->code = code;
        e->slot = cprof_n_active;
        e->software = strncmp(e->name, "sde:::", 6) == 0;
        active_software[cprof_n_active] = e->software;
        active_codes[cprof_n_active++] = code;
    }
    if (r == PAPI_OK) {
        cprof_papi.cleanup_eventset(probe);
        cprof_papi.destroy_eventset(&probe);
    }
}

/* 1 if an earlier entry of the list has the same name (and was counted). */
static int listed_before(int i)
{
    for (int k = 0; k < i; k++)
        if (cprof_events[k].active && strcmp(cprof_events[k].name, cprof_events[i].name) == 0)
            return 1;
    return 0;
}

/* cprof::* counters: slots after the PAPI ones, read from the thread's counts. */
static void builtin_events_init(void)
{
    for (int i = 0; i < cprof_n_events; i++) {
        cprof_event_state *e = &cprof_events[i];
        if (e->kind != CPROF_EV_BUILTIN)
            continue;
        int src = cprof_builtin_index(e->name);
        char buf[256];
        if (src < 0) {
            snprintf(buf, sizeof buf, "no such built-in counter (there are %s)", cprof_builtin_list());
            mark_inactive(e, strdup(buf));
        } else if (listed_before(i)) {
            mark_inactive(e, strdup("given twice in the list: counted once"));
        } else {
            e->active = 1;
            e->slot = cprof_n_active + cprof_n_builtin;
            cprof_builtin_src[cprof_n_builtin++] = src;
        }
    }
    cprof_user_base = cprof_n_active + cprof_n_builtin;
}

/* user::NAME in the list: registered now, so it is shown in its place. */
static void user_events_init(void)
{
    for (int i = 0; i < cprof_n_events; i++) {
        cprof_event_state *e = &cprof_events[i];
        if (e->kind != CPROF_EV_USER)
            continue;
        if (!e->name[6]) {
            mark_inactive(e, strdup("a user counter needs a name: user::NAME"));
            continue;
        }
        if (listed_before(i)) {
            mark_inactive(e, strdup("given twice in the list: counted once"));
            continue;
        }
        uint32_t id = cprof_user_register(e->name + 6, 1);
        if (id & CPROF_ID_OFF) {
            char buf[96];
            snprintf(buf, sizeof buf, "more than %d counters in all", CPROF_MAX_EVENTS);
            mark_inactive(e, strdup(buf));
            continue;
        }
        e->active = 1;
        e->slot = (int)id - 1;
    }
}

static int kind_of(const char *name)
{
    if (strncmp(name, "cprof::", 7) == 0)
        return CPROF_EV_BUILTIN;
    return strncmp(name, "user::", 6) == 0 ? CPROF_EV_USER : CPROF_EV_PAPI;
}

void cprof_counters_init(void)
{
    cprof_n_events = cprof_cfg.n_events;
    cprof_events = cprof_n_events ? calloc((size_t)cprof_n_events, sizeof *cprof_events) : NULL;
    if (!cprof_events)
        cprof_n_events = 0;
    int n_papi = 0;
    for (int i = 0; i < cprof_n_events; i++) {
        cprof_events[i].name = cprof_cfg.events[i];
        cprof_events[i].kind = kind_of(cprof_events[i].name);
        cprof_events[i].slot = -1;
        n_papi += cprof_events[i].kind == CPROF_EV_PAPI;
    }
    if (n_papi)   /* a run of built-in counters alone starts no PAPI */
        papi_events_init();
    builtin_events_init();
    user_events_init();
    cprof_alloc_attach_preload();
}

int cprof_counters_thread_start(cprof_thread *t)
{
    t->nev = t->nread = 0;
    t->eventset = PAPI_NULL;
    if (!papi_ok || cprof_n_active == 0)
        return 0;
    int es = PAPI_NULL;
    int r = cprof_papi.create_eventset(&es);
    if (r == PAPI_OK)
        r = cprof_papi.add_events(es, active_codes, cprof_n_active);
    if (r == PAPI_OK)
        r = cprof_papi.start(es);
    if (r != PAPI_OK) {
        char buf[256];
        snprintf(buf, sizeof buf, "this thread's event set failed: %s", cprof_papi.strerror(r));
        t->counter_error = cprof_mem_strdup(buf);
        if (es != PAPI_NULL) {
            cprof_papi.cleanup_eventset(es);
            cprof_papi.destroy_eventset(&es);
        }
        return -1;
    }
    t->eventset = es;
    t->eventset_owned = 1;
    t->nev = t->nread = cprof_n_active;
    return 0;
}

void cprof_counters_thread_stop(cprof_thread *t)
{
    if (t->eventset == PAPI_NULL || !t->eventset_owned)
        return;
    long long v[CPROF_MAX_EVENTS];
    cprof_papi.stop(t->eventset, v);
    cprof_papi.cleanup_eventset(t->eventset);
    cprof_papi.destroy_eventset(&t->eventset);
    t->eventset = PAPI_NULL;
    t->eventset_owned = 0;
    t->nread = 0;   /* nev stays: it says how many counters the figures hold */
}

void cprof_counters_thread_exit(void)
{
    if (papi_ok)
        cprof_papi.unregister_thread();
}

CPROF_COLD void cprof_counters_read_failed(cprof_thread *t, long long *out)
{
    for (int e = 0; e < t->nread; e++)
        CPROF_STORE(&out[e], 0);
}

int cprof_counters_software_only(void)
{
    for (int k = 0; k < cprof_n_active; k++)
        if (!active_software[k])
            return 0;
    return 1;
}
