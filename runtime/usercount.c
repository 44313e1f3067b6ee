/*
 * usercount.c: user counters (user::NAME). cprof_count adds to the node of
 * the calling thread's innermost open region (the root when none is open),
 * so a node holds what was counted while it was innermost: its exclusive
 * figure, exactly; inclusive figures are summed up the tree at dump time
 * (derive.c). Enter and exit do nothing for them, so a program pays only
 * where it counts. A site caches its slot, like a region site its id.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* More names than slots are remembered, so that the dump can name them. */
#define MAX_USERS 64

int cprof_user_base;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static cprof_user_info users[MAX_USERS];
static uint32_t n_users;
static int n_slots;               /* users that have a slot */
static int warned_full;

/* The id of user::bare (slot + 1, or CPROF_ID_OFF), registered if new. */
uint32_t cprof_user_register(const char *bare, int asked)
{
    char name[256];
    snprintf(name, sizeof name, "user::%s", bare);
    uint32_t id = CPROF_ID_OFF;
    pthread_mutex_lock(&lock);
    uint32_t i = 0;
    while (i < n_users && strcmp(users[i].name, name) != 0)
        i++;
    if (i == n_users && n_users < MAX_USERS) {
        char *copy = cprof_mem_strdup(name);
        if (copy) {
            int slot = cprof_user_base + n_slots < CPROF_MAX_EVENTS ? cprof_user_base + n_slots++ : -1;
            users[i] = (cprof_user_info){ copy, slot, asked };
            __atomic_store_n(&n_users, n_users + 1, __ATOMIC_RELEASE);
            if (slot < 0)
                cprof_warn_once(&warned_full, "%s is not counted: more than %d counters in all "
                                "(PAPI, cprof:: and user:: ones; further ones not named here)",
                                name, CPROF_MAX_EVENTS);
        }
    }
    if (i < n_users && users[i].slot >= 0)
        id = (uint32_t)users[i].slot + 1;
    pthread_mutex_unlock(&lock);
    return id;
}

uint32_t cprof_user_count(void)
{
    return __atomic_load_n(&n_users, __ATOMIC_ACQUIRE);
}

/* Entries below the published count are whole and never change. */
void cprof_user_get(uint32_t index, cprof_user_info *out)
{
    *out = users[index];
}

int cprof_counter_slots(void)
{
    pthread_mutex_lock(&lock);
    int n = cprof_user_base + n_slots;
    pthread_mutex_unlock(&lock);
    return n;
}

static CPROF_COLD uint32_t resolve(cprof_counter_site *site)
{
    int saved = errno;
    int on = cprof_ensure_init();
    uint32_t id = CPROF_ID_OFF;
    if (on && CPROF_LOAD(&cprof_exiting)) {
        errno = saved;
        return id;   /* the exit's dump has begun: no new counter, and no "no" kept */
    }
    if (on)
        id = cprof_user_register(site->name ? site->name : "?", 0);
    __atomic_store_n(&site->id, id, __ATOMIC_RELEASE);
    errno = saved;
    return id;
}

static CPROF_COLD cprof_thread *thread_slow(void)
{
    int saved = errno;
    cprof_thread *t = cprof_thread_current();
    errno = saved;
    return t;
}

CPROF_API void cprof_count(cprof_counter_site *site, int64_t n)
{
    if (CPROF_UNLIKELY(cprof_busy)) {
        cprof_count_reentrant();   /* a handler that interrupted the runtime */
        return;
    }
    CPROF_BUSY_ENTER();
    uint32_t id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
    if (CPROF_UNLIKELY(id == 0))
        id = resolve(site);
    cprof_thread *t = cprof_tls;
    if (!(id & CPROF_ID_OFF) && CPROF_UNLIKELY(!t))
        t = thread_slow();
    if (!(id & CPROF_ID_OFF) && t) {
        uint32_t node = t->cur;   /* the innermost open call's */
        if (CPROF_LIKELY(node != CPROF_NO_NODE)) {
            long long *c = &t->nodes[node].c_incl[id - 1];
            CPROF_STORE(c, *c + (long long)n);
        }
    }
    CPROF_BUSY_LEAVE();
}
