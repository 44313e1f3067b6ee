/*
 * pmu.c: whether this machine has a CPU PMU at all, as perf's sysfs lists
 * them. Where it has none (a virtual machine or container that hides the
 * hardware counters), PAPI's presets cannot count, and loading libpapi and
 * libpfm4 only to hear so cost every process 7-10 ms (a strsim trial: 7.9
 * ms a run against 0.23 with CPROF_EVENTS=none). x86 only, where the core
 * PMU is named "cpu" (hybrid parts: cpu_core, cpu_atom); elsewhere, or
 * without sysfs, it cannot tell and PAPI is asked as before.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DEVICES "/sys/bus/event_source/devices"

int cprof_no_cpu_pmu(void)
{
#if defined(__x86_64__) || defined(__i386__)
    const char *dir = getenv("CPROF_TEST_PMU_DEVICES");   /* tests only: another machine's folder */
    DIR *d = opendir(dir && *dir ? dir : DEVICES);
    if (!d)
        return 0;   /* no sysfs here: unknown */
    int cpu = 0, any = 0;
    for (struct dirent *e; !cpu && (e = readdir(d));) {
        any |= e->d_name[0] != '.';
        cpu = strcmp(e->d_name, "cpu") == 0 || strncmp(e->d_name, "cpu_", 4) == 0;
    }
    closedir(d);
    return any && !cpu;   /* an empty folder says nothing either */
#else
    return 0;
#endif
}
