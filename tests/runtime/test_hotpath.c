/*
 * test_hotpath.c: once a thread has seen its call paths, enter/exit allocate
 * nothing (with and without counters), and the tree does not grow.
 */
#include <criterion/criterion.h>
#include <malloc.h>
#include <unistd.h>

#include "helpers.h"

#ifndef __SANITIZE_ADDRESS__
/*
 * Every allocation of this process passes through here (the sanitizer build
 * has its own allocator and relies on mallinfo2 alone): a malloc/free pair in
 * the hot path would leave mallinfo2 unchanged but not this count.
 */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static __thread long allocations;
void *malloc(size_t n)
{
    allocations++;
    return __libc_malloc(n);
}
void *calloc(size_t n, size_t m)
{
    allocations++;
    return __libc_calloc(n, m);
}
void *realloc(void *p, size_t n)
{
    allocations++;
    return __libc_realloc(p, n);
}
#else
static __thread long allocations;
#endif

CPROF_SITE(s_outer, "outer");
CPROF_SITE(s_inner, "inner");

static void loop(int n)
{
    for (int i = 0; i < n; i++) {
        cprof_enter(&s_outer);
        cprof_enter(&s_inner);
        t_count++;
        cprof_exit(&s_inner);
        cprof_exit(&s_outer);
    }
}

static void check_no_allocation(const char *events)
{
    setup(events);
    register_sde();
    loop(10);                      /* warm-up: sites resolved, paths created */
    struct mallinfo2 before = mallinfo2();
    long calls = allocations;
    loop(100000);
    cr_assert_eq(allocations, calls, "the hot path called the allocator %ld times",
                 allocations - calls);
    struct mallinfo2 after = mallinfo2();
    cr_assert_eq(after.uordblks, before.uordblks, "the hot path allocated %zd bytes",
                 (ssize_t)(after.uordblks - before.uordblks));
    cr_assert_eq(after.hblkhd, before.hblkhd);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    cr_assert_eq(json_array_size(json_object_get(t, "tree")), 2);
    cr_assert_eq(num(region(t, "inner"), "calls"), 100010);
}

Test(hotpath, steady_state_allocates_nothing_time_only)
{
    check_no_allocation("");
}

Test(hotpath, steady_state_allocates_nothing_with_counters)
{
    check_no_allocation(SDE_T);
    json_t *t = thread_by_tid(dump_and_load(), gettid());
    cr_assert_eq(ctr(region(t, "inner"), SDE_T, "incl"), 100010);
}
