/* A menu: optional lines of text (e.g. the processes an action will hit) above a list of
 * items, moved with Up/Down/PgUp/PgDn/Home/End, chosen with Enter, cancelled with Esc;
 * checkable items toggle with Space or Enter. The sort, user, setup, signal, nice and
 * ionice menus are all this widget. State and keys only; drawing is in menu_draw.c. */
#ifndef VIGIL_UI_MENU_H
#define VIGIL_UI_MENU_H

#include <stdbool.h>
#include <stddef.h>

#define MENU_LABEL_MAX 128
#define MENU_TEXT_MAX  24

struct ui_menu_item {
    char label[MENU_LABEL_MAX]; /* may hold untrusted bytes: escaped when drawn */
    long value;
    bool checkable, checked;
    bool disabled; /* drawn dimmed; cannot be chosen */
};

struct ui_menu {
    char title[MENU_LABEL_MAX];
    char text[MENU_TEXT_MAX][MENU_LABEL_MAX]; /* escaped when drawn */
    bool text_error[MENU_TEXT_MAX];           /* drawn in the error style */
    size_t n_text;
    struct ui_menu_item *items; /* owned */
    size_t n_items, cap_items;
    size_t sel, top;
    long tag;   /* free for the owner: which menu this is */
    void *data; /* free for the owner; released with data_free on ui_menu_done */
    void (*data_free)(void *data);
};

enum ui_menu_result {
    MENU_NONE,      /* key not for the menu */
    MENU_MOVED,     /* selection moved */
    MENU_TOGGLED,   /* a checkable item flipped */
    MENU_CHOSEN,    /* Enter on an item */
    MENU_CANCELLED, /* Esc */
};

void ui_menu_init(struct ui_menu *m, const char *title);
void ui_menu_done(struct ui_menu *m); /* NULL-safe; frees items and data */
void ui_menu_text(struct ui_menu *m, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
struct ui_menu_item *ui_menu_add(struct ui_menu *m, long value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Deep copy (items; data ownership moves from src to dst). */
void ui_menu_move(struct ui_menu *dst, struct ui_menu *src);
/* Selects the first item with this value; returns whether there was one. */
bool ui_menu_select_value(struct ui_menu *m, long value);
/* page: items visible at once (for PgUp/PgDn and keeping the selection in view). */
enum ui_menu_result ui_menu_key(struct ui_menu *m, int key, int page);
const struct ui_menu_item *ui_menu_current(const struct ui_menu *m);

#endif
