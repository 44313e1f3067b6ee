/*
 * launch.c: runs the profiled program (or valgrind around it) with
 * fork/execvp: no shell, stdio inherited, extra environment set in the child
 * only. The parent ignores SIGINT/SIGQUIT meanwhile (like a shell), so ^C
 * stops the program and we still show what it dumped; a SIGTERM or SIGHUP
 * sent to us alone (kill, a closed terminal) is passed on to the program,
 * which is never left running on its own.
 */
#include "sys/launch.h"
#include "sys/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t forward_to;   /* the running child, 0 when none */
static volatile sig_atomic_t forwarded;    /* the last signal passed on to it */

static void forward(int sig)
{
    if (forward_to > 0) {
        forwarded = sig;
        kill((pid_t)forward_to, sig);
    }
}

/* In the child: "NAME=VALUE" sets, "NAME" unsets. */
static void apply_env(char *const env[])
{
    for (size_t i = 0; env && env[i]; i++) {
        const char *eq = strchr(env[i], '=');
        char name[256];
        size_t n = eq ? (size_t)(eq - env[i]) : strlen(env[i]);
        if (n == 0 || n >= sizeof name)
            continue;
        memcpy(name, env[i], n);
        name[n] = 0;
        if (eq)
            setenv(name, eq + 1, 1);
        else
            unsetenv(name);
    }
}

/* In the child: set the environment and exec; on failure the errno goes to
 * the parent through errfd (close-on-exec, so success closes it). */
__attribute__((noreturn)) static void exec_child(char *const argv[], char *const env[], int errfd)
{
    apply_env(env);
    execvp(argv[0], argv);
    int e = errno;
    ssize_t w = write(errfd, &e, sizeof e);
    (void)w;
    _exit(127);
}

/* Waits for the child (through EINTR) and records how it ended. */
static void wait_child(pid_t pid, launch_result *r)
{
    int status = 0;
    pid_t w;
    do
        w = waitpid(pid, &status, 0);
    while (w < 0 && errno == EINTR);
    if (w == pid && WIFEXITED(status)) {
        r->exited = 1;
        r->status = WEXITSTATUS(status);
    } else if (w == pid && WIFSIGNALED(status)) {
        r->signal = WTERMSIG(status);
#ifdef WCOREDUMP
        r->core = WCOREDUMP(status) != 0;
#endif
    }
}

int launch_run(char *const argv[], char *const env[], launch_result *r, char *err, size_t errlen)
{
    return launch_run_flags(argv, env, 0, r, err, errlen);
}

int launch_run_flags(char *const argv[], char *const env[], int flags, launch_result *r,
                     char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    /* exec failure is reported through a close-on-exec pipe: errno, or EOF on success */
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot run %s: pipe: %s", argv[0], strerror(errno));
        return -1;
    }
    struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit, old_term, old_hup;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    struct sigaction fwd = { .sa_handler = forward };   /* reset by exec in the child */
    sigemptyset(&fwd.sa_mask);
    sigaction(SIGTERM, &fwd, &old_term);
    sigaction(SIGHUP, &fwd, &old_hup);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pfd[0]);
        close(pfd[1]);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        sigaction(SIGHUP, &old_hup, NULL);
        snprintf(err, errlen, "cannot run %s: fork: %s", argv[0], strerror(e));
        return -1;
    }
    if (pid == 0) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        sigaction(SIGHUP, &old_hup, NULL);
        close(pfd[0]);
        if (flags & LAUNCH_STDOUT_TO_STDERR)
            dup2(STDERR_FILENO, STDOUT_FILENO);
        exec_child(argv, env, pfd[1]);
    }
    forwarded = 0;
    forward_to = pid;
    close(pfd[1]);
    int child_errno = 0;
    ssize_t got;
    do
        got = read(pfd[0], &child_errno, sizeof child_errno);
    while (got < 0 && errno == EINTR);
    close(pfd[0]);
    wait_child(pid, r);
    forward_to = 0;
    r->forwarded = forwarded;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    if (got == (ssize_t)sizeof child_errno) {
        snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(child_errno));
        return -1;
    }
    r->started = 1;
    return 0;
}

void launch_describe(const launch_result *r, char *buf, size_t len)
{
    if (!r->started)
        snprintf(buf, len, "did not start");
    else if (r->exited)
        snprintf(buf, len, "exited with status %d", r->status);
    else if (r->signal)
        snprintf(buf, len, "was killed by signal %d (SIG%s: %s)%s", r->signal,
                 sigabbrev_np(r->signal) ? sigabbrev_np(r->signal) : "?", strsignal(r->signal),
                 r->core ? ", core dumped" : "");
    else
        snprintf(buf, len, "ended in an unknown way");
}

int launch_failed(const launch_result *r)
{
    return !r->started || !r->exited || r->status != 0;
}

int launch_failed_status(const launch_result *r, int failed_status)
{
    return r->forwarded && !r->exited && r->signal == r->forwarded ? 128 + r->signal : failed_status;
}

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static int buf_read(buf *b, int fd)
{
    if (b->cap - b->n < 4096) {
        b->cap = b->cap ? b->cap * 2 : 65536;
        char *q = xrealloc(b->p, b->cap);
        b->p = q;
    }
    ssize_t got = read(fd, b->p + b->n, b->cap - b->n - 1);
    if (got > 0)
        b->n += (size_t)got;
    b->p[b->n] = 0;
    return got < 0 && errno == EINTR ? 1 : (int)(got > 0);
}

int launch_capture(char *const argv[], char *const env[], launch_result *r,
                   char **out, char **err_out, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    *out = NULL;
    if (err_out)
        *err_out = NULL;
    int opipe[2], epipe[2] = {-1, -1}, xpipe[2];
    if (pipe2(opipe, O_CLOEXEC) || (err_out && pipe2(epipe, O_CLOEXEC)) || pipe2(xpipe, O_CLOEXEC)) {
        snprintf(err, errlen, "cannot run %s: pipe: %s", argv[0], strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot run %s: fork: %s", argv[0], strerror(errno));
        return -1;
    }
    if (pid == 0) {
        dup2(opipe[1], 1);
        if (err_out)
            dup2(epipe[1], 2);
        exec_child(argv, env, xpipe[1]);
    }
    close(opipe[1]);
    close(xpipe[1]);
    if (err_out)
        close(epipe[1]);
    buf bo = {0}, be = {0};
    struct pollfd fds[2] = { { opipe[0], POLLIN, 0 }, { epipe[0], POLLIN, 0 } };
    int open_o = 1, open_e = err_out != NULL;
    buf_read(&bo, -1);   /* allocate, so *out is never NULL */
    while (open_o || open_e) {
        fds[0].fd = open_o ? opipe[0] : -1;
        fds[1].fd = open_e ? epipe[0] : -1;
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (open_o && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            open_o = buf_read(&bo, opipe[0]);
        if (open_e && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
            open_e = buf_read(&be, epipe[0]);
    }
    close(opipe[0]);
    if (err_out)
        close(epipe[0]);
    int child_errno = 0;
    ssize_t got = read(xpipe[0], &child_errno, sizeof child_errno);
    close(xpipe[0]);
    wait_child(pid, r);
    if (got == (ssize_t)sizeof child_errno) {
        free(bo.p);
        free(be.p);
        snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(child_errno));
        return -1;
    }
    r->started = 1;
    *out = bo.p;
    if (err_out) {
        if (!be.p)
            buf_read(&be, -1);
        *err_out = be.p;
    }
    return 0;
}
