/*
 * internal.h: the runtime's private state, shared by its files. Nothing here
 * is installed; the public contract is include/cprof.h.
 */
#ifndef CPROF_INTERNAL_H
#define CPROF_INTERNAL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cprof.h"
#include "cprof_hot.h"   /* also under CPROF_NO_INLINE: the layout */
#include <papi.h>

/* Internal symbols are hidden: no GOT indirection on the hot path. */
#pragma GCC visibility push(hidden)

#define CPROF_API __attribute__((visibility("default")))
#define CPROF_LIKELY(x) __builtin_expect(!!(x), 1)
#define CPROF_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CPROF_COLD __attribute__((cold, noinline))
/*
 * Fields a dump may read while their thread runs are written and read as
 * relaxed atomics: on x86-64 these are plain moves, and a dump during the
 * program is free of data races (TSan-clean), not just harmless in practice.
 */
#define CPROF_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define CPROF_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)

/*
 * Counter slots one frame and one node hold: the PAPI events first (at most
 * CPROF_MAX_PAPI: event sets rarely hold more), then the built-in counters
 * asked for (cprof::allocs, ...), then the user counters (user::NAME).
 * 14, not 16: the node's 256 bytes also hold the fast path's cache of 16
 * children, where 8 slots made siblings share (regex-lite's 12 sites: 3%
 * of its calls went the whole way for it).
 */
#define CPROF_MAX_EVENTS 14
#define CPROF_MAX_PAPI 8
/* A site id with this bit set names a region that is not measured. */
#define CPROF_ID_OFF 0x80000000u
/* A frame whose call-tree node could not be allocated. */
#define CPROF_NO_NODE UINT32_MAX

/* ---- the cold paths' memory (mem.c): mmap, never malloc; zeroed ---- */
void *cprof_mem_alloc(size_t n);
void cprof_mem_free(void *p);
char *cprof_mem_strdup(const char *s);
/* Keeps an outgrown block on *list (in its header) until freed with the list. */
void cprof_mem_retire(void **list, void *p);
void cprof_mem_free_retired(void **list);
void cprof_mem_atfork_prepare(void);
void cprof_mem_atfork_release(void);

/*
 * Per-thread "inside the runtime" flag: a call that arrives while it is set
 * can only come from a signal handler that interrupted this thread's own
 * call into the runtime. Such a call is dropped and counted (cprof_reentrant,
 * the dump's errors.reentrant), never waits. Plain thread-local stores with
 * compiler barriers: a signal runs on the same thread, so nothing stronger
 * is needed.
 */
extern uint64_t cprof_reentrant;
extern __thread volatile sig_atomic_t cprof_busy
    __attribute__((tls_model("initial-exec"), visibility("default")));
#define CPROF_BUSY_ENTER() cprof_busy_enter()
#define CPROF_BUSY_LEAVE() cprof_busy_leave()
void cprof_count_reentrant(void);

/* ---- configuration (config.c), read once from the environment ---- */
typedef struct cprof_pattern {
    char *glob;
    int negate;
} cprof_pattern;

typedef struct cprof_config {
    int disabled;
    int quiet;
    int force_clock;          /* 0 auto, 1 tsc, 2 monotonic */
    char *output;             /* folder for the dump */
    char **events;            /* names asked for, in order */
    int n_events;
    cprof_pattern *patterns;  /* CPROF_REGIONS */
    char *regions;            /* ... as given, or NULL */
    int n_patterns;
    /* Throttling (CPROF_THROTTLE, throttle.c): a call path more than half
     * of whose first `throttle_after` timed calls took less than
     * `throttle_below_ns` is timed 1 call in `throttle_every` from then on. */
    int throttle;             /* 0: off */
    uint64_t throttle_after;
    double throttle_below_ns;
    uint32_t throttle_every;
    cprof_pattern *samples;   /* CPROF_SAMPLE: glob=N, first match wins */
    uint32_t *sample_every;
    int n_samples;
    double test_cold_ns;      /* CPROF_TEST_COLD_NS: tests only, every cold path lasts this long */
    uint32_t test_stack_cap;  /* CPROF_TEST_STACK_CAP: tests only, a stack never grows past it */
    char *papi_lib;           /* CPROF_TEST_PAPI_LIB (tests only): the library to load as PAPI */
    int dump_format;          /* CPROF_DUMP_FORMAT: 2 (compact, the default) or 1 (cprof-1) */
    char *dump_v1_copy;       /* CPROF_TEST_DUMP_V1 (tests only): a folder for a cprof-1 copy
                                 of every dump, written from the same cut */
} cprof_config;

