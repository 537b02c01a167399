/* The monitor's state and everything it does in answer to time and keys, apart from
 * drawing: the snapshot on screen, its view, selection (kept on the same process by
 * identity across refreshes), scrolling, tags, search, filters, focus, menus and prompts.
 * Curses is used only for key codes, so suites drive it with fake snapshots. */
#ifndef VIGIL_UI_MONITOR_H
#define VIGIL_UI_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "probe/action.h" /* struct proc_ident: a process as the user picked it */
#include "probe/snapshot.h"
#include "probe/view.h"
#include "ui/layout.h"
#include "ui/menu.h"
#include "ui/prompt.h"
#include "ui/theme.h"

struct proc_details;

/* Where snapshots come from: the real probe in ui_run, hand-made ones in tests. */
struct monitor_source {
    void *ctx;
    int (*sample)(void *ctx, struct snapshot *out);
    int (*details)(void *ctx, struct proc_entry *e, unsigned want);
    /* Asks for PROC_F_* filled for every process in later samples; may be NULL. */
    void (*set_want)(void *ctx, unsigned want);
    /* The inspector's read (probe_read_details); may be NULL: no inspector. */
    int (*read_details)(void *ctx, pid_t pid, uint64_t start_ticks, const struct proc_details *prev,
                        struct proc_details *out);
    /* Asks for user threads (snapshot.threads) in later samples or not; may be NULL. */
    void (*set_threads)(void *ctx, bool on);
};

enum monitor_focus { FOCUS_PROCS, FOCUS_IFACES };

enum monitor_mode {
    MM_NORMAL,
    MM_SEARCH,       /* prompt open: incremental search */
    MM_FILTER,       /* prompt open: filter */
    MM_PROMPT,       /* a prompt owned by a menu action (e.g. exact nice value) */
    MM_MENU,         /* a menu is open */
    MM_HELP,         /* help screen */
    MM_IFACE_DETAIL, /* every address and counter of one interface */
    MM_INSPECT,      /* the process inspector (ui/inspect.h) */
};

struct monitor;
struct inspect;

/* The mode menus, prompts and help return to: the inspector when it is open. */
enum monitor_mode monitor_base_mode(const struct monitor *m);

/* What a menu does when the user chooses an item (Enter; the menu is already closed, and
 * menu is the closed menu, freed after the call, so fn may open another) or toggles a
 * checkable one (Space/Enter; the menu stays open and fn must not open another). Reports
 * through monitor_status. */
typedef void (*monitor_menu_fn)(struct monitor *m, struct ui_menu *menu,
                                const struct ui_menu_item *item);
/* What a prompt does with its text on Enter (the prompt is already closed). */
typedef void (*monitor_prompt_fn)(struct monitor *m, const char *text);

#define MONITOR_STATUS_MAX 256
#define MONITOR_TEXT_MAX   128

struct monitor {
    struct monitor_source src;
    struct action_ctx *actions; /* borrowed; NULL: process actions unavailable */

    /* settings (saved by S) */
    double delay;
    enum sort_key sort;
    bool reverse;
    bool tree;
    bool hide_kernel_threads;
    bool hide_user_threads; /* H: no thread rows (and the probe reads no threads) */
    unsigned columns;
    char *theme_name;  /* owned; NULL = default */
    char *config_path; /* owned; NULL = XDG default */
    bool no_color;

    /* filters */
    char filter[MONITOR_TEXT_MAX];
    bool by_uid;
    uid_t uid;
    char user_name[USER_NAME_MAX];
    pid_t *pids; /* owned copy of -p */
    size_t n_pids;

    /* data */
    struct snapshot snap; /* on screen; owned */
    bool have_snap;
    struct view view;
    size_t view_threads; /* how many of the view's rows are threads */
    bool view_stale;     /* rebuild before the next draw */
    unsigned want_all;   /* PROC_F_* the current sort/filter needs on every process */

    /* process panel */
    size_t sel, top;
    struct proc_ident sel_id;
    bool sel_valid;
    struct proc_ident *tags; /* owned */
    size_t n_tags, cap_tags;
    char search[MONITOR_TEXT_MAX];

    /* interface panel */
    enum monitor_focus focus;
    size_t iface_sel, iface_top;
    char detail_iface[IFACE_NAME_MAX + 1];
    size_t detail_top;

    /* modes */
    enum monitor_mode mode;
    enum monitor_mode help_return; /* the mode help returns to */
    struct ui_menu menu;
    monitor_menu_fn menu_fn;
    struct ui_prompt prompt;
    monitor_prompt_fn prompt_fn;
    void *prompt_data; /* owned by the open prompt; freed with free() when it closes */
    size_t help_top;
    int menu_page; /* menu items visible at once (set when drawn) */

