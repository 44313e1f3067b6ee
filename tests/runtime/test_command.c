/*
 * test_command.c: the dump's "command" is the program's arguments as
 * /proc/self/cmdline has them (runtime/cmdline.c reads them from memory),
 * also after the program rewrote them in place. (Criterion's workers have
 * one argument; tests/papi_load/papi_load.sh runs a program with several.)
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

/* /proc/self/cmdline with its NULs made spaces, the last one dropped. */
static char *proc_cmdline(char *buf, size_t cap)
{
    int fd = open("/proc/self/cmdline", O_RDONLY);
    cr_assert_geq(fd, 0);
    ssize_t n = read(fd, buf, cap - 1);
    close(fd);
    cr_assert_gt(n, 0);
    while (n && buf[n - 1] == 0)
        n--;
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] == 0)
            buf[i] = ' ';
    buf[n] = 0;
    return buf;
}

static const char *dumped_command(json_t *d)
{
    json_t *c = json_object_get(d, "command");
    cr_assert(json_is_string(c));
    return json_string_value(c);
}

Test(command, is_the_command_line_as_proc_shows_it)
{
    setup("");
    static cprof_site s = { "x", "x.c", 1, 0 };
    cprof_enter(&s);
    cprof_exit(&s);
    char want[4096];
    proc_cmdline(want, sizeof want);
    json_t *d = dump_and_load();
    cr_assert_str_eq(dumped_command(d), want);
    json_decref(d);
}

extern char *program_invocation_name;   /* glibc: argv[0] itself */

Test(command, follows_arguments_rewritten_in_place)
{
    setup("");
    static cprof_site s = { "x", "x.c", 1, 0 };
    cprof_enter(&s);
    cprof_exit(&s);
    size_t n = strlen(program_invocation_name);
    cr_assert_geq(n, 3);
    memset(program_invocation_name, 'Z', 3);   /* as setproctitle does */
    char want[4096];
    proc_cmdline(want, sizeof want);
    cr_assert_eq(strncmp(want, "ZZZ", 3), 0, "%s", want);
    json_t *d = dump_and_load();
    cr_assert_str_eq(dumped_command(d), want);
    json_decref(d);
}
