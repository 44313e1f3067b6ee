/*
 * stale.c: the dump's temporary files, named so that the next dump can tell
 * which were left by a process that died while writing (SIGKILL, power
 * loss): ".cprof-<host>-<pid>.<hex>.tmp". Only files of exactly that form,
 * of this host, owned by us, regular (never a symlink, never followed),
 * whose pid no longer exists, are removed.
 *
 * Reading the folder costs in proportion to its size, and a program that
 * starts thousands of processes puts thousands of dumps in one folder: so
 * a process looks once (its first dump), and in a folder larger than
 * SCAN_ALWAYS bytes about one process in (size / SCAN_ALWAYS) looks, at
 * random. What one process pays stays bounded (measured: ~0.3 us an
 * entry), and a leftover is still removed, by a later process.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "internal.h"

/* ".cprof-<host>-": the host as file names have it (host.c). */
static void temp_prefix(char *buf, size_t cap)
{
    snprintf(buf, cap, ".cprof-%s-", cprof_host_file());
}

void cprof_temp_name(char *buf, size_t cap, uint64_t salt)
{
    char prefix[96];
    temp_prefix(prefix, sizeof prefix);
    snprintf(buf, cap, "%s%d.%llx.tmp", prefix, (int)getpid(), (unsigned long long)salt);
}

/* The pid in a temporary name of this host, or 0 if the name is not one. */
static pid_t temp_pid(const char *name, const char *prefix)
{
    size_t lp = strlen(prefix);
    if (strncmp(name, prefix, lp) != 0)
        return 0;
    const char *p = name + lp;
    char *end;
    long pid = strtol(p, &end, 10);
    if (end == p || *p < '1' || *p > '9' || pid <= 0 || pid > INT32_MAX || *end != '.')
        return 0;
    p = end + 1;
    const char *hex = p;
    while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
        p++;
    return p > hex && strcmp(p, ".tmp") == 0 ? (pid_t)pid : 0;
}

static int ours_and_dead(int dfd, const char *name, pid_t pid)
{
    struct stat st;
    if (pid == getpid() || fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return 0;
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid())
        return 0;
    return kill(pid, 0) != 0 && errno == ESRCH;
}

/* A folder this large (st_size: ~700 entries on ext4) is always read. */
#define SCAN_ALWAYS (32u << 10)

static int scanned;

/* 1 if this process reads the folder now (see the top of the file). */
static int scan_now(int dfd)
{
    if (scanned)
        return 0;
    scanned = 1;
    struct stat st;
    if (fstat(dfd, &st) != 0 || st.st_size <= (off_t)SCAN_ALWAYS)
        return 1;
    uint64_t r = cprof_now() * 0x9E3779B97F4A7C15u ^ (uint64_t)getpid();
    return (r >> 33) % ((uint64_t)st.st_size / SCAN_ALWAYS + 1) == 0;
}

void cprof_remove_stale_temps(int dfd)
{
    if (!scan_now(dfd))
        return;
    int fd = dup(dfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    char prefix[96];
    temp_prefix(prefix, sizeof prefix);
    for (struct dirent *e; (e = readdir(d));) {
        pid_t pid = temp_pid(e->d_name, prefix);
        if (pid && ours_and_dead(dfd, e->d_name, pid))
            unlinkat(dfd, e->d_name, 0);   /* removes the name, follows nothing */
    }
    closedir(d);
}
