/*
 * threads.c: the threaded runtime tests, built with ThreadSanitizer. Criterion
 * cannot run under TSan (its shared arena clashes with TSan's memory map), so
 * this is a plain program: each case runs in a forked child with a fresh
 * runtime, and the run ends with "N passed, M failed".
 */
#include <jansson.h>
#include <pthread.h>
#include <sde_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cprof.h"

static __thread long long t_count;
static long long read_t(void *arg)
{
    (void)arg;
    return t_count;
}

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

static void start(void)
{
    static char dir[4096];
    const char *base = getenv("CPROF_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/cprof-tsan-XXXXXX", base && *base ? base : "/tmp");
    CHECK(mkdtemp(dir));
    setenv("CPROF_OUTPUT", dir, 1);
    setenv("CPROF_DUMP_FORMAT", "1", 1);   /* the checks read cprof-1's region records */
    setenv("CPROF_EVENTS", "sde:::CPT::T", 1);
    papi_handle_t h = papi_sde_init("CPT");
    papi_sde_register_counter_cb(h, "T", PAPI_SDE_RO | PAPI_SDE_DELTA, PAPI_SDE_long_long,
                                 read_t, NULL);
}

static json_t *dump(void)
{
    CHECK(cprof_dump() == 0);
    json_error_t err;
    json_t *d = json_load_file(cprof_dump_path(), 0, &err);
    CHECK(d);
    return d;
}

static long long incl_of(json_t *thread, const char *name)
{
    json_t *r;
    size_t i;
    json_array_foreach(json_object_get(thread, "regions"), i, r) {
        if (strcmp(json_string_value(json_object_get(r, "name")), name) == 0)
            return json_integer_value(json_object_get(
                json_object_get(json_object_get(r, "counters"), "sde:::CPT::T"), "incl"));
    }
    return -1;
}

/* ---- many threads racing to resolve the same new sites ---- */
static cprof_site race_a = { "race_a", __FILE__, 1, 0 }, race_b = { "race_b", __FILE__, 2, 0 };
static pthread_barrier_t barrier;

static void *racer(void *arg)
{
    long k = (long)arg;
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < 1000; i++) {
        cprof_enter(&race_a);
        t_count += k;
        cprof_enter(&race_b);
        t_count += 1;
        cprof_exit(&race_b);
        cprof_exit(&race_a);
    }
    return NULL;
}

static void case_race_first_entry(void)
{
    start();
    enum { N = 16 };
    pthread_t th[N];
    pthread_barrier_init(&barrier, NULL, N);
    for (long k = 0; k < N; k++)
        CHECK(pthread_create(&th[k], NULL, racer, (void *)(k + 1)) == 0);
    for (int k = 0; k < N; k++)
        pthread_join(th[k], NULL);
    json_t *d = dump();
    json_t *threads = json_object_get(d, "threads"), *t;
    CHECK(json_array_size(threads) == N);
    long long sum = 0;
    size_t i;
    json_array_foreach(threads, i, t) {
        CHECK(json_array_size(json_object_get(t, "regions")) == 2);
        CHECK(incl_of(t, "race_b") == 1000);
        sum += incl_of(t, "race_a") - 1000;
    }
    CHECK(sum == 1000LL * N * (N + 1) / 2);
}

/* ---- threads that end while others still run, then a dump ---- */
static cprof_site work = { "work", __FILE__, 3, 0 };

static void *short_lived(void *arg)
{
    (void)arg;
    cprof_enter(&work);
    t_count += 2;
    cprof_exit(&work);
    return NULL;
}

static void case_threads_come_and_go(void)
{
    start();
    for (int round = 0; round < 20; round++) {
        pthread_t th[4];
        for (int k = 0; k < 4; k++)
            CHECK(pthread_create(&th[k], NULL, short_lived, NULL) == 0);
        for (int k = 0; k < 4; k++)
            pthread_join(th[k], NULL);
    }
    json_t *d = dump();
    json_t *threads = json_object_get(d, "threads"), *t;
    CHECK(json_array_size(threads) == 80);
    size_t i;
    json_array_foreach(threads, i, t) {
        CHECK(json_is_true(json_object_get(t, "finished")));
        CHECK(incl_of(t, "work") == 2);
    }
}

/* ---- 1000 regions on each of 64 threads ---- */
enum { NREG = 1000, NTHR = 64 };
static cprof_site many[NREG];

static void *many_worker(void *arg)
{
    long k = (long)arg;
    for (int i = 0; i < NREG; i++) {
        cprof_enter(&many[i]);
        t_count += k;
        cprof_exit(&many[i]);
    }
    return NULL;
}

