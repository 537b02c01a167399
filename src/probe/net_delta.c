/* Interface byte rates between two samples. Counters only grow while an interface
 * lives; one that went backwards was wrapped (32-bit drivers), reset or re-created, and
 * the bytes since then are unknown, so that direction restarts at 0 for one interval. */
#include "probe/net_delta.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

static double rate(uint64_t before, uint64_t now, double dt)
{
    if (now < before)
        return 0;
    double r = (double)(now - before) / dt;
    return isfinite(r) ? r : 0;
}

static bool sorted_by_index(const struct iface *a, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (a[i - 1].index >= a[i].index)
            return false;
    return true;
}

/* The platform lists interfaces sorted by index; a caller-built array may not be. */
static const struct iface *find_prev(const struct iface *prev, size_t n, bool sorted, int index)
{
    if (!sorted) {
        for (size_t i = 0; i < n; i++)
            if (prev[i].index == index)
                return &prev[i];
        return NULL;
    }
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (prev[mid].index == index)
            return &prev[mid];
        if (prev[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void net_rates_compute(const struct iface *prev, size_t n_prev, struct iface *cur, size_t n_cur,
                       double dt)
{
    bool sorted = sorted_by_index(prev, n_prev);
    bool dt_ok = dt > 0 && isfinite(dt);
    for (size_t i = 0; i < n_cur; i++) {
        struct iface *c = &cur[i];
        c->rx_bytes_per_s = c->tx_bytes_per_s = 0;
        const struct iface *p = dt_ok ? find_prev(prev, n_prev, sorted, c->index) : NULL;
        /* Same index, other name: a different interface took the number. */
        if (!p || strcmp(p->name, c->name) != 0)
            continue;
        c->rx_bytes_per_s = rate(p->rx_bytes, c->rx_bytes, dt);
        c->tx_bytes_per_s = rate(p->tx_bytes, c->tx_bytes, dt);
    }
}
