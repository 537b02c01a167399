/* The process panel's columns: names (for the config file), titles, widths, which sort
 * key each one shows, which detail fields it needs, and the text of each cell. Pure; the
 * panel draws what these return. */
#ifndef VIGIL_UI_COLUMNS_H
#define VIGIL_UI_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "probe/snapshot.h"
#include "probe/view.h"

enum ucol {
    UCOL_PID,
    UCOL_PPID,
    UCOL_USER,
    UCOL_PRI,
    UCOL_NI,
    UCOL_VIRT,
    UCOL_RES,
    UCOL_SHR,
    UCOL_STATE,
    UCOL_CPU,
    UCOL_MEM,
    UCOL_TIME,
    UCOL_IO,
    UCOL_THREADS,
    UCOL_TTY,
    UCOL_START,
    UCOL_IO_READ,
    UCOL_IO_WRITE,
    UCOL_COMMAND, /* always last and always shown: it takes the remaining width */
    UCOL_COUNT
};

struct ucol_def {
    const char *name;  /* config name: "pid", "user", ... */
    const char *title; /* header text: "PID", "USER", ... */
    int width;         /* fixed width; 0 for the command (the rest of the line) */
    bool right;        /* right-aligned */
    int sort;          /* enum sort_key this column shows, -1 when it sorts on nothing */
    unsigned need;     /* PROC_F_* the cell needs filled */
};

const struct ucol_def *ucol_def(enum ucol c);
int ucol_parse(const char *name); /* enum ucol or -1 */

/* Bit (1u << c) per visible column; the command is always included. */
unsigned ucol_default_mask(void);
/* Parses "pid,user,cpu,command" (spaces allowed) into a mask. Returns 0, or -1 with the
 * offending name in err. */
int ucol_parse_list(const char *list, unsigned *mask, char *err, size_t errlen);
size_t ucol_format_list(unsigned mask, char *buf, size_t cap);

/* PROC_F_* needed to draw the visible columns. */
unsigned ucol_need(unsigned mask);

/* The visible column that shows sort key k, or -1 (no visible column shows it). */
int ucol_for_sort(unsigned mask, enum sort_key k);
/* Next / previous sortable visible column's key after k (wrapping); k itself when none. */
enum sort_key ucol_sort_step(unsigned mask, enum sort_key k, int dir);

/* Screen x of each visible column for a panel cols wide (x[c] = -1 when hidden; columns
 * past the right edge keep their x), one space apart. Returns the command's width (0
 * when nothing is left for it). */
int ucol_positions(unsigned mask, int cols, int x[UCOL_COUNT]);
/* The visible column under screen x, or -1. */
int ucol_at(unsigned mask, int cols, int x);

struct ucol_ctx {
    bool utf8;
    double now; /* epoch seconds, for START */
};

/* Text of one fixed-width cell (not the command), unpadded and already safe to draw. */
size_t ucol_cell(enum ucol c, const struct proc_entry *p, const struct ucol_ctx *ctx, char *buf,
                 size_t cap);

/* The command as shown: the command line (arguments joined by spaces), the name in
 * brackets for kernel threads and processes without one, "[name] <defunct>" for zombies;
 * escaped and clipped to max_cols. */
size_t ucol_command(const struct proc_entry *p, bool utf8, int max_cols, char *buf, size_t cap);

/* The command of a thread row: the thread's name in braces, as pstree shows threads
 * ("{vgl-worker-1}"), so it reads as a thread without colour too; with owner (list view,
 * where the process is not right above) followed by " of PID (name)" of its process.
 * Escaped and clipped to max_cols. */
size_t ucol_thread_command(const struct proc_entry *t, const struct proc_entry *owner, bool utf8,
                           int max_cols, char *buf, size_t cap);

/* Tree branches for a row ("│ ├─ " / "| |- "); empty at depth 0. max_depth caps the
 * levels drawn (deeper rows keep the last level's indentation). */
size_t ucol_tree_prefix(const struct view_row *row, bool utf8, char *buf, size_t cap);

/* Case-insensitive match of needle in the name or the command line (arguments joined by
 * spaces). An empty needle matches everything. */
bool ucol_match(const struct proc_entry *p, const char *needle);

#endif
