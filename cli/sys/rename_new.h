/*
 * rename_new.h: renaming onto a name that must not exist yet, never over
 * anything that appeared there meanwhile: renameat2's RENAME_NOREPLACE, and
 * where the file system has no flags for renameat2 (some NFS, FUSE, overlay
 * setups) the closest thing: link + unlink for a file (link never replaces),
 * a plain rename for a folder (which only ever replaces an empty folder).
 * CPROF_TEST_NO_RENAME_EXCHANGE=1 makes renameat2's flags fail, so the tests
 * reach the fallbacks.
 */
#ifndef CPROF_CLI_RENAME_NEW_H
#define CPROF_CLI_RENAME_NEW_H

/* 0, or -1 + errno (EEXIST when b exists). */
int rename_new(const char *a, const char *b);
/* 1 when the test switch says renameat2 has no flags here. */
int rename_flags_off(void);

#endif
