/* helpers.h: shared by the CLI unit tests: temporary files, captured view output. */
#ifndef CLI_TEST_HELPERS_H
#define CLI_TEST_HELPERS_H

#include <stddef.h>
#include "model/model.h"
#include "views/views.h"

/* Write text to a fresh file under $CPROF_TEST_TMP (or /tmp); returns its path (static buffer rotates 8). */
const char *tmp_file(const char *name, const char *text);
/* Run a view into a malloc'd string. */
char *capture(int (*view)(const prof_model *, const view_opts *, FILE *), const prof_model *m,
              const view_opts *o, int *rc);
/* A dump with one thread, filled from printf-style region/tree JSON fragments. */
char *dump_text(const char *format, const char *events, const char *overhead,
                const char *regions, const char *tree);

/* The index of the model's entry of that name; fails the test if none. */
size_t model_entry(const prof_model *m, const char *name);

#endif
