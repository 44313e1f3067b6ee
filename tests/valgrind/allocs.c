/*
 * allocs.c: the program the dhat suite profiles, with allocations known
 * by heart (tests/valgrind/dhat.sh checks every figure):
 *   main  malloc(10), realloc to 40, kept to the end        50 bytes, 2 blocks
 *   f     3 x malloc(100), each written and freed           300 bytes, 3 blocks
 *   g     (called from f) malloc(50), never freed            50 bytes, 1 block
 *   h     calloc(4, 25), read, freed                        100 bytes, 1 block
 *   rec   16 bytes at each of 3 levels, freed on the way out 48 bytes, 3 blocks
 * In all 548 bytes in 10 blocks; the heap is largest (t-gmax) inside h:
 * 190 bytes in 3 blocks (main's 40, g's 50, h's 100); at the end 90 bytes
 * in 2 blocks. No stdio: it would allocate a buffer of its own.
 *   allocs adhoc   DHAT_AD_HOC_EVENT instead: 5 events of 10 units in ev,
 *                  1 of 3 in main (--mode ad-hoc)
 */
#include <stdlib.h>
#include <string.h>
#include <valgrind/dhat.h>

static volatile unsigned char sink;

__attribute__((noinline)) static void *g(void)
{
    return malloc(50);
}

__attribute__((noinline)) static void *f(void)
{
    for (int i = 0; i < 3; i++) {
        unsigned char *p = malloc(100);
        memset(p, i, 100);
        sink = p[99];
        free(p);
    }
    return g();
}

__attribute__((noinline)) static void h(void)
{
    unsigned char *p = calloc(4, 25);
    unsigned s = 0;
    for (int i = 0; i < 100; i++)
        s += p[i];
    sink = (unsigned char)s;
    free(p);
}

__attribute__((noinline)) static void rec(int n)
{
    unsigned char *p = malloc(16);
    p[0] = (unsigned char)n;
    if (n > 1)
        rec(n - 1);
    sink = p[0];
    free(p);
}

__attribute__((noinline)) static void ev(int n)
{
    DHAT_AD_HOC_EVENT(n);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "adhoc") == 0) {
        for (int i = 0; i < 5; i++)
            ev(10);
        DHAT_AD_HOC_EVENT(3);
        return 0;
    }
    char *kept = malloc(10);
    kept = realloc(kept, 40);
    memcpy(kept, "abc", 4);
    void *leak = f();
    h();
    rec(3);
    sink = (unsigned char)(kept[1] + (leak != NULL));
    return 0;
}
