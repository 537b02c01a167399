#include "ui/monitor.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "probe/xalloc.h"
#include "ui/columns.h"
#include "ui/inspect.h"

void monitor_init(struct monitor *m, const struct options *o, const struct monitor_source *src)
{
    memset(m, 0, sizeof(*m));
    m->src = *src;
    m->delay = o->delay >= 0.1 ? o->delay : 1.5;
    m->sort = o->sort;
    m->reverse = o->reverse;
    m->tree = o->tree;
    m->hide_kernel_threads = o->hide_kernel_threads;
    m->columns = (o->columns ? o->columns : ucol_default_mask()) | (1u << UCOL_COMMAND);
    /* as htop: user threads are rows unless the config hides them */
    m->hide_user_threads = o->hide_user_threads;
    if (m->src.set_threads)
        m->src.set_threads(m->src.ctx, !m->hide_user_threads);
    m->theme_name = o->theme ? xstrdup(o->theme) : NULL;
    m->config_path = o->config_path ? xstrdup(o->config_path) : NULL;
    m->no_color = o->no_color;
    m->by_uid = o->by_uid;
    m->uid = o->uid;
    if (o->user_name)
        snprintf(m->user_name, sizeof(m->user_name), "%s", o->user_name);
    else if (o->by_uid)
        snprintf(m->user_name, sizeof(m->user_name), "%u", (unsigned)o->uid);
    if (o->n_pids) {
        m->pids = xcalloc(o->n_pids, sizeof(pid_t));
        memcpy(m->pids, o->pids, o->n_pids * sizeof(pid_t));
        m->n_pids = o->n_pids;
    }
    snapshot_init(&m->snap);
    m->view_stale = true;
    m->page_rows = 10;
    m->menu_page = 10;
    m->focus = FOCUS_PROCS;
}

enum monitor_mode monitor_base_mode(const struct monitor *m)
{
    return m->inspect ? MM_INSPECT : MM_NORMAL;
}

void monitor_done(struct monitor *m)
{
    inspect_close(m);
    view_done(&m->view);
    snapshot_done(&m->snap);
    ui_menu_done(&m->menu);
    free(m->prompt_data);
    free(m->tags);
    free(m->pids);
    free(m->theme_name);
    free(m->config_path);
    memset(m, 0, sizeof(*m));
}

void monitor_open_help(struct monitor *m, enum monitor_mode back)
{
    m->help_return = back;
    m->help_top = 0;
    m->mode = MM_HELP;
}

void monitor_status(struct monitor *m, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->status, sizeof(m->status), fmt, ap);
    va_end(ap);
    m->status_error = error;
    m->status_until = m->now + (error ? 10.0 : 5.0);
}

/* PROC_F_* that sorting and filtering need on every process, not just the visible rows. */
static unsigned want_everywhere(const struct monitor *m)
{
    unsigned w = 0;
    if (m->filter[0] || m->mode == MM_SEARCH || m->search[0])
        w |= PROC_F_CMDLINE;
    if (m->by_uid || m->sort == SORT_USER)
        w |= PROC_F_USER;
    if (m->sort == SORT_IO || (m->columns & ((1u << UCOL_IO_READ) | (1u << UCOL_IO_WRITE))))
        w |= PROC_F_IO;
    return w;
}

void monitor_fill_everywhere(struct monitor *m)
{
    unsigned w = want_everywhere(m);
    if (w != m->want_all) {
        m->want_all = w;
        if (m->src.set_want) /* later samples carry them from the start */
            m->src.set_want(m->src.ctx, w);
    }
    if (!w || !m->src.details)
        return;
    for (size_t i = 0; i < m->snap.n_procs; i++) {
        struct proc_entry *e = &m->snap.procs[i];
        unsigned missing = w & ~e->have;
        /* kernel threads and zombies have no command line to read */
        if ((missing & PROC_F_CMDLINE) && (e->kernel_thread || e->state == 'Z'))
            missing &= ~PROC_F_CMDLINE;
        if (missing)
            m->src.details(m->src.ctx, e, missing);
    }
}

static bool same_ident(const struct proc_entry *p, const struct proc_ident *id)
{
    return p->pid == id->pid && p->start_ticks == id->start_ticks && p->tgid == id->tgid;
}

const struct proc_entry *monitor_find(const struct monitor *m, const struct proc_ident *id)
{
    const struct proc_entry *p = id->tgid ? snapshot_find_thread(&m->snap, id->tgid, id->pid)
                                          : snapshot_find_proc(&m->snap, id->pid);
    return p && same_ident(p, id) ? p : NULL;
}

static void prune_tags(struct monitor *m)
{
    size_t keep = 0;
    for (size_t i = 0; i < m->n_tags; i++) {
        if (monitor_find(m, &m->tags[i]))
            m->tags[keep++] = m->tags[i];
    }
    m->n_tags = keep;
}

