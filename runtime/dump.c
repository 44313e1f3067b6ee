/*
 * dump.c: writes cprof-<host>-<pid>.json (format "cprof-1",
 * docs/dump-format.md): named by host too, so that the folders of the
 * processes of many hosts (an MPI job) can be put together.
 * The file is written under a temporary name created with O_EXCL|O_NOFOLLOW
 * and renamed into place without replacing anything this process did not
 * write itself. Failure is one line on stderr; the program never notices.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "derive.h"
#include "internal.h"
#include "json.h"

static pthread_mutex_t dump_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_name[128];    /* our own file in the output folder, "" if none */
static dev_t last_dev;         /* ... and which file it is: only that one is replaced */
static ino_t last_ino;
static char last_path[PATH_MAX];
static int calibrated;         /* the overhead is measured once, at the first dump */
static cprof_overhead overhead;

/* An active counter as the dump writes it, in the order of "events". */
typedef struct column {
    const char *name;
    int slot, kind;
} column;

typedef struct ctx {
    FILE *f;
    column cols[CPROF_MAX_EVENTS];
    int ncols;
    int slots;                 /* counter slots in use (cprof_counter_slots) */
    double ns;                 /* ns per tick */
    uint64_t now;              /* when the dump was asked for: open calls end here */
    long long c_now[CPROF_MAX_EVENTS];  /* the dumping thread's counters then */
    int first_thread;
    uint64_t open, unbalanced, dropped;
} ctx;

static unsigned long long to_ns(const ctx *c, uint64_t ticks)
{
    return (unsigned long long)((double)ticks * c->ns + 0.5);
}

static long long to_ns_signed(const ctx *c, int64_t ticks)
{
    return ticks < 0 ? -(long long)to_ns(c, (uint64_t)-ticks) : (long long)to_ns(c, (uint64_t)ticks);
}

/* A thread whose PAPI event set failed has no PAPI figures: left out. */
static void write_counters(const ctx *c, int has_papi, const long long *incl, const long long *excl)
{
    FILE *f = c->f;
    fputs("\"counters\": {", f);
    for (int i = 0, k = 0; i < c->ncols; i++) {
        const column *col = &c->cols[i];
        if (col->kind == CPROF_EV_PAPI && !has_papi)
            continue;
        fprintf(f, "%s", k++ ? ", " : "");
        cprof_json_str(f, col->name);
        fprintf(f, ": {\"incl\": %lld, \"excl\": %lld}", incl[col->slot], excl[col->slot]);
    }
    fputc('}', f);
}

/* Everything the thread counted of its built-in and user counters, inside
 * regions or not (allocations: since it started; user counts: since it
 * first entered a region or counted). */
static void write_totals(const ctx *c, const cprof_alloc_counts *alloc, const cprof_node *root,
                         const cprof_derived *d0)
{
    FILE *f = c->f;
    const char *sep = "";
    for (int i = 0; i < c->ncols; i++) {
        const column *col = &c->cols[i];
        long long v;
        if (col->kind == CPROF_EV_BUILTIN)
            v = (long long)alloc->v[cprof_builtin_src[col->slot - cprof_n_active]];
        else if (col->kind == CPROF_EV_USER)
            v = root->c_incl[col->slot] + d0->child_c[col->slot];
        else
            continue;
        fputs(*sep ? sep : ",\n     \"totals\": {", f);
        sep = ", ";
        cprof_json_str(f, col->name);
        fprintf(f, ": %lld", v);
    }
    if (*sep)
        fputc('}', f);
}

/* The figures a region and a tree node share. */
typedef struct figures {
    uint64_t calls, incl;
    int64_t excl;
    uint64_t min, max, child_calls, desc_calls;   /* time in ticks */
    uint64_t pairs, timed, child_timed, child_untimed;
    uint32_t period;
    const long long *c_incl, *c_excl;
} figures;

