/* Process actions from the monitor (issue 5): the signal menu (k, F9), nice one step (F7
 * ], F8 [) or to an exact value (r), and the I/O priority menu (i). The targets (tagged
 * processes, else the selected one) are taken as identities when the menu or prompt
 * opens, and the action module re-checks each identity at the moment of acting. */
#include "ui/actions_ui.h"

#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/action.h"
#include "probe/xalloc.h"
#include "ui/monitor.h"

struct targets {
    size_t n;
    struct proc_ident parent; /* zombie menu: the parent to signal (pid 0 none) */
    struct proc_ident ids[];
};

#define SHOW_TARGETS 6
/* zombie menu item values (the signal menu's values are signal numbers, all positive) */
#define Z_SIGCHLD_PARENT (-1)
#define Z_SIGTERM_PARENT (-2)
#define Z_SELECT_PARENT  (-3)

static struct targets *take_targets(const struct monitor *m)
{
    size_t n = monitor_targets(m, NULL, 0);
    struct targets *t = xcalloc(1, sizeof(*t) + (n ? n : 1) * sizeof(t->ids[0]));
    t->n = monitor_targets(m, t->ids, n);
    return t;
}

static bool available(struct monitor *m, const struct targets *t)
{
    if (t->n == 0) {
        monitor_status(m, true, "no process selected");
        return false;
    }
    if (!m->actions) {
        monitor_status(m, true, "process actions are unavailable: /proc could not be opened");
        return false;
    }
    return true;
}

static void report(struct monitor *m, const struct action_result *summary)
{
    monitor_status(m, summary->err != 0 && summary->status != ACTION_UNCHANGED, "%s", summary->msg);
    m->resample_now = true; /* show the new nice, state or absence at once */
}

static void apply(struct monitor *m, const struct action_request *rq, const struct targets *t)
{
    struct action_result summary;
    struct action_result *each = xcalloc(t->n, sizeof(*each));
    action_apply_many(m->actions, rq, t->ids, t->n, each, &summary);
    free(each);
    report(m, &summary);
}

/* snprintf for menu words and labels, which may be cut short: they are clipped to the
 * screen's width when drawn anyway. */
__attribute__((format(printf, 3, 4))) static void clipped(char *buf, size_t cap, const char *fmt,
                                                          ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
}

/* "1 process", "3 processes", "thread 456", "2 threads", "3 targets (1 thread)". */
static void count_words(const struct targets *t, char *buf, size_t cap)
{
    size_t thr = 0;
    for (size_t i = 0; i < t->n; i++)
        thr += t->ids[i].tgid != 0;
    if (thr == 0)
        clipped(buf, cap, "%zu process%s", t->n, t->n == 1 ? "" : "es");
    else if (t->n == 1)
        clipped(buf, cap, "thread %d", (int)t->ids[0].pid);
    else if (thr == t->n)
        clipped(buf, cap, "%zu threads", t->n);
    else
        clipped(buf, cap, "%zu targets (%zu thread%s)", t->n, thr, thr == 1 ? "" : "s");
}

/* A signal cannot reach one thread alone: thread targets stand for their process, which
 * is signalled once however many of its threads are tagged. */
static void one_per_process(struct targets *t)
{
    size_t keep = 0;
    for (size_t i = 0; i < t->n; i++) {
        pid_t pi = t->ids[i].tgid ? t->ids[i].tgid : t->ids[i].pid;
        bool dup = false;
        for (size_t j = 0; j < keep && !dup; j++)
            dup = (t->ids[j].tgid ? t->ids[j].tgid : t->ids[j].pid) == pi;
        if (!dup)
            t->ids[keep++] = t->ids[i];
    }
    t->n = keep;
}

/* A thread target: "TID 456 {name} of PID 123 (name)", or for a signal what it reaches,
 * "PID 123 name (the process of thread 456 {name})". */
