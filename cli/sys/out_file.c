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

static const char *const MARKS[] = {
    "\"format\": \"cprof-report-", "\"format\": \"cprof-diff-",   /* json reports */
    "<!-- cargo-profiler",                                         /* svg, html */
    "\"exporter\":\"cargo-profiler",                               /* speedscope */
};
#define HEAD_BYTES 512

int out_file_is_ours(const char *head, size_t n)
{
    for (size_t i = 0; i < sizeof MARKS / sizeof MARKS[0]; i++)
        if (memmem(head, n, MARKS[i], strlen(MARKS[i])))
            return 1;
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

/* A device or pipe (/dev/null, /dev/stdout, a fifo): written into, never replaced. */
static int is_stream(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
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

static int open_stream(out_file *of, const char *path, char *err, size_t errlen)
{
    of->f = fopen(path, "w");
    return of->f ? 0 : fail(err, errlen, path, strerror(errno));
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

/* tmp onto path, never over a file that appeared meanwhile. */
static int put_in_place(const out_file *of)
{
    struct stat st;
    if (lstat(of->path, &st) == 0)
        return rename(of->tmp, of->path);   /* checked: ours, or --force */
    return rename_new(of->tmp, of->path);
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
    else if (out_file_check(of->path, of->force, err, errlen))
        e = -1;
    else if (put_in_place(of))
        e = errno;
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
