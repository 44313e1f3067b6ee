/*
 * workload.c: the small C program the valgrind tests profile. It has plain
 * calls, direct and mutual recursion, a static helper in a header-like
 * inline, and an optional second thread, so callgrind's output shows every
 * feature the reader must handle (recursion levels, fi=/fe=, threads).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline __attribute__((always_inline)) unsigned mix(unsigned h, unsigned v)
{
    return (h ^ v) * 16777619u;
}

__attribute__((noinline)) unsigned fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) unsigned is_odd(unsigned n);
__attribute__((noinline)) unsigned is_even(unsigned n)
{
    return n == 0 ? 1 : is_odd(n - 1);
}
__attribute__((noinline)) unsigned is_odd(unsigned n)
{
    return n == 0 ? 0 : is_even(n - 1);
}

__attribute__((noinline)) unsigned hash_buf(const unsigned char *p, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = mix(h, p[i]);
    return h;
}

static unsigned char buf[1 << 16];

__attribute__((noinline)) unsigned strided(size_t stride)
{
    unsigned s = 0;
    for (size_t i = 0; i < sizeof buf; i += stride)
        s += buf[i]++;
    return s;
}

static void *worker(void *arg)
{
    unsigned *out = arg;
    *out = fib(18) + hash_buf(buf, sizeof buf / 4);
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 && strcmp(argv[1], "threads") == 0;
    unsigned scale = argc > 2 ? (unsigned)atoi(argv[2]) : 1;
    unsigned r = 0, t = 0;
    pthread_t th;
    if (threads && pthread_create(&th, NULL, worker, &t) != 0)
        return 1;
    for (unsigned k = 0; k < scale; k++) {
        r += fib(20);
        r += is_even(1001);
        r += hash_buf(buf, sizeof buf);
        r += strided(64);
    }
    if (threads)
        pthread_join(th, NULL);
    printf("%u\n", r + t);
    return 0;
}