static void describe_thread(const struct monitor *m, const struct proc_ident *id, bool signal,
                            char *buf, size_t cap)
{
    const struct proc_entry *t = monitor_find(m, id);
    const struct proc_entry *p = snapshot_find_proc(&m->snap, id->tgid);
    if (!t || !p) {
        clipped(buf, cap, "thread %d of PID %d (gone)", (int)id->pid, (int)id->tgid);
        return;
    }
    if (signal)
        clipped(buf, cap, "PID %-7d %-15s (the process of thread %d {%s})", (int)p->pid, p->name,
                (int)t->pid, t->name);
    else
        clipped(buf, cap, "TID %-7d {%s} of PID %d (%s)", (int)t->pid, t->name, (int)p->pid,
                p->name);
}

/* "PID 1234 name: command line", NULs as spaces (escaped when drawn). */
static void describe(const struct monitor *m, const struct proc_ident *id, bool signal, char *buf,
                     size_t cap)
{
    if (id->tgid) {
        describe_thread(m, id, signal, buf, cap);
        return;
    }
    const struct proc_entry *p = snapshot_find_proc(&m->snap, id->pid);
    if (!p || p->start_ticks != id->start_ticks) {
        snprintf(buf, cap, "PID %d (gone)", (int)id->pid);
        return;
    }
    int n = snprintf(buf, cap, "PID %-7d %-15s ", (int)p->pid, p->name);
    if (n < 0 || (size_t)n >= cap)
        return;
    size_t at = (size_t)n;
    if (p->cmdline) {
        for (size_t i = 0; i < p->cmdline->len && at + 1 < cap; i++)
            buf[at++] = p->cmdline->data[i] ? p->cmdline->data[i] : ' ';
        buf[at] = '\0';
    } else {
        snprintf(buf + at, cap - at, "%s", p->state == 'Z' ? "<defunct>" : "");
    }
}

static void list_targets(struct monitor *m, struct ui_menu *menu, const struct targets *t,
                         bool signal)
{
    /* the command lines of the targets, so the user sees what will be hit */
    for (size_t i = 0; i < t->n; i++) {
        struct proc_entry *p = (struct proc_entry *)snapshot_find_proc(&m->snap, t->ids[i].pid);
        if (p && m->src.details && !(p->have & PROC_F_CMDLINE) && !p->kernel_thread &&
            p->state != 'Z')
            m->src.details(m->src.ctx, p, PROC_F_CMDLINE);
    }
    for (size_t i = 0; i < t->n && i < SHOW_TARGETS; i++) {
        char line[MENU_LABEL_MAX];
        describe(m, &t->ids[i], signal, line, sizeof(line));
        ui_menu_text(menu, false, "  %s", line);
    }
    if (t->n > SHOW_TARGETS)
        ui_menu_text(menu, false, "  ... and %zu more", t->n - SHOW_TARGETS);
}

static void signal_chosen(struct monitor *m, struct ui_menu *menu, const struct ui_menu_item *it)
{
    const struct targets *t = menu->data;
    struct action_request rq = {.kind = ACTION_SIGNAL};
    struct action_result res;
    switch (it->value) {
    case Z_SELECT_PARENT:
        if (!monitor_select_pid(m, t->parent.pid))
            monitor_status(m, true, "the parent, PID %d, is not in this view", (int)t->parent.pid);
        return;
    case Z_SIGCHLD_PARENT:
    case Z_SIGTERM_PARENT:
        action_signal(m->actions, &t->parent, it->value == Z_SIGCHLD_PARENT ? SIGCHLD : SIGTERM,
                      &res);
        report(m, &res);
        return;
    default:
        rq.sig = (int)it->value;
        apply(m, &rq, t);
        if (m->n_tags) /* as htop: the tagged set was for this signal */
            m->n_tags = 0;
        return;
    }
}

