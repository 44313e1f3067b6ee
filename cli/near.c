/* near.c: edit distances for "did you mean" (near.h). */
#include "near.h"

#include <string.h>

size_t near_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[NEAR_MAX + 2];
    if (la > NEAR_MAX || lb > NEAR_MAX)
        return NEAR_FAR;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

size_t near_name_distance(const char *word, const char *name)
{
    char w[NEAR_MAX + 1];
    size_t n = 0;
    for (const char *p = word; *p && n < NEAR_MAX; p++)
        if (!strchr("*?[]!", *p))
            w[n++] = *p;
    w[n] = '\0';
    size_t best = near_distance(w, name);
    for (const char *p = strstr(name, "::"); p; p = strstr(p + 2, "::")) {
        size_t d = near_distance(w, p + 2);
        if (d < best)
            best = d;
    }
    return best;
}
