#include "ui/columns.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui/format.h"

static const struct ucol_def defs[UCOL_COUNT] = {
    [UCOL_PID] = {"pid", "PID", 7, true, SORT_PID, 0},
    [UCOL_PPID] = {"ppid", "PPID", 7, true, SORT_PPID, 0},
    [UCOL_USER] = {"user", "USER", 9, false, SORT_USER, PROC_F_USER},
    [UCOL_PRI] = {"pri", "PRI", 3, true, SORT_PRI, 0},
    [UCOL_NI] = {"nice", "NI", 3, true, SORT_NICE, 0},
    [UCOL_VIRT] = {"virt", "VIRT", 5, true, SORT_VIRT, 0},
    [UCOL_RES] = {"res", "RES", 5, true, SORT_RSS, 0},
    [UCOL_SHR] = {"shr", "SHR", 5, true, -1, 0},
    [UCOL_STATE] = {"state", "S", 1, false, SORT_STATE, 0},
    [UCOL_CPU] = {"cpu", "CPU%", 5, true, SORT_CPU, 0},
    [UCOL_MEM] = {"mem", "MEM%", 5, true, SORT_MEM, 0},
    [UCOL_TIME] = {"time", "TIME+", 9, true, SORT_TIME, 0},
    [UCOL_IO] = {"io", "IO", 4, false, -1, PROC_F_IONICE},
    [UCOL_THREADS] = {"threads", "THR", 4, true, SORT_THREADS, 0},
    [UCOL_TTY] = {"tty", "TTY", 6, false, -1, 0},
    [UCOL_START] = {"start", "START", 5, true, SORT_START, 0},
    [UCOL_IO_READ] = {"io_read", "DISK R", 7, true, SORT_IO, PROC_F_IO},
    [UCOL_IO_WRITE] = {"io_write", "DISK W", 7, true, SORT_IO, PROC_F_IO},
    [UCOL_COMMAND] = {"command", "Command", 0, false, SORT_NAME, PROC_F_CMDLINE},
};

const struct ucol_def *ucol_def(enum ucol c)
{
    return (unsigned)c < UCOL_COUNT ? &defs[c] : NULL;
}

int ucol_parse(const char *name)
{
    for (int c = 0; c < UCOL_COUNT; c++)
        if (strcmp(name, defs[c].name) == 0)
            return c;
    return -1;
}

unsigned ucol_default_mask(void)
{
    static const enum ucol cols[] = {UCOL_PID,  UCOL_USER, UCOL_PRI,    UCOL_NI,  UCOL_VIRT,
                                     UCOL_RES,  UCOL_SHR,  UCOL_STATE,  UCOL_CPU, UCOL_MEM,
                                     UCOL_TIME, UCOL_IO,   UCOL_COMMAND};
    unsigned m = 0;
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
        m |= 1u << cols[i];
    return m;
}

