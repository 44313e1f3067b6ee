/* test_fn_def.c: a cachegrind function's `fn` line found in its Rust
 * source: the name's own segment, and the first definition at or after its
 * lowest line (an inlined function of the same file sits above it). */
#include <criterion/criterion.h>
#include <string.h>

#include "readers/fn_def.h"

static void name_is(const char *path, const char *want)
{
    size_t n = 0;
    const char *s = rust_fn_name(path, &n);
    if (!want) {
        cr_expect_null(s, "%s", path);
        return;
    }
    cr_assert_not_null(s, "%s", path);
    cr_expect(n == strlen(want) && memcmp(s, want, n) == 0, "%s: %.*s", path, (int)n, s);
}

Test(fn_def, the_own_segment_of_a_rust_path)
{
    name_is("ryu::pretty::format64", "format64");
    name_is("<ryu::buffer::Buffer>::format::<f64>", "format");
    name_is("<alloc::vec::Vec<u8> as core::ops::drop::Drop>::drop", "drop");
    name_is("<core::iter::Map<I, fn(u8) -> u32>>::next", "next");
    name_is("work::main::{closure#0}", NULL);
    name_is("main", NULL);
}

Test(fn_def, first_definition_at_or_after_the_lowest_line)
{
    const char *src = "struct Rng(u64);\nimpl Rng {\n    fn next(&mut self) -> u64 {\n        1\n    }\n}\n"
                      "// main( is called by the runtime\nfn mainly() {}\nfn main() {\n    let x = 1;\n}\n";
    size_t len = strlen(src);
    cr_expect_eq(rust_fn_line(src, len, "main", 4, 3), 9);   /* not the comment, not "mainly" */
    cr_expect_eq(rust_fn_line(src, len, "next", 4, 1), 3);
    cr_expect_eq(rust_fn_line(src, len, "next", 4, 4), 0);   /* none after its lowest line */
    cr_expect_eq(rust_fn_line(src, len, "format", 6, 1), 0);
}
