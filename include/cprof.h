/*
 * cprof.h: the public C API of libcprof, the region profiler runtime.
 *
 * Mark a region with a static site record and an enter/exit pair:
 *
 *     CPROF_SITE(s_parse, "parse");
 *     cprof_enter(&s_parse);
 *     ... work ...
 *     cprof_exit(&s_parse);
 *
 * Per thread the runtime keeps, for every region, the number of calls,
 * inclusive and exclusive time, the shortest and longest call, and the
 * inclusive and exclusive counts of every event asked for in CPROF_EVENTS
 * (PAPI events and the built-in allocation counters) and of every user
 * counter the program counts (cprof_count); plus a call tree (node = parent
 * node + region). At normal
 * process exit (and on cprof_dump()) it writes one JSON file
 * "cprof-<host>-<pid>.json" into $CPROF_OUTPUT (default: the current folder).
 *
 * Environment (read once, on the first call into the runtime):
 *   CPROF_EVENTS   comma list of PAPI event names (presets, native, sde:::L::C)
 *                  and built-in counters, mixed freely; default
 *                  "PAPI_TOT_INS,PAPI_TOT_CYC"; "" or "none": time only (user
 *                  counters are still counted). Events that cannot be counted
 *                  are named once on stderr, with the reason, and in the dump;
 *                  the others are still counted. libpapi is loaded (dlopen)
 *                  only when a PAPI event is listed; where it cannot be, one
 *                  line says why and time is still measured. Built-in
 *                  counters (ours, never PAPI's; a run with only these and
 *                  user counters never loads PAPI):
 *                    cprof::allocs       allocations (malloc, calloc, realloc, ...)
 *                    cprof::alloc_bytes  bytes asked for by them
 *                    cprof::frees        blocks freed (free, realloc)
 *                    cprof::freed_bytes  their bytes (in C: malloc_usable_size)
 *                    cprof::reallocs     how many of the allocations were realloc
 *                  A reallocation counts as one allocation of the new size and
 *                  one free of the old block. They count what the allocation
 *                  hooks see: C and C++ programs run with libcprof_alloc.so
 *                  (LD_PRELOAD, or linked before libc), Rust programs with
 *                  #[global_allocator] cprof::Alloc. Without a hook they are
 *                  reported as not counted. The runtime's own allocations are
 *                  never counted. "user::NAME" names a user counter: listed in
 *                  that place, and shown even if the program never counts it.
 *   CPROF_REGIONS  comma list of globs selecting the measured regions, "!glob"
 *                  excludes ("parse*,!parse_header"); unselected regions cost
 *                  one branch.
 *   CPROF_OUTPUT   folder for the dump file.
 *   CPROF_DUMP_FORMAT  1: write it as "cprof-1"; default 2, the compact
 *                  "cprof-2" (docs/dump-format.md).
 *   CPROF_DISABLE  "1": measure nothing, write nothing.
 *   CPROF_CLOCK    "tsc" or "monotonic" to force a clock (default: the TSC when
 *                  the CPU says it is constant and nonstop, else monotonic).
 *   CPROF_QUIET    "1": no warnings on stderr (they still go to the dump).
 *
 * Thread safety: every function may be called from any thread. enter/exit
 * take no lock, make no system call and allocate nothing once a thread has
 * seen its regions. Each thread must exit the regions it entered.
 *
 * Link with: libcprof.a -lpthread -lm  (pkg-config --libs cprof),
 * plus -lsde if the program itself registers PAPI software-defined events.
 */
#ifndef CPROF_H
#define CPROF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CPROF_VERSION "0.1.0"
#include "cprof_names.h"   /* CPROF_DUMP_FORMAT, CPROF_DEFAULT_EVENTS */

/*
 * One annotated source site. Define it with static storage (CPROF_SITE) and
 * never move it: the runtime caches the region id in it on first entry.
 * Sites with the same name, file and line are the same region.
 */
typedef struct cprof_site {
    const char *name;   /* NUL-terminated region name */
    const char *file;   /* NUL-terminated source file, may be NULL */
    int line;           /* source line, 0 if unknown */
    uint32_t id;        /* private: 0 until first entry */
} cprof_site;

#define CPROF_SITE(var, name) \
    static cprof_site var = { (name), __FILE__, __LINE__, 0 }

/* Open a region on the calling thread's stack. */
void cprof_enter(cprof_site *site);

/*
 * Close the region opened last. If `site` is not the innermost open region
 * the stack is repaired (regions opened inside it are closed with it; an
 * exit that matches no open region is ignored), the event is counted in the
 * dump's "errors" and one warning goes to stderr. Never aborts.
 */
void cprof_exit(cprof_site *site);

/*
 * Like cprof_exit, but the call is not complete yet: its time and counts are
 * added, its call is not counted and it does not set min/max. Used for one
 * poll of an async function whose future is not ready: a later poll ends
 * with cprof_exit and counts the call once.
 */
void cprof_exit_pending(cprof_site *site);

