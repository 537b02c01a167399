/* Whether curses can drive the terminal, asked before it is started: initscr() on an
 * unknown TERM prints its own message and exits, and the monitor starts curses on a
 * thread of its own (ui.c). A file of its own because <term.h> defines macros (lines,
 * columns, ...) that the rest of the UI uses as names. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

#include "ui/term_check.h"

bool ui_terminal_known(char *err, size_t cap)
{
    int code = 0;
    if (setupterm(NULL, STDOUT_FILENO, &code) != OK) {
        const char *t = getenv("TERM");
        const char *why = code == 1   ? "cannot draw on the hardcopy terminal type"
                          : code == 0 ? "unknown terminal type"
                                      : "no terminfo database for the terminal type";
        snprintf(err, cap,
                 "%s '%s' (TERM): set TERM to one the terminfo database knows (e.g. "
                 "xterm-256color), or use --batch",
                 why, t && *t ? t : "");
        return false;
    }
    del_curterm(cur_term); /* initscr() sets up its own */
    return true;
}
