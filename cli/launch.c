/* launch.c: running the program (placeholder). */
#include <stdio.h>
#include "launch.h"

int launch_run(char *const argv[], char *const env[], launch_result *r, char *err, size_t n)
{ (void)argv; (void)env; (void)r; snprintf(err, n, "not yet"); return -1; }
void launch_describe(const launch_result *r, char *buf, size_t len) { (void)r; snprintf(buf, len, "?"); }
int launch_failed(const launch_result *r) { (void)r; return 1; }