    /* status line */
    char status[MONITOR_STATUS_MAX];
    bool status_error;
    double status_until; /* monotonic seconds; 0 = until replaced */

    /* display */
    struct layout lay;
    struct theme theme;
    bool utf8;
    bool paused;
    bool quit;
    bool resample_now; /* take a sample as soon as possible (settings changed) */
    int page_rows;     /* rows of the process list on screen (for PgUp/PgDn) */
    double now;        /* monotonic seconds, set by the loop */

    /* the process inspector: owned, NULL when closed; menus, prompts and help opened
     * from it return to it */
    struct inspect *inspect;
};

/* Sets m up from the options (m copies what it keeps). */
void monitor_init(struct monitor *m, const struct options *o, const struct monitor_source *src);
void monitor_done(struct monitor *m);

/* Replaces the snapshot on screen (m takes ownership of *s's contents; s is re-inited),
 * rebuilds the view and keeps the selection on the same process. */
void monitor_take_snapshot(struct monitor *m, struct snapshot *s);

/* Takes one sample from the source; returns its result. */
int monitor_sample(struct monitor *m);

/* Rebuilds the view if stale. */
void monitor_refresh_view(struct monitor *m);

/* Fills what sorting, filtering and search need on every process (after they change). */
void monitor_fill_everywhere(struct monitor *m);

/* Fills the detail fields the visible columns need for rows [top, top + rows). */
void monitor_fill_visible(struct monitor *m, size_t rows);

/* Handles one key (curses code, KEY_MOUSE excluded); returns true when the screen must
 * be redrawn. */
bool monitor_key(struct monitor *m, int key);

/* A click at (y, x) with the current layout; button 1 press. */
bool monitor_click(struct monitor *m, int y, int x);
bool monitor_wheel(struct monitor *m, int y, int dir);

/* Status line message (printf-style); errors are drawn in the error style. */
/* The help screen, from its top; Esc returns to back (the mode it was opened from). */
void monitor_open_help(struct monitor *m, enum monitor_mode back);
void monitor_status(struct monitor *m, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The selected process (or thread row: proc_entry_is_thread), or NULL. */
const struct proc_entry *monitor_selected(const struct monitor *m);
/* The process or thread row of the snapshot on screen with this identity, or NULL. */
const struct proc_entry *monitor_find(const struct monitor *m, const struct proc_ident *id);
/* H: thread rows on or off (asks the source for threads from the next sample on). */
void monitor_show_user_threads(struct monitor *m, bool show);
/* Processes an action applies to: the tagged ones still present, else the selected one.
 * Writes at most cap identities and returns how many there are. */
size_t monitor_targets(const struct monitor *m, struct proc_ident *out, size_t cap);
bool monitor_is_tagged(const struct monitor *m, const struct proc_entry *p);

/* Opens a menu (taking over *menu, which is left empty) whose choice calls fn. */
void monitor_open_menu(struct monitor *m, struct ui_menu *menu, monitor_menu_fn fn);
/* Opens a prompt with a label and initial text whose Enter calls fn; data (may be NULL,
 * freed with free() when the prompt closes) is in m->prompt_data during fn. */
void monitor_open_prompt(struct monitor *m, const char *label, const char *text,
                         monitor_prompt_fn fn, void *data);

/* Selects the process with this pid if it is in the view; returns whether it is. */
bool monitor_select_pid(struct monitor *m, pid_t pid);

/* Saves the current settings to the config file (S); reports in the status line. */
void monitor_save_settings(struct monitor *m);

/* Settings as options (for config_save); borrowed strings point into m. */
void monitor_settings(const struct monitor *m, struct options *o);

/* The status-line note for a selected zombie ("... is a zombie; parent PID (name) ...");
 * false (buf "") when the selection is not a zombie. */
bool monitor_zombie_note(const struct monitor *m, char *buf, size_t cap);

/* Moves the selection by delta rows (clamped) in the focused panel. */
void monitor_move(struct monitor *m, long delta);
/* The selection step of a navigation key (arrows, PgUp/PgDn by page, Home/End to the
 * ends); false for any other key. Shared by the list and the inspector. */
bool monitor_nav_delta(int key, long page, long *delta);
/* Keeps the selection on screen after page_rows or the selection changed. */
void monitor_keep_in_view(struct monitor *m);
/* Records the selected row's identity, so that the selection follows it. */
void monitor_remember_selection(struct monitor *m);

/* Sort keys of the menu (F6), the user menu (u), the setup menu (F2). */
void monitor_open_sort_menu(struct monitor *m);
void monitor_open_user_menu(struct monitor *m);
void monitor_open_setup_menu(struct monitor *m);

#endif