/* Throttling's fields, only where a call was not timed (docs/dump-format.md). */
static void write_sampling(FILE *f, const figures *x)
{
    if (x->timed < x->pairs)
        fprintf(f, "\"timed\": %llu, \"period\": %u, \"child_timed\": %llu, ",
                (unsigned long long)x->timed, x->period, (unsigned long long)x->child_timed);
    if (x->child_untimed)
        fprintf(f, "\"child_untimed\": %llu, ", (unsigned long long)x->child_untimed);
}

static void write_figures(ctx *c, const cprof_region_info *info, const figures *x, int has_papi)
{
    FILE *f = c->f;
    int has_min = x->min <= x->max;   /* a completed timed call */
    cprof_json_str(f, info->name);
    fputs(", \"file\": ", f);
    cprof_json_str(f, info->file);
    fprintf(f, ", \"line\": %d, \"calls\": %llu, \"incl_ns\": %llu, \"excl_ns\": %lld, "
               "\"min_ns\": %llu, \"max_ns\": %llu, \"child_calls\": %llu, \"desc_calls\": %llu, ",
            info->line, (unsigned long long)x->calls, to_ns(c, x->incl), to_ns_signed(c, x->excl),
            has_min ? to_ns(c, x->min) : 0, has_min ? to_ns(c, x->max) : 0,
            (unsigned long long)x->child_calls, (unsigned long long)x->desc_calls);
    write_sampling(f, x);
    write_counters(c, has_papi, x->c_incl, x->c_excl);
    fputc('}', f);
}

static void write_thread_tables(ctx *c, const cprof_thread *t, cprof_node *nodes,
                                const uint8_t *open)
{
    FILE *f = c->f;
    uint32_t nregions = cprof_registry_count();
    cprof_derived *d;
    cprof_region_sum *sum;
    cprof_scale_sampled(nodes, t->nnodes, c->slots, cprof_user_base);
    if (cprof_derive(nodes, t->nnodes, c->slots, cprof_user_base, nregions, open, &d, &sum) != 0) {
        fputs(", \"regions\": [], \"tree\": [], \"derive_error\": \"out of memory\"}", f);
        return;
    }
    write_totals(c, &t->alloc_final, &nodes[0], &d[0]);
    fputs(",\n     \"regions\": [", f);
    const char *sep = "";
    cprof_region_info info;
    for (uint32_t id = 1; id <= nregions; id++) {
        const cprof_region_sum *r = &sum[id];
        if (!r->pairs || !cprof_registry_get(id, &info))
            continue;
        fprintf(f, "%s\n       {\"id\": %u, \"pairs\": %llu, \"incl_calls\": %llu, \"name\": ",
                sep, id, (unsigned long long)r->pairs, (unsigned long long)r->incl_calls);
        figures x = { r->calls, r->incl, r->excl, r->min, r->max, r->child_calls,
                      r->desc_calls, r->pairs, r->timed, r->child_timed, r->child_untimed,
                      r->period, r->c_incl, r->c_excl };
        write_figures(c, &info, &x, t->nev > 0);
        sep = ",";
    }
    fputs("],\n     \"tree\": [", f);
    sep = "";
    for (uint32_t n = 1; n < t->nnodes; n++) {
        const cprof_node *y = &nodes[n];
        if (!cprof_registry_get(y->region, &info))
            continue;
        fprintf(f, "%s\n       {\"node\": %u, \"parent\": %u, %s\"pairs\": %llu, \"region\": ", sep,
                n, y->parent, open && open[n] ? "\"open\": true, " : "",
                (unsigned long long)y->pairs);
        figures x = { y->pairs - y->incomplete, y->incl, d[n].excl, y->min, y->max, d[n].child_pairs,
                      d[n].desc_pairs, y->pairs, y->timed, y->kids_timed, y->kids_untimed,
                      y->period, d[n].c_incl, d[n].c_excl };
        write_figures(c, &info, &x, t->nev > 0);
        sep = ",";
    }
    fputs("]}", f);
    free(d);
    free(sum);
}

/*
 * The dump is a consistent cut: every thread's figures are copied first, in
 * one short pass under the thread-list lock, and only the copies are
 * written. Nodes and calls a running thread adds after the cut are not read,
 * so the dump's time and memory are bounded by what existed when it began,
 * whatever other threads do meanwhile. Outgrown arrays are never freed while
 * a thread runs, and counts are published after what they count, so each
 * copy is whole; every figure is read as one atomic load.
 */
