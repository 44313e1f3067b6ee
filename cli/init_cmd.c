/* init_cmd.c: `cargo profiler init` (placeholder). */
#include <stdio.h>
#include "commands.h"

int cmd_init(int argc, char **argv) { (void)argc; (void)argv; fputs("init: not yet\n", stderr); return EXIT_FAIL; }