static void case_many_regions_many_threads(void)
{
    start();
    for (int i = 0; i < NREG; i++) {
        char *name = malloc(16);
        snprintf(name, 16, "r%d", i);
        many[i] = (cprof_site){ name, __FILE__, i, 0 };
    }
    pthread_t th[NTHR];
    for (long k = 0; k < NTHR; k++)
        CHECK(pthread_create(&th[k], NULL, many_worker, (void *)(k + 1)) == 0);
    for (int k = 0; k < NTHR; k++)
        pthread_join(th[k], NULL);
    json_t *d = dump();
    json_t *threads = json_object_get(d, "threads"), *t;
    CHECK(json_array_size(threads) == NTHR);
    long long sum = 0;
    size_t i;
    json_array_foreach(threads, i, t) {
        CHECK(json_array_size(json_object_get(t, "regions")) == NREG);
        sum += incl_of(t, "r999");
    }
    CHECK(sum == NTHR * (NTHR + 1) / 2);
}

/* ---- a dump while a thread sits in a region; a thread ending inside one ---- */
static cprof_site loop = { "loop", __FILE__, 4, 0 }, req = { "req", __FILE__, 5, 0 };
static pthread_barrier_t inside, resume;

static void *sits_inside(void *arg)
{
    (void)arg;
    cprof_enter(&loop);
    for (int i = 0; i < 10; i++) {
        cprof_enter(&req);
        t_count += 5;
        cprof_exit(&req);
    }
    pthread_barrier_wait(&inside);
    pthread_barrier_wait(&resume);
    t_count += 1;
    return NULL;               /* ends with loop still open */
}

static void case_open_regions(void)
{
    start();
    pthread_barrier_init(&inside, NULL, 2);
    pthread_barrier_init(&resume, NULL, 2);
    pthread_t th;
    CHECK(pthread_create(&th, NULL, sits_inside, NULL) == 0);
    pthread_barrier_wait(&inside);
    json_t *d = dump();
    CHECK(incl_of(json_array_get(json_object_get(d, "threads"), 0), "loop") == 50);
    pthread_barrier_wait(&resume);
    pthread_join(th, NULL);
    d = dump();
    json_t *t = json_array_get(json_object_get(d, "threads"), 0);
    CHECK(json_integer_value(json_object_get(t, "open_at_exit")) == 1);
    CHECK(incl_of(t, "loop") == 51);
}

/* ---- dumps while other threads run regions and grow their trees ---- */
static volatile int keep_going = 1;
static cprof_site busy[32];

static void *busy_worker(void *arg)
{
    long k = (long)arg;
    long rounds = 0;
    while (__atomic_load_n(&keep_going, __ATOMIC_RELAXED)) {
        for (int i = 0; i < 8; i++)
            cprof_enter(&busy[(i * 5 + rounds + k) % 32]);   /* new paths: the tree grows */
        t_count += 1;
        for (int i = 7; i >= 0; i--)
            cprof_exit(&busy[(i * 5 + rounds + k) % 32]);
        rounds++;
    }
    return (void *)rounds;
}

static void case_dump_while_threads_run(void)
{
    start();
    for (int i = 0; i < 32; i++) {
        char *name = malloc(16);
        snprintf(name, 16, "b%d", i);
        busy[i] = (cprof_site){ name, __FILE__, 100 + i, 0 };
    }
    enum { N = 4 };
    pthread_t th[N];
    for (long k = 0; k < N; k++)
        CHECK(pthread_create(&th[k], NULL, busy_worker, (void *)k) == 0);
    for (int i = 0; i < 20; i++) {
        json_t *d = dump();             /* any data race here stops the run (halt_on_error) */
        CHECK(json_array_size(json_object_get(d, "threads")) <= N);
        json_decref(d);
    }
    __atomic_store_n(&keep_going, 0, __ATOMIC_RELAXED);
    long total = 0;
    for (int k = 0; k < N; k++) {
        void *r;
        pthread_join(th[k], &r);
        total += (long)r;
    }
    json_t *d = dump();
    json_t *t;
    size_t i;
    long long sum = 0;
    json_array_foreach(json_object_get(d, "threads"), i, t) {
        json_t *n;
        size_t j;
        json_array_foreach(json_object_get(t, "tree"), j, n) {   /* innermost calls carry the counts */
            json_t *c = json_object_get(json_object_get(n, "counters"), "sde:::CPT::T");
            sum += json_integer_value(json_object_get(c, "excl"));
        }
    }
    CHECK(sum == total);
}

/* ---- built-in and user counters on running threads while dumps read them ---- */

static cprof_counter_site ctrs[4] = { { "u0", 0 }, { "u1", 0 }, { "u2", 0 }, { "u3", 0 } };

static void *counting_worker(void *arg)
{
    long k = (long)arg;
    long rounds = 0;
    while (__atomic_load_n(&keep_going, __ATOMIC_RELAXED) && rounds < 20000) {
        cprof_enter(&busy[(rounds + k) % 8]);
        cprof_alloc_note(8);                 /* as cprof::Alloc and libcprof_alloc.so do */
        cprof_count(&ctrs[(rounds + k) % 4], 1);   /* first uses race between threads */
        cprof_free_note(8);
        cprof_exit(&busy[(rounds + k) % 8]);
        cprof_alloc_note(1);                 /* outside: the thread's total only */
        rounds++;
    }
    return (void *)rounds;
}

