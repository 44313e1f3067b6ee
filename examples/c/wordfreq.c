/*
 * wordfreq.c: the C example. Generates a text, splits it into words, counts
 * them in a hash table and sorts the counts, with each phase marked as a
 * cprof region. Usage: wordfreq [WORDS]   (default 200000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof.h"

#define TABLE 65536

typedef struct word {
    char text[16];
    unsigned count;
} word;

static word table[TABLE];

static unsigned hash(const char *s, size_t n)
{
    CPROF_SITE(site, "hash");
    cprof_enter(&site);
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    cprof_exit(&site);
    return h;
}

static char *generate(size_t words)
{
    CPROF_SITE(site, "generate");
    cprof_enter(&site);
    static const char *syll[] = { "ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi" };
    char *text = malloc(words * 12 + 1), *p = text;
    unsigned seed = 12345;
    for (size_t w = 0; w < words; w++) {
        seed = seed * 1103515245u + 12345u;
        int n = 1 + (int)((seed >> 16) % 3);
        for (int s = 0; s < n; s++) {
            seed = seed * 1103515245u + 12345u;
            const char *y = syll[(seed >> 16) % 8];
            size_t len = strlen(y);
            memcpy(p, y, len);
            p += len;
        }
        *p++ = ' ';
    }
    *p = 0;
    cprof_exit(&site);
    return text;
}

static void count(const char *w, size_t n)
{
    CPROF_SITE(site, "count");
    cprof_enter(&site);
    unsigned i = hash(w, n) % TABLE;
    while (table[i].count && (strlen(table[i].text) != n || memcmp(table[i].text, w, n) != 0))
        i = (i + 1) % TABLE;
    if (!table[i].count)
        memcpy(table[i].text, w, n < 15 ? n : 15);
    table[i].count++;
    cprof_exit(&site);
}

static void tokenize(const char *text)
{
    CPROF_SITE(site, "tokenize");
    cprof_enter(&site);
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        if (p > start)
            count(start, (size_t)(p - start));
    }
    cprof_exit(&site);
}

static int by_count(const void *a, const void *b)
{
    const word *x = a, *y = b;
    return x->count != y->count ? (x->count < y->count) - (x->count > y->count)
                                : strcmp(x->text, y->text);
}

static void report(void)
{
    CPROF_SITE(site, "report");
    cprof_enter(&site);
    qsort(table, TABLE, sizeof table[0], by_count);
    for (int i = 0; i < 5 && table[i].count; i++)
        printf("%-10s %u\n", table[i].text, table[i].count);
    cprof_exit(&site);
}

int main(int argc, char **argv)
{
    CPROF_SITE(site, "main");
    cprof_enter(&site);
    size_t words = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
    char *text = generate(words);
    tokenize(text);
    report();
    free(text);
    cprof_exit(&site);
    return 0;
}
