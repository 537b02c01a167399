/* STUB: replaced by the Prometheus exporter. */
#include "export.h"

#include <stdio.h>

int export_run(const struct options *opts)
{
    (void)opts;
    fputs("vigil: the Prometheus exporter is not built yet\n", stderr);
    return 1;
}
