/*
 * host.c: where the process runs, for the dump's "host", "cpu" and "rank"
 * fields and its file name, so that a report or a diff of two runs can say
 * they were made on different machines, and the dumps of many hosts can
 * share a folder. Read once, at start-up (init.c), never on the hot path;
 * the dump only copies. The runtime may start inside a signal handler (a
 * region entered there first), so this uses only gethostname, uname,
 * getenv and open/read/close into fixed buffers: no stdio, no malloc, no
 * lock.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "internal.h"

#define NAME_MAX_LEN 256          /* Linux host names are at most 64 bytes */
#define CPUINFO_MAX (64u << 10)   /* bounds the read: x86's first record holds the answer */

static char host[NAME_MAX_LEN];
static char host_file[65];        /* the host as a file name has it (cprof_host_file) */
static char cpu[NAME_MAX_LEN];
static int rank = -1, world_size = -1;

/*
 * The lines that name the CPU, best first: x86 and most others say
 * "model name"; 32-bit ARM kernels "Hardware" (the SoC) or, older ones,
 * "Processor"; MIPS "cpu model"; POWER "cpu". Keys are compared whole and
 * with their case ("processor" is x86's CPU number, "cpu MHz" a clock).
 */
static const char *const cpu_keys[] = { "model name", "Hardware", "cpu model", "Processor", "cpu" };
#define N_KEYS (int)(sizeof cpu_keys / sizeof *cpu_keys)

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* s[0..n) into out, trimmed, runs of blanks made one space (older kernels
 * pad Intel's model names); a cut one ends on a whole UTF-8 character. */
static void copy_trimmed(char *out, size_t cap, const char *s, size_t n)
{
    size_t k = 0, i = 0;
    for (; i < n && k + 1 < cap; i++) {
        if (!is_space(s[i]))
            out[k++] = s[i];
        else if (k && out[k - 1] != ' ')
            out[k++] = ' ';
    }
    if (i < n && k && ((unsigned char)s[i] & 0xC0) == 0x80) {
        while (k && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
            k--;   /* the cut fell inside a character: drop all of it */
        if (k)
            k--;
    }
    while (k && out[k - 1] == ' ')
        k--;
    out[k] = 0;
}

/* The rank of one "key : value" line among cpu_keys (0 best), or N_KEYS;
 * *value and *vlen get its value. */
static int line_rank(const char *line, size_t n, const char **value, size_t *vlen)
{
    const char *colon = memchr(line, ':', n);
    if (!colon)
        return N_KEYS;
    size_t klen = (size_t)(colon - line);
    while (klen && is_space(line[klen - 1]))
        klen--;
    *value = colon + 1;
    *vlen = n - (size_t)(colon + 1 - line);
    for (int r = 0; r < N_KEYS; r++)
        if (strlen(cpu_keys[r]) == klen && memcmp(line, cpu_keys[r], klen) == 0)
            return r;
    return N_KEYS;
}

typedef struct scan {
    char line[512];           /* longer lines are cut: a value is bounded anyway */
    size_t n;
    int best;                 /* rank of what `out` holds, N_KEYS: nothing yet */
    char *out;
    size_t cap;
} scan;

static void end_line(scan *s)
{
    const char *v = NULL;
    size_t vlen = 0;
    int r = line_rank(s->line, s->n, &v, &vlen);
    s->n = 0;
    if (r >= s->best)
        return;   /* the first line of each key counts: the first CPU's */
    char value[sizeof s->line];
    copy_trimmed(value, s->cap < sizeof value ? s->cap : sizeof value, v, vlen);
    if (value[0]) {   /* "Hardware\t:" with nothing after it names nothing */
        memcpy(s->out, value, strlen(value) + 1);
        s->best = r;
    }
}

/*
 * The CPU model in a /proc/cpuinfo text read from fd, into out: 1, or 0
 * when no line names it. Reads in small pieces and stops at the first
 * "model name" (each record the kernel makes can cost it a query of that
 * CPU's clock), or after CPUINFO_MAX bytes. Not static: the runtime tests
 * feed it other architectures' files.
 */
int cprof_cpu_from_cpuinfo(int fd, char *out, size_t cap)
{
    scan s = { .best = N_KEYS, .out = out, .cap = cap };
    char buf[4096];
    size_t total = 0;
    ssize_t r;
    out[0] = 0;
    while (s.best > 0 && total < CPUINFO_MAX && (r = read(fd, buf, sizeof buf)) > 0) {
        total += (size_t)r;
        for (ssize_t i = 0; i < r && s.best > 0; i++) {
            if (buf[i] == '\n')
                end_line(&s);
            else if (s.n < sizeof s.line)
                s.line[s.n++] = buf[i];
        }
    }
    if (s.n && s.best > 0)
        end_line(&s);   /* a last line without its newline */
    return s.best < N_KEYS;
}

/*
 * Which process of a parallel job this is, as its launcher says: the first
 * of these whose rank is set and a whole decimal number, with the size of
 * the job from the same launcher when it gives one that holds the rank.
 */
static const struct { const char *rank, *size; } launchers[] = {
    { "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE" },   /* Open MPI's mpirun */
    { "PMI_RANK", "PMI_SIZE" },                           /* MPICH, Intel MPI (Hydra) */
    { "PMIX_RANK", NULL },                                /* PMIx launchers (prterun, ...) */
    { "SLURM_PROCID", "SLURM_NTASKS" },                   /* srun */
};

/* $name as a number 0 .. INT_MAX, or -1 (unset, empty, a sign, anything else). */
static int env_number(const char *name)
{
    const char *s = name ? getenv(name) : NULL;
    if (!s || !*s)
        return -1;
    int v = 0;
    for (; *s; s++) {
        int d = *s - '0';
        if (d < 0 || d > 9 || v > (INT_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    return v;
}

void cprof_rank_from_env(int *r, int *size)
{
    *r = *size = -1;
    for (size_t i = 0; i < sizeof launchers / sizeof *launchers; i++) {
        int v = env_number(launchers[i].rank);
        if (v < 0)
            continue;
        int n = env_number(launchers[i].size);
        *r = v;
        *size = n > v ? n : -1;
        return;
    }
}

/* The host in a file name: anything but letters, digits, '.', '_' and '-'
 * made '_' (a '/' or a newline cannot be in one), "unknown" when there is
 * none, at most 64 bytes. */
static void file_part(char *out, size_t cap, const char *name)
{
    size_t k = 0;
    for (; name[k] && k + 1 < cap; k++) {
        char c = name[k];
        int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
        out[k] = plain ? c : '_';
    }
    out[k] = 0;
    if (!k)
        memcpy(out, "unknown", sizeof "unknown");
}

void cprof_host_init(void)
{
    if (gethostname(host, sizeof host) != 0)
        host[0] = 0;
    host[sizeof host - 1] = 0;   /* a cut name need not end in NUL */
    file_part(host_file, sizeof host_file, host);
    cprof_rank_from_env(&rank, &world_size);
    int fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC);
    int found = fd >= 0 && cprof_cpu_from_cpuinfo(fd, cpu, sizeof cpu);
    if (fd >= 0)
        close(fd);
    struct utsname u;
    if (!found && uname(&u) == 0)
        copy_trimmed(cpu, sizeof cpu, u.machine, strlen(u.machine));   /* "aarch64": better than nothing */
}

const char *cprof_host_name(void)
{
    return host[0] ? host : NULL;
}

const char *cprof_host_cpu(void)
{
    return cpu[0] ? cpu : NULL;
}

const char *cprof_host_file(void)
{
    return host_file;
}

int cprof_host_rank(void)
{
    return rank;
}

int cprof_host_world_size(void)
{
    return world_size;
}
