/* test_dump_syntax.c: the dump reader's own JSON parser (readers/json_pull.c):
 * what it decodes, and every input JSON forbids refused with one line naming
 * the byte, as jansson refused them. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "readers/cprof_dump.h"
#include "model/derive.h"

#define REGION(name) "{\"name\": " name ", \"file\": \"f.rs\", \"line\": 1, \"calls\": 3, \"incl_ns\": 9, " \
    "\"excl_ns\": 9, \"min_ns\": 3, \"max_ns\": 3, \"incl_calls\": 3, \"child_calls\": 0, \"desc_calls\": 0}"

/* A dump of one region named by the JSON string `name`, `extra` top-level members before "threads". */
static char *one_region(const char *name, const char *extra)
{
    char *s = NULL;
    cr_assert(asprintf(&s, "{\"format\": \"cprof-1\", \"pid\": 1, %s\"threads\": [{\"tid\": 1, \"regions\": ["
                           REGION("%s") "], \"tree\": []}]}\n", extra, name) > 0);
    return s;
}

static cprof_dump *load(const char *text, char *err, size_t errlen)
{
    return cprof_dump_load_mem("in.json", text, strlen(text), err, errlen);
}

static void refused(const char *text, const char *needle)
{
    char err[512] = "";
    cprof_dump *d = load(text, err, sizeof err);
    cr_assert_null(d, "accepted: %s", text);
    cr_assert(strncmp(err, "in.json: ", 9) == 0 && !strchr(err, '\n'), "%s", err);
    cr_assert(strstr(err, needle), "expected '%s' in: %s", needle, err);
}

static char *name_of(const char *text)
{
    char err[512] = "";
    cprof_dump *d = load(text, err, sizeof err);
    cr_assert_not_null(d, "%s", err);
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    cprof_dump_merge(m, d, -1, 0);
    prof_derive_regions(m);
    cr_assert_eq(m->n_entries, 1);
    cr_assert_eq(m->entries[0].calls, 3);
    char *name = strdup(m->entries[0].name);
    prof_model_free(m);
    cprof_dump_free(d);
    return name;
}

