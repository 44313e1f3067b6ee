/* test_toml.c: the one TOML scanner (cli/toml.c): every string form, comments,
 * quoted and dotted keys, table headers, values over several lines; and
 * cargo_profile_in_toml, its user, on each corner. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "sys/cargo_profile.h"
#include "sys/toml.h"

/* "kind:a.b.c|kind:..." for the statements of text, or "ERR:<error>" at the first error. */
static const char *walk(const char *text)
{
    static char out[2048];
    toml_scan s;
    toml_item it;
    toml_scan_init(&s, text, strlen(text));
    out[0] = 0;
    int r;
    while ((r = toml_next(&s, &it)) == 1) {
        size_t l = strlen(out);
        snprintf(out + l, sizeof out - l, "%s%s:", l ? "|" : "",
                 it.kind == TOML_TABLE ? "T" : it.kind == TOML_ARRAY_TABLE ? "A" : "K");
        for (int i = 0; i < it.npath; i++) {
            l = strlen(out);
            snprintf(out + l, sizeof out - l, "%s%s", i ? "." : "", it.path[i]);
        }
    }
    if (r < 0) {
        size_t l = strlen(out);
        snprintf(out + l, sizeof out - l, "%sERR:%s", l ? "|" : "", s.error);
    }
    return out;
}

Test(toml, tables_and_keys)
{
    cr_assert_str_eq(walk("a = 1\n[package]\nname = \"x\"\n[[bin]]\nname = 'y'\n"),
                     "K:a|T:package|K:package.name|A:bin|K:bin.name");
    cr_assert_str_eq(walk("[ profile . \"pro.f\" ]\n  'lit key' . b = true\n"),
                     "T:profile.pro.f|K:profile.pro.f.lit key.b", "quoted segments keep their dots");
    cr_assert_str_eq(walk("\"a\\\"b\" = 1\n"), "K:a\"b", "escapes in a quoted key decoded");
    cr_assert_str_eq(walk("[target.'cfg(unix)'.dependencies]\ncprof = { path = \"]\" }\n"),
                     "T:target.cfg(unix).dependencies|K:target.cfg(unix).dependencies.cprof");
}

Test(toml, strings_comments_open_nothing)
{
    cr_assert_str_eq(walk("# [dependencies] ''' \"\"\"\nx = 'a \"\"\" b'\ny = \"c ''' \\\" d\" # ] [\n[t]\n"),
                     "K:x|K:y|T:t", "triple quotes in a comment or one-line string, an escaped quote");
    cr_assert_str_eq(walk("d = \"\"\"\n[dependencies]\nnot = a table\n\"\"\"\n[t]\n"), "K:d|T:t",
                     "multi-line basic string");
    cr_assert_str_eq(walk("d = '''\n[dependencies]\n\\'''\ne = 1\n"), "K:d|K:e",
                     "multi-line literal: a backslash escapes nothing");
    cr_assert_str_eq(walk("d = \"\"\"a \\\"\"\" still in\"\"\"\ne = 1\n"), "K:d|K:e",
                     "an escaped quote inside a multi-line basic string");
    cr_assert_str_eq(walk("d = \"\"\"\"two\"\"\"\"\"\ne = 1\n"), "K:d|K:e",
                     "up to two quotes before the closing ones belong to the string");
}

Test(toml, values_over_lines)
{
    cr_assert_str_eq(walk("a = [\n  \"]\",  # a ] in a comment\n  [1, 2], { x = '}' },\n]\nb = 2\n"),
                     "K:a|K:b");
    cr_assert_str_eq(walk("when = 1979-05-27 07:32:00Z # a date with a space\nn = -1_000\n"), "K:when|K:n");
    cr_assert_str_eq(walk("[package]\r\nname = \"crlf\"\r\n\r\n[dependencies]\r\n"),
                     "T:package|K:package.name|T:dependencies", "CRLF line ends");
    cr_assert_str_eq(walk("x = 1"), "K:x", "no final line end");
}

Test(toml, errors_say_where)
{
    cr_assert_str_eq(walk("a = 1\nb = \"open\n"), "K:a|ERR:line 2: a line end in a one-line string");
    cr_assert_str_eq(walk("a = '''\nnever closed\n"), "ERR:line 3: unterminated string");
    cr_assert_str_eq(walk("[t\n"), "ERR:line 1: expected ] after a table name");
    cr_assert_str_eq(walk("a = 1 2 [\n"), "K:a", "a bare value runs to the end of the line");
    cr_assert_str_eq(walk("a =\n"), "ERR:line 1: a key without a value");
}

Test(toml, item_bytes_and_lines)
{
    const char *t = "# c\n[features]\ncprof = [\"dep:cprof\"]   # x\nz = 1\n";
    toml_scan s;
    toml_item it;
    toml_scan_init(&s, t, strlen(t));
    cr_assert_eq(toml_next(&s, &it), 1);
    cr_assert_eq(it.line, 2);
    cr_assert_eq(toml_next(&s, &it), 1);
    cr_assert_eq(it.line, 3);
    cr_assert_eq(it.start, (size_t)(strstr(t, "cprof =") - t));
    cr_assert_eq(it.end, (size_t)(strstr(t, "z =") - t), "end: after the line end, comment included");
    cr_assert_eq(it.value_end - it.value_start, strlen("[\"dep:cprof\"]"));
}

Test(toml, profile_defined_corners)
{
#define DEF(text) cargo_profile_in_toml(text, strlen(text), "prof")
    cr_assert(DEF("[profile.prof]\n"));
    cr_assert(DEF("[ profile . 'prof' ]\n"));
    cr_assert(DEF("profile.prof.debug = 1\n"), "dotted key at the top defines it");
    cr_assert(DEF("[profile]\nprof.inherits = \"release\"\n"), "dotted key under [profile]");
    cr_assert(DEF("[profile]\n\"prof\" . inherits = \"release\"\n"));
    cr_assert_not(DEF("# [profile.prof]\n"), "a comment");
    cr_assert_not(DEF("x = \"\"\"\n[profile.prof]\n\"\"\"\n"), "inside a multi-line string");
    cr_assert_not(DEF("x = '''\n[profile.prof]\n'''\n"), "inside a multi-line literal string");
    cr_assert_not(DEF("# don't ''' here\nx = 'a \"\"\" b'\n[profile.prof-x]\n"), "a longer name");
    cr_assert_not(DEF("\"profile.prof\" = 1\n"), "one quoted key with a dot is not a path");
    cr_assert_not(DEF("[profile.prof.package.foo]\nopt-level = 1\n"), "a sub-table alone");
    cr_assert_not(DEF("profile.prof.build-override.opt-level = 1\n"));
    cr_assert_not(DEF("[package]\nprofile.prof.debug = 1\n"), "under another table");
    cr_assert(DEF("[package]\nname = \"x\"\n[profile.prof]\r\ninherits = \"dev\"\r\n"));
#undef DEF
}
