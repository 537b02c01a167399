/* Keys and mouse: what each does to the monitor's state (../shared/spec/interface.md,
 * "Interactive keys"). Process actions (signals, nice, ionice) are in actions_ui.c. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"
#include "ui/actions_ui.h"
#include "ui/columns.h"
#include "ui/help.h"
#include "ui/inspect.h"
#include "ui/monitor.h"

#define KEY_ESC 27

void monitor_move(struct monitor *m, long delta)
{
    if (m->focus == FOCUS_IFACES) {
        size_t n = m->snap.n_ifaces;
        if (n == 0)
            return;
        long s = (long)m->iface_sel + delta;
        m->iface_sel = s < 0 ? 0 : (size_t)s >= n ? n - 1 : (size_t)s;
        return;
    }
    if (m->view.n == 0)
        return;
    long s = (long)m->sel + delta;
    m->sel = s < 0 ? 0 : (size_t)s >= m->view.n ? m->view.n - 1 : (size_t)s;
    monitor_keep_in_view(m);
    monitor_remember_selection(m);
}

static void set_sort(struct monitor *m, enum sort_key k)
{
    if (m->sort == k)
        return;
    m->sort = k;
    m->reverse = false;
    m->view_stale = true;
    monitor_fill_everywhere(m);
    monitor_status(m, false, "sorted by %s", sort_key_name(k));
}

/* Search from the row start (inclusive) forward, wrapping; selects the match. */
static bool search_from(struct monitor *m, size_t start)
{
    size_t n = m->view.n;
    for (size_t i = 0; i < n; i++) {
        size_t at = (start + i) % n;
        if (ucol_match(m->view.rows[at].proc, m->search)) {
            m->sel = at;
            monitor_keep_in_view(m);
            monitor_remember_selection(m);
            return true;
        }
    }
    return false;
}

static void search_next(struct monitor *m)
{
    if (!m->search[0]) {
        monitor_status(m, false, "no search yet: press / to search");
        return;
    }
    monitor_refresh_view(m);
    if (!search_from(m, m->sel + 1))
        monitor_status(m, true, "no process matches \"%s\"", m->search);
}

static void next_zombie(struct monitor *m)
{
    size_t n = m->view.n;
    for (size_t i = 1; i <= n; i++) {
        size_t at = (m->sel + i) % n;
        const struct proc_entry *p = m->view.rows[at].proc;
        if (p->state == 'Z' && !proc_entry_is_thread(p)) { /* a zombie process, not a thread */
            m->sel = at;
            monitor_keep_in_view(m);
            monitor_remember_selection(m);
            m->status[0] = '\0'; /* the status line names the parent */
            return;
        }
    }
    if (m->snap.tasks.zombie > 0)
        monitor_status(m, false, "no zombie in this view (%u hidden by the filters)",
                       m->snap.tasks.zombie);
    else
        monitor_status(m, false, "no zombie processes");
}

static void toggle_tag(struct monitor *m)
{
    const struct proc_entry *p = monitor_selected(m);
    if (!p)
        return;
    struct proc_ident id = proc_ident_of(p);
    for (size_t i = 0; i < m->n_tags; i++) {
        if (m->tags[i].pid == id.pid && m->tags[i].start_ticks == id.start_ticks &&
            m->tags[i].tgid == id.tgid) {
            m->tags[i] = m->tags[--m->n_tags];
            monitor_move(m, 1);
            return;
        }
    }
    if (m->n_tags == m->cap_tags) {
        m->cap_tags = m->cap_tags ? m->cap_tags * 2 : 16;
        m->tags = xreallocarray(m->tags, m->cap_tags, sizeof(*m->tags));
    }
    m->tags[m->n_tags++] = id;
    monitor_move(m, 1);
}

static void sort_chosen(struct monitor *m, struct ui_menu *menu, const struct ui_menu_item *it)
{
    (void)menu;
    set_sort(m, (enum sort_key)it->value);
}

void monitor_open_sort_menu(struct monitor *m)
{
    struct ui_menu menu;
    ui_menu_init(&menu, "Sort by");
    for (int k = 0; k < SORT_KEY_COUNT; k++)
        ui_menu_add(&menu, k, "%-8s%s", sort_key_name(k), k == (int)m->sort ? " (current)" : "");
    ui_menu_select_value(&menu, m->sort);
    monitor_open_menu(m, &menu, sort_chosen);
}

