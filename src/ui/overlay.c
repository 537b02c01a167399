/* What lies over or around the panels: the status line (messages, prompts, the zombie
 * note), the function-key bar, menus and the help screen. */
#include <stdio.h>
#include <string.h>

#include "ui/draw.h"
#include "ui/format.h"
#include "ui/help.h"
#include "ui/inspect.h"
#include "ui/panels.h"

void overlay_status_draw(const struct monitor *m)
{
    const struct layout *l = &m->lay;
    int y = l->status_y, cols = l->cols;
    draw_fill(y, 0, cols, draw_style(TH_STATUS));
    if (m->mode == MM_SEARCH || m->mode == MM_FILTER || m->mode == MM_PROMPT) {
        bool fail = m->mode == MM_SEARCH && m->status_error && m->status[0];
        int x =
            draw_text(y, 0, cols, draw_style(fail ? TH_STATUS_ERROR : TH_PROMPT), m->prompt.label);
        x += draw_untrusted(y, x, cols - x - 1, draw_style(TH_PROMPT), m->prompt.text,
                            m->prompt.len, false);
        draw_text(y, x, 1, draw_style(TH_PROMPT) | A_REVERSE, " ");
        if (fail && x + 3 < cols)
            draw_text(y, x + 2, cols - x - 2, draw_style(TH_STATUS_ERROR), m->status);
        return;
    }
    bool live = m->status[0] && (m->status_until <= 0 || m->now < m->status_until);
    if (live) {
        draw_untrusted(y, 0, cols, draw_style(m->status_error ? TH_STATUS_ERROR : TH_STATUS),
                       m->status, strlen(m->status), false);
        return;
    }
    char note[512];
    if (m->focus == FOCUS_PROCS && monitor_zombie_note(m, note, sizeof(note))) {
        draw_untrusted(y, 0, cols, draw_style(TH_ZOMBIE_COUNT), note, strlen(note), false);
        return;
    }
    if (m->paused)
        draw_text(y, 0, cols, draw_style(TH_STATUS_ERROR), "paused: Z resumes");
}

struct fkey {
    const char *key, *label;
};

static void fkeys(int y, int cols, const struct fkey *k, size_t n)
{
    draw_fill(y, 0, cols, draw_style(TH_FKEY_LABEL));
    int x = 0;
    for (size_t i = 0; i < n && x < cols; i++) {
        x += draw_text(y, x, cols - x, draw_style(TH_FKEY_KEY), k[i].key);
        /* "F1Help" as htop has it; a word key gets a space: "Esc Cancel" */
        x += draw_textf(y, x, cols - x, draw_style(TH_FKEY_LABEL), "%s%-6s ",
                        k[i].key[0] == 'F' && k[i].key[1] >= '0' && k[i].key[1] <= '9' ? "" : " ",
                        k[i].label);
    }
}

void overlay_fkeys_draw(const struct monitor *m)
{
    static const struct fkey normal[] = {
        {"F1", "Help"},   {"F2", "Setup"}, {"F3", "Search"}, {"F4", "Filter"}, {"F5", "Tree"},
        {"F6", "SortBy"}, {"F7", "Nice-"}, {"F8", "Nice+"},  {"F9", "Kill"},   {"F10", "Quit"},
    };
    static const struct fkey search[] = {
        {"Enter", "Done"}, {"Esc", "Close"}, {"F3", "Next"}, {"^U", "Clear"}};
    static const struct fkey filter[] = {{"Enter", "Done"}, {"Esc", "Clear"}, {"^U", "Erase"}};
    static const struct fkey menu[] = {{"Enter", "Choose"}, {"Esc", "Cancel"}, {"Space", "Toggle"}};
    static const struct fkey detail[] = {{"Esc", "Back"}, {"Up/Dn", "Scroll"}, {"q", "Quit"}};
    static const struct fkey help[] = {{"Any key", "Back"}, {"Up/Dn", "Scroll"}};
    static const struct fkey inspect[] = {{"Esc", "Back"},
                                          {"Up/Dn", "Move"},
                                          {"Enter", "Open child"},
                                          {"a", "Affinity"},
                                          {"q", "Quit"}};
    int y = m->lay.fkeys_y, cols = m->lay.cols;
    switch (m->mode) {
    case MM_SEARCH:
        fkeys(y, cols, search, sizeof(search) / sizeof(search[0]));
        break;
    case MM_FILTER:
    case MM_PROMPT:
        fkeys(y, cols, filter, sizeof(filter) / sizeof(filter[0]));
        break;
    case MM_MENU:
        fkeys(y, cols, menu, sizeof(menu) / sizeof(menu[0]));
        break;
    case MM_IFACE_DETAIL:
        fkeys(y, cols, detail, sizeof(detail) / sizeof(detail[0]));
        break;
    case MM_HELP:
        fkeys(y, cols, help, sizeof(help) / sizeof(help[0]));
        break;
    case MM_INSPECT:
        fkeys(y, cols, inspect, sizeof(inspect) / sizeof(inspect[0]));
        break;
    default:
        fkeys(y, cols, normal, sizeof(normal) / sizeof(normal[0]));
        break;
    }
}