typedef struct cut {
    cprof_thread copy;        /* nnodes, nodes, depth, stack: copies */
    uint64_t at;              /* when they were taken: another thread's open calls end here */
    pid_t tid;
    char name[32];
    int finished, mine;
    uint32_t open_at_exit;
    char *counter_error;
} cut;

typedef struct cuts {
    cut *v;
    size_t n, cap;
    int slots;                /* counter slots to copy */
    int failed;               /* out of memory: threads left out */
} cuts;

/* A node as its (possibly running) thread has it now. */
static void load_node(cprof_node *to, const cprof_node *from, int slots)
{
    to->parent = from->parent;    /* set before the node was published */
    to->region = from->region;
    to->incomplete = CPROF_LOAD(&from->incomplete);
    to->pairs = CPROF_LOAD(&from->pairs);
    to->incl = CPROF_LOAD(&from->incl);
    to->min = CPROF_LOAD(&from->min);
    to->max = CPROF_LOAD(&from->max);
    to->timed = CPROF_LOAD(&from->timed);
    to->kids_timed = CPROF_LOAD(&from->kids_timed);
    to->kids_untimed = CPROF_LOAD(&from->kids_untimed);
    to->period = CPROF_LOAD(&from->period);
    to->over = CPROF_LOAD(&from->over);
    to->cap = CPROF_LOAD(&from->cap);   /* open calls are closed on the copy */
    for (int e = 0; e < slots; e++)
        to->c_incl[e] = CPROF_LOAD(&from->c_incl[e]);
}

/* A running thread's frames below its published depth are whole (region.c
 * publishes the depth last). Their start counts are another thread's to
 * read (PAPI writes them): only the dumping thread copies its own. */
static void load_frames(cprof_thread *copy, const cprof_frame *stack, int mine)
{
    for (uint32_t i = 0; i < copy->depth; i++) {
        cprof_frame *fr = &copy->stack[i];
        fr->id = CPROF_LOAD(&stack[i].id);
        fr->node = CPROF_LOAD(&stack[i].node);
        fr->t0 = CPROF_LOAD(&stack[i].t0);
        fr->timed = CPROF_LOAD(&stack[i].timed);
        /* a running thread's children counts are its own: an open call's
         * children show in the tree, not in its window counts */
        fr->kids_timed = mine ? stack[i].kids_timed : 0;
        fr->kids_untimed = mine ? stack[i].kids_untimed : 0;
        if (mine)
            memcpy(fr->c0, stack[i].c0, sizeof fr->c0);
    }
}

static int take_copy(cprof_thread *t, cprof_thread *copy, int mine, int slots)
{
    memset(copy, 0, sizeof *copy);
    copy->nev = copy->nread = t->nev;
    copy->nbuiltin = t->nbuiltin;
    for (int k = 0; k < CPROF_A_N; k++)   /* the thread's TLS, or its copy once it ended */
        copy->alloc_final.v[k] = CPROF_LOAD(&t->alloc->v[k]);
    uint32_t cap = __atomic_load_n(&t->cap, __ATOMIC_ACQUIRE);
    const cprof_frame *stack = __atomic_load_n(&t->stack, __ATOMIC_ACQUIRE);
    uint32_t depth = __atomic_load_n(&t->depth, __ATOMIC_ACQUIRE);
    copy->depth = depth < cap ? depth : cap;
    copy->nnodes = __atomic_load_n(&t->nnodes, __ATOMIC_ACQUIRE);
    const cprof_node *live = __atomic_load_n(&t->nodes, __ATOMIC_ACQUIRE);
    copy->nodes = malloc((size_t)copy->nnodes * sizeof *copy->nodes);
    copy->stack = malloc(((size_t)copy->depth + 1) * sizeof *copy->stack);
    if (!copy->nodes || !copy->stack) {
        free(copy->nodes), free(copy->stack);
        return -1;
    }
    /* Children first (they come after their parents): a call that ends
     * while we copy is then in its parent's copy, or its parent is still
     * open in the frames read next. */
    for (uint32_t n = copy->nnodes; n-- > 0;)
        load_node(&copy->nodes[n], &live[n], slots);
    load_frames(copy, stack, mine);
    return 0;
}

