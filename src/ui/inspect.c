/* The inspector's state in the monitor: opening and closing, the reads on the refresh
 * timer, keys and drawing. The page's text is built in inspect_lines.c. */
#include "ui/inspect.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"
#include "ui/actions_ui.h"
#include "ui/draw.h"
#include "ui/monitor.h"
#include "ui/panels.h"

#define KEY_ESC 27

static int read_details(struct monitor *m, const struct proc_ident *id,
                        const struct proc_details *prev, struct proc_details *out)
{
    proc_details_init(out);
    if (!m->src.read_details)
        return -ENOSYS;
    return m->src.read_details(m->src.ctx, id->pid, id->start_ticks, prev, out);
}

static void inspect_free(struct inspect *in)
{
    if (!in)
        return;
    proc_details_done(&in->cur);
    inspect_lines_done(&in->lines);
    free(in);
}

bool inspect_open(struct monitor *m, const struct proc_ident *id)
{
    struct proc_details d;
    int r = read_details(m, id, NULL, &d);
    if (r < 0) {
        proc_details_done(&d);
        if (r == -ESRCH)
            monitor_status(m, true, "process %d is gone; there is nothing to inspect",
                           (int)id->pid);
        else
            monitor_status(m, true, "cannot inspect process %d: %s", (int)id->pid, strerror(-r));
        return false;
    }
    inspect_free(m->inspect); /* Enter on a child replaces the process inspected */
    struct inspect *in = xcalloc(1, sizeof(*in));
    in->id = *id;
    in->cur = d;
    in->have = true;
    inspect_lines_build(&in->cur, false, &in->lines);
    m->inspect = in;
    m->mode = MM_INSPECT;
    return true;
}

void inspect_close(struct monitor *m)
{
    if (!m->inspect)
        return;
    /* back on the process inspected (it may be a child reached from the first one) */
    pid_t pid = m->inspect->id.pid;
    inspect_free(m->inspect);
    m->inspect = NULL;
    if (m->mode == MM_INSPECT)
        m->mode = MM_NORMAL;
    const struct proc_entry *sel = monitor_selected(m);
    if (!sel || (sel->pid != pid && sel->tgid != pid)) /* a thread row stands for its process */
        monitor_select_pid(m, pid);
}

void inspect_refresh(struct monitor *m)
{
    struct inspect *in = m->inspect;
    if (!in)
        return;
    struct proc_details d;
    int r = read_details(m, &in->id, in->have ? &in->cur : NULL, &d);
    if (r == 0) {
        proc_details_done(&in->cur);
        in->cur = d;
        in->have = true;
        in->gone = false;
    } else {
        proc_details_done(&d);
        if (r == -ESRCH)
            in->gone = true; /* the identity cannot come back: keep the last reading */
    }
    inspect_lines_build(&in->cur, in->gone, &in->lines);
    if (in->cursor >= in->lines.n)
        in->cursor = in->lines.n ? in->lines.n - 1 : 0;
}

static int page_rows(const struct monitor *m)
{
    int h = m->lay.status_y - m->lay.procs_y;
    return h > 1 ? h : 1;
}

static void move_cursor(struct inspect *in, long delta)
{
    if (in->lines.n == 0)
        return;
    long c = (long)in->cursor + delta;
    in->cursor = c < 0 ? 0 : (size_t)c >= in->lines.n ? in->lines.n - 1 : (size_t)c;
}

/* The CPU list of the process inspected, for the affinity prompt's initial text. */
static void affinity_text(const struct inspect *in, char *buf, size_t cap)
{
    struct action_cpus c;
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < in->cur.cpu.n_affinity; i++)
        action_cpus_set(&c, in->cur.cpu.affinity[i]);
    action_cpus_format(&c, buf, cap);
}

bool inspect_key(struct monitor *m, int key)
{
    struct inspect *in = m->inspect;
    if (!in) {
        m->mode = MM_NORMAL;
        return true;
    }
    long page = page_rows(m) - 1;
    long delta;
    if (monitor_nav_delta(key, page, &delta)) {
        move_cursor(in, delta);
        return true;
    }
    switch (key) {
    case 'q':
    case KEY_F(10):
        m->quit = true;
        return true;
    case KEY_ESC:
    case KEY_BACKSPACE:
    case 127:
    case KEY_LEFT:
        inspect_close(m);
        return true;
    case '\n':
    case '\r':
    case KEY_ENTER: {
        if (in->cursor >= in->lines.n || in->lines.v[in->cursor].jump.pid <= 0) {
            monitor_status(m, false, "Enter opens a child or parent: move to its line first");
            return true;
        }
        struct proc_ident to = in->lines.v[in->cursor].jump;
        if (inspect_open(m, &to))
            monitor_select_pid(m, to.pid); /* Esc then returns to it in the list */
        return true;
    }
    case 'a': {
        char cur[256];
        affinity_text(in, cur, sizeof(cur));
        actions_ui_affinity(m, &in->id, cur);
        return true;
    }
    case 'h':
    case '?':
    case KEY_F(1):
        monitor_open_help(m, MM_INSPECT);
        return true;
    default:
        return false;
    }
}

void panel_inspect_draw(struct monitor *m)
{
    const struct layout *l = &m->lay;
    int y0 = l->procs_y, h = l->status_y - l->procs_y, cols = l->cols;
    for (int r = 0; r < h; r++)
        draw_fill(y0 + r, 0, cols, draw_style(TH_DEFAULT));
    struct inspect *in = m->inspect;
    if (!in || h <= 0)
        return;
    size_t n = in->lines.n;
    if (in->cursor >= n)
        in->cursor = n ? n - 1 : 0;
    if (in->cursor < in->top)
        in->top = in->cursor;
    if (in->cursor >= in->top + (size_t)h)
        in->top = in->cursor - (size_t)h + 1;
    for (int r = 0; r < h && in->top + (size_t)r < n; r++) {
        const struct inspect_line *line = &in->lines.v[in->top + (size_t)r];
        attr_t a = draw_style(line->style);
        if (in->top + (size_t)r == in->cursor) {
            a = draw_style(TH_SELECTION);
            draw_fill(y0 + r, 0, cols, a);
        } else if (line->style == TH_PANEL_HEADER) {
            draw_fill(y0 + r, 0, cols, a);
        }
        draw_untrusted(y0 + r, 0, cols, a, line->text, strlen(line->text), false);
    }
    static const char hint[] = "Esc: back  Enter: open child/parent  a: CPU affinity";
    int hl = (int)sizeof(hint) - 1;
    if (in->top == 0 && in->cursor != 0 && cols > hl + 30)
        draw_text(y0, cols - hl, hl, draw_style(TH_DIM), hint);
}
