#include "config.h"

#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inifile.h"
#include "probe/xalloc.h"
#include "ui/columns.h"

struct config_ctx {
    struct options *o;
    bool delay_cli, sort_cli, tree_cli, theme_cli, color_cli;
};

static const char *config_section(void *user, const char *section)
{
    (void)user;
    if (strcmp(section, "vigil") == 0)
        return NULL;
    return "unknown section (settings go under [vigil] or before any section)";
}

static const char *bool_value(const char *name, const char *value, bool *out, char *msg,
                              size_t msgcap)
{
    int b;
    if (inifile_bool(value, &b) != 0) {
        snprintf(msg, msgcap, "%s must be true or false, not '%s'", name, value);
        return msg;
    }
    *out = b;
    return NULL;
}

static const char *config_pair(void *user, const char *section, const char *name, const char *value,
                               char *msg, size_t msgcap)
{
    struct config_ctx *c = user;
    struct options *o = c->o;
    (void)section;
    if (strcmp(name, "delay") == 0) {
        char *end;
        errno = 0;
        double d = strtod(value, &end);
        if (errno || end == value || *end || !isfinite(d) || d < 0.1 || d > 3600) {
            snprintf(msg, msgcap, "delay must be seconds from 0.1 to 3600, not '%s'", value);
            return msg;
        }
        if (!c->delay_cli)
            o->delay = d;
        return NULL;
    }
    if (strcmp(name, "sort") == 0) {
        const char *v = value;
        bool rev = false;
        if (*v == '-') {
            rev = true;
            v++;
        }
        int k = sort_key_parse(v);
        if (k < 0) {
            snprintf(msg, msgcap,
                     "unknown sort column '%s' (pid, ppid, user, state, nice, pri, threads, "
                     "virt, rss, cpu, mem, time, io, name, start)",
                     value);
            return msg;
        }
        if (!c->sort_cli) {
            o->sort = (enum sort_key)k;
            if (rev)
                o->reverse = true;
        }
        return NULL;
    }
    if (strcmp(name, "reverse") == 0) {
        bool b = false;
        const char *err = bool_value(name, value, &b, msg, msgcap);
        if (!err && !c->sort_cli)
            o->reverse = b;
        return err;
    }
    if (strcmp(name, "tree") == 0) {
        bool b = false;
        const char *err = bool_value(name, value, &b, msg, msgcap);
        if (!err && !c->tree_cli)
            o->tree = b;
        return err;
    }
    if (strcmp(name, "theme") == 0) {
        if (!*value)
            return "theme needs a name or a file";
        if (!c->theme_cli) {
            free(o->theme);
            o->theme = xstrdup(value);
        }
        return NULL;
    }
    if (strcmp(name, "color") == 0) {
        bool b = false;
        const char *err = bool_value(name, value, &b, msg, msgcap);
        if (!err && !c->color_cli && !b)
            o->no_color = true;
        return err;
    }
    if (strcmp(name, "columns") == 0) {
        unsigned mask;
        char err[96];
        if (ucol_parse_list(value, &mask, err, sizeof(err)) != 0) {
            snprintf(msg, msgcap,
                     "%s (columns: pid ppid user pri nice virt res shr state cpu "
                     "mem time io threads tty start io_read io_write command)",
                     err);
            return msg;
        }
        o->columns = mask;
        return NULL;
    }
    if (strcmp(name, "hide_kernel_threads") == 0)
        return bool_value(name, value, &o->hide_kernel_threads, msg, msgcap);
    if (strcmp(name, "hide_user_threads") == 0)
        return bool_value(name, value, &o->hide_user_threads, msg, msgcap);
    snprintf(msg, msgcap,
             "unknown setting '%s' (delay, sort, reverse, tree, theme, color, columns, "
             "hide_kernel_threads, hide_user_threads)",
             name);
    return msg;
}

int config_default_path(char *buf, size_t cap)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && xdg[0] == '/') {
        snprintf(buf, cap, "%s/vigil/config", xdg);
        return 0;
    }
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home || !*home) {
        if (cap)
            buf[0] = '\0';
        return -ENOENT;
    }
    snprintf(buf, cap, "%s/.config/vigil/config", home);
    return 0;
}

int config_load(const char *path, bool explicit_path, struct options *o, char *err, size_t errlen)
{
    char def[4096];
    if (!path) {
        if (config_default_path(def, sizeof(def)) != 0)
            return 0;
        path = def;
        explicit_path = false;
    }
    FILE *f = fopen(path, "r");
    struct stat sb;
    int e = errno;
    if (f && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        f = NULL;
        e = EISDIR;
    }
    if (!f) {
        if (explicit_path) {
            snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(e));
            return 2;
        }
        if (e != ENOENT && e != ENOTDIR) /* the default file exists but is unreadable */
            inifile_note("%s: %s; using defaults", path, strerror(e));
        return 0;
    }
    struct config_ctx c = {
        .o = o,
        .delay_cli = o->delay_set,
        .sort_cli = o->sort_set,
        .tree_cli = o->tree_set,
        .theme_cli = o->theme != NULL,
        .color_cli = o->no_color,
    };
    struct inifile_callbacks cb = {.section = config_section, .pair = config_pair, .user = &c};
    inifile_parse(f, path, &cb);
    fclose(f);
    return 0;
}

static int mkdir_parents(char *dir)
{
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(dir, 0700);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -errno;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

int config_save(const char *path, const struct options *o, char *err, size_t errlen)
{
    char def[4096];
    if (!path) {
        if (config_default_path(def, sizeof(def)) != 0) {
            snprintf(err, errlen, "no home directory to save the settings in");
            return -ENOENT;
        }
        path = def;
    }
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        int rc = mkdir_parents(dir);
        if (rc != 0) {
            snprintf(err, errlen, "cannot create %s: %s", dir, strerror(-rc));
            return rc;
        }
    }
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(e));
        return -e;
    }
    char cols[256];
    ucol_format_list(o->columns ? o->columns : ucol_default_mask(), cols, sizeof(cols));
    fprintf(f, "# vigil settings, written by vigil (S in the monitor saves them again)\n");
    fprintf(f, "[vigil]\n");
    fprintf(f, "delay = %g\n", o->delay);
    fprintf(f, "sort = %s\n", sort_key_name(o->sort));
    fprintf(f, "reverse = %s\n", o->reverse ? "true" : "false");
    fprintf(f, "tree = %s\n", o->tree ? "true" : "false");
    if (o->theme && *o->theme)
        fprintf(f, "theme = %s\n", o->theme);
    fprintf(f, "columns = %s\n", cols);
    fprintf(f, "hide_kernel_threads = %s\n", o->hide_kernel_threads ? "true" : "false");
    fprintf(f, "hide_user_threads = %s\n", o->hide_user_threads ? "true" : "false");
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0)
        bad = true;
    if (bad || rename(tmp, path) != 0) {
        int e = bad ? EIO : errno;
        unlink(tmp);
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
        return -e;
    }
    return 0;
}