static void user_chosen(struct monitor *m, struct ui_menu *menu, const struct ui_menu_item *it)
{
    (void)menu;
    if (it->value < 0) {
        m->by_uid = false;
        m->user_name[0] = '\0';
        monitor_status(m, false, "showing every user's processes");
    } else {
        m->by_uid = true;
        m->uid = (uid_t)it->value;
        const struct proc_entry *p = NULL;
        for (size_t i = 0; i < m->snap.n_procs && !p; i++)
            if ((m->snap.procs[i].have & PROC_F_USER) && m->snap.procs[i].uid == m->uid)
                p = &m->snap.procs[i];
        snprintf(m->user_name, sizeof(m->user_name), "%s", p ? p->user : "?");
        monitor_status(m, false, "showing processes of one user (u: all users)");
    }
    m->view_stale = true;
    monitor_fill_everywhere(m);
}

struct user_count {
    uid_t uid;
    const char *name;
    unsigned n;
};

static int user_cmp(const void *a, const void *b)
{
    const struct user_count *x = a, *y = b;
    return strcmp(x->name, y->name);
}

void monitor_open_user_menu(struct monitor *m)
{
    /* the user of every process, not only of the rows on screen */
    bool had = m->by_uid;
    m->by_uid = true;
    monitor_fill_everywhere(m);
    m->by_uid = had;
    monitor_fill_everywhere(m);
    struct user_count *users = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < m->snap.n_procs; i++) {
        const struct proc_entry *p = &m->snap.procs[i];
        if (!(p->have & PROC_F_USER))
            continue;
        size_t j = 0;
        while (j < n && users[j].uid != p->uid)
            j++;
        if (j == n) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                users = xreallocarray(users, cap, sizeof(*users));
            }
            users[n].uid = p->uid;
            users[n].name = proc_entry_user(p);
            users[n].n = 0;
            n++;
        }
        users[j].n++;
    }
    if (n)
        qsort(users, n, sizeof(*users), user_cmp);
    struct ui_menu menu;
    ui_menu_init(&menu, "Show processes of");
    ui_menu_add(&menu, -1, "all users");
    for (size_t i = 0; i < n; i++)
        ui_menu_add(&menu, (long)users[i].uid, "%-16s uid %-6u %u process%s", users[i].name,
                    (unsigned)users[i].uid, users[i].n, users[i].n == 1 ? "" : "es");
    if (m->by_uid)
        ui_menu_select_value(&menu, (long)m->uid);
    free(users);
    monitor_open_menu(m, &menu, user_chosen);
}

#define SETUP_SAVE (-2)

static void setup_chosen(struct monitor *m, struct ui_menu *menu, const struct ui_menu_item *it)
{
    (void)menu;
    if (it->value == SETUP_SAVE) {
        monitor_save_settings(m);
        return;
    }
    unsigned bit = 1u << it->value;
    m->columns = it->checked ? m->columns | bit : m->columns & ~bit;
    monitor_fill_everywhere(m);
}

void monitor_open_setup_menu(struct monitor *m)
{
    struct ui_menu menu;
    ui_menu_init(&menu, "Setup: columns (Space toggles)");
    for (int c = 0; c < UCOL_COUNT; c++) {
        if (c == UCOL_COMMAND)
            continue;
        struct ui_menu_item *it =
            ui_menu_add(&menu, c, "%-8s %s", ucol_def(c)->title, ucol_def(c)->name);
        it->checkable = true;
        it->checked = m->columns & (1u << c);
    }
    ui_menu_add(&menu, SETUP_SAVE, "Save settings now (S)");
    monitor_open_menu(m, &menu, setup_chosen);
}

static void open_detail(struct monitor *m)
{
    if (m->iface_sel >= m->snap.n_ifaces)
        return;
    snprintf(m->detail_iface, sizeof(m->detail_iface), "%s", m->snap.ifaces[m->iface_sel].name);
    m->detail_top = 0;
    m->mode = MM_IFACE_DETAIL;
}

