/*
 * dump.c: writes cprof-<host>-<pid>.json (docs/dump-format.md; the JSON is
 * dump_json.c's): named by host too, so that the folders of the processes
 * of many hosts (an MPI job) can be put together. Format cprof-2 unless
 * CPROF_DUMP_FORMAT=1; with CPROF_TEST_DUMP_V1 (tests), a cprof-1 copy of
 * the same cut goes to a folder of its own.
 * A file is written under a temporary name created with O_EXCL|O_NOFOLLOW
 * and renamed into place without replacing anything this process did not
 * write itself. Failure is one line on stderr; the program never notices.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "dump.h"

static pthread_mutex_t dump_lock = PTHREAD_MUTEX_INITIALIZER;

/* Our own last file in a folder, so that only that one is replaced. */
typedef struct own_file {
    char name[128];            /* "" if none */
    dev_t dev;
    ino_t ino;
    char path[PATH_MAX];
} own_file;
static own_file main_file, copy_file;

/* Moves tmp to its final name: our own earlier dump is replaced, nothing else. */
static int place(int dfd, const char *tmp, char *name, size_t cap, const own_file *own)
{
    struct stat st;
    if (own->name[0] && fstatat(dfd, own->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        st.st_dev == own->dev && st.st_ino == own->ino) {
        snprintf(name, cap, "%s", own->name);
        return renameat(dfd, tmp, dfd, name);
    }
    for (int k = 0; k < 1000; k++) {
        if (k)
            snprintf(name, cap, "cprof-%s-%d.%d.json", cprof_host_file(), (int)getpid(), k);
        else
            snprintf(name, cap, "cprof-%s-%d.json", cprof_host_file(), (int)getpid());
        if (renameat2(dfd, tmp, dfd, name, RENAME_NOREPLACE) == 0)
            return 0;
        if (errno == EEXIST)
            continue;
        if (errno != EINVAL && errno != ENOSYS)
            return -1;
        /* No RENAME_NOREPLACE on this file system: link() never replaces either. */
        if (linkat(dfd, tmp, dfd, name, 0) == 0) {
            unlinkat(dfd, tmp, 0);
            return 0;
        }
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}

/* One file of the dump: its folder, its temporary file, its stream. */
typedef struct target {
    const char *dir;
    own_file *own;
    int dfd, fd;
    char tmp[192];
    FILE *f;
} target;

/* 0 with t->f open on a new temporary file, or -1 (said on stderr). */
static int target_open(target *t)
{
    t->fd = -1;
    t->f = NULL;
    t->dfd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (t->dfd < 0) {
        cprof_warn("cannot write the dump: %s: %s", t->dir, strerror(errno));
        return -1;
    }
    cprof_remove_stale_temps(t->dfd);
    for (int k = 0; k < 100 && t->fd < 0; k++) {
        cprof_temp_name(t->tmp, sizeof t->tmp, cprof_now() + (uint64_t)k);
        t->fd = openat(t->dfd, t->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (t->fd < 0 && errno != EEXIST)
            break;
    }
    if (t->fd < 0) {
        cprof_warn("cannot write the dump in %s: %s", t->dir, strerror(errno));
        close(t->dfd);
        return -1;
    }
    t->f = fdopen(t->fd, "w");
    if (!t->f) {
        cprof_warn("cannot write the dump in %s: %s", t->dir, strerror(errno));
        close(t->fd);
        unlinkat(t->dfd, t->tmp, 0);
        close(t->dfd);
        return -1;
    }
    return 0;
}

/* Closes the written file and puts it in place: 0, or -1 (said on stderr). */
static int target_close(target *t, int werr, int saved)
{
    int rc = -1;
    if (fclose(t->f) != 0) {
        werr = -1;
        saved = errno;
    }
    char name[sizeof t->own->name];
    if (werr != 0) {
        cprof_warn("cannot write the dump in %s: %s%s", t->dir, strerror(saved ? saved : EIO),
                   saved == EFBIG ? " (the file size limit, ulimit -f)" : "");
        unlinkat(t->dfd, t->tmp, 0);
    } else if (place(t->dfd, t->tmp, name, sizeof name, t->own) != 0) {
        cprof_warn("cannot write the dump %s/cprof-%s-%d.json: %s", t->dir, cprof_host_file(),
                   (int)getpid(), strerror(errno));
        unlinkat(t->dfd, t->tmp, 0);
    } else {
        struct stat st;
        snprintf(t->own->name, sizeof t->own->name, "%s", name);
        snprintf(t->own->path, sizeof t->own->path, "%s/%s", t->dir, name);
        if (fstatat(t->dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            t->own->dev = st.st_dev;
            t->own->ino = st.st_ino;
        }
        rc = 0;
    }
    close(t->dfd);
    return rc;
}

int cprof_dump_now(int at_exit)
{
    (void)at_exit;
    /* First: the dump's own work must not count in the caller's open regions. */
    uint64_t now = cprof_now();
    long long c_now[CPROF_MAX_EVENTS] = { 0 };
    cprof_thread *me = cprof_tls;
    if (me)
        cprof_counters_read(me, c_now);
    pthread_mutex_lock(&dump_lock);
    cprof_xfsz_guard xfsz;
    cprof_xfsz_block(&xfsz);
    target ts[2] = { { .dir = cprof_cfg.output, .own = &main_file },
                     { .dir = cprof_cfg.dump_v1_copy, .own = &copy_file } };
    int formats[2] = { cprof_cfg.dump_format, 1 }, nt = cprof_cfg.dump_v1_copy ? 2 : 1;
    dump_out outs[2];
    int n = 0, opened[2] = { 0, 0 };
    for (int i = 0; i < nt; i++)
        if (target_open(&ts[i]) == 0) {
            opened[i] = 1;
            outs[n++] = (dump_out){ ts[i].f, formats[i] };
        }
    int rc = -1;
    if (n) {
        /* Numbers in JSON have a decimal point, whatever the program's locale. */
        locale_t cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
        locale_t prev = cloc ? uselocale(cloc) : (locale_t)0;
        errno = 0;
        cprof_dump_write(outs, n, now, c_now);
        int saved = errno;   /* a failed write's (EFBIG, ENOSPC) */
        if (cloc) {
            uselocale(prev);
            freelocale(cloc);
        }
        for (int i = 0; i < nt; i++)
            if (opened[i]) {
                int werr = ferror(ts[i].f) ? -1 : 0;
                if (target_close(&ts[i], werr, saved) == 0 && i == 0)
                    rc = 0;
            }
    }
    cprof_xfsz_restore(&xfsz);
    pthread_mutex_unlock(&dump_lock);
    return rc;
}

void cprof_dump_atfork_prepare(void)
{
    pthread_mutex_lock(&dump_lock);
}

void cprof_dump_atfork_parent(void)
{
    pthread_mutex_unlock(&dump_lock);
}

void cprof_dump_atfork_child(void)
{
    /* The parent's files are not ours to replace. */
    memset(&main_file, 0, sizeof main_file);
    memset(&copy_file, 0, sizeof copy_file);
    pthread_mutex_unlock(&dump_lock);
}

CPROF_API int cprof_dump(void)
{
    if (cprof_busy) {
        cprof_count_reentrant();   /* a handler that interrupted the runtime */
        return -1;
    }
    int saved = errno;   /* the program's errno comes out as it went in */
    CPROF_BUSY_ENTER();
    int rc = cprof_ensure_init() ? cprof_dump_now(0) : 0;
    CPROF_BUSY_LEAVE();
    errno = saved;
    return rc;
}

/*
 * Every path handed out stays valid and unchanged for the life of the
 * process (another thread's dump may change main_file.path meanwhile). Not a
 * thread-local buffer: 4 KB of static TLS would make libcprof.so fail to
 * dlopen ("cannot allocate memory in static TLS block"). A process writes
 * one or two dump names, so the list stays short.
 */
typedef struct published {
    struct published *next;
    char path[];
} published;
static published *paths;

CPROF_API const char *cprof_dump_path(void)
{
    const char *r = NULL;
    pthread_mutex_lock(&dump_lock);
    if (main_file.path[0]) {
        published *p = paths;
        while (p && strcmp(p->path, main_file.path) != 0)
            p = p->next;
        if (!p && (p = malloc(sizeof *p + strlen(main_file.path) + 1)) != NULL) {
            strcpy(p->path, main_file.path);
            p->next = paths;
            paths = p;
        }
        r = p ? p->path : NULL;
    }
    pthread_mutex_unlock(&dump_lock);
    return r;
}
