#include "ui/layout.h"

#include <string.h>

static int cpu_columns(int cols, int n_cpu, int avail)
{
    if (n_cpu <= 1 || cols < 80)
        return 1;
    int c = 2;
    if (n_cpu >= 16 && cols >= 160)
        c = 4;
    if (n_cpu >= 64 && cols >= 240)
        c = 8;
    /* many CPUs on a short screen: more, narrower meters (at least 20 columns each) */
    int max_rows = avail / 3 > 1 ? avail / 3 : 1;
    while ((n_cpu + c - 1) / c > max_rows && cols / (c * 2) >= 20)
        c *= 2;
    return c;
}

void layout_compute(int lines, int cols, int n_cpu, int n_ifaces, struct layout *out)
{
    memset(out, 0, sizeof(*out));
    out->lines = lines;
    out->cols = cols;
    int avail = lines - 2; /* status line and key bar */
    if (cols < LAYOUT_MIN_COLS || avail < 4) {
        out->too_small = true;
        return;
    }
    if (n_cpu < 1)
        n_cpu = 1;
    out->info_split = cols >= 80;
    out->info_rows = out->info_split ? 3 : 5;
    out->cpu_cols = cpu_columns(cols, n_cpu, avail);
    out->cpu_rows = (n_cpu + out->cpu_cols - 1) / out->cpu_cols;

    int iface_want = 1 + (n_ifaces > 0 ? n_ifaces : 1);
    int iface_cap = avail / 3 > 3 ? avail / 3 : 3;
    if (iface_want > iface_cap)
        iface_want = iface_cap;
    int header = out->cpu_rows + out->info_rows;
    int iface = iface_want;

    if (header + iface + LAYOUT_PROCS_MIN > avail) { /* the interface panel gives way first */
        iface = avail - header - LAYOUT_PROCS_MIN;
        if (iface < 2)
            iface = 0;
    }
    if (header + iface + LAYOUT_PROCS_MIN > avail) { /* then the per-CPU meters */
        out->cpu_rows = 0;
        header = out->info_rows;
    }
    if (header + iface + LAYOUT_PROCS_MIN > avail) { /* then the info block */
        out->info_rows = out->info_split ? 2 : 3;
        header = out->info_rows;
    }
    if (header + iface + LAYOUT_PROCS_MIN > avail) {
        out->info_rows = 1;
        header = 1;
    }
    int procs = avail - header - iface;
    if (procs < 2) {
        out->too_small = true;
        return;
    }
    out->header_y = 0;
    out->header_h = header;
    out->procs_y = header;
    out->procs_h = procs;
    out->ifaces_y = header + procs;
    out->ifaces_h = iface;
    out->status_y = lines - 2;
    out->fkeys_y = lines - 1;
}