void overlay_menu_draw(struct monitor *m)
{
    struct ui_menu *mu = &m->menu;
    int lines = m->lay.lines, cols = m->lay.cols;
    bool utf8 = draw_utf8();
    int w = fmt_width(mu->title, utf8) + 6;
    for (size_t i = 0; i < mu->n_text; i++) {
        int tw = (int)strlen(mu->text[i]) + 4;
        w = tw > w ? tw : w;
    }
    for (size_t i = 0; i < mu->n_items; i++) {
        int tw = (int)strlen(mu->items[i].label) + 8;
        w = tw > w ? tw : w;
    }
    if (w > cols - 2)
        w = cols - 2;
    int text_rows = (int)mu->n_text + (mu->n_text ? 1 : 0);
    int h = text_rows + (int)mu->n_items + 2;
    if (h > lines - 2)
        h = lines - 2;
    if (w < 8 || h < 3)
        return;
    int item_rows = h - 2 - text_rows;
    if (item_rows < 1) { /* a long explanation on a short screen: keep room for items */
        text_rows = h - 3 > 0 ? h - 3 : 0;
        item_rows = h - 2 - text_rows;
    }
    m->menu_page = item_rows > 0 ? item_rows : 1;
    if (mu->sel < mu->top)
        mu->top = mu->sel;
    if (item_rows > 0 && mu->sel >= mu->top + (size_t)item_rows)
        mu->top = mu->sel + 1 - (size_t)item_rows;
    int y = (lines - h) / 2, x = (cols - w) / 2;
    draw_box(y, x, h, w, draw_style(TH_MENU), draw_style(TH_MENU_TITLE), mu->title);
    int r = y + 1;
    for (int i = 0; i < text_rows && i < (int)mu->n_text; i++, r++)
        draw_untrusted(r, x + 2, w - 4, draw_style(mu->text_error[i] ? TH_STATUS_ERROR : TH_MENU),
                       mu->text[i], strlen(mu->text[i]), false);
    if (mu->n_text)
        r = y + 1 + text_rows;
    for (int i = 0; i < item_rows && mu->top + (size_t)i < mu->n_items; i++, r++) {
        size_t at = mu->top + (size_t)i;
        const struct ui_menu_item *it = &mu->items[at];
        attr_t a = draw_style(at == mu->sel ? TH_MENU_SELECTED : it->disabled ? TH_DIM : TH_MENU);
        draw_fill(r, x + 1, w - 2, a);
        int cx = x + 2;
        if (it->checkable)
            cx += draw_text(r, cx, 4, a, it->checked ? "[x] " : "[ ] ");
        draw_untrusted(r, cx, x + w - 2 - cx, a, it->label, strlen(it->label), false);
    }
}

void overlay_help_draw(struct monitor *m)
{
    int lines = m->lay.lines, cols = m->lay.cols;
    int h = lines - 1; /* the key bar stays */
    for (int r = 0; r < h; r++)
        draw_fill(r, 0, cols, draw_style(TH_DEFAULT));
    draw_textf(0, 0, cols, draw_style(TH_TITLE),
               "vigil %s - keys (htop-compatible where htop has the key)", VIGIL_VERSION);
    int rows = h - 2;
    if (rows < 1)
        return;
    if (m->help_top + (size_t)rows > help_count)
        m->help_top = help_count > (size_t)rows ? help_count - (size_t)rows : 0;
    for (int r = 0; r < rows && m->help_top + (size_t)r < help_count; r++) {
        const struct help_entry *e = &help_entries[m->help_top + (size_t)r];
        int y = 2 + r;
        if (!e->keys) {
            draw_text(y, 0, cols, draw_style(TH_TITLE), e->what);
            continue;
        }
        draw_text(y, 2, 26, draw_style(TH_HELP_KEY), e->keys);
        draw_text(y, 30, cols - 30, draw_style(TH_DEFAULT), e->what);
    }
}

static void too_small(const struct monitor *m)
{
    const char *msg = "vigil: terminal too small";
    char need[48];
    snprintf(need, sizeof(need), "(needs %dx%d)", LAYOUT_MIN_COLS, 6);
    int cols = m->lay.cols, lines = m->lay.lines;
    if (lines <= 0 || cols <= 0)
        return;
    int y = lines > 2 ? lines / 2 - 1 : 0;
    int len = (int)strlen(msg);
    draw_text(y, len < cols ? (cols - len) / 2 : 0, cols, draw_style(TH_STATUS_ERROR), msg);
    if (y + 1 < lines)
        draw_text(y + 1, (int)strlen(need) < cols ? (cols - (int)strlen(need)) / 2 : 0, cols,
                  draw_style(TH_DEFAULT), need);
}

void screen_draw(struct monitor *m)
{
    int lines, cols;
    getmaxyx(stdscr, lines, cols);
    layout_compute(lines, cols, (int)m->snap.cpu.n_cpu, (int)m->snap.n_ifaces, &m->lay);
    erase();
    if (m->lay.too_small) {
        too_small(m);
        wnoutrefresh(stdscr);
        doupdate();
        return;
    }
    if (m->lay.ifaces_h <= 0 && m->focus == FOCUS_IFACES)
        m->focus = FOCUS_PROCS;
    m->page_rows = m->lay.procs_h - 1;
    monitor_refresh_view(m);
    monitor_keep_in_view(m);
    monitor_fill_visible(m, (size_t)m->page_rows);
    if (m->mode == MM_HELP) {
        overlay_help_draw(m);
        overlay_fkeys_draw(m);
    } else {
        panel_header_draw(m);
        if (m->mode == MM_IFACE_DETAIL) {
            panel_iface_detail_draw(m);
        } else if (m->inspect) {
            panel_inspect_draw(m);
        } else {
            panel_procs_draw(m);
            panel_ifaces_draw(m);
        }
        overlay_status_draw(m);
        overlay_fkeys_draw(m);
        if (m->mode == MM_MENU)
            overlay_menu_draw(m);
    }
    wnoutrefresh(stdscr);
    doupdate();
}