static void toggle_focus(struct monitor *m)
{
    if (m->focus == FOCUS_IFACES) {
        m->focus = FOCUS_PROCS;
        return;
    }
    if (m->lay.ifaces_h <= 0) {
        monitor_status(m, false, "the interface panel is hidden: the terminal is too short");
        return;
    }
    if (m->snap.n_ifaces == 0) {
        monitor_status(m, false, "no network interfaces");
        return;
    }
    m->focus = FOCUS_IFACES;
}

/* Enter: the inspector shows processes; on a thread row, its process. */
static void open_inspector(struct monitor *m, const struct proc_entry *p)
{
    if (proc_entry_is_thread(p)) {
        const struct proc_entry *owner = snapshot_find_proc(&m->snap, p->tgid);
        if (!owner) {
            monitor_status(m, true, "thread %d: its process %d is gone", (int)p->pid, (int)p->tgid);
            return;
        }
        p = owner;
    }
    struct proc_ident id = proc_ident_of(p);
    inspect_open(m, &id);
}

static bool menu_key(struct monitor *m, int key)
{
    if (key == 'q')
        key = KEY_ESC;
    enum ui_menu_result r = ui_menu_key(&m->menu, key, m->menu_page);
    switch (r) {
    case MENU_CANCELLED:
        ui_menu_done(&m->menu);
        m->mode = monitor_base_mode(m);
        return true;
    case MENU_TOGGLED:
        if (m->menu_fn)
            m->menu_fn(m, &m->menu, ui_menu_current(&m->menu));
        return true;
    case MENU_CHOSEN: {
        struct ui_menu closed;
        ui_menu_move(&closed, &m->menu);
        m->mode = monitor_base_mode(m);
        monitor_menu_fn fn = m->menu_fn;
        m->menu_fn = NULL;
        if (fn)
            fn(m, &closed, ui_menu_current(&closed));
        ui_menu_done(&closed);
        return true;
    }
    case MENU_MOVED:
        return true;
    default:
        return false;
    }
}

static bool prompt_key(struct monitor *m, int key)
{
    if (m->mode == MM_SEARCH && (key == KEY_F(3) || key == KEY_DOWN)) {
        search_next(m);
        return true;
    }
    enum ui_prompt_result r = ui_prompt_key(&m->prompt, key);
    switch (m->mode) {
    case MM_SEARCH:
        if (r == PROMPT_CHANGED) {
            snprintf(m->search, sizeof(m->search), "%s", m->prompt.text);
            monitor_refresh_view(m);
            if (m->search[0] && !search_from(m, m->sel))
                monitor_status(m, true, "no process matches \"%s\"", m->search);
            else
                m->status[0] = '\0';
        } else if (r == PROMPT_DONE || r == PROMPT_CANCELLED) {
            m->mode = MM_NORMAL;
            monitor_fill_everywhere(m);
        }
        break;
    case MM_FILTER:
        if (r == PROMPT_CHANGED) {
            snprintf(m->filter, sizeof(m->filter), "%s", m->prompt.text);
            monitor_fill_everywhere(m);
            m->view_stale = true;
        } else if (r == PROMPT_CANCELLED) {
            m->filter[0] = '\0'; /* as htop: Esc drops the filter */
            m->view_stale = true;
            m->mode = MM_NORMAL;
            monitor_fill_everywhere(m);
        } else if (r == PROMPT_DONE) {
            m->mode = MM_NORMAL;
        }
        break;
    case MM_PROMPT:
        if (r == PROMPT_DONE || r == PROMPT_CANCELLED) {
            m->mode = monitor_base_mode(m);
            monitor_prompt_fn fn = m->prompt_fn;
            m->prompt_fn = NULL;
            void *data = m->prompt_data;
            if (r == PROMPT_DONE && fn) {
                char text[PROMPT_TEXT_MAX];
                snprintf(text, sizeof(text), "%s", m->prompt.text);
                fn(m, text); /* it may open another prompt, which frees data */
            }
            if (m->prompt_data == data && m->mode != MM_PROMPT) {
                free(data);
                m->prompt_data = NULL;
            }
        }
        break;
    default:
        break;
    }
    return r != PROMPT_NONE;
}

