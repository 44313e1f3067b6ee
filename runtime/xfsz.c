/*
 * xfsz.c: the dump's writes never raise SIGXFSZ in the program. Under a file
 * size limit (ulimit -f) a write past it sends SIGXFSZ, whose default action
 * kills the process: the dump would change the program's exit status. The
 * signal is blocked in the dumping thread only (the program's other threads
 * keep theirs), so a write fails with EFBIG instead; the SIGXFSZ the kernel
 * left pending is taken back before the program's own mask returns.
 */
#include <signal.h>
#include <time.h>

#include "internal.h"

void cprof_xfsz_block(cprof_xfsz_guard *g)
{
    sigset_t xfsz, pending;
    sigemptyset(&xfsz);
    sigaddset(&xfsz, SIGXFSZ);
    g->blocked = pthread_sigmask(SIG_BLOCK, &xfsz, &g->old) == 0;
    /* One pending before we start is the program's (it had it blocked). */
    g->was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGXFSZ);
}

void cprof_xfsz_restore(cprof_xfsz_guard *g)
{
    if (!g->blocked)
        return;
    if (!g->was_pending) {
        sigset_t xfsz;
        sigemptyset(&xfsz);
        sigaddset(&xfsz, SIGXFSZ);
        struct timespec zero = { 0, 0 };
        while (sigtimedwait(&xfsz, NULL, &zero) == SIGXFSZ)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}