int ucol_parse_list(const char *list, unsigned *mask, char *err, size_t errlen)
{
    unsigned m = 1u << UCOL_COMMAND;
    const char *s = list;
    while (*s) {
        s += strspn(s, " \t,");
        if (!*s)
            break;
        size_t n = strcspn(s, " \t,");
        char name[32];
        if (n >= sizeof(name)) {
            snprintf(err, errlen, "unknown column '%.31s...'", s);
            return -1;
        }
        memcpy(name, s, n);
        name[n] = '\0';
        for (char *c = name; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        int c = ucol_parse(name);
        if (c < 0) {
            snprintf(err, errlen, "unknown column '%s'", name);
            return -1;
        }
        m |= 1u << c;
        s += n;
    }
    *mask = m;
    return 0;
}

size_t ucol_format_list(unsigned mask, char *buf, size_t cap)
{
    size_t out = 0;
    if (cap)
        buf[0] = '\0';
    for (int c = 0; c < UCOL_COUNT; c++) {
        if (!(mask & (1u << c)))
            continue;
        int n = snprintf(buf + out, cap - out, "%s%s", out ? "," : "", defs[c].name);
        if (n < 0 || (size_t)n >= cap - out)
            break;
        out += (size_t)n;
    }
    return out;
}

unsigned ucol_need(unsigned mask)
{
    unsigned need = 0;
    for (int c = 0; c < UCOL_COUNT; c++)
        if (mask & (1u << c))
            need |= defs[c].need;
    return need;
}

int ucol_for_sort(unsigned mask, enum sort_key k)
{
    for (int c = 0; c < UCOL_COUNT; c++)
        if ((mask & (1u << c)) && defs[c].sort == (int)k)
            return c;
    return -1;
}

enum sort_key ucol_sort_step(unsigned mask, enum sort_key k, int dir)
{
    int keys[UCOL_COUNT], n = 0, at = -1;
    for (int c = 0; c < UCOL_COUNT; c++) {
        if (!(mask & (1u << c)) || defs[c].sort < 0)
            continue;
        bool dup = false;
        for (int i = 0; i < n; i++)
            dup |= keys[i] == defs[c].sort;
        if (dup)
            continue;
        if (defs[c].sort == (int)k)
            at = n;
        keys[n++] = defs[c].sort;
    }
    if (n == 0)
        return k;
    if (at < 0) /* the current key has no visible column: start from the ends */
        return (enum sort_key)(dir > 0 ? keys[0] : keys[n - 1]);
    return (enum sort_key)keys[(at + (dir > 0 ? 1 : n - 1)) % n];
}

int ucol_positions(unsigned mask, int cols, int x[UCOL_COUNT])
{
    int at = 0;
    for (int c = 0; c < UCOL_COUNT; c++) {
        if (!(mask & (1u << c)) && c != UCOL_COMMAND) {
            x[c] = -1;
            continue;
        }
        x[c] = at;
        if (c != UCOL_COMMAND)
            at += defs[c].width + 1;
    }
    return cols > at ? cols - at : 0;
}

int ucol_at(unsigned mask, int cols, int x)
{
    int pos[UCOL_COUNT];
    ucol_positions(mask, cols, pos);
    if (x < 0 || x >= cols)
        return -1;
    for (int c = 0; c < UCOL_COUNT; c++) {
        if (pos[c] < 0)
            continue;
        int end = c == UCOL_COMMAND ? cols : pos[c] + defs[c].width + 1;
        if (x >= pos[c] && x < end)
            return c;
    }
    return -1;
}

static size_t put(char *buf, size_t cap, int n)
{
    if (n < 0 || cap == 0) {
        if (cap)
            buf[0] = '\0';
        return 0;
    }
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

size_t ucol_cell(enum ucol c, const struct proc_entry *p, const struct ucol_ctx *ctx, char *buf,
                 size_t cap)
{
    switch (c) {
    case UCOL_PID:
        return put(buf, cap, snprintf(buf, cap, "%d", (int)p->pid));
    case UCOL_PPID:
        return put(buf, cap, snprintf(buf, cap, "%d", (int)p->ppid));
    case UCOL_USER:
        if (!(p->have & PROC_F_USER))
            return put(buf, cap, snprintf(buf, cap, "-"));
        return fmt_escape(buf, cap, proc_entry_user(p), strlen(proc_entry_user(p)), ctx->utf8,
                          false, defs[UCOL_USER].width, NULL, NULL);
    case UCOL_PRI:
        if (p->priority <= -100)
            return put(buf, cap, snprintf(buf, cap, "RT"));
        return put(buf, cap, snprintf(buf, cap, "%d", p->priority));
    case UCOL_NI:
        return put(buf, cap, snprintf(buf, cap, "%d", p->nice));
    case UCOL_VIRT:
        return fmt_mem(buf, cap, p->vms);
    case UCOL_RES:
        return fmt_mem(buf, cap, p->rss);
    case UCOL_SHR:
        return fmt_mem(buf, cap, p->shared);
    case UCOL_STATE:
        if (p->state >= 0x21 && p->state < 0x7F)
            return put(buf, cap, snprintf(buf, cap, "%c", p->state));
        return put(buf, cap, snprintf(buf, cap, "?"));
    case UCOL_CPU:
        return fmt_percent(buf, cap, p->cpu_percent);
    case UCOL_MEM:
        return fmt_percent(buf, cap, p->mem_percent);
    case UCOL_TIME:
        return fmt_time_plus(buf, cap, p->cpu_time);
    case UCOL_IO:
        if (!(p->have & PROC_F_IONICE))
            return put(buf, cap, snprintf(buf, cap, "-"));
        return fmt_ionice(buf, cap, p->ionice_class, p->ionice_level);
    case UCOL_THREADS:
        return put(buf, cap, snprintf(buf, cap, "%d", p->threads));
    case UCOL_TTY: {
        char t[32];
        if (!proc_tty_name(p->tty_nr, t, sizeof(t)))
            return put(buf, cap, snprintf(buf, cap, "?"));
        return put(buf, cap, snprintf(buf, cap, "%.6s", t));
    }
    case UCOL_START: {
        if (!(p->start_time > 0))
            return put(buf, cap, snprintf(buf, cap, "?"));
        time_t t = (time_t)p->start_time;
        struct tm tm;
        if (!localtime_r(&t, &tm))
            return put(buf, cap, snprintf(buf, cap, "?"));
        /* like ps: the time of day within the last day, else the date */
        const char *f = ctx->now - p->start_time < 86400 ? "%H:%M" : "%b%d";
        size_t n = cap ? strftime(buf, cap, f, &tm) : 0;
        if (n == 0 && cap)
            buf[0] = '\0';
        return n;
    }
    case UCOL_IO_READ:
    case UCOL_IO_WRITE: {
        double r = c == UCOL_IO_READ ? p->io_read_rate : p->io_write_rate;
        if (!(p->have & PROC_F_IO) || r < 0)
            return put(buf, cap, snprintf(buf, cap, "-"));
        return fmt_rate(buf, cap, r);
    }
    case UCOL_COMMAND:
        return ucol_command(p, ctx->utf8, 1 << 20, buf, cap);
    default:
        return put(buf, cap, snprintf(buf, cap, "?"));
    }
}

size_t ucol_command(const struct proc_entry *p, bool utf8, int max_cols, char *buf, size_t cap)
{
    if (cap == 0)
        return 0;
    const struct vstr *cl = (p->have & PROC_F_CMDLINE) ? p->cmdline : NULL;
    bool zombie = p->state == 'Z';
    if (cl && cl->len > 0 && !zombie)
        return fmt_escape(buf, cap, cl->data, cl->len, utf8, true, max_cols, NULL, NULL);
    /* no command line: the kernel's name, bracketed as ps does */
    size_t out = 0;
    int used = 0;
    if (max_cols < 1) {
        buf[0] = '\0';
        return 0;
    }
    buf[out++] = '[';
    used = 1;
    int cols = 0;
    bool clipped = false;
    out += fmt_escape(buf + out, cap - out, p->name, strnlen(p->name, sizeof(p->name)), utf8, false,
                      max_cols - used - 1, &cols, &clipped);
    used += cols;
    if (clipped || out + 2 > cap) {
        buf[out] = '\0';
        return out;
    }
    buf[out++] = ']';
    used++;
    buf[out] = '\0';
    static const char defunct[] = " <defunct>";
    if (zombie && used + (int)strlen(defunct) <= max_cols && out + sizeof(defunct) <= cap) {
        memcpy(buf + out, defunct, sizeof(defunct));
        out += sizeof(defunct) - 1;
    }
    return out;
}

/* Appends the escaped name in open/close (brackets or braces) at buf + *out; false when
 * it was clipped (nothing more fits). */
static bool put_name(char *buf, size_t cap, size_t *out, int *used, int max_cols, const char *name,
                     size_t len, bool utf8, char open, char close)
{
    if (*used + 2 > max_cols || *out + 3 > cap)
        return false;
    buf[(*out)++] = open;
    (*used)++;
    int cols = 0;
    bool clipped = false;
    *out += fmt_escape(buf + *out, cap - *out, name, len, utf8, false, max_cols - *used - 1, &cols,
                       &clipped);
    *used += cols;
    if (clipped || *out + 2 > cap) {
        buf[*out] = '\0';
        return false;
    }
    buf[(*out)++] = close;
    (*used)++;
    buf[*out] = '\0';
    return true;
}

size_t ucol_thread_command(const struct proc_entry *t, const struct proc_entry *owner, bool utf8,
                           int max_cols, char *buf, size_t cap)
{
    if (cap == 0)
        return 0;
    buf[0] = '\0';
    size_t out = 0;
    int used = 0;
    if (!put_name(buf, cap, &out, &used, max_cols, t->name, strnlen(t->name, sizeof(t->name)), utf8,
                  '{', '}') ||
        !owner)
        return out;
    char of[32];
    int n = snprintf(of, sizeof(of), " of %d ", (int)owner->pid);
    if (n < 0 || used + n > max_cols || out + (size_t)n + 1 > cap)
        return out;
    memcpy(buf + out, of, (size_t)n + 1);
    out += (size_t)n;
    used += n;
    put_name(buf, cap, &out, &used, max_cols, owner->name,
             strnlen(owner->name, sizeof(owner->name)), utf8, '(', ')');
    return out;
}

size_t ucol_tree_prefix(const struct view_row *row, bool utf8, char *buf, size_t cap)
{
    const char *bar = utf8 ? "\u2502 " : "| ";
    const char *tee = utf8 ? "\u251c\u2500 " : "|- ";
    const char *ell = utf8 ? "\u2514\u2500 " : "`- ";
    size_t out = 0;
    if (cap)
        buf[0] = '\0';
    int depth = row->depth;
    for (int d = 0; d < depth; d++) {
        bool last_level = d == depth - 1;
        bool more = d < 64 && (row->more_siblings >> d) & 1;
        const char *g = last_level ? (more ? tee : ell) : (more ? bar : "  ");
        size_t n = strlen(g);
        if (out + n + 1 > cap)
            break;
        memcpy(buf + out, g, n + 1);
        out += n;
    }
    return out;
}

static bool match_at(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    for (size_t i = 0; i < nlen; i++) {
        unsigned char h = (unsigned char)hay[i];
        if (h == '\0')
            h = ' ';
        if (tolower(h) != tolower((unsigned char)needle[i]))
            return false;
    }
    (void)hlen;
    return true;
}

static bool contains(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen > hlen)
        return false;
    for (size_t i = 0; i + nlen <= hlen; i++)
        if (match_at(hay + i, hlen - i, needle, nlen))
            return true;
    return false;
}

bool ucol_match(const struct proc_entry *p, const char *needle)
{
    size_t nlen = strlen(needle);
    if (nlen == 0)
        return true;
    if (contains(p->name, strnlen(p->name, sizeof(p->name)), needle, nlen))
        return true;
    return p->cmdline && contains(p->cmdline->data, p->cmdline->len, needle, nlen);
}