static long long totals_of(json_t *d, const char *name)
{
    long long sum = 0;
    json_t *t;
    size_t i;
    json_array_foreach(json_object_get(d, "threads"), i, t)
        sum += json_integer_value(json_object_get(json_object_get(t, "totals"), name));
    return sum;
}

static void case_counters_while_threads_run(void)
{
    start();
    setenv("CPROF_EVENTS", "cprof::allocs,cprof::frees", 1);
    for (int i = 0; i < 8; i++) {
        char *name = malloc(16);
        snprintf(name, 16, "c%d", i);
        busy[i] = (cprof_site){ name, __FILE__, 200 + i, 0 };
    }
    enum { N = 4 };
    pthread_t th[N];
    for (long k = 0; k < N; k++)
        CHECK(pthread_create(&th[k], NULL, counting_worker, (void *)k) == 0);
    for (int i = 0; i < 10; i++)
        json_decref(dump());            /* running and finished threads' counts, read as they stand */
    __atomic_store_n(&keep_going, 0, __ATOMIC_RELAXED);
    long total = 0;
    for (int k = 0; k < N; k++) {
        void *r;
        pthread_join(th[k], &r);
        total += (long)r;
    }
    json_t *d = dump();
    long long user = 0, in_regions = 0;
    json_t *t;
    size_t i;
    json_array_foreach(json_object_get(d, "threads"), i, t) {
        json_t *n;
        size_t j;
        json_array_foreach(json_object_get(t, "regions"), j, n) {
            json_t *c = json_object_get(n, "counters");
            in_regions += json_integer_value(json_object_get(json_object_get(c, "cprof::allocs"), "incl"));
            for (int u = 0; u < 4; u++) {
                char name[16];
                snprintf(name, sizeof name, "user::u%d", u);
                user += json_integer_value(json_object_get(json_object_get(c, name), "excl"));
            }
        }
    }
    CHECK(in_regions == total);
    CHECK(user == total);
    CHECK(totals_of(d, "cprof::allocs") == 2 * total);
    CHECK(totals_of(d, "cprof::frees") == total);
    CHECK(totals_of(d, "user::u0") + totals_of(d, "user::u1") + totals_of(d, "user::u2") +
          totals_of(d, "user::u3") == total);
    json_decref(d);
}

/* ---- the exit-time dump while threads keep making new call paths ---- */
static cprof_site grow[64];

static void *grow_forever(void *arg)
{
    (void)arg;
    for (unsigned long k = 1;; k++) {
        int digits[16], m = 0;
        for (unsigned long x = k; x; x /= 64)
            digits[m++] = (int)(x % 64);
        for (int i = 0; i < m; i++)
            cprof_enter(&grow[digits[i]]);
        t_count += 1;
        while (m--)
            cprof_exit(&grow[digits[m]]);
    }
    return NULL;
}

/* The cut reads running threads' new nodes and frames without a data race
 * (halt_on_error makes any race the child's exit status). */
static void case_exit_while_threads_grow(void)
{
    start();
    const char *dir = getenv("CPROF_OUTPUT");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 64; i++)
            grow[i] = (cprof_site){ "grow", __FILE__, 200 + i, 0 };
        for (int i = 0; i < 3; i++) {
            pthread_t th;
            CHECK(pthread_create(&th, NULL, grow_forever, NULL) == 0);
        }
        usleep(50000);   /* long enough for thousands of new paths, short under TSan */
        CHECK(cprof_dump() == 0);   /* one while they run, one at exit */
        exit(5);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
    char path[4200];
    char host[65] = "";   /* the dump's name: cprof-HOST-PID.json (a plain host here) */
    gethostname(host, sizeof host - 1);
    snprintf(path, sizeof path, "%s/cprof-%s-%d.json", dir, host, pid);
    json_error_t err;
    json_t *d = json_load_file(path, 0, &err);
    CHECK(d);
    CHECK(json_array_size(json_object_get(d, "threads")) == 3);
}

static int run(const char *name, void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("%s %s\n", ok ? "PASS" : "FAIL", name);
    return ok;
}

int main(void)
{
    int passed = 0, failed = 0;
    struct { const char *name; void (*fn)(void); } cases[] = {
        { "race_first_entry", case_race_first_entry },
        { "threads_come_and_go", case_threads_come_and_go },
        { "many_regions_many_threads", case_many_regions_many_threads },
        { "open_regions_at_dump_and_at_thread_exit", case_open_regions },
        { "dump_while_threads_run", case_dump_while_threads_run },
        { "counters_while_threads_run", case_counters_while_threads_run },
        { "exit_while_threads_grow", case_exit_while_threads_grow },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        run(cases[i].name, cases[i].fn) ? passed++ : failed++;
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
