#include "ui/theme.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const elem_names[TH_COUNT] = {
    [TH_DEFAULT] = "default",
    [TH_TITLE] = "title",
    [TH_METER_LABEL] = "meter_label",
    [TH_METER_BRACKET] = "meter_bracket",
    [TH_METER_TEXT] = "meter_text",
    [TH_CPU_USER] = "cpu_user",
    [TH_CPU_NICE] = "cpu_nice",
    [TH_CPU_SYSTEM] = "cpu_system",
    [TH_CPU_IOWAIT] = "cpu_iowait",
    [TH_CPU_IRQ] = "cpu_irq",
    [TH_CPU_STEAL] = "cpu_steal",
    [TH_MEM_USED] = "mem_used",
    [TH_MEM_BUFFERS] = "mem_buffers",
    [TH_MEM_CACHE] = "mem_cache",
    [TH_SWAP] = "swap",
    [TH_INFO_LABEL] = "info_label",
    [TH_INFO_VALUE] = "info_value",
    [TH_ZOMBIE_COUNT] = "zombie_count",
    [TH_PANEL_HEADER] = "panel_header",
    [TH_SORT_COLUMN] = "sort_column",
    [TH_SELECTION] = "selection",
    [TH_SELECTION_UNFOCUSED] = "selection_unfocused",
    [TH_TAGGED] = "tagged",
    [TH_ZOMBIE] = "zombie",
    [TH_KERNEL_THREAD] = "kernel_thread",
    [TH_RUNNING] = "running",
    [TH_DISK_SLEEP] = "disk_sleep",
    [TH_TREE] = "tree",
    [TH_DIM] = "dim",
    [TH_IFACE_UP] = "iface_up",
    [TH_IFACE_DOWN] = "iface_down",
    [TH_FKEY_KEY] = "fkey_key",
    [TH_FKEY_LABEL] = "fkey_label",
    [TH_STATUS] = "status",
    [TH_STATUS_ERROR] = "status_error",
    [TH_PROMPT] = "prompt",
    [TH_MENU] = "menu",
    [TH_MENU_TITLE] = "menu_title",
    [TH_MENU_SELECTED] = "menu_selected",
    [TH_HELP_KEY] = "help_key",
    [TH_THREAD] = "thread",
};

/* The built-in themes as text in the theme-file syntax, so that the files in themes/ and
 * the fallbacks cannot drift apart unnoticed (test_theme compares them). */
static const char *const default_styles[TH_COUNT] = {
    [TH_DEFAULT] = "default",
    [TH_TITLE] = "default bold",
    [TH_METER_LABEL] = "cyan bold",
    [TH_METER_BRACKET] = "default bold",
    [TH_METER_TEXT] = "default",
    [TH_CPU_USER] = "green",
    [TH_CPU_NICE] = "blue",
    [TH_CPU_SYSTEM] = "red",
    [TH_CPU_IOWAIT] = "magenta",
    [TH_CPU_IRQ] = "yellow",
    [TH_CPU_STEAL] = "cyan",
    [TH_MEM_USED] = "green",
    [TH_MEM_BUFFERS] = "blue",
    [TH_MEM_CACHE] = "yellow",
    [TH_SWAP] = "red",
    [TH_INFO_LABEL] = "cyan",
    [TH_INFO_VALUE] = "default bold",
    [TH_ZOMBIE_COUNT] = "red bold",
    [TH_PANEL_HEADER] = "black on green",
    [TH_SORT_COLUMN] = "black on cyan bold",
    [TH_SELECTION] = "black on cyan",
    [TH_SELECTION_UNFOCUSED] = "black on white",
    [TH_TAGGED] = "yellow bold",
    [TH_ZOMBIE] = "white on red bold",
    [TH_KERNEL_THREAD] = "cyan",
    [TH_RUNNING] = "green bold",
    [TH_DISK_SLEEP] = "red bold",
    [TH_TREE] = "cyan",
    [TH_DIM] = "default dim",
    [TH_IFACE_UP] = "green bold",
    [TH_IFACE_DOWN] = "red bold",
    [TH_FKEY_KEY] = "default bold",
    [TH_FKEY_LABEL] = "black on cyan",
    [TH_STATUS] = "default",
    [TH_STATUS_ERROR] = "red bold",
    [TH_PROMPT] = "yellow bold",
    [TH_MENU] = "default",
    [TH_MENU_TITLE] = "black on green",
    [TH_MENU_SELECTED] = "black on cyan",
    [TH_HELP_KEY] = "cyan bold",
    [TH_THREAD] = "green",
};

