#include "ui/draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui/format.h"

static attr_t styles[TH_COUNT];
static bool colors_on;
static bool utf8_on;

static const struct glyphs glyphs_utf8 = {
    "\u2500", "\u2502", "\u250c", "\u2510", "\u2514", "\u2518", "\u25b2", "\u25bc", "\u2026",
};
static const struct glyphs glyphs_ascii = {"-", "|", "+", "+", "+", "+", "^", "v", "~"};

static attr_t attrs_of(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & THA_BOLD)
        r |= A_BOLD;
    if (a & THA_DIM)
        r |= A_DIM;
    if (a & THA_REVERSE)
        r |= A_REVERSE;
    if (a & THA_UNDERLINE)
        r |= A_UNDERLINE;
#ifdef A_ITALIC
    if (a & THA_ITALIC)
        r |= A_ITALIC;
#endif
    return r;
}

/* A colour the terminal can show: bright colours fall back to bold on 8-colour
 * terminals, numbers beyond the palette to their basic colour. */
static short fit_color(short c, attr_t *extra)
{
    if (c < 0)
        return -1;
    if (c >= COLORS) {
        if (c >= 8 && c < 16) {
            *extra |= A_BOLD;
            return (short)(c - 8);
        }
        return (short)(c % 8);
    }
    return c;
}

bool draw_init_theme(const struct theme *t, bool use_color)
{
    colors_on = false;
    if (use_color && has_colors() && start_color() == OK && COLOR_PAIRS > TH_COUNT) {
        use_default_colors();
        colors_on = true;
    }
    struct theme mono;
    if (!colors_on) {
        /* without colours, a colour theme's meaning would be lost: use the attributes */
        bool any_color = false;
        for (int e = 0; e < TH_COUNT; e++)
            any_color |= t->s[e].fg >= 0 || t->s[e].bg >= 0;
        if (any_color) {
            theme_init_mono(&mono);
            t = &mono;
        }
    }
    for (int e = 0; e < TH_COUNT; e++) {
        const struct theme_style *s = &t->s[e];
        attr_t a = attrs_of(s->attrs);
        if (colors_on && (s->fg >= 0 || s->bg >= 0)) {
            short fg = fit_color(s->fg, &a), bg = fit_color(s->bg, &a);
            init_pair((short)(e + 1), fg, bg);
            a |= COLOR_PAIR(e + 1);
        }
        styles[e] = a;
    }
    return colors_on;
}

attr_t draw_style(enum theme_elem e)
{
    return (unsigned)e < TH_COUNT ? styles[e] : A_NORMAL;
}

bool draw_colors(void)
{
    return colors_on;
}

void draw_set_utf8(bool utf8)
{
    utf8_on = utf8;
}

bool draw_utf8(void)
{
    return utf8_on;
}

const struct glyphs *draw_glyphs(void)
{
    return utf8_on ? &glyphs_utf8 : &glyphs_ascii;
}

int draw_text(int y, int x, int w, attr_t attr, const char *s)
{
    if (w <= 0 || y < 0 || x < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + w > COLS)
        w = COLS - x;
    char buf[1024];
    fmt_clip(buf, sizeof(buf), s, utf8_on, w);
    attrset(attr);
    mvaddstr(y, x, buf);
    attrset(A_NORMAL);
    return fmt_width(buf, utf8_on);
}

int draw_textf(int y, int x, int w, attr_t attr, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return draw_text(y, x, w, attr, buf);
}

int draw_untrusted(int y, int x, int w, attr_t attr, const char *s, size_t len, bool nul_as_space)
{
    if (w <= 0 || y < 0 || x < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + w > COLS)
        w = COLS - x;
    char buf[1024];
    int cols = 0;
    fmt_escape(buf, sizeof(buf), s, len, utf8_on, nul_as_space, w, &cols, NULL);
    attrset(attr);
    mvaddstr(y, x, buf);
    attrset(A_NORMAL);
    return cols;
}

void draw_fill(int y, int x, int w, attr_t attr)
{
    if (w <= 0 || y < 0 || x < 0 || y >= LINES || x >= COLS)
        return;
    if (x + w > COLS)
        w = COLS - x;
    attrset(attr);
    mvhline(y, x, ' ', w);
    attrset(A_NORMAL);
}

void draw_box(int y, int x, int h, int w, attr_t border, attr_t title_attr, const char *title)
{
    if (h < 2 || w < 2)
        return;
    const struct glyphs *g = draw_glyphs();
    for (int r = 0; r < h; r++)
        draw_fill(y + r, x, w, border);
    attrset(border);
    for (int c = 1; c < w - 1; c++) {
        mvaddstr(y, x + c, g->hline);
        mvaddstr(y + h - 1, x + c, g->hline);
    }
    for (int r = 1; r < h - 1; r++) {
        mvaddstr(y + r, x, g->vline);
        mvaddstr(y + r, x + w - 1, g->vline);
    }
    mvaddstr(y, x, g->tl);
    mvaddstr(y, x + w - 1, g->tr);
    mvaddstr(y + h - 1, x, g->bl);
    mvaddstr(y + h - 1, x + w - 1, g->br);
    attrset(A_NORMAL);
    if (title && *title)
        draw_textf(y, x + 2, w - 4, title_attr, " %s ", title);
}
