/*
 * dhat.h: what a DHAT profile measures, by DHAT's --mode, so a command can
 * judge --sort and --metric before valgrind runs with the very names the
 * reader (readers/dhat.c, read_dhat in readers.h) gives the file's figures.
 */
#ifndef CPROF_CLI_DHAT_H
#define CPROF_CLI_DHAT_H

#include "model/model.h"

typedef enum dhat_mode { DHAT_HEAP, DHAT_COPY, DHAT_AD_HOC } dhat_mode;

/* "heap", "copy", "ad-hoc" (DHAT's --mode values): 0 and *mode, or -1. */
int dhat_mode_parse(const char *s, dhat_mode *mode);
const char *dhat_mode_name(dhat_mode mode);

/*
 * The metrics of a profile of this mode, added to m in the reader's order.
 * heap: bytes, blocks (allocated in all), peak_bytes, peak_blocks (live at
 * t-gmax, when the heap was largest), end_bytes, end_blocks (live at t-end:
 * never freed), lifetime (of the blocks, summed, in DHAT's time unit),
 * reads, writes (bytes read and written inside the blocks); copy: bytes,
 * blocks (copied, copies); ad-hoc: units, events. Returns how many.
 */
size_t dhat_plan_metrics(prof_model *m, dhat_mode mode);

#endif