static const char *const mono_styles[TH_COUNT] = {
    [TH_DEFAULT] = "default",
    [TH_TITLE] = "bold",
    [TH_METER_LABEL] = "bold",
    [TH_METER_BRACKET] = "bold",
    [TH_METER_TEXT] = "default",
    [TH_CPU_USER] = "default",
    [TH_CPU_NICE] = "default",
    [TH_CPU_SYSTEM] = "bold",
    [TH_CPU_IOWAIT] = "dim",
    [TH_CPU_IRQ] = "default",
    [TH_CPU_STEAL] = "dim",
    [TH_MEM_USED] = "bold",
    [TH_MEM_BUFFERS] = "default",
    [TH_MEM_CACHE] = "dim",
    [TH_SWAP] = "bold",
    [TH_INFO_LABEL] = "default",
    [TH_INFO_VALUE] = "bold",
    [TH_ZOMBIE_COUNT] = "bold underline",
    [TH_PANEL_HEADER] = "reverse",
    [TH_SORT_COLUMN] = "reverse bold underline",
    [TH_SELECTION] = "reverse",
    [TH_SELECTION_UNFOCUSED] = "reverse dim",
    [TH_TAGGED] = "bold underline",
    [TH_ZOMBIE] = "bold",
    [TH_KERNEL_THREAD] = "dim",
    [TH_RUNNING] = "bold",
    [TH_DISK_SLEEP] = "bold underline",
    [TH_TREE] = "default",
    [TH_DIM] = "dim",
    [TH_IFACE_UP] = "bold",
    [TH_IFACE_DOWN] = "underline",
    [TH_FKEY_KEY] = "bold",
    [TH_FKEY_LABEL] = "reverse",
    [TH_STATUS] = "default",
    [TH_STATUS_ERROR] = "bold",
    [TH_PROMPT] = "bold",
    [TH_MENU] = "default",
    [TH_MENU_TITLE] = "reverse",
    [TH_MENU_SELECTED] = "reverse",
    [TH_HELP_KEY] = "bold",
    [TH_THREAD] = "dim",
};

const char *theme_elem_name(enum theme_elem e)
{
    return (unsigned)e < TH_COUNT ? elem_names[e] : NULL;
}

int theme_elem_parse(const char *name)
{
    for (int e = 0; e < TH_COUNT; e++)
        if (strcmp(name, elem_names[e]) == 0)
            return e;
    return -1;
}

static const char *const color_names[8] = {"black", "red",     "green", "yellow",
                                           "blue",  "magenta", "cyan",  "white"};

static int parse_color(const char *tok, short *out)
{
    if (strcasecmp(tok, "default") == 0) {
        *out = THEME_COLOR_DEFAULT;
        return 0;
    }
    for (int i = 0; i < 8; i++) {
        if (strcasecmp(tok, color_names[i]) == 0) {
            *out = (short)i;
            return 0;
        }
        if (strncasecmp(tok, "bright-", 7) == 0 && strcasecmp(tok + 7, color_names[i]) == 0) {
            *out = (short)(i + 8);
            return 0;
        }
    }
    if (strcasecmp(tok, "gray") == 0 || strcasecmp(tok, "grey") == 0) {
        *out = 8;
        return 0;
    }
    const char *num = tok;
    if (strncasecmp(num, "color", 5) == 0)
        num += 5;
    if (*num && strspn(num, "0123456789") == strlen(num) && strlen(num) <= 3) {
        int v = atoi(num);
        if (v <= 255) {
            *out = (short)v;
            return 0;
        }
    }
    return -1;
}

static int parse_attr(const char *tok, unsigned *attrs)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"bold", THA_BOLD},           {"dim", THA_DIM},       {"reverse", THA_REVERSE},
                 {"underline", THA_UNDERLINE}, {"italic", THA_ITALIC}, {"normal", 0}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcasecmp(tok, names[i].name) == 0) {
            *attrs |= names[i].bit;
            return 0;
        }
    }
    return -1;
}

const char *theme_parse_style(const char *value, struct theme_style *out, char *msg, size_t msgcap)
{
    struct theme_style st = {THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, 0};
    char tok[32];
    const char *s = value;
    int ntok = 0;
    bool want_bg = false, have_fg = false, have_bg = false;
    while (*s) {
        s += strspn(s, " \t");
        if (!*s)
            break;
        size_t n = strcspn(s, " \t");
        if (n >= sizeof(tok)) {
            snprintf(msg, msgcap, "unknown colour or attribute '%.20s...'", s);
            return msg;
        }
        memcpy(tok, s, n);
        tok[n] = '\0';
        s += n;
        ntok++;
        short c;
        if (want_bg) {
            if (parse_color(tok, &c) != 0) {
                snprintf(msg, msgcap, "unknown background colour '%s'", tok);
                return msg;
            }
            st.bg = c;
            want_bg = false;
            have_bg = true;
        } else if (strcasecmp(tok, "on") == 0) {
            if (have_bg) {
                snprintf(msg, msgcap, "two backgrounds");
                return msg;
            }
            want_bg = true;
        } else if (!have_fg && !have_bg && parse_color(tok, &c) == 0) {
            st.fg = c;
            have_fg = true;
        } else if (parse_attr(tok, &st.attrs) != 0) {
            snprintf(msg, msgcap,
                     "unknown colour or attribute '%s' (colours: black red green yellow blue "
                     "magenta cyan white, bright-NAME, default, 0-255; attributes: bold dim "
                     "reverse underline italic)",
                     tok);
            return msg;
        }
    }
    if (want_bg) {
        snprintf(msg, msgcap, "'on' needs a background colour");
        return msg;
    }
    if (ntok == 0) {
        snprintf(msg, msgcap, "empty style");
        return msg;
    }
    *out = st;
    return NULL;
}