/* A lone zombie: explain, name the parent, offer to signal it or go to it. */
static bool zombie_menu(struct monitor *m, struct targets *t)
{
    if (t->n != 1)
        return false;
    const struct proc_entry *p = snapshot_find_proc(&m->snap, t->ids[0].pid);
    if (!p || p->state != 'Z')
        return false;
    struct action_zombie z;
    memset(&z, 0, sizeof(z));
    if (action_zombie_info(m->actions, &t->ids[0], &z) != 0 || !z.is_zombie)
        return false; /* reaped meanwhile: the ordinary menu will say it is gone */
    t->parent = z.parent;
    struct ui_menu menu;
    ui_menu_init(&menu, "Zombie process");
    ui_menu_text(&menu, true, "PID %d (%s) is a zombie: it has already exited,", (int)z.zombie.pid,
                 z.zombie_name);
    ui_menu_text(&menu, true, "and cannot be killed until its parent reaps it.");
    if (z.parent.pid > 0)
        ui_menu_text(&menu, false, "Its parent is PID %d (%s).", (int)z.parent.pid, z.parent_name);
    else
        ui_menu_text(&menu, false, "Its parent is outside this PID namespace.");
    if (z.parent.pid > 0) {
        ui_menu_add(&menu, Z_SIGCHLD_PARENT, "Send %d SIGCHLD to the parent, PID %d (%s)", SIGCHLD,
                    (int)z.parent.pid, z.parent_name);
        ui_menu_add(&menu, Z_SIGTERM_PARENT, "Send %d SIGTERM to the parent, PID %d (%s)", SIGTERM,
                    (int)z.parent.pid, z.parent_name);
        ui_menu_add(&menu, Z_SELECT_PARENT, "Select the parent in the list");
    }
    menu.data = t;
    menu.data_free = free;
    monitor_open_menu(m, &menu, signal_chosen);
    return true;
}

static void open_signal_menu(struct monitor *m)
{
    struct targets *t = take_targets(m);
    if (!available(m, t)) {
        free(t);
        return;
    }
    if (zombie_menu(m, t))
        return;
    struct ui_menu menu;
    ui_menu_init(&menu, "Send signal");
    bool threads = false;
    for (size_t i = 0; i < t->n; i++)
        threads |= t->ids[i].tgid != 0;
    one_per_process(t);
    if (threads && t->n == 1) {
        const struct proc_entry *p = snapshot_find_proc(&m->snap, t->ids[0].tgid);
        ui_menu_text(&menu, true, "A signal goes to the whole process, every thread:");
        ui_menu_text(&menu, false, "to process %d (%s):", (int)t->ids[0].tgid, p ? p->name : "?");
    } else {
        if (threads)
            ui_menu_text(&menu, true, "A signal goes to the whole process of a thread:");
        ui_menu_text(&menu, false, "to %zu process%s:", t->n, t->n == 1 ? "" : "es");
    }
    list_targets(m, &menu, t, true);
    size_t n;
    const struct action_signal_info *sigs = action_signal_table(&n);
    for (size_t i = 0; i < n; i++) {
        char label[48];
        action_signal_label(sigs[i].number, label, sizeof(label));
        ui_menu_add(&menu, sigs[i].number, "%s", label);
    }
    ui_menu_select_value(&menu, SIGTERM);
    menu.data = t;
    menu.data_free = free;
    monitor_open_menu(m, &menu, signal_chosen);
}

static void renice_by(struct monitor *m, int delta)
{
    struct targets *t = take_targets(m);
    if (available(m, t)) {
        struct action_request rq = {.kind = ACTION_NICE_ADD, .delta = delta};
        apply(m, &rq, t);
    }
    free(t);
}

/* Parses a whole number in [lo, hi]; returns false for anything else. */
static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static void nice_entered(struct monitor *m, const char *text)
{
    const struct targets *t = m->prompt_data;
    int v;
    if (!parse_int(text, ACTION_NICE_MIN, ACTION_NICE_MAX, &v)) {
        monitor_status(m, true, "invalid nice value \"%s\": a whole number from %d to %d", text,
                       ACTION_NICE_MIN, ACTION_NICE_MAX);
        return;
    }
    struct action_request rq = {.kind = ACTION_NICE_SET, .nice = v};
    apply(m, &rq, t);
}

static void open_nice_prompt(struct monitor *m)
{
    struct targets *t = take_targets(m);
    if (!available(m, t)) {
        free(t);
        return;
    }
    char label[80], cur[16] = "", whom[48];
    count_words(t, whom, sizeof(whom));
    snprintf(label, sizeof(label), "Nice for %s (%d..%d): ", whom, ACTION_NICE_MIN,
             ACTION_NICE_MAX);
    const struct proc_entry *p = monitor_selected(m);
    if (p && t->n == 1)
        snprintf(cur, sizeof(cur), "%d", p->nice);
    monitor_open_prompt(m, label, cur, nice_entered, t);
}

