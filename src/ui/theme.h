/* Themes: a style (foreground, background, attributes) for each thing the monitor draws,
 * read from INI files (doc/themes.md) through inih. Pure data; ui/draw.c turns styles
 * into curses attributes. */
#ifndef VIGIL_UI_THEME_H
#define VIGIL_UI_THEME_H

#include <stddef.h>

#include "inifile.h"

enum theme_elem {
    TH_DEFAULT,
    TH_TITLE,
    TH_METER_LABEL,
    TH_METER_BRACKET,
    TH_METER_TEXT,
    TH_CPU_USER,
    TH_CPU_NICE,
    TH_CPU_SYSTEM,
    TH_CPU_IOWAIT,
    TH_CPU_IRQ,
    TH_CPU_STEAL,
    TH_MEM_USED,
    TH_MEM_BUFFERS,
    TH_MEM_CACHE,
    TH_SWAP,
    TH_INFO_LABEL,
    TH_INFO_VALUE,
    TH_ZOMBIE_COUNT,
    TH_PANEL_HEADER,
    TH_SORT_COLUMN,
    TH_SELECTION,
    TH_SELECTION_UNFOCUSED,
    TH_TAGGED,
    TH_ZOMBIE,
    TH_KERNEL_THREAD,
    TH_RUNNING,
    TH_DISK_SLEEP,
    TH_TREE,
    TH_DIM,
    TH_IFACE_UP,
    TH_IFACE_DOWN,
    TH_FKEY_KEY,
    TH_FKEY_LABEL,
    TH_STATUS,
    TH_STATUS_ERROR,
    TH_PROMPT,
    TH_MENU,
    TH_MENU_TITLE,
    TH_MENU_SELECTED,
    TH_HELP_KEY,
    TH_THREAD, /* user thread rows (H) */
    TH_COUNT
};

#define THEME_COLOR_DEFAULT (-1)

enum theme_attr {
    THA_BOLD = 1u << 0,
    THA_DIM = 1u << 1,
    THA_REVERSE = 1u << 2,
    THA_UNDERLINE = 1u << 3,
    THA_ITALIC = 1u << 4,
};

struct theme_style {
    short fg, bg;   /* THEME_COLOR_DEFAULT or 0..255 (0..7 basic, 8..15 bright) */
    unsigned attrs; /* enum theme_attr bits */
};

struct theme {
    char name[64];
    struct theme_style s[TH_COUNT];
};

const char *theme_elem_name(enum theme_elem e); /* the key in theme files */
int theme_elem_parse(const char *name);         /* enum theme_elem or -1 */

void theme_init_default(struct theme *t); /* built in; equal to themes/default.theme */
void theme_init_mono(struct theme *t);    /* attributes only; equal to monochrome.theme */

/* Parses a style: "FG [on BG] [bold|dim|reverse|underline|italic|normal ...]"; colours
 * by name (black .. white, bright-black .. bright-white, default) or number 0..255.
 * Returns NULL or a message written into msg. */
const char *theme_parse_style(const char *value, struct theme_style *out, char *msg, size_t msgcap);

/* Reads a theme file over the built-in default. Returns 0, or -errno when it cannot be
 * opened; malformed lines are reported through report (NULL: stderr) and skipped. */
int theme_load_file(const char *path, struct theme *t, inifile_report_fn report, void *ctx);

/* Resolves --theme NAME|FILE: a value with a '/' or ending in ".theme" is a file;
 * otherwise NAME.theme in the in-tree then the installed theme directory. Writes the
 * path and returns 0, or -ENOENT. */
int theme_find(const char *name, char *path, size_t cap);

/* Loads the theme the options ask for (name NULL: the built-in default; no_color: the
 * monochrome theme). Returns 0, or 2 with a one-line message (no "vigil: ") in err. */
int theme_select(const char *name, int no_color, struct theme *t, char *err, size_t errlen);

#endif