static bool detail_key(struct monitor *m, int key)
{
    switch (key) {
    case 'q':
    case KEY_F(10):
        m->quit = true;
        return true;
    case KEY_ESC:
    case '\n':
    case '\r':
    case KEY_ENTER:
    case KEY_BACKSPACE:
    case 127:
    case KEY_LEFT:
        m->mode = MM_NORMAL;
        return true;
    case KEY_UP:
        if (m->detail_top > 0)
            m->detail_top--;
        return true;
    case KEY_DOWN:
        m->detail_top++; /* clamped when drawn */
        return true;
    case KEY_PPAGE:
        m->detail_top = m->detail_top > 10 ? m->detail_top - 10 : 0;
        return true;
    case KEY_NPAGE:
        m->detail_top += 10;
        return true;
    case KEY_HOME:
        m->detail_top = 0;
        return true;
    case 'h':
    case '?':
    case KEY_F(1):
        monitor_open_help(m, MM_IFACE_DETAIL);
        return true;
    default:
        return false;
    }
}

static bool help_key(struct monitor *m, int key)
{
    switch (key) {
    case KEY_UP:
        if (m->help_top > 0)
            m->help_top--;
        return true;
    case KEY_DOWN:
        if (m->help_top + 1 < help_count)
            m->help_top++;
        return true;
    case KEY_PPAGE:
        m->help_top = m->help_top > 10 ? m->help_top - 10 : 0;
        return true;
    case KEY_NPAGE:
        m->help_top = m->help_top + 10 < help_count ? m->help_top + 10 : help_count - 1;
        return true;
    default:
        m->mode = m->help_return;
        return true;
    }
}

bool monitor_nav_delta(int key, long page, long *delta)
{
    switch (key) {
    case KEY_UP:
        *delta = -1;
        return true;
    case KEY_DOWN:
        *delta = 1;
        return true;
    case KEY_PPAGE:
        *delta = -page;
        return true;
    case KEY_NPAGE:
        *delta = page;
        return true;
    case KEY_HOME:
        *delta = -(1L << 30);
        return true;
    case KEY_END:
        *delta = 1L << 30;
        return true;
    default:
        return false;
    }
}

static bool nav_key(struct monitor *m, int key)
{
    long page = m->focus == FOCUS_IFACES ? (m->lay.ifaces_h > 2 ? m->lay.ifaces_h - 2 : 1)
                                         : (m->page_rows > 1 ? m->page_rows - 1 : 1);
    long delta;
    if (!monitor_nav_delta(key, page, &delta))
        return false;
    monitor_move(m, delta);
    return true;
}