static void take_cut(cprof_thread *t, void *arg)
{
    cuts *cs = arg;
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 16;
        cut *v = realloc(cs->v, cap * sizeof *v);
        if (!v) {
            cs->failed = 1;
            return;
        }
        cs->v = v;
        cs->cap = cap;
    }
    cut *c = &cs->v[cs->n];
    c->mine = t == cprof_tls;
    if (take_copy(t, &c->copy, c->mine, cs->slots) != 0) {
        cs->failed = 1;
        return;
    }
    c->at = cprof_now();
    c->tid = t->tid;
    memcpy(c->name, t->name, sizeof c->name);
    c->finished = t->finished;
    c->open_at_exit = t->open_at_exit;
    c->counter_error = t->counter_error ? strdup(t->counter_error) : NULL;
    c->copy.unbalanced = CPROF_LOAD(&t->unbalanced);
    c->copy.dropped = CPROF_LOAD(&t->dropped);
    cs->n++;
}

/*
 * Calls still open are closed on the copy as incomplete calls: the dumping
 * thread's end at the moment of the dump (its own work is not theirs),
 * another thread's when its copy was taken, after the calls inside them
 * that the copy holds. The dumping thread's counters are read then; another
 * thread's cannot be, so its open calls are marked "open" and their counts
 * are only what their finished children counted.
 */
static void close_open_calls(ctx *c, cut *k, uint8_t *open)
{
    cprof_thread *copy = &k->copy;
    while (copy->depth) {
        cprof_frame *fr = &copy->stack[copy->depth - 1];
        if (fr->node >= copy->nnodes && fr->node != CPROF_NO_NODE)
            fr->node = CPROF_NO_NODE;        /* made after the cut */
        if (fr->node != CPROF_NO_NODE && !k->mine)
            open[fr->node] = 1;
        cprof_close_frame(copy, copy->nodes, k->mine ? c->now : k->at, k->mine ? c->c_now : NULL, 0);
    }
}

static void write_cut(ctx *c, cut *k)
{
    FILE *f = c->f;
    fprintf(f, "%s\n    {\"tid\": %d, \"name\": ", c->first_thread ? "" : ",", (int)k->tid);
    cprof_json_str(f, k->name);
    fprintf(f, ", \"finished\": %s, \"open\": %u, \"open_at_exit\": %u",
            k->finished ? "true" : "false", k->copy.depth, k->open_at_exit);
    if (k->counter_error) {
        fputs(", \"counter_error\": ", f);
        cprof_json_str(f, k->counter_error);
    }
    c->first_thread = 0;
    c->open += k->copy.depth + k->open_at_exit;
    c->unbalanced += k->copy.unbalanced;
    c->dropped += k->copy.dropped;
    uint8_t *open = calloc(k->copy.nnodes, 1);
    if (!open) {
        fputs(", \"regions\": [], \"tree\": [], \"derive_error\": \"out of memory\"}", f);
        return;
    }
    close_open_calls(c, k, open);
    write_thread_tables(c, &k->copy, k->copy.nodes, k->mine ? NULL : open);
    free(open);
}

static void write_threads(ctx *c)
{
    cuts cs = { .slots = c->slots };
    cprof_threads_foreach(take_cut, &cs);
    for (size_t i = 0; i < cs.n; i++) {
        write_cut(c, &cs.v[i]);
        free(cs.v[i].copy.nodes);
        free(cs.v[i].copy.stack);
        free(cs.v[i].counter_error);
    }
    free(cs.v);
    if (cs.failed)
        cprof_warn("the dump leaves out threads: out of memory");
}

static void write_command(FILE *f)
{
    char buf[4096];
    size_t n = cprof_cmdline(buf, sizeof buf - 1);
    while (n && buf[n - 1] == 0)
        n--;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == 0)
            buf[i] = ' ';
    buf[n] = 0;
    cprof_json_str(f, buf);
}

