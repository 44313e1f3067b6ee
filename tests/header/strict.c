/* strict.c: cprof.h in a user's strictest build (tests/header/strict.sh):
 * C89 with -pedantic, and clang's -Wcast-align -Wcomma; a plain pair and a
 * CPROF_SCOPE, counted. C89: no declaration after a statement here either. */
#include <stdio.h>

#include "cprof.h"

CPROF_SITE(s_pair, "strict_pair");

static int scoped(int x)
{
    CPROF_SCOPE("strict_scope");
    if (x > 2)
        return x * 2;   /* the scope ends on every path */
    return x + 1;
}

int main(void)
{
    int i, sum = 0;
    for (i = 0; i < 5; i++) {
        cprof_enter(&s_pair);
        sum += scoped(i);
        cprof_exit(&s_pair);
    }
    printf("%d\n", sum);
    return 0;
}
