/* cargo.c: building with cargo (placeholder). */
#include <stdlib.h>
#include <string.h>
#include "cargo.h"

void cargo_opts_init(cargo_opts *o) { memset(o, 0, sizeof *o); o->profile = "release"; }
int cargo_opts_parse(cargo_opts *o, int opt, const char *arg) { (void)o; (void)opt; (void)arg; return 0; }
void cargo_opts_help(FILE *out) { (void)out; }
int cargo_build(const cargo_opts *o, const char *f, char **exe, char *err, size_t n)
{ (void)o; (void)f; *exe = NULL; snprintf(err, n, "not yet"); return 1; }
int cargo_depends_on(const cargo_opts *o, const char *d, char *err, size_t n)
{ (void)o; (void)d; snprintf(err, n, "not yet"); return -1; }
int cargo_output_dir(const cargo_opts *o, const char *p, char **dir, char *err, size_t n)
{ (void)o; (void)p; *dir = NULL; snprintf(err, n, "not yet"); return -1; }