bool monitor_key(struct monitor *m, int key)
{
    switch (m->mode) {
    case MM_HELP:
        return help_key(m, key);
    case MM_MENU:
        return menu_key(m, key);
    case MM_SEARCH:
    case MM_FILTER:
    case MM_PROMPT:
        return prompt_key(m, key);
    case MM_IFACE_DETAIL:
        return detail_key(m, key);
    case MM_INSPECT:
        return inspect_key(m, key);
    default:
        break;
    }
    if (nav_key(m, key))
        return true;
    if (actions_ui_key(m, key))
        return true;
    switch (key) {
    case 'q':
    case KEY_F(10):
        m->quit = true;
        return true;
    case 'h':
    case '?':
    case KEY_F(1):
        monitor_open_help(m, MM_NORMAL);
        return true;
    case '\t':
        toggle_focus(m);
        return true;
    case '\n':
    case '\r':
    case KEY_ENTER:
        if (m->focus == FOCUS_IFACES) {
            open_detail(m);
        } else if (monitor_selected(m)) {
            open_inspector(m, monitor_selected(m));
        }
        return true;
    case 'Z':
        m->paused = !m->paused;
        monitor_status(m, false, m->paused ? "paused: Z resumes" : "resumed");
        if (!m->paused)
            m->resample_now = true;
        return true;
    case 'S':
        monitor_save_settings(m);
        return true;
    case KEY_F(2):
        monitor_open_setup_menu(m);
        return true;
    case '/':
    case KEY_F(3):
        m->focus = FOCUS_PROCS;
        ui_prompt_init(&m->prompt, "Search: ", key == KEY_F(3) ? m->search : "");
        if (key == '/')
            m->search[0] = '\0';
        m->mode = MM_SEARCH;
        monitor_fill_everywhere(m);
        return true;
    case 'n':
        search_next(m);
        return true;
    case '\\':
    case KEY_F(4):
        m->focus = FOCUS_PROCS;
        ui_prompt_init(&m->prompt, "Filter: ", m->filter);
        m->mode = MM_FILTER;
        return true;
    case KEY_F(6):
        monitor_open_sort_menu(m);
        return true;
    case '<':
    case ',':
        set_sort(m, ucol_sort_step(m->columns, m->sort, -1));
        return true;
    case '>':
    case '.':
        set_sort(m, ucol_sort_step(m->columns, m->sort, +1));
        return true;
    case 'I':
        m->reverse = !m->reverse;
        m->view_stale = true;
        return true;
    case 'P':
        set_sort(m, SORT_CPU);
        return true;
    case 'M':
        set_sort(m, SORT_MEM);
        return true;
    case 'T':
        set_sort(m, SORT_TIME);
        return true;
    case 'N':
        set_sort(m, SORT_PID);
        return true;
    case 't':
    case KEY_F(5):
        m->tree = !m->tree;
        m->view_stale = true;
        monitor_status(m, false, m->tree ? "tree view" : "list view");
        return true;
    case 'z':
        monitor_refresh_view(m);
        next_zombie(m);
        return true;
    case ' ':
        toggle_tag(m);
        return true;
    case 'U':
        m->n_tags = 0;
        return true;
    case 'u':
        monitor_open_user_menu(m);
        return true;
    case 'H':
        monitor_show_user_threads(m, m->hide_user_threads);
        monitor_status(m, false,
                       m->hide_user_threads ? "user threads hidden (H shows them)"
                                            : "user threads shown as rows under their process");
        return true;
    case 'K':
        m->hide_kernel_threads = !m->hide_kernel_threads;
        m->view_stale = true;
        monitor_status(m, false,
                       m->hide_kernel_threads ? "kernel threads hidden" : "kernel threads shown");
        return true;
    case KEY_ESC:
        m->status[0] = '\0';
        return true;
    default:
        return false;
    }
}

bool monitor_click(struct monitor *m, int y, int x)
{
    const struct layout *l = &m->lay;
    if (l->too_small || m->mode != MM_NORMAL)
        return false;
    if (y == l->procs_y) {
        int c = ucol_at(m->columns, l->cols, x);
        if (c < 0 || ucol_def(c)->sort < 0)
            return false;
        enum sort_key k = (enum sort_key)ucol_def(c)->sort;
        if (k == m->sort) {
            m->reverse = !m->reverse;
            m->view_stale = true;
        } else {
            set_sort(m, k);
        }
        return true;
    }
    if (y > l->procs_y && y < l->procs_y + l->procs_h) {
        size_t at = m->top + (size_t)(y - l->procs_y - 1);
        m->focus = FOCUS_PROCS;
        if (at < m->view.n) {
            m->sel = at;
            monitor_remember_selection(m);
        }
        return true;
    }
    if (l->ifaces_h > 0 && y > l->ifaces_y && y < l->ifaces_y + l->ifaces_h) {
        size_t at = m->iface_top + (size_t)(y - l->ifaces_y - 1);
        if (at < m->snap.n_ifaces) {
            m->focus = FOCUS_IFACES;
            m->iface_sel = at;
        }
        return true;
    }
    return false;
}

bool monitor_wheel(struct monitor *m, int y, int dir)
{
    const struct layout *l = &m->lay;
    if (l->too_small)
        return false;
    if (m->mode == MM_HELP) {
        return help_key(m, dir < 0 ? KEY_UP : KEY_DOWN);
    }
    if (m->mode != MM_NORMAL)
        return false;
    enum monitor_focus f = m->focus;
    m->focus = l->ifaces_h > 0 && y >= l->ifaces_y && y < l->ifaces_y + l->ifaces_h ? FOCUS_IFACES
                                                                                    : FOCUS_PROCS;
    monitor_move(m, dir * 3);
    m->focus = f;
    return true;
}
