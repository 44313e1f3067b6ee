/*
 * lazy.c: a profiled program that links libcprof and libsde but never
 * libpapi, and says at exit, after the runtime's dump, whether libpapi and
 * libpfm are mapped in it (/proc/self/maps). Its one region counts the
 * software-defined event sde:::LAZY::N seven times.
 */
#include <sde_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof.h"

static long long n;

static void report_maps(void)
{
    FILE *f = fopen("/proc/self/maps", "re");
    char line[4096];
    int papi = 0, pfm = 0;
    while (f && fgets(line, sizeof line, f)) {
        papi |= strstr(line, "/libpapi.") != NULL;
        pfm |= strstr(line, "/libpfm.") != NULL;
    }
    if (f)
        fclose(f);
    printf("libpapi %s, libpfm %s\n", papi ? "mapped" : "not mapped", pfm ? "mapped" : "not mapped");
}

int main(void)
{
    atexit(report_maps);   /* before the first region: runs after the runtime's exit-time dump */
    papi_handle_t h = papi_sde_init("LAZY");
    papi_sde_register_counter(h, "N", PAPI_SDE_RO | PAPI_SDE_DELTA, PAPI_SDE_long_long, &n);
    CPROF_SITE(s, "lazy_work");
    cprof_enter(&s);
    n += 7;
    cprof_exit(&s);
    return 0;
}