static void write_str_or_null(FILE *f, const char *s)
{
    if (s)
        cprof_json_str(f, s);
    else
        fputs("null", f);
}

/* Where it ran (host.c read it at start-up), so reports can tell machines
 * apart, and which rank of a parallel job it is, when it is one. */
static void write_place(FILE *f)
{
    fputs(",\n  \"host\": ", f);
    write_str_or_null(f, cprof_host_name());
    fputs(", \"cpu\": ", f);
    write_str_or_null(f, cprof_host_cpu());
    if (cprof_host_rank() >= 0)
        fprintf(f, ", \"rank\": %d", cprof_host_rank());
    if (cprof_host_rank() >= 0 && cprof_host_world_size() > 0)
        fprintf(f, ", \"world_size\": %d", cprof_host_world_size());
}

/* One entry of "events": the list asked for, then the user counters the
 * program counted without naming them there. */
typedef struct event_entry {
    const char *name, *reason;
    int active, slot, kind;
} event_entry;

static const char no_hook[] =
    "no allocation hook in this process: a Rust program needs #[global_allocator] "
    "static A: cprof::Alloc<std::alloc::System> = cprof::Alloc::new(std::alloc::System); "
    "(cargo profiler init --alloc adds it), a C or C++ program libcprof_alloc.so "
    "(LD_PRELOAD, or linked before libc)";

#define STR_(x) #x
#define STR(x) STR_(x)
static const char too_many[] = "more than " STR(CPROF_MAX_EVENTS) " counters in all";

/* The entries of "events" (caller frees), and the active ones as columns. */
static event_entry *event_entries(ctx *c, int *n)
{
    uint32_t nu = cprof_user_count();
    c->slots = cprof_counter_slots();   /* after: every counter listed has a slot below it */
    event_entry *v = malloc(((size_t)cprof_n_events + nu + 1) * sizeof *v);
    *n = 0;
    c->ncols = 0;
    if (!v)
        return NULL;
    int hooked = CPROF_LOAD(&cprof_alloc_seen);
    for (int e = 0; e < cprof_n_events; e++) {
        const cprof_event_state *s = &cprof_events[e];
        event_entry x = { s->name, s->reason, s->active, s->slot, s->kind };
        if (x.active && x.kind == CPROF_EV_BUILTIN && !hooked)
            x.active = 0, x.reason = no_hook;
        v[(*n)++] = x;
    }
    for (uint32_t i = 0; i < nu; i++) {
        cprof_user_info u;
        cprof_user_get(i, &u);
        if (!u.asked)
            v[(*n)++] = (event_entry){ u.name, u.slot < 0 ? too_many : NULL,
                                       u.slot >= 0, u.slot, CPROF_EV_USER };
    }
    for (int i = 0; i < *n; i++)
        if (v[i].active && c->ncols < CPROF_MAX_EVENTS)
            c->cols[c->ncols++] = (column){ v[i].name, v[i].slot, v[i].kind };
    return v;
}

static void write_events(ctx *c, const cprof_overhead *o, double ns)
{
    FILE *f = c->f;
    int n;
    event_entry *v = event_entries(c, &n);
    fputs(",\n  \"events\": [", f);
    for (int e = 0; e < n; e++) {
        fprintf(f, "%s{\"name\": ", e ? ", " : "");
        cprof_json_str(f, v[e].name);
        fprintf(f, ", \"active\": %s", v[e].active ? "true" : "false");
        if (v[e].reason) {
            fputs(", \"reason\": ", f);
            cprof_json_str(f, v[e].reason);
        }
        fputc('}', f);
    }
    free(v);
    fprintf(f, "],\n  \"overhead\": {\"ns_per_pair\": %.2f, \"ns_inside\": %.2f, \"ns_untimed\": %.2f",
            o->ticks_per_pair * ns, o->ticks_inside * ns, o->ticks_untimed * ns);
    static const char *const maps[] = { "counters", "counters_inside", "counters_untimed" };
    for (int pass = 0; pass < 3; pass++) {
        const double *v = pass == 0 ? o->c_per_pair : pass == 1 ? o->c_inside : o->c_untimed;
        fprintf(f, ", \"%s\": {", maps[pass]);
        for (int k = 0; k < c->ncols; k++) {
            fprintf(f, "%s", k ? ", " : "");
            cprof_json_str(f, c->cols[k].name);
            fprintf(f, ": %.2f", v[c->cols[k].slot]);
        }
        fputc('}', f);
    }
    fputc('}', f);
}

