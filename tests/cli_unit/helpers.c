/* helpers.c: temporary files and captured output for the CLI unit tests. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *tmp_file(const char *name, const char *text)
{
    static char paths[8][512];
    static int next;
    const char *base = getenv("CPROF_TEST_TMP");
    char dir[400];
    snprintf(dir, sizeof dir, "%s/cli-unit-XXXXXX", base && *base ? base : "/tmp");
    cr_assert(mkdtemp(dir) != NULL);
    char *p = paths[next++ % 8];
    snprintf(p, 512, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    cr_assert(f != NULL);
    fputs(text, f);
    fclose(f);
    return p;
}

char *capture(int (*view)(const prof_model *, const view_opts *, FILE *), const prof_model *m,
              const view_opts *o, int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f != NULL);
    int r = view(m, o, f);
    if (rc)
        *rc = r;
    fclose(f);
    return buf;
}

char *dump_text(const char *format, const char *events, const char *overhead,
                const char *regions, const char *tree)
{
    char *s = NULL;
    int n = asprintf(&s,
        "{\"format\": \"%s\", \"version\": \"0.1.0\", \"pid\": 100, \"ppid\": 1,\n"
        " \"command\": \"prog a\", \"clock\": \"tsc\", \"tsc_ghz\": 2.0, \"wall_ns\": 1000,\n"
        " \"events\": [%s],\n"
        " \"overhead\": %s,\n"
        " \"threads\": [{\"tid\": 100, \"name\": \"main\", \"finished\": false, \"open\": 0,\n"
        "   \"regions\": [%s],\n"
        "   \"tree\": [%s]}],\n"
        " \"errors\": {\"unbalanced\": 0, \"open\": 0, \"dropped\": 0}}\n",
        format, events, overhead, regions, tree);
    cr_assert(n > 0);
    return s;
}

size_t model_entry(const prof_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_entries; i++)
        if (strcmp(m->entries[i].name, name) == 0)
            return i;
    cr_assert_fail("no entry %s", name);
    return 0;
}
