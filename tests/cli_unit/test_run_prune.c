/* test_run_prune.c: only our oldest run folders go; strangers, symlinks and
 * folders holding a file of the user's stay. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/run_prune.h"

static char base[] = "/tmp/cprof-prune-XXXXXX";

static void mk(const char *rel)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    cr_assert(mkdir(p, 0755) == 0, "%s", p);
}

static void touch(const char *rel)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
    cr_assert(fd >= 0, "%s", p);
    close(fd);
}

static int there(const char *rel)
{
    char p[600];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", base, rel);
    return lstat(p, &st) == 0;
}

static void setup(void)
{
    cr_assert(mkdtemp(base));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    return remove(p);
}

static void teardown(void)
{
    nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);   /* FTW_PHYS: symlinks removed, not followed */
}

TestSuite(run_prune, .init = setup, .fini = teardown);

Test(run_prune, names)
{
    cr_assert(run_name_is_ours("run-20260101-120000-42", "run"));
    cr_assert(run_name_is_ours("run-20260101-120000-42.3", "run"));
    cr_assert_not(run_name_is_ours("run-20260101-120000-", "run"));
    cr_assert_not(run_name_is_ours("run-2026011-120000-42", "run"));
    cr_assert_not(run_name_is_ours("run-20260101-120000-42x", "run"));
    cr_assert_not(run_name_is_ours("run-20260101-120000-42.", "run"));
    cr_assert_not(run_name_is_ours("callgrind-20260101-120000-42", "run"));
    cr_assert_not(run_name_is_ours("mine", "run"));
}

Test(run_prune, keeps_the_newest_and_leaves_strangers)
{
    /* 5 of ours, oldest first; PIDs compare as numbers (99 < 100) */
    const char *ours[] = { "run-20250101-000000-7", "run-20260101-120000-99", "run-20260101-120000-100",
                           "run-20260101-120000-100.1", "run-20260102-000000-1" };
    for (int i = 0; i < 5; i++) {
        char f[300];
        mk(ours[i]);
        snprintf(f, sizeof f, "%s/cprof-%d.json", ours[i], 100 + i);
        touch(f);
    }
    touch("run-20250101-000000-7/.cprof-5.1f.tmp");
    touch("run-20250101-000000-7/cprof-5.2.json");
    /* the names of today's runtime hold the host (docs/dump-format.md), '-' and '.' too */
    touch("run-20260101-120000-99/cprof-node-7.lab-1234.json");
    touch("run-20260101-120000-99/cprof-vm-99.1.json");
    touch("run-20260101-120000-99/.cprof-build_7-5.1f.tmp");
    mk("run-20000101-000000-5");
    touch("run-20000101-000000-5/cprof-my-notes.json");   /* not a pid after the host */
    mk("run-20000101-000000-6");
    touch("run-20000101-000000-6/cprof-a b-12.json");     /* no blank in a host */
    /* strangers: older names, but not ours to remove */
    mk("run-20000101-000000-1");
    touch("run-20000101-000000-1/notes.txt");           /* a file of the user's inside */
    mk("run-20000101-000000-2");
    mk("outside");
    touch("outside/cprof-1.json");
    char p[600], q[600];
    snprintf(p, sizeof p, "%s/outside", base);
    snprintf(q, sizeof q, "%s/run-20000101-000000-3", base);
    cr_assert(symlink(p, q) == 0);                        /* a symlink named like a run */
    snprintf(q, sizeof q, "%s/run-20000101-000000-2/cprof-9.json", base);
    snprintf(p, sizeof p, "%s/outside/cprof-1.json", base);
    cr_assert(symlink(p, q) == 0);                        /* a symlink inside a run */
    touch("run-20000101-000000-4");                       /* a file named like a run */
    mk("run-notours");

    cr_assert_eq(run_prune(base, "run", 0), 0, "0 keeps all");
    int removed = run_prune(base, "run", 3);
    cr_assert_eq(removed, 2, "the two oldest of ours (removed %d)", removed);
    cr_assert_not(there("run-20250101-000000-7"));
    cr_assert_not(there("run-20260101-120000-99"), "PID 99 is older than 100 of the same second");
    cr_assert(there("run-20260101-120000-100"));
    cr_assert(there("run-20260101-120000-100.1"));
    cr_assert(there("run-20260102-000000-1"));
    cr_assert(there("run-20000101-000000-1/notes.txt"));
    cr_assert(there("run-20000101-000000-2/cprof-9.json"), "a symlink inside: the folder is left");
    cr_assert(there("run-20000101-000000-3"));
    cr_assert(there("outside/cprof-1.json"), "never followed");
    cr_assert(there("run-20000101-000000-4"));
    cr_assert(there("run-20000101-000000-5/cprof-my-notes.json"));
    cr_assert(there("run-20000101-000000-6/cprof-a b-12.json"));
    cr_assert(there("run-notours"));
    cr_assert_eq(run_prune(base, "run", 3), 0, "nothing more to remove");
}

Test(run_prune, a_run_of_repeat_goes_whole_unless_a_repetition_holds_a_stranger)
{
    const char *runs[] = { "run-20250101-000000-1", "run-20250101-000000-2", "run-20260101-000000-3" };
    for (int i = 0; i < 3; i++) {
        char f[300];
        mk(runs[i]);
        for (int k = 1; k <= 2; k++) {
            snprintf(f, sizeof f, "%s/rep-%d", runs[i], k);
            mk(f);
            snprintf(f, sizeof f, "%s/rep-%d/cprof-%d.json", runs[i], k, 10 + k);
            touch(f);
        }
    }
    touch("run-20250101-000000-2/rep-2/notes.txt");   /* the user's: that run stays */
    int removed = run_prune(base, "run", 1);
    cr_assert_eq(removed, 1, "removed %d", removed);
    cr_assert_not(there("run-20250101-000000-1"), "rep-1 and rep-2 of ours: removed with the run");
    cr_assert(there("run-20250101-000000-2/rep-2/notes.txt"));
    cr_assert(there("run-20250101-000000-2/rep-1/cprof-11.json"), "nothing of a kept run is removed");
    cr_assert(there("run-20260101-000000-3/rep-1/cprof-11.json"));
}