void monitor_show_user_threads(struct monitor *m, bool show)
{
    m->hide_user_threads = !show;
    if (m->src.set_threads)
        m->src.set_threads(m->src.ctx, show);
    m->view_stale = true;
    if (!show) {
        /* a selected thread's row goes: its process keeps the selection */
        const struct proc_entry *owner =
            m->sel_valid && m->sel_id.tgid ? snapshot_find_proc(&m->snap, m->sel_id.tgid) : NULL;
        if (owner)
            m->sel_id = proc_ident_of(owner);
        size_t keep = 0; /* hidden rows cannot stay tagged: an action would reach them */
        for (size_t i = 0; i < m->n_tags; i++)
            if (!m->tags[i].tgid)
                m->tags[keep++] = m->tags[i];
        m->n_tags = keep;
    }
    if (show && m->snap.n_threads == 0)
        m->resample_now = true; /* the snapshot on screen was taken without them */
}

void monitor_keep_in_view(struct monitor *m)
{
    size_t page = m->page_rows > 0 ? (size_t)m->page_rows : 1;
    if (m->view.n == 0) {
        m->sel = m->top = 0;
        return;
    }
    if (m->sel >= m->view.n)
        m->sel = m->view.n - 1;
    if (m->sel < m->top)
        m->top = m->sel;
    if (m->sel >= m->top + page)
        m->top = m->sel + 1 - page;
    /* no empty space below the last row when the list shrank */
    if (m->top + page > m->view.n)
        m->top = m->view.n > page ? m->view.n - page : 0;
}

void monitor_remember_selection(struct monitor *m)
{
    if (m->sel < m->view.n) {
        m->sel_id = proc_ident_of(m->view.rows[m->sel].proc);
        m->sel_valid = true;
    }
}

void monitor_refresh_view(struct monitor *m)
{
    if (!m->view_stale)
        return;
    m->view_stale = false;
    view_done(&m->view);
    if (!m->have_snap)
        return;
    struct view_options o;
    view_options_default(&o);
    o.sort = m->sort;
    o.reverse = m->reverse;
    o.tree = m->tree;
    o.pids = m->pids;
    o.n_pids = m->n_pids;
    o.by_uid = m->by_uid;
    o.uid = m->uid;
    o.filter = m->filter[0] ? m->filter : NULL;
    o.hide_kernel_threads = m->hide_kernel_threads;
    o.show_threads = !m->hide_user_threads;
    if (view_build(&m->snap, &o, &m->view) != 0) {
        m->view.rows = NULL;
        m->view.n = 0;
    }
    m->view_threads = 0;
    for (size_t i = 0; o.show_threads && i < m->view.n; i++)
        m->view_threads += proc_entry_is_thread(m->view.rows[i].proc);
    if (m->sel_valid) { /* the selection follows its process, wherever it moved */
        for (size_t i = 0; i < m->view.n; i++) {
            if (same_ident(m->view.rows[i].proc, &m->sel_id)) {
                m->sel = i;
                break;
            }
        }
    }
    monitor_keep_in_view(m);
    monitor_remember_selection(m);
}

static void clamp_ifaces(struct monitor *m)
{
    if (m->snap.n_ifaces == 0)
        m->iface_sel = m->iface_top = 0;
    else if (m->iface_sel >= m->snap.n_ifaces)
        m->iface_sel = m->snap.n_ifaces - 1;
}

void monitor_take_snapshot(struct monitor *m, struct snapshot *s)
{
    view_done(&m->view); /* its rows point into the old snapshot */
    snapshot_done(&m->snap);
    m->snap = *s;
    snapshot_init(s);
    m->have_snap = true;
    prune_tags(m);
    clamp_ifaces(m);
    monitor_fill_everywhere(m);
    m->view_stale = true;
    monitor_refresh_view(m);
}

int monitor_sample(struct monitor *m)
{
    /* The probe keeps its own history (rates come from it, not from our snapshot), so the
     * old snapshot goes before the new one is built: at 10,000 processes each is 2.8 MB,
     * and holding both would set the heap's high-water mark, which stays resident. On
     * failure the list is empty until the next sample succeeds. */
    view_done(&m->view); /* its rows point into the old snapshot */
    snapshot_done(&m->snap);
    m->have_snap = false;
    m->view_stale = true;
    struct snapshot s;
    snapshot_init(&s);
    int rc = m->src.sample(m->src.ctx, &s);
    if (rc < 0) {
        snapshot_done(&s);
        monitor_status(m, true, "cannot read the system: %s", strerror(-rc));
        return rc;
    }
    monitor_take_snapshot(m, &s);
    inspect_refresh(m); /* the inspector's sections are read only while it is open */
    return 0;
}

