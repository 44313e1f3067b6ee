/*
 * test_host.c: the dump names where it ran ("host", "cpu") and, in a
 * parallel job, which rank it is ("rank", "world_size", from the
 * launcher's environment); its file is named by host and pid; the CPU
 * model is found in the /proc/cpuinfo of other architectures too.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"

/* The runtime's own readers (runtime/host.c); internal, linked from libcprof.a. */
int cprof_cpu_from_cpuinfo(int fd, char *out, size_t cap);
void cprof_rank_from_env(int *rank, int *size);

static const char *const rank_vars[] = { "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "PMI_RANK",
                                         "PMI_SIZE", "PMIX_RANK", "SLURM_PROCID", "SLURM_NTASKS" };

static void no_launcher(void)
{
    for (size_t i = 0; i < sizeof rank_vars / sizeof *rank_vars; i++)
        unsetenv(rank_vars[i]);
}

CPROF_SITE(s_a, "a");

TestSuite(host, .timeout = 30);

Test(host, the_dump_names_the_host_and_the_cpu)
{
    no_launcher();
    setup("");
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    char name[256] = "";
    cr_assert_eq(gethostname(name, sizeof name - 1), 0);
    json_t *host = json_object_get(d, "host"), *cpu = json_object_get(d, "cpu");
    cr_assert(json_is_string(host), "\"host\" is not a string");
    cr_assert_str_eq(json_string_value(host), name);
    cr_assert(json_is_null(cpu) || json_is_string(cpu), "\"cpu\" is neither a string nor null");
    cr_assert_null(json_object_get(d, "rank"), "no launcher, no rank");
    cr_assert_null(json_object_get(d, "world_size"));
    if (json_is_string(cpu)) {
        const char *s = json_string_value(cpu);
        size_t n = strlen(s);
        cr_assert_gt(n, 0, "\"cpu\" is empty (null says unknown)");
        cr_assert(s[0] != ' ' && s[n - 1] != ' ' && !strstr(s, "  ") && !strchr(s, '\t'),
                  "\"cpu\" is not trimmed: \"%s\"", s);
    }
    json_decref(d);
}

/* What cprof_cpu_from_cpuinfo makes of `text` ("" when it finds nothing). */
static const char *cpu_of(const char *text, size_t cap)
{
    static char out[256];
    int fd = memfd_create("cpuinfo", MFD_CLOEXEC);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
    int found = cprof_cpu_from_cpuinfo(fd, out, cap);
    close(fd);
    cr_assert_eq(found, out[0] != 0, "found %d but \"%s\"", found, out);
    return out;
}

Test(host, model_name_first_trimmed_and_its_blanks_made_one)
{
    cr_assert_str_eq(cpu_of("processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
                            "model name\t:   Intel(R) Xeon(R) CPU           E5-2680 0 @ 2.70GHz  \n"
                            "cpu MHz\t\t: 2700.000\n\nprocessor\t: 1\nmodel name\t: other\n", 256),
                     "Intel(R) Xeon(R) CPU E5-2680 0 @ 2.70GHz");
}

Test(host, other_architectures_name_it_otherwise)
{
    /* 32-bit ARM: "model name" per CPU, the SoC at the end */
    cr_assert_str_eq(cpu_of("processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\n\n"
                            "Hardware\t: BCM2835\nRevision\t: a02082\n", 256),
                     "ARMv7 Processor rev 4 (v7l)");
    /* older ARM kernels: "Processor", and "Hardware" is preferred to it */
    cr_assert_str_eq(cpu_of("Processor\t: ARMv7 Processor rev 10 (v7l)\nprocessor\t: 0\n\n"
                            "Hardware\t: Freescale i.MX 6Quad\n", 256),
                     "Freescale i.MX 6Quad");
    cr_assert_str_eq(cpu_of("Processor\t: AArch64 Processor rev 4 (aarch64)\n", 256),
                     "AArch64 Processor rev 4 (aarch64)");
    /* MIPS, and POWER (whose "cpu" key is whole: "cpu MHz" or "cpu family" are not it) */
    cr_assert_str_eq(cpu_of("system type\t\t: MediaTek MT7621\nprocessor\t\t: 0\n"
                            "cpu model\t\t: MIPS 1004Kc V2.15\n", 256), "MIPS 1004Kc V2.15");
    cr_assert_str_eq(cpu_of("processor\t: 0\ncpu\t\t: POWER9 (raw), altivec supported\n"
                            "clock\t\t: 2166.000000MHz\n", 256), "POWER9 (raw), altivec supported");
}

Test(host, nothing_that_names_a_cpu_is_nothing)
{
    /* arm64: implementer and part numbers only; the caller falls back to uname */
    cr_assert_str_eq(cpu_of("processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n"
                            "cpu MHz\t\t: 2000\ncpu family\t: 6\n", 256), "");
    cr_assert_str_eq(cpu_of("", 256), "");
    /* a key with nothing after it names nothing: the next one counts */
    cr_assert_str_eq(cpu_of("model name\t:   \nHardware\t: X\n", 256), "X");
}

