/* Screen arithmetic: where the header, the process panel, the interface panel, the
 * status line and the function-key bar go for a terminal size. Pure. On a short terminal
 * the interface panel shrinks first, then the header compacts, and the process list keeps
 * its minimum; below that the layout is "too small" and a notice is drawn instead. */
#ifndef VIGIL_UI_LAYOUT_H
#define VIGIL_UI_LAYOUT_H

#include <stdbool.h>

#define LAYOUT_MIN_COLS  20
#define LAYOUT_PROCS_MIN 5 /* column header + four rows before the header gives way */

struct layout {
    bool too_small;
    int lines, cols;
    int header_y, header_h;
    int cpu_cols, cpu_rows; /* per-CPU meter grid; 0 rows when only the average shows */
    int info_rows;          /* average/memory/swap and tasks/load/uptime rows */
    bool info_split;        /* meters on the left half, text on the right */
    int procs_y, procs_h;   /* the column-header line included */
    int ifaces_y, ifaces_h; /* the column-header line included; 0 when hidden */
    int status_y, fkeys_y;
};

void layout_compute(int lines, int cols, int n_cpu, int n_ifaces, struct layout *out);

#endif
