/* test_out_file.c: -o FILE: what counts as ours, what is refused before the
 * view runs, and what appears at FILE while the view writes is kept. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/out_file.h"

static char base[] = "/tmp/cprof-outfile-XXXXXX";

static const char *at(const char *rel)
{
    static char p[4][600];
    static int i;
    i = (i + 1) % 4;
    snprintf(p[i], sizeof p[i], "%s/%s", base, rel);
    return p[i];
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

static int entries(void)
{
    int n = 0;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", base);
    FILE *p = popen(cmd, "r");
    cr_assert(p && fscanf(p, "%d", &n) == 1);
    pclose(p);
    return n;
}

static void setup(void)
{
    cr_assert(mkdtemp(base));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    return remove(p);
}

static void teardown(void)
{
    nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(out_file, .init = setup, .fini = teardown);

#define S(x) x, strlen(x)

Test(out_file, ours_only_at_the_first_byte)
{
    cr_assert(out_file_is_ours(S("{\n \"format\": \"cprof-report-1\",\n \"tool\": \"cprof\"")));
    cr_assert(out_file_is_ours(S("{\n \"format\": \"cprof-diff-1\",\n")));
    cr_assert(out_file_is_ours(S("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                                 "<!-- cargo-profiler 0.1.0: flame graph (svg format) -->\n")));
    cr_assert(out_file_is_ours(S("<!DOCTYPE html>\n<!-- cargo-profiler report page: x -->\n")));
    cr_assert(out_file_is_ours(S("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\","
                                 "\"exporter\":\"cargo-profiler@0.1.0\",\"name\":\"x\"")));
    /* a document quoting a report (docs/report-format.md) is the user's */
    cr_assert_not(out_file_is_ours(S("# The report\n\n```json\n{\n  \"format\": \"cprof-report-1\",\n")));
    cr_assert_not(out_file_is_ours(S("notes\n<!-- cargo-profiler 0.1.0: flame graph -->\n")));
    cr_assert_not(out_file_is_ours(S("x \"exporter\":\"cargo-profiler@0.1.0\"")));
    cr_assert_not(out_file_is_ours(S("{\n \"format\": \"cprof-rep")));   /* cut short */
}

Test(out_file, a_document_quoting_our_mark_is_refused)
{
    const char *doc = at("report-format.md");
    write_text(doc, "# The report\n\n```json\n{\n \"format\": \"cprof-report-1\",\n```\n");
    char err[1024] = "";
    cr_assert_eq(out_file_check(doc, 0, err, sizeof err), -1);
    cr_assert(strstr(err, "exists and is not a file cargo-profiler wrote"), "%s", err);
    cr_assert_eq(out_file_check(doc, 1, err, sizeof err), 0);
}

Test(out_file, a_trailing_slash_is_refused_before_the_run)
{
    char err[1024] = "";
    cr_assert_eq(out_file_check(at("x/"), 0, err, sizeof err), -1);
    cr_assert(strstr(err, "ends in a slash (expected a file name)"), "%s", err);
    cr_assert_eq(out_file_check(at("x/"), 1, err, sizeof err), -1);
}

Test(out_file, a_symlink_to_a_fifo_is_not_followed)
{
    cr_assert(mkfifo(at("fifo"), 0600) == 0);
    cr_assert(symlink("fifo", at("link")) == 0);
    char err[1024] = "";
    cr_assert_eq(out_file_check(at("link"), 0, err, sizeof err), -1);
    cr_assert(strstr(err, "is a symbolic link"), "%s", err);
    /* --force: the link itself is replaced, the fifo never opened */
    out_file of;
    cr_assert_eq(out_file_open(&of, at("link"), 1, err, sizeof err), 0, "%s", err);
    cr_assert(of.tmp[0], "a temporary file, not the fifo");
    fputs("{}\n", of.f);
    cr_assert_eq(out_file_commit(&of, err, sizeof err), 0, "%s", err);
    struct stat st;
    cr_assert(lstat(at("link"), &st) == 0 && S_ISREG(st.st_mode));
    cr_assert(lstat(at("fifo"), &st) == 0 && S_ISFIFO(st.st_mode));
    cr_assert_eq(entries(), 2);
}

Test(out_file, a_stream_of_our_own_is_written_into)
{
    char err[1024] = "";
    cr_assert_eq(out_file_check("/dev/null", 0, err, sizeof err), 0, "%s", err);
    out_file of;
    cr_assert_eq(out_file_open(&of, "/dev/null", 0, err, sizeof err), 0, "%s", err);
    cr_assert_not(of.tmp[0]);
    fputs("x\n", of.f);
    cr_assert_eq(out_file_commit(&of, err, sizeof err), 0, "%s", err);
}

Test(out_file, a_foreign_file_appearing_meanwhile_is_kept)
{
    const char *path = at("r.json");
    char err[1024] = "";
    out_file of;
    cr_assert_eq(out_file_open(&of, path, 0, err, sizeof err), 0, "%s", err);
    fputs("{\n \"format\": \"cprof-report-1\"\n}\n", of.f);
    write_text(path, "mine\n");
    cr_assert_eq(out_file_commit(&of, err, sizeof err), -1);
    cr_assert(strstr(err, "not a file cargo-profiler wrote"), "%s", err);
    FILE *f = fopen(path, "r");
    char line[16] = "";
    cr_assert(f && fgets(line, sizeof line, f));
    fclose(f);
    cr_assert_str_eq(line, "mine\n");
    cr_assert_eq(entries(), 1, "no temporary file left");
}

Test(out_file, a_fifo_appearing_meanwhile_is_not_replaced)
{
    const char *path = at("r.json");
    char err[1024] = "";
    out_file of;
    cr_assert_eq(out_file_open(&of, path, 0, err, sizeof err), 0, "%s", err);
    fputs("{\n \"format\": \"cprof-report-1\"\n}\n", of.f);
    cr_assert(mkfifo(path, 0600) == 0);
    cr_assert_eq(out_file_commit(&of, err, sizeof err), -1);
    cr_assert(strstr(err, "became a device or pipe"), "%s", err);
    struct stat st;
    cr_assert(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode));
    cr_assert_eq(entries(), 1, "no temporary file left");
}

Test(out_file, replaced_when_ours_without_a_temporary_file_left)
{
    const char *path = at("r.json");
    write_text(path, "{\n \"format\": \"cprof-report-1\"\n}\n");
    char err[1024] = "";
    out_file of;
    cr_assert_eq(out_file_open(&of, path, 0, err, sizeof err), 0, "%s", err);
    fputs("<!DOCTYPE html>\n<!-- cargo-profiler report page -->\n", of.f);
    cr_assert_eq(out_file_commit(&of, err, sizeof err), 0, "%s", err);
    char head[64] = "";
    FILE *f = fopen(path, "r");
    cr_assert(f && fgets(head, sizeof head, f));
    fclose(f);
    cr_assert_str_eq(head, "<!DOCTYPE html>\n");
    cr_assert_eq(entries(), 1);
}
