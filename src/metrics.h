/* Prometheus text exposition (format 0.0.4) of a snapshot: pure, no I/O. Names, types and
 * labels per ../shared/spec/interface.md, "Prometheus export". */
#ifndef VIGIL_METRICS_H
#define VIGIL_METRICS_H

#include <stddef.h>

#include "probe/snapshot.h"
#include "probe/view.h"
#include "strbuf.h"

struct metrics_config {
    long clk_tck;         /* USER_HZ: CPU ticks per second (sysconf(_SC_CLK_TCK)) */
    size_t top_processes; /* per-process series for the top N by CPU; 0 = none */
    /* which processes those N are ranked among (-p, -u: view_selects_process); NULL for
     * all. The machine-wide families always count every process. */
    const struct view_options *only;
};

/* Appends the exposition of s to out. Families without a sample (no interface with a
 * known speed, no per-process series) are left out entirely. */
void metrics_render(const struct snapshot *s, const struct metrics_config *cfg, struct strbuf *out);

/* Writes v as a Prometheus sample value ("NaN", "+Inf", integers without a fraction,
 * otherwise the shortest text that reads back as the same double) into buf; returns its
 * length. cap of 32 is always enough. */
size_t metrics_format_value(double v, char *buf, size_t cap);

#endif
