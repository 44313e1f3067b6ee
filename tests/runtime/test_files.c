/*
 * test_files.c: the dump's files in hostile places: a file size limit
 * (ulimit -f: SIGXFSZ), and temporaries left by a process killed while it
 * wrote its dump.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

CPROF_SITE(s_a, "a");

TestSuite(files, .timeout = 60);

/* Entries of dir whose name ends in suffix. */
static int count_suffix(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    size_t ls = strlen(suffix);
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        n += l >= ls && strcmp(e->d_name + l - ls, suffix) == 0;
    }
    closedir(d);
    return n;
}

static void handler(int sig)
{
    (void)sig;
}

/* What the child checks about itself after its own dump failed. */
static int child_under_a_size_limit(void)
{
    struct rlimit lim = { 200, 200 };   /* bytes: a dump is larger */
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
        return 10;
    struct sigaction mine = { .sa_handler = handler }, now;
    sigaction(SIGUSR1, &mine, NULL);
    sigset_t before, after;
    sigemptyset(&before);
    sigaddset(&before, SIGUSR2);
    pthread_sigmask(SIG_SETMASK, &before, NULL);
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    if (cprof_dump() != -1)
        return 11;
    pthread_sigmask(SIG_SETMASK, NULL, &after);
    if (sigismember(&after, SIGXFSZ) || !sigismember(&after, SIGUSR2))
        return 12;   /* the program's mask, exactly */
    sigaction(SIGXFSZ, NULL, &now);
    if (now.sa_handler != SIG_DFL)
        return 13;   /* and its disposition */
    sigpending(&after);
    if (sigismember(&after, SIGXFSZ))
        return 14;   /* nothing of ours left pending */
    return 5;        /* the exit-time dump fails too: the status must stay 5 */
}

/* The child's stderr goes to a pipe: a file would be under its size limit
 * too. Returns the exit status; *err gets what the child wrote. */
static int run_limited_child(char **err)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        exit(child_under_a_size_limit());
    }
    close(fds[1]);
    char *buf = calloc(1, 65536);
    size_t n = 0;
    for (ssize_t r; n < 65535 && (r = read(fds[0], buf + n, 65535 - n)) > 0;)
        n += (size_t)r;
    close(fds[0]);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    *err = buf;
    return status;
}

Test(files, a_file_size_limit_neither_kills_nor_leaves_a_temporary)
{
    const char *dir = setup("");
    char *err;
    int status = run_limited_child(&err);
    cr_assert(WIFEXITED(status), "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    cr_assert_eq(WEXITSTATUS(status), 5, "exit status %d", WEXITSTATUS(status));
    cr_assert_eq(count_suffix(dir, ".tmp"), 0, "a temporary file was left in %s", dir);
    cr_assert_not_null(strstr(err, "cprof: cannot write the dump"), "%s", err);
    cr_assert_not_null(strstr(err, "File too large"), "%s", err);
    free(err);
}

Test(files, a_file_size_limit_is_silent_when_quiet)
{
    setup("");
    setenv("CPROF_QUIET", "1", 1);
    char *err;
    int status = run_limited_child(&err);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 5);
    cr_assert_null(strstr(err, "cprof:"), "%s", err);
    free(err);
}

/* A pid that surely ended: a child we waited for. */
static pid_t dead_pid(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    return pid;
}

static void make_file(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs("{\"format\": \"cprof-1\", ", f);   /* a dump cut short */
    fclose(f);
}

static int exists(const char *dir, const char *name)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lstat(path, &st) == 0;
}

Test(files, temporaries_of_dead_dumps_are_removed_and_nothing_else)
{
    const char *dir = setup("");
    char host[65] = "";
    gethostname(host, sizeof host - 1);
    pid_t dead = dead_pid(), alive = getppid();
    char stale[256], live[256], other_host[256], link[256], dirlike[256], near1[256], near2[256];
    snprintf(stale, sizeof stale, ".cprof-%s-%d.1a2b.tmp", host, (int)dead);
    snprintf(live, sizeof live, ".cprof-%s-%d.1a2b.tmp", host, (int)alive);
    snprintf(other_host, sizeof other_host, ".cprof-not-%s-x-%d.1a2b.tmp", host, (int)dead);
    snprintf(link, sizeof link, ".cprof-%s-%d.3c.tmp", host, (int)dead);
    snprintf(dirlike, sizeof dirlike, ".cprof-%s-%d.4d.tmp", host, (int)dead);
    snprintf(near1, sizeof near1, ".cprof-%s-%d.1a2b.tmp.keep", host, (int)dead);
    snprintf(near2, sizeof near2, ".cprof-%s-%d.xyz.tmp", host, (int)dead);
    make_file(dir, stale);
    make_file(dir, live);
    make_file(dir, other_host);
    make_file(dir, near1);
    make_file(dir, near2);
    make_file(dir, "victim");
    char path[4200], victim[4200];
    snprintf(victim, sizeof victim, "%s/victim", dir);
    snprintf(path, sizeof path, "%s/%s", dir, link);
    cr_assert_eq(symlink(victim, path), 0);
    snprintf(path, sizeof path, "%s/%s", dir, dirlike);
    cr_assert_eq(mkdir(path, 0755), 0);

    static cprof_site s = { "x", "x.c", 1, 0 };
    cprof_enter(&s);
    cprof_exit(&s);
    json_decref(dump_and_load());
    cr_assert_not(exists(dir, stale), "the dead process's temporary stayed");
    cr_assert(exists(dir, live), "a live process's temporary was removed");
    cr_assert(exists(dir, other_host) && exists(dir, near1) && exists(dir, near2));
    cr_assert(exists(dir, link) && exists(dir, "victim"), "a symlink or what it points to was removed");
    cr_assert(exists(dir, dirlike));
    cr_assert_eq(count_suffix(dir, ".tmp"), 5);   /* live, other host, xyz, link, folder */
}

/* Reading the folder is paid once per process (stale.c): a later dump of
 * the same process leaves a leftover to the next process. */
Test(files, the_folder_is_read_for_leftovers_once_per_process)
{
    const char *dir = setup("");
    char host[65] = "", stale[256];
    gethostname(host, sizeof host - 1);
    snprintf(stale, sizeof stale, ".cprof-%s-%d.1a2b.tmp", host, (int)dead_pid());
    static cprof_site s = { "x", "x.c", 1, 0 };
    cprof_enter(&s);
    cprof_exit(&s);
    make_file(dir, stale);
    json_decref(dump_and_load());
    cr_assert_not(exists(dir, stale), "the first dump left the dead process's temporary");
    make_file(dir, stale);
    json_decref(dump_and_load());
    cr_assert(exists(dir, stale), "the second dump read the folder again");
}
