/* test_json_out.c: the report's JSON writer (views/json_out.c): its text is
 * jansson's json_dumpf, byte for byte, and its tree the same document. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "views/json_out.h"

static const char *const strings[] = {
    "plain", "", "quote \" backslash \\ slash /", "tab\tnl\ncr\rbs\bff\f", "\x01\x1f\x7f",
    "café région", "emoji 😀", "bad \xff byte \xc3", "lone \xed\xa0\x80 surrogate",
};

/* One document with every kind of value, empty and nested containers. */
static void document(json_out *w)
{
    jo_obj(w);
    jo_key(w, "strings");
    jo_arr(w);
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        jo_str(w, strings[i]);
    jo_end(w);
    jo_kint(w, "zero", 0);
    jo_kint(w, "min", INT64_MIN);
    jo_kint(w, "max", INT64_MAX);
    jo_kint(w, "neg", -42);
    jo_key(w, "real");
    jo_real(w, 0.95);
    jo_key(w, "whole real");
    jo_real(w, 3);
    jo_key(w, "t");
    jo_bool(w, 1);
    jo_key(w, "f");
    jo_bool(w, 0);
    jo_kstr(w, "null", NULL);
    jo_key(w, "empty object");
    jo_obj(w);
    jo_end(w);
    jo_key(w, "empty array");
    jo_arr(w);
    jo_end(w);
    jo_key(w, "key \"é\" \x01");
    jo_arr(w);
    jo_obj(w);
    jo_kint(w, "a", 1);
    jo_key(w, "b");
    jo_arr(w);
    jo_int(w, 2);
    jo_arr(w);
    jo_end(w);
    jo_end(w);
    jo_end(w);
    jo_end(w);
    jo_end(w);
}

static char *as_text(int indent)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    json_out w;
    jo_text(&w, f, indent);
    document(&w);
    cr_assert_eq(jo_text_end(&w), 0);
    fclose(f);
    return buf;
}

static char *dumped(json_t *j, size_t flags)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(json_dumpf(j, f, flags), 0);
    fclose(f);
    return buf;
}

Test(json_out, text_is_what_jansson_writes_of_the_tree)
{
    json_out w;
    jo_tree(&w);
    document(&w);
    json_t *tree = jo_tree_end(&w);
    cr_assert(tree != NULL);
    char *indented = as_text(1), *compact = as_text(0), *indent3 = as_text(3);
    /* 15 digits: jansson's for this document's reals are then the text's shortest ones */
    char *j1 = dumped(tree, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    char *j0 = dumped(tree, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    char *j3 = dumped(tree, JSON_INDENT(3) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    cr_assert_str_eq(indented, j1);
    cr_assert_str_eq(compact, j0);
    cr_assert_str_eq(indent3, j3);
    free(indented), free(compact), free(indent3), free(j1), free(j0), free(j3);
    json_decref(tree);
}

Test(json_out, exact_figures_and_escapes)
{
    char *s = as_text(0);
    cr_assert(strstr(s, "\"min\":-9223372036854775808,\"max\":9223372036854775807,\"neg\":-42") != NULL, "%s", s);
    cr_assert(strstr(s, "\"real\":0.95,\"whole real\":3.0") != NULL, "%s", s);
    cr_assert(strstr(s, "\"tab\\tnl\\ncr\\rbs\\bff\\f\",\"\\u0001\\u001F\x7f\"") != NULL, "%s", s);
    cr_assert(strstr(s, "\"quote \\\" backslash \\\\ slash /\"") != NULL, "%s", s);
    /* bytes that are not UTF-8: U+FFFD each, the document stays valid */
    cr_assert(strstr(s, "\"bad \xef\xbf\xbd byte \xef\xbf\xbd\"") != NULL, "%s", s);
    cr_assert(strstr(s, "\"lone \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd surrogate\"") != NULL, "%s", s);
    json_error_t e;
    json_t *back = json_loads(s, 0, &e);
    cr_assert(back != NULL, "%s", e.text);
    json_decref(back);
    free(s);
}

Test(json_out, unbalanced_is_an_error)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    json_out w;
    jo_text(&w, f, 1);
    jo_obj(&w);
    cr_assert_eq(jo_text_end(&w), -1);
    fclose(f);
    free(buf);
    jo_tree(&w);
    jo_arr(&w);
    cr_assert_null(jo_tree_end(&w));
}

/* The fewest digits that read back as the same double: 0.833 in 3, 0.1 +
 * 0.2 in 17, a whole one with ".0", as jansson writes it. */
Test(json_out, reals_in_the_shortest_digits_that_read_back)
{
    static const double v[] = {0.833, 0.1 + 0.2, 3.0, 1e300, -2e-7, 0.32500000000000001};
    static const char *const want[] = {"0.833", "0.30000000000000004", "3.0", "1e+300", "-2e-07",
                                       "0.325"};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        json_out w;
        jo_text(&w, f, 0);
        jo_real(&w, v[i]);
        cr_assert_eq(jo_text_end(&w), 0);
        fclose(f);
        cr_assert_str_eq(buf, want[i]);
        cr_assert(strtod(buf, NULL) == v[i], "%s reads back as %.17g", buf, v[i]);
        free(buf);
    }
}

/* A jansson tree through jo_dump: the same document, keys in their order,
 * reals in the shortest digits (every view's json goes out this way). */
Test(json_out, a_jansson_tree_dumped_through_the_text_writer)
{
    json_t *t = json_pack("{s:f, s:[i, f, s, b, n], s:{s:s}, s:[]}", "share", 0.833, "list", 7, 0.1 + 0.2,
                          "</script>", 1, "z", "k", "v", "empty");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(jo_dump(f, t, 1), 0);
    fclose(f);
    cr_assert(strstr(buf, "\"share\": 0.833,") != NULL, "%s", buf);
    cr_assert(strstr(buf, "0.30000000000000004") != NULL, "%s", buf);
    cr_assert(strstr(buf, "\"share\"") < strstr(buf, "\"list\"") && strstr(buf, "\"list\"") < strstr(buf, "\"z\""),
              "keys in their order: %s", buf);
    json_t *back = json_loads(buf, 0, NULL);
    cr_assert(back && json_equal(back, t), "%s", buf);
    json_decref(back);
    free(buf);
    json_decref(t);
}
