/* plugin.c: a library that uses libcprof.so and is itself dlopen'd
 * (tests/install.sh builds and loads it through host.c). */
#include <cprof.h>

CPROF_SITE(s_plugin, "plugin_work");

void plugin_work(void)
{
    cprof_enter(&s_plugin);
    for (volatile int i = 0; i < 1000; i++)
        ;
    cprof_exit(&s_plugin);
}
