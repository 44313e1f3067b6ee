/*
 * papi_load.c: libpapi, loaded with dlopen when the first PAPI event is
 * asked for, so that a run of time and cprof::/user:: counters alone never
 * maps it, nor libpfm4 with it (their relocations alone cost a short
 * process several ms), and a machine without PAPI still profiles time.
 * The functions the runtime calls are looked up once into cprof_papi;
 * papi.h still gives their types and constants. A program that uses PAPI
 * itself gets the copy it already has: dlopen returns the loaded one.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

cprof_papi_fns cprof_papi;

/* Looks every function up; 0, or -1 with why. */
static int resolve(void *h, const char *lib, char *why, size_t cap)
{
    void *p;
#define CPROF_PAPI_DLSYM(f)                                                     \
    if (!(p = dlsym(h, "PAPI_" #f))) {                                          \
        snprintf(why, cap, "%s has no PAPI_" #f ": %s", lib, dlerror());        \
        return -1;                                                              \
    }                                                                           \
    cprof_papi.f = (__typeof__(cprof_papi.f))p;
    CPROF_PAPI_FNS(CPROF_PAPI_DLSYM)
#undef CPROF_PAPI_DLSYM
    return 0;
}

int cprof_papi_load(char *why, size_t cap)
{
    /* The soname of the PAPI papi.h comes from (Debian's libpapi7.0 has
     * no libpapi.so without -dev), then the development link (a PAPI
     * built from source may have only that). */
    char soname[64];
    snprintf(soname, sizeof soname, "libpapi.so.%d.%d", PAPI_VERSION_MAJOR(PAPI_VERSION),
             PAPI_VERSION_MINOR(PAPI_VERSION));
    const char *names[2] = { soname, "libpapi.so" };
    int n = 2;
    if (cprof_cfg.papi_lib) {   /* CPROF_TEST_PAPI_LIB: the tests' stand-in for "not installed" */
        names[0] = cprof_cfg.papi_lib;
        n = 1;
    }
    why[0] = 0;
    for (int i = 0; i < n; i++) {
        void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            if (!why[0])   /* the first name's reason (dlerror names the file) */
                snprintf(why, cap, "cannot load libpapi: %s", dlerror());
            continue;
        }
        if (resolve(h, names[i], why, cap) == 0)
            return 0;
        dlclose(h);
        memset(&cprof_papi, 0, sizeof cprof_papi);
        return -1;
    }
    return -1;
}
