/* The process inspector in the monitor (issue 7): Enter on a process opens a scrollable
 * page of everything vigil knows about it (probe/details.h); Esc returns to the list with
 * the selection kept. The details are read only while the inspector is open: once when
 * it opens and then on the refresh timer. Enter on a child (or a zombie's parent) opens
 * that process; `a` sets the inspected process's CPU affinity. */
#ifndef VIGIL_UI_INSPECT_H
#define VIGIL_UI_INSPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "probe/action.h"
#include "probe/details.h"
#include "ui/theme.h"

struct monitor;

/* One line of the page: raw text (escaped when drawn), its style, and the process
 * Enter opens from it (pid 0: none). */
struct inspect_line {
    char *text; /* owned */
    enum theme_elem style;
    struct proc_ident jump;
};

struct inspect_lines {
    struct inspect_line *v; /* owned */
    size_t n, cap;
};

/* Builds the page for d (gone: the process has exited since; the last reading is
 * shown under a note saying so). Pure: no curses, no I/O. */
void inspect_lines_build(const struct proc_details *d, bool gone, struct inspect_lines *out);
void inspect_lines_done(struct inspect_lines *l); /* NULL-safe */

struct inspect {
    struct proc_ident id;
    struct proc_details cur; /* the last successful read */
    bool have;               /* cur holds a reading */
    bool gone;               /* the last read found the process gone */
    struct inspect_lines lines;
    size_t cursor; /* the highlighted line */
    size_t top;    /* the first line on screen */
};

/* Opens the inspector on id (reads its details now). false, with a status message, when
 * the process is gone or the source cannot read details. */
bool inspect_open(struct monitor *m, const struct proc_ident *id);
void inspect_close(struct monitor *m);
/* Reads the details again (the refresh timer); rates cover the time since the last read. */
void inspect_refresh(struct monitor *m);
/* Keys while the inspector is shown; true when the screen must be redrawn. */
bool inspect_key(struct monitor *m, int key);
/* Draws the page between the header and the status line. */
void panel_inspect_draw(struct monitor *m);

#endif
