/* Prometheus exporter (--export prometheus). */
#ifndef VIGIL_EXPORT_H
#define VIGIL_EXPORT_H

#include "cli.h"

/* Serves /metrics until SIGINT/SIGTERM; returns the process exit status (0 on a clean
 * stop, 1 when the address cannot be bound or libmicrohttpd cannot be loaded, 2 for a
 * malformed --listen). */
int export_run(const struct options *opts);

#endif
