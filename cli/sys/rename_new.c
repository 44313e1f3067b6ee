/*
 * rename_new.c: rename without replacing (see rename_new.h).
 */
#include "sys/rename_new.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rename_flags_off(void)
{
    const char *no = getenv("CPROF_TEST_NO_RENAME_EXCHANGE");
    return no && strcmp(no, "1") == 0;
}

int rename_new(const char *a, const char *b)
{
    int rc = rename_flags_off() ? (errno = EINVAL, -1)
                                : renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE);
    if (rc == 0 || (errno != EINVAL && errno != ENOSYS))
        return rc;
    struct stat st;
    if (lstat(a, &st) != 0)
        return -1;
    if (S_ISDIR(st.st_mode))
        return rename(a, b);
    if (link(a, b) != 0)
        return -1;
    return unlink(a);
}
