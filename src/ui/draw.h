/* Curses drawing helpers shared by the panels: theme styles as curses attributes, line
 * glyphs (UTF-8 or ASCII), and text put clipped to a width. Text from the system goes
 * through draw_untrusted, which escapes it; draw_text is for text vigil wrote itself. */
#ifndef VIGIL_UI_DRAW_H
#define VIGIL_UI_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "ui/theme.h"

struct glyphs {
    const char *hline, *vline, *tl, *tr, *bl, *br; /* box */
    const char *up, *down;                         /* sort indicator */
    const char *ellipsis;
};

/* Sets the styles from t; colours only when use_color and the terminal has them.
 * Returns whether colours are in use. */
bool draw_init_theme(const struct theme *t, bool use_color);
attr_t draw_style(enum theme_elem e);
bool draw_colors(void); /* colours in use (else distinct characters mark meter parts) */

void draw_set_utf8(bool utf8);
bool draw_utf8(void);
const struct glyphs *draw_glyphs(void);

/* Puts safe text at (y, x), at most w columns; returns the columns used. */
int draw_text(int y, int x, int w, attr_t attr, const char *s);
/* printf into a line buffer, then draw_text. */
int draw_textf(int y, int x, int w, attr_t attr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Escapes len bytes of untrusted text (NUL as space when nul_as_space) and puts them. */
int draw_untrusted(int y, int x, int w, attr_t attr, const char *s, size_t len, bool nul_as_space);
/* Fills w columns with spaces. */
void draw_fill(int y, int x, int w, attr_t attr);
/* A box with a title; the inside is cleared. */
void draw_box(int y, int x, int h, int w, attr_t border, attr_t title_attr, const char *title);

#endif
