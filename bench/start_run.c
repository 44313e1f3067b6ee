/*
 * start_run.c: the CPU time (user + system) programs cost from exec to exit,
 * for bench/start.sh. Each VARIANT is one argument, "VAR=VALUE ... PROGRAM
 * ARG ...", split at spaces (no shell: the variables are set in the child
 * before execvp, so nothing else is exec'd and counted). The variants take
 * turns run by run, so that the machine's load, which moves by the second
 * on a shared VM, touches them alike; a variant's figure is the median of
 * its ROUNDS round means (N runs each), in microseconds, one line per
 * variant, with its mean minor page faults (each one costs
 * several microseconds in a VM, and their number does not change with the
 * machine's load). The kernel's per-child accounting (wait4's rusage)
 * counts every thread of the child and nothing of ours. The programs'
 * output goes to /dev/null.
 * usage: start_run N ROUNDS VARIANT...
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORDS 32

static double tv_us(struct timeval tv)
{
    return (double)tv.tv_sec * 1e6 + (double)tv.tv_usec;
}

/* The child: the variant's variables, then its program. */
static void child(char *variant)
{
    char *argv[MAX_WORDS + 1];
    int n = 0;
    for (char *w = strtok(variant, " "); w && n < MAX_WORDS; w = strtok(NULL, " ")) {
        if (n == 0 && strchr(w, '=') && w[0] != '=')
            putenv(w);
        else
            argv[n++] = w;
    }
    argv[n] = NULL;
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
    }
    if (n)
        execvp(argv[0], argv);
    _exit(127);
}

/* One run's user + system microseconds, or -1 if it did not exit 0; its
 * minor faults are added to *faults. */
static double run_once(const char *variant, double *faults)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", variant);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        child(copy);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    *faults += (double)ru.ru_minflt;
    return tv_us(ru.ru_utime) + tv_us(ru.ru_stime);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int n = argc > 3 ? atoi(argv[1]) : 0, rounds = argc > 3 ? atoi(argv[2]) : 0;
    if (n <= 0 || rounds <= 0) {
        fprintf(stderr, "usage: start_run N ROUNDS VARIANT...\n");
        return 2;
    }
    int nv = argc - 3;
    double *means = calloc((size_t)nv * rounds, sizeof *means), *sums = calloc((size_t)nv, sizeof *sums);
    double *faults = calloc((size_t)nv, sizeof *faults), *median = calloc((size_t)nv, sizeof *median);
    if (!means || !sums || !faults || !median)
        return 1;
    for (int r = 0; r < rounds; r++) {
        memset(sums, 0, (size_t)nv * sizeof *sums);
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < nv; v++) {
                double us = run_once(argv[3 + v], &faults[v]);
                if (us < 0) {
                    fprintf(stderr, "start_run: failed: %s\n", argv[3 + v]);
                    return 1;
                }
                sums[v] += us;
            }
        }
        for (int v = 0; v < nv; v++)
            means[v * rounds + r] = sums[v] / n;
    }
    for (int v = 0; v < nv; v++) {
        qsort(means + v * rounds, (size_t)rounds, sizeof *means, cmp_double);
        median[v] = means[v * rounds + rounds / 2];
    }
    for (int v = 0; v < nv; v++)
        printf("%.0f %.1f\n", median[v], faults[v] / ((double)n * rounds));
    free(median);
    free(faults);
    free(sums);
    free(means);
    return 0;
}