/*
 * Write the dump now (all threads, finished or running) to
 * $CPROF_OUTPUT/cprof-<host>-<pid>.json, replacing this process's earlier dump.
 * Returns 0 on success, -1 (with a line on stderr) on failure. Threads still
 * running are not stopped: their figures are read as they stand (without
 * data races), and their calls still open are marked "open" (their own
 * counter values can only be read by their own thread). The caller's open
 * calls end at the moment of the call. The exit-time dump happens anyway.
 */
int cprof_dump(void);

/* Path of the last dump this process wrote, or NULL. */
const char *cprof_dump_path(void);

/* 1 if the runtime measures (not disabled by CPROF_DISABLE), else 0. */
int cprof_enabled(void);

/*
 * A user counter: "user::NAME" in the dump and in every view, like an event.
 * Define its site with static storage (CPROF_COUNTER) and never move it:
 *
 *     CPROF_COUNTER(c_bytes, "bytes");
 *     cprof_count(&c_bytes, (int64_t)len);
 *
 * cprof_count adds n (negative too) to the innermost region open on the
 * calling thread (outside every region: to the thread's total only). Sites
 * with the same name are one counter. User counters need not be named in
 * CPROF_EVENTS: each appears once the program counts it. Costs no lock, no
 * system call, no allocation after its first call; enter and exit pay
 * nothing for user counters.
 */
typedef struct cprof_counter_site {
    const char *name;   /* NUL-terminated, without "user::" */
    uint32_t id;        /* private: 0 until first use */
} cprof_counter_site;

#define CPROF_COUNTER(var, name) \
    static cprof_counter_site var = { (name), 0 }

void cprof_count(cprof_counter_site *site, int64_t n);

/*
 * Allocation hooks: count one allocation of `bytes`, one free, one
 * reallocation, on the calling thread (cprof::allocs, ...). libcprof_alloc.so
 * and cprof::Alloc call these; a program's own allocator may too. Safe from
 * any thread, before the runtime starts and during thread exit: a bump of
 * per-thread counts, nothing else.
 */
void cprof_alloc_note(size_t bytes);
void cprof_free_note(size_t bytes);
void cprof_realloc_note(size_t old_bytes, size_t new_bytes);

/*
 * For language bindings: marks work done on the runtime's behalf outside
 * it (naming a site), whose allocations are not the program's. Nests no
 * region calls: an enter between them is dropped.
 */
void cprof_runtime_begin(void);
void cprof_runtime_end(void);

#ifdef __cplusplus
}
#endif
/*
 * With GCC or Clang, cprof_enter and cprof_exit are macros: what a call
 * of a throttled region that is not timed does (and a region not
 * measured: nothing) is done inline, at the call site, and the rest calls
 * the runtime (cprof_hot.h). The functions stay, for bindings and for
 * (cprof_enter)(site); CPROF_NO_INLINE before this header keeps plain calls.
 */
#if defined(__GNUC__) && !defined(CPROF_NO_INLINE) && \
    (defined(__cplusplus) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L))
#include "cprof_hot.h"
#define cprof_enter(site) cprof_enter_inline(site)
#define cprof_exit(site) cprof_exit_inline(site)
#elif defined(__GNUC__)
/* Plain calls: CPROF_NO_INLINE, or C89 (the inline path is C99), where
 * this part stays C89 too (cJSON builds with -std=c89 -pedantic). */
typedef struct cprof_scope {
    cprof_site *site;
} cprof_scope;
static __inline__ cprof_scope cprof_scope_enter(cprof_site *site)
{
    cprof_scope s;
    (cprof_enter)(site);
    s.site = site;
    return s;
}
static __inline__ void cprof_scope_exit(cprof_scope *s)
{
    (cprof_exit)(s->site);
}
#endif

#if defined(__GNUC__)
/*
 * CPROF_SCOPE("name"): a region from here to the end of the enclosing
 * block, however the block is left (return, break, goto; not longjmp,
 * which skips it: the runtime repairs the stack at the next exit), as
 * `#[profile]` does in Rust. GCC and Clang (the cleanup attribute):
 *
 *     int parse(struct input *in) {
 *         CPROF_SCOPE("parse");
 *         ...
 *     }
 *
 * Cheaper than a cprof_enter/cprof_exit pair when the region is throttled:
 * its exit knows what its enter saw (cprof_hot.h), about 1 ns a call less
 * in nested code (make bench-hot-chain).
 */
#define CPROF_SCOPE(name) CPROF_SCOPE_AT_(name, __COUNTER__)
#define CPROF_SCOPE_AT_(name, k) CPROF_SCOPE_AT__(name, k)
#define CPROF_SCOPE_AT__(name, k)                                                                  \
    CPROF_SITE(cprof_scope_site_##k, name);                                                        \
    cprof_scope cprof_scope_##k __attribute__((cleanup(cprof_scope_exit), unused)) =               \
        cprof_scope_enter(&cprof_scope_site_##k)
#endif
#endif /* CPROF_H */
