#include "ui/menu.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"

void ui_menu_init(struct ui_menu *m, const char *title)
{
    memset(m, 0, sizeof(*m));
    snprintf(m->title, sizeof(m->title), "%s", title ? title : "");
}

void ui_menu_done(struct ui_menu *m)
{
    if (!m)
        return;
    free(m->items);
    if (m->data && m->data_free)
        m->data_free(m->data);
    memset(m, 0, sizeof(*m));
}

void ui_menu_text(struct ui_menu *m, bool error, const char *fmt, ...)
{
    if (m->n_text >= MENU_TEXT_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->text[m->n_text], MENU_LABEL_MAX, fmt, ap);
    va_end(ap);
    m->text_error[m->n_text] = error;
    m->n_text++;
}

struct ui_menu_item *ui_menu_add(struct ui_menu *m, long value, const char *fmt, ...)
{
    if (m->n_items == m->cap_items) {
        m->cap_items = m->cap_items ? m->cap_items * 2 : 16;
        m->items = xreallocarray(m->items, m->cap_items, sizeof(*m->items));
    }
    struct ui_menu_item *it = &m->items[m->n_items++];
    memset(it, 0, sizeof(*it));
    it->value = value;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->label, sizeof(it->label), fmt, ap);
    va_end(ap);
    return it;
}

void ui_menu_move(struct ui_menu *dst, struct ui_menu *src)
{
    *dst = *src;
    memset(src, 0, sizeof(*src));
}

bool ui_menu_select_value(struct ui_menu *m, long value)
{
    for (size_t i = 0; i < m->n_items; i++) {
        if (m->items[i].value == value) {
            m->sel = i;
            return true;
        }
    }
    return false;
}

const struct ui_menu_item *ui_menu_current(const struct ui_menu *m)
{
    return m->sel < m->n_items ? &m->items[m->sel] : NULL;
}

static void keep_visible(struct ui_menu *m, int page)
{
    size_t p = page > 0 ? (size_t)page : 1;
    if (m->sel < m->top)
        m->top = m->sel;
    if (m->sel >= m->top + p)
        m->top = m->sel + 1 - p;
}

enum ui_menu_result ui_menu_key(struct ui_menu *m, int key, int page)
{
    size_t n = m->n_items;
    size_t p = page > 1 ? (size_t)page - 1 : 1;
    enum ui_menu_result r = MENU_MOVED;
    switch (key) {
    case KEY_UP:
        if (m->sel > 0)
            m->sel--;
        break;
    case KEY_DOWN:
        if (m->sel + 1 < n)
            m->sel++;
        break;
    case KEY_PPAGE:
        m->sel = m->sel > p ? m->sel - p : 0;
        break;
    case KEY_NPAGE:
        m->sel = n ? (m->sel + p < n ? m->sel + p : n - 1) : 0;
        break;
    case KEY_HOME:
        m->sel = 0;
        break;
    case KEY_END:
        m->sel = n ? n - 1 : 0;
        break;
    case 27: /* Esc */
    case KEY_F(10):
        return MENU_CANCELLED;
    case ' ':
        if (n && m->items[m->sel].checkable && !m->items[m->sel].disabled) {
            m->items[m->sel].checked = !m->items[m->sel].checked;
            return MENU_TOGGLED;
        }
        return MENU_NONE;
    case '\n':
    case '\r':
    case KEY_ENTER:
        if (!n || m->items[m->sel].disabled)
            return MENU_NONE;
        if (m->items[m->sel].checkable) {
            m->items[m->sel].checked = !m->items[m->sel].checked;
            return MENU_TOGGLED;
        }
        return MENU_CHOSEN;
    default:
        return MENU_NONE;
    }
    keep_visible(m, page);
    return r;
}
