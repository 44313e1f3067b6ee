/* valgrind_cmd.c: `cargo profiler callgrind|cachegrind` (stub for now). */
#include <stdio.h>

int cmd_callgrind(int argc, char **argv);
int cmd_cachegrind(int argc, char **argv);

int cmd_callgrind(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "cargo-profiler callgrind: not implemented yet\n");
    return 1;
}

int cmd_cachegrind(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "cargo-profiler cachegrind: not implemented yet\n");
    return 1;
}