void monitor_fill_visible(struct monitor *m, size_t rows)
{
    if (!m->src.details)
        return;
    unsigned need = ucol_need(m->columns);
    for (size_t i = m->top; i < m->view.n && i < m->top + rows; i++) {
        /* the rows point into m->snap (procs or threads), which m owns */
        struct proc_entry *e = (struct proc_entry *)m->view.rows[i].proc;
        unsigned missing = need & ~e->have;
        if ((missing & PROC_F_CMDLINE) && (e->kernel_thread || e->state == 'Z'))
            missing &= ~PROC_F_CMDLINE;
        if (proc_entry_is_thread(e)) /* a thread row shows its own name, not a command */
            missing &= ~(PROC_F_CMDLINE | PROC_F_EXE);
        if (missing)
            m->src.details(m->src.ctx, e, missing);
    }
}

const struct proc_entry *monitor_selected(const struct monitor *m)
{
    return m->sel < m->view.n ? m->view.rows[m->sel].proc : NULL;
}

bool monitor_is_tagged(const struct monitor *m, const struct proc_entry *p)
{
    for (size_t i = 0; i < m->n_tags; i++)
        if (same_ident(p, &m->tags[i]))
            return true;
    return false;
}

size_t monitor_targets(const struct monitor *m, struct proc_ident *out, size_t cap)
{
    if (m->n_tags) {
        for (size_t i = 0; i < m->n_tags && i < cap; i++)
            out[i] = m->tags[i];
        return m->n_tags;
    }
    const struct proc_entry *p = monitor_selected(m);
    if (!p)
        return 0;
    if (cap)
        out[0] = proc_ident_of(p);
    return 1;
}

bool monitor_select_pid(struct monitor *m, pid_t pid)
{
    monitor_refresh_view(m);
    for (size_t i = 0; i < m->view.n; i++) {
        if (m->view.rows[i].proc->pid == pid) {
            m->sel = i;
            monitor_keep_in_view(m);
            monitor_remember_selection(m);
            m->focus = FOCUS_PROCS;
            return true;
        }
    }
    return false;
}

void monitor_open_menu(struct monitor *m, struct ui_menu *menu, monitor_menu_fn fn)
{
    ui_menu_done(&m->menu);
    ui_menu_move(&m->menu, menu);
    m->menu_fn = fn;
    m->mode = MM_MENU;
}

void monitor_open_prompt(struct monitor *m, const char *label, const char *text,
                         monitor_prompt_fn fn, void *data)
{
    free(m->prompt_data);
    m->prompt_data = data;
    ui_prompt_init(&m->prompt, label, text);
    m->prompt_fn = fn;
    m->mode = MM_PROMPT;
}

void monitor_settings(const struct monitor *m, struct options *o)
{
    memset(o, 0, sizeof(*o));
    o->delay = m->delay;
    o->sort = m->sort;
    o->reverse = m->reverse;
    o->tree = m->tree;
    o->theme = m->theme_name;
    o->columns = m->columns;
    o->hide_kernel_threads = m->hide_kernel_threads;
    o->hide_user_threads = m->hide_user_threads;
}

void monitor_save_settings(struct monitor *m)
{
    struct options o;
    monitor_settings(m, &o);
    char err[256], path[4096];
    const char *where = m->config_path;
    if (!where) {
        if (config_default_path(path, sizeof(path)) != 0) {
            monitor_status(m, true, "cannot save settings: no home directory");
            return;
        }
        where = path;
    }
    if (config_save(where, &o, err, sizeof(err)) != 0)
        monitor_status(m, true, "cannot save settings: %s", err);
    else
        monitor_status(m, false, "settings saved to %s", where);
}

bool monitor_zombie_note(const struct monitor *m, char *buf, size_t cap)
{
    const struct proc_entry *p = monitor_selected(m);
    if (cap)
        buf[0] = '\0';
    if (!p || p->state != 'Z' || proc_entry_is_thread(p))
        return false;
    const struct proc_entry *parent = snapshot_find_proc(&m->snap, p->ppid);
    char name[PROC_NAME_MAX * 4 + 1], pname[PROC_NAME_MAX * 4 + 1];
    /* names are escaped when drawn; here they are only copied */
    snprintf(name, sizeof(name), "%s", p->name);
    if (parent)
        snprintf(pname, sizeof(pname), "%s", parent->name);
    if (parent)
        snprintf(buf, cap,
                 "PID %d (%s) is a zombie: it has exited and waits for its parent, PID %d "
                 "(%s), to reap it",
                 (int)p->pid, name, (int)p->ppid, pname);
    else
        snprintf(buf, cap,
                 "PID %d (%s) is a zombie: it has exited and waits for its parent, PID %d, "
                 "to reap it",
                 (int)p->pid, name, (int)p->ppid);
    return true;
}
