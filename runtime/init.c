/*
 * init.c: one-time start-up, on the first call into the runtime (not at load
 * time: a program that never enters a region pays nothing), and the warning
 * lines on stderr.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int cprof_enabled_flag;
int cprof_exiting;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void at_exit(void)
{
    __atomic_store_n(&cprof_exiting, 1, __ATOMIC_RELAXED);
    if (cprof_busy)
        return;   /* exit() called from a handler that interrupted the runtime */
    CPROF_BUSY_ENTER();
    cprof_dump_now(1);
    CPROF_BUSY_LEAVE();
}

/*
 * fork() takes every lock of the runtime, in the order a dump takes them
 * (dump, thread list, registry), so that no lock is held in the child and
 * fork never deadlocks against a dump on another thread.
 */
static void atfork_prepare(void)
{
    cprof_dump_atfork_prepare();
    cprof_thread_atfork_prepare();
    cprof_registry_atfork_prepare();
    cprof_mem_atfork_prepare();
}

static void atfork_parent(void)
{
    cprof_mem_atfork_release();
    cprof_registry_atfork_parent();
    cprof_thread_atfork_parent();
    cprof_dump_atfork_parent();
}

static void atfork_child(void)
{
    cprof_mem_atfork_release();
    cprof_registry_atfork_child();
    cprof_thread_atfork_child();
    cprof_dump_atfork_child();
}

static void init(void)
{
    cprof_config_load();
    if (cprof_cfg.disabled)
        return;
    cprof_clock_init();
    cprof_host_init();   /* here, not in the dump: an exit-time dump only copies */
    cprof_counters_init();
    cprof_thread_init_once();
    pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
    atexit(at_exit);
    cprof_enabled_flag = 1;
}

int cprof_ensure_init(void)
{
    pthread_once(&once, init);
    return cprof_enabled_flag;
}

CPROF_API int cprof_enabled(void)
{
    int saved = errno;   /* the first call may start PAPI */
    if (cprof_busy)
        return CPROF_LOAD(&cprof_enabled_flag);   /* a handler: never wait for our own init */
    CPROF_BUSY_ENTER();
    int on = cprof_ensure_init();
    CPROF_BUSY_LEAVE();
    errno = saved;
    return on;
}

static void vwarn(int always, const char *fmt, va_list ap)
{
    if (cprof_cfg.quiet && !always)
        return;
    /* One write, so that lines from several threads do not interleave. */
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "cprof: ");
    int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof buf - 2)
        len = sizeof buf - 2;
    buf[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, buf, len);
    (void)w;
}

void cprof_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(0, fmt, ap);
    va_end(ap);
}

void cprof_warn_setting(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(1, fmt, ap);
    va_end(ap);
}

void cprof_warn_once(int *flag, const char *fmt, ...)
{
    if (__atomic_exchange_n(flag, 1, __ATOMIC_RELAXED))
        return;
    va_list ap;
    va_start(ap, fmt);
    vwarn(0, fmt, ap);
    va_end(ap);
}
