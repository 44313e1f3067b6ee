/*
 * cmdline.c: the program's command line for the dump, without a system
 * call. glibc passes argc and argv to ELF constructors (Rust's std reads
 * its arguments the same way); the strings the kernel laid out lie end to
 * end, so the bytes from argv[0] to the last one's NUL are what
 * /proc/self/cmdline shows (a program that rewrites them, as setproctitle
 * does, changes both alike). Opening that file costs a short process more
 * than 100 us here; it is read only where the layout is not known.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static const char *args;
static size_t args_len;

#ifdef __GLIBC__
/* Only records where they are: a program that never profiles pays a strlen
 * per argument. */
__attribute__((constructor)) static void save_args(int argc, char **argv, char **envp)
{
    (void)envp;
    if (argc <= 0 || !argv || !argv[0])
        return;
    const char *end = argv[0];
    for (int i = 0; i < argc; i++) {
        if (!argv[i] || argv[i] != end)
            return;   /* not the kernel's layout (moved already): use /proc */
        end += strlen(argv[i]) + 1;
    }
    args = argv[0];
    args_len = (size_t)(end - argv[0]);
}
#endif

size_t cprof_cmdline(char *buf, size_t cap)
{
    if (args) {
        size_t n = args_len < cap ? args_len : cap;
        memcpy(buf, args, n);
        return n;
    }
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t r = read(fd, buf, cap);
    close(fd);
    return r > 0 ? (size_t)r : 0;
}
