/*
 * cachegrind.c: reader of cachegrind output files. Their format (desc:,
 * cmd:, events:, fl=, fn=, cost lines, summary:) is a subset of callgrind's,
 * so the callgrind parser reads them; functions are file:function as in
 * cg_annotate, and inclusive cost is unknown (no call information).
 */
#include "readers/readers.h"
#include "readers/vgparse.h"

int read_cachegrind(prof_model *m, const char *path, char *err, size_t errlen)
{
    return vg_read_path(m, path, VG_CACHEGRIND, err, errlen);
}