/* What CPROF_REGIONS left out, so that an empty selection can be explained. */
static void write_selection(FILE *f)
{
    if (!cprof_cfg.regions)
        return;
    fputs(",\n  \"filter\": ", f);
    cprof_json_str(f, cprof_cfg.regions);
    size_t shown, distinct;
    char **names = cprof_registry_unselected(1000, &shown, &distinct);
    fputs(", \"unselected\": [", f);
    for (size_t i = 0; i < shown; i++) {
        fputs(i ? ", " : "", f);
        cprof_json_str(f, names[i]);
    }
    fprintf(f, "], \"unselected_count\": %zu", distinct);
    free(names);
}

static int write_json(FILE *f, ctx *cp)
{
    ctx c = *cp;
    if (!calibrated) {
        cprof_calibrate(&overhead);
        calibrated = 1;
    }
    const cprof_overhead *o = &overhead;
    c.f = f;
    c.ns = cprof_clock_ns_per_tick();
    uint64_t now = c.now;
    fprintf(f, "{\"format\": \"%s\", \"version\": \"%s\", \"pid\": %d, \"ppid\": %d,\n  \"command\": ",
            CPROF_DUMP_FORMAT, CPROF_VERSION, (int)getpid(), (int)getppid());
    write_command(f);
    write_place(f);
    fprintf(f, ",\n  \"clock\": \"%s\"", cprof_clock_name());
    if (cprof_clock_is_tsc)
        fprintf(f, ", \"tsc_ghz\": %.6f", 1.0 / c.ns);
    fprintf(f, ", \"wall_ns\": %llu", to_ns(&c, now - cprof_clock_start_ticks()));
    write_events(&c, o, c.ns);
    fputs(",\n  \"threads\": [", f);
    write_threads(&c);
    fprintf(f, "],\n  \"errors\": {\"unbalanced\": %llu, \"open\": %llu, \"dropped\": %llu, "
               "\"reentrant\": %llu}",
            (unsigned long long)c.unbalanced, (unsigned long long)c.open,
            (unsigned long long)c.dropped, (unsigned long long)CPROF_LOAD(&cprof_reentrant));
    write_selection(f);
    fputs("}\n", f);
    return ferror(f) ? -1 : 0;
}

