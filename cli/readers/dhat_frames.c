/*
 * dhat_frames.c: DHAT's frame strings (see dhat_frames.h). valgrind writes
 * them as "ADDR: NAME (LOCATION)" where NAME may hold spaces and brackets
 * of its own (Rust generics: "call_once<(), (dyn Fn<()> + Sync)>"), so the
 * location is the bracket that closes the string, matched from the end.
 */
#include "readers/dhat_frames.h"
#include "readers/vgparse.h"
#include "sys/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *dup_range(const char *s, size_t n)
{
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* The '(' that the final ')' of s[0..n) closes, if a space (or nothing) comes before it. */
static const char *location_open(const char *s, size_t n)
{
    if (n < 3 || s[n - 1] != ')')
        return NULL;
    int depth = 0;
    for (size_t i = n; i-- > 0;) {
        if (s[i] == ')')
            depth++;
        else if (s[i] == '(' && --depth == 0)
            return i == 0 || s[i - 1] == ' ' ? s + i : NULL;
    }
    return NULL;
}

/* "FILE:LINE" or "FILE" into f. */
static void parse_location(dhat_frame *f, const char *s, size_t n)
{
    if (n > 3 && strncmp(s, "in ", 3) == 0) {
        f->object = dup_range(s + 3, n - 3);
        return;
    }
    size_t colon = n;
    while (colon > 0 && isdigit((unsigned char)s[colon - 1]))
        colon--;
    if (colon < n && colon > 1 && s[colon - 1] == ':' && n - colon <= 9) {
        f->line = atoi(s + colon);
        f->file = dup_range(s, colon - 1);
    } else {
        f->file = dup_range(s, n);
    }
}

void dhat_frame_parse(dhat_frame *f, const char *text)
{
    memset(f, 0, sizeof *f);
    const char *s = text;
    if (s[0] == '0' && s[1] == 'x') {   /* "0x4C2B0E0: " */
        const char *p = s + 2;
        while (isxdigit((unsigned char)*p))
            p++;
        if (p[0] == ':' && p[1] == ' ')
            s = p + 2;
    }
    size_t n = strlen(s);
    const char *open = location_open(s, n);
    if (open) {
        parse_location(f, open + 1, (size_t)(s + n - open) - 2);
        n = open > s ? (size_t)(open - s) - 1 : 0;
    }
    while (n > 0 && s[n - 1] == ' ')
        n--;
    int level;
    n = vg_function_name(s, n, &level);   /* a Rust legacy hash, as in callgrind's names */
    f->name = n ? dup_range(s, n) : xstrdup("???");
    f->allocator = dhat_allocator_frame(f->name, f->file, f->object);
}

void dhat_frame_free(dhat_frame *f)
{
    free(f->name);
    free(f->file);
    free(f->object);
    memset(f, 0, sizeof *f);
}

static int in_list(const char *s, const char *const *list, size_t n, int prefix)
{
    for (size_t i = 0; i < n; i++)
        if (prefix ? strncmp(s, list[i], strlen(list[i])) == 0 : strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0 && (n == t || s[n - t - 1] == '/');
}

#define N(a) (sizeof a / sizeof a[0])

int dhat_allocator_frame(const char *name, const char *file, const char *object)
{
    static const char *const c_names[] = {
        "malloc", "calloc", "realloc", "reallocarray", "free", "memalign", "posix_memalign",
        "aligned_alloc", "valloc", "pvalloc", "strdup", "strndup", "__libc_malloc",
        "__libc_calloc", "__libc_realloc", "__libc_memalign", "__strdup",
    };
    static const char *const prefixes[] = {
        "operator new", "_Znw", "_Zna", "__gnu_cxx::new_allocator<", "std::__new_allocator<",
        "std::allocator_traits<", "__rust_alloc", "__rust_realloc", "__rdl_", "__rg_",
        /* the whole alloc crate (Vec, String, Box, RawVec, collections): its
         * helpers allocate for the code that called them */
        "alloc::", "<alloc::", "<std::alloc::System as ",
        "std::alloc::", "std::sys::alloc::", "std::sys::pal::unix::alloc::",
        "<cprof::alloc::Alloc<", "cprof::alloc::",   /* the counting wrapper of `init --alloc` */
    };
    static const char *const lib_files[] = {   /* Rust's allocator code, for inlined frames */
        "library/std/src/alloc.rs", "library/std/src/sys/pal/unix/alloc.rs",
        "library/std/src/sys/alloc/unix.rs", "library/std/src/sys/alloc/mod.rs",
        "cprof/src/alloc.rs",   /* cprof::Alloc's methods, inlined */
    };
    if (object && (strncmp(object, "vgpreload_", 10) == 0 || strstr(object, "/vgpreload_")))
        return 1;
    if (in_list(name, c_names, N(c_names), 0) || in_list(name, prefixes, N(prefixes), 1))
        return 1;
    /* inlined frames carry no path (with_capacity_in<u8, Global>): the
     * alloc crate by its source folder */
    if (file && (strncmp(file, "library/alloc/src/", 18) == 0 || strstr(file, "/library/alloc/src/")))
        return 1;
    for (size_t i = 0; file && i < N(lib_files); i++)
        if (ends_with(file, lib_files[i]))
            return 1;
    return 0;
}
