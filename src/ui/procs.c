/* The process panel: the column header with the sort indicator and what is filtered,
 * then one row per process on screen in the row's style (selection, tag, zombie, kernel
 * thread), tree branches in tree view. Only the rows on screen are formatted. */
#include <stdio.h>
#include <string.h>

#include "ui/columns.h"
#include "ui/draw.h"
#include "ui/format.h"
#include "ui/panels.h"

static void header_line(const struct monitor *m, int y, int cols)
{
    int x[UCOL_COUNT];
    ucol_positions(m->columns, cols, x);
    attr_t base = draw_style(TH_PANEL_HEADER);
    draw_fill(y, 0, cols, base);
    bool desc = sort_key_descending(m->sort) != m->reverse;
    const struct glyphs *g = draw_glyphs();
    int sorted = ucol_for_sort(m->columns, m->sort);
    for (int c = 0; c < UCOL_COUNT; c++) {
        if (x[c] < 0 || x[c] >= cols)
            continue;
        const struct ucol_def *d = ucol_def(c);
        char title[64];
        bool is_sorted = c == sorted;
        snprintf(title, sizeof(title), "%s%s", d->title, is_sorted ? (desc ? g->down : g->up) : "");
        int tw = fmt_width(title, draw_utf8());
        int w = d->width ? d->width : cols - x[c];
        int at = x[c];
        if (d->right && tw < w)
            at += w - tw;
        draw_text(y, at, cols - at, is_sorted ? draw_style(TH_SORT_COLUMN) : base, title);
    }
    /* what the list shows, at the right end of the header */
    char note[256];
    size_t n = 0;
    note[0] = '\0';
    if (m->tree)
        n += (size_t)snprintf(note + n, sizeof(note) - n, "[tree] ");
    if (m->filter[0])
        n += (size_t)snprintf(note + n, sizeof(note) - n, "[filter] ");
    if (m->by_uid && n < sizeof(note))
        n += (size_t)snprintf(note + n, sizeof(note) - n, "[user] ");
    if (m->hide_kernel_threads && n < sizeof(note))
        n += (size_t)snprintf(note + n, sizeof(note) - n, "[no kthreads] ");
    if (m->n_tags && n < sizeof(note))
        n += (size_t)snprintf(note + n, sizeof(note) - n, "[%zu tagged] ", m->n_tags);
    if (m->view_threads && n < sizeof(note))
        n += (size_t)snprintf(note + n, sizeof(note) - n, "[+%zu thr] ", m->view_threads);
    if (n < sizeof(note)) /* processes shown of all processes */
        snprintf(note + n, sizeof(note) - n, "%zu/%zu ", m->view.n - m->view_threads,
                 m->snap.n_procs);
    int nw = (int)strlen(note);
    int cmd_x = x[UCOL_COMMAND] + (int)strlen("Command") + 3;
    if (cols - nw > cmd_x)
        draw_text(y, cols - nw, nw, base, note);
}

static enum theme_elem row_style(const struct monitor *m, size_t i, const struct proc_entry *p)
{
    if (i == m->sel)
        return m->focus == FOCUS_PROCS ? TH_SELECTION : TH_SELECTION_UNFOCUSED;
    if (monitor_is_tagged(m, p))
        return TH_TAGGED;
    if (p->state == 'Z')
        return TH_ZOMBIE;
    if (p->kernel_thread)
        return TH_KERNEL_THREAD;
    if (proc_entry_is_thread(p))
        return TH_THREAD;
    return TH_DEFAULT;
}

static void row_line(const struct monitor *m, size_t i, int y, int cols, const int x[UCOL_COUNT],
                     int cmd_w, const struct ucol_ctx *ctx)
{
    const struct view_row *row = &m->view.rows[i];
    const struct proc_entry *p = row->proc;
    enum theme_elem st = row_style(m, i, p);
    attr_t a = draw_style(st);
    draw_fill(y, 0, cols, a);
    for (int c = 0; c < UCOL_COUNT; c++) {
        if (x[c] < 0 || x[c] >= cols || c == UCOL_COMMAND)
            continue;
        const struct ucol_def *d = ucol_def(c);
        char cell[128];
        ucol_cell(c, p, ctx, cell, sizeof(cell));
        int cw = fmt_width(cell, ctx->utf8);
        int at = x[c] + (d->right && cw < d->width ? d->width - cw : 0);
        attr_t ca = a;
        if (st == TH_DEFAULT && c == UCOL_STATE && p->state == 'R')
            ca = draw_style(TH_RUNNING);
        else if (st == TH_DEFAULT && c == UCOL_STATE && p->state == 'D')
            ca = draw_style(TH_DISK_SLEEP);
        else if (st == TH_DEFAULT && strcmp(cell, "-") == 0)
            ca = draw_style(TH_DIM);
        draw_text(y, at, d->width, ca, cell);
    }
    int cx = x[UCOL_COMMAND];
    if (cmd_w <= 0 || cx >= cols)
        return;
    if (m->tree && row->depth > 0) {
        char prefix[512];
        ucol_tree_prefix(row, ctx->utf8, prefix, sizeof(prefix));
        int used = draw_text(y, cx, cmd_w, st == TH_DEFAULT ? draw_style(TH_TREE) : a, prefix);
        cx += used;
        cmd_w -= used;
    }
    if (cmd_w <= 0)
        return;
    char cmd[1024];
    if (proc_entry_is_thread(p)) /* unless right under it, name the process it belongs to */
        ucol_thread_command(
            p, m->tree && row->depth > 0 ? NULL : snapshot_find_proc(&m->snap, p->tgid), ctx->utf8,
            cmd_w, cmd, sizeof(cmd));
    else
        ucol_command(p, ctx->utf8, cmd_w, cmd, sizeof(cmd));
    draw_text(y, cx, cmd_w, a, cmd);
}

void panel_procs_draw(const struct monitor *m)
{
    const struct layout *l = &m->lay;
    int cols = l->cols;
    header_line(m, l->procs_y, cols);
    int x[UCOL_COUNT];
    int cmd_w = ucol_positions(m->columns, cols, x);
    struct ucol_ctx ctx = {.utf8 = draw_utf8(), .now = m->snap.time};
    int rows = l->procs_h - 1;
    for (int r = 0; r < rows; r++) {
        size_t i = m->top + (size_t)r;
        int y = l->procs_y + 1 + r;
        if (i >= m->view.n) {
            if (r == 0 && m->have_snap)
                draw_text(y, 1, cols - 1, draw_style(TH_DIM),
                          m->snap.n_procs ? "no process matches the filters" : "no processes");
            continue;
        }
        row_line(m, i, y, cols, x, cmd_w, &ctx);
    }
}