/* Moves tmp to its final name: our own earlier dump is replaced, nothing else. */
static int place(int dfd, const char *tmp, char *name, size_t cap)
{
    struct stat st;
    if (last_name[0] && fstatat(dfd, last_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        st.st_dev == last_dev && st.st_ino == last_ino) {
        snprintf(name, cap, "%s", last_name);
        return renameat(dfd, tmp, dfd, name);
    }
    for (int k = 0; k < 1000; k++) {
        if (k)
            snprintf(name, cap, "cprof-%s-%d.%d.json", cprof_host_file(), (int)getpid(), k);
        else
            snprintf(name, cap, "cprof-%s-%d.json", cprof_host_file(), (int)getpid());
        if (renameat2(dfd, tmp, dfd, name, RENAME_NOREPLACE) == 0)
            return 0;
        if (errno == EEXIST)
            continue;
        if (errno != EINVAL && errno != ENOSYS)
            return -1;
        /* No RENAME_NOREPLACE on this file system: link() never replaces either. */
        if (linkat(dfd, tmp, dfd, name, 0) == 0) {
            unlinkat(dfd, tmp, 0);
            return 0;
        }
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}

int cprof_dump_now(int at_exit)
{
    (void)at_exit;
    /* First: the dump's own work must not count in the caller's open regions. */
    ctx c = { .now = cprof_now(), .first_thread = 1 };
    cprof_thread *me = cprof_tls;
    if (me)
        cprof_counters_read(me, c.c_now);
    const char *dir = cprof_cfg.output;
    pthread_mutex_lock(&dump_lock);
    cprof_xfsz_guard xfsz;
    cprof_xfsz_block(&xfsz);
    int rc = -1;
    char tmp[192], name[sizeof last_name];
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        cprof_warn("cannot write the dump: %s: %s", dir, strerror(errno));
        goto out;
    }
    cprof_remove_stale_temps(dfd);
    int fd = -1;
    for (int k = 0; k < 100 && fd < 0; k++) {
        cprof_temp_name(tmp, sizeof tmp, cprof_now() + (uint64_t)k);
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        cprof_warn("cannot write the dump in %s: %s", dir, strerror(errno));
        close(dfd);
        goto out;
    }
    FILE *f = fdopen(fd, "w");
    /* Numbers in JSON have a decimal point, whatever the program's locale. */
    locale_t cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t prev = cloc ? uselocale(cloc) : (locale_t)0;
    errno = 0;
    int werr = f ? write_json(f, &c) : -1;
    if (cloc) {
        uselocale(prev);
        freelocale(cloc);
    }
    int saved = errno;
    if (f ? fclose(f) != 0 : close(fd) != 0) {
        werr = -1;
        saved = errno;
    }
    if (werr != 0) {
        cprof_warn("cannot write the dump in %s: %s%s", dir, strerror(saved ? saved : EIO),
                   saved == EFBIG ? " (the file size limit, ulimit -f)" : "");
        unlinkat(dfd, tmp, 0);
    } else if (place(dfd, tmp, name, sizeof name) != 0) {
        cprof_warn("cannot write the dump %s/cprof-%s-%d.json: %s", dir, cprof_host_file(),
                   (int)getpid(), strerror(errno));
        unlinkat(dfd, tmp, 0);
    } else {
        struct stat st;
        snprintf(last_name, sizeof last_name, "%s", name);
        snprintf(last_path, sizeof last_path, "%s/%s", dir, name);
        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            last_dev = st.st_dev;
            last_ino = st.st_ino;
        }
        rc = 0;
    }
    close(dfd);
out:
    cprof_xfsz_restore(&xfsz);
    pthread_mutex_unlock(&dump_lock);
    return rc;
}

void cprof_dump_atfork_prepare(void)
{
    pthread_mutex_lock(&dump_lock);
}

void cprof_dump_atfork_parent(void)
{
    pthread_mutex_unlock(&dump_lock);
}

void cprof_dump_atfork_child(void)
{
    /* The parent's file is not ours to replace. */
    last_name[0] = 0;
    last_path[0] = 0;
    pthread_mutex_unlock(&dump_lock);
}

CPROF_API int cprof_dump(void)
{
    if (cprof_busy) {
        cprof_count_reentrant();   /* a handler that interrupted the runtime */
        return -1;
    }
    int saved = errno;   /* the program's errno comes out as it went in */
    CPROF_BUSY_ENTER();
    int rc = cprof_ensure_init() ? cprof_dump_now(0) : 0;
    CPROF_BUSY_LEAVE();
    errno = saved;
    return rc;
}

/*
 * Every path handed out stays valid and unchanged for the life of the
 * process (another thread's dump may change last_path meanwhile). Not a
 * thread-local buffer: 4 KB of static TLS would make libcprof.so fail to
 * dlopen ("cannot allocate memory in static TLS block"). A process writes
 * one or two dump names, so the list stays short.
 */
typedef struct published {
    struct published *next;
    char path[];
} published;
static published *paths;

CPROF_API const char *cprof_dump_path(void)
{
    const char *r = NULL;
    pthread_mutex_lock(&dump_lock);
    if (last_path[0]) {
        published *p = paths;
        while (p && strcmp(p->path, last_path) != 0)
            p = p->next;
        if (!p && (p = malloc(sizeof *p + strlen(last_path) + 1)) != NULL) {
            strcpy(p->path, last_path);
            p->next = paths;
            paths = p;
        }
        r = p ? p->path : NULL;
    }
    pthread_mutex_unlock(&dump_lock);
    return r;
}