extern cprof_config cprof_cfg;
void cprof_config_load(void);
/* 1 if CPROF_REGIONS selects the region `name`. */
int cprof_config_selects(const char *name);
/* 1 if a region glob names `name` (the whole name or a part after "::"). */
int cprof_glob_names(const char *glob, const char *name);
/* CPROF_THROTTLE and CPROF_SAMPLE (throttle.c), read by cprof_config_load. */
void cprof_throttle_config(void);
/* The sampling period CPROF_SAMPLE gives region `name`: N, or 0 (adaptive). */
uint32_t cprof_sample_every(const char *name);

/* ---- one-time start-up (init.c) ---- */
/* Returns 1 when the runtime measures, 0 when it is disabled. */
int cprof_ensure_init(void);
extern int cprof_enabled_flag;
/*
 * Set when the exit-time dump begins: from then on no thread makes new call
 * paths, stack room or regions (cold paths only; what they would have
 * recorded is dropped), so threads that keep running cannot make the exit
 * take unbounded time or memory. Calls on paths that exist still count.
 */
extern int cprof_exiting;
void cprof_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A bad setting of the user's (CPROF_THROTTLE=bogus): said even under
 * CPROF_QUIET, which cargo profiler sets (the report says the rest). */
void cprof_warn_setting(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cprof_warn_once(int *flag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- clock (clock.c, clock.h) ---- */
extern int cprof_clock_is_tsc;
void cprof_clock_init(void);
/* ns per tick of cprof_now(), measured from start-up to now (dump time). */
double cprof_clock_ns_per_tick(void);
/* The same, at once (no wait for a long span): for decisions during the run. */
double cprof_clock_ns_per_tick_rough(void);
uint64_t cprof_clock_start_ticks(void);
const char *cprof_clock_name(void);

/* ---- region registry (registry.c): site -> id, id -> name/file/line ---- */
typedef struct cprof_region_info {
    uint32_t id;
    int measured;
    uint32_t every;           /* CPROF_SAMPLE's period for it, 0: adaptive */
    int scope;                /* a CPROF_SCOPE's: its untimed calls cost what calibrate.c's scope pair does */
    char *name;
    char *file;
    int line;
} cprof_region_info;

uint32_t cprof_registry_resolve(cprof_site *site);
/* The same for a CPROF_SCOPE's site: its region is marked scope. */
uint32_t cprof_registry_resolve_scope(cprof_site *site);
/* Registers an internal region that is always measured (calibration). */
uint32_t cprof_registry_internal(cprof_site *site);
/* Snapshot access for the cold paths (dump, warnings): copies under the lock. */
uint32_t cprof_registry_count(void);
int cprof_registry_get(uint32_t id, cprof_region_info *out);

/* Distinct names of the regions entered but not selected by CPROF_REGIONS,
 * sorted: *shown (at most max) of *distinct. The caller frees the array. */
char **cprof_registry_unselected(size_t max, size_t *shown, size_t *distinct);

/* ---- counters (counters.c): PAPI, one event set per thread ---- */
enum { CPROF_EV_PAPI, CPROF_EV_BUILTIN, CPROF_EV_USER };

typedef struct cprof_event_state {
    char *name;
    int active;
    int kind;                 /* CPROF_EV_PAPI, _BUILTIN or _USER */
    int slot;                 /* where frames and nodes keep it, when active */
    int code;
    int software;             /* an sde::: event: process memory, readable after fork */
    char *reason;             /* why it is not counted, or NULL */
} cprof_event_state;

/*
 * libpapi is loaded with dlopen (papi_load.c) only when a PAPI event is
 * asked for: the runtime calls it through this table, never directly
 * (libcprof does not link -lpapi).
 */
#define CPROF_PAPI_FNS(X)                                                          \
    X(library_init) X(thread_init) X(unregister_thread) X(strerror)               \
    X(create_eventset) X(add_event) X(add_named_event) X(add_events)              \
    X(event_name_to_code) X(get_event_component) X(get_component_index)           \
    X(get_component_info) X(start) X(stop) X(read) X(cleanup_eventset)            \
    X(destroy_eventset)
typedef struct cprof_papi_fns {
#define CPROF_PAPI_FIELD(f) __typeof__(PAPI_##f) *f;
    CPROF_PAPI_FNS(CPROF_PAPI_FIELD)
#undef CPROF_PAPI_FIELD
} cprof_papi_fns;
extern cprof_papi_fns cprof_papi;
/* Loads libpapi and looks its functions up: 0, or -1 with why (dlerror's words). */
int cprof_papi_load(char *why, size_t cap);
/* The hot path's read: one indirect call, as the PLT's was. */
static inline __attribute__((always_inline)) int cprof_papi_read(int eventset, long long *values)
{
    return cprof_papi.read(eventset, values);
}

extern cprof_event_state *cprof_events;
extern int cprof_n_events;     /* asked for */
extern int cprof_n_active;     /* PAPI events counted: slots 0 .. cprof_n_active-1 */
/* 1 if every counted event is software-defined (readable in a forked child). */
int cprof_counters_software_only(void);
void cprof_counters_init(void);

/* ---- built-in counters (alloc.c): allocations, per thread ---- */
enum { CPROF_A_ALLOCS, CPROF_A_BYTES, CPROF_A_FREES, CPROF_A_FREED, CPROF_A_REALLOCS, CPROF_A_N };
/*
 * The calling thread's allocation counts since it started, bumped by the
 * allocation hooks (cprof::Alloc in Rust, libcprof_alloc.so in C) and read
 * at enter and exit like a PAPI counter. Initial-exec TLS: a bump is one
 * add, safe before the runtime starts, in a handler and at thread exit.
 * Relaxed stores (plain moves): a dump on another thread reads them.
 */
typedef struct cprof_alloc_counts {
    uint64_t v[CPROF_A_N];
} cprof_alloc_counts;
extern __thread cprof_alloc_counts cprof_alloc_tls __attribute__((tls_model("initial-exec")));
/* 1 once any hook counted an allocation in this process. */
extern int cprof_alloc_seen;
extern int cprof_n_builtin;                    /* built-in counters asked for: slots */
extern int cprof_builtin_src[CPROF_MAX_EVENTS]; /* ... cprof_n_active + j reads v[src[j]] */
/* The built-in counter called `name` (CPROF_A_*), or -1. */
int cprof_builtin_index(const char *name);
/* "cprof::allocs, cprof::alloc_bytes, ..." for messages. */
const char *cprof_builtin_list(void);
/* The preload library's hooks, if it is in the process, now count here. */
void cprof_alloc_attach_preload(void);

/* ---- user counters (usercount.c): user::NAME, counted into the innermost node ---- */
/* First slot of the user counters (after PAPI and built-in ones). */
extern int cprof_user_base;
/* Registers user::NAME (bare: NAME); its id (index + 1), CPROF_ID_OFF when no slot is left. */
uint32_t cprof_user_register(const char *bare, int asked);
typedef struct cprof_user_info {
    const char *name;         /* "user::NAME" */
    int slot;                 /* -1: no slot left, not counted */
    int asked;                /* named in CPROF_EVENTS (listed there, in its place) */
} cprof_user_info;
uint32_t cprof_user_count(void);
void cprof_user_get(uint32_t index, cprof_user_info *out);
/* Slots in use now: PAPI, built-in and user counters. */
int cprof_counter_slots(void);

/* ---- per-thread state (thread.c) ---- */
/*
 * One call path. The hot path adds only inclusive figures here; exclusive
 * figures, the flat region table and the recursion rule are derived from the
 * tree at dump time (a node's children lie inside it), which keeps exit short.
 */
typedef struct cprof_node {
    uint32_t parent, region;
    /* Sampling (throttle.c): with period >= 2 the node is throttled, and
     * the call whose index (`pairs` at its enter) reaches next_timed is
     * timed (then next_timed is drawn again, about `period` calls on); the
     * others are untimed: counted, not timed. period 0: every call timed,
     * decided again when `timed` reaches `check`; 1: every call timed,
     * for good. */
    uint32_t period;
    uint32_t open;            /* 1 while a timed call of it is open (it has a frame) */
    uint64_t pairs;           /* enter/exit pairs, completed or not */
    uint64_t next_timed;
    uint16_t kids[CPROF_HOT_KIDS];   /* the fast path's cache of its children (cprof_hot.h; region.c fills it) */
    uint64_t incomplete;      /* ... of them not completed (cprof_exit_pending, open at the
                               * end): its calls are pairs - incomplete */
    uint64_t timed;           /* ... of them timed (and counted with PAPI) */
    uint64_t incl;            /* ticks, of the timed pairs */
    uint64_t min, max;        /* ticks, one completed timed call */
    uint64_t check;           /* period 0: timed pairs at the next decision */
    uint64_t shorts;          /* period 0: timed pairs shorter than the thread's below_ticks (not dumped) */
    /* Throttled: a timed call longer than `cap` ticks (preempted, a page
     * fault) adds only cap to `incl`, which is scaled up, and the rest to
     * `over`, which is counted once, as it happened once. */
    uint64_t cap, over;
    long long c_incl[CPROF_MAX_EVENTS];
    uint64_t spare_[1];       /* to 256 bytes: the inline fast path finds a node with a shift */
} cprof_node;
/* (the dump marks nodes whose call was still open; see derive.h) */

/* A timed call's frame (an untimed call has none: cprof_hot.h). */
typedef struct cprof_frame {
    uint32_t id;
    uint32_t node;            /* CPROF_NO_NODE: a call path not made (out of memory, exiting) */
    uint32_t prev;            /* the thread's cur at its enter: cur again at its exit */
    uint64_t t0;              /* t0 and c0 less the thread's cold work then (cold_ticks, cold_c) */
    long long c0[CPROF_MAX_EVENTS];
} cprof_frame;

typedef struct cprof_thread {
    /* First what the inline fast path reads, as cprof_hot_thread lays it
     * out (asserted below). stack[0 .. depth) are the open timed calls'
     * frames, cur the innermost open call's node: the open calls are the
     * path from cur up, each a frame's (the top frame's node is cur) or an
     * untimed call of its node (cprof_open_next). stack[-1] is kept free
     * (a frame before the first, for code that reads one). */
    cprof_frame *stack;
    cprof_node *nodes;        /* nodes[0] is the root */
    uint32_t *node_hash;      /* open addressing over (parent, region) -> node */
    uint32_t depth, cap;
    uint32_t hash_shift;      /* hash_mask + 1 == 1 << (64 - hash_shift) */
    uint32_t dropped_open;    /* enters not recorded, waiting for their exits */
    uint32_t cur;             /* the innermost open call's node: 0 none, CPROF_NO_NODE one not made */
    uint32_t up;              /* cur's node's parent (cprof_set_cur keeps it) */
    /* nonzero: the fast paths refuse (cprof_hot.h). A byte per reason
     * (CPROF_SLOW_*), each written by one piece of code only, so none has
     * to read another's to write its own. */
    union {
        uint32_t slow;
        uint8_t slow_why[4];
    };
    void *stack_mem;          /* the block stack[-1] lies in (aligned up from it) */
    uint32_t nnodes, capnodes;
    void *retired;            /* outgrown arrays (cprof_mem_retire) */
    uint32_t hash_mask;
    int nev;                  /* PAPI counters its figures hold (0: none) */
    int nread;                /* PAPI counters read now: nev, or 0 once its event set is gone */
    int nbuiltin;             /* built-in counters read at enter/exit (slots nactive..) */
    cprof_alloc_counts *alloc;  /* its allocation counts: its TLS, or alloc_final once it ended */
    cprof_alloc_counts alloc_final;
    int eventset;             /* PAPI event set, or -1 */
    int eventset_owned;       /* 1 if this state created it */
    char *counter_error;      /* why this thread counts nothing, or NULL (cprof_mem) */
    uint64_t unbalanced;
    uint32_t open_at_exit;    /* regions still open when the thread ended */
    /* The runtime's cold work so far (cold.c): frames hold their starts as
     * the clock and counters less these, so moving every open frame past
     * cold work is one addition, not one per frame (deep recursion made it
     * quadratic). */
    uint64_t cold_ticks;
    long long cold_c[CPROF_MAX_EVENTS];
    uint64_t below_ticks;     /* CPROF_THROTTLE's below, in ticks (throttle.c): a short call */
    uint64_t dropped;
    pid_t tid;
    char name[32];
    int finished;
    int internal;             /* the runtime's own (calibration): never frozen, never throttled */
    uint64_t rng;             /* the sampling draws' state (xorshift) */
    struct cprof_thread *next;
} cprof_thread;

/* The layout cprof_hot.h's inline fast path (and the Rust crate) reads. */
#define CPROF_HOT_SAME(a, fa, b, fb) \
    _Static_assert(offsetof(a, fa) == offsetof(b, fb) && sizeof(((a *)0)->fa) == sizeof(((b *)0)->fb), \
                   #a "." #fa " is not where cprof_hot.h has it")
CPROF_HOT_SAME(cprof_thread, stack, cprof_hot_thread, stack);
CPROF_HOT_SAME(cprof_thread, nodes, cprof_hot_thread, nodes);
CPROF_HOT_SAME(cprof_thread, node_hash, cprof_hot_thread, node_hash);
CPROF_HOT_SAME(cprof_thread, depth, cprof_hot_thread, depth);
CPROF_HOT_SAME(cprof_thread, cap, cprof_hot_thread, cap);
CPROF_HOT_SAME(cprof_thread, hash_shift, cprof_hot_thread, hash_shift);
CPROF_HOT_SAME(cprof_thread, dropped_open, cprof_hot_thread, dropped_open);
CPROF_HOT_SAME(cprof_thread, cur, cprof_hot_thread, cur);
CPROF_HOT_SAME(cprof_thread, up, cprof_hot_thread, up);
CPROF_HOT_SAME(cprof_thread, slow, cprof_hot_thread, slow);
CPROF_HOT_SAME(cprof_node, parent, cprof_hot_node, parent);
CPROF_HOT_SAME(cprof_node, region, cprof_hot_node, region);
CPROF_HOT_SAME(cprof_node, period, cprof_hot_node, period);
CPROF_HOT_SAME(cprof_node, open, cprof_hot_node, open);
CPROF_HOT_SAME(cprof_node, pairs, cprof_hot_node, pairs);
CPROF_HOT_SAME(cprof_node, next_timed, cprof_hot_node, next_timed);
CPROF_HOT_SAME(cprof_node, kids, cprof_hot_node, kids);
_Static_assert(CPROF_NO_NODE == CPROF_HOT_NO_NODE, "CPROF_HOT_NO_NODE is not CPROF_NO_NODE");
_Static_assert(sizeof(cprof_node) == CPROF_HOT_NODE_SIZE, "CPROF_HOT_NODE_SIZE is not a node's size");

/* (cprof_tls, the calling thread's state, is declared in cprof_hot.h) */

/* Slow path of enter/exit: the calling thread's state, created on first use. */
cprof_thread *cprof_thread_current(void);
/* A state that is not in the process list (calibration). */
cprof_thread *cprof_thread_new_detached(void);
void cprof_thread_free(cprof_thread *t);
/* Grow the stack for one more frame; 0 or -1. */
int cprof_thread_reserve(cprof_thread *t);
/* Child node of `parent` for `region`, created if new. CPROF_NO_NODE on OOM. */
uint32_t cprof_node_child_slow(cprof_thread *t, uint32_t parent, uint32_t region);
void cprof_thread_init_once(void);
/* Calls fn for every thread state, under the list lock. */
void cprof_threads_foreach(void (*fn)(cprof_thread *, void *), void *arg);

int cprof_counters_thread_start(cprof_thread *t);
void cprof_counters_thread_stop(cprof_thread *t);
/* A failed read (the event set was torn down) counts nothing: zeros. */
void cprof_counters_read_failed(cprof_thread *t, long long *out);
/* The calling thread's built-in counters into out[cprof_n_active ..]. */
static inline __attribute__((always_inline)) void cprof_builtin_read(const cprof_thread *t, long long *out)
{
    for (int j = 0; j < t->nbuiltin; j++)
        out[cprof_n_active + j] = (long long)cprof_alloc_tls.v[cprof_builtin_src[j]];
}
/* Every counter the thread reads (t must be the calling thread's). Inline
 * so the hot path calls PAPI's read directly (measured: ~5 ns a pair). */
static inline void cprof_counters_read(cprof_thread *t, long long *out)
{
    cprof_builtin_read(t, out);
    if (t->nread && CPROF_UNLIKELY(cprof_papi_read(t->eventset, out) != PAPI_OK))
        cprof_counters_read_failed(t, out);
}
/* PAPI forgets the calling thread (at thread exit). */
void cprof_counters_thread_exit(void);

/* The home slot of (parent, region) in a table of 2^(64 - shift) slots:
 * the top bits of a Fibonacci hash of both (the low bits of a product
 * depend only on the low bits of the key: nodes 3 and 13 would share). */
static inline uint32_t cprof_node_hash(uint32_t parent, uint32_t region, uint32_t shift)
{
    return (uint32_t)(((uint64_t)parent << 32 | region) * 0x9E3779B97F4A7C15ull >> shift);
}

/* fork(): locks are taken in the dump's order (dump, thread list, registry). */
void cprof_thread_atfork_prepare(void);
void cprof_thread_atfork_parent(void);
void cprof_thread_atfork_child(void);
void cprof_registry_atfork_prepare(void);
void cprof_registry_atfork_parent(void);
void cprof_registry_atfork_child(void);
void cprof_dump_atfork_prepare(void);
void cprof_dump_atfork_parent(void);
void cprof_dump_atfork_child(void);
void cprof_mem_atfork_prepare(void);

/* ---- throttling (throttle.c): the sampling decisions, off the hot path ---- */
/* A new node's sampling state, from CPROF_SAMPLE or the adaptive rule. */
void cprof_throttle_node_init(cprof_thread *t, cprof_node *n);
/* A node's `timed` reached `check`: throttle it, or check again later. */
void cprof_throttle_decide(cprof_thread *t, cprof_node *n);
/* How many calls on a throttled node's next timed call is: 1 .. 2 * period - 1, mean period. */
static inline uint32_t cprof_throttle_draw(cprof_thread *t, uint32_t period)
{
    uint64_t x = t->rng;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    t->rng = x;
    return 1 + (uint32_t)(((x >> 32) * (uint64_t)(2 * period - 1)) >> 32);
}

/* ---- the cold paths' own time (cold.c): never charged to a region ---- */
/* Around work the runtime does for itself inside open regions (a new site,
 * a new call path, growth, a thread's first call): the open frames' starts
 * move past it, time and counters, so no region pays for it. */
typedef struct cprof_cold {
    int started;              /* 0: no thread state when it began, nothing to move */
    uint64_t t0;
    long long c0[CPROF_MAX_EVENTS];
} cprof_cold;
void cprof_cold_begin(cprof_thread *t, cprof_cold *c);
void cprof_cold_end(cprof_thread *t, const cprof_cold *c);

/* ---- the machine's PMU (pmu.c) ---- */
/* 1 if perf's sysfs lists PMUs and no CPU one among them (x86): hardware
 * presets cannot count here. 0 if there is one, or it cannot tell. */
int cprof_no_cpu_pmu(void);

/* ---- overhead calibration (calibrate.c) ---- */
typedef struct cprof_overhead {
    double ticks_per_pair, ticks_inside, ticks_untimed;
    double c_per_pair[CPROF_MAX_EVENTS], c_inside[CPROF_MAX_EVENTS], c_untimed[CPROF_MAX_EVENTS];
    /* an untimed call of a CPROF_SCOPE region, whose exit knows what its enter saw */
    double ticks_untimed_scope, c_untimed_scope[CPROF_MAX_EVENTS];
} cprof_overhead;
void cprof_calibrate(cprof_overhead *out);

/* ---- the open calls (region.c) ---- */
/* A place in the thread's open calls: cur and the timed frames below it. */
typedef struct cprof_open {
    uint32_t cur, depth;
} cprof_open;
/* The innermost open call at *p (of t's frames and `nodes`): 1 with its
 * site id, node and whether it is timed (then the frame at p->depth - 1),
 * and *p moved past it; 0 if there is none. */
int cprof_open_next(const cprof_thread *t, const cprof_node *nodes, cprof_open *p, uint32_t *id,
                    uint32_t *node, int *timed);
/* Closes the innermost open call of t into `nodes` (t->nodes or a dump's
 * copy): 0 if there was none. A timed one ends at t1 (c1: its counters,
 * or NULL). */
int cprof_close_innermost(cprof_thread *t, cprof_node *nodes, uint64_t t1, const long long *c1,
                          int complete);
/* The reasons `slow` is set, a byte each. */
enum {
    CPROF_SLOW_BUSY,      /* the thread is in the runtime's busy section */
    CPROF_SLOW_GATE,      /* cap 0 or dropped_open (cprof_hot_gate) */
    CPROF_SLOW_NO_NODE    /* cur is CPROF_NO_NODE (cprof_set_cur) */
};
static inline void cprof_slow_set(cprof_thread *t, int why, int on)
{
    __atomic_store_n(&t->slow_why[why], (uint8_t)on, __ATOMIC_RELAXED);
}
/* cur becomes x, and up its parent (x's node in `nodes`). The fast paths
 * read cur only with `slow` clear: it is set before cur is CPROF_NO_NODE
 * and cleared after cur is a node again. */
static inline void cprof_set_cur(cprof_thread *t, const cprof_node *nodes, uint32_t x)
{
    int none = x == CPROF_NO_NODE;
    if (none)
        cprof_slow_set(t, CPROF_SLOW_NO_NODE, 1);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    __atomic_store_n(&t->cur, x, __ATOMIC_RELEASE);   /* a dump on another thread reads it */
    t->up = x && !none ? nodes[x].parent : 0;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (!none && t->slow_why[CPROF_SLOW_NO_NODE])
        cprof_slow_set(t, CPROF_SLOW_NO_NODE, 0);
}
/* After cap or dropped_open changed: whether the fast paths may run. A
 * dropped enter's exit is skipped by the first exit that comes, so no call
 * may begin or end on the fast path while one waits. */
static inline void cprof_hot_gate(cprof_thread *t)
{
    cprof_slow_set(t, CPROF_SLOW_GATE, !t->cap || t->dropped_open);
}
/* The busy section: the flag the whole way reads, and `slow` for the fast
 * paths, on the state the thread has when it begins and when it ends (a
 * state made in between is made busy: cprof_thread_new_detached). */
static inline void cprof_busy_enter(void)
{
    cprof_busy = 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (cprof_tls)
        cprof_slow_set(cprof_tls, CPROF_SLOW_BUSY, 1);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}
static inline void cprof_busy_leave(void)
{
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (cprof_tls)
        cprof_slow_set(cprof_tls, CPROF_SLOW_BUSY, 0);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    cprof_busy = 0;
}
/* How many calls are open. */
uint32_t cprof_open_count(const cprof_thread *t, const cprof_node *nodes);

/* ---- SIGXFSZ around the dump's writes (xfsz.c) ---- */
typedef struct cprof_xfsz_guard {
    sigset_t old;             /* the program's mask, restored exactly */
    int blocked, was_pending;
} cprof_xfsz_guard;
void cprof_xfsz_block(cprof_xfsz_guard *g);
void cprof_xfsz_restore(cprof_xfsz_guard *g);

/* ---- the dump's temporary files (stale.c) ---- */
/* ".cprof-<host>-<pid>.<salt hex>.tmp" */
void cprof_temp_name(char *buf, size_t cap, uint64_t salt);
/* Removes temporaries of that form left by dead processes of this host. */
void cprof_remove_stale_temps(int dfd);

/* ---- where the process runs (host.c): read once at start-up ---- */
void cprof_host_init(void);
/* gethostname's name and the CPU model (/proc/cpuinfo, else uname's
 * machine): NULL when unknown. */
const char *cprof_host_name(void);
const char *cprof_host_cpu(void);
/* The host as the dump's file names hold it: [A-Za-z0-9._-], at most 64
 * bytes, "unknown" when gethostname said nothing. */
const char *cprof_host_file(void);
/* The process's rank in a parallel job (OMPI_COMM_WORLD_RANK, PMI_RANK,
 * PMIX_RANK, SLURM_PROCID: the first set and valid) and the job's size
 * from the same launcher: -1 when unknown. */
int cprof_host_rank(void);
int cprof_host_world_size(void);
/* The same read from the environment now (init and the tests). */
void cprof_rank_from_env(int *rank, int *size);
/* The CPU model in a /proc/cpuinfo text read from fd: 1, or 0 if none. */
int cprof_cpu_from_cpuinfo(int fd, char *out, size_t cap);

/* ---- the command line (cmdline.c): /proc/self/cmdline's bytes, NULs
 * between the arguments; how many were copied into buf ---- */
size_t cprof_cmdline(char *buf, size_t cap);

/* ---- dump (dump.c, json.c) ---- */
int cprof_dump_now(int at_exit);

#pragma GCC visibility pop
#endif
