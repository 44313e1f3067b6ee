/* regions_cmd.c: `cargo profiler regions` and `cargo profiler report` (placeholder). */
#include <stdio.h>
#include "commands.h"

int cmd_regions(int argc, char **argv) { (void)argc; (void)argv; fputs("regions: not yet\n", stderr); return EXIT_FAIL; }
int cmd_report(int argc, char **argv) { (void)argc; (void)argv; fputs("report: not yet\n", stderr); return EXIT_FAIL; }