Test(dump_syntax, strings_are_unescaped)
{
    static const struct { const char *json, *name; } cases[] = {
        { "\"plain::name\"", "plain::name" },
        { "\"caf\\u00e9\"", "caf\xc3\xa9" },
        { "\"caf\xc3\xa9\"", "caf\xc3\xa9" },
        { "\"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!" },
        { "\"\\u20ac\"", "\xe2\x82\xac" },
        { "\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\"", "a\"b\\c/d\n\t\r\b\f" },
        { "\"\"", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = one_region(cases[i].json, "");
        char *got = name_of(t);
        cr_assert_str_eq(got, cases[i].name, "%s", cases[i].json);
        free(got);
        free(t);
    }
}

Test(dump_syntax, escaped_keys_are_the_same_keys)
{
    char *t = one_region("\"r\"", "");
    char *k = strstr(t, "\"calls\"");
    cr_assert_not_null(k);
    char *s = NULL;
    cr_assert(asprintf(&s, "%.*s\"c\\u0061lls\"%s", (int)(k - t), t, k + 7) > 0);
    char *got = name_of(s);   /* calls read as 3 */
    free(got);
    free(s);
    s = NULL;
    cr_assert(asprintf(&s, "%.*s\"c\\u0061lls\": 1, \"calls\"%s", (int)(k - t), t, k + 7) > 0);
    refused(s, "each key once in an object (\"calls\" again)");
    free(s);
    free(t);
}

Test(dump_syntax, big_and_odd_numbers)
{
    char *t = one_region("\"r\"", "\"x\": [-9223372036854775808, 9223372036854775807, -0, 0.5e-3, 1E+2, 2.5], ");
    char *got = name_of(t);
    free(got);
    free(t);
    t = one_region("\"r\"", "\"x\": 9223372036854775808, ");
    refused(t, "corrupt dump: expected an integer within long long");
    free(t);
    t = one_region("\"r\"", "\"x\": -9223372036854775809, ");
    refused(t, "within long long");
    free(t);
    t = one_region("\"r\"", "\"x\": 1e999, ");
    refused(t, "within a double's range");
    free(t);
}

/* Each is not JSON (or a JSON jansson refuses): "corrupt dump", at the byte named. */
Test(dump_syntax, not_json_is_refused_at_its_byte)
{
    static const struct { const char *text, *needle; } cases[] = {
        { "{\"format\": \"cprof-1\", \"pid\": 01}", "byte 30 (line 1, column 30): corrupt dump: expected no leading zero" },
        { "{\"format\": \"cprof-1\", \"pid\": 1.}", "byte 32 (line 1, column 32): corrupt dump: expected a digit after '.'" },
        { "{\"format\": \"cprof-1\", \"pid\": -}", "byte 31 (line 1, column 31): corrupt dump: expected a digit" },
        { "{\"format\": \"cprof-1\", \"pid\": +1}", "byte 30 (line 1, column 30): corrupt dump: expected a value" },
        { "{\"format\": \"cprof-1\", \"pid\": nul}", "byte 30 (line 1, column 30): corrupt dump: expected a value" },
        { "{\"format\": \"cprof-1\", \"pid\": 1,}", "byte 32 (line 1, column 32): corrupt dump: expected a value after ','" },
        { "{\"format\": \"cprof-1\", \"x\": [1 2]}", "byte 31 (line 1, column 31): corrupt dump: expected ',' or ']'" },
        { "{\"format\": \"cprof-1\"} x", "byte 23 (line 1, column 23): corrupt dump: expected the end of the file" },
        { "{\"format\": \"cprof-1\"}\n{}", "byte 23 (line 2, column 1): corrupt dump: expected the end of the file" },
        { "{\"format\" \"cprof-1\"}", "byte 11 (line 1, column 11): corrupt dump: expected ':'" },
        { "{format: 1}", "byte 2 (line 1, column 2): corrupt dump: expected a string" },
        { "\"cprof-1\"", "byte 1 (line 1, column 1): corrupt dump: expected '{'" },
        { "{\"format\": \"a\tb\"}", "corrupt dump: expected no control byte 0x09 in a string" },
        { "{\"format\": \"\\u0000\"}", "corrupt dump: expected no \\u0000 in a string" },
        { "{\"format\": \"\\ud800x\"}", "corrupt dump: expected a low surrogate after \\uD800" },
        { "{\"format\": \"\\udc00\"}", "corrupt dump: expected no lone low surrogate" },
        { "{\"format\": \"\\x\"}", "corrupt dump: expected an escape" },
        { "{\"format\": \"\\u12g4\"}", "corrupt dump: expected four hex digits" },
        { "{\"format\": \"\xc3\x28\"}", "corrupt dump: expected valid UTF-8 (byte 0xc3)" },
        { "{\"format\": \"\xed\xa0\x80\"}", "corrupt dump: expected valid UTF-8" },   /* a surrogate */
        { "{\"format\": \"\xc0\xaf\"}", "corrupt dump: expected valid UTF-8" },       /* overlong */
        { "{\"format\": \"\xf4\x90\x80\x80\"}", "corrupt dump: expected valid UTF-8" },  /* past U+10FFFF */
        { "{\"x\": {\"a\": 1, \"b\": 2, \"a\": 3}}", "byte 24 (line 1, column 24): corrupt dump: expected each key once in an object (\"a\" again)" },
        { "{\"format\": \"cprof-1\", \"format\": \"cprof-1\"}", "byte 23 (line 1, column 23): corrupt dump: expected each key once" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        refused(cases[i].text, cases[i].needle);
    static const char nul[] = "{\"format\": \"cprof-1\",\0 \"pid\": 1}";
    char err[512] = "";
    cr_assert_null(cprof_dump_load_mem("in.json", nul, sizeof nul - 1, err, sizeof err));
    cr_assert(strstr(err, "byte 22 (line 1, column 22): corrupt dump"), "%s", err);
}

Test(dump_syntax, duplicate_keys_in_records_and_counters)
{
    char *t = one_region("\"r\", \"name\": \"s\"", "");
    refused(t, "expected each key once in an object (\"name\" again)");
    free(t);
    t = one_region("\"r\", \"counters\": {\"E\": {\"incl\": 1, \"excl\": 1}, \"E\": {\"incl\": 1, \"excl\": 1}}", "");
    refused(t, "(\"E\" again)");
    free(t);
    t = one_region("\"r\", \"counters\": {\"E\": {\"incl\": 1, \"incl\": 1, \"excl\": 1}}", "");
    refused(t, "(\"incl\" again)");
    free(t);
}

/* Deep nesting in a field the reader does not use: fine up to jansson's
 * 2048 levels, refused past them (never a stack overflow). */
Test(dump_syntax, nesting_is_bounded)
{
    for (int depth = 2040; depth <= 2050; depth += 10) {
        size_t n = (size_t)depth * 2 + 64;
        char *x = malloc(n), *w = x;
        w += sprintf(w, "\"x\": ");
        for (int i = 0; i < depth; i++)
            *w++ = '[';
        for (int i = 0; i < depth; i++)
            *w++ = ']';
        strcpy(w, ", ");
        char *t = one_region("\"r\"", x);
        if (depth < 2048) {   /* the top object counts as one level */
            char *got = name_of(t);
            free(got);
        } else {
            refused(t, "corrupt dump: expected at most 2048 nested arrays and objects");
        }
        free(t);
        free(x);
    }
}

/* A dump cut anywhere before its last '}' is refused as truncated at
 * exactly its length, and merges nothing. */
Test(dump_syntax, every_cut_is_truncated_at_its_length)
{
    char *t = one_region("\"caf\\u00e9 \\ud83d\\ude00\"", "\"events\": [{\"name\": \"E\", \"active\": true}], "
                         "\"overhead\": {\"ns_per_pair\": 1.5e1, \"ns_inside\": 2}, \"x\": [true, false, null, -1], ");
    size_t len = strrchr(t, '}') - t;
    for (size_t cut = 0; cut < len; cut++) {
        char err[512] = "", needle[128];
        cr_assert_null(cprof_dump_load_mem("in.json", t, cut, err, sizeof err), "cut at %zu accepted", cut);
        snprintf(needle, sizeof needle, "in.json: byte %zu (line 1): truncated or empty dump", cut);
        cr_assert(strstr(err, needle) == err, "cut at %zu: %s", cut, err);
    }
    free(t);
}

/* Values of the right place but the wrong type cost only themselves. */
Test(dump_syntax, a_real_where_an_integer_goes_is_a_value_out_of_range)
{
    char *t = one_region("\"r\", \"pairs\": 2.0", "");
    char err[512] = "";
    cprof_dump *d = load(t, err, sizeof err);
    cr_assert_not_null(d, "%s", err);
    prof_model *m = prof_model_new(PROF_REGIONS, "cprof");
    cprof_dump_merge(m, d, -1, 0);
    int warned = 0;
    for (size_t i = 0; i < m->n_notes; i++)
        warned |= strstr(m->notes[i], "in.json: 1 value(s) out of range, read as 0 (the first: "
                                      "threads[0].regions[0].pairs: expected a non-negative integer)") != NULL;
    cr_assert(warned);
    prof_model_free(m);
    cprof_dump_free(d);
    free(t);
}
