/* trust.c: see trust.h. */
#include "model/trust.h"

#include <math.h>

/* pairs / timed, rounded, at least 2; 0 when every pair was timed. */
static unsigned long sampling(uint64_t pairs, uint64_t timed)
{
    if (timed >= pairs || !timed)
        return 0;
    double n = (double)pairs / (double)timed + 0.5;
    return n < 2 ? 2 : (unsigned long)n;
}

static double share(int64_t raw, int64_t oh)
{
    if (raw <= 0 || oh <= 0)
        return 0;
    double s = (double)oh / (double)raw;
    return s > 1 ? 1 : s;
}

double prof_share_shown(double share)
{
    return round(share * 1000) / 1000;
}

unsigned long prof_entry_sampling(const prof_entry *e)
{
    return sampling(e->pairs, e->timed);
}

double prof_entry_overhead_share(const prof_entry *e)
{
    return share(e->raw_incl, e->oh_incl);
}

unsigned long prof_node_sampling(const prof_node *n)
{
    return sampling(n->pairs, n->timed);
}

double prof_node_overhead_share(const prof_node *n)
{
    return share(n->raw_incl, n->oh_incl);
}

int prof_entry_low_trust(const prof_model *m, const prof_entry *e)
{
    if (prof_entry_overhead_share(e) > PROF_TRUST_SHARE)
        return 1;
    return e->calls && m->clock_floor_ns > 0 && (double)e->incl[0] / (double)e->calls < m->clock_floor_ns;
}

void prof_node_add_trust(prof_node *n, const prof_node *from)
{
    n->pairs = prof_addu(n->pairs, from->pairs);
    n->timed = prof_addu(n->timed, from->timed);
    if (from->period > n->period)
        n->period = from->period;
    n->raw_self = prof_add(n->raw_self, from->raw_self);
    n->oh_self = prof_add(n->oh_self, from->oh_self);
    n->fitted |= from->fitted;
}

void prof_trust_notes(prof_model *m)
{
    size_t sampled = 0, low = 0;
    for (size_t i = 0; i < m->n_entries; i++) {
        sampled += prof_entry_sampled(&m->entries[i]);
        low += prof_entry_low_trust(m, &m->entries[i]);
    }
    if (sampled)
        prof_model_note(m, "~ sampled: %zu region%s timed 1 call in N (throttled: short and called often, or CPROF_SAMPLE); "
                        "calls are exact, times and counters scaled from the timed calls "
                        "(CPROF_THROTTLE=off times every call)", sampled, sampled == 1 ? "" : "s");
    if (low)
        prof_model_note(m, "! %zu region%s: more than %.0f%% of the measured time is the profiler's own, or "
                        "a call is shorter than the clock resolves: the figures are estimates; remove "
                        "#[profile] from the tiny functions in them (or trust their calls, not their time)",
                        low, low == 1 ? "" : "s", PROF_TRUST_SHARE * 100);
    const char *its = m->fitted_paths == 1 ? "its" : "their";
    if (m->fitted_paths)
        prof_model_note(m, "fit: %zu call path%s measured less time than %s throttled children's estimates add "
                        "up to: %s own time reads 0 and %s children are scaled down to fit (CPROF_THROTTLE=off "
                        "times every call)", m->fitted_paths, m->fitted_paths == 1 ? "" : "s", its, its, its);
}
