/*
 * out_file.c: `-o FILE` written through a temporary file and a rename (see
 * out_file.h).
 */
#include "sys/out_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/rename_new.h"
#include "sys/xalloc.h"

/* How each of our formats begins, at the file's first byte: a mark found
 * further in (a README quoting a report's first lines) is not ours. */
static const char *const MARKS[] = {
    "{\n \"format\": \"cprof-report-", "{\n \"format\": \"cprof-diff-",   /* json reports */
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<!-- cargo-profiler ",   /* svg */
    "<!DOCTYPE html>\n<!-- cargo-profiler ",                                     /* html */
    "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"exporter\":\"cargo-profiler@",
};
#define HEAD_BYTES 512

int out_file_is_ours(const char *head, size_t n)
{
    for (size_t i = 0; i < sizeof MARKS / sizeof MARKS[0]; i++) {
        size_t len = strlen(MARKS[i]);
        if (n >= len && memcmp(head, MARKS[i], len) == 0)
            return 1;
    }
    return 0;
}

static int is_stdout(const char *path)
{
    return !path || strcmp(path, "-") == 0;
}

static int fail(char *err, size_t errlen, const char *path, const char *what)
{
    snprintf(err, errlen, "-o %s: %s", path, what);
    return -1;
}

/* The symlinks the system keeps to this process's own streams (/dev/stdout,
 * /dev/fd/1): the only ones followed. */
static int is_own_stream_link(const char *path)
{
    static const char *const names[] = {"/dev/stdout", "/dev/stderr"};
    static const char *const fds[] = {"/dev/fd/", "/proc/self/fd/"};
    for (size_t i = 0; i < 2; i++)
        if (strcmp(path, names[i]) == 0)
            return 1;
    for (size_t i = 0; i < 2; i++) {
        size_t len = strlen(fds[i]);
        if (strncmp(path, fds[i], len) == 0 && path[len] && strspn(path + len, "0123456789") == strlen(path + len))
            return 1;
    }
    return 0;
}

static int stream_mode(mode_t mode)
{
    return S_ISCHR(mode) || S_ISFIFO(mode);
}

/* A device or pipe (/dev/null, a fifo, /dev/stdout): written into, never
 * replaced. A symlink counts only when it is one of our own streams: one
 * planted elsewhere, even to a fifo or a terminal, is not followed. */
static int is_stream(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    if (S_ISLNK(st.st_mode))
        return is_own_stream_link(path) && stat(path, &st) == 0 && stream_mode(st.st_mode);
    return stream_mode(st.st_mode);
}

static int folder_ok(const char *path, char *err, size_t errlen)
{
    char *copy = xstrdup(path), *dir = dirname(copy);
    struct stat st;
    int ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    int w = ok && access(dir, W_OK) == 0;
    free(copy);
    if (!ok)
        return fail(err, errlen, path, "its folder does not exist");
    return w ? 0 : fail(err, errlen, path, "its folder is not writable");
}

static int ours(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return 0;
    char head[HEAD_BYTES];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    return n > 0 && out_file_is_ours(head, (size_t)n);
}

int out_file_check(const char *path, int force, char *err, size_t errlen)
{
    struct stat st;
    if (is_stdout(path) || is_stream(path))
        return 0;
    if (!*path)
        return fail(err, errlen, path, "an empty file name");
    /* "x/" names a folder: refused now, not after the run when the rename fails */
    if (path[strlen(path) - 1] == '/')
        return fail(err, errlen, path, "ends in a slash (expected a file name)");
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? folder_ok(path, err, errlen) : fail(err, errlen, path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return fail(err, errlen, path, "is a folder (expected a file name)");
    if (S_ISLNK(st.st_mode) && !force)
        return fail(err, errlen, path, "is a symbolic link, which is not followed (--force replaces the link itself)");
    if (!S_ISLNK(st.st_mode) && !S_ISREG(st.st_mode))
        return fail(err, errlen, path, "is not a regular file");
    if (!force && !ours(path))
        return fail(err, errlen, path, "exists and is not a file cargo-profiler wrote (--force replaces it)");
    return folder_ok(path, err, errlen);
}

/* Opened without O_CREAT, and through no symlink but our own streams', then
 * checked again: a path swapped since is_stream is refused, never created or
 * truncated. */
static int open_stream(out_file *of, const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | (is_own_stream_link(path) ? 0 : O_NOFOLLOW));
    if (fd < 0)
        return fail(err, errlen, path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !stream_mode(st.st_mode)) {
        close(fd);
        return fail(err, errlen, path, "is no longer a device or pipe");
    }
    if (!(of->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        return fail(err, errlen, path, strerror(e));
    }
    return 0;
}

int out_file_open(out_file *of, const char *path, int force, char *err, size_t errlen)
{
    memset(of, 0, sizeof *of);
    of->force = force;
    if (is_stdout(path)) {
        of->f = stdout;
        return 0;
    }
    if (out_file_check(path, force, err, errlen))
        return -1;
    of->path = path;
    if (is_stream(path))
        return open_stream(of, path, err, errlen);
    char *copy = xstrdup(path);
    const char *base = basename(copy);
    char *dcopy = xstrdup(path);
    snprintf(of->tmp, sizeof of->tmp, "%s/.%s.XXXXXX", dirname(dcopy), base);
    free(copy);
    free(dcopy);
    int fd = mkostemp(of->tmp, O_CLOEXEC);
    if (fd < 0)
        return fail(err, errlen, path, strerror(errno));
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(of->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        unlink(of->tmp);
        return fail(err, errlen, path, strerror(e));
    }
    return 0;
}

/* tmp onto path. What was checked at the start may have changed: tmp goes
 * where nothing is, and only on EEXIST is what is there now checked (ours,
 * or --force) and replaced; a device or pipe that appeared is not. */
static int put_in_place(const out_file *of, char *err, size_t errlen)
{
    if (rename_new(of->tmp, of->path) == 0)
        return 0;
    if (errno != EEXIST)
        return errno;
    if (is_stream(of->path))
        return fail(err, errlen, of->path, "became a device or pipe while the view was written");
    if (out_file_check(of->path, of->force, err, errlen))
        return -1;
    return rename(of->tmp, of->path) == 0 ? 0 : errno;
}

int out_file_commit(out_file *of, char *err, size_t errlen)
{
    if (!of->path)
        return fflush(of->f) == 0 && !ferror(of->f) ? 0 : fail(err, errlen, "-", strerror(errno));
    int bad = ferror(of->f);
    int closed = fclose(of->f) == 0;
    of->f = NULL;
    if (!of->tmp[0])   /* a device or pipe */
        return !bad && closed ? 0 : fail(err, errlen, of->path, "write error");
    int e = 0;
    if (bad || !closed)
        e = errno ? errno : EIO;
    else
        e = put_in_place(of, err, errlen);
    if (e)
        unlink(of->tmp);
    of->tmp[0] = 0;
    if (e > 0)
        return fail(err, errlen, of->path, strerror(e));
    return e ? -1 : 0;
}

void out_file_abort(out_file *of)
{
    if (of->path && of->f)
        fclose(of->f);
    if (of->tmp[0])
        unlink(of->tmp);
    of->f = NULL;
    of->tmp[0] = 0;
}
