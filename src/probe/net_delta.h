/* Interface traffic rates between two samples. Pure. */
#ifndef VIGIL_NET_DELTA_H
#define VIGIL_NET_DELTA_H

#include <stddef.h>

#include "probe/snapshot.h"

/* Sets rx/tx_bytes_per_s of each interface in cur from the interface with the same index
 * and name in prev over dt seconds. No match (new or re-created interface), a counter
 * that went backwards (wrap, reset) or dt <= 0 gives 0, never a negative or absurd rate. */
void net_rates_compute(const struct iface *prev, size_t n_prev, struct iface *cur, size_t n_cur,
                       double dt);

#endif
