/* The interactive monitor: terminal set-up and the loop. The probe is sampled on the
 * --delay timer; keys are read with a timeout up to the next sample, so a key acts and
 * shows at once rather than at the next refresh. */
#include "ui/ui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inifile.h"
#include "probe/action.h"
#include "probe/probe.h"
#include "probe/xalloc.h"
#include "ui/draw.h"
#include "ui/monitor.h"
#include "ui/panels.h"
#include "ui/term_check.h"
#include "ui/theme.h"

static volatile sig_atomic_t stop_signal;
static bool curses_on;

static void on_stop(int sig)
{
    stop_signal = sig;
}

static void restore_terminal(void)
{
    if (curses_on) {
        endwin();
        curses_on = false;
    }
}

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int src_sample(void *ctx, struct snapshot *out)
{
    return probe_sample(ctx, out);
}

static int src_details(void *ctx, struct proc_entry *e, unsigned want)
{
    return probe_fill_details(ctx, e, want);
}

static void src_set_want(void *ctx, unsigned want)
{
    probe_set_want(ctx, want);
}

static int src_read_details(void *ctx, pid_t pid, uint64_t start_ticks,
                            const struct proc_details *prev, struct proc_details *out)
{
    return probe_read_details(ctx, pid, start_ticks, prev, out);
}

static void src_set_threads(void *ctx, bool on)
{
    probe_set_threads(ctx, on);
}

static void start_curses(bool utf8, const struct theme *theme, bool use_color)
{
    initscr();
    curses_on = true;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
    draw_set_utf8(utf8);
    draw_init_theme(theme, use_color);
    attrset(draw_style(TH_DEFAULT));
    bkgdset(' ' | draw_style(TH_DEFAULT));
}

struct curses_job {
    bool utf8, use_color;
    const struct theme *theme;
};

static void *curses_main(void *arg)
{
    const struct curses_job *j = arg;
    start_curses(j->utf8, j->theme, j->use_color);
    return NULL;
}

static bool handle_mouse(struct monitor *m)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return false;
    if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
        return monitor_click(m, ev.y, ev.x);
    if (ev.bstate & BUTTON4_PRESSED)
        return monitor_wheel(m, ev.y, -1);
#ifdef BUTTON5_PRESSED
    if (ev.bstate & BUTTON5_PRESSED)
        return monitor_wheel(m, ev.y, 1);
#endif
    return false;
}

int ui_run(const struct options *opts)
{
    /* A fixed threshold (which also stops glibc from raising it after the first free of a
     * big block) keeps the per-refresh arrays (snapshot, view, history: megabytes at
     * 10,000 processes) in their own mappings, given back to the kernel when freed, instead
     * of in the heap, where each refresh's pattern of frees would leave holes that stay
     * resident. */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    setlocale(LC_ALL, "");
    bool utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    const char *nc = getenv("NO_COLOR");
    bool no_color = opts->no_color || (nc && *nc);

    struct theme theme;
    char err[512];
    if (theme_select(opts->theme, no_color, &theme, err, sizeof(err)) != 0) {
        fprintf(stderr, "vigil: %s\n", err);
        return 2;
    }
    /* curses would print its own message and exit from the thread that sets it up */
    if (!ui_terminal_known(err, sizeof(err))) {
        fprintf(stderr, "vigil: %s\n", err);
        return 2;
    }

    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.want = 0;           /* the hot path: details only for the rows on screen */
    cfg.quick_first = true; /* the first frame sooner; SHR fills in at the next sample */
    int perr = 0;
    struct probe *probe = probe_new(&cfg, &perr);
    if (!probe) {
        fprintf(stderr, "vigil: cannot read the system (%s): %s\n", cfg.proc_root, strerror(-perr));
        return 1;
    }
    struct monitor_source src = {probe,        src_sample,       src_details,
                                 src_set_want, src_read_details, src_set_threads};
    struct monitor *m = xcalloc(1, sizeof(*m));
    monitor_init(m, opts, &src);
    int aerr = 0;
    m->actions = action_ctx_new(cfg.proc_root, &aerr); /* NULL: actions say unavailable */
    m->theme = theme;
    m->utf8 = utf8;
    m->no_color = no_color;

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    xalloc_set_fatal_hook(restore_terminal);

    /* The terminal is set up while the first sample is taken: that sample lists /proc on
     * one CPU before it spreads over all of them, and the curses screens are 0.8 MB to
     * fault in (200x50). Until the join only that thread touches curses; the sample does
     * not. */
    struct curses_job cj = {utf8, !no_color, &theme};
    pthread_t cth;
    bool curses_thread = pthread_create(&cth, NULL, curses_main, &cj) == 0;
    m->now = mono_now();
    monitor_sample(m);
    if (curses_thread)
        pthread_join(cth, NULL);
    else
        start_curses(utf8, &theme, !no_color);
    /* what went to stderr before the screen took over, where the user will see it */
    char first[256];
    int problems = inifile_problems(first, sizeof(first));
    if (problems > 1)
        monitor_status(m, true, "%s (and %d more, printed on stderr)", first, problems - 1);
    else if (problems == 1)
        monitor_status(m, true, "%s", first);
    screen_draw(m);

    /* the first sample has no rates yet: the second comes soon, then every delay */
    double next = m->now + (m->delay < 0.5 ? m->delay : 0.5);
    while (!m->quit && !stop_signal) {
        m->now = mono_now();
        if (m->resample_now && !m->paused) {
            m->resample_now = false;
            next = m->now;
        }
        double wait = m->paused ? 1.0 : next - m->now;
        if (m->status[0] && m->status_until > m->now && m->status_until - m->now < wait)
            wait = m->status_until - m->now; /* clear an expired message on time */
        int ms = wait <= 0 ? 0 : (int)(wait * 1000.0 + 0.999);
        timeout(ms);
        int key = getch();
        m->now = mono_now();
        bool redraw = false;
        if (key == KEY_RESIZE) {
            clear(); /* a full repaint, only here */
            redraw = true;
        } else if (key == KEY_MOUSE) {
            redraw = handle_mouse(m);
        } else if (key != ERR) {
            redraw = monitor_key(m, key);
            /* take whatever else is typed ahead before drawing */
            timeout(0);
            for (int i = 0; i < 64 && !m->quit; i++) {
                int more = getch();
                if (more == ERR)
                    break;
                if (more == KEY_RESIZE) {
                    clear();
                    redraw = true;
                } else if (more == KEY_MOUSE) {
                    redraw |= handle_mouse(m);
                } else {
                    redraw |= monitor_key(m, more);
                }
            }
        }
        if (m->quit)
            break;
        if (!m->paused && m->now >= next) {
            monitor_sample(m);
            next += m->delay;
            if (next < m->now)
                next = m->now + m->delay;
            redraw = true;
        }
        if (key == ERR && m->status[0] && m->status_until > 0 && m->now >= m->status_until) {
            m->status[0] = '\0';
            redraw = true;
        }
        if (redraw)
            screen_draw(m);
    }

    restore_terminal();
    xalloc_set_fatal_hook(NULL);
    action_ctx_free(m->actions);
    monitor_done(m);
    free(m);
    probe_free(probe);
    return 0;
}
