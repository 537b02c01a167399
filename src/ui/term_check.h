/* Whether curses can drive the terminal (term_check.c). Apart from ui.h: the file that
 * implements it includes <term.h>, whose macros clash with the other headers' names. */
#ifndef VIGIL_TERM_CHECK_H
#define VIGIL_TERM_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* Whether curses knows the terminal ($TERM); if not, a one-line reason in err. */
bool ui_terminal_known(char *err, size_t cap);

#endif
