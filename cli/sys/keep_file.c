/*
 * keep_file.c: another program rewrites a file, the file keeps its identity
 * (see keep_file.h). The new bytes go into the original inode while it is
 * reachable only under our second name (and the user's own hard links), so
 * at the file's path the switch from the other program's copy back to the
 * original inode is one rename: never a half-written Cargo.toml there.
 */
#include "sys/keep_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *read_fd(int fd, size_t *n)
{
    char *buf = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (cap - *n < 4096) {
            char *q = realloc(buf, cap = cap ? cap * 2 : 8192);
            if (!q) {
                free(buf);
                return NULL;
            }
            buf = q;
        }
        ssize_t got = read(fd, buf + *n, cap - *n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            free(buf);
            return NULL;
        }
        if (got == 0)
            break;
        *n += (size_t)got;
    }
    buf[*n] = 0;
    return buf;
}

int keep_file_begin(keep_file *k, const char *path, char *err, size_t errlen)
{
    memset(k, 0, sizeof *k);
    snprintf(k->path, sizeof k->path, "%s", path);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &k->st) != 0) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(k->st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    /* a file nobody may write is a "do not change" even root should keep */
    if ((k->st.st_mode & 0222) == 0 || access(path, W_OK) != 0) {
        snprintf(err, errlen, "%s is read-only (mode %04o%s): nothing changed; make it writable "
                 "and run init again", path, (unsigned)(k->st.st_mode & 07777),
                 (k->st.st_mode & 0222) ? ", not writable by you" : "");
        close(fd);
        return -1;
    }
    k->before = read_fd(fd, &k->before_len);
    close(fd);
    if (!k->before) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno ? errno : ENOMEM));
        return -1;
    }
    if (memchr(k->before, 0, k->before_len)) {
        snprintf(err, errlen, "%s: not a text file", path);
        free(k->before);
        k->before = NULL;
        return -1;
    }
    /* link() never replaces: an existing name is an error, not overwritten */
    snprintf(k->link, sizeof k->link, "%s.cargo-profiler-%ld.orig", path, (long)getpid());
    if (link(path, k->link) != 0) {
        snprintf(err, errlen, "cannot keep %s as it is while cargo rewrites it (a hard link "
                 "next to it: %s): nothing changed", path, strerror(errno));
        free(k->before);
        k->before = NULL;
        return -1;
    }
    return 0;
}

char *keep_file_now(const keep_file *k, size_t *n, char *err, size_t errlen)
{
    int fd = open(k->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    char *t = fd >= 0 ? read_fd(fd, n) : NULL;
    if (!t)
        snprintf(err, errlen, "%s: cannot read: %s", k->path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return t;
}

/* The bytes into the original inode (under our second name). */
static int write_inode(keep_file *k, const char *text, size_t n)
{
    int fd = open(k->link, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || st.st_ino != k->st.st_ino || st.st_dev != k->st.st_dev) {
        close(fd);   /* not our inode any more: someone swapped the name */
        errno = EEXIST;
        return -1;
    }
    k->written = 1;
    int ok = ftruncate(fd, 0) == 0;
    for (size_t off = 0; ok && off < n;) {
        ssize_t w = write(fd, text + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    int e = errno;
    close(fd);
    errno = e;
    return ok ? 0 : -1;
}

/* The original inode back at its path: a rename over the other program's copy, or nothing to do. */
static int put_back(keep_file *k)
{
    struct stat now;
    if (lstat(k->path, &now) == 0 && now.st_ino == k->st.st_ino && now.st_dev == k->st.st_dev)
        return unlink(k->link);   /* it wrote in place */
    return rename(k->link, k->path);
}

int keep_file_commit(keep_file *k, const char *text, size_t n, char *note, size_t notelen,
                     char *err, size_t errlen)
{
    note[0] = 0;
    if (write_inode(k, text, n) != 0 || put_back(k) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", k->path, strerror(errno));
        keep_file_abort(k);
        return -1;
    }
    struct stat now;
    if (lstat(k->path, &now) != 0 || now.st_ino != k->st.st_ino)
        snprintf(note, notelen, "%s is not the same file any more", k->path);
    else if (now.st_uid != k->st.st_uid || now.st_gid != k->st.st_gid ||
             (now.st_mode & 07777) != (k->st.st_mode & 07777) || now.st_nlink != k->st.st_nlink)
        snprintf(note, notelen, "%s: owner, mode or links changed meanwhile", k->path);
    free(k->before);
    k->before = NULL;
    k->link[0] = 0;
    return 0;
}

void keep_file_abort(keep_file *k)
{
    if (k->link[0]) {
        if (k->written)
            write_inode(k, k->before, k->before_len);
        put_back(k);
        k->link[0] = 0;
    }
    free(k->before);
    k->before = NULL;
}
