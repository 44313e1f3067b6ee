/*
 * slurp.c: a JSON input (dump, DHAT file) read whole into memory in one
 * read, instead of jansson's getc per byte, with a bound: a parsed file costs
 * about 12 times its size, so one larger than a sixteenth of this machine's
 * memory is refused, not read until the machine runs out (a sparse file can
 * claim any size, a growing one can pass its size: the read stops at the
 * limit too).
 */
#include "readers/readers.h"
#include "sys/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static double size_limit(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (double)pages * (double)page / 16 : 1e18;
}

static char *too_large(const char *path, double size, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: %.0f MB: too large to read here (at most %.0f MB, a sixteenth of "
             "this machine's memory, since a parsed file takes about 12 times its size)",
             path, size / 1e6, size_limit() / 1e6);
    return NULL;
}

char *reader_slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    double limit = size_limit();
    if (fstat(fileno(f), &st) == 0 && (double)st.st_size > limit) {
        fclose(f);
        return too_large(path, (double)st.st_size, err, errlen);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = xrealloc(NULL, cap);
    while ((n += fread(buf + n, 1, cap - n, f)) == cap) {
        if ((double)cap > limit) {
            fclose(f);
            free(buf);
            return too_large(path, (double)cap, err, errlen);
        }
        buf = xrealloc(buf, cap *= 2);
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}