Test(host, a_last_line_without_newline_and_a_cut_at_a_whole_character)
{
    cr_assert_str_eq(cpu_of("model name\t: Z80", 256), "Z80");
    /* a cap of n holds n - 1 bytes; a character cut there is left out whole */
    cr_assert_str_eq(cpu_of("model name\t: ab\xc3\xa9z\n", 5), "ab\xc3\xa9");
    cr_assert_str_eq(cpu_of("model name\t: ab\xc3\xa9z\n", 4), "ab");
    cr_assert_str_eq(cpu_of("model name\t: abc\xc3\xa9z\n", 5), "abc");
    cr_assert_str_eq(cpu_of("model name\t: a\xe2\x82\xac\n", 4), "a");
    cr_assert_str_eq(cpu_of("model name\t: a b\n", 3), "a");   /* no blank left at the end */
}

Test(host, the_dump_file_is_named_by_host_and_pid)
{
    const char *dir = setup("");
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_decref(dump_and_load());
    char expect[4200];
    dump_file(expect, sizeof expect, dir, getpid(), 0);
    cr_assert_str_eq(cprof_dump_path(), expect);
    char host[65] = "";
    gethostname(host, sizeof host - 1);
    if (!strpbrk(host, "/ \n"))   /* a plain host is in the name as it is */
        cr_assert(strstr(cprof_dump_path(), host), "%s does not name %s", cprof_dump_path(), host);
}

Test(host, an_mpi_rank_and_the_job_size_are_in_the_dump)
{
    no_launcher();
    setenv("OMPI_COMM_WORLD_RANK", "3", 1);
    setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
    setenv("SLURM_PROCID", "7", 1);   /* the first launcher that says counts */
    setup("");
    cprof_enter(&s_a);
    cprof_exit(&s_a);
    json_t *d = dump_and_load();
    cr_assert_eq(num(d, "rank"), 3);
    cr_assert_eq(num(d, "world_size"), 4);
    json_decref(d);
}

/* rank and size as cprof_rank_from_env reads them from `vars` (name, value, ...). */
static void ranks(const char *const *vars, size_t n, int want_rank, int want_size)
{
    no_launcher();
    for (size_t i = 0; i + 1 < n; i += 2)
        setenv(vars[i], vars[i + 1], 1);
    int r = -2, size = -2;
    cprof_rank_from_env(&r, &size);
    cr_assert_eq(r, want_rank, "%s=%s ...: rank %d, not %d", vars[0], vars[1], r, want_rank);
    cr_assert_eq(size, want_size, "%s=%s ...: size %d, not %d", vars[0], vars[1], size, want_size);
}
#define RANKS(want_rank, want_size, ...) \
    do { \
        const char *const v_[] = { __VA_ARGS__ }; \
        ranks(v_, sizeof v_ / sizeof *v_, want_rank, want_size); \
    } while (0)

Test(host, the_rank_comes_from_the_first_launcher_that_gives_a_valid_one)
{
    RANKS(-1, -1, "PATH", "/bin");                                  /* none: not a rank */
    RANKS(0, 2, "PMI_RANK", "0", "PMI_SIZE", "2");                  /* MPICH, Hydra */
    RANKS(5, -1, "PMIX_RANK", "5");                                 /* PMIx gives no size */
    RANKS(12, 16, "SLURM_PROCID", "12", "SLURM_NTASKS", "16");     /* srun */
    RANKS(1, -1, "PMI_RANK", "1", "SLURM_NTASKS", "16");           /* a size of another launcher is not its */
    RANKS(2, 8, "OMPI_COMM_WORLD_RANK", "2", "OMPI_COMM_WORLD_SIZE", "8", "PMI_RANK", "6", "SLURM_PROCID", "9");
    /* not a whole number 0 .. INT_MAX: the next launcher's */
    RANKS(9, -1, "OMPI_COMM_WORLD_RANK", "x", "SLURM_PROCID", "9");
    RANKS(9, -1, "OMPI_COMM_WORLD_RANK", "-1", "SLURM_PROCID", "9");
    RANKS(9, -1, "OMPI_COMM_WORLD_RANK", "", "SLURM_PROCID", "9");
    RANKS(9, -1, "OMPI_COMM_WORLD_RANK", "1 ", "SLURM_PROCID", "9");
    RANKS(9, -1, "OMPI_COMM_WORLD_RANK", "2147483648", "SLURM_PROCID", "9");
    RANKS(2147483647, -1, "PMIX_RANK", "2147483647");
    /* a size that cannot hold the rank is left out; the rank stays */
    RANKS(4, -1, "PMI_RANK", "4", "PMI_SIZE", "4");
    RANKS(4, -1, "PMI_RANK", "4", "PMI_SIZE", "four");
}