static void init_from(struct theme *t, const char *name, const char *const styles[TH_COUNT])
{
    memset(t, 0, sizeof(*t));
    snprintf(t->name, sizeof(t->name), "%s", name);
    char msg[200];
    for (int e = 0; e < TH_COUNT; e++)
        theme_parse_style(styles[e], &t->s[e], msg, sizeof(msg));
}

void theme_init_default(struct theme *t)
{
    init_from(t, "default", default_styles);
}

void theme_init_mono(struct theme *t)
{
    init_from(t, "monochrome", mono_styles);
}

static const char *theme_section(void *user, const char *section)
{
    (void)user;
    if (strcmp(section, "theme") == 0 || strcmp(section, "colors") == 0)
        return NULL;
    return "unknown section (expected [theme] or [colors])";
}

static const char *theme_pair(void *user, const char *section, const char *name, const char *value,
                              char *msg, size_t msgcap)
{
    struct theme *t = user;
    if (strcmp(section, "theme") == 0) {
        if (strcmp(name, "name") == 0) {
            snprintf(t->name, sizeof(t->name), "%s", value);
            return NULL;
        }
        if (strcmp(name, "description") == 0)
            return NULL;
        snprintf(msg, msgcap, "unknown key '%s' in [theme] (expected name, description)", name);
        return msg;
    }
    if (strcmp(section, "colors") != 0)
        return "key outside [colors]";
    int e = theme_elem_parse(name);
    if (e < 0) {
        snprintf(msg, msgcap, "unknown element '%s'", name);
        return msg;
    }
    return theme_parse_style(value, &t->s[e], msg, msgcap);
}

int theme_load_file(const char *path, struct theme *t, inifile_report_fn report, void *ctx)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -errno;
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        return -EISDIR;
    }
    theme_init_default(t);
    const char *base = strrchr(path, '/');
    snprintf(t->name, sizeof(t->name), "%s", base ? base + 1 : path);
    char *dot = strstr(t->name, ".theme");
    if (dot && dot[6] == '\0')
        *dot = '\0';
    struct inifile_callbacks cb = {
        .section = theme_section,
        .pair = theme_pair,
        .report = report,
        .user = t,
        .report_ctx = ctx,
    };
    inifile_parse(f, path, &cb);
    int rc = ferror(f) ? -EIO : 0;
    fclose(f);
    return rc;
}

static bool readable_file(const char *path)
{
    return access(path, R_OK) == 0;
}

int theme_find(const char *name, char *path, size_t cap)
{
    size_t len = strlen(name);
    if (strchr(name, '/') || (len > 6 && strcmp(name + len - 6, ".theme") == 0)) {
        snprintf(path, cap, "%s", name);
        return readable_file(path) ? 0 : -ENOENT;
    }
    static const char *const dirs[] = {
#ifdef VIGIL_SOURCE_THEME_DIR
        VIGIL_SOURCE_THEME_DIR,
#endif
#ifdef VIGIL_THEME_DIR
        VIGIL_THEME_DIR,
#endif
        NULL,
    };
    for (size_t i = 0; dirs[i]; i++) {
        snprintf(path, cap, "%s/%s.theme", dirs[i], name);
        if (readable_file(path))
            return 0;
    }
    return -ENOENT;
}

int theme_select(const char *name, int no_color, struct theme *t, char *err, size_t errlen)
{
    if (no_color) {
        theme_init_mono(t);
        return 0;
    }
    if (!name || !*name) {
        theme_init_default(t);
        return 0;
    }
    char path[4096];
    if (theme_find(name, path, sizeof(path)) != 0) {
        /* the built-in themes work even when no theme directory is installed */
        if (strcmp(name, "default") == 0) {
            theme_init_default(t);
            return 0;
        }
        if (strcmp(name, "monochrome") == 0) {
            theme_init_mono(t);
            return 0;
        }
        snprintf(err, errlen,
                 "cannot read theme '%s' (not a readable file, and no %s.theme in the theme "
                 "directories; try default, monochrome or light)",
                 name, name);
        return 2;
    }
    int rc = theme_load_file(path, t, NULL, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "cannot read theme file %s: %s", path, strerror(-rc));
        return 2;
    }
    return 0;
}
