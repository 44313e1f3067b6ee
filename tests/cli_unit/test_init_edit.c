/* test_init_edit.c: init's touches after cargo add: CRLF back, the feature
 * of --optional in the right place of [features]. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/init_edit.h"

static char *add(const char *t)
{
    size_t n;
    char err[200] = "";
    char *o = manifest_add_feature(t, strlen(t), "cprof", "profile", "\"cprof/enable\"", &n, err, sizeof err);
    cr_assert(o, "%s", err);
    cr_assert_eq(strlen(o), n);
    return o;
}

Test(init_edit, crlf)
{
    cr_assert(text_is_crlf("a\r\nb\r\n", 6));
    cr_assert_not(text_is_crlf("a\r\nb\n", 5), "mixed");
    cr_assert_not(text_is_crlf("a", 1), "no line end at all");
    size_t n;
    char *o = text_to_crlf("a\nb\r\nc\n", 7, &n);
    cr_assert_str_eq(o, "a\r\nb\r\nc\r\n");
    cr_assert_eq(n, 9);
    free(o);
}

Test(init_edit, feature_after_cargos_line)
{
    char *o = add("[package]\nname = \"x\"\n\n[features]\ncprof = [\"dep:cprof\"]\nother = []\n");
    cr_assert_str_eq(o, "[package]\nname = \"x\"\n\n[features]\ncprof = [\"dep:cprof\"]\nprofile = [\"cprof/enable\"]\nother = []\n");
    free(o);
    o = add("[features]\ncprof = [\n  \"dep:cprof\", # over lines\n]");
    cr_assert_str_eq(o, "[features]\ncprof = [\n  \"dep:cprof\", # over lines\n]\nprofile = [\"cprof/enable\"]\n",
                     "after a value over lines, no final line end");
    free(o);
    o = add("features.cprof = [\"dep:cprof\"]\n[package]\n");
    cr_assert_str_eq(o, "features.cprof = [\"dep:cprof\"]\nfeatures.profile = [\"cprof/enable\"]\n[package]\n",
                     "a dotted key in the root table gets a dotted key");
    free(o);
}

Test(init_edit, feature_table_without_cargos_line_or_none)
{
    char *o = add("x = \"\"\"\n[features]\n\"\"\"\n[features]\n# mine\n");
    cr_assert_str_eq(o, "x = \"\"\"\n[features]\n\"\"\"\n[features]\nprofile = [\"cprof/enable\"]\n# mine\n",
                     "the table, not the string");
    free(o);
    o = add("[package]\nname = \"x\"");
    cr_assert_str_eq(o, "[package]\nname = \"x\"\n\n[features]\nprofile = [\"cprof/enable\"]\n");
    free(o);
    size_t n;
    char err[200];
    cr_assert_null(manifest_add_feature("a = \"open\n", 10, "cprof", "p", "", &n, err, sizeof err));
    cr_assert_str_eq(err, "line 1: a line end in a one-line string");
}