/* I/O priority items: value = class * 16 + level. */
static void ionice_chosen(struct monitor *m, struct ui_menu *menu, const struct ui_menu_item *it)
{
    const struct targets *t = menu->data;
    struct action_request rq = {
        .kind = ACTION_IONICE, .ioclass = (int)(it->value / 16), .iolevel = (int)(it->value % 16)};
    apply(m, &rq, t);
}

static void open_ionice_menu(struct monitor *m)
{
    struct targets *t = take_targets(m);
    if (!available(m, t)) {
        free(t);
        return;
    }
    struct ui_menu menu;
    ui_menu_init(&menu, "I/O priority (ionice)");
    char whom[48];
    count_words(t, whom, sizeof(whom));
    ui_menu_text(&menu, false, "for %s:", whom);
    list_targets(m, &menu, t, false);
    ui_menu_add(&menu, IONICE_NONE * 16, "none            follows the CPU nice value");
    for (int l = 0; l <= ACTION_IOLEVEL_MAX; l++)
        ui_menu_add(&menu, IONICE_REALTIME * 16 + l, "realtime    %d   rt/%d%s", l, l,
                    l == 0 ? "  highest" : "");
    for (int l = 0; l <= ACTION_IOLEVEL_MAX; l++)
        ui_menu_add(&menu, IONICE_BEST_EFFORT * 16 + l, "best-effort %d   be/%d%s", l, l,
                    l == 4 ? "  the default" : "");
    ui_menu_add(&menu, IONICE_IDLE * 16, "idle            only when no one else uses the disk");
    /* start on the selected process's current priority when it is known */
    const struct proc_entry *p = monitor_selected(m);
    if (p && (p->have & PROC_F_IONICE) && p->ionice_class >= 0) {
        int lvl = p->ionice_class == IONICE_REALTIME || p->ionice_class == IONICE_BEST_EFFORT
                      ? (p->ionice_level >= 0 ? p->ionice_level : 4)
                      : 0;
        ui_menu_select_value(&menu, p->ionice_class * 16 + lvl);
    } else {
        ui_menu_select_value(&menu, IONICE_BEST_EFFORT * 16 + 4);
    }
    menu.data = t;
    menu.data_free = free;
    monitor_open_menu(m, &menu, ionice_chosen);
}

static void affinity_entered(struct monitor *m, const char *text)
{
    const struct targets *t = m->prompt_data;
    struct action_request rq = {.kind = ACTION_AFFINITY};
    if (action_cpus_parse(text, &rq.cpus) < 0) {
        monitor_status(m, true, "invalid CPU list \"%s\": CPU numbers and ranges, as in 0-3,8",
                       text);
        return;
    }
    apply(m, &rq, t);
}

void actions_ui_affinity(struct monitor *m, const struct proc_ident *only, const char *current)
{
    struct targets *t;
    if (only) {
        t = xcalloc(1, sizeof(*t) + sizeof(t->ids[0]));
        t->n = 1;
        t->ids[0] = *only;
    } else {
        t = take_targets(m);
    }
    if (!available(m, t)) {
        free(t);
        return;
    }
    char label[96], whom[48];
    count_words(t, whom, sizeof(whom));
    snprintf(label, sizeof(label), "CPUs for %s (like 0-3,8): ", whom);
    monitor_open_prompt(m, label, current ? current : "", affinity_entered, t);
}

bool actions_ui_key(struct monitor *m, int key)
{
    switch (key) {
    case 'k':
    case KEY_F(9):
        open_signal_menu(m);
        return true;
    case ']':
    case KEY_F(7):
        renice_by(m, -1);
        return true;
    case '[':
    case KEY_F(8):
        renice_by(m, 1);
        return true;
    case 'r':
        open_nice_prompt(m);
        return true;
    case 'i':
        open_ionice_menu(m);
        return true;
    case 'a':
        actions_ui_affinity(m, NULL, NULL);
        return true;
    default:
        return false;
    }
}
